"""`srgdesk inspect`: per field what was found, how sure, masked samples; what is missing and
how to supply it; exit 2 only for a file that cannot be read."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from exportgen import STANDAARD, Gen, gen_frame, workbook

from srgdesk.cli import main

ZONDER_CODES = {k: v for k, v in STANDAARD.items() if k not in ("gemeentecode", "berichtgevercode")}


def run(argv, capsys):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_missing_field_is_no_failure_and_says_how_to_supply_it(tmp_path, capsys):
    path = Gen(headers=ZONDER_CODES).write(tmp_path / "export.csv")
    code, out, _err = run(["inspect", path], capsys)
    assert code == 0
    assert "Gemeentecode" in out
    assert "ONTBREEKT" in out
    assert "--vast gemeentecode=WAARDE" in out
    assert "--kolom berichtgevercode=KOLOMNAAM" in out


def test_per_field_column_certainty_and_samples_without_bsn(tmp_path, capsys):
    gen = Gen(rows=5)
    path = gen.write(tmp_path / "export.csv")
    code, out, _err = run(["inspect", path], capsys)
    assert code == 0
    assert "zeker: herkend aan de kolomnaam" in out
    for record in gen.records():
        assert record["bsn"] not in out
    assert "*********" in out  # the BSN samples are masked


def test_fixed_values_make_the_rows_usable(tmp_path, capsys):
    path = Gen(headers=ZONDER_CODES, rows=6).write(tmp_path / "export.csv")
    code, out, _err = run(
        ["inspect", path, "--vast", "gemeentecode=Den Haag", "--vast", "berichtgevercode=4021"],
        capsys,
    )
    assert code == 0
    assert "6 bruikbaar" in out
    assert "0518 (door u opgegeven)" in out


def test_geboortedatum_samples_are_masked(tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(
        "Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Begindatum;Einddatum;Geboortedatum\r\n"
        "0363;4021;012345672;0001;01;20240101;;17-03-1981\r\n",
        encoding="utf-8",
    )
    code, out, _err = run(["inspect", path], capsys)
    assert code == 0
    assert "17-03-1981" not in out
    assert "1981" not in out


def test_a_file_that_cannot_be_read_is_exit_2(tmp_path, capsys):
    code, _out, err = run(["inspect", tmp_path / "bestaat-niet.csv"], capsys)
    assert code == 2
    assert "bestaat niet" in err


@pytest.mark.parametrize("open_value", ["99991231", "-"])
def test_open_einddatums_are_counted(tmp_path, capsys, open_value):
    path = Gen(rows=9, einde_open=open_value).write(tmp_path / "export.csv")
    code, out, _err = run(["inspect", path], capsys)
    assert code == 0
    assert "6 voorziening(en) zonder einddatum" in out


def test_match_stops_with_exit_2_listing_each_voorzieningen_sheet(tmp_path, capsys):
    anders = {**STANDAARD, "bsn": "Burgerservicenummer"}
    path = workbook(
        tmp_path / "oud.xlsx",
        {"Lopend": gen_frame(Gen(rows=5)), "Historie": gen_frame(Gen(rows=7, headers=anders))},
    )
    nieuw = Gen(rows=5, seed=4).write(tmp_path / "nieuw.csv")
    argv = ["match", path, nieuw, "-o", tmp_path / "uit", "--stil"]
    code, _out, err = run(argv, capsys)
    assert code == 2
    assert "'Lopend' (5 regels)" in err
    assert "'Historie' (7 regels)" in err
    code, _out, _err = run([*argv, "--werkblad-oud", "Lopend"], capsys)
    assert code == 0


def test_a_stray_quote_before_a_registratienummer_is_ongeldig_and_a_warning(tmp_path, capsys):
    path = Gen(rows=6).write(tmp_path / "export.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[4].split(";")  # Excel row 5
    cells[3] = '"' + cells[3]  # the registratienummer starts with a stray quote
    lines[4] = ";".join(cells)
    path.write_text("\r\n".join(lines), encoding="utf-8", newline="")
    code, out, _err = run(["inspect", path], capsys)
    assert code == 0
    assert "5 bruikbaar, 1 ongeldig, 1 waarschuwing(en)" in out
    assert "bevat een aanhalingsteken" in out
    assert "regel 5" in out
    assert "1 regel(s) niet normaal gelezen (los aanhalingsteken); controleer regel 5" in out


def _with_begindatum(tmp_path, begindatums: list[str]) -> Path:
    gen = Gen(rows=len(begindatums))
    lines = ["Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Begindatum;Einddatum"]
    for record, begin in zip(gen.records(), begindatums, strict=True):
        lines.append(f"0363;4021;{record['bsn']};{record['registratienummer']};JC;{begin};")
    path = tmp_path / "export.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize(
    "begin", ["1-mrt-2023", "01-mrt-23", "1-3-23", "2023/03/01", "01-mrt-2023", "1 maart 2023"]
)
def test_common_dutch_date_notations_under_a_begindatum_header_are_read(tmp_path, capsys, begin):
    code, out, _err = run(["inspect", _with_begindatum(tmp_path, [begin] * 4)], capsys)
    assert code == 0
    assert "Begindatum voorziening                       ← Begindatum" in out
    assert "4 bruikbaar, 0 ongeldig" in out


def test_an_unknown_date_notation_under_a_begindatum_header_is_named_as_such(tmp_path, capsys):
    code, out, _err = run(["inspect", _with_begindatum(tmp_path, ["1e van maart"] * 4)], capsys)
    assert "← Begindatum" in out
    assert "datumnotatie niet herkend" in out
    assert "geen bestaande datum" not in out
    assert code == 2  # no row is usable


def test_a_wrong_fixed_value_names_inspects_own_option(tmp_path, capsys):
    path = Gen(headers=ZONDER_CODES, rows=3).write(tmp_path / "export.csv")
    code, _out, err = run(["inspect", path, "--vast", "gemeentecode=abc"], capsys)
    assert code == 2
    assert err.startswith("Fout: --vast gemeentecode=abc:")


def test_date_samples_are_shown_and_only_bsn_like_values_are_masked(tmp_path, capsys):
    gen = Gen(rows=3)
    records = gen.records()
    lines = ["Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Begindatum;Einddatum"]
    lines += [
        f"0363;4021;{r['bsn']};{r['registratienummer']};07;20230101.0;20240201.0" for r in records
    ]
    path = tmp_path / "export.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    code, out, _err = run(["inspect", path], capsys)
    assert code == 0
    assert "bijvoorbeeld 20240201.0" in out
    assert "bijvoorbeeld 20230101.0" in out
    assert "*********, *********, *********" in out
    for record in records:
        assert record["bsn"] not in out


def test_one_data_row_is_one_gegevensregel(tmp_path, capsys):
    path = Gen(rows=1).write(tmp_path / "export.csv")
    _code, out, _err = run(["inspect", path], capsys)
    assert "1 gegevensregel\n" in out
