"""How long reading an export takes, and how much memory: CSV (cp1252, ';') and XLSX.

Time: min/median of several runs at --rijen rows (default 100k), read_table and load_export;
and load_export of both files of a pair (--paar OUD NIEUW, e.g. the 95k/92k golden pair), the
figure issue 17 asks for, with voorloopnullen_advies on the pair; for the pair also read_table
and the part of it outside pandas' read_csv (what reading adds to pandas' parse), and load_export
of the pair in fresh interpreters (first calls and fresh memory pages included, as in one
`srgdesk match`), with the part outside pandas' parse and the page faults.
Scale: for 100k, 300k and 1M CSV rows, one fresh process each, time and peak memory (peak via
resource.getrusage, Unix only), to see whether both grow linearly. Limit: 1M rows ≤ 1.5 GB.

usage: python benchmarks/bench_reading.py [--rijen 100000] [--herhalingen 5]
       [--schaal 100000,300000,1000000] [--zonder-schaal] [--paar OUD NIEUW]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_pair
from timing import report, timed

from srgdesk.core.export import load_export, voorloopnullen_advies
from srgdesk.core.reading import read_table

ROOT = Path(__file__).resolve().parents[1]

# Run in a fresh interpreter so each peak belongs to one read only.
_MEASURE = """
import json, resource, sys, time
from srgdesk.core.reading import read_table
start = time.perf_counter()
table = read_table(sys.argv[1])
seconds = time.perf_counter() - start
try:  # VmHWM starts afresh at exec; ru_maxrss keeps the forking parent's peak on Linux
    status = open("/proc/self/status").read()
    peak_mb = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError):
    scale = 1 if sys.platform == "darwin" else 1024
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb,
                  "rows": len(table.regels), "lezer": str(table.lezer)}))
"""


# load_export of a pair in a fresh interpreter, as `srgdesk match` does it: first calls (caches,
# regexes, the synonyms) and fresh memory pages included; prints wall and processor seconds,
# the processor seconds inside pandas' parse, and the minor page faults.
_FRESH_PAIR = """
import json, resource, sys, time
from srgdesk.core.export import load_export
from srgdesk.core.reading import text
original, in_pandas = text._read_csv, [0.0]
def timed(*args, **kwargs):
    start = time.process_time()
    try:
        return original(*args, **kwargs)
    finally:
        in_pandas[0] += time.process_time() - start
text._read_csv = timed
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
start, start_cpu = time.perf_counter(), time.process_time()
exports = [load_export(sys.argv[1]), load_export(sys.argv[2])]
wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
print(json.dumps({"wall": wall, "cpu": cpu, "pandas": in_pandas[0], "faults": faults}))
"""


def fresh_pair(oud: Path, nieuw: Path, repeats: int) -> None:
    """load_export of both files, each run in a fresh interpreter (Unix: page faults by
    resource): what one `srgdesk match` spends on reading and cleaning, first calls included."""
    import srgdesk

    checkout = Path(srgdesk.__file__).resolve().parents[1]  # PYTHONPATH=<checkout> holds
    runs = []
    for _ in range(repeats):
        process = subprocess.run(
            [sys.executable, "-c", _FRESH_PAIR, str(oud.resolve()), str(nieuw.resolve())],
            cwd=checkout,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(process.stdout.strip().splitlines()[-1]))
    report("load_export paar, vers proces", [r["wall"] for r in runs])
    report("  processortijd", [r["cpu"] for r in runs])
    report("  waarvan buiten pandas' parse", [r["cpu"] - r["pandas"] for r in runs])
    report("  minor page faults (x1000)", [r["faults"] / 1000 for r in runs], unit=" ")


def write_csv(path: Path, rows: int) -> Path:
    """An SRG-like CSV of `rows` data rows (cp1252, ';'), written line by line."""
    with path.open("w", encoding="cp1252", newline="") as stream:
        stream.write(
            "Gemeentecode;Berichtgevercode;BSN;Registratienummer;Soort;Omschrijving;"
            "Begindatum;Einddatum\r\n"
        )
        stream.writelines(
            f"0363;4021;{100000000 + i};{i:010d};{i % 11 + 1:02d};Re-integratie café;"
            f"2023{i % 12 + 1:02d}01;\r\n"
            for i in range(rows)
        )
    return path


def measure(path: Path) -> dict:
    process = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(process.stdout.strip().splitlines()[-1])


def scale(folder: Path, sizes: list[int]) -> None:
    try:
        import resource  # noqa: F401  (Unix only)
    except ImportError:
        print("schaal: overgeslagen (resource ontbreekt op dit platform)")
        return
    print(f"{'rijen':>10} {'MB bestand':>11} {'seconden':>9} {'s/100k':>7} {'piek MB':>8}  lezer")
    for rows in sizes:
        path = write_csv(folder / f"schaal_{rows}.csv", rows)
        result = measure(path)
        assert result["rows"] == rows, result
        print(
            f"{rows:>10} {path.stat().st_size / 1e6:>11.1f} {result['seconds']:>9.2f} "
            f"{result['seconds'] / rows * 100_000:>7.2f} {result['peak_mb']:>8.0f}  {result['lezer']}"
        )
        path.unlink()


@contextmanager
def pandas_parse_time() -> Iterator[list[float]]:
    """Processor seconds spent in pandas' parse while inside, in a list the caller may reset:
    text._read_csv (pandas' reader engine and the frame) where it exists, else pd.read_csv."""
    from srgdesk.core.reading import text as text_module

    owner, name = (
        (text_module, "_read_csv") if hasattr(text_module, "_read_csv") else (pd, "read_csv")
    )
    original = getattr(owner, name)
    in_pandas = [0.0]

    def timed_read_csv(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            in_pandas[0] += time.process_time() - start

    setattr(owner, name, timed_read_csv)
    try:
        yield in_pandas
    finally:
        setattr(owner, name, original)


def reading_overhead(oud: Path, nieuw: Path, repeats: int) -> None:
    """read_table of both files, and the part of it outside pandas' read_csv (processor time,
    so a busy machine disturbs it less): what srgdesk adds to pandas' parse. Tables are kept
    until the run ends, so freeing them is not counted (pandas' parse: pandas_parse_time)."""
    with pandas_parse_time() as in_pandas:
        totals, outside = [], []
        for _ in range(repeats + 1):
            tables = []
            gc.collect()
            in_pandas[0] = 0.0
            start = time.process_time()
            tables.extend(read_table(path) for path in (oud, nieuw))
            totals.append(time.process_time() - start)
            outside.append(totals[-1] - in_pandas[0])
    report(f"read_table {oud.name} + {nieuw.name}, processortijd", totals[1:])
    report("  waarvan buiten pandas' parse", outside[1:])


def pair(oud: Path, nieuw: Path, repeats: int) -> None:
    """load_export of both files, as `srgdesk match` does, and the advice on leading zeros.
    The exports of a run are released before the next one, as in a fresh match."""
    exports = [load_export(oud), load_export(nieuw)]  # warm: imports, regex caches
    times, cpu, outside = [], [], []
    with pandas_parse_time() as in_pandas:
        for _ in range(repeats):
            exports.clear()
            gc.collect()
            in_pandas[0] = 0.0
            start, start_cpu = time.perf_counter(), time.process_time()
            exports.extend([load_export(oud), load_export(nieuw)])
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            outside.append(cpu[-1] - in_pandas[0])
    report(f"load_export {oud.name} + {nieuw.name}", times)
    report("  idem, processortijd (minder gevoelig voor load)", cpu)
    report("  waarvan buiten pandas' parse (processortijd)", outside)
    report("voorloopnullen_advies", timed(lambda: voorloopnullen_advies(*exports), repeats))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rijen", type=int, default=100_000)
    parser.add_argument("--herhalingen", type=int, default=5)
    parser.add_argument("--schaal", default="100000,300000,1000000")
    parser.add_argument("--zonder-schaal", action="store_true")
    parser.add_argument("--paar", nargs=2, type=Path, metavar=("OUD", "NIEUW"))
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
    if args.paar:
        reading_overhead(*args.paar, max(args.herhalingen, 7))
        pair(*args.paar, max(args.herhalingen, 7))
        try:
            import resource  # noqa: F401  (Unix only)
        except ImportError:
            print("vers proces: overgeslagen (resource ontbreekt op dit platform)")
        else:
            fresh_pair(*args.paar, max(args.herhalingen, 7))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        csv_path, _ = generate_pair(folder, n_old=args.rijen, seed=3)
        xlsx_path = folder / "oud.xlsx"
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
        for label, path in (("CSV", csv_path), ("XLSX", xlsx_path)):
            result = measure(path)
            print(f"piekgeheugen read_table {label} (eigen proces): {result['peak_mb']:.0f} MB")
        if not args.zonder_schaal:
            scale(folder, [int(size) for size in args.schaal.split(",")])


if __name__ == "__main__":
    main()
