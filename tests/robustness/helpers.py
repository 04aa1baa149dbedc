"""Small builders shared by the robustness tests: valid BSNs, SRG exports and a CLI runner."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from srgdesk.cli import main

HEADER = [
    "Gemeentecode",
    "Berichtgevercode",
    "BSN",
    "Registratienummer voorziening",
    "Soort voorziening",
    "Omschrijving voorziening",
    "Begindatum voorziening",
    "Einddatum voorziening",
]


def bsn_from(seed: int) -> str:
    """A BSN that passes the elfproef, derived from `seed` (distinct seeds → distinct BSNs,
    except the few seeds whose check digit would be 10: those move on to the next seed)."""
    while True:
        head = f"{(seed * 7919 + 10_000_000) % 100_000_000:08d}"
        total = sum((9 - i) * int(d) for i, d in enumerate(head))
        check = total % 11
        if check < 10 and head != "00000000":
            return head + str(check)
        seed += 100_003


def row(
    bsn: str,
    nummer: str,
    soort: str = "07",
    begin: str = "20230101",
    einde: str = "",
    gemeente: str = "0363",
    berichtgever: str = "4021",
    omschrijving: str = "Traject",
) -> list[str]:
    return [gemeente, berichtgever, bsn, nummer, soort, omschrijving, begin, einde]


def csv_text(rows: list[list[str]], header: list[str] = HEADER, sep: str = ";") -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(
    path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8"
) -> Path:
    path.write_bytes(csv_text(rows, header).encode(encoding))
    return path


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run the CLI in-process; return exit code, stdout and stderr."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_matches(folder: Path) -> list[dict[str, str]]:
    text = (folder / "matches.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def read_csv_cells(path: Path, sep: str = ";") -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
