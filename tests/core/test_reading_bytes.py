"""Reading a CSV from its bytes (issue 17): the encoding is chosen, the start of the text decoded,
lines counted and edge spaces looked for without decoding the whole file. Each must give exactly
what decoding the whole text gives: the same encoding name, text, rows, cells and problems."""

import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from srgdesk.core.errors import InvoerFout
from srgdesk.core.progress import Voortgang
from srgdesk.core.reading import limieten, read_table
from srgdesk.core.reading.table import Blad, Lezer, build_table
from srgdesk.core.reading.text import (
    _HEAD_CHARS,
    Bytes,
    _grid,
    _parse_regular,
    _read_careful,
    byte_encoding,
    count_lines,
    decode_text,
    line_breaks,
    scan_bytes,
    sniff_delimiter,
)

# Bytes that steer each decision: BOMs, bytes cp1252 leaves undefined, UTF-8 sequences (whole,
# cut, white space beyond ASCII), separators, quotes, every line end and ASCII white space.
PIECES = [
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x81", b"\x9d", b"\xe9", b"\xa0", b"\x85",
    "é".encode(), "€".encode(), "\u2003".encode(), "\xa0".encode(), b"\xc3", b"\xe2\x80",
    b";", b",", b"\t", b"|", b'"', b"\r", b"\n", b"\r\n", b" ", b"\x0b", b"\x1f",
    b"a", b"0", b"Kolom", b"BSN", b"=",
]  # fmt: skip
some_bytes = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map(b"".join)


@settings(max_examples=500, deadline=None)
@given(some_bytes)
@example(b"\xef\xbb\xbf")
@example(b"\xef\xbb\xbfcaf\xe9;1\r\n")  # a BOM followed by Windows-1252 bytes
@example(b"\xff\xfea\x00")
def test_the_encoding_is_chosen_as_decoding_the_whole_file_chooses_it(data):
    text, name = decode_text(data)
    found = byte_encoding(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert found is None  # UTF-16, or what a failed UTF-16 falls back to: decode it
        return
    assert found is not None
    assert found[0] == name
    if name != "Windows-1252":  # only there can a byte decode_text makes '?' hide from isascii
        assert found[1] == text.isascii()
    bron = Bytes.read(data)
    assert bron is not None
    for chars in (1, 3, 7, len(text) + 5):
        assert bron.head(chars) == text[:chars]


@settings(max_examples=300, deadline=None)
@given(some_bytes)
@example(b"a\rb\r\n\r\rc")  # lone CRs beside a CR LF
@example(b"\r")
def test_lines_are_counted_on_the_bytes_as_on_the_text(data):
    text, _ = decode_text(data)
    lf, _, _ = line_breaks(data)
    assert lf == data.count(b"\n")
    bron = Bytes.read(data)
    if bron is not None:
        assert bron.lines() == count_lines(text)


def test_lines_are_counted_across_the_steps_of_the_scan(monkeypatch):
    from srgdesk.core.reading import text as module

    monkeypatch.setattr(module, "_STEP", 4)
    for data in (b"abc\r\ndef\r\n", b"ab\r\r\nd\rx", b"abcd\r", b"\n\n\r\n\r"):
        lf, cr, crlf = line_breaks(data)
        assert (lf, cr, crlf) == (data.count(b"\n"), data.count(b"\r"), data.count(b"\r\n"))
        text, name = decode_text(data)
        assert Bytes.of(data, name).lines() == count_lines(text)


@settings(max_examples=300, deadline=None)
@given(some_bytes, st.sampled_from([";", ",", "\t", "|"]), st.sampled_from([3, 4, 1 << 18]))
@example(b"\xef\xbb\xbf a;b", ";", 4)  # a space right after the BOM starts the text
def test_the_one_pass_scan_sees_the_spaces_the_search_per_byte_sees(data, sep, step):
    from srgdesk.core.reading import text as module

    original = module._STEP
    module._STEP = step
    try:
        scanned = Bytes.read(data, scan_bytes(data))
        searched = Bytes.read(data)
        if scanned is not None and searched is not None:
            assert scanned.no_edge_space(sep) == searched.no_edge_space(sep)
    finally:
        module._STEP = original


def _by_text(path: Path, data: bytes):
    """The table as read before issue 17's byte path: the whole text decoded, the lines counted
    on it, pandas given the text, the same fallback to the careful reader."""
    grenzen = limieten()
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text)
    lines = count_lines(text)
    grid = _parse_regular(text, delimiter, grenzen, lines=lines)
    problemen = []
    lezer = Lezer.CSV_SNEL
    if grid is None or len(grid) < lines:
        rows, problemen = _read_careful(path, text, delimiter, grenzen, Voortgang())
        grid = _grid(rows)
        lezer = Lezer.CSV_ZORGVULDIG
    table = build_table(path, Blad(None, grid), kind="csv", lezer=lezer, limieten=grenzen)
    table.encoding, table.scheidingsteken = encoding, delimiter
    kept = set(table.regels)
    table.leesproblemen = [p for p in problemen if p.regel in kept]
    return table


def _same(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    if not data or data.isspace():
        return  # refused before the text reader runs
    try:
        expected = _by_text(path, data)
    except InvoerFout as fout:
        melding = str(fout)
    else:
        melding = None
    if melding is not None:  # the same refusal
        with pytest.raises(InvoerFout, match=re.escape(melding)):
            read_table(path)
        return
    table = read_table(path)
    assert (table.encoding, table.scheidingsteken) == (expected.encoding, expected.scheidingsteken)
    assert table.headers == expected.headers
    assert table.cells.to_numpy().tolist() == expected.cells.to_numpy().tolist()
    assert list(table.regels) == list(expected.regels)
    assert table.lezer == expected.lezer
    assert table.leesproblemen == expected.leesproblemen
    assert (table.extra_velden, table.lege_regels) == (expected.extra_velden, expected.lege_regels)


# Rows of cells from the pieces above, joined by one separator and one kind of line end.
cell = st.lists(
    st.sampled_from([p for p in PIECES if p not in (b"\r", b"\n", b"\r\n")]), max_size=3
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from([b"", b"\xef\xbb\xbf"]),
    st.lists(st.lists(cell.map(b"".join), min_size=1, max_size=4), min_size=1, max_size=6),
    st.sampled_from([b";", b",", b"\t", b"|"]),
    st.sampled_from([b"\r\n", b"\n", b"\r"]),
    st.booleans(),
)
@example(b"", [[b" 0", b"a"], [b"0", b"a "]], b";", b"\n", False)  # white space at the file's ends
@example(b"", [[b"Kolom", b"BSN"], [b'" 0"', b"a"]], b";", b"\n", True)  # a space in quotes
def test_a_file_reads_the_same_from_its_bytes_as_from_its_whole_text(
    tmp_path, bom, rows, sep, ending, last_line_ended
):
    data = bom + ending.join(sep.join(row) for row in rows) + (ending if last_line_ended else b"")
    _same(tmp_path / "export.csv", data)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"Code;Omschrijving\r\n01;caf\xe9 \x81\r\n02;thee\r\n", "Windows-1252"),  # undefined byte
        (b"\xef\xbb\xbfCode;Omschrijving\r\n01;caf\xe9\r\n02;thee\r\n", "Windows-1252"),
        ("Code;Omschrijving\r\n01;café\r\n".encode("utf-16"), "UTF-16"),
        (b"Code;Omschrijving\r01;koffie\r02;thee\r", "UTF-8"),  # lone CRs (old Mac)
        (b"Code;Omschrijving\n01;caf\xc3\xa9 \n02;\xc2\xa0thee\n", "UTF-8"),  # edge spaces
    ],
)
def test_each_path_through_the_reader_gives_what_the_whole_text_gives(tmp_path, data, encoding):
    _same(tmp_path / "export.csv", data)
    assert read_table(tmp_path / "export.csv").encoding == encoding


def test_a_long_first_line_is_sniffed_on_up_to_a_megabyte_of_text(tmp_path):
    """A header longer than the short start: the separator is decided on the first whole lines
    of the first megabyte, as before (here the short start alone would say ',')."""
    head = ",".join(f"deel{i}" for i in range(_HEAD_CHARS // 6))
    header = head + ";" + ";".join(f"Kolom {i}" for i in range(5))
    text = header + "\r\n" + "\r\n".join("1;2;3;4;5;6" for _ in range(50)) + "\r\n"
    assert sniff_delimiter(text[:_HEAD_CHARS]) == ","
    _same(tmp_path / "export.csv", text.encode())
    assert read_table(tmp_path / "export.csv").scheidingsteken == ";"


def test_a_non_ascii_utf8_file_is_not_kept_as_text(tmp_path):
    rows = "\r\n".join(f"{i};café {i}" for i in range(2000))
    data = ("Code;Omschrijving\r\n" + rows + "\r\n").encode()
    _same(tmp_path / "export.csv", data)
    assert read_table(tmp_path / "export.csv").lezer == Lezer.CSV_SNEL


def test_the_row_numbers_of_a_table_behave_as_the_list_of_those_numbers(tmp_path):
    import numpy as np

    data = b"Code;Omschrijving\r\n01;koffie\r\n\r\n02;thee\r\n03;water\r\n"
    regels = read_table(_write(tmp_path, data)).regels
    assert regels == [2, 4, 5]
    assert [2, 4, 5].__eq__(regels) is NotImplemented  # so Python asks regels: equal
    assert regels != [2, 4]
    assert list(regels) == [2, 4, 5]
    assert regels[1] == 4
    assert type(regels[np.int64(1)]) is int
    assert regels[:2] == [2, 4]
    assert type(regels[:2]) is list
    assert 4 in regels
    assert 3 not in regels
    assert "4" not in regels
    assert repr(regels) == "[2, 4, 5]"
    array = np.asarray(regels, dtype=np.int64)
    array[0] = 99  # a caller's array is its own
    assert regels == [2, 4, 5]
    assert sorted(set(regels)) == [2, 4, 5]


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    return path


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(cell.map(b"".join), min_size=1, max_size=4), max_size=6),
    st.sampled_from([b";", b","]),
    st.sampled_from([b"\r\n", b"\n"]),
    st.integers(1, 4),
)
def test_the_frame_of_one_block_per_column_is_the_frame_read_csv_gives(rows, sep, ending, width):
    """_read_csv skips read_csv's stacking of the columns: the same cells, columns, index and
    errors, in one block per column."""
    import io as io_module

    import pandas as pd

    from srgdesk.core.reading.text import _read_csv

    data = ending.join(sep.join(row) for row in rows)
    options = {
        "sep": sep.decode(),
        "header": None,
        "names": range(width),
        "dtype": object,
        "encoding": "cp1252",
        "keep_default_na": False,
        "na_filter": False,
        "skip_blank_lines": False,
        "engine": "c",
        "index_col": False,
    }
    with warnings.catch_warnings():  # as _parse_regular reads: a longer row is an error
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            expected = pd.read_csv(io_module.BytesIO(data), **options)
        except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError) as fout:
            with pytest.raises(type(fout)):
                _read_csv(io_module.BytesIO(data), **options)
            return
        frame = _read_csv(io_module.BytesIO(data), **options)
    assert frame.equals(expected)
    assert frame.index.equals(expected.index)
    assert list(frame.columns) == list(expected.columns)
    assert frame._mgr.nblocks == (width if len(frame) else frame._mgr.nblocks)
