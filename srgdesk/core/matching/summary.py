"""The Dutch summary of a matching result, in words and numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    status, zekerheid = r[schema.STATUS], r[schema.ZEKERHEID]
    gekoppeld = zekerheid[status == Status.GEKOPPELD]
    lines = [
        f"Oude export: {resultaat.oud.totaal_regels} regels ({resultaat.oud.bestand}), "
        f"verslagmaand {resultaat.periode_oud.tekst()}.",
        f"Nieuwe export: {resultaat.nieuw.totaal_regels} regels ({resultaat.nieuw.bestand}), "
        f"verslagmaand {resultaat.periode_nieuw.tekst()}.",
        f"Gekoppeld: {len(gekoppeld)} — zeker {int((gekoppeld == Zekerheid.ZEKER).sum())}, "
        f"waarschijnlijk {int((gekoppeld == Zekerheid.WAARSCHIJNLIJK).sum())}, "
        f"twijfel {int((gekoppeld == Zekerheid.TWIJFEL).sum())}.",
    ]
    for value, words in STATUS_WORDS:
        lines.append(f"{words.capitalize()}: {int((status == value).sum())}.")
    twijfel = int((zekerheid == Zekerheid.TWIJFEL).sum())
    if twijfel:
        lines.append(
            f"Te beoordelen: {twijfel} regel(s) met twijfel; kies zelf de juiste koppeling."
        )
    waarschijnlijk = int((gekoppeld == Zekerheid.WAARSCHIJNLIJK).sum())
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


def _gemeentecode_lines(resultaat: MatchResultaat) -> list[str]:
    """A changed gemeentecode in a pair is checked against the herindelingen since 2019."""
    from srgdesk.core import gemeenten

    r = resultaat.regels
    # numpy compares the object columns five times faster than pandas' != (which also spends
    # time on missing values: a pair without a code on a side is left out by the groupby anyway)
    differs = r["oud_gemeentecode"].to_numpy() != r["nieuw_gemeentecode"].to_numpy()
    changed = r[(r[schema.STATUS] == Status.GEKOPPELD).to_numpy() & differs]
    lines = []
    counts = changed.groupby(["oud_gemeentecode", "nieuw_gemeentecode"]).size()
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
