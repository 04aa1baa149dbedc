"""Generators of small export pairs for the matching tests: records built in code, no files.

`Rec` is one voorziening as an export would hold it; `pair` turns two lists of them into the
Voorzieningen that `match` takes. `people` hands out valid BSNs; `reset_filler` adds enough
people whose begindatum was reset to the switch date to make it a detected conversion date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from srgdesk.core.cleaning import COLUMNS, Voorzieningen
from srgdesk.core.matching import MatchOpties, MatchResultaat, match
from srgdesk.core.values import EPOCH, OPEN

SWITCH = "2024-01-01"


def day(text: str | None) -> int:
    """'2024-01-01' → day number; None → OPEN."""
    if text is None:
        return int(OPEN)
    return int((np.datetime64(text, "D") - EPOCH).astype(int))


def _elfproef(text: str) -> bool:
    weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
    return sum(int(d) * w for d, w in zip(text, weights, strict=True)) % 11 == 0


def people(count: int, start: int = 100_000_009) -> list[str]:
    """`count` distinct valid BSNs."""
    found: list[str] = []
    number = start
    while len(found) < count:
        text = f"{number:09d}"
        if _elfproef(text):
            found.append(text)
        number += 7
    return found


@dataclass(frozen=True)
class Rec:
    """One voorziening. Dates ISO; einde None = open; einde_dag overrides with a raw day number."""

    bsn: str
    nummer: str
    soort: str = "01"
    begin: str = "2020-01-01"
    einde: str | None = None
    gemeente: str = "0363"
    berichtgever: str = "4021"
    omschrijving: str = ""
    loonwaarde: str = ""
    einde_dag: int | None = None


def voorzieningen(records: list[Rec], bestand: str) -> Voorzieningen:
    frame = pd.DataFrame(
        {
            "regel": np.arange(2, len(records) + 2, dtype=np.int64),
            "gemeentecode": [r.gemeente for r in records],
            "berichtgevercode": [r.berichtgever for r in records],
            "verslagmaand": [""] * len(records),
            "bsn": [r.bsn for r in records],
            "registratienummer": [r.nummer for r in records],
            "soort": [r.soort for r in records],
            "omschrijving": [r.omschrijving for r in records],
            "begindatum": np.array([day(r.begin) for r in records], dtype=np.int32),
            "einddatum": np.array(
                [r.einde_dag if r.einde_dag is not None else day(r.einde) for r in records],
                dtype=np.int32,
            ),
            "geboortedatum": np.zeros(len(records), dtype=np.int32),
            "loonwaarde": [r.loonwaarde for r in records],
        },
        columns=COLUMNS,
    )
    ongeldig = pd.DataFrame(
        {"regel": [], "gemeentecode": [], "berichtgevercode": [], "registratienummer": []}
    )
    ongeldig["reden"] = []
    return Voorzieningen(bestand, frame, ongeldig, [], len(records))


def run(old: list[Rec], new: list[Rec], **opties) -> MatchResultaat:
    opties.setdefault("verslagmaand_oud", "202312")
    opties.setdefault("verslagmaand_nieuw", "202401")
    return match(
        voorzieningen(old, "oud.csv"), voorzieningen(new, "nieuw.csv"), MatchOpties(**opties)
    )


def reset_filler(count: int = 12, start: int = 900_000_000) -> tuple[list[Rec], list[Rec]]:
    """People whose begindatum the new package reset to SWITCH (makes it a conversion date)."""
    bsns = people(count, start)
    old = [Rec(b, f"F{i}", begin="2019-05-05") for i, b in enumerate(bsns)]
    new = [Rec(b, f"G{i}", begin=SWITCH) for i, b in enumerate(bsns)]
    return old, new


def row_of(result: MatchResultaat, old_number: str) -> pd.Series:
    rows = result.regels[result.regels["oud_registratienummer"] == old_number]
    assert len(rows) == 1, f"{old_number} appears {len(rows)} times"
    return rows.iloc[0]


def new_row_of(result: MatchResultaat, new_number: str) -> pd.Series:
    regels = result.regels
    rows = regels[(regels["nieuw_registratienummer"] == new_number) & (regels["oud_index"] < 0)]
    assert len(rows) == 1, f"{new_number} appears {len(rows)} times alone"
    return rows.iloc[0]


def pairs(result: MatchResultaat) -> set[tuple[str, str]]:
    """(old number, new number) of every proposed pair."""
    r = result.regels[result.regels["status"] == "gekoppeld"]
    return set(zip(r["oud_registratienummer"], r["nieuw_registratienummer"], strict=True))
