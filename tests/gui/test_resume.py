"""Autosave and resume: decisions survive a restart; a changed input file is named."""

from __future__ import annotations

import shutil

import numpy as np
from walk import start

from srgdesk.applog import setup_logging
from srgdesk.core.resources import resource_path
from srgdesk.core.review import load_session
from srgdesk.gui.settings import session_path
from srgdesk.gui.wizard import SrgWizard, Stap


def run_to_review(qtbot, w: SrgWizard, folder) -> None:
    w.state.aanleiding = "pakket"
    w.restart()
    w.next()
    for rol in ("oud", "nieuw"):
        target = folder / f"{rol}.csv"
        shutil.copy(resource_path("demo", f"{rol}.csv"), target)
        assert w.currentPage().load(rol, target)
    while w.currentId() != Stap.KOPPELEN:
        w.next()
    qtbot.waitUntil(lambda: w.state.sessie is not None, timeout=20_000)


def test_resume_after_restart(qtbot, tmp_path, isolated_app_data):
    w = start(qtbot)
    run_to_review(qtbot, w, tmp_path)
    w.next()
    page = w.currentPage()
    sessie = w.state.sessie
    sessie.accept(np.flatnonzero(sessie.beslisbaar)[:5])
    sessie.reject(np.flatnonzero(sessie.beslisbaar)[5:7])
    page._report("test")
    qtbot.waitUntil(lambda: session_path().is_file(), timeout=20_000)
    w.save_now()
    expected = sessie.besluit.copy()
    saved_text = session_path().read_text(encoding="utf-8")
    for bsn in sessie.regels["bsn"]:
        assert not bsn or bsn not in saved_text
    assert not load_session(session_path()).afgerond
    w.close()

    w2 = start(qtbot)
    entered: list[tuple[int, str]] = []  # each page entered, and what Koppelen said then
    koppelen = w2.pages[Stap.KOPPELEN]
    w2.currentIdChanged.connect(lambda i: entered.append((i, koppelen.status.text())))
    assert w2.offer_resume()
    assert "verder gaan" in isolated_app_data[-1]
    assert w2.currentId() == Stap.BESTANDEN  # the files are read again on a worker
    bestanden = w2.currentPage()
    assert not bestanden.hervatten.isHidden()
    assert "besluit(en) terug" in bestanden.hervat_tekst.text()
    qtbot.waitUntil(lambda: any(i == Stap.KOPPELEN for i, _ in entered), timeout=20_000)
    said = next(text for i, text in entered if i == Stap.KOPPELEN)
    assert "besluit(en) terug" in said  # says why it waits
    qtbot.waitUntil(lambda: w2.state.sessie is not None, timeout=20_000)
    assert w2.state.sessie.besluit.tolist() == expected.tolist()
    assert "overgenomen" in w2.pages[Stap.KOPPELEN].summary.text()
    # It goes on by itself to the page the user was on, and says what came back.
    qtbot.waitUntil(lambda: w2.currentId() == Stap.CONTROLEREN, timeout=20_000)
    assert "overgenomen" in w2.currentPage().message.text()
    w2.close()


def test_resume_names_a_changed_file(qtbot, tmp_path, isolated_app_data):
    w = start(qtbot)
    run_to_review(qtbot, w, tmp_path)
    w.save_now()
    w.close()
    with (tmp_path / "nieuw.csv").open("a", encoding="utf-8") as stream:
        stream.write("0999;4021;123456782;VZ-9999902;11;Re-integratietraject extern;01-01-2024;\n")
    w2 = start(qtbot)
    assert w2.offer_resume()
    assert "nieuw.csv is gewijzigd" in isolated_app_data[-1]
    w2.close()


def test_log_has_no_bsn(tmp_path):
    import logging

    path = setup_logging()
    logging.getLogger("srgdesk.test").error("BSN 123456782 en 12345674 in een melding")
    for handler in logging.getLogger("srgdesk").handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "123456782" not in text
    assert "*****6782" in text
    assert "12345674" not in text


def test_the_files_of_a_resumed_session_are_read_on_a_worker_with_a_busy_pointer(qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    w = start(qtbot)
    run_to_review(qtbot, w, tmp_path)
    w.save_now()
    w.close()

    w2 = start(qtbot)
    assert w2.offer_resume()
    assert w2.state.tables == {}  # nothing read on the GUI thread yet: the window stays alive
    assert QApplication.overrideCursor().shape() == Qt.CursorShape.BusyCursor
    qtbot.waitUntil(lambda: w2.currentId() == Stap.KOPPELEN, timeout=20_000)
    assert QApplication.overrideCursor() is None
    assert w2.pages[Stap.BESTANDEN].hervatten.isHidden()
    qtbot.waitUntil(lambda: w2.state.sessie is not None, timeout=20_000)
    w2.close()


def test_stopping_a_resume_keeps_the_decisions_for_the_files_chosen_again(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    w = start(qtbot)
    run_to_review(qtbot, w, tmp_path)
    w.next()
    sessie = w.state.sessie
    sessie.accept(np.flatnonzero(sessie.beslisbaar)[:3])
    sessie.reject(np.flatnonzero(sessie.beslisbaar)[3:4])
    expected = sessie.besluit.copy()
    w.save_now()
    w.close()

    w2 = start(qtbot)
    assert w2.offer_resume()
    page = w2.currentPage()
    page.hervatten.cancel_button.click()  # before the worker even starts reading
    qtbot.waitUntil(lambda: page.hervatten.isHidden(), timeout=10_000)
    assert QApplication.overrideCursor() is None
    assert w2.currentId() == Stap.BESTANDEN
    assert "gestopt" in page.hervat_tekst.text()
    assert "opnieuw gelezen" not in page.panels["oud"].info.text()
    assert not page.isComplete()
    assert w2.state.over_te_nemen  # the decisions wait for the files

    for rol in ("oud", "nieuw"):
        assert page.load(rol, tmp_path / f"{rol}.csv")
    while w2.currentId() != Stap.KOPPELEN:
        w2.next()
    qtbot.waitUntil(lambda: w2.state.sessie is not None, timeout=20_000)
    assert w2.state.sessie.besluit.tolist() == expected.tolist()
    w2.close()


def test_closing_while_a_resumed_session_is_read_keeps_it_resumable(qtbot, tmp_path):
    w = start(qtbot)
    run_to_review(qtbot, w, tmp_path)
    w.next()
    sessie = w.state.sessie
    sessie.accept(np.flatnonzero(sessie.beslisbaar)[:2])
    w.save_now()
    w.close()
    before = load_session(session_path())

    w2 = start(qtbot)
    assert w2.offer_resume()
    w2.currentPage().hervatten.cancel_button.click()  # stopped, or closed while reading
    w2.close()

    after = load_session(session_path())
    assert after.bestanden == before.bestanden  # still names both files: it can be resumed
    assert after.besluiten == before.besluiten


def test_a_session_without_decisions_closed_while_read_keeps_its_files(qtbot, tmp_path):
    w = start(qtbot)
    run_to_review(qtbot, w, tmp_path)
    w.save_now()
    w.close()
    before = load_session(session_path())
    assert before.besluiten == []

    w2 = start(qtbot)
    assert w2.offer_resume()
    page = w2.currentPage()
    assert "0 eerder genomen" not in page.hervat_tekst.text()
    page.hervatten.cancel_button.click()
    w2.close()

    assert load_session(session_path()).bestanden == before.bestanden


def test_no_file_can_be_picked_while_a_resumed_session_is_read(qtbot, tmp_path):
    w = start(qtbot)
    run_to_review(qtbot, w, tmp_path)
    w.save_now()
    w.close()

    w2 = start(qtbot)
    assert w2.offer_resume()
    page = w2.pages[Stap.BESTANDEN]
    # A file picked now would silently give way to the saved one when the read ends.
    assert not page.panels["oud"].chooser.isEnabled()
    assert not page.panels["nieuw"].chooser.isEnabled()
    qtbot.waitUntil(lambda: page.hervatten.isHidden(), timeout=20_000)
    assert page.panels["oud"].chooser.isEnabled()
    assert page.panels["nieuw"].chooser.isEnabled()
    qtbot.waitUntil(lambda: w2.state.sessie is not None, timeout=20_000)
    w2.close()


def test_a_resume_whose_file_cannot_be_read_leaves_no_reading_row(qtbot, tmp_path):
    w = start(qtbot)
    run_to_review(qtbot, w, tmp_path)
    w.save_now()
    w.close()
    (tmp_path / "oud.csv").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)

    w2 = start(qtbot)
    assert w2.offer_resume()
    page = w2.pages[Stap.BESTANDEN]
    qtbot.waitUntil(lambda: page.hervatten.isHidden(), timeout=20_000)
    assert w2.currentId() == Stap.BESTANDEN
    assert "Kies de bestanden opnieuw" in page.hervat_tekst.text()
    assert "opnieuw gelezen" not in page.panels["oud"].info.text()
    assert page.panels["oud"].chooser.isEnabled()
    assert w2.state.over_te_nemen is not None  # the decisions (none here) still wait
    w2.close()
