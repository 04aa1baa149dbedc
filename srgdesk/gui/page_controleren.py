"""Step 6: the review table: filter, search, accept/reject, twijfel, manual pairs, undo."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
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

from srgdesk.core.alternatieven import opties
from srgdesk.core.besluiten import verschillen_handmatig
from srgdesk.gui.alternatives_dialog import AlternatievenDialog
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
        self.vragen = True  # ask before moving on with open decisions (not while resuming)
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
        show = QLabel("Too&n:")
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
        self.view.undo_requested.connect(self.undo)
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
            overname = self.state.overname
            self.message.setText(overname.tekst() if overname else "")
        self._after_change(0)
        self._focus_table()
        # The wizard moves focus after initializePage; take it back once that is done.
        QTimer.singleShot(0, self, self._focus_table)

    def cleanupPage(self) -> None:
        self.view.remember_widths()

    def _focus_table(self) -> None:
        if self.isVisible():
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- actions --------------------------------------------------------------------------

    def selected_rows(self) -> np.ndarray:
        visual = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        if not visual and self.view.currentIndex().isValid():
            visual = [self.view.currentIndex().row()]
        return self.model.rows_of(visual)

    def accept_selected(self) -> None:
        rows = self.selected_rows()
        sessie = self.state.sessie
        if rows.size and not (sessie.beslisbaar[rows] & (sessie.gekozen[rows] >= 0)).any():
            self._explain_no_pair(int(rows[0]))
            return
        done = sessie.accept(rows)
        self._report(
            f"{done} koppeling(en) geaccepteerd."
            if done
            else "Hier is niets te accepteren: deze koppeling is al geaccepteerd, of de nieuwe "
            "voorziening is al aan een andere oude voorziening gekoppeld (wijs die eerst af)."
        )

    def _explain_no_pair(self, row: int) -> None:
        """Space on a row without a proposal: say what to do instead, and go to the next row."""
        sessie = self.state.sessie
        status = sessie.status[row]
        if sessie.beslisbaar[row]:
            text = (
                "Deze oude voorziening heeft geen voorstel meer: de nieuwe voorziening is bij een "
                "andere gekozen. Koppel met de hand, of wijs af als er geen opvolger is."
            )
        elif status == "ontbreekt":
            text = (
                "Deze oude voorziening loopt nog, maar staat niet in de nieuwe export: er is "
                "niets om te accepteren. Hoort er toch een nieuwe voorziening bij? Kies bij "
                "Toon 'Zonder koppeling', selecteer beide regels (Ctrl+klik) en klik 'Met de "
                "hand koppelen'. Zo niet, dan hoeft u niets te doen."
            )
        elif status == "nieuw":
            text = (
                "Dit is een nieuwe voorziening zonder voorganger: er is niets om te accepteren. "
                "Hoort er een oude bij, koppel ze dan met de hand."
            )
        else:
            text = "Op deze regel is niets te beslissen."
        current = self.view.currentIndex().row()
        self.message.setText(text)
        if 0 <= current < self.model.rowCount() - 1:
            self.view.selectRow(current + 1)
        self._focus_table()

    def reject_selected(self) -> None:
        done = self.state.sessie.reject(self.selected_rows())
        self._report(f"{done} koppeling(en) afgewezen." if done else "Hier is niets af te wijzen.")

    def accept_all(self, zekerheid: str) -> None:
        count = int(
            (self.state.sessie.te_beslissen() & (self.state.sessie.zekerheid == zekerheid)).sum()
        )
        if not count:
            self._report(f"Er zijn geen open koppelingen met zekerheid '{zekerheid}'.")
            return
        if not confirm(
            self,
            "In één keer accepteren",
            f"U accepteert {count} koppeling(en) met zekerheid '{zekerheid}' in één "
            "keer. U kunt dit terugdraaien met Ongedaan maken (Ctrl+Z). Doorgaan?",
        ):
            self._focus_table()
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
        options = opties(sessie, self.state.resultaat.nieuw.frame, row)
        dialog = AlternatievenDialog(
            self, self.model.cell(row, "oud"), options, int(sessie.gekozen[row])
        )
        if dialog.exec() and dialog.chosen() is not None:
            self.apply_alternative(row, dialog.chosen())
        else:
            self._focus_table()

    def apply_alternative(self, row: int, nieuw_index: int) -> None:
        sessie = self.state.sessie
        try:
            others = sessie.choose_alternative(row, nieuw_index)
        except ValueError as fout:
            self._report(str(fout))
            return
        lines = ["Uw keuze is vastgelegd."]
        for other in others:
            oud = " · ".join(sessie.oud_key(other))
            gekozen = int(sessie.gekozen[other])
            if gekozen >= 0:
                nieuw = " · ".join(sessie.nieuw_key(gekozen) or ())
                lines.append(
                    f"De oude voorziening {oud} had deze nieuwe voorziening als voorstel; die "
                    f"krijgt nu {nieuw} voorgesteld. Beslis daar nog over."
                )
            else:
                lines.append(
                    f"De oude voorziening {oud} had deze nieuwe voorziening als voorstel en heeft "
                    "nu geen voorstel meer. Koppel die met de hand, of wijs af."
                )
        self._report(" ".join(lines))

    def pair_selected(self) -> None:
        rows = self.selected_rows()
        sessie = self.state.sessie
        roles = sessie.handmatige_rollen(int(rows[0]), int(rows[1])) if rows.size == 2 else None
        if roles is None:
            self._report(
                "Selecteer twee regels (Ctrl+klik): één oude voorziening zonder "
                "koppeling en één nieuwe zonder voorganger. Tip: kies bij Toon "
                "'Zonder koppeling'."
            )
            return
        old_row, new_row = roles
        verschillen = verschillen_handmatig(sessie, old_row, new_row)
        oud, nieuw = self.model.cell(old_row, "oud"), self.model.cell(new_row, "nieuw")
        text = f"U koppelt de oude voorziening {oud} aan de nieuwe voorziening {nieuw}.\n\n"
        if verschillen:
            text += "Let op, dit verschilt:\n" + "\n".join(f"• {line}" for line in verschillen)
        else:
            text += "BSN, soort en begindatum komen overeen."
        text += "\n\nIs dit echt dezelfde voorziening?"
        if not confirm(self, "Met de hand koppelen", text):
            self._report("Niet gekoppeld.")
            return
        reden = (
            "bevestigd ondanks verschil: " + " ".join(verschillen)
            if verschillen
            else "BSN, soort en begindatum gelijk"
        )
        sessie.pair_manually(old_row, new_row, reden=reden)
        self._report("De twee voorzieningen zijn met de hand gekoppeld.")

    def undo(self) -> None:
        sessie = self.state.sessie
        rows = sessie.undo_stack[-1].rows.tolist() if sessie and sessie.undo_stack else []
        what = sessie.undo() if sessie else None
        self._report(
            f"Ongedaan gemaakt: {what}." if what else "Er is niets meer ongedaan te maken.",
            select=rows,
        )

    # --- refresh --------------------------------------------------------------------------

    def _report(self, text: str, select: list[int] | None = None) -> None:
        """Show what happened, refresh, keep the selection predictable, focus the table.

        The selection stays on the same record when it is still shown, else on the row that
        took its place; after undo it goes to the restored record."""
        current = self.view.currentIndex().row()
        self.message.setText(text)
        self._after_change(max(0, current))
        for row in select or []:
            visual = self.model.visual_row(int(row))
            if visual >= 0:
                self.view.selectRow(visual)
                break
        self._update_buttons()
        self._focus_table()
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
            f" · ontbreekt zonder opvolger {t['ontbreekt']}"
            + (f" · voorstel vervallen {t['vervallen']}" if t["vervallen"] else "")
            + f" · getoond {self.model.rowCount()}"
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
        self.accept_button.setEnabled(
            bool(rows.size) and bool((sessie.beslisbaar[rows] & (sessie.gekozen[rows] >= 0)).any())
        )
        self.reject_button.setEnabled(bool(rows.size))
        self.choose_button.setEnabled(
            rows.size == 1 and len(sessie.alternatieven(int(rows[0]))) > 1
        )
        self.manual_button.setEnabled(
            rows.size == 2 and sessie.kan_handmatig(int(rows[0]), int(rows[1]))
        )

    def validatePage(self) -> bool:
        self.view.remember_widths()
        open_count = self.state.sessie.tellingen()["open"]
        return (
            not open_count
            or not self.vragen
            or confirm(
                self,
                "Nog niet alles beslist",
                f"{open_count} koppeling(en) hebben nog geen besluit. Die komen niet in het "
                "conversiebestand. Wilt u toch verder?",
            )
        )
