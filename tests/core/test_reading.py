"""read_table: any export → text cells, Excel row numbers and facts about how it was read."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from srgdesk.core.errors import InvoerFout
from srgdesk.core.reading import decode_text, read_table, sniff_delimiter

FORMATS = Path(__file__).parent.parent / "data" / "formats"
HEADER = ["Gemeentecode", "Berichtgevercode", "BSN", "Registratienummer", "Soort", "Begindatum"]


def write(tmp_path: Path, data: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_each_separator_is_found_by_sniffing(tmp_path, sep):
    rows = [HEADER, ["0363", "4021", "012345672", "0001234", "01", "20240101"]]
    text = "\r\n".join(sep.join(r) for r in rows)
    table = read_table(write(tmp_path, text.encode()))
    assert table.scheidingsteken == sep
    assert table.headers == HEADER
    assert table.cells.iloc[0].tolist() == rows[1]


def test_one_column_file_is_not_split(tmp_path):
    table = read_table(write(tmp_path, b"BSN\r\n012345672\r\n111222333\r\n"))
    assert table.headers == ["BSN"]
    assert table.scheidingsteken is None
    assert table.cells["BSN"].tolist() == ["012345672", "111222333"]


def test_leading_zeros_and_long_numbers_stay_text(tmp_path):
    table = read_table(write(tmp_path, b"Registratienummer;BSN\n0001234;012345672\n"))
    assert table.cells.iloc[0].tolist() == ["0001234", "012345672"]


def test_cp1252_is_read_as_windows_1252_not_guessed(tmp_path):
    data = "Omschrijving;Code\nRe-integratie café – reïntegratie;01\n".encode("cp1252")
    table = read_table(write(tmp_path, data))
    assert table.encoding == "Windows-1252"
    assert table.cells.iat[0, 0] == "Re-integratie café – reïntegratie"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("è".encode("utf-8-sig"), "UTF-8 met BOM"),
        ("è".encode(), "UTF-8"),
        ("è".encode("cp1252"), "Windows-1252"),
    ],
)
def test_encoding_cascade(data, encoding):
    assert decode_text(data) == ("è", encoding)


def test_quoted_line_breaks_blank_lines_and_trailing_separators_keep_excel_row_numbers(tmp_path):
    data = b'Registratienummer;Omschrijving;\r\nA1;"twee\r\nregels";\r\n\r\nA2;gewoon;\r\n'
    table = read_table(write(tmp_path, data))
    assert table.headers == ["Registratienummer", "Omschrijving"]
    assert table.cells["Omschrijving"].tolist() == ["twee\r\nregels", "gewoon"]
    # Excel shows the quoted record as one row (2), the blank line as row 3.
    assert table.regels == [2, 4]
    assert table.lege_regels == 1


def test_extra_filled_cells_beyond_the_header_are_recorded(tmp_path):
    table = read_table(write(tmp_path, b"A;B\n1;2\n3;4;5\n"))
    assert table.extra_velden == {3: 1}


@pytest.mark.parametrize("extension", ["xlsx", "xls", "ods"])
def test_workbooks_header_below_title_rows_and_sheet_with_most_data(extension):
    table = read_table(FORMATS / f"titelrijen.{extension}")
    assert table.werkblad == "Voorzieningen"
    assert table.werkbladen == ["Toelichting", "Voorzieningen"]
    assert table.kopregel == 4
    assert table.regels == [5, 6, 7]
    first = table.cells.iloc[0]
    assert first["BSN"] == "12345672"  # a number cell, no '.0'; cleaning pads it
    assert first["Registratienummer voorziening"] == "0000001003"
    assert first["Begindatum voorziening"] == "2016-01-20"  # a date cell becomes a date
    assert first["Omschrijving voorziening"] == "Loonkostensubsidie café"


def test_a_chosen_sheet_is_read_and_an_unknown_sheet_is_a_dutch_error():
    table = read_table(FORMATS / "titelrijen.xlsx", werkblad="Voorzieningen")
    assert table.werkblad == "Voorzieningen"
    with pytest.raises(InvoerFout, match="geen gegevensregels"):
        read_table(FORMATS / "titelrijen.xlsx", werkblad="Toelichting")
    with pytest.raises(InvoerFout, match="Werkblad 'Bestaat niet' staat niet in"):
        read_table(FORMATS / "titelrijen.xlsx", werkblad="Bestaat niet")


def test_header_row_of_a_csv_below_title_lines(tmp_path):
    data = (
        "Export voorzieningen;;;\nGemaakt op;01-02-2024;;\n;;;\n"
        "Gemeentecode;BSN;Registratienummer;Soort\n0363;012345672;1;01\n"
    )
    table = read_table(write(tmp_path, data.encode()))
    assert table.kopregel == 4
    assert table.regels == [5]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is leeg"),
        (b"   \r\n\r\n", "is leeg"),
        (b"A;B;C\r\n", "geen gegevensregels"),
        (b"PK\x03\x04 broken zip", "geen leesbare werkmap"),
    ],
)
def test_unusable_files_give_one_dutch_error(tmp_path, data, message):
    with pytest.raises(InvoerFout, match=message):
        read_table(write(tmp_path, data, "export.xlsx" if data.startswith(b"PK") else "export.csv"))


def test_missing_file_is_a_dutch_error(tmp_path):
    with pytest.raises(InvoerFout, match="bestaat niet"):
        read_table(tmp_path / "weg.csv")


def test_largest_sheet_wins_even_when_it_is_not_first(tmp_path):
    workbook = Workbook()
    workbook.active.append(["Toelichting"])
    sheet = workbook.create_sheet("Data")
    sheet.append(HEADER)
    for i in range(3):
        sheet.append(["0363", "4021", "012345672", f"{i:04d}", "01", "20240101"])
    path = tmp_path / "twee.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.werkblad == "Data"
    assert table.cells["Registratienummer"].tolist() == ["0000", "0001", "0002"]


def test_sniffer_ignores_commas_inside_a_semicolon_file():
    assert sniff_delimiter("A;B;C\n1,5;2;3\n") == ";"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_give_a_table_or_a_dutch_error(tmp_path, data):
    path = write(tmp_path, data, "random.csv")
    try:
        table = read_table(path)
    except InvoerFout as fout:
        melding = fout.melding
        assert melding
    else:
        assert len(table.cells) == len(table.regels) > 0
        assert all(isinstance(v, str) for v in table.cells.to_numpy().ravel())


def test_a_row_with_content_only_beyond_the_header_is_kept_not_taken_for_blank(tmp_path):
    table = read_table(write(tmp_path, b"A;B\n1;2\n;;zomaar\n"))
    assert table.regels == [2, 3]
    assert table.extra_velden == {3: 1}
    assert table.lege_regels == 0


cell_text = st.text(alphabet=st.sampled_from(list('ab0 ;"\t\n\r,é=')), max_size=5)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(cell_text, min_size=1, max_size=4), min_size=1, max_size=6),
    st.sampled_from([";", ","]),
)
def test_fast_parser_reads_exactly_what_the_csv_module_reads(rows, sep):
    import csv as csv_module
    import io as io_module

    from srgdesk.core.reading import _grid, _parse_regular, limieten, strip_cell

    buffer = io_module.StringIO(newline="")
    csv_module.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    fast = _parse_regular(text, sep, limieten())
    if fast is None:  # only a quoted line break may hide fields from the width estimate
        assert any("\r" in cell or "\n" in cell for row in rows for cell in row)
        return
    slow = _grid(
        [
            [strip_cell(c) for c in r]
            for r in csv_module.reader(io_module.StringIO(text, newline=""), delimiter=sep)
        ]
    )
    assert _without_empty_tail(fast) == _without_empty_tail(slow)


def _without_empty_tail(grid):
    """Rows as lists, without trailing all-empty columns (a trailing separator adds nothing)."""
    rows = grid.to_numpy().tolist()
    width = grid.shape[1]
    while width and all(row[width - 1] == "" for row in rows):
        width -= 1
    return [row[:width] for row in rows]


def test_a_workbook_cell_keeps_a_tab_hidden_behind_spaces_so_cleaning_can_reject_it(tmp_path):
    workbook = Workbook()
    workbook.active.append(["Registratienummer", "Omschrijving"])
    workbook.active.append(["0001", "  \t=HYPERLINK(1)"])
    workbook.active.append(["0002", "  gewoon  "])
    path = tmp_path / "formule.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.cells["Omschrijving"].tolist() == ["\t=HYPERLINK(1)", "gewoon"]


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab;\r\n\x0c\x85 ", max_size=300),
    head=st.integers(1, 20),
    count=st.integers(1, 45),
)
def test_the_separator_is_sniffed_on_the_same_first_lines_from_a_short_start(text, head, count):
    """The first lines come from a short start of the text when it holds enough of them: the
    same lines as splitting the whole first megabyte (a CR LF on the edge included)."""
    from srgdesk.core.reading import text as module

    expected = text[: module._SNIFF_CHARS].splitlines()[:count]
    assert module._first_lines(text, count, head_chars=head) == expected
