"""The advice on eaten leading zeros looks at the second export's numbers only when the first
value of each export is a number: its answer is the one of judging both exports in full."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.export import _number_shape, voorloopnullen_advies


def export_of(numbers: list[str]):
    frame = pd.DataFrame({"registratienummer": pd.Series(numbers, dtype=object)})
    return SimpleNamespace(voorzieningen=SimpleNamespace(frame=frame))


def advice_judging_both_in_full(oud, nieuw) -> tuple[str, int] | None:
    """The oracle: both shapes always computed, then the rule of voorloopnullen_advies."""
    shapes = {
        rol: _number_shape(e.voorzieningen.frame["registratienummer"])
        for rol, e in (("oud", oud), ("nieuw", nieuw))
    }
    for rol, other in (("oud", "nieuw"), ("nieuw", "oud")):
        mine, theirs = shapes[rol], shapes[other]
        if mine and mine[0] == "kaal" and theirs and theirs[0] == "vast" and mine[1] < theirs[1]:
            return rol, theirs[1]
    return None


def numbers(width: int) -> st.SearchStrategy[list[str]]:
    plain = st.integers(1, 10**width - 1).map(str)
    padded = st.integers(0, 10**width - 1).map(lambda n: str(n).zfill(width))
    other = st.sampled_from(["VZ-0051091", "", "12a", " 7", "٣٤"])
    return st.lists(st.one_of(plain, padded, other), max_size=8) | st.lists(padded, max_size=8)


@settings(max_examples=300, deadline=None)
@given(oud=numbers(6), nieuw=numbers(8))
def test_the_advice_is_that_of_judging_both_exports_in_full(oud, nieuw):
    for a, b in ((oud, nieuw), (nieuw, oud)):
        advies = voorloopnullen_advies(export_of(a), export_of(b))
        expected = advice_judging_both_in_full(export_of(a), export_of(b))
        assert (None if advies is None else (advies.rol, advies.breedte)) == expected


def test_eaten_zeros_on_either_side_are_still_seen():
    kaal, vast = ["1000558", "1000874"], ["0001000558", "0001000874"]
    assert voorloopnullen_advies(export_of(kaal), export_of(vast)).rol == "oud"
    assert voorloopnullen_advies(export_of(vast), export_of(kaal)).rol == "nieuw"
    assert voorloopnullen_advies(export_of(["VZ-1", *kaal]), export_of(vast)) is None
    assert voorloopnullen_advies(export_of(kaal), export_of([])) is None
