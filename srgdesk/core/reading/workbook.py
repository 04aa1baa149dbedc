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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd
import python_calamine
from lxml import etree

from srgdesk.core.errors import InvoerFout
from srgdesk.core.progress import Voortgang
from srgdesk.core.reading.limits import Limieten, blad_te_groot, punten, te_veel_regels
from srgdesk.core.reading.sniffing import CFB_MAGIC, ZIP_MAGIC
from srgdesk.core.reading.table import Blad, column_letter
from srgdesk.core.reading.text import strip_cell

# BIFF8 workbook-globals BOF record (id 0x0809, 16 bytes, version 0x0600, type 0x0005); in a
# password-protected .xls the next record is FILEPASS (id 0x002F).
_BIFF8_BOF = b"\x09\x08\x10\x00\x00\x06\x05\x00"
_FILEPASS = b"\x2f\x00"

_CHUNK = 1 << 23
_ROW_NUMBER = re.compile(rb'<row\b[^>]*? r="(\d+)"')
_HIGH_ROW = re.compile(rb' r="[A-Z]{0,3}(\d{7,})"')
_WIDE_COLUMN = re.compile(rb' r="([A-Z]{2,3})\d')
_ANY_COLUMN = re.compile(rb' r="([A-Z])\d')
_SINGLE_LETTER_COLUMNS = 26
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
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class Omvang:
    """How far a sheet's cells reach: rows and columns its reader would allocate."""

    rijen: int
    kolommen: int
    cellen: int  # cell elements in the sheet: few of them far apart means a stray cell

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
            if omvang.cellen > self.limieten.max_regels:  # truly that much data
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
    """Workbook values as the text a user sees, column by column (a column of plain text, the
    common case, is only stripped where an edge is white space)."""
    if not rows:
        return pd.DataFrame(dtype=object)
    grid = pd.DataFrame(rows, dtype=object)
    for column in grid.columns:
        values = grid[column].tolist()
        if all(type(v) is str for v in values):
            edges = {v[:1] for v in values} | {v[-1:] for v in values}
            if any(ch.isspace() for ch in edges):
                grid[column] = list(map(strip_cell, values))
        else:
            grid[column] = list(map(cell_text, values))
    return grid.fillna("")


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
    extents: dict[str, Omvang] = {}
    for sheet, part in _sheet_parts(archive, names).items():
        try:
            extents[sheet] = _extent(archive, part, limieten)
        except _ZIP_ERRORS:
            continue  # calamine reports the damage
    return extents


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Sheet name → its worksheet part, from xl/workbook.xml and its relationships."""
    try:
        book = etree.fromstring(archive.read("xl/workbook.xml"), SAFE_XML)
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), SAFE_XML)
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
    rows = 0
    wide: set[bytes] = set()
    cells = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            found = _ROW_NUMBER.findall(buffer) + _HIGH_ROW.findall(buffer)
            if found:
                rows = max(rows, *map(int, found))
            wide.update(_WIDE_COLUMN.findall(buffer))
            cells += buffer.count(b"<c ") + buffer.count(b"<c>") + buffer.count(b"<c/>")
            if cells > limieten.max_cellen:
                break  # that many cell elements is past the limit whatever their places
            tail = buffer[-64:]
            cells -= tail.count(b"<c ") + tail.count(b"<c>") + tail.count(b"<c/>")
    if cells > limieten.max_cellen:
        return Omvang(max(rows, 1), limieten.max_cellen + 1, cells)
    columns = max((_column_number(letters) for letters in wide), default=0)
    if not columns:
        columns = _SINGLE_LETTER_COLUMNS
        if rows * columns > limieten.max_cellen:  # only then is the exact width worth a scan
            columns = _narrow_width(archive, part)
    return Omvang(max(rows, 1), columns, cells)


def _narrow_width(archive: zipfile.ZipFile, part: str) -> int:
    letters: set[bytes] = set()
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            letters.update(_ANY_COLUMN.findall(buffer))
            tail = buffer[-64:]
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
