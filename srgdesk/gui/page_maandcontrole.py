"""Monthly check: match this month's export with last month's on a worker, show the signaleringen
in a filterable table (BSN masked), and say whether a conversiebestand is needed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from srgdesk.applog import mask_numbers
from srgdesk.core.controle import ControleResultaat, controleer, load_soorten
from srgdesk.core.controle.writer import write_controle
from srgdesk.core.matching import MatchOpties
from srgdesk.core.melding import write_vertaaltabelmelding
from srgdesk.core.progress import Voortgang
from srgdesk.core.review import Overname, ReviewSessie
from srgdesk.core.vocabulary import Ernst
from srgdesk.gui.base import Pagina, VoortgangRij, help_label, verbind
from srgdesk.gui.settings import last_folder, remember_folder
from srgdesk.gui.state import WizardState
from srgdesk.gui.worker import TaskRunner

log = logging.getLogger("srgdesk.gui")

MAANDCONTROLE = "maandcontrole"
KEUZE = (
    "Maandelijkse controle (er is niets bewust veranderd)",
    "Vergelijk de export van deze maand met die van vorige maand, vóór u levert. srgdesk zoekt "
    "wat CBS zou signaleren, zoals voorzieningen die verdwenen zijn of een nieuw nummer kregen.",
)
ALLE = "Alle"

# (header, column of the signaleringen frame, width in pixels at a 16 px font)
KOLOMMEN = [
    ("Ernst", "ernst", 95),
    ("Code", "code", 185),
    ("Bestand", "bestand", 62),
    ("Regel", "regel", 52),
    ("Gemeente", "gemeentecode", 78),
    ("Berichtgever", "berichtgevercode", 92),
    ("Registratienummer", "registratienummer", 142),
    ("BSN", "bsn", 85),
    ("Uitleg", "uitleg", 1200),
]
KLEUR = {Ernst.FOUT: QColor("#b00020"), Ernst.WAARSCHUWING: QColor("#8a5a00")}


@dataclass(frozen=True)
class Gecontroleerd:
    """What the check's worker hands back: the result, its review session and what became of
    earlier decisions laid back on it (None when there were none)."""

    resultaat: ControleResultaat
    sessie: ReviewSessie
    overname: Overname | None


def controleer_en_terugzetten(
    vorige, deze, opties: MatchOpties, besluiten: tuple[dict, ...], voortgang: Voortgang
) -> Gecontroleerd:
    """The check, its review session and the earlier decisions laid back, all on the worker
    (as on Koppelen: with 90k decisions the window should not freeze for the last two)."""
    resultaat = controleer(vorige, deze, opties, voortgang)
    voortgang.check()
    sessie = ReviewSessie(resultaat.match.regels)
    overname = sessie.apply_besluiten(list(besluiten)) if besluiten else None
    return Gecontroleerd(resultaat, sessie, overname)


class SignaleringenModel(QAbstractTableModel):
    """Read-only model over the columns of the signaleringen frame; a filter is an index array,
    not a proxy model. BSNs are masked here, once, when the frame is set."""

    def __init__(self):
        super().__init__()
        self._columns: list[np.ndarray] = []
        self._ernst = np.array([], dtype=object)
        self._code = np.array([], dtype=object)
        self._rows = np.array([], dtype=np.int64)

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        columns = []
        for _, name, _ in KOLOMMEN:
            values = frame[name]
            if name == "regel":
                values = values.astype(np.int64).astype(str).replace("0", "")
            elif name == "bsn":
                values = values.astype(str).map(mask_numbers)
            columns.append(values.astype(str).to_numpy(dtype=object))
        self._columns = columns
        self._ernst = frame["ernst"].astype(str).to_numpy(dtype=object)
        self._code = frame["code"].astype(str).to_numpy(dtype=object)
        self._rows = np.arange(len(frame))
        self.endResetModel()

    def set_filter(self, ernst: str | None = None, code: str | None = None) -> None:
        """Show only the rows of one ernst and/or one code (None: all)."""
        self.beginResetModel()
        mask = np.ones(len(self._ernst), dtype=bool)
        if ernst:
            mask &= self._ernst == ernst
        if code:
            mask &= self._code == code
        self._rows = np.flatnonzero(mask)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(KOLOMMEN)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()][row]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._columns[-1][row]  # the uitleg, in full
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            colour = KLEUR.get(self._ernst[row])
            return QBrush(colour) if colour else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return KOLOMMEN[section][0]
        return None


class MaandcontrolePage(Pagina):
    def __init__(self, state: WizardState):
        super().__init__(
            state,
            "Maandelijkse controle",
            "srgdesk vergelijkt de export van deze maand met die van vorige maand en laat zien "
            "wat CBS zou signaleren. Herstel de fouten vóór u levert.",
        )
        self.resultaat: ControleResultaat | None = None
        layout = QVBoxLayout(self)
        self.status = help_label("")
        layout.addWidget(self.status)
        self.voortgang = VoortgangRij("Voortgang van de controle", "Opnieuw controleren")
        self.bar = self.voortgang.bar
        self.cancel_button = self.voortgang.cancel_button
        self.again_button = self.voortgang.again_button
        self.cancel_button.clicked.connect(self.cancel)
        self.again_button.clicked.connect(self.start)
        layout.addWidget(self.voortgang)
        self.summary = help_label("")
        self.summary.setObjectName("samenvatting")
        layout.addWidget(self.summary)

        filters = QHBoxLayout()
        self.ernst_filter = QComboBox()
        self.ernst_filter.setAccessibleName("Toon ernst")
        self.ernst_filter.addItem(ALLE, None)
        for ernst in Ernst:
            self.ernst_filter.addItem(str(ernst), str(ernst))
        self.code_filter = QComboBox()
        self.code_filter.setAccessibleName("Toon signalering")
        self.code_filter.addItem(ALLE, None)
        for code, soort in load_soorten().items():
            self.code_filter.addItem(f"{soort.titel} ({code})", code)
        for label, combo in (("&Ernst:", self.ernst_filter), ("&Signalering:", self.code_filter)):
            text = QLabel(label)
            text.setBuddy(combo)
            filters.addWidget(text)
            filters.addWidget(combo)
            combo.currentIndexChanged.connect(self._filter)
        filters.addStretch(1)
        self.save_button = QPushButton("Rapport opslaan…")
        self.save_button.setToolTip("Schrijf controle.csv en controle.xlsx (zonder BSN) in een map")
        self.save_button.clicked.connect(self.save_report)
        filters.addWidget(self.save_button)
        self.email_button = QPushButton("E-mail vertaaltabel…")
        self.email_button.setToolTip(
            "Concept-e-mail aan SZ_SRG@cbs.nl over de nieuwe soortcodes (zonder BSN)"
        )
        self.email_button.clicked.connect(self.save_vertaaltabel)
        self.email_button.setVisible(False)
        filters.addWidget(self.email_button)
        layout.addLayout(filters)

        self.model = SignaleringenModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Signaleringen")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        vertical.setVisible(False)
        scale = max(1.0, self.table.fontMetrics().height() / 16)
        for column, (_, _, width) in enumerate(KOLOMMEN):
            self.table.setColumnWidth(column, int(width * scale))
        layout.addWidget(self.table, 1)
        self.detail = help_label("")
        self.detail.setObjectName("uitleg")
        self.detail.setMinimumHeight(2 * self.detail.fontMetrics().height() + 4)
        layout.addWidget(self.detail)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.runner = TaskRunner(self)
        self.save_runner = TaskRunner(self)
        self.running = False
        self.geschreven: list[Path] = []
        self._invoer = None

    # --- running the check ----------------------------------------------------------------

    def initializePage(self) -> None:
        fresh = self.resultaat is not None and self.state.resultaat is self.resultaat.match
        if fresh and self.state.match_actueel():
            self._show()
        else:
            self.start()

    def cleanupPage(self) -> None:
        self.cancel()

    def start(self) -> None:
        if self.running or self.runner.busy():
            return
        # A snapshot for the worker: the cleaned exports and the code choices, nothing from a
        # widget; decisions taken before (a resumed session, an earlier run) wait for the result.
        state = self.state
        invoer = state.huidige_match_invoer()
        vorige, deze = invoer.oud, invoer.nieuw
        opties = MatchOpties(codes=dict(invoer.codes) or None)
        if state.sessie is not None:
            state.over_te_nemen = state.sessie.besluiten()
        self._invoer = invoer
        self.resultaat = None
        state.resultaat = None
        state.sessie = None
        state.overname = None
        self.model.set_frame(_empty())
        self.summary.setText("")
        self.bar.setValue(0)
        self.status.setStyleSheet("")
        self.status.setText("Bezig met controleren… U kunt dit venster gewoon gebruiken.")
        self.running = True
        self.voortgang.bezig(True)
        self.save_button.setEnabled(False)
        self.email_button.setVisible(False)
        besluiten = tuple(state.over_te_nemen or ())  # a snapshot: the worker never sees state
        task = self.runner.start(
            lambda voortgang: controleer_en_terugzetten(vorige, deze, opties, besluiten, voortgang)
        )
        verbind(task, self)
        self.completeChanged.emit()

    def cancel(self) -> None:
        self.runner.cancel()

    def _progress(self, fraction: float, text: str) -> None:
        self.voortgang.fractie(fraction)
        self.status.setText(f"{text}…")

    def _done(self, gecontroleerd: Gecontroleerd) -> None:
        self.running = False
        resultaat, sessie = gecontroleerd.resultaat, gecontroleerd.sessie
        self.resultaat = resultaat
        state = self.state
        state.resultaat = resultaat.match
        state.match_invoer = self._invoer
        if gecontroleerd.overname is not None:
            state.overname = gecontroleerd.overname
        state.over_te_nemen = None
        state.sessie = sessie
        state.geschreven = []
        self.bar.setValue(1000)
        self._show()
        # Finish or Next depends on the result: tell the wizard to ask nextId() again.
        self.setFinalPage(not self.nieuwe_nummers())
        self.completeChanged.emit()
        self.changed()

    def _show(self) -> None:
        resultaat = self.resultaat
        assert resultaat is not None
        self.voortgang.bezig(False)
        self.save_button.setEnabled(True)
        self.email_button.setVisible(resultaat.aantal(code="NIEUWE_SOORTCODE") > 0)
        self.model.set_frame(resultaat.signaleringen)
        self._filter()
        if self.nieuwe_nummers():
            next_step = (
                "Sommige voorzieningen kregen een nieuw nummer. Klik op Volgende om die "
                "koppelingen te controleren en het conversiebestand op te slaan."
            )
        else:
            next_step = "Er is geen conversiebestand nodig. Klik op Voltooien om af te sluiten."
        self.status.setText(f"Klaar. {next_step}")
        self.summary.setText("\n".join(f"• {line}" for line in resultaat.samenvatting()))

    def _failed(self, text: str) -> None:
        self.running = False
        self.status.setText(f"De controle is niet gelukt. {text}")
        self.status.setStyleSheet("color: #b00020;")
        self.voortgang.bezig(False)

    def _cancelled(self) -> None:
        self.running = False
        self.status.setText(
            "Gestopt. Klik op 'Opnieuw controleren' om het opnieuw te proberen, of ga terug om "
            "iets te veranderen."
        )
        self.bar.setValue(0)
        self.voortgang.bezig(False)

    def _filter(self) -> None:
        self.model.set_filter(self.ernst_filter.currentData(), self.code_filter.currentData())
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.setText("")

    def _show_detail(self, current: QModelIndex) -> None:
        """The full uitleg of the chosen row, wrapped under the table."""
        if not current.isValid():
            self.detail.setText("")
            return
        row = current.row()
        code = self.model.index(row, 1).data()
        regel = self.model.index(row, 3).data()
        where = f"{self.model.index(row, 2).data()}, regel {regel}" if regel else "hele export"
        uitleg = self.model.index(row, len(KOLOMMEN) - 1).data()
        self.detail.setText(f"{code} ({where}): {uitleg}")

    # --- what follows ---------------------------------------------------------------------

    def nieuwe_nummers(self) -> bool:
        """Whether voorzieningen continue under another key: then Controleren and Opslaan follow."""
        return self.resultaat is not None and self.resultaat.aantal(code="SLEUTEL_GEWIJZIGD") > 0

    def isComplete(self) -> bool:
        return self.resultaat is not None and not self.running

    def save_report(self, folder: Path | None = None) -> None:
        """controle.csv/.xlsx (no BSN) in a folder the user picks; written on the worker."""
        if self.resultaat is None or self.save_runner.busy():
            return
        if not folder:
            chosen = QFileDialog.getExistingDirectory(
                self, "Map voor het controlerapport", str(last_folder())
            )
            if not chosen:
                return
            folder = Path(chosen)
        remember_folder(folder)
        resultaat = self.resultaat
        protected = [p for p in (self.state.path("oud"), self.state.path("nieuw")) if p]
        worker = self.save_runner.start(
            lambda voortgang: write_controle(
                resultaat, folder, voortgang=voortgang, protected=protected, met_conversie=False
            )
        )
        worker.finished.connect(self._saved)
        worker.failed.connect(self._failed)

    def save_vertaaltabel(self, folder: Path | None = None) -> None:
        """The draft email about new soort codes (.eml + .txt) in a folder the user picks."""
        melding = self.resultaat.vertaaltabelmelding() if self.resultaat else None
        if melding is None or self.save_runner.busy():
            return
        if not folder:
            chosen = QFileDialog.getExistingDirectory(
                self, "Map voor de concept-e-mail", str(last_folder())
            )
            if not chosen:
                return
            folder = Path(chosen)
        remember_folder(folder)
        protected = [p for p in (self.state.path("oud"), self.state.path("nieuw")) if p]
        worker = self.save_runner.start(
            lambda _voortgang: write_vertaaltabelmelding(melding, folder, protected)
        )
        worker.finished.connect(self._email_saved)
        worker.failed.connect(self._failed)

    def _email_saved(self, paths: tuple[Path, Path]) -> None:
        self.geschreven = list(paths)
        self.status.setStyleSheet("")
        self.status.setText(
            f"Concept-e-mail opgeslagen: {paths[0]}. Open het met een dubbelklik: Outlook opent "
            "het als concept. Lees de tekst na en klik op Verzenden."
        )

    def _saved(self, written: list) -> None:
        self.geschreven = [result.path for result in written]
        self.status.setStyleSheet("")
        names = ", ".join(p.name for p in self.geschreven)
        self.status.setText(f"Opgeslagen in {self.geschreven[0].parent}: {names}.")
        log.info("Controlerapport opgeslagen (%d bestanden)", len(written))


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for _, name, _ in KOLOMMEN}).assign(
        regel=pd.Series(dtype=np.int64), ernst=pd.Series(dtype=object), code=pd.Series(dtype=object)
    )
