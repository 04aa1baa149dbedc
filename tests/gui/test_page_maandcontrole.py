"""The wizard's monthly check: first-page choice → Bestanden → Kolommen → Maandcontrole, the
signaleringen in a filterable table with BSNs masked, and Controleren + Opslaan only when
voorzieningen got a new number."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from srgdesk.core.controle import controleer
from srgdesk.core.export import load_export
from srgdesk.gui.app import make_app
from srgdesk.gui.page_maandcontrole import KOLOMMEN, MAANDCONTROLE, SignaleringenModel
from srgdesk.gui.wizard import SrgWizard, Stap

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
REGNR, BSN = "Registratienummer voorziening", "BSN"
COLUMN = {name: i for i, (_, name, _) in enumerate(KOLOMMEN)}


def _maandpaar():
    sys.path.insert(0, str(BENCHMARKS))  # maandpaar imports generate beside it
    spec = importlib.util.spec_from_file_location("maandpaar", BENCHMARKS / "maandpaar.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


maandpaar = _maandpaar()


def month_files(folder: Path, new_number: bool) -> tuple[Path, Path]:
    vorige, deze = maandpaar.month_pair(300, seed=11)
    running = deze.index[deze["Einddatum voorziening"] == ""]
    deze = deze.drop(index=running[0])  # VERDWENEN
    if new_number:
        deze.loc[running[1], REGNR] = "NIEUW0001"  # SLEUTEL_GEWIJZIGD
    return (
        maandpaar.write_csv(vorige, folder / "vorige.csv"),
        maandpaar.write_csv(deze, folder / "deze.csv"),
    )


def walk_to_maandcontrole(qtbot, w: SrgWizard, vorige: Path, deze: Path):
    w.pages[Stap.AANLEIDING].buttons[MAANDCONTROLE].setChecked(True)
    assert w.state.aanleiding == MAANDCONTROLE
    w.next()
    assert w.currentId() == Stap.BESTANDEN
    page = w.currentPage()
    assert page.load("oud", vorige)
    assert page.load("nieuw", deze)
    w.next()
    assert w.currentId() == Stap.KOLOMMEN
    w.next()
    assert w.currentId() == Stap.MAANDCONTROLE
    page = w.currentPage()
    qtbot.waitUntil(page.isComplete, timeout=20_000)
    return page


def test_the_first_page_offers_the_monthly_check(wizard):
    button = wizard.pages[Stap.AANLEIDING].buttons[MAANDCONTROLE]
    assert button.text() == "Maandelijkse controle (er is niets bewust veranderd)"


def test_signaleringen_are_shown_with_excel_rows_and_a_masked_bsn(qtbot, wizard, tmp_path):
    page = walk_to_maandcontrole(qtbot, wizard, *month_files(tmp_path, new_number=False))
    model = page.model
    assert model.rowCount() == 1
    value = model.index(0, COLUMN["code"]).data()
    assert value == "VERDWENEN"
    regel = int(model.index(0, COLUMN["regel"]).data())
    assert regel >= 2  # the Excel row number in the file of last month
    bsn = model.index(0, COLUMN["bsn"]).data()
    assert bsn.startswith("*****")
    assert len(bsn) == 9
    assert "VERDWENEN" in page.summary.text()
    assert page.detail.text().startswith("VERDWENEN (vorige, regel ")  # the full uitleg below


def test_a_month_without_new_numbers_finishes_on_the_check(qtbot, wizard, tmp_path):
    page = walk_to_maandcontrole(qtbot, wizard, *month_files(tmp_path, new_number=False))
    assert not page.nieuwe_nummers()
    assert wizard.nextId() == -1
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert not wizard.button(QWizard.WizardButton.NextButton).isVisible()
    assert "geen conversiebestand nodig" in page.status.text()


def test_new_numbers_continue_into_controleren_and_opslaan(qtbot, wizard, tmp_path):
    page = walk_to_maandcontrole(qtbot, wizard, *month_files(tmp_path, new_number=True))
    assert page.nieuwe_nummers()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.button(QWizard.WizardButton.NextButton).isVisible()
    wizard.next()
    assert wizard.currentId() == Stap.CONTROLEREN
    wizard.next()
    assert wizard.currentId() == Stap.OPSLAAN
    assert wizard.nextId() == -1  # no wijzigingsmelding after a monthly check


def test_the_report_is_saved_from_the_page_without_bsn(qtbot, wizard, tmp_path):
    vorige, deze = month_files(tmp_path, new_number=True)
    page = walk_to_maandcontrole(qtbot, wizard, vorige, deze)
    out = tmp_path / "rapport"
    page.save_report(out)
    qtbot.waitUntil(lambda: bool(page.geschreven), timeout=10_000)
    assert sorted(p.name for p in out.iterdir()) == ["controle.csv", "controle.xlsx"]
    text = (out / "controle.csv").read_text(encoding="utf-8-sig")
    assert "SLEUTEL_GEWIJZIGD" in text
    bsns = set(load_export(deze).voorzieningen.frame["bsn"])
    assert not any(b in text for b in bsns)


def test_the_model_filters_by_ernst_and_code(tmp_path, qtbot):
    make_app()
    vorige, deze = maandpaar.month_pair(300, seed=12)
    running = deze.index[deze["Einddatum voorziening"] == ""]
    deze = deze.drop(index=running[0])
    deze.loc[deze.index[-1], "Begindatum voorziening"] = "20240420"  # BEGIN_NA_VERSLAGMAAND
    v = maandpaar.write_csv(vorige, tmp_path / "v.csv")
    d = maandpaar.write_csv(deze, tmp_path / "d.csv")
    resultaat = controleer(load_export(v).voorzieningen, load_export(d).voorzieningen)
    model = SignaleringenModel()
    model.set_frame(resultaat.signaleringen)
    assert model.rowCount() == 2
    model.set_filter(ernst="waarschuwing")
    assert [model.index(r, COLUMN["code"]).data() for r in range(model.rowCount())] == [
        "BEGIN_NA_VERSLAGMAAND"
    ]
    model.set_filter(code="VERDWENEN")
    assert model.rowCount() == 1
    model.set_filter(ernst="fout", code="BEGIN_NA_VERSLAGMAAND")
    assert model.rowCount() == 0
    model.set_filter()
    assert model.rowCount() == 2
    tooltip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip == model.index(0, COLUMN["uitleg"]).data()


def test_a_monthly_check_resumes_on_the_check_with_its_decisions(qtbot, wizard, tmp_path):
    page = walk_to_maandcontrole(qtbot, wizard, *month_files(tmp_path, new_number=True))
    wizard.next()
    assert wizard.currentId() == Stap.CONTROLEREN
    sessie = wizard.state.sessie
    pair = np.flatnonzero(sessie.beslisbaar)[:1]
    sessie.reject(pair)
    expected = sessie.besluit.copy()
    wizard.save_now()
    wizard.close()

    again = SrgWizard()
    qtbot.addWidget(again)
    again.show()
    assert again.offer_resume()
    assert again.state.aanleiding == MAANDCONTROLE
    qtbot.waitUntil(lambda: again.currentId() == Stap.MAANDCONTROLE, timeout=20_000)
    page = again.currentPage()
    qtbot.waitUntil(page.isComplete, timeout=20_000)
    assert np.array_equal(again.state.sessie.besluit, expected)


def test_new_soort_codes_offer_the_vertaaltabel_email(qtbot, wizard, tmp_path):
    vorige, deze = maandpaar.month_pair(300, seed=13)
    new = ~deze[REGNR].isin(vorige[REGNR])
    deze.loc[new, "Soort voorziening"] = "PB"
    deze.loc[new, "Omschrijving voorziening"] = "Participatiebaan"
    v = maandpaar.write_csv(vorige, tmp_path / "vorige.csv")
    d = maandpaar.write_csv(deze, tmp_path / "deze.csv")
    page = walk_to_maandcontrole(qtbot, wizard, v, d)
    assert not page.email_button.isHidden()
    page.save_vertaaltabel(tmp_path / "mail")
    qtbot.waitUntil(lambda: bool(page.geschreven), timeout=10_000)
    eml = (tmp_path / "mail" / "vertaaltabelmelding.eml").read_text(encoding="utf-8")
    assert "SZ_SRG@cbs.nl" in eml
    assert not any(b in eml for b in deze[BSN])


def test_no_email_button_without_new_soort_codes(qtbot, wizard, tmp_path):
    page = walk_to_maandcontrole(qtbot, wizard, *month_files(tmp_path, new_number=False))
    assert page.email_button.isHidden()


def test_the_page_filters_follow_the_combo_boxes(qtbot, wizard, tmp_path):
    vorige, deze = month_files(tmp_path, new_number=True)
    page = walk_to_maandcontrole(qtbot, wizard, vorige, deze)
    assert page.model.rowCount() == 2  # VERDWENEN and SLEUTEL_GEWIJZIGD
    page.code_filter.setCurrentIndex(page.code_filter.findData("VERDWENEN"))
    assert page.model.rowCount() == 1
    assert page.detail.text().startswith("VERDWENEN")
    page.ernst_filter.setCurrentIndex(page.ernst_filter.findData("waarschuwing"))
    assert page.model.rowCount() == 0
    assert page.detail.text() == ""
    page.code_filter.setCurrentIndex(0)
    page.ernst_filter.setCurrentIndex(0)
    assert page.model.rowCount() == 2
