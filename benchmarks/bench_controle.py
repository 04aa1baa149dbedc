"""`srgdesk controleer` end to end on a 100k/100k month pair, and its steps in-process.

Target (issue 16, 2-core machine): 100k/100k rows end to end ≤ 3 s. Two pairs: a clean month,
and one with planted problems (500 new numbers, 300 gone, 200 bad BSNs), which also writes a
conversiebestand. The CPU time of the process is printed too: on a shared, busy machine it is
the better estimate of the wall time on an idle one.
usage: python benchmarks/bench_controle.py [--aantal 100000] [--herhalingen 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from maandpaar import month_pair, write_csv
from timing import report, timed

from srgdesk.core.controle import controleer
from srgdesk.core.controle.writer import write_controle
from srgdesk.core.export import load_export


def planted(aantal: int):
    vorige, deze = month_pair(aantal, seed=2)
    running = deze.index[deze["Einddatum voorziening"] == ""]
    deze.loc[running[:500], "Registratienummer voorziening"] = [f"N{i:07d}" for i in range(500)]
    deze.loc[running[500:700], "BSN"] = "123456789"
    return vorige, deze.drop(index=running[700:1000])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--aantal", type=int, default=100_000)
    parser.add_argument("--herhalingen", type=int, default=5)
    args = parser.parse_args()
    # Measure what a user gets: compiled bytecode cached (some shells set this variable).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pairs = {
            "schone maand": month_pair(args.aantal, seed=1),
            "maand met fouten": planted(args.aantal),
        }
        for name, (vorige, deze) in pairs.items():
            v = write_csv(vorige, folder / name / "vorige.csv")
            d = write_csv(deze, folder / name / "deze.csv")
            print(f"{name}: {len(vorige)} vorige, {len(deze)} deze")
            for formaat in ("csv", "beide"):
                command = [
                    *(sys.executable, "-m", "srgdesk", "controleer", str(v), str(d)),
                    *("-o", str(folder / name / formaat), "--formaat", formaat, "--stil"),
                ]
                cpu: list[float] = []

                def run(command=command, cpu=cpu):
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    done = subprocess.run(command, capture_output=True, text=True, env=env)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
                    cpu.append(used)
                    if done.returncode != 0:
                        raise SystemExit(done.stderr)

                report(
                    f"  end to end, --formaat {formaat} (incl. start-up)",
                    timed(run, args.herhalingen),
                )
                report("    CPU time of that process (user + sys)", cpu)
            start = time.perf_counter()
            a, b = load_export(v).voorzieningen, load_export(d).voorzieningen
            print(f"{'  read + clean both (in-process)':<44} {time.perf_counter() - start:7.3f} s")
            report(
                "  controleer (match + checks)",
                timed(lambda a=a, b=b: controleer(a, b), args.herhalingen),
            )
            resultaat = controleer(a, b)
            print(f"  signaleringen: {len(resultaat.signaleringen)}")
            report(
                "  write controle + conversiebestand (beide)",
                timed(
                    lambda r=resultaat, n=name: write_controle(r, folder / n / "w"),
                    args.herhalingen,
                ),
            )


if __name__ == "__main__":
    main()
