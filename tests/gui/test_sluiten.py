"""Issue 12.2-12.4: Esc, Annuleren, the window's X and Voltooien never lose work silently; saving
waits and cancels cleanly."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QWizard
from walk import go_to_controleren, start

from srgdesk.core.output_files import OutputFile
from srgdesk.gui import page_opslaan
from srgdesk.gui.wizard import Stap


@pytest.fixture
def answer_no(monkeypatch):
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_esc_clears_the_search_and_never_closes(qtbot):
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    page = w.currentPage()
    page.search.setFocus()
    qtbot.keyClicks(page.search, "VZ")
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    assert w.isVisible()
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)  # empty box: still nothing closes
    qtbot.keyClick(page.view, Qt.Key.Key_Escape)
    assert w.isVisible()


def test_closing_with_undecided_work_asks_and_says_it_is_autosaved(qtbot, answer_no):
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    assert w.close() is False  # the window's X
    assert w.isVisible()
    w.reject()  # Annuleren
    assert w.isVisible()
    assert len(answer_no) == 2
    assert "nog geen besluit" in answer_no[0]
    assert "automatisch bewaard" in answer_no[0]


def test_closing_an_empty_wizard_does_not_ask(qtbot, answer_no):
    w = start(qtbot)
    assert w.close()
    assert answer_no == []


def test_voltooien_without_saved_email_asks(qtbot, answer_no):
    w = start(qtbot)
    w.pages[Stap.AANLEIDING].buttons["contact"].setChecked(True)
    w.next()
    assert w.currentId() == Stap.MELDING
    page = w.currentPage()
    for name, value in {  # a complete, valid email that was neither saved nor copied
        "gemeentecode": "1900",
        "berichtgevercode_oud": "1900",
        "ingangsmaand": "2027-01",
        "contact_naam": "Zoë Müller",
        "contact_email": "z.muller@sudwestfryslan.nl",
        "contact_telefoon": "06-12345678",
        "contact_oud_naam": "Jan Jansen",
    }.items():
        widget = page.inputs[name]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(value)
        else:
            widget.setText(value)
    assert page.has_unsaved_email()
    w.button(QWizard.WizardButton.FinishButton).click()
    assert w.isVisible()
    assert "nog niet opgeslagen" in answer_no[-1]
    page.has_unsaved_email = lambda: False  # saved or copied meanwhile: no question
    w.button(QWizard.WizardButton.FinishButton).click()
    assert not w.isVisible()


def slow_outputs(resultaat, pairs, formaat, met_bsn=False):
    """One file whose writer takes its time and checks the cancel flag, like the real ones."""

    def write(stream, voortgang):
        for _ in range(200):
            stream.write(b"x" * 1000)
            voortgang.check()
            time.sleep(0.02)

    return [OutputFile("conversiebestand.csv", write, 1)]


def test_saving_keeps_the_buttons_waiting_and_cancels_without_a_trace(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(page_opslaan, "output_files", slow_outputs)
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    w.next()
    assert w.currentId() == Stap.OPSLAAN
    page = w.currentPage()
    out = tmp_path / "uit"
    page.folder.setText(str(out))
    page.save()
    assert page.runner.busy()
    assert not w.button(QWizard.WizardButton.NextButton).isEnabled()
    assert not w.button(QWizard.WizardButton.BackButton).isEnabled()
    w.reject()  # Annuleren while writing; the conftest answers Yes to "close?"
    assert not page.runner.busy()
    assert not w.isVisible()
    assert not out.exists() or list(out.iterdir()) == []  # no .tmp, no half file
    QApplication.processEvents()


def test_what_is_saved_is_what_stood_when_opslaan_was_clicked(qtbot, tmp_path):
    """The worker writes a frozen copy: decisions made while it writes do not leak in."""
    w = start(qtbot)
    go_to_controleren(qtbot, w)
    sessie = w.state.sessie
    sessie.accept_zekerheid("zeker")
    at_click = sorted(sessie.final_pairs())
    w.next()
    page = w.currentPage()
    page.folder.setText(str(tmp_path / "uit"))
    page.save()
    sessie.accept_zekerheid("waarschijnlijk")  # the live session changes meanwhile
    assert sorted(sessie.final_pairs()) != at_click
    qtbot.waitUntil(page.isComplete, timeout=20_000)
    rows = (tmp_path / "uit" / "overzicht_besluiten.csv").read_text(encoding="utf-8-sig")
    assert rows.count(";geaccepteerd;") == len(at_click)
