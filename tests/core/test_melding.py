"""The wijzigingsmelding: validation, text per kind of change, .eml format and the BSN guard."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import pytest

from srgdesk.core import melding as core
from srgdesk.core.errors import InvoerFout
from srgdesk.core.melding import Wijzigingsmelding

DATA = Path(__file__).resolve().parent.parent / "data" / "melding"
SOORTEN = ["softwarepakket", "berichtgever", "contactpersoon", "herindeling"]
BSN = "123456782"  # passes the elfproef; a test number, not a person


def basis(**changes) -> Wijzigingsmelding:
    values = {
        "soort": "softwarepakket",
        "gemeentecode": "1900",
        "berichtgevercode_oud": "1900",
        "pakket_oud": "SociaalPlein 3.2",
        "pakket_nieuw": "WerkWijzer 5.1",
        "ingangsmaand": "2027-01",
        "contact_naam": "Zoë Müller",
        "contact_email": "z.muller@sudwestfryslan.nl",
        "contact_telefoon": "06-12345678",
        "opmerking": "Voorzieningen voor reïntegratie lopen door.",
    }
    values.update(changes)
    return Wijzigingsmelding(**values)


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def write(melding: Wijzigingsmelding, folder: Path) -> tuple[email.message.EmailMessage, bytes]:
    eml, _txt = core.write_melding(melding, folder)
    data = eml.read_bytes()
    return parse(data), data


# --- .eml format ------------------------------------------------------------------------


def test_eml_headers_and_encoding(tmp_path):
    message, raw = write(basis(), tmp_path)
    assert message["To"] == "SZ_Bijstand@cbs.nl"
    assert message["X-Unsent"] == "1"
    assert message["From"] is None
    assert message["Subject"] == (
        "Wijzigingsmelding SRG gemeente Súdwest-Fryslân (1900): ander softwarepakket vanaf "
        "januari 2027"
    )
    assert b"=?utf-8?q?S=C3=BAdwest-Frysl=C3=A2n?=" in raw  # RFC 2047, not raw UTF-8
    assert raw.isascii()
    assert raw.count(b"\n") == raw.count(b"\r\n")  # CRLF everywhere
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert message["Content-Transfer-Encoding"] == "quoted-printable"
    body = message.get_content()
    assert "Zoë Müller" in body
    assert "reïntegratie" in body
    assert "Súdwest-Fryslân" in body
    assert b"Zo=C3=AB M=C3=BCller" in raw
    assert "é" in core.render(basis(contact_naam="René").normalised()).tekst


def test_txt_has_the_same_text_with_bom_and_crlf(tmp_path):
    eml, txt = core.write_melding(basis(), tmp_path)
    assert (eml.name, txt.name) == ("wijzigingsmelding.eml", "wijzigingsmelding.txt")
    data = txt.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\n") == data.count(b"\r\n")
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    assert text.startswith("Aan: SZ_Bijstand@cbs.nl\nOnderwerp: Wijzigingsmelding SRG")
    assert parse(eml.read_bytes()).get_content().replace("\r\n", "\n") in text


# --- content per kind of change --------------------------------------------------------


@pytest.mark.parametrize("soort", SOORTEN)
def test_reviewed_examples_are_reproduced(soort, tmp_path):
    """The examples in tests/data/melding were read as CBS would; a template change that alters
    them must be reviewed again (regenerate with `srgdesk melding --invoer ... -o ...`)."""
    folder = DATA / soort
    eml, txt = core.write_melding(core.read_invoer(folder / "invoer.toml"), tmp_path)
    assert eml.read_bytes() == (folder / "wijzigingsmelding.eml").read_bytes()
    assert txt.read_bytes() == (folder / "wijzigingsmelding.txt").read_bytes()


def _body(soort: str, tmp_path: Path) -> tuple[email.message.EmailMessage, str]:
    """Fresh output for the example input of `soort`, parsed as a mail program would."""
    melding = core.read_invoer(DATA / soort / "invoer.toml")
    message, _raw = write(melding, tmp_path / soort)
    part = message.get_body(preferencelist=("plain",))
    return message, part.get_content()


def test_softwarepakket_text(tmp_path):
    message, body = _body("softwarepakket", tmp_path)
    assert "ander softwarepakket" in message["Subject"]
    for expected in (
        "Softwarepakket tot nu toe: SociaalPlein 3.2",
        "Nieuw softwarepakket: WerkWijzer 5.1",
        "verslagmaand januari 2027",
        "Berichtgevercode: 1900",
        "via het CBS-portaal",
        "Telefoon: 0515 48 90 00",
        "SZ_SRG@cbs.nl",
        "geen BSN",
    ):
        assert expected in body
    assert "Nieuwe berichtgevercode" not in body  # empty lines are left out
    assert "Tot nu toe waren" not in body  # no old contact given
    assert not message.is_multipart()


def test_berichtgever_text_and_attachment(tmp_path):
    message, body = _body("berichtgever", tmp_path)
    assert "andere berichtgever" in message["Subject"]
    for expected in (
        "Berichtgevercode tot nu toe: 1970",
        "Nieuwe berichtgevercode: 0871",
        "zit als bijlage bij deze e-mail: conversiebestand.csv",
        "Tot nu toe waren dit de contactgegevens:",
        "Naam: Pieter Hoekstra",
        "inloggegevens voor het CBS-portaal",
    ):
        assert expected in body
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["conversiebestand.csv"]
    assert attachments[0].get_content().replace("\r\n", "\n") == (
        DATA / "berichtgever" / "conversiebestand.csv"
    ).read_text(encoding="utf-8")


def test_contactpersoon_text(tmp_path):
    message, body = _body("contactpersoon", tmp_path)
    assert "nieuwe contactgegevens" in message["Subject"]
    assert "'s-Hertogenbosch" in message["Subject"]
    for expected in (
        "Naam: Anouk Bakker",
        "Naam: René Smits",
        "E-mail: r.smits@s-hertogenbosch.nl",
        "geen conversiebestand nodig",
        "uit uw administratie halen",
    ):
        assert expected in body


def test_herindeling_text_names_the_old_gemeenten(tmp_path):
    message, body = _body("herindeling", tmp_path)
    assert "gemeentelijke herindeling" in message["Subject"]
    for expected in (
        "Op 1 januari 2023",
        "- Brielle (gemeentecode 0501)",
        "- Hellevoetsluis (gemeentecode 0530)",
        "- Westvoorne (gemeentecode 0614)",
        "onder gemeentecode 1992",
        "Nieuwe berichtgevercode: 1992",
    ):
        assert expected in body


def test_herindeling_not_in_list_needs_old_codes():
    melding = basis(soort="herindeling", gemeentecode="0363", ingangsmaand="2027-01")
    fouten = core.valideer(melding.normalised())
    assert [f.veld for f in fouten] == ["gemeentecodes_oud"]
    given_codes = replace(melding, gemeentecodes_oud="0437, 0441").normalised()
    assert core.valideer(given_codes) == []
    tekst = core.render(given_codes).tekst
    assert "- Ouder-Amstel (gemeentecode 0437)" in tekst
    assert "Op 1 januari 2027" in tekst


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("soort", "veld"),
    [
        ("softwarepakket", "pakket_nieuw"),
        ("berichtgever", "berichtgevercode_nieuw"),
        ("contactpersoon", "contact_oud_naam"),
        ("herindeling", "contact_email"),
    ],
)
def test_required_field_per_kind(soort, veld):
    melding = basis(
        soort=soort,
        gemeentecode="1992" if soort == "herindeling" else "1900",
        ingangsmaand="2023-01" if soort == "herindeling" else "2027-01",
        berichtgevercode_nieuw="0871",
        contact_oud_naam="Jan Jansen",
    )
    assert core.valideer(melding.normalised()) == []
    fouten = core.valideer(replace(melding, **{veld: ""}).normalised())
    assert [(f.veld, f.ontbreekt) for f in fouten] == [(veld, True)]
    assert fouten[0].tekst.startswith("Vul ")
    with pytest.raises(InvoerFout, match=veld):
        core.maak_concept(replace(melding, **{veld: ""}))


def test_same_contact_with_new_phone_needs_no_old_name():
    """Issue 12 item 15: the old name is not required when the person stays the same."""
    melding = basis(
        soort="contactpersoon", contact_oud_telefoon="0515-123456", conversiebestand="geen"
    )
    assert core.valideer(melding.normalised()) == []
    tekst = core.render(melding.normalised()).tekst
    assert "Tot nu toe waren dit de contactgegevens:\n- Telefoon: 0515-123456\n" in tekst
    assert "- Naam: \n" not in tekst


def test_contact_change_needs_something_old():
    fouten = core.valideer(basis(soort="contactpersoon").normalised())
    assert [(f.veld, f.ontbreekt) for f in fouten] == [("contact_oud_naam", True)]
    assert "wat gelijk blijft, mag leeg" in fouten[0].tekst
    zelfde = basis(soort="contactpersoon", contact_oud_telefoon="06-12345678")
    assert [f.veld for f in core.valideer(zelfde.normalised())] == ["contact_naam"]


def test_every_field_has_a_row_in_the_field_table():
    assert [v.naam for v in core.VELDEN] != list(core.INVOER_SLEUTELS)  # form order differs
    assert sorted(v.naam for v in core.VELDEN) == sorted(core.INVOER_SLEUTELS)
    for veld in core.VELDEN:
        assert veld.label
        assert veld.kort
        assert veld.met_lidwoord
        assert (veld.invoer == core.Invoer.KEUZE) == bool(veld.keuzes)


@pytest.mark.parametrize(
    ("changes", "veld", "woord"),
    [
        ({"contact_email": "zoe.gemeente.nl"}, "contact_email", "naam@gemeente.nl"),
        ({"contact_telefoon": "12345"}, "contact_telefoon", "10 cijfers"),
        ({"ingangsmaand": "januari"}, "ingangsmaand", "JJJJ-MM"),
        ({"berichtgevercode_oud": "12a"}, "berichtgevercode_oud", "4 cijfers"),
        ({"gemeentecode": "0017"}, "gemeentecode", "Groningen (0014)"),
        ({"gemeentecode": "9999"}, "gemeentecode", "bestaat niet"),
        ({"soort": "verhuizing"}, "soort", "Kies de soort"),
        ({"conversiebestand": "fax"}, "conversiebestand", "portaal, bijlage of geen"),
        ({"pakket_nieuw": "SociaalPlein 3.2"}, "pakket_nieuw", "gelijk aan het oude"),
    ],
)
def test_wrong_values_have_dutch_messages(changes, veld, woord):
    fouten = core.valideer(basis(**changes).normalised())
    assert veld in [f.veld for f in fouten]
    assert any(woord in f.tekst for f in fouten if f.veld == veld)


@pytest.mark.parametrize(
    "telefoon",
    [
        "06-12345678",
        "0201234567",
        "+31 6 12345678",
        "+31 (0)20 123 45 67",
        "0031612345678",
        "+32 2 123 45 67",
    ],
)
def test_phone_formats_accepted(telefoon):
    assert core.telefoon_is_geldig(telefoon)


def test_normalising_pads_codes_and_months():
    m = basis(gemeentecode="GM363", berichtgevercode_oud="12", ingangsmaand="2027-1").normalised()
    assert (m.gemeentecode, m.berichtgevercode_oud, m.ingangsmaand) == ("0363", "0012", "2027-01")
    assert m.conversiebestand == "portaal"
    assert basis(gemeentecode="'s-Gravenhage").normalised().gemeentecode == "0518"
    assert basis(gemeentecode="Den Haag").normalised().gemeentecode == "0518"
    assert basis(soort="contactpersoon").normalised().conversiebestand == "geen"


def test_past_ingangsmaand_is_a_warning_not_an_error():
    from datetime import date

    melding = basis(ingangsmaand="2026-01").normalised()
    assert core.valideer(melding) == []
    assert "verleden" in core.waarschuwingen(melding, vandaag=date(2026, 11, 28))[0]
    assert core.waarschuwingen(basis().normalised(), vandaag=date(2026, 11, 28)) == []


# --- BSN guard ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "veld",
    [f for f in core.INVOER_SLEUTELS if f not in ("soort", "conversiebestand", "bijlage_pad")],
)
def test_bsn_in_any_field_blocks_the_draft(veld, tmp_path):
    melding = replace(basis(), **{veld: f"x {BSN} x"})
    with pytest.raises(InvoerFout, match="BSN") as info:
        core.write_melding(melding, tmp_path)
    assert BSN not in info.value.melding  # the message never repeats the number
    assert list(tmp_path.iterdir()) == []


def test_bsn_in_template_blocks_writing(tmp_path):
    sjabloon = core.load_sjabloon()
    bad = replace(sjabloon, brief=sjabloon.brief + "\nReferentie 1234.56.782\n")
    with pytest.raises(InvoerFout, match="BSN"):
        core.write_melding(basis(), tmp_path, sjabloon=bad)
    assert list(tmp_path.iterdir()) == []


# --- attachment rule ---------------------------------------------------------------------


def _csv(tmp_path: Path, rows: list[str], name: str = "conversie.csv") -> Path:
    path = tmp_path / name
    path.write_text(
        "registratienummer_oud;registratienummer_nieuw\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return path


def test_attachment_only_when_asked(tmp_path):
    bestand = _csv(tmp_path, ["RV-1;NW-1"])
    out = tmp_path / "uit"
    portaal, _ = write(basis(bijlage_pad=str(bestand)), out)
    assert not portaal.is_multipart()
    assert "via het CBS-portaal" in portaal.get_content()
    bijlage, _ = write(basis(conversiebestand="bijlage", bijlage_pad=str(bestand)), out)
    assert [a.get_filename() for a in bijlage.iter_attachments()] == ["conversie.csv"]
    assert "als bijlage" in bijlage.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.parametrize("cell", [BSN, "12345672", "123.456.782"])
def test_attachment_with_bsn_is_refused(cell, tmp_path):
    bestand = _csv(tmp_path, ["RV-1;NW-1", f"RV-2;{cell}"])
    melding = basis(conversiebestand="bijlage", bijlage_pad=str(bestand))
    fouten = core.valideer(melding.normalised())
    assert [f.veld for f in fouten] == ["bijlage_pad"]
    assert "portaal" in fouten[0].tekst
    with pytest.raises(InvoerFout, match="BSN"):
        core.write_melding(melding, tmp_path / "uit")
    assert not (tmp_path / "uit").exists()


def test_xlsx_attachment_is_scanned(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "conversie.xlsx"
    workbook = Workbook()
    workbook.active.append(["oud", "nieuw"])
    workbook.active.append(["RV-1", 12345672])  # an 8-digit BSN as an Excel number
    workbook.save(path)
    assert core.bijlage_bevat_bsn(path)
    workbook.active["B2"] = "NW-1"
    workbook.save(path)
    assert not core.bijlage_bevat_bsn(path)
    message, _ = write(basis(conversiebestand="bijlage", bijlage_pad=str(path)), tmp_path / "uit")
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type().endswith("spreadsheetml.sheet")


def test_attachment_needs_a_usable_file(tmp_path):
    for pad, woord in [
        ("", "Kies het conversiebestand"),
        (str(tmp_path / "weg.csv"), "niet gevonden"),
        (str(tmp_path / "x.pdf"), ".xlsx, .csv"),
    ]:
        fouten = core.valideer(basis(conversiebestand="bijlage", bijlage_pad=pad).normalised())
        assert any(woord in f.tekst for f in fouten), pad


# --- template, mailto, launch ------------------------------------------------------------


def test_unknown_placeholder_in_template_is_a_clear_error():
    sjabloon = core.load_sjabloon()
    bad = replace(sjabloon, brief="Beste ${naam_cbs}")
    with pytest.raises(InvoerFout, match=r"\$naam_cbs"):
        core.render(basis().normalised(), bad)


def test_own_template_file(tmp_path):
    text = (
        core.resource_path("melding", "sjabloon.toml")
        .read_text(encoding="utf-8")
        .replace("Geachte heer, mevrouw,", "Beste collega's van CBS,")
    )
    eigen = tmp_path / "eigen.toml"
    eigen.write_text(text, encoding="utf-8")
    assert core.render(basis().normalised(), core.load_sjabloon(eigen)).tekst.startswith(
        "Beste collega's van CBS,"
    )


def test_mailto_link():
    concept = core.maak_concept(basis())
    url = core.mailto(concept)
    assert url is not None
    assert url.startswith("mailto:SZ_Bijstand@cbs.nl?subject=")
    subject = url.split("subject=")[1].split("&")[0]
    assert unquote(subject) == concept.onderwerp
    assert " " not in url
    assert "\n" not in url
    assert unquote(url.split("body=")[1]).replace("\r\n", "\n") == concept.tekst
    lang = core.maak_concept(basis(opmerking="Lange toelichting. " * 40))
    assert not core.past_in_mailto(lang)
    assert core.mailto(lang) is None


def test_reset_dll_search_path_is_a_no_op_outside_a_windows_bundle():
    assert core.reset_dll_search_path() is False


def test_core_melding_does_not_import_qt():
    code = (
        "import sys, srgdesk.core.melding, srgdesk.core.gemeenten; "
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_attachments_folder_never_reaches_the_text(tmp_path):
    bestand = tmp_path / "geheim-map" / "conversie.csv"
    bestand.parent.mkdir()
    bestand.write_text("oud;nieuw\nRV-1;NW-1\n", encoding="utf-8")
    sjabloon = core.load_sjabloon()
    eigen = replace(
        sjabloon, brief=sjabloon.brief + "\nPad: ${bijlage_pad}\nNaam: ${bijlage_naam}\n"
    )
    concept = core.render(
        basis(conversiebestand="bijlage", bijlage_pad=str(bestand)).normalised(), eigen
    )
    assert "geheim-map" not in concept.tekst
    assert "Naam: conversie.csv" in concept.tekst
