"""Developer helper: walk the wizard on the demo exports and save a PNG of every step.

    python -m srgdesk.gui.screenshots docs/screenshots   (under Xvfb or offscreen)

Uses a temporary app-data folder so the user's own session is never touched.
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
    from srgdesk.gui import page_controleren
    from srgdesk.gui.app import make_app

    page_controleren.confirm = lambda *args: True  # no modal question while taking pictures
    from srgdesk.gui.wizard import SrgWizard, Stap

    app = make_app()
    wizard = SrgWizard()
    wizard.show()

    def settle(seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)

    def shot(name: str) -> None:
        settle()
        wizard.grab().save(str(target / f"{name}.png"))
        print(target / f"{name}.png")

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
    page.view.setFocus()
    shot("6-controleren")
    page.accept_all("zeker")
    page.status_box.setCurrentIndex(page.status_box.findData("alles"))
    shot("6b-controleren-na-accepteren")
    wizard.next()
    wizard.currentPage().folder.setText(str(work / "uitvoer"))
    wizard.currentPage().save()
    while not wizard.state.geschreven:
        settle(0.1)
    shot("7-opslaan")
    wizard.next()
    shot("8-melding")
    wizard.close()

    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
