"""A resumed session's read that is stopped (Stoppen, Terug, a failed read) keeps the user's
column mapping and sheet pending, like the decisions: picking the same file again uses them,
another file gets a fresh proposal, and a session saved in between still holds them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from walk import start

from srgdesk.core.mapping import propose_mapping
from srgdesk.core.resources import resource_path
from srgdesk.core.review import load_session
from srgdesk.gui.settings import session_path
from srgdesk.gui.wizard import SrgWizard, Stap

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from exportgen import STANDAARD, Gen, gen_frame, workbook


def demo_files(folder: Path) -> dict[str, Path]:
    paths = {}
    for rol in ("oud", "nieuw"):
        paths[rol] = folder / f"{rol}.csv"
        shutil.copy(resource_path("demo", f"{rol}.csv"), paths[rol])
    return paths


def saved_with_own_mapping(qtbot, paths: dict[str, Path], werkblad: str | None = None) -> dict:
    """Read both files, let the user clear the omschrijving column of each (not the proposal),
    save and close; the chosen mappings as saved."""
    w = start(qtbot)
    w.state.aanleiding = "pakket"
    w.restart()
    w.next()
    page = w.currentPage()
    for rol, path in paths.items():
        if werkblad and path.suffix == ".xlsx":
            assert not page.load(rol, path)  # several voorzieningen sheets: the user picks one
            page.load(rol, path, werkblad=werkblad)
        else:
            assert page.load(rol, path)
    for rol in paths:
        w.state.mappings[rol] = w.state.mappings[rol].with_override("omschrijving", None)
    chosen = {rol: w.state.mappings[rol].to_json() for rol in paths}
    w.save_now()
    w.close()
    assert load_session(session_path()).mapping == chosen
    return chosen


def stopped_resume(qtbot) -> SrgWizard:
    w = start(qtbot)
    assert w.offer_resume()
    page = w.currentPage()
    page.hervatten.cancel_button.click()  # before the worker even starts reading
    qtbot.waitUntil(lambda: page.hervatten.isHidden(), timeout=10_000)
    assert w.currentId() == Stap.BESTANDEN
    assert w.state.tables == {}
    assert "kolomkeuzes en besluiten worden teruggezet" in page.hervat_tekst.text()
    return w


def test_stopping_the_resume_keeps_the_mapping_for_the_same_files(qtbot, tmp_path):
    paths = demo_files(tmp_path)
    chosen = saved_with_own_mapping(qtbot, paths)
    w = stopped_resume(qtbot)
    page = w.currentPage()
    for rol, path in paths.items():
        assert page.load(rol, path)
        assert w.state.mappings[rol].to_json() == chosen[rol]
    while w.currentId() != Stap.KOLOMMEN:
        w.next()
    assert w.pages[Stap.KOLOMMEN].panels["oud"].mapping.to_json() == chosen["oud"]
    w.save_now()
    assert load_session(session_path()).mapping == chosen
    w.close()


def test_terug_during_the_resume_keeps_the_mapping(qtbot, tmp_path):
    paths = demo_files(tmp_path)
    chosen = saved_with_own_mapping(qtbot, paths)
    w = start(qtbot)
    assert w.offer_resume()
    page = w.currentPage()
    w.back()  # Terug while reading stops it
    qtbot.waitUntil(lambda: page.hervatten.isHidden(), timeout=10_000)
    qtbot.waitUntil(lambda: not page.busy(), timeout=10_000)
    if w.currentId() != Stap.BESTANDEN:
        w.next()
    for rol, path in paths.items():
        assert page.load(rol, path)
        assert w.state.mappings[rol].to_json() == chosen[rol]
    w.close()


def test_another_file_for_one_role_gets_the_proposal(qtbot, tmp_path):
    paths = demo_files(tmp_path)
    chosen = saved_with_own_mapping(qtbot, paths)
    w = stopped_resume(qtbot)
    page = w.currentPage()
    ander = tmp_path / "ander.csv"
    shutil.copy(paths["oud"], ander)
    assert page.load("oud", ander)
    assert w.state.mappings["oud"] == propose_mapping(w.state.tables["oud"])
    assert w.state.mappings["oud"].to_json() != chosen["oud"]
    assert page.load("nieuw", paths["nieuw"])
    assert w.state.mappings["nieuw"].to_json() == chosen["nieuw"]
    w.close()


def test_a_session_saved_after_one_file_is_picked_keeps_the_other(qtbot, tmp_path):
    paths = demo_files(tmp_path)
    chosen = saved_with_own_mapping(qtbot, paths)
    before = load_session(session_path())
    w = stopped_resume(qtbot)
    assert w.currentPage().load("oud", paths["oud"])
    w.save_now()
    after = load_session(session_path())
    assert after.mapping == chosen
    assert after.bestanden["nieuw"]["pad"] == before.bestanden["nieuw"]["pad"]
    w.close()


def test_the_chosen_sheet_of_a_workbook_is_read_again_without_asking(qtbot, tmp_path):
    anders = {**STANDAARD, "bsn": "Burgerservicenummer"}
    oud = workbook(
        tmp_path / "oud.xlsx",
        {"Lopend": gen_frame(Gen(rows=5)), "Historie": gen_frame(Gen(rows=7, headers=anders))},
    )
    paths = {"oud": oud, "nieuw": demo_files(tmp_path)["nieuw"]}
    chosen = saved_with_own_mapping(qtbot, paths, werkblad="Historie")
    w = stopped_resume(qtbot)
    page = w.currentPage()
    assert page.load("oud", oud)  # no sheet question: the saved sheet is read
    assert w.state.tables["oud"].werkblad == "Historie"
    assert w.state.mappings["oud"].to_json() == chosen["oud"]
    w.close()


def test_a_failed_resume_read_keeps_the_mapping_for_the_file_picked_again(qtbot, tmp_path):
    paths = demo_files(tmp_path)
    chosen = saved_with_own_mapping(qtbot, paths)
    paths["oud"].write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)  # e.g. overwritten by mistake
    w = start(qtbot)
    assert w.offer_resume()
    page = w.pages[Stap.BESTANDEN]
    qtbot.waitUntil(lambda: page.hervatten.isHidden(), timeout=20_000)
    assert "Kies de bestanden opnieuw" in page.hervat_tekst.text()
    shutil.copy(resource_path("demo", "oud.csv"), paths["oud"])  # the user puts it back
    for rol, path in paths.items():
        assert page.load(rol, path)
        assert w.state.mappings[rol].to_json() == chosen[rol]
    w.close()


def test_a_saved_sheet_that_is_gone_asks_again_instead_of_failing(qtbot, tmp_path):
    def sheets(gens: dict[str, Gen]) -> Path:
        return workbook(tmp_path / "oud.xlsx", {naam: gen_frame(g) for naam, g in gens.items()})

    anders = {**STANDAARD, "bsn": "Burgerservicenummer"}
    oud = sheets({"Lopend": Gen(rows=5), "Historie": Gen(rows=7, headers=anders)})
    paths = {"oud": oud, "nieuw": demo_files(tmp_path)["nieuw"]}
    saved_with_own_mapping(qtbot, paths, werkblad="Historie")
    w = stopped_resume(qtbot)
    sheets({"Lopend": Gen(rows=5), "Archief": Gen(rows=6, headers=anders)})  # sheet gone
    page = w.currentPage()
    assert not page.load("oud", oud)
    panel = page.panels["oud"]
    assert panel.sheet_row.isVisibleTo(panel)  # the usual question, not an error
    assert "Kies hierboven het werkblad" in panel.info.text()
    w.close()
