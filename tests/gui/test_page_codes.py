"""The Soorten page shows the code relation pair by pair, with support, and records choices."""

from __future__ import annotations

import pandas as pd

from srgdesk.core.cleaning import Voorzieningen
from srgdesk.core.codes import CodeKoppeling, CodeTabel
from srgdesk.gui.page_codes import CodesPage
from srgdesk.gui.state import WizardState


def page_with(qtbot, koppelingen) -> CodesPage:
    state = WizardState()
    state.codes = CodeTabel(koppelingen, zelfde_codes=False)
    nieuw = pd.DataFrame(
        {"soort": ["TRAJ", "COACH", "LKS"], "omschrijving": ["Traject", "Coaching", "LKS"]}
    )
    state.voorzieningen["nieuw"] = Voorzieningen("nieuw.csv", nieuw, pd.DataFrame())
    page = CodesPage(state)
    qtbot.addWidget(page)
    page.initializePage()
    return page


def cells(page: CodesPage) -> list[tuple[str, str, str]]:
    return [
        (
            page.table.item(r, 0).text(),
            page.combos[(page.table.item(r, 0).text(), r)].currentData(),
            page.table.item(r, 4).text(),
        )
        for r in range(page.table.rowCount())
    ]


def test_a_split_shows_one_row_per_pair_with_its_support(qtbot):
    page = page_with(qtbot, [CodeKoppeling("09", "TRAJ", 7), CodeKoppeling("09", "COACH", 3)])
    assert cells(page) == [("09", "TRAJ", "7"), ("09", "COACH", "3")]


def test_dropping_one_pair_of_a_split_is_remembered_as_the_users_choice(qtbot):
    page = page_with(qtbot, [CodeKoppeling("09", "TRAJ", 7), CodeKoppeling("09", "COACH", 3)])
    combo = page.combos[("09", 1)]
    combo.setCurrentIndex(combo.findData(""))
    combo.activated.emit(combo.currentIndex())
    assert page.state.code_keuzes == {"09": ["TRAJ"]}
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert cells(page)[0][:2] == ("09", "TRAJ")


def test_adding_a_new_code_to_an_old_code_makes_a_split(qtbot):
    page = page_with(qtbot, [CodeKoppeling("09", "TRAJ", 7)])
    page.table.selectRow(0)
    page.add_button.click()
    assert page.state.code_keuzes == {"09": ["TRAJ", "COACH"]}
    assert [c[:2] for c in cells(page)] == [("09", "TRAJ"), ("09", "COACH")]


def test_choosing_what_was_learned_again_forgets_the_choice(qtbot):
    page = page_with(qtbot, [CodeKoppeling("09", "TRAJ", 7)])
    combo = page.combos[("09", 0)]
    combo.setCurrentIndex(combo.findData("LKS"))
    combo.activated.emit(combo.currentIndex())
    assert page.state.code_keuzes == {"09": ["LKS"]}
    qtbot.waitUntil(lambda: page.combos[("09", 0)] is not combo)
    combo = page.combos[("09", 0)]
    combo.setCurrentIndex(combo.findData("TRAJ"))
    combo.activated.emit(combo.currentIndex())
    assert page.state.code_keuzes == {}
