"""The vertaaltabelmelding: new soort codes to SZ_SRG@cbs.nl, as an unsent .eml without a BSN."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core import melding as core
from srgdesk.core.errors import InvoerFout
from srgdesk.core.melding.vertaaltabel import codes_lijst

BSN = "123456782"  # passes the elfproef; a test number, not a person
FULL_WIDTH = "".join(chr(0xFF10 + int(d)) for d in BSN)
CODES = (
    core.Soortcode("LKS2", "Loonkostensubsidie (geïndexeerd tarief)", "LKS"),
    core.Soortcode("JC", "Jobcoaching"),
)


def parse(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_draft_lists_every_code_with_its_omschrijving(tmp_path):
    melding = core.Vertaaltabelmelding(
        codes=CODES, gemeentecode="363", verslagmaand="2027-1", contact_naam="Zoë Müller"
    )
    eml, txt = core.write_vertaaltabelmelding(melding, tmp_path)
    assert (eml.name, txt.name) == ("vertaaltabelmelding.eml", "vertaaltabelmelding.txt")
    message = parse(eml)
    assert message["To"] == "SZ_SRG@cbs.nl"
    assert message["X-Unsent"] == "1"
    assert message["From"] is None
    assert (
        message["Subject"]
        == "Vertaaltabel SRG gemeente Amsterdam (0363): nieuwe soorten voorziening"
    )
    body = message.get_content().replace("\r\n", "\n")
    assert "- LKS2: Loonkostensubsidie (geïndexeerd tarief) (vervangt code LKS)\n" in body
    assert "- JC: Jobcoaching\n" in body
    assert "Gemeente Amsterdam (gemeentecode 0363) gebruikt" in body
    assert "vanaf verslagmaand januari 2027 (2027-01)" in body
    assert "Zoë Müller" in body
    assert "geen BSN" in body
    text = txt.read_bytes()
    assert text.startswith(b"\xef\xbb\xbfAan: SZ_SRG@cbs.nl\r\n")


def test_draft_without_gemeente_or_month_still_reads_well():
    concept = core.maak_vertaaltabel_concept(core.Vertaaltabelmelding(codes=CODES[1:]))
    assert concept.onderwerp == "Vertaaltabel SRG: nieuwe soorten voorziening"
    assert concept.tekst.startswith("Geachte heer, mevrouw,\n\nOnze gemeente gebruikt")
    assert "verslagmaand" not in concept.tekst
    assert "Gemeente \n" not in concept.tekst
    assert "- JC: Jobcoaching" in concept.tekst


def test_missing_omschrijving_asks_the_user_to_fill_it_in():
    concept = core.maak_vertaaltabel_concept(
        core.Vertaaltabelmelding(codes=(core.Soortcode("77"),))
    )
    assert "- 77: (omschrijving: vul hier in)" in concept.tekst


def test_gemeente_by_name_and_clear_errors_for_unknown_values():
    concept = core.maak_vertaaltabel_concept(
        core.Vertaaltabelmelding(codes=CODES, gemeentecode="Den Haag")
    )
    assert "gemeente 's-Gravenhage (0518)" in concept.onderwerp
    for changes, woord in [
        ({"gemeentecode": "Nergensdorp"}, "niet gevonden"),
        ({"verslagmaand": "jan"}, "JJJJ-MM"),
    ]:
        with pytest.raises(InvoerFout, match=woord):
            core.maak_vertaaltabel_concept(core.Vertaaltabelmelding(codes=CODES, **changes))


def test_no_codes_no_melding(tmp_path):
    with pytest.raises(InvoerFout, match="geen nieuwe codes"):
        core.write_vertaaltabelmelding(core.Vertaaltabelmelding(codes=()), tmp_path)
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=30, deadline=None)
@given(
    where=st.sampled_from(["code", "omschrijving", "oude_code", "contact_naam"]),
    number=st.sampled_from([BSN, "123.456.782", "1 2 3 4 5 6 7 8 2", FULL_WIDTH]),
)
def test_a_bsn_anywhere_blocks_the_draft(where, number, tmp_path_factory):
    folder = tmp_path_factory.mktemp("uit")
    code = core.Soortcode(
        code=number if where == "code" else "A1",
        omschrijving=f"soort {number}" if where == "omschrijving" else "soort",
        oude_code=number if where == "oude_code" else "",
    )
    melding = core.Vertaaltabelmelding(
        codes=(code,), contact_naam=number if where == "contact_naam" else ""
    )
    with pytest.raises(InvoerFout, match="BSN") as info:
        core.write_vertaaltabelmelding(melding, folder)
    assert number not in info.value.melding
    assert list(folder.iterdir()) == []


# --- the codes file ----------------------------------------------------------------------------


def _codes_file(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "codes.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_codes_file_with_header_any_separator_and_encoding(encoding, separator, tmp_path):
    rows = [["code", "omschrijving", "oude_code"], ["LKS2", "Loonkostensubsidie é", "LKS"]]
    rows.append(["JC", "Jobcoaching", ""])
    path = _codes_file(tmp_path, "\r\n".join(separator.join(r) for r in rows) + "\r\n", encoding)
    assert core.read_codes(path) == [
        core.Soortcode("LKS2", "Loonkostensubsidie é", "LKS"),
        core.Soortcode("JC", "Jobcoaching", ""),
    ]


def test_codes_file_without_header_and_two_columns(tmp_path):
    path = _codes_file(tmp_path, "77;Re-integratietraject\n\n78;Scholing\n")
    assert [c.code for c in core.read_codes(path)] == ["77", "78"]


def test_codes_file_problems_are_listed_by_line(tmp_path):
    path = _codes_file(
        tmp_path,
        f"code;omschrijving\n77;Traject\n;Zonder code\n78;\n77;Dubbel\n79;x;y;z\n80;Klant {BSN}\n",
    )
    with pytest.raises(InvoerFout) as info:
        core.read_codes(path)
    tekst = info.value.melding
    assert "regel 3: '' is geen code" in tekst
    assert "regel 4: de omschrijving van code 78 ontbreekt" in tekst
    assert "regel 5: code 77 staat ook op regel 2" in tekst
    assert "regel 6: meer dan 3 kolommen" in tekst
    assert "regel 7: bevat een nummer dat een BSN kan zijn" in tekst
    assert BSN not in tekst


@pytest.mark.parametrize(
    ("data", "woord"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "Excel-bestand"),
        (bytes(range(256)) * 8, "geen tekstbestand"),
        (b"code;omschrijving\n", "geen codes"),
    ],
)
def test_unusable_codes_file(data, woord, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_bytes(data)
    with pytest.raises(InvoerFout, match=woord):
        core.read_codes(path)


# --- the codetabel.csv that `srgdesk match` writes (QA finding) -------------------------------


def _codetabel(tmp_path: Path, koppelingen) -> Path:
    """codetabel.csv exactly as `srgdesk match` writes it (same frame, same CSV writer)."""
    from srgdesk.core.codes import CodeKoppeling, CodeTabel
    from srgdesk.core.conversion import write_csv

    frame = CodeTabel([CodeKoppeling(*k) for k in koppelingen]).frame()
    path = tmp_path / "codetabel.csv"
    with path.open("wb") as stream:
        write_csv(stream, frame, ";")
    return path


def test_the_codetabel_of_a_package_switch_gives_its_new_codes(tmp_path):
    path = _codetabel(
        tmp_path,
        [
            ("03", "JC", 12, "Jobcoaching", "Jobcoach", "geleerd"),
            ("LKS", "LKS", 4, "Loonkostensubsidie", "", "gelijk"),
            ("07", "BW1", 5, "Beschut werk", "", "geleerd"),  # a split: 07 became BW1 and BW2
            ("07", "BW2", 3, "Beschut werk", "Beschut werk nieuw", "gebruiker"),
            ("08", "BW2", 3, "Beschut werk oud", "Beschut werk nieuw", "geleerd"),  # a merge
        ],
    )
    assert core.read_codes(path) == [
        core.Soortcode("JC", "Jobcoach", "03"),
        core.Soortcode("BW1", "Beschut werk", "07"),
        core.Soortcode("BW2", "Beschut werk nieuw", "07 en 08"),
    ]
    lijst = codes_lijst(core.read_codes(path))
    assert "- BW2: Beschut werk nieuw (vervangt de codes 07 en 08)" in lijst
    assert "- JC: Jobcoach (vervangt code 03)" in lijst


def test_a_codetabel_without_changed_codes_says_no_melding_is_needed(tmp_path):
    path = _codetabel(tmp_path, [("JC", "JC", 2, "Jobcoach", "", "gelijk")])
    with pytest.raises(InvoerFout, match="niet nodig"):
        core.read_codes(path)


def test_vervangt_is_explained_only_when_a_line_says_vervangt():
    zonder = core.maak_vertaaltabel_concept(core.Vertaaltabelmelding(codes=CODES[1:]))
    assert "vervangt" not in zonder.tekst
    met = core.maak_vertaaltabel_concept(core.Vertaaltabelmelding(codes=CODES))
    assert "(vervangt code LKS)" in met.tekst
    assert 'Waar "vervangt" staat' in met.tekst
