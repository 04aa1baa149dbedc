"""Shared bits of the pages: the state they read and write, and small helpers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget, QWizardPage

from srgdesk.gui.state import WizardState


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


def help_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)
