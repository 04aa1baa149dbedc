"""An unexpected error: log it (without BSNs), save the decisions, show a calm Dutch dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("srgdesk.gui")


def install_excepthook(log_path: Path, save_work: Callable[[], None]) -> None:
    """Replace sys.excepthook so a bug in a slot never kills the window or loses decisions."""
    busy = False

    def hook(kind, value, tb) -> None:
        nonlocal busy
        log.error("Onverwachte fout:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        if busy:
            return
        busy = True
        try:
            try:
                save_work()
            except Exception:
                log.exception("Besluiten opslaan na een fout is mislukt")
            if QApplication.instance() is not None:
                show_crash_dialog(log_path)
        finally:
            busy = False

    sys.excepthook = hook


def show_crash_dialog(log_path: Path) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Er ging iets mis",
        "Er ging iets mis dat wij niet hadden verwacht.",
    )
    box.setInformativeText(
        "Uw besluiten zijn bewaard. U kunt verder werken; lukt dat niet, sluit srgdesk dan en "
        "start het opnieuw: het programma biedt aan om verder te gaan waar u was.\n\n"
        "Meld het probleem aan uw functioneel beheerder en stuur dit logbestand mee "
        f"(er staan geen BSN's in):\n{log_path}"
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
