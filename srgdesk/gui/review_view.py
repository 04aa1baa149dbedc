"""The review table view: fixed row heights, set column widths, keys for deciding."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from srgdesk.gui.review_model import COLUMN_WIDTHS


class ReviewView(QTableView):
    """Space/Enter accepts, Delete rejects; the wizard's default button never sees those keys."""

    accept_requested = Signal()
    reject_requested = Signal()

    def __init__(self):
        super().__init__()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setSortingEnabled(True)
        self.setAccessibleName("Koppelingen om te controleren")
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vertical.setVisible(False)
        horizontal = self.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setSortIndicatorShown(True)
        horizontal.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def apply_widths(self) -> None:
        scale = max(1.0, self.fontMetrics().height() / 16)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.setColumnWidth(column, int(width * scale))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_requested.emit()
            event.accept()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.reject_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
