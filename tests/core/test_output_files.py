"""Outputs are written as one set: all files or none, never over an input, temporaries only in
the target folder and gone afterwards, and a Dutch message that tells the truth."""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srgdesk.core import output_files
from srgdesk.core.conversion import accepted_pairs, write_outputs
from srgdesk.core.errors import Geannuleerd, InvoerFout, bestandsfout
from srgdesk.core.export import load_export
from srgdesk.core.matching import match
from srgdesk.core.output_files import (
    NIETS_VERVANGEN,
    OutputFile,
    WriteResult,
    bytes_writer,
    remove_leftovers,
    write_output_set,
)
from srgdesk.core.progress import Voortgang
from srgdesk.core.resources import resource_path

NAMES = ["conversiebestand.csv", "matches.csv", "codetabel.csv", "conversiebestand.xlsx"]
FIXTURE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def new_files(failing: int | None = None, error: BaseException | None = None) -> list[OutputFile]:
    """One OutputFile per name writing b'nieuw <name>'; file `failing` raises `error` halfway."""

    def writer(index: int, name: str):
        def write(stream, _voortgang):
            stream.write(f"nieuw {name}".encode())
            if index == failing:
                raise error

        return write

    return [OutputFile(name, writer(i, name), rows=1) for i, name in enumerate(NAMES)]


def state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def demo_result():
    demo = resource_path("demo")
    result = match(
        load_export(demo / "oud.csv").voorzieningen, load_export(demo / "nieuw.csv").voorzieningen
    )
    return result, accepted_pairs(result, "waarschijnlijk")


def test_a_set_is_written_and_reported_with_rows(tmp_path):
    results = write_output_set(tmp_path / "uit", new_files())
    assert results == [WriteResult(tmp_path / "uit" / name, 1, False) for name in NAMES]
    assert state(tmp_path / "uit") == {name: f"nieuw {name}".encode() for name in NAMES}


@FIXTURE
@given(
    existing=st.sets(st.sampled_from(NAMES)),
    failing=st.integers(0, len(NAMES) - 1),
    error=st.sampled_from(
        [OSError(errno.ENOSPC, "No space left on device"), RuntimeError("defect"), Geannuleerd()]
    ),
)
def test_when_any_file_fails_none_is_replaced_and_no_temporary_stays(
    tmp_path_factory, existing, failing, error
):
    folder = tmp_path_factory.mktemp("uit")
    for name in existing:
        (folder / name).write_bytes(b"oud")
    before = state(folder)
    with pytest.raises((InvoerFout, RuntimeError, Geannuleerd)) as caught:
        write_output_set(folder, new_files(failing, error))
    assert state(folder) == before
    if isinstance(error, OSError):
        assert "schijf is vol" in caught.value.melding
        assert NIETS_VERVANGEN in caught.value.melding


def test_a_rename_that_fails_halfway_puts_every_old_file_back(tmp_path, monkeypatch):
    for name in NAMES:
        (tmp_path / name).write_bytes(b"oud")
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst).name == "codetabel.csv" and Path(src).name.endswith(".tmp"):
            raise OSError(errno.EIO, "Input/output error", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InvoerFout, match="niets vervangen"):
        write_output_set(tmp_path, new_files())
    assert state(tmp_path) == dict.fromkeys(NAMES, b"oud")


def test_disk_full_at_fsync_is_a_true_dutch_message(tmp_path, monkeypatch):
    (tmp_path / "matches.csv").write_bytes(b"oud")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InvoerFout) as caught:
        write_output_set(tmp_path, new_files())
    assert caught.value.melding.startswith("De schijf is vol: conversiebestand.csv")
    assert "Maak ruimte vrij" in caught.value.melding
    assert state(tmp_path) == {"matches.csv": b"oud"}


def test_cancel_while_saving_removes_the_temporaries(tmp_path, demo_result):
    """Annuleren during the xlsx: nothing written, nothing left (issue 14: cancellation)."""
    result, pairs = demo_result
    (tmp_path / "matches.csv").write_bytes(b"oud")
    seen: list[str] = []
    temporaries: list[int] = []

    def cancel_once_the_xlsx_started() -> bool:
        temporaries.append(len(list(tmp_path.glob(".srgdesk-*.tmp"))))
        return any(text.startswith("Excel") for text in seen)

    voortgang = Voortgang(
        on_progress=lambda _fraction, text: seen.append(text),
        is_cancelled=cancel_once_the_xlsx_started,
    )
    with pytest.raises(Geannuleerd):
        write_outputs(result, pairs, tmp_path, voortgang=voortgang)
    assert max(temporaries) == 4  # three files done, the xlsx under way …
    assert state(tmp_path) == {"matches.csv": b"oud"}  # … and all of it gone


def test_an_input_named_like_an_output_is_refused_before_anything_is_written(tmp_path):
    invoer = tmp_path / "codetabel.csv"
    invoer.write_bytes(b"invoer")
    with pytest.raises(InvoerFout, match="invoerbestand"):
        write_output_set(tmp_path, new_files(), protected=[invoer])
    assert state(tmp_path) == {"codetabel.csv": b"invoer"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: (d / "uit").write_bytes(b"x"), "is een bestand, geen map"),
        (lambda d: (d / "uit" / "matches.csv").mkdir(parents=True), "staat een map"),
    ],
    ids=["uitvoer is een bestand", "map op de plaats van een uitvoer"],
)
def test_a_folder_and_a_file_mixed_up_is_refused_with_advice(tmp_path, make, message):
    make(tmp_path)
    with pytest.raises(InvoerFout, match=message):
        write_output_set(tmp_path / "uit", new_files())


def test_an_output_folder_under_a_file_is_refused(tmp_path):
    (tmp_path / "bestand.txt").write_bytes(b"x")
    with pytest.raises(InvoerFout, match="ligt onder het bestand"):
        write_output_set(tmp_path / "bestand.txt" / "uit", new_files())


@pytest.mark.parametrize("where", ["folder", "name"])
def test_a_path_too_long_for_the_system_is_refused(tmp_path, where):
    folder = tmp_path / ("m" * 300) if where == "folder" else tmp_path
    files = (
        new_files() if where == "folder" else [OutputFile("x" * 300 + ".csv", bytes_writer(b""), 0)]
    )
    with pytest.raises(InvoerFout, match="pad is te lang"):
        write_output_set(folder, files)
    assert list(tmp_path.iterdir()) == []


def test_a_path_of_260_characters_is_refused_on_windows_before_anything_is_written(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(output_files, "_WINDOWS", True)
    folder = tmp_path / ("m" * max(1, 250 - len(str(tmp_path))))
    with pytest.raises(InvoerFout, match="pad is te lang"):
        write_output_set(folder, new_files())
    assert list(tmp_path.iterdir()) == []


def test_a_file_open_in_excel_on_windows_is_named_before_anything_is_replaced(
    tmp_path, monkeypatch
):
    for name in NAMES:
        (tmp_path / name).write_bytes(b"oud")
    real_open = Path.open

    def open_(self, mode="r", *args, **kwargs):
        if self.name == "matches.csv" and mode == "r+b":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(output_files, "_WINDOWS", True)
    monkeypatch.setattr(Path, "open", open_)
    with pytest.raises(InvoerFout) as caught:
        write_output_set(tmp_path, new_files())
    assert "Sluit matches.csv in Excel en probeer het opnieuw" in caught.value.melding
    assert state(tmp_path) == dict.fromkeys(NAMES, b"oud")


def test_leftovers_of_a_killed_run_are_cleaned_up_by_the_next_run(tmp_path):
    (tmp_path / ".srgdesk-abcd1234.tmp").write_bytes(b"123456782")
    (tmp_path / ".matches.csv.x1y2.tmp").write_bytes(b"123456782")  # before version 0.2
    (tmp_path / ".srgdesk-0badf00d-codetabel.csv.bak").write_bytes(b"oud")  # set aside, not back
    (tmp_path / ".verborgen.tmp").write_bytes(b"niet van ons")
    write_output_set(tmp_path, new_files()[1:2])
    assert state(tmp_path) == {
        ".verborgen.tmp": b"niet van ons",
        "codetabel.csv": b"oud",  # put back: its target was gone
        "matches.csv": b"nieuw matches.csv",
    }


def test_a_leftover_that_is_an_input_is_never_removed(tmp_path):
    invoer = tmp_path / ".srgdesk-export.tmp"
    invoer.write_bytes(b"invoer")
    assert remove_leftovers(tmp_path, protected=[invoer]) == []
    assert invoer.exists()


def test_no_temporary_file_outside_the_target_folder(tmp_path, monkeypatch, demo_result):
    """openpyxl's write-only mode put the sheet XML (BSNs with --met-bsn) in the system temp."""
    result, pairs = demo_result
    real_mkstemp = tempfile.mkstemp
    places = []

    def mkstemp(*args, **kwargs):
        places.append(Path(kwargs.get("dir") or tempfile.gettempdir()))
        return real_mkstemp(*args, **kwargs)

    def refuse(*args, **kwargs):
        raise AssertionError("a temporary file outside the target folder")

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    for name in ("NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    write_outputs(result, pairs, tmp_path / "uit", met_bsn=True)
    assert places
    assert set(places) == {tmp_path / "uit"}


def test_write_outputs_says_which_files_hold_bsns_and_they_do(tmp_path, demo_result):
    result, pairs = demo_result
    bsns = {str(b) for b in result.oud.frame["bsn"]}
    for met_bsn in (False, True):
        folder = tmp_path / str(met_bsn)
        written = write_outputs(result, pairs, folder, formaat="csv", met_bsn=met_bsn)
        assert [r.path.parent for r in written] == [folder] * len(written)
        for r in written:
            text = r.path.read_bytes().decode("utf-8-sig")
            assert r.contains_bsn == any(b in text for b in bsns), r.path.name
            assert r.rows == len(text.splitlines()) - 1, r.path.name
        assert any(r.contains_bsn for r in written) == met_bsn


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OSError(errno.ENAMETOOLONG, "File name too long"), "Het pad is te lang"),
        (OSError(errno.ENOSPC, "No space left"), "De schijf is vol: x.csv"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "staat een map"),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory"), "ligt onder een bestand"),
        (OSError(errno.EROFS, "Read-only file system"), "alleen-lezen"),
        (PermissionError(errno.EACCES, "Permission denied"), "Geen schrijfrechten in de map"),
        (FileNotFoundError(errno.ENOENT, "No such file"), "bestaat niet"),
        (OSError(errno.EIO, "Input/output error"), "kon niet worden gebruikt"),
    ],
)
def test_every_file_system_refusal_has_dutch_words(tmp_path, error, message):
    melding = bestandsfout(error, tmp_path / "map" / "x.csv").melding
    assert message in melding
    assert "\n" not in melding


def test_a_permission_error_on_an_existing_file_says_close_it_in_excel(tmp_path):
    target = tmp_path / "conversiebestand.xlsx"
    target.write_bytes(b"x")
    melding = bestandsfout(PermissionError(errno.EACCES, "Permission denied"), target).melding
    assert "Sluit conversiebestand.xlsx in Excel en probeer het opnieuw." in melding


def test_every_file_is_synced_to_disk_before_any_target_is_replaced(tmp_path, monkeypatch):
    """The fsyncs run in the background while the next file is built, but the renames wait
    for all of them; a full disk in any of them leaves every old file in place."""
    for name in NAMES:
        (tmp_path / name).write_bytes(b"oud")
    real_fsync, real_replace = os.fsync, os.replace
    synced: list[int] = []
    renamed_after: list[int] = []

    def fsync(fd):
        time.sleep(0.05)  # a slow disk: the writer has moved on to the next file by now
        real_fsync(fd)
        synced.append(fd)

    def replace(src, dst):
        renamed_after.append(len(synced))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_output_set(tmp_path, new_files())
    assert min(renamed_after) == len(NAMES)
    assert state(tmp_path) == {name: f"nieuw {name}".encode() for name in NAMES}

    calls: list[int] = []

    def full_at_the_last(fd):
        calls.append(fd)
        if len(calls) == len(NAMES):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_at_the_last)
    with pytest.raises(InvoerFout, match="niets vervangen"):
        write_output_set(tmp_path, new_files())
    assert state(tmp_path) == {name: f"nieuw {name}".encode() for name in NAMES}
