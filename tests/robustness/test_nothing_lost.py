"""Nothing lost: every input row ends in exactly one place of matches.csv, output files are
written atomically (a killed writer leaves the old file or none, never half a file) and a target
held open elsewhere gives a Dutch message with what to do, writing nothing half."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from srgdesk.core.errors import InvoerFout
from srgdesk.core.output_files import write_atomically

from .helpers import HEADER, bsn_from, csv_text, read_matches, row, run

ROOT = Path(__file__).resolve().parents[2]
FATES = [
    "zelfde",
    "nieuw_nummer",
    "beeindigd",
    "ontbreekt",
    "herstart",
    "andere_soort",
    "nieuwe_berichtgever",
]
NOISE = [
    "ongeldig_bsn",
    "ongeldige_datum",
    "formule",
    "dubbel",
    "zelfde_sleutel",
    "leeg",
    "te_lang",
    "te_kort",
    "conflict",
    "bsn_zonder_nul",
]


@st.composite
def export_pairs(draw):
    """Old and new rows of a gemeente in many shapes, with noise on both sides."""
    old: list[list[str]] = []
    new: list[list[str]] = []
    persons = draw(st.integers(1, 10))
    counter = 0
    for p in range(persons):
        bsn = bsn_from(p + 1)
        for _ in range(draw(st.integers(0, 3))):
            counter += 1
            begin = f"2023{draw(st.integers(1, 12)):02d}{draw(st.integers(1, 28)):02d}"
            soort = draw(st.sampled_from(["07", "08", "11"]))
            record = row(bsn, f"OUD{counter:05d}", soort=soort, begin=begin)
            fate = draw(st.sampled_from(FATES))
            if fate == "beeindigd":
                record[7] = "20230131" if begin <= "20230131" else begin
            old.append(record)
            if fate == "zelfde":
                new.append(list(record))
            elif fate == "nieuw_nummer":
                new.append(row(bsn, f"VZ-{counter:06d}", soort=soort, begin=begin))
            elif fate == "herstart":
                old[-1][7] = "20231231"
                new.append(row(bsn, f"VZ-{counter:06d}", soort=soort, begin="20240101"))
            elif fate == "andere_soort":
                new.append(row(bsn, f"VZ-{counter:06d}", soort="A" + soort, begin=begin))
            elif fate == "nieuwe_berichtgever":
                new.append(
                    row(bsn, f"OUD{counter:05d}", soort=soort, begin=begin, berichtgever="5000")
                )
        for _ in range(draw(st.integers(0, 1))):
            counter += 1
            new.append(row(bsn, f"VZ-{counter:06d}", begin="20240102"))
    for anchor in range(3):  # every export has usable rows, so the run is never refused
        old.append(row(bsn_from(300 + anchor), f"ANKER{anchor}"))
        new.append(row(bsn_from(300 + anchor), f"ANKER{anchor}"))
    for side in (old, new):
        whole = [r for r in side if len(r) == len(HEADER)]
        for kind in draw(st.lists(st.sampled_from(NOISE), max_size=6)):
            counter += 1
            base = row(bsn_from(500 + counter), f"X{counter:05d}")
            if kind == "ongeldig_bsn":
                base[2] = "123456789"
            elif kind == "ongeldige_datum":
                base[6] = "31-02-2024"
            elif kind == "formule":
                base[3] = draw(st.sampled_from(["=1+1", "+31", "-7", "@SUM(A1)", "\tX1", "\rX2"]))
            elif kind == "dubbel":
                base = list(draw(st.sampled_from(whole)))
            elif kind == "zelfde_sleutel":
                base = list(draw(st.sampled_from(whole)))
                base[5] = "Andere omschrijving"
            elif kind == "leeg":
                base = []
            elif kind == "te_lang":
                base = [*base, "", "overtollig"]
            elif kind == "te_kort":
                base = base[:5]
            elif kind == "conflict" and old and side is new:
                base = list(draw(st.sampled_from([r for r in old if len(r) == len(HEADER)])))
                base[2] = bsn_from(900 + counter)
            elif kind == "bsn_zonder_nul":
                base[2] = base[2].lstrip("0") or base[2]
            side.insert(draw(st.integers(0, len(side))), base)
    return old, new


def data_row_numbers(rows: list[list[str]]) -> list[int]:
    """Excel row numbers of the non-blank data rows when written below a header on row 1."""
    return [i + 2 for i, r in enumerate(rows) if any(r)]


def write_export(path: Path, rows: list[list[str]], as_xlsx: bool) -> Path:
    if as_xlsx:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(HEADER)
        for values in rows:
            sheet.append(values or [None])
        workbook.save(path)
    else:
        path.write_bytes(csv_text(rows).encode("utf-8"))
    return path


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    pair=export_pairs(),
    old_as_xlsx=st.booleans(),
    niveau=st.sampled_from(["zeker", "waarschijnlijk"]),
)
def test_every_input_row_ends_in_exactly_one_place_of_matches_csv(
    pair, old_as_xlsx, niveau, capsys
):
    old, new = pair
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        oud = write_export(base / ("oud.xlsx" if old_as_xlsx else "oud.csv"), old, old_as_xlsx)
        nieuw = write_export(base / "nieuw.csv", new, False)
        code, out, err = run(
            ["match", oud, nieuw, "-o", base / "uit", "--accepteer", niveau, "--stil"], capsys
        )
        assert code == 0, (out, err)
        rows = read_matches(base / "uit")
    oud_regels = Counter(int(r["oud_regel"]) for r in rows if r["oud_regel"])
    nieuw_regels = Counter(int(r["nieuw_regel"]) for r in rows if r["nieuw_regel"])
    assert sorted(oud_regels) == data_row_numbers(old)
    assert sorted(nieuw_regels) == data_row_numbers(new)
    assert set(oud_regels.values()) <= {1}
    assert set(nieuw_regels.values()) <= {1}
    for r in rows:
        assert r["status"] in {
            "gekoppeld",
            "ongewijzigd",
            "beeindigd",
            "ontbreekt",
            "nieuw",
            "ongeldig",
        }
        assert r["oud_regel"] or r["nieuw_regel"], r
        if r["status"] == "ongeldig":
            assert r["reden"], r
            assert bool(r["oud_regel"]) != bool(r["nieuw_regel"])
        if r["status"] in ("gekoppeld", "ongewijzigd"):
            assert r["oud_regel"]
            assert r["nieuw_regel"]


def test_exact_duplicate_row_is_ongeldig_with_its_reason(tmp_path, capsys):
    old = [row(bsn_from(1), "A1"), row(bsn_from(2), "A2")]
    old.append(list(old[0]))
    new = [row(bsn_from(1), "B1"), row(bsn_from(2), "B2")]
    oud = write_export(tmp_path / "oud.csv", old, False)
    nieuw = write_export(tmp_path / "nieuw.csv", new, False)
    code, _out, _err = run(["match", oud, nieuw, "-o", tmp_path / "uit", "--stil"], capsys)
    assert code == 0
    rows = {int(r["oud_regel"]): r for r in read_matches(tmp_path / "uit") if r["oud_regel"]}
    assert rows[4]["status"] == "ongeldig"
    assert "Dubbele regel" in rows[4]["reden"]
    assert "regel 2" in rows[4]["reden"]
    assert rows[2]["status"] == "gekoppeld"


# --- atomic writes ----------------------------------------------------------------------------

HALF_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from srgdesk.core.output_files import write_atomically

    def write(stream):
        stream.write(b"NIEUW-HALF" * 10000)
        stream.flush()
        print("halfway", flush=True)
        time.sleep(60)
        stream.write(b"NIEUW-REST")

    write_atomically(Path(sys.argv[1]), write)
    """
)


@pytest.mark.parametrize("old_content", [b"OUD;BESTAND\r\n", None], ids=["bestaat", "nieuw"])
def test_killed_writer_leaves_old_file_or_none_never_half(tmp_path, old_content):
    target = tmp_path / "conversiebestand.csv"
    if old_content is not None:
        target.write_bytes(old_content)
    process = subprocess.Popen(
        [sys.executable, "-c", HALF_WRITER, str(target)], stdout=subprocess.PIPE, cwd=ROOT
    )
    try:
        assert process.stdout.readline().strip() == b"halfway"
        temps = list(tmp_path.glob(".srgdesk-*.tmp"))
        assert len(temps) == 1
        assert temps[0].stat().st_size > 0
        process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    if old_content is None:
        assert not target.exists()
    else:
        assert target.read_bytes() == old_content
    # A kill leaves one hidden temporary beside the target, with a name no output has …
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".srgdesk-")
    assert leftovers[0].endswith(".tmp")
    # … and the next run in that folder removes it.
    write_atomically(tmp_path / "codetabel.csv", lambda stream: stream.write(b"x"))
    assert not list(tmp_path.glob(".srgdesk-*"))


def test_failing_writer_leaves_old_file_and_no_temp_file(tmp_path):
    target = tmp_path / "matches.csv"
    target.write_bytes(b"oud")

    def write(stream):
        stream.write(b"half")
        raise RuntimeError("schijf vol")

    with pytest.raises(RuntimeError):
        write_atomically(target, write)
    assert target.read_bytes() == b"oud"
    assert [p.name for p in tmp_path.iterdir()] == ["matches.csv"]


def test_target_open_elsewhere_gives_dutch_advice_and_writes_nothing_half(tmp_path, monkeypatch):
    target = tmp_path / "conversiebestand.xlsx"
    target.write_bytes(b"oud")

    def locked(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(InvoerFout) as caught:
        write_atomically(target, lambda stream: stream.write(b"nieuw"))
    assert "geopend in Excel" in caught.value.melding
    assert "Sluit" in caught.value.melding
    assert target.read_bytes() == b"oud"
    assert [p.name for p in tmp_path.iterdir()] == ["conversiebestand.xlsx"]


def test_match_with_an_output_open_in_excel_exits_2_with_dutch_advice(
    tmp_path, monkeypatch, capsys
):
    uit = tmp_path / "uit"
    uit.mkdir()
    (uit / "conversiebestand.xlsx").write_bytes(b"oud")
    real_replace = os.replace

    def replace(src, dst):
        # Windows: a file open in Excel can be neither replaced nor moved away.
        if "conversiebestand.xlsx" in (Path(src).name, Path(dst).name):
            raise PermissionError(13, "Permission denied", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    demo = ROOT / "resources" / "demo"
    code, _out, err = run(
        ["match", demo / "oud.csv", demo / "nieuw.csv", "-o", uit, "--stil"], capsys
    )
    assert code == 2
    assert err.startswith("Fout: ")
    assert "Sluit conversiebestand.xlsx" in err
    assert (uit / "conversiebestand.xlsx").read_bytes() == b"oud"
    assert sorted(p.name for p in uit.iterdir()) == ["conversiebestand.xlsx"]  # none replaced


def test_folder_without_write_permission_gives_dutch_advice(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(InvoerFout, match="Geen schrijfrechten"):
        write_atomically(tmp_path / "x.csv", lambda stream: stream.write(b"x"))


def test_an_input_is_never_overwritten(tmp_path):
    invoer = tmp_path / "matches.csv"
    invoer.write_bytes(b"invoer")
    with pytest.raises(InvoerFout, match="invoerbestand"):
        write_atomically(invoer, lambda stream: stream.write(b"x"), protected=[invoer])
    assert invoer.read_bytes() == b"invoer"
