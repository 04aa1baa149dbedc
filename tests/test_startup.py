"""Start-up stays light: `srgdesk --version`, building the parser and `--help` of every command
import neither pandas, numpy nor Qt (the heavy imports wait for the command's run()).

Timing lives in benchmarks/bench_startup.py; these tests check the cause (what gets imported),
which does not depend on how busy the machine is."""

from __future__ import annotations

import subprocess
import sys

import pytest

from srgdesk.commands import COMMANDS

HEAVY = ("pandas", "numpy", "PySide6", "pyarrow", "openpyxl")
METADATA = "importlib.metadata"


def runs_from_source() -> bool:
    """Whether a fresh process imports srgdesk from a source tree. There the version comes from
    pyproject.toml; an installed wheel (the test run under Wine's embeddable Python, which ignores
    the current folder) has only its metadata to say its version, so importlib.metadata is fine."""
    code = (
        "import pathlib, srgdesk; "
        "print((pathlib.Path(srgdesk.__file__).resolve().parent.parent / 'pyproject.toml').exists())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip() == "True"


def imported_modules(*arguments: str) -> set[str]:
    """The modules a fresh `python -X importtime ARGUMENTS` imports (from its stderr)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def heavy(modules: set[str]) -> list[str]:
    names = (*HEAVY, METADATA) if runs_from_source() else HEAVY
    return sorted(name for name in names if name in modules)


def test_version_imports_nothing_heavy():
    assert heavy(imported_modules("-m", "srgdesk", "--version")) == []


def test_building_the_parser_imports_nothing_heavy():
    code = "import srgdesk.cli; srgdesk.cli.build_parser()"
    assert heavy(imported_modules("-c", code)) == []


# `melding --help` lists the input file's keys, which live in core.melding (that package reads
# CSVs, so it imports pandas): acceptable for a help text, not for every start.
@pytest.mark.parametrize("command", [name for name in COMMANDS if name != "melding"])
def test_help_of_a_command_imports_nothing_heavy(command):
    assert heavy(imported_modules("-m", "srgdesk", command, "--help")) == []


def test_the_measurement_sees_a_heavy_import():
    """The check above can fail: a command that imports pandas is seen."""
    assert "pandas" in heavy(imported_modules("-c", "import srgdesk.cli, pandas"))


# `srgdesk match` in-process up to its first read (as benchmarks/bench_startup.py measures it).
MATCH_TO_FIRST_READ = """
import os, sys
import srgdesk.core.export as export

def first_read(*args, **kwargs):
    os._exit(0)

export.read_voorzieningen_table = first_read
from srgdesk.cli import main
main(["match", sys.argv[1], sys.argv[2], "-o", sys.argv[3], "--formaat", "csv", "--stil"])
os._exit(3)
"""


def test_a_csv_match_imports_no_writer_or_window_it_does_not_use(tmp_path):
    from srgdesk.core.resources import resource_path

    demo = resource_path("demo")
    arguments = [str(demo / "oud.csv"), str(demo / "nieuw.csv"), str(tmp_path / "uit")]
    modules = imported_modules("-c", MATCH_TO_FIRST_READ, *arguments)
    assert "pandas" in modules  # the measurement sees the run's own imports
    unused = (
        *("srgdesk.core.xlsx_writer", "openpyxl", "PySide6", "srgdesk.gui", "srgdesk.applog"),
        *("srgdesk.core.reading.workbook", "python_calamine"),  # a workbook reader, for xlsx
    )
    assert sorted(name for name in unused if name in modules) == []


def command_modules_after(*arguments: str) -> list[str]:
    """The srgdesk.commands modules loaded once the parser has handled `arguments` (help and
    errors end in SystemExit: the modules are listed anyway)."""
    code = (
        "import io, sys\n"
        "import srgdesk.cli\n"
        "sys.stdout = sys.stderr = io.StringIO()\n"
        "try:\n"
        f"    srgdesk.cli.build_parser().parse_args({list(arguments)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.__stdout__.write(' '.join(m for m in sys.modules if m.startswith('srgdesk.commands.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return sorted(done.stdout.split())


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_builds_and_imports_only_its_own_parser(command):
    loaded = command_modules_after(command, "--help")
    assert f"srgdesk.commands.{command}" in loaded
    assert [m for m in loaded if m.rpartition(".")[2] in COMMANDS] == [
        f"srgdesk.commands.{command}"
    ]


def test_the_list_of_commands_imports_no_command_module():
    assert command_modules_after("--help") == []
    assert command_modules_after("onbekend") == []
