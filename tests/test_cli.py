"""The CLI's last lines of defence: a file-system refusal anywhere is one Dutch line (exit 2);
a defect is exit 1 with the log in the app-data folder, without BSNs; output survives a
windowed exe and a Windows console."""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys

import pytest

from srgdesk import console
from srgdesk.cli import main
from srgdesk.commands import match as match_command
from srgdesk.console import EXIT_DEFECT, EXIT_INVOER, say
from srgdesk.core.resources import resource_path

DEMO = resource_path("demo")


def run_failing(monkeypatch, capsys, error: BaseException, tmp_path) -> tuple[int, str]:
    def fail(args):
        raise error

    monkeypatch.setattr(match_command, "run", fail)
    code = main(["match", str(DEMO / "oud.csv"), str(DEMO / "nieuw.csv"), "-o", str(tmp_path)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.ENAMETOOLONG, "File name too long", "/x/" + "y" * 300), "pad is te lang"),
        (PermissionError(errno.EACCES, "Permission denied", "/root/geheim"), "Geen schrijfrechten"),
        (OSError(errno.ENOSPC, "No space left on device", "/tmp/x.csv"), "schijf is vol"),
    ],
)
def test_a_file_system_refusal_anywhere_is_one_dutch_line(
    monkeypatch, capsys, tmp_path, error, message
):
    code, err = run_failing(monkeypatch, capsys, error, tmp_path)
    assert code == EXIT_INVOER
    assert err.startswith("Fout: ")
    assert message in err
    assert err.count("\n") == 1


def test_a_defect_is_exit_1_with_the_log_in_the_app_data_folder_without_bsns(
    monkeypatch, capsys, tmp_path, app_data_dir
):
    code, err = run_failing(monkeypatch, capsys, RuntimeError("kapot bij 123 456 782"), tmp_path)
    assert code == EXIT_DEFECT
    assert "onverwachts" in err
    log = next(app_data_dir.rglob("srgdesk.log"))
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text
    assert "*****6782" in text
    assert "123 456 782" not in text


def test_say_survives_a_windowed_exe_and_a_narrow_console(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    say("geen console")  # no exception
    narrow = io.TextIOWrapper(io.BytesIO(), encoding="cp850", newline="\n")  # no \r\n on Windows
    monkeypatch.setattr(sys, "stderr", narrow)
    say("Zoë → €", error=True)
    narrow.flush()
    assert narrow.buffer.getvalue().decode("cp850") == "Zoë ? ?\n"


def test_gui_and_commands_print_through_the_console_module_not_the_cli():
    import srgdesk.commands.match
    import srgdesk.gui.app

    assert srgdesk.gui.app.say is console.say
    assert "srgdesk.cli" not in vars(srgdesk.commands.match)


# A command run from the real command line ends the process itself (without freeing its heap
# object by object): everything it printed and logged must still arrive, with its exit code.
DEFECT = """
import srgdesk.commands.match as match_command

def defect(args):
    raise ZeroDivisionError("kapot")

match_command.run = defect
from srgdesk.cli import main
main()
raise SystemExit(99)  # not reached: main() ends the process
"""


def run_command_line(tmp_path, *arguments: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # output buffered
    env["SRGDESK_DATA_DIR"] = str(tmp_path / "appdata")
    return subprocess.run(
        [sys.executable, *arguments], capture_output=True, text=True, env=env, check=False
    )


def test_a_command_line_run_prints_everything_before_it_ends(tmp_path):
    out = tmp_path / "uit"
    done = run_command_line(
        tmp_path, "-m", "srgdesk", "match", str(DEMO / "oud.csv"), str(DEMO / "nieuw.csv"),
        "-o", str(out), "--formaat", "csv", "--stil",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    tail = done.stdout.splitlines()[-4:]
    assert tail[0] == "Geschreven:"
    assert [line.split(" (")[0].strip() for line in tail[1:]] == [
        str(out / name) for name in ("conversiebestand.csv", "matches.csv", "codetabel.csv")
    ]


def test_a_command_line_refusal_keeps_its_exit_code_and_message(tmp_path):
    oud = str(DEMO / "oud.csv")
    done = run_command_line(tmp_path, "-m", "srgdesk", "match", oud, oud, "-o", str(tmp_path))
    assert done.returncode == EXIT_INVOER
    assert done.stderr.startswith("Fout: De oude en de nieuwe export zijn hetzelfde bestand.")


def test_a_command_line_defect_still_writes_its_log(tmp_path):
    arguments = ["match", str(DEMO / "oud.csv"), str(DEMO / "nieuw.csv"), "-o", str(tmp_path)]
    done = run_command_line(tmp_path, "-c", DEFECT, *arguments)
    assert done.returncode == EXIT_DEFECT
    logs = list((tmp_path / "appdata").rglob("*.log"))
    assert logs
    assert "ZeroDivisionError" in "".join(log.read_text(encoding="utf-8") for log in logs)


def test_version_is_the_projects_and_needs_no_metadata():
    """`srgdesk --version` prints pyproject.toml's version, from srgdesk/_version.py: neither
    pyproject.toml is parsed nor importlib.metadata imported at start-up."""
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    version = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "srgdesk", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == f"srgdesk {version}"
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert "importlib.metadata" not in imported


@pytest.mark.parametrize("command", ["match", "controleer", "inspect"])
def test_a_command_line_run_ends_the_process_before_freeing_its_exports(
    monkeypatch, tmp_path, command
):
    """Freeing both exports and the result object by object takes ~15 ms at 95k rows: they
    must still be alive when _exit_now ends the process (which frees nothing)."""
    import weakref

    import srgdesk.cli
    import srgdesk.core.export

    loaded: list[weakref.ref] = []
    export_from_table = srgdesk.core.export.export_from_table

    def recording(*args, **kwargs):
        export = export_from_table(*args, **kwargs)
        loaded.append(weakref.ref(export))
        return export

    alive_at_exit: list[bool] = []

    def exit_now(code):
        alive_at_exit.extend(ref() is not None for ref in loaded)
        raise SystemExit(code)

    monkeypatch.setattr(srgdesk.core.export, "export_from_table", recording)
    monkeypatch.setattr(srgdesk.cli, "_exit_now", exit_now)
    if command == "inspect":
        arguments = [str(DEMO / "oud.csv")]
    else:
        arguments = [str(DEMO / "oud.csv"), str(DEMO / "nieuw.csv"), "-o", str(tmp_path / "uit")]
        arguments += ["--formaat", "csv", "--stil"]
    exports = 1 if command == "inspect" else 2
    monkeypatch.setattr(sys, "argv", ["srgdesk", command, *arguments])
    with pytest.raises(SystemExit) as ended:
        srgdesk.cli.main()
    assert ended.value.code == 0
    assert alive_at_exit == [True] * exports
    # An in-process caller keeps nothing: main(argv) returns and the exports are freed.
    loaded.clear()
    assert srgdesk.cli.main([command, *arguments]) == 0
    assert len(loaded) == exports
    assert [ref() for ref in loaded] == [None] * exports
