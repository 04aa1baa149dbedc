"""The Wijzigingsmelding page: prefill, live preview, inline messages and the three actions."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import email
import email.policy
from pathlib import Path

import pytest
from PySide6.QtGui import QDesktopServices, QGuiApplication

from srgdesk.core import melding as core
from srgdesk.gui.page_melding import MeldingPage

BSN = "123456782"  # passes the elfproef; a test number, not a person


@pytest.fixture
def page(qtbot):
    widget = MeldingPage()
    qtbot.addWidget(widget)
    return widget


def fill(page: MeldingPage, **values: str) -> None:
    defaults = {
        "pakket_oud": "SociaalPlein 3.2",
        "pakket_nieuw": "WerkWijzer 5.1",
        "ingangsmaand": "2027-01",
        "contact_naam": "Zoë Müller",
        "contact_email": "z.muller@sudwestfryslan.nl",
        "contact_telefoon": "06-12345678",
    }
    defaults.update(values)
    for name, value in defaults.items():
        page.inputs[name].setText(value)


def test_prefill_from_the_wizard(page):
    page.prefill("1900", "1900", "1900", "pakket", None, False)
    assert page.soort.currentData() == "softwarepakket"
    assert page.gemeentecode() == "1900"
    assert page.inputs["berichtgevercode_oud"].text() == "1900"
    assert page.inputs["berichtgevercode_nieuw"].text() == ""  # unchanged code
    assert page.conversie.currentData() == "portaal"
    assert "Súdwest-Fryslân" in page.onderwerp.text()


def test_live_preview_follows_the_form(page):
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    fill(page)
    assert "Nieuw softwarepakket: WerkWijzer 5.1" in page.preview.toPlainText()
    page.inputs["pakket_nieuw"].setText("Anders 2.0")
    assert "Nieuw softwarepakket: Anders 2.0" in page.preview.toPlainText()
    assert page.aan.text() == "SZ_Bijstand@cbs.nl"


def test_contact_only_is_reachable_directly(page):
    page.prefill(None, None, None, "contactpersoon", None, False)
    assert page.conversie.currentData() == "geen"
    assert not page.form.isRowVisible(page._rows["pakket_oud"])
    assert page.form.isRowVisible(page._rows["contact_oud_naam"])
    # Issue 12 item 15: the old name is not required (the same person may get a new number).
    assert not page.labels["contact_oud_naam"].text().endswith("*")


def test_missing_fields_shown_on_save_wrong_values_at_once(page, tmp_path):
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    page.inputs["contact_email"].setText("geen-adres")
    assert "naam@gemeente.nl" in page.errors["contact_email"].text()
    assert page.errors["contact_naam"].text() == ""  # not nagging before the first save
    assert page.save_to(tmp_path / "concept.eml") is False
    assert "Vul de naam van de contactpersoon in" in page.errors["contact_naam"].text()
    assert "rood" in page.status.text()
    assert list(tmp_path.iterdir()) == []


def test_save_writes_eml_and_txt(page, tmp_path):
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    fill(page)
    page.opmerking.setPlainText("Vragen over reïntegratie? Bel ons.")
    assert page.save_to(tmp_path / "melding.eml")
    message = email.message_from_bytes(
        (tmp_path / "melding.eml").read_bytes(), policy=email.policy.default
    )
    assert message["X-Unsent"] == "1"
    assert "reïntegratie" in message.get_content()
    assert (tmp_path / "melding.txt").exists()
    assert "Opgeslagen" in page.status.text()


def test_bsn_blocks_every_action(page, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    fill(page)
    page.opmerking.setPlainText(f"cliënt {BSN}")
    assert "BSN" in page.errors["opmerking"].text()
    QGuiApplication.clipboard().setText("leeg")
    assert page.save_to(tmp_path / "x.eml") is False
    assert page.copy_text() is False
    assert page.open_in_mail() is False
    assert QGuiApplication.clipboard().text() == "leeg"
    assert opened == []
    assert list(tmp_path.iterdir()) == []


def test_copy_and_open_in_mail(page, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    fill(page)
    assert page.copy_text()
    assert QGuiApplication.clipboard().text().startswith("Geachte heer, mevrouw,")
    assert page.mail_button.isEnabled()
    assert page.open_in_mail()
    assert opened
    assert opened[0].toString().startswith("mailto:SZ_Bijstand@cbs.nl")


def test_open_in_mail_disabled_for_long_text(page):
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    fill(page)
    page.opmerking.setPlainText("Een lange toelichting. " * 40)
    assert not page.mail_button.isEnabled()
    assert str(core.MAILTO_MAX) in page.mail_button.toolTip()


def test_attachment_offered_only_without_bsn(page, tmp_path):
    bestand = tmp_path / "conversiebestand.csv"
    bestand.write_text("oud;nieuw\nRV-1;NW-1\n", encoding="utf-8")
    page.prefill("1970", "1970", "0871", "berichtgever", bestand, False)
    assert page.conversie.currentData() == "portaal"  # attached only when the user asks
    assert page.bijlage.text() == str(bestand)
    page.conversie.setCurrentIndex(page.conversie.findData("bijlage"))
    assert "als bijlage" in page.preview.toPlainText()
    assert not page.mail_button.isEnabled()  # a mailto: link cannot carry the file

    page.prefill("1970", "1970", "0871", "berichtgever", bestand, True)
    assert page.conversie.currentData() == "portaal"
    item = page.conversie.model().item(page.conversie.findData("bijlage"))
    assert not item.isEnabled()
    assert page.bsn_note.isVisibleTo(page)
    assert "via het CBS-portaal" in page.preview.toPlainText()


def test_expired_gemeente_from_an_old_export(page):
    page.prefill("0017", None, None, "softwarepakket", None, False)
    assert page.gemeentecode() == "0017"
    assert "Groningen (0014)" in page.errors["gemeentecode"].text()


def test_gemeente_typed_by_name_or_code(page):
    page.gemeente.setEditText("Amsterdam")
    assert page.gemeentecode() == "0363"
    page.gemeente.setEditText("GM0796")
    assert page.gemeentecode() == "0796"
    page.gemeente.setEditText("Den Haag")  # an alias, through the core's one parser
    assert page.gemeentecode() == "0518"
    page.gemeente.setEditText("Nergensdorp")
    assert page.gemeentecode() == "Nergensdorp"
    assert "bestaat niet" in page.errors["gemeentecode"].text()


def test_default_save_name(page, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    seen = {}

    def fake_dialog(parent, title, start, filters):
        seen["start"] = start
        return str(tmp_path / "gekozen"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    fill(page)
    page.save_button.click()
    assert Path(seen["start"]).name == "wijzigingsmelding.eml"
    assert (tmp_path / "gekozen.eml").exists()
    assert (tmp_path / "gekozen.txt").exists()


def test_form_is_built_from_the_field_table(page):
    """Issue 14 item 3: one widget per row of core.VELDEN, named and captioned from it."""
    assert list(page.inputs) == [veld.naam for veld in core.VELDEN]
    for veld in core.VELDEN:
        assert page.inputs[veld.naam].objectName() == veld.naam
        assert page.labels[veld.naam].text().removesuffix(" *") == veld.label
    keuzes = [page.soort.itemData(i) for i in range(page.soort.count())]
    assert keuzes == list(core.SOORTEN)


def test_same_contact_new_phone_needs_no_old_name(page, tmp_path):
    """Issue 12 item 15."""
    page.prefill("1900", "1900", None, "contactpersoon", None, False)
    fill(page, contact_oud_telefoon="0515-123456")
    assert page.inputs["contact_oud_naam"].text() == ""
    assert page.save_to(tmp_path / "melding.eml")
    assert "Telefoon: 0515-123456" in page.preview.toPlainText()


def test_not_ready_message_goes_away_when_the_form_is_valid(page, tmp_path):
    """Issue 12 item 15: the red status text is not left behind once everything is right."""
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    assert page.save_to(tmp_path / "x.eml") is False
    assert "nog niet klaar" in page.status.text()
    fill(page, contact_telefoon="")
    assert "nog niet klaar" in page.status.text()  # still one field missing
    page.inputs["contact_telefoon"].setText("06-12345678")
    assert page.status.text() == ""


def test_has_unsaved_email(page, tmp_path):
    """The wizard asks this before Voltooien closes (issue 12 item 3)."""
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    assert not page.has_unsaved_email()  # nothing valid composed yet
    fill(page)
    assert page.has_unsaved_email()
    assert page.save_to(tmp_path / "melding.eml")
    assert not page.has_unsaved_email()
    page.opmerking.setPlainText("Nog een zin.")
    assert page.has_unsaved_email()
    assert page.copy_text()
    assert not page.has_unsaved_email()
    page.opmerking.setPlainText(f"klant {BSN}")
    assert not page.has_unsaved_email()  # not a valid email: nothing to lose


@pytest.mark.parametrize(
    "number", ["123\u00a0456\u00a0782", "1 2 3 4 5 6 7 8 2", "\uff11\uff12\uff13456782"]
)
def test_grouped_bsn_is_shown_next_to_its_field(page, number):
    page.prefill("1900", "1900", None, "softwarepakket", None, False)
    fill(page, pakket_nieuw=f"Pakket {number}")
    assert "BSN" in page.errors["pakket_nieuw"].text()
    assert number not in page.errors["pakket_nieuw"].text()
