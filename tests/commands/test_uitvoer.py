"""What match and controleer print about the files they wrote: counts in plain Dutch (one
regel, two regels) and the BSN warning whenever a file holds BSNs."""

from __future__ import annotations

from pathlib import Path

from srgdesk.commands.uitvoer import aantal_regels, say_geschreven, voortgang_printer
from srgdesk.core.output_files import WriteResult


def test_one_row_is_singular_every_other_count_plural():
    assert aantal_regels(1) == "1 regel"
    assert [aantal_regels(n) for n in (0, 2, 64036)] == ["0 regels", "2 regels", "64036 regels"]


def test_written_files_are_listed_with_their_rows(capsys):
    say_geschreven([WriteResult(Path("uit/codetabel.csv"), 1, False)])
    assert capsys.readouterr().out.splitlines() == [
        "Geschreven:",
        f"  {Path('uit/codetabel.csv')} (1 regel)",
    ]


def test_a_file_with_bsns_is_marked_and_warned_about(capsys):
    say_geschreven(
        [
            WriteResult(Path("conversiebestand.csv"), 3, True),
            WriteResult(Path("codetabel.csv"), 2, False),
        ]
    )
    out = capsys.readouterr().out.splitlines()
    assert out[1].endswith("(3 regels, MET BSN)")
    assert out[2].endswith("(2 regels)")
    assert out[-1].startswith("LET OP: bestanden MET BSN")


def test_progress_prints_once_per_tenth(capsys):
    report = voortgang_printer()
    for step in range(100):
        report(step / 100, "bezig")
    assert len(capsys.readouterr().out.splitlines()) == 10
