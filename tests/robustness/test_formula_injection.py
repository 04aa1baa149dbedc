"""No formula injection: a registratienummer or code that starts with =, +, -, @, tab or CR is
`ongeldig` and never passed on (altered or not); free text is a text cell in xlsx and neutralised
in csv (OWASP), and LibreOffice opening the outputs runs no formula."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from srgdesk.core.conversion import csv_bytes
from srgdesk.core.values import FORMULA_START
from srgdesk.core.xlsx_writer import write_xlsx

from .helpers import bsn_from, read_csv_cells, read_matches, row, run, write_csv

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
PAYLOADS = [
    '=HYPERLINK("http://x.invalid","klik")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


def pair_files(tmp_path: Path, field: int, value: str, side: str) -> tuple[Path, Path]:
    old = [row(bsn_from(i), f"OUD{i}") for i in range(4)]
    new = [row(bsn_from(i), f"NIEUW{i}") for i in range(4)]
    target = old if side == "oud" else new
    target[1][field] = value
    return write_csv(tmp_path / "oud.csv", old), write_csv(tmp_path / "nieuw.csv", new)


def all_output_cells(folder: Path) -> list[str]:
    cells = [c for p in folder.glob("*.csv") for r in read_csv_cells(p) for c in r]
    for path in folder.glob("*.xlsx"):
        for sheet in load_workbook(path).worksheets:
            cells.extend(str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None)
    return cells


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize(
    ("field", "side"), [(3, "oud"), (4, "nieuw")], ids=["registratienummer", "soort"]
)
def test_registratienummer_or_soort_starting_like_a_formula_is_ongeldig(
    tmp_path_factory, prefix, field, side, capsys
):
    rest = '1+cmd|" /C calc"!A0'
    value = prefix + "X" + rest
    folder = tmp_path_factory.mktemp("inj")
    oud, nieuw = pair_files(folder, field, value, side)
    code, _out, err = run(
        ["match", oud, nieuw, "-o", folder / "uit", "--accepteer", "waarschijnlijk", "--stil"],
        capsys,
    )
    assert code == 0, err
    rows = read_matches(folder / "uit")
    bad = [r for r in rows if r[f"{side}_regel"] == "3"]
    assert len(bad) == 1
    assert bad[0]["status"] == "ongeldig"
    assert "formuleteken" in bad[0]["reden"] or "onzichtbare tekens" in bad[0]["reden"]
    conversie = read_csv_cells(folder / "uit" / "conversiebestand.csv")
    assert len(conversie) == 1 + 3  # the three clean pairs; the poisoned row is not passed on
    assert not any(value.strip() in c for r in conversie for c in r)
    for cell in all_output_cells(folder / "uit"):  # the report shows it, but never as a formula
        assert not cell.startswith(FORMULA_START), cell


@pytest.mark.parametrize(
    ("field", "value"), [(0, "=0363"), (1, "+4021"), (0, "@0363"), (1, "-4021")]
)
def test_gemeente_or_berichtgevercode_starting_like_a_formula_is_ongeldig(
    tmp_path, field, value, capsys
):
    oud, nieuw = pair_files(tmp_path, field, value, "oud")
    code, _out, err = run(["match", oud, nieuw, "-o", tmp_path / "uit", "--stil"], capsys)
    assert code == 0, err
    bad = [r for r in read_matches(tmp_path / "uit") if r["oud_regel"] == "3"]
    assert bad[0]["status"] == "ongeldig"


def test_free_text_in_csv_is_neutralised_as_owasp_advises():
    frame = pd.DataFrame(
        {
            "omschrijving": [*PAYLOADS, "Gewoon", "Re-integratie", "'=al"],
            "reden": ["x"] * (len(PAYLOADS) + 3),
        }
    )
    cells = [r[0] for r in read_csv_text(csv_bytes(frame))[1:]]
    for original, written in zip(frame["omschrijving"], cells, strict=True):
        if original.startswith(FORMULA_START):
            assert written == "'" + original
        else:
            assert written == original


def read_csv_text(data: bytes) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_free_text_in_xlsx_is_stored_as_text_cells(tmp_path):
    frame = pd.DataFrame(
        {"omschrijving": PAYLOADS, "reden": PAYLOADS[::-1], "nummer": ["0001"] * len(PAYLOADS)}
    )
    path = tmp_path / "uit.xlsx"
    with path.open("wb") as stream:
        write_xlsx(stream, frame, "Blad")
    sheet = load_workbook(path).active
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            assert cell.data_type == "s", (cell.coordinate, cell.value)

    def same(text: str) -> str:  # a bare CR in XML may be read back as LF
        return text.replace("\r", "\n")

    stored = [same(c.value) for c in sheet["A"][1:]]
    assert stored == [same(p) for p in PAYLOADS]  # stored unchanged, as text
    assert sheet["C2"].value == "0001"


def test_reden_in_matches_csv_never_starts_like_a_formula(tmp_path, capsys):
    oud, nieuw = pair_files(tmp_path, 3, "=1+1", "oud")
    run(["match", oud, nieuw, "-o", tmp_path / "uit", "--stil"], capsys)
    for r in read_matches(tmp_path / "uit"):
        for value in r.values():
            assert not value.startswith(FORMULA_START), value


# --- LibreOffice round trip --------------------------------------------------------------------

SOFFICE = shutil.which("soffice")
# CSV import options: ; separator, " quote, UTF-8, from line 1, standard columns, language 0,
# quoted-as-text off, detect special numbers on, ..., token 13 = evaluate formulas ON: the most
# dangerous way a spreadsheet can open our file.
CSV_IN = "CSV:59,34,76,1,,0,false,true,false,false,false,-1,true"
CSV_OUT = "csv:Text - txt - csv (StarCalc):59,34,76,1"


def soffice_to_csv(source: Path, outdir: Path, infilter: str | None) -> list[list[str]]:
    profile = outdir / "profiel"
    command = [
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        CSV_OUT,
        "--outdir",
        str(outdir / "lo"),
    ]
    if infilter:
        command.insert(-4, f"--infilter={infilter}")
    subprocess.run([*command, str(source)], check=True, capture_output=True, timeout=120)
    result = outdir / "lo" / (source.stem + ".csv")
    return read_csv_cells(result)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_round_trip_runs_no_formula(tmp_path):
    frame = pd.DataFrame({"omschrijving": ["=1+1", "+2+2", "-3+3", "@SUM(4,4)", "Gewoon"]})
    (tmp_path / "ons.csv").write_bytes(csv_bytes(frame))
    (tmp_path / "controle.csv").write_bytes(
        "omschrijving\r\n=1+1\r\n=2+2\r\n".replace(",", ";").encode()
    )
    with (tmp_path / "ons.xlsx").open("wb") as stream:
        write_xlsx(stream, frame, "Blad")
    control = Workbook()
    control.active.append(["omschrijving"])
    control.active.append(["=1+1"])
    control.save(tmp_path / "controle_xlsx.xlsx")

    # Controls: the same round trip does run an unprotected formula, so it can see one.
    assert soffice_to_csv(tmp_path / "controle.csv", tmp_path, CSV_IN)[1:] == [["2"], ["4"]]
    assert soffice_to_csv(tmp_path / "controle_xlsx.xlsx", tmp_path, None)[1] == ["2"]

    ours_csv = [r[0] for r in soffice_to_csv(tmp_path / "ons.csv", tmp_path, CSV_IN)[1:]]
    assert ours_csv == ["'=1+1", "'+2+2", "'-3+3", "'@SUM(4,4)", "Gewoon"]
    ours_xlsx = [r[0] for r in soffice_to_csv(tmp_path / "ons.xlsx", tmp_path, None)[1:]]
    assert ours_xlsx == ["=1+1", "+2+2", "-3+3", "@SUM(4,4)", "Gewoon"]
