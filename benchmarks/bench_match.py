"""`srgdesk match` end to end on a realistic ~95k/~90k pair, the matching step alone, peak memory
and the xlsx writer.

Targets (issue 3, 2-core machine): end to end CSV → CSV outputs (--formaat csv) ≤ 3 s, matching
step ≤ 1 s, peak memory ≤ 500 MB.
usage: python benchmarks/bench_match.py [--oud 95000] [--herhalingen 5]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_pair
from timing import report

from srgdesk.core.conversion import accepted_pairs, conversie_frame, load_layout, write_xlsx
from srgdesk.core.export import load_export
from srgdesk.core.matching import match


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--oud", type=int, default=95_000)
    parser.add_argument("--herhalingen", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        oud, nieuw = generate_pair(Path(folder), n_old=args.oud, seed=1)
        print(
            f"paar: {sum(1 for _ in oud.open(encoding='cp1252')) - 1} oud, "
            f"{sum(1 for _ in nieuw.open(encoding='utf-8-sig')) - 1} nieuw"
        )
        walls, peaks = [], []
        # Measure what a user gets: compiled bytecode cached (some shells set this variable).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        for run in range(args.herhalingen):
            command = [
                sys.executable,
                "-m",
                "srgdesk",
                "match",
                str(oud),
                str(nieuw),
                "-o",
                f"{folder}/uit{run}",
                "--formaat",
                "csv",
                "--stil",
            ]
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            walls.append(time.perf_counter() - start)
            if done.returncode != 0:
                raise SystemExit(done.stderr)
            peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
        report("end to end, CSV → CSV (incl. start-up)", walls)
        print(f"{'peak memory (max RSS of the process)':<44} {max(peaks):7.0f} MB")
        print("\n".join("  " + line for line in done.stdout.splitlines()[:4]))

        start = time.perf_counter()
        old, new = load_export(oud).voorzieningen, load_export(nieuw).voorzieningen
        print(
            f"{'read + clean both exports (in-process)':<44} {time.perf_counter() - start:7.3f} s"
        )
        times = []
        for _ in range(args.herhalingen):
            start = time.perf_counter()
            result = match(old, new)
            times.append(time.perf_counter() - start)
        report("matching step alone", times)

        pairs = accepted_pairs(result, "waarschijnlijk")
        frame = conversie_frame(result, pairs, load_layout())
        start = time.perf_counter()
        write_xlsx(io.BytesIO(), frame, "Conversiebestand")
        print(
            f"{'xlsx writer, ' + str(len(frame)) + ' rows × 6 columns':<44} {time.perf_counter() - start:7.3f} s"
        )


if __name__ == "__main__":
    main()
