"""Generators for the exports the reading tests feed in: CSV text, workbooks with merged group
rows and several sheets, HTML tables saved as '.xls', XML Spreadsheet 2003, files that are no
export at all. Each returns bytes or writes a file; nothing is checked in."""

from __future__ import annotations

import io
import zipfile
from html import escape
from pathlib import Path

from openpyxl import Workbook

HEADER = ["Gemeentecode", "Berichtgevercode", "BSN", "Registratienummer", "Soort", "Begindatum"]


def bsn(seed: int) -> str:
    """A 9-digit BSN that passes the elfproef (distinct seeds give distinct numbers)."""
    while True:
        head = f"{(seed * 7919 + 10_000_000) % 100_000_000:08d}"
        check = sum((9 - i) * int(d) for i, d in enumerate(head)) % 11
        if check < 10:
            return head + str(check)
        seed += 100_003


def data_rows(n: int, start: int = 0) -> list[list[str]]:
    """SRG-like rows for HEADER, all text, with leading zeros."""
    return [
        ["0363", "4021", bsn(start + i), f"{start + i:07d}", "07", "20240101"] for i in range(n)
    ]


def csv_bytes(rows: list[list[str]], sep: str = ";", newline: str = "\r\n") -> bytes:
    """Plain delimited text without any quoting (cells must not hold sep, quotes or breaks)."""
    return (newline.join(sep.join(row) for row in rows) + newline).encode()


def xlsx_bytes(
    sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> bytes:
    """A workbook with the given sheets (in order) and merged ranges like 'B1:E1'."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def html_xls_bytes(rows: list[list[str]], group: list[tuple[str, int]] | None = None) -> bytes:
    """An HTML page with one table, as older packages save '.xls'; `group` is an optional row
    of (label, colspan) above the header."""
    lines = [
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>',
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>',
        "<table border=1>",
    ]
    if group:
        cells = "".join(f'<td colspan="{span}">{escape(label)}</td>' for label, span in group)
        lines.append(f"<tr>{cells}</tr>")
    for index, row in enumerate(rows):
        tag = "th" if index == 0 else "td"
        lines.append("<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in row) + "</tr>")
    lines.append("</table></body></html>")
    return "\n".join(lines).encode()


def xml_2003_bytes(sheets: dict[str, list[list[object]]], preamble: str = "") -> bytes:
    """An Excel XML Spreadsheet 2003 file; int/float cells are Number, 'YYYY-MM-DDT…' DateTime."""
    out = [
        '<?xml version="1.0"?>',
        preamble,
        '<?mso-application progid="Excel.Sheet"?>',
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">',
    ]
    for name, rows in sheets.items():
        out.append(f'<Worksheet ss:Name="{escape(name)}"><Table>')
        for row in rows:
            out.append("<Row>")
            for value in row:
                if isinstance(value, (int, float)):
                    kind = "Number"
                elif isinstance(value, str) and "T00:00:00" in value:
                    kind = "DateTime"
                else:
                    kind = "String"
                out.append(f'<Cell><Data ss:Type="{kind}">{escape(str(value))}</Data></Cell>')
            out.append("</Row>")
        out.append("</Table></Worksheet>")
    out.append("</Workbook>")
    return "\n".join(out).encode()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


NOT_EXPORTS: dict[str, bytes] = {
    "pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n",
    "docx": zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}),
    "zip": zip_bytes({"export.csv": b"BSN;Nummer\n123456782;1\n"}),
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64,
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    + b"\x00" * 500
    + "WordDocument".encode("utf-16-le")
    + b"\x00" * 64,
    "rtf": b"{\\rtf1\\ansi Voorzieningen}",
}


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
