"""`srgdesk inspect`: per field what was found, how sure, masked samples; what is missing and
how to supply it; exit 2 only for a file that cannot be read."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from exportgen import STANDAARD, Gen

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
    import pandas as pd

    def frame(gen):
        return pd.DataFrame([{gen.headers[k]: r[k] for k in gen.headers} for r in gen.records()])

    anders = {**STANDAARD, "bsn": "Burgerservicenummer"}
    path = tmp_path / "oud.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame(Gen(rows=5)).to_excel(writer, sheet_name="Lopend", index=False)
        frame(Gen(rows=7, headers=anders)).to_excel(writer, sheet_name="Historie", index=False)
    nieuw = Gen(rows=5, seed=4).write(tmp_path / "nieuw.csv")
    argv = ["match", path, nieuw, "-o", tmp_path / "uit", "--stil"]
    code, _out, err = run(argv, capsys)
    assert code == 2
    assert "'Lopend' (5 regels)" in err
    assert "'Historie' (7 regels)" in err
    code, _out, _err = run([*argv, "--werkblad-oud", "Lopend"], capsys)
    assert code == 0
