"""The gemeente list and the herindelingen since 2019."""

from datetime import date

from srgdesk.core import gemeenten


def test_lookup_by_code_in_any_spelling():
    assert gemeenten.gemeentenaam("1900") == "Súdwest-Fryslân"
    assert gemeenten.gemeentenaam("GM0363") == "Amsterdam"
    assert gemeenten.gemeentenaam(363) == "Amsterdam"
    assert gemeenten.gemeentenaam("9999") is None
    assert gemeenten.gemeentenaam("abc") is None
    assert gemeenten.gemeente("0796").label == "'s-Hertogenbosch (0796)"


def test_current_list_has_342_gemeenten_sorted_by_name():
    current = gemeenten.huidige_gemeenten(date(2025, 6, 1))
    assert len(current) == 342
    assert all(not g.opgeheven for g in current)
    names = [g.naam for g in current]
    assert names.index("'s-Gravenhage") > names.index("Rotterdam")  # sorted under S
    assert "Haren" not in names
    assert "Weesp" not in names


def test_list_on_a_past_day():
    names = {g.naam for g in gemeenten.huidige_gemeenten(date(2018, 6, 1))}
    assert "Haren" in names
    assert "Groningen" in names
    assert "Westerkwartier" not in names  # exists from 2019
    assert "Weesp" in {g.naam for g in gemeenten.huidige_gemeenten(date(2022, 3, 23))}
    assert "Weesp" not in {g.naam for g in gemeenten.huidige_gemeenten(date(2022, 3, 24))}


def test_where_a_merged_gemeente_went():
    assert [(h.nieuwe_code, h.datum) for h in gemeenten.opgegaan_in("0457")] == [
        ("0363", date(2022, 3, 24))
    ]
    haaren = {h.nieuwe_naam for h in gemeenten.opgegaan_in("0788")}
    assert haaren == {"Boxtel", "Oisterwijk", "Tilburg", "Vught"}
    assert gemeenten.opgegaan_in("0363") == []


def test_which_gemeenten_merged_into_a_code():
    voorne = gemeenten.samengevoegd_tot("1992", op=date(2023, 1, 31))
    assert sorted(h.oude_naam for h in voorne) == ["Brielle", "Hellevoetsluis", "Westvoorne"]
    assert gemeenten.samengevoegd_tot("1992", op=date(2022, 12, 31)) == []
    groningen = gemeenten.samengevoegd_tot("0014", op=date(2025, 1, 1))
    assert {h.oude_naam for h in groningen} == {"Ten Boer", "Haren"}


def test_every_herindeling_refers_to_known_codes():
    known = gemeenten.load_gemeenten()
    for h in gemeenten.load_herindelingen():
        assert h.oude_code in known
        assert h.nieuwe_code in known
        assert known[h.oude_code].geldig_tot is not None


def test_one_parser_for_codes_labels_names_and_aliases():
    parse = gemeenten.parse_gemeentecode
    assert parse("363") == parse("GM0363") == parse("363.0") == parse(" 0363 ") == "0363"
    assert parse("Amsterdam (0363)") == "0363"
    assert parse("Den Haag") == parse("Haag") == parse("'s-Gravenhage") == "0518"
    assert parse("DEN HAAG") == parse("s gravenhage") == "0518"
    assert parse("Den Bosch") == parse("'s-Hertogenbosch") == "0796"
    assert parse("sudwest fryslan") == "1900"
    assert parse("Bergen") is None  # two gemeenten: say which
    assert parse("Bergen (NH.)") == "0373"
    assert parse("Nergenshuizen") is None
    assert parse("") is None
    assert parse(None) is None


def test_den_haag_is_an_alias_in_the_gemeente_list():
    assert "Den Haag" in gemeenten.gemeente("0518").aliassen
    assert "Haag" in gemeenten.gemeente("0518").aliassen
