"""Start the wizard: Dutch Qt translations, logging, crash dialog, resume, smoke test."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from srgdesk.applog import setup_logging
from srgdesk.console import say
from srgdesk.gui import smoke

log = logging.getLogger("srgdesk.gui")


def _install_translations(app) -> list:
    """Load qtbase_nl.qm that ships with PySide6, so Qt's own buttons speak Dutch too."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    kept = []
    for name in ("qtbase_nl", "qt_nl"):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            kept.append(translator)
    return kept


def make_app(argv: list[str] | None = None):
    """The QApplication with Dutch translations (reused when one exists, e.g. in tests)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("srgdesk")
    app.setApplicationDisplayName("srgdesk")
    app.setOrganizationName("srgdesk")
    if not getattr(app, "_srgdesk_translations", None):
        app._srgdesk_translations = _install_translations(app)
    return app


def run_gui(demo: bool = False, smoke_test: str | None = None) -> int:
    """Open the wizard. `smoke_test`: render offscreen to that PNG and exit 0."""
    if smoke_test:
        smoke.prepare_environment(os.environ)
    log_path = setup_logging()
    log.info("srgdesk gestart (demo=%s, smoke_test=%s)", demo, bool(smoke_test))
    app = make_app()
    if smoke_test and (problem := smoke.font_problem()):
        log.error(problem)
        say(problem, error=True)
        return 1
    from srgdesk.gui.crash import install_excepthook
    from srgdesk.gui.wizard import SrgWizard

    wizard = SrgWizard(log_path=log_path)
    install_excepthook(log_path, wizard.save_now)
    if demo:
        wizard.load_demo()
    elif not smoke_test:
        wizard.offer_resume()
    wizard.show()
    if smoke_test:
        app.processEvents()
        target = Path(smoke_test)
        ok = wizard.grab().save(str(target))
        wizard.close()
        if not ok:
            say(
                f"Schermafdruk {target} kon niet worden opgeslagen. Kies een map waarin u mag schrijven.",
                error=True,
            )
            return 1
        say(f"Schermafdruk opgeslagen: {target.resolve()}")
        return 0
    return app.exec()
