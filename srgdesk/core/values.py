"""Parsers for the values of an export: BSN, dates, codes and months, vectorised over a column.

Each column parser returns the parsed values and a Dutch reason per row that failed ("" = ok),
so cleaning can keep every rejected row with its reason.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

# Dates are whole days since 1970-01-01 in int32; an empty einddatum is OPEN (runs on).
OPEN = np.int32(2**31 - 1)
GEEN = np.int32(-(2**31))  # missing / unusable
EPOCH = np.datetime64("1970-01-01", "D")
MIN_YEAR, MAX_YEAR = 1900, 9999
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_DATE_RE = re.compile(
    r"^(?:(?P<y1>\d{4})(?P<m1>\d{2})(?P<d1>\d{2})(?:\.0+)?"
    r"|(?P<y2>\d{4})[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?"
    r"|(?P<d3>\d{1,2})[-/.](?P<m3>\d{1,2})[-/.](?P<y3>\d{4}|\d{2})(?: 0?0:00(?::00)?)?"
    r"|(?P<n>\d{1,5})(?:\.0+)?)$"
)
# Dutch (and English) month names and abbreviations: '1-mrt-2023', '1 januari 2024'.
_MAANDEN = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2,
    "maart": 3, "march": 3, "mrt": 3, "maa": 3, "mar": 3, "april": 4, "apr": 4,
    "mei": 5, "may": 5, "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7,
    "augustus": 8, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MAANDNAAM_RE = (
    r"(?<=\d)(?:\s*[-/. ]\s*)(?P<naam>"
    + "|".join(sorted(_MAANDEN, key=len, reverse=True))
    + r")\.?(?:\s*[-/. ]\s*)(?=\d)"
)
# A two-digit year: 00-69 is 20xx, 70-99 is 19xx (the rule of Python's %y and of Excel).
TWEECIJFERIG_GRENS = 70


# What packages write for "no einddatum": read as open, never as a broken row.
OPEN_MARKERS = frozenset(
    {"-", "--", "0", "00000000", "99991231", "9999-12-31", "31-12-9999", "31/12/9999",
     "9999-12-31 00:00:00", "0000-00-00", "00-00-0000"}
)  # fmt: skip

_ELFPROEF_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)


def digit_bytes(values: list[str], width: int) -> np.ndarray | None:
    """The digits (n × width, one uint8 a digit) when every value is exactly `width` ASCII
    digits, else None."""
    cells = digit_cells(values, width)
    return None if cells is None else cells[:, :width] - np.uint8(48)


def digit_cells(values: list[str], width: int) -> np.ndarray | None:
    """The values' bytes (n × width+1, a NUL after each) when every value is exactly `width`
    ASCII digits, else None.

    One join, one encode and numpy checks on the bytes: linear and without a regex or a Python
    call per cell (the common case of a clean BSN column)."""
    joined = "\x00".join(values)
    if not values or not joined.isascii():
        return None
    raw = np.frombuffer(joined.encode("ascii") + b"\x00", dtype=np.uint8)
    if len(raw) != len(values) * (width + 1):
        return None
    cells = raw.reshape(len(values), width + 1)
    if not (cells[:, width] == 0).all():
        return None
    # a NUL after each value where one belongs: the values' n × width bytes are the rest, so
    # they are all digits when that many bytes are ('0' - 48 wraps below 0, one comparison)
    if np.count_nonzero((raw - np.uint8(48)) <= 9) != len(values) * width:
        return None
    return cells


def _elfproef_digits(digits: np.ndarray) -> np.ndarray:
    """Per row of 9 digits (0-9, any integer type): the elfproef, and not all zeros. Column by
    column on the transposed digits: contiguous passes instead of a matrix product per row, in
    int16 (a weighted sum lies between -9 and 396)."""
    columns = np.ascontiguousarray(digits.T)
    total = np.zeros(len(digits), dtype=np.int16)
    for column, weight in zip(columns, _ELFPROEF_WEIGHTS.astype(np.int16), strict=True):
        total += weight * column.astype(np.int16)
    return (total % 11 == 0) & columns.any(axis=0)


_ZERO_WEIGHED = 48 * int(_ELFPROEF_WEIGHTS.sum())  # the weighted sum of '000000000' as bytes


def _elfproef_cells(cells: np.ndarray) -> np.ndarray:
    """_elfproef_digits on the bytes of digit_cells (the digits' ASCII codes, 48-57): the
    weighted sum of the codes is that of the digits plus 48 times the weights' sum, so it
    needs no subtraction pass (in int16: between 2055 and 2508). All zeros is the one sum of
    2064 to look closer at."""
    columns = np.ascontiguousarray(cells.T[:9])  # contiguous passes, one a position
    total = np.zeros(len(cells), dtype=np.int16)
    for column, weight in zip(columns, _ELFPROEF_WEIGHTS.astype(np.int16), strict=True):
        total += weight * column
    valid = total % 11 == _ZERO_WEIGHED % 11
    zero_sum = np.flatnonzero(total == _ZERO_WEIGHED)
    if len(zero_sum):
        valid[zero_sum[(cells[zero_sum, :9] == 48).all(axis=1)]] = False
    return valid


_NINE_DIGITS = re.compile(r"[0-9]{9}")


def _nine_digits(values: list[str]) -> np.ndarray:
    """Per value: exactly nine digits 0-9 (`str.fullmatch('[0-9]{9}')`)? Numpy over the bytes of
    the values nine characters long, without a regex per cell."""
    joined = "".join(values)
    if not joined.isascii():
        return np.array([_NINE_DIGITS.fullmatch(v) is not None for v in values], dtype=bool)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    starts = np.cumsum(lengths) - lengths
    rows = np.flatnonzero(lengths == 9)
    raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    cells = raw[starts[rows, None] + np.arange(9)]
    shaped = np.zeros(len(values), dtype=bool)
    shaped[rows[((cells - np.uint8(48)) <= 9).all(axis=1)]] = True  # wraps below '0'
    return shaped


def elfproef_vector(padded: np.ndarray) -> np.ndarray:
    """bsn_is_valid for a whole array of zero-padded strings, in numpy (same answers)."""
    listed = pd.Series(padded, dtype=object).astype(str).tolist()
    digits = digit_bytes(listed, 9) if listed else None
    if digits is not None:
        return _elfproef_digits(digits)
    shape_ok = _nine_digits(listed)
    valid = np.zeros(len(listed), dtype=bool)
    if shape_ok.any():
        shaped = digit_bytes([v for v, ok in zip(listed, shape_ok, strict=True) if ok], 9)
        assert shaped is not None  # nine ASCII digits each, as _nine_digits just said
        valid[shape_ok] = _elfproef_digits(shaped)
    return valid


def parse_bsn_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Padded BSNs and reasons. Accepts '12345678', '123.456.782', ' 123456782 '."""
    text, reasons = bsn_column(values)
    return text, _no_reasons(values) if reasons is None else reasons


def _no_reasons(values: pd.Series) -> pd.Series:
    return pd.Series("", index=values.index, dtype=object)


def bsn_column(values: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """parse_bsn_column, with reasons None when every BSN is fine (no column of '' to scan)."""
    text, reasons, _cells = bsn_column_cells(values)
    return text, reasons


def bsn_column_cells(
    values: pd.Series,
) -> tuple[pd.Series, pd.Series | None, np.ndarray | None]:
    """bsn_column, and when every cell is nine ASCII digits their bytes (`digit_cells`, n x 10),
    else None: the BSNs of every row that has no reason (matching codes them, no second pass
    over the text)."""
    try:  # str.join takes text only: when it does, astype(str) would copy the cells as they are
        text, listed = values, values.tolist()
        digits = digit_cells(listed, 9) if listed else None
    except TypeError:  # a cell that is not text (a number from a workbook)
        text = values.astype(str)
        listed = text.tolist()
        digits = digit_cells(listed, 9)
    elfproef = _elfproef_cells(digits) if digits is not None else None
    if elfproef is not None and elfproef.all():  # a clean column: nothing to do
        return text, None, digits
    plain = np.ones(len(text), dtype=bool) if digits is not None else _nine_digits(listed)
    if not plain.all():  # the slow path only for the few cells that need it
        tidy = text[~plain].str.strip().str.replace(r"[ .\xa0]", "", regex=True)
        text = text.copy()
        text[~plain] = tidy.where(
            ~tidy.str.fullmatch(r"[0-9]{1,8}").fillna(False), tidy.str.zfill(9)
        )
    valid = elfproef if elfproef is not None else elfproef_vector(text.to_numpy())
    reasons = np.full(len(text), "", dtype=object)
    if not valid.all():  # the reasons of the invalid cells only (an empty one is invalid too)
        invalid = np.flatnonzero(~valid)
        shown = text.iloc[invalid]
        digits_only = shown.str.fullmatch(r"[0-9]{1,9}").to_numpy(dtype=bool)
        reasons[invalid] = "BSN {waarde} voldoet niet aan de elfproef"
        reasons[invalid[~digits_only]] = "BSN {waarde} is geen nummer van 9 cijfers"
        reasons[invalid[(shown == "").to_numpy()]] = "BSN ontbreekt"
    kept = text.to_numpy().copy()  # text.where(valid, ""), without pandas' where machinery
    kept[~valid] = ""
    return (
        pd.Series(kept, index=text.index, dtype=object, name=text.name),
        pd.Series(reasons, index=values.index),
        digits,
    )


def distinct(values: pd.Series | np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Per row the index of its value, and the distinct values as text (first seen first).

    The same answer as factorizing `values.astype(str)`, without that pass over every row when
    the cells are text already (they are in a RawTable)."""
    array = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if array.dtype == object and len(array) and isinstance(array[0], str):
        first = array[0]
        # one value in every row (gemeentecode, berichtgevercode): no hashing
        if one_text(array):
            return np.zeros(len(array), dtype=np.intp), pd.Series([first], dtype=object)
    if array.dtype == object:
        by_identity = factorize_by_identity(array)
        codes, uniques = by_identity or pd.factorize(array, sort=False)
        if (
            pd.api.types.infer_dtype(uniques, skipna=False) in ("string", "empty")
            and not (codes < 0).any()
        ):
            return codes, pd.Series(uniques, dtype=object)
    codes, uniques = pd.factorize(pd.Series(array).astype(str), sort=False)
    return codes, pd.Series(uniques, dtype=object)


def one_text(array: np.ndarray) -> bool:
    """Whether every cell of an object column holds the same text as the first. Compared by
    identity first: a CSV reader gives equal cells of one chunk one object, so a constant column
    holds a few objects, each compared as text once instead of every cell."""
    first = array[0]
    if not array.flags.c_contiguous or len(array) < 64:
        return all(cell == first for cell in array.tolist())
    ids = np.frombuffer(array.data, dtype=np.uintp)  # a view: `array` stays alive
    others = ids != ids[0]
    for _ in range(8):  # a few objects at most, else compare the texts
        if not others.any():
            return True
        other = int(np.argmax(others))
        if not isinstance(array[other], str) or array[other] != first:
            return False
        others &= ids != ids[other]
    return all(cell == first for cell in array.tolist())  # (numpy's == drops a trailing NUL)


def factorize_by_identity(array: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """pd.factorize(array) for an object column whose equal cells are mostly one object (pandas'
    CSV parser gives each distinct text of a chunk one string object): the cells' identities
    (their addresses, integers) are factorized, then only the objects behind them as text.
    Same codes and order as pd.factorize; None when the cells are not shared objects."""
    if len(array) < 2048 or not array.flags.c_contiguous:
        return None
    ids = np.frombuffer(array.data, dtype=np.uintp)  # a view: `array` stays alive
    head = min(len(array), 4096)
    texts = len(set(array[:head].tolist()))
    if texts > 0.75 * head or len(pd.unique(ids[:head])) > 2 * texts + 8:
        return None  # mostly distinct (BSN), or every cell its own object (a workbook)
    id_codes, id_uniques = pd.factorize(ids, sort=False)
    # a row of each object: any row will do (all rows of one address hold that one object), so
    # one scatter, no search for the first; the objects stay in first-seen order
    rows = np.empty(len(id_uniques), dtype=np.intp)
    rows[id_codes] = np.arange(len(id_codes))
    codes, uniques = pd.factorize(array[rows], sort=False)
    return codes[id_codes], uniques


_factorize_by_identity = factorize_by_identity  # the name matching/codes.py imports


def parse_date_column(
    values: pd.Series, label: str, empty_is_open: bool
) -> tuple[np.ndarray, pd.Series]:
    """Days since 1970 (int32) and reasons, for JJJJMMDD (text or number), DD-MM-JJJJ, D-M-JJJJ,
    DD/MM/JJJJ, DD-MM-JJ (00-69 → 20xx, 70-99 → 19xx), month names (1-mrt-2023, 1 januari
    2024), JJJJ/MM/DD, ISO, datetime cells and Excel serial numbers. Impossible dates (31-02-2024) are
    rejected, not rolled over. With `empty_is_open` an empty cell or an open marker
    ('99991231', '00000000', '-', …) is OPEN."""
    text = list(map(str.strip, texts_of(values)))
    lengths = np.fromiter(map(len, text), dtype=np.int64, count=len(text))
    year, month, day = _plain_dates(text, lengths)
    serial = np.full(len(text), np.nan)  # the Excel serial number group
    serial_found = np.zeros(len(text), dtype=bool)
    # everything but JJJJMMDD and JJJJ-MM-DD goes through the regex, value by value (called per
    # distinct value: a few, where pandas' string methods cost more than the work)
    for row in np.flatnonzero(np.isnan(year)).tolist():
        found = _date_parts(text[row])
        if found is not None:
            year[row], month[row], day[row], number = found
            if number is not None:
                serial[row], serial_found[row] = number, True
    days = np.full(len(text), GEEN, dtype=np.int64)
    ok = ~np.isnan(year) & ~np.isnan(month) & ~np.isnan(day)  # a part in other digits: no date
    if ok.any():
        y, m, d = year[ok].astype(np.int64), month[ok].astype(np.int64), day[ok].astype(np.int64)
        in_range = (y >= MIN_YEAR) & (y <= MAX_YEAR) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)
        y_safe = np.where(in_range, y, 2000)
        m_safe = np.where(in_range, m, 1)
        d_safe = np.where(in_range, d, 1)
        months = ((y_safe - 1970) * 12 + (m_safe - 1)).astype("timedelta64[M]")
        first = np.datetime64("1970-01", "M") + months
        date = first.astype("datetime64[D]") + (d_safe - 1).astype("timedelta64[D]")
        real = in_range & (date.astype("datetime64[M]") == first)
        days[np.flatnonzero(ok)[real]] = (date[real] - EPOCH).astype(np.int64)
    is_serial = ~np.isnan(serial) & (serial >= 1) & (serial <= 2958465)
    if is_serial.any():
        # Excel's day 1 is 1900-01-01 and it counts a 29 February 1900 that never was.
        base = np.where(
            serial[is_serial] >= 61, np.datetime64("1899-12-30"), np.datetime64("1899-12-31")
        )
        dates = base + serial[is_serial].astype(np.int64).astype("timedelta64[D]")
        days[is_serial] = (dates - EPOCH).astype(np.int64)
        too_early = days[is_serial] < (np.datetime64(f"{MIN_YEAR}-01-01") - EPOCH).astype(np.int64)
        days[np.flatnonzero(is_serial)[too_early]] = GEEN
    empty = lengths == 0
    if empty_is_open:
        empty |= np.fromiter(map(OPEN_MARKERS.__contains__, text), dtype=bool, count=len(text))
        days[empty] = OPEN
    reasons = np.full(len(text), "", dtype=object)  # numpy: no pandas indexing per mask
    bad = (days == GEEN) & ~empty
    reasons[bad] = f"{label} {{waarde}} is geen bestaande datum"
    unknown = bad & np.isnan(year) & ~serial_found
    reasons[unknown] = (
        f"{label} {{waarde}}: datumnotatie niet herkend; gebruik bijvoorbeeld 31-12-2024 of 20241231"
    )
    if not empty_is_open:
        reasons[empty] = f"{label} ontbreekt"
    return days.astype(np.int32), pd.Series(reasons, index=values.index, dtype=object)


_DIGIT_AT = {8: list(range(8)), 10: [0, 1, 2, 3, 5, 6, 8, 9]}  # JJJJMMDD, JJJJ-MM-DD
_DATE_SEPARATOR = np.zeros(256, dtype=bool)
_DATE_SEPARATOR[[ord("-"), ord("/"), ord(".")]] = True


def _plain_dates(
    values: list[str], lengths: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day (float, NaN = not this shape) of the values written as JJJJMMDD or
    JJJJ-MM-DD (also / or . between): numpy over the bytes, the regex only for the rest.
    `lengths`: the values' lengths when already counted."""
    result = np.full((3, len(values)), np.nan)
    joined = "".join(values)
    if not values or not joined.isascii():
        return result[0], result[1], result[2]
    if lengths is None:
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    starts = np.cumsum(lengths) - lengths
    raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    for width, at in _DIGIT_AT.items():
        rows = np.flatnonzero(lengths == width)
        if not len(rows):
            continue
        cells = raw[starts[rows, None] + np.arange(width)]
        digits = cells[:, at].astype(np.int64) - 48
        ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
        if width == 10:
            ok &= _DATE_SEPARATOR[cells[:, 4]] & _DATE_SEPARATOR[cells[:, 7]]
        digits, rows = digits[ok], rows[ok]
        result[0, rows] = digits[:, :4] @ np.array([1000, 100, 10, 1])
        result[1, rows] = digits[:, 4:6] @ np.array([10, 1])
        result[2, rows] = digits[:, 6:8] @ np.array([10, 1])
    return result[0], result[1], result[2]


_DATE_GROUPS = (("y1", "y2", "y3"), ("m1", "m2", "m3"), ("d1", "d2", "d3"))
_MAANDNAAM = re.compile(_MAANDNAAM_RE)
_LETTER = re.compile(r"[A-Za-z]")


def _date_parts(text: str) -> tuple[float, float, float, float | None] | None:
    """Year, month, day and Excel serial (NaN = not given; serial None = no serial group) of a
    stripped value in any notation of _DATE_RE, month names included; None when none fits."""
    if _LETTER.search(text):  # month names: '1-mrt-2023' → '1-3-2023'
        text = _MAANDNAAM.sub(lambda m: f"-{_MAANDEN[m['naam']]}-", text.lower())
    found = _DATE_RE.search(text)
    if found is None:
        return None
    groups = found.groupdict()
    short = groups["y3"]
    if short is not None and len(short) == 2:  # two digits, not four
        two = _number(short)
        century = 2000 if two < TWEECIJFERIG_GRENS else 1900
        groups["y3"] = None if np.isnan(two) else str(int(two) + century)
    year, month, day = (_first_number(groups, names) for names in _DATE_GROUPS)
    serial = groups["n"]
    return year, month, day, None if serial is None else _number(serial)


def _first_number(groups: dict[str, str | None], names: tuple[str, ...]) -> float:
    """The first of several alternative regex groups that is a number, as float (NaN = none)."""
    for name in names:
        number = _number(groups[name])
        if not np.isnan(number):
            return number
    return np.nan


def _number(group: str | None) -> float:
    """A regex group of digits as float; NaN for none, or for digits other than 0-9 (\\d also
    matches '٣'), as pd.to_numeric(errors='coerce') reads them."""
    return float(group) if group is not None and group.isascii() else np.nan


def parse_code_column(
    values: pd.Series, label: str, width: int, prefix: str = ""
) -> tuple[pd.Series, pd.Series]:
    """Numeric codes padded to `width` digits; an optional prefix ('GM0363') is dropped. Value by
    value: it is called per distinct value (one or a few)."""
    prefix_re = re.compile(rf"^{prefix} *", re.IGNORECASE) if prefix else None
    shape = re.compile(rf"[0-9]{{1,{width}}}")
    codes, reasons = [], []
    for value in texts_of(values):
        text = value.strip(SPACES)
        if prefix_re is not None:
            text = prefix_re.sub("", text)
        text = _FLOAT_END.sub("", text)  # '363.0' from a float cell
        ok = shape.fullmatch(text) is not None
        codes.append(text.zfill(width) if ok else "")
        if not text:
            reasons.append(f"{label} ontbreekt")
        else:
            reasons.append("" if ok else f"{label} {{waarde}} is geen code van {width} cijfers")
    return (
        pd.Series(codes, index=values.index, dtype=object),
        pd.Series(reasons, index=values.index, dtype=object),
    )


_FLOAT_END = re.compile(r"\.0+$")


SPACES = " \xa0"  # trimmed around values; tabs and line breaks are not: they make a value invalid
_BAD_IDENTIFIER = r"^[=+\-@\t\r]|[\x00-\x1f\x7f]"


def _forbidden_anywhere(raw: np.ndarray) -> bool:
    """Any control character (1-31, 127) or quote among the bytes? Three comparisons, several
    times faster than a table lookup per byte."""
    control = (raw - np.uint8(1)) < 31  # 0 (the separator) wraps to 255
    return bool((control | (raw == 0x7F) | (raw == ord('"'))).any())


# First and last UTF-8 byte of a value that needs a closer look: a space, a formula sign, or
# a byte of a no-break space (C2 A0; other characters may share the byte: then the slow path).
_FORBIDDEN_FIRST = np.zeros(256, dtype=bool)
_FORBIDDEN_FIRST[[0x20, ord("="), ord("+"), ord("-"), ord("@"), 0xC2]] = True
_FORBIDDEN_LAST = np.zeros(256, dtype=bool)
_FORBIDDEN_LAST[[0x20, 0xA0]] = True


def plain_identifiers(values: list[str], max_length: int | None) -> bool:
    """Whether no value needs a look from parse_identifier_column: none empty, none longer than
    `max_length`, no control character or quote, no space or formula sign at an edge. Numpy on
    the UTF-8 bytes of the joined column, linear; False may also mean "look closer"."""
    return plain_identifier_cells(values, max_length)[0]


def plain_identifier_cells(
    values: list[str], max_length: int | None
) -> tuple[bool, np.ndarray | None]:
    """plain_identifiers, and when the values are ASCII of one width (the usual
    registratienummer) their bytes as a matrix, one row a value and a NUL after each (n x
    width+1, uint8): the duplicate check reads them without joining the column again."""
    joined = "\x00".join(values)
    if not joined:
        return False, None
    width = len(values[0])
    if joined.isascii() and len(joined) + 1 == len(values) * (width + 1) and width:
        return _plain_one_width(joined, len(values), width, max_length)
    try:
        encoded = joined.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: let the regex path judge it
        return False, None
    raw = np.frombuffer(encoded, dtype=np.uint8)
    zeros = raw == 0  # UTF-8 writes a NUL, and only a NUL, as a zero byte
    if np.count_nonzero(zeros) != len(values) - 1:
        return False, None  # a value holds a NUL
    width = len(values[0])
    step = width + 1
    cells = None
    if joined.isascii() and len(raw) == len(values) * step - 1 and zeros[width::step].all():
        # every value of one width (the usual registratienummer): the edges without a search
        starts = np.arange(0, len(raw), step)
        ends = starts + (width - 1)
        cells = np.frombuffer(encoded + b"\x00", dtype=np.uint8).reshape(len(values), step)
    else:
        separators = np.flatnonzero(zeros)
        starts = np.concatenate(([0], separators + 1))
        ends = np.concatenate((separators, [len(raw)])) - 1
    if (starts > ends).any() or _forbidden_anywhere(raw):
        return False, None
    if _FORBIDDEN_FIRST[raw[starts]].any() or _FORBIDDEN_LAST[raw[ends]].any():
        return False, None
    if not max_length:
        return True, cells
    if joined.isascii():
        return int((ends - starts).max()) + 1 <= max_length, cells
    return max(map(len, values)) <= max_length, cells


def _plain_one_width(
    joined: str, count: int, width: int, max_length: int | None
) -> tuple[bool, np.ndarray | None]:
    """plain_identifier_cells for `count` ASCII values joined by NULs whose length says they
    may all be `width` long (the usual registratienummer): the bytes as the n x width+1 matrix
    straight away, the NULs where they belong, and every check on a column of that matrix or
    by one count over the bytes, instead of searching the separators."""
    encoded = joined.encode("ascii") + b"\x00"
    cells = np.frombuffer(encoded, dtype=np.uint8).reshape(count, width + 1)
    if not (cells[:, width] == 0).all():
        return False, None  # other lengths that happen to add up
    # the bytes below 32 are the NULs after the values, and no other: no NUL or control
    # character in a value; a quote or DEL is found by memchr
    if np.count_nonzero(cells < 32) != count or b'"' in encoded or b"\x7f" in encoded:
        return False, None
    if _FORBIDDEN_FIRST[cells[:, 0]].any() or _FORBIDDEN_LAST[cells[:, width - 1]].any():
        return False, None
    return (not max_length or width <= max_length), cells


def parse_identifier_column(
    values: pd.Series, label: str, max_length: int | None
) -> tuple[pd.Series, pd.Series]:
    """Registratienummer or soort: text kept exactly (leading zeros matter), but a value that
    starts like a formula or holds control characters cannot be an SRG value: rejected, never
    passed on altered."""
    text, reasons = identifier_column(values, label, max_length)
    return text, _no_reasons(values) if reasons is None else reasons


def identifier_column(
    values: pd.Series, label: str, max_length: int | None
) -> tuple[pd.Series, pd.Series | None]:
    """parse_identifier_column, with reasons None when every value is fine."""
    text, reasons, _cells = identifier_column_cells(values, label, max_length)
    return text, reasons


def identifier_column_cells(
    values: pd.Series, label: str, max_length: int | None
) -> tuple[pd.Series, pd.Series | None, np.ndarray | None]:
    """identifier_column, and for a plain column of ASCII values of one width their bytes
    (plain_identifier_cells), else None."""
    try:  # str.join takes text only: when it does, astype(str) would copy the cells as they are
        text, listed = values, values.tolist()
        plain, cells = plain_identifier_cells(listed, max_length) if listed else (False, None)
    except TypeError:  # a cell that is not text (a number from a workbook)
        text = values.astype(str)
        plain, cells = plain_identifier_cells(text.tolist(), max_length)
    if plain:  # nothing to strip, nothing suspicious, nothing empty or too long
        return text, None, cells
    return *check_identifiers(values, label, max_length), None


def check_identifiers(
    values: pd.Series, label: str, max_length: int | None
) -> tuple[pd.Series, pd.Series]:
    """parse_identifier_column cell by cell, for a column with a value that needs a look."""
    text = values.astype(str).str.strip(SPACES)
    suspicious = text.str.contains(_BAD_IDENTIFIER, regex=True).to_numpy(dtype=bool)
    too_long = (text.str.len() > max_length).to_numpy() if max_length else np.zeros(len(text), bool)
    empty = (text == "").to_numpy()
    reasons = np.full(len(text), "", dtype=object)
    reasons[too_long] = f"{label} {{waarde}} is langer dan {max_length} tekens"
    if suspicious.any():
        formula = text[suspicious].str.match(r"^[=+\-@]").to_numpy(dtype=bool)
        where = np.flatnonzero(suspicious)
        reasons[where] = f"{label} bevat onzichtbare tekens (tab of regeleinde)"
        reasons[where[formula]] = f"{label} {{waarde}} begint met een formuleteken (=, +, -, @)"
    quoted = text.str.contains('"', regex=False).to_numpy(dtype=bool) & (reasons == "")
    reasons[quoted] = (
        f'{label} {{waarde}} bevat een aanhalingsteken ("); dat hoort niet in de waarde. '
        "Controleer deze regel in de export"
    )
    reasons[empty] = f"{label} ontbreekt"
    ok = reasons == ""
    return text.where(ok, ""), pd.Series(reasons, index=values.index)


_MONTH_RE = re.compile(
    r"^(?:(?P<y1>\d{4})-?(?P<m1>\d{2})(?:-?\d{2})?|(?P<m2>\d{1,2})[-/](?P<y2>\d{4})"
    r"|(?:\d{1,2})[-/.](?P<m3>\d{1,2})[-/.](?P<y3>\d{4}))$"
)


def parse_month_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Verslagmaand as 'JJJJMM' from JJJJMM, JJJJ-MM, MM-JJJJ or a date. Value by value: it is
    called per distinct value (a few), where pandas' string methods cost more than the work."""
    result, reasons = [], []
    for value in texts_of(values):
        text = value.strip()
        found = _MONTH_RE.search(text)
        groups = found.groupdict() if found else dict.fromkeys(("y1", "y2", "y3", "m1", "m2", "m3"))
        year = _first_number(groups, ("y1", "y2", "y3"))
        month = _first_number(groups, ("m1", "m2", "m3"))
        if 1 <= month <= 12 and year >= MIN_YEAR:  # False for NaN
            result.append(f"{int(year):04d}{int(month):02d}")
            reasons.append("")
        else:
            result.append("")
            reasons.append("Verslagmaand {waarde} is geen maand (JJJJMM)" if text else "")
    return (
        pd.Series(result, index=values.index, dtype=object),
        pd.Series(reasons, index=values.index, dtype=object),
    )


def texts_of(values: pd.Series) -> list[str]:
    """The cells as text (`astype(str)`), without a pass when they are text already."""
    listed = values.tolist()
    if set(map(type, listed)) <= {str}:  # every cell exactly a str (one C loop, no generator)
        return listed
    return values.astype(str).tolist()


def days_to_text(days: int) -> str:
    """'01-03-2022' for a day number, '' for an open or missing date."""
    if days in (OPEN, GEEN):
        return ""
    date = EPOCH + np.timedelta64(int(days), "D")
    text = str(date)
    return f"{text[8:10]}-{text[5:7]}-{text[0:4]}"


def days_to_column(days: np.ndarray) -> pd.Series:
    """Day numbers as 'JJJJ-MM-DD' text, '' for open or missing, vectorised over distinct days."""
    codes, uniques = pd.factorize(np.asarray(days, dtype=np.int64), sort=False)
    uniques = np.asarray(uniques, dtype=np.int64)
    valid = (uniques != OPEN) & (uniques != GEEN)
    text = np.full(len(uniques), "", dtype=object)
    if valid.any():
        text[valid] = (EPOCH + uniques[valid].astype("timedelta64[D]")).astype(str)
    return pd.Series(text[codes] if len(codes) else np.array([], dtype=object), dtype=object)


def days_to_nl_text(days: np.ndarray) -> np.ndarray:
    """Day numbers as 'DD-MM-JJJJ' text, '' for open or missing, as numpy strings (the matching
    reasons concatenate them in C): formatted once per distinct day, by numpy string slices."""
    inverse, unique = pd.factorize(np.asarray(days, dtype=np.int64), sort=False)
    iso = np.asarray(days_to_column(unique).to_numpy(), dtype=StringDType())
    day, month, year = (np.strings.slice(iso, a, b) for a, b in ((8, 10), (5, 7), (0, 4)))
    nl = np.strings.add(np.strings.add(np.strings.add(day, "-"), np.strings.add(month, "-")), year)
    return np.where(iso == "", "", nl)[inverse]


def days_to_nl(days: np.ndarray) -> pd.Series:
    """Day numbers as 'DD-MM-JJJJ' text, '' for open or missing, as a column of Python text."""
    return pd.Series(days_to_nl_text(days).astype(object), dtype=object)
