"""Helpers that walk the wizard the way a user does (shared by the GUI tests)."""

from __future__ import annotations

from pathlib import Path

from srgdesk.core.resources import resource_path
from srgdesk.gui.app import make_app
from srgdesk.gui.wizard import SrgWizard, Stap


def start(qtbot) -> SrgWizard:
    make_app()
    w = SrgWizard()
    qtbot.addWidget(w)
    w.show()
    return w


def with_twijfel_and_newcomer(folder: Path) -> Path:
    """The demo 'nieuw' export plus a near-copy of its first record (a twijfel: two new numbers
    fit one old record equally well) and a record without predecessor (for a manual pair)."""
    lines = resource_path("demo", "nieuw.csv").read_text(encoding="utf-8").splitlines()
    sep = ";" if lines[0].count(";") > lines[0].count(",") else ","
    copy = lines[1].split(sep)
    copy[3] = "VZ-9999901"
    extra = sep.join(
        [
            "0999",
            "4021",
            "123456782",
            "VZ-9999902",
            "11",
            "Re-integratietraject extern",
            "01-01-2024",
            "",
        ]
    )
    path = folder / "nieuw_extra.csv"
    path.write_text("\n".join([*lines, sep.join(copy), extra]) + "\n", encoding="utf-8")
    return path


def go_to_koppelen(qtbot, w: SrgWizard, nieuw: Path | None = None) -> None:
    w.load_demo()
    if nieuw is not None:
        assert w.currentPage().load("nieuw", nieuw)
    assert w.currentId() == Stap.BESTANDEN
    assert w.currentPage().isComplete()
    w.next()
    assert w.currentId() == Stap.KOLOMMEN
    assert w.currentPage().isComplete()
    w.next()
    if w.currentId() == Stap.CODES:
        w.next()
    assert w.currentId() == Stap.KOPPELEN
    qtbot.waitUntil(lambda: w.state.sessie is not None, timeout=20_000)
    qtbot.waitUntil(lambda: w.currentPage().isComplete(), timeout=20_000)


def go_to_controleren(qtbot, w: SrgWizard, nieuw: Path | None = None) -> None:
    go_to_koppelen(qtbot, w, nieuw)
    w.next()
    assert w.currentId() == Stap.CONTROLEREN


def back_to(w: SrgWizard, stap: Stap) -> None:
    while w.currentId() != stap:
        w.back()
