"""Cancelling a match: the cancel check is asked during the work and stops it."""

from __future__ import annotations

import pytest
from matching_generators import Rec, people, voorzieningen

from srgdesk.core.errors import Geannuleerd
from srgdesk.core.matching import MatchOpties, match
from srgdesk.core.progress import Voortgang


def test_match_stops_with_geannuleerd_when_the_user_cancels():
    records = [Rec(b, f"n{i}") for i, b in enumerate(people(20))]
    oud, nieuw = voorzieningen(records, "oud.csv"), voorzieningen(records, "nieuw.csv")
    opties = MatchOpties(verslagmaand_oud="202312", verslagmaand_nieuw="202401")
    steps: list[str] = []
    asked = {"count": 0}

    def cancelled() -> bool:
        asked["count"] += 1
        return asked["count"] > 2

    with pytest.raises(Geannuleerd):
        match(oud, nieuw, opties, Voortgang(lambda _f, text: steps.append(text), cancelled))
    assert len(steps) == 2  # it stopped at the third check, before finishing
    assert match(oud, nieuw, opties, Voortgang()).regels["status"].eq("ongewijzigd").all()
