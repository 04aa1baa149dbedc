"""File types by content: HTML and XML 2003 'xls' files are tables, a PDF or Word file is refused,
an xlsx renamed to .csv is a workbook; workbooks with several sheets."""

import pytest
from reading_generators import (
    HEADER,
    NOT_EXPORTS,
    bsn,
    csv_bytes,
    data_rows,
    html_xls_bytes,
    write,
    xlsx_bytes,
    xml_2003_bytes,
)

from srgdesk.core.errors import InvoerFout
from srgdesk.core.reading import (
    Lezer,
    combine_sheets,
    read_sheets,
    read_sheets_together,
    read_table,
)


def test_an_html_table_saved_as_xls_is_read_as_a_table(tmp_path):
    rows = [HEADER, *data_rows(3)]
    table = read_table(write(tmp_path, "export.xls", html_xls_bytes(rows)))
    assert table.lezer == Lezer.HTML
    assert table.headers == HEADER  # never 'Gevonden kolommen: <html><head>…'
    assert table.cells.to_numpy().tolist() == rows[1:]
    assert "webpagina" in table.describe()


def test_a_bare_html_table_without_a_page_around_it_is_read_as_a_table(tmp_path):
    rows = [HEADER, *data_rows(2)]
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    table = read_table(write(tmp_path, "export.xls", f"<table>{body}</table>".encode()))
    assert table.lezer == Lezer.HTML
    assert table.headers == HEADER


def test_an_html_page_without_a_table_is_refused_in_dutch(tmp_path):
    path = write(tmp_path, "export.xls", b"<html><body><p>Geen gegevens</p></body></html>")
    with pytest.raises(InvoerFout, match="webpagina zonder tabel"):
        read_table(path)


def test_an_xml_spreadsheet_2003_is_read_sheet_by_sheet(tmp_path):
    data = xml_2003_bytes(
        {
            "Toelichting": [["Uitleg"]],
            "Voorzieningen": [
                HEADER,
                ["0363", "4021", 12345672, "0001", "07", "2024-01-20T00:00:00.000"],
                ["0363", "4021", 111222333, "0002", "07", "2024-02-01T00:00:00.000"],
            ],
        }
    )
    path = write(tmp_path, "export.xls", data)
    table = read_table(path)
    assert table.lezer == Lezer.XML_2003
    assert table.werkblad == "Voorzieningen"
    assert table.werkbladen == ["Toelichting", "Voorzieningen"]
    assert table.cells.iloc[0].tolist() == ["0363", "4021", "12345672", "0001", "07", "2024-01-20"]


def test_xml_2003_cell_index_and_merge_across_keep_columns_in_place(tmp_path):
    data = (
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Blad1">'
        b"<Table>"
        b'<Row><Cell ss:Index="2" ss:MergeAcross="1"><Data ss:Type="String">Voorziening</Data>'
        b"</Cell></Row>"
        b'<Row><Cell><Data ss:Type="String">BSN</Data></Cell><Cell><Data ss:Type="String">'
        b'Nummer</Data></Cell><Cell><Data ss:Type="String">Code</Data></Cell>'
        b'<Cell><Data ss:Type="String">Opmerking</Data></Cell></Row>'
        b'<Row ss:Index="4"><Cell><Data ss:Type="Number">123456782</Data></Cell>'
        b'<Cell ss:Index="3"><Data ss:Type="String">07</Data></Cell></Row>'
        b"</Table></Worksheet></Workbook>"
    )
    table = read_table(write(tmp_path, "export.xls", data))
    # The merge covers B:C only, so 'Opmerking' gets no group label.
    assert table.headers == ["BSN", "Voorziening Nummer", "Voorziening Code", "Opmerking"]
    assert table.regels == [4]
    assert table.cells.iloc[0].tolist() == ["123456782", "", "07", ""]


def test_an_xml_file_with_a_dtd_is_refused_without_expanding_it(tmp_path):
    preamble = '<!DOCTYPE Workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    data = xml_2003_bytes({"Blad1": [["&x;"]]}, preamble=preamble).replace(b"&amp;x;", b"&x;")
    with pytest.raises(InvoerFout, match="DTD"):
        read_table(write(tmp_path, "export.xls", data))


@pytest.mark.parametrize("kind", sorted(NOT_EXPORTS))
def test_files_that_are_no_export_are_refused_with_what_they_are(tmp_path, kind):
    with pytest.raises(InvoerFout) as caught:
        read_table(write(tmp_path, "export.csv", NOT_EXPORTS[kind]))
    melding = caught.value.melding
    assert "geen leesbare werkmap of export" in melding
    assert "tekstbestand" not in melding
    assert "scheidingsteken" not in melding


def test_an_xlsx_renamed_to_csv_is_read_as_a_workbook(tmp_path):
    rows = [HEADER, *data_rows(3)]
    table = read_table(write(tmp_path, "export.csv", xlsx_bytes({"Blad1": rows})))
    assert table.lezer == Lezer.CALAMINE
    assert table.cells.to_numpy().tolist() == rows[1:]


def test_a_csv_named_xlsx_is_read_as_text(tmp_path):
    table = read_table(write(tmp_path, "export.xlsx", csv_bytes([HEADER, *data_rows(2)])))
    assert table.lezer == Lezer.CSV_SNEL


# --- several sheets --------------------------------------------------------------------------


def _three_sheets(tmp_path):
    return write(
        tmp_path,
        "export.xlsx",
        xlsx_bytes(
            {
                "Blad1": [HEADER, *data_rows(3)],
                "Blad2": [HEADER, *data_rows(2, start=10)],
                "Telling": [["Soort", "Aantal"], ["07", 5]],
                "Leeg": [],
            }
        ),
    )


def test_read_sheets_gives_every_sheet_with_its_name_and_row_count(tmp_path):
    sheets = read_sheets(_three_sheets(tmp_path))
    assert [(s.naam, s.regels) for s in sheets] == [
        ("Blad1", 3),
        ("Blad2", 2),
        ("Telling", 1),
        ("Leeg", 0),
    ]
    assert sheets[0].tabel is not None
    assert sheets[0].tabel.headers == HEADER
    assert sheets[3].tabel is None
    assert "Werkblad 'Leeg'" in (sheets[3].fout or "")


def test_read_sheets_of_a_text_file_is_one_unnamed_table(tmp_path):
    sheets = read_sheets(write(tmp_path, "export.csv", csv_bytes([HEADER, *data_rows(2)])))
    assert [(s.naam, s.regels) for s in sheets] == [("", 2)]


def test_sheets_with_the_same_header_are_read_together_with_sheet_row_references(tmp_path):
    table = read_sheets_together(_three_sheets(tmp_path), ["Blad1", "Blad2"])
    assert table.regels == [2, 3, 4, 2, 3]
    assert table.verwijzingen == ["Blad1!2", "Blad1!3", "Blad1!4", "Blad2!2", "Blad2!3"]
    assert table.verwijzing(3) == "Blad2!2"
    assert table.werkbladen_gelezen == ["Blad1", "Blad2"]
    assert table.extra_velden == {}
    assert table.cells["BSN"].tolist() == [bsn(i) for i in (0, 1, 2, 10, 11)]
    assert "werkbladen 'Blad1', 'Blad2'" in table.describe()


def test_a_single_table_refers_to_rows_by_their_number(tmp_path):
    table = read_table(_three_sheets(tmp_path), werkblad="Blad2")
    assert table.verwijzingen is None
    assert table.verwijzing(1) == "3"


def test_sheets_with_different_headers_are_not_combined(tmp_path):
    sheets = {s.naam: s.tabel for s in read_sheets(_three_sheets(tmp_path))}
    with pytest.raises(InvoerFout, match="niet dezelfde kolommen"):
        combine_sheets([sheets["Blad1"], sheets["Telling"]])


def test_rows_with_extra_cells_in_combined_sheets_are_reported_by_sheet_reference(tmp_path):
    second = [HEADER, *data_rows(2, start=10)]
    second[2] = [*second[2], "los"]
    path = write(
        tmp_path,
        "export.xlsx",
        xlsx_bytes({"Blad1": [HEADER, *data_rows(2)], "Blad2": second}),
    )
    table = read_sheets_together(path, ["Blad1", "Blad2"])
    assert table.extra_per_rij == {3: 1}
    assert [p.tekst().split(":")[0] for p in table.leesproblemen] == ["Regel Blad2!3"]
