"""RawTable, and the step every reader shares: a grid of text cells → header, data rows, facts.

The header row is found among the first rows (titles above it are skipped); a group row above
short sub-headers is merged into one name per column; a file whose first row is already data
gets the names "Kolom A", "Kolom B", … and keeps that row as data. A BSN never becomes a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import SupportsIndex, overload

import numpy as np
import pandas as pd

from srgdesk.core.bsn import bsn_is_valid
from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import header_match_count
from srgdesk.core.reading.limits import Limieten, te_veel_regels

DELIMITER_NAMES = {";": "puntkomma (;)", ",": "komma (,)", "\t": "tab", "|": "verticale streep (|)"}


class Lezer(StrEnum):
    """Which parser produced the cells (tests assert it; inspect may show it)."""

    CSV_SNEL = "csv-snel"  # pandas' C parser: regular files
    CSV_ZORGVULDIG = "csv-zorgvuldig"  # the csv module, line by line: ragged or damaged files
    CALAMINE = "calamine"  # xlsx, xlsm, xls, ods
    HTML = "html"  # an HTML table saved as .xls
    XML_2003 = "xml-2003"  # Excel's XML Spreadsheet 2003


@dataclass(frozen=True)
class Leesprobleem:
    """A row that was read, but not the normal way; `reden` is Dutch and holds no cell values."""

    regel: int  # row number as Excel shows it (1-based)
    reden: str
    verwijzing: str = ""  # 'Blad2!17' when several sheets were read together, else ''

    def tekst(self) -> str:
        return f"Regel {self.verwijzing or self.regel}: {self.reden}"


class Regelnummers(Sequence[int]):
    """The Excel row number of each data row: a read-only sequence of ints over one numpy array.

    A list of 100k Python ints takes longer to build than the rest of a table, and cleaning
    wants the numbers as an array anyway (np.asarray gives a copy of it, no int objects). It is
    equal to the list of the same numbers, and slices are lists."""

    __slots__ = ("_nummers",)

    def __init__(self, nummers: np.ndarray) -> None:
        self._nummers = np.asarray(nummers, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._nummers)

    @overload
    def __getitem__(self, index: SupportsIndex) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> int | list[int]:
        if isinstance(index, slice):
            return self._nummers[index].tolist()
        return int(self._nummers[index])

    def __iter__(self) -> Iterator[int]:
        return iter(self._nummers.tolist())

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int | np.integer) and bool((self._nummers == value).any())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Regelnummers):
            return bool(np.array_equal(self._nummers, other._nummers))
        if isinstance(other, list):
            return self._nummers.tolist() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like a list: equal to one, so not hashable

    def __repr__(self) -> str:
        return repr(self._nummers.tolist())

    def __array__(self, dtype: np.dtype | None = None, copy: bool | None = None) -> np.ndarray:
        """A copy (callers may change theirs), unless numpy asks for none."""
        if copy is False:
            return self._nummers if dtype is None else self._nummers.astype(dtype, copy=False)
        return self._nummers.astype(dtype if dtype is not None else np.int64, copy=True)


@dataclass
class Blad:
    """One sheet (or the one table of a text file) as read, before the header is found."""

    naam: str | None
    grid: pd.DataFrame  # rectangular, object dtype, every value a stripped str
    samengevoegd: list[tuple[int, int, int]] = field(default_factory=list)  # (row, col0, col1)


@dataclass
class RawTable:
    """The cells of one export as text, one row per data row, headers deduplicated."""

    path: Path
    headers: list[str]
    cells: pd.DataFrame  # object dtype, columns == headers, every value a str
    regels: (
        list[int] | Regelnummers
    )  # Excel row number of each data row (within its own sheet): a list,
    # or for a table just read a Regelnummers (equal to the list, cheaper for 100k rows)
    soort_bestand: str  # "csv" or "werkmap"
    kopregel: int  # Excel row number of the header row; 0 when the file has none
    encoding: str | None = None
    scheidingsteken: str | None = None
    werkblad: str | None = None
    werkbladen: list[str] = field(default_factory=list)
    extra_velden: dict[int, int] = field(
        default_factory=dict
    )  # regel -> non-empty cells beyond header (empty for sheets read together: see extra_per_rij)
    lege_regels: int = 0
    lezer: Lezer = Lezer.CSV_SNEL
    kopregel_gevonden: bool = True  # False: headers are "Kolom A", "Kolom B", … and row 1 is data
    leesproblemen: list[Leesprobleem] = field(default_factory=list)
    extra_per_rij: dict[int, int] = field(default_factory=dict)  # row index -> cells beyond header
    verwijzingen: list[str] | None = None  # per row 'Blad2!17' when sheets were read together
    werkbladen_gelezen: list[str] = field(default_factory=list)  # sheets whose rows are in cells

    @property
    def name(self) -> str:
        return self.path.name

    def verwijzing(self, index: int) -> str:
        """How a user finds data row `index`: '17', or 'Blad2!17' for sheets read together."""
        if self.verwijzingen is not None:
            return self.verwijzingen[index]
        return str(self.regels[index])

    def describe(self) -> str:
        """One Dutch line that says how the file was read."""
        if self.soort_bestand == "csv":
            how = (
                f"tekstbestand, tekenset {self.encoding}, scheidingsteken "
                f"{DELIMITER_NAMES.get(self.scheidingsteken or '', repr(self.scheidingsteken))}"
            )
        elif self.lezer == Lezer.HTML:
            how = "webpagina met een tabel (opgeslagen als .xls)"
        elif self.lezer == Lezer.XML_2003:
            how = f"Excel 2003 XML-werkmap, werkblad '{self.werkblad}'"
        elif len(self.werkbladen_gelezen) > 1:
            how = "werkmap, werkbladen " + ", ".join(f"'{n}'" for n in self.werkbladen_gelezen)
        else:
            how = f"werkmap, werkblad '{self.werkblad}'"
        kop = f"kopregel op rij {self.kopregel}" if self.kopregel_gevonden else "geen kopregel"
        aantal = len(self.regels)
        return f"{how}, {kop}, {aantal} gegevensregel{'' if aantal == 1 else 's'}"


# --- the header ------------------------------------------------------------------------------

_NUMBERISH = re.compile(r"^[\d\s.,:/\-+]*$")
_DATE = re.compile(
    r"^(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})|\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[ T][\d:.]+)?|"
    r"\d{1,2}(?:\s*[-/. ]\s*)[A-Za-z]{3,9}\.?(?:\s*[-/. ]\s*)(?:\d{4}|\d{2})|"
    r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))$"
)  # 1-3-2024, 01-03-24, 2024-03-01, 2024/03/01, 1-mrt-2023, 1 januari 2024, 20240301
_DIGIT_RUN = re.compile(r"(?<!\d)\d{8,9}(?!\d)")


def looks_like_data(cell: str) -> bool:
    """A value no header would be: a BSN-like number (8 or 9 digits, even one that fails the
    elfproef: a typo is still data) or a date in any notation cleaning reads."""
    return bool(_DATE.match(cell)) or (cell.isdigit() and 8 <= len(cell) <= 9)


def _looks_like_label(cell: str) -> bool:
    return not _NUMBERISH.match(cell) and len(cell) <= 80


def find_header_row(rows: list[list[str]]) -> int:
    """Index of the header row: the early row that looks most like column names.

    Title rows above it ('Overzicht voorzieningen', 'Peildatum 31-12-2023') have few cells;
    data rows below it are mostly digits and dates, and a BSN or a date is never a header.
    """
    best_index, best_score = 0, -1e9
    for index, row in enumerate(rows):
        filled = [cell for cell in row if cell]
        if len(filled) < 2 and best_score > -1e9:
            continue
        wordy = sum(1 for cell in filled if _looks_like_label(cell))
        data = sum(1 for cell in filled if looks_like_data(cell))
        # (the same sum with every cell a header name: floating-point addition never falls as
        # a term grows, so a row that cannot win even so is passed without looking names up)
        if 3 * len(filled) + wordy + 0.1 * len(filled) - 5 * data <= best_score:
            continue
        score = 3 * header_match_count(filled) + wordy + 0.1 * len(filled) - 5 * data
        if score > best_score:
            best_index, best_score = index, score
    return best_index


def has_no_header(row: list[str]) -> bool:
    """The best header candidate holds data: the file starts with data, not names."""
    filled = [cell for cell in row if cell]
    if header_match_count(filled):
        return False
    numbers = sum(1 for cell in filled if _NUMBERISH.match(cell))
    # a header row is words: a BSN, a date or mostly numbers means the file starts with data
    return any(looks_like_data(cell) for cell in filled) or 2 * numbers > len(filled)


def _group_labels(
    group_row: list[str], header: list[str], merges: list[tuple[int, int]]
) -> list[str] | None:
    """Per column the label of a group row above the header ('Voorziening' over 'Nummer',
    'Code', …), or None when the row above is no group row (a title, data, blank)."""
    width = len(header)
    filled = [(c, cell) for c, cell in enumerate(group_row[:width]) if cell]
    if not filled or any(
        not _looks_like_label(cell) or looks_like_data(cell) for _, cell in filled
    ):
        return None
    spans: dict[int, int] = {}
    if merges:
        spans = {c0: c1 for c0, c1 in merges if c1 > c0 and c0 < width}
        if not any(group_row[c0] for c0 in spans):
            return None
    else:
        if len(filled) >= sum(1 for cell in header if cell):
            return None
        if len(filled) == 1 and filled[0][0] == 0:
            return None  # one cell at the far left: a title row
        columns = [c for c, _ in filled] + [width]
        for (c0, _), c1 in zip(filled, columns[1:], strict=False):
            spans[c0] = c1 - 1
        if not any(c1 > c0 and any(header[c0 + 1 : c1 + 1]) for c0, c1 in spans.items()):
            return None  # no label stands over several sub-headers
    labels = [""] * width
    for c, cell in filled:
        for column in range(c, min(spans.get(c, c), width - 1) + 1):
            labels[column] = cell
    return labels


def _combine(group: str, sub: str) -> str:
    if not group or group == sub:
        return sub
    if not sub:
        return group
    return f"{group} {sub}"


def _dedupe_headers(raw: list[str]) -> list[str]:
    """Unique, single-spaced names; an empty name, or one holding a BSN, becomes 'Kolom X'."""
    seen: dict[str, int] = {}
    headers = []
    for position, cell in enumerate(raw):
        name = " ".join(cell.split())
        if any(bsn_is_valid(run) for run in _DIGIT_RUN.findall(name)):
            name = ""  # a BSN never becomes a column name (presets, session file, messages)
        name = name or f"Kolom {column_letter(position)}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        headers.append(name if count == 0 else f"{name} ({count + 1})")
    return headers


def column_letter(position: int) -> str:
    """0 → 'A', 26 → 'AA', as Excel names columns."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- building the table ----------------------------------------------------------------------


def _filled_rows(columns: list[np.ndarray]) -> np.ndarray:
    """Per row: is any cell non-empty? Column by column, each looking only at the rows still
    empty, so a full first column settles nearly every row in one pass."""
    filled = _non_empty(columns[0])
    for column in columns[1:]:
        empty = np.flatnonzero(~filled)
        if not len(empty):
            break
        filled[empty] = column[empty] != ""
    return filled


def _non_empty(column: np.ndarray) -> np.ndarray:
    """`column != ""` for a column of text cells. A column of a few objects (a code in every
    row: pandas' CSV parser gives each distinct text of a chunk one object) is told by the
    objects' addresses, each object compared once; the cells of any other object are compared
    one by one, as before."""
    if not (column.dtype == object and column.flags.c_contiguous and len(column) >= 64):
        return np.asarray(column != "", dtype=bool)
    ids = np.frombuffer(column.data, dtype=np.uintp)  # a view: `column` stays alive
    unknown = np.ones(len(column), dtype=bool)
    filled = np.zeros(len(column), dtype=bool)
    for _ in range(8):  # a few objects at most
        row = int(np.argmax(unknown))
        if not unknown[row]:
            return filled
        same = ids == ids[row]
        if column[row] != "":
            filled |= same
        unknown &= ~same
    rest = np.flatnonzero(unknown)
    filled[rest] = column[rest] != ""
    return filled


def build_table(
    path: Path,
    blad: Blad,
    *,
    kind: str,
    lezer: Lezer,
    limieten: Limieten,
) -> RawTable:
    """Turn a rectangular frame of stripped text cells into a RawTable: find the header, keep
    Excel row numbers, note filled cells beyond the header, skip blank rows."""
    grid = blad.grid
    waar = path.name if blad.naam is None else f"Werkblad '{blad.naam}' in {path.name}"
    # Column by column: a frame of one block per column (as the CSV reader builds it) is never
    # stacked into one array.
    columns = [grid.iloc[:, c].to_numpy(dtype=object) for c in range(grid.shape[1])]
    filled_rows = _filled_rows(columns) if grid.size else np.zeros(0, dtype=bool)
    if not filled_rows.any():
        raise InvoerFout(f"{waar} bevat geen gegevens. Maak de export opnieuw.")
    top = [column[: limieten.kopruimte].tolist() for column in columns]
    scan = [list(row) for row in zip(*top, strict=True)]
    header_index = find_header_row(scan)
    found = not has_no_header(scan[header_index])
    if found:
        header_cells = scan[header_index]
        width = len(header_cells)
        while width and not header_cells[width - 1]:
            width -= 1  # trailing separators after the last header
        raw_names = list(header_cells[:width])
        if header_index > 0:
            row_merges = [(c0, c1) for r, c0, c1 in blad.samengevoegd if r == header_index - 1]
            groups = _group_labels(scan[header_index - 1], raw_names, row_merges)
            if groups:
                raw_names = [_combine(g, s) for g, s in zip(groups, raw_names, strict=True)]
        headers = _dedupe_headers(raw_names)
        first_data = header_index + 1
    else:
        width = len(columns)
        while not (columns[width - 1] != "").any():
            width -= 1  # trailing columns without any value
        headers = [f"Kolom {column_letter(c)}" for c in range(width)]
        first_data = 0
    filled = filled_rows[first_data:]
    first_regel = first_data + 1
    regel_numbers = np.arange(first_regel, first_regel + len(filled))
    kept_rows = int(filled.sum())
    if len(filled) > limieten.max_regels_totaal or kept_rows > limieten.max_regels:
        raise te_veel_regels(path.name, limieten)
    extra: dict[int, int] = {}
    extra_per_rij: dict[int, int] = {}
    if width < len(columns):  # cells beyond the header (usually no such column: no arrays made)
        beyond = np.zeros(len(filled), dtype=np.int64)
        for column in columns[width:]:
            beyond += column[first_data:] != ""
        has_extra = (beyond > 0) & filled
        positions = np.cumsum(filled) - 1  # index of each kept row in cells
        extra = {
            int(r): int(b) for r, b in zip(regel_numbers[has_extra], beyond[has_extra], strict=True)
        }
        extra_per_rij = {
            int(p): int(b) for p, b in zip(positions[has_extra], beyond[has_extra], strict=True)
        }
    all_filled = kept_rows == len(filled)
    regels = regel_numbers if all_filled else regel_numbers[filled]
    if not len(regels):
        raise InvoerFout(
            f"{waar} heeft een kopregel (rij {header_index + 1}) maar geen "
            "gegevensregels. Maak de export opnieuw, met de voorzieningen erin."
        )
    # One block per column, each a slice of the grid's column (no copy) where no blank row has
    # to go (the usual case); pandas would copy to select columns across several blocks.
    kept = [column[first_data:] for column in columns[:width]]
    if not all_filled:
        kept = [column[filled] for column in kept]
    cells = pd.DataFrame(
        dict(zip(headers, kept, strict=True)), index=pd.RangeIndex(len(regels)), copy=False
    )
    return RawTable(
        path=path,
        headers=headers,
        cells=cells,
        regels=Regelnummers(regels),
        soort_bestand=kind,
        kopregel=header_index + 1 if found else 0,
        werkblad=blad.naam,
        extra_velden=extra,
        lege_regels=len(filled) - kept_rows,
        lezer=lezer,
        kopregel_gevonden=found,
        extra_per_rij=extra_per_rij,
        werkbladen_gelezen=[blad.naam] if blad.naam is not None else [],
    )
