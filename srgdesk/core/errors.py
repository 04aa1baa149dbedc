"""The exception types that carry a Dutch message for the user, and the Dutch words for what
the file system says (disk full, path too long, file open in Excel …)."""

from __future__ import annotations

import errno
import os
from pathlib import Path


class InvoerFout(Exception):
    """An input or output problem the user can fix; the message is plain Dutch and says what to do."""

    def __init__(self, melding: str):
        super().__init__(melding)
        self.melding = melding

    def __str__(self) -> str:
        return self.melding


class Geannuleerd(Exception):
    """Raised inside long work when the user pressed Annuleren."""


# Windows error numbers that Python maps to a less telling errno.
_WIN_PATH_TOO_LONG = 206  # ERROR_FILENAME_EXCED_RANGE
_WIN_SHARING_VIOLATION = 32  # the file is open in another program
_WIN_LOCK_VIOLATION = 33
_WIN_MAX_PATH = 260
_SHOWN_PATH = 80  # a path longer than this is shortened in a message


def bestandsfout(exc: OSError, path: Path | str | None = None, extra: str = "") -> InvoerFout:
    """One Dutch line for what the file system refused, naming the file and what to do next."""
    if path is None and exc.filename:
        path = os.fsdecode(exc.filename)
    path = Path(path) if path is not None else Path()
    name = path.name or str(path)
    shown = _shorten(str(path))
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    if pad_te_lang(exc, path):
        text = (
            f"Het pad is te lang voor het systeem ({len(str(path))} tekens): {shown}. Kies een map "
            "met een kortere naam, dichter bij het begin van de schijf, of een kortere bestandsnaam."
        )
    elif code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        text = (
            f"De schijf is vol: {name} past niet meer in {_shorten(str(path.parent))}. Maak ruimte "
            "vrij of kies een andere map, en probeer het opnieuw."
        )
    elif code == errno.EISDIR:
        text = (
            f"Op de plaats van {name} staat een map ({shown}). Hernoem of verwijder die map, of "
            "kies een andere."
        )
    elif code == errno.ENOTDIR:
        text = f"{shown} ligt onder een bestand, niet onder een map. Kies een map."
    elif code == errno.EROFS:
        text = f"De map van {name} is alleen-lezen. Kies een andere map."
    elif winerror in (_WIN_SHARING_VIOLATION, _WIN_LOCK_VIOLATION) or (
        isinstance(exc, PermissionError) and _is_file(path)
    ):
        text = (
            f"{name} is geopend in Excel of een ander programma (of alleen-lezen). Sluit {name} "
            "in Excel en probeer het opnieuw."
        )
    elif isinstance(exc, PermissionError):
        folder = path if _is_dir(path) else path.parent
        text = (
            f"Geen schrijfrechten in de map {_shorten(str(folder))}. Kies een map waarin u mag "
            "schrijven, of vraag uw beheerder om rechten."
        )
    elif isinstance(exc, FileNotFoundError):
        text = f"{shown} bestaat niet (meer). Controleer de naam en de map."
    else:
        reason = exc.strerror or type(exc).__name__
        text = f"{name} kon niet worden gebruikt ({reason}). Controleer het bestand en de map."
    return InvoerFout(f"{text} {extra}".strip())


def pad_te_lang(exc: OSError, path: Path) -> bool:
    """Whether the file system refused `path` because it is too long, on Linux or Windows."""
    return (
        exc.errno == errno.ENAMETOOLONG
        or getattr(exc, "winerror", None) == _WIN_PATH_TOO_LONG
        or _too_long_for_windows(exc, path)
    )


def _too_long_for_windows(exc: OSError, path: Path) -> bool:
    """Windows without long-path support reports a path over 260 characters as 'not found'."""
    return (
        os.name == "nt"
        and isinstance(exc, FileNotFoundError)
        and len(str(path.absolute())) >= _WIN_MAX_PATH
    )


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _shorten(text: str) -> str:
    if len(text) <= _SHOWN_PATH:
        return text
    half = _SHOWN_PATH // 2
    return f"{text[:half]}…{text[-half:]}"


def read_input_bytes(path: Path, is_map: str, onleesbaar: str) -> bytes:
    """The bytes of an input file, or InvoerFout with `is_map` when `path` is a folder (Windows
    refuses a folder with 'access denied', not 'is a directory') and `onleesbaar` otherwise."""
    try:
        return path.read_bytes()
    except OSError as exc:
        if isinstance(exc, IsADirectoryError) or os.path.isdir(path):
            raise InvoerFout(is_map) from exc
        raise InvoerFout(onleesbaar) from exc
