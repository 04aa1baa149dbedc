"""The smoke test's fonts: on Windows it looks in the Windows fonts folder, and everywhere it
fails rather than save a screenshot whose text is empty boxes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from srgdesk.gui import smoke

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_on_windows_the_smoke_test_reads_the_windows_fonts_folder():
    environ = {"WINDIR": r"C:\windows"}
    smoke.prepare_environment(environ, platform="win32")
    assert environ == {
        "WINDIR": r"C:\windows",
        "QT_QPA_PLATFORM": "offscreen",
        "QT_QPA_FONTDIR": r"C:\windows\Fonts",
    }


def test_a_fonts_folder_or_platform_the_user_chose_is_kept():
    environ = {"WINDIR": r"C:\windows", "QT_QPA_FONTDIR": r"D:\fonts", "QT_QPA_PLATFORM": "minimal"}
    smoke.prepare_environment(environ, platform="win32")
    assert environ["QT_QPA_FONTDIR"] == r"D:\fonts"
    assert environ["QT_QPA_PLATFORM"] == "minimal"


def test_elsewhere_qt_finds_fonts_itself():
    environ: dict[str, str] = {}
    smoke.prepare_environment(environ, platform="linux")
    assert environ == {"QT_QPA_PLATFORM": "offscreen"}


def test_qt_finds_a_real_font_here(qapp):
    assert smoke.fonts_found()


def test_without_fonts_the_smoke_test_fails_and_writes_no_screenshot(tmp_path, monkeypatch):
    from srgdesk.gui.app import run_gui

    monkeypatch.setattr(smoke, "fonts_found", lambda: False)
    target = tmp_path / "smoke.png"
    assert run_gui(smoke_test=str(target)) == 1
    assert not target.exists()


def _no_fonts_environment(tmp_path) -> dict[str, str]:
    """An environment in which Qt finds no font file at all, the way each platform looks."""
    env = dict(os.environ, SRGDESK_DATA_DIR=str(tmp_path / "appdata"))
    env.pop("QT_QPA_PLATFORM", None)  # the smoke test chooses offscreen itself
    empty = tmp_path / "geen-lettertypen"
    empty.mkdir()
    if sys.platform == "win32":  # Qt's offscreen platform reads fonts only from here
        env["QT_QPA_FONTDIR"] = str(empty)
    elif sys.platform.startswith("linux"):  # fontconfig, with a configuration naming no folder
        config = tmp_path / "fonts.conf"
        config.write_text(
            f"<?xml version='1.0'?><fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
            encoding="utf-8",
        )
        env["FONTCONFIG_FILE"] = str(config)
    else:
        pytest.skip(f"no way known here to hide the system fonts from Qt on {sys.platform}")
    return env


def test_a_smoke_test_run_without_any_font_file_fails_with_a_dutch_message(tmp_path):
    target = tmp_path / "smoke.png"
    proc = subprocess.run(
        [sys.executable, "-m", "srgdesk", "--smoke-test", str(target)],
        env=_no_fonts_environment(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Geen lettertypen gevonden" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not target.exists()
