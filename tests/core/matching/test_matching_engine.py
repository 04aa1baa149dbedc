"""Matching rules of issue 3, each trap as its own specification, on small hand-made exports."""

from pathlib import Path

import pytest

from srgdesk.core.export import load_export
from srgdesk.core.matching import MatchOpties, match, propose_codes

HEADER = "Gemeentecode;Berichtgevercode;Verslagmaand;BSN;Registratienummer;Soort;Omschrijving;Begindatum;Einddatum"
# Valid BSNs (elfproef) for the people in these tests.
ANNA, BOB, CAROL, DAAN = "012345672", "111222333", "123456782", "100000009"


def row(
    bsn,
    nummer,
    soort="01",
    begin="20200101",
    einde="",
    gemeente="0363",
    bg="4021",
    maand="",
    omschrijving="LKS",
):
    return f"{gemeente};{bg};{maand};{bsn};{nummer};{soort};{omschrijving};{begin};{einde}"


def run(tmp_path: Path, old_rows, new_rows, **opties):
    (tmp_path / "oud.csv").write_text("\n".join([HEADER, *old_rows]) + "\n", encoding="utf-8")
    (tmp_path / "nieuw.csv").write_text("\n".join([HEADER, *new_rows]) + "\n", encoding="utf-8")
    oud = load_export(tmp_path / "oud.csv").voorzieningen
    nieuw = load_export(tmp_path / "nieuw.csv").voorzieningen
    opties.setdefault("verslagmaand_oud", "202312")
    opties.setdefault("verslagmaand_nieuw", "202401")
    return match(oud, nieuw, MatchOpties(**opties))


def outcome(result, old_number):
    rows = result.regels[result.regels["oud_registratienummer"] == old_number]
    assert len(rows) == 1, f"{old_number} appears {len(rows)} times"
    r = rows.iloc[0]
    return (
        r["status"],
        r["soort_koppeling"],
        r["zekerheid"],
        r["nieuw_registratienummer"],
        r["reden"],
    )


def new_outcome(result, new_number):
    rows = result.regels[
        (result.regels["nieuw_registratienummer"] == new_number) & (result.regels["oud_index"] < 0)
    ]
    return rows.iloc[0]["status"], rows.iloc[0]["zekerheid"], rows.iloc[0]["reden"]


def test_rule2_same_key_and_same_bsn_is_ongewijzigd(tmp_path):
    result = run(tmp_path, [row(ANNA, "1")], [row(ANNA, "1")])
    assert outcome(result, "1")[:3] == ("ongewijzigd", "", "")


def test_rule2_a_number_reused_for_another_person_is_never_paired_on_the_key(tmp_path):
    result = run(tmp_path, [row(ANNA, "1")], [row(BOB, "1", begin="20240101")])
    status, _, _, partner, reden = outcome(result, "1")
    assert status == "ontbreekt"
    assert partner == ""
    assert "gebruikt voor een andere persoon" in reden
    assert new_outcome(result, "1")[0] == "nieuw"
    assert result.conflicten == 1
    assert any("andere persoon" in line for line in result.samenvatting())


def test_rule5_equal_begindatum_is_a_certain_conversie(tmp_path):
    result = run(
        tmp_path, [row(ANNA, "1", begin="20210301")], [row(ANNA, "VZ-1", begin="01-03-2021")]
    )
    status, kind, zekerheid, partner, reden = outcome(result, "1")
    assert (status, kind, zekerheid, partner) == ("gekoppeld", "conversie", "zeker", "VZ-1")
    assert reden.startswith("Zelfde BSN en soort; begindatum gelijk (01-03-2021)")


def test_rule5_restart_the_day_after_the_end_is_a_voortzetting(tmp_path):
    result = run(
        tmp_path,
        [row(ANNA, "1", begin="20220101", einde="20231231")],
        [row(ANNA, "2", begin="20240101")],
    )
    assert outcome(result, "1")[:4] == ("gekoppeld", "voortzetting", "zeker", "2")
    assert "dag na de oude einddatum 31-12-2023" in outcome(result, "1")[4]


def test_rule5_a_restart_weeks_later_is_a_new_voorziening(tmp_path):
    result = run(
        tmp_path,
        [row(ANNA, "1", begin="20220101", einde="20231130")],
        [row(ANNA, "2", begin="20240115")],
    )
    assert outcome(result, "1")[0] == "beeindigd"
    assert new_outcome(result, "2")[0] == "nieuw"


def test_rule5_another_soort_starting_the_next_day_is_not_a_continuation(tmp_path):
    result = run(
        tmp_path,
        [row(ANNA, "1", soort="01", einde="20231231")],
        [row(ANNA, "2", soort="03", begin="20240101")],
    )
    assert outcome(result, "1")[0] == "beeindigd"
    assert new_outcome(result, "2")[0] == "nieuw"


def test_rule5_berichtgever_change_with_unchanged_numbers_is_a_codewijziging(tmp_path):
    result = run(tmp_path, [row(ANNA, "0001", bg="4021")], [row(ANNA, "0001", bg="5123")])
    status, kind, zekerheid, partner, reden = outcome(result, "0001")
    assert (status, kind, zekerheid, partner) == ("gekoppeld", "codewijziging", "zeker", "0001")
    assert "berichtgevercode 4021 → 5123" in reden


def test_equal_numbers_in_two_merging_gemeenten_are_paired_by_person_not_by_number(tmp_path):
    old = [
        row(ANNA, "100", gemeente="0001", begin="20200101"),
        row(BOB, "100", gemeente="0002", begin="20210101"),
    ]
    new = [
        row(ANNA, "100", gemeente="0003", begin="20200101"),
        row(BOB, "200", gemeente="0003", begin="20210101"),
    ]
    result = run(tmp_path, old, new)
    regels = result.regels.set_index("oud_gemeentecode")
    assert regels.loc["0001", "soort_koppeling"] == "codewijziging"
    assert regels.loc["0001", "nieuw_registratienummer"] == "100"
    assert regels.loc["0002", "nieuw_registratienummer"] == "200"
    assert set(regels["zekerheid"]) == {"zeker"}


def test_rule6_two_concurrent_voorzieningen_of_one_soort_are_told_apart_by_their_dates(tmp_path):
    old = [row(ANNA, "1", begin="20200101"), row(ANNA, "2", begin="20220601")]
    new = [row(ANNA, "B", begin="20220601"), row(ANNA, "A", begin="20200101")]
    result = run(tmp_path, old, new)
    assert outcome(result, "1")[2:4] == ("zeker", "A")
    assert outcome(result, "2")[2:4] == ("zeker", "B")


def conversion_day_filler(count=12):
    """Enough people whose begindatum was reset to 01-01-2024 to make it the conversion date."""
    people = [f"{n:09d}" for n in range(100000009, 999999999, 7919) if _elfproef(f"{n:09d}")][
        :count
    ]
    old = [row(p, f"F{i}", begin="20190505") for i, p in enumerate(people)]
    new = [row(p, f"G{i}", begin="20240101") for i, p in enumerate(people)]
    return old, new


def _elfproef(text):
    return (
        sum(int(d) * w for d, w in zip(text, [9, 8, 7, 6, 5, 4, 3, 2, -1], strict=True)) % 11 == 0
    )


def test_rule5_begindatum_reset_on_the_conversion_date_is_a_probable_conversie(tmp_path):
    filler_old, filler_new = conversion_day_filler()
    result = run(
        tmp_path,
        [row(ANNA, "1", begin="20200101"), *filler_old],
        [row(ANNA, "X", begin="20240101"), *filler_new],
    )
    status, kind, zekerheid, partner, reden = outcome(result, "1")
    assert (status, kind, zekerheid, partner) == ("gekoppeld", "conversie", "waarschijnlijk", "X")
    assert "conversiedatum (01-01-2024)" in reden
    assert result.conversiedatums == ["01-01-2024"]


def test_rule6_reset_dates_without_other_evidence_are_twijfel_with_the_alternatives(tmp_path):
    filler_old, filler_new = conversion_day_filler()
    old = [row(ANNA, "1", begin="20200101"), row(ANNA, "2", begin="20220601"), *filler_old]
    new = [row(ANNA, "X", begin="20240101"), row(ANNA, "Y", begin="20240101"), *filler_new]
    result = run(tmp_path, old, new)
    for number in ("1", "2"):
        status, _, zekerheid, _partner, reden = outcome(result, number)
        assert (status, zekerheid) == ("gekoppeld", "twijfel")
        assert "X" in reden
        assert "Y" in reden
    assert {outcome(result, "1")[3], outcome(result, "2")[3]} == {"X", "Y"}  # each new record once


def test_rule6_supporting_evidence_tells_otherwise_identical_candidates_apart(tmp_path):
    filler_old, filler_new = conversion_day_filler()
    old = [
        row(ANNA, "1", begin="20200101", einde="20241231"),
        row(ANNA, "2", begin="20220601"),
        *filler_old,
    ]
    new = [
        row(ANNA, "X", begin="20240101"),
        row(ANNA, "Y", begin="20240101", einde="20241231"),
        *filler_new,
    ]
    result = run(tmp_path, old, new)
    assert outcome(result, "1")[2:4] == ("waarschijnlijk", "Y")
    assert outcome(result, "2")[2:4] == ("waarschijnlijk", "X")


def test_rule6_exact_duplicate_rows_are_not_rivals(tmp_path):
    result = run(
        tmp_path, [row(ANNA, "1", begin="20200101")], [row(ANNA, "X", begin="20200101")] * 2
    )
    assert outcome(result, "1")[2:4] == ("zeker", "X")


def test_rule7_unpaired_old_records_are_beeindigd_or_ontbreekt(tmp_path):
    result = run(tmp_path, [row(ANNA, "1", einde="20231215"), row(BOB, "2")], [row(CAROL, "3")])
    assert outcome(result, "1")[0] == "beeindigd"
    assert outcome(result, "2")[0] == "ontbreekt"
    assert "CBS raakt deze voorziening kwijt" in outcome(result, "2")[4]
    assert new_outcome(result, "3")[0] == "nieuw"


def test_rule8_recoded_soorten_are_learned_many_to_one(tmp_path):
    old = [
        row(p, f"O{i}", soort=s, begin=f"2020010{i % 9 + 1}")
        for i, (p, s) in enumerate([(ANNA, "09"), (BOB, "11"), (CAROL, "01"), (DAAN, "03")])
    ]
    new = [
        row(p, f"N{i}", soort=s, begin=f"2020010{i % 9 + 1}")
        for i, (p, s) in enumerate([(ANNA, "TRAJ"), (BOB, "TRAJ"), (CAROL, "LKS"), (DAAN, "JC")])
    ]
    result = run(tmp_path, old, new)
    assert result.codes.as_dict() == {"01": "LKS", "03": "JC", "09": "TRAJ", "11": "TRAJ"}
    assert not result.codes.zelfde_codes
    assert set(result.regels["status"]) == {"gekoppeld"}
    assert "soort 09 → TRAJ (codetabel)" in outcome(result, "O0")[4]


def test_rule8_codes_are_learned_even_when_every_begindatum_was_reset(tmp_path):
    filler_old, filler_new = conversion_day_filler()
    old = [row(ANNA, "1", soort="03", begin="20200101"), *filler_old]
    new = [row(ANNA, "X", soort="JC", begin="20240101"), *filler_new]
    result = run(tmp_path, old, new)
    assert result.codes.as_dict()["03"] == "JC"
    assert outcome(result, "1")[:4] == ("gekoppeld", "conversie", "waarschijnlijk", "X")


def test_rule8_the_users_code_table_overrides_what_was_learned(tmp_path):
    result = run(
        tmp_path, [row(ANNA, "1", soort="03")], [row(ANNA, "X", soort="JC")], codes={"03": "LKS"}
    )
    assert (
        outcome(result, "1")[0] == "ontbreekt"
    )  # the user said 03 is LKS, so JC is not compatible


def test_rule1_the_verslagmaand_comes_from_the_column_or_the_latest_begindatum(tmp_path):
    result = run(
        tmp_path,
        [row(ANNA, "1", maand="202312")],
        [row(ANNA, "1", begin="20240215")],
        verslagmaand_oud=None,
        verslagmaand_nieuw=None,
    )
    assert (result.periode_oud.maand, result.periode_oud.bron) == ("202312", "kolom")
    assert (result.periode_nieuw.maand, result.periode_nieuw.bron) == ("202402", "afgeleid")


def test_every_record_appears_exactly_once(tmp_path):
    old = [row(ANNA, "1"), row(BOB, "2", einde="20231201"), row(CAROL, "3")]
    new = [row(ANNA, "1"), row(CAROL, "9", begin="20200101"), row(DAAN, "4")]
    result = run(tmp_path, old, new)
    regels = result.regels
    assert sorted(regels.loc[regels["oud_regel"] > 0, "oud_regel"]) == [2, 3, 4]
    assert sorted(regels.loc[regels["nieuw_regel"] > 0, "nieuw_regel"]) == [2, 3, 4]


@pytest.mark.parametrize("invalid_side", ["oud", "nieuw"])
def test_invalid_rows_appear_as_ongeldig(tmp_path, invalid_side):
    bad = row("123456789", "Z")
    old = [row(ANNA, "1"), *([bad] if invalid_side == "oud" else [])]
    new = [row(ANNA, "1"), *([bad] if invalid_side == "nieuw" else [])]
    result = run(tmp_path, old, new)
    invalid = result.regels[result.regels["status"] == "ongeldig"]
    assert invalid[f"{invalid_side}_regel"].tolist() == [3]
    assert invalid["reden"].iat[0] == "BSN voldoet niet aan de elfproef"


def test_a_known_herindeling_is_named_and_an_unknown_gemeentecode_change_is_a_warning(tmp_path):
    old = [row(ANNA, "100", gemeente="0501"), row(BOB, "200", gemeente="0999")]
    new = [row(ANNA, "100", gemeente="1992"), row(BOB, "200", gemeente="0344")]
    lines = run(tmp_path, old, new).samenvatting()
    assert (
        "Gemeentecode 0501 → 1992 bij 1 koppeling(en): herindeling van 01-01-2023 (Brielle → Voorne aan Zee)."
        in lines
    )
    assert any(line.startswith("WAARSCHUWING: gemeentecode 0999 → 0344") for line in lines)


@pytest.mark.parametrize("sample", ["switch_new_codes", "switch_same_codes", "messy_inputs"])
def test_the_proposed_code_table_is_the_one_matching_learns(sample):
    """The wizard shows `propose_codes` before matching: it must be what `match` will use."""
    folder = Path(__file__).parents[3] / ".." / "shared" / "samples" / sample
    if not folder.is_dir():
        pytest.skip("shared samples not present")
    oud, nieuw = (
        load_export(next(folder.glob(f"{side}*"))).voorzieningen for side in ("oud", "nieuw")
    )
    assert propose_codes(oud, nieuw).koppelingen == match(oud, nieuw).codes.koppelingen
