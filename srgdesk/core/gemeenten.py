"""The gemeenten and the herindelingen since 2019, read from resources/ (no network, no Qt).

The lists change when gemeenten merge; they live in CSV files so a new list needs no code
change. See data/BRON.md for sources and known gaps (mergers after 2023 are not in the list).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from srgdesk.core.errors import InvoerFout
from srgdesk.core.resources import resource_path

_CODE_RE = re.compile(r"^(?:GM)?\s*(\d{1,4})$", re.IGNORECASE)


@dataclass(frozen=True)
class Gemeente:
    """One CBS gemeentecode; `geldig_tot` is the first day the gemeente no longer exists."""

    code: str
    naam: str
    geldig_vanaf: date | None = None
    geldig_tot: date | None = None
    aliassen: tuple[str, ...] = ()  # what people also call it: 'Den Haag' for 's-Gravenhage

    def bestaat_op(self, dag: date) -> bool:
        if self.geldig_vanaf and dag < self.geldig_vanaf:
            return False
        return not (self.geldig_tot and dag >= self.geldig_tot)

    @property
    def opgeheven(self) -> bool:
        return self.geldig_tot is not None

    @property
    def label(self) -> str:
        """'Súdwest-Fryslân (1900)', as shown in lists and in the email."""
        return f"{self.naam} ({self.code})"


@dataclass(frozen=True)
class Herindeling:
    """One old gemeente going (wholly or partly) into one new gemeente on `datum`."""

    datum: date
    oude_code: str
    oude_naam: str
    nieuwe_code: str
    nieuwe_naam: str


def normalise_code(value: object) -> str | None:
    """'363', 'GM0363', ' 0363 ' → '0363'; None when it cannot be a gemeentecode."""
    if value is None:
        return None
    match = _CODE_RE.match(str(value).strip())
    return match.group(1).zfill(4) if match else None


def _parse_date(text: str, path: Path, line: int) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvoerFout(
            f"{path.name} regel {line}: '{text}' is geen datum (JJJJ-MM-DD). "
            "Herstel het bestand of installeer srgdesk opnieuw."
        ) from exc


def _rows(path: Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream, delimiter=";")
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InvoerFout(
                    f"{path.name} mist de kolom(men) {', '.join(missing)}. "
                    "Herstel het bestand of installeer srgdesk opnieuw."
                )
            return [(number, row) for number, row in enumerate(reader, start=2)]
    except OSError as exc:
        raise InvoerFout(
            f"De lijst met gemeenten ({path.name}) kan niet worden gelezen. "
            "Installeer srgdesk opnieuw."
        ) from exc


@cache
def load_gemeenten(path: Path | None = None) -> dict[str, Gemeente]:
    """Code → gemeente, current and former ones."""
    path = path or resource_path("gemeenten.csv")
    result: dict[str, Gemeente] = {}
    columns = ["gemeentecode", "gemeentenaam", "geldig_vanaf", "geldig_tot"]
    for line, row in _rows(path, columns):
        code = normalise_code(row["gemeentecode"])
        if code is None:
            continue
        result[code] = Gemeente(
            code=code,
            naam=row["gemeentenaam"].strip(),
            geldig_vanaf=_parse_date(row["geldig_vanaf"] or "", path, line),
            geldig_tot=_parse_date(row["geldig_tot"] or "", path, line),
            aliassen=tuple(a.strip() for a in (row.get("aliassen") or "").split("|") if a.strip()),
        )
    return result


@cache
def load_herindelingen(path: Path | None = None) -> tuple[Herindeling, ...]:
    """Every old → new pair, in file order (a split gemeente has several rows)."""
    path = path or resource_path("herindelingen.csv")
    columns = [
        "datum",
        "oude_gemeentecode",
        "oude_gemeentenaam",
        "nieuwe_gemeentecode",
        "nieuwe_gemeentenaam",
    ]
    result = []
    for line, row in _rows(path, columns):
        datum = _parse_date(row["datum"] or "", path, line)
        oud, nieuw = (
            normalise_code(row["oude_gemeentecode"]),
            normalise_code(row["nieuwe_gemeentecode"]),
        )
        if datum is None or oud is None or nieuw is None:
            continue
        result.append(
            Herindeling(
                datum,
                oud,
                row["oude_gemeentenaam"].strip(),
                nieuw,
                row["nieuwe_gemeentenaam"].strip(),
            )
        )
    return tuple(result)


def gemeente(code: object) -> Gemeente | None:
    """The gemeente for a code in any usual spelling ('363', 'GM0363'), or None."""
    normalised = normalise_code(code)
    return load_gemeenten().get(normalised) if normalised else None


def gemeentenaam(code: object) -> str | None:
    found = gemeente(code)
    return found.naam if found else None


def _sort_key(item: Gemeente) -> str:
    # "'s-Gravenhage" sorts under S, as people look for it.
    return item.naam.lstrip("'").casefold()


def huidige_gemeenten(op: date | None = None) -> list[Gemeente]:
    """The gemeenten that exist on `op` (default: today), sorted by name."""
    dag = op or date.today()
    return sorted((g for g in load_gemeenten().values() if g.bestaat_op(dag)), key=_sort_key)


def opgegaan_in(oude_code: object) -> list[Herindeling]:
    """Where a merged gemeente went: one row, or several when it was split (Haaren)."""
    code = normalise_code(oude_code)
    return [h for h in load_herindelingen() if h.oude_code == code]


def samengevoegd_tot(nieuwe_code: object, op: date | None = None) -> list[Herindeling]:
    """The gemeenten that went into `nieuwe_code`; with `op`, only the latest herindeling on or
    before that day (Groningen took in Ten Boer and Haren in 2019, nothing later)."""
    code = normalise_code(nieuwe_code)
    rows = [h for h in load_herindelingen() if h.nieuwe_code == code]
    if op is not None:
        rows = [h for h in rows if h.datum <= op]
        if rows:
            latest = max(h.datum for h in rows)
            rows = [h for h in rows if h.datum == latest]
    return rows


def _name_key(text: str) -> str:
    """'\'s-Gravenhage', 'S GRAVENHAGE' → 's gravenhage': case, accents and punctuation ignored."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


@cache
def _codes_by_name() -> dict[str, tuple[str, ...]]:
    """Every spelling of every gemeente name (with and without the province, aliases) → codes."""
    index: dict[str, list[str]] = {}
    for item in load_gemeenten().values():
        names = {item.naam, *item.aliassen}
        short = re.sub(r"\s*\([^)]*\)$", "", item.naam)  # 'Bergen (NH.)' → 'Bergen'
        names.add(short)
        for name in names:
            keys = {_name_key(name)}
            keys.add(re.sub(r"^s ", "", _name_key(name)))  # 'Gravenhage'
            for key in keys:
                if key and item.code not in index.setdefault(key, []):
                    index[key].append(item.code)
    return {key: tuple(codes) for key, codes in index.items()}


_LABEL_RE = re.compile(r"\((?:GM)?\s*(\d{1,4})\)\s*(?:\(opgeheven\))?$", re.IGNORECASE)


def parse_gemeentecode(value: object, op: date | None = None) -> str | None:
    """The one parser for what a user or an export writes for a gemeente: a code in any usual
    spelling ('363', 'GM0363', '363.0'), a label ('Amsterdam (0363)') or a name or alias
    ('Den Haag', 'Haag', "'s-Hertogenbosch", 'súdwest fryslan'). None when it names no gemeente
    or several (plain 'Bergen'); a name shared by an old and a current gemeente gives the one
    that exists on `op` (default: today)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    code = normalise_code(re.sub(r"\.0+$", "", text))
    if code is not None:
        return code
    label = _LABEL_RE.search(text)
    if label:
        return label.group(1).zfill(4)
    codes = _codes_by_name().get(_name_key(text), ())
    if len(codes) > 1:
        dag = op or date.today()
        codes = tuple(c for c in codes if load_gemeenten()[c].bestaat_op(dag))
    return codes[0] if len(codes) == 1 else None
