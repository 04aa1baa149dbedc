"""Issue 12.15 and 12.17: small things a user notices — where a list was saved, which folder a
file dialog opens in, and what to install when Qt's window cannot start on Linux."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox
from walk import start

from srgdesk.gui.app import apt_get_line, missing_linux_packages
from srgdesk.gui.wizard import Stap


def test_problemen_opslaan_starts_beside_the_export_and_says_where(qtbot, monkeypatch, tmp_path):
    w = start(qtbot)
    w.load_demo()
    w.next()
    assert w.currentId() == Stap.KOLOMMEN
    page = w.currentPage()
    seen = {}

    def fake_save(parent, title, start_path, *args, **kwargs):
        seen["start"] = start_path
        return str(tmp_path / "problemen.csv"), ""

    told = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    monkeypatch.setattr(
        QMessageBox,
        "information",
        staticmethod(lambda parent, title, text, *a, **k: told.append(text)),
    )
    page.export_problems()
    export_folder = str(w.state.path("oud").parent)
    assert seen["start"].startswith(export_folder)
    assert (tmp_path / "problemen.csv").is_file()
    assert str(tmp_path / "problemen.csv") in told[-1]


def test_missing_qt_libraries_on_linux_give_the_apt_get_line():
    installed = {"xcb-icccm", "xcb-keysyms", "EGL"}
    missing = missing_linux_packages("linux", {}, lambda name: name if name in installed else None)
    assert "libxcb-cursor0" in missing
    assert "libxcb-icccm4" not in missing
    assert apt_get_line(missing).startswith("sudo apt-get install -y libxcb-cursor0")
    assert missing_linux_packages("win32", {}, lambda name: None) == []
    assert missing_linux_packages("linux", {"QT_QPA_PLATFORM": "offscreen"}, lambda n: None) == []
