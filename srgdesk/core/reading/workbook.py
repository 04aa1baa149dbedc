"""Workbooks (xlsx, xlsm, xls, ods) via python-calamine, with the sheet's extent checked first.

Calamine allocates every cell of a sheet's used range, so one stray cell at XFD1048576 in a
16 KB file would ask for 22 GB. Before calamine touches an xlsx, the uncompressed part sizes and
the cell references in each sheet's XML are checked against the limits (a regex scan over the
decompressed stream, a fraction of calamine's own time).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import python_calamine

from srgdesk.core.errors import InvoerFout
from srgdesk.core.progress import Voortgang
from srgdesk.core.reading.limits import (
    Limieten,
    blad_te_groot,
    punten,
    te_veel_regels,
    werkmap_te_groot,
)
from srgdesk.core.reading.sniffing import CFB_MAGIC, ZIP_MAGIC
from srgdesk.core.reading.table import Blad, column_letter
from srgdesk.core.reading.text import SMUGGLED, edge_space, strip_cell

# BIFF8 workbook-globals BOF record (id 0x0809, 16 bytes, version 0x0600, type 0x0005); in a
# password-protected .xls the next record is FILEPASS (id 0x002F).
_BIFF8_BOF = b"\x09\x08\x10\x00\x00\x06\x05\x00"
_FILEPASS = b"\x2f\x00"

_CHUNK = 1 << 23
_SINGLE_LETTER_COLUMNS = 26
_PHASE_ONE_ROWS = 700_000  # phase one finds every reference at or beyond this row
# A reference with two or three column letters, or in a row >= _PHASE_ONE_ROWS.
_FAR_REFERENCE = re.compile(rb' r="([A-Z]{2,3}\d+|[A-Z]\d{7,}|[A-Z][7-9]\d{5})"')
_ANY_COLUMN = re.compile(rb' r="([A-Z])\d')
# An ods row repeated with its body, and a repeated cell that is not self-closing (holds text).
_ODS_ROW_REPEAT = re.compile(
    rb'<table:table-row\b[^>]*?number-rows-repeated="(\d+)"[^>]*?(?<!/)>(.*?)</table:table-row>',
    re.S,
)
_ODS_CELL_REPEAT = re.compile(
    rb'<table:(?:covered-)?table-cell\b[^>]*?number-columns-repeated="(\d+)"[^>]*?(?<!/)>'
    rb"(?=\s*<text:p)"
)
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# What a damaged zip raises; calamine then gives the Dutch message.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    KeyError,
    RuntimeError,
    NotImplementedError,
)


@dataclass(frozen=True)
class Omvang:
    """How far a sheet's cells reach: rows and columns its reader would allocate."""

    rijen: int
    kolommen: int
    rij_elementen: int  # <row> elements: few of them, far apart, means a stray cell

    @property
    def verste_cel(self) -> str:
        return f"{column_letter(max(self.kolommen, 1) - 1)}{self.rijen}"


class Werkmap:
    """An opened workbook: its sheet names and each sheet as a Blad of text cells."""

    def __init__(self, path: Path, data: bytes, limieten: Limieten) -> None:
        self.path = path
        self.limieten = limieten
        self._omvang: dict[str, Omvang] = {}
        if data.startswith(ZIP_MAGIC):
            self._omvang = _xlsx_extents(path, data, limieten)
        try:
            self.book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except python_calamine.PasswordError as exc:
            raise password_error(path) from exc
        except Exception as exc:  # calamine raises several types for damaged files
            if data.startswith(CFB_MAGIC) and _is_encrypted_cfb(data):
                raise password_error(path) from exc
            raise InvoerFout(
                f"{path.name} is geen leesbare werkmap (het bestand is beschadigd of onvolledig). "
                "Open het in Excel, sla het opnieuw op als .xlsx en probeer het nog eens."
            ) from exc
        self.namen: list[str] = list(self.book.sheet_names)
        if not self.namen:
            raise InvoerFout(f"{path.name} bevat geen werkbladen.")

    def blad(self, naam: str, voortgang: Voortgang) -> Blad:
        """One sheet as text cells; InvoerFout when it is too large or cannot be read."""
        omvang = self._omvang.get(naam)
        if omvang is not None and (
            omvang.rijen > self.limieten.max_regels_totaal
            or omvang.rijen * omvang.kolommen > self.limieten.max_cellen
        ):
            if omvang.rij_elementen > self.limieten.max_regels:  # truly that many rows
                raise te_veel_regels(f"Werkblad '{naam}' in {self.path.name}", self.limieten)
            raise blad_te_groot(self.path.name, naam, omvang.verste_cel, self.limieten)
        voortgang.check()
        try:
            sheet = self.book.get_sheet_by_name(naam)
            rows = sheet.to_python(skip_empty_area=False)
            merges = sheet.merged_cell_ranges or []
        except Exception as exc:  # calamine raises several types for damaged sheets
            raise InvoerFout(
                f"Werkblad '{naam}' in {self.path.name} kan niet worden gelezen. "
                "Sla de werkmap opnieuw op als .xlsx."
            ) from exc
        voortgang.check()
        if len(rows) > self.limieten.max_regels_totaal:
            raise blad_te_groot(
                self.path.name, naam, f"{column_letter(0)}{len(rows)}", self.limieten
            )
        samengevoegd = [(r0, c0, c1) for (r0, c0), (_r1, c1) in merges if c1 > c0]
        return Blad(naam, text_grid(rows), samengevoegd)


def text_grid(rows: list[list]) -> pd.DataFrame:
    """Workbook values as the text a user sees, column by column. A column of plain text (the
    common case) is checked in one regex pass over its joined cells and stripped only when an
    edge is white space; strip_cell only when a cell hides a tab or CR behind spaces."""
    if not rows:
        return pd.DataFrame(dtype=object)
    width = max(map(len, rows))
    grid = np.empty((len(rows), width), dtype=object)
    if all(len(row) == width for row in rows):
        grid[:, :] = rows
    else:
        grid.fill("")
        for index, row in enumerate(rows):
            grid[index, : len(row)] = row
    for column in range(width):
        values = grid[:, column].tolist()
        if set(map(type, values)) == {str}:
            joined = "\x00" + "\x00".join(values) + "\x00"
            if edge_space(joined):
                strip = strip_cell if SMUGGLED.search(joined) else str.strip
                grid[:, column] = list(map(strip, values))
        else:
            grid[:, column] = list(map(cell_text, values))
    return pd.DataFrame(grid, copy=False)


def cell_text(value: object) -> str:
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


def filled_cells(blad: Blad) -> int:
    return int((blad.grid.to_numpy(dtype=object) != "").sum()) if blad.grid.size else 0


# --- the xlsx guard --------------------------------------------------------------------------


def _xlsx_extents(path: Path, data: bytes, limieten: Limieten) -> dict[str, Omvang]:
    """Sheet name → extent of its cell references, for each worksheet of an xlsx/xlsm; {} for
    other zips (ods) after the part sizes are checked. Raises InvoerFout past the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS:
        return {}
    for info in infos:
        if info.file_size > limieten.max_deel_bytes:
            raise InvoerFout(
                f"{path.name} bevat een onderdeel van meer dan {punten(info.file_size)} bytes "
                "(uitgepakt); zo groot is geen export van één gemeente. Controleer of u het "
                "juiste bestand hebt gekozen, of sla de werkmap opnieuw op in Excel."
            )
    names = {info.filename for info in infos}
    if "content.xml" in names and "xl/workbook.xml" not in names:
        try:
            _check_ods(archive, limieten, path.name)
        except _ZIP_ERRORS:
            return {}
    extents: dict[str, Omvang] = {}
    for sheet, part in _sheet_parts(archive, names).items():
        try:
            extents[sheet] = _extent(archive, part, limieten)
        except _ZIP_ERRORS:
            continue  # calamine reports the damage
    return extents


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Sheet name → its worksheet part, from xl/workbook.xml and its relationships."""
    from lxml import etree  # imported here: most reads never need it (start-up, memory)

    safe = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        book = etree.fromstring(archive.read("xl/workbook.xml"), safe)
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), safe)
    except (*_ZIP_ERRORS, etree.XMLSyntaxError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    parts: dict[str, str] = {}
    for sheet in book.iter("{*}sheet"):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        if part in names and sheet.get("name") is not None:
            parts[sheet.get("name")] = part
    return parts


def _extent(archive: zipfile.ZipFile, part: str, limieten: Limieten) -> Omvang:
    """Rows and columns the sheet's cell references reach, without reading every reference.

    One regex pass picks out the references with two or more column letters or a row number
    high enough to matter whatever the width; <row> elements are counted (rows without a
    reference). When the width found makes fewer rows dangerous, a second pass looks for
    exactly those rows, so an unsorted (crafted) sheet is caught too."""
    far: set[bytes] = set()
    rows_seen = 0
    for buffer in _chunks(archive, part):
        far.update(_FAR_REFERENCE.findall(buffer))
        rows_seen += buffer.count(b"<row")
    refs = [_split_reference(ref) for ref in far]
    rows = max([rows_seen, *(row for _, row in refs)])
    columns = max((column for column, _ in refs), default=0)
    if columns <= _SINGLE_LETTER_COLUMNS:
        if rows * _SINGLE_LETTER_COLUMNS <= limieten.max_cellen:
            return Omvang(max(rows, 1), _SINGLE_LETTER_COLUMNS, rows_seen)
        columns = _narrow_width(archive, part)
    allowed = limieten.max_cellen // max(columns, 1)
    if rows <= allowed < _PHASE_ONE_ROWS:  # rows beyond `allowed` not yet looked for
        pattern = re.compile(rb' r="[A-Z]{1,3}(' + _at_least(allowed) + rb')"')
        for buffer in _chunks(archive, part):
            rows = max([rows, *map(int, pattern.findall(buffer))])
    return Omvang(max(rows, 1), columns, rows_seen)


def _check_ods(archive: zipfile.ZipFile, limieten: Limieten, naam: str) -> None:
    """An ods repeats a cell or row with number-*-repeated; calamine expands every repeat that
    holds a value. Sum the repeats that hold one (self-closing elements are empty)."""
    rows = 0
    widest = 0
    for buffer in _chunks(archive, "content.xml", overlap=1 << 16):
        rows += buffer.count(b"<table:table-row")
        for repeat, body in _ODS_ROW_REPEAT.findall(buffer):
            if b"<text:p" in body or b"office:value" in body:
                rows += int(repeat) - 1
        widest = max([widest, *map(int, _ODS_CELL_REPEAT.findall(buffer))])
    # A repeated value is a real string per cell once expanded (~180 bytes each, not the 32 of
    # an empty cell), so repeats get a quarter of the cell budget.
    budget = limieten.max_cellen // 4
    if rows > 2 * limieten.max_regels_totaal or rows * max(widest, 1) > budget:
        raise werkmap_te_groot(naam, limieten)


def _chunks(archive: zipfile.ZipFile, part: str, overlap: int = 64) -> Iterator[bytes]:
    """The part decompressed piece by piece, each piece overlapping the previous a little."""
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            yield buffer
            tail = buffer[-overlap:]


def _at_least(number: int) -> bytes:
    """A regex for decimal numbers >= d * 10**k <= number (conservative: may match a few less)."""
    digits = str(max(number, 1))
    rest = len(digits) - 1
    return f"[{digits[0]}-9]\\d{{{rest}}}|\\d{{{rest + 2},}}".encode()


def _split_reference(reference: bytes) -> tuple[int, int]:
    letters = reference.rstrip(b"0123456789")
    return _column_number(letters), int(reference[len(letters) :])


def _narrow_width(archive: zipfile.ZipFile, part: str) -> int:
    letters: set[bytes] = set()
    for buffer in _chunks(archive, part):
        letters.update(_ANY_COLUMN.findall(buffer))
    return max((_column_number(letter) for letter in letters), default=1)


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + (byte - 64)
    return number


# --- errors ----------------------------------------------------------------------------------


def _is_encrypted_cfb(data: bytes) -> bool:
    """An encrypted .xlsx (EncryptionInfo stream) or a password-protected .xls (FILEPASS)."""
    if b"E\x00n\x00c\x00r\x00y\x00p\x00t" in data:
        return True
    bof = data.find(_BIFF8_BOF)
    return bof >= 0 and data[bof + 20 : bof + 22] == _FILEPASS


def password_error(path: Path) -> InvoerFout:
    return InvoerFout(
        f"{path.name} is beveiligd met een wachtwoord. Open het in Excel, haal de beveiliging "
        "eraf (Bestand > Info > Werkmap beveiligen) en sla het opnieuw op."
    )
