"""Where srgdesk keeps its own files (log, settings, session, presets) and the app-wide log.

Set SRGDESK_DATA_DIR to keep everything in one folder (tests, a portable install). The log never
holds a BSN: every run of 8 or 9 digits is masked before it is written.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

APP = "srgdesk"
LOG_NAME = "srgdesk.log"
_BSN_LIKE = re.compile(r"(?<!\d)\d{5}(\d{3,4})(?!\d)")


def data_dir() -> Path:
    """The user's local app-data folder (or SRGDESK_DATA_DIR)."""
    override = os.environ.get("SRGDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get("SRGDESK_DATA_DIR")
    path = (
        Path(override) / "log"
        if override
        else Path(platformdirs.user_log_dir(APP, appauthor=False))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def mask_numbers(text: str) -> str:
    """'123456782' → '*****6782': a BSN-like number keeps only what the user would recognise."""
    return _BSN_LIKE.sub(lambda m: "*****" + m.group(1)[-4:], text)


class _MaskBsn(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_numbers(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_numbers(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging() -> Path:
    """Send srgdesk's log to a rotating file in the user's log folder; returns its path."""
    path = log_dir() / LOG_NAME
    root = logging.getLogger(APP)
    for handler in list(root.handlers):
        if getattr(handler, "_srgdesk", False):
            root.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler._srgdesk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_MaskBsn())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
