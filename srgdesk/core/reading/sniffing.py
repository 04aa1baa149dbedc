"""What a file really is, decided by its first bytes, never by its extension.

Older packages save an HTML table or an XML Spreadsheet 2003 as '.xls'; users rename an xlsx to
'.csv'; people pick a PDF or a Word file by mistake. Each gets the right reader or one clear
Dutch refusal (not "tekstbestand, scheidingsteken None").
"""

from __future__ import annotations

import io
import re
import zipfile
from enum import StrEnum

from srgdesk.core.errors import InvoerFout

ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, or an encrypted .xlsx

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|table|meta)\b", re.I | re.S
)
_XML_SPREADSHEET = b"urn:schemas-microsoft-com:office:spreadsheet"


class Soort(StrEnum):
    """The kinds of input srgdesk reads."""

    TEKST = "tekst"  # CSV/TXT
    WERKMAP = "werkmap"  # xlsx, xlsm, xls, ods: python-calamine
    HTML = "html"  # a web page table saved as .xls
    XML_2003 = "xml-2003"  # Excel's XML Spreadsheet 2003


# (first bytes, what a user calls it) for files that are certainly no export.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "een PDF-bestand"),
    (b"{\\rtf", "een RTF-document (Word)"),
    (b"\x89PNG\r\n\x1a\n", "een afbeelding (PNG)"),
    (b"\xff\xd8\xff", "een afbeelding (JPEG)"),
    (b"GIF87a", "een afbeelding (GIF)"),
    (b"GIF89a", "een afbeelding (GIF)"),
    (b"II*\x00", "een afbeelding (TIFF)"),
    (b"MM\x00*", "een afbeelding (TIFF)"),
    (b"\x1f\x8b", "een gecomprimeerd bestand (gzip)"),
    (b"7z\xbc\xaf\x27\x1c", "een gecomprimeerd bestand (7-Zip)"),
    (b"Rar!\x1a\x07", "een gecomprimeerd bestand (RAR)"),
    (b"\x7fELF", "een programma"),
)


def soort_van(data: bytes, naam: str) -> Soort:
    """The reader for these bytes, or InvoerFout saying what the file is and what to do."""
    for magic, wat in _REFUSED_MAGIC:
        if data.startswith(magic):
            raise _geen_export(naam, wat)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        raise _geen_export(naam, "een afbeelding (WebP)")
    if data.startswith(ZIP_MAGIC):
        return _soort_zip(data, naam)
    if data.startswith(_EMPTY_ZIP):
        raise _geen_export(naam, "een leeg zip-archief")
    if data.startswith(CFB_MAGIC):
        if "WordDocument".encode("utf-16-le") in data:
            raise _geen_export(naam, "een Word-document")
        if "PowerPoint Document".encode("utf-16-le") in data:
            raise _geen_export(naam, "een PowerPoint-presentatie")
        return Soort.WERKMAP
    head = _text_head(data)
    if _HTML_START.match(head):
        return Soort.HTML
    if head.lstrip().startswith(b"<?xml") or head.lstrip().startswith(b"<"):
        if _XML_SPREADSHEET in data[: 1 << 16]:
            return Soort.XML_2003
        if re.search(rb"<html\b", head, re.I):
            return Soort.HTML
        if head.lstrip().startswith(b"<?xml"):
            raise _geen_export(naam, "een XML-bestand dat geen Excel-werkmap is")
    return Soort.TEKST


def _text_head(data: bytes) -> bytes:
    """The first bytes as ASCII-compatible text (UTF-16 narrowed), for markup detection."""
    head = data[:4096]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            if bom != _BOMS[0]:
                head = head.replace(b"\x00", b"")
            break
    return head


def _soort_zip(data: bytes, naam: str) -> Soort:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return Soort.WERKMAP  # damaged: the workbook reader gives the Dutch message
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names or "content.xml" in names:
        return Soort.WERKMAP
    if any(name.startswith("xl/") for name in names):
        return Soort.WERKMAP
    if "word/document.xml" in names:
        raise _geen_export(naam, "een Word-document")
    if "ppt/presentation.xml" in names:
        raise _geen_export(naam, "een PowerPoint-presentatie")
    raise _geen_export(naam, "een zip-archief")


def _geen_export(naam: str, wat: str) -> InvoerFout:
    return InvoerFout(
        f"{naam} is {wat}, geen leesbare werkmap of export met voorzieningen. Kies het "
        "exportbestand uit het softwarepakket: een CSV-bestand of een Excel-werkmap (.xlsx, .xls of .ods)."
    )
