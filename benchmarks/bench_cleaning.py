"""How long the column-mapping proposal, cleaning and the verslagmaand take for a pair of
exports already read (the steps between reading and matching), min/median of several runs.

usage: python benchmarks/bench_cleaning.py OUD NIEUW [--herhalingen 7]
Compare two checkouts at the same moment by alternating PYTHONPATH=<checkout> runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import report, timed

from srgdesk.core.cleaning import clean
from srgdesk.core.mapping import propose_mapping
from srgdesk.core.reading import read_table
from srgdesk.core.verslagmaand import settle_period


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("oud", type=Path)
    parser.add_argument("nieuw", type=Path)
    parser.add_argument("--herhalingen", type=int, default=7)
    args = parser.parse_args()
    tables = [read_table(args.oud), read_table(args.nieuw)]

    def steps(table):
        mapping = propose_mapping(table)
        voorzieningen = clean(table, mapping)
        settle_period(voorzieningen.frame, None, table.name, table.name)

    def pair() -> None:
        for table in tables:
            steps(table)

    report("mapping + cleaning + verslagmaand (pair)", timed(pair, args.herhalingen))
    report(
        "propose_mapping (pair)",
        timed(lambda: [propose_mapping(t) for t in tables], args.herhalingen),
    )


if __name__ == "__main__":
    main()
