"""`srgdesk melding --invoer FILE.toml -o MAP`, run in-process."""

from __future__ import annotations

import email
import email.policy
import shutil
from pathlib import Path

import pytest

from srgdesk.cli import main

DATA = Path(__file__).resolve().parent.parent / "data" / "melding"
BSN = "123456782"  # passes the elfproef; a test number, not a person

GELDIG = """\
soort = "contactpersoon"
gemeentecode = "0796"
berichtgevercode_oud = "0796"
ingangsmaand = "2027-01"
contact_naam = "Zoë Müller"
contact_email = "z.muller@s-hertogenbosch.nl"
contact_telefoon = "073-6155555"
contact_oud_naam = "René Smits"
opmerking = "Graag bevestiging van ontvangst."
"""


def run(tmp_path: Path, toml: str, capsys) -> tuple[int, str, str]:
    invoer = tmp_path / "invoer.toml"
    invoer.write_text(toml, encoding="utf-8")
    code = main(["melding", "--invoer", str(invoer), "-o", str(tmp_path / "uit")])
    out, err = capsys.readouterr()
    return code, out, err


def test_writes_eml_and_txt(tmp_path, capsys):
    code, out, err = run(tmp_path, GELDIG, capsys)
    assert code == 0, err
    eml = tmp_path / "uit" / "wijzigingsmelding.eml"
    txt = tmp_path / "uit" / "wijzigingsmelding.txt"
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "SZ_Bijstand@cbs.nl"
    assert "Zoë Müller" in message.get_content()
    assert "René Smits" in txt.read_text(encoding="utf-8-sig")
    assert "Concept geschreven" in out
    assert "wijzigingsmelding.eml" in out


@pytest.mark.parametrize(
    "soort", ["softwarepakket", "berichtgever", "contactpersoon", "herindeling"]
)
def test_reviewed_examples(soort, tmp_path, capsys):
    folder = tmp_path / soort
    shutil.copytree(DATA / soort, folder)
    for name in ("wijzigingsmelding.eml", "wijzigingsmelding.txt"):
        (folder / name).unlink()
    code = main(["melding", "--invoer", str(folder / "invoer.toml"), "-o", str(folder)])
    assert code == 0, capsys.readouterr().err
    for name in ("wijzigingsmelding.eml", "wijzigingsmelding.txt"):
        assert (folder / name).read_bytes() == (DATA / soort / name).read_bytes()


def test_missing_required_field_exits_2_naming_it(tmp_path, capsys):
    toml = GELDIG.replace('contact_email = "z.muller@s-hertogenbosch.nl"\n', "")
    code, _out, err = run(tmp_path, toml, capsys)
    assert code == 2
    assert "contact_email" in err
    assert "Vul het e-mailadres van de contactpersoon in" in err
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize(
    "regel",
    [
        f'opmerking = "BSN {BSN}"',
        'opmerking = "zie 1234.56.782"',
        f'contact_oud_naam = "Jan {BSN}"',
        'pakket_oud = "12345672"',
    ],
)
def test_bsn_in_input_exits_2(regel, tmp_path, capsys):
    key = regel.split(" = ")[0]
    lines = [line for line in GELDIG.splitlines() if not line.startswith(key + " ")]
    code, out, err = run(tmp_path, "\n".join([*lines, regel]) + "\n", capsys)
    assert code == 2
    assert "BSN" in err
    assert BSN not in err + out
    assert "12345672" not in err + out
    assert not (tmp_path / "uit").exists()


def test_attachment_with_bsn_exits_2(tmp_path, capsys):
    (tmp_path / "conversie.csv").write_text(f"oud;nieuw\nRV-1;{BSN}\n", encoding="utf-8")
    toml = GELDIG + 'conversiebestand = "bijlage"\nbijlage_pad = "conversie.csv"\n'
    code, _out, err = run(tmp_path, toml, capsys)
    assert code == 2
    assert "bijlage_pad" in err
    assert "portaal" in err
    assert not (tmp_path / "uit").exists()


def test_attachment_without_bsn_is_attached(tmp_path, capsys):
    (tmp_path / "conversie.csv").write_text("oud;nieuw\nRV-1;NW-1\n", encoding="utf-8")
    toml = GELDIG + 'conversiebestand = "bijlage"\nbijlage_pad = "conversie.csv"\n'
    code, _out, err = run(tmp_path, toml, capsys)
    assert code == 0, err
    message = email.message_from_bytes(
        (tmp_path / "uit" / "wijzigingsmelding.eml").read_bytes(), policy=email.policy.default
    )
    assert [a.get_filename() for a in message.iter_attachments()] == ["conversie.csv"]


@pytest.mark.parametrize(
    ("toml", "woord"),
    [
        ("soort = [1, 2]\n", "aanhalingstekens"),
        ("soort = \n", "schrijffout"),
        ('kleur = "rood"\n', "Onbekende sleutel"),
    ],
)
def test_bad_input_file_exits_2(toml, woord, tmp_path, capsys):
    code, _out, err = run(tmp_path, toml, capsys)
    assert code == 2
    assert woord in err


def test_missing_input_file_exits_2(tmp_path, capsys):
    code = main(["melding", "--invoer", str(tmp_path / "nergens.toml"), "-o", str(tmp_path)])
    assert code == 2
    assert "kan niet worden gelezen" in capsys.readouterr().err


def test_numbers_in_toml_are_accepted(tmp_path, capsys):
    toml = GELDIG.replace('gemeentecode = "0796"', "gemeentecode = 796")
    code, _out, err = run(tmp_path, toml, capsys)
    assert code == 0, err


# --- issue 13: every Notepad encoding is read; a broken file names the line, exit 2 ----------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("cp1252"),
        lambda text: text.encode("utf-16"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    ],
    ids=["ansi", "utf-16", "utf-8-bom"],
)
def test_invoer_saved_by_notepad_in_any_encoding(encode, tmp_path, capsys):
    invoer = tmp_path / "invoer.toml"
    invoer.write_bytes(encode(GELDIG))
    code = main(["melding", "--invoer", str(invoer), "-o", str(tmp_path / "uit")])
    _out, err = capsys.readouterr()
    assert code == 0, err
    message = email.message_from_bytes(
        (tmp_path / "uit" / "wijzigingsmelding.eml").read_bytes(), policy=email.policy.default
    )
    assert "Zoë Müller" in message.get_content()


def test_broken_invoer_names_the_line_exit_2(tmp_path, capsys):
    invoer = tmp_path / "invoer.toml"
    invoer.write_bytes(
        GELDIG.replace('ingangsmaand = "2027-01"', "ingangsmaand = januari").encode("cp1252")
    )
    code = main(["melding", "--invoer", str(invoer), "-o", str(tmp_path / "uit")])
    out, err = capsys.readouterr()
    assert code == 2
    assert "op regel 4" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err
    assert not (tmp_path / "uit").exists()


# --- issue 16: the vertaaltabelmelding --------------------------------------------------------


def test_vertaaltabel_from_a_codes_file(tmp_path, capsys):
    codes = tmp_path / "codes.csv"
    codes.write_bytes(
        "code;omschrijving;oude_code\r\nLKS2;Loonkostensubsidie é;LKS\r\n".encode("cp1252")
    )
    code = main(
        [
            "melding",
            "--soort",
            "vertaaltabel",
            "--codes",
            str(codes),
            "--gemeentecode",
            "0796",
            "--verslagmaand",
            "2027-01",
            "-o",
            str(tmp_path / "uit"),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    message = email.message_from_bytes(
        (tmp_path / "uit" / "vertaaltabelmelding.eml").read_bytes(), policy=email.policy.default
    )
    assert message["To"] == "SZ_SRG@cbs.nl"
    assert message["X-Unsent"] == "1"
    assert "- LKS2: Loonkostensubsidie é (vervangt code LKS)" in message.get_content()
    assert (tmp_path / "uit" / "vertaaltabelmelding.txt").exists()
    assert "vertaaltabelmelding.eml" in out


@pytest.mark.parametrize(
    ("content", "woord"),
    [
        (b"PK\x03\x04" + bytes(200), "Excel-bestand"),
        (bytes(range(256)) * 8, "geen tekstbestand"),
        (f"77;Klant {BSN}\n".encode(), "regel 1"),
    ],
)
def test_vertaaltabel_unusable_codes_exit_2(content, woord, tmp_path, capsys):
    codes = tmp_path / "codes.csv"
    codes.write_bytes(content)
    argv = [
        "melding",
        "--soort",
        "vertaaltabel",
        "--codes",
        str(codes),
        "-o",
        str(tmp_path / "uit"),
    ]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2
    assert woord in err
    assert BSN not in out + err
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize(
    ("argv", "woord"),
    [(["melding", "--soort", "vertaaltabel"], "--codes"), (["melding"], "--invoer")],
)
def test_missing_input_option_exit_2(argv, woord, capsys):
    assert main(argv) == 2
    assert woord in capsys.readouterr().err


def test_attachment_xlsx_with_a_dtd_exits_2_in_dutch(tmp_path, capsys):
    """Issue 13: a melding attachment xlsx with a DTD is refused with one clear line."""
    import io
    import zipfile

    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    source = zipfile.ZipFile(buffer)
    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "b">]>' + data.split(b"?>", 1)[-1]
            target.writestr(info, data)
    (tmp_path / "conversie.xlsx").write_bytes(bad.getvalue())
    toml = GELDIG + 'conversiebestand = "bijlage"\nbijlage_pad = "conversie.xlsx"\n'
    code, out, err = run(tmp_path, toml, capsys)
    assert code == 2
    assert "DTD" in err
    assert "Traceback" not in out + err
    assert not (tmp_path / "uit").exists()
