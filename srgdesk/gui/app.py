"""Start the wizard: Dutch Qt translations, logging, crash dialog, resume, smoke test."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
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


# Libraries Qt's xcb platform plugin loads on Linux, with the Debian/Ubuntu package of each.
LINUX_QT_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "EGL": "libegl1",
}


def missing_linux_packages(
    platform: str = sys.platform,
    environ: dict | None = None,
    find: Callable[[str], str | None] | None = None,
) -> list[str]:
    """The system packages Qt's window needs on Linux that are not installed.

    Without them Qt stops with a message about the "xcb" plugin that does not say what to
    install; we say it first. Empty elsewhere, and when another Qt platform was chosen."""
    environ = os.environ if environ is None else environ
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM", "xcb") != "xcb":
        return []
    if find is None:
        import ctypes.util

        find = ctypes.util.find_library
    return [package for name, package in LINUX_QT_LIBRARIES.items() if not find(name)]


def apt_get_line(packages: list[str]) -> str:
    return "sudo apt-get install -y " + " ".join(packages)


def run_gui(demo: bool = False, smoke_test: str | None = None) -> int:
    """Open the wizard. `smoke_test`: render offscreen to that PNG and exit 0."""
    if smoke_test:
        smoke.prepare_environment(os.environ)
    log_path = setup_logging()
    log.info("srgdesk gestart (demo=%s, smoke_test=%s)", demo, bool(smoke_test))
    if missing := missing_linux_packages():
        log.warning("Systeembibliotheken voor Qt ontbreken: %s", ", ".join(missing))
        say(
            "Het venster van srgdesk heeft op Linux een paar systeembibliotheken nodig die "
            f"hier ontbreken. Installeer ze met:\n  {apt_get_line(missing)}\nen start "
            "srgdesk daarna opnieuw.",
            error=True,
        )
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
