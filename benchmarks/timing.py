"""Shared helpers for the benchmark scripts: repeat a step and print min/median."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(function: Callable[[], object], repeats: int) -> list[float]:
    """Wall-clock seconds of each of `repeats` runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float], unit: str = "s") -> None:
    low, middle = min(times), statistics.median(times)
    print(f"{label:<44} min {low:7.3f} {unit}   median {middle:7.3f} {unit}   (n={len(times)})")
