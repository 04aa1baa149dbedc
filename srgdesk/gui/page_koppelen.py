"""Step 5: run matching on a worker thread, with progress, cancel and a summary in words."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtWidgets import QVBoxLayout

from srgdesk.core.matching import MatchOpties, MatchResultaat, match
from srgdesk.core.progress import Voortgang
from srgdesk.core.review import Overname, ReviewSessie
from srgdesk.gui.base import Pagina, VoortgangRij, help_label, verbind
from srgdesk.gui.state import WizardState
from srgdesk.gui.worker import TaskRunner

log = logging.getLogger("srgdesk.gui")


@dataclass(frozen=True)
class Gekoppeld:
    """What the matching worker hands back: the result, its review session and what became of
    the decisions laid back on it (None when there were none)."""

    resultaat: MatchResultaat
    sessie: ReviewSessie
    overname: Overname | None


def koppel(
    oud, nieuw, opties: MatchOpties, besluiten: tuple[dict, ...], voortgang: Voortgang
) -> Gekoppeld:
    """Match, build the review session and lay the earlier decisions back, all on the worker:
    with 90k decisions the last two steps take a second the window should not freeze for."""
    resultaat = match(oud, nieuw, opties, voortgang)
    voortgang.check()
    sessie = ReviewSessie(resultaat.regels)
    overname = sessie.apply_besluiten(list(besluiten)) if besluiten else None
    return Gekoppeld(resultaat, sessie, overname)


class KoppelenPage(Pagina):
    def __init__(self, state: WizardState):
        super().__init__(
            state, "Koppelen", "srgdesk zoekt bij elke oude voorziening de nieuwe die erbij hoort."
        )
        layout = QVBoxLayout(self)
        self.status = help_label("")
        layout.addWidget(self.status)
        self.voortgang = VoortgangRij("Voortgang van het koppelen", "Opnieuw koppelen")
        self.bar = self.voortgang.bar
        self.cancel_button = self.voortgang.cancel_button
        self.again_button = self.voortgang.again_button
        self.cancel_button.clicked.connect(self.cancel)
        self.again_button.clicked.connect(self.start)
        layout.addWidget(self.voortgang)
        self.summary = help_label("")
        self.summary.setObjectName("samenvatting")
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.runner = TaskRunner(self)
        self.running = False
        self._invoer = None

    def initializePage(self) -> None:
        """Match again only when an export, the mapping or a code choice really changed."""
        if not self.state.match_actueel() or self.state.sessie is None:
            self.start()
        else:
            self._show_summary()

    def cleanupPage(self) -> None:
        self.cancel()

    def start(self) -> None:
        if self.running or self.runner.busy():
            return
        state = self.state
        invoer = state.huidige_match_invoer()
        oud, nieuw = invoer.oud, invoer.nieuw
        opties = MatchOpties(codes=dict(invoer.codes) or None)
        if state.sessie is not None:  # keep the decisions until the new result can take them
            state.over_te_nemen = state.sessie.besluiten()
        state.resultaat = None
        state.sessie = None
        state.overname = None
        self._invoer = invoer
        self.summary.setText("")
        self.bar.setValue(0)
        self.status.setStyleSheet("")
        self.status.setText(self._bezig_tekst())
        self.running = True
        self.voortgang.bezig(True)
        besluiten = tuple(state.over_te_nemen or ())  # a snapshot: the worker never sees state
        task = self.runner.start(lambda voortgang: koppel(oud, nieuw, opties, besluiten, voortgang))
        verbind(task, self)
        self.completeChanged.emit()

    def _bezig_tekst(self) -> str:
        """What is happening now; on a resume or a re-match also that decisions come back."""
        text = "Bezig met koppelen… U kunt dit venster gewoon gebruiken."
        if self.state.over_te_nemen:
            text += (
                f" Daarna zet srgdesk uw {len(self.state.over_te_nemen)} eerder genomen "
                "besluit(en) terug en gaat u verder waar u was."
            )
        return text

    def cancel(self) -> None:
        self.runner.cancel()

    def _progress(self, fraction: float, text: str) -> None:
        self.voortgang.fractie(fraction)
        waiting = len(self.state.over_te_nemen or [])
        self.status.setText(
            f"{text}…" + (f" Daarna worden uw {waiting} besluit(en) teruggezet." if waiting else "")
        )

    def _done(self, gekoppeld: Gekoppeld) -> None:
        self.running = False
        state = self.state
        state.resultaat = gekoppeld.resultaat
        state.match_invoer = self._invoer
        state.overname = gekoppeld.overname
        if gekoppeld.overname is not None:
            log.info(
                "Besluiten overgenomen: %d, niet: %d",
                gekoppeld.overname.overgenomen,
                len(gekoppeld.overname.niet),
            )
        state.over_te_nemen = None
        state.sessie = gekoppeld.sessie
        state.geschreven = []
        self.bar.setValue(1000)
        self._show_summary()
        self.completeChanged.emit()
        self.changed()

    def _show_summary(self) -> None:
        resultaat = self.state.resultaat
        self.voortgang.bezig(False)
        self.status.setText(
            "Klaar. Hieronder staat wat srgdesk vond. Klik op Volgende om de "
            "koppelingen te controleren."
        )
        overname = self.state.overname
        lines = resultaat.samenvatting() + ([overname.tekst()] if overname else [])
        self.summary.setText("\n".join(f"• {line}" for line in lines))

    def _failed(self, text: str) -> None:
        self.running = False
        self.status.setText(f"Het koppelen is niet gelukt. {text}")
        self.status.setStyleSheet("color: #b00020;")
        self.voortgang.bezig(False)

    def _cancelled(self) -> None:
        self.running = False
        self.status.setText(
            "Gestopt. Klik op 'Opnieuw koppelen' om het opnieuw te proberen, of "
            "ga terug om iets te veranderen."
        )
        self.bar.setValue(0)
        self.voortgang.bezig(False)

    def isComplete(self) -> bool:
        return self.state.sessie is not None and not self.running
