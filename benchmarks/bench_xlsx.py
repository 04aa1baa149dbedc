"""The conversiebestand as xlsx: openpyxl write-only mode (before) against our streaming writer
(after) and the limit, a bare streaming sheet writer (f-strings into a zip entry, no escaping,
no styles), on the conversiebestand of a realistic ~95k/~88k pair (6 text columns).

Target (issue 17): our writer within 2 × the bare limit.
usage: python benchmarks/bench_xlsx.py [--oud 95000] [--herhalingen 5]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_pair
from timing import report, timed

from srgdesk.core.conversion import accepted_pairs, conversie_frame, load_layout
from srgdesk.core.export import load_export
from srgdesk.core.matching import match
from srgdesk.core.xlsx_writer import write_xlsx


def openpyxl_write_only(frame: pd.DataFrame) -> None:
    """What srgdesk did before: openpyxl write-only, text cells, bold header, widths."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Conversiebestand")
    sheet.freeze_panes = "A2"
    header = []
    for column in frame.columns:
        cell = WriteOnlyCell(sheet, value=str(column))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in zip(*(frame[c].astype(str).to_numpy() for c in frame.columns), strict=True):
        sheet.append(list(row))
    workbook.save(io.BytesIO())


def bare_limit(frame: pd.DataFrame) -> None:
    """The floor: the sheet XML as f-strings straight into a deflated zip entry, nothing else."""
    columns = [frame[c].astype(str).tolist() for c in frame.columns]
    archive = zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED)
    with archive, archive.open("xl/worksheets/sheet1.xml", "w") as entry:
        entry.write(b"<worksheet><sheetData>")
        for start in range(0, len(frame), 5000):
            chunk = [c[start : start + 5000] for c in columns]
            entry.write(
                "".join(
                    "<row>"
                    + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in row)
                    + "</row>"
                    for row in zip(*chunk, strict=True)
                ).encode()
            )
        entry.write(b"</sheetData></worksheet>")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--oud", type=int, default=95_000)
    parser.add_argument("--herhalingen", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        oud, nieuw = generate_pair(Path(folder), n_old=args.oud, seed=1)
        result = match(load_export(oud).voorzieningen, load_export(nieuw).voorzieningen)
    frame = conversie_frame(result, accepted_pairs(result, "waarschijnlijk"), load_layout())
    print(f"conversiebestand: {len(frame)} regels × {len(frame.columns)} kolommen")
    n = args.herhalingen
    before = timed(lambda: openpyxl_write_only(frame), max(1, n // 2))
    limit = timed(lambda: bare_limit(frame), n)
    after = timed(lambda: write_xlsx(io.BytesIO(), frame, "Conversiebestand"), n)
    report("voor: openpyxl write-only", before)
    report("grens: kale streaming-schrijver", limit)
    report("na: srgdesk.core.xlsx_writer", after)
    print(f"na / grens (mediaan): {sorted(after)[n // 2] / sorted(limit)[n // 2]:.2f}×")


if __name__ == "__main__":
    main()
