"""Start-up of the command line, each figure over several fresh processes (min/median).

- `srgdesk --version`            target ≤ 0.2 s (issue 17)
- `srgdesk match --help`         building every parser, no command run
- `srgdesk match` to first read  from process start until match calls the reader for the old
                                 export (imports of the run, output checks): target ≤ 0.4 s
- `python -c pass`               the interpreter alone, the floor under every figure
- own start-up after pandas      in one process, after `import pandas, numpy` (which the plain
                                 pandas reference pays too): srgdesk's own part up to the first
                                 read (imports, parser, output checks): target ≤ 20 ms
- own imports after pandas       every srgdesk module a `match --formaat csv` run imports, also
                                 those it imports after the first read, and the parser: what a
                                 run pays for being srgdesk, wherever in the run it is paid

usage: python benchmarks/bench_startup.py [--herhalingen 7]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import report

# Runs `srgdesk match` in-process and exits at the first call of the reader, printing `{said}`:
# the time of this process is the start-up of match. Importing core.export first only moves an
# import the run would do anyway before it reads. `{before}` runs before the clock starts.
FIRST_READ = """
import os, sys, time
{before}
start = time.perf_counter()
import srgdesk.core.export as export

def first_read(*args, **kwargs):
    sys.stdout.write(f"{said}\\n")
    sys.stdout.flush()
    os._exit(0)

export.read_voorzieningen_table = first_read
from srgdesk.cli import main
main(["match", sys.argv[1], sys.argv[2], "-o", sys.argv[3], "--formaat", "csv", "--stil"])
os._exit(3)
"""
TO_FIRST_READ = FIRST_READ.format(before="", said="eerste lezing")
# The same run, timed in-process from after `import pandas, numpy` (which the plain pandas
# reference pays too) to the first read.
OWN_TO_FIRST_READ = FIRST_READ.format(
    before="import numpy, pandas", said="{time.perf_counter() - start}"
)

# Every module a `match --formaat csv` run imports (tests/test_startup.py lists what it must
# not), and the parser, after pandas and numpy.
OWN_IMPORTS = """
import sys, time
import numpy, pandas
start = time.perf_counter()
import srgdesk.cli
srgdesk.cli.build_parser().parse_args(["match", "oud", "nieuw", "-o", "uit"])
import srgdesk.commands.uitvoer, srgdesk.console, srgdesk.core.conversion, srgdesk.core.export
import srgdesk.core.matching, srgdesk.core.matching.summary, srgdesk.core.output_files
sys.stdout.write(f"{time.perf_counter() - start}\\n")
"""


def in_process(command: list[str], runs: int) -> list[float]:
    """The seconds each of `runs` fresh processes of `command` prints (its own timing)."""
    return [float(done.stdout.split()[-1]) for done, _ in _runs(command, runs)]


def fresh_processes(command: list[str], runs: int, expect: str = "") -> list[float]:
    """Wall-clock seconds of `runs` fresh processes of `command` (checked to have done its job)."""
    return [seconds for _, seconds in _runs(command, runs, expect)]


def _runs(
    command: list[str], runs: int, expect: str = ""
) -> list[tuple[subprocess.CompletedProcess, float]]:
    """`runs` fresh processes of `command` after one to warm caches and .pyc files, each with
    its wall-clock seconds; stops when one fails or does not print `expect`."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, capture_output=True, env=env, check=False)
    done_runs = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        done_runs.append((done, time.perf_counter() - start))
        if done.returncode != 0 or expect not in done.stdout:
            raise SystemExit(f"{' '.join(command)} faalde:\n{done.stdout}\n{done.stderr}")
    return done_runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--herhalingen", type=int, default=7)
    args = parser.parse_args()
    from srgdesk.core.resources import resource_path

    demo = resource_path("demo")
    python = sys.executable
    runs = args.herhalingen
    print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
    report("python -c pass", fresh_processes([python, "-c", "pass"], runs))
    report(
        "srgdesk --version",
        fresh_processes([python, "-m", "srgdesk", "--version"], runs, "srgdesk"),
    )
    report(
        "srgdesk match --help",
        fresh_processes([python, "-m", "srgdesk", "match", "--help"], runs, "match"),
    )
    with tempfile.TemporaryDirectory() as folder:
        command = [python, "-c", TO_FIRST_READ, str(demo / "oud.csv"), str(demo / "nieuw.csv")]
        report(
            "srgdesk match tot de eerste lezing",
            fresh_processes([*command, folder], runs, "eerste lezing"),
        )
        own = [python, "-c", OWN_TO_FIRST_READ, str(demo / "oud.csv"), str(demo / "nieuw.csv")]
        report(
            "own start-up after pandas (to first read)",
            [t * 1000 for t in in_process([*own, folder], runs)],
            "ms",
        )
    report(
        "own imports after pandas (whole csv run)",
        [t * 1000 for t in in_process([python, "-c", OWN_IMPORTS], runs)],
        "ms",
    )


if __name__ == "__main__":
    main()
