"""CSV in the dialect Excel reads, built column by column and per distinct value.

Why not the csv module or `DataFrame.to_csv`: both format row by row and character by character
(0.4 s and 0.9 s for the 97k-row matches.csv). Here every column becomes its final cell texts in
one pass (escaped per distinct value, not per cell), columns with few distinct values are glued to
their neighbours and the separators into one text per distinct combination, and the rows are
assembled by a single `str.join` over interleaved column lists. The bytes are those of
`csv.writer(delimiter=…, lineterminator="\\r\\n")` (QUOTE_MINIMAL) over the neutralised cells,
with one exception kept from before: a one-column row with an empty cell is an empty line.
"""

from __future__ import annotations

import ctypes
import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import BinaryIO, TypeAlias

import numpy as np
import pandas as pd

from srgdesk.core.progress import Voortgang
from srgdesk.core.values import FORMULA_START

BOM = b"\xef\xbb\xbf"
LINE_END = "\r\n"
CHUNK_ROWS = 8_192  # rows at a time: memory stays flat; 8k (matches.csv: 1.6 MB) beat 4k and 16k
_SAMPLE = 512  # values looked at to guess whether a column has few distinct values
# What a writer takes: a frame, or column name → column (a list: texts that are final but for
# escaping), so a prepared chunk need not become a frame (a list → object column costs a copy).
# (SharedTexts, PiecedTexts and NumberColumns: columns prepared for the writer, see there.)
Column: TypeAlias = "pd.Series | list[str] | SharedTexts | PiecedTexts | NumberColumns"
Table: TypeAlias = pd.DataFrame | Mapping[str, Column] | Sequence[tuple[str, Column]]
_FEW = 32  # at most this many distinct values in the sample: code the column per value
_MANY = _FEW * 8  # coded pieces with more texts than this are not glued to their neighbours


def neutralise(value: str) -> str:
    """OWASP CSV-injection advice: a cell that starts like a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_START) else value


@dataclass(frozen=True)
class SharedTexts:
    """A text column as codes into its distinct texts (cell i is `texts[codes[i]]`), for a
    column whose texts are shared by many rows: each text is escaped once for the whole file,
    not once per row. Slice it per chunk; the slices share the escaped texts."""

    codes: np.ndarray
    texts: list[str]
    _unquoted: dict[tuple[str, bool, bool], tuple[np.ndarray, np.ndarray | None]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, rows: slice) -> SharedTexts:
        return SharedTexts(self.codes[rows], self.texts, self._unquoted)

    def unquoted(
        self, delimiter: str, as_bytes: bool, starts: bool = True
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """The texts as they stand in the file but for the quotes around them (object array;
        as_bytes: see _byte_chars), and which texts need those (None: none), computed once per
        delimiter: the writer puts the quotes beside the texts (see _escape). starts=False: the
        texts follow another piece of their cell (see PiecedTexts), so none is neutralised."""
        key = (delimiter, as_bytes, starts)
        if key not in self._unquoted:
            cells, quoted = _escape(self.texts, delimiter, as_bytes, starts)
            unquoted = np.empty(len(cells), dtype=object)
            unquoted[:] = cells
            self._unquoted[key] = (unquoted, quoted)
        return self._unquoted[key]

    def escaped(self, delimiter: str, as_bytes: bool) -> list[str]:
        """The texts as they stand in the file, quotes and all."""
        cells, quoted = self.unquoted(delimiter, as_bytes)
        if quoted is None:
            return cells.tolist()
        return [
            '"' + v + '"' if quote else v for v, quote in zip(cells.tolist(), quoted, strict=True)
        ]


def shared_texts(values: np.ndarray) -> SharedTexts | None:
    """`values` (an object column) coded by string object: rows that hold the same object hold
    the same text, and telling objects apart costs a pointer, not hashing the text. None when
    the objects are mostly distinct (nothing to gain). Cells are `str()` of the values."""
    if len(values) == 0:
        return None
    ids = object_ids(values)
    few = _codes_of_few(ids)
    codes, count = few if few is not None else _factorized(ids)
    if count * 2 > len(values):
        return None
    return SharedTexts(codes, _first_texts(values, codes, count))


@dataclass(frozen=True)
class PiecedTexts:
    """A text column whose cells are each made of pieces (cell i is the texts of the pieces at
    row i, one after the other), each piece coded as SharedTexts: for texts that share their
    parts more than their whole (the reasons of a match: one opening of a few, one tail of
    thousands), so each distinct part is escaped once, not each distinct text. A cell starts
    with its first piece; where that is empty the others must be too (else the cells are
    written whole, see whole)."""

    pieces: tuple[SharedTexts, ...]
    checked: bool = False  # starts_with_first holds (tested once for the whole column)

    def __len__(self) -> int:
        return len(self.pieces[0])

    def __getitem__(self, rows: slice) -> PiecedTexts:
        return PiecedTexts(tuple(piece[rows] for piece in self.pieces), self.checked)

    def whole(self) -> list[str]:
        """The cells as texts."""
        cells = [np.asarray(p.texts, dtype=object)[p.codes] for p in self.pieces]
        joined = cells[0]
        for more in cells[1:]:
            joined = joined + more
        return joined.tolist()

    def starts_with_first(self) -> bool:
        """Whether every cell whose first piece is empty is empty."""
        first = self.pieces[0]
        empty = [code for code, text in enumerate(first.texts) if not text]
        if not empty or len(self.pieces) == 1:
            return True
        rows = np.isin(first.codes, empty)
        return all(
            not any(piece.texts[code] for code in np.unique(piece.codes[rows]).tolist())
            for piece in self.pieces[1:]
        )


def _factorized(ids: np.ndarray) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(ids)
    return codes, len(uniques)


def _codes_of_few(ids: np.ndarray, most: int = 4) -> tuple[np.ndarray, int] | None:
    """Codes of `ids` when a sample shows at most `most` distinct ones and they are all there
    are (a cleaned code column: one or two objects): one comparison per id, no hashing of
    every row. None otherwise."""
    sampled = pd.unique(ids[:: max(1, len(ids) // _SAMPLE)])
    if len(sampled) > most:
        return None
    codes = np.full(len(ids), -1, dtype=np.intp)
    for code, value in enumerate(sampled.tolist()):
        codes[ids == value] = code
    if (codes < 0).any():
        return None
    return codes, len(sampled)


def object_ids(values: np.ndarray) -> np.ndarray:
    """id() of every object in an object array, read as the array's own object pointers (what
    id() is in CPython) in one copy instead of one id() call per cell (20 times faster)."""
    values = np.ascontiguousarray(values, dtype=object)
    if len(values) == 0:
        return np.empty(0, dtype=np.uintp)
    pointers = (ctypes.c_size_t * len(values)).from_address(values.ctypes.data)
    return np.ctypeslib.as_array(pointers).astype(np.uintp)  # a copy: `values` may go


def _first_texts(values: np.ndarray, codes: np.ndarray, count: int) -> list[str]:
    """str() of the first value of every code 0 … count - 1."""
    first = np.empty(count, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(values) - 1, -1, -1)
    return list(map(str, values[first].tolist()))  # str() of a str is the str itself


@dataclass(frozen=True)
class NumberColumns:
    """Integer columns that stand side by side in the file (the Excel line numbers of
    matches.csv), formatted together in one pass, with the separators between them. Each cell
    is `str()` of its number, neutralised when negative; zero_as_empty: 0 is an empty cell."""

    names: tuple[str, ...]
    numbers: np.ndarray  # (rows, len(names)) integers
    zero_as_empty: bool = False

    def __len__(self) -> int:
        return len(self.numbers)

    def texts(self, delimiter: str, before: str = "", after: str = "") -> list[str]:
        """Every row's cells joined by `delimiter`, between `before` and `after`."""
        numbers = self.numbers.astype(np.int64, copy=False).reshape(len(self), len(self.names))
        rows = len(numbers)
        if rows == 0:
            return []
        in_digits = _digit_texts(numbers, self.zero_as_empty, before, delimiter, after)
        if in_digits is not None:
            return in_digits
        # Per cell a format: '' (an empty zero), '%d', or "'%d" (a minus sign starts a formula);
        # per row the format of its cells together, one of 3 ** columns, and one % for all rows.
        kind = np.sign(numbers) % 3  # 0, 1 (positive), 2 (negative)
        if not self.zero_as_empty:
            kind[numbers == 0] = 1
        row_kind = kind @ (3 ** np.arange(len(self.names)))
        cell = ("", "%d", "'%d")
        before, delimiter, after = (t.replace("%", "%%") for t in (before, delimiter, after))
        formats = np.array(
            [
                before + delimiter.join(cell[k] for k in reversed(kinds)) + after + "\x00"
                for kinds in itertools.product(range(3), repeat=len(self.names))
            ],
            dtype=object,
        )
        shown = numbers[kind != 0].tolist()  # row by row, as the formats take them
        return ("".join(formats[row_kind].tolist()) % tuple(shown))[:-1].split("\x00")


def _digit_texts(
    numbers: np.ndarray, zero_as_empty: bool, before: str, delimiter: str, after: str
) -> list[str] | None:
    """NumberColumns.texts for numbers that are none negative, by their digits, three at a time
    from a table: every row laid out in one byte matrix (each column as wide as its widest
    number, NULs for the digits before a number's first, a \\x01 after the row), the NULs
    dropped and the rows split apart by C-level passes. None (format them one by one) for a
    negative number or a separator that is not ASCII or holds either marker."""
    separators = before + delimiter + after
    if not separators.isascii() or "\x00" in separators or "\x01" in separators:
        return None
    if numbers.size == 0 or numbers.min() < 0:
        return None
    rows = len(numbers)
    parts: list[np.ndarray] = []

    def text(value: str) -> None:
        if value:
            parts.append(
                np.broadcast_to(np.frombuffer(value.encode(), np.uint8), (rows, len(value)))
            )

    text(before)
    for position in range(numbers.shape[1]):
        if position:
            text(delimiter)
        column = np.ascontiguousarray(numbers[:, position])
        groups = (len(str(int(column.max()))) + 2) // 3
        for group in range(groups):
            own = column // 1000 ** (groups - 1 - group) % 1000
            if group:  # the rows whose digits before this group's are all zero: leading
                own += (column < 1000 ** (groups - group)) * 1000
            else:
                own += 1000
            table = _DIGITS if group < groups - 1 else _LAST_DIGITS[zero_as_empty]
            parts.append(np.take(table, own, axis=0))
    text(after + "\x01")
    laid_out = np.concatenate(parts, axis=1).ravel()
    kept = laid_out[laid_out != 0].tobytes().decode("ascii")
    return kept.split("\x01")[:-1]


def _digit_table(first: bytes) -> np.ndarray:
    """Three digits of 0 … 999 as bytes, rows 0 … 999; rows 1000 … 1999 the same for the
    first digits of a number (NULs for its leading zeros), `first` for 000."""
    padded = [f"{i:03d}".encode() for i in range(1000)]
    leading = [first, *(f"{i:3d}".replace(" ", "\x00").encode() for i in range(1, 1000))]
    return np.frombuffer(b"".join(padded + leading), np.uint8).reshape(2000, 3)


_DIGITS = _digit_table(b"\x00\x00\x00")
_LAST_DIGITS = {False: _digit_table(b"\x00\x000"), True: _DIGITS}  # by zero_as_empty


def write_csv_chunks(
    stream: BinaryIO,
    frame: Table,
    delimiter: str = ";",
    voortgang: Voortgang | None = None,
    prepare: Callable[[pd.DataFrame], Table] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> int:
    """UTF-8 with BOM, CRLF, quoted as the csv module does (QUOTE_MINIMAL), every cell that
    starts like a formula neutralised, each cell the `str()` of its value. Streamed `chunk_rows`
    rows at a time. `frame`: a frame or its columns (see Table), each made ready for writing
    once (see prepared) and sliced per chunk. `prepare` (then `frame` is a frame): turns each
    chunk of `frame` into the columns to write instead. Returns the number of data rows."""
    voortgang = voortgang or Voortgang()
    if prepare is not None:
        assert isinstance(frame, pd.DataFrame)
        header = _header(prepare(frame.iloc[:0]))
        total = len(frame)
        whole: list[tuple[str, Column]] = []
    else:
        whole = [(name, prepared(column)) for name, column in _columns(frame)]
        header = _header(whole)
        total = len(whole[0][1]) if whole else 0
    header = escape_texts(header, delimiter)
    stream.write(BOM + (delimiter.join(header) + LINE_END).encode("utf-8"))
    for start in range(0, total, chunk_rows):
        voortgang.report(start / total, f"CSV schrijven: regel {start} van {total}")
        rows = slice(start, start + chunk_rows)
        if prepare is not None:
            assert isinstance(frame, pd.DataFrame)
            chunk = prepare(frame.iloc[rows])
        else:
            chunk = [(name, _rows_of(column, rows)) for name, column in whole]
        stream.write(rows_bytes(chunk, delimiter))
    return total


def prepared(column: Column) -> Column:
    """A column made ready once for writing in chunks, so a chunk is a slice of it: text shared
    by few objects and small numbers and categories as SharedTexts (escaped once per file),
    other integers as NumberColumns, other text as an object array of str. (A column of many
    texts that are shared, as the reasons of a match, is best given as shared_texts.)"""
    if isinstance(column, PiecedTexts) and not column.checked:
        if column.starts_with_first():
            return PiecedTexts(column.pieces, checked=True)
        return np.asarray(column.whole(), dtype=object)  # the cells whole (see PiecedTexts)
    if not isinstance(column, pd.Series):
        return column
    if isinstance(column.dtype, pd.CategoricalDtype):
        texts = [str(c) for c in column.cat.categories] + ["nan"]  # code -1: missing
        codes = column.cat.codes.to_numpy().astype(np.intp)
        codes[codes < 0] = len(texts) - 1
        return SharedTexts(codes, texts)
    step = max(1, len(column) // _SAMPLE)
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and (
        dtype.kind == "i" or (dtype.kind == "u" and dtype.itemsize < 8)
    ):
        numbers = column.to_numpy()
        if len(pd.unique(numbers[::step])) <= _FEW:
            codes, uniques = pd.factorize(numbers)
            if len(uniques) <= _MANY:
                return SharedTexts(codes, [str(u) for u in uniques.tolist()])
        return NumberColumns((str(column.name),), numbers.reshape(-1, 1))
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        values = column.to_numpy()
        if len(pd.unique(object_ids(values[::step]))) <= _FEW:  # codes: few objects
            coded = shared_texts(values)
            if coded is not None:
                return coded
        if pd.api.types.infer_dtype(values, skipna=False) == "string":
            return values  # every cell a str already: the texts themselves
    return column


def _rows_of(column: Column | np.ndarray, rows: slice) -> Column:
    """Rows `rows` of a prepared column."""
    if isinstance(column, NumberColumns):
        return NumberColumns(column.names, column.numbers[rows], column.zero_as_empty)
    if isinstance(column, np.ndarray):
        return column[rows].tolist()
    if isinstance(column, pd.Series):
        return column.iloc[rows]
    return column[rows]


def escape_texts(values: list[str], delimiter: str) -> list[str]:
    """Cell texts as they stand in the file: neutralised, quotes doubled, quoted when needed."""
    cells, quoted = _escape(values, delimiter)
    if quoted is None:
        return cells
    if quoted.all():  # every cell (the reasons of a match): quoted by one join and one split
        joined = '"\x00"'.join(cells)
        if joined.count("\x00") == len(cells) - 1:
            return ('"' + joined + '"').split("\x00")
    return ['"' + v + '"' if quote else v for v, quote in zip(cells, quoted, strict=True)]


def _starts_formula(values: list[str], joined: str) -> bool:
    """Whether any of `values` (joined by NUL in `joined`) might start like a formula:
    substring searches over the column (a NUL inside a text may give a false yes: then every
    text is tested after all), or for long texts one C-level test per text."""
    if len(joined) < 16 * len(values):  # short texts: searches over the column are cheaper
        return values[0].startswith(FORMULA_START) or any(
            c in joined and "\x00" + c in joined for c in FORMULA_START
        )
    return any(map(str.startswith, values, repeat(FORMULA_START)))


def _escape(
    values: list[str], delimiter: str, as_bytes: bool = False, starts: bool = True
) -> tuple[list[str], np.ndarray | None]:
    """escape_texts without the quoting itself: the cells that need quotes are marked in the
    second value (None: no cell), so the caller can put the quotes into the separators instead
    of copying every cell. C-level passes decide which steps any cell needs at all; `values`
    itself comes back when none does. as_bytes: first _byte_chars (sharing its join).
    starts=False: texts that follow others in their cells, never neutralised."""
    joined = "\x00".join(values)
    if as_bytes and not joined.isascii():
        values = _byte_chars(values, as_bytes, joined)
        joined = "\x00".join(values)
    if starts and values and _starts_formula(values, joined):
        values = [neutralise(v) for v in values]
        joined = "\x00".join(values)
    if '"' in joined:
        values = [v.replace('"', '""') for v in values]
    specials = [c for c in (delimiter, '"', "\r", "\n") if c in joined]
    if not specials:
        return values, None
    needs: Iterable[bool]
    if len(specials) == 1:  # the common case (a ; in free text): one C-level test per cell
        needs = map(operator.contains, values, repeat(specials[0]))
    else:
        needs = (any(c in v for c in specials) for v in values)
    return values, np.fromiter(needs, dtype=bool, count=len(values))


@dataclass
class _Coded:
    """A column (or a run of columns and separators) as codes into its distinct texts."""

    codes: np.ndarray | None  # None: the same text in every row
    texts: list[str] | np.ndarray  # an object array: shared by the chunks (see SharedTexts)

    def then(self, other: _Coded) -> _Coded:
        """This piece followed by `other` in every row, as one piece."""
        if other.codes is None:
            return _Coded(self.codes, [t + other.texts[0] for t in self.texts])
        if self.codes is None:
            return _Coded(other.codes, [self.texts[0] + t for t in other.texts])
        width = len(other.texts)
        combined = self.codes.astype(np.intp) * width + other.codes
        if len(self.texts) * width <= _MANY:  # every pair a text: no hashing of the rows
            return _Coded(combined, [a + b for a in self.texts for b in other.texts])
        codes, uniques = pd.factorize(combined)
        texts = [self.texts[u // width] + other.texts[u % width] for u in uniques.tolist()]
        return _Coded(codes, texts)

    def cells(self, rows: int) -> list[str]:
        if self.codes is None:
            return list(self.texts) * rows
        return np.asarray(self.texts, dtype=object)[self.codes].tolist()


def rows_text(table: Table, delimiter: str) -> str:
    """The data rows of `table` as CSV text, each row ending in CRLF."""
    return _rows(table, delimiter, as_bytes=False)


def rows_bytes(table: Table, delimiter: str) -> bytes:
    """rows_text in UTF-8. Built as text of one character per byte (see _byte_chars), so the
    join copies one byte a character and the encode is a plain copy: one arrow in a reason
    would otherwise make the joined text two bytes a character and encoding it a slow pass."""
    return _rows(table, delimiter, as_bytes=True).encode("latin-1")


def _byte_chars(texts: list[str], as_bytes: bool, joined: str | None = None) -> list[str]:
    """as_bytes: every text as its UTF-8 bytes, one character each (latin-1 decodes any byte);
    ASCII texts stay as they are. The special characters of CSV are ASCII and no byte of a
    multi-byte UTF-8 character is, so escaping these texts escapes the texts themselves.
    The column is joined, converted and split again at C level (a NUL inside a text would
    split it: then one text at a time). `joined`: the texts joined by NUL, when at hand."""
    if not as_bytes:
        return texts
    joined = "\x00".join(texts) if joined is None else joined
    if joined.isascii():
        return texts
    converted = joined.encode("utf-8").decode("latin-1").split("\x00")
    if len(converted) != len(texts):  # a NUL inside a text
        return [text.encode("utf-8").decode("latin-1") for text in texts]
    return converted


def _rows(table: Table, delimiter: str, as_bytes: bool) -> str:
    columns = [column for _, column in _columns(table)]
    rows = len(columns[0]) if columns else 0
    if rows == 0:
        return ""
    sequence: list[_Coded | list[str]] = []
    for position, column in enumerate(columns):
        if isinstance(column, NumberColumns):  # the separators around it are in its texts
            final = position == len(columns) - 1
            before, after = (delimiter if position else ""), (LINE_END if final else "")
            sequence.append(column.texts(delimiter, before, after))
            continue
        if position:
            sequence.append(_Coded(None, [delimiter]))
        if isinstance(column, PiecedTexts):
            if column.checked or column.starts_with_first():
                sequence += _pieced(column, delimiter, as_bytes)
                continue
            column = column.whole()
        cells = _column(column, delimiter, as_bytes)
        if isinstance(cells, tuple):  # the quotes go beside the cells that need them
            quote = _Coded(cells[1].astype(np.intp), ["", '"'])
            sequence += [quote, cells[0], quote]
        else:
            sequence.append(cells)
    if not isinstance(columns[-1], NumberColumns):
        sequence.append(_Coded(None, [LINE_END]))
    pieces: list[_Coded | list[str]] = []
    for piece in sequence:  # glue coded pieces with few texts to their coded neighbours
        last = pieces[-1] if pieces else None
        if isinstance(piece, _Coded) and isinstance(last, _Coded) and _glues(last, piece):
            pieces[-1] = last.then(piece)
        else:
            pieces.append(piece)
    texts = [p.cells(rows) if isinstance(p, _Coded) else p for p in pieces]
    if len(texts) == 1:
        return "".join(texts[0])
    interleaved: list[str] = [""] * (rows * len(texts))
    for position, cells in enumerate(texts):
        interleaved[position :: len(texts)] = cells
    return "".join(interleaved)


def _pieced(column: PiecedTexts, delimiter: str, as_bytes: bool) -> list[_Coded | list[str]]:
    """The escaped pieces of a PiecedTexts column, between quotes in the rows where any piece
    needs them."""
    pieces: list[_Coded | list[str]] = []
    needs: np.ndarray | None = None
    for position, piece in enumerate(column.pieces):
        unquoted, quoted = piece.unquoted(delimiter, as_bytes, starts=position == 0)
        pieces.append(_Coded(piece.codes, unquoted))
        if quoted is not None:
            needs = quoted[piece.codes] if needs is None else needs | quoted[piece.codes]
    if needs is None:
        return pieces
    quote = _Coded(needs.astype(np.intp), ["", '"'])
    return [quote, *pieces, quote]


def _glues(first: _Coded, second: _Coded) -> bool:
    """Whether two neighbouring coded pieces are better written as one: not when one has many
    texts (gluing would then build a text per row instead of per value)."""
    return len(first.texts) <= _MANY and len(second.texts) <= _MANY


def _header(table: Table) -> list[str]:
    """The column names of `table`, in order (a NumberColumns gives each of its names)."""
    names: list[str] = []
    for name, column in _columns(table):
        names += list(column.names) if isinstance(column, NumberColumns) else [name]
    return names


def _columns(table: Table) -> list[tuple[str, Column]]:
    """(header, column) in order; by position, so two columns of one name both stay."""
    if isinstance(table, pd.DataFrame):
        return [(str(c), table.iloc[:, i]) for i, c in enumerate(table.columns)]
    if isinstance(table, Mapping):
        return [(str(name), column) for name, column in table.items()]
    return [(str(name), column) for name, column in table]


def _column(
    series: pd.Series | list[str] | SharedTexts, delimiter: str, as_bytes: bool = False
) -> _Coded | list[str] | tuple[list[str] | _Coded, np.ndarray]:
    """A column's escaped cell texts: coded per distinct value when it has few of them; with
    the mask of the cells that still need quotes when some do (see _escape). as_bytes: texts
    of one character per UTF-8 byte (see _byte_chars)."""
    if isinstance(series, SharedTexts):
        unquoted, needs_quotes = series.unquoted(delimiter, as_bytes)
        shared = _Coded(series.codes, unquoted)
        return shared if needs_quotes is None else (shared, needs_quotes[series.codes])
    if isinstance(series, list):  # finished texts
        cells, quoted = _escape(series, delimiter, as_bytes)
        return cells if quoted is None else (cells, quoted)
    if isinstance(series.dtype, pd.CategoricalDtype):
        texts = [str(c) for c in series.cat.categories] + ["nan"]  # code -1: missing
        texts = _byte_chars(texts, as_bytes)
        codes = series.cat.codes.to_numpy().astype(np.intp)
        codes[codes < 0] = len(texts) - 1
        return _Coded(codes, escape_texts(texts, delimiter))
    if series.dtype == object:
        coded = _coded_by_object(series.to_numpy(), delimiter, as_bytes)
        if coded is not None:
            return coded
    numbers = isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu"  # not Int64: NA
    values = series.to_numpy() if numbers else series.astype(str).to_numpy()
    step = max(1, len(values) // _SAMPLE)
    if len(pd.unique(values[::step])) <= _FEW and (numbers or not _has_nul(values.tolist())):
        codes, uniques = pd.factorize(values)
        if len(uniques) <= _MANY:
            texts = _byte_chars([str(u) for u in uniques.tolist()], as_bytes)
            return _Coded(codes, escape_texts(texts, delimiter))
    cells = number_texts(values) if numbers else values.tolist()
    cells, quoted = _escape(cells, delimiter, as_bytes and not numbers)
    return cells if quoted is None else (cells, quoted)


def _coded_by_object(values: np.ndarray, delimiter: str, as_bytes: bool) -> _Coded | None:
    """An object column whose cells share few objects (cleaned codes: one object per distinct
    value), coded by object (see shared_texts); None when a sample shows many objects."""
    ids = object_ids(values)
    if len(pd.unique(ids[:: max(1, len(ids) // _SAMPLE)])) > _FEW:
        return None
    codes, uniques = pd.factorize(ids)
    if len(uniques) > _MANY:
        return None
    texts = _byte_chars(_first_texts(values, codes, len(uniques)), as_bytes)
    return _Coded(codes, escape_texts(texts, delimiter))


def _has_nul(values: list[str]) -> bool:
    """pandas hashes text as a C string: 'a' and 'a\\x00b' would be one value to factorize.
    (One join and one C-level search: four times faster than a test per value.)"""
    return "\x00" in "".join(values)


def number_texts(numbers: np.ndarray) -> list[str]:
    """str() of every integer, in one C-level formatting pass (twice as fast as astype(str))."""
    if len(numbers) == 0:
        return []
    return ("%d\x00" * len(numbers) % tuple(numbers.tolist()))[:-1].split("\x00")
