"""The architecture guards itself: import-linter's contracts in pyproject.toml hold.

The core imports neither Qt, the GUI, the CLI, the commands nor the app log; the GUI imports
neither the CLI nor the commands; the shells sit in layers over the core; no import cycles.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def test_every_import_contract_is_kept():
    result = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_contracts_cover_core_gui_layers_and_cycles():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    forbidden = {
        c["source_modules"][0]: set(c["forbidden_modules"])
        for c in contracts
        if c["type"] == "forbidden"
    }
    assert {
        "PySide6",
        "srgdesk.gui",
        "srgdesk.cli",
        "srgdesk.commands",
        "srgdesk.applog",
    } <= forbidden["srgdesk.core"]
    assert {"srgdesk.cli", "srgdesk.commands"} <= forbidden["srgdesk.gui"]
    assert {c["type"] for c in contracts} >= {"layers", "acyclic_siblings"}
