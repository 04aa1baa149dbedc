"""Step 4: the learned soort-voorziening relation, one row per (old code, new code) pair with its
support; editable. Skipped when both packages use the same codes.

An old code may become several new codes (split) and several old codes one new code (merge), so
the user's choice per old code is the set of new codes it may become (`state.code_keuzes`: old
code → list of new codes; absent = as learned).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from srgdesk.core.codes import BRON_GEBRUIKER, BRON_GELEERD, BRON_GELIJK, CodeTabel
from srgdesk.gui.base import Pagina, help_label
from srgdesk.gui.state import WizardState

COLUMNS = ["Oude code", "Omschrijving oud", "Nieuwe code", "Omschrijving nieuw", "Steun", "Bron"]
GEEN = ""  # combo value: this pair does not hold
BRON_TEKST = {
    BRON_GELIJK: "zelfde code",
    BRON_GELEERD: "geleerd",
    BRON_GEBRUIKER: "door u gekozen",
}


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
                "Elke regel is één paar: oude code → nieuwe code. Een oude code kan bij meer "
                "nieuwe codes horen (gesplitst) en meer oude codes bij één nieuwe (samengevoegd). "
                "'Steun' is per paar het aantal personen waarbij dit duidelijk te zien was; paren "
                "met weinig steun verdienen een extra blik. Klopt een paar niet, kies dan bij "
                "'Nieuwe code' de juiste code of '— geen —'. Hoort een oude code bij nog een "
                "nieuwe code, kies de regel en klik op 'Nieuwe code erbij'."
            )
        )
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Codetabel soort voorziening")
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Nieuwe code erbij")
        self.add_button.setAccessibleName("Nog een nieuwe code voor de gekozen oude code")
        self.add_button.clicked.connect(self._add_pair)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.combos: dict[tuple[str, int], QComboBox] = {}  # (old code, table row) → combo
        self.texts: dict[str, str] = {}

    def initializePage(self) -> None:
        nieuw = self.state.voorzieningen["nieuw"].frame
        self.texts = (
            dict(nieuw.groupby("soort")["omschrijving"].agg(lambda s: s.mode().iat[0]))
            if len(nieuw)
            else {}
        )
        self._fill()

    def _effective(self) -> CodeTabel:
        codes = self.state.codes or CodeTabel()
        return codes.with_overrides(self.state.code_keuzes)

    def _fill(self) -> None:
        koppelingen = self._effective().koppelingen
        self.table.setRowCount(0)
        self.table.setRowCount(len(koppelingen))
        self.combos = {}
        for row, k in enumerate(koppelingen):
            for column, value in (
                (0, k.oud),
                (1, k.omschrijving_oud),
                (3, k.omschrijving_nieuw or self.texts.get(k.nieuw, "")),
                (4, str(k.steun)),
                (5, BRON_TEKST.get(k.bron, k.bron)),
            ):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            combo = self._combo(k.oud, k.nieuw)
            self.combos[(k.oud, row)] = combo
            self.table.setCellWidget(row, 2, combo)
        for column, width in enumerate((90, 230, 200, 230, 60, 110)):
            self.table.setColumnWidth(column, width)

    def _combo(self, oud: str, chosen: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(f"Nieuwe code voor {oud}")
        combo.addItem("— geen —", GEEN)
        for code, text in sorted(self.texts.items()):
            combo.addItem(f"{code} — {text}" if text else code, code)
        if combo.findData(chosen) < 0:
            combo.addItem(chosen, chosen)
        combo.setCurrentIndex(combo.findData(chosen))
        combo.activated.connect(lambda _i, code=oud: self._picked(code))
        return combo

    def chosen_for(self, oud: str) -> list[str]:
        """The new codes the rows of `oud` say, in table order, without '— geen —'."""
        values = [combo.currentData() for (code, _), combo in self.combos.items() if code == oud]
        return list(dict.fromkeys(v for v in values if v != GEEN))

    def _picked(self, oud: str) -> None:
        learned = (self.state.codes or CodeTabel()).relatie().get(oud, ())
        chosen = self.chosen_for(oud)
        before = dict(self.state.code_keuzes)
        if set(chosen) == set(learned):
            self.state.code_keuzes.pop(oud, None)
        else:
            self.state.code_keuzes[oud] = chosen
        if self.state.code_keuzes == before:
            return
        self.state.reset_from("codes")
        self.changed()
        QTimer.singleShot(0, self, self._fill)  # not inside the combo's own signal

    def _add_pair(self) -> None:
        """Add a second new code to the selected row's old code (a split)."""
        row = self.table.currentRow()
        if not 0 <= row < self.table.rowCount():
            return
        oud = self.table.item(row, 0).text()
        present = set(self.chosen_for(oud))
        spare = [code for code in sorted(self.texts) if code not in present]
        if not spare:
            return
        self.state.code_keuzes[oud] = [*self.chosen_for(oud), spare[0]]
        self.state.reset_from("codes")
        self.changed()
        self._fill()
