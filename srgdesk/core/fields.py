"""The canonical fields of a voorziening and the header names packages use for them."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache

from srgdesk.core.resources import resource_path


@dataclass(frozen=True)
class Veld:
    """One canonical field: its identifier, a Dutch label, whether a column must exist, its kind."""

    naam: str
    label: str
    verplicht: bool
    soort: str  # "code", "bsn", "maand", "tekst", "datum", "getal"


VELDEN: tuple[Veld, ...] = (
    Veld("gemeentecode", "Gemeentecode", True, "code"),
    Veld("berichtgevercode", "Berichtgevercode", True, "code"),
    Veld("verslagmaand", "Verslagmaand", False, "maand"),
    Veld("bsn", "BSN", True, "bsn"),
    Veld("registratienummer", "Registratienummer voorziening", True, "tekst"),
    Veld("soort", "Soort voorziening (code)", True, "tekst"),
    Veld("omschrijving", "Omschrijving voorziening", False, "tekst"),
    Veld("begindatum", "Begindatum voorziening", True, "datum"),
    Veld("einddatum", "Einddatum voorziening", True, "datum"),
    Veld("geboortedatum", "Geboortedatum", False, "datum"),
    Veld("loonwaarde", "Loonwaarde", False, "getal"),
)
# Month names for verslagmaand and ingangsmaand in Dutch text ("januari 2024").
MAANDEN: tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
VELD_NAMEN: tuple[str, ...] = tuple(v.naam for v in VELDEN)
VELD_BY_NAAM: dict[str, Veld] = {v.naam: v for v in VELDEN}
VERPLICHTE_VELDEN: tuple[str, ...] = tuple(v.naam for v in VELDEN if v.verplicht)


def normalise_header(name: str) -> str:
    """Lower case, accents removed, only letters and digits: 'Registratie-nr.' → 'registratienr'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9%]", "", plain.lower())


@cache
def synonyms() -> dict[str, str]:
    """Normalised header name → field name, from resources/synonyms.toml."""
    with resource_path("synonyms.toml").open("rb") as stream:
        raw = tomllib.load(stream)
    table: dict[str, str] = {}
    for veld in VELD_NAMEN:
        table[normalise_header(veld)] = veld
        for name in raw.get(veld, {}).get("names", []):
            table.setdefault(normalise_header(name), veld)
    return table


def field_for_header(name: str) -> str | None:
    return synonyms().get(normalise_header(name))


def header_match_count(cells: list[str]) -> int:
    """How many cells of a row are known header names (used to find the header row)."""
    return sum(1 for cell in cells if field_for_header(cell))
