"""Review session: decisions, bulk accept, twijfel, manual pairs, undo, save and resume."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from srgdesk.core.errors import InvoerFout
from srgdesk.core.review import (
    AFGEWEZEN,
    GEACCEPTEERD,
    OPEN,
    ReviewSessie,
    Sessiebestand,
    fingerprint,
    load_session,
    save_session,
)


def make_regels() -> pd.DataFrame:
    """Rows: 0 zeker, 1 waarschijnlijk, 2 twijfel (alt 5 = row 5's record), 3 ontbreekt,
    4 ongewijzigd, 5 nieuw, 6 nieuw, 7 ongeldig."""
    rows = [
        ("gekoppeld", "zeker", 0, 0, "A1", "B1", ()),
        ("gekoppeld", "waarschijnlijk", 1, 1, "A2", "B2", ()),
        ("gekoppeld", "twijfel", 2, 2, "A3", "B3", (5,)),
        ("ontbreekt", "", 3, -1, "A4", "", ()),
        ("ongewijzigd", "", 4, 3, "A5", "A5", ()),
        ("nieuw", "", -1, 5, "", "B6", ()),
        ("nieuw", "", -1, 6, "", "B7", ()),
        ("ongeldig", "", -1, -1, "X", "", ()),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "status",
            "zekerheid",
            "oud_index",
            "nieuw_index",
            "oud_registratienummer",
            "nieuw_registratienummer",
            "alternatieven",
        ],
    )
    for side in ("oud", "nieuw"):
        frame[f"{side}_gemeentecode"] = np.where(
            frame[f"{side}_registratienummer"] != "", "0999", ""
        )
        frame[f"{side}_berichtgevercode"] = np.where(
            frame[f"{side}_registratienummer"] != "", "4021", ""
        )
    frame["bsn"] = "123456782"
    return frame


def test_counts_and_default_view():
    sessie = ReviewSessie(make_regels())
    counts = sessie.tellingen()
    assert counts["open"] == 3
    assert counts["open_twijfel"] == 1
    assert counts["ontbreekt"] == 1
    assert np.flatnonzero(sessie.aandacht()).tolist() == [0, 1, 2, 3]


def test_bulk_accept_skips_twijfel_and_undo_restores():
    sessie = ReviewSessie(make_regels())
    assert sessie.accept_zekerheid("zeker") == 1
    assert sessie.accept_zekerheid("waarschijnlijk") == 1
    with pytest.raises(ValueError, match="twijfel"):
        sessie.accept_zekerheid("twijfel")
    assert sessie.besluit[:3].tolist() == [GEACCEPTEERD, GEACCEPTEERD, OPEN]
    assert sorted(sessie.final_pairs()) == [(0, 0), (1, 1)]
    assert sessie.undo() == "alle 'waarschijnlijk' accepteren"
    assert sessie.besluit[1] == OPEN
    assert sessie.undo() is not None
    assert sessie.undo() is None
    assert sessie.final_pairs() == []


def test_reject_and_accept_single():
    sessie = ReviewSessie(make_regels())
    assert sessie.reject([0]) == 1
    assert sessie.besluit[0] == AFGEWEZEN
    assert sessie.accept([0]) == 1  # changing one's mind is allowed
    assert sessie.accept([3, 4, 5]) == 0  # no pairs there


def test_twijfel_choose_alternative_claims_the_new_row():
    sessie = ReviewSessie(make_regels())
    assert sessie.alternatieven(2) == [2, 5]
    sessie.choose_alternative(2, 5)
    assert sessie.besluit[2] == GEACCEPTEERD
    assert sessie.gekozen[2] == 5
    assert not sessie.zichtbaar()[5]  # the unpaired new record is shown beside A3 now
    assert (2, 5) in sessie.final_pairs()
    with pytest.raises(ValueError, match="niet bij de mogelijke koppelingen"):
        sessie.choose_alternative(2, 6)
    sessie.undo()
    assert sessie.zichtbaar()[5]
    assert sessie.gekozen[2] == 2


def test_manual_pair_and_reject_releases_both():
    sessie = ReviewSessie(make_regels())
    assert sessie.kan_handmatig(6, 3)
    assert not sessie.kan_handmatig(0, 6)  # row 0 is still a proposed pair
    sessie.pair_manually(6, 3)
    assert (3, 6) in sessie.final_pairs()
    assert not sessie.kan_handmatig(3, 5)
    sessie.reject([6])
    assert sessie.besluit[3] == OPEN
    assert sessie.besluit[6] == OPEN
    assert sessie.final_pairs() == []


def test_bulk_accept_never_takes_a_new_record_twice():
    regels = make_regels()
    regels.loc[1, "nieuw_index"] = 5  # a pathological proposal onto an already used record
    sessie = ReviewSessie(regels)
    sessie.accept([1])  # A2 takes B6 first
    with pytest.raises(ValueError, match="al aan een andere oude voorziening"):
        sessie.choose_alternative(2, 5)  # so A3 cannot
    sessie.undo()
    sessie.choose_alternative(2, 5)  # A3 takes B6; A2's proposal lapses
    assert sessie.gekozen[1] == -1
    assert sessie.accept_zekerheid("waarschijnlijk") == 0
    assert [n for _, n in sessie.final_pairs()].count(5) == 1


def test_decisions_survive_save_and_reload(tmp_path):
    sessie = ReviewSessie(make_regels())
    sessie.accept_zekerheid("zeker")
    sessie.reject([1])
    sessie.choose_alternative(2, 5)
    sessie.pair_manually(3, 6)
    export = tmp_path / "oud.csv"
    export.write_text("a;b\n1;2\n", encoding="utf-8")
    path = tmp_path / "sessie.json"
    save_session(
        path,
        Sessiebestand(
            bestanden={"oud": fingerprint(export)}, besluiten=sessie.besluiten(), codes={"07": "SA"}
        ),
    )
    text = path.read_text(encoding="utf-8")
    assert "123456782" not in text  # never a BSN
    loaded = load_session(path)
    assert loaded.gewijzigde_bestanden() == []
    fresh = ReviewSessie(make_regels())
    assert fresh.apply_besluiten(loaded.besluiten).niet == []
    assert fresh.besluit.tolist() == sessie.besluit.tolist()
    assert sorted(fresh.final_pairs()) == sorted(sessie.final_pairs())
    assert fresh.undo_stack == []
    export.write_text("a;b\n1;3\n", encoding="utf-8")
    assert "gewijzigd" in loaded.gewijzigde_bestanden()[0]
    export.unlink()
    assert "niet meer" in loaded.gewijzigde_bestanden()[0]


def test_unplaceable_decisions_are_counted():
    fresh = ReviewSessie(make_regels())
    overname = fresh.apply_besluiten(
        [
            {"oud": ["0999", "4021", "ZZ"], "nieuw": None, "besluit": "geaccepteerd"},
            {
                "oud": ["0999", "4021", "A1"],
                "nieuw": ["0999", "4021", "QQ"],
                "besluit": "geaccepteerd",
            },
            {"oud": ["0999", "4021", "A4"], "nieuw": None, "besluit": "afgewezen"},
            {"oud": ["0999", "4021", "A2"], "nieuw": None, "besluit": "geaccepteerd"},
        ]
    )
    assert overname.overgenomen == 1
    reasons = dict(overname.niet)
    assert reasons["0999 · 4021 · ZZ"] == "deze oude voorziening staat niet meer in de export"
    assert "QQ staat niet meer in de nieuwe export" in reasons["0999 · 4021 · A1"]
    assert reasons["0999 · 4021 · A4"] == "wordt niet meer als koppeling voorgesteld"
    assert "1 eerder genomen besluit(en) overgenomen" in overname.tekst()
    assert "3 besluit(en) pasten niet meer" in overname.tekst()


def test_bad_session_files(tmp_path):
    path = tmp_path / "s.json"
    path.write_text("{niet json", encoding="utf-8")
    with pytest.raises(InvoerFout):
        load_session(path)
    path.write_text(json.dumps({"schema": "srgdesk-review", "versie": 99}), encoding="utf-8")
    with pytest.raises(InvoerFout, match="nieuwere versie"):
        load_session(path)


def test_bulk_accept_is_vectorised_for_100k():
    n = 100_000
    regels = pd.DataFrame(
        {
            "status": ["gekoppeld"] * n,
            "zekerheid": ["zeker"] * n,
            "oud_index": np.arange(n),
            "nieuw_index": np.arange(n),
            "alternatieven": [()] * n,
        }
    )
    for side in ("oud", "nieuw"):
        regels[f"{side}_gemeentecode"] = "0999"
        regels[f"{side}_berichtgevercode"] = "4021"
        regels[f"{side}_registratienummer"] = np.arange(n).astype(str)
    sessie = ReviewSessie(regels)
    assert sessie.accept_zekerheid("zeker") == n
    assert len(sessie.final_pairs()) == n


def test_a_rejected_pairs_new_record_stands_alone_and_can_be_paired_by_hand():
    sessie = ReviewSessie(make_regels())
    shadow = int(np.flatnonzero(sessie.schaduw_van == 1)[0])  # row 1 proposes record B2
    assert not sessie.zichtbaar()[shadow]
    assert not sessie.kan_handmatig(3, shadow)  # B2 is still proposed to A2
    sessie.reject([1])
    assert sessie.zichtbaar()[shadow]
    assert "voorgesteld bij A2" in sessie.regels.at[shadow, "reden"]
    sessie.pair_manually(3, shadow)
    assert (3, 1) in sessie.final_pairs()  # A4 (ontbreekt) → B2
    assert sessie.undo() == "met de hand koppelen"
    assert (3, 1) not in sessie.final_pairs()


def test_a_hand_pair_with_a_freed_record_survives_save_and_reload():
    sessie = ReviewSessie(make_regels())
    sessie.reject([1])
    shadow = int(np.flatnonzero(sessie.schaduw_van == 1)[0])
    sessie.pair_manually(3, shadow)
    # Whatever order the decisions were saved in, the rejection is laid down first.
    for besluiten in (sessie.besluiten(), sessie.besluiten()[::-1]):
        fresh = ReviewSessie(make_regels())
        assert fresh.apply_besluiten(besluiten).niet == []
        assert sorted(fresh.final_pairs()) == sorted(sessie.final_pairs())


def swap_regels() -> pd.DataFrame:
    """Two old records A1, A2 and two new B1, B2 that fit both equally: A1→B1, A2→B2 proposed,
    each with the other as alternative (the twijfel of issue 12.7)."""
    regels = make_regels().iloc[:2].copy()
    regels["zekerheid"] = "twijfel"
    regels["alternatieven"] = [(1,), (0,)]
    return regels


def test_choosing_anothers_proposal_hands_it_the_freed_record():
    sessie = ReviewSessie(swap_regels())
    others = sessie.choose_alternative(0, 1)  # A1 takes B2, which was proposed to A2
    assert others == [1]
    assert sessie.gekozen.tolist()[:2] == [1, 0]  # A2 is now offered B1, still open
    assert sessie.besluit[1] == OPEN
    assert not (sessie.zichtbaar() & (sessie.status == "nieuw")).any()  # no extra row
    assert sessie.accept([1]) == 1  # accepting the other works
    assert sorted(sessie.final_pairs()) == [(0, 1), (1, 0)]
    sessie.undo()
    sessie.undo()
    assert sessie.gekozen.tolist()[:2] == [0, 1]


def test_choosing_anothers_proposal_without_swap_leaves_it_without_partner():
    regels = swap_regels()
    regels["alternatieven"] = [(1,), ()]  # A2 cannot take B1
    sessie = ReviewSessie(regels)
    sessie.choose_alternative(0, 1)
    assert sessie.gekozen[1] == -1
    assert sessie.vervallen()[1]
    assert sessie.aandacht()[1]
    assert sessie.accept([1]) == 0
    assert sessie.tellingen()["vervallen"] == 1
    freed = np.flatnonzero(sessie.zichtbaar() & (sessie.status == "nieuw"))
    assert sessie.nieuw_index[freed].tolist() == [0]  # B1 stands alone, once
    assert sessie.kan_handmatig(1, int(freed[0]))
    sessie.pair_manually(1, int(freed[0]), reden="zelfde persoon")
    assert sorted(sessie.final_pairs()) == [(0, 1), (1, 0)]
    assert sessie.besluiten()[-1]["reden"] == "zelfde persoon"


def test_carrying_100k_decisions_is_bulk():
    n = 100_000
    regels = pd.DataFrame(
        {
            "status": ["gekoppeld"] * n,
            "zekerheid": ["zeker"] * n,
            "oud_index": np.arange(n),
            "nieuw_index": np.arange(n),
            "alternatieven": [()] * n,
        }
    )
    for side in ("oud", "nieuw"):
        regels[f"{side}_gemeentecode"] = "0999"
        regels[f"{side}_berichtgevercode"] = "4021"
        regels[f"{side}_registratienummer"] = np.arange(n).astype(str)
    sessie = ReviewSessie(regels)
    sessie.accept_zekerheid("zeker")
    sessie.reject(np.arange(0, n, 7))
    besluiten = sessie.besluiten()
    fresh = ReviewSessie(regels)
    overname = fresh.apply_besluiten(besluiten)  # timed in benchmarks/bench_review_table.py
    assert overname.overgenomen == n
    assert fresh.besluit.tolist() == sessie.besluit.tolist()
