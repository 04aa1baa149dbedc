"""The hidden 'nieuw' rows a review session appends for every proposed pair (issue 12: built
column by column for speed) are exactly what appending a copy of the pair rows with the
shadow values set gives, columns and dtypes included, and never warn."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.review import ReviewSessie, _with_shadow_rows


def synthetic_regels(n: int, seed: int) -> pd.DataFrame:
    """A matching result's shape: pairs, unpaired old and new records, an ongeldig row."""
    rng = np.random.default_rng(seed)
    status = rng.choice(["gekoppeld", "ongewijzigd", "ontbreekt", "nieuw", "ongeldig"], n)
    has_old = np.isin(status, ["gekoppeld", "ongewijzigd", "ontbreekt"])
    has_new = np.isin(status, ["gekoppeld", "ongewijzigd", "nieuw"])
    frame = pd.DataFrame(
        {
            "status": status.astype(object),
            "soort_koppeling": np.where(status == "gekoppeld", "conversie", ""),
            "zekerheid": np.where(status == "gekoppeld", rng.choice(["zeker", "twijfel"], n), ""),
            "score": rng.integers(0, 100, n),
            "reden": "Zelfde BSN",
            "oud_index": np.where(has_old, np.cumsum(has_old) - 1, -1),
            "nieuw_index": np.where(has_new, np.cumsum(has_new) - 1, -1),
            "bsn": rng.choice(["123456782", ""], n),
        }
    )
    for side, present in (("oud", has_old), ("nieuw", has_new)):
        frame[f"{side}_gemeentecode"] = np.where(present, "0363", "")
        frame[f"{side}_berichtgevercode"] = np.where(present, "4021", "")
        frame[f"{side}_registratienummer"] = np.where(present, [f"{side}{i}" for i in range(n)], "")
        frame[f"{side}_regel"] = np.where(present, np.arange(n) + 2, 0)
        frame[f"{side}_einddatum"] = pd.Series([None] * n, dtype=object)  # all empty
    frame["alternatieven"] = pd.Series([(1,)] * n, dtype=object)
    return frame


def plain_pandas(regels: pd.DataFrame) -> pd.DataFrame:
    """The specification: a copy of the pair rows, the shadow values set, appended."""
    regels = regels.reset_index(drop=True)
    status = regels["status"].to_numpy()
    source = np.flatnonzero((status == "gekoppeld") & (regels["nieuw_index"].to_numpy() >= 0))
    if source.size == 0:
        return regels
    shadow = regels.iloc[source].copy()
    shadow["status"] = "nieuw"
    shadow["zekerheid"] = ""
    shadow["soort_koppeling"] = ""
    shadow["score"] = 0
    shadow["reden"] = (
        "Vrijgekomen: was voorgesteld bij "
        + shadow["oud_registratienummer"].astype(str)
        + "; die koppeling is afgewezen of daar is een andere gekozen"
    )
    for column in [c for c in regels.columns if c.startswith("oud_") and c != "oud_index"]:
        shadow[column] = 0 if column == "oud_regel" else ""
    shadow["oud_index"] = -1
    if "alternatieven" in shadow:
        shadow["alternatieven"] = pd.Series([()] * len(shadow), index=shadow.index, dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # all-NA columns of a minimal frame
        return pd.concat([regels, shadow], ignore_index=True)


def categorical(regels: pd.DataFrame) -> pd.DataFrame:
    """As matching hands them over: the word columns categorical."""
    regels = regels.copy()
    for column in ("status", "soort_koppeling", "zekerheid"):
        regels[column] = regels[column].astype("category")
    return regels


@settings(max_examples=25, deadline=None)
@given(rows=st.integers(0, 60), seed=st.integers(0, 1000), step=st.integers(1, 4))
def test_shadow_rows_are_the_pair_rows_appended_with_shadow_values(rows, seed, step):
    regels = synthetic_regels(rows, seed=seed).iloc[::step]  # an index that is not 0..n-1
    for frame in (regels, categorical(regels)):
        combined, schaduw_van = _with_shadow_rows(frame)
        pd.testing.assert_frame_equal(combined, plain_pandas(frame))
        assert (schaduw_van[: len(frame)] == -1).all()
        shadows = schaduw_van[len(frame) :]
        assert (frame["status"].to_numpy()[shadows] == "gekoppeld").all()


@pytest.mark.parametrize("drop", [[], ["reden", "score", "soort_koppeling"], ["alternatieven"]])
def test_a_minimal_result_gets_the_same_shadow_columns(drop):
    regels = synthetic_regels(40, seed=3).drop(columns=drop)
    pd.testing.assert_frame_equal(_with_shadow_rows(regels)[0], plain_pandas(regels))


def test_no_pairs_and_missing_columns_never_warn():
    regels = categorical(synthetic_regels(30, seed=4))  # as matching hands them over
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        alone = ReviewSessie(regels[regels["status"] != "gekoppeld"])
        assert isinstance(alone.regels["status"].dtype, pd.CategoricalDtype)  # as they came
        ReviewSessie(regels.drop(columns=["reden", "score"]))
        ReviewSessie(regels.iloc[:0])
