"""Where srgdesk keeps its own files (log, settings, session, presets) and the app-wide log.

Set SRGDESK_DATA_DIR to keep everything in one folder (tests, a portable install). The log never
holds a BSN: every number of 8 or 9 digits is masked before it is written, however it is grouped
(dots, spaces, NBSP, hyphens, zero-width characters, digits spaced one by one, full-width
digits). Everything srgdesk writes here is private to the user (0600 files, 0700 folders).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import unicodedata
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

APP = "srgdesk"
LOG_NAME = "srgdesk.log"
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# Between two digits of one number: up to three of whitespace (NBSP and thin spaces included),
# dots, hyphens and dashes, underscores, slashes, soft hyphens and zero-width characters.
_SEPARATOR = r"[\s.\-_/\u00ad\u2010-\u2015\u2212\u200b-\u200d\u2060\ufeff]"
_NUMBER = re.compile(rf"\d(?:{_SEPARATOR}{{0,3}}\d)*")
_DATE = re.compile(r"(\d{4})([-/.])(\d{2})\2(\d{2})|(\d{2})([-/.])(\d{2})\6(\d{4})")


def data_dir() -> Path:
    """The user's local app-data folder (or SRGDESK_DATA_DIR)."""
    override = os.environ.get("SRGDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))
    return _private_folder(path)


def log_dir() -> Path:
    override = os.environ.get("SRGDESK_DATA_DIR")
    if override:
        return _private_folder(data_dir() / "log")
    return _private_folder(Path(platformdirs.user_log_dir(APP, appauthor=False)))


def _private_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_FOLDER)
    return path


def make_private(path: Path) -> None:
    """Only the user may read it (like the session file); on Windows the folder already is."""
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_FILE)


def mask_numbers(text: str) -> str:
    """'123456782', '123.456.782', '1 2 3 4 5 6 7 8 2' → '*****6782': a BSN-like number keeps only
    the last four digits, what the user recognises. A run of digits and separators is masked
    when it holds 8 or 9 digits, or 10 or more with separators in between; a single unbroken
    number of 10+ digits and a date (2024-01-31, 31-01-2024) are not BSNs and stay."""
    return _NUMBER.sub(_mask, text)


def _mask(match: re.Match[str]) -> str:
    run = match.group()
    digits = "".join(str(unicodedata.digit(c)) for c in run if c.isdigit())
    if len(digits) < 8 or (len(digits) >= 10 and run.isdecimal()) or _is_date(run):
        return run
    return "*****" + digits[-4:]


def _is_date(run: str) -> bool:
    found = _DATE.fullmatch(run)
    if not found or not run.isascii():
        return False
    parts = [int(p) for p in found.groups() if p and p.isdigit()]
    year, month, day = parts if found.group(1) else parts[::-1]
    return 1900 <= year <= 2199 and 1 <= month <= 12 and 1 <= day <= 31


class _MaskBsn(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_numbers(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = mask_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_numbers(record.stack_info)
        return True


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose every file (the first and each new one after a rollover) is 0600."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        make_private(Path(self.baseFilename))  # a log from an older version was 0644
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def setup_logging() -> Path:
    """Send srgdesk's log to a rotating file in the user's log folder; returns its path."""
    path = log_dir() / LOG_NAME
    root = logging.getLogger(APP)
    for handler in list(root.handlers):
        if getattr(handler, "_srgdesk", False):
            root.removeHandler(handler)
            handler.close()
    handler = _PrivateRotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler._srgdesk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_MaskBsn())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
