"""Review table figures at 100k rows: ready after matching, filter/sort change, bulk accept;
then resume and save of a whole wizard session on a generated 100k export pair.

Targets (issue 4, 2-core machine): table ready < 1 s; a filter or sort change < 150 ms; a bulk
accept of 100k rows < 300 ms. Issue 12: resuming a session with ~88k decisions <= 3 s, on the
page the user was on; saving ~88k pairs <= 5 s. Pinned to two CPUs where the OS allows it.
Prints min/median.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_review_table.py [ROWS] [REPEATS] [alleen-hervatten]

With a third argument only resume and save are measured.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pandas as pd

from srgdesk.core.review import ReviewSessie


def synthetic_regels(n: int, seed: int = 1) -> pd.DataFrame:
    """A matching result shaped like the real one: mostly zeker, some twijfel, some unpaired."""
    rng = np.random.default_rng(seed)
    status = rng.choice(
        ["gekoppeld", "ongewijzigd", "ontbreekt", "beeindigd", "nieuw"],
        n,
        p=[0.85, 0.05, 0.03, 0.03, 0.04],
    ).astype(object)
    zekerheid = np.where(
        status == "gekoppeld",
        rng.choice(["zeker", "waarschijnlijk", "twijfel"], n, p=[0.9, 0.08, 0.02]),
        "",
    ).astype(object)
    has_old = status != "nieuw"
    has_new = np.isin(status, ["gekoppeld", "ongewijzigd", "nieuw"])
    oud_index = np.where(has_old, np.cumsum(has_old) - 1, -1)
    nieuw_index = np.where(has_new, np.cumsum(has_new) - 1, -1)
    days = rng.integers(15000, 20000, n)
    dates = pd.Series(np.datetime64("1970-01-01") + days.astype("timedelta64[D]")).dt.strftime(
        "%d-%m-%Y"
    )
    frame = pd.DataFrame(
        {
            "status": status,
            "soort_koppeling": np.where(has_old & has_new, "conversie", ""),
            "zekerheid": zekerheid,
            "score": 50,
            "reden": "Zelfde BSN en soort; begindatum gelijk",
            "oud_index": oud_index,
            "nieuw_index": nieuw_index,
            "bsn": pd.Series(rng.integers(10_000_000, 999_999_999, n)).astype(str).str.zfill(9),
        }
    )
    for side, present in (("oud", has_old), ("nieuw", has_new)):
        numbers = pd.Series(np.arange(n)).astype(str).str.zfill(10)
        frame[f"{side}_gemeentecode"] = np.where(present, "0999", "")
        frame[f"{side}_berichtgevercode"] = np.where(present, "4021", "")
        frame[f"{side}_registratienummer"] = np.where(present, side[0].upper() + numbers, "")
        frame[f"{side}_regel"] = np.where(present, np.arange(n) + 2, 0)
        frame[f"{side}_soort"] = np.where(present, "11", "")
        frame[f"{side}_begindatum"] = np.where(present, dates, "")
        frame[f"{side}_einddatum"] = ""
    frame["alternatieven"] = pd.Series([()] * n, dtype=object)
    return frame


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def line(name: str, ms: list[float], target: float) -> str:
    low, mid = min(ms), statistics.median(ms)
    verdict = "ok" if mid < target else "TE TRAAG"
    return (
        f"{name:<46} min {low:7.1f} ms  mediaan {mid:7.1f} ms  (doel < {target:.0f} ms: {verdict})"
    )


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))[:2]
        os.sched_setaffinity(0, cpus)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from srgdesk.gui.review_model import COLUMNS, ReviewModel
    from srgdesk.gui.review_view import ReviewView

    app = QApplication.instance() or QApplication([])
    if len(sys.argv) > 3:
        bench_resume_and_save(rows, repeats)
        return 0
    regels = synthetic_regels(rows)
    print(
        f"{rows} regels, {os.cpu_count()} cpu's op de machine, "
        f"{len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'} gebruikt"
    )

    view = ReviewView()
    view.resize(1200, 700)
    view.show()
    state: dict = {}

    def ready() -> None:
        sessie = ReviewSessie(regels)
        model = ReviewModel(sessie)
        view.setModel(model)
        view.apply_widths()
        app.processEvents()
        view.viewport().repaint()
        state["model"], state["sessie"] = model, sessie

    results = [line("tabel klaar na het koppelen", timed(ready, repeats), 1000)]
    model: ReviewModel = state["model"]

    def paint() -> None:
        view.viewport().repaint()

    filters = iter([("alles", ""), ("aandacht", "zeker"), ("los", ""), ("alles", "twijfel")] * 50)

    def filter_change() -> None:
        status, zekerheid = next(filters)
        model.set_filters(status=status, zekerheid=zekerheid)
        paint()

    results.append(line("filter wisselen", timed(filter_change, repeats), 150))
    words = iter(["o00000123", "12345", "n0000099", ""] * 50)

    def search() -> None:
        model.set_filters(zoek=next(words))
        paint()

    results.append(line("zoeken (registratienummer/BSN)", timed(search, repeats), 150))
    model.set_filters(status="alles", zekerheid="", zoek="")
    names = [name for name, _ in COLUMNS]
    first_sort = []
    for name in ("oud", "reden", "oud_begin", "bsn"):
        start = time.perf_counter()
        model.sort(names.index(name), Qt.SortOrder.AscendingOrder)
        paint()
        first_sort.append((time.perf_counter() - start) * 1000)
    results.append(line("sorteren, eerste keer per kolom", first_sort, 150))
    columns = iter(
        [
            (names.index(n), o)
            for n in ("oud", "zekerheid", "oud_begin", "besluit")
            for o in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder)
        ]
        * 20
    )

    def sort() -> None:
        model.sort(*next(columns))
        paint()

    results.append(line("sorteren, daarna", timed(sort, repeats), 150))
    model.sort(-1)

    def bulk() -> None:
        sessie = model.sessie
        sessie.accept_zekerheid("zeker")
        model.refresh()
        paint()
        state["accepted"] = int((sessie.besluit == 1).sum())
        sessie.undo()

    results.append(line("alles 'zeker' accepteren (+ tabel bijwerken)", timed(bulk, repeats), 300))
    print("\n".join(results))
    print(f"({state['accepted']} koppelingen per keer geaccepteerd)")
    bench_resume_and_save(rows, max(2, repeats // 2))
    return 0


def bench_resume_and_save(rows: int, repeats: int) -> None:
    """The wizard as a user meets it: resume a saved session on a generated export pair (read,
    clean, match, lay the decisions back, land on Controleren), then save all outputs."""
    import tempfile
    from pathlib import Path

    from PySide6.QtWidgets import QApplication, QMessageBox

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import generate_pair

    from srgdesk.core.review import load_session
    from srgdesk.gui.page_opslaan import Opslagopdracht, write_all
    from srgdesk.gui.settings import session_path
    from srgdesk.gui.wizard import SrgWizard, Stap

    app = QApplication.instance()
    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
    QMessageBox.information = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok)

    stalls: list[float] = []  # the longest time the window did not answer, per resume

    def wait(condition, seconds: float = 600) -> None:
        deadline = time.perf_counter() + seconds
        while not condition():
            start = time.perf_counter()
            app.processEvents()  # what the GUI thread runs here is time the window is frozen
            if stalls:
                stalls[-1] = max(stalls[-1], time.perf_counter() - start)
            time.sleep(0.002)
            if time.perf_counter() > deadline:
                raise SystemExit("time-out")

    with tempfile.TemporaryDirectory() as folder:
        os.environ["SRGDESK_DATA_DIR"] = str(Path(folder) / "appdata")
        oud, nieuw = generate_pair(Path(folder), n_old=rows, seed=1)
        w = SrgWizard()
        w.state.aanleiding = "pakket"
        w.restart()
        w.next()
        for rol, path in (("oud", oud), ("nieuw", nieuw)):
            w.currentPage().load(rol, path)
        wait(lambda: len(w.state.tables) == 2 and w.currentPage().isComplete())
        while w.currentId() != Stap.KOPPELEN:
            w.next()
        wait(lambda: w.currentPage().isComplete())
        w.next()
        sessie = w.state.sessie
        sessie.accept_zekerheid("zeker")
        sessie.accept_zekerheid("waarschijnlijk")
        sessie.reject(np.flatnonzero(sessie.te_beslissen())[:50])
        w.save_now()
        saved = load_session(session_path())
        print(f"\nsessie: {len(saved.besluiten)} besluiten, stap '{saved.stap}'")

        def resume() -> None:
            w2 = SrgWizard()
            start = time.perf_counter()
            w2.restore(saved)
            w2.resume_on(saved.stap)
            stalls.append(time.perf_counter() - start)
            wait(lambda: w2.currentId() == Stap.CONTROLEREN)
            assert w2.state.overname.overgenomen == len(saved.besluiten)
            w2.deleteLater()

        print(line("hervatten tot op Controleren", timed(resume, repeats), 3000))
        print(line("  langste bevriezing van het venster", [s * 1000 for s in stalls], 300))
        fresh = type(sessie)(w.state.resultaat.regels)
        print(
            line(
                "  waarvan besluiten terugzetten",
                timed(
                    lambda: type(sessie)(w.state.resultaat.regels).apply_besluiten(saved.besluiten),
                    repeats,
                ),
                3000,
            )
        )
        del fresh
        run = iter(range(1000))

        def save() -> None:
            opdracht = Opslagopdracht(
                resultaat=w.state.resultaat,
                besluiten=sessie.bevroren(),
                folder=Path(folder) / f"uit{next(run)}",
                met_bsn=False,
                protected=(oud, nieuw),
            )
            write_all(opdracht, Voortgang())

        from srgdesk.core.progress import Voortgang

        print(f"opslaan: {len(sessie.final_pairs())} koppelingen")
        print(line("opslaan (conversiebestand, matches, overzicht)", timed(save, repeats), 5000))


if __name__ == "__main__":
    raise SystemExit(main())
