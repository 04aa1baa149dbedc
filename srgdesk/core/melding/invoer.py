"""Reading the melding's TOML files (the --invoer file, a gemeente's own template or addresses).

Windows users save these with Notepad: as UTF-8 with or without BOM, as "ANSI" (cp1252) or as
"Unicode" (UTF-16). All are read (decoded by srgdesk.core.reading, like every export); a broken
file gets a Dutch message with the line number."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from srgdesk.core.errors import InvoerFout, read_input_bytes
from srgdesk.core.melding.model import INVOER_SLEUTELS, Wijzigingsmelding
from srgdesk.core.melding.scan import find_bsn
from srgdesk.core.reading import decode_text

_POSITIE_RE = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The TOML file as a dict, or InvoerFout naming the file and, for a writing error, the line
    and column (never the content of the line: it may hold a BSN)."""
    path = Path(path)
    data = read_input_bytes(
        path,
        is_map=f"Het {what} ({path}) is een map, geen bestand. Kies het bestand.",
        onleesbaar=f"Het {what} ({path}) kan niet worden gelezen. Controleer het pad.",
    )
    try:
        text, _encoding = decode_text(data)
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        positie = _POSITIE_RE.search(str(exc))
        waar = f" op regel {positie.group(1)}, kolom {positie.group(2)}" if positie else ""
        raise InvoerFout(
            f"Het {what} ({path.name}) heeft een schrijffout{waar}. Herstel het bestand: elke "
            'regel is sleutel = "waarde", met de waarde tussen aanhalingstekens.'
        ) from exc


def from_mapping(data: dict[str, Any], base: Path | None = None) -> Wijzigingsmelding:
    """A melding from the keys of an --invoer TOML file; a relative bijlage_pad is taken from
    the folder of that file."""
    unknown = sorted(set(data) - set(INVOER_SLEUTELS))
    if any(find_bsn(key) for key in unknown):
        raise InvoerFout(
            "Het invoerbestand bevat een sleutel met een nummer dat een BSN kan zijn. "
            "Haal die regel weg."
        )
    if unknown:
        raise InvoerFout(
            f"Onbekende sleutel(s): {', '.join(unknown)}. Gebruik alleen: "
            f"{', '.join(INVOER_SLEUTELS)}."
        )
    values: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict | list):
            raise InvoerFout(
                f"Bij '{key}' hoort één tekst tussen aanhalingstekens, bijvoorbeeld "
                f'{key} = "...".'
            )
        if isinstance(value, date):
            value = f"{value.year:04d}-{value.month:02d}"
        values[key] = str(value)
    melding = Wijzigingsmelding(**values)
    if melding.bijlage_pad and base is not None and not Path(melding.bijlage_pad).is_absolute():
        melding.bijlage_pad = str(base / melding.bijlage_pad)
    return melding


def read_invoer(path: Path) -> Wijzigingsmelding:
    """The melding of an --invoer TOML file."""
    path = Path(path)
    return from_mapping(read_toml(path, "invoerbestand"), base=path.parent)
