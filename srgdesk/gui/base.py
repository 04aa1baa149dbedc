"""Shared bits of the pages: the state they read and write, and small helpers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
    QWizardPage,
)

from srgdesk.gui.state import WizardState
from srgdesk.gui.worker import Worker


class Pagina(QWizardPage):
    """A wizard page that reads and writes the shared WizardState."""

    def __init__(self, state: WizardState, title: str, subtitle: str = ""):
        super().__init__()
        self.state = state
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)

    def changed(self) -> None:
        """Tell the wizard something worth saving happened."""
        wizard = self.wizard()
        if wizard is not None and hasattr(wizard, "schedule_save"):
            wizard.schedule_save()


class VoortgangRij(QWidget):
    """The row under long work: a progress bar, Stoppen, and optionally a button to run the
    work again. `bezig` switches the buttons between running and done."""

    def __init__(self, naam: str, opnieuw: str | None = None):
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName(naam)
        row.addWidget(self.bar, 1)
        self.cancel_button = QPushButton("Stoppen")
        row.addWidget(self.cancel_button)
        self.again_button = QPushButton(opnieuw or "")
        self.again_button.setVisible(opnieuw is not None)
        row.addWidget(self.again_button)

    def bezig(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        self.again_button.setEnabled(not running)

    def fractie(self, fraction: float) -> None:
        self.bar.setValue(int(fraction * 1000))


def verbind(worker: Worker, ontvanger: QWidget) -> None:
    """Connect a worker to a page's `_progress`, `_done`, `_failed` and `_cancelled` (bound
    methods of a QObject: Qt queues them to the GUI thread)."""
    worker.progress.connect(ontvanger._progress)
    worker.finished.connect(ontvanger._done)
    worker.failed.connect(ontvanger._failed)
    worker.cancelled.connect(ontvanger._cancelled)


def help_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)
