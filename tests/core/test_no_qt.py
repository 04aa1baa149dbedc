"""srgdesk.core never imports Qt: it must import and work while PySide6 cannot be imported."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import importlib, pkgutil, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"):
            raise ImportError("Qt is blocked in this test")
        return None

sys.meta_path.insert(0, BlockQt())
import srgdesk.core
for module in pkgutil.walk_packages(srgdesk.core.__path__, "srgdesk.core."):
    importlib.import_module(module.name)

from srgdesk.cli import main
demo = sys.argv[1]
assert main(["inspect", demo + "/oud.csv"]) == 0
assert main(["match", demo + "/oud.csv", demo + "/nieuw.csv", "-o", sys.argv[2], "--stil"]) == 0
assert not [m for m in sys.modules if m.startswith(("PySide6", "shiboken6"))]
print("core ok without Qt")
"""


def test_core_imports_and_runs_while_pyside6_is_blocked(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "resources" / "demo"), str(tmp_path / "uit")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "core ok without Qt" in result.stdout
    assert (tmp_path / "uit" / "conversiebestand.csv").exists()


def test_no_core_module_mentions_qt_in_its_imports():
    offenders = [
        path.name
        for path in (ROOT / "srgdesk" / "core").glob("*.py")
        if any(
            line.lstrip().startswith(("import PySide6", "from PySide6"))
            for line in path.read_text().splitlines()
        )
    ]
    assert offenders == []
