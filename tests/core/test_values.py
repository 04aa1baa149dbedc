"""Value parsers: BSN with the elfproef, dates in every format packages use, codes."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum.nl import bsn as stdnum_bsn

from srgdesk.core.bsn import bsn_is_valid
from srgdesk.core.values import (
    EPOCH,
    GEEN,
    OPEN,
    days_to_nl,
    elfproef_vector,
    parse_bsn_column,
    parse_code_column,
    parse_date_column,
    parse_identifier_column,
    parse_month_column,
)


def day(text: str) -> int:
    return int((np.datetime64(text, "D") - EPOCH).astype(int))


def dates(values, empty_is_open=False):
    parsed, reasons = parse_date_column(
        pd.Series(values, dtype=object), "Begindatum", empty_is_open
    )
    return parsed.tolist(), reasons.tolist()


@pytest.mark.parametrize(
    "text",
    [
        "20240301",
        "01-03-2024",
        "1-3-2024",
        "01/03/2024",
        "1.3.2024",
        "2024-03-01",
        "2024-03-01 00:00:00",
        "2024-3-1",
        "45352",
        "2024/03/01",
        "1-3-24",
        "01-03-24",
        "1-mrt-2024",
        "01-mrt-24",
        "01-Mar-2024",
        "1 maart 2024",
        "1 mrt. 2024",
    ],
)
def test_every_date_format_packages_use_gives_the_same_day(text):
    parsed, reasons = dates([text])
    assert parsed == [day("2024-03-01")]
    assert reasons == [""]


@pytest.mark.parametrize("text", ["31-02-2024", "20230229", "2024-13-01", "00-01-2024", "1-1-1899"])
def test_impossible_dates_are_rejected_with_the_value_in_the_reason(text):
    parsed, reasons = dates([text])
    assert parsed == [GEEN]
    assert reasons == ["Begindatum {waarde} is geen bestaande datum"]


def test_empty_einddatum_means_open_and_empty_begindatum_is_missing():
    assert dates([""], empty_is_open=True) == ([OPEN], [""])
    assert dates([""], empty_is_open=False)[1] == ["Begindatum ontbreekt"]


def test_excel_serial_numbers_follow_excels_calendar():
    assert dates(["1"])[0] == [day("1900-01-01")]
    assert dates(["61"])[0] == [day("1900-03-01")]
    assert dates(["2958465"])[0] == [GEEN]  # too long for the 5-digit pattern: refused, not guessed


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2999, 12, 31)))
def test_any_date_round_trips_through_every_format(date):
    texts = [
        date.strftime("%Y%m%d"),
        date.strftime("%d-%m-%Y"),
        f"{date.day}-{date.month}-{date.year}",
        date.strftime("%d/%m/%Y"),
        date.isoformat(),
    ]
    parsed, reasons = dates(texts)
    assert parsed == [day(date.isoformat())] * len(texts)
    assert set(reasons) == {""}
    assert days_to_nl(np.array(parsed[:1])).tolist() == [date.strftime("%d-%m-%Y")]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_date_parser_never_raises(text):
    parsed, reasons = dates([text])
    assert (parsed[0] == GEEN) == (reasons[0] != "") or text.strip() == ""


def test_bsn_is_padded_and_checked_with_the_elfproef():
    padded, reasons = parse_bsn_column(
        pd.Series(["12345672", "123456782", "123456789", "", "12a", " 111.222.333 "])
    )
    assert padded.tolist() == ["012345672", "123456782", "", "", "", "111222333"]
    assert reasons.tolist() == [
        "",
        "",
        "BSN {waarde} voldoet niet aan de elfproef",
        "BSN ontbreekt",
        "BSN {waarde} is geen nummer van 9 cijfers",
        "",
    ]


def test_all_zeros_is_not_a_bsn():
    assert not bsn_is_valid("0")
    assert not elfproef_vector(np.array(["000000000"])).any()


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=0, max_value=999_999_999))
def test_fast_elfproef_agrees_with_python_stdnum(number):
    text = str(number)
    expected = text.zfill(9) != "000000000" and stdnum_bsn.is_valid(text.zfill(9))
    assert bsn_is_valid(text) == expected
    assert bool(elfproef_vector(np.array([text.zfill(9)]))[0]) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=15))
def test_bsn_parser_never_raises_and_never_accepts_a_non_elfproef_value(text):
    padded, reasons = parse_bsn_column(pd.Series([text], dtype=object))
    if reasons.iat[0] == "":
        assert bsn_is_valid(padded.iat[0])


@pytest.mark.parametrize(
    ("raw", "code"), [("GM0363", "0363"), ("363", "0363"), (" 0363 ", "0363"), ("gm 14", "0014")]
)
def test_gemeentecode_accepts_gm_prefix_and_missing_zeros(raw, code):
    parsed, reasons = parse_code_column(pd.Series([raw]), "Gemeentecode", 4, prefix="GM")
    assert (parsed.iat[0], reasons.iat[0]) == (code, "")


@pytest.mark.parametrize("raw", ["=1+1", "+31", "-5", "@SUM(A1)", "\t0001", "\r0001", "12\n34"])
def test_identifiers_that_look_like_formulas_or_hold_control_characters_are_rejected(raw):
    parsed, reasons = parse_identifier_column(pd.Series([raw]), "Registratienummer", 15)
    assert parsed.iat[0] == ""
    assert reasons.iat[0] != ""


def test_identifier_keeps_leading_zeros_and_rejects_too_long_values():
    parsed, reasons = parse_identifier_column(
        pd.Series(["0000001", "VZ-0001", "1234567890123456"]), "Registratienummer", 15
    )
    assert parsed.tolist() == ["0000001", "VZ-0001", ""]
    assert reasons.iat[2] == "Registratienummer {waarde} is langer dan 15 tekens"


@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("202401", "202401"),
        ("2024-01", "202401"),
        ("01-2024", "202401"),
        ("31-01-2024", "202401"),
        ("2024-01-31", "202401"),
    ],
)
def test_verslagmaand_formats(raw, month):
    parsed, reasons = parse_month_column(pd.Series([raw]))
    assert (parsed.iat[0], reasons.iat[0]) == (month, "")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("aZ09 -=+@\t\r\n\xa0.é")), max_size=6),
        min_size=1,
        max_size=5,
    )
)
def test_identifier_fast_path_gives_the_same_answer_as_checking_each_cell(values):
    together = parse_identifier_column(pd.Series(values, dtype=object), "Registratienummer", 4)
    for i, value in enumerate(values):
        alone = parse_identifier_column(pd.Series([value], dtype=object), "Registratienummer", 4)
        assert (together[0].iat[i], together[1].iat[i]) == (alone[0].iat[0], alone[1].iat[0])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("0123456789 .a")), min_size=8, max_size=10),
        min_size=1,
        max_size=5,
    )
)
def test_bsn_fast_path_gives_the_same_answer_as_checking_each_cell(values):
    together = parse_bsn_column(pd.Series(values, dtype=object))
    for i, value in enumerate(values):
        alone = parse_bsn_column(pd.Series([value], dtype=object))
        assert (together[0].iat[i], together[1].iat[i]) == (alone[0].iat[0], alone[1].iat[0])


@pytest.mark.parametrize(
    "marker", ["", "00000000", "99991231", "31-12-9999", "9999-12-31", "-", "9999-12-31 00:00:00"]
)
def test_open_einddatum_markers_are_open_not_broken(marker):
    from srgdesk.core.values import OPEN

    days, reasons = parse_date_column(pd.Series([marker]), "Einddatum", empty_is_open=True)
    assert days[0] == OPEN
    assert reasons.iat[0] == ""


def test_open_markers_are_not_open_for_a_begindatum():
    _days, reasons = parse_date_column(
        pd.Series(["00000000", "-"]), "Begindatum", empty_is_open=False
    )
    assert all(r != "" for r in reasons)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20240115", "2024-01-15"),
        ("20240115.0", "2024-01-15"),
        ("45306", "2024-01-15"),
        ("45306.0", "2024-01-15"),
        ("2024-01-15 00:00:00", "2024-01-15"),
        ("15-1-2024", "2024-01-15"),
    ],
)
def test_dates_as_text_number_serial_or_datetime(value, expected):
    from srgdesk.core.values import days_to_column

    days, reasons = parse_date_column(pd.Series([value]), "Begindatum", empty_is_open=False)
    assert days_to_column(days).iat[0] == expected
    assert reasons.iat[0] == ""


@pytest.mark.parametrize("raw", ['"4003', '4003"', '40"03'])
def test_an_identifier_with_a_quote_is_rejected_never_passed_on(raw):
    parsed, reasons = parse_identifier_column(pd.Series(["4002", raw]), "Registratienummer", 15)
    assert parsed.iat[0] == "4002"
    assert parsed.iat[1] == ""
    assert "aanhalingsteken" in reasons.iat[1]


@pytest.mark.parametrize(("text", "year"), [("1-3-00", 2000), ("1-3-69", 2069), ("1-3-70", 1970)])
def test_a_two_digit_year_below_70_is_20xx_and_from_70_is_19xx(text, year):
    assert dates([text])[0] == [day(f"{year}-03-01")]


@pytest.mark.parametrize("text", ["morgen", "1e kwartaal 2024", "2024-03", "1-foo-2024"])
def test_an_unknown_date_notation_is_called_that(text):
    parsed, reasons = dates([text])
    assert parsed == [GEEN]
    assert reasons == [
        "Begindatum {waarde}: datumnotatie niet herkend; gebruik bijvoorbeeld 31-12-2024 of 20241231"
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(list('aZ09 -=+@"\t\r\n\x1f\x7f\xa0\x85\u2003.éà€')),
            max_size=6,
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from([None, 3, 6]),
)
def test_identifiers_passed_by_the_byte_check_pass_the_check_of_each_cell(values, max_length):
    """plain_identifiers may send a clean column to the cell-by-cell check, never the reverse."""
    from srgdesk.core.values import check_identifiers, plain_identifiers

    if plain_identifiers(values, max_length):
        text, reasons = check_identifiers(pd.Series(values, dtype=object), "X", max_length)
        assert text.tolist() == values
        assert (reasons == "").all()


@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("0123456789-/. a\u0663")), max_size=11),
        min_size=1,
        max_size=6,
    )
)
@example(["2023a01a05", "2023 01 05", "20230105"])
def test_dates_read_without_the_regex_are_what_the_regex_reads(values):
    from srgdesk.core.values import _DATE_RE, _plain_dates

    years, months, days = _plain_dates(values)
    for value, year, month, date_day in zip(values, years, months, days, strict=True):
        if np.isnan(year):
            continue  # left to the regex
        found = _DATE_RE.match(value)
        assert found is not None
        groups = ("y1", "m1", "d1") if found["y1"] else ("y2", "m2", "d2")
        assert [int(found[g]) for g in groups] == [year, month, date_day]


@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("0123456789 a\u0663")), min_size=8, max_size=10),
        min_size=1,
        max_size=5,
    )
)
@example(["1234567890", "123456789"])
def test_the_digit_bytes_are_given_only_for_values_of_exactly_nine_ascii_digits(values):
    from srgdesk.core.values import digit_bytes

    digits = digit_bytes(values, 9)
    if digits is None:
        assert not all(len(v) == 9 and v.isascii() and v.isdigit() for v in values)
    else:
        assert ["".join(map(str, row)) for row in digits] == values


@settings(max_examples=30, deadline=None)
@given(
    texts=st.lists(st.text(min_size=2, max_size=4), min_size=1, max_size=6, unique=True),
    seed=st.integers(0, 2**32 - 1),
)
def test_distinct_values_are_those_of_factorize_when_cells_share_objects(texts, seed):
    """Equal cells are mostly one object (as pandas' CSV parser gives them), sometimes a copy:
    distinct gives the codes and first-seen order of pd.factorize all the same."""
    from srgdesk.core.values import distinct

    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(texts), size=3000)
    copies = rng.random(3000) < 0.004  # a few: a parser chunk boundary
    cells = np.array(
        [("#" + texts[p])[1:] if copy else texts[p] for p, copy in zip(picks, copies, strict=True)],
        dtype=object,
    )
    codes, uniques = distinct(cells)
    expected_codes, expected_uniques = pd.factorize(cells, sort=False)
    assert codes.tolist() == expected_codes.tolist()
    assert uniques.tolist() == list(expected_uniques)
