"""An unexpected error: decisions saved, a calm Dutch dialog with the log path, no BSN logged."""

from __future__ import annotations

import sys

from srgdesk.applog import setup_logging
from srgdesk.gui import crash
from srgdesk.gui.app import make_app


def test_excepthook_saves_work_and_shows_log_path(qapp, monkeypatch):
    make_app()
    log_path = setup_logging()
    saved, shown = [], []
    monkeypatch.setattr(crash, "show_crash_dialog", lambda path: shown.append(path))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash.install_excepthook(log_path, lambda: saved.append(True))
    try:
        raise RuntimeError("kapot bij BSN 123456782")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert saved == [True]
    assert shown == [log_path]
    text = log_path.read_text(encoding="utf-8")
    assert "RuntimeError" in text
    assert "123456782" not in text
