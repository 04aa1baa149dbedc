"""Write output files as one set: all or none, never over an input, no temporary file elsewhere.

Every file of a set is first written to a temporary file in the target folder (`.srgdesk-….tmp`);
only when all are complete are they renamed over the targets. When anything fails (a full disk,
a file open in Excel, Annuleren) no target is replaced and the temporaries are removed, so the
message "nothing was replaced" is true. A run that was killed leaves temporaries behind; the next
run in that folder removes them.
"""

from __future__ import annotations

import _thread
import contextlib
import errno
import os
import secrets
import tempfile
from _queue import SimpleQueue  # queue.SimpleQueue itself, without queue.py and heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from srgdesk.core.errors import InvoerFout, bestandsfout
from srgdesk.core.progress import Voortgang

TEMP_PREFIX = ".srgdesk-"
TEMP_SUFFIX = ".tmp"
BACKUP_SUFFIX = ".bak"
NIETS_VERVANGEN = "Er is niets vervangen: de bestanden in de map zijn zoals ze waren."
_NAME_MAX = 255  # bytes in one file name, on every file system we meet
_WINDOWS = os.name == "nt"  # where a file open in Excel cannot be replaced
_WINDOWS_MAX_PATH = 260  # MAX_PATH; Excel itself opens no path longer than 218 characters


@dataclass(frozen=True)
class OutputFile:
    """One file of a set: its name in the target folder, how to write it, what it holds."""

    name: str
    write: Callable[[BinaryIO, Voortgang], object]
    rows: int
    contains_bsn: bool = False


@dataclass(frozen=True)
class WriteResult:
    """What was written: where, how many data rows, and whether BSNs are in it."""

    path: Path
    rows: int
    contains_bsn: bool


def bytes_writer(data: bytes) -> Callable[[BinaryIO, Voortgang], object]:
    """A writer for content that is already in memory."""
    return lambda stream, _voortgang: stream.write(data)


def write_output_set(
    folder: Path | str,
    files: Sequence[OutputFile],
    voortgang: Voortgang | None = None,
    protected: Iterable[Path | str] = (),
) -> list[WriteResult]:
    """Write `files` into `folder` as one set; InvoerFout (Dutch) when it cannot be done.

    Every check that can refuse the set (an input among the targets, a folder where a file
    should go, `folder` being a file) runs before anything is written."""
    voortgang = voortgang or Voortgang()
    folder = Path(folder)
    protected_paths = [Path(p) for p in protected]
    targets = [folder / f.name for f in files]
    check_output_set(folder, [f.name for f in files], protected_paths)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise bestandsfout(exc, folder, "Er is niets geschreven.") from exc
    remove_leftovers(folder, protected_paths, [f.name for f in files])
    # The one of most rows first (its fsync runs in the background while the others are
    # built), then the others in their order.
    largest = max(range(len(files)), key=lambda i: files[i].rows, default=0)
    order = [largest, *(i for i in range(len(files)) if i != largest)][: len(files)]
    temporaries: dict[int, Path] = {}
    syncs = _Syncs()
    try:
        for step, index in enumerate(order):
            output, target = files[index], targets[index]
            part = _part(voortgang, step, len(files))
            part.report(0.0, f"{output.name} schrijven")
            temporaries[index], stream = _write_temporary(target, output, part)
            syncs.add(stream, target)
        failed = syncs.finish()  # every temporary is on disk before any target is replaced
        if failed is not None:
            raise failed
        voortgang.check()
        _commit([(temporaries[i], target) for i, target in enumerate(targets)])
    except BaseException as exc:
        syncs.finish()  # a temporary still open (Windows) cannot be removed
        for tmp in temporaries.values():
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise bestandsfout(exc, _failed_path(exc, targets), NIETS_VERVANGEN) from exc
        if isinstance(exc, InvoerFout) and NIETS_VERVANGEN not in exc.melding:
            raise InvoerFout(f"{exc.melding} {NIETS_VERVANGEN}") from exc
        raise
    return [
        WriteResult(target, output.rows, output.contains_bsn)
        for output, target in zip(files, targets, strict=True)
    ]


def write_atomically(
    target: Path, write: Callable[[BinaryIO], object], protected: Iterable[Path] = ()
) -> Path:
    """Write one file via a temporary file in the same folder, then rename over the target.

    A crash mid-write leaves either the old file or none, never half a file."""
    target = Path(target)
    output = OutputFile(target.name, lambda stream, _voortgang: write(stream), rows=0)
    write_output_set(target.parent, [output], protected=protected)
    return target


def remove_leftovers(
    folder: Path, protected: Iterable[Path] = (), names: Iterable[str] = ()
) -> list[Path]:
    """Remove the temporaries of a run that was killed; put back a file it had set aside.

    Ours are `.srgdesk-….tmp`; `names` adds the pattern of versions before 0.2,
    `.<name>.….tmp`, for the outputs about to be written."""
    removed: list[Path] = []
    protected = list(protected)
    patterns = [f"{TEMP_PREFIX}*", *(f".{name}.*{TEMP_SUFFIX}" for name in names)]
    try:
        leftovers = sorted({path for pattern in patterns for path in folder.glob(pattern)})
    except OSError:
        return removed
    for path in leftovers:
        if any(_same_file(path, p) for p in protected) or not path.is_file():
            continue
        with contextlib.suppress(OSError):
            if path.name.endswith(BACKUP_SUFFIX):
                original = folder / _backup_target_name(path.name)
                if not original.exists():
                    os.replace(path, original)
                    continue
            elif not path.name.endswith(TEMP_SUFFIX):
                continue
            path.unlink()
            removed.append(path)
    return removed


# --- steps -------------------------------------------------------------------------------------


def check_output_set(folder: Path | str, names: Iterable[str], protected: Iterable[Path]) -> None:
    """Refuse, before anything is written, a set that cannot be written as asked: `folder` is a
    file or lies under one, a target is a folder or one of the inputs, a path is too long."""
    folder = Path(folder)
    protected = [Path(p) for p in protected]
    names = list(names)
    try:
        for name in names:  # first: Windows (and Wine) fail a too-long path's other checks oddly
            _refuse_too_long(folder / name)
        if folder.exists() and not folder.is_dir():
            raise InvoerFout(
                f"{folder} is een bestand, geen map. Kies als uitvoer een map; srgdesk maakt die "
                "zo nodig aan."
            )
        for parent in folder.absolute().parents:
            if parent.exists() and not parent.is_dir():
                raise InvoerFout(
                    f"De uitvoermap {folder} ligt onder het bestand {parent}, niet onder een map. "
                    "Kies een andere map."
                )
        for name in names:
            _check_target(folder / name, protected)
    except OSError as exc:
        raise bestandsfout(exc, folder, "Er is niets geschreven.") from exc


def _check_target(target: Path, protected: list[Path]) -> None:
    for input_path in protected:
        if _same_file(target, input_path):
            raise InvoerFout(
                f"{target.name} in {target.parent} is een invoerbestand en wordt niet "
                "overschreven. Kies een andere map voor de uitvoer. Er is niets geschreven."
            )
    if target.is_dir():
        raise InvoerFout(
            f"Op de plaats van {target.name} staat een map ({target}). Hernoem of verwijder die "
            "map, of kies een andere uitvoermap. Er is niets geschreven."
        )


def _refuse_too_long(target: Path) -> None:
    too_long_for_windows = _WINDOWS and len(str(target.absolute())) >= _WINDOWS_MAX_PATH
    if len(target.name.encode("utf-8")) > _NAME_MAX or too_long_for_windows:
        raise OSError(errno.ENAMETOOLONG, "File name too long", str(target))


def _part(voortgang: Voortgang, index: int, count: int) -> Voortgang:
    """The progress of file `index` of `count` as a share of the whole set."""
    return Voortgang(
        on_progress=lambda fraction, text: voortgang.on_progress((index + fraction) / count, text),
        is_cancelled=voortgang.is_cancelled,
    )


def _write_temporary(
    target: Path, output: OutputFile, voortgang: Voortgang
) -> tuple[Path, BinaryIO]:
    """The file's content in a new temporary file next to `target` (private permissions), and
    that file, still open: written and flushed, not yet synced to disk (see _Syncs)."""
    handle, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=target.parent)
    tmp = Path(name)
    try:
        stream = os.fdopen(handle, "wb")
    except BaseException:
        os.close(handle)
        tmp.unlink(missing_ok=True)
        raise
    try:
        try:
            output.write(stream, voortgang)
            stream.flush()
        except BaseException:
            stream.close()
            raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        exc.filename = str(target)  # the user knows the target, not our temporary name
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, stream


def _sync_and_close(stream: BinaryIO, target: Path) -> None:
    """Force the written file onto the disk and close it (a full disk may only show here)."""
    try:
        with stream:
            os.fsync(stream.fileno())
    except OSError as exc:
        exc.filename = str(target)
        raise


class _Syncs:
    """fsync and close of the written temporaries, in the order they were written, on one
    background thread: fsync releases the GIL, so the disk catches up with one file while the
    next is built. (A bare _thread: threading.Thread.start() first waits until the new thread
    runs, a round trip through the scheduler that nothing here needs.)"""

    def __init__(self) -> None:
        self._jobs: SimpleQueue[tuple[BinaryIO, Path] | None] = SimpleQueue()
        self._errors: list[BaseException] = []
        self._done = _thread.allocate_lock()
        self._running = False

    def add(self, stream: BinaryIO, target: Path) -> None:
        if not self._running:
            self._done.acquire()  # released when the thread has done every job
            _thread.start_new_thread(self._run, ())
            self._running = True
        self._jobs.put((stream, target))

    def _run(self) -> None:
        try:
            while (job := self._jobs.get()) is not None:
                try:
                    _sync_and_close(*job)
                except BaseException as exc:  # noqa: BLE001 - handed to the writer by finish()
                    self._errors.append(exc)
        finally:
            self._done.release()

    def finish(self) -> BaseException | None:
        """Wait until every file is synced and closed; the first error, if any."""
        if self._running:
            self._jobs.put(None)
            with self._done:
                self._running = False
        return self._errors[0] if self._errors else None


def _commit(pairs: list[tuple[Path, Path]]) -> None:
    """Rename every temporary over its target; on any failure put every old file back."""
    for _, target in pairs:
        _check_not_locked(target)
    done: list[tuple[Path, Path | None]] = []
    try:
        for tmp, target in pairs:
            backup = None
            if target.exists():
                backup = target.parent / f"{TEMP_PREFIX}{secrets.token_hex(4)}-{target.name}"
                backup = backup.with_name(backup.name + BACKUP_SUFFIX)
                _rename(target, backup, target)
            done.append((target, backup))
            _rename(tmp, target, target)
    except BaseException:
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
        raise
    for _, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()


def _check_not_locked(target: Path) -> None:
    """A file open in Excel cannot be opened for writing on Windows: say so before any rename."""
    if not _WINDOWS or not target.is_file():
        return
    try:
        with target.open("r+b"):
            pass
    except PermissionError as exc:
        exc.filename = str(target)
        raise


def _rename(source: Path, destination: Path, target: Path) -> None:
    try:
        os.replace(source, destination)
    except OSError as exc:
        exc.filename = str(target)
        raise


def _backup_target_name(name: str) -> str:
    """'.srgdesk-1a2b3c4d-matches.csv.bak' → 'matches.csv'."""
    inner = name[len(TEMP_PREFIX) : -len(BACKUP_SUFFIX)]
    return inner.partition("-")[2]


def _failed_path(exc: OSError, targets: list[Path]) -> Path:
    if exc.filename:
        return Path(os.fsdecode(exc.filename))
    return targets[0].parent if targets else Path()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
