"""Any export (CSV/TXT or a workbook) → a RawTable of text cells, with facts about how it was read.

Every cell stays text so leading zeros survive ('0001234', a BSN with a leading zero). Excel
date cells become ISO dates ('2016-01-20'); whole numbers stored as floats by Excel become
their digits ('757700573'). Each row keeps the row number the user sees in Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine

from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import header_match_count

DELIMITERS = ";,\t|"
DELIMITER_NAMES = {";": "puntkomma (;)", ",": "komma (,)", "\t": "tab", "|": "verticale streep (|)"}
HEADER_SCAN_ROWS = 30
MAX_ROWS = 1_000_000
_SNIFF_CHARS = 1 << 20  # the separator is decided on the first lines, never on the whole text
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")

_ZIP_MAGIC = b"PK\x03\x04"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or an encrypted .xlsx
# BIFF8 workbook-globals BOF record (id 0x0809, 16 bytes, version 0x0600, type 0x0005); in a
# password-protected .xls the next record is FILEPASS (id 0x002F).
_BIFF8_BOF = b"\x09\x08\x10\x00\x00\x06\x05\x00"
_FILEPASS = b"\x2f\x00"


@dataclass
class RawTable:
    """The cells of one export as text, one row per data row, headers deduplicated."""

    path: Path
    headers: list[str]
    cells: pd.DataFrame  # object dtype, columns == headers, every value a str
    regels: list[int]  # Excel row number of each data row
    soort_bestand: str  # "csv" or "werkmap"
    kopregel: int  # Excel row number of the header row
    encoding: str | None = None
    scheidingsteken: str | None = None
    werkblad: str | None = None
    werkbladen: list[str] = field(default_factory=list)
    extra_velden: dict[int, int] = field(
        default_factory=dict
    )  # regel -> non-empty cells beyond header
    lege_regels: int = 0

    @property
    def name(self) -> str:
        return self.path.name

    def describe(self) -> str:
        """One Dutch line that says how the file was read."""
        if self.soort_bestand == "csv":
            how = (
                f"tekstbestand, tekenset {self.encoding}, scheidingsteken "
                f"{DELIMITER_NAMES.get(self.scheidingsteken or '', repr(self.scheidingsteken))}"
            )
        else:
            how = f"werkmap, werkblad '{self.werkblad}'"
        return f"{how}, kopregel op rij {self.kopregel}, {len(self.regels)} gegevensregels"


def read_table(path: Path | str, werkblad: str | None = None) -> RawTable:
    """Read a CSV/TXT or XLSX/XLSM/XLS/ODS export. Raises InvoerFout with a Dutch message."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InvoerFout(f"Het bestand {path} bestaat niet. Controleer de naam en de map.") from exc
    except PermissionError as exc:
        raise InvoerFout(
            f"{path.name} kan niet worden gelezen: geen toegang, of het bestand is in gebruik. "
            "Sluit het in Excel en probeer het opnieuw."
        ) from exc
    except IsADirectoryError as exc:
        raise InvoerFout(f"{path} is een map, geen bestand. Kies een exportbestand.") from exc
    except OSError as exc:
        raise InvoerFout(f"{path.name} kan niet worden gelezen ({exc.strerror}).") from exc
    if not data.strip():
        raise InvoerFout(f"{path.name} is leeg. Maak de export opnieuw en kies dat bestand.")
    if data.startswith((_ZIP_MAGIC, _CFB_MAGIC)):
        return _read_workbook(path, data, werkblad)
    return _read_text(path, data)


# --- text files -------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode by a fixed cascade: UTF-8 with BOM, strict UTF-8, then Windows-1252.

    Statistical detectors misread short Dutch cp1252 files, so we do not guess.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 met BOM"
        except UnicodeDecodeError:
            pass  # a BOM followed by cp1252 bytes: mixed file, fall through
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; they become '?' rather than an error.
    return data.decode("cp1252", errors="replace").replace("\ufffd", "?"), "Windows-1252"


def sniff_delimiter(text: str) -> str | None:
    """The separator of the first lines, or None for a one-column file."""
    lines = [line for line in text[:_SNIFF_CHARS].splitlines()[:40] if line.strip()]
    if not lines:
        return None
    sample = "\n".join(lines[:20])
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = None
    if found is not None and found in DELIMITERS and lines[0].count(found) > 0:
        return found
    # Sniffer gives up on ragged files: take the separator that is most common in the header line.
    counts = {d: lines[0].count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else None


def _read_text(path: Path, data: bytes) -> RawTable:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvoerFout(
            f"{path.name} is geen tekstbestand en geen Excel-werkmap die srgdesk kent. "
            "Sla de export op als CSV of als Excel-werkmap (.xlsx) en probeer het opnieuw."
        )
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text)
    grid = _parse_regular(text, delimiter)
    if grid is not None:
        table = _build_table(path, grid, first_row_number=1, kind="csv")
        table.encoding = encoding
        table.scheidingsteken = delimiter
        return table
    # Lines one by one rather than io.StringIO(text), which would hold a 4-byte-per-character copy.
    lines = (match.group() for match in _LINE.finditer(text))
    if csv.field_size_limit() < len(text):  # one huge cell is a row problem, not a refusal
        csv.field_size_limit(len(text) + 1)
    reader = csv.reader(lines, delimiter=delimiter or "\x1f", quotechar='"', strict=False)
    rows: list[list[str]] = []
    filled = 0
    try:
        # strip_cell keeps a leading tab or CR; only files that contain one need it per cell.
        careful = "\t" in text or "\r" in text
        for raw in reader:
            row = list(map(strip_cell, raw)) if careful else [cell.strip() for cell in raw]
            rows.append(row)
            if any(row):
                filled += 1
                if filled > MAX_ROWS + HEADER_SCAN_ROWS:  # stop before memory runs out
                    raise _too_many_rows(path)
    except csv.Error as exc:  # e.g. a NUL byte deep inside the file
        raise InvoerFout(
            f"{path.name} kan niet als tekstbestand worden gelezen ({exc}). "
            "Sla de export opnieuw op als CSV."
        ) from exc
    table = _build_table(path, _grid(rows), first_row_number=1, kind="csv")
    table.encoding = encoding
    table.scheidingsteken = delimiter
    return table


def _parse_regular(text: str, delimiter: str | None) -> pd.DataFrame | None:
    """The cells of a regular delimited file via pandas' C parser (several times faster than the
    csv module), stripped as strip_cell does. None when the file is not plainly regular (too
    many lines for the row limit, more fields further down, a broken quote): then the csv module
    reads it, with every irregularity reported per row."""
    if delimiter is None or text.count("\n") > MAX_ROWS + HEADER_SCAN_ROWS:
        return None
    head = text[: 1 << 16].splitlines()[: HEADER_SCAN_ROWS + 200]
    width = max((line.count(delimiter) + 1 for line in head), default=1)
    try:
        with warnings.catch_warnings():
            # pandas warns, then silently drops fields, when a row is longer than `names`
            warnings.simplefilter("error", pd.errors.ParserWarning)
            grid = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=None,
                names=range(width),
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                engine="c",
                quotechar='"',
                doublequote=True,
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, csv.Error, UnicodeError):
        return None
    for column in grid.columns:
        values = grid[column].tolist()
        edges = {v[:1] for v in values} | {v[-1:] for v in values}
        if any(ch.isspace() for ch in edges):  # what str.strip() would remove
            grid[column] = list(map(strip_cell, values))
    return grid


def _grid(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of text cells (ragged or not) as one rectangular frame, '' where a row is short."""
    return pd.DataFrame(rows, dtype=object).fillna("") if rows else pd.DataFrame(dtype=object)


def strip_cell(cell: str) -> str:
    """Surrounding white space off, except a leading tab or CR after any spaces: that is how a
    formula is smuggled past a spreadsheet ('\t=HYPERLINK(…)'), so cleaning must see it and
    reject the value instead of passing it on stripped (issue 7)."""
    stripped = cell.strip()
    if stripped is cell or cell[0] not in " \t\r" or not stripped:  # the common cases, fast
        return stripped
    unspaced = cell.lstrip(" ")
    return unspaced.rstrip() if unspaced[0] in "\t\r" else stripped


# --- workbooks -------------------------------------------------------------------------------


def _read_workbook(path: Path, data: bytes, werkblad: str | None) -> RawTable:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise _password_error(path) from exc
    except Exception as exc:  # calamine raises several types for damaged files
        if data.startswith(_CFB_MAGIC) and _is_encrypted_cfb(data):
            raise _password_error(path) from exc
        raise InvoerFout(
            f"{path.name} is geen leesbare werkmap (het bestand is beschadigd of onvolledig). "
            "Open het in Excel, sla het opnieuw op als .xlsx en probeer het nog eens."
        ) from exc
    names = list(workbook.sheet_names)
    if not names:
        raise InvoerFout(f"{path.name} bevat geen werkbladen.")
    if werkblad is not None and werkblad not in names:
        raise InvoerFout(
            f"Werkblad '{werkblad}' staat niet in {path.name}. Werkbladen: {', '.join(names)}."
        )
    grids: dict[str, list[list]] = {}
    for name in [werkblad] if werkblad else names:
        try:
            grids[name] = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            if werkblad:
                raise InvoerFout(
                    f"Werkblad '{name}' in {path.name} kan niet worden gelezen. "
                    "Sla de werkmap opnieuw op als .xlsx."
                ) from exc
    if not grids:
        raise InvoerFout(f"Geen enkel werkblad in {path.name} kan worden gelezen.")
    chosen = werkblad or max(grids, key=lambda n: _filled_cells(grids[n]))
    rows = [[_cell_text(value) for value in row] for row in grids[chosen]]
    table = _build_table(path, _grid(rows), first_row_number=1, kind="werkmap")
    table.werkblad = chosen
    table.werkbladen = names
    return table


def _is_encrypted_cfb(data: bytes) -> bool:
    """An encrypted .xlsx (EncryptionInfo stream) or a password-protected .xls (FILEPASS)."""
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t" in data:
        return True
    bof = data.find(_BIFF8_BOF)
    return bof >= 0 and data[bof + 20 : bof + 22] == _FILEPASS


def _password_error(path: Path) -> InvoerFout:
    return InvoerFout(
        f"{path.name} is beveiligd met een wachtwoord. Open het in Excel, haal de beveiliging "
        "eraf (Bestand > Info > Werkmap beveiligen) en sla het opnieuw op."
    )


def _filled_cells(grid: list[list]) -> int:
    return sum(1 for row in grid for value in row if value not in ("", None))


def _cell_text(value: object) -> str:
    """A workbook cell as the text a user sees, without float or date artefacts."""
    if value is None:
        return ""
    if isinstance(value, str):
        return strip_cell(value)
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value).strip()


# --- shared ----------------------------------------------------------------------------------


def find_header_row(rows: list[list[str]]) -> int:
    """Index of the header row: the early row that looks most like column names.

    Title rows above it ('Overzicht voorzieningen', 'Peildatum 31-12-2023') have few cells;
    data rows below it are mostly digits and dates.
    """
    best_index, best_score = 0, -1.0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        filled = [cell for cell in row if cell]
        if len(filled) < 2 and best_score >= 0:
            continue
        wordy = sum(1 for cell in filled if _looks_like_label(cell))
        score = 3 * header_match_count(filled) + wordy + 0.1 * len(filled)
        if score > best_score:
            best_index, best_score = index, score
    return best_index


_NUMBERISH = re.compile(r"^[\d\s.,:/\-+]*$")


def _looks_like_label(cell: str) -> bool:
    return not _NUMBERISH.match(cell) and len(cell) <= 80


def _dedupe_headers(raw: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    headers = []
    for position, name in enumerate(raw):
        name = " ".join(name.split()) or f"Kolom {_column_letter(position)}"
        count = seen.get(name, 0)
        seen[name] = count + 1
        headers.append(name if count == 0 else f"{name} ({count + 1})")
    return headers


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_many_rows(path: Path) -> InvoerFout:
    return InvoerFout(
        f"{path.name} heeft meer dan {MAX_ROWS:,} regels; dat is meer dan één gemeente "
        "levert. Controleer of u de juiste export hebt gekozen.".replace(",", ".")
    )


def _build_table(path: Path, grid: pd.DataFrame, first_row_number: int, kind: str) -> RawTable:
    """Turn a rectangular frame of stripped text cells into a RawTable: find the header, keep
    Excel row numbers, note filled cells beyond the header, skip blank rows."""
    filled_cells = grid.to_numpy(dtype=object) != ""
    if not filled_cells.any():
        raise InvoerFout(f"{path.name} bevat geen gegevens. Maak de export opnieuw.")
    scan = grid.iloc[:HEADER_SCAN_ROWS].to_numpy(dtype=object).tolist()
    header_index = find_header_row(scan)
    header_cells = scan[header_index]
    width = len(header_cells)
    while width and not header_cells[width - 1]:
        width -= 1  # trailing separators after the last header
    headers = _dedupe_headers(header_cells[:width])
    body = filled_cells[header_index + 1 :]
    filled = body.any(axis=1)
    beyond = body[:, width:].sum(axis=1)
    first_regel = header_index + 1 + first_row_number
    regel_numbers = np.arange(first_regel, first_regel + len(body))
    extra = {
        int(r): int(b) for r, b in zip(regel_numbers[beyond > 0], beyond[beyond > 0], strict=True)
    }
    regels = regel_numbers[filled].tolist()
    if len(regels) > MAX_ROWS:
        raise _too_many_rows(path)
    if not regels:
        raise InvoerFout(
            f"{path.name} heeft een kopregel (rij {header_index + first_row_number}) maar geen "
            "gegevensregels. Maak de export opnieuw, met de voorzieningen erin."
        )
    cells = grid.iloc[header_index + 1 :, :width][filled].reset_index(drop=True)
    cells.columns = headers
    return RawTable(
        path=path,
        headers=headers,
        cells=cells.astype(object),
        regels=regels,
        soort_bestand=kind,
        kopregel=header_index + first_row_number,
        extra_velden=extra,
        lege_regels=int((~filled).sum()),
    )
