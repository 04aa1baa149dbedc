"""Column mapping: header names first, then content; the user overrides; presets per package."""

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import (
    VELD_BY_NAAM,
    VELD_NAMEN,
    VERPLICHTE_VELDEN,
    field_for_header,
    normalise_header,
)
from srgdesk.core.gemeenten import parse_gemeentecode
from srgdesk.core.mapping import (
    BRON_INHOUD,
    BRON_KOPNAAM,
    apply_overrides,
    apply_preset,
    content_fits,
    date_share,
    gemeente_name_share,
    load_presets,
    looks_like_bsn_column,
    propose_mapping,
    require_complete,
    save_preset,
)
from srgdesk.core.reading import RawTable
from srgdesk.core.values import GEEN, elfproef_vector, parse_date_column


def table(headers, rows):
    return RawTable(
        path=__import__("pathlib").Path("x.csv"),
        headers=headers,
        cells=pd.DataFrame(rows, columns=headers, dtype=object),
        regels=list(range(2, len(rows) + 2)),
        soort_bestand="csv",
        kopregel=1,
    )


@pytest.mark.parametrize(
    ("header", "veld"),
    [
        ("Registratienummer voorziening", "registratienummer"),
        ("REGISTRATIE_NR.", "registratienummer"),
        ("reg.nr", "registratienummer"),
        ("Burgerservicenummer", "bsn"),
        ("BSN cliënt", "bsn"),
        ("Datum begin", "begindatum"),
        ("ingangsdatum", "begindatum"),
        ("Einddatum voorziening", "einddatum"),
        ("Gem. code", "gemeentecode"),
        ("GM code", "gemeentecode"),
        ("berichtgever_code", "berichtgevercode"),
        ("Soort voorziening", "soort"),
        ("voorzieningcode", "soort"),
        ("Omschr.", "omschrijving"),
        ("Verslag-maand", "verslagmaand"),
        ("Geb. datum", "geboortedatum"),
        ("Loonwaarde %", "loonwaarde"),
    ],
)
def test_header_synonyms_with_spaces_underscores_capitals_and_dots(header, veld):
    assert field_for_header(header) == veld


def test_normalise_header_drops_accents_and_punctuation():
    assert normalise_header(" Beëindigings-Datum. ") == "beeindigingsdatum"


def test_columns_with_unknown_headers_are_recognised_by_content():
    rows = [
        ["0363", "4021", "012345672", "A1", "01", "20240101", ""],
        ["0363", "4021", "111222333", "A2", "03", "20230101", "20240101"],
    ]
    mapping = propose_mapping(
        table(
            ["gem", "bg", "klantnummer", "Registratienummer", "Soort", "Begindatum", "Einddatum"],
            rows,
        )
    )
    assert mapping.column("bsn") == "klantnummer"
    assert mapping.bronnen["bsn"] == BRON_INHOUD
    assert mapping.bronnen["registratienummer"] == BRON_KOPNAAM


def test_a_header_match_whose_content_clearly_misfits_is_not_used():
    rows = [["Noordstad", "012345672"], ["Zuiderveen", "111222333"]]  # no gemeente names
    mapping = propose_mapping(table(["Gemeente", "BSN"], rows))
    assert mapping.column("gemeentecode") is None
    assert mapping.column("bsn") == "BSN"


def test_user_override_moves_a_column_and_frees_the_old_field():
    rows = [["012345672", "012345672"]]
    mapping = propose_mapping(table(["BSN", "Sofinummer"], rows))
    assert mapping.column("bsn") == "BSN"
    changed = mapping.with_override("bsn", "Sofinummer")
    assert changed.column("bsn") == "Sofinummer"
    assert changed.bronnen["bsn"] == "gebruiker"
    assert mapping.column("bsn") == "BSN"  # the original is unchanged


def test_override_with_an_unknown_column_names_the_headers_found():
    t = table(["BSN"], [["012345672"]])
    with pytest.raises(InvoerFout, match=r"Kolom 'Klant' staat niet in x\.csv\. Kolommen: BSN"):
        apply_overrides(propose_mapping(t), {"bsn": "Klant"}, t)


def test_missing_required_columns_are_one_error_naming_fields_and_headers():
    t = table(["BSN", "Iets"], [["012345672", "x"]])
    mapping = propose_mapping(t)
    assert set(mapping.missing_required()) == set(VERPLICHTE_VELDEN) - {"bsn"}
    with pytest.raises(InvoerFout) as fout:
        require_complete(mapping, t)
    assert "Registratienummer voorziening" in fout.value.melding
    assert "Gevonden kolommen: BSN, Iets" in fout.value.melding


def test_presets_are_saved_by_name_and_applied_to_another_export(tmp_path):
    t = table(["Klant", "Nummer"], [["012345672", "A1"]])
    mapping = (
        propose_mapping(t)
        .with_override("registratienummer", "Nummer")
        .with_override("bsn", "Klant")
    )
    save_preset(tmp_path, "Pakket X/2024", mapping)
    presets = load_presets(tmp_path)
    assert list(presets) == ["Pakket X/2024"]
    applied = apply_preset(presets["Pakket X/2024"], t, propose_mapping(t))
    assert applied.column("registratienummer") == "Nummer"
    assert applied.column("bsn") == "Klant"


def test_fixed_values_and_width_survive_json_and_old_files_still_load():
    from srgdesk.core.mapping import ColumnMapping

    t = table(["BSN"], [["012345672"]])
    mapping = propose_mapping(t).with_vast("gemeentecode", "0363")
    mapping = replace(mapping, nullen=10)
    again = ColumnMapping.from_json(mapping.to_json())
    assert again.vast == {"gemeentecode": "0363"}
    assert again.nullen == 10
    assert "gemeentecode" not in again.missing_required()
    old = ColumnMapping.from_json({"columns": {"bsn": "BSN"}, "bronnen": {}})
    assert old.vast == {}
    assert old.nullen is None


def test_a_column_chosen_later_replaces_the_fixed_value():
    t = table(["BSN", "Gem"], [["012345672", "0363"]])
    mapping = propose_mapping(t).with_vast("gemeentecode", "0518")
    chosen = mapping.with_override("gemeentecode", "Gem")
    assert chosen.vast == {}
    assert chosen.column("gemeentecode") == "Gem"


# --- content judged per distinct value: the same answers as judging every row ------------------


# The judgement of every row as it was before content was judged per distinct value: the
# reference the faster code must agree with.
def _old_filled(column):
    values = column.astype(str).str.strip()
    return values[values != ""]


def _unique(values):
    """values.unique(), but without the one flaw of the old code (not kept): pandas' unique took
    '\x00' and '\x000' for one text (it hashes text up to a NUL), which the counts did not."""
    return list(dict.fromkeys(values))


def _old_date_share(column, open_ok=False):
    values = _old_filled(column)
    if values.empty:
        return 0.0
    unique = pd.Series(_unique(values), dtype=object)
    days, _ = parse_date_column(unique, "", empty_is_open=open_ok)
    days[unique.str.fullmatch(r"\d{1,4}(\.0+)?").to_numpy(dtype=bool)] = GEEN
    weights = values.value_counts().reindex(unique).to_numpy()
    shaped = unique.str.match(
        r"^(\d{8}|\d{4}-\d{1,2}-\d{1,2}.*|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}.*)$"
    ).to_numpy(dtype=bool)
    return float(weights[(days != GEEN) | shaped].sum() / weights.sum())


def _old_bsn_share(values):
    digits = values.str.replace(r"[ .]", "", regex=True)
    plain = digits.str.fullmatch(r"\d{8,9}").to_numpy(dtype=bool)
    if not plain.any():
        return 0.0
    valid = np.zeros(len(digits), dtype=bool)
    valid[plain] = elfproef_vector(digits[plain].str.zfill(9).to_numpy())
    return float(valid.mean())


def _old_gemeente_name_share(column):
    values = _unique(_old_filled(column))
    if not len(values):
        return 0.0
    names = [v for v in values if not re.fullmatch(r"(?i)(GM)?\s*\d+", v)]
    if not names:
        return 0.0
    return sum(parse_gemeentecode(v) is not None for v in names) / len(values)


def _old_content_fits(veld, column, strict=False):
    values = _old_filled(column)
    if values.empty:
        return not strict
    kind = VELD_BY_NAAM[veld].soort
    threshold = 0.8 if strict else 0.5
    if kind == "bsn" and strict:
        share = _old_bsn_share(values)
    elif kind == "bsn":
        share = values.str.fullmatch(r"[0-9 .]{7,11}").mean()
    elif kind == "datum" and strict:
        share = _old_date_share(values, open_ok=veld == "einddatum")
    elif kind == "datum":
        share = max(
            _old_date_share(values, open_ok=veld == "einddatum"),
            values.str.contains(r"\d").mean(),
        )
    elif kind == "code":
        share = values.str.fullmatch(r"(?i)(GM)?\s*\d{1,4}(\.0+)?").mean()
        if veld == "gemeentecode" and share < threshold:
            share = _old_gemeente_name_share(values)
    elif kind == "maand":
        share = values.str.fullmatch(r"\d{4}-?\d{1,2}|\d{1,2}(\.0+)?").mean()
    elif kind == "jaar":
        share = values.str.fullmatch(r"(19|20)\d\d(\.0+)?").mean()
    elif kind == "getal":
        share = values.str.fullmatch(r"\d{1,3}([.,]\d+)?%?").mean()
    elif veld == "registratienummer":
        share = values.str.fullmatch(r"\S{1,20}").mean()
    else:
        return True
    return bool(share >= threshold)


_MESSY_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "  \t",
            "00000000",
            "99991231",
            "-",
            "0",
            "20240101",
            " 20240131 ",
            "2024-02-30",
            "31-02-2024",
            "1-mrt-2023",
            "45000",
            "12",
            "123",
            "1.0",
            "0363",
            "GM0363",
            "gm 363",
            "Den Haag",
            "'s-Gravenhage",
            "Onbekendstad",
            "202401",
            "2024-1",
            "012345672",
            "12345672",
            "123.456.782",
            "111222333",
            "1900",
            "2024",
            "50%",
            "7,5",
            "A-17",
            "VZ 1",
            "a\x00b",
            "Zoë",
            "١٢٣٤٥٦٧٨٩",
            "2024/01/05",
            "5.1.2024",
            "x" * 25,
        ]
    ),
    st.text(alphabet="0123456789 .-/GMaëé\x00\xa0", max_size=12),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_MESSY_CELLS, max_size=40), st.booleans())
def test_content_is_judged_per_distinct_value_exactly_as_per_row(cells, strict):
    column = pd.Series(cells, dtype=object)
    for veld in VELD_NAMEN:
        assert content_fits(veld, column, strict) == _old_content_fits(veld, column, strict), veld
    for open_ok in (False, True):
        assert date_share(column, open_ok) == _old_date_share(column, open_ok)
    assert gemeente_name_share(column) == _old_gemeente_name_share(column)
    values = _old_filled(column.head(200))
    old_bsn = bool(len(values)) and _old_bsn_share(values) >= 0.5
    assert looks_like_bsn_column(column) == old_bsn


def test_content_of_cells_that_are_not_text_is_judged_as_their_text():
    column = pd.Series([20240101, None, 1.0, "0363"], dtype=object)
    for veld in VELD_NAMEN:
        assert content_fits(veld, column, True) == _old_content_fits(veld, column, True), veld
    assert date_share(column) == _old_date_share(column)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["20240101", "01-02-2024", "1-mrt-2023", "", "-", "abc", "x1", "45000"]),
        min_size=0,
        max_size=12,
    ),
    st.sampled_from(["begindatum", "einddatum"]),
)
def test_a_date_header_fits_as_its_dates_or_digits_say(cells, veld):
    """Under a date header the column fits when half its values are dates or hold a digit:
    the digits are counted first, the dates parsed only when they do not settle it."""
    from srgdesk.core.mapping import _DIGIT, _Gevuld, content_fits, date_share

    column = pd.Series(cells, dtype=object)
    values = _Gevuld.van(column)
    if not values.totaal:
        expected = True
    else:
        dates = date_share(values, open_ok=veld == "einddatum")
        expected = max(dates, values.share(_DIGIT.search)) >= 0.5
    assert content_fits(veld, column) == expected
