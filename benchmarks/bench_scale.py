"""`srgdesk match --formaat csv` at 100k, 300k and 1M rows per export: time and peak memory.

Targets (issue 17): peak memory ≤ 1.5 GB at 1M rows (the row limit), time linear in the rows.
Each size runs in a fresh process; peak memory is that child's max RSS (wait4's rusage, the
kernel's VmHWM). `--stadia` also runs the match's steps one by one in a fresh process and prints
the RSS and peak after each, to find where the memory goes.

`--vergelijk DIR` runs the srgdesk source tree in DIR (e.g. an export of main:
`git archive main | tar -x -C /tmp/main`) alternately with this one on the same files, so
before and after are measured at the same moment.

usage: python benchmarks/bench_scale.py [--regels 100000 300000 1000000] [--herhalingen 1]
                                         [--stadia] [--vergelijk DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_pair

# The flow of `srgdesk match`, step by step, with the process's memory after each step.
STADIA = """
import gc, sys, time
from pathlib import Path

def memory():
    status = dict(
        line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
    )
    return (int(status["VmRSS"].split()[0]) // 1024, int(status["VmHWM"].split()[0]) // 1024)

start = time.perf_counter()
def step(name):
    rss, peak = memory()
    print(f"  {name:<34} {time.perf_counter() - start:7.2f} s   RSS {rss:6d} MB   piek {peak:6d} MB")

from srgdesk.core.conversion import accepted_pair_array, write_outputs
from srgdesk.core.export import load_export
from srgdesk.core.matching import match
step("imports")
oud = load_export(Path(sys.argv[1]), None, "oude")
step("oude export gelezen en geschoond")
nieuw = load_export(Path(sys.argv[2]), None, "nieuwe")
step("nieuwe export gelezen en geschoond")
resultaat = match(oud.voorzieningen, nieuw.voorzieningen)
step("gekoppeld")
pairs = accepted_pair_array(resultaat, "zeker")
step("geaccepteerde paren")
write_outputs(resultaat, pairs, Path(sys.argv[3]), formaat="csv", met_bsn=False)
step("uitvoer geschreven")
"""


def run_match(
    oud: Path, nieuw: Path, uitvoer: Path, source: Path | None = None
) -> tuple[float, float]:
    """Seconds and peak memory (MB) of one fresh `srgdesk match --formaat csv` (of the source
    tree `source` when given)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    source = source or Path(__file__).resolve().parents[1]
    env["PYTHONPATH"] = str(source)  # and run from there: `-m` puts the working folder first
    command = [sys.executable, "-m", "srgdesk", "match", str(oud), str(nieuw)]
    command += ["-o", str(uitvoer), "--formaat", "csv", "--stil"]
    start = time.perf_counter()
    child = subprocess.Popen(
        command, env=env, cwd=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    error = child.stderr.read().decode(errors="replace") if child.stderr else ""
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"srgdesk match faalde ({child.returncode}):\n{error}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regels", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--herhalingen", type=int, default=1)
    parser.add_argument("--stadia", action="store_true", help="geheugen per stap")
    parser.add_argument("--vergelijk", type=Path, help="andere srgdesk-bronmap, afwisselend")
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
    trees: list[tuple[str, Path | None]] = [("deze", None)]
    if args.vergelijk:
        trees.insert(0, (args.vergelijk.name, args.vergelijk.resolve()))
    per_row: dict[str, list[float]] = {name: [] for name, _ in trees}
    with tempfile.TemporaryDirectory() as name:
        for size in args.regels:
            folder = Path(name) / str(size)
            oud, nieuw = generate_pair(folder, n_old=size, seed=1)
            times: dict[str, list[float]] = {tree: [] for tree, _ in trees}
            peaks: dict[str, list[float]] = {tree: [] for tree, _ in trees}
            for run in range(args.herhalingen):
                for tree, source in trees:
                    seconds, peak = run_match(oud, nieuw, folder / f"uit{run}", source)
                    times[tree].append(seconds)
                    peaks[tree].append(peak)
            for tree, _ in trees:
                best = min(times[tree])
                per_row[tree].append(best / size)
                print(
                    f"{tree:>10} {size:>9,} regels: min {best:7.2f} s   median "
                    f"{statistics.median(times[tree]):7.2f} s   piek {max(peaks[tree]):6.0f} MB   "
                    f"{best / size * 1e6:5.2f} µs/regel   (n={len(times[tree])}, "
                    f"load {os.getloadavg()[0]:.2f})"
                )
            if args.stadia:
                command = [sys.executable, "-c", STADIA, str(oud), str(nieuw)]
                subprocess.run([*command, str(folder / "stadia")], check=True)
    for tree, ratios in per_row.items():
        if len(ratios) > 1:
            print(
                f"{tree}: tijd per regel, grootste / kleinste maat: "
                f"{ratios[-1] / ratios[0]:.2f} (1 = lineair)"
            )


if __name__ == "__main__":
    main()
