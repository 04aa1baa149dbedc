"""Header recognition generalises: names are split into words, abbreviations and glued words
understood, and scored against each field's words; names that only look alike are refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srgdesk.core.fields import SPELLINGEN, field_for_header, header_words, recognise_header


@pytest.mark.parametrize(
    ("header", "veld"),
    [
        ("VZ_NR", "registratienummer"),
        ("Voorz.nr.", "registratienummer"),
        ("NrVoorziening", "registratienummer"),
        ("BegDat", "begindatum"),
        ("EINDDAT_VZ", "einddatum"),
        ("Client-BSN", "bsn"),
        ("SoortVoorz", "soort"),
        ("DatumIngang", "begindatum"),
        ("StartDt", "begindatum"),
        ("Dat_Einde", "einddatum"),
        ("GEM_CD", "gemeentecode"),
        ("BG-Nr", "berichtgevercode"),
        ("Statistiekjaar", "verslagjaar"),
        ("Statistiekmaand", "verslagmaand"),
        ("OmschrVoorz", "omschrijving"),
        ("Begindatum voorziening (verplicht)", "begindatum"),
        ("GebDat", "geboortedatum"),
        ("Soort omschrijving", "omschrijving"),
        ("Omschrijving soort voorziening", "omschrijving"),
    ],
)
def test_names_packages_write_map_without_help(header, veld):
    assert field_for_header(header) == veld


@pytest.mark.parametrize(
    "header",
    [
        "Klantnummer",
        "Clientnummer",
        "Registratiedatum",
        "Aanmaakdatum",
        "Datum",
        "Huisnummer",
        "Postcode",
        "Kolom A",
        "VZ-0000979",
        "Mutatiedatum",
        "Dossiernummer",
        "Registratienummer klant",  # the client's number, not the voorziening's
        "Einde registratie",
        "Begindatum dossier",
    ],
)
def test_names_that_only_look_alike_are_not_mapped(header):
    assert field_for_header(header) is None


def test_a_birth_date_is_never_a_begindatum():
    assert field_for_header("Geboortedatum") == "geboortedatum"
    assert field_for_header("Geb.datum client") == "geboortedatum"


def test_words_split_on_case_separators_and_glue():
    assert header_words("EINDDAT_VZ") == ("eind", "datum", "voorziening")
    assert header_words("NrVoorziening") == ("nummer", "voorziening")
    assert header_words("cliënt-bsn") == ("client", "bsn")


# Generated names: each field's own words, in any known spelling, joined with any separator,
# in any case and (for two words) either order, must map to that field.
NAMES = {
    "registratienummer": [("registratie", "nummer"), ("voorziening", "nummer")],
    "begindatum": [("begin", "datum"), ("begin",)],
    "einddatum": [("eind", "datum"), ("eind",)],
    "bsn": [("bsn",), ("client", "bsn")],
    "gemeentecode": [("gemeente", "code"), ("gemeente",)],
    "berichtgevercode": [("berichtgever", "code"), ("berichtgever", "nummer")],
    "soort": [("soort", "voorziening"), ("soort",), ("soort", "code")],
    "geboortedatum": [("geboorte", "datum")],
}
SEPARATORS = ["_", "-", ".", " ", "/", "", "camel"]


@st.composite
def generated_header(draw):
    veld = draw(st.sampled_from(sorted(NAMES)))
    words = list(draw(st.sampled_from(NAMES[veld])))
    if len(words) == 2 and draw(st.booleans()):
        words.reverse()
    spellings = [draw(st.sampled_from(SPELLINGEN[w])) for w in words]
    separator = draw(st.sampled_from(SEPARATORS))
    case = draw(st.sampled_from(["lower", "upper", "title"]))
    if separator == "camel":
        name = "".join(s.capitalize() for s in spellings)
    else:
        cased = [getattr(s, case)() for s in spellings]
        name = separator.join(cased)
    return veld, name, separator


@given(generated_header())
def test_generated_names_map_to_their_field(case):
    veld, name, _separator = case
    assert recognise_header(name).veld == veld, (name, header_words(name))


def test_every_spelling_combination_maps_to_its_field():
    """The exhaustive version of the property above (17k names, well under a second)."""
    import itertools

    for veld, patterns in NAMES.items():
        for words in patterns:
            for order in set(itertools.permutations(words)):
                for spellings in itertools.product(*[SPELLINGEN[w] for w in order]):
                    for separator in ("_", "", " "):
                        for name in (
                            separator.join(spellings),
                            separator.join(s.upper() for s in spellings),
                            "".join(s.capitalize() for s in spellings),
                        ):
                            assert recognise_header(name).veld == veld, name


@given(st.sampled_from(sorted(NAMES)), st.sampled_from(["", "_", " "]))
def test_an_unknown_extra_word_lowers_the_score_but_keeps_the_field(veld, separator):
    words = NAMES[veld][0]
    name = separator.join([*words, "traject"]) if separator else " ".join([*words, "traject"])
    assert recognise_header(name).veld == veld
    assert recognise_header(name).score < recognise_header(" ".join(words)).score


# --- the stored synonyms table -------------------------------------------------------------------


def test_the_stored_synonyms_table_is_the_one_of_synonyms_toml():
    """_synoniemen.py is derived from resources/synonyms.toml; after editing that file, run
    `python tools/synoniemen_tabel.py`."""
    from srgdesk.core import _synoniemen
    from srgdesk.core.fields import synonym_table, synonyms_crc
    from srgdesk.core.resources import resource_path

    data = resource_path("synonyms.toml").read_bytes()
    assert synonyms_crc(data) == _synoniemen.CRC32, "run: python tools/synoniemen_tabel.py"
    assert synonyms_crc(data.replace(b"\n", b"\r\n")) == synonyms_crc(data)  # a Windows checkout
    assert synonym_table(data) == _synoniemen.TABEL
    assert list(_synoniemen.TABEL) == list(synonym_table(data))


def test_a_changed_synonyms_toml_is_read_itself(tmp_path, monkeypatch):
    """A synonyms.toml edited where srgdesk is installed counts, not the stored table."""
    import srgdesk.core.fields as fields
    from srgdesk.core.resources import resource_path

    text = resource_path("synonyms.toml").read_text(encoding="utf-8")
    edited = text.replace("[bsn]\nnames = [\n", '[bsn]\nnames = [\n  "sofie-code",\n', 1)
    assert edited != text
    (tmp_path / "synonyms.toml").write_text(edited, encoding="utf-8")
    monkeypatch.setattr(fields, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    fields.synonyms.cache_clear()
    fields.recognise_header.cache_clear()
    try:
        assert fields.synonyms()["sofiecode"] == "bsn"
        assert fields.field_for_header("Sofie-code") == "bsn"
    finally:
        fields.synonyms.cache_clear()
        fields.recognise_header.cache_clear()


@given(st.text())
def test_plain_text_is_the_text_without_its_accents(text):
    import unicodedata

    from srgdesk.core.fields import _plain

    decomposed = unicodedata.normalize("NFKD", text)
    assert _plain(text) == "".join(ch for ch in decomposed if not unicodedata.combining(ch))
