"""Cleaning: typed voorzieningen; every unusable row kept with file, Excel row number and reason."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.cleaning import (
    COLUMNS,
    KEY,
    MAX_REGISTRATIENUMMER,
    ONGELDIG,
    WAARSCHUWING,
    clean,
    parse_gemeente_column,
)
from srgdesk.core.errors import InvoerFout
from srgdesk.core.export import load_export
from srgdesk.core.mapping import ColumnMapping
from srgdesk.core.reading import RawTable
from srgdesk.core.values import (
    GEEN,
    OPEN,
    days_to_nl,
    parse_bsn_column,
    parse_code_column,
    parse_date_column,
    parse_identifier_column,
    parse_month_column,
    plain_identifiers,
)

HEADER = (
    "Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Begindatum;Einddatum;Geboortedatum"
)


def export(tmp_path: Path, *rows: str, header: str = HEADER):
    path = tmp_path / "export.csv"
    path.write_text("\r\n".join([header, *rows]) + "\r\n", encoding="cp1252", newline="")
    return load_export(path).voorzieningen


def test_good_rows_become_typed_voorzieningen(tmp_path):
    result = export(tmp_path, "GM363; 4021 ;12345672;0001;01;20240101;;01-01-1980")
    row = result.frame.iloc[0]
    assert (row.gemeentecode, row.berichtgevercode, row.bsn, row.registratienummer) == (
        "0363",
        "4021",
        "012345672",
        "0001",
    )
    assert days_to_nl(result.frame["begindatum"].to_numpy()).tolist() == ["01-01-2024"]
    assert result.problemen == []


def test_each_bad_row_is_reported_with_row_number_field_and_dutch_reason(tmp_path):
    result = export(
        tmp_path,
        "0363;4021;012345672;0001;01;20240101;;",
        "0363;4021;123456789;0002;01;20240101;;",
        "0363;4021;012345672;0003;01;31-02-2024;;",
        "0363;4021;012345672;0004;01;;;",
        "0363;4021;012345672;0005;01;20240101;20231231;",
    )
    reasons = [(p.regel, p.veld, p.tekst()) for p in result.problemen]
    assert reasons == [
        (3, "BSN", "BSN voldoet niet aan de elfproef"),  # the value is personal: never kept
        (4, "Begindatum voorziening", "Begindatum '31-02-2024' is geen bestaande datum"),
        (5, "Begindatum voorziening", "Begindatum ontbreekt"),
        (6, "Einddatum voorziening", "Einddatum '20231231' ligt vóór de begindatum"),
    ]
    assert len(result.frame) == 1
    assert result.ongeldig["regel"].tolist() == [3, 4, 5, 6]
    assert result.totaal_regels == len(result.frame) + len(result.ongeldig)


def test_reasons_written_to_outputs_never_hold_the_bsn(tmp_path):
    result = export(tmp_path, "0363;4021;123456789;0002;01;20240101;;")
    assert "123456789" not in result.ongeldig["reden"].iat[0]


def test_exact_duplicate_rows_are_reported_once_and_the_first_is_used(tmp_path):
    row = "0363;4021;012345672;0001;01;20240101;;"
    result = export(tmp_path, row, row, row)
    assert len(result.frame) == 1
    assert [p.tekst() for p in result.problemen] == [
        "Dubbele regel: precies gelijk aan regel 2"
    ] * 2


def test_one_key_on_two_different_rows_is_a_conflict_not_a_silent_choice(tmp_path):
    result = export(
        tmp_path, "0363;4021;012345672;0001;01;20240101;;", "0363;4021;111222333;0001;03;20240101;;"
    )
    assert len(result.frame) == 1
    assert result.problemen[0].regel == 3
    assert "staat al op regel 2" in result.problemen[0].tekst()


def test_a_bad_optional_field_is_a_warning_and_the_row_is_used(tmp_path):
    result = export(tmp_path, "0363;4021;012345672;0001;01;20240101;;30-02-1980")
    assert len(result.frame) == 1
    assert [p.ernst for p in result.problemen] == [WAARSCHUWING]


def test_a_row_with_more_fields_than_the_header_is_ongeldig(tmp_path):
    result = export(tmp_path, "0363;4021;012345672;0001;01;20240101;;;extra")
    assert result.frame.empty
    assert result.problemen[0].ernst == ONGELDIG
    assert "meer dan de kopregel" in result.problemen[0].tekst()


def test_a_missing_required_column_is_one_clear_error(tmp_path):
    with pytest.raises(InvoerFout, match="geen kolom gevonden voor: Begindatum voorziening"):
        export(
            tmp_path,
            "0363;4021;012345672;0001;01;",
            header="Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Einddatum",
        )


@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("0129aé")), min_size=0, max_size=17)
        | st.sampled_from(["000000001", "000000002", "0001000001"]),
        max_size=8,
    )
)
def test_repeated_registratienummers_are_found_as_text_compares_them(values):
    """The integer folding only narrows the search: the answer is that of comparing text."""
    from srgdesk.core.cleaning import _repeated

    array = np.array(values, dtype=object)
    expected = pd.Series(array, dtype=object).duplicated(keep=False).to_numpy()
    assert _repeated(array).tolist() == expected.tolist()


@pytest.mark.parametrize("broken_rows", [0, 1, 3])
def test_duplicates_are_found_by_row_with_or_without_unusable_rows_before_them(
    tmp_path, broken_rows
):
    """An exact copy and a key used twice are reported on their own rows, also when rows
    before them are unusable (and so left out of the search for duplicates)."""
    broken = [f"0363;4021;123456789;B{i};01;20240101;;" for i in range(broken_rows)]
    result = export(
        tmp_path,
        *broken,
        "0363;4021;012345672;0001;01;20240101;;",
        "0363;4021;012345672;0002;01;20240101;;",
        "0363;4021;012345672;0001;01;20240101;;",
        "0363;4021;012345672;0002;02;20240101;;",
    )
    first = 2 + broken_rows  # Excel row of the first good row (row 1 is the header)
    found = sorted(
        (p.regel, p.tekst(toon_waarde=False)) for p in result.problemen if p.veld != "BSN"
    )
    assert found == [
        (first + 2, f"Dubbele regel: precies gelijk aan regel {first}"),
        (
            first + 3,
            f"Registratienummer staat al op regel {first + 1} met andere gegevens; "
            "één voorziening kan maar één regel hebben",
        ),
    ]
    assert result.frame["regel"].tolist() == [first, first + 1]


# --- cleaning per distinct value gives what parsing every row gives ------------------------------

_KOPPEN = {
    "gemeentecode": "Gemeentecode",
    "berichtgevercode": "Berichtgevercode",
    "verslagmaand": "Verslagmaand",
    "bsn": "BSN",
    "registratienummer": "Registratienummer",
    "soort": "Soort",
    "omschrijving": "Omschrijving",
    "begindatum": "Begindatum",
    "einddatum": "Einddatum",
    "loonwaarde": "Loonwaarde",
}
_CELLEN = {  # the first three cells of each field are good ones
    # (a NUL ends no value here where the text before it is another value: pandas' factorize
    # takes '0363\x00' for '0363', in main as here; a known flaw, left as it is)
    "gemeentecode": ["0363", "363", " GM0363 ", "Den Haag", "", "x", "03\x0063"],
    "berichtgevercode": ["4021", " 4021", "4021.0", "", "40211", "é"],
    "verslagmaand": ["202401", "2024-01", " 01-2024", "", "202413", "190001"],
    "bsn": ["012345672", "12345672", "123.456.782", "111222333", "", "123456789", "1234"],
    "registratienummer": ["0001", "0002", " A-3 ", "", "=1+1", "B\t4", "Zoë", "0001\x00"],
    "soort": ["01", "03", " 01 ", "", "LKS", "x" * 41, "L\x00KS"],
    "omschrijving": ["Jobcoaching", " Loonkostensubsidie ", "", "Zoë"],
    "begindatum": ["20240101", "2024-01-05", "1-mrt-2023", "31-02-2024", "", "45000", "??"],
    "einddatum": ["", "00000000", "99991231", "-", "20231231", "20250101", " 2024-06-30 ", "x"],
    "loonwaarde": ["50", " 75% ", "", "100 %"],
}


@st.composite
def _messy_tables(draw):
    """A table of messy rows: blanks, spaces, bad dates, open markers, NUL, accents, duplicates;
    sometimes repeated to 2100 rows so the per-object routes for long columns are taken."""
    messy = st.fixed_dictionaries({veld: st.sampled_from(c) for veld, c in _CELLEN.items()})
    # half the rows usable (their fields from the first, good cells), so duplicates occur
    good = st.fixed_dictionaries({veld: st.sampled_from(c[:3]) for veld, c in _CELLEN.items()})
    rows = draw(st.lists(messy | good, min_size=1, max_size=12))
    if draw(st.booleans()):
        rows = [rows[i % len(rows)] for i in range(2100)]
    headers = list(_KOPPEN.values())
    cells = pd.DataFrame([[row[veld] for veld in _KOPPEN] for row in rows], columns=headers)
    return RawTable(
        path=Path("x.csv"),
        headers=headers,
        cells=cells.astype(object),
        regels=list(range(2, len(rows) + 2)),
        soort_bestand="csv",
        kopregel=1,
    )


@settings(max_examples=25, deadline=None)
@given(_messy_tables())
def test_cleaned_frame_equals_parsing_every_row(table):
    mapping = ColumnMapping(columns=dict(_KOPPEN))
    result = clean(table, mapping)
    cells = {veld: table.cells[kop] for veld, kop in _KOPPEN.items()}
    bad = np.isin(np.array(table.regels), result.ongeldig["regel"].to_numpy())
    assert result.frame["regel"].tolist() == np.array(table.regels)[~bad].tolist()
    expected = {
        "gemeentecode": parse_gemeente_column(cells["gemeentecode"])[0],
        "berichtgevercode": parse_code_column(cells["berichtgevercode"], "B", 4)[0],
        "verslagmaand": parse_month_column(cells["verslagmaand"])[0],
        "bsn": parse_bsn_column(cells["bsn"])[0],
        "registratienummer": parse_identifier_column(cells["registratienummer"], "R", 15)[0],
        "soort": parse_identifier_column(cells["soort"], "S", 40)[0],
        "omschrijving": cells["omschrijving"].astype(str).str.strip(),
        "begindatum": pd.Series(parse_date_column(cells["begindatum"], "B", False)[0]),
        "einddatum": pd.Series(parse_date_column(cells["einddatum"], "E", True)[0]),
        "loonwaarde": cells["loonwaarde"].astype(str).str.strip().str.rstrip("%").str.strip(),
    }
    for veld, values in expected.items():
        assert result.frame[veld].tolist() == values[~bad].tolist(), veld
    assert result.frame.dtypes.astype(str).to_dict() == {
        **dict.fromkeys(result.frame.columns, "object"),
        **dict.fromkeys(["regel"], "int64"),
        **dict.fromkeys(["begindatum", "einddatum", "geboortedatum"], "int32"),
    }
    for veld in ("gemeentecode", "berichtgevercode", "registratienummer"):
        raw = cells[veld][bad].astype(str).str.strip().tolist()
        assert result.ongeldig[veld].tolist() == raw, veld
    written = (cells["einddatum"].astype(str).str.strip() != "").to_numpy()
    open_ = expected["einddatum"].to_numpy() == OPEN
    assert result.open_markeringen == int((written & open_ & ~bad).sum())


@settings(max_examples=25, deadline=None)
@given(_messy_tables())
def test_unusable_rows_and_duplicates_are_those_of_checking_every_row_in_order(table):
    result = clean(table, ColumnMapping(columns=dict(_KOPPEN)))
    cells = {veld: table.cells[kop] for veld, kop in _KOPPEN.items()}
    parsed = {
        "gemeentecode": parse_gemeente_column(cells["gemeentecode"]),
        "berichtgevercode": parse_code_column(cells["berichtgevercode"], "B", 4),
        "bsn": parse_bsn_column(cells["bsn"]),
        "registratienummer": parse_identifier_column(cells["registratienummer"], "R", 15),
        "soort": parse_identifier_column(cells["soort"], "S", 40),
        "begindatum": parse_date_column(cells["begindatum"], "B", False),
        "einddatum": parse_date_column(cells["einddatum"], "E", True),
    }
    values = {veld: np.asarray(v[0]) for veld, v in parsed.items()}
    reasons = {veld: np.asarray(v[1]) != "" for veld, v in parsed.items()}
    bad = np.logical_or.reduce(list(reasons.values()))
    bad |= (
        (values["einddatum"] < values["begindatum"])
        & ~reasons["begindatum"]
        & ~reasons["einddatum"]
    )
    values["verslagmaand"] = parse_month_column(cells["verslagmaand"])[0].to_numpy()
    values["omschrijving"] = cells["omschrijving"].astype(str).str.strip().to_numpy()
    values["geboortedatum"] = np.full(len(bad), GEEN)
    values["loonwaarde"] = (
        cells["loonwaarde"].astype(str).str.strip().str.rstrip("%").str.strip().to_numpy()
    )
    content = [c for c in COLUMNS if c != "regel"]
    first_content: dict[tuple, int] = {}
    first_key: dict[tuple, int] = {}
    expected = []
    for row, regel in enumerate(table.regels):
        if bad[row]:
            continue
        same = tuple(values[c][row] for c in content)
        key = tuple(values[c][row] for c in KEY)
        if same in first_content:
            bad[row] = True
            reden = f"Dubbele regel: precies gelijk aan regel {first_content[same]}"
            expected.append((regel, "", reden, ""))
            continue
        first_content[same] = regel
        if key in first_key:
            bad[row] = True
            reden = (
                f"Registratienummer {{waarde}} staat al op regel {first_key[key]} "
                "met andere gegevens; één voorziening kan maar één regel hebben"
            )
            expected.append((regel, "Registratienummer voorziening", reden, key[2]))
            continue
        first_key[key] = regel
    assert result.ongeldig["regel"].tolist() == np.array(table.regels)[bad].tolist()
    found = [
        (p.regel, p.veld, p.reden, p.waarde)
        for p in result.problemen
        if p.reden.startswith("Dubbele regel") or "staat al op regel" in p.reden
    ]
    assert sorted(found) == sorted(expected)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=17).flatmap(
        lambda width: st.lists(
            st.text(alphabet="0019AZaz-\x00\x7f", min_size=width, max_size=width), max_size=30
        )
    ),
    st.booleans(),
)
def test_repeated_values_of_one_width_sorted_or_not_are_found_as_text_compares_them(
    values, ascending
):
    """The big-endian integers order the values as text: an ascending column is unique
    without hashing, and any other column still gets the answer of comparing text."""
    from srgdesk.core.cleaning import _repeated

    array = np.array(sorted(values) if ascending else values, dtype=object)
    expected = pd.Series(array, dtype=object).duplicated(keep=False).to_numpy()
    assert _repeated(array).tolist() == expected.tolist()


@given(
    st.integers(min_value=1, max_value=17).flatmap(
        lambda width: (
            st.lists(
                st.text(alphabet="0019AZaz", min_size=width, max_size=width),
                min_size=1,
                max_size=30,
            )
            | st.lists(  # messy: other widths, spaces, formula signs, NULs, beyond ASCII
                st.text(alphabet="0019AZaz- é\x00\t=", min_size=width, max_size=width)
                | st.text(alphabet="019", max_size=3),
                min_size=1,
                max_size=30,
            )
        )
    ),
    st.booleans(),
)
def test_repeated_reads_the_identifier_checks_bytes_as_it_would_read_its_own(values, ascending):
    """The bytes the registratienummer check made (one width, ASCII) stand in for the column's
    own: the same answer as comparing text, and the same rows as without them."""
    from srgdesk.core.cleaning import _repeated
    from srgdesk.core.values import plain_identifier_cells

    array = np.array(sorted(values) if ascending else values, dtype=object)
    plain, cells = plain_identifier_cells(array.tolist(), MAX_REGISTRATIENUMMER)
    assert plain == plain_identifiers(array.tolist(), MAX_REGISTRATIENUMMER)
    expected = pd.Series(array, dtype=object).duplicated(keep=False).to_numpy()
    assert _repeated(array, cells).tolist() == expected.tolist()
    assert _repeated(array).tolist() == expected.tolist()
    if cells is not None:  # the usable rows of a cleaned column (a gathered copy), or none
        for rows in (np.arange(0, len(array), 2), np.arange(0)):
            expected_rows = pd.Series(array[rows], dtype=object).duplicated(keep=False).to_numpy()
            assert _repeated(array[rows], cells[rows]).tolist() == expected_rows.tolist()


@pytest.mark.parametrize(
    "rows",
    [
        ["0363;4021;12345672;0001;01;20240101;;"],
        ["0363;4021;12345672;0001;01;20240101;;", "0363;4021;123;0002;01;20240101;;"],
    ],
)
def test_the_unusable_rows_frame_is_what_mapping_the_reasons_gives(tmp_path, rows):
    """The unusable rows (none, or some) with their reasons: the frame, dtypes included, that
    mapping each regel to its reason gives (an empty one has the float column of pandas)."""
    result = export(tmp_path, *rows)
    reasons = {p.regel: p.tekst(toon_waarde=False) for p in result.problemen}
    expected = result.ongeldig.drop(columns="reden")
    expected["reden"] = expected["regel"].map(reasons).fillna("Regel is onbruikbaar")
    pd.testing.assert_frame_equal(result.ongeldig, expected)
