"""What the decisions mean in files: the overzicht and matches rows follow every decision, and a
manual pair names what differs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from test_review import make_regels, swap_regels

from srgdesk.core.besluiten import overzicht_besluiten, regels_na_besluiten, verschillen_handmatig
from srgdesk.core.review import ReviewSessie


def nieuw_frame(n: int = 7) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gemeentecode": ["0999"] * n,
            "berichtgevercode": ["4021"] * n,
            "registratienummer": [f"B{i + 1}" for i in range(n)],
            "soort": ["11"] * n,
            "begindatum": np.arange(n, dtype=np.int32) + 19000,
            "einddatum": np.full(n, 2**31 - 1, dtype=np.int32),
            "regel": np.arange(n) + 2,
        }
    )


def with_details(regels: pd.DataFrame) -> pd.DataFrame:
    for side in ("oud", "nieuw"):
        for column in ("soort", "begindatum", "einddatum"):
            regels[f"{side}_{column}"] = ""
        regels[f"{side}_regel"] = 0
    regels["reden"] = "voorstel"
    return regels


def test_a_swap_shows_both_new_records_in_full():
    sessie = ReviewSessie(with_details(swap_regels()))
    sessie.choose_alternative(0, 1)
    sessie.accept([1])
    frame = overzicht_besluiten(sessie, nieuw_frame())
    assert frame["nieuw_registratienummer"].tolist()[:2] == ["B2", "B1"]
    assert frame["nieuw_regel"].tolist()[:2] == [3, 2]
    assert frame["nieuw_begindatum"].iat[0] != ""
    assert frame["besluit"].tolist()[:2] == ["geaccepteerd", "geaccepteerd"]


def test_matches_rows_drop_a_rejected_proposal_and_list_each_new_record_once():
    sessie = ReviewSessie(with_details(make_regels()))
    sessie.reject([0])
    sessie.choose_alternative(2, 5)
    rows = regels_na_besluiten(sessie, nieuw_frame())
    a1 = rows[rows["oud_registratienummer"] == "A1"].iloc[0]
    assert a1["status"] == "ontbreekt"
    assert a1["nieuw_registratienummer"] == ""
    news = [n for n in rows["nieuw_registratienummer"] if n]
    assert sorted(news) == sorted(set(news))
    assert "B6" in news  # chosen for A3, listed once
    assert rows.loc[rows["oud_registratienummer"] == "A3", "nieuw_registratienummer"].iat[0] == "B6"


def test_manual_pair_names_what_differs():
    regels = with_details(make_regels())
    regels.loc[3, ["oud_soort", "oud_begindatum"]] = ["11", "01-01-2020"]
    regels.loc[6, ["nieuw_soort", "nieuw_begindatum", "bsn"]] = ["12", "01-01-2020", "999999990"]
    sessie = ReviewSessie(regels)
    lines = verschillen_handmatig(sessie, 3, 6)
    assert any("andere persoon" in line for line in lines)
    assert any("soort verschilt: oud 11, nieuw 12" in line for line in lines)
    assert not any("begindatum" in line for line in lines)
