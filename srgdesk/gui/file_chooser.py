"""Pick one export: a Bladeren button or drag-and-drop, remembering the last folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from srgdesk.gui.settings import last_folder, remember_folder

FILTER = "Exports (*.csv *.txt *.xlsx *.xlsm *.xls *.ods);;Alle bestanden (*)"


class FileChooser(QWidget):
    """Emits `chosen(Path)` when the user picks or drops a file."""

    chosen = Signal(Path)

    def __init__(self, label: str):
        super().__init__()
        self.label = label
        self.setAcceptDrops(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setReadOnly(True)
        self.edit.setPlaceholderText("Kies een bestand of sleep het hierheen")
        self.edit.setAccessibleName(label)
        self.button = QPushButton("Bladeren…")
        self.button.setAccessibleName(f"{label}: bladeren")
        self.button.clicked.connect(self.browse)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def set_path(self, path: Path | None) -> None:
        self.edit.setText(str(path) if path else "")

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, f"{self.label} kiezen", last_folder(), FILTER)
        if name:
            self._choose(Path(name))

    def _choose(self, path: Path) -> None:
        remember_folder(path)
        self.set_path(path)
        self.chosen.emit(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self._choose(Path(urls[0].toLocalFile()))
            event.acceptProposedAction()
