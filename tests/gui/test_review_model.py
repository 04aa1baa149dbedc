"""The review table model: filters, search, sorting, BSN masking, bulk actions and undo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QModelIndex, Qt

from srgdesk.core.review import ReviewSessie
from srgdesk.gui.app import make_app
from srgdesk.gui.review_model import COLUMNS, KEY_PARTS, ReviewModel

NAMES = [name for name, _ in COLUMNS]


def regels() -> pd.DataFrame:
    rows = [
        ("gekoppeld", "zeker", 0, 0, "A1", "B1", "111222333", (), "01-01-2020"),
        ("gekoppeld", "waarschijnlijk", 1, 1, "A2", "B2", "444555666", (), "05-03-2019"),
        ("gekoppeld", "twijfel", 2, 2, "A3", "B3", "777888999", (4,), "31-12-2018"),
        ("ontbreekt", "", 3, -1, "A4", "", "123456782", (), "01-02-2021"),
        ("nieuw", "", -1, 4, "", "B5", "987654321", (), ""),
        ("ongeldig", "", -1, -1, "X9", "", "", (), ""),
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
            "bsn",
            "alternatieven",
            "oud_begindatum",
        ],
    )
    for side in ("oud", "nieuw"):
        present = frame[f"{side}_registratienummer"] != ""
        frame[f"{side}_gemeentecode"] = np.where(present, "0999", "")
        frame[f"{side}_berichtgevercode"] = np.where(present, "4021", "")
    frame["reden"] = "reden"
    return frame


@pytest.fixture
def model(qapp):
    make_app()
    return ReviewModel(ReviewSessie(regels()))


def column(model: ReviewModel, name: str) -> list[str]:
    c = NAMES.index(name)
    return [model.data(model.index(r, c)) for r in range(model.rowCount())]


def test_default_view_shows_what_needs_a_decision(model):
    assert column(model, "oud") == [
        "0999 · 4021 · A1",
        "0999 · 4021 · A2",
        "0999 · 4021 · A3",
        "0999 · 4021 · A4",
    ]
    assert model.rowCount(QModelIndex()) == 4
    model.set_filters(status="alles")
    assert model.rowCount() == 6
    model.set_filters(status="los")
    assert model.view.tolist() == [3, 4]
    model.set_filters(status="ongeldig")
    assert column(model, "status") == ["ongeldig"]


def test_zekerheid_filter_and_search(model):
    model.set_filters(status="alles", zekerheid="twijfel")
    assert model.view.tolist() == [2]
    model.set_filters(zekerheid="", zoek="b2")
    assert model.view.tolist() == [1]
    model.set_filters(zoek="456782")  # search by BSN works even while it is masked
    assert model.view.tolist() == [3]


def test_bsn_masked_until_asked(model):
    assert column(model, "bsn")[0] == "*****2333"
    model.set_toon_bsn(True)
    assert column(model, "bsn")[0] == "111222333"


def test_sort_by_date_and_descending(model):
    c = NAMES.index("oud_begin")
    model.sort(c, Qt.SortOrder.AscendingOrder)
    assert model.view.tolist() == [2, 1, 0, 3]
    model.sort(c, Qt.SortOrder.DescendingOrder)
    assert model.view.tolist() == [3, 0, 1, 2]
    model.sort(-1)
    assert model.view.tolist() == [0, 1, 2, 3]


def test_decisions_leave_the_default_view_and_undo_brings_them_back(model):
    sessie = model.sessie
    sessie.accept_zekerheid("zeker")
    model.refresh()
    assert model.view.tolist() == [1, 2, 3]
    model.set_filters(status="geaccepteerd")
    assert column(model, "besluit") == ["geaccepteerd"]
    assert (
        model.data(model.index(0, NAMES.index("besluit")), Qt.ItemDataRole.BackgroundRole)
        is not None
    )
    sessie.undo()
    model.set_filters(status="aandacht")
    assert model.view.tolist() == [0, 1, 2, 3]


def test_chosen_alternative_shows_the_new_key(model):
    model.sessie.choose_alternative(2, 4)
    model.set_filters(status="alles")
    assert column(model, "nieuw")[2] == "0999 · 4021 · B5"
    assert column(model, "nieuw").count("0999 · 4021 · B5") == 1  # shown once, beside A3
    assert "Gekozen" in column(model, "reden")[2]


def test_data_answers_only_needed_roles(model):
    index = model.index(0, NAMES.index("status"))
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
    assert model.data(index, Qt.ItemDataRole.FontRole) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_twijfel_filter_and_counts_agree(qapp):
    """One twijfel count: the counts line and the Twijfel filter of the default view agree,
    also when matching gave a zekerheid to a row that is no proposed pair."""
    make_app()
    frame = regels()
    frame.loc[3, "zekerheid"] = "twijfel"  # an ontbreekt row carrying a zekerheid
    sessie = ReviewSessie(frame)
    model = ReviewModel(sessie)
    model.set_filters(status="aandacht", zekerheid="twijfel")
    assert model.rowCount() == sessie.tellingen()["open_twijfel"] == 1


def test_missing_values_show_empty_and_sort_first_without_filling_columns_up_front(qapp):
    """Issue 12: the table opens without a pass over every column; a missing value (None, NaN,
    NaT) still shows as "" and sorts as "", exactly as a column filled up front would."""
    frame = regels()
    frame["reden"] = pd.Series(["r1", None, np.nan, "r4", pd.NaT, "r6"], dtype=object)
    frame["bsn"] = pd.Series(["111222333", None, "777888999", np.nan, "987654321", ""])
    frame["oud_begindatum"] = pd.Series(["01-01-2020", np.nan, None, "01-02-2021", "", ""])
    frame["nieuw_soort"] = pd.Series(["11", None, "12", np.nan, "13", ""], dtype=object)
    m = ReviewModel(ReviewSessie(frame))
    assert m._raw._filled.keys() <= {f"{s}_{k}" for s in ("oud", "nieuw") for k in KEY_PARTS}
    m.set_filters(status="alles")
    m.set_toon_bsn(True)
    filled = {c: frame[c].fillna("").tolist() for c in ("reden", "bsn", "oud_begindatum")}
    for row in range(len(frame)):
        assert m.cell(row, "reden") == filled["reden"][row]
        assert m.cell(row, "bsn") == filled["bsn"][row]
        assert m.cell(row, "oud_begin") == filled["oud_begindatum"][row]
    assert [m.cell(r, "soort") for r in range(4)] == ["11", "", "12", ""]
    m.sort(NAMES.index("bsn"), Qt.SortOrder.AscendingOrder)
    shown = column(m, "bsn")
    assert shown[:2] == ["", ""]  # the missing ones, as "" sorts first
    assert not {"nan", "None", "NaT"} & set(shown)
