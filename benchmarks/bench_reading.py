"""How long reading a 100k-row export takes: CSV (cp1252, ';') and XLSX (via python-calamine).

Targets (issue 2): XLSX within a few seconds, CSV well under one second.
usage: python benchmarks/bench_reading.py [--rijen 100000] [--herhalingen 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_pair
from timing import report, timed

from srgdesk.core.export import load_export
from srgdesk.core.reading import read_table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rijen", type=int, default=100_000)
    parser.add_argument("--herhalingen", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        csv_path, _ = generate_pair(Path(folder), n_old=args.rijen, seed=3)
        xlsx_path = Path(folder) / "oud.xlsx"
        frame = pd.read_csv(csv_path, sep=";", dtype=str, encoding="cp1252", keep_default_na=False)
        with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name="Voorzieningen")
        print(
            f"{args.rijen} rijen; CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
            f"XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB"
        )
        report("read_table CSV", timed(lambda: read_table(csv_path), args.herhalingen))
        report("read_table XLSX", timed(lambda: read_table(xlsx_path), args.herhalingen))
        report(
            "read + map + clean CSV (load_export)",
            timed(lambda: load_export(csv_path), args.herhalingen),
        )
        report(
            "read + map + clean XLSX (load_export)",
            timed(lambda: load_export(xlsx_path), args.herhalingen),
        )


if __name__ == "__main__":
    main()
