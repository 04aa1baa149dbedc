"""The candidates of one review row, described so a person can tell them apart.

Used by the "Andere kiezen…" dialog: for each candidate new record its key, soort, dates and
whether another old record holds it now. Plain data, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from srgdesk.core.review import AFGEWEZEN, GEACCEPTEERD, HANDMATIG, ReviewSessie
from srgdesk.core.values import days_to_text


@dataclass(frozen=True)
class Optie:
    """One candidate new record for an old record."""

    nieuw_index: int
    sleutel: str  # gemeentecode · berichtgevercode · registratienummer
    soort: str  # code and description
    begin: str  # dd-mm-jjjj
    eind: str  # dd-mm-jjjj, or "loopt door"
    regel: int  # row number in the new export, as Excel shows it
    voorgesteld: bool  # the proposal of matching
    bezet_door: str  # old key that holds it now ("" when free or held by this row)
    vast: bool  # held by an accepted or manual pair elsewhere: cannot be chosen now

    def tekst(self) -> str:
        """One line, for screen readers and the log."""
        text = f"{self.sleutel} — soort {self.soort}, {self.begin} t/m {self.eind}"
        if self.bezet_door:
            text += f" (nu bij {self.bezet_door})"
        return text


def opties(sessie: ReviewSessie, nieuw: pd.DataFrame, row: int) -> list[Optie]:
    """Every candidate of `row` (proposal first), with what tells them apart."""
    holding = (sessie.oud_index >= 0) & (sessie.besluit != AFGEWEZEN)
    holding[row] = False
    out = []
    proposed = int(sessie.nieuw_index[row])
    for index in sessie.alternatieven(row):
        record = nieuw.iloc[index]
        omschrijving = str(record.get("omschrijving", "") or "")
        holders = np.flatnonzero(holding & (sessie.gekozen == index))
        holder = int(holders[0]) if holders.size else None
        out.append(
            Optie(
                nieuw_index=index,
                sleutel=" · ".join(
                    str(record[c])
                    for c in ("gemeentecode", "berichtgevercode", "registratienummer")
                ),
                soort=f"{record['soort']} {omschrijving}".strip(),
                begin=days_to_text(int(record["begindatum"])),
                eind=days_to_text(int(record["einddatum"])) or "loopt door",
                regel=int(record["regel"]),
                voorgesteld=index == proposed,
                bezet_door=" · ".join(sessie.oud_key(holder)) if holder is not None else "",
                vast=holder is not None
                and int(sessie.besluit[holder]) in (GEACCEPTEERD, HANDMATIG),
            )
        )
    return out
