"""Kolommen step: a missing code column gets one value, the verslagmaand is shown and can be
changed, eaten leading zeros are offered back (never restored silently), and problem lists
never show a BSN or a geboortedatum."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from exportgen import STANDAARD, Gen

from srgdesk.gui.mapping_panel import problems_frame
from srgdesk.gui.wizard import SrgWizard, Stap

ZONDER_CODES = {k: v for k, v in STANDAARD.items() if k not in ("gemeentecode", "berichtgevercode")}


def to_kolommen(w: SrgWizard, oud: Path, nieuw: Path):
    w.state.aanleiding = "pakket"
    w.restart()
    w.next()
    page = w.currentPage()
    assert page.load("oud", oud)
    assert page.load("nieuw", nieuw)
    w.next()
    assert w.currentId() == Stap.KOLOMMEN
    return w.currentPage()


def test_a_missing_code_column_is_given_once_and_unblocks(qtbot, wizard, tmp_path):
    oud = Gen(headers=ZONDER_CODES).write(tmp_path / "SRG_202312.csv")
    nieuw = Gen(seed=2).write(tmp_path / "nieuw.csv")
    page = to_kolommen(wizard, oud, nieuw)
    panel = page.panels["oud"]
    assert not page.isComplete()
    assert "vul rechts één waarde in" in panel.notes["gemeentecode"].text()
    panel.vast_edits["gemeentecode"].setText("Den Haag")
    panel.vast_edits["gemeentecode"].editingFinished.emit()
    panel.vast_edits["berichtgevercode"].setText("4021")
    panel.vast_edits["berichtgevercode"].editingFinished.emit()
    assert page.isComplete()
    assert set(panel.result.frame["gemeentecode"]) == {"0518"}
    assert panel.vast_edits["gemeentecode"].text() == "0518"
    assert "december 2023 (uit de bestandsnaam)" in panel.uitleg.text()


def test_a_wrong_fixed_value_is_shown_in_red_and_changes_nothing(qtbot, wizard, tmp_path):
    oud = Gen(headers=ZONDER_CODES).write(tmp_path / "oud.csv")
    page = to_kolommen(wizard, oud, Gen(seed=2).write(tmp_path / "nieuw.csv"))
    panel = page.panels["oud"]
    panel.set_vast("berichtgevercode", "40211")
    assert "4 cijfers" in panel.notes["berichtgevercode"].text()
    assert "berichtgevercode" not in panel.mapping.vast


def test_the_user_can_change_the_verslagmaand(qtbot, wizard, tmp_path):
    page = to_kolommen(
        wizard, Gen().write(tmp_path / "oud.csv"), Gen(seed=2).write(tmp_path / "nieuw.csv")
    )
    panel = page.panels["nieuw"]
    assert "geschat uit de begindata" in panel.uitleg.text()
    panel.set_vast("verslagmaand", "2024-02")
    assert "februari 2024 (door u opgegeven)" in panel.uitleg.text()
    assert panel.export.periode.maand == "202402"


def test_eaten_leading_zeros_are_offered_back_only_on_request(qtbot, wizard, tmp_path):
    oud = Gen(zonder_nullen=True).write(tmp_path / "oud.csv")
    nieuw = Gen(seed=2, registratienummer_breedte=10).write(tmp_path / "nieuw.csv")
    page = to_kolommen(wizard, oud, nieuw)
    assert page.nullen_keuze.isVisibleTo(page)
    assert "voorloopnullen" in page.nullen_uitleg.text()
    assert page.panels["oud"].result.frame["registratienummer"].iat[0] == "1000"
    page.nullen_keuze.setChecked(True)
    assert page.panels["oud"].result.frame["registratienummer"].iat[0] == "0000001000"
    assert page.panels["oud"].mapping.nullen == 10
    page.nullen_keuze.setChecked(False)
    assert page.panels["oud"].result.frame["registratienummer"].iat[0] == "1000"


def test_problem_lists_never_show_a_bsn_or_a_geboortedatum(qtbot, wizard, tmp_path):
    path = tmp_path / "oud.csv"
    path.write_text(
        "Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Begindatum;Einddatum;Geboortedatum\r\n"
        "0363;4021;012345672;0001;01;20240101;;17-03-1981\r\n"
        "0363;4021;123456789;0002;01;20240101;;31-02-1980\r\n"
        "0363;4021;012345672;0003;01;20240101;;30-02-1979\r\n",
        encoding="utf-8",
    )
    page = to_kolommen(wizard, path, Gen(seed=2).write(tmp_path / "nieuw.csv"))
    combo = page.panels["oud"].combos["geboortedatum"]
    items = " ".join(combo.itemText(i) for i in range(combo.count()))
    assert "Geboortedatum" in items
    assert "1981" not in items
    assert "012345672" not in items
    frame = problems_frame(page.panels["oud"].result)
    text = " ".join(frame["Reden"])
    assert "Geboortedatum" in text
    for private in ("123456789", "1980", "1979"):
        assert private not in text


def test_fixed_values_and_leading_zeros_survive_a_restart(qtbot, wizard, tmp_path):
    from srgdesk.gui.settings import session_path

    oud = Gen(headers=ZONDER_CODES, zonder_nullen=True).write(tmp_path / "oud.csv")
    nieuw = Gen(seed=2, registratienummer_breedte=10).write(tmp_path / "nieuw.csv")
    page = to_kolommen(wizard, oud, nieuw)
    panel = page.panels["oud"]
    panel.set_vast("gemeentecode", "0363")
    panel.set_vast("berichtgevercode", "4021")
    page.nullen_keuze.setChecked(True)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.state.sessie is not None, timeout=20_000)
    wizard.save_now()
    qtbot.waitUntil(lambda: session_path().is_file(), timeout=20_000)
    wizard.close()

    again = SrgWizard()
    qtbot.addWidget(again)
    again.show()
    assert again.offer_resume()
    qtbot.waitUntil(lambda: "oud" in again.state.voorzieningen, timeout=20_000)
    restored = again.state.voorzieningen["oud"].frame
    assert set(restored["gemeentecode"]) == {"0363"}
    assert restored["registratienummer"].iat[0] == "0000001000"
