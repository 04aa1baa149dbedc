"""The attributes of the candidate pairs (`candidates.paren`) are read the short way where a
column allows it (issue 17): one code a side, a few conversion dates, one code per pair of
soorten, a table of codes for the empty text. Each must answer as the plain numpy way."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.matching.candidates import _differ, _on_days, soort_pairs, text_codes


@st.composite
def pairs_of(draw, size_o: int, size_n: int) -> tuple[np.ndarray, np.ndarray]:
    count = draw(st.integers(0, 30))
    o = draw(st.lists(st.integers(0, size_o - 1), min_size=count, max_size=count))
    n = draw(st.lists(st.integers(0, size_n - 1), min_size=count, max_size=count))
    return np.array(o, dtype=np.int64), np.array(n, dtype=np.int64)


@settings(max_examples=200)
@given(st.data(), st.integers(1, 6), st.booleans())
def test_columns_compared_per_pair_answer_as_numpy(data, kinds, constant):
    """One code a side (one gemeente) or several: left[o] != right[n]."""
    codes = st.integers(0, 0 if constant else kinds)
    left = np.array(data.draw(st.lists(codes, min_size=1, max_size=8)), dtype=np.intp)
    right = np.array(data.draw(st.lists(codes, min_size=1, max_size=8)), dtype=np.intp)
    if constant and data.draw(st.booleans()):
        right += 1
    o, n = data.draw(pairs_of(len(left), len(right)))
    assert _differ(left, right, o, n).tolist() == (left[o] != right[n]).tolist()


@given(
    st.lists(st.integers(18_000, 18_020), max_size=40),
    st.lists(st.integers(18_000, 18_020), max_size=12, unique=True),
)
def test_days_on_the_conversion_dates_are_those_of_isin(days, wanted):
    values, dates = np.array(days, dtype=np.int64), np.array(wanted, dtype=np.int32)
    assert _on_days(values, dates).tolist() == np.isin(values, dates).tolist()


@settings(max_examples=200)
@given(st.data(), st.integers(1, 5), st.booleans())
def test_soorten_of_the_pairs_read_from_one_code_answer_as_numpy(data, kinds, missing):
    """Also with a missing soort (-1), which numpy reads from the end of the table."""
    allowed = np.array(
        data.draw(st.lists(st.booleans(), min_size=kinds * kinds, max_size=kinds * kinds))
    ).reshape(kinds, kinds)
    codes = st.integers(-1 if missing else 0, kinds - 1)
    soort_o = np.array(data.draw(st.lists(codes, min_size=1, max_size=8)), dtype=np.intp)
    soort_n = np.array(data.draw(st.lists(codes, min_size=1, max_size=8)), dtype=np.intp)
    o, n = data.draw(pairs_of(len(soort_o), len(soort_n)))
    past, same = soort_pairs(allowed, soort_o, soort_n, o, n)
    assert past.tolist() == allowed[soort_o[o], soort_n[n]].tolist()
    assert same.tolist() == (soort_o[o] == soort_n[n]).tolist()


texts = st.lists(st.sampled_from(["", "50", "75", " ", "100"]), max_size=10)


@given(texts, texts)
def test_text_codes_mark_the_empty_text_as_numpy_isin_did(old, new):
    old_frame = pd.DataFrame({"t": np.array(old, dtype=object)})
    new_frame = pd.DataFrame({"t": np.array(new, dtype=object)})
    found_o, found_n = text_codes(old_frame, new_frame, "t")
    codes, uniques = pd.factorize(np.array([*old, *new], dtype=object), sort=False)
    empty = np.flatnonzero(np.asarray(uniques, dtype=object) == "")
    plain = np.where(np.isin(codes, empty), -1, codes) if len(empty) else codes
    assert [*found_o.tolist(), *found_n.tolist()] == plain.tolist()
