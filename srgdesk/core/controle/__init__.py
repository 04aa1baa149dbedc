"""The monthly check: this month's export against last month's, before CBS sees it.

Same engine as `match` (no second matcher): `controleer` runs matching.match, then the checks in
checks.py on its result and on the cleaned voorzieningen. The codes, ernst and Dutch texts of the
signaleringen live in resources/controle.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from srgdesk.core.cleaning import Voorzieningen
from srgdesk.core.controle import checks
from srgdesk.core.controle.model import KOLOMMEN, combine, load_soorten, tekst_frame
from srgdesk.core.matching import MatchOpties, MatchResultaat, match
from srgdesk.core.melding import Soortcode, Vertaaltabelmelding
from srgdesk.core.progress import Voortgang
from srgdesk.core.vocabulary import Ernst

__all__ = [
    "KOLOMMEN",
    "ControleResultaat",
    "controleer",
    "load_soorten",
    "tekst_frame",
]


@dataclass
class ControleResultaat:
    """The signaleringen (see model.KOLOMMEN, plus `bsn` for the wizard only) and the match
    result they came from (the conversiebestand is written from it)."""

    signaleringen: pd.DataFrame
    match: MatchResultaat

    def aantal(self, ernst: Ernst | None = None, code: str | None = None) -> int:
        s = self.signaleringen
        mask = np.ones(len(s), dtype=bool)
        if ernst is not None:
            mask &= (s["ernst"] == ernst).to_numpy()
        if code is not None:
            mask &= (s["code"] == code).to_numpy()
        return int(mask.sum())

    def codes(self) -> set[str]:
        return set(self.signaleringen["code"])

    def nieuwe_soortcodes(self) -> list[tuple[str, str]]:
        """(code, omschrijving) of the soort codes CBS's vertaaltabel does not know yet."""
        return checks.nieuwe_soortcodes(self.match)

    def vertaaltabelmelding(self) -> Vertaaltabelmelding | None:
        """The email to SZ_SRG@cbs.nl about the new soort codes (None: there are none). Holds
        codes, omschrijvingen, the gemeentecode and the verslagmaand: no personal data."""
        codes = self.nieuwe_soortcodes()
        if not codes:
            return None
        frame, periode = self.match.nieuw.frame, self.match.periode_nieuw
        gemeentecode = str(frame["gemeentecode"].mode().iat[0]) if len(frame) else ""
        return Vertaaltabelmelding(
            codes=tuple(Soortcode(code, omschrijving) for code, omschrijving in codes),
            gemeentecode=gemeentecode,
            verslagmaand=f"{periode.maand[:4]}-{periode.maand[4:]}",
        )

    def samenvatting(self) -> list[str]:
        """A Dutch summary: how many of each ernst, and per code."""
        m = self.match
        fout, waarschuwing, info = (
            self.aantal(e) for e in (Ernst.FOUT, Ernst.WAARSCHUWING, Ernst.INFO)
        )
        lines = [
            f"Vorige maand: {m.oud.totaal_regels} regels ({m.oud.bestand}), verslagmaand {m.periode_oud.tekst()}.",
            f"Deze maand: {m.nieuw.totaal_regels} regels ({m.nieuw.bestand}), verslagmaand {m.periode_nieuw.tekst()}.",
        ]
        if not len(self.signaleringen):
            lines.append("Geen signaleringen: deze levering ziet er goed uit.")
            return lines
        lines.append(f"Signaleringen: {fout} fout, {waarschuwing} waarschuwing, {info} info.")
        soorten = load_soorten()
        counts = self.signaleringen["code"].value_counts()
        for code, kind in soorten.items():
            if code in counts:
                lines.append(f"  {kind.ernst}: {kind.titel} ({code}): {int(counts[code])}")
        if fout:
            lines.append("Herstel de fouten vóór u de levering naar CBS stuurt; zie controle.xlsx.")
        return lines


def controleer(
    vorige: Voorzieningen,
    deze: Voorzieningen,
    opties: MatchOpties | None = None,
    voortgang: Voortgang | None = None,
) -> ControleResultaat:
    """Match last month's export with this month's, then run every check on the result."""
    voortgang = voortgang or Voortgang()
    opties = _met_verslagmaand(vorige, deze, opties or MatchOpties())
    binnen = Voortgang(
        on_progress=lambda fraction, text: voortgang.report(0.8 * fraction, text),
        is_cancelled=voortgang.is_cancelled,
    )
    resultaat = match(vorige, deze, opties, binnen)
    voortgang.report(0.85, "Signaleringen zoeken")
    parts = [
        checks.sleutel_gewijzigd(resultaat),
        checks.verdwenen(resultaat),
        checks.nummer_hergebruikt(resultaat),
        checks.onbruikbare_regels(deze),
        checks.regnr_tekens(deze),
        checks.gemeente_opgeheven(resultaat),
        checks.nieuwe_soortcode(resultaat),
        checks.begin_na_verslagmaand(resultaat),
        checks.aantal_afwijkend(resultaat),
        checks.lege_levering(resultaat),
        checks.vorige_onbruikbaar(vorige),
    ]
    voortgang.report(1.0, "Controle klaar")
    return ControleResultaat(combine(parts), resultaat)


def _met_verslagmaand(
    vorige: Voorzieningen, deze: Voorzieningen, opties: MatchOpties
) -> MatchOpties:
    """A delivery without one usable row still gets a verslagmaand: the month after last month's,
    so the check can say it is empty instead of refusing the file."""
    if not deze.frame.empty or opties.verslagmaand_nieuw:
        return opties
    from srgdesk.core.verslagmaand import determine_period

    maand = determine_period(vorige.frame, opties.verslagmaand_oud, "vorige")
    first = date(int(maand.maand[:4]), int(maand.maand[4:]), 1)
    volgende = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return MatchOpties(opties.verslagmaand_oud, f"{volgende:%Y%m}", opties.codes)
