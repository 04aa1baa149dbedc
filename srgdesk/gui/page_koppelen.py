"""Step 5: run matching on a worker thread, with progress, cancel and a summary in words."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout

from srgdesk.core.matching import MatchOpties, match
from srgdesk.core.review import ReviewSessie
from srgdesk.gui.base import Pagina, help_label
from srgdesk.gui.state import WizardState
from srgdesk.gui.worker import TaskRunner

log = logging.getLogger("srgdesk.gui")


class KoppelenPage(Pagina):
    def __init__(self, state: WizardState):
        super().__init__(
            state, "Koppelen", "srgdesk zoekt bij elke oude voorziening de nieuwe die erbij hoort."
        )
        layout = QVBoxLayout(self)
        self.status = help_label("")
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName("Voortgang van het koppelen")
        row.addWidget(self.bar, 1)
        self.cancel_button = QPushButton("Stoppen")
        self.cancel_button.clicked.connect(self.cancel)
        self.again_button = QPushButton("Opnieuw koppelen")
        self.again_button.clicked.connect(self.start)
        row.addWidget(self.cancel_button)
        row.addWidget(self.again_button)
        layout.addLayout(row)
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
        self.cancel_button.setEnabled(True)
        self.again_button.setEnabled(False)
        worker = self.runner.start(lambda voortgang: match(oud, nieuw, opties, voortgang))
        worker.progress.connect(self._progress)
        worker.finished.connect(self._done)
        worker.failed.connect(self._failed)
        worker.cancelled.connect(self._cancelled)
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
        self.bar.setValue(int(fraction * 1000))
        waiting = len(self.state.over_te_nemen or [])
        self.status.setText(
            f"{text}…" + (f" Daarna worden uw {waiting} besluit(en) teruggezet." if waiting else "")
        )

    def _done(self, resultaat) -> None:
        self.running = False
        state = self.state
        state.resultaat = resultaat
        state.match_invoer = self._invoer
        sessie = ReviewSessie(resultaat.regels)
        if state.over_te_nemen:
            state.overname = sessie.apply_besluiten(state.over_te_nemen)
            log.info(
                "Besluiten overgenomen: %d, niet: %d",
                state.overname.overgenomen,
                len(state.overname.niet),
            )
        state.over_te_nemen = None
        state.sessie = sessie
        state.geschreven = []
        self.bar.setValue(1000)
        self._show_summary()
        self.completeChanged.emit()
        self.changed()

    def _show_summary(self) -> None:
        resultaat = self.state.resultaat
        self.cancel_button.setEnabled(False)
        self.again_button.setEnabled(True)
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
        self.cancel_button.setEnabled(False)
        self.again_button.setEnabled(True)

    def _cancelled(self) -> None:
        self.running = False
        self.status.setText(
            "Gestopt. Klik op 'Opnieuw koppelen' om het opnieuw te proberen, of "
            "ga terug om iets te veranderen."
        )
        self.bar.setValue(0)
        self.cancel_button.setEnabled(False)
        self.again_button.setEnabled(True)

    def isComplete(self) -> bool:
        return self.state.sessie is not None and not self.running
