"""The streaming xlsx writer: every value comes back as the same text (openpyxl, LibreOffice),
every part is well-formed XML, the sheet looks as promised (bold frozen header, autofilter,
widths), the bytes are the same on every run, and nothing is written outside the stream."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook

from srgdesk.core.errors import Geannuleerd, InvoerFout
from srgdesk.core.progress import Voortgang
from srgdesk.core.xlsx_writer import (
    CHUNK_ROWS,
    ZIP_DATE,
    column_letter,
    escape,
    sheet_name,
    write_xlsx,
)

SOFFICE = shutil.which("soffice")
XML_FORBIDDEN = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\ufffe", "\uffff"}

# Text of the kind that breaks XML writers: markup, quotes, CR/LF, tabs, control characters,
# edge spaces, formula starts, leading zeros, non-ASCII and astral characters.
tricky = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("&<>\"'=+-@ \t\r\n0123456789aZé€_x")),
        st.sampled_from(["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\u00a0", "😀", "\u200b"]),
        st.characters(blacklist_categories=["Cs"]),
    ),
    max_size=12,
)


def expected_text(value: str) -> str | None:
    """What a reader gets back: forbidden characters as U+FFFD, an empty cell as None."""
    text = "".join("\ufffd" if c in XML_FORBIDDEN else c for c in value)
    return text or None


def written(frame: pd.DataFrame, sheet: str = "Blad", voortgang: Voortgang | None = None) -> bytes:
    stream = io.BytesIO()
    write_xlsx(stream, frame, sheet, voortgang)
    return stream.getvalue()


def read_back(data: bytes) -> list[list[str | None]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(tricky, tricky, tricky), min_size=1, max_size=8))
def test_every_value_reads_back_as_the_same_text(rows):
    frame = pd.DataFrame(rows, columns=["a <b>", "c & d", " e "])
    data = written(frame)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))  # well-formed, or it raises
    back = read_back(data)
    assert back[0] == ["a <b>", "c & d", " e "]
    body = back[1:]
    assert len(body) <= len(rows)
    body += [()] * (len(rows) - len(body))  # readers stop at the last row that has a value
    for got, want in zip(body, rows, strict=True):
        padded = list(got) + [None] * (3 - len(got))
        assert padded == [expected_text(v) for v in want]


def test_values_are_text_cells_never_formulas_or_numbers():
    frame = pd.DataFrame({"x": ["=1+1", "0012", "1e5", "TRUE", "@SUM(A1)", "-3"]})
    sheet = load_workbook(io.BytesIO(written(frame))).worksheets[0]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    assert [c.value for c in cells] == ["=1+1", "0012", "1e5", "TRUE", "@SUM(A1)", "-3"]
    assert {c.data_type for c in cells} == {"s"}
    assert {c.number_format for c in cells} == {"@"}


def test_header_is_bold_and_frozen_with_an_autofilter_and_widths():
    frame = pd.DataFrame({"Kort": ["a", "b"], "Een veel langere kop": ["x" * 100, "y"]})
    sheet = load_workbook(io.BytesIO(written(frame))).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B3"
    assert sheet["A1"].font.b
    assert sheet["B1"].font.b
    assert not sheet["A2"].font.b
    assert sheet.column_dimensions["A"].width == len("Kort") + 2
    assert sheet.column_dimensions["B"].width == 60  # capped


def test_the_bytes_are_the_same_on_every_run_with_fixed_dates():
    frame = pd.DataFrame({"a": [str(i) for i in range(CHUNK_ROWS + 7)], "b": "x"})
    first, second = written(frame), written(frame)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE}
        core = archive.read("docProps/core.xml").decode()
    assert "1980-01-01T00:00:00Z" in core


def test_rows_across_chunks_keep_their_order_and_number():
    values = [f"{i:07d}" for i in range(2 * CHUNK_ROWS + 3)]
    back = read_back(written(pd.DataFrame({"n": values})))
    assert [row[0] for row in back[1:]] == values


def test_empty_frames_still_make_a_valid_workbook():
    assert read_back(written(pd.DataFrame({"a": [], "b": []}))) == [["a", "b"]]
    load_workbook(io.BytesIO(written(pd.DataFrame())))


def test_nothing_is_written_outside_the_stream(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a temporary file outside the target folder")

    for name in ("mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setattr(Path, "open", refuse)
    data = written(pd.DataFrame({"bsn": ["123456782"]}))
    assert read_back(data)[1] == ["123456782"]


def test_cancel_stops_the_writer():
    frame = pd.DataFrame({"a": ["x"] * (3 * CHUNK_ROWS)})
    calls = []

    def cancel_after_two() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Geannuleerd):
        write_xlsx(io.BytesIO(), frame, "Blad", Voortgang(is_cancelled=cancel_after_two))


def test_more_rows_than_excel_opens_is_refused_with_advice(monkeypatch):
    from srgdesk.core import xlsx_writer

    monkeypatch.setattr(xlsx_writer, "EXCEL_MAX_ROWS", 4)
    written(pd.DataFrame({"a": ["1", "2", "3"]}))  # 3 + the header: just fits
    with pytest.raises(InvoerFout, match="Excel opent er hooguit 3"):
        written(pd.DataFrame({"a": ["1", "2", "3", "4"]}))


def test_sheet_names_excel_refuses_are_made_acceptable():
    assert sheet_name("Conversiebestand") == "Conversiebestand"
    assert sheet_name("a/b:c[d]*?\\") == "a b c d"
    assert sheet_name("'x'") == "x"
    assert sheet_name("") == "Blad1"
    assert len(sheet_name("x" * 40)) == 31
    data = written(pd.DataFrame({"a": ["1"]}), sheet="Besluiten & <keuzes>")
    assert load_workbook(io.BytesIO(data)).sheetnames == ["Besluiten & <keuzes>"]


def test_edge_spaces_are_marked_to_be_kept():
    """Excel trims the text of a cell unless xml:space says to keep it."""
    with zipfile.ZipFile(io.BytesIO(written(pd.DataFrame({" kop": [" a", "b ", "c"]})))) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    for text in (" kop", " a", "b "):
        assert f'<t xml:space="preserve">{text}</t>' in xml
    assert "<t>c</t>" in xml


def test_column_letters_and_escaping():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
    assert escape("a&b<c>d\re\x01") == "a&amp;b&lt;c&gt;d&#13;e\ufffd"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_it_and_reads_the_same_text(tmp_path):
    values = ["0012", "=1+1", "a & b <c>", " spatie ", "Zoë €", "regel\neen", "x" * 200]
    frame = pd.DataFrame({"waarde": values, "leeg": ["", "b", "", "d", "", "f", ""]})
    source = tmp_path / "ons.xlsx"
    source.write_bytes(written(frame))
    command = [
        SOFFICE,
        f"-env:UserInstallation={(tmp_path / 'profiel').as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):59,34,76,1",
        "--outdir",
        str(tmp_path / "lo"),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    text = (tmp_path / "lo" / "ons.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["waarde", "leeg"]
    assert [r[0] for r in rows[1:]] == values
    assert [r[1] for r in rows[1:]] == list(frame["leeg"])
