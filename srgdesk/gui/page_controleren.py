"""Step 6: the review table: filter, search, accept/reject, twijfel, manual pairs, undo."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from srgdesk.gui.alternatives_dialog import AlternatievenDialog, describe_new
from srgdesk.gui.base import Pagina
from srgdesk.gui.review_model import STATUS_FILTERS, ZEKERHEID_FILTERS, ReviewModel
from srgdesk.gui.review_view import ReviewView
from srgdesk.gui.state import WizardState


def confirm(parent, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class ControlerenPage(Pagina):
    def __init__(self, state: WizardState):
        super().__init__(
            state,
            "Controleren",
            "Bekijk de voorgestelde koppelingen. Spatie of Enter = accepteren, "
            "Delete = afwijzen, Ctrl+Z = ongedaan maken.",
        )
        self.model: ReviewModel | None = None
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.status_box = QComboBox()
        self.status_box.setAccessibleName("Toon regels met status")
        for label, name in STATUS_FILTERS:
            self.status_box.addItem(label, name)
        self.zekerheid_box = QComboBox()
        self.zekerheid_box.setAccessibleName("Toon zekerheid")
        for label, name in ZEKERHEID_FILTERS:
            self.zekerheid_box.addItem(label, name)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek op registratienummer of BSN")
        self.search.setAccessibleName("Zoeken")
        self.search.setClearButtonEnabled(True)
        self.bsn_box = QCheckBox("Toon BSN")
        show = QLabel("&Toon:")
        show.setBuddy(self.status_box)
        for widget in (show, self.status_box, self.zekerheid_box, self.search, self.bsn_box):
            filters.addWidget(widget, 1 if widget is self.search else 0)
        layout.addLayout(filters)
        self.counts = QLabel("")
        self.counts.setObjectName("tellingen")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.view = ReviewView()
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton("&Accepteren")
        self.reject_button = QPushButton("Af&wijzen")
        self.choose_button = QPushButton("Andere &kiezen…")
        self.manual_button = QPushButton("Met de &hand koppelen")
        self.zeker_button = QPushButton("Alle 'zeker' accepteren…")
        self.waarschijnlijk_button = QPushButton("Alle 'waarschijnlijk' accepteren…")
        self.undo_button = QPushButton("&Ongedaan maken")
        for button in (
            self.accept_button,
            self.reject_button,
            self.choose_button,
            self.manual_button,
            self.zeker_button,
            self.waarschijnlijk_button,
            self.undo_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.status_box.currentIndexChanged.connect(self._filters_changed)
        self.zekerheid_box.currentIndexChanged.connect(self._filters_changed)
        self.search.textChanged.connect(self._filters_changed)
        self.bsn_box.toggled.connect(self._toggle_bsn)
        self.accept_button.clicked.connect(self.accept_selected)
        self.reject_button.clicked.connect(self.reject_selected)
        self.choose_button.clicked.connect(self.choose_alternative)
        self.manual_button.clicked.connect(self.pair_selected)
        self.zeker_button.clicked.connect(lambda: self.accept_all("zeker"))
        self.waarschijnlijk_button.clicked.connect(lambda: self.accept_all("waarschijnlijk"))
        self.undo_button.clicked.connect(self.undo)
        self.view.accept_requested.connect(self.accept_selected)
        self.view.reject_requested.connect(self.reject_selected)
        undo = QShortcut(QKeySequence.StandardKey.Undo, self)
        undo.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.activated.connect(self.undo)

    # --- setup ----------------------------------------------------------------------------

    def initializePage(self) -> None:
        sessie = self.state.sessie
        if self.model is None or self.model.sessie is not sessie:
            self.model = ReviewModel(sessie)
            self.model.set_filters(
                self.status_box.currentData(), self.zekerheid_box.currentData(), self.search.text()
            )
            self.model.set_toon_bsn(self.bsn_box.isChecked())
            self.view.setModel(self.model)
            self.view.apply_widths()
            self.view.selectionModel().selectionChanged.connect(self._update_buttons)
            self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._after_change(0)
        self.view.setFocus()

    # --- actions --------------------------------------------------------------------------

    def selected_rows(self) -> np.ndarray:
        visual = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        if not visual and self.view.currentIndex().isValid():
            visual = [self.view.currentIndex().row()]
        return self.model.rows_of(visual)

    def accept_selected(self) -> None:
        rows = self.selected_rows()
        done = self.state.sessie.accept(rows)
        self._report(
            f"{done} koppeling(en) geaccepteerd."
            if done
            else "Hier is niets te accepteren: kies een regel met status 'gekoppeld'. Een "
            "koppeling waarvan de nieuwe voorziening al gebruikt is, moet eerst elders "
            "worden afgewezen."
        )

    def reject_selected(self) -> None:
        done = self.state.sessie.reject(self.selected_rows())
        self._report(f"{done} koppeling(en) afgewezen." if done else "Hier is niets af te wijzen.")

    def accept_all(self, zekerheid: str) -> None:
        count = self.state.sessie.tellingen()[f"open_{zekerheid}"]
        if not count:
            self._report(f"Er zijn geen open koppelingen met zekerheid '{zekerheid}'.")
            return
        if not confirm(
            self,
            "In één keer accepteren",
            f"U accepteert {count} koppeling(en) met zekerheid '{zekerheid}' in één "
            "keer. U kunt dit terugdraaien met Ongedaan maken (Ctrl+Z). Doorgaan?",
        ):
            return
        done = self.state.sessie.accept_zekerheid(zekerheid)
        self._report(f"{done} koppeling(en) met zekerheid '{zekerheid}' geaccepteerd.")

    def choose_alternative(self) -> None:
        rows = self.selected_rows()
        sessie = self.state.sessie
        if rows.size != 1 or len(sessie.alternatieven(int(rows[0]))) < 2:
            self._report("Kies één regel met twijfel; alleen daar zijn er andere mogelijkheden.")
            return
        row = int(rows[0])
        frame = self.state.resultaat.nieuw.frame
        options = [(i, describe_new(frame, i)) for i in sessie.alternatieven(row)]
        dialog = AlternatievenDialog(
            self, self.model.cell(row, "oud"), options, int(sessie.gekozen[row])
        )
        if dialog.exec() and dialog.chosen() is not None:
            self.apply_alternative(row, dialog.chosen())

    def apply_alternative(self, row: int, nieuw_index: int) -> None:
        try:
            self.state.sessie.choose_alternative(row, nieuw_index)
        except ValueError as fout:
            self._report(str(fout))
            return
        self._report("Uw keuze is vastgelegd.")

    def pair_selected(self) -> None:
        rows = self.selected_rows()
        sessie = self.state.sessie
        if rows.size != 2 or not sessie.kan_handmatig(int(rows[0]), int(rows[1])):
            self._report(
                "Selecteer twee regels (Ctrl+klik): één oude voorziening zonder "
                "koppeling en één nieuwe zonder voorganger. Tip: kies bij Toon "
                "'Zonder koppeling'."
            )
            return
        sessie.pair_manually(int(rows[0]), int(rows[1]))
        self._report("De twee voorzieningen zijn met de hand gekoppeld.")

    def undo(self) -> None:
        what = self.state.sessie.undo() if self.state.sessie else None
        self._report(
            f"Ongedaan gemaakt: {what}." if what else "Er is niets meer ongedaan te maken."
        )

    # --- refresh --------------------------------------------------------------------------

    def _report(self, text: str) -> None:
        current = self.view.currentIndex().row()
        self.message.setText(text)
        self._after_change(max(0, current))
        self.changed()

    def _after_change(self, visual_row: int) -> None:
        before = self.model.view[visual_row] if 0 <= visual_row < self.model.view.size else -1
        self.model.refresh()
        target = self.model.visual_row(int(before)) if before >= 0 else -1
        if target < 0:
            target = min(visual_row, self.model.rowCount() - 1)
        if target >= 0:
            self.view.selectRow(target)
        self._update_counts()

    def _filters_changed(self) -> None:
        if self.model is None:
            return
        self.model.set_filters(
            self.status_box.currentData(), self.zekerheid_box.currentData(), self.search.text()
        )
        if self.model.rowCount():
            self.view.selectRow(0)
        self._update_counts()

    def _toggle_bsn(self, toon: bool) -> None:
        if self.model is not None:
            self.model.set_toon_bsn(toon)

    def _update_counts(self) -> None:
        t = self.state.sessie.tellingen()
        text = (
            f"<b>Nog te beslissen: {t['open']}</b> (zeker {t['open_zeker']}, waarschijnlijk "
            f"{t['open_waarschijnlijk']}, twijfel {t['open_twijfel']}) · geaccepteerd "
            f"{t['geaccepteerd']} · afgewezen {t['afgewezen']} · met de hand {t['handmatig']}"
            f" · ontbreekt zonder opvolger {t['ontbreekt']} · getoond {self.model.rowCount()}"
        )
        self.counts.setText(text)
        self.zeker_button.setEnabled(t["open_zeker"] > 0)
        self.waarschijnlijk_button.setEnabled(t["open_waarschijnlijk"] > 0)
        self.undo_button.setEnabled(bool(self.state.sessie.undo_stack))
        self._update_buttons()

    def _update_buttons(self) -> None:
        if self.model is None:
            return
        rows = self.selected_rows()
        sessie = self.state.sessie
        self.accept_button.setEnabled(bool(rows.size) and bool(sessie.beslisbaar[rows].any()))
        self.reject_button.setEnabled(bool(rows.size))
        self.choose_button.setEnabled(
            rows.size == 1 and len(sessie.alternatieven(int(rows[0]))) > 1
        )
        self.manual_button.setEnabled(
            rows.size == 2 and sessie.kan_handmatig(int(rows[0]), int(rows[1]))
        )

    def validatePage(self) -> bool:
        open_count = self.state.sessie.tellingen()["open"]
        return not open_count or confirm(
            self,
            "Nog niet alles beslist",
            f"{open_count} koppeling(en) hebben nog geen besluit. Die komen niet in het "
            "conversiebestand. Wilt u toch verder?",
        )
