"""`match`: candidates → evidence → one-to-one assignment → result rows; and the code proposal."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from srgdesk.core.cleaning import Voorzieningen
from srgdesk.core.codes import CodeKeuzes, CodeTabel, learn_codes
from srgdesk.core.errors import InvoerFout
from srgdesk.core.matching.assignment import assign
from srgdesk.core.matching.candidates import (
    bewijs,
    column_codes,
    detect_conversion_dates,
    equal_pairs,
    kandidaten,
    known_cells,
)
from srgdesk.core.matching.result import MatchResultaat, build_rows, kies
from srgdesk.core.matching.rules import Toleranties
from srgdesk.core.progress import Voortgang
from srgdesk.core.values import days_to_text
from srgdesk.core.verslagmaand import determine_period


@dataclass(frozen=True)
class MatchOpties:
    """What the user may set: the verslagmaanden (JJJJMM), their own soort relation (old code →
    one new code or several) and the date tolerances."""

    verslagmaand_oud: str | None = None
    verslagmaand_nieuw: str | None = None
    codes: CodeKeuzes | None = None
    toleranties: Toleranties = field(default_factory=Toleranties)


def propose_codes(
    oud: Voorzieningen, nieuw: Voorzieningen, opties: MatchOpties | None = None
) -> CodeTabel:
    """The soort relation `match` would learn, for the user to check before matching runs."""
    opties = opties or MatchOpties()
    try:
        peildag = determine_period(nieuw.frame, opties.verslagmaand_nieuw, "nieuwe").eerste_dag
    except InvoerFout:
        peildag = None
    # Only the same-BSN pairs (as `kandidaten` finds them): keys and conflicts play no part.
    bekend = (oud.bekend, nieuw.bekend)
    cells = known_cells(oud.frame, nieuw.frame, "bsn", bekend)
    o, n = equal_pairs(*column_codes(oud.frame, nieuw.frame, "bsn", cells))
    return learn_codes(oud.frame, nieuw.frame, pd.DataFrame({"o": o, "n": n}), peildag)


def match(
    oud: Voorzieningen,
    nieuw: Voorzieningen,
    opties: MatchOpties | None = None,
    voortgang: Voortgang | None = None,
) -> MatchResultaat:
    """Pair the voorzieningen of two exports; the rules are in `matching.rules`."""
    opties = opties or MatchOpties()
    voortgang = voortgang or Voortgang()
    old, new = oud.frame, nieuw.frame
    periode_oud = determine_period(old, opties.verslagmaand_oud, "oude")
    periode_nieuw = determine_period(new, opties.verslagmaand_nieuw, "nieuwe")
    voortgang.report(0.05, "Kandidaten per persoon zoeken")
    kand = kandidaten(old, new, (oud.bekend, nieuw.bekend))

    voortgang.report(0.15, "Soorten voorziening vergelijken")
    soort = kand.soort
    codes = learn_codes(
        old, new, kand.paren, periode_nieuw.eerste_dag, soort, kand.omschrijving
    ).with_overrides(opties.codes or {})
    conversion_dates = detect_conversion_dates(new["begindatum"].to_numpy()[~kand.sleutel_nieuw])
    voortgang.report(0.3, "Bewijs per kandidaat wegen")
    ev, paren = bewijs(old, new, kand, codes, conversion_dates, opties.toleranties)

    voortgang.report(0.5, "Eén-op-één toewijzen")
    toewijzing = assign(ev.o, ev.n, ev.bsn, ev.score, voortgang)

    voortgang.report(0.8, "Uitkomst samenstellen")
    gekozen = kies(ev, paren, toewijzing, soort.oud, soort.nieuw)
    del ev, paren  # the arrays of all candidates: the rows need only the chosen pairs
    conflicten = kand.conflicten
    del kand
    regels = build_rows(oud, nieuw, gekozen, toewijzing, conflicten, periode_nieuw, soort)
    voortgang.report(1.0, "Klaar")
    return MatchResultaat(
        regels=regels,
        oud=oud,
        nieuw=nieuw,
        codes=codes,
        periode_oud=periode_oud,
        periode_nieuw=periode_nieuw,
        conversiedatums=[days_to_text(int(d)) for d in np.asarray(conversion_dates)],
        conflicten=len(conflicten),
    )
