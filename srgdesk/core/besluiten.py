"""What the decisions mean outside the review: the overzicht for the gemeente's own records, the
matching rows as decided (for matches.csv), and the differences a person should see before
pairing by hand. (The counts, twijfel included, come from ReviewSessie.tellingen alone.)

Plain functions over a ReviewSessie and the cleaned exports; no Qt. The GUI and the CLI show what
these return, so every count and every file tells the same story.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from srgdesk.core.review import AFGEWEZEN, BESLUIT_NAMEN, HANDMATIG, OPEN, ReviewSessie
from srgdesk.core.values import days_to_text

OUD_KOLOMMEN = (
    "oud_gemeentecode",
    "oud_berichtgevercode",
    "oud_registratienummer",
    "oud_regel",
    "oud_soort",
    "oud_begindatum",
    "oud_einddatum",
)
NIEUW_SLEUTEL = ("nieuw_gemeentecode", "nieuw_berichtgevercode", "nieuw_registratienummer")
NIEUW_OVERIG = ("nieuw_regel", "nieuw_soort", "nieuw_begindatum", "nieuw_einddatum")
MATCH_KOLOMMEN = (  # what matches.csv reads, plus the new record's details we fill in
    "status",
    "soort_koppeling",
    "zekerheid",
    "score",
    "reden",
    *OUD_KOLOMMEN,
    *NIEUW_SLEUTEL,
    *NIEUW_OVERIG,
)


def overzicht_besluiten(sessie: ReviewSessie, nieuw: pd.DataFrame) -> pd.DataFrame:
    """All visible rows with their decision and the new record as it stands after the review
    (a chosen alternative or a manual pair, not the original proposal). No BSN."""
    rows = np.flatnonzero(sessie.zichtbaar())  # only these are written; the rest are shadows
    regels = sessie.regels.iloc[rows].reset_index(drop=True)
    position = np.full(len(sessie), -1, dtype=np.int64)
    position[rows] = np.arange(rows.size)
    code = sessie.besluit[rows]
    besluit = pd.Series(code).map(BESLUIT_NAMEN)
    besluit = besluit.where(sessie.beslisbaar[rows] | (code != OPEN), "")
    reden = regels["reden"].astype(str).copy()
    for row, tekst in sessie.redenen.items():
        if position[row] >= 0:
            reden.iat[position[row]] = f"Met de hand gekoppeld: {tekst}"
    frame = pd.DataFrame(
        {
            "status": regels["status"],
            "zekerheid": regels["zekerheid"],
            "besluit": besluit,
            "reden": reden,
        }
    )
    for column in OUD_KOLOMMEN:
        frame[column] = regels[column]
    gekozen = sessie.gekozen[rows]
    changed = (gekozen != sessie.nieuw_index[rows]) & (sessie.oud_index[rows] >= 0)
    changed &= code != AFGEWEZEN
    picked = np.flatnonzero(changed & (gekozen >= 0))
    for column in (*NIEUW_SLEUTEL, *NIEUW_OVERIG):
        values = regels[column].astype(object).copy()
        values[np.flatnonzero(changed)] = "" if column != "nieuw_regel" else 0
        if picked.size:
            values.iloc[picked] = _nieuw_waarden(nieuw, gekozen[picked], column)
        frame[column] = values
    return frame


def _nieuw_waarden(nieuw: pd.DataFrame, indexes: np.ndarray, column: str) -> list:
    records = nieuw.iloc[indexes]
    name = column.removeprefix("nieuw_")
    if name in ("begindatum", "einddatum"):
        return [days_to_text(int(d)) for d in records[name]]
    if name == "regel":
        return records["regel"].astype(int).tolist()
    return records[name].astype(str).tolist()


def verschillen_handmatig(sessie: ReviewSessie, old_row: int, new_row: int) -> list[str]:
    """Dutch lines naming what differs between an old and a new record a person wants to pair
    by hand (person, soort, dates); empty when nothing stands out."""
    r = sessie.regels

    def value(row: int, column: str) -> str:
        return str(r.at[row, column]) if column in r and pd.notna(r.at[row, column]) else ""

    lines = []
    if value(old_row, "bsn") != value(new_row, "bsn"):
        lines.append("Het is een andere persoon: de BSN's verschillen.")
    oud_soort, nieuw_soort = value(old_row, "oud_soort"), value(new_row, "nieuw_soort")
    if oud_soort != nieuw_soort:
        lines.append(f"De soort verschilt: oud {oud_soort or '-'}, nieuw {nieuw_soort or '-'}.")
    begin_oud, begin_nieuw = value(old_row, "oud_begindatum"), value(new_row, "nieuw_begindatum")
    if begin_oud != begin_nieuw:
        lines.append(
            f"De begindatum verschilt: oud {begin_oud or '-'}, nieuw {begin_nieuw or '-'}."
        )
    return lines


def regels_na_besluiten(
    sessie: ReviewSessie, nieuw: pd.DataFrame, overzicht: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The matching rows as the review left them, for matches.csv: a chosen alternative or a
    manual pair shows its new record, a rejected or lapsed proposal has none (status
    'ontbreekt'), and each new record appears once (a new record taken by an old one has no
    row of its own)."""
    zichtbaar = sessie.zichtbaar()
    nieuw_rij = sessie.status == "nieuw"
    keep = zichtbaar & ~(nieuw_rij & (sessie.besluit == HANDMATIG))
    keep &= ~(nieuw_rij & sessie.geclaimd()[np.maximum(sessie.nieuw_index, 0)])
    rows = np.flatnonzero(keep)  # only the rows written: half of them are hidden shadow rows
    wanted = [c for c in (*MATCH_KOLOMMEN, "bsn") if c in sessie.regels]
    regels = sessie.regels[wanted].iloc[rows].reset_index(drop=True)
    for column in ("status", "soort_koppeling", "zekerheid", "reden"):
        if column in regels:
            regels[column] = regels[column].astype(object)
    frame = overzicht if overzicht is not None else overzicht_besluiten(sessie, nieuw)
    in_overzicht = keep[zichtbaar]  # the overzicht holds the visible rows, in order
    for column in (*NIEUW_SLEUTEL, *NIEUW_OVERIG, "reden"):
        regels[column] = frame[column].to_numpy(dtype=object)[in_overzicht]
    old = (sessie.oud_index >= 0)[rows]
    besluit = sessie.besluit[rows]
    vervallen = sessie.vervallen()[rows]
    zonder = old & sessie.beslisbaar[rows] & ((besluit == AFGEWEZEN) | vervallen)
    regels.loc[zonder, "status"] = "ontbreekt"
    regels.loc[zonder, ["soort_koppeling", "zekerheid"]] = ""
    for column in (*NIEUW_SLEUTEL, *NIEUW_OVERIG):
        regels.loc[zonder, column] = 0 if column == "nieuw_regel" else ""
    regels.loc[zonder, "reden"] = np.where(
        besluit[zonder] == AFGEWEZEN,
        "Voorstel afgewezen bij de controle",
        "Voorstel vervallen: de nieuwe voorziening is bij een andere gekozen",
    )
    hand = old & (besluit == HANDMATIG)
    regels.loc[hand, "status"] = "gekoppeld"
    regels.loc[hand, "zekerheid"] = ""
    return regels
