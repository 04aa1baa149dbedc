"""Step 4: the learned soort-voorziening mapping; editable. Skipped when both use the same codes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

from srgdesk.gui.base import Pagina, help_label
from srgdesk.gui.state import WizardState

COLUMNS = ["Oude code", "Omschrijving oud", "Nieuwe code", "Omschrijving nieuw", "Steun"]


class CodesPage(Pagina):
    def __init__(self, state: WizardState):
        super().__init__(
            state,
            "Soorten voorziening",
            "De pakketten gebruiken andere codes voor de soort voorziening. srgdesk "
            "heeft geleerd welke oude code bij welke nieuwe hoort.",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(
            help_label(
                "'Steun' is het aantal personen waarbij dit duidelijk te zien was. Klopt een regel "
                "niet, kies dan bij 'Nieuwe code' de juiste code. Koppelingen met weinig steun "
                "verdienen een extra blik."
            )
        )
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Codetabel soort voorziening")
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:
        codes = self.state.codes
        nieuw = self.state.voorzieningen["nieuw"].frame
        texts = (
            nieuw.groupby("soort")["omschrijving"].agg(lambda s: s.mode().iat[0])
            if len(nieuw)
            else {}
        )
        self.table.setRowCount(0)
        self.combos = {}
        koppelingen = codes.koppelingen if codes else []
        self.table.setRowCount(len(koppelingen))
        for row, k in enumerate(koppelingen):
            chosen = self.state.code_keuzes.get(k.oud, k.nieuw)
            for column, value in (
                (0, k.oud),
                (1, k.omschrijving_oud),
                (3, k.omschrijving_nieuw),
                (4, str(k.steun)),
            ):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            combo = QComboBox()
            combo.setAccessibleName(f"Nieuwe code voor {k.oud}")
            for code, text in sorted(dict(texts).items()):
                combo.addItem(f"{code} — {text}" if text else code, code)
            if combo.findData(chosen) < 0:
                combo.addItem(chosen, chosen)
            combo.setCurrentIndex(combo.findData(chosen))
            combo.activated.connect(lambda _i, oud=k.oud: self._picked(oud))
            self.combos[k.oud] = combo
            self.table.setCellWidget(row, 2, combo)
        for column, width in enumerate((90, 230, 230, 230, 60)):
            self.table.setColumnWidth(column, width)

    def _picked(self, oud: str) -> None:
        learned = {k.oud: k.nieuw for k in self.state.codes.koppelingen}
        chosen = self.combos[oud].currentData()
        if chosen == learned.get(oud):
            self.state.code_keuzes.pop(oud, None)
        else:
            self.state.code_keuzes[oud] = chosen
        self.state.reset_from("codes")
        self.changed()
