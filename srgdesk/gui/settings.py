"""Small user settings (last folder, window size) kept as JSON in the app-data folder."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from srgdesk.applog import data_dir

log = logging.getLogger("srgdesk.gui")
SETTINGS_FILE = "instellingen.json"
SESSION_FILE = "sessie.json"


def session_path() -> Path:
    return data_dir() / SESSION_FILE


def presets_dir() -> Path:
    return data_dir() / "presets"


def load_settings() -> dict:
    try:
        data = json.loads((data_dir() / SETTINGS_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_setting(name: str, value: object) -> None:
    """Remember one value; a failure here must never stop the user's work."""
    settings = load_settings()
    settings[name] = value
    try:
        (data_dir() / SETTINGS_FILE).write_text(json.dumps(settings, indent=1), encoding="utf-8")
    except OSError:
        log.warning("Instellingen konden niet worden opgeslagen")


def last_folder() -> str:
    folder = load_settings().get("laatste_map", "")
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember_folder(path: Path | str) -> None:
    path = Path(path)
    save_setting("laatste_map", str(path if path.is_dir() else path.parent))
