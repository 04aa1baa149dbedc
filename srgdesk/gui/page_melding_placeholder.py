"""Stand-in for the email step until srgdesk.gui.page_melding exists."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from srgdesk.gui.base import Pagina, help_label
from srgdesk.gui.state import WizardState


class MeldingPlaceholder(Pagina):
    def __init__(self, state: WizardState):
        super().__init__(state, "Melding aan CBS",
                         "Een wijziging van pakket, berichtgever of contactpersoon meldt u per "
                         "e-mail aan CBS.")
        layout = QVBoxLayout(self)
        layout.addWidget(help_label(
            "Stuur een e-mail aan SZ_Bijstand@cbs.nl met wat er veranderd is en per wanneer. "
            "Stuur nooit een bestand met BSN's per e-mail: dat gaat via het CBS-portaal."))
        layout.addStretch(1)

    def prefill(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        """Same call as the real page; nothing to fill here."""
