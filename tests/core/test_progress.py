"""Voortgang: progress is clamped to 0..1 and passed on; a cancel request stops the work."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srgdesk.core.errors import Geannuleerd
from srgdesk.core.progress import Voortgang


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_reported_fraction_is_clamped(fraction):
    seen = []
    Voortgang(on_progress=lambda f, text: seen.append((f, text))).report(fraction, "bezig")
    assert seen == [(max(0.0, min(1.0, fraction)), "bezig")]


def test_cancel_stops_at_the_next_report_or_check():
    cancelled = False
    seen = []
    voortgang = Voortgang(on_progress=lambda f, t: seen.append(f), is_cancelled=lambda: cancelled)
    voortgang.report(0.5, "half")
    cancelled = True
    with pytest.raises(Geannuleerd):
        voortgang.check()
    with pytest.raises(Geannuleerd):
        voortgang.report(0.6, "verder")
    assert seen == [0.5]  # nothing is reported once cancelled


def test_default_never_cancels_and_reports_nowhere():
    Voortgang().report(2.0, "klaar")
    Voortgang().check()
