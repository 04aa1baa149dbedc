"""Step 7: write the conversiebestand and the overzicht of all decisions; say what holds BSNs."""

from __future__ import annotations

import logging
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
)

from srgdesk.core.conversion import csv_writer, output_files, xlsx_writer
from srgdesk.core.output_files import OutputFile, WriteResult, write_output_set
from srgdesk.core.progress import Voortgang
from srgdesk.gui.base import Pagina, help_label
from srgdesk.gui.settings import last_folder, remember_folder
from srgdesk.gui.state import WizardState, overzicht_frame
from srgdesk.gui.worker import TaskRunner

log = logging.getLogger("srgdesk.gui")
OVERZICHT = "overzicht_besluiten"


def write_all(
    state: WizardState, folder: Path, met_bsn: bool, voortgang: Voortgang
) -> list[WriteResult]:
    """Conversion outputs plus the overzicht (csv + xlsx, no BSN) as one set — on the worker."""
    sessie, resultaat = state.sessie, state.resultaat
    protected = [p for p in (state.path("oud"), state.path("nieuw")) if p]
    frame = overzicht_frame(state)
    files = [
        *output_files(resultaat, sessie.final_pairs(), "beide", met_bsn=met_bsn),
        OutputFile(f"{OVERZICHT}.csv", csv_writer(frame), len(frame)),
        OutputFile(f"{OVERZICHT}.xlsx", xlsx_writer(frame, "Besluiten"), len(frame)),
    ]
    return write_output_set(folder, files, voortgang, protected)


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
        self.open_button = QPushButton("Open &map")
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
            self.folder.setText(str(Path(last_folder()) / "srgdesk-uitvoer"))

    def browse(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Map voor de uitvoer", self.folder.text())
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
        worker = self.runner.start(lambda voortgang: write_all(state, folder, met_bsn, voortgang))
        # Bound methods (not lambdas): Qt then queues the call to this page's GUI thread.
        worker.finished.connect(self._written)
        worker.failed.connect(self._failed)

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
        self.result.setStyleSheet("color: #b00020;")
        self.result.setText(f"Niet opgeslagen. {text}")

    def open_folder(self) -> None:
        if self.state.geschreven:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.state.geschreven[0].parent)))

    def isComplete(self) -> bool:
        return bool(self.state.geschreven)
