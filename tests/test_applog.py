"""The app log: no BSN in it in any grouping, its files private to the user, and tests never
write to the real user's log."""

from __future__ import annotations

import logging
import os
import stat
import sys
import unicodedata
from pathlib import Path

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.applog import APP, LOG_NAME, data_dir, log_dir, mask_numbers, setup_logging

SEPARATORS = [" ", ".", "-", "\u00a0", "\u202f", "\u2009", "\u200b", "\u2060", "_", "/", "\u2013"]
FULL_WIDTH = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))
POSIX = os.name == "posix"


@st.composite
def valid_bsns(draw) -> str:
    head = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    check = sum((9 - i) * d for i, d in enumerate(head)) % 11
    if check == 10 or not any(head):
        head[7] = (head[7] + 1) % 10
        check = sum((9 - i) * d for i, d in enumerate(head)) % 11
    digits = "".join(map(str, head)) + str(check)
    return digits if check < 10 else "123456782"


@st.composite
def grouped(draw, bsn: str) -> str:
    """The BSN (or its 8-digit form without the leading zero) in a random grouping."""
    digits = bsn[1:] if bsn.startswith("0") and draw(st.booleans()) else bsn
    if draw(st.booleans()):
        digits = digits.translate(FULL_WIDTH)
    out = digits[0]
    for digit in digits[1:]:
        gap = draw(st.lists(st.sampled_from(SEPARATORS), max_size=3)) if draw(st.booleans()) else []
        out += "".join(gap) + digit
    return out


def normalised(text: str) -> str:
    """The text as a reader would take it: separators gone, every digit ASCII."""
    kept = (c for c in text if c not in SEPARATORS and not c.isspace())
    return "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in kept)


around = st.text(alphabet=st.sampled_from(list("abc :;,()=[]'\"\n#BSN")), max_size=10)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), bsn=valid_bsns(), before=around, after=around)
def test_no_bsn_survives_masking_in_any_grouping(data, bsn, before, after):
    text = before + data.draw(grouped(bsn)) + after
    masked = normalised(mask_numbers(text))
    assert bsn not in masked
    assert bsn.lstrip("0") not in masked or len(bsn.lstrip("0")) < 8


@pytest.mark.parametrize(
    "text",
    [
        "123456782",
        "123.456.782",
        "123 456 782",
        "123\u00a0456\u00a0782",
        "123-45-6782",
        "1 2 3 4 5 6 7 8 2",
        "1234 56 782",
        "123456782".translate(FULL_WIDTH),
        "12\u200b34\u200b56782",
        "regel 12 123456782",
    ],
)
def test_grouped_bsns_keep_only_their_last_four_digits(text):
    assert mask_numbers(text).endswith("*****6782")


@pytest.mark.parametrize(
    "text", ["regel 1234", "0612345678", "2024-01-31", "31-01-2024", "line 123, in run"]
)
def test_numbers_that_are_no_bsn_stay(text):
    assert mask_numbers(text) == text


def test_the_log_file_masks_messages_arguments_and_tracebacks(app_data_dir):
    path = setup_logging()
    log = logging.getLogger("srgdesk.test")
    log.warning("BSN %s in regel %d", "123 456 782", 4)
    try:
        raise ValueError("kapot bij 1.2.3.4.5.6.7.8.2")
    except ValueError:
        log.exception("Onverwacht voor %s", "123-45-6782")
    for handler in logging.getLogger(APP).handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "123456782" not in normalised(text)
    assert text.count("*****6782") >= 3  # message, argument, exception (and its source line)


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX; Windows keeps app data per user")
def test_log_settings_and_session_files_are_private(app_data_dir):
    from srgdesk.gui.settings import save_setting

    log_path = setup_logging()
    logging.getLogger("srgdesk.test").info("x")
    save_setting("laatste_map", "/tmp")
    for path in [log_path, data_dir() / "instellingen.json"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (data_dir(), log_dir()):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_a_log_left_readable_by_an_older_version_becomes_private(app_data_dir):
    old = log_dir() / LOG_NAME
    old.write_text("oud\n", encoding="utf-8")
    old.chmod(0o644)
    setup_logging()
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_tests_never_use_the_real_app_data_folder(app_data_dir):
    real = {
        Path(platformdirs.user_data_dir(APP, appauthor=False)),
        Path(platformdirs.user_log_dir(APP, appauthor=False)),
    }
    assert data_dir() == app_data_dir
    assert log_dir().is_relative_to(app_data_dir)
    assert setup_logging().is_relative_to(app_data_dir)
    assert not {data_dir(), log_dir()} & real
    assert "SRGDESK_DATA_DIR" in os.environ  # inherited by every subprocess a test starts
    assert sys.modules["srgdesk.applog"].data_dir() == app_data_dir
