"""The BSN scan of the melding: any grouping or decoration in any field, every text of an xlsx,
text files in any encoding, and phone numbers judged as phone numbers."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName

from srgdesk.core import melding as core
from srgdesk.core.errors import InvoerFout

BSN = "123456782"  # passes the elfproef; a test number, not a person
FULL_WIDTH = "".join(chr(0xFF10 + int(d)) for d in BSN)
WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def _check_digit(first8: str) -> int:
    return sum(w * int(d) for w, d in zip(WEIGHTS, first8, strict=True)) % 11


# Valid BSNs built directly (no early return): 8 random digits and the check digit they need.
valid_bsn = (
    st.integers(min_value=0, max_value=99_999_999)
    .map(lambda n: f"{n:08d}")
    .filter(lambda first8: _check_digit(first8) < 10 and first8 != "00000000")
    .map(lambda first8: first8 + str(_check_digit(first8)))
)
# At least 10,000,000 as a number: what Excel keeps of a BSN with one leading zero.
valid_bsn_8_or_9 = (
    st.integers(min_value=1_000_000, max_value=99_999_999)
    .map(lambda n: f"{n:08d}")
    .filter(lambda first8: _check_digit(first8) < 10)
    .map(lambda first8: first8 + str(_check_digit(first8)))
)

# Every way to put something between two digits that a person, Word or Excel might produce.
SEPARATORS = [
    "",
    " ",
    "  ",
    ".",
    "-",
    " - ",
    ". ",
    "\u00a0",  # no-break space
    "\u202f",  # narrow no-break space
    "\u2009",  # thin space
    "\u3000",  # ideographic space
    "\u2011",  # non-breaking hyphen
    "\u2013",  # en dash
    "\u2212",  # minus sign
    "\u00ad",  # soft hyphen
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space
    "\u200b ",
]
DIGIT_FORMS = [
    lambda d: d,
    lambda d: chr(0xFF10 + int(d)),  # full-width
    lambda d: chr(0x0660 + int(d)),  # Arabic-Indic
    lambda d: chr(0x1D7CE + int(d)),  # mathematical bold
]


@st.composite
def grouped(draw, digits_strategy=valid_bsn, separators=SEPARATORS, forms=DIGIT_FORMS):
    """A number written with a random grouping: any split, any separator per gap, and
    (sometimes) other digit forms."""
    digits = draw(digits_strategy)
    form = draw(st.sampled_from(forms))
    out = form(digits[0])
    for digit in digits[1:]:
        out += draw(st.sampled_from(separators)) + form(digit)
    return out


FIELDS = list(core.INVOER_SLEUTELS)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    veld=st.sampled_from(FIELDS),
    number=grouped(),
    prefix=st.sampled_from(["", "bsn ", "nr:", "(", "klant "]),
    suffix=st.sampled_from(["", " eind", ")", "."]),
)
def test_a_grouped_bsn_is_found_in_every_field(veld, number, prefix, suffix):
    text = f"{prefix}{number}{suffix}"
    assert core.find_bsn(text)
    assert core.bsn_in_veld(veld, text)
    melding = replace(core.Wijzigingsmelding(soort="softwarepakket"), **{veld: text})
    fouten = [f for f in core.valideer(melding.normalised()) if f.veld == veld]
    assert fouten
    assert all("BSN" in f.tekst for f in fouten)
    assert all(number not in f.tekst and text not in f.tekst for f in fouten)


@pytest.mark.parametrize(
    "text",
    [
        BSN,
        f"bsn {BSN}.",
        "nr123456782x",
        "1234.56.782",
        "123.456.782",
        "123 456 782",
        "123-456-782",
        "1 2 3 4 5 6 7 8 2",
        "12 34 56 78 2",
        "123\u00a0456\u00a0782",
        FULL_WIDTH,
        "123\u200b456\u200b782",
        "12345672",  # Excel dropped the leading zero
        "1234 5672",
        "zie 012345672",
        "registratie 12 123456782",  # the BSN next to another number
    ],
)
def test_find_bsn(text):
    assert core.find_bsn(text)


@pytest.mark.parametrize(
    "text",
    [
        "06-12345678",
        "0612345678",
        "+31 6 12345678",
        "+31612345678",
        "0031 20 1234567",
        "020-1234567",
        "(020) 123 45 67",
        "0515 48 90 00",
        "+32 2 123 45 67",
        "123456789",
        "1234567890",
        "gemeentecode 0363, berichtgever 1234, 2027-01",
        "1234567",
        "per 2027-01-01 of 01-01-2027",
        "vanaf 2026-01-06",  # 20260106 passes the elfproef: a date, not a BSN
        "tot 12-01-2026",  # so does 12012026
    ],
)
def test_find_bsn_leaves_phone_numbers_dates_and_codes_alone(text):
    assert not core.find_bsn(text)


# --- phone numbers -----------------------------------------------------------------------

PHONE_SEPARATORS = ["", " ", "-", ".", " - ", "    "]
# A valid BSN without a leading zero, built directly: filtering `valid_bsn` on its first digit
# throws away Hypothesis's many small integers and failed the filter_too_much health check.
valid_bsn_no_leading_zero = (
    st.integers(min_value=10_000_000, max_value=99_999_999)
    .map(str)
    .filter(lambda first8: _check_digit(first8) < 10)
    .map(lambda first8: first8 + str(_check_digit(first8)))
)


@settings(max_examples=60)
@given(
    number=grouped(valid_bsn_no_leading_zero, separators=PHONE_SEPARATORS, forms=[str]),
    prefix=st.sampled_from(["0", "+31 ", "+31", "0031 ", "+31 (0)"]),
    veld=st.sampled_from(["contact_telefoon", "contact_oud_telefoon"]),
)
def test_a_phone_number_is_judged_as_a_phone_number(number, prefix, veld):
    """Issue 13: a Dutch phone number whose last 9 digits pass the elfproef is not refused."""
    telefoon = prefix + number
    assert core.is_nederlands_telefoonnummer(telefoon)
    assert not core.bsn_in_veld(veld, telefoon)
    melding = core.Wijzigingsmelding(
        soort="contactpersoon",
        gemeentecode="0363",
        berichtgevercode_oud="0363",
        ingangsmaand="2027-01",
        contact_naam="Zoë Müller",
        contact_email="z.muller@amsterdam.nl",
        contact_telefoon="020-5551234",
        contact_oud_naam="René Smits",
    )
    melding = replace(melding, **{veld: telefoon})
    assert core.valideer(melding.normalised()) == []
    assert telefoon in core.maak_concept(melding).tekst


@pytest.mark.parametrize("value", [BSN, "123 456 782", "12345672", "+32 123456782"])
def test_a_bsn_in_the_phone_field_is_still_a_bsn(value):
    assert value == "+32 123456782" or core.bsn_in_veld("contact_telefoon", value)
    if value != "+32 123456782":
        assert not core.is_nederlands_telefoonnummer(value)


# --- attachments: text files -----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_text_attachment_in_any_encoding(encoding, tmp_path):
    path = tmp_path / "conversie.csv"
    path.write_bytes(f"oud;nieuw;opmerking\nRV-1;NW-1;café\nRV-2;{BSN};x\n".encode(encoding))
    assert core.bijlage_bevat_bsn(path)
    path.write_bytes("oud;nieuw;opmerking\nRV-1;NW-1;café\n".encode(encoding))
    assert not core.bijlage_bevat_bsn(path)


def _workbook_bytes(fill) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Conversie"
    sheet.append(["registratienummer_oud", "registratienummer_nieuw"])
    sheet.append(["RV-1", "NW-1"])
    fill(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _set_cell(wb, text):
    wb.active["C2"] = text


def _set_number(wb, text):
    wb.active["C2"] = int("".join(c for c in core.normalise(text) if c.isdigit()))


def _set_rich(wb, text):
    half = len(text) // 2
    wb.active["C2"] = CellRichText([TextBlock(_font(), text[:half]), text[half:]])


def _font():
    from openpyxl.cell.text import InlineFont

    return InlineFont(b=True)


def _set_sheet_name(wb, text):
    assume(len(text) <= 31)
    wb.create_sheet(title=text)


def _set_comment(wb, text):
    wb.active["A2"].comment = Comment(f"klant {text}", "medewerker")


def _set_title(wb, text):
    wb.properties.title = text


def _set_keywords(wb, text):
    wb.properties.keywords = f"srg {text}"


def _set_creator(wb, text):
    wb.properties.creator = text


def _set_header(wb, text):
    wb.active.oddHeader.center.text = text


def _set_footer(wb, text):
    wb.active.oddFooter.left.text = f"bsn {text}"


def _set_defined_name(wb, text):
    wb.defined_names["Referentie"] = DefinedName("Referentie", attr_text=f'"{text}"')


def _set_formula(wb, text):
    wb.active["D2"] = f'=CONCATENATE("{text}")'


XLSX_PARTS = {
    "cell": _set_cell,
    "number": _set_number,
    "rich text split over runs": _set_rich,
    "sheet name": _set_sheet_name,
    "comment": _set_comment,
    "title": _set_title,
    "keywords": _set_keywords,
    "creator": _set_creator,
    "header": _set_header,
    "footer": _set_footer,
    "defined name": _set_defined_name,
    "formula": _set_formula,
}
XLSX_SEPARATORS = [s for s in SEPARATORS if s not in ("\ufeff",)]


@pytest.mark.parametrize("part", list(XLSX_PARTS))
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(number=grouped(valid_bsn_8_or_9, separators=XLSX_SEPARATORS))
def test_a_grouped_bsn_is_found_in_each_xlsx_part(part, number, tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    path = folder / "conversie.xlsx"
    path.write_bytes(_workbook_bytes(lambda wb: XLSX_PARTS[part](wb, number)))
    assert core.bijlage_bevat_bsn(path)


def test_a_clean_xlsx_passes(tmp_path):
    path = tmp_path / "conversie.xlsx"
    path.write_bytes(_workbook_bytes(lambda wb: _set_comment(wb, "gecontroleerd")))
    assert not core.bijlage_bevat_bsn(path)


def test_an_xlsx_renamed_to_csv_is_read_as_xlsx(tmp_path):
    path = tmp_path / "conversie.csv"
    path.write_bytes(_workbook_bytes(lambda wb: _set_comment(wb, "123.456.782")))
    assert core.bijlage_bevat_bsn(path)
    path.write_bytes(_workbook_bytes(lambda wb: None))
    assert not core.bijlage_bevat_bsn(path)


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
        if name not in source.namelist():
            target.writestr(name, content)
    return buffer.getvalue()


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>
"""


@pytest.mark.parametrize(
    "content",
    [LAUGHS, LAUGHS.replace(b"DOCTYPE", b"doctype"), LAUGHS.decode().encode("utf-16")],
    ids=["doctype", "lower case", "utf-16"],
)
def test_an_xlsx_with_a_dtd_is_refused_in_dutch(content, tmp_path):
    path = tmp_path / "conversie.xlsx"
    path.write_bytes(
        _replace_part(_workbook_bytes(lambda wb: None), "xl/sharedStrings.xml", content)
    )
    with pytest.raises(InvoerFout, match="DTD") as info:
        core.bijlage_bevat_bsn(path)
    assert "CBS-portaal" in info.value.melding
    melding = core.Wijzigingsmelding(conversiebestand="bijlage", bijlage_pad=str(path))
    fouten = [f for f in core.valideer(melding.normalised()) if f.veld == "bijlage_pad"]
    assert ["DTD" in f.tekst for f in fouten] == [True]


@pytest.mark.parametrize(
    ("name", "content", "woord"),
    [
        ("xl/embeddings/oleObject1.bin", b"\x00\x01binary", "ingesloten"),
        ("xl/vbaProject.bin", b"\x00\x01binary", "macro"),
        ("xl/worksheets/sheet9.bin", b"\x00\xff\xfe\x81", "onderdeel"),
    ],
)
def test_parts_that_cannot_be_checked_are_refused(name, content, woord, tmp_path):
    path = tmp_path / "conversie.xlsx"
    path.write_bytes(_replace_part(_workbook_bytes(lambda wb: None), name, content))
    with pytest.raises(InvoerFout, match=woord):
        core.bijlage_bevat_bsn(path)


def test_old_excel_and_broken_zip_are_refused(tmp_path):
    xls = tmp_path / "oud.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InvoerFout, match=r"\.xls"):
        core.bijlage_bevat_bsn(xls)
    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"PK\x03\x04 dit is geen zip")
    with pytest.raises(InvoerFout, match="kan niet worden gelezen"):
        core.bijlage_bevat_bsn(broken)


def test_attachment_scan_uses_the_reading_decoder(monkeypatch, tmp_path):
    """The scan decodes text through srgdesk.core.reading, not a decoder of its own."""
    from srgdesk.core.melding import scan

    seen = []
    monkeypatch.setattr(scan, "decode_text", lambda data: seen.append(data) or ("x", "UTF-8"))
    path = tmp_path / "a.csv"
    path.write_bytes(BSN.encode())
    assert not core.bijlage_bevat_bsn(path)
    assert seen == [BSN.encode()]


def test_scan_checks_the_first_rendered_line_too(tmp_path):
    concept = core.Concept(aan=["SZ_SRG@cbs.nl"], cc=[], onderwerp="x", tekst="1 2 3 4 5 6 7 8 2")
    with pytest.raises(InvoerFout, match="BSN"):
        core.write_concept(concept, Path(tmp_path) / "x.eml")
    assert list(tmp_path.iterdir()) == []


def test_a_number_stored_in_scientific_notation_is_found(tmp_path):
    """100000800 passes the elfproef; as 1.000008E8 its digits alone (1000008) are too few."""

    def number(wb):
        wb.active["C2"] = 100000800

    data = _workbook_bytes(number)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<v>100000800</v>" in sheet
    path = tmp_path / "conversie.xlsx"
    scientific = sheet.replace(b"<v>100000800</v>", b"<v>1.000008E8</v>")
    path.write_bytes(_replace_part(data, "xl/worksheets/sheet1.xml", scientific))
    assert core.bijlage_bevat_bsn(path)
    other = sheet.replace(b"<v>100000800</v>", b"<v>1.5E3</v>")
    path.write_bytes(_replace_part(data, "xl/worksheets/sheet1.xml", other))
    assert not core.bijlage_bevat_bsn(path)


def test_an_xml_comment_inside_a_part_is_read(tmp_path):
    data = _workbook_bytes(lambda wb: None)
    workbook = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    path = tmp_path / "conversie.xlsx"
    with_comment = workbook.replace(b"</workbook>", b"<!-- klant 123 456 782 --></workbook>")
    assert with_comment != workbook
    path.write_bytes(_replace_part(data, "xl/workbook.xml", with_comment))
    assert core.bijlage_bevat_bsn(path)
