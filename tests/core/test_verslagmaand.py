"""The verslagmaand: the user's word, the column, the file name, else a robust estimate that one
future starter cannot move."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.errors import InvoerFout
from srgdesk.core.values import EPOCH, GEEN, OPEN
from srgdesk.core.verslagmaand import (
    BRON_AFGELEID,
    BRON_BESTANDSNAAM,
    BRON_KOLOM,
    BRON_OPGEGEVEN,
    PERIODE_ATTR,
    Periode,
    _month_counts,
    determine_period,
    estimate_period,
    month_from_file_name,
    settle_period,
)


def day(text: str) -> int:
    return int((np.datetime64(text, "D") - EPOCH).astype(int))


def frame(begins: list[str], maand: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "verslagmaand": [maand] * len(begins),
            "begindatum": np.array([day(b) for b in begins], dtype=np.int32),
            "einddatum": np.full(len(begins), OPEN, dtype=np.int32),
        }
    )


@pytest.mark.parametrize(
    ("name", "maand"),
    [
        ("SRG_202401.csv", "202401"),
        ("SRG_202401_export.xlsx", "202401"),
        ("levering-2024-01.csv", "202401"),
        ("export_20240131.csv", "202401"),
        ("export 2023_12 definitief.xlsx", "202312"),
        ("export.csv", None),
        ("klanten_1234567.csv", None),
        ("export_202413.csv", None),
    ],
)
def test_month_from_file_name(name, maand):
    assert month_from_file_name(name) == maand


def test_order_of_trust_user_column_file_name_estimate():
    data = frame(["2023-06-01", "2024-01-10"])
    assert settle_period(data, "2024-02", "oude", "SRG_202312.csv") == Periode(
        "202402", BRON_OPGEGEVEN
    )
    with_column = frame(["2023-06-01", "2024-01-10"], maand="202312")
    assert settle_period(with_column, None, "oude", "SRG_202311.csv").bron == BRON_KOLOM
    assert settle_period(data, None, "oude", "SRG_202312.csv") == Periode(
        "202312", BRON_BESTANDSNAAM
    )
    assert settle_period(data, None, "oude", "export.csv").bron == BRON_AFGELEID


def test_one_future_starter_does_not_move_the_month():
    begins = [f"2023-{m:02d}-15" for m in range(1, 13) for _ in range(5)] + ["2024-06-01"]
    periode = estimate_period(frame(begins)["begindatum"].to_numpy())
    assert periode.maand == "202312"
    assert "1 begindatum" in periode.tekst()
    assert "controleer" in periode.tekst()


@given(
    st.integers(min_value=20, max_value=400),
    st.integers(min_value=0, max_value=2),
    st.integers(min_value=3, max_value=30),
)
def test_estimate_is_robust_to_a_few_starters_far_ahead(per_month, future, months_ahead):
    """Generated exports: starters in every month up to December 2023, and up to two starters
    months later; the estimate stays December 2023."""
    begins = [
        f"2023-{m:02d}-{1 + i % 28:02d}" for m in range(1, 13) for i in range(per_month // 12 + 1)
    ]
    later = np.datetime64("2023-12", "M") + np.timedelta64(months_ahead, "M")
    begins += [f"{later}-05"] * future
    assert estimate_period(frame(begins)["begindatum"].to_numpy()).maand == "202312"


def test_determine_period_uses_what_loading_settled_on():
    data = frame(["2023-06-01"])
    data.attrs[PERIODE_ATTR] = Periode("202312", BRON_BESTANDSNAAM)
    assert determine_period(data, None, "oude") == Periode("202312", BRON_BESTANDSNAAM)
    assert determine_period(data, "202401", "oude").bron == BRON_OPGEGEVEN


def test_a_wrong_month_given_is_one_dutch_error():
    with pytest.raises(InvoerFout, match="JJJJMM"):
        settle_period(frame(["2023-06-01"]), "2024-13", "oude", None)


def test_a_small_export_with_a_quiet_month_keeps_its_last_starter():
    begins = ["2023-09-03", "2023-10-01", "2023-12-20"]  # nobody started in November
    assert estimate_period(frame(begins)["begindatum"].to_numpy()).maand == "202312"


def test_a_large_export_skips_starters_one_empty_month_ahead():
    begins = [f"2023-{m:02d}-10" for m in range(1, 13) for _ in range(10)] + ["2024-02-01"] * 2
    assert estimate_period(frame(begins)["begindatum"].to_numpy()).maand == "202312"


def dates(texts: list[str]) -> np.ndarray:
    return np.array([day(t) if t else OPEN for t in texts], dtype=np.int32)


def test_ends_in_the_month_after_the_last_starters_are_the_export_month():
    """SRG_202401 renamed: starters every month up to december, a few ends in januari."""
    begins = [f"2023-{m:02d}-01" for m in range(1, 13) for _ in range(5)]
    ends = ["2024-01-15", "2024-01-31", "2024-01-10"] + [""] * (len(begins) - 3)
    periode = estimate_period(dates(begins), dates(ends))
    assert periode.maand == "202401"
    assert periode.bron == BRON_AFGELEID


def test_an_end_right_after_a_lone_late_starter_keeps_that_starter_in_a_small_export():
    """Eight rows, starters up to juli and one in december, one end in januari: not juli."""
    begins = ["2023-01-01", "2023-03-01", "2023-05-01", "2023-12-01"]
    begins += ["2023-01-01", "2022-01-01", "2023-06-01", "2023-07-15"]
    ends = ["", "", "", "2024-01-31", "", "", "", ""]
    assert estimate_period(dates(begins)).maand == "202307"  # begindata alone
    assert estimate_period(dates(begins), dates(ends)).maand == "202401"


def test_planned_ends_spread_over_later_months_do_not_move_the_month():
    begins = [f"2023-{m:02d}-01" for m in range(1, 13) for _ in range(5)]
    ends = ["2024-01-31", "2024-03-31", "2024-06-30", "2025-01-31"] + [""] * (len(begins) - 4)
    assert estimate_period(dates(begins), dates(ends)).maand == "202312"


def test_an_end_far_after_the_last_starters_does_not_move_the_month():
    begins = [f"2023-{m:02d}-01" for m in range(1, 13) for _ in range(5)]
    ends = ["2024-06-30"] + [""] * (len(begins) - 1)
    assert estimate_period(dates(begins), dates(ends)).maand == "202312"


@given(
    last=st.integers(1, 12),
    extra=st.lists(st.integers(0, 40), max_size=20),
)
def test_the_estimate_is_never_before_the_latest_regular_starter(last, extra):
    begins = [f"2023-{m:02d}-01" for m in range(1, last + 1) for _ in range(3)]
    ends = [str(np.datetime64("2023-01-01") + d) for d in extra]
    ends += [""] * max(0, len(begins) - len(ends))
    periode = estimate_period(dates(begins), dates(ends[: len(begins)]))
    assert periode.maand >= f"2023{last:02d}"


@given(st.lists(st.sampled_from(["", "202311", "202312", "202401"]), min_size=1, max_size=8))
def test_the_verslagmaand_column_gives_its_most_common_month_and_the_earliest_of_a_tie(months):
    frame = pd.DataFrame(
        {
            "verslagmaand": pd.Series(months, dtype=object),
            "begindatum": np.full(len(months), 19000, dtype=np.int32),
            "einddatum": np.full(len(months), OPEN, dtype=np.int32),
        }
    )
    written = pd.Series([m for m in months if m], dtype=object)
    if written.empty:
        return
    assert settle_period(frame, None, "oude", None) == Periode(written.mode().iat[0], BRON_KOLOM)


def _old_month_counts(days):
    """_month_counts as it was: the days factorized (hashed), whatever their span."""
    days = np.asarray(days, dtype=np.int64)
    days = days[(days != GEEN) & (days != OPEN)]
    codes, unique_days = pd.factorize(days, sort=False)
    per_day = np.bincount(codes, minlength=len(unique_days))
    months = (
        (EPOCH + np.asarray(unique_days, dtype=np.int64).astype("timedelta64[D]"))
        .astype("datetime64[M]")
        .astype(np.int64)
    )
    distinct, which = np.unique(months, return_inverse=True)
    counts = np.bincount(which.ravel(), weights=per_day, minlength=len(distinct))
    return distinct, counts.astype(np.int64)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.integers(min_value=-25567, max_value=2932896)  # 1900-01-01 .. 9999-12-31
        | st.integers(min_value=19000, max_value=19100)
        | st.sampled_from([int(GEEN), int(OPEN)]),
        max_size=60,
    )
)
def test_months_are_counted_per_day_as_by_hashing_the_days(days):
    distinct, counts = _month_counts(np.array(days, dtype=np.int32))
    old_distinct, old_counts = _old_month_counts(np.array(days, dtype=np.int32))
    assert distinct.tolist() == old_distinct.tolist()
    assert counts.tolist() == old_counts.tolist()
