"""How the result frame is built at scale (issue 17): reasons stored once per distinct text,
joins without pandas merges, numbers compared per pair, dates formatted once per day. Each
shortcut must give exactly what the plain way gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_generators import Rec, people, row_of, run

from srgdesk.core.codes import ascii_cells
from srgdesk.core.matching.candidates import (
    MAX_FIXED_WIDTH,
    day_counts,
    equal_pairs,
    nummervergelijking,
    present,
    stable_order,
)
from srgdesk.core.matching.result import FIRST_DAY, LAST_DAY, Dagen, _combine, _Plaatsing, day_texts
from srgdesk.core.values import GEEN, OPEN, days_to_column, days_to_nl, days_to_nl_text

codes = st.lists(st.integers(-1, 12), max_size=60)  # -1: a missing value


@given(codes, codes)
def test_equal_pairs_are_the_rows_of_an_inner_join_ordered_by_left_then_right(left, right):
    left_frame = pd.DataFrame({"k": np.array(left, dtype=np.int64), "o": np.arange(len(left))})
    right_frame = pd.DataFrame({"k": np.array(right, dtype=np.int64), "n": np.arange(len(right))})
    merged = left_frame.merge(right_frame, on="k")
    o, n = equal_pairs(left_frame["k"].to_numpy(), right_frame["k"].to_numpy())
    found = list(zip(o.tolist(), n.tolist(), strict=True))
    assert found == sorted(zip(merged["o"], merged["n"], strict=True))


@given(st.lists(st.integers(-1_000_000, 3_000_000) | st.sampled_from([OPEN, GEEN]), max_size=40))
def test_dates_are_formatted_day_month_year_and_open_ones_empty(days):
    values = np.unique(np.array(days, dtype=np.int64))
    iso = days_to_column(values).tolist()
    expected = [f"{t[8:10]}-{t[5:7]}-{t[:4]}" if t else "" for t in iso]
    assert days_to_nl(values).tolist() == expected


def test_present_names_only_the_characters_that_occur():
    text = np.array(["VZ-001", "12/3", "7"], dtype=np.dtypes.StringDType())
    assert present(text, "-_/.: ") == "-/"
    assert present(text[2:], "-_/.: ") == ""


def _compare(old_numbers: list[str], new_numbers: list[str]):
    old = pd.DataFrame({"registratienummer": np.array(old_numbers, dtype=object)})
    new = pd.DataFrame({"registratienummer": np.array(new_numbers, dtype=object)})
    o, n = (a.ravel() for a in np.meshgrid(range(len(old)), range(len(new)), indexing="ij"))
    shared, _ = pd.factorize(np.concatenate([old_numbers, new_numbers]))
    return o, n, nummervergelijking(old, new, o, n, (shared[: len(old)], shared[len(old) :]))


def test_numbers_are_compared_per_pair_by_core_and_by_suffix():
    o, n, result = _compare(["123", "0042", "12"], ["VZ-000123", "123-01", "42", "12-1"])
    same_core = {(int(a), int(b)) for a, b, s in zip(o, n, result.zelfde_kern, strict=True) if s}
    suffix = {(int(a), int(b)) for a, b, s in zip(o, n, result.met_achtervoegsel, strict=True) if s}
    assert same_core == {(0, 0), (1, 2)}
    assert suffix == {(0, 1)}  # '12-1' has a stem shorter than three characters: no proof
    assert not result.zelfde.any()


def test_numbers_that_differ_only_in_trailing_nul_characters_are_not_equal():
    _, _, result = _compare(["12\x00", "é1"], ["12", "é1"])
    assert result.zelfde_kern.tolist() == [False, False, False, True]


def test_numbers_longer_than_the_fixed_width_are_compared_all_the_same():
    long = "9" * (MAX_FIXED_WIDTH + 5)
    _, _, result = _compare([long, "1"], ["VZ-" + long, "0001"])
    assert result.zelfde_kern.tolist() == [True, False, False, True]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(["2019-03-01", "2020-07-15", "2021-11-30"]), min_size=1))
def test_rows_with_the_same_reason_share_one_text(begins):
    bsns = people(len(begins))
    old = [Rec(b, f"{i}", begin=d) for i, (b, d) in enumerate(zip(bsns, begins, strict=True))]
    new = [
        Rec(b, f"N{5000 + i}", begin=d) for i, (b, d) in enumerate(zip(bsns, begins, strict=True))
    ]
    result = run(old, new)
    reden = result.regels["reden"]
    assert reden.dtype == object, "consumers read plain strings"
    paired = reden[result.regels["status"] == "gekoppeld"]
    assert len(set(paired)) == len(set(begins))
    assert len({id(text) for text in paired}) == len(set(paired)), "one object per text"
    assert row_of(result, "0")["reden"].startswith("Zelfde BSN en soort; begindatum gelijk (")


numbers = st.lists(st.text("0123VZ-", max_size=7), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(numbers, numbers)
def test_numbers_compared_as_fixed_width_texts_give_the_plain_per_pair_answers(old, new):
    """Only pairs of equal length compare their texts: the answers stay those of plain str."""
    o, n, result = _compare(old, new)
    decoration = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_/.: "

    def core(number: str) -> str:
        return number.strip(decoration).lstrip("0")

    pairs = list(zip(o.tolist(), n.tolist(), strict=True))
    assert result.zelfde_kern.tolist() == [
        len(core(old[a])) >= 1 and core(old[a]) == core(new[b]) for a, b in pairs
    ]
    assert result.alleen_voorloopnullen.tolist() == [
        old[a] != new[b] and old[a].lstrip("0") == new[b].lstrip("0") for a, b in pairs
    ]


@given(
    st.lists(st.integers(0, 70_000) | st.integers(0, 5) | st.integers(0, 2**33), max_size=80),
)
def test_the_order_of_codes_is_that_of_a_stable_argsort(values):
    codes = np.array(values, dtype=np.int64)
    assert stable_order(codes).tolist() == np.argsort(codes, kind="stable").tolist()


@given(st.lists(st.integers(0, 30_000) | st.sampled_from([OPEN]), max_size=40))
def test_dates_of_the_pairs_are_formatted_per_row(days):
    values = np.array(days, dtype=np.int64)
    iso = days_to_column(values).tolist()
    expected = [f"{t[8:10]}-{t[5:7]}-{t[:4]}" if t else "" for t in iso]
    assert days_to_nl_text(values).tolist() == expected


@given(
    st.lists(
        st.integers(FIRST_DAY - 400, LAST_DAY + 400)
        | st.integers(-800, 30_000)
        | st.sampled_from([OPEN, GEEN, FIRST_DAY, LAST_DAY, 0, -1]),
        max_size=40,
    )
)
def test_days_formatted_by_arithmetic_are_the_texts_of_days_to_nl_text(days):
    """`day_texts` writes the digits of day, month and year itself: the texts (and their type)
    of the general way, years beyond four digits included (those go the general way)."""
    values = np.array(days, dtype=np.int64)
    expected = days_to_nl_text(values)
    assert day_texts(values).tolist() == expected.tolist()
    assert day_texts(values).dtype == expected.dtype


def _gathered(values: np.ndarray, index: np.ndarray, missing) -> np.ndarray:
    """The plain way: values[index] in row order, `missing` where the index is -1."""
    taken = np.array([values[i] if i >= 0 else missing for i in index.tolist()], dtype=object)
    return taken if isinstance(missing, str) else taken.astype(values.dtype)


@settings(max_examples=200)
@given(st.data(), st.integers(0, 12), st.integers(0, 20))
def test_record_columns_scattered_in_record_order_equal_a_take_in_row_order(data, size, rows):
    """Each record in at most one row (what matching builds), or, as a fallback, in several."""
    if data.draw(st.booleans()) or size == 0:  # one row per record at most
        chosen = data.draw(st.permutations(list(range(size)))) if size else []
        records = chosen[: data.draw(st.integers(0, size))]
    else:  # duplicates
        records = data.draw(st.lists(st.integers(0, size - 1), max_size=rows))
    row_of = data.draw(st.permutations([*range(len(records)), *[-1] * rows]))
    index = np.array([records[r] if r >= 0 else -1 for r in row_of], dtype=np.int64)
    if data.draw(st.booleans()):  # as the old records: each in the row of its number, first
        index = np.array([*range(size), *[-1] * rows], dtype=np.int64)
    texts = np.array(
        data.draw(st.lists(st.sampled_from(["a", "", "0363"]), min_size=size, max_size=size)),
        dtype=object,
    )
    numbers = np.arange(10, 10 + size, dtype=np.int64)
    plaatsing = _Plaatsing(index, size)
    assert plaatsing.column(texts, "").tolist() == _gathered(texts, index, "").tolist()
    column = plaatsing.column(numbers, 0)
    assert column.dtype == np.int64
    assert column.tolist() == _gathered(numbers, index, 0).tolist()
    # Put where kept: the record's text, else what the row held (here: its row number).
    held = np.array([f"r{row}" for row in range(len(index))], dtype=object)
    kept = texts != ""
    expected = np.where(_gathered(texts, index, "") != "", _gathered(texts, index, ""), held)
    plaatsing.put(held, texts, kept)
    assert held.tolist() == expected.tolist()


@given(
    st.lists(
        st.lists(st.integers(-5, 30_000) | st.sampled_from([OPEN, GEEN]), max_size=20), max_size=4
    ),
    st.lists(st.integers(-5, 40_000) | st.sampled_from([OPEN, GEEN]), max_size=30),
)
def test_days_formatted_once_in_a_table_read_as_formatted_per_row(columns, days):
    """Days not among the table's columns (and GEEN) are formatted all the same."""
    dagen = Dagen.van(
        {("kolom", str(i)): np.array(c, dtype=np.int32) for i, c in enumerate(columns)}
    )
    values = np.array(days, dtype=np.int64)
    assert dagen.teksten(values).tolist() == days_to_nl_text(values).tolist()
    assert dagen.teksten(values).dtype == days_to_nl_text(values).dtype
    within = np.array([d for c in columns for d in c], dtype=np.int64)
    assert dagen.objecten[dagen.codes(within)].tolist() == days_to_nl_text(within).tolist()
    for i, column in enumerate(columns):
        expected = days_to_nl_text(np.array(column, dtype=np.int64)).tolist()
        assert dagen.objecten[dagen.kolommen["kolom", str(i)]].tolist() == expected


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(
            st.integers(18_000, 18_400) | st.sampled_from([OPEN, GEEN, 0, 2_900_000]), max_size=20
        ),
        max_size=4,
    )
)
def test_day_table_counted_over_the_range_is_the_hashed_table(columns):
    """Days counted over their range (`Dagen.van`) give the table the hashed way gives: the
    same sorted days, positions and texts; stray days far away fall back to hashing."""
    named = {("kolom", str(i)): np.array(c, dtype=np.int32) for i, c in enumerate(columns)}
    counted, hashed = Dagen.van(named), Dagen._van_hashed(named)
    assert counted.dagen.tolist() == hashed.dagen.tolist()
    assert counted.dagen.dtype == hashed.dagen.dtype
    assert counted.objecten.tolist() == hashed.objecten.tolist()
    for name in named:
        assert counted.kolommen[name].tolist() == hashed.kolommen[name].tolist()
        assert counted.kolommen[name].dtype == hashed.kolommen[name].dtype


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(
                st.integers(17_000, 17_050) | st.sampled_from([OPEN, GEEN, 2_900_000]),
                min_size=1,
                max_size=6,
            ),
            st.lists(st.integers(0, 5), max_size=15),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_day_table_from_cleanings_codes_is_the_table_of_the_days(columns):
    """Days given as cleaning's codes into its parsed days (some days used by no row) give the
    table of the days themselves: the same days, texts and positions."""
    coded = {}
    for i, (days, codes) in enumerate(columns):
        coded["kolom", str(i)] = (
            np.array([c % len(days) for c in codes], dtype=np.uint8),
            np.array(days, dtype=np.int32),
        )
    found = Dagen.uit_codes(coded)
    plain = Dagen.van({name: days[codes] for name, (codes, days) in coded.items()})
    assert found.dagen.tolist() == plain.dagen.tolist()
    assert found.dagen.dtype == plain.dagen.dtype
    assert found.tekst.tolist() == plain.tekst.tolist()
    assert found.objecten.tolist() == plain.objecten.tolist()
    for name in coded:
        assert found.kolommen[name].tolist() == plain.kolommen[name].tolist()
        assert found.kolommen[name].dtype == plain.kolommen[name].dtype


@st.composite
def numbers_of_one_width(draw) -> list[str]:
    width = draw(st.integers(1, 12))
    return draw(
        st.lists(st.text("0123VZa-_/. :", min_size=width, max_size=width), min_size=1, max_size=8)
    )


@settings(max_examples=300, deadline=None)
@given(numbers_of_one_width(), numbers_of_one_width())
def test_numbers_of_one_width_compared_as_bytes_give_the_answers_of_the_texts(old, new):
    """ASCII numbers of one length a side are compared as fixed-width bytes (the character
    matrix the codes were packed from): every answer is that of the general way."""
    o, n, plain = _compare(old, new)
    old_numbers, new_numbers = np.array(old, dtype=object), np.array(new, dtype=object)
    cells = (ascii_cells(old_numbers), ascii_cells(new_numbers))
    frames = (
        pd.DataFrame({"registratienummer": old_numbers}),
        pd.DataFrame({"registratienummer": new_numbers}),
    )
    shared, _ = pd.factorize(np.concatenate([old_numbers, new_numbers]))
    as_bytes = nummervergelijking(*frames, o, n, (shared[: len(old)], shared[len(old) :]), cells)
    for name in ("zelfde", "zelfde_kern", "met_achtervoegsel", "alleen_voorloopnullen"):
        assert getattr(as_bytes, name).tolist() == getattr(plain, name).tolist(), name


def test_conform_casts_what_is_not_of_its_declared_type_and_refuses_unknown_categories():
    from srgdesk.core.matching import schema

    rows = {k.naam: np.zeros(2, dtype=np.int64) for k in schema.COLUMNS}
    rows[schema.SOORT_KOPPELING] = rows[schema.ZEKERHEID] = np.array(["", ""], dtype=object)
    rows[schema.STATUS] = np.array(["gekoppeld", "nieuw"], dtype=object)
    rows[schema.REDEN] = np.array(["a", "b"], dtype=object)
    frame = schema.conform(pd.DataFrame(rows))
    assert [frame[k.naam].dtype for k in schema.COLUMNS] == [k.dtype for k in schema.COLUMNS]
    assert frame[schema.STATUS].tolist() == ["gekoppeld", "nieuw"]
    assert frame[schema.REDEN].tolist() == ["a", "b"]
    assert frame[schema.BSN].tolist() == [0, 0]  # as objects now
    rows[schema.STATUS] = np.array(["gekoppeld", "weg"], dtype=object)
    with pytest.raises(ValueError, match="weg"):
        schema.conform(pd.DataFrame(rows))


def _combine_by_hashing(parts: list[np.ndarray], size: int) -> tuple[np.ndarray, np.ndarray]:
    """The plain way: every part factorised, the codes combined, the combinations factorised."""
    combined = np.zeros(size, dtype=np.int64)
    for values in parts:
        codes, uniques = pd.factorize(values, sort=False)
        combined = pd.factorize(combined * (len(uniques) + 1) + codes, sort=False)[0]
    pattern, _ = pd.factorize(combined, sort=False)
    first = [pattern.tolist().index(k) for k in range(int(pattern.max(initial=-1)) + 1)]
    return np.array(first, dtype=np.int64), pattern


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 30).flatmap(
        lambda size: st.lists(
            st.sampled_from(
                [
                    st.integers(0, 3),  # small codes: taken as they are
                    st.integers(-2, 70_000) | st.sampled_from([OPEN, GEEN]),  # hashed
                    st.integers(18_000, 18_004) | st.just(OPEN),  # days and OPEN: shifted
                ]
            ).flatmap(lambda values: st.lists(values, min_size=size, max_size=size)),
            max_size=5,
        ).map(lambda parts: (size, parts))
    )
)
def test_patterns_of_small_codes_and_of_hashed_values_are_those_of_hashing_every_part(drawn):
    size, parts = drawn
    arrays = [np.array(part, dtype=np.int64) for part in parts]
    first, pattern = _combine(arrays, size)
    expected_first, expected_pattern = _combine_by_hashing(arrays, size)
    assert pattern.tolist() == expected_pattern.tolist()
    assert first.tolist() == expected_first.tolist()


@given(
    st.lists(st.integers(-5, 40_000), min_size=1, max_size=60)
    | st.lists(st.integers(-(2**31), 2**31 - 1), min_size=1, max_size=10)
)
def test_days_counted_over_their_range_are_those_of_unique_with_counts(days):
    values = np.array(days, dtype=np.int32)
    found, counts = day_counts(values)
    expected, expected_counts = np.unique(values, return_counts=True)
    assert found.dtype == expected.dtype
    assert found.tolist() == expected.tolist()
    assert counts.tolist() == expected_counts.tolist()
