"""Column mapping: header names first, then content; the user overrides; presets per package."""

from dataclasses import replace

import pandas as pd
import pytest

from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import VERPLICHTE_VELDEN, field_for_header, normalise_header
from srgdesk.core.mapping import (
    BRON_INHOUD,
    BRON_KOPNAAM,
    apply_overrides,
    apply_preset,
    load_presets,
    propose_mapping,
    require_complete,
    save_preset,
)
from srgdesk.core.reading import RawTable


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
