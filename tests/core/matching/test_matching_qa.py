"""Defects found in QA review: a lost chain, leading zeros taken as certain, needless review."""

from __future__ import annotations

from matching_generators import SWITCH, Rec, people, reset_filler, row_of, run

from srgdesk.core.matching.summary import samenvatting

ANNA, BERT = people(2)


def test_a_restart_while_the_old_one_still_runs_is_paired_not_lost():
    old = [
        Rec(ANNA, "A1", soort="JC", begin="2022-01-01", einde="2023-11-15"),
        Rec(ANNA, "A2", soort="JC", begin="2023-02-01"),
    ]
    new = [Rec(ANNA, "N1", soort="JC", begin="2024-01-01")]
    row = row_of(run(old, new), "A2")
    assert row["status"] == "gekoppeld"
    assert row["nieuw_registratienummer"] == "N1"
    assert row["zekerheid"] in ("waarschijnlijk", "twijfel")
    assert "loopt nog" in row["reden"]


def test_swapped_numbers_with_same_soort_and_begindatum_are_certain():
    old = [
        Rec(ANNA, "100-1", soort="JC", begin="2023-01-01"),
        Rec(ANNA, "100-2", soort="BW", begin="2023-06-01"),
    ]
    new = [
        Rec(ANNA, "100-1", soort="BW", begin="2023-06-01"),
        Rec(ANNA, "100-2", soort="JC", begin="2023-01-01"),
    ]
    result = run(old, new)
    for number, partner in (("100-1", "100-2"), ("100-2", "100-1")):
        row = row_of(result, number)
        assert (row["nieuw_registratienummer"], row["zekerheid"]) == (partner, "zeker")


def test_numbers_that_differ_only_in_leading_zeros_are_never_zeker():
    old = [Rec(ANNA, "1001", soort="LKS", begin="2023-01-01")]
    new = [Rec(ANNA, "0000001001", soort="LKS", begin="2023-01-01")]
    row = row_of(run(old, new), "1001")
    assert row["nieuw_registratienummer"] == "0000001001"
    assert row["zekerheid"] == "waarschijnlijk"
    assert "alleen de voorloopnullen" in row["reden"]
    assert "--nullen-oud" in row["reden"]
    assert "--nullen-nieuw" in row["reden"]


def test_the_summary_says_how_many_waarschijnlijk_pairs_wait_and_how_to_accept_them():
    old = [Rec(ANNA, "1", einde="2023-11-28")]
    new = [Rec(ANNA, "X", begin="2023-12-01")]
    result = run(old, new)
    assert row_of(result, "1")["zekerheid"] == "waarschijnlijk"
    lines = [line for line in samenvatting(result) if "Wacht op uw besluit" in line]
    assert len(lines) == 1
    assert "1 koppeling(en)" in lines[0]
    assert "--accepteer waarschijnlijk" in lines[0]


def test_a_short_derived_number_breaks_a_tie_on_the_conversion_date():
    filler_old, filler_new = reset_filler()
    old = [Rec(BERT, "11", begin="2023-01-01"), Rec(BERT, "12", begin="2023-06-01"), *filler_old]
    new = [Rec(BERT, "N11", begin=SWITCH), Rec(BERT, "N12", begin=SWITCH), *filler_new]
    result = run(old, new)
    for number in ("11", "12"):
        row = row_of(result, number)
        assert row["nieuw_registratienummer"] == f"N{number}"
        assert row["zekerheid"] != "twijfel"


def test_a_restart_of_another_soort_while_the_old_one_runs_is_not_paired():
    old = [Rec(ANNA, "A2", soort="JC", begin="2023-02-01")]
    new = [Rec(ANNA, "N1", soort="LKS", begin="2024-01-01")]
    assert row_of(run(old, new), "A2")["status"] == "ontbreekt"
