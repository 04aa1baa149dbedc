"""Header rows: a group row over short sub-headers, exports without any header, no BSN as name."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reading_generators import HEADER, bsn, csv_bytes, data_rows, html_xls_bytes, write, xlsx_bytes

from srgdesk.core.bsn import bsn_is_valid
from srgdesk.core.reading import read_table

SUB = ["BSN", "Naam", "Nummer", "Code", "Begin", "Einde"]
COMBINED = [
    "BSN",
    "Naam",
    "Voorziening Nummer",
    "Voorziening Code",
    "Voorziening Begin",
    "Voorziening Einde",
]


def test_a_csv_group_cell_followed_by_empty_cells_names_each_sub_header(tmp_path):
    rows = [["", "", "Voorziening", "", "", ""], SUB, [bsn(1), "Jan", "0001", "07", "20240101", ""]]
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert table.headers == COMBINED
    assert table.kopregel == 2
    assert table.regels == [3]


def test_two_groups_in_a_csv_each_cover_their_own_columns(tmp_path):
    rows = [
        ["Client", "", "Voorziening", "", "", ""],
        SUB,
        [bsn(1), "Jan", "0001", "07", "20240101", ""],
    ]
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert table.headers == ["Client BSN", "Client Naam", *COMBINED[2:]]


def test_merged_cells_in_a_workbook_give_one_header_per_column(tmp_path):
    rows = [
        ["BSN", "Voorziening", None, None, None],
        [None, "Nummer", "Code", "Begin", "Einde"],
        [123456782, "0001", "07", "2024-01-01", None],
    ]
    data = xlsx_bytes({"Blad1": rows}, {"Blad1": ["B1:E1", "A1:A2"]})
    table = read_table(write(tmp_path, "export.xlsx", data))
    assert table.headers == ["BSN", *COMBINED[2:]]
    assert table.cells.iloc[0].tolist() == ["123456782", "0001", "07", "2024-01-01", ""]


def test_a_merged_group_that_covers_only_part_of_the_row_stops_at_its_merge(tmp_path):
    rows = [
        [None, "Voorziening", None, None, None, None],
        ["BSN", "Nummer", "Code", "Begin", "Einde", "Opmerking"],
        [123456782, "0001", "07", "2024-01-01", None, "x"],
    ]
    data = xlsx_bytes({"Blad1": rows}, {"Blad1": ["B1:E1"]})
    table = read_table(write(tmp_path, "export.xlsx", data))
    assert table.headers == ["BSN", *COMBINED[2:], "Opmerking"]


def test_an_html_table_with_colspan_gives_one_header_per_column(tmp_path):
    rows = [[*SUB, "Opmerking"], [bsn(1), "Jan", "0001", "07", "20240101", "", "x"]]
    data = html_xls_bytes(rows, group=[("", 2), ("Voorziening", 4)])
    table = read_table(write(tmp_path, "export.xls", data))
    assert table.headers == [*COMBINED, "Opmerking"]  # the colspan ends before 'Opmerking'


@pytest.mark.parametrize(
    "above",
    [
        ["Overzicht voorzieningen", "", "", "", "", ""],  # a title, at the far left
        ["Gemaakt op", "01-02-2024", "", "", "", ""],  # a title with a date
    ],
)
def test_a_title_row_directly_above_the_header_is_no_group(tmp_path, above):
    table = read_table(write(tmp_path, "export.csv", csv_bytes([above, HEADER, *data_rows(2)])))
    assert table.headers == HEADER


def test_an_export_without_header_gets_column_letters_and_keeps_its_first_row(tmp_path):
    rows = data_rows(3)
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert not table.kopregel_gevonden
    assert table.kopregel == 0
    assert table.headers == [f"Kolom {c}" for c in "ABCDEF"]
    assert table.regels == [1, 2, 3]
    assert table.cells.iloc[0].tolist() == rows[0]
    assert "geen kopregel" in table.describe()


def test_a_workbook_without_header_keeps_its_first_row_too(tmp_path):
    rows = [[bsn(i), f"{i:04d}", "2024-01-01"] for i in range(3)]
    table = read_table(write(tmp_path, "export.xlsx", xlsx_bytes({"Blad1": rows})))
    assert table.headers == ["Kolom A", "Kolom B", "Kolom C"]
    assert table.cells["Kolom A"].tolist() == [bsn(i) for i in range(3)]


def test_an_eight_digit_bsn_in_the_first_row_also_means_no_header(tmp_path):
    rows = [["12345672", "0001", "07"], ["111222333", "0002", "07"]]
    assert bsn_is_valid("12345672")
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert not table.kopregel_gevonden
    assert table.regels == [1, 2]


def test_a_bsn_in_a_header_row_never_becomes_a_column_name(tmp_path):
    rows = [["Registratienummer", "Soort", "123456782"], ["0001", "07", "x"]]
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert table.headers == ["Registratienummer", "Soort", "Kolom C"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=8),
    extra=st.lists(
        st.sampled_from(["07", "0001", "Traject", "01-02-2024", "", "GM0363"]), max_size=4
    ),
    bsn_column=st.integers(0, 4),
    eight=st.booleans(),
)
def test_headerless_exports_never_put_a_bsn_in_a_column_name(
    tmp_path, seeds, extra, bsn_column, eight
):
    rows = []
    for seed in seeds:
        number = bsn(seed)
        if eight and number.startswith("0"):
            number = number[1:]  # Excel ate the leading zero
        row = [*extra, "20240101"]
        row.insert(min(bsn_column, len(row)), number)
        rows.append(row)
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows, sep=";")))
    assert not table.kopregel_gevonden
    assert len(table.regels) == len(rows)  # the first row stays data
    for name in table.headers:
        assert not any(
            bsn_is_valid(name[i : i + n]) for n in (8, 9) for i in range(len(name) - n + 1)
        )


@pytest.mark.parametrize("begin", ["1-mrt-2023", "01-03-23", "2023/03/01", "1 maart 2023"])
def test_a_first_row_with_a_bsn_failing_the_elfproef_and_any_date_is_data(tmp_path, begin):
    rows = [["ABC", "123456789", "JC", begin, ""]] + [
        [f"ABD{i}", bsn(i), "JC", begin, ""] for i in range(4)
    ]
    assert not bsn_is_valid("123456789")
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert not table.kopregel_gevonden
    assert table.regels == [1, 2, 3, 4, 5]


def test_a_first_row_of_mostly_numbers_is_data_not_a_header(tmp_path):
    rows = [["1001", "12345", "07", "Jobcoach"], ["1002", "12346", "07", "Jobcoach"]]
    table = read_table(write(tmp_path, "export.csv", csv_bytes(rows)))
    assert not table.kopregel_gevonden
    assert table.regels == [1, 2]


def _header_row_scoring_every_row(rows: list[list[str]]) -> int:
    """find_header_row as it was: every row scored, header names looked up in each."""
    from srgdesk.core.fields import header_match_count
    from srgdesk.core.reading.table import _looks_like_label, looks_like_data

    best_index, best_score = 0, -1e9
    for index, row in enumerate(rows):
        filled = [cell for cell in row if cell]
        if len(filled) < 2 and best_score > -1e9:
            continue
        wordy = sum(1 for cell in filled if _looks_like_label(cell))
        data = sum(1 for cell in filled if looks_like_data(cell))
        score = 3 * header_match_count(filled) + wordy + 0.1 * len(filled) - 5 * data
        if score > best_score:
            best_index, best_score = index, score
    return best_index


_CELLS = st.sampled_from(
    [
        "", "BSN", "Registratienummer", "Soort voorziening", "Begindatum", "Einddatum",
        "Gemeentecode", "Omschrijving", "Overzicht voorzieningen", "Peildatum 31-12-2023",
        "Naam", "Klantnummer", "0363", "01", "20240101", "31-12-2024", "123456782", "12345678",
        "Jobcoaching", "VZ-0051091", "3,5", "Kolom A",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_CELLS, min_size=0, max_size=7), min_size=1, max_size=12))
def test_the_header_row_is_the_one_that_scoring_every_row_finds(rows):
    """Rows that cannot win even with every cell a header name are passed over without looking
    the names up: the same header row as scoring every row in full."""
    from srgdesk.core.reading.table import find_header_row

    width = max(len(row) for row in rows)
    grid = [row + [""] * (width - len(row)) for row in rows]
    assert find_header_row(grid) == _header_row_scoring_every_row(grid)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["", "0363", "x", " "]), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=2**32 - 1),
    st.integers(min_value=1, max_value=400),
)
def test_filled_cells_found_by_their_objects_are_those_that_are_not_empty(texts, seed, size):
    """A column of a few shared objects (as the CSV parser gives), or of copies of equal texts,
    or of many objects: the rows found filled are those whose cell is not ''."""
    import numpy as np

    from srgdesk.core.reading.table import _non_empty

    rng = np.random.default_rng(seed)
    objects = [t + "" if rng.random() < 0.5 else "".join(list(t)) for t in texts]
    column = np.array([objects[i] for i in rng.integers(0, len(objects), size)], dtype=object)
    assert _non_empty(column).tolist() == (column != "").tolist()
