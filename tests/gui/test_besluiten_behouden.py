"""Issue 12.1: going back and forward never loses a decision; a re-match carries them over."""

from __future__ import annotations

from walk import back_to, go_to_controleren, start

from srgdesk.core.resources import resource_path
from srgdesk.gui.wizard import Stap


def accept_zeker(w) -> int:
    page = w.currentPage()
    page.accept_all("zeker")
    done = w.state.sessie.tellingen()["geaccepteerd"]
    assert done > 0
    return done


def forward_to_controleren(qtbot, w) -> None:
    while w.currentId() != Stap.KOPPELEN:
        w.next()
    qtbot.waitUntil(lambda: w.currentPage().isComplete(), timeout=20_000)
    w.next()
    assert w.currentId() == Stap.CONTROLEREN


def test_back_and_forth_without_change_keeps_the_session(qtbot):
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    done = accept_zeker(w)
    sessie = w.state.sessie
    back_to(w, Stap.KOLOMMEN)
    forward_to_controleren(qtbot, w)
    assert w.state.sessie is sessie  # not even matched again
    assert sessie.tellingen()["geaccepteerd"] == done


def test_repicking_the_same_soort_code_keeps_decisions(qtbot):
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    done = accept_zeker(w)
    back_to(w, Stap.CODES)
    page = w.currentPage()
    combo = next(iter(page.combos.values()))
    combo.activated.emit(combo.currentIndex())  # the same choice again
    forward_to_controleren(qtbot, w)
    assert w.state.sessie.tellingen()["geaccepteerd"] == done


def test_a_changed_export_carries_decisions_over_and_says_so(qtbot, tmp_path):
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    done = accept_zeker(w)
    w.state.sessie.reject([int(w.state.sessie.te_beslissen().nonzero()[0][0])])
    back_to(w, Stap.BESTANDEN)
    lines = resource_path("demo", "oud.csv").read_text(encoding="utf-8-sig").splitlines()
    changed = tmp_path / "oud.csv"
    changed.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one record fewer
    assert w.currentPage().load("oud", changed)
    qtbot.waitUntil(lambda: "oud" in w.state.tables, timeout=20_000)
    forward_to_controleren(qtbot, w)
    overname = w.state.overname
    assert overname is not None
    assert overname.overgenomen >= done  # at most the removed record's decision is lost
    assert "overgenomen" in w.pages[Stap.KOPPELEN].summary.text()
    assert "overgenomen" in w.currentPage().message.text()
    assert w.state.sessie.tellingen()["afgewezen"] == 1


def test_a_reloaded_export_keeps_the_users_code_choice(qtbot):
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    back_to(w, Stap.CODES)
    page = w.currentPage()
    (oud, _row), combo = next(iter(page.combos.items()))
    other = next(i for i in range(1, combo.count()) if i != combo.currentIndex())
    combo.setCurrentIndex(other)
    combo.activated.emit(other)
    chosen = dict(w.state.code_keuzes)
    assert oud in chosen
    back_to(w, Stap.BESTANDEN)
    assert w.currentPage().load("nieuw", w.state.path("nieuw"))  # the same file again
    qtbot.waitUntil(lambda: "nieuw" in w.state.tables, timeout=20_000)
    assert w.state.code_keuzes == chosen
