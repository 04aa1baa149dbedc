"""Step 7: write the conversiebestand and the overzicht of all decisions; say what holds BSNs."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizard,
)

from srgdesk.core.besluiten import overzicht_besluiten, regels_na_besluiten
from srgdesk.core.conversion import csv_writer, output_files, xlsx_writer
from srgdesk.core.matching import MatchResultaat
from srgdesk.core.output_files import OutputFile, WriteResult, write_output_set
from srgdesk.core.progress import Voortgang
from srgdesk.core.review import ReviewSessie
from srgdesk.gui.base import Pagina, help_label
from srgdesk.gui.settings import last_folder, remember_folder
from srgdesk.gui.state import WizardState
from srgdesk.gui.worker import TaskRunner

log = logging.getLogger("srgdesk.gui")
OVERZICHT = "overzicht_besluiten"


@dataclass(frozen=True)
class Opslagopdracht:
    """What the worker needs to write, frozen at the moment the user clicks Opslaan: the result
    and a copy of the decisions, so later clicks in the window cannot change what is written."""

    resultaat: MatchResultaat
    besluiten: ReviewSessie  # a frozen copy (ReviewSessie.bevroren)
    folder: Path
    met_bsn: bool
    protected: tuple[Path, ...]


def write_all(opdracht: Opslagopdracht, voortgang: Voortgang) -> list[WriteResult]:
    """Conversion outputs plus the overzicht (csv + xlsx, no BSN) as one set — runs on the
    worker, in one pass over frames the review already holds."""
    sessie, resultaat = opdracht.besluiten, opdracht.resultaat
    frame = overzicht_besluiten(sessie, resultaat.nieuw.frame)
    # matches.csv tells what the review decided, not what matching first proposed.
    regels = regels_na_besluiten(sessie, resultaat.nieuw.frame, overzicht=frame)
    beslist = replace(resultaat, regels=regels)
    files = [
        *output_files(beslist, sessie.final_pairs(), "beide", met_bsn=opdracht.met_bsn),
        OutputFile(f"{OVERZICHT}.csv", csv_writer(frame), len(frame)),
        OutputFile(f"{OVERZICHT}.xlsx", xlsx_writer(frame, "Besluiten"), len(frame)),
    ]
    return write_output_set(opdracht.folder, files, voortgang, list(opdracht.protected))


class OpslaanPage(Pagina):
    def __init__(self, state: WizardState):
        super().__init__(
            state,
            "Opslaan",
            "Kies een map. srgdesk schrijft daar het conversiebestand voor CBS en een "
            "overzicht van al uw besluiten voor uw eigen administratie.",
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel("&Map:")
        self.folder = QLineEdit()
        self.folder.setAccessibleName("Map voor de uitvoer")
        label.setBuddy(self.folder)
        browse = QPushButton("Bladeren…")
        browse.clicked.connect(self.browse)
        row.addWidget(label)
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.bsn_box = QCheckBox("BSN opnemen in het conversiebestand")
        layout.addWidget(self.bsn_box)
        layout.addWidget(
            help_label(
                "Zonder BSN mag u het conversiebestand gewoon bewaren en delen. Met BSN mag het "
                "bestand alleen via het beveiligde CBS-portaal naar CBS, nooit per e-mail."
            )
        )
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Opslaan")
        self.save_button.clicked.connect(self.save)
        self.open_button = QPushButton("Map o&penen")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.result = help_label("")
        self.result.setObjectName("resultaat")
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.runner = TaskRunner(self)

    def initializePage(self) -> None:
        if not self.folder.text():
            self.folder.setText(str(self.start_folder() / "srgdesk-uitvoer"))

    def start_folder(self) -> Path:
        """The folder of the new export (where the user keeps this work), else the last one."""
        for rol in ("nieuw", "oud"):
            path = self.state.path(rol)
            if path is not None and path.parent.is_dir():
                return path.parent
        return Path(last_folder())

    def browse(self) -> None:
        current = Path(self.folder.text().strip() or self.start_folder())
        start = current if current.is_dir() else current.parent
        if not start.is_dir():
            start = self.start_folder()
        name = QFileDialog.getExistingDirectory(self, "Map voor de uitvoer", str(start))
        if name:
            self.folder.setText(name)

    def save(self) -> None:
        if self.runner.busy():
            return
        text = self.folder.text().strip()
        if not text:
            self.result.setText("Kies eerst een map.")
            return
        folder = Path(text)
        met_bsn = self.bsn_box.isChecked()
        self.save_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText("Bezig met opslaan…")
        state = self.state
        self._target = (folder, met_bsn)
        opdracht = Opslagopdracht(
            resultaat=state.resultaat,
            besluiten=state.sessie.bevroren(),
            folder=folder,
            met_bsn=met_bsn,
            protected=tuple(p for p in (state.path("oud"), state.path("nieuw")) if p),
        )
        worker = self.runner.start(lambda voortgang: write_all(opdracht, voortgang))
        # Bound methods (not lambdas): Qt then queues the call to this page's GUI thread.
        worker.finished.connect(self._written)
        worker.failed.connect(self._failed)
        worker.cancelled.connect(self._cancelled)
        self._wait_buttons()

    def _wait_buttons(self) -> None:
        """While writing, Volgende and Terug wait (isComplete says busy; Terug is switched off
        after the wizard's own update)."""
        self.completeChanged.emit()
        wizard = self.wizard()
        if wizard is not None and self.runner.busy():
            wizard.button(QWizard.WizardButton.BackButton).setEnabled(False)

    def _cancelled(self) -> None:
        self.save_button.setEnabled(True)
        self.result.setText("Opslaan gestopt. Er is geen half bestand achtergebleven.")
        self.completeChanged.emit()

    def _written(self, results: list[WriteResult]) -> None:
        folder, met_bsn = self._target
        remember_folder(folder)
        self.state.geschreven = [result.path for result in results]
        self.state.met_bsn = met_bsn
        lines = [f"Opgeslagen in {folder}:"]
        for result in results:
            note = (
                "BEVAT BSN'S — alleen uploaden via het CBS-portaal, nooit mailen"
                if result.contains_bsn
                else "bevat geen BSN"
            )
            lines.append(f"• {result.path.name} — {note}")
        pairs = len(self.state.sessie.final_pairs())
        lines.append(
            f"In het conversiebestand staan de geaccepteerde koppelingen waarvan de "
            f"sleutel veranderde ({pairs} besluit(en) in totaal)."
        )
        lines.append("Klik op Volgende voor de melding aan CBS.")
        self.result.setText("\n".join(lines))
        self.save_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self.completeChanged.emit()
        self.changed()
        log.info("Uitvoer geschreven: %d bestanden", len(results))

    def _failed(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.completeChanged.emit()
        self.result.setStyleSheet("color: #b00020;")
        self.result.setText(f"Niet opgeslagen. {text}")

    def open_folder(self) -> None:
        if self.state.geschreven:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.state.geschreven[0].parent)))

    def isComplete(self) -> bool:
        return bool(self.state.geschreven) and not self.runner.busy()

    def cleanupPage(self) -> None:
        self.runner.shutdown()
