"""The Dutch summary of a matching result, in words and numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from srgdesk.core.matching import schema
from srgdesk.core.vocabulary import Status, Zekerheid

if TYPE_CHECKING:
    from srgdesk.core.matching.result import MatchResultaat

STATUS_WORDS = (
    (Status.ONGEWIJZIGD, "ongewijzigd (zelfde sleutel, niets te melden)"),
    (Status.BEEINDIGD, "beëindigd vóór de nieuwe periode"),
    (Status.ONTBREEKT, "ONTBREEKT: loopt nog maar staat niet in de nieuwe export"),
    (Status.NIEUW, "nieuw (geen voorganger)"),
    (Status.ONGELDIG, "ongeldig (regel onbruikbaar)"),
)


def samenvatting(resultaat: MatchResultaat) -> list[str]:
    """Counts per status and zekerheid, warnings, and what was recognised."""
    r = resultaat.regels
    per_status = _counts(r[schema.STATUS])
    gekoppeld = _counts(r[schema.ZEKERHEID], r[schema.STATUS] == Status.GEKOPPELD)
    lines = [
        f"Oude export: {resultaat.oud.totaal_regels} regels ({resultaat.oud.bestand}), "
        f"verslagmaand {resultaat.periode_oud.tekst()}.",
        f"Nieuwe export: {resultaat.nieuw.totaal_regels} regels ({resultaat.nieuw.bestand}), "
        f"verslagmaand {resultaat.periode_nieuw.tekst()}.",
        f"Gekoppeld: {per_status.get(Status.GEKOPPELD, 0)} — "
        f"zeker {gekoppeld.get(Zekerheid.ZEKER, 0)}, "
        f"waarschijnlijk {gekoppeld.get(Zekerheid.WAARSCHIJNLIJK, 0)}, "
        f"twijfel {gekoppeld.get(Zekerheid.TWIJFEL, 0)}.",
    ]
    for value, words in STATUS_WORDS:
        lines.append(f"{words.capitalize()}: {per_status.get(value, 0)}.")
    twijfel = _counts(r[schema.ZEKERHEID]).get(Zekerheid.TWIJFEL, 0)
    if twijfel:
        lines.append(
            f"Te beoordelen: {twijfel} regel(s) met twijfel; kies zelf de juiste koppeling."
        )
    waarschijnlijk = gekoppeld.get(Zekerheid.WAARSCHIJNLIJK, 0)
    if waarschijnlijk:
        lines.append(
            f"Wacht op uw besluit: {waarschijnlijk} koppeling(en) met zekerheid 'waarschijnlijk'. "
            "Die komen alleen in het conversiebestand als u ze accepteert "
            "(--accepteer waarschijnlijk; in het venster: kies het niveau waarschijnlijk). "
            "Controleer ze eerst in matches.csv."
        )
    if resultaat.conflicten:
        lines.append(
            f"WAARSCHUWING: {resultaat.conflicten} registratienummer(s) zijn in de nieuwe export "
            "gebruikt voor een andere persoon. Deze zijn niet gekoppeld; controleer ze."
        )
    lines.extend(_gemeentecode_lines(resultaat))
    if resultaat.conversiedatums:
        lines.append(f"Conversiedatum herkend: {', '.join(resultaat.conversiedatums)}.")
    if not resultaat.codes.zelfde_codes:
        lines.append(
            f"Soorten voorziening omgezet met {len(resultaat.codes.koppelingen)} codekoppeling(en)."
        )
    return lines


def _counts(column: pd.Series, rows: pd.Series | None = None) -> dict[str, int]:
    """How often each value occurs in `column` (in the `rows` where given), missing cells left
    out. The result's columns are categorical: one bincount over their integer codes instead
    of a pass over the cells as objects per value counted."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        if rows is not None:
            codes = codes[rows.to_numpy(dtype=bool)]
        categories = column.cat.categories
        counts = np.bincount(codes[codes >= 0], minlength=len(categories))
        return {value: int(count) for value, count in zip(categories, counts, strict=True)}
    selected = column if rows is None else column[rows.to_numpy(dtype=bool)]
    return {value: int(count) for value, count in selected.value_counts().items()}


def _gemeentecode_lines(resultaat: MatchResultaat) -> list[str]:
    """A changed gemeentecode in a pair is checked against the herindelingen since 2019."""
    r = resultaat.regels
    # numpy compares the object columns five times faster than pandas' != (which also spends
    # time on missing values: a pair without a code on a side is left out by the groupby anyway)
    differs = r["oud_gemeentecode"].to_numpy() != r["nieuw_gemeentecode"].to_numpy()
    changed = np.flatnonzero((r[schema.STATUS] == Status.GEKOPPELD).to_numpy() & differs)
    if not len(changed):  # the usual month: no pair changed its gemeentecode
        return []
    from srgdesk.core import gemeenten

    codes = r[["oud_gemeentecode", "nieuw_gemeentecode"]].iloc[changed]
    lines = []
    counts = codes.groupby(["oud_gemeentecode", "nieuw_gemeentecode"]).size()
    for (oud, nieuw), count in counts.items():
        merger = [h for h in gemeenten.opgegaan_in(oud) if h.nieuwe_code == nieuw]
        if merger:
            h = merger[0]
            lines.append(
                f"Gemeentecode {oud} → {nieuw} bij {count} koppeling(en): herindeling van "
                f"{h.datum:%d-%m-%Y} ({h.oude_naam} → {h.nieuwe_naam})."
            )
        else:
            lines.append(
                f"WAARSCHUWING: gemeentecode {oud} → {nieuw} bij {count} koppeling(en) is geen "
                "herindeling die srgdesk kent. Controleer of u de juiste exports hebt gekozen."
            )
    return lines
