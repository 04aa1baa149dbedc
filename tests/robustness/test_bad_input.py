"""Bad input never crashes: whatever bytes `inspect` and `match` get, the outcome is a result with
the problems reported (exit 0) or one Dutch InvoerFout (exit 2, 'Fout: …' on stderr), never a
traceback."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from srgdesk.core.errors import InvoerFout
from srgdesk.core.export import load_export
from srgdesk.core.reading import read_table

from .helpers import HEADER, bsn_from, csv_text, row, run, write_csv

ROOT = Path(__file__).resolve().parents[2]
DEMO_NIEUW = ROOT / "resources" / "demo" / "nieuw.csv"
DATA = Path(__file__).resolve().parents[1] / "data" / "robust"
FIXTURE_SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
DUTCH_WORDS = ("bestand", "export", "regel", "werkmap", "kolom", "opnieuw", "Kies", "Controleer")


def assert_clean_outcome(code: int, out: str, err: str) -> None:
    """Exit 0 (problems reported) or exit 2 with one Dutch message; never anything else."""
    assert code in (0, 2), (code, out, err)
    assert "Traceback" not in out + err
    if code == 2:
        assert err.startswith("Fout: "), err
        assert any(word in err for word in DUTCH_WORDS), err


def inspect_bytes(data: bytes, suffix: str, capsys) -> tuple[int, str, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_bytes(data)
        return run(["inspect", path], capsys)


def xlsx_bytes(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_rows(n: int = 5) -> list[list[str]]:
    return [row(bsn_from(i), f"VZ{i:04d}") for i in range(n)]


# --- arbitrary and damaged bytes ---------------------------------------------------------------


@settings(FIXTURE_SETTINGS, max_examples=60)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_inspect_survives_arbitrary_bytes(data, suffix, capsys):
    assert_clean_outcome(*inspect_bytes(data, suffix, capsys))


_CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "0363",
            "GM0363",
            "4021",
            "=1+1",
            "#N/A",
            '"',
            '""',
            ";",
            "\r\n",
            "20230101",
            "31-02-2024",
            "123456782",
            "0",
            "-5",
            "1e308",
            "\x00",
        ]
    ),
)


@settings(FIXTURE_SETTINGS, max_examples=60)
@given(
    header=st.lists(
        st.sampled_from([*HEADER, "Verslagmaand", "Loonwaarde", "", "x"]), min_size=1, max_size=10
    ),
    cells=st.lists(st.lists(_CELL, max_size=12), max_size=8),
    sep=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_inspect_and_match_survive_csv_shaped_noise(header, cells, sep, encoding, capsys):
    text = sep.join(header) + "\r\n" + "\r\n".join(sep.join(c) for c in cells)
    data = text.encode(encoding, errors="replace")
    assert_clean_outcome(*inspect_bytes(data, ".csv", capsys))
    with tempfile.TemporaryDirectory() as folder:
        oud = Path(folder) / "oud.csv"
        oud.write_bytes(data)
        result = run(["match", oud, DEMO_NIEUW, "-o", Path(folder) / "uit", "--stil"], capsys)
        assert_clean_outcome(*result)


@pytest.fixture(scope="module")
def workbook_bytes() -> bytes:
    return xlsx_bytes([row(bsn_from(i), f"VZ{i}") for i in range(40)])


@settings(FIXTURE_SETTINGS, max_examples=40)
@given(fraction=st.floats(min_value=0.0, max_value=0.999))
def test_truncated_xlsx_is_refused_in_dutch(workbook_bytes, fraction, capsys):
    cut = workbook_bytes[: max(4, int(len(workbook_bytes) * fraction))]
    code, out, err = inspect_bytes(cut, ".xlsx", capsys)
    assert_clean_outcome(code, out, err)
    assert code == 2


@settings(FIXTURE_SETTINGS, max_examples=40)
@given(flips=st.lists(st.tuples(st.floats(0, 0.999), st.integers(1, 255)), min_size=1, max_size=20))
def test_corrupted_xlsx_never_crashes(workbook_bytes, flips, capsys):
    data = bytearray(workbook_bytes)
    for where, xor in flips:
        data[int(where * len(data))] ^= xor
    assert_clean_outcome(*inspect_bytes(bytes(data), ".xlsx", capsys))


def test_zip_that_is_not_a_workbook_is_refused(tmp_path, capsys):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "geen werkmap")
    code, _out, err = inspect_bytes(buffer.getvalue(), ".xlsx", capsys)
    assert code == 2
    assert "geen leesbare werkmap" in err


@pytest.mark.parametrize("name", ["beveiligd.xlsx", "beveiligd.xls"])
def test_password_protected_workbook_says_remove_the_password(name, capsys):
    code, _out, err = run(["inspect", DATA / name], capsys)
    assert code == 2
    assert "wachtwoord" in err
    assert "Excel" in err


# --- shapes of text files -------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n\t  ", b"\xef\xbb\xbf"])
def test_empty_file_is_refused_in_dutch(tmp_path, content, capsys):
    path = tmp_path / "leeg.csv"
    path.write_bytes(content)
    code, _out, err = run(["inspect", path], capsys)
    assert code == 2
    assert "Fout:" in err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_header_only_file_is_refused_with_what_to_do(tmp_path, suffix, capsys):
    path = tmp_path / f"kop{suffix}"
    if suffix == ".csv":
        write_csv(path, [])
    else:
        path.write_bytes(xlsx_bytes([]))
    code, _out, err = run(["inspect", path], capsys)
    assert code == 2
    assert "geen gegevensregels" in err


def test_one_megabyte_single_line_is_refused(tmp_path, capsys):
    path = tmp_path / "lang.csv"
    path.write_bytes(b"A" * 1_000_000)
    code, _out, err = run(["inspect", path], capsys)
    assert code == 2
    assert "Fout:" in err


def test_one_megabyte_cell_makes_its_row_ongeldig_and_the_rest_usable(tmp_path, capsys):
    rows = good_rows(4)
    rows[1][3] = "X" * 1_000_000  # registratienummer
    path = write_csv(tmp_path / "lang.csv", rows)
    export = load_export(path)
    assert len(export.voorzieningen.frame) == 3
    assert export.voorzieningen.ongeldig["regel"].tolist() == [3]
    code, out, _err = run(["inspect", path], capsys)
    assert code == 0
    assert "langer dan 15 tekens" in out


def test_two_hundred_columns_are_read_and_mapped(tmp_path):
    extra = [f"Veld {i}" for i in range(192)]
    header = extra[:100] + HEADER + extra[100:]
    rows = [[f"w{i}" for i in range(100)] + r + [f"v{i}" for i in range(92)] for r in good_rows(6)]
    export = load_export(write_csv(tmp_path / "breed.csv", rows, header=header))
    assert len(export.table.headers) == 200
    assert len(export.voorzieningen.frame) == 6
    assert export.mapping.column("bsn") == "BSN"


def test_mixed_encodings_in_one_file_keep_every_row(tmp_path):
    rows = good_rows(3)
    rows[0][5] = "Participatie – traject"  # UTF-8 en dash
    utf8 = csv_text(rows).encode("utf-8")
    cp1252 = csv_text([row(bsn_from(99), "VZ0099", omschrijving="Café déjà")])
    data = utf8 + cp1252.split("\r\n", 1)[1].encode("cp1252")
    path = tmp_path / "gemengd.csv"
    path.write_bytes(data)
    export = load_export(path)
    assert len(export.voorzieningen.frame) == 4
    assert export.voorzieningen.frame["bsn"].tolist()[-1] == bsn_from(99)


def test_utf16_export_is_read(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes(csv_text(good_rows(3)).encode("utf-16"))
    assert len(load_export(path).voorzieningen.frame) == 3


def test_nul_bytes_deep_in_a_text_file_are_refused_or_reported(tmp_path, capsys):
    data = csv_text(good_rows(200)).encode() + b"0363;4021;\x00\x00;x\r\n"
    assert_clean_outcome(*inspect_bytes(data, ".csv", capsys))


# --- workbook cells -------------------------------------------------------------------------


def test_formula_and_error_cells_become_reported_problems(tmp_path, capsys):
    rows: list[list[object]] = [list(r) for r in good_rows(4)]
    rows[0][6] = "=DATE(2023,1,1)"  # a formula without a cached value
    rows[1][6] = "#N/A"
    rows[2][5] = '=HYPERLINK("http://x","klik")'  # formula in free text
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    sheet["G3"].data_type = "e"  # a real error cell, as Excel stores #N/A (calamine reads '')
    path = tmp_path / "formules.xlsx"
    workbook.save(path)
    export = load_export(path)
    assert sorted(export.voorzieningen.ongeldig["regel"]) == [2, 3]
    reasons = " ".join(export.voorzieningen.ongeldig["reden"])
    assert "Begindatum" in reasons
    code, _out, _err = run(["inspect", path], capsys)
    assert code == 0


def test_dates_from_1900_and_2999_are_used(tmp_path):
    rows: list[list[object]] = [list(r) for r in good_rows(4)]
    rows[0][6], rows[0][7] = dt.datetime(1900, 1, 1), dt.datetime(2999, 12, 31)
    rows[1][6], rows[1][7] = dt.datetime(1900, 3, 1), dt.datetime(2999, 1, 1)
    rows[2][6], rows[2][7] = "19000101", "29991231"
    rows[3][6], rows[3][7] = "01-01-1900", "31-12-2999"
    path = tmp_path / "datums.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    export = load_export(path)
    assert len(export.voorzieningen.frame) == 4, export.voorzieningen.problemen


def test_dates_outside_the_calendar_are_ongeldig_not_crashes(tmp_path, capsys):
    rows = good_rows(5)
    for r, (begin, einde) in zip(
        rows,
        [
            ("18991231", ""),
            ("00000000", ""),
            ("29-02-1900", ""),
            ("20230101", "99999999"),
            ("2958466", ""),
        ],
        strict=True,
    ):
        r[6], r[7] = begin, einde
    path = write_csv(tmp_path / "raar.csv", rows)
    export = load_export(path)
    assert export.voorzieningen.frame.empty
    assert len(export.voorzieningen.ongeldig) == 5
    code, _out, err = run(["inspect", path], capsys)
    assert code == 2
    assert "geen enkele regel is bruikbaar" in err


def test_match_of_unusable_input_is_exit_2_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "oud.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    code, _out, err = run(["match", bad, DEMO_NIEUW, "-o", tmp_path / "uit"], capsys)
    assert code == 2
    assert err.startswith("Fout: ")
    assert not (tmp_path / "uit").exists()


def test_missing_input_is_an_invoerfout():
    with pytest.raises(InvoerFout, match="bestaat niet"):
        read_table(Path("/nergens/export.csv"))
