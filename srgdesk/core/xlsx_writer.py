"""A small streaming xlsx writer for one sheet of text cells.

Why our own: openpyxl's write-only mode took 5.9 s for the 88k-row conversiebestand and puts the
sheet XML (BSNs included with --met-bsn) in a file in the system temp folder. This writer streams
the sheet XML straight into the zip entry of the output stream (the temporary file in the target
folder), ten times faster, and nothing else touches the disk.

What it writes: every cell an inline-string text cell (leading zeros kept; '=…' is text, never a
formula), text number format ('@') as the default style, a bold frozen header row, an autofilter
over the data and column widths from the header and a sample of values. The output is
byte-for-byte deterministic: fixed dates in the zip entries and the document properties.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import BinaryIO

import numpy as np
import pandas as pd

from srgdesk.core.errors import InvoerFout
from srgdesk.core.progress import Voortgang

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
DOC_DATE = "1980-01-01T00:00:00Z"
CHUNK_ROWS = 5000
WIDTH_SAMPLE = 1000
MAX_WIDTH = 60
COMPRESSLEVEL = 1  # ~3× faster than the default; the file is ~25 % larger
SHEET_NAME_MAX = 31
EXCEL_MAX_ROWS = 1_048_576  # header included; a longer sheet makes Excel offer a repair

# Characters XML 1.0 forbids (even as references); they become U+FFFD.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What needs escaping inside <t>: markup, CR (a parser turns a raw CR into LF) and the forbidden.
_SPECIAL = re.compile("[&<>\r\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_NS_PKG}">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    _XML + "<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>srgdesk</Application></Properties>"
)
_CORE = (
    _XML + "<cp:coreProperties "
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>srgdesk</dc:creator>"
    f'<dcterms:created xsi:type="dcterms:W3CDTF">{DOC_DATE}</dcterms:created>'
    f'<dcterms:modified xsi:type="dcterms:W3CDTF">{DOC_DATE}</dcterms:modified>'
    "</cp:coreProperties>"
)
_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_NS_PKG}">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    "</Relationships>"
)
# Style 0 (every cell without s=…): text format '@', so a value typed later stays text too.
# Style 1: the same, bold (the header).
_STYLES = (
    _XML + f'<styleSheet xmlns="{_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2">'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" '
    'applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write_xlsx(
    stream: BinaryIO, frame: pd.DataFrame, sheet: str, voortgang: Voortgang | None = None
) -> int:
    """Write `frame` as a one-sheet workbook of text cells into `stream`; returns the data rows."""
    voortgang = voortgang or Voortgang()
    if len(frame) + 1 > EXCEL_MAX_ROWS:
        raise InvoerFout(
            f"Het Excel-bestand zou {len(frame)} regels krijgen; Excel opent er hooguit "
            f"{EXCEL_MAX_ROWS - 1}. Kies als formaat CSV (--formaat csv)."
        )
    headers = [str(c) for c in frame.columns]
    columns = [frame[c].astype(str).to_numpy(dtype=object) for c in frame.columns]
    rows = len(frame)
    letters = [column_letter(i) for i in range(len(headers))]
    last = f"{letters[-1]}{rows + 1}" if letters else "A1"
    with zipfile.ZipFile(stream, "w") as archive:
        _write_part(archive, "[Content_Types].xml", _CONTENT_TYPES)
        _write_part(archive, "_rels/.rels", _ROOT_RELS)
        _write_part(archive, "docProps/app.xml", _APP)
        _write_part(archive, "docProps/core.xml", _CORE)
        _write_part(archive, "xl/workbook.xml", _workbook(sheet_name(sheet), last, bool(letters)))
        _write_part(archive, "xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        _write_part(archive, "xl/styles.xml", _STYLES)
        with archive.open(_entry("xl/worksheets/sheet1.xml"), "w") as entry:
            entry.write(_sheet_head(headers, columns, letters, last).encode("utf-8"))
            for text in _sheet_rows(columns, letters, voortgang):
                entry.write(text.encode("utf-8"))
            entry.write(_sheet_tail(last, bool(letters)).encode("utf-8"))
    voortgang.report(1.0, f"Excel-bestand geschreven: {rows} regels")
    return rows


def column_letter(index: int) -> str:
    """0 → 'A', 25 → 'Z', 26 → 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_name(name: str) -> str:
    """A name Excel accepts: no []:*?/\\, at most 31 characters, not empty, no outer apostrophe."""
    cleaned = _FORBIDDEN.sub("", _SHEET_NAME_FORBIDDEN.sub(" ", name)).strip().strip("'")
    return cleaned[:SHEET_NAME_MAX].strip() or "Blad1"


def escape(value: str) -> str:
    """Text safe inside an XML element: markup escaped, CR kept, forbidden characters → U+FFFD."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _FORBIDDEN.sub("\ufffd", value.replace("\r", "&#13;"))


# --- parts -------------------------------------------------------------------------------------


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with fixed metadata, so the same content gives the same bytes on any system."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = COMPRESSLEVEL  # type: ignore[attr-defined]  # honoured by 3.11–3.13
    info.create_system = 0
    info.external_attr = 0
    return info


def _write_part(archive: zipfile.ZipFile, name: str, text: str) -> None:
    archive.writestr(_entry(name), text.encode("utf-8"))


def _attribute(value: str) -> str:
    return escape(value).replace('"', "&quot;")


def _workbook(name: str, last: str, has_columns: bool) -> str:
    filter_name = (
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"'{escape(name).replace(chr(39), chr(39) * 2)}'!$A$1:${_split(last)[0]}${_split(last)[1]}"
        "</definedName></definedNames>"
        if has_columns
        else ""
    )
    return (
        _XML + f'<workbook xmlns="{_NS}" xmlns:r="{_NS_R}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{_attribute(name)}" sheetId="1" r:id="rId1"/></sheets>'
        f"{filter_name}</workbook>"
    )


def _split(reference: str) -> tuple[str, str]:
    """'F88001' → ('F', '88001')."""
    digits = len(reference) - len(reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return reference[:digits], reference[digits:]


def _widths(headers: list[str], columns: list[np.ndarray]) -> list[float]:
    widths: list[float] = []
    for header, values in zip(headers, columns, strict=True):
        sample = values[:WIDTH_SAMPLE]
        longest = max([len(header), *(len(v) for v in sample)])
        widths.append(min(MAX_WIDTH, longest + 2))
    return widths


def _sheet_head(
    headers: list[str], columns: list[np.ndarray], letters: list[str], last: str
) -> str:
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
        for i, width in enumerate(_widths(headers, columns), start=1)
    )
    header_cells = "".join(
        _cell(letter, 1, text, 1) for letter, text in zip(letters, headers, strict=True)
    )
    return (
        _XML + f'<worksheet xmlns="{_NS}" xmlns:r="{_NS_R}">'
        f'<dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
        + (f'<row r="1">{header_cells}</row>' if header_cells else "")
    )


def _sheet_tail(last: str, has_columns: bool) -> str:
    autofilter = f'<autoFilter ref="A1:{last}"/>' if has_columns else ""
    return f"</sheetData>{autofilter}</worksheet>"


def _cell(letter: str, row: int, value: str, style: int = 0) -> str:
    """One text cell (nothing for an empty value); `value` is raw text, escaped here."""
    if not value:
        return ""
    text = escape(value)
    space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{letter}{row}"{s} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _sheet_rows(
    columns: list[np.ndarray], letters: list[str], voortgang: Voortgang
) -> Iterator[str]:
    """The <row> elements of the data, CHUNK_ROWS at a time (rows 2 …)."""
    total = len(columns[0]) if columns else 0
    for start in range(0, total, CHUNK_ROWS):
        voortgang.report(start / total, f"Excel-bestand schrijven: regel {start} van {total}")
        stop = min(total, start + CHUNK_ROWS)
        numbers = range(start + 2, stop + 2)
        cells = [
            _column_cells(letter, values[start:stop].tolist(), numbers)
            for letter, values in zip(letters, columns, strict=True)
        ]
        yield "".join(
            f'<row r="{number}">{"".join(row)}</row>'
            for number, row in zip(numbers, zip(*cells, strict=True), strict=True)
        )


def _column_cells(letter: str, values: list[str], numbers: range) -> list[str]:
    """The <c> elements of one column for a chunk of rows; the common case without any escaping
    or edge whitespace is one scan of the joined column and one f-string per cell."""
    if any(v != v.strip() for v in values):  # str.strip in C: ~6x faster than a regex scan
        return [_cell(letter, n, v) for n, v in zip(numbers, values, strict=True)]
    joined = "\x00".join(values)
    if _SPECIAL.search(joined) or joined.count("\x00") != len(values) - 1:
        values = [escape(v) for v in values]
    return [
        f'<c r="{letter}{n}" t="inlineStr"><is><t>{v}</t></is></c>' if v else ""
        for n, v in zip(numbers, values, strict=True)
    ]
