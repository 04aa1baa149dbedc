"""Issue 12.5-12.9 and 12.14: keys and focus on the review table, one truth in the table and its
counts, columns that fit a 1366 px screen."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox, QWizard
from walk import back_to, go_to_controleren, start, with_twijfel_and_newcomer

from srgdesk.core.review import AFGEWEZEN, GEACCEPTEERD, HANDMATIG, OPEN
from srgdesk.gui.review_model import COLUMNS
from srgdesk.gui.wizard import Stap

NAMES = [name for name, _ in COLUMNS]


def select(page, rows: list[int]) -> None:
    page.view.clearSelection()
    flags = page.view.selectionModel().SelectionFlag
    for row in rows:
        index = page.model.index(page.model.visual_row(row), 0)
        page.view.selectionModel().select(index, flags.Select | flags.Rows)
        page.view.selectionModel().setCurrentIndex(index, flags.NoUpdate)


def focused(page) -> bool:
    QApplication.processEvents()
    return page.view.hasFocus()


def test_the_table_has_focus_on_entry_and_after_every_action(qtbot, tmp_path):
    w = start(qtbot)
    go_to_controleren(qtbot, w, with_twijfel_and_newcomer(tmp_path))
    page = w.currentPage()
    assert focused(page)
    page.search.setFocus()
    page.accept_all("zeker")
    assert focused(page)
    page.search.setFocus()
    page.undo()
    assert focused(page)
    page.search.setFocus()
    twijfel = int(np.flatnonzero(w.state.sessie.zekerheid == "twijfel")[0])
    page.apply_alternative(twijfel, w.state.sessie.alternatieven(twijfel)[-1])
    assert focused(page)


def test_keys_act_on_the_selected_row_and_undo_selects_the_restored_row(qtbot):
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    page = w.currentPage()
    sessie = w.state.sessie
    page.view.selectRow(1)
    row = int(page.model.view[1])
    following = int(page.model.view[2])
    qtbot.keyClick(page.view, Qt.Key.Key_Space)
    assert sessie.besluit[row] == GEACCEPTEERD
    assert int(page.model.view[page.view.currentIndex().row()]) == following
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert sessie.besluit[following] == AFGEWEZEN
    qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sessie.besluit[following] == OPEN
    assert int(page.model.view[page.view.currentIndex().row()]) == following
    qtbot.keyClick(page.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sessie.besluit[row] == OPEN
    assert int(page.model.view[page.view.currentIndex().row()]) == row
    page.view.selectRow(0)
    qtbot.keyClick(page.view, Qt.Key.Key_Return)  # Enter accepts; it does not press Volgende
    assert w.currentId() == Stap.CONTROLEREN
    assert sessie.besluit[int(page.model.view[0])] != OPEN or sessie.tellingen()["geaccepteerd"]


def test_space_on_an_ontbreekt_row_explains_and_moves_on(qtbot):
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    page = w.currentPage()
    sessie = w.state.sessie
    missing = np.flatnonzero(sessie.status == "ontbreekt")
    assert missing.size
    visual = page.model.visual_row(int(missing[0]))
    page.view.selectRow(visual)
    qtbot.keyClick(page.view, Qt.Key.Key_Space)
    assert "staat niet in de nieuwe export" in page.message.text()
    assert "Met de hand koppelen" in page.message.text() or "met de" in page.message.text()
    assert "kies een regel met status" not in page.message.text()
    if visual < page.model.rowCount() - 1:
        assert page.view.currentIndex().row() == visual + 1


def mnemonics(w) -> list[str]:
    """The Alt letters a user can press on the current page, wizard buttons included."""
    texts = []
    page = w.currentPage()
    for widget in page.findChildren(QAbstractButton):
        if widget.isVisibleTo(page):
            texts.append(widget.text())
    for label in page.findChildren(QLabel):
        if label.buddy() is not None and label.isVisibleTo(page):
            texts.append(label.text())
    for which in (
        QWizard.WizardButton.BackButton,
        QWizard.WizardButton.NextButton,
        QWizard.WizardButton.FinishButton,
        QWizard.WizardButton.CancelButton,
    ):
        button = w.button(which)
        if button.isVisible():
            texts.append(button.text())
    return [m.lower() for t in texts for m in re.findall(r"&([^&\s])", t)]


def test_no_page_has_the_same_alt_letter_twice(qtbot, tmp_path):
    w = start(qtbot)
    seen = {}
    go_to_controleren(qtbot, w)
    w.next()
    w.currentPage().folder.setText(str(tmp_path / "uit"))
    w.currentPage().save()
    qtbot.waitUntil(lambda: w.currentPage().isComplete(), timeout=20_000)
    w.next()
    assert w.currentId() == Stap.MELDING
    while True:
        letters = mnemonics(w)
        seen[w.currentPage().title()] = letters
        if w.currentId() == Stap.AANLEIDING:
            break
        w.back()
    dupes = {t: sorted({x for x in v if v.count(x) > 1}) for t, v in seen.items()}
    assert {t: d for t, d in dupes.items() if d} == {}
    assert len(seen) >= 7


def test_choosing_another_keeps_every_row_consistent(qtbot, tmp_path):
    w = start(qtbot)
    go_to_controleren(qtbot, w, with_twijfel_and_newcomer(tmp_path))
    page = w.currentPage()
    sessie = w.state.sessie
    twijfel = int(np.flatnonzero(sessie.te_beslissen() & (sessie.zekerheid == "twijfel"))[0])
    choice = next(i for i in sessie.alternatieven(twijfel) if i != sessie.gekozen[twijfel])
    page.apply_alternative(twijfel, choice)
    page.status_box.setCurrentIndex(page.status_box.findData("alles"))
    shown = [page.model.cell(int(r), "nieuw") for r in page.model.view]
    shown = [k for k in shown if k]
    assert len(shown) == len(set(shown))  # every new record shown once
    for row in np.flatnonzero(sessie.beslisbaar & (sessie.besluit == OPEN)).tolist():
        page.view.clearSelection()
        select(page, [row])
        page.accept_selected()
        assert "kies een regel met status" not in page.message.text()
    assert len({n for _, n in sessie.final_pairs()}) == len(sessie.final_pairs())


def test_the_choice_dialog_shows_soort_and_dates(qtbot, tmp_path, monkeypatch):
    from srgdesk.gui import alternatives_dialog

    w = start(qtbot)
    go_to_controleren(qtbot, w, with_twijfel_and_newcomer(tmp_path))
    page = w.currentPage()
    sessie = w.state.sessie
    twijfel = int(np.flatnonzero(sessie.te_beslissen() & (sessie.zekerheid == "twijfel"))[0])
    select(page, [twijfel])
    seen = {}

    def fake_exec(dialog):
        table = dialog.table
        seen["header"] = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        seen["row"] = [table.item(0, c).text() for c in range(table.columnCount())]
        return 0

    monkeypatch.setattr(alternatives_dialog.AlternatievenDialog, "exec", fake_exec)
    page.choose_alternative()
    assert {"Soort", "Begin", "Eind"} <= set(seen["header"])
    assert re.match(r"\d\d-\d\d-\d{4}", seen["row"][seen["header"].index("Begin")])
    assert seen["row"][seen["header"].index("Soort")]


def test_manual_pairing_shows_what_differs_and_asks(qtbot, tmp_path, monkeypatch):
    w = start(qtbot)
    go_to_controleren(qtbot, w, with_twijfel_and_newcomer(tmp_path))
    page = w.currentPage()
    sessie = w.state.sessie
    page.status_box.setCurrentIndex(page.status_box.findData("los"))
    old = next(r for r in page.model.view.tolist() if sessie.oud_index[r] >= 0)
    new = next(r for r in page.model.view.tolist() if sessie.status[r] == "nieuw")
    asked = []

    def no(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(no))
    select(page, [old, new])
    page.pair_selected()
    assert sessie.besluit[old] == OPEN  # declined: nothing paired
    assert "verschil" in asked[0] or "komen overeen" in asked[0]
    if sessie.regels.at[old, "bsn"] != sessie.regels.at[new, "bsn"]:
        assert "andere persoon" in asked[0]
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    )
    select(page, [old, new])
    page.pair_selected()
    assert sessie.besluit[old] == HANDMATIG
    assert sessie.redenen[old]
    assert "Met de hand gekoppeld" in page.model.cell(old, "reden")


def test_twijfel_counts_agree_everywhere(qtbot, tmp_path):
    w = start(qtbot)
    go_to_controleren(qtbot, w, with_twijfel_and_newcomer(tmp_path))
    summary = w.pages[Stap.KOPPELEN].summary.text()
    paired_twijfel = int(re.search(r"Gekoppeld: \d+ .*twijfel (\d+)", summary).group(1))
    page = w.currentPage()
    counts_text = int(re.search(r"twijfel (\d+)", page.counts.text()).group(1))
    page.zekerheid_box.setCurrentIndex(page.zekerheid_box.findData("twijfel"))
    assert paired_twijfel == counts_text == page.model.rowCount() > 0


def test_essential_columns_fit_at_1366_and_widths_are_remembered(qtbot):
    w = start(qtbot)
    w.resize(1366, 768)
    go_to_controleren(qtbot, w)
    page = w.currentPage()
    QApplication.processEvents()
    essential = [NAMES.index(n) for n in NAMES if n != "reden"]
    right = max(page.view.columnViewportPosition(c) + page.view.columnWidth(c) for c in essential)
    assert right <= page.view.viewport().width()
    assert page.model.data(page.model.index(0, NAMES.index("reden")), Qt.ItemDataRole.ToolTipRole)
    page.view.setColumnWidth(NAMES.index("oud"), 222)
    w.back()
    w2 = start(qtbot)
    go_to_controleren(qtbot, w2)
    assert w2.currentPage().view.columnWidth(NAMES.index("oud")) == 222


def test_window_title_names_srgdesk_once(qtbot):
    w = start(qtbot)
    assert "srgdesk" not in w.windowTitle().lower()  # Qt appends the display name "srgdesk"
    assert QApplication.applicationDisplayName() == "srgdesk"


def test_save_folder_starts_beside_the_exports(qtbot):
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    w.next()
    folder = w.currentPage().folder.text()
    assert folder.startswith(str(w.state.path("nieuw").parent))


def test_overzicht_shows_the_chosen_record_in_full(qtbot, tmp_path):
    from srgdesk.core.besluiten import overzicht_besluiten

    w = start(qtbot)
    go_to_controleren(qtbot, w, with_twijfel_and_newcomer(tmp_path))
    page = w.currentPage()
    sessie = w.state.sessie
    twijfel = int(np.flatnonzero(sessie.te_beslissen() & (sessie.zekerheid == "twijfel"))[0])
    choice = next(i for i in sessie.alternatieven(twijfel) if i != sessie.gekozen[twijfel])
    page.apply_alternative(twijfel, choice)
    frame = overzicht_besluiten(sessie, w.state.resultaat.nieuw.frame)
    nieuw = w.state.resultaat.nieuw.frame.iloc[choice]
    row = frame[frame["nieuw_registratienummer"] == nieuw["registratienummer"]]
    assert len(row) == 1
    for column in ("nieuw_soort", "nieuw_begindatum", "nieuw_regel"):
        assert str(row[column].iat[0]) not in ("", "0")
    back_to(w, Stap.CONTROLEREN)


def read_csv(path):
    import csv

    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=";"))


def test_matches_and_overzicht_agree_with_the_decisions(qtbot, tmp_path):
    w = start(qtbot)
    go_to_controleren(qtbot, w, with_twijfel_and_newcomer(tmp_path))
    page = w.currentPage()
    sessie = w.state.sessie
    twijfel = int(np.flatnonzero(sessie.te_beslissen() & (sessie.zekerheid == "twijfel"))[0])
    choice = next(i for i in sessie.alternatieven(twijfel) if i != sessie.gekozen[twijfel])
    page.apply_alternative(twijfel, choice)
    page.accept_all("zeker")
    rejected = int(np.flatnonzero(sessie.te_beslissen())[0])
    sessie.reject([rejected])
    w.next()
    out = tmp_path / "uit"
    w.currentPage().folder.setText(str(out))
    w.currentPage().save()
    qtbot.waitUntil(lambda: w.currentPage().isComplete(), timeout=20_000)
    old, new = w.state.resultaat.oud.frame, w.state.resultaat.nieuw.frame
    pairs = {
        (old["registratienummer"].iat[o], new["registratienummer"].iat[n])
        for o, n in sessie.final_pairs()
    }
    matches = read_csv(out / "matches.csv")
    listed = {
        (r["oud_registratienummer"], r["nieuw_registratienummer"])
        for r in matches
        if r["oud_registratienummer"] and r["nieuw_registratienummer"]
    }
    assert pairs <= listed
    rejected_old = old["registratienummer"].iat[int(sessie.oud_index[rejected])]
    row = next(r for r in matches if r["oud_registratienummer"] == rejected_old)
    assert row["nieuw_registratienummer"] == ""
    assert row["status"] == "ontbreekt"
    news = [r["nieuw_registratienummer"] for r in matches if r["nieuw_registratienummer"]]
    assert len(news) == len(set(news))  # every new record once
    overzicht = read_csv(out / "overzicht_besluiten.csv")
    chosen = new["registratienummer"].iat[choice]
    row = next(r for r in overzicht if r["nieuw_registratienummer"] == chosen)
    assert row["besluit"] == "geaccepteerd"
    assert row["nieuw_soort"]
    assert row["nieuw_begindatum"]
