"""Write output files atomically and refuse to touch an input or a file that Excel holds open."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from srgdesk.core.errors import InvoerFout


def write_atomically(
    target: Path, write: Callable[[BinaryIO], object], protected: Iterable[Path] = ()
) -> Path:
    """Write via a temporary file in the same folder, then rename over the target.

    A crash mid-write leaves either the old file or none, never half a file.
    """
    target = Path(target)
    for input_path in protected:
        if _same_file(target, Path(input_path)):
            raise InvoerFout(
                f"{target.name} is ook een invoerbestand en wordt niet overschreven. "
                "Kies een andere map voor de uitvoer."
            )
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except PermissionError as exc:
        raise InvoerFout(
            f"Geen schrijfrechten in de map {folder}. Kies een andere map en probeer het opnieuw."
        ) from exc
    tmp_path = Path(tmp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        _replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
    return target


def _replace(tmp_path: Path, target: Path) -> None:
    try:
        os.replace(tmp_path, target)
    except PermissionError as exc:
        raise InvoerFout(
            f"{target.name} kan niet worden opgeslagen: het bestand is waarschijnlijk geopend in "
            f"Excel of een ander programma. Sluit {target.name} en probeer het opnieuw."
        ) from exc


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
