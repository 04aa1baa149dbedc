"""Review table figures at 100k rows: ready after matching, filter/sort change, bulk accept.

Targets (issue 4, 2-core machine): table ready < 1 s; a filter or sort change < 150 ms; a bulk
accept of 100k rows < 300 ms. Pinned to two CPUs where the OS allows it. Prints min/median.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_review_table.py [ROWS] [REPEATS]
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
