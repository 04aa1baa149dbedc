"""Bestanden step: a workbook with several voorzieningen sheets in different layouts asks which
one; sheets without voorzieningen are skipped and named."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from exportgen import STANDAARD, Gen, gen_frame, workbook

from srgdesk.gui.wizard import SrgWizard


def bestanden(w: SrgWizard):
    w.state.aanleiding = "pakket"
    w.restart()
    w.next()
    return w.currentPage()


def test_several_voorzieningen_sheets_ask_which_one(qtbot, wizard, tmp_path):
    anders = {**STANDAARD, "bsn": "Burgerservicenummer"}
    path = workbook(
        tmp_path / "oud.xlsx",
        {"Lopend": gen_frame(Gen(rows=5)), "Historie": gen_frame(Gen(rows=7, headers=anders))},
    )
    page = bestanden(wizard)
    assert not page.load("oud", path)
    panel = page.panels["oud"]
    assert panel.sheet_row.isVisibleTo(panel)
    items = [panel.sheets.itemText(i) for i in range(panel.sheets.count())]
    assert items[1:] == ["Lopend (5 regels)", "Historie (7 regels)"]
    assert "oud" not in wizard.state.tables
    panel.sheets.setCurrentIndex(2)
    panel.sheets.activated.emit(2)
    assert wizard.state.tables["oud"].werkblad == "Historie"
    assert len(wizard.state.tables["oud"].regels) == 7


def test_sheets_without_voorzieningen_are_skipped_and_named(qtbot, wizard, tmp_path):
    path = workbook(
        tmp_path / "oud.xlsx",
        {"Telling": pd.DataFrame({"Product": ["A"], "Aantal": ["3"]}), "Data": gen_frame(Gen())},
    )
    page = bestanden(wizard)
    assert page.load("oud", path)
    assert wizard.state.tables["oud"].werkblad == "Data"
    assert "Werkblad 'Telling' overgeslagen" in page.panels["oud"].info.text()


def test_the_preview_masks_bsns_and_birth_dates(qtbot, wizard, tmp_path):
    path = tmp_path / "oud.csv"
    path.write_text(
        "Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Begindatum;Einddatum;Geb.datum\r\n"
        "0363;4021;012345672;0001;01;20240101;;17-03-1981\r\n",
        encoding="utf-8",
    )
    page = bestanden(wizard)
    assert page.load("oud", path)
    model = page.panels["oud"].model
    shown = [str(model._frame.iat[0, c]) for c in range(len(model._frame.columns))]
    assert "012345672" not in shown
    assert not any("1981" in cell for cell in shown)
