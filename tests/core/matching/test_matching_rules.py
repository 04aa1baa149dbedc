"""The rules real exports need (issue 11), each trap as its own specification on generated data."""

from __future__ import annotations

import numpy as np
import pytest
from matching_generators import (
    SWITCH,
    Rec,
    day,
    new_row_of,
    pairs,
    people,
    reset_filler,
    row_of,
    run,
)

from srgdesk.core.conversion import conversie_frame, load_layout
from srgdesk.core.matching import RULES, Toleranties
from srgdesk.core.values import GEEN

ANNA, BOB = people(2)


# --- 1. same key is not proof --------------------------------------------------------------


def test_same_key_is_evidence_not_proof_a_record_that_fits_better_wins():
    old = [Rec(ANNA, "1", begin="2020-01-01")]
    new = [Rec(ANNA, "1", begin="2022-05-01"), Rec(ANNA, "2", begin="2020-01-01")]
    result = run(old, new)
    assert pairs(result) == {("1", "2")}
    assert row_of(result, "1")["soort_koppeling"] == "conversie"
    assert new_row_of(result, "1")["status"] == "nieuw"


@pytest.mark.parametrize("persons", [1, 25])
def test_renumbering_per_person_swaps_keys_and_needs_conversion_rows(persons):
    """A package numbering klantnummer-volgnummer gave each person's records other numbers."""
    old, new = [], []
    for i, bsn in enumerate(people(persons, 200_000_000)):
        old += [
            Rec(bsn, f"{i}-1", soort="01", begin="2019-02-01"),
            Rec(bsn, f"{i}-2", soort="03", begin="2021-07-12"),
        ]
        new += [
            Rec(bsn, f"{i}-1", soort="03", begin="2021-07-12"),
            Rec(bsn, f"{i}-2", soort="01", begin="2019-02-01"),
        ]
    result = run(old, new)
    expected = {(f"{i}-1", f"{i}-2") for i in range(persons)}
    expected |= {(f"{i}-2", f"{i}-1") for i in range(persons)}
    assert pairs(result) == expected
    assert set(result.regels["zekerheid"]) <= {"zeker", "waarschijnlijk"}
    frame = conversie_frame(
        result,
        list(zip(result.regels["oud_index"], result.regels["nieuw_index"], strict=True)),
        load_layout(),
    )
    assert len(frame) == 2 * persons


def test_same_key_that_is_another_voorziening_goes_to_review():
    others = [
        Rec(bsn, f"u{i}", soort=["01", "03"][i % 2], begin="2018-01-01")
        for i, bsn in enumerate(people(10, 600_000_000))
    ]
    result = run(
        [Rec(ANNA, "5", soort="01", begin="2019-03-01"), *others],
        [Rec(ANNA, "5", soort="03", begin="2023-06-01"), *others],
    )
    assert result.codes.paren() == {("01", "01"), ("03", "03")}
    row = row_of(result, "5")
    assert (row["status"], row["zekerheid"]) == ("gekoppeld", "twijfel")
    assert row["reden"].startswith("Zelfde nummer, maar andere voorziening")
    assert row["alternatieven"] == (row["nieuw_index"],)


def test_same_key_with_the_same_soort_and_a_corrected_begindatum_is_ongewijzigd():
    result = run([Rec(ANNA, "5", begin="2019-03-01")], [Rec(ANNA, "5", begin="2019-03-04")])
    assert row_of(result, "5")["status"] == "ongewijzigd"


# --- 2. small gaps -------------------------------------------------------------------------


@pytest.mark.parametrize("gap", [2, 3, 5, 8])
def test_a_restart_a_few_days_after_the_end_is_a_probable_voortzetting(gap):
    end = np.datetime64("2023-12-29")
    begin = str(end + np.timedelta64(gap, "D"))
    result = run([Rec(ANNA, "1", einde=str(end))], [Rec(ANNA, "2", begin=begin)])
    row = row_of(result, "1")
    assert (row["status"], row["soort_koppeling"], row["zekerheid"]) == (
        "gekoppeld",
        "voortzetting",
        "waarschijnlijk",
    )
    assert f"{gap} dagen na de oude einddatum 29-12-2023" in row["reden"]


def test_an_old_one_closed_a_few_days_after_the_restart_is_a_probable_voortzetting():
    result = run(
        [Rec(ANNA, "1", begin="2022-01-01", einde="2024-01-05")],
        [Rec(ANNA, "2", begin="2024-01-02")],
    )
    row = row_of(result, "1")
    assert (row["soort_koppeling"], row["zekerheid"]) == ("voortzetting", "waarschijnlijk")
    assert "3 dag(en) na de nieuwe begindatum 02-01-2024" in row["reden"]


def test_a_gap_beyond_the_tolerance_is_no_voortzetting_and_the_tolerance_can_be_set():
    old, new = [Rec(ANNA, "1", einde="2023-12-15")], [Rec(ANNA, "2", begin="2024-01-02")]
    assert row_of(run(old, new), "1")["status"] == "beeindigd"
    wide = run(old, new, toleranties=Toleranties(max_onderbreking=20))
    assert row_of(wide, "1")["soort_koppeling"] == "voortzetting"


@pytest.mark.parametrize("shift", [-31, -9, -1, 1, 4, 17, 31])
def test_a_begindatum_a_few_days_to_a_month_off_is_evidence_when_it_is_the_only_fit(shift):
    begin = str(np.datetime64("2021-03-15") + np.timedelta64(shift, "D"))
    result = run([Rec(ANNA, "1", begin="2021-03-15")], [Rec(ANNA, "X", begin=begin)])
    row = row_of(result, "1")
    assert (row["status"], row["zekerheid"], row["nieuw_registratienummer"]) == (
        "gekoppeld",
        "waarschijnlijk",
        "X",
    )
    assert f"{abs(shift)} dagen van de oude begindatum 15-03-2021" in row["reden"]


def test_an_exact_begindatum_beats_one_a_few_days_off():
    old = [Rec(ANNA, "1", begin="2021-03-15"), Rec(ANNA, "2", begin="2021-03-20")]
    new = [Rec(ANNA, "X", begin="2021-03-20")]
    result = run(old, new)
    assert pairs(result) == {("2", "X")}


def test_fuzzy_dates_never_make_a_pair_zeker():
    """Every date within the tolerances but not exact, for many generated people."""
    rng = np.random.default_rng(7)
    old, new = [], []
    for i, bsn in enumerate(people(60, 300_000_000)):
        kind = i % 3
        base = np.datetime64("2021-01-01") + np.timedelta64(int(rng.integers(0, 900)), "D")
        if kind == 0:  # begin shifted
            shift = int(rng.choice([-1, 1])) * int(rng.integers(1, 32))
            old.append(Rec(bsn, f"o{i}", begin=str(base)))
            new.append(Rec(bsn, f"n{i}", begin=str(base + np.timedelta64(shift, "D"))))
        elif kind == 1:  # small gap
            end = np.datetime64("2023-12-20") + np.timedelta64(int(rng.integers(0, 10)), "D")
            gap = int(rng.integers(2, 9))
            old.append(Rec(bsn, f"o{i}", begin=str(base), einde=str(end)))
            new.append(Rec(bsn, f"n{i}", begin=str(end + np.timedelta64(gap, "D"))))
        else:  # small overlap
            start = np.datetime64("2024-01-02") + np.timedelta64(int(rng.integers(0, 10)), "D")
            over = int(rng.integers(0, 7))
            old.append(
                Rec(bsn, f"o{i}", begin=str(base), einde=str(start + np.timedelta64(over, "D")))
            )
            new.append(Rec(bsn, f"n{i}", begin=str(start)))
    result = run(old, new)
    paired = result.regels[result.regels["status"] == "gekoppeld"]
    assert len(paired) == 60
    assert "zeker" not in set(paired["zekerheid"])
    assert all(o[1:] == n[1:] for o, n in pairs(result))


# --- 3. running beats ended ----------------------------------------------------------------


def test_running_beats_ended_when_begindatums_were_reset():
    filler_old, filler_new = reset_filler()
    old = [
        Rec(ANNA, "ended", begin="2018-01-01", einde="2023-12-31"),
        Rec(ANNA, "running", begin="2020-06-01"),
        *filler_old,
    ]
    new = [Rec(ANNA, "X", begin=SWITCH), *filler_new]
    result = run(old, new)
    assert row_of(result, "running")["nieuw_registratienummer"] == "X"
    assert row_of(result, "running")["zekerheid"] == "waarschijnlijk"
    assert row_of(result, "ended")["status"] == "beeindigd"


def test_without_a_reset_the_day_after_the_end_is_still_a_certain_voortzetting():
    old = [Rec(ANNA, "ended", begin="2018-01-01", einde="2023-12-31")]
    result = run(old, [Rec(ANNA, "X", begin=SWITCH)])
    assert row_of(result, "ended")[["soort_koppeling", "zekerheid"]].tolist() == [
        "voortzetting",
        "zeker",
    ]


# --- 4. codes split and merged -------------------------------------------------------------


def _recoded(split: dict[str, list[str]], per_code: int = 6):
    """People with one running voorziening each, recoded by `split` (old code → new codes)."""
    old, new = [], []
    bsns = iter(people(100, 400_000_000))
    for oud, targets in split.items():
        for target in targets:
            for i in range(per_code):
                bsn = next(bsns)
                begin = str(np.datetime64("2020-01-01") + np.timedelta64(i * 37, "D"))
                old.append(Rec(bsn, f"{oud}-{target}-{i}", soort=oud, begin=begin))
                new.append(Rec(bsn, f"N{oud}-{target}-{i}", soort=target, begin=begin))
    return old, new


def test_one_old_code_split_into_two_new_codes_is_learned_as_a_relation():
    old, new = _recoded({"09": ["TRAJ", "COACH"], "01": ["LKS"]})
    result = run(old, new)
    assert result.codes.paren() == {("09", "TRAJ"), ("09", "COACH"), ("01", "LKS")}
    assert {k.steun for k in result.codes.koppelingen} == {6}
    assert len(pairs(result)) == len(old)


def test_two_old_codes_merged_into_one_new_code_is_learned_as_a_relation():
    old, new = _recoded({"09": ["TRAJ"], "11": ["TRAJ"]})
    result = run(old, new)
    assert result.codes.paren() == {("09", "TRAJ"), ("11", "TRAJ")}
    assert len(pairs(result)) == len(old)


def test_a_split_learned_with_reset_dates_pairs_both_new_codes():
    old, new = _recoded({"09": ["TRAJ", "COACH"]})
    new = [Rec(r.bsn, r.nummer, r.soort, begin=SWITCH) for r in new]
    filler_old, filler_new = reset_filler()
    result = run([*old, *filler_old], [*new, *filler_new])
    assert {("09", "TRAJ"), ("09", "COACH")} <= result.codes.paren()
    assert all(row_of(result, r.nummer)["status"] == "gekoppeld" for r in old)


def test_the_users_code_relation_may_split_an_old_code():
    old, new = _recoded({"09": ["TRAJ", "COACH"]}, per_code=1)
    learned_nothing = [Rec(r.bsn, r.nummer, r.soort, begin=r.begin) for r in old]
    result = run(learned_nothing, new, codes={"09": ["TRAJ", "COACH"]})
    assert set(result.codes.relatie()["09"]) == {"COACH", "TRAJ"}
    assert len(pairs(result)) == 2
    narrowed = run(learned_nothing, new, codes={"09": "TRAJ"})
    assert pairs(narrowed) == {("09-TRAJ-0", "N09-TRAJ-0")}


# --- 5. learning codes when every date was reset -------------------------------------------


@pytest.mark.parametrize(
    "open_end",
    [None, day("9999-12-31"), int(GEEN)],
    ids=["leeg", "99991231", "00000000"],
)
def test_codes_are_learned_when_every_begindatum_was_reset_whatever_open_looks_like(open_end):
    old, new = [], []
    for i, bsn in enumerate(people(30, 500_000_000)):
        code = ["01", "03", "09"][i % 3]
        old.append(Rec(bsn, f"o{i}", soort=code, begin="2019-01-01", einde_dag=open_end))
        new.append(
            Rec(bsn, f"n{i}", soort={"01": "LKS", "03": "JC", "09": "TRAJ"}[code], begin=SWITCH)
        )
    result = run(old, new)
    assert result.codes.paren() == {("01", "LKS"), ("03", "JC"), ("09", "TRAJ")}
    assert len(pairs(result)) == 30


# --- 6. derived numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("VZ-00123", "VZ-00456"),  # prefix added, zeros padded
        ("123-01", "456-01"),  # suffix added
        ("0000123", "0000456"),  # zeros padded
    ],
)
def test_derived_numbers_are_supporting_evidence_that_tells_candidates_apart(first, second):
    filler_old, filler_new = reset_filler()
    old = [Rec(ANNA, "123", begin="2020-01-01"), Rec(ANNA, "456", begin="2022-06-01")]
    new = [Rec(ANNA, second, begin=SWITCH), Rec(ANNA, first, begin=SWITCH)]
    result = run([*old, *filler_old], [*new, *filler_new])
    assert row_of(result, "123")[["nieuw_registratienummer", "zekerheid"]].tolist() == [
        first,
        "waarschijnlijk",
    ]
    assert f"nieuw nummer {first} is afgeleid van 123" in row_of(result, "123")["reden"]
    assert row_of(result, "456")["nieuw_registratienummer"] == second


def test_a_derived_number_alone_is_no_evidence():
    result = run([Rec(ANNA, "123", begin="2020-01-01")], [Rec(ANNA, "VZ-123", begin="2019-05-01")])
    assert row_of(result, "123")["status"] == "ontbreekt"


# --- 7. what works stays -------------------------------------------------------------------


def test_reset_dates_without_other_evidence_stay_twijfel():
    filler_old, filler_new = reset_filler()
    old = [Rec(ANNA, "1", begin="2020-01-01"), Rec(ANNA, "2", begin="2022-06-01"), *filler_old]
    new = [Rec(ANNA, "X", begin=SWITCH), Rec(ANNA, "Y", begin=SWITCH), *filler_new]
    result = run(old, new)
    assert {row_of(result, n)["zekerheid"] for n in ("1", "2")} == {"twijfel"}
    assert {new_row_of(result, n)["status"] for n in ()} == set()


def test_a_key_used_for_another_person_is_never_paired_even_with_equal_dates():
    result = run([Rec(ANNA, "1")], [Rec(BOB, "1")])
    assert pairs(result) == set()
    assert result.conflicten == 1


def test_every_rule_has_a_unique_name_and_a_reason():
    names = [r.naam for r in RULES]
    assert len(names) == len(set(names))
    assert all(r.reden for r in RULES)
