"""Step 2: choose the old and the new export; show how each was read and its first rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from srgdesk.applog import mask_numbers
from srgdesk.core.errors import InvoerFout
from srgdesk.core.export import WerkbladKeuzeNodig, read_voorzieningen_table
from srgdesk.core.mapping import propose_mapping
from srgdesk.core.progress import Voortgang
from srgdesk.core.reading import RawTable
from srgdesk.gui.base import Pagina, VoortgangRij, help_label
from srgdesk.gui.file_chooser import FileChooser
from srgdesk.gui.frame_model import FrameModel
from srgdesk.gui.mapping_panel import is_private_column, looks_like_bsn
from srgdesk.gui.state import ROL_LABEL, ROLLEN, WizardState
from srgdesk.gui.worker import TaskRunner, Worker

PREVIEW_ROWS = 8
ASYNC_BYTES = 2_000_000  # larger exports are read on a worker thread
UITLEG = {
    "oud": "De export uit het oude pakket, of van de vorige maand.",
    "nieuw": "De export uit het nieuwe pakket, of van deze maand.",
}


def read_export_table(
    path: Path, werkblad: str | None, voortgang: Voortgang | None = None
) -> tuple[RawTable, list[str]] | WerkbladKeuzeNodig:
    """The core's reading of an export; a needed sheet choice is returned, not raised, so the
    worker hands it to the page like a result."""
    try:
        return read_voorzieningen_table(path, werkblad, voortgang=voortgang)
    except WerkbladKeuzeNodig as keuze:
        return keuze


class BestandPanel(QGroupBox):
    """One export: chooser, what was read, a preview of the first rows."""

    def __init__(self, rol: str):
        super().__init__(ROL_LABEL[rol])
        self.rol = rol
        layout = QVBoxLayout(self)
        uitleg = QLabel(UITLEG[rol])
        uitleg.setWordWrap(True)
        layout.addWidget(uitleg)
        self.chooser = FileChooser(ROL_LABEL[rol])
        self.chooser.setObjectName(f"kies_{rol}")
        layout.addWidget(self.chooser)
        self.sheet_row = QWidget()
        row = QHBoxLayout(self.sheet_row)
        row.setContentsMargins(0, 0, 0, 0)
        sheet_label = QLabel("&Werkblad met de voorzieningen:")
        self.sheets = QComboBox()
        self.sheets.setObjectName(f"werkblad_{rol}")
        sheet_label.setBuddy(self.sheets)
        row.addWidget(sheet_label)
        row.addWidget(self.sheets, 1)
        self.sheet_row.hide()
        layout.addWidget(self.sheet_row)
        self.info = QLabel("Nog geen bestand gekozen.")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.info)
        self.model = FrameModel()
        self.preview = QTableView()
        self.preview.setModel(self.model)
        self.preview.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.preview.setAccessibleName(f"Voorbeeld {ROL_LABEL[rol].lower()}")
        layout.addWidget(self.preview, 1)

    def show_sheet_choice(self, fout: WerkbladKeuzeNodig) -> None:
        """Several sheets hold voorzieningen: the user picks one (each with its row count)."""
        self.sheets.blockSignals(True)
        self.sheets.clear()
        self.sheets.addItem("(kies een werkblad)", None)
        for kandidaat in fout.kandidaten:
            self.sheets.addItem(f"{kandidaat.naam} ({kandidaat.regels} regels)", kandidaat.naam)
        self.sheets.blockSignals(False)
        self.sheet_row.show()
        self.info.setStyleSheet("color: #b00020;")
        self.info.setText(
            "Dit bestand heeft meer werkbladen met voorzieningen. Kies hierboven het werkblad "
            "dat u wilt gebruiken."
        )
        self.model.set_frame(self.model._frame.iloc[0:0])

    def show_table(self, table, bsn_column: str | None, notes: list[str] | None = None) -> None:
        self.chooser.set_path(table.path)
        self.info.setStyleSheet("")
        extra = "".join(f" {n[:1].upper()}{n[1:]}." for n in notes or [])
        self.info.setText(f"Gelezen: {table.describe()}.{extra}")
        head = table.cells.head(PREVIEW_ROWS).copy()
        head.index = table.regels[: len(head)]
        for column in head.columns:  # BSNs and birth dates masked here too, like everywhere
            if is_private_column(column):
                head[column] = head[column].astype(str).str.replace(r"\d", "*", regex=True)
            elif column == bsn_column or looks_like_bsn(head[column]):
                head[column] = head[column].map(mask_numbers)
        self.model.set_frame(head)
        header = self.preview.horizontalHeader()
        for column in range(len(head.columns)):
            header.resizeSection(column, 150)

    def show_error(self, text: str) -> None:
        self.info.setStyleSheet("color: #b00020;")
        self.info.setText(text)
        self.model.set_frame(self.model._frame.iloc[0:0])


class BestandenPage(Pagina):
    read_done = Signal(str, object)
    read_failed = Signal(str, str)

    def __init__(self, state: WizardState):
        super().__init__(
            state,
            "Bestanden",
            "Kies de oude en de nieuwe export. U kunt een bestand ook hierheen slepen.",
        )
        layout = QVBoxLayout(self)
        self.panels: dict[str, BestandPanel] = {}
        for rol in ROLLEN:
            panel = BestandPanel(rol)
            panel.chooser.chosen.connect(lambda path, rol=rol: self.load(rol, path))
            panel.sheets.activated.connect(lambda _i, rol=rol: self._sheet_chosen(rol))
            self.panels[rol] = panel
            layout.addWidget(panel, 1)
        self.runners = {rol: TaskRunner(self) for rol in ROLLEN}
        # Resuming a session: both exports read and cleaned again on a worker, shown here.
        self.hervat_tekst = help_label("")
        self.hervat_tekst.setObjectName("hervatten")
        self.hervatten = VoortgangRij("Voortgang van het teruglezen")
        self.hervat_runner = TaskRunner(self)
        self._hervat_uitleg = ""
        self.hervatten.cancel_button.clicked.connect(self.hervat_runner.cancel)
        layout.insertWidget(0, self.hervatten)
        layout.insertWidget(0, self.hervat_tekst)
        self.hervat_tekst.hide()
        self.hervatten.hide()
        self.paths: dict[str, Path] = {}
        self.read_done.connect(self._loaded)
        self.read_failed.connect(self._failed)

    def initializePage(self) -> None:
        for rol, panel in self.panels.items():
            table = self.state.tables.get(rol)
            if table is not None:
                mapping = self.state.mappings.get(rol)
                panel.show_table(table, mapping.column("bsn") if mapping else None)

    def _sheet_chosen(self, rol: str) -> None:
        panel = self.panels[rol]
        naam = panel.sheets.currentData()
        path = self.paths.get(rol)
        if naam and path:
            self.load(rol, path, werkblad=naam)

    def load(self, rol: str, path: Path, werkblad: str | None = None) -> bool:
        """Read one export; a problem is shown under the chooser with what to do.

        A large file is read on a worker thread so the window stays responsive; then this
        returns True at once and the page completes when reading is done."""
        panel = self.panels[rol]
        self.paths[rol] = Path(path)
        if werkblad is None:
            panel.sheet_row.hide()
            bewaard = self.state.bewaard.get(rol)
            if bewaard is not None and bewaard.geldt_voor(path):
                werkblad = bewaard.werkblad  # the sheet of a resumed session, read again
        self.state.tables.pop(rol, None)
        self.completeChanged.emit()
        try:
            large = Path(path).stat().st_size > ASYNC_BYTES
        except OSError:
            large = False
        if large:
            panel.info.setStyleSheet("")
            panel.info.setText(f"Bezig met lezen van {Path(path).name} …")
            worker = self.runners[rol].start(
                lambda voortgang: read_export_table(path, werkblad, voortgang)
            )
            # These lambdas run on the worker thread; they only emit the page's own signals,
            # which Qt queues to the GUI thread.
            worker.finished.connect(lambda table, rol=rol: self.read_done.emit(rol, table))
            worker.failed.connect(lambda melding, rol=rol: self.read_failed.emit(rol, melding))
            return True
        try:
            read = read_export_table(path, werkblad)
        except InvoerFout as fout:
            self._failed(rol, fout.melding)  # may read again without a resumed session's sheet
            return rol in self.state.tables or self.runners[rol].busy()
        self._loaded(rol, read)
        return not isinstance(read, WerkbladKeuzeNodig)

    def busy(self) -> bool:
        runners = [*self.runners.values(), self.hervat_runner]
        return any(runner.busy() for runner in runners)

    def shutdown(self) -> None:
        for runner in [*self.runners.values(), self.hervat_runner]:
            runner.shutdown()

    def cleanupPage(self) -> None:
        """Terug during a resume stops reading (the decisions wait for the files)."""
        self.hervat_runner.cancel()
        super().cleanupPage()

    # --- resuming a session ---------------------------------------------------------------

    def start_hervatten(
        self, task: Callable[[Voortgang], object], besluiten: int, paden: dict[str, str]
    ) -> Worker:
        """Run the re-reading of a resumed session on a worker; the wizard connects to the
        returned worker for the result. The row says what happens and offers Stoppen."""
        self.hervat_tekst.setStyleSheet("")
        terugzetten = f"zet uw {besluiten} eerder genomen besluit(en) terug " if besluiten else ""
        self._hervat_uitleg = (
            "Bezig met het opnieuw lezen van uw bestanden. Daarna koppelt srgdesk ze opnieuw, "
            f"{terugzetten}en gaat u verder waar u was."
        )
        self.hervat_tekst.setText(self._hervat_uitleg)
        for rol, pad in paden.items():
            self.panels[rol].info.setStyleSheet("")
            self.panels[rol].info.setText(f"Wordt opnieuw gelezen: {Path(pad).name} …")
        for panel in self.panels.values():  # a file picked now would be overwritten by the read
            panel.chooser.setEnabled(False)
        self.hervatten.fractie(0.0)
        self.hervatten.bezig(True)
        for widget in (self.hervat_tekst, self.hervatten):
            widget.show()
        worker = self.hervat_runner.start(task)
        worker.progress.connect(self._hervat_progress)
        self.completeChanged.emit()
        return worker

    def _hervat_progress(self, fraction: float, text: str) -> None:
        self.hervatten.fractie(fraction)
        if text:  # the step under the explanation, which stays
            self.hervat_tekst.setText(f"{self._hervat_uitleg}\n{text}…")

    def hervatten_klaar(self, melding: str = "") -> None:
        """Reading ended: show what was read, or `melding` (stopped, failed) with what to do."""
        self.hervatten.hide()
        for panel in self.panels.values():
            panel.chooser.setEnabled(True)
        self.hervat_tekst.setVisible(bool(melding))
        self.hervat_tekst.setText(melding)
        for rol, panel in self.panels.items():
            if rol not in self.state.tables:  # stopped or failed: nothing read for this one
                panel.info.setText("Nog geen bestand gekozen.")
        self.initializePage()
        self.completeChanged.emit()

    def _failed(self, rol: str, melding: str) -> None:
        bewaard = self.state.bewaard.get(rol)
        if bewaard is not None and bewaard.werkblad and bewaard.geldt_voor(self.paths[rol]):
            # The saved sheet may be gone: read as if picked anew (the mapping still waits).
            self.state.bewaard[rol] = replace(bewaard, werkblad=None)
            self.load(rol, self.paths[rol])
            return
        self.state.tables.pop(rol, None)
        self.panels[rol].show_error(melding)
        self.completeChanged.emit()

    def _loaded(self, rol: str, read: tuple[RawTable, list[str]] | WerkbladKeuzeNodig) -> None:
        panel = self.panels[rol]
        if isinstance(read, WerkbladKeuzeNodig):
            self.state.tables.pop(rol, None)
            panel.show_sheet_choice(read)
            self.completeChanged.emit()
            return
        table, notes = read
        self.state.tables[rol] = table
        bewaard = self.state.bewaard.pop(rol, None)  # a resumed session's choice, or another file
        if bewaard is not None and bewaard.past_op(table):
            self.state.mappings[rol] = bewaard.mapping
        else:
            self.state.mappings[rol] = propose_mapping(table)
        self.state.voorzieningen.pop(rol, None)
        self.state.reset_from("bestanden")
        panel.show_table(table, self.state.mappings[rol].column("bsn"), notes)
        self.completeChanged.emit()
        self.changed()

    def isComplete(self) -> bool:
        return all(rol in self.state.tables for rol in ROLLEN) and not self.busy()

    def validatePage(self) -> bool:
        same = self.state.path("oud") == self.state.path("nieuw")
        if same:
            self.panels["nieuw"].show_error(
                "U koos twee keer hetzelfde bestand. Kies bij 'Nieuwe export' het andere bestand."
            )
        return not same
