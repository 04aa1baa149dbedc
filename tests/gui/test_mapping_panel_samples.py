"""The example values beside each column choice: the first distinct values of the column, the
same whether the column is long or short (issue 12: the Kolommen page looks at the first rows
only when those hold enough examples)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.gui import mapping_panel
from srgdesk.gui.mapping_panel import sample_text


def whole_column(column: pd.Series, count: int = 3) -> list[str]:
    """The specification: distinct stripped non-empty values in order of appearance."""
    seen: list[str] = []
    for value in column.tolist():
        text = str(value).strip()
        if text and text not in seen:
            seen.append(text)
    return seen[:count]


VALUES = st.sampled_from(["", " ", "a", " a", "b ", "c", "0363", "x" * 25, None])


@settings(max_examples=200, deadline=None)
@given(head=st.lists(VALUES, max_size=12), tail=st.lists(VALUES, max_size=12))
def test_examples_are_the_first_distinct_values_of_the_whole_column(head, tail):
    column = pd.Series(head + tail, dtype=object)
    expected = ", ".join(v if len(v) <= 20 else v[:18] + "…" for v in whole_column(column))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mapping_panel, "SAMPLE_HEAD", 4)  # so the head is often too short
        assert sample_text(column) == (expected or "leeg")


def test_a_value_found_only_far_down_a_long_column_is_shown():
    column = pd.Series(["a"] * 5000 + ["b", "c"], dtype=object)
    assert sample_text(column) == "a, b, c"
