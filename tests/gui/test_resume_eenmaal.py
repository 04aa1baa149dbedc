"""Resuming does each slow step once (issue 12, item 12): every export is read and cleaned
once, matching runs once, the Kolommen page takes the exports cleaned on resume instead of
cleaning them again, and walking back and forward with nothing changed redoes nothing."""

from __future__ import annotations

import shutil
from collections import Counter

import numpy as np
import pytest
from walk import start

import srgdesk.core.export as export_module
import srgdesk.gui.page_koppelen as koppelen_module
from srgdesk.core.resources import resource_path
from srgdesk.core.review import ReviewSessie
from srgdesk.gui.settings import session_path
from srgdesk.gui.wizard import SrgWizard, Stap


@pytest.fixture
def calls(monkeypatch) -> Counter:
    """Count reading, cleaning and matching, wherever the wizard calls them from."""
    counted: Counter = Counter()

    def counting(module, name: str) -> None:
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            counted[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counting(export_module, "read_voorzieningen_table")
    counting(export_module, "clean")
    counting(koppelen_module, "match")
    counting(ReviewSessie, "apply_besluiten")
    return counted


def saved_session(qtbot, w: SrgWizard, folder) -> np.ndarray:
    """Walk the demo to Controleren, decide some rows, save; the decisions made."""
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
    w.next()
    sessie = w.state.sessie
    sessie.accept(np.flatnonzero(sessie.beslisbaar)[:4])
    sessie.reject(np.flatnonzero(sessie.beslisbaar)[4:6])
    w.save_now()
    assert session_path().is_file()
    expected = sessie.besluit.copy()
    w.close()
    return expected


def test_resume_reads_cleans_matches_and_lays_back_once(qtbot, tmp_path, calls):
    expected = saved_session(qtbot, start(qtbot), tmp_path)
    calls.clear()

    w = start(qtbot)
    assert w.offer_resume()
    qtbot.waitUntil(lambda: w.currentId() == Stap.CONTROLEREN, timeout=20_000)

    assert w.state.sessie.besluit.tolist() == expected.tolist()
    assert calls == Counter(read_voorzieningen_table=2, clean=2, match=1, apply_besluiten=1)
    kolommen = w.pages[Stap.KOLOMMEN]
    for rol in ("oud", "nieuw"):  # the page shows the exports cleaned on resume
        assert kolommen.panels[rol].result is w.state.voorzieningen[rol]


def test_back_to_kolommen_and_forward_again_redoes_nothing(qtbot, tmp_path, calls):
    expected = saved_session(qtbot, start(qtbot), tmp_path)
    w = start(qtbot)
    assert w.offer_resume()
    qtbot.waitUntil(lambda: w.currentId() == Stap.CONTROLEREN, timeout=20_000)
    calls.clear()

    while w.currentId() != Stap.KOLOMMEN:
        w.back()
    while w.currentId() != Stap.CONTROLEREN:
        w.next()

    assert calls == Counter()
    assert w.state.sessie.besluit.tolist() == expected.tolist()


def test_no_autosave_while_resumed_decisions_wait_for_matching(qtbot, tmp_path):
    saved_session(qtbot, start(qtbot), tmp_path)
    w = start(qtbot)
    assert w.offer_resume()
    assert w.state.sessie is None  # matching still runs: the session file holds the decisions
    assert w.state.over_te_nemen
    assert not w._timer.isActive()
    w.schedule_save()
    assert not w._timer.isActive()
    qtbot.waitUntil(lambda: w.currentId() == Stap.CONTROLEREN, timeout=20_000)
    w.schedule_save()
    assert w._timer.isActive()


def test_the_kolommen_page_takes_the_leading_zeros_advice_worked_out_on_resume(
    qtbot, tmp_path, monkeypatch
):
    import srgdesk.gui.page_kolommen as kolommen_module

    saved_session(qtbot, start(qtbot), tmp_path)
    on_gui_thread: list[int] = []
    original = kolommen_module.voorloopnullen_advies

    def counting(*args):
        on_gui_thread.append(1)
        return original(*args)

    monkeypatch.setattr(kolommen_module, "voorloopnullen_advies", counting)
    w = start(qtbot)
    assert w.offer_resume()
    qtbot.waitUntil(lambda: w.currentId() == Stap.CONTROLEREN, timeout=20_000)
    assert on_gui_thread == []  # the resume worker worked it out; the page did not again
    kolommen = w.pages[Stap.KOLOMMEN]
    exports = [kolommen.panels[rol].export for rol in ("oud", "nieuw")]
    assert kolommen.advies == original(*exports)
