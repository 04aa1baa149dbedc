"""Load: the 100k-record benchmark pair runs through `srgdesk match` within 500 MB peak, and a
file with more than a million rows is refused with a clear Dutch message, not an out-of-memory
crash."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest

from srgdesk.core import reading

from .helpers import bsn_from, row, run, write_csv

ROOT = Path(__file__).resolve().parents[2]
PEAK_LIMIT_MB = 500
HEADER_LINE = (
    "Gemeentecode;Berichtgevercode;BSN;Registratienummer voorziening;"
    "Soort voorziening;Begindatum voorziening;Einddatum voorziening\n"
)


# Runs srgdesk in a fresh process and prints its peak memory (resident set / working set) in
# KB: `resource` on POSIX, GetProcessMemoryInfo on Windows (which has no `resource` module).
MEASURED = """
import sys

def peak_kb():
    if sys.platform.startswith("linux"):
        # VmHWM: this process's own high-water mark. ru_maxrss would include the RSS of the
        # (large) pytest process that started it: Linux carries it over through fork and exec.
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    if sys.platform != "win32":
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    import ctypes
    from ctypes import wintypes

    class Counters(ctypes.Structure):
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
            (name, ctypes.c_size_t)
            for name in ("PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage",
                         "QuotaPagedPoolUsage", "QuotaPeakNonPagedPoolUsage",
                         "QuotaNonPagedPoolUsage", "PagefileUsage", "PeakPagefileUsage")
        ]

    counters = Counters(cb=ctypes.sizeof(Counters))
    get_info = ctypes.WinDLL("kernel32").K32GetProcessMemoryInfo
    get_info.argtypes = [wintypes.HANDLE, ctypes.POINTER(Counters), wintypes.DWORD]
    get_info(ctypes.WinDLL("kernel32").GetCurrentProcess(), ctypes.byref(counters), counters.cb)
    return counters.PeakWorkingSetSize // 1024

# main() with its arguments given returns the exit code instead of ending the process at once
# (which a command-line run does, see srgdesk.cli._exit_now), so the peak can still be printed.
from srgdesk.cli import main

try:
    code = main(sys.argv[1:])
finally:
    print(f"PEAK_KB {peak_kb()}", file=sys.stderr)
sys.exit(code)
"""


def run_measured(args: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run `python -m srgdesk ARGS` in a fresh process: result, peak memory in MB, seconds."""
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-c", MEASURED, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    seconds = time.perf_counter() - start
    peak_kb = int(process.stderr.rsplit("PEAK_KB ", 1)[1].split()[0])
    return process, peak_kb / 1024, seconds


def benchmark_pair(folder: Path) -> tuple[Path, Path]:
    generator = ROOT / "benchmarks" / "generate.py"
    if generator.exists():
        spec = importlib.util.spec_from_file_location("srg_generate", generator)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.generate_pair(folder)
    # Fallback: a plain package switch of 100k voorzieningen.
    old = [row(bsn_from(i // 2), f"{i:010d}", begin="20200101") for i in range(100_000)]
    new = [row(bsn_from(i // 2), f"VZ-{i:07d}", begin="20200101") for i in range(100_000)]
    return write_csv(folder / "oud.csv", old), write_csv(folder / "nieuw.csv", new)


def test_100k_benchmark_pair_matches_within_500_mb(tmp_path):
    oud, nieuw = benchmark_pair(tmp_path)
    process, peak_mb, seconds = run_measured(
        ["match", str(oud), str(nieuw), "-o", str(tmp_path / "uit"), "--stil"]
    )
    print(f"100k match: peak {peak_mb:.0f} MB, {seconds:.1f} s")
    assert process.returncode == 0, process.stderr[-2000:]
    assert (tmp_path / "uit" / "conversiebestand.xlsx").stat().st_size > 0
    assert peak_mb <= PEAK_LIMIT_MB, f"peak {peak_mb:.0f} MB"


def test_too_many_rows_is_refused_in_dutch(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    path = write_csv(tmp_path / "groot.csv", [row(bsn_from(i), f"V{i}") for i in range(51)])
    code, _out, err = run(["inspect", path], capsys)
    assert code == 2
    assert "meer dan 50 regels" in err
    assert "juiste export" in err
    exactly = write_csv(tmp_path / "precies.csv", [row(bsn_from(i), f"V{i}") for i in range(50)])
    assert run(["inspect", exactly], capsys)[0] == 0


def test_text_file_far_beyond_the_limit_stops_reading_early(tmp_path, monkeypatch):
    """Reading stops as soon as the limit is certainly passed, so a huge file costs no more
    memory than the largest accepted one."""
    monkeypatch.setattr(reading, "MAX_ROWS", 100)
    seen = []
    original = reading.strip_cell

    def counting(cell):
        seen.append(1)
        return original(cell)

    monkeypatch.setattr(reading, "strip_cell", counting)
    lines = "".join(f"0363;4021;{bsn_from(i)};V{i};07;20230101;\n" for i in range(5000))
    (tmp_path / "groot.csv").write_text(HEADER_LINE + lines, encoding="utf-8")
    with pytest.raises(reading.InvoerFout, match="meer dan 100 regels"):
        reading.read_table(tmp_path / "groot.csv")
    assert len(seen) < 7 * (100 + reading.HEADER_SCAN_ROWS + 5)


def test_real_file_of_a_million_and_one_rows_is_refused_without_running_out_of_memory(tmp_path):
    path = tmp_path / "miljoen.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write(HEADER_LINE)
        stream.writelines(
            f"0363;4021;{100000000 + i};VZ{i:08d};07;20230101;\n" for i in range(1_000_001)
        )
    process, peak_mb, seconds = run_measured(["inspect", str(path)])
    print(f"1M+1 rows refused: peak {peak_mb:.0f} MB, {seconds:.1f} s")
    assert process.returncode == 2
    assert "meer dan 1.000.000 regels" in process.stderr
    assert "Traceback" not in process.stderr
    assert peak_mb < 1000, f"peak {peak_mb:.0f} MB"
