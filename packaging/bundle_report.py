"""Figures and checks for the built bundle (used by .ci/bundle_check, handy by hand).

    python packaging/bundle_report.py size  dist/srgdesk          # total size, largest parts
    python packaging/bundle_report.py check dist/srgdesk          # nothing that trimming should remove
    python packaging/bundle_report.py startup dist/srgdesk/srgdesk --runs 5 -- --version
                                                                 # (arguments after -- go to the exe)
    python packaging/bundle_report.py compare                     # build untrimmed + trimmed, sizes
    python packaging/bundle_report.py same-xlsx a.xlsx b.xlsx     # every part equal but timestamps

Paths in checks are matched with forward slashes, so the same rules hold for a Windows folder.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Files that must not be in a trimmed bundle (regex on the path relative to the bundle folder).
FORBIDDEN = [
    r"(^|/)(lib)?Qt6(WebEngine|Qml|Quick|Pdf|3D|Multimedia|Charts|DataVisualization|Graphs|Designer"
    r"|Help|Bluetooth|Nfc|Sensors|SerialPort|Positioning|Location|Sql|Network|OpenGLWidgets)[^/]*$",
    r"(^|/)PySide6/(QtWebEngine|QtQml|QtQuick|Qt3D|QtMultimedia|QtPdf|QtCharts|QtDataVisualization"
    r"|QtBluetooth|QtNfc|QtSensors|QtSerialPort|QtPositioning|QtLocation|QtDesigner|QtHelp|QtSql"
    r"|QtTest|QtOpenGL)[^/]*$",
    r"/translations/(?!qtbase_(nl|en)\.qm$)[^/]+\.qm$",
    r"(^|/)(tkinter|_tkinter|matplotlib|IPython|pytest|_pytest|hypothesis|pytestqt)([./]|$)",
    r"(^|/)(lib)?(tcl|tk)\d",
    r"(^|/)opengl32sw\.dll$",
]
REQUIRED = [
    "_internal/resources/gemeenten.csv",
    "_internal/resources/synonyms.toml",
    "_internal/resources/demo/oud.csv",
    "_internal/resources/demo/nieuw.csv",
    "_internal/resources/srgdesk.png",
]
# Required files whose name depends on the platform (regex on the path, like FORBIDDEN).
REQUIRED_PATTERNS = {
    # openpyxl's XML writer; without it the exe writes other xlsx bytes than the source
    "lxml.etree": r"^_internal/lxml/etree\.[^/]*(\.so|\.pyd)$",
}


def folder_size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def cmd_size(args: argparse.Namespace) -> int:
    dist = Path(args.dist)
    total, count = folder_size(dist)
    print(f"bundle size: {mb(total)} in {count} files ({dist})")
    internal = dist / "_internal"
    if internal.is_dir():
        parts = []
        for child in internal.iterdir():
            size = (
                folder_size(child)[0]
                if child.is_dir()
                else (0 if child.is_symlink() else child.stat().st_size)
            )
            parts.append((size, child.name))
        parts.sort(reverse=True)
        print(
            "largest parts: " + ", ".join(f"{name} {mb(size)}" for size, name in parts[: args.top])
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    dist = Path(args.dist)
    rel = [p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file() or p.is_symlink()]
    bad = sorted(r for r in rel if any(re.search(pattern, r) for pattern in FORBIDDEN))
    missing = [r for r in REQUIRED if r not in set(rel)]
    missing += [
        name
        for name, pattern in REQUIRED_PATTERNS.items()
        if not any(re.search(pattern, r) for r in rel)
    ]
    dangling = sorted(
        p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_symlink() and not p.exists()
    )
    translations = sorted(r.rsplit("/", 1)[1] for r in rel if r.endswith(".qm"))
    print(f"Qt translations: {', '.join(translations) or 'none'}")
    for label, items in (
        ("should have been trimmed", bad),
        ("missing", missing),
        ("dangling link", dangling),
    ):
        for item in items:
            print(f"FAIL: {label}: {item}")
    return 1 if bad or missing or dangling else 0


def timings(command: list[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    result = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        result.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr.decode(errors="replace"))
            raise SystemExit(f"FAIL: {' '.join(command)} exited with {proc.returncode}")
    return result


def cmd_startup(args: argparse.Namespace) -> int:
    command = [args.exe, *args.rest]
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    times = timings(command, args.runs, env)
    label = " ".join(args.rest) or "(no arguments)"
    print(
        f"start-up {label}: min {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"over {len(times)} runs"
    )
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Build the spec twice (SRGDESK_UNTRIMMED=1 and normal) and print both sizes."""
    work = Path(args.work or tempfile.mkdtemp(prefix="srgdesk-compare-"))
    sizes = {}
    for label, untrimmed in (("untrimmed", "1"), ("trimmed", "")):
        env = dict(os.environ, SRGDESK_UNTRIMMED=untrimmed)
        out = work / label
        subprocess.run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--clean",
                "--log-level",
                "WARN",
                "--distpath",
                str(out / "dist"),
                "--workpath",
                str(out / "build"),
                str(ROOT / "build_installer.spec"),
            ],
            env=env,
            check=True,
        )
        sizes[label] = folder_size(out / "dist" / "srgdesk")
    for label, (total, count) in sizes.items():
        print(f"{label:>9}: {mb(total)} in {count} files")
    saved = sizes["untrimmed"][0] - sizes["trimmed"][0]
    print(f"trimming saves {mb(saved)} ({saved / sizes['untrimmed'][0]:.0%}); builds in {work}")
    return 0


# xlsx parts that hold the time of writing, so they differ between any two runs
XLSX_TIMESTAMP_PARTS = {"docProps/core.xml"}


def xlsx_part_differences(first: Path, second: Path) -> list[str]:
    """The parts (zip members) of two xlsx files that differ, timestamps aside.

    Equal values are not enough: the exe must write the same XML as the source (one writer
    everywhere), so each part is compared byte for byte.
    """
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        names_a, names_b = set(a.namelist()), set(b.namelist())
        differ = sorted(names_a ^ names_b)
        differ += sorted(
            name
            for name in (names_a & names_b) - XLSX_TIMESTAMP_PARTS
            if a.read(name) != b.read(name)
        )
    return differ


def cmd_same_xlsx(args: argparse.Namespace) -> int:
    differ = xlsx_part_differences(Path(args.first), Path(args.second))
    for name in differ:
        print(f"part differs: {name}")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("size")
    p.add_argument("dist")
    p.add_argument("--top", type=int, default=8)
    p.set_defaults(func=cmd_size)
    p = sub.add_parser("check")
    p.add_argument("dist")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("startup")
    p.add_argument("exe")
    p.add_argument("--runs", type=int, default=5)
    p.set_defaults(func=cmd_startup)
    p = sub.add_parser("compare")
    p.add_argument("--work")
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("same-xlsx")
    p.add_argument("first")
    p.add_argument("second")
    p.set_defaults(func=cmd_same_xlsx)
    argv = list(sys.argv[1:] if argv is None else argv)
    rest: list[str] = []
    if "--" in argv:  # everything after -- goes to the executable untouched
        cut = argv.index("--")
        argv, rest = argv[:cut], argv[cut + 1 :]
    args = parser.parse_args(argv)
    args.rest = rest
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
