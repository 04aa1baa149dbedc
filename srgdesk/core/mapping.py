"""Propose which column holds which field, let the user override it, and keep presets per package.

Header names come first (srgdesk/core/fields.py: exact synonyms, then the words of the header),
confirmed by the column's content; columns whose header says nothing are judged by content
alone: elfproef numbers are BSNs, date columns are begin, eind or geboortedatum, gemeente names
give the gemeentecode. A field without a column can get one value for every row (`vast`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import (
    VELD_BY_NAAM,
    VELD_NAMEN,
    VERPLICHTE_VELDEN,
    header_words,
    recognise_header,
)
from srgdesk.core.gemeenten import parse_gemeentecode
from srgdesk.core.output_files import write_atomically
from srgdesk.core.reading import RawTable
from srgdesk.core.values import GEEN, OPEN, elfproef_vector, parse_date_column

SAMPLE_SIZE = 500
MIN_CONTENT_FIT = 0.8  # share of non-empty sample values that must fit a field's kind

BRON_KOPNAAM = "kopnaam"
BRON_INHOUD = "inhoud"
BRON_GEBRUIKER = "gebruiker"
BRON_PRESET = "preset"
BRON_VAST = "vast"

# Fields that may get one value for every row when the export has no column for them.
VAST_TOEGESTAAN = ("gemeentecode", "berichtgevercode", "verslagmaand", "soort", "omschrijving")


@dataclass(frozen=True)
class ColumnMapping:
    """Field name → column header (None = not present), why each choice was made, and the
    fields the user gave one value for (`vast`: field → value, used when there is no column)."""

    columns: dict[str, str | None]
    bronnen: dict[str, str] = field(default_factory=dict)
    vast: dict[str, str] = field(default_factory=dict)
    nullen: int | None = None  # pad digit-only registratienummers to this width (user's choice)

    def column(self, veld: str) -> str | None:
        return self.columns.get(veld)

    def with_override(self, veld: str, column: str | None) -> ColumnMapping:
        """A copy with one field set by the user (None clears it); a column replaces a value."""
        if veld not in VELD_BY_NAAM:
            raise KeyError(veld)
        columns = {**self.columns, veld: column}
        bronnen = {**self.bronnen, veld: BRON_GEBRUIKER}
        vast = dict(self.vast)
        if column is not None:  # one column feeds one field
            vast.pop(veld, None)
            for other, chosen in self.columns.items():
                if other != veld and chosen == column:
                    columns[other] = None
                    bronnen.pop(other, None)
        return replace(self, columns=columns, bronnen=bronnen, vast=vast)

    def with_vast(self, veld: str, waarde: str | None) -> ColumnMapping:
        """A copy where `veld` has one value for every row (no column); None or '' removes it."""
        if veld not in VELD_BY_NAAM:
            raise KeyError(veld)
        vast = {k: v for k, v in self.vast.items() if k != veld}
        columns, bronnen = dict(self.columns), dict(self.bronnen)
        if waarde is not None and waarde.strip():
            vast[veld] = waarde.strip()
            columns[veld] = None
            bronnen[veld] = BRON_VAST
        elif bronnen.get(veld) == BRON_VAST:
            del bronnen[veld]
        return replace(self, columns=columns, bronnen=bronnen, vast=vast)

    def missing_required(self) -> list[str]:
        return [
            veld
            for veld in VERPLICHTE_VELDEN
            if not self.columns.get(veld) and not self.vast.get(veld)
        ]

    def to_json(self) -> dict:
        return {
            "columns": dict(self.columns),
            "bronnen": dict(self.bronnen),
            "vast": dict(self.vast),
            "nullen": self.nullen,
        }

    @classmethod
    def from_json(cls, data: dict) -> ColumnMapping:
        columns = {veld: data.get("columns", {}).get(veld) for veld in VELD_NAMEN}
        vast = {k: str(v) for k, v in data.get("vast", {}).items() if k in VELD_BY_NAAM}
        nullen = data.get("nullen")
        return cls(
            columns=columns,
            bronnen=dict(data.get("bronnen", {})),
            vast=vast,
            nullen=int(nullen) if isinstance(nullen, int) and 0 < nullen <= 15 else None,
        )


def propose_mapping(table: RawTable) -> ColumnMapping:
    """Best guess for every field: header names first (strongest first, each confirmed by the
    content), then the content of the columns whose header said nothing."""
    sample = table.cells.head(SAMPLE_SIZE)
    columns: dict[str, str | None] = dict.fromkeys(VELD_NAMEN)
    bronnen: dict[str, str] = {}
    named = []
    for order, header in enumerate(table.headers):
        herkend = recognise_header(header)
        if herkend.veld:
            named.append((-herkend.score, order, herkend.veld, header))
    used: set[str] = set()
    for _score, _order, veld, header in sorted(named):
        if columns[veld] is None and header not in used and content_fits(veld, sample[header]):
            columns[veld], bronnen[veld] = header, BRON_KOPNAAM
            used.add(header)
    anonymous = [
        h
        for h in table.headers
        if h not in used and recognise_header(h).veld is None and _has_values(sample[h])
    ]
    for veld, header in _by_content(sample, anonymous, columns).items():
        columns[veld], bronnen[veld] = header, BRON_INHOUD
    return ColumnMapping(columns=columns, bronnen=bronnen)


def apply_overrides(
    mapping: ColumnMapping, overrides: dict[str, str | None], table: RawTable
) -> ColumnMapping:
    """Apply user choices (field → header); an unknown header is one clear Dutch error."""
    for veld, header in overrides.items():
        if veld not in VELD_BY_NAAM:
            raise InvoerFout(f"Onbekend veld '{veld}'. Velden: {', '.join(VELD_NAMEN)}.")
        if header is not None and header not in table.headers:
            raise InvoerFout(
                f"Kolom '{header}' staat niet in {table.name}. Kolommen: {', '.join(table.headers)}."
            )
        mapping = mapping.with_override(veld, header)
    return mapping


def apply_vaste_waarden(mapping: ColumnMapping, vast: dict[str, str]) -> ColumnMapping:
    """Give fields one value for every row; a value that cannot be right is one Dutch error."""
    for veld, waarde in vast.items():
        mapping = mapping.with_vast(veld, check_vaste_waarde(veld, waarde))
    return mapping


def check_vaste_waarde(veld: str, waarde: str) -> str:
    """The value as it will be used ('Den Haag' → '0518'), or an InvoerFout saying what is wrong."""
    if veld not in VAST_TOEGESTAAN:
        toegestaan = ", ".join(VAST_TOEGESTAAN)
        raise InvoerFout(
            f"Voor '{veld}' kan geen vaste waarde worden gegeven; dat kan alleen voor: {toegestaan}."
        )
    text = waarde.strip()
    if veld == "gemeentecode":
        code = parse_gemeentecode(text)
        if code is None:
            raise InvoerFout(
                f"'{text}' is geen gemeentecode of gemeentenaam die srgdesk kent. "
                "Geef de CBS-gemeentecode van 4 cijfers, bijvoorbeeld 0363."
            )
        return code
    if veld == "berichtgevercode" and not re.fullmatch(r"\d{1,4}", text):
        raise InvoerFout(
            f"Berichtgevercode '{text}' is geen code van 4 cijfers. Geef de code die CBS u gaf."
        )
    if veld == "berichtgevercode":
        return text.zfill(4)
    if veld == "verslagmaand":
        compact = text.replace("-", "")
        if not (len(compact) == 6 and compact.isdigit() and 1 <= int(compact[4:]) <= 12):
            raise InvoerFout(
                f"Verslagmaand '{text}' is ongeldig. Schrijf JJJJMM, bijvoorbeeld 202401."
            )
        return compact
    if not text:
        raise InvoerFout(f"Geef een waarde voor '{veld}', bijvoorbeeld {veld}=01.")
    return text


def require_complete(mapping: ColumnMapping, table: RawTable) -> None:
    """Raise one Dutch error naming each missing required field and how to supply it."""
    missing = mapping.missing_required()
    if missing:
        labels = ", ".join(VELD_BY_NAAM[v].label for v in missing)
        vast = [v for v in missing if v in VAST_TOEGESTAAN]
        hint = (
            f" Staat er één waarde voor alle regels, geef die dan op (bij de opdrachtregel: "
            f"--vast-oud {vast[0]}=WAARDE of --vast-nieuw {vast[0]}=WAARDE)."
            if vast
            else ""
        )
        raise InvoerFout(
            f"In {table.name} is geen kolom gevonden voor: {labels}. "
            f"Gevonden kolommen: {', '.join(table.headers)}. "
            f"Wijs de kolom zelf aan, of voeg de kolom toe aan de export.{hint}"
        )


def _has_values(column: pd.Series) -> bool:
    return any(value.strip() for value in _texts(column))


def _texts(column: pd.Series) -> list[str]:
    """The cells as text (`astype(str)`), without a pass when they are text already."""
    listed = column.tolist()
    if set(map(type, listed)) <= {str}:  # every cell exactly a str (one C loop, no generator)
        return listed
    return column.astype(str).tolist()


def _filled(column: pd.Series) -> pd.Series:
    values = column.astype(str).str.strip()
    return values[values != ""]


@dataclass(frozen=True)
class _Gevuld:
    """The non-empty (stripped) values of a sample column as distinct values and how often each
    occurs: a share of the rows is judged once per distinct value, weighted by its count (the
    columns of an export repeat heavily). Same shares as judging every row."""

    waarden: list[str]  # distinct, first seen first
    aantallen: list[int]
    totaal: int

    @classmethod
    def van(cls, column: pd.Series | _Gevuld) -> _Gevuld:
        if isinstance(column, _Gevuld):
            return column
        counts = Counter(map(str.strip, _texts(column)))
        counts.pop("", None)
        return cls(list(counts), list(counts.values()), sum(counts.values()))

    def share(self, fits: Callable[[str], object]) -> float:
        """Share of the non-empty rows whose value fits (a regex match or a bool)."""
        pairs = zip(self.waarden, self.aantallen, strict=True)
        return sum(count for value, count in pairs if fits(value)) / self.totaal

    def share_where(self, mask: np.ndarray) -> float:
        """Share of the non-empty rows whose distinct value is flagged in `mask`."""
        return int(np.asarray(self.aantallen, dtype=np.int64)[mask].sum()) / self.totaal


def date_share(column: pd.Series | _Gevuld, open_ok: bool = False) -> float:
    """Share of non-empty values that are dates in any accepted form (Excel serials included)."""
    values = _Gevuld.van(column)
    if not values.totaal:
        return 0.0
    unique = pd.Series(values.waarden, dtype=object)
    days, _ = parse_date_column(unique, "", empty_is_open=open_ok)
    # a small plain number is a code, not an Excel serial (10000 is in 1927)
    days[[_SMALL_NUMBER.fullmatch(v) is not None for v in values.waarden]] = GEEN
    # a date-shaped impossible date (31-02-2024) is still a date column: cleaning reports it
    shaped = np.array([_DATE_SHAPE.match(v) is not None for v in values.waarden], dtype=bool)
    return values.share_where((days != GEEN) | shaped)


_SMALL_NUMBER = re.compile(r"\d{1,4}(\.0+)?")
_DATE_SHAPE = re.compile(r"^(\d{8}|\d{4}-\d{1,2}-\d{1,2}.*|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}.*)$")
_BSN_NOISE = re.compile(r"[ .]")
_BSN_SHAPE = re.compile(r"\d{8,9}")


def _bsn_share(values: _Gevuld) -> float:
    digits = [_BSN_NOISE.sub("", value) for value in values.waarden]
    plain = np.array([_BSN_SHAPE.fullmatch(value) is not None for value in digits], dtype=bool)
    if not plain.any():
        return 0.0
    valid = np.zeros(len(digits), dtype=bool)
    valid[plain] = elfproef_vector(
        np.array([value.zfill(9) for value, ok in zip(digits, plain, strict=True) if ok], object)
    )
    return values.share_where(valid)


def looks_like_bsn_column(column: pd.Series) -> bool:
    """Whether at least half of a column's first values pass the elfproef (then mask them)."""
    values = _Gevuld.van(column.head(200))
    return bool(values.totaal) and _bsn_share(values) >= 0.5


_GEMEENTE_NUMBER = re.compile(r"(?i)(GM)?\s*\d+")


def gemeente_name_share(column: pd.Series | _Gevuld) -> float:
    """Share of distinct non-empty values that name a gemeente ('Den Haag', "'s-Gravenhage")."""
    values = _Gevuld.van(column).waarden
    if not values:
        return 0.0
    names = [v for v in values if not _GEMEENTE_NUMBER.fullmatch(v)]
    if not names:
        return 0.0
    return sum(parse_gemeentecode(v) is not None for v in names) / len(values)


# What the values of each kind of field look like (judged with fullmatch, per distinct value).
_SHAPES = {
    "bsn": re.compile(r"[0-9 .]{7,11}"),
    "code": re.compile(r"(?i)(GM)?\s*\d{1,4}(\.0+)?"),
    "maand": re.compile(r"\d{4}-?\d{1,2}|\d{1,2}(\.0+)?"),
    "jaar": re.compile(r"(19|20)\d\d(\.0+)?"),
    "getal": re.compile(r"\d{1,3}([.,]\d+)?%?"),
    "registratienummer": re.compile(r"\S{1,20}"),
}
_DIGIT = re.compile(r"\d")


def content_fits(veld: str, column: pd.Series, strict: bool = False) -> bool:
    """Whether the sample values look like the field. Lenient for a header match (only refuse a
    clear misfit, e.g. a 'Gemeente' column of unknown names), strict for content alone."""
    values = _Gevuld.van(column)
    if not values.totaal:
        return not strict
    kind = VELD_BY_NAAM[veld].soort
    threshold = MIN_CONTENT_FIT if strict else 0.5
    if kind == "bsn" and strict:
        share = _bsn_share(values)
    elif kind == "datum" and strict:
        share = date_share(values, open_ok=veld == "einddatum")
    elif kind == "datum":  # under a date header, a notation srgdesk does not know is reported
        share = values.share(_DIGIT.search)  # (enough on its own, as it mostly is: no dates parsed)
        if share < threshold:
            share = max(date_share(values, open_ok=veld == "einddatum"), share)
    elif kind in ("bsn", "code", "maand", "jaar", "getal"):
        # under a BSN header, a typo must reach cleaning and be reported there
        share = values.share(_SHAPES[kind].fullmatch)
        if veld == "gemeentecode" and share < threshold:
            share = gemeente_name_share(values)
    elif veld == "registratienummer":  # an identifier: short, no spaces (not a description)
        share = values.share(_SHAPES[veld].fullmatch)
    else:
        return True
    return bool(share >= threshold)


def _is_meaningless(header: str) -> bool:
    """'Kolom C', 'Unnamed: 3', '' : a header that tells nothing about the column."""
    return not header_words(header) or bool(
        re.fullmatch(r"(?i)(kolom|column|unnamed)\W*\w{0,3}", header.strip())
    )


def _by_content(
    sample: pd.DataFrame, headers: list[str], columns: dict[str, str | None]
) -> dict[str, str]:
    """Fields for columns whose header says nothing, judged by their values alone."""
    found: dict[str, str] = {}
    free = list(headers)

    def take(veld: str, header: str) -> None:
        found[veld] = header
        free.remove(header)

    if columns["bsn"] is None:
        for header in free:
            if content_fits("bsn", sample[header], strict=True):
                take("bsn", header)
                break
    if columns["gemeentecode"] is None:
        for header in free:
            if gemeente_name_share(sample[header]) >= MIN_CONTENT_FIT:
                take("gemeentecode", header)
                break
    if columns["verslagmaand"] is None:
        for header in free:
            values = _filled(sample[header])
            if len(values) and values.str.fullmatch(r"(19|20)\d\d(0[1-9]|1[0-2])").mean() >= 0.95:
                take("verslagmaand", header)
                break
    # Columns without any telling header (a file without a header row): dates and identifiers.
    blank = [h for h in free if _is_meaningless(h)]
    dates = [h for h in blank if date_share(sample[h], open_ok=True) >= MIN_CONTENT_FIT]
    _dates_by_content(sample, dates, columns, found)
    for header in found.values():
        if header in blank:
            blank.remove(header)
    _text_by_content(sample, blank, columns, found)
    return found


@dataclass(frozen=True)
class _DatumKolom:
    """What tells date columns apart: how often empty or open, and where their dates lie."""

    leeg: float  # share of sample rows empty or open
    mediaan: float  # median day number (0 when no real date)

    @property
    def jaar(self) -> float:
        return 1970 + self.mediaan / 365.25 if self.mediaan else 0.0


def _dates_by_content(
    sample: pd.DataFrame, headers: list[str], columns: dict[str, str | None], found: dict[str, str]
) -> None:
    """Date columns without a header: birth dates lie decades back, an einddatum column has empty
    or open cells and lies after the begindatum column; the fullest remaining one is the begin."""
    info: dict[str, _DatumKolom] = {}
    for header in headers:
        values = _filled(sample[header])
        days, _ = parse_date_column(values.reset_index(drop=True), "", empty_is_open=True)
        real = days[(days != GEEN) & (days != OPEN)]
        open_share = float(np.mean(days == OPEN)) if len(days) else 1.0
        leeg = 1 - len(values) / max(len(sample), 1) + open_share
        info[header] = _DatumKolom(leeg, float(np.median(real)) if len(real) else 0.0)
    remaining = list(headers)
    if columns["geboortedatum"] is None:
        births = [h for h in remaining if 1900 < info[h].jaar < 2005 and info[h].leeg == 0]
        if len(births) == 1:
            found["geboortedatum"] = births[0]
            remaining.remove(births[0])
    begin = [h for h in remaining if info[h].leeg == 0]
    if columns["begindatum"] is None and begin:
        first = min(begin, key=lambda h: info[h].mediaan)
        found["begindatum"] = first
        remaining.remove(first)
    if columns["einddatum"] is None and remaining:
        found["einddatum"] = max(remaining, key=lambda h: (info[h].leeg, info[h].mediaan))


def _text_by_content(
    sample: pd.DataFrame, headers: list[str], columns: dict[str, str | None], found: dict[str, str]
) -> None:
    """Without a header: the registratienummer is the column of distinct short identifiers, the
    soort the column of a few short codes, the omschrijving a few longer texts."""
    stats = {}
    for header in headers:
        values = _filled(sample[header])
        if len(values) < len(sample) * 0.95 or values.str.len().max() > 60:
            continue
        distinct = values.nunique() / len(values)
        stats[header] = (distinct, values.str.len().mean(), values.str.contains(" ").mean())
    ids = [
        h
        for h, (distinct, length, spaces) in stats.items()
        if distinct >= 0.95 and length <= 15 and spaces == 0
    ]
    if columns["registratienummer"] is None and "registratienummer" not in found and ids:
        found["registratienummer"] = ids[0]
        del stats[ids[0]]
    few = [
        h
        for h, (distinct, _l, _s) in stats.items()
        if distinct <= 0.5 and _filled(sample[h]).nunique() > 1  # a constant is no soort
    ]
    codes = [h for h in few if stats[h][1] <= 10 and stats[h][2] == 0]
    if columns["soort"] is None and codes:
        found["soort"] = codes[0]
        few.remove(codes[0])
    texts = [h for h in few if stats[h][1] > 3]
    if columns["omschrijving"] is None and texts:
        found["omschrijving"] = texts[0]


# --- presets ---------------------------------------------------------------------------------


def save_preset(folder: Path, naam: str, mapping: ColumnMapping) -> Path:
    """Store a named mapping for a package ('Suite4Sociaal Domein') as JSON in `folder`."""
    safe = re.sub(r"[^\w\- ]", "_", naam).strip() or "preset"
    payload = {"versie": 1, "naam": naam, **mapping.to_json()}
    data = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    return write_atomically(folder / f"{safe}.json", lambda stream: stream.write(data))


def load_presets(folder: Path) -> dict[str, ColumnMapping]:
    """All readable presets in `folder`, by name; unreadable files are skipped."""
    presets: dict[str, ColumnMapping] = {}
    if not folder.is_dir():
        return presets
    for path in sorted(folder.glob("*.json")):
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            presets[payload.get("naam", path.stem)] = replace(
                ColumnMapping.from_json(payload),
                bronnen=dict.fromkeys(payload.get("columns", {}), BRON_PRESET),
            )
        except (OSError, ValueError, AttributeError):
            continue
    return presets


def apply_preset(preset: ColumnMapping, table: RawTable, fallback: ColumnMapping) -> ColumnMapping:
    """Use the preset's columns that exist in this table; keep the proposal for the rest."""
    columns = dict(fallback.columns)
    bronnen = dict(fallback.bronnen)
    for veld, header in preset.columns.items():
        if header and header in table.headers:
            columns[veld], bronnen[veld] = header, BRON_PRESET
    vast = {v: w for v, w in {**fallback.vast, **preset.vast}.items() if not columns.get(v)}
    return ColumnMapping(columns, bronnen, vast, preset.nullen or fallback.nullen)
