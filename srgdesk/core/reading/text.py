"""CSV/TXT exports: decode, find the separator, parse; a stray quote never swallows rows.

Regular files go through pandas' C parser, which parses the bytes (UTF-8 or Windows-1252): the
encoding is chosen, the lines counted and white space at cell edges looked for on the bytes, and
only the start of the text is decoded, to find the separator (the whole text only for UTF-16, a
Windows-1252 file with undefined bytes, or the careful reader).

When a file is ragged, or quote-aware parsing yields fewer records than the file has lines, the
csv module reads it line by line, tracking which lines each record spans: a record that
swallowed whole lines because of an unbalanced quote is undone — its first line is read as
literal text and reported, the following lines are parsed again on their own. So every line of
data comes back as a row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from srgdesk.core.errors import InvoerFout
from srgdesk.core.progress import Voortgang
from srgdesk.core.reading.limits import Limieten, te_veel_regels
from srgdesk.core.reading.table import Blad, Leesprobleem, Lezer, RawTable, build_table

DELIMITERS = ";,\t|"
_SNIFF_CHARS = 1 << 20  # the separator is decided on the first lines, never on the whole text
_HEAD_CHARS = 1 << 16  # the start of the text, on which the number of columns is estimated
_SNIFF_LINES = 40  # the separator is decided on the first lines that are not blank
_CHECK_EVERY = 1 << 14  # rows between two cancel checks in the line-by-line reader

QUOTE_REDEN = (
    'bevat een aanhalingsteken (") dat niet wordt afgesloten. Daardoor leken de regels erna '
    "één waarde. De regel is letterlijk gelezen (aanhalingstekens als gewone tekens) en alle "
    "regels erna apart. Controleer de waarden van deze regel in de export."
)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode by a fixed cascade: UTF-8 with BOM, strict UTF-8, then Windows-1252.

    Statistical detectors misread short Dutch cp1252 files, so we do not guess.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 met BOM"
        except UnicodeDecodeError:
            pass  # a BOM followed by cp1252 bytes: mixed file, fall through
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; they become '?' rather than an error.
    return data.decode("cp1252", errors="replace").replace("\ufffd", "?"), "Windows-1252"


def sniff_delimiter(text: str) -> str | None:
    """The separator of the first lines, or None for a one-column file."""
    lines = [line for line in _first_lines(text, _SNIFF_LINES) if line.strip()]
    if not lines:
        return None
    sample = "\n".join(lines[:20])
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = None
    if found is not None and found in DELIMITERS and lines[0].count(found) > 0:
        return found
    # Sniffer gives up on ragged files: take the separator that is most common in the header line.
    counts = {d: lines[0].count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else None


def _first_lines(text: str, count: int, head_chars: int = _HEAD_CHARS) -> list[str]:
    """text[:_SNIFF_CHARS].splitlines()[:count], without splitting a whole megabyte: a short
    start that holds more than `count` lines holds the first `count` lines whole."""
    head = text[: min(head_chars, _SNIFF_CHARS)].splitlines()
    if len(head) > count:
        return head[:count]
    return text[:_SNIFF_CHARS].splitlines()[:count]


def strip_cell(cell: str) -> str:
    """Surrounding white space off, except a leading tab or CR after any spaces: that is how a
    formula is smuggled past a spreadsheet ('\t=HYPERLINK(…)'), so cleaning must see it and
    reject the value instead of passing it on stripped (issue 7)."""
    stripped = cell.strip()
    if stripped is cell or cell[0] not in " \t\r" or not stripped:  # the common cases, fast
        return stripped
    unspaced = cell.lstrip(" ")
    return unspaced.rstrip() if unspaced[0] in "\t\r" else stripped


# On cells joined with (and framed by) NUL: white space after a separator (run on the reversed
# text too, for white space before one); a tab or CR behind leading spaces.
_LEADING_SPACE = re.compile(r"\x00\s")
SMUGGLED = re.compile(r"\x00 *[\t\r]")


def edge_space(joined: str) -> bool:
    """Would str.strip change any of the NUL-joined cells? Two regex passes, each with a literal
    first character (fast), instead of a Python test per cell."""
    return bool(_LEADING_SPACE.search(joined) or _LEADING_SPACE.search(joined[::-1]))


def count_lines(text: str) -> int:
    """Physical lines, as an editor counts them (CRLF, LF and a lone CR each end one).
    `Bytes.lines` gives the same count on the bytes, several times faster."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (0 if text[-1:] in ("\n", "\r") else 1)


_CHUNK = 1 << 23  # bytes per numpy pass: temporary arrays stay small at any file size
_STEP = 1 << 18  # bytes per step of a scan whose masks should stay in the processor's cache
# UTF-8 starts of white space beyond ASCII: \x85 and \xa0 (C2 ..), \u1680 (E1 9A ..), \u2000-
# \u200a, \u2028, \u2029, \u202f (E2 80 ..), \u205f (E2 81 ..), \u3000 (E3 80 ..).
_WIDE_SPACE_UTF8 = [a * 256 + b for a, b in ((0xC2, 0x85), (0xC2, 0xA0), (0xE1, 0x9A),
                                             (0xE2, 0x80), (0xE2, 0x81), (0xE3, 0x80))]  # fmt: skip
# Bytes Windows-1252 leaves undefined: decode_text makes them '?', Python's codec would fail.
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# ASCII white space that str.strip removes and that does not end a line (tab first).
_ASCII_SPACE_BYTES = (9, 11, 12, 28, 29, 30, 31, 32)


@dataclass(frozen=True)
class Scan:
    """What one pass over a file's bytes learns, in cache-sized numpy steps (no mask of the whole
    file): its line ends (count_lines needs nothing else; the LF count alone bounds the rows),
    and which bytes stand right beside a space (no_edge_space needs nothing else for spaces)."""

    lf: int
    cr: int
    crlf: int
    near_space: np.ndarray  # bool per byte value: it stands right before or after some space


def scan_bytes(data: bytes) -> Scan:
    codes = np.frombuffer(data, dtype=np.uint8)
    has_cr, has_space = b"\r" in data, b" " in data
    size = min(len(codes), _STEP + 1)
    is_lf, is_cr, both, is_space = (np.empty(size, dtype=bool) for _ in range(4))
    near_space = np.zeros(256, dtype=bool)
    lf = cr = crlf = 0
    for i in range(0, len(codes), _STEP):
        window = codes[i : i + _STEP + 1]  # one byte more: a CR LF across two steps
        n, m = len(window), min(_STEP, len(window))
        np.equal(window, 10, out=is_lf[:n])
        lf += int(np.count_nonzero(is_lf[:m]))
        if has_cr:
            np.equal(window, 13, out=is_cr[:n])
            cr += int(np.count_nonzero(is_cr[:m]))
            np.logical_and(is_cr[: n - 1], is_lf[1:n], out=both[: n - 1])
            crlf += int(np.count_nonzero(both[: n - 1]))
        if has_space:
            found = np.flatnonzero(np.equal(window[:m], 32, out=is_space[:m])) + i
            near_space[codes[found[found > 0] - 1]] = True
            near_space[codes[found[found + 1 < len(codes)] + 1]] = True
    return Scan(lf, cr, crlf, near_space)


def line_breaks(data: bytes) -> tuple[int, int, int]:
    """How many LF, CR and CR LF the bytes hold."""
    scan = scan_bytes(data)
    return scan.lf, scan.cr, scan.crlf


def byte_encoding(data: bytes) -> tuple[str, bool] | None:
    """What decode_text would name the encoding, and whether the text is ASCII, without decoding
    the whole file where that can be helped: ASCII is one numpy pass, Windows-1252 needs no
    decoding at all, and only UTF-8 beyond ASCII is decoded (to learn that it is valid; the
    text is not kept). None for a UTF-16 BOM: decode_text decides."""
    if data.startswith(_UTF16_BOMS):
        return None
    start = 3 if data.startswith(_UTF8_BOM) else 0
    name = "UTF-8 met BOM" if start else "UTF-8"
    if len(data) == start or int(np.frombuffer(data, dtype=np.uint8, offset=start).max()) < 0x80:
        return name, True
    try:
        codecs.utf_8_decode(memoryview(data)[start:], "strict", True)
    except UnicodeDecodeError:
        return "Windows-1252", False  # after a BOM too: decode_text decodes the BOM's bytes
    return name, False


@dataclass(frozen=True)
class Bytes:
    """The bytes behind a decoded text in which each ASCII character is the same one byte
    (UTF-8 after its BOM, Windows-1252): pandas parses them without the text, and numpy checks
    them in a few passes (line count, white space at cell edges) instead of per cell."""

    data: bytes
    start: int  # 3 after a UTF-8 BOM, else 0
    encoding: str  # as decode_text names it
    codes: np.ndarray  # the bytes from `start`, as uint8 (a view, no copy)
    ascii: bool = False  # the text is known to be ASCII only
    scan: Scan | None = None  # scan_bytes(data), when already made

    @classmethod
    def of(
        cls,
        data: bytes,
        encoding: str,
        ascii: bool = False,
        scan: Scan | None = None,
    ) -> Bytes | None:
        if encoding not in ("UTF-8", "UTF-8 met BOM", "Windows-1252"):
            return None  # UTF-16: two bytes a character
        start = 3 if encoding == "UTF-8 met BOM" else 0
        codes = np.frombuffer(data, dtype=np.uint8, offset=start)
        return cls(data, start, encoding, codes, ascii, scan)

    @classmethod
    def read(cls, data: bytes, scan: Scan | None = None) -> Bytes | None:
        """The bytes with the encoding decode_text would choose; None for UTF-16."""
        found = byte_encoding(data)
        if found is None:
            return None
        return cls.of(data, *found, scan)

    def head(self, chars: int) -> str:
        """decode_text(data)[0][:chars], decoding only the start of the bytes."""
        if self.encoding == "Windows-1252":
            return self.data[:chars].decode("cp1252", errors="replace").replace("\ufffd", "?")
        window = memoryview(self.data)[self.start : self.start + 4 * chars]
        return codecs.utf_8_decode(window, "strict", False)[0][:chars]  # a cut character waits

    def lines(self) -> int:
        """count_lines of the text, counted on the bytes (a BOM holds no line break)."""
        scan = self.scan if self.scan is not None else scan_bytes(self.data)
        ends_with_break = len(self.codes) and self.codes[-1] in (10, 13)
        return scan.lf + scan.cr - scan.crlf + (0 if ends_with_break else 1)

    @cached_property
    def _undefined(self) -> bool:
        """Does the Windows-1252 file hold a byte the codec leaves undefined?"""
        return self.encoding == "Windows-1252" and any(b in self.data for b in _CP1252_UNDEFINED)

    def source(self) -> tuple[io.BytesIO, str] | None:
        """A stream for pandas and the codec it must use: the same text as decode_text gave."""
        if self._undefined:
            return None  # decode_text turned those into '?': parse that text instead
        stream = io.BytesIO(self.data)
        stream.seek(self.start)
        return stream, "cp1252" if self.encoding == "Windows-1252" else "utf-8"

    def _wide_space(self) -> bool:
        """Might the text hold white space beyond ASCII? (May say yes for a character that is no
        space, such as a typographic quote: then each column is looked at.)"""
        if self.ascii:
            return False
        if not self.encoding.startswith("UTF-8"):
            return b"\xa0" in self.data  # Windows-1252: only the no-break space
        for i in range(0, max(len(self.codes) - 1, 0), _CHUNK):
            high = np.flatnonzero(self.codes[i : i + _CHUNK] >= 0xC2) + i
            high = high[high + 1 < len(self.codes)]
            pairs = self.codes[high].astype(np.int64) * 256 + self.codes[high + 1]
            if np.isin(pairs, _WIDE_SPACE_UTF8).any():
                return True
        return False

    def no_edge_space(self, delimiter: str) -> bool:
        """True when no cell parsed from these bytes can start or end with white space, so
        nothing needs stripping: no white-space byte next to a separator, quote, line break or
        the file's ends. False means "check each column" (also for white space beyond ASCII
        anywhere, rare in an export).

        Each white-space byte the file holds (a memchr tells) is looked for in cache-sized
        steps, and only its neighbours are looked at."""
        if self._wide_space():
            return False
        codes = self.codes
        if not len(codes):
            return True
        edge = np.zeros(256, dtype=bool)
        edge[[ord(delimiter), ord('"'), 10, 13]] = True
        quote = np.zeros(256, dtype=bool)
        quote[ord('"')] = True
        for byte in _ASCII_SPACE_BYTES:
            if bytes([byte]) not in self.data:
                continue
            if byte == 9 and delimiter == "\t":  # a quoted tab at a cell's edge is content
                if b'"' in self.data and _touches(codes, byte, quote):
                    return False
                continue
            if codes[0] == byte or codes[-1] == byte:
                return False
            if byte == 32 and self.scan is not None:  # the scan saw every space's neighbours
                if self.scan.near_space[edge].any():  # (a BOM's last byte is never an edge)
                    return False
            elif _touches(codes, byte, edge):
                return False
        return True


def _touches(codes: np.ndarray, byte: int, neighbours: np.ndarray) -> bool:
    """Is some `byte` in `codes` right after or right before a byte marked in `neighbours`?"""
    mask = np.empty(min(len(codes), _STEP), dtype=bool)
    for i in range(0, len(codes), _STEP):
        step = codes[i : i + _STEP]
        found = np.flatnonzero(np.equal(step, byte, out=mask[: len(step)])) + i
        if not len(found):
            continue
        before = codes[found[found > 0] - 1]
        after = codes[found[found + 1 < len(codes)] + 1]
        if neighbours[before].any() or neighbours[after].any():
            return True
    return False


def read_text(path: Path, data: bytes, limieten: Limieten, voortgang: Voortgang) -> RawTable:
    if b"\x00" in data[:4096] and not data.startswith(_UTF16_BOMS):
        raise InvoerFout(
            f"{path.name} is geen tekstbestand en geen Excel-werkmap die srgdesk kent. "
            "Sla de export op als CSV of als Excel-werkmap (.xlsx) en probeer het opnieuw."
        )
    # A quoted value may span lines, so lines may outnumber rows; not by this much.
    scan = scan_bytes(data)
    if scan.lf > 2 * limieten.max_regels_totaal:
        raise te_veel_regels(path.name, limieten)
    bron = Bytes.read(data, scan)
    if bron is not None and bron.source() is not None:
        # pandas parses the bytes: only the start of the text is needed, to sniff and to
        # estimate the number of columns (sniff_delimiter may look up to a megabyte ahead).
        encoding = bron.encoding
        text = bron.head(_HEAD_CHARS)
        if len(text) == _HEAD_CHARS and len(text.splitlines()) <= _SNIFF_LINES:
            text = bron.head(_SNIFF_CHARS)
    else:
        text, encoding = decode_text(data)
    voortgang.check()
    delimiter = sniff_delimiter(text)
    lines = bron.lines() if bron is not None else count_lines(text)
    if lines > 2 * limieten.max_regels_totaal:  # lone CRs, or UTF-16
        raise te_veel_regels(path.name, limieten)
    grid = (
        _parse_regular(text, delimiter, limieten, bron=bron, lines=lines)
        if lines <= limieten.max_regels_totaal
        else None
    )
    voortgang.check()
    problemen: list[Leesprobleem] = []
    lezer = Lezer.CSV_SNEL
    if grid is None or len(grid) < lines:
        # Ragged, or fewer records than lines: a quoted line break, or a stray quote.
        text, _ = decode_text(data)
        rows, problemen = _read_careful(path, text, delimiter, limieten, voortgang)
        grid = _grid(rows)
        lezer = Lezer.CSV_ZORGVULDIG
    table = build_table(path, Blad(None, grid), kind="csv", lezer=lezer, limieten=limieten)
    table.encoding = encoding
    table.scheidingsteken = delimiter
    if problemen:  # only rows that are data (not the header or a title line) are reported
        kept = set(table.regels)
        table.leesproblemen = [p for p in problemen if p.regel in kept]
    return table


def _parse_regular(
    text: str,
    delimiter: str | None,
    limieten: Limieten,
    *,
    bron: Bytes | None = None,
    lines: int | None = None,
) -> pd.DataFrame | None:
    """The cells of a regular delimited file via pandas' C parser (several times faster than the
    csv module), stripped as strip_cell does. None when the file is not plainly regular (more
    fields further down, a quote left open at the end): then the csv module reads it.

    With `bron` (the file's Bytes) pandas parses the bytes and `text` may be just the first
    _HEAD_CHARS characters; a few numpy passes over the bytes then show whether any cell needs
    stripping."""
    if delimiter is None:
        return None
    source = bron.source() if bron is not None else None
    head = text[:_HEAD_CHARS].splitlines()[: limieten.kopruimte + 200]
    width = max((line.count(delimiter) + 1 for line in head), default=1)
    try:
        with warnings.catch_warnings():
            # pandas warns, then silently drops fields, when a row is longer than `names`
            warnings.simplefilter("error", pd.errors.ParserWarning)
            grid = _read_csv(
                source[0] if source else io.StringIO(text),
                sep=delimiter,
                header=None,
                names=range(width),
                dtype=object,
                encoding=source[1] if source else "utf-8",
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                engine="c",
                quotechar='"',
                doublequote=True,
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError, csv.Error, UnicodeError):
        return None
    if lines is None:
        lines = count_lines(text)
    # One record per line: no cell holds a line break, so white space at a cell's edge touches a
    # separator, quote or line end in the bytes.
    if bron is not None and len(grid) == lines and bron.no_edge_space(delimiter):
        return grid
    for column in grid.columns:
        values = grid[column].tolist()
        if edge_space("\x00" + "\x00".join(values) + "\x00"):  # what str.strip() would remove
            grid[column] = list(map(strip_cell, values))
    return grid


def _read_csv(source: io.IOBase, **options) -> pd.DataFrame:
    """pd.read_csv(source, **options), but the frame keeps one block per column: read_csv would
    stack the columns into one array (a copy of every cell reference, 5 ms for 95k rows), which
    build_table and cleaning, reading column by column, never need. Through the reader's own
    engine, as TextFileReader.read does it; read_csv itself where that engine is missing."""
    with pd.read_csv(source, iterator=True, **options) as reader:
        engine = getattr(reader, "_engine", None)
        if engine is None or not hasattr(engine, "read"):
            return reader.read()
        index, columns, arrays = engine.read()
    frame = pd.DataFrame(arrays, columns=columns, copy=False)
    return frame if index is None else frame.set_axis(index, axis=0)


def _grid(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of text cells (ragged or not) as one rectangular frame, '' where a row is short."""
    return pd.DataFrame(rows, dtype=object).fillna("") if rows else pd.DataFrame(dtype=object)


def _physical_lines(text: str) -> list[str]:
    """The lines with their line ends, split as count_lines counts them."""
    return text.splitlines(keepends=True) if "\r" in text else _lf_lines(text)


def _lf_lines(text: str) -> list[str]:
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out


def _usual_width(lines: list[str], delimiter: str) -> int:
    """The literal field count most lines have (quotes ignored): what a whole row looks like."""
    counts = Counter(line.count(delimiter) + 1 for line in lines[:2000] if line.strip())
    return counts.most_common(1)[0][0] if counts else 1


def _read_careful(
    path: Path,
    text: str,
    delimiter: str | None,
    limieten: Limieten,
    voortgang: Voortgang,
) -> tuple[list[list[str]], list[Leesprobleem]]:
    """Records via the csv module; a record that swallowed whole lines is split back into them.

    A record spanning several lines is a real quoted line break when its field count is the
    usual one and its lines, taken literally, are not each a whole row. Otherwise the quote on
    its first line is unbalanced: that line is taken literally, and reading resumes after it.
    """
    lines = _physical_lines(text)
    sep = delimiter or "\x1f"
    usual = _usual_width(lines, sep)
    if csv.field_size_limit() < len(text):  # one huge cell is a row problem, not a refusal
        csv.field_size_limit(len(text) + 1)
    # strip_cell keeps a leading tab or CR; only files that contain one need it per cell.
    strip = strip_cell if ("\t" in text or "\r" in text) else str.strip
    rows: list[list[str]] = []
    problemen: list[Leesprobleem] = []
    start = 0
    while start < len(lines):
        reader = csv.reader(_from(lines, start), delimiter=sep, quotechar='"', strict=False)
        begin = start
        resume = len(lines)
        try:
            for record in reader:
                end = start + reader.line_num
                if _swallowed(record, lines[begin:end], sep, usual):
                    rows.append([strip(cell) for cell in lines[begin].rstrip("\r\n").split(sep)])
                    problemen.append(Leesprobleem(len(rows), QUOTE_REDEN))
                    resume = begin + 1
                    break
                rows.append([strip(cell) for cell in record])
                begin = end
                if len(rows) % _CHECK_EVERY == 0:
                    voortgang.check()
                if len(rows) > limieten.max_regels_totaal:  # stop before memory runs out
                    raise te_veel_regels(path.name, limieten)
        except csv.Error as exc:  # e.g. a NUL byte deep inside the file
            raise InvoerFout(
                f"{path.name} kan niet als tekstbestand worden gelezen ({exc}). "
                "Sla de export opnieuw op als CSV."
            ) from exc
        start = resume
    return rows, problemen


def _from(lines: list[str], start: int) -> Iterator[str]:
    return (lines[i] for i in range(start, len(lines)))


def _swallowed(record: list[str], span: list[str], sep: str, usual: int) -> bool:
    """Did an unbalanced quote join these lines (or, on one line, the fields up to the end)?"""
    if len(span) == 1:  # a quote left open on the last line swallows its own separators
        return len(record) < usual and span[0].count(sep) + 1 == usual and '"' in span[0]
    if len(record) != usual:
        return True
    return all(line.count(sep) + 1 == usual for line in span)
