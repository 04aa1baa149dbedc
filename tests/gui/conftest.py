"""GUI tests run offscreen, with app data in a temporary folder and no modal dialog blocking."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtWidgets import QMessageBox
from walk import start

from srgdesk.gui.worker import TaskRunner


@pytest.fixture(autouse=True)
def isolated_app_data(tmp_path, monkeypatch):
    """Never touch the real user folder; answer Yes/OK to any question box."""
    folder = tmp_path / "appdata"
    monkeypatch.setenv("SRGDESK_DATA_DIR", str(folder))
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok)
    )
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok)
    )
    return asked


@pytest.fixture
def wizard(qtbot):
    """The wizard as the program opens it (Dutch Qt texts), shown."""
    return start(qtbot)


@pytest.fixture
def runner(qapp):
    runner = TaskRunner()
    yield runner
    runner.shutdown()
