"""Walk the whole wizard on the demo exports, offscreen, and check the written files."""

from __future__ import annotations

import csv

import numpy as np
from PySide6.QtCore import Qt
from walk import go_to_koppelen, with_twijfel_and_newcomer

from srgdesk.core.resources import resource_path
from srgdesk.core.review import GEACCEPTEERD, HANDMATIG
from srgdesk.gui.wizard import Stap


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


def test_walk_whole_wizard(qtbot, wizard, tmp_path):
    """Every kind of decision once, with the keys a user presses, then the files written."""
    w = wizard
    go_to_koppelen(qtbot, w, with_twijfel_and_newcomer(tmp_path))
    assert "Gekoppeld" in w.currentPage().summary.text()
    w.next()
    assert w.currentId() == Stap.CONTROLEREN
    page = w.currentPage()
    sessie = w.state.sessie
    open_before = sessie.tellingen()["open"]
    assert page.model.rowCount() == int(sessie.aandacht().sum())

    # Keyboard: Space accepts the selected proposed pair, Ctrl+Z takes it back.
    first = int(np.flatnonzero(sessie.te_beslissen())[0])
    page.view.selectRow(page.model.visual_row(first))
    qtbot.keyClick(page.view, Qt.Key.Key_Space)
    assert sessie.besluit[first] == GEACCEPTEERD
    qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sessie.tellingen()["open"] == open_before

    page.accept_all("zeker")
    page.accept_all("waarschijnlijk")
    counts = sessie.tellingen()
    assert counts["open_zeker"] == counts["open_waarschijnlijk"] == 0

    # The twijfel of the extra record: choose the other candidate.
    twijfel = int(np.flatnonzero(sessie.te_beslissen() & (sessie.zekerheid == "twijfel"))[0])
    other = next(o for o in sessie.alternatieven(twijfel) if o != sessie.gekozen[twijfel])
    page.apply_alternative(twijfel, other)
    chosen_pair = (int(sessie.oud_index[twijfel]), other)
    sessie.reject(np.flatnonzero(sessie.te_beslissen() | sessie.vervallen()))

    # Manual pair: one old record without a successor and the newcomer without predecessor.
    page.status_box.setCurrentIndex(page.status_box.findData("los"))
    view = page.model.view.tolist()
    old = next(r for r in view if sessie.oud_index[r] >= 0)
    new = next(r for r in view if sessie.status[r] == "nieuw")
    page.view.clearSelection()
    flags = page.view.selectionModel().SelectionFlag
    for row in (old, new):
        index = page.model.index(page.model.visual_row(row), 0)
        page.view.selectionModel().select(index, flags.Select | flags.Rows)
    page.pair_selected()
    assert sessie.besluit[old] == HANDMATIG
    manual = (int(sessie.oud_index[old]), int(sessie.nieuw_index[new]))

    pairs = sessie.final_pairs()
    assert chosen_pair in pairs
    assert manual in pairs
    w.next()
    assert w.currentId() == Stap.OPSLAAN
    out = tmp_path / "uit"
    w.currentPage().folder.setText(str(out))
    w.currentPage().save()
    qtbot.waitUntil(lambda: w.currentPage().isComplete(), timeout=20_000)
    names = {p.name for p in w.state.geschreven}
    assert {
        "conversiebestand.csv",
        "conversiebestand.xlsx",
        "overzicht_besluiten.csv",
        "overzicht_besluiten.xlsx",
    } <= names
    assert "geen BSN" in w.currentPage().result.text()

    # The conversiebestand holds exactly the accepted pairs whose key changed.
    resultaat = w.state.resultaat
    old_frame, new_frame = resultaat.oud.frame, resultaat.nieuw.frame
    expected = {
        (old_frame["registratienummer"].iat[o], new_frame["registratienummer"].iat[n])
        for o, n in pairs
        if old_frame["registratienummer"].iat[o] != new_frame["registratienummer"].iat[n]
    }
    rows = read_csv(out / "conversiebestand.csv")
    got = {
        (r["Registratienummer voorziening oud"], r["Registratienummer voorziening nieuw"])
        for r in rows
    }
    assert got == expected
    assert "BSN" not in rows[0]
    overzicht = read_csv(out / "overzicht_besluiten.csv")
    assert len(overzicht) == int(sessie.zichtbaar().sum())
    assert "bsn" not in overzicht[0]
    by_hand = sum(1 for r in overzicht if r["besluit"] == "met de hand")
    assert by_hand == int((sessie.besluit == HANDMATIG).sum()) == 2
    text = (out / "overzicht_besluiten.csv").read_text(encoding="utf-8-sig")
    for bsn in resultaat.regels["bsn"].head(50):
        assert not bsn or bsn not in text

    w.next()
    assert w.currentId() == Stap.MELDING


def test_contact_only_skips_to_melding(qtbot, wizard):
    wizard.pages[Stap.AANLEIDING].buttons["contact"].setChecked(True)
    wizard.next()
    assert wizard.currentId() == Stap.MELDING


def test_missing_required_column_is_red_and_blocks(qtbot, wizard):
    w = wizard
    w.load_demo()
    w.next()
    page = w.currentPage()
    panel = page.panels["oud"]
    combo = panel.combos["bsn"]
    combo.setCurrentIndex(0)
    panel._picked("bsn")
    assert not page.isComplete()
    assert "BSN" in panel.uitleg.text()
    assert "b00020" in panel.labels["bsn"].styleSheet()


def test_smoke_test_writes_png(tmp_path, monkeypatch):
    from srgdesk.gui.app import run_gui

    target = tmp_path / "smoke.png"
    assert run_gui(smoke_test=str(target)) == 0
    assert target.stat().st_size > 1000


def test_a_large_export_is_read_on_a_worker_and_the_page_waits_for_it(qtbot, wizard, tmp_path):
    from srgdesk.gui import page_bestanden

    wizard.load_demo()
    page = wizard.currentPage()
    big = tmp_path / "groot.csv"
    lines = resource_path("demo", "oud.csv").read_text(encoding="cp1252").splitlines()
    big.write_text("\n".join([lines[0], *lines[1:] * 2]) + "\n", encoding="cp1252")
    small_limit = page_bestanden.ASYNC_BYTES
    page_bestanden.ASYNC_BYTES = 1000  # make the demo file count as large
    try:
        assert page.load("oud", big)
        assert page.busy()  # the worker path ran: nothing is read on the GUI thread
        assert "oud" not in wizard.state.tables
        assert not page.isComplete()  # Volgende waits for the worker
        qtbot.waitUntil(lambda: "oud" in wizard.state.tables and not page.busy(), timeout=20_000)
    finally:
        page_bestanden.ASYNC_BYTES = small_limit
    assert page.isComplete()
    assert len(wizard.state.tables["oud"].regels) == 2 * (len(lines) - 1)
    assert "Bezig" not in page.panels["oud"].info.text()
