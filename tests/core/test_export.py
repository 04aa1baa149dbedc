"""The one pipeline: file → table → mapping → voorzieningen → verslagmaand, with the user's
options (LaadOpties) as the GUI and the CLI pass them."""

from datetime import date

import pandas as pd
import pytest
from exportgen import STANDAARD, Gen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srgdesk.core.errors import InvoerFout
from srgdesk.core.export import (
    LaadOpties,
    WerkbladKeuzeNodig,
    load_export,
    read_voorzieningen_table,
    voorloopnullen_advies,
)
from srgdesk.core.mapping import BRON_INHOUD, BRON_VAST
from srgdesk.core.values import OPEN
from srgdesk.core.verslagmaand import BRON_BESTANDSNAAM, BRON_KOLOM

ZONDER_CODES = {k: v for k, v in STANDAARD.items() if k not in ("gemeentecode", "berichtgevercode")}


def test_without_code_columns_the_user_gives_each_value_once(tmp_path):
    path = Gen(headers=ZONDER_CODES).write(tmp_path / "export.csv")
    with pytest.raises(InvoerFout, match="--vast-oud gemeentecode=WAARDE"):
        load_export(path)
    export = load_export(
        path, LaadOpties.maak(vast={"gemeentecode": "Den Haag", "berichtgevercode": "4021"})
    )
    frame = export.voorzieningen.frame
    assert set(frame["gemeentecode"]) == {"0518"}
    assert set(frame["berichtgevercode"]) == {"4021"}
    assert export.mapping.bronnen["gemeentecode"] == BRON_VAST
    assert any("0518" in line for line in export.samenvatting())


@pytest.mark.parametrize(
    ("veld", "waarde", "fout"),
    [
        ("gemeentecode", "Nergenshuizen", "geen gemeentecode"),
        ("berichtgevercode", "40211", "4 cijfers"),
        ("bsn", "123456782", "geen vaste waarde"),
        ("verslagmaand", "2024-13", "JJJJMM"),
    ],
)
def test_a_wrong_fixed_value_is_one_dutch_error(tmp_path, veld, waarde, fout):
    path = Gen().write(tmp_path / "export.csv")
    with pytest.raises(InvoerFout, match=fout):
        load_export(path, LaadOpties.maak(vast={veld: waarde}))


def test_a_column_of_gemeente_names_gives_the_gemeentecode(tmp_path):
    headers = {**ZONDER_CODES, "gemeentecode": "Gemeente"}
    path = Gen(headers=headers, gemeente="'s-Gravenhage").write(tmp_path / "export.csv")
    export = load_export(path, LaadOpties.maak(vast={"berichtgevercode": "4021"}))
    assert set(export.voorzieningen.frame["gemeentecode"]) == {"0518"}
    assert export.voorzieningen.problemen == []


@pytest.mark.parametrize(
    "open_value", ["", "00000000", "99991231", "31-12-9999", "9999-12-31", "-"]
)
def test_open_einddatums_as_packages_write_them_are_no_broken_rows(tmp_path, open_value):
    gen = Gen(rows=30, einde_open=open_value)
    export = load_export(gen.write(tmp_path / "export.csv"))
    v = export.voorzieningen
    assert len(v.frame) == 30
    assert v.problemen == []
    assert v.zonder_einddatum == 20  # every third row has a real einddatum
    assert v.open_markeringen == (0 if open_value == "" else 20)
    assert any("20 voorziening(en) zonder einddatum" in line for line in export.samenvatting())


def test_separate_year_and_month_columns_make_the_verslagmaand(tmp_path):
    gen = Gen(extra_kolommen={"Statistiekjaar": "2023", "Statistiekmaand": "12"})
    export = load_export(gen.write(tmp_path / "export.csv"))
    assert export.mapping.column("verslagjaar") == "Statistiekjaar"
    assert export.mapping.column("verslagmaand") == "Statistiekmaand"
    assert set(export.voorzieningen.frame["verslagmaand"]) == {"202312"}
    assert export.periode.maand == "202312"
    assert export.periode.bron == BRON_KOLOM


def test_the_file_name_gives_the_verslagmaand_and_matching_sees_it(tmp_path):
    from srgdesk.core.verslagmaand import determine_period

    export = load_export(Gen(laatste_begin=date(2024, 5, 1)).write(tmp_path / "SRG_202401.csv"))
    assert export.periode.maand == "202401"
    assert export.periode.bron == BRON_BESTANDSNAAM
    assert determine_period(export.voorzieningen.frame, None, "oude").bron == BRON_BESTANDSNAAM


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(["%Y%m%d", "%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d 00:00:00"]))
def test_dates_in_every_accepted_form_are_read(tmp_path, formaat):
    export = load_export(Gen(datum_formaat=formaat).write(tmp_path / "export.csv"))
    assert export.voorzieningen.problemen == []
    assert export.mapping.column("begindatum") == "Begindatum"


def test_excel_serial_numbers_under_a_begindatum_header_are_dates(tmp_path):
    gen = Gen(rows=10)
    path = gen.write(tmp_path / "export.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    serial = ["45292", "45293.0"] * 5  # 1 and 2 January 2024
    fixed = [lines[0]] + [
        ";".join([*line.split(";")[:5], serial[i], ""]) for i, line in enumerate(lines[1:])
    ]
    path.write_text("\r\n".join(fixed) + "\r\n", encoding="utf-8")
    export = load_export(path)
    assert export.mapping.column("begindatum") == "Begindatum"
    assert export.voorzieningen.problemen == []


def test_leading_zeros_excel_ate_are_reported_and_restored_only_when_asked(tmp_path):
    oud = load_export(Gen(zonder_nullen=True, rows=20).write(tmp_path / "oud.csv"))
    nieuw = load_export(Gen(registratienummer_breedte=10, rows=20).write(tmp_path / "nieuw.csv"))
    advies = voorloopnullen_advies(oud, nieuw)
    assert advies is not None
    assert (advies.rol, advies.breedte) == ("oud", 10)
    assert "voorloopnullen" in advies.tekst
    assert "--nullen-oud 10" in advies.tekst
    assert oud.voorzieningen.frame["registratienummer"].iat[0] == "1000"  # never silently changed
    padded = load_export(tmp_path / "oud.csv", LaadOpties(nullen=10))
    assert padded.voorzieningen.frame["registratienummer"].iat[0] == "0000001000"
    assert padded.voorzieningen.aangevuld == 20
    assert voorloopnullen_advies(padded, nieuw) is None


def test_no_advice_when_both_exports_look_alike(tmp_path):
    a = load_export(Gen(rows=20).write(tmp_path / "a.csv"))
    b = load_export(Gen(rows=20, seed=2).write(tmp_path / "b.csv"))
    assert voorloopnullen_advies(a, b) is None


def test_columns_are_found_by_content_when_headers_say_nothing(tmp_path):
    headers = {v: f"Kolom {chr(65 + i)}" for i, v in enumerate(STANDAARD)}
    export = load_export(
        Gen(headers=headers, gemeente="Amsterdam").write(tmp_path / "export.csv"),
        LaadOpties.maak(vast={"berichtgevercode": "4021"}),
    )
    m = export.mapping
    assert m.column("bsn") == "Kolom C"
    assert m.column("gemeentecode") == "Kolom A"
    assert m.column("registratienummer") == "Kolom D"
    assert m.column("begindatum") == "Kolom F"
    assert m.column("einddatum") == "Kolom G"
    assert m.bronnen["begindatum"] == BRON_INHOUD
    assert any("herkend aan de inhoud" in line for line in export.samenvatting())


def workbook(path, sheets: dict[str, pd.DataFrame]):
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for naam, frame in sheets.items():
            frame.to_excel(writer, sheet_name=naam, index=False)
    return path


def gen_frame(gen: Gen) -> pd.DataFrame:
    records = gen.records()
    return pd.DataFrame([{gen.headers[k]: r[k] for k in gen.headers} for r in records], dtype=str)


def test_sheets_without_voorzieningen_are_skipped_and_named(tmp_path):
    path = workbook(
        tmp_path / "export.xlsx",
        {
            "Telling": pd.DataFrame({"Product": ["A", "B"], "Aantal": ["3", "4"]}),
            "Voorzieningen": gen_frame(Gen(rows=12)),
            "Notities": pd.DataFrame({"Tekst": ["gemaakt door X"]}),
        },
    )
    table, notes = read_voorzieningen_table(path, None)
    assert table.werkblad == "Voorzieningen"
    assert len(table.regels) == 12
    assert any("'Telling' overgeslagen" in n for n in notes)
    assert any("'Notities' overgeslagen" in n for n in notes)
    export = load_export(path)
    assert any("Telling" in line for line in export.samenvatting())


def test_several_sheets_with_voorzieningen_in_different_layouts_ask_which_one(tmp_path):
    anders = {**STANDAARD, "bsn": "Burgerservicenummer"}
    path = workbook(
        tmp_path / "export.xlsx",
        {
            "Lopend": gen_frame(Gen(rows=5)),
            "Historie": gen_frame(Gen(rows=7, seed=3, headers=anders)),
        },
    )
    with pytest.raises(WerkbladKeuzeNodig) as keuze:
        load_export(path)
    assert [(k.naam, k.regels) for k in keuze.value.kandidaten] == [("Lopend", 5), ("Historie", 7)]
    assert "--werkblad-oud" in keuze.value.melding
    assert len(load_export(path, LaadOpties(werkblad="Historie")).voorzieningen.frame) == 7


def test_reasons_never_carry_a_bsn_or_a_geboortedatum(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Begindatum;Einddatum;Geboortedatum\r\n"
        "0363;4021;123456789;0001;01;20240101;;31-02-1980\r\n",
        encoding="utf-8",
    )
    v = load_export(path).voorzieningen
    texts = [p.tekst() for p in v.problemen] + v.ongeldig["reden"].tolist()
    assert texts
    assert not any("123456789" in t or "1980" in t for t in texts)
    assert all(p.waarde == "" for p in v.problemen)


def test_open_einddatum_is_open_not_a_date(tmp_path):
    export = load_export(Gen(rows=3, einde_open="99991231").write(tmp_path / "export.csv"))
    assert (export.voorzieningen.frame["einddatum"] == OPEN).sum() == 2


def test_sheets_with_the_same_header_are_read_together(tmp_path):
    path = workbook(
        tmp_path / "export.xlsx",
        {
            "Deel 1": gen_frame(Gen(rows=5)),
            "Telling": pd.DataFrame({"Product": ["A"], "Aantal": ["3"]}),
            "Deel 2": gen_frame(Gen(rows=4, seed=9, registratienummer_breedte=12)),
        },
    )
    table, notes = read_voorzieningen_table(path, None)
    assert len(table.regels) == 9
    assert table.verwijzing(5) == "Deel 2!2"
    assert any("samen gelezen" in n for n in notes)
    assert any("'Telling' overgeslagen" in n for n in notes)
    assert len(load_export(path).voorzieningen.frame) == 9
