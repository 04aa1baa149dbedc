"""`srgdesk match --formaat csv` end to end against a plain pandas join (and, with --splink, against
Splink), where its time goes, the matching step alone, and the one-to-one assignment for one
person with many candidates.

The figure of issue 17 is the ratio srgdesk / reference: in one loop, on the same files, each run
starts `srgdesk match --formaat csv` (the console script, as a user types it) and then the
reference (a fresh Python that reads both CSVs with pandas, merges them on BSN + soort and writes
a CSV). The breakdown runs the same command in a fresh process with timers around its steps:
start-up (imports, parser, output checks: process start to the first read), read + clean both
exports, match, write_outputs, and the rest of the command (summary, warnings, printing, exit).
Targets (issue 11, 2-core machine): matching step ≤ 1 s at 95k/92k, 30 × 30 candidates of one
person < 1 s.

usage: python benchmarks/bench_match.py [--oud 95000] [--herhalingen 5] [--profiel]
       [--splink /path/to/python-with-splink]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_pair
from timing import report, timed

from srgdesk.core.conversion import accepted_pair_array, write_outputs
from srgdesk.core.export import load_export
from srgdesk.core.matching import MatchResultaat, match
from srgdesk.core.matching.assignment import assign

REFERENCE = """
import sys
import pandas as pd
oud = pd.read_csv(sys.argv[1], sep=";", dtype=str, encoding="cp1252", keep_default_na=False)
nieuw = pd.read_csv(sys.argv[2], sep=",", dtype=str, encoding="utf-8-sig", keep_default_na=False)
oud["bsn"] = oud["BSN"].str.zfill(9)
nieuw["bsn"] = nieuw["bsn"].str.zfill(9)
joined = oud.merge(
    nieuw, left_on=["bsn", "Soort voorziening"], right_on=["bsn", "voorzieningcode"], how="left"
)
joined.to_csv(sys.argv[3], sep=";", index=False)
"""


# The command itself, in a fresh process, with a timer around each step. The wrapped functions
# are the module attributes commands/match.py imports inside run(), so the timed path is the
# command's own; only the time to import these three modules moves before main() (it stays in
# "start-up", which ends at the first read). The parent's wall clock minus the steps is the
# interpreter's start and the end of the process.
STEPS = """
import json, os, sys, time
start = time.perf_counter()
import srgdesk.core.conversion as conversion
import srgdesk.core.export as export
import srgdesk.core.matching as matching
marks = {}

def timed(name, function):
    def wrapper(*args, **kwargs):
        begin = time.perf_counter()
        marks.setdefault("first", begin)
        try:
            return function(*args, **kwargs)
        finally:
            marks[name] = marks.get(name, 0.0) + time.perf_counter() - begin
    return wrapper

export.load_export = timed("read", export.load_export)
matching.match = timed("match", matching.match)
conversion.write_outputs = timed("write", conversion.write_outputs)
import srgdesk.cli as cli

def report(code):
    end = time.perf_counter()
    steps = {"start-up": marks["first"] - start, "read": marks["read"], "match": marks["match"],
             "write": marks["write"]}
    steps["rest"] = end - start - sum(steps.values())
    sys.__stdout__.write(json.dumps(steps))
    sys.__stdout__.flush()

if hasattr(cli, "_exit_now"):  # the command line's own end of the process, timed up to it
    real_exit = cli._exit_now
    cli._exit_now = lambda code: (report(code), real_exit(code))
sys.stdout = open(os.devnull, "w")
sys.argv = ["srgdesk", "match", *sys.argv[1:3], "-o", sys.argv[3], "--formaat", "csv", "--stil"]
code = cli.main()  # as the command line runs it (argv from sys.argv)
report(code)
sys.exit(code)
"""
STEP_LABELS = {
    "start-up": "start-up (imports, parser, checks)",
    "read": "read + clean both exports",
    "match": "match",
    "write": "write_outputs (csv)",
    "rest": "summary, warnings, printing",
    "exit": "interpreter start + exit",
}


def breakdown(oud: Path, nieuw: Path, folder: Path, runs: int) -> None:
    """Where the time of one `srgdesk match --formaat csv` goes (fresh process per run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    figures: dict[str, list[float]] = {name: [] for name in STEP_LABELS}
    for run in range(runs):
        command = [sys.executable, "-c", STEPS, str(oud), str(nieuw), str(folder / f"stap{run}")]
        begin = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - begin
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        steps = json.loads(done.stdout)
        steps["exit"] = wall - sum(steps.values())
        for name, seconds in steps.items():
            figures[name].append(seconds)
    for name, label in STEP_LABELS.items():
        report(f"  {label}", figures[name])


def srgdesk_command() -> list[str]:
    """`srgdesk` as a user types it: the installed console script next to this Python (what
    `pip install` or `uv sync` puts on PATH), else `python -m srgdesk` (which also pays runpy)."""
    script = Path(sys.executable).with_name("srgdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "srgdesk"]


def run_alone(command: list[str], env: dict[str, str], errors: Path) -> tuple[float, float]:
    """Wall time and peak memory (MB) of this one process: os.wait4 gives the rusage of this
    child alone (RUSAGE_CHILDREN would be the largest of every child so far, Splink's too)."""
    with errors.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(errors.read_text(encoding="utf-8", errors="replace"))
    return seconds, usage.ru_maxrss / 1024


def end_to_end(oud: Path, nieuw: Path, folder: Path, runs: int, splink: str | None) -> None:
    """srgdesk, the reference and (with --splink) Splink alternately, in one loop, same files."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    ours, theirs, ratios, peaks, splinks = [], [], [], [], []
    print(f"srgdesk gestart als: {' '.join(srgdesk_command())}")
    for run in range(runs):
        command = [*srgdesk_command(), "match", str(oud), str(nieuw)]
        command += ["-o", str(folder / f"uit{run}"), "--formaat", "csv", "--stil"]
        seconds, peak = run_alone(command, env, folder / "fouten.txt")
        ours.append(seconds)
        peaks.append(peak)
        start = time.perf_counter()
        reference = [sys.executable, "-c", REFERENCE, str(oud), str(nieuw), str(folder / "ref.csv")]
        subprocess.run(reference, check=True, env=env)
        theirs.append(time.perf_counter() - start)
        ratios.append(ours[-1] / theirs[-1])
        if splink:
            start = time.perf_counter()
            script = str(Path(__file__).with_name("splink_reference.py"))
            subprocess.run(
                [splink, script, str(oud), str(nieuw), str(folder / "splink.csv")],
                check=True,
                env=env,
            )
            splinks.append(time.perf_counter() - start)
    report("srgdesk match --formaat csv (end to end)", ours)
    report("plain pandas join BSN + soort (end to end)", theirs)
    print(
        f"{'ratio srgdesk / reference':<44} min {min(ratios):7.2f}     "
        f"median {statistics.median(ratios):7.2f}     (n={len(ratios)})"
    )
    if splinks:
        report("Splink, same pair (end to end)", splinks)
        per_run = [a / b for a, b in zip(ours, splinks, strict=True)]
        print(
            f"{'ratio srgdesk / Splink':<44} min {min(per_run):7.2f}     "
            f"median {statistics.median(per_run):7.2f}     (n={len(per_run)})"
        )
    print(f"{'peak memory srgdesk (max RSS)':<44} {max(peaks):7.0f} MB")


def matching_step(oud: Path, nieuw: Path, folder: Path, runs: int, profile: bool) -> None:
    start = time.perf_counter()
    old, new = load_export(oud).voorzieningen, load_export(nieuw).voorzieningen
    print(f"{'read + clean both exports (in-process)':<44} {time.perf_counter() - start:7.3f} s")
    report("matching step alone", timed(lambda: match(old, new), runs))
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(match, old, new)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(20)
    writing_step(match(old, new), folder / "schrijven", runs)


def writing_step(resultaat: MatchResultaat, folder: Path, runs: int) -> None:
    """write_outputs (csv) alone on one result, wall and CPU time: on a busy machine the CPU
    time of this process moves less than the wall clock."""
    pairs = accepted_pair_array(resultaat)
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        write_outputs(resultaat, pairs, folder, formaat="csv")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    report("write_outputs (csv) alone, wall", walls)
    report("write_outputs (csv) alone, CPU", cpus)


def one_person(size: int, runs: int) -> None:
    """All size × size candidate pairs of one person, scores with ties (the worst case)."""
    rng = np.random.default_rng(size)
    o, n = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    score = rng.choice([4, 10, 20, 50, 54], size=size * size)
    group = np.zeros(size * size, dtype=np.int64)
    report(
        f"assignment, one person {size} × {size}",
        timed(lambda: assign(o.ravel(), n.ravel(), group, score), runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--oud", type=int, default=95_000)
    parser.add_argument("--herhalingen", type=int, default=5)
    parser.add_argument("--profiel", action="store_true", help="profile one matching run")
    parser.add_argument(
        "--paar", nargs=2, type=Path, metavar=("OUD", "NIEUW"), help="these files, not generated"
    )
    parser.add_argument(
        "--splink",
        metavar="PYTHON",
        help="a Python with Splink installed: also time splink_reference.py in the same loop",
    )
    args = parser.parse_args()
    for size in (8, 30):
        one_person(size, args.herhalingen)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        oud, nieuw = args.paar or generate_pair(folder, n_old=args.oud, seed=1)
        print(
            f"paar: {sum(1 for _ in oud.open(encoding='cp1252')) - 1} oud, "
            f"{sum(1 for _ in nieuw.open(encoding='utf-8-sig')) - 1} nieuw"
        )
        print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
        matching_step(oud, nieuw, folder, args.herhalingen, args.profiel)
        print("srgdesk match --formaat csv, per stap (in één proces):")
        breakdown(oud, nieuw, folder, args.herhalingen)
        end_to_end(oud, nieuw, folder, args.herhalingen, args.splink)


if __name__ == "__main__":
    main()
