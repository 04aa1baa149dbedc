"""The one pipeline: file → table → mapping → voorzieningen → verslagmaand, with the user's
options (LaadOpties) as the GUI and the CLI pass them."""

import re
from datetime import date

import pandas as pd
import pytest
from exportgen import STANDAARD, Gen, gen_frame, workbook
from hypothesis import HealthCheck, example, given, settings
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
    path.write_text("\r\n".join(fixed) + "\r\n", encoding="utf-8", newline="")
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
    assert m.column("soort") == "Kolom E"
    assert m.bronnen["begindatum"] == BRON_INHOUD
    assert any("herkend aan de inhoud" in line for line in export.samenvatting())


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


def test_a_description_under_a_number_header_is_not_taken_as_registratienummer(tmp_path):
    from srgdesk.core.mapping import propose_mapping
    from srgdesk.core.reading import read_table

    headers = {k: v for k, v in STANDAARD.items() if k != "registratienummer"}
    gen = Gen(rows=10, headers=headers, extra_kolommen={"Voorzieningnummer": "Traject extern"})
    mapping = propose_mapping(read_table(gen.write(tmp_path / "export.csv")))
    assert mapping.column("registratienummer") is None


def test_one_future_starter_does_not_turn_a_lost_voorziening_into_beeindigd(tmp_path):
    """The old export runs in December 2023; one voorziening ends in March 2024 but is missing
    from the new export (ontbreekt). A starter in July 2024 in the new export must not move the
    new verslagmaand past March and hide the loss as 'beëindigd'."""
    from srgdesk.core.matching import match

    oud_gen = Gen(rows=120, laatste_begin=date(2023, 12, 10))
    records = oud_gen.records()
    lost = records[1]["registratienummer"]
    header = ";".join(STANDAARD.values())

    def write(path, rows):
        lines = [header] + [";".join(r[k] for k in STANDAARD) for r in rows]
        path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
        return path

    records[1]["einddatum"] = "20240331"
    oud = load_export(write(tmp_path / "oud.csv", records), LaadOpties(verslagmaand="202312"))
    nieuw_rows = [dict(r) for i, r in enumerate(records) if i != 1]
    for r in nieuw_rows:  # a new package: new numbers, same people and dates
        r["registratienummer"] = "N" + r["registratienummer"]
    nieuw_rows += [
        {**nieuw_rows[0], "registratienummer": f"N9{i}", "begindatum": "20240110"} for i in range(3)
    ]
    nieuw_rows.append({**nieuw_rows[0], "registratienummer": "N99", "begindatum": "20240715"})
    nieuw = load_export(write(tmp_path / "nieuw.csv", nieuw_rows))
    assert nieuw.periode.maand == "202401"
    regels = match(oud.voorzieningen, nieuw.voorzieningen).regels
    status = regels.loc[regels["oud_registratienummer"] == lost, "status"].tolist()
    assert status == ["ontbreekt"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_loading_can_be_cancelled_and_reports_progress(tmp_path, suffix):
    from srgdesk.core.errors import Geannuleerd
    from srgdesk.core.progress import Voortgang

    gen = Gen(rows=20)
    if suffix == "csv":
        path = gen.write(tmp_path / "export.csv")
    else:
        path = workbook(tmp_path / "export.xlsx", {"A": gen_frame(gen), "B": gen_frame(gen)})
    seen: list[str] = []
    load_export(path, voortgang=Voortgang(on_progress=lambda f, m: seen.append(m)))
    assert seen
    with pytest.raises(Geannuleerd):
        load_export(path, voortgang=Voortgang(is_cancelled=lambda: True))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.permutations(list(STANDAARD)),
    st.sampled_from(["%Y%m%d", "%d-%m-%Y", "%Y-%m-%d"]),
    st.integers(min_value=0, max_value=50),
)
def test_headerless_columns_in_any_order_are_found_by_content(tmp_path, order, formaat, seed):
    headers = {veld: f"Kolom {chr(65 + i)}" for i, veld in enumerate(order)}
    gen = Gen(rows=40, seed=seed, headers=headers, datum_formaat=formaat, gemeente="Den Haag")
    export = load_export(
        gen.write(tmp_path / f"export{seed}.csv"),
        LaadOpties.maak(vast={"berichtgevercode": "4021"}),
    )
    for veld in ("bsn", "gemeentecode", "registratienummer", "soort", "begindatum", "einddatum"):
        assert export.mapping.column(veld) == headers[veld], veld
    assert len(export.voorzieningen.frame) == 40


def test_rows_of_sheets_read_together_are_reported_with_their_sheet(tmp_path):
    bad = gen_frame(Gen(rows=4, seed=9, registratienummer_breedte=12))
    bad.iloc[1, 2] = "123456789"  # fails the elfproef
    path = workbook(tmp_path / "export.xlsx", {"Deel 1": gen_frame(Gen(rows=5)), "Deel 2": bad})
    v = load_export(path).voorzieningen
    assert [p.waar for p in v.problemen] == ["Deel 2!3"]
    assert len(v.frame) == 8


def test_a_row_read_around_a_stray_quote_is_reported_not_hidden(tmp_path):
    path = Gen(rows=6).write(tmp_path / "export.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(";")
    cells[4] = '"' + cells[4]  # one opening quote never closed, in the soort of row 4
    lines[3] = ";".join(cells)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    v = load_export(path).voorzieningen
    assert v.totaal_regels == 6
    assert any(p.regel == 4 for p in v.problemen)


def _shape_by_definition(values: list[str]) -> tuple[str, int] | None:
    """_number_shape written out value by value, as its docstring says."""
    if not values or not all(re.fullmatch(r"\d+", v) for v in values):
        return None
    zeros = [v.startswith("0") for v in values]
    if len({len(v) for v in values}) == 1 and sum(zeros) / len(values) >= 0.5:
        return ("vast", len(values[0]))
    return None if any(zeros) else ("kaal", max(map(len, values)))


@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("00123a\u0663\n")), max_size=4) | st.just("0012"),
        max_size=6,
    )
)
@example(["0012", "1231"])
@example(["0012", "٣"])
@example(["0012", "12\n3"])  # a line break inside a value is no digit
@example(["12", "3\n4"])
@example(["", ""])
def test_number_shape_of_registratienummers_follows_its_definition(values):
    from srgdesk.core.export import _number_shape

    assert _number_shape(pd.Series(values, dtype=object)) == _shape_by_definition(values)


@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda width: st.lists(
            st.text(alphabet=st.sampled_from(list("0019a\n")), min_size=width, max_size=width),
            min_size=1,
            max_size=8,
        )
    )
)
@example(["0012", "12\n3"])  # the breaks add up to one width, a value holds one: no number
def test_number_shape_of_values_of_one_width_follows_its_definition(values):
    """Values of one width are read as a matrix of their bytes: the same shape."""
    from srgdesk.core.export import _number_shape

    assert _number_shape(pd.Series(values, dtype=object)) == _shape_by_definition(values)
