"""Choose among the candidates of a twijfel: a table with what tells them apart (soort, begin,
eind, row in the export) and which other old record holds each one now."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from srgdesk.core.alternatieven import Optie

KOLOMMEN = ("Nieuwe sleutel", "Soort", "Begin", "Eind", "Regel", "Nu bij")


class AlternatievenDialog(QDialog):
    def __init__(self, parent: QWidget | None, oud_tekst: str, options: list[Optie], current: int):
        super().__init__(parent)
        self.setWindowTitle("Kies de juiste nieuwe voorziening")
        self.options = options
        layout = QVBoxLayout(self)
        uitleg = QLabel(
            f"Bij de oude voorziening {oud_tekst} passen meer nieuwe voorzieningen "
            "even goed. Kies de voorziening die echt de voortzetting is. Staat er bij 'Nu bij' "
            "een andere oude voorziening, dan krijgt die de voorziening die u hier loslaat "
            "voorgesteld (als die daar past)."
        )
        uitleg.setWordWrap(True)
        layout.addWidget(uitleg)
        self.table = QTableWidget(len(options), len(KOLOMMEN))
        self.table.setHorizontalHeaderLabels(KOLOMMEN)
        self.table.setAccessibleName("Mogelijke nieuwe voorzieningen")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, optie in enumerate(options):
            nu_bij = optie.bezet_door + (" (vast)" if optie.vast else "")
            values = (optie.sleutel, optie.soort, optie.begin, optie.eind, str(optie.regel), nu_bij)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(optie.tekst())
                if optie.vast:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
            if optie.nieuw_index == current:
                self.table.selectRow(row)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.table.cellDoubleClicked.connect(lambda _r, _c: self.accept())
        layout.addWidget(buttons)
        self.resize(820, 300)
        self.table.setFocus()

    def chosen(self) -> int | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.options) or self.options[row].vast:
            return None
        return self.options[row].nieuw_index
