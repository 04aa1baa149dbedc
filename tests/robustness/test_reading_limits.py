"""Bounded resources when reading: hostile workbooks and text files are refused in Dutch before
the reader allocates for them, and the largest accepted export stays within 1.5 GB.

Each hostile file is generated here, small on disk; the read runs in a fresh process whose peak
memory (resource.getrusage) is measured, so an allocation that would abort the test run shows
up as a failed test instead."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from srgdesk.core import reading
from srgdesk.core.errors import InvoerFout

from .peak import PEAK_KB_SOURCE

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Gemeentecode", "BSN", "Registratienummer", "Soort", "Begindatum"]
ROWS = [["0363", "123456782", f"{i:07d}", "07", "20240101"] for i in range(20)]

resource = pytest.importorskip("resource", reason="peak memory is measured with resource (Unix)")


def read_in_fresh_process(path: Path) -> tuple[dict, float]:
    """read_table in a new interpreter: ('regels' or 'fout') and peak memory in MB."""
    code = PEAK_KB_SOURCE + (
        "import json, sys\n"
        "from srgdesk.core.errors import InvoerFout\n"
        "from srgdesk.core.reading import read_table\n"
        "try:\n"
        "    table = read_table(sys.argv[1])\n"
        "    result = {'regels': len(table.regels), 'lezer': str(table.lezer)}\n"
        "except InvoerFout as fout:\n"
        "    result = {'fout': fout.melding}\n"
        "result['peak_mb'] = peak_kb() / 1024\n"
        "print(json.dumps(result))\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert process.returncode == 0, process.stderr[-3000:]  # no abort, no traceback
    result = json.loads(process.stdout.strip().splitlines()[-1])
    return result, result["peak_mb"]


def stray_cell_xlsx(path: Path, cell: str) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Voorzieningen"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet[cell] = "x"
    workbook.save(path)
    return path


@pytest.mark.parametrize("cell", ["XFD1048576", "ZZ1000000"])
def test_one_stray_cell_far_away_is_refused_naming_the_cell(tmp_path, cell):
    path = stray_cell_xlsx(tmp_path / "verdwaald.xlsx", cell)
    assert path.stat().st_size < 20_000
    result, peak_mb = read_in_fresh_process(path)
    assert cell in result["fout"]
    assert "Verwijder in Excel de lege rijen" in result["fout"]
    assert peak_mb < 400, f"peak {peak_mb:.0f} MB"


def _rewrite_sheet(source: Path, target: Path, change) -> Path:
    """Copy an xlsx, passing its first worksheet's XML through `change`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            new.writestr(info.filename, data)
    return target


def test_a_stray_cell_behind_a_lying_dimension_and_other_attribute_order_is_found(tmp_path):
    plain = stray_cell_xlsx(tmp_path / "gewoon.xlsx", "F21")

    def hide(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:F21"/>', b'<dimension ref="A1:E21"/>')
        return xml.replace(b'<c r="F21" t="inlineStr">', b'<c t="inlineStr" r="XFD1048576">')

    path = _rewrite_sheet(plain, tmp_path / "verstopt.xlsx", hide)
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    result, peak_mb = read_in_fresh_process(path)
    assert "XFD1048576" in result["fout"]
    assert peak_mb < 400, f"peak {peak_mb:.0f} MB"


def test_a_stray_cell_within_the_limits_is_read(tmp_path):
    path = stray_cell_xlsx(tmp_path / "dichtbij.xlsx", "AZ5000")
    table = reading.read_table(path)
    assert table.regels[:20] == list(range(2, 22))
    assert table.regels[-1] == 5000


def test_an_uncompressed_part_past_the_limit_is_refused(tmp_path, monkeypatch):
    path = stray_cell_xlsx(tmp_path / "bom.xlsx", "E21")
    monkeypatch.setattr(reading, "MAX_PART_BYTES", 1000)
    with pytest.raises(InvoerFout, match="uitgepakt"):
        reading.read_table(path)


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "groot.csv"
    path.write_text("A;B\n" + "1;2\n" * 1000, encoding="utf-8")
    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    with pytest.raises(InvoerFout, match="groter dan"):
        reading.read_table(path)


def test_a_csv_of_blank_separator_lines_counts_them_and_is_refused_quickly(tmp_path):
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"A;B;C;D;E;F\n" + b";;;;;\n" * 2_100_000)
    result, peak_mb = read_in_fresh_process(path)
    assert "meer dan 1.000.000 regels" in result["fout"]
    assert peak_mb < 400, f"peak {peak_mb:.0f} MB"


def test_blank_lines_count_toward_the_row_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 100)
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"A;B\n1;2\n" + b";\n" * 150 + b"3;4\n")
    with pytest.raises(InvoerFout, match="meer dan 100 regels"):
        reading.read_table(path)


def test_a_workbook_with_too_many_rows_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    monkeypatch.setattr(reading, "HEADER_SCAN_ROWS", 5)
    path = stray_cell_xlsx(tmp_path / "lang.xlsx", "E21")
    with pytest.raises(
        InvoerFout, match=r"Werkblad .Voorzieningen. in lang\.xlsx heeft meer dan 5"
    ):
        reading.read_table(path)


def test_a_workbook_just_past_the_row_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 10)
    path = stray_cell_xlsx(tmp_path / "lang.xlsx", "E21")
    with pytest.raises(InvoerFout, match="meer dan 10 regels"):
        reading.read_table(path)


def test_a_million_row_csv_is_read_within_one_and_a_half_gigabyte(tmp_path):
    path = tmp_path / "miljoen.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Begindatum\n")
        stream.writelines(
            f"0363;4021;{100000000 + i};VZ{i:08d};07;20230101\n" for i in range(1_000_000)
        )
    result, peak_mb = read_in_fresh_process(path)
    print(f"1M rows: peak {peak_mb:.0f} MB")
    assert result.get("regels") == 1_000_000, result
    assert peak_mb <= 1536, f"peak {peak_mb:.0f} MB"


def test_a_limit_refusal_is_one_dutch_message_without_cell_values(tmp_path):
    path = stray_cell_xlsx(tmp_path / "verdwaald.xlsx", "XFD1048576")
    with pytest.raises(InvoerFout) as caught:
        reading.read_table(path)
    assert "123456782" not in caught.value.melding
    assert caught.value.melding.count("\n") == 0
    assert isinstance(io.StringIO(caught.value.melding).read(), str)
