"""Small user settings (last folder, window size) and the session file, kept as JSON in the
app-data folder, private to the user (0600, like everything srgdesk writes there).

A session file that cannot be used (not JSON, another version, wrong types) never blocks the
start: it is kept aside as `sessie.beschadigd-<tijd>.json` and the user is told.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from srgdesk.applog import data_dir, make_private
from srgdesk.core.errors import InvoerFout
from srgdesk.core.output_files import write_atomically
from srgdesk.core.review import Sessiebestand, load_session

log = logging.getLogger("srgdesk.gui")
SETTINGS_FILE = "instellingen.json"
SESSION_FILE = "sessie.json"
DAMAGED_SESSION = "sessie.beschadigd-{tijd}.json"


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
    data = json.dumps(settings, indent=1).encode("utf-8")
    try:
        write_atomically(data_dir() / SETTINGS_FILE, lambda stream: stream.write(data))
    except (OSError, InvoerFout):
        log.warning("Instellingen konden niet worden opgeslagen")


def last_folder() -> str:
    folder = load_settings().get("laatste_map", "")
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember_folder(path: Path | str) -> None:
    path = Path(path)
    save_setting("laatste_map", str(path if path.is_dir() else path.parent))


# --- the session file at start-up --------------------------------------------------------------


@dataclass(frozen=True)
class SessieLezing:
    """What the start found: a usable session (or None) and, when the file was damaged and set
    aside, the Dutch message to show."""

    sessie: Sessiebestand | None
    melding: str | None = None


def read_session(path: Path | None = None) -> SessieLezing:
    """The saved session, or None; never raises. A damaged file is set aside, not deleted."""
    path = path or session_path()
    if not path.is_file():
        return SessieLezing(None)
    try:
        saved = load_session(path)
        problem = session_problem(saved)
    except InvoerFout as fout:
        problem = fout.melding
    except (ValueError, TypeError, KeyError, AttributeError, OSError) as exc:
        problem = f"het bestand is beschadigd ({type(exc).__name__})"
    if problem is None:
        return SessieLezing(saved)
    log.warning("Sessiebestand niet bruikbaar: %s", problem)
    aside = set_aside(path)
    where = f"opzij gezet als {aside}" if aside else "niet te verplaatsen en wordt overschreven"
    return SessieLezing(
        None,
        f"Uw vorige sessie kon niet worden teruggezet: het sessiebestand is {where}. "
        "U begint opnieuw; uw invoerbestanden zijn niet veranderd.",
    )


def session_problem(saved: Sessiebestand) -> str | None:
    """What makes a loaded session unusable (a value of the wrong type), or None."""

    def is_dict_of(value: object, kind: type | tuple[type, ...]) -> bool:
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, kind) for k, v in value.items()
        )

    wrong = [
        name
        for name, ok in (
            ("bestanden", is_dict_of(saved.bestanden, dict)),
            ("aanleiding", isinstance(saved.aanleiding, str)),
            ("mapping", is_dict_of(saved.mapping, dict)),
            ("werkbladen", is_dict_of(saved.werkbladen, (str, type(None)))),
            ("codes", is_dict_of(saved.codes, str)),
            ("besluiten", isinstance(saved.besluiten, list)),
            ("stap", isinstance(saved.stap, str)),
            ("afgerond", isinstance(saved.afgerond, bool)),
            ("bijgewerkt", isinstance(saved.bijgewerkt, str)),
        )
        if not ok
    ]
    if not wrong:
        for info in saved.bestanden.values():
            if not isinstance(info.get("pad"), str) or not info["pad"]:
                wrong.append("bestanden.pad")
        for mapping in saved.mapping.values():
            if not is_dict_of(mapping.get("columns", {}), (str, type(None))):
                wrong.append("mapping.columns")
            if not is_dict_of(mapping.get("bronnen", {}), str):
                wrong.append("mapping.bronnen")
        if not all(isinstance(item, dict) for item in saved.besluiten):
            wrong.append("besluiten")
    if wrong:
        return f"onverwachte waarden in {', '.join(sorted(set(wrong)))}"
    return None


def set_aside(path: Path) -> str | None:
    """Rename a damaged session to sessie.beschadigd-<tijd>.json; its name, or None."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(DAMAGED_SESSION.format(tijd=stamp))
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(DAMAGED_SESSION.format(tijd=f"{stamp}-{counter}"))
    try:
        os.replace(path, target)
    except OSError:
        log.warning("Beschadigd sessiebestand kon niet opzij worden gezet")
        return None
    make_private(target)
    return target.name
