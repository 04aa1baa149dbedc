"""Saved decisions find their rows by key (issue 12: a fast way for the common case): the row
found is always the first row whose gemeente, berichtgever and registratienummer equal the
saved key as text, whatever the file holds (duplicate numbers, tuples, numbers, None)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.review import _find_keys

PARTS = st.sampled_from(["0363", "0999", "4021", "A1", "A2", "B1", ""])
SESSION_KEY = st.tuples(st.sampled_from(["0363", "0999"]), st.just("4021"), PARTS)
SAVED = st.one_of(
    st.lists(PARTS, min_size=3, max_size=3),
    st.tuples(PARTS, PARTS, PARTS),
    st.lists(st.one_of(PARTS, st.integers(0, 3)), min_size=3, max_size=3),
    st.lists(PARTS, min_size=2, max_size=4),
    st.none(),
    st.just("abc"),
)


def first_row(session: list[tuple[str, str, str]], rows: list[int], saved: object) -> int:
    """The specification, plainly: the first of `rows` whose key equals the saved one."""
    if not isinstance(saved, list | tuple) or len(saved) != 3:
        return -1
    wanted = tuple(str(p) for p in saved)
    return next((row for row in rows if session[row] == wanted), -1)


@settings(max_examples=300, deadline=None)
@given(
    session=st.lists(SESSION_KEY, min_size=1, max_size=12),
    saved=st.lists(SAVED, max_size=10),
    common=st.booleans(),
)
def test_each_saved_key_finds_the_first_row_with_that_key(session, saved, common):
    if common:  # the everyday file: lists of three strings only, numbers unique
        session = [(g, b, f"{n}{i}") for i, (g, b, n) in enumerate(session)]
        saved = [list(session[i % len(session)]) for i in range(len(saved))]
        saved += [["x", "y", "z"], ["9999", *session[0][1:]]]  # unknown; another gemeente
    columns = [np.array([key[k] for key in session], dtype=object) for k in range(3)]
    rows = np.arange(len(session), dtype=np.int64)[::-1]  # not in order: the first of `rows`
    found = _find_keys(columns, rows, saved)
    assert found.tolist() == [first_row(session, rows.tolist(), s) for s in saved]
    targets = rows * 10
    assert _find_keys(columns, rows, saved, targets).tolist() == [
        -1 if r < 0 else r * 10 for r in found.tolist()
    ]
