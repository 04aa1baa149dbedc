"""CSV reading: which parser ran, a stray quote never swallows rows, cancelling stops reading."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reading_generators import HEADER, csv_bytes, data_rows, write, xlsx_bytes

from srgdesk.core.errors import Geannuleerd
from srgdesk.core.progress import Voortgang
from srgdesk.core.reading import Lezer, read_table


def test_a_regular_file_goes_through_the_fast_parser(tmp_path):
    table = read_table(write(tmp_path, "export.csv", csv_bytes([HEADER, *data_rows(5)])))
    assert table.lezer == Lezer.CSV_SNEL
    assert table.leesproblemen == []
    assert table.cells["Registratienummer"].tolist() == [f"{i:07d}" for i in range(5)]


def test_a_short_ragged_row_near_the_top_is_read_by_the_fast_parser(tmp_path):
    rows = [HEADER, *data_rows(3)]
    rows[2] = [*rows[2], "extra", "nog een"]
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert table.lezer == Lezer.CSV_SNEL
    assert table.regels == [2, 3, 4]
    assert table.extra_velden == {3: 2}
    assert table.extra_per_rij == {1: 2}


def test_a_long_row_far_down_goes_through_the_careful_parser_and_keeps_every_row(tmp_path):
    rows = [HEADER, *data_rows(300)]
    rows[280] = [*rows[280], "extra"]  # beyond the lines the fast parser sizes its columns on
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert table.lezer == Lezer.CSV_ZORGVULDIG
    assert table.regels == list(range(2, 302))
    assert table.extra_velden == {281: 1}
    assert table.extra_per_rij == {279: 1}


def test_a_quoted_line_break_is_one_row_and_no_problem(tmp_path):
    data = b'Registratienummer;Omschrijving;Soort\r\nA1;"twee\r\nregels";07\r\nA2;gewoon;07\r\n'
    table = read_table(write(tmp_path, "export.csv", data))
    assert table.lezer == Lezer.CSV_ZORGVULDIG
    assert table.cells["Omschrijving"].tolist() == ["twee\r\nregels", "gewoon"]
    assert table.leesproblemen == []


def test_one_stray_quote_in_240_lines_loses_no_row_and_names_the_line(tmp_path):
    rows = [HEADER, *data_rows(239)]
    rows[5][5] = '"' + rows[5][5]  # line 6: an opening quote that is never closed
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert len(table.regels) == 239
    assert table.regels == list(range(2, 241))
    assert [p.regel for p in table.leesproblemen] == [6]
    reden = table.leesproblemen[0].tekst()
    assert reden.startswith("Regel 6: ")
    assert "aanhalingsteken" in reden
    assert rows[5][2] not in reden  # no cell value (a BSN) in the message
    # The culprit line is kept, read literally; the lines after it are read normally.
    assert table.cells.iloc[4].tolist() == rows[5]
    assert table.cells.iloc[5].tolist() == rows[6]


# Never empty (a line of empty cells is a blank line, not a data line), no separator, no quote.
SAFE_CELL = (
    st.text(alphabet=st.sampled_from(list("ab0 é-.")), min_size=1, max_size=6)
    .map(str.strip)
    .filter(bool)
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    width=st.integers(2, 6),
    data=st.data(),
    sep=st.sampled_from([";", ",", "\t"]),
)
def test_rows_read_plus_rows_lost_is_the_number_of_data_lines_for_any_quote_damage(
    tmp_path, width, data, sep
):
    header = [f"Kop{c}" for c in range(width)]
    body = data.draw(
        st.lists(st.lists(SAFE_CELL, min_size=width, max_size=width), min_size=1, max_size=30)
    )
    lines = [sep.join(row) for row in body]
    damage = data.draw(
        st.lists(st.tuples(st.integers(0, len(lines) - 1), st.integers(0, 40)), max_size=8)
    )
    for line_index, position in damage:  # a quote anywhere in a data line
        line = lines[line_index]
        at = min(position, len(line))
        lines[line_index] = line[:at] + '"' + line[at:]
    damaged = {index for index, _ in damage}
    text = "\r\n".join([sep.join(header), *lines]) + "\r\n"
    table = read_table(write(tmp_path, "export.csv", text.encode()))

    assert table.headers == header
    assert table.regels == list(range(2, len(lines) + 2))  # every data line is a row: none lost
    assert {p.regel for p in table.leesproblemen} <= {i + 2 for i in damaged}
    for index, row in enumerate(body):
        if index not in damaged:
            assert table.cells.iloc[index].tolist() == row


class CancelAfter:
    """A cancel check that says 'cancel' from its n-th question on, and counts the questions."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.asked = 0

    def __call__(self) -> bool:
        self.asked += 1
        return self.asked >= self.n


@pytest.mark.parametrize("name", ["export.csv", "export.xlsx", "beschadigd.csv"])
def test_reading_stops_when_the_user_cancels(tmp_path, name):
    rows = [HEADER, *data_rows(50)]
    if name == "export.xlsx":
        path = write(tmp_path, name, xlsx_bytes({"Blad1": rows}))
    else:
        if name.startswith("beschadigd"):
            rows[3][5] = '"' + rows[3][5]
        path = write(tmp_path, name, csv_bytes(rows))
    for n in (1, 2, 3):
        check = CancelAfter(n)
        with pytest.raises(Geannuleerd):
            read_table(path, voortgang=Voortgang(is_cancelled=check))
        assert check.asked == n  # reading asked again after each step until told to stop
    assert len(read_table(path, voortgang=Voortgang()).regels) == 50


def test_the_careful_reader_checks_for_cancel_while_it_reads(tmp_path, monkeypatch):
    from srgdesk.core.reading import text

    monkeypatch.setattr(text, "_CHECK_EVERY", 10)
    rows = [HEADER, *data_rows(100)]
    rows[1][5] = '"' + rows[1][5]
    path = write(tmp_path, "export.csv", csv_bytes(rows))
    asked = []
    with pytest.raises(Geannuleerd):
        read_table(
            path, voortgang=Voortgang(is_cancelled=lambda: asked.append(1) or len(asked) > 4)
        )
    assert len(asked) == 5


def test_lines_after_a_quote_left_open_at_the_end_are_kept(tmp_path):
    rows = [HEADER, *data_rows(4)]
    rows[4][4] = '"' + rows[4][4]  # the last line opens a quote that the file never closes
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert table.regels == [2, 3, 4, 5]
    assert [p.regel for p in table.leesproblemen] == [5]


# Cells with every kind of white space at their edges, quotes, separators and non-ASCII text.
edge_cell = st.text(
    alphabet=st.sampled_from(list('ab0 ;,|"\t\x0b\x1f\xa0\x85\u2003\u3000é€“=')), max_size=4
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(edge_cell, min_size=1, max_size=4), min_size=1, max_size=6),
    st.sampled_from([";", ",", "\t", "|"]),
    st.sampled_from([("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]),
    st.sampled_from(["\r\n", "\n"]),
    st.booleans(),
)
@example([["a", "b "]], ";", ("utf-8", "UTF-8"), "\n", False)
@example([[" a", "b"]], ",", ("cp1252", "Windows-1252"), "\r\n", True)
@example([["a", "b\t"]], "\t", ("utf-8", "UTF-8"), "\n", True)
def test_the_byte_check_for_edge_spaces_reads_what_the_column_check_reads(
    rows, sep, encoding, ending, last_line_ended
):
    """When the bytes show no white space at a cell's edge, stripping is skipped: the cells
    must then be exactly those of the column-by-column check."""
    import csv as csv_module
    import io as io_module

    from srgdesk.core.reading import limieten
    from srgdesk.core.reading.text import Bytes, _parse_regular, count_lines, decode_text

    buffer = io_module.StringIO(newline="")
    csv_module.writer(buffer, delimiter=sep, lineterminator=ending).writerows(rows)
    try:
        written = buffer.getvalue()
        data = (written if last_line_ended else written.removesuffix(ending)).encode(encoding[0])
    except UnicodeEncodeError:
        return  # a character Windows-1252 cannot hold
    text, name = decode_text(data)
    if not text or name != encoding[1]:
        return  # cp1252 bytes that happen to be valid UTF-8
    lines = Bytes.of(data, name).lines()
    assert lines == count_lines(text)
    by_column = _parse_regular(text, sep, limieten())
    by_bytes = _parse_regular(text, sep, limieten(), bron=Bytes.of(data, name), lines=lines)
    if by_column is None:
        assert by_bytes is None
        return
    assert by_bytes.to_numpy().tolist() == by_column.to_numpy().tolist()


@given(st.text(alphabet=st.sampled_from(list("ab\r\n")), max_size=12))
def test_lines_are_counted_the_same_on_bytes_and_on_text(text):
    from srgdesk.core.reading.text import Bytes, count_lines

    if text:
        assert Bytes.of(text.encode(), "UTF-8").lines() == count_lines(text)


def test_a_file_without_edge_spaces_is_not_stripped_column_by_column(tmp_path, monkeypatch):
    from srgdesk.core.reading import text as text_module

    def refuse(joined):
        raise AssertionError("column check ran")

    monkeypatch.setattr(text_module, "edge_space", refuse)
    table = read_table(write(tmp_path, "export.csv", csv_bytes([HEADER, *data_rows(5)])))
    assert table.lezer == Lezer.CSV_SNEL


def test_a_space_before_a_separator_is_still_stripped(tmp_path):
    rows = [HEADER, *data_rows(3)]
    rows[2][0] = rows[2][0] + " "
    rows[3][1] = "\xa0" + rows[3][1]
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert table.cells.iloc[1, 0] == rows[2][0].strip()
    assert table.cells.iloc[2, 1] == rows[3][1].strip()


def test_a_byte_windows_1252_leaves_undefined_becomes_a_question_mark_in_the_fast_parser(
    tmp_path,
):
    rows = [HEADER, *data_rows(3)]
    data = csv_bytes(rows).replace(b"0000001", b"00\x8100001").replace(b"07", b"\xe907", 1)
    table = read_table(write(tmp_path, "export.csv", data))
    assert table.encoding == "Windows-1252"
    assert table.lezer == Lezer.CSV_SNEL
    assert table.cells["Registratienummer"].tolist()[1] == "00?00001"
    assert table.cells["Soort"].tolist()[0] == "é07"


def test_a_utf8_file_with_a_byte_order_mark_is_parsed_from_its_bytes_without_the_mark(tmp_path):
    data = b"\xef\xbb\xbf" + csv_bytes([HEADER, *data_rows(3)])
    table = read_table(write(tmp_path, "export.csv", data))
    assert table.encoding == "UTF-8 met BOM"
    assert table.lezer == Lezer.CSV_SNEL
    assert table.headers == HEADER
