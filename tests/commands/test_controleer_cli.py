"""`srgdesk controleer VORIGE DEZE -o MAP` as a user runs it: exit codes, controle.csv/.xlsx in
the agreed format, the conversiebestand only when voorzieningen got a new number, never a BSN."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from srgdesk.cli import main

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
HEADER = "code;ernst;bestand;regel;gemeentecode;berichtgevercode;registratienummer;uitleg"
REGNR, BSN = "Registratienummer voorziening", "BSN"


def _maandpaar():
    sys.path.insert(0, str(BENCHMARKS))  # maandpaar imports generate beside it
    spec = importlib.util.spec_from_file_location("maandpaar", BENCHMARKS / "maandpaar.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


maandpaar = _maandpaar()


def run(tmp_path: Path, vorige, deze, *options: str) -> tuple[int, Path]:
    v = maandpaar.write_csv(vorige, tmp_path / "vorige.csv")
    d = maandpaar.write_csv(deze, tmp_path / "deze.csv")
    out = tmp_path / "uit"
    return main(["controleer", str(v), str(d), "-o", str(out), "--stil", *options]), out


def csv_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    return text.split("\r\n")[:-1]


def planted():
    """A month with a new number, a vanished voorziening, a bad BSN and a formula-like number."""
    vorige, deze = maandpaar.month_pair(400, seed=7)
    running = deze.index[deze["Einddatum voorziening"] == ""]
    deze.loc[running[0], REGNR] = "NIEUW0001"
    deze.loc[running[1], BSN] = "123456789"
    deze.loc[running[2], REGNR] = "=HYPERLINK(1)"
    deze = deze.drop(index=running[3])
    return vorige, deze


def test_a_clean_month_exits_0_with_only_a_header_and_no_conversiebestand(tmp_path, capsys):
    code, out = run(tmp_path, *maandpaar.month_pair(300, seed=2))
    assert code == 0
    assert csv_lines(out / "controle.csv") == [HEADER]
    assert sorted(p.name for p in out.iterdir()) == ["controle.csv", "controle.xlsx"]
    assert "Geen signaleringen" in capsys.readouterr().out


def test_found_problems_still_exit_0_and_are_written(tmp_path, capsys):
    code, out = run(tmp_path, *planted())
    assert code == 0
    lines = csv_lines(out / "controle.csv")
    assert lines[0] == HEADER
    codes = [line.split(";")[0] for line in lines[1:]]
    assert {"SLEUTEL_GEWIJZIGD", "VERDWENEN", "BSN_ONGELDIG", "REGNR_ONGELDIG"} <= set(codes)
    assert "fout" in capsys.readouterr().out


def test_a_new_number_writes_the_conversiebestand_as_match_does(tmp_path):
    _, out = run(tmp_path, *planted())
    lines = csv_lines(out / "conversiebestand.csv")
    assert len(lines) == 2  # header + the one voorziening that got a new number
    assert "NIEUW0001" in lines[1]
    assert (out / "conversiebestand.xlsx").is_file()


def test_no_bsn_anywhere_and_formulas_neutralised(tmp_path):
    vorige, deze = planted()
    _, out = run(tmp_path, vorige, deze)
    text = (out / "controle.csv").read_text(encoding="utf-8-sig")
    for value in (*vorige[BSN], *deze[BSN]):
        assert value not in text
    assert ";'=HYPERLINK(1);" in text
    sheet = load_workbook(out / "controle.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type == "s" for c in cells if c.value is not None)
    assert not any(str(c.value) in set(deze[BSN]) for c in cells)


def test_the_xlsx_is_the_csv_with_a_bold_frozen_filtered_header(tmp_path):
    _, out = run(tmp_path, *planted())
    sheet = load_workbook(out / "controle.xlsx").active
    rows = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    assert ";".join(rows[0]) == HEADER
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:H")
    csv_rows = [line.split(";") for line in csv_lines(out / "controle.csv")]
    assert len(rows) == len(csv_rows)
    assert [r[0] for r in rows] == [r[0] for r in csv_rows]
    assert [r[3] for r in rows] == [r[3] for r in csv_rows]


def test_the_reading_options_of_match_work(tmp_path):
    vorige, deze = maandpaar.month_pair(200, seed=8)
    deze = deze.rename(columns={REGNR: "Dossier"})
    code, out = run(tmp_path, vorige, deze, "--kolom-nieuw", "registratienummer=Dossier")
    assert code == 0
    assert csv_lines(out / "controle.csv") == [HEADER]


def test_verslagmaand_options(tmp_path):
    vorige, deze = maandpaar.month_pair(200, seed=8)
    code, out = run(
        tmp_path,
        vorige,
        deze,
        "--verslagmaand-oud",
        "202402",
        "--verslagmaand-nieuw",
        "202402",  # wrong on purpose: this month's new voorzieningen begin after it
        "--formaat",
        "csv",
    )
    assert code == 0
    assert any(line.startswith("BEGIN_NA_VERSLAGMAAND") for line in csv_lines(out / "controle.csv"))
    assert not (out / "controle.xlsx").exists()


@pytest.mark.parametrize("broken", ["missing", "same", "bad_month"])
def test_an_unusable_input_exits_2_with_one_dutch_line(tmp_path, capsys, broken):
    vorige, deze = maandpaar.month_pair(50, seed=1)
    v = maandpaar.write_csv(vorige, tmp_path / "vorige.csv")
    d = maandpaar.write_csv(deze, tmp_path / "deze.csv")
    args = {
        "missing": [str(v), str(tmp_path / "weg.csv")],
        "same": [str(v), str(v)],
        "bad_month": [str(v), str(d), "--verslagmaand-nieuw", "2024-13"],
    }[broken]
    code = main(["controleer", *args, "-o", str(tmp_path / "uit"), "--stil"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1
    assert err[0].startswith("Fout: ")
    assert "Traceback" not in err[0]


def test_an_input_is_never_overwritten(tmp_path, capsys):
    vorige, deze = maandpaar.month_pair(50, seed=1)
    v = maandpaar.write_csv(vorige, tmp_path / "controle.csv")
    d = maandpaar.write_csv(deze, tmp_path / "deze.csv")
    before = v.read_bytes()
    code = main(["controleer", str(v), str(d), "-o", str(tmp_path), "--stil"])
    assert code == 2
    assert v.read_bytes() == before


def test_new_soort_codes_give_a_draft_email_for_the_vertaaltabel(tmp_path):
    vorige, deze = maandpaar.month_pair(300, seed=9)
    new = ~deze[REGNR].isin(vorige[REGNR])
    deze.loc[new, "Soort voorziening"] = "PB"
    deze.loc[new, "Omschrijving voorziening"] = "Participatiebaan"
    code, out = run(tmp_path, vorige, deze, "--vertaaltabel-melding")
    assert code == 0
    eml = (out / "vertaaltabelmelding.eml").read_text(encoding="utf-8")
    assert "X-Unsent: 1" in eml
    assert "SZ_SRG@cbs.nl" in eml
    text = (out / "vertaaltabelmelding.txt").read_text(encoding="utf-8-sig")
    assert "PB" in text
    assert "Participatiebaan" in text
    for value in (*vorige[BSN], *deze[BSN]):
        assert value not in eml
        assert value not in text


def test_no_new_soort_code_writes_no_email(tmp_path, capsys):
    code, out = run(tmp_path, *maandpaar.month_pair(200, seed=9), "--vertaaltabel-melding")
    assert code == 0
    assert not (out / "vertaaltabelmelding.eml").exists()
    assert "niet nodig" in capsys.readouterr().out


def test_without_the_option_no_email_is_written(tmp_path):
    vorige, deze = maandpaar.month_pair(200, seed=9)
    deze.loc[~deze[REGNR].isin(vorige[REGNR]), "Soort voorziening"] = "PB"
    _, out = run(tmp_path, vorige, deze)
    assert not (out / "vertaaltabelmelding.eml").exists()


def test_an_empty_delivery_is_a_finding_not_an_unusable_file(tmp_path):
    vorige, deze = maandpaar.month_pair(50, seed=3)
    code, out = run(tmp_path, vorige, deze.assign(BSN="123456789"))  # every row fails the elfproef
    assert code == 0
    codes = [line.split(";")[0] for line in csv_lines(out / "controle.csv")[1:]]
    assert "LEGE_LEVERING" in codes
    assert codes.count("BSN_ONGELDIG") == len(deze)


def test_last_month_without_one_usable_row_exits_2(tmp_path, capsys):
    vorige, deze = maandpaar.month_pair(50, seed=3)
    code, _ = run(tmp_path, vorige.assign(BSN="123456789"), deze)
    assert code == 2
    assert "vorige.csv" in capsys.readouterr().err


def test_an_output_folder_that_is_a_file_exits_2_before_reading(tmp_path, capsys):
    vorige, deze = maandpaar.month_pair(50, seed=3)
    v = maandpaar.write_csv(vorige, tmp_path / "vorige.csv")
    d = maandpaar.write_csv(deze, tmp_path / "deze.csv")
    blocker = tmp_path / "uit"
    blocker.write_text("geen map", encoding="utf-8")
    assert main(["controleer", str(v), str(d), "-o", str(blocker), "--stil"]) == 2
    assert capsys.readouterr().err.startswith("Fout: ")
