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
from openpyxl import Workbook, load_workbook

from srgdesk.core import reading
from srgdesk.core.errors import InvoerFout

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Gemeentecode", "BSN", "Registratienummer", "Soort", "Begindatum"]
ROWS = [["0363", "123456782", f"{i:07d}", "07", "20240101"] for i in range(20)]

resource = pytest.importorskip("resource", reason="peak memory is measured with resource (Unix)")


def read_in_fresh_process(path: Path) -> tuple[dict, float]:
    """read_table in a new interpreter: ('regels' or 'fout') and peak memory in MB."""
    code = (
        "import json, resource, sys\n"
        "from srgdesk.core.errors import InvoerFout\n"
        "from srgdesk.core.reading import read_table\n"
        "try:\n"
        "    table = read_table(sys.argv[1])\n"
        "    result = {'regels': len(table.regels), 'lezer': str(table.lezer)}\n"
        "except InvoerFout as fout:\n"
        "    result = {'fout': fout.melding}\n"
        "try:\n"  # VmHWM starts afresh at exec; ru_maxrss keeps the parent's peak on Linux
        "    status = open('/proc/self/status').read()\n"
        "    result['peak_mb'] = int(status.split('VmHWM:')[1].split()[0]) / 1024\n"
        "except (OSError, IndexError):\n"
        "    scale = 1 if sys.platform == 'darwin' else 1024\n"
        "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    result['peak_mb'] = peak * scale / 2**20\n"
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
    print(f"{path.name}: refused, peak {peak_mb:.0f} MB")
    assert peak_mb < 400, f"peak {peak_mb:.0f} MB"


def test_a_wide_sheet_with_a_stray_cell_in_column_a_is_refused(tmp_path):
    """ZZ1 makes the sheet 702 columns wide; then A200000 alone asks for 140M cells."""
    path = stray_cell_xlsx(tmp_path / "breed.xlsx", "ZZ1")
    workbook_path = tmp_path / "breed_en_lang.xlsx"
    workbook = load_workbook(path)
    workbook.active["A200000"] = "y"
    workbook.save(workbook_path)
    path = workbook_path
    result, peak_mb = read_in_fresh_process(path)
    assert "ZZ200000" in result["fout"]
    print(f"{path.name}: refused, peak {peak_mb:.0f} MB")
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
    print(f"{path.name}: refused, peak {peak_mb:.0f} MB")
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
    print(f"{path.name}: refused, peak {peak_mb:.0f} MB")
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


def ods_bytes(body: str) -> bytes:
    """A minimal OpenDocument spreadsheet with one sheet whose table XML is `body`."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Blad1">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def _ods_cell(value: str, repeat: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell{times} office:value-type="string"><text:p>{value}</text:p>'
        "</table:table-cell>"
    )


ODS_HEAD = (
    f"<table:table-row>{_ods_cell('BSN')}{_ods_cell('Registratienummer')}</table:table-row>"
    f"<table:table-row>{_ods_cell('123456782')}{_ods_cell('0001')}</table:table-row>"
)


def test_an_ods_with_empty_rows_repeated_to_the_end_of_the_sheet_is_read(tmp_path):
    """What LibreOffice writes after formatted rows: empty repeats, nothing to expand."""
    body = (
        ODS_HEAD + '<table:table-row table:number-rows-repeated="1048500">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    path = tmp_path / "leeg_herhaald.ods"
    path.write_bytes(ods_bytes(body))
    table = reading.read_table(path)
    assert table.headers == ["BSN", "Registratienummer"]
    assert table.regels == [2]


@pytest.mark.parametrize(("rows", "columns"), [(1_000_000, 1000), (300_000, 30)])
def test_an_ods_repeating_a_value_far_is_refused_before_it_is_expanded(tmp_path, rows, columns):
    body = (
        ODS_HEAD + f'<table:table-row table:number-rows-repeated="{rows}">'
        f"{_ods_cell('x', columns)}</table:table-row>"
    )
    path = tmp_path / "herhaald.ods"
    path.write_bytes(ods_bytes(body))
    assert path.stat().st_size < 2000
    result, peak_mb = read_in_fresh_process(path)
    assert "herhaalde cellen" in result["fout"]
    print(f"{path.name}: refused, peak {peak_mb:.0f} MB")
    assert peak_mb < 400, f"peak {peak_mb:.0f} MB"


def test_an_xml_2003_sheet_reaching_far_with_index_attributes_is_refused(tmp_path):
    data = (
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Blad1">'
        b'<Table><Row><Cell><Data ss:Type="String">BSN</Data></Cell></Row>'
        b'<Row ss:Index="900000"><Cell ss:Index="16000"><Data ss:Type="String">x</Data></Cell>'
        b"</Row></Table></Worksheet></Workbook>"
    )
    path = tmp_path / "ver.xls"
    path.write_bytes(data)
    result, peak_mb = read_in_fresh_process(path)
    assert "WQJ900000" in result["fout"]
    print(f"{path.name}: refused, peak {peak_mb:.0f} MB")
    assert peak_mb < 400, f"peak {peak_mb:.0f} MB"
