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
    HANDMATIG,
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
    assert sessie.besluit[5] == HANDMATIG  # the unpaired new record is used now
    assert (2, 5) in sessie.final_pairs()
    with pytest.raises(ValueError, match="niet bij de mogelijke koppelingen"):
        sessie.choose_alternative(2, 6)
    sessie.undo()
    assert sessie.besluit[5] == OPEN
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
    sessie = ReviewSessie(make_regels())
    sessie.reject([0])
    sessie.choose_alternative(2, 5)
    regels = make_regels()
    regels.loc[1, "nieuw_index"] = 5  # a pathological proposal onto an already used record
    sessie2 = ReviewSessie(regels)
    sessie2.choose_alternative(2, 5)
    assert sessie2.accept_zekerheid("waarschijnlijk") == 0


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
    assert fresh.apply_besluiten(loaded.besluiten) == 0
    assert fresh.besluit.tolist() == sessie.besluit.tolist()
    assert sorted(fresh.final_pairs()) == sorted(sessie.final_pairs())
    assert fresh.undo_stack == []
    export.write_text("a;b\n1;3\n", encoding="utf-8")
    assert "gewijzigd" in loaded.gewijzigde_bestanden()[0]
    export.unlink()
    assert "niet meer" in loaded.gewijzigde_bestanden()[0]


def test_unplaceable_decisions_are_counted():
    fresh = ReviewSessie(make_regels())
    lost = fresh.apply_besluiten(
        [{"oud": ["0999", "4021", "ZZ"], "nieuw": None, "besluit": "geaccepteerd"}]
    )
    assert lost == 1


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
    assert "A2 is afgewezen" in sessie.regels.at[shadow, "reden"]
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
        assert fresh.apply_besluiten(besluiten) == 0
        assert sorted(fresh.final_pairs()) == sorted(sessie.final_pairs())
