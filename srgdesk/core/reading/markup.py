"""What older packages call Excel: an HTML table saved as '.xls', and XML Spreadsheet 2003.

Both are parsed with lxml without network access, DTDs or entity expansion (a file that
declares a DTD is refused). Merged cells (colspan, ss:MergeAcross) keep their label in the first
column and are reported as merges, so a group row above sub-headers is recognised.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
from lxml import etree, html

from srgdesk.core.errors import InvoerFout
from srgdesk.core.progress import Voortgang
from srgdesk.core.reading.limits import Limieten, blad_te_groot
from srgdesk.core.reading.table import Blad, column_letter
from srgdesk.core.reading.text import decode_text, strip_cell

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)\b[^>]*\[", re.I)
_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_MAX_SPAN = 1000  # a colspan or MergeAcross beyond this is damage, not layout
_CHECK_EVERY = 1 << 12


def read_html(path: Path, data: bytes, limieten: Limieten, voortgang: Voortgang) -> list[Blad]:
    """Each <table> of the page as a Blad ('Tabel 1', …), largest first is not assumed."""
    text, _ = decode_text(data)
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise _onleesbaar(path) from exc
    bladen = []
    tables = [t for t in root.iter("table") if not any(True for _ in t.iterancestors("table"))]
    for number, table in enumerate(tables, start=1):
        rows: list[list[str]] = []
        merges: list[tuple[int, int, int]] = []
        pending: dict[int, tuple[int, str]] = {}  # column -> (rows left, text) from a rowspan
        for tr in table.iter("tr"):
            if next(tr.iterancestors("table")) is not table:
                continue  # a row of a nested table
            row: list[str] = []
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                _fill_pending(row, pending)
                value = strip_cell(" ".join(cell.text_content().split()))
                span = _span(cell.get("colspan"))
                down = _span(cell.get("rowspan"))
                if span > 1:
                    merges.append((len(rows), len(row), len(row) + span - 1))
                for offset in range(span):
                    if down > 1:
                        pending[len(row)] = (down - 1, value if offset == 0 else "")
                    row.append(value if offset == 0 else "")
            _fill_pending(row, pending, to_end=True)
            rows.append(row)
            _check_size(path, f"Tabel {number}", rows, limieten, voortgang)
        if rows:
            name = f"Tabel {number}"
            bladen.append(Blad(name, _rectangle(path, name, rows, limieten), merges))
    if not bladen:
        raise InvoerFout(
            f"{path.name} is een webpagina zonder tabel, geen export met voorzieningen. Kies het "
            "exportbestand uit het softwarepakket (CSV of Excel-werkmap)."
        )
    return bladen


def _fill_pending(
    row: list[str], pending: dict[int, tuple[int, str]], to_end: bool = False
) -> None:
    """Put cells covered by a rowspan from above in place (the text for the first column's
    cell below is the same label: what a user sees in a merged block)."""
    while len(row) in pending or (to_end and any(c >= len(row) for c in pending)):
        column = len(row)
        if column not in pending:
            row.append("")
            continue
        left, value = pending.pop(column)
        row.append(value)
        if left > 1:
            pending[column] = (left - 1, value)


def _span(value: str | None, at_least: int = 1) -> int:
    try:
        return max(at_least, min(int(value or at_least), _MAX_SPAN))
    except ValueError:
        return at_least


def read_xml_2003(path: Path, data: bytes, limieten: Limieten, voortgang: Voortgang) -> list[Blad]:
    """Each <Worksheet> of an XML Spreadsheet 2003 as a Blad named by ss:Name.

    Parsed as a stream (iterparse), each row dropped from the tree once read, so memory grows
    with the cells kept, not with the XML."""
    if _DTD.search(data[: 1 << 16]):
        raise InvoerFout(
            f"{path.name} bevat een DTD-declaratie; srgdesk leest zo'n XML-bestand niet, omdat "
            "het verwijzingen naar andere bestanden kan bevatten. Open het in Excel en sla het "
            "op als .xlsx."
        )
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        tag=(f"{{{_SS}}}Worksheet", f"{{{_SS}}}Row"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
    )
    bladen: list[Blad] = []
    name = ""
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int]] = []
    try:
        for event, element in events:
            if element.tag == f"{{{_SS}}}Worksheet":
                if event == "start":
                    name = element.get(f"{{{_SS}}}Name") or f"Blad{len(bladen) + 1}"
                    rows, merges = [], []
                else:
                    bladen.append(Blad(name, _rectangle(path, name, rows, limieten), merges))
                    element.clear()
                continue
            if event == "end":
                _read_row(path, name, element, rows, merges, limieten)
                _check_size(path, name, rows, limieten, voortgang)
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise _onleesbaar(path) from exc
    if not bladen:
        raise InvoerFout(f"{path.name} bevat geen werkbladen.")
    return bladen


def _read_row(
    path: Path,
    name: str,
    element: etree._Element,
    rows: list[list[str]],
    merges: list[tuple[int, int, int]],
    limieten: Limieten,
) -> None:
    """One <Row>: ss:Index skips rows and cells, ss:MergeAcross is a horizontal merge."""
    index = _index(element, len(rows) + 1)
    if index - 1 > limieten.max_regels_totaal:
        raise blad_te_groot(path.name, name, f"A{index}", limieten)
    while len(rows) < index - 1:
        rows.append([])
    row: list[str] = []
    for cell in element.iter(f"{{{_SS}}}Cell"):
        column = _index(cell, len(row) + 1)
        if column > _MAX_SPAN * 16:
            raise blad_te_groot(path.name, name, f"{column_letter(column - 1)}{index}", limieten)
        row.extend([""] * (column - 1 - len(row)))
        data_element = cell.find(f"{{{_SS}}}Data")
        kind = data_element.get(f"{{{_SS}}}Type") if data_element is not None else None
        text = "".join(data_element.itertext()) if data_element is not None else ""
        row.append(_xml_value(text, kind))
        across = _span(cell.get(f"{{{_SS}}}MergeAcross"), at_least=0) + 1
        if across > 1:
            merges.append((len(rows), column - 1, column - 2 + across))
            row.extend([""] * (across - 1))
    rows.append(row)


def _index(element: etree._Element, default: int) -> int:
    try:
        return max(default, int(element.get(f"{{{_SS}}}Index") or default))
    except ValueError:
        return default


def _xml_value(text: str, kind: str | None) -> str:
    """A Data element as the text a user sees: numbers without '.0', dates as ISO dates."""
    text = strip_cell(text)
    if kind == "Number":
        try:
            number = float(text)
        except ValueError:
            return text
        if number.is_integer() and abs(number) < 1e16:
            return str(int(number))
        return text
    if kind == "DateTime" and "T" in text:
        day, time = text.split("T", 1)
        return day if time.strip("0:.") == "" else f"{day} {time.split('.')[0]}"
    return text


def _check_size(
    path: Path, name: str, rows: list[list[str]], limieten: Limieten, voortgang: Voortgang
) -> None:
    if len(rows) % _CHECK_EVERY == 0:
        voortgang.check()
    if len(rows) > limieten.max_regels_totaal:
        raise blad_te_groot(path.name, name, f"A{len(rows)}", limieten)


def _rectangle(path: Path, name: str, rows: list[list[str]], limieten: Limieten) -> pd.DataFrame:
    """The rows as one frame; refused when rows x columns passes the cell budget."""
    if not rows:
        return pd.DataFrame(dtype=object)
    width = max(map(len, rows))
    if len(rows) * width > limieten.max_cellen:
        raise blad_te_groot(
            path.name, name, f"{column_letter(max(width, 1) - 1)}{len(rows)}", limieten
        )
    return pd.DataFrame(rows, dtype=object).fillna("")


def _onleesbaar(path: Path) -> InvoerFout:
    return InvoerFout(
        f"{path.name} kan niet worden gelezen (de opmaak is beschadigd). Open het in Excel, "
        "sla het op als .xlsx en probeer het opnieuw."
    )
