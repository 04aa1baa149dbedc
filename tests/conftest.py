"""Every test keeps srgdesk's own files (log, settings, session) in a temporary app-data folder.

Without this, a test that ends in the CLI's last-resort handler or opens the wizard writes to the
real user's srgdesk.log and sessie.json.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

from srgdesk.gui.smoke import prepare_environment

# Set before any test module is imported, and inherited by every subprocess a test starts.
os.environ["SRGDESK_DATA_DIR"] = _SESSION_APP_DATA = tempfile.mkdtemp(
    prefix="srgdesk-test-appdata-"
)
atexit.register(shutil.rmtree, _SESSION_APP_DATA, ignore_errors=True)
# Qt offscreen, as the smoke test runs it; on Windows with the fonts folder that Qt's offscreen
# platform does not find by itself (without it every glyph is an empty box).
prepare_environment(os.environ)


@pytest.fixture(autouse=True)
def app_data_dir(tmp_path, monkeypatch):
    """A fresh app-data folder per test."""
    folder = tmp_path / "appdata"
    monkeypatch.setenv("SRGDESK_DATA_DIR", str(folder))
    return folder
