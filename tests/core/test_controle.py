"""The monthly check (issue 16): every signalering on a generated month pair with one planted
problem, and a clean month (same keys, a few ended and new) without any."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srgdesk.core.controle import controleer, load_soorten
from srgdesk.core.controle.model import KOLOMMEN
from srgdesk.core.export import load_export
from srgdesk.core.matching import MatchOpties
from srgdesk.core.vocabulary import Ernst

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _maandpaar():
    sys.path.insert(0, str(BENCHMARKS))  # maandpaar imports generate beside it
    spec = importlib.util.spec_from_file_location("maandpaar", BENCHMARKS / "maandpaar.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


maandpaar = _maandpaar()
REGNR, BSN, SOORT = "Registratienummer voorziening", "BSN", "Soort voorziening"
BEGIN, EINDE = "Begindatum voorziening", "Einddatum voorziening"
ISSUE_TABLE = {
    "SLEUTEL_GEWIJZIGD": Ernst.FOUT,
    "VERDWENEN": Ernst.FOUT,
    "NUMMER_HERGEBRUIKT": Ernst.FOUT,
    "DUBBELE_SLEUTEL": Ernst.FOUT,
    "EINDE_VOOR_BEGIN": Ernst.FOUT,
    "REGNR_ONGELDIG": Ernst.FOUT,
    "CODE_ONGELDIG": Ernst.FOUT,
    "BSN_ONGELDIG": Ernst.FOUT,
    "GEMEENTE_OPGEHEVEN": Ernst.FOUT,
    "NIEUWE_SOORTCODE": Ernst.WAARSCHUWING,
    "BEGIN_NA_VERSLAGMAAND": Ernst.WAARSCHUWING,
    "AANTAL_AFWIJKEND": Ernst.WAARSCHUWING,
    "LEGE_LEVERING": Ernst.FOUT,
}


@pytest.fixture
def paar():
    return maandpaar.month_pair(1000, seed=3)


def check(tmp_path: Path, vorige: pd.DataFrame, deze: pd.DataFrame, **opties):
    v = maandpaar.write_csv(vorige, tmp_path / "vorige.csv")
    d = maandpaar.write_csv(deze, tmp_path / "deze.csv")
    return controleer(
        load_export(v).voorzieningen, load_export(d).voorzieningen, MatchOpties(**opties)
    )


def rows(resultaat, code: str) -> pd.DataFrame:
    s = resultaat.signaleringen
    return s[s["code"] == code]


def running_row(deze: pd.DataFrame) -> int:
    """Index of a voorziening that runs on in `deze` without einddatum."""
    return int(deze.index[deze[EINDE] == ""][5])


def regel(index: int) -> int:
    return index + 2  # header on row 1


# --- the table itself ------------------------------------------------------------------------


def test_every_signalering_of_the_issue_has_its_code_and_ernst():
    soorten = load_soorten()
    assert {code: soorten[code].ernst for code in ISSUE_TABLE} == ISSUE_TABLE


def test_the_report_has_exactly_the_columns_of_the_issue():
    assert KOLOMMEN == [
        "code",
        "ernst",
        "bestand",
        "regel",
        "gemeentecode",
        "berichtgevercode",
        "registratienummer",
        "uitleg",
    ]


# --- a clean month ---------------------------------------------------------------------------


def test_a_clean_month_gives_no_signalering(tmp_path, paar):
    vorige, deze = paar
    assert (deze[EINDE] != "").any()  # some end this month ...
    assert len(set(deze[REGNR]) - set(vorige[REGNR])) >= 10  # ... and some are new
    resultaat = check(tmp_path, vorige, deze)
    assert resultaat.aantal(Ernst.FOUT) == 0
    assert resultaat.signaleringen.empty
    assert "Geen signaleringen" in resultaat.samenvatting()[-1]


# --- one planted problem per signalering -----------------------------------------------------


def test_a_new_number_for_a_running_voorziening_is_sleutel_gewijzigd(tmp_path, paar):
    vorige, deze = paar
    i = running_row(deze)
    old_number = deze.at[i, REGNR]
    deze.loc[i, REGNR] = "NIEUW0001"
    found = rows(check(tmp_path, vorige, deze), "SLEUTEL_GEWIJZIGD")
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["bestand"], row["regel"], row["registratienummer"]) == (
        "vorige",
        regel(vorige.index[vorige[REGNR] == old_number][0]),
        old_number,
    )
    assert "NIEUW0001" in row["uitleg"]
    assert f"regel {regel(i)}" in row["uitleg"]


def test_a_running_voorziening_that_is_gone_is_verdwenen(tmp_path, paar):
    vorige, deze = paar
    i = running_row(deze)
    number = deze.at[i, REGNR]
    found = rows(check(tmp_path, vorige, deze.drop(index=i)), "VERDWENEN")
    assert list(found["registratienummer"]) == [number]
    assert list(found["bestand"]) == ["vorige"]


def test_a_voorziening_that_ended_last_month_may_be_gone(tmp_path, paar):
    vorige, deze = paar
    ended = set(vorige[REGNR]) - set(deze[REGNR])
    assert ended  # the generator ends some last month; they are not in this month's export
    assert rows(check(tmp_path, vorige, deze), "VERDWENEN").empty


def test_a_number_now_used_for_another_person_is_nummer_hergebruikt(tmp_path, paar):
    vorige, deze = paar
    i = running_row(deze)
    deze.loc[i, BSN] = "111222333"  # passes the elfproef, not in last month's export
    found = rows(check(tmp_path, vorige, deze), "NUMMER_HERGEBRUIKT")
    assert list(found["regel"]) == [regel(i)]
    assert "andere persoon" in found.iloc[0]["uitleg"]
    assert "111222333" not in found.iloc[0]["uitleg"]


def test_a_number_now_used_for_another_voorziening_of_the_person_is_nummer_hergebruikt(
    tmp_path, paar
):
    vorige, deze = paar
    i = running_row(deze)
    other = "BW" if deze.at[i, SOORT] != "BW" else "JC"
    deze.loc[i, SOORT] = other
    found = rows(check(tmp_path, vorige, deze), "NUMMER_HERGEBRUIKT")
    assert list(found["regel"]) == [regel(i)]
    assert f"→ {other}" in found.iloc[0]["uitleg"]


def test_same_key_same_person_other_soort_and_begin_is_nummer_hergebruikt_not_gewijzigd(
    tmp_path, paar
):
    """Matching may put such a pair on twijfel (gekoppeld, not ongewijzigd): the key did not
    change, so it is NUMMER_HERGEBRUIKT and never SLEUTEL_GEWIJZIGD (QA finding)."""
    vorige, deze = paar
    i = running_row(deze)
    deze.loc[i, SOORT] = "BW" if deze.at[i, SOORT] != "BW" else "JC"
    deze.loc[i, BEGIN] = "20240201"
    resultaat = check(tmp_path, vorige, deze)
    assert rows(resultaat, "SLEUTEL_GEWIJZIGD").empty
    found = rows(resultaat, "NUMMER_HERGEBRUIKT")
    assert list(found["regel"]) == [regel(i)]
    assert "andere voorziening" in found.iloc[0]["uitleg"]
    assert "begindatum" in found.iloc[0]["uitleg"]


def test_sleutel_gewijzigd_wording_matches_its_zekerheid():
    from srgdesk.core.controle.checks import sleutel_gewijzigd_uitleg

    for zekerheid, woord in (("waarschijnlijk", "waarschijnlijk"), ("twijfel", "mogelijk")):
        tekst = sleutel_gewijzigd_uitleg("nummer X", 7, "reden", zekerheid)
        assert woord in tekst
        assert f"zekerheid: {zekerheid}" in tekst
    assert "waarschijnlijk" not in sleutel_gewijzigd_uitleg("nummer X", 7, "reden", "twijfel")


def test_a_key_used_twice_is_dubbele_sleutel(tmp_path, paar):
    vorige, deze = paar
    i = running_row(deze)
    twin = deze.loc[[i]].assign(**{BEGIN: "20240301"})
    exact = deze.loc[[i + 1]]
    deze = pd.concat([deze, twin, exact], ignore_index=True)
    found = rows(check(tmp_path, vorige, deze), "DUBBELE_SLEUTEL")
    assert list(found["regel"]) == [regel(len(deze) - 2), regel(len(deze) - 1)]


def test_an_einddatum_before_the_begindatum_is_einde_voor_begin(tmp_path, paar):
    vorige, deze = paar
    i = running_row(deze)
    deze.loc[i, EINDE] = "20100101"
    found = rows(check(tmp_path, vorige, deze), "EINDE_VOOR_BEGIN")
    assert list(found["regel"]) == [regel(i)]


@pytest.mark.parametrize(
    ("number", "flagged"),
    [
        ("A234567890123456", True),  # 16 characters
        ("R-00042", True),  # a character other than a letter or digit
        ("R 42", True),
        ("", True),
        ("A23456789012345", False),  # 15 letters and digits: fine
        ("000042", False),
    ],
)
def test_registratienummer_rules(tmp_path, paar, number, flagged):
    vorige, deze = paar
    i = running_row(deze)
    deze.loc[i, REGNR] = number
    found = rows(check(tmp_path, vorige, deze), "REGNR_ONGELDIG")
    assert list(found["regel"]) == ([regel(i)] if flagged else [])


@pytest.mark.parametrize(
    ("column", "value", "flagged"),
    [
        ("Gemeentecode", "03630", True),
        ("Berichtgevercode", "40A1", True),
        ("Gemeentecode", "GM0363", False),
        ("Gemeentecode", "363", False),  # Excel dropped the leading zero: padded
    ],
)
def test_codes_must_be_four_digits(tmp_path, paar, column, value, flagged):
    vorige, deze = paar
    i = running_row(deze)
    deze.loc[i, column] = value
    found = rows(check(tmp_path, vorige, deze), "CODE_ONGELDIG")
    assert list(found["regel"]) == ([regel(i)] if flagged else [])


def test_a_bsn_that_fails_the_elfproef_is_bsn_ongeldig_and_never_shown(tmp_path, paar):
    vorige, deze = paar
    i = running_row(deze)
    bad = deze.at[i, BSN][:-1] + str((int(deze.at[i, BSN][-1]) + 1) % 10)
    deze.loc[i, BSN] = bad
    resultaat = check(tmp_path, vorige, deze)
    found = rows(resultaat, "BSN_ONGELDIG")
    assert list(found["regel"]) == [regel(i)]
    assert "elfproef" in found.iloc[0]["uitleg"]
    assert (
        not resultaat.signaleringen[KOLOMMEN]
        .apply(lambda c: c.astype(str).str.contains(bad))
        .any()
        .any()
    )


def test_a_gemeentecode_of_a_merged_gemeente_is_gemeente_opgeheven(tmp_path):
    vorige, deze = maandpaar.month_pair(300, seed=4, gemeentecode="0009")  # Ten Boer, 2019
    found = rows(check(tmp_path, vorige, deze), "GEMEENTE_OPGEHEVEN")
    assert len(found) == 1  # one row per code, with the count
    uitleg = found.iloc[0]["uitleg"]
    assert "Ten Boer" in uitleg
    assert "Groningen (0014)" in uitleg
    assert f"{len(deze)} regel(s)" in uitleg


def test_a_gemeente_that_still_exists_in_the_verslagmaand_is_fine(tmp_path):
    vorige, deze = maandpaar.month_pair(300, seed=4, maand="201812", gemeentecode="0009")
    assert rows(check(tmp_path, vorige, deze), "GEMEENTE_OPGEHEVEN").empty  # merged 01-01-2019


def test_a_soort_code_last_month_did_not_have_is_nieuwe_soortcode(tmp_path, paar):
    vorige, deze = paar
    new = ~deze[REGNR].isin(vorige[REGNR])
    deze.loc[new, SOORT] = "PB"
    deze.loc[new, "Omschrijving voorziening"] = "Participatiebaan"
    resultaat = check(tmp_path, vorige, deze)
    found = rows(resultaat, "NIEUWE_SOORTCODE")
    assert len(found) == 1
    assert found.iloc[0]["ernst"] == "waarschuwing"
    assert "PB (Participatiebaan)" in found.iloc[0]["uitleg"]
    assert f"{int(new.sum())} keer" in found.iloc[0]["uitleg"]
    assert resultaat.nieuwe_soortcodes() == [("PB", "Participatiebaan")]


def test_a_begindatum_after_the_verslagmaand_is_begin_na_verslagmaand(tmp_path, paar):
    vorige, deze = paar
    i = int(deze.index[~deze[REGNR].isin(vorige[REGNR])][0])
    deze.loc[i, BEGIN] = "20240401"  # verslagmaand 202403
    found = rows(check(tmp_path, vorige, deze), "BEGIN_NA_VERSLAGMAAND")
    assert list(found["regel"]) == [regel(i)]
    assert "01-04-2024" in found.iloc[0]["uitleg"]


def test_many_more_running_of_one_soort_is_aantal_afwijkend(tmp_path, paar):
    vorige, deze = paar
    extra, _ = maandpaar.month_pair(60, seed=9)
    extra = extra.assign(
        **{
            SOORT: "SCHOL",
            "Omschrijving voorziening": "Scholing",
            REGNR: [f"X{i:05d}" for i in range(len(extra))],
            BEGIN: "20240305",
            EINDE: "",
            "Verslagmaand": "202403",
        }
    )
    found = rows(check(tmp_path, vorige, pd.concat([deze, extra])), "AANTAL_AFWIJKEND")
    assert len(found) == 1
    assert "SCHOL" in found.iloc[0]["uitleg"]
    assert found.iloc[0]["regel"] == 0  # about the whole export, not one row


def test_fewer_than_ten_more_is_not_aantal_afwijkend(tmp_path):
    vorige, deze = maandpaar.month_pair(60, seed=5)  # ~10 per soort: +9 is > 20 % but < 10
    extra = deze.iloc[:9].assign(
        **{REGNR: [f"X{i}" for i in range(9)], SOORT: "BW", BEGIN: "20240305", EINDE: ""}
    )
    assert rows(check(tmp_path, vorige, pd.concat([deze, extra])), "AANTAL_AFWIJKEND").empty


def test_no_running_voorziening_is_lege_levering(tmp_path, paar):
    vorige, deze = paar
    continued = deze[deze[REGNR].isin(vorige[REGNR])].assign(**{EINDE: "20240201"})
    resultaat = check(tmp_path, vorige, continued)
    assert len(rows(resultaat, "LEGE_LEVERING")) == 1
    assert "03-2024" in rows(resultaat, "LEGE_LEVERING").iloc[0]["uitleg"]


def test_a_delivery_without_one_usable_row_is_still_checked(tmp_path, paar):
    vorige, deze = paar
    deze = deze.head(5).assign(BSN="123456789")  # fails the elfproef
    resultaat = check(tmp_path, vorige, deze)
    assert len(rows(resultaat, "LEGE_LEVERING")) == 1
    assert list(rows(resultaat, "BSN_ONGELDIG")["regel"]) == [2, 3, 4, 5, 6]
    assert resultaat.match.periode_nieuw.maand == "202403"


def test_every_other_unusable_row_is_reported_not_dropped(tmp_path, paar):
    vorige, deze = paar
    i = running_row(deze)
    deze.loc[i, BEGIN] = "geen datum"
    vorige.loc[3, BSN] = "123456789"  # fails the elfproef
    resultaat = check(tmp_path, vorige, deze)
    assert list(rows(resultaat, "REGEL_ONBRUIKBAAR")["regel"]) == [regel(i)]
    info = rows(resultaat, "VORIGE_ONBRUIKBAAR")
    assert list(info["regel"]) == [regel(3)]
    assert set(info["ernst"]) == {"info"}


def test_fout_comes_first_in_the_report(tmp_path, paar):
    vorige, deze = paar
    new = ~deze[REGNR].isin(vorige[REGNR])
    deze.loc[new, SOORT] = "PB"
    deze = deze.drop(index=running_row(deze))
    ernst = list(check(tmp_path, vorige, deze).signaleringen["ernst"])
    assert ernst == sorted(ernst, key=["fout", "waarschuwing", "info"].index)
    assert ernst[0] == "fout"


# --- nothing is dropped silently -------------------------------------------------------------

CORRUPTIONS = {
    "bsn": (BSN, "123456789"),
    "datum": (BEGIN, "31-02-2024"),
    "regnr": (REGNR, "=1+1"),
    "code": ("Gemeentecode", "GM03"),
    "leeg": (SOORT, ""),
}


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    planted=st.lists(
        st.tuples(st.integers(0, 180), st.sampled_from(sorted(CORRUPTIONS))), max_size=12
    ),
    gone=st.lists(st.integers(0, 180), max_size=5),
)
def test_every_unusable_row_and_every_vanished_voorziening_is_reported(tmp_path, planted, gone):
    vorige, deze = maandpaar.month_pair(200, seed=6)
    for index, kind in planted:
        column, value = CORRUPTIONS[kind]
        deze.loc[deze.index[index], column] = value
    deze = deze.drop(index=deze.index[sorted(set(gone))])
    resultaat = check(tmp_path, vorige, deze)
    s = resultaat.signaleringen
    reported = set(s.loc[s["bestand"] == "deze", "regel"])
    assert set(resultaat.match.nieuw.ongeldig["regel"]) <= reported
    regels = resultaat.match.regels
    missing = set(regels.loc[regels["status"] == "ontbreekt", "oud_regel"])
    assert missing == set(s.loc[s["code"] == "VERDWENEN", "regel"])
    assert set(s["ernst"]) <= {"fout", "waarschuwing", "info"}
