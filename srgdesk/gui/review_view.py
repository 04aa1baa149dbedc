"""The review table view: fixed row heights, column widths that fit 1366 px and are remembered,
keys for deciding."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from srgdesk.gui.review_model import COLUMN_WIDTHS, COLUMNS, FIXED_TEXTS
from srgdesk.gui.settings import load_settings, save_setting

WIDTHS_SETTING = "kolombreedtes_controleren"


class ReviewView(QTableView):
    """Space/Enter accepts, Delete rejects, Ctrl+Z undoes; the wizard's default button never
    sees those keys. The last column (the reason) takes the room that is left and is elided;
    its tooltip holds the full text."""

    accept_requested = Signal()
    reject_requested = Signal()
    undo_requested = Signal()

    def __init__(self):
        super().__init__()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSortingEnabled(True)
        self.setAccessibleName("Koppelingen om te controleren")
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vertical.setVisible(False)
        horizontal = self.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setStretchLastSection(True)
        horizontal.setSortIndicatorShown(True)
        horizontal.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def default_widths(self) -> list[int]:
        scale = max(1.0, self.fontMetrics().height() / 16)
        return [int(width * scale) for width in COLUMN_WIDTHS]

    def fitted_widths(self, sample: int = 300) -> list[int]:
        """Widths from the header and the first rows' text in this font: no key or date is cut
        off, whatever the screen's font size. The reason (last column) takes the rest."""
        model = self.model()
        if model is None or not model.rowCount():
            return self.default_widths()
        cells = self.fontMetrics()
        headers = self.horizontalHeader().fontMetrics()
        rows = range(min(sample, model.rowCount()))
        widths = []
        for column in range(model.columnCount()):
            header = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            texts = [str(model.data(model.index(row, column)) or "") for row in rows]
            texts += FIXED_TEXTS.get(COLUMNS[column][0], ())
            widest = max((cells.horizontalAdvance(text) for text in texts), default=0)
            widths.append(max(widest + 14, headers.horizontalAdvance(header) + 18))
        return widths

    def apply_widths(self) -> None:
        """The user's own widths from last time, else widths fitted to the content."""
        saved = load_settings().get(WIDTHS_SETTING)
        widths = self.fitted_widths()
        if isinstance(saved, list) and len(saved) == len(widths):
            widths = [max(30, int(w)) for w in saved if isinstance(w, int | float)] or widths
        for column, width in enumerate(widths[:-1]):
            self.setColumnWidth(column, width)

    def remember_widths(self) -> None:
        if self.model() is None:
            return
        widths = [self.columnWidth(c) for c in range(self.model().columnCount())]
        if widths[:-1] != self.fitted_widths()[: len(widths) - 1]:  # the user changed one
            save_setting(WIDTHS_SETTING, widths)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_requested.emit()
            event.accept()
            return
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_requested.emit()
            event.accept()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.reject_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
