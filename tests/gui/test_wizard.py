"""Walk the whole wizard on the demo exports, offscreen, and check the written files."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from srgdesk.core.resources import resource_path
from srgdesk.core.review import GEACCEPTEERD, HANDMATIG
from srgdesk.gui.app import make_app
from srgdesk.gui.wizard import SrgWizard, Stap


@pytest.fixture
def wizard(qtbot):
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
    qtbot.waitUntil(lambda: w.currentPage().isComplete(), timeout=5_000)


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


@pytest.mark.parametrize("extra", [False, True], ids=["demo", "demo-met-twijfel"])
def test_walk_whole_wizard(qtbot, wizard, tmp_path, extra):
    w = wizard
    go_to_koppelen(qtbot, w, with_twijfel_and_newcomer(tmp_path) if extra else None)
    summary = w.currentPage().summary.text()
    assert "Gekoppeld" in summary
    w.next()
    assert w.currentId() == Stap.CONTROLEREN
    page = w.currentPage()
    sessie = w.state.sessie
    open_before = sessie.tellingen()["open"]
    assert page.model.rowCount() == int(sessie.aandacht().sum())

    # Keyboard: Space accepts the current row when it is a proposed pair.
    first = int(page.model.view[0])
    if sessie.beslisbaar[first]:
        page.view.setFocus()
        page.view.selectRow(0)
        qtbot.keyClick(page.view, Qt.Key.Key_Space)
        assert sessie.besluit[first] == GEACCEPTEERD
        qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert sessie.tellingen()["open"] == open_before

    page.accept_all("zeker")
    page.accept_all("waarschijnlijk")
    counts = sessie.tellingen()
    assert counts["open_zeker"] == counts["open_waarschijnlijk"] == 0

    twijfel = np.flatnonzero(sessie.te_beslissen() & (sessie.zekerheid == "twijfel"))
    chosen_pair = None
    for row in twijfel.tolist():
        options = sessie.alternatieven(row)
        taken = set(sessie._taken().tolist())
        free = [o for o in options[1:] if o not in taken]
        if free:
            page.apply_alternative(row, free[0])
            chosen_pair = (int(sessie.oud_index[row]), free[0])
            break
    if chosen_pair is None and twijfel.size:
        page.view.selectRow(page.model.visual_row(int(twijfel[0])))
        page.accept_selected()
        chosen_pair = (int(sessie.oud_index[twijfel[0]]), int(sessie.gekozen[twijfel[0]]))
    for row in np.flatnonzero(sessie.te_beslissen()).tolist():
        sessie.reject([row])

    # Manual pair: one old record without a successor and one new record without a predecessor.
    page.status_box.setCurrentIndex(page.status_box.findData("los"))
    view = page.model.view
    olds = [r for r in view.tolist() if sessie.oud_index[r] >= 0]
    news = [r for r in view.tolist() if sessie.status[r] == "nieuw"]
    manual = None
    if olds and news:
        page.view.clearSelection()
        for row in (olds[0], news[0]):
            index = page.model.index(page.model.visual_row(row), 0)
            page.view.selectionModel().select(
                index,
                page.view.selectionModel().SelectionFlag.Select
                | page.view.selectionModel().SelectionFlag.Rows,
            )
        page.pair_selected()
        assert sessie.besluit[olds[0]] == HANDMATIG
        manual = (int(sessie.oud_index[olds[0]]), int(sessie.nieuw_index[news[0]]))

    if extra:
        assert chosen_pair is not None
        assert manual is not None
    pairs = sessie.final_pairs()
    if chosen_pair:
        assert chosen_pair in pairs
    if manual:
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
    old, new = resultaat.oud.frame, resultaat.nieuw.frame
    expected = {
        (old["registratienummer"].iat[o], new["registratienummer"].iat[n])
        for o, n in pairs
        if old["registratienummer"].iat[o] != new["registratienummer"].iat[n]
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
    assert by_hand == int((sessie.besluit == HANDMATIG).sum()) >= (2 if manual else 0)
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
        assert page.busy() or "oud" in wizard.state.tables
        assert not page.isComplete() or not page.busy()
        qtbot.waitUntil(lambda: "oud" in wizard.state.tables and not page.busy(), timeout=20_000)
    finally:
        page_bestanden.ASYNC_BYTES = small_limit
    assert page.isComplete()
    assert len(wizard.state.tables["oud"].regels) == 2 * (len(lines) - 1)
    assert "Bezig" not in page.panels["oud"].info.text()
