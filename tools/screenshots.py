"""Developer tool (not part of the product): walk the wizard on the demo exports the way a user
does, with keys, and save a PNG of every step.

    Xvfb :99 -screen 0 1366x768x24 &
    DISPLAY=:99 python tools/screenshots.py docs/screenshots

Uses a temporary app-data folder so the user's own session is never touched. Look at the
pictures afterwards: they are what the README shows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else "docs/screenshots")
    target.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="srgdesk-shots-"))
    os.environ["SRGDESK_DATA_DIR"] = str(work / "appdata")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMessageBox

    from srgdesk.gui.app import make_app

    # No modal question while taking pictures: answer Yes, as the user would here.
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    from srgdesk.gui.wizard import SrgWizard, Stap

    app = make_app()
    wizard = SrgWizard()
    wizard.show()
    wizard.raise_()
    wizard.activateWindow()

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(name: str) -> None:
        settle()
        wizard.grab().save(str(target / f"{name}.png"))
        print(target / f"{name}.png")

    def key(widget, which, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(widget, which, modifier)
        settle(0.1)

    wizard.pages[Stap.AANLEIDING].buttons["pakket"].setChecked(True)
    shot("1-wat-is-er-veranderd")
    wizard.load_demo()
    shot("2-bestanden")
    wizard.next()
    shot("3-kolommen")
    wizard.next()
    if wizard.currentId() == Stap.CODES:
        shot("4-soorten-voorziening")
        wizard.next()
    while wizard.state.sessie is None:
        settle(0.1)
    shot("5-koppelen")
    wizard.next()
    page = wizard.currentPage()
    settle()
    key(page.view, Qt.Key.Key_Down)  # the table has focus: arrow to the second row
    key(page.view, Qt.Key.Key_Space)  # and accept it
    shot("6-controleren")
    page.zeker_button.click()
    page.status_box.setCurrentIndex(page.status_box.findData("alles"))
    page.view.setFocus()
    shot("6b-controleren-na-accepteren")
    wizard.next()
    wizard.currentPage().folder.setText(str(work / "uitvoer"))
    wizard.currentPage().save_button.click()
    while not wizard.state.geschreven:
        settle(0.1)
    shot("7-opslaan")
    wizard.next()
    shot("8-melding")
    wizard.shutdown()
    wizard.hide()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
