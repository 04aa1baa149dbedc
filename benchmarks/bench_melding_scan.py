"""The BSN scan of a melding attachment: a conversiebestand of N rows as xlsx and as CSV.

The form re-validates on every key press, but the scan of a file is cached on its size and
modification time; this measures the first (uncached) scan.
Registratienummers of 7 digits: 8 or 9 digit ones pass the elfproef 1 time in 11 and are
reported as a possible BSN (the safe side).
usage: python benchmarks/bench_melding_scan.py [--aantal 20000] [--herhalingen 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import report, timed

from srgdesk.core.melding.scan import bijlage_teksten, find_bsn

KOP = [
    "registratienummer_oud",
    "registratienummer_nieuw",
    "berichtgevercode_oud",
    "berichtgevercode_nieuw",
    "gemeentecode_oud",
    "gemeentecode_nieuw",
]


def rows(aantal: int) -> list[list[str]]:
    return [[f"RV{i:07d}", f"NW-{i:07d}", "1900", "0871", "1900", "1900"] for i in range(aantal)]


def scan(path: Path) -> bool:
    return any(find_bsn(text) for text in bijlage_teksten(path))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--aantal", type=int, default=20_000)
    parser.add_argument("--herhalingen", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        xlsx = Path(folder) / "conversie.xlsx"
        workbook = Workbook()
        workbook.active.append(KOP)
        for row in rows(args.aantal):
            workbook.active.append(row)
        workbook.save(xlsx)
        csv = Path(folder) / "conversie.csv"
        lines = [";".join(KOP), *(";".join(r) for r in rows(args.aantal))]
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert not scan(xlsx)
        assert not scan(csv)
        size = xlsx.stat().st_size // 1024
        report(f"xlsx {args.aantal} rows ({size} kB)", timed(lambda: scan(xlsx), args.herhalingen))
        size = csv.stat().st_size // 1024
        report(f"csv {args.aantal} rows ({size} kB)", timed(lambda: scan(csv), args.herhalingen))


if __name__ == "__main__":
    main()
