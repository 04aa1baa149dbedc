"""Step 1: what changed? The choice decides which steps follow."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout

from srgdesk.gui.base import Pagina, help_label
from srgdesk.gui.page_maandcontrole import KEUZE, MAANDCONTROLE
from srgdesk.gui.state import AANLEIDINGEN, WizardState

KEUZES = {**AANLEIDINGEN, MAANDCONTROLE: KEUZE}  # issue 16: the monthly check


class AanleidingPage(Pagina):
    def __init__(self, state: WizardState):
        super().__init__(
            state,
            "Wat is er veranderd?",
            "Kies wat er bij uw gemeente is veranderd. Daarna helpt srgdesk u stap voor stap.",
        )
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, (label, uitleg) in KEUZES.items():
            button = QRadioButton(label)
            button.setObjectName(f"aanleiding_{key}")
            font = button.font()
            font.setBold(True)
            button.setFont(font)
            self.group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
            text = help_label(uitleg)
            text.setContentsMargins(24, 0, 0, 8)
            layout.addWidget(text)
            button.toggled.connect(self._chosen)
        layout.addStretch(1)

    def initializePage(self) -> None:
        button = self.buttons.get(self.state.aanleiding)
        if button:
            button.setChecked(True)

    def _chosen(self) -> None:
        for key, button in self.buttons.items():
            if button.isChecked():
                self.state.aanleiding = key
        self.completeChanged.emit()
        self.changed()

    def isComplete(self) -> bool:
        return self.state.aanleiding in KEUZES
