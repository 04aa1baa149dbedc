"""Candidate pairs and their evidence.

Candidates are all (old, new) record pairs of one person (same BSN), same-key pairs included:
the same key is evidence, not proof. A key used for another person in the new export is a
conflict, reported and never paired. Every rule of `rules.RULES` is evaluated over all
candidates at once; a pair stays when no excluding rule holds and at least one decisive or
indicative rule does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

from srgdesk.core.codes import CodeTabel, Gecodeerd, ascii_cells, shared_codes
from srgdesk.core.matching.rules import RULES, Paren, Regel, Rol, Toleranties, evaluate
from srgdesk.core.matching.schema import KEY
from srgdesk.core.values import OPEN

if TYPE_CHECKING:
    from srgdesk.core.cleaning import Kolomkennis

# What cleaning learned of a column of one export (`Voorzieningen.bekend`), None: nothing.
Bekend = Callable[[str], "Kolomkennis | None"]


def onbekend(_naam: str) -> Kolomkennis | None:
    """Nothing known of any column: every column is coded from its texts."""
    return None


CONVERSION_MIN_COUNT = 10
CONVERSION_MIN_SHARE = 0.02


@dataclass
class Kandidaten:
    """Same-BSN pairs (o, n), which of them share the key, and the key conflicts."""

    paren: pd.DataFrame  # o, n, zelfde_sleutel
    conflicten: pd.DataFrame  # o, n: same key, another person
    sleutel_nieuw: np.ndarray  # bool per new record: its key is in the old export, same person
    # Integer codes shared by both exports per column (the key columns and bsn), factorised
    # once here and reused by the evidence: (codes of old records, codes of new records).
    codes: dict[str, tuple[np.ndarray, np.ndarray]]
    # Soort and omschrijving coded once, shared by code learning, evidence and reasons.
    soort: Gecodeerd
    omschrijving: Gecodeerd
    # The registratienummers of each side as `codes.ascii_cells` (None: not ASCII of one length).
    nummers: tuple[np.ndarray | None, np.ndarray | None] = (None, None)


@dataclass
class Bewijs:
    """The candidate pairs that survive, with each rule's verdict and the score."""

    o: np.ndarray
    n: np.ndarray
    bsn: np.ndarray  # integer person code, for grouping
    score: np.ndarray
    regels: dict[str, np.ndarray]  # rule name → bool per pair
    beslissend: np.ndarray  # bool: some decisive rule holds
    positie: np.ndarray  # position of each pair in the full candidate arrays (Paren)

    def __len__(self) -> int:
        return len(self.o)

    def take(self, index: np.ndarray) -> Bewijs:
        return Bewijs(
            self.o[index],
            self.n[index],
            self.bsn[index],
            self.score[index],
            {k: v[index] for k, v in self.regels.items()},
            self.beslissend[index],
            self.positie[index],
        )


def column_codes(
    left: pd.DataFrame,
    right: pd.DataFrame,
    column: str,
    cells: tuple[np.ndarray | None, np.ndarray | None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes for the values of `column`, shared by both frames (fast joins). `cells`:
    the column's `ascii_cells` per frame, when known."""
    return shared_codes(left[column].to_numpy(), right[column].to_numpy(), cells)


def equal_pairs(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with left[i] == right[j] (integer codes, as dense as factorising makes them),
    ordered by i, then j: the rows of an inner join. The right side is counted and ordered once
    per code, so each left row finds its partners by two array lookups, not a search."""
    shift = min(int(left.min(initial=0)), int(right.min(initial=0)))  # -1: a missing value
    left, right = left - shift, right - shift
    size = int(max(left.max(initial=-1), right.max(initial=-1))) + 1
    per_code = np.bincount(right, minlength=size)
    first = np.cumsum(per_code) - per_code
    order = stable_order(right)
    low, counts = first[left], per_code[left]
    i = np.repeat(np.arange(len(left)), counts)
    # Pair p of left row i is the partner at low[i] + (p - the first pair of row i).
    start = np.repeat(low - (np.cumsum(counts) - counts), counts)
    start += np.arange(len(i))
    return i, order[start]


def stable_order(values: np.ndarray) -> np.ndarray:
    """`np.argsort(values, kind="stable")` for non-negative integer codes: numpy radix-sorts
    16-bit keys, so codes below 2**32 are ordered by two such passes (low half, then high
    half: a stable sort by the whole code), ten times faster than a merge sort."""
    if len(values) == 0 or int(values.max()) >= 1 << 32:
        return np.argsort(values, kind="stable")
    if (values[1:] >= values[:-1]).all():  # in order already (codes numbered as they appear)
        return np.arange(len(values))
    if int(values.max()) < 1 << 16:
        return np.argsort(values.astype(np.uint16), kind="stable")
    low = np.argsort((values & 0xFFFF).astype(np.uint16), kind="stable")
    return low[np.argsort((values[low] >> 16).astype(np.uint16), kind="stable")]


def _one_code(codes: np.ndarray) -> bool:
    return len(codes) > 0 and int(codes.min()) == int(codes.max())


def known_cells(
    old: pd.DataFrame, new: pd.DataFrame, column: str, bekend: tuple[Bekend, Bekend]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The `ascii_cells` of `column` per frame: those cleaning made (`bekend`), else made here."""
    found = []
    for frame, known in zip((old, new), bekend, strict=True):
        kennis = known(column)
        cells = None if kennis is None else kennis.cellen
        found.append(ascii_cells(frame[column].to_numpy()) if cells is None else cells)
    return found[0], found[1]


def known_codes(
    old: pd.DataFrame, new: pd.DataFrame, column: str, bekend: tuple[Bekend, Bekend]
) -> Gecodeerd:
    """`Gecodeerd.van` of `column`, from the codes cleaning made (`bekend`) where it can."""
    coded = [
        (k.codes, k.namen)
        for k in (known(column) for known in bekend)
        if k is not None and k.codes is not None and k.namen is not None
    ]
    if len(coded) == 2:
        found = Gecodeerd.uit_codes(coded[0], coded[1])
        if found is not None:
            return found
    return Gecodeerd.van(old[column].to_numpy(), new[column].to_numpy())


def kandidaten(
    old: pd.DataFrame, new: pd.DataFrame, bekend: tuple[Bekend, Bekend] = (onbekend, onbekend)
) -> Kandidaten:
    """All same-BSN pairs, and the same-key pairs of different persons (conflicts). `bekend`:
    what cleaning learned of the columns of each export (`Voorzieningen.bekend`)."""
    # The numbers as character matrices, once: their codes and the number comparisons use them.
    nummers = known_cells(old, new, "registratienummer", bekend)
    codes = {
        name: column_codes(
            old,
            new,
            name,
            known_cells(old, new, name, bekend) if name in ("registratienummer", "bsn") else None,
        )
        for name in (*KEY, "bsn")
    }

    # A column with one code a side (one gemeente, one berichtgever) decides for all pairs.
    single = {k: _one_code(codes[k][0]) and _one_code(codes[k][1]) for k in KEY}

    def same_key(o: np.ndarray, n: np.ndarray) -> np.ndarray:
        equal = np.ones(len(o), dtype=bool)
        for k in KEY:
            left, right = codes[k]
            if single[k]:
                equal &= bool(left[0] == right[0])
            else:
                equal &= left[o] == right[n]
        return equal

    # Same key: same registratienummer (a join on it), then the same gemeente and berichtgever.
    o, n = equal_pairs(*codes["registratienummer"])
    keep = same_key(o, n)
    o, n = o[keep], n[keep]
    bsn_o, bsn_n = codes["bsn"]
    other_person = bsn_o[o] != bsn_n[n]
    conflicts = pd.DataFrame({"o": o[other_person], "n": n[other_person]})
    same_person = len(o) - int(other_person.sum())  # pairs of one key and one person
    o, n = equal_pairs(bsn_o, bsn_n)
    # No key shared by one person (a new package numbers anew): no pair has the same key.
    zelfde_sleutel = same_key(o, n) if same_person else np.zeros(len(o), dtype=bool)
    pairs = pd.DataFrame({"o": o, "n": n, "zelfde_sleutel": zelfde_sleutel})
    sleutel_nieuw = np.zeros(len(new), dtype=bool)
    sleutel_nieuw[n[zelfde_sleutel]] = True
    soort, omschrijving = (
        known_codes(old, new, name, bekend) for name in ("soort", "omschrijving")
    )
    return Kandidaten(pairs, conflicts, sleutel_nieuw, codes, soort, omschrijving, nummers)


def detect_conversion_dates(begin: np.ndarray) -> np.ndarray:
    """Dates shared by an unusually large share of new records: the day the new package took over."""
    if len(begin) == 0:
        return np.array([], dtype=np.int32)
    values, counts = day_counts(begin)
    large = counts >= max(CONVERSION_MIN_COUNT, CONVERSION_MIN_SHARE * len(begin))
    others = counts[~large]
    typical = max(1.0, float(np.median(others))) if len(others) else 1.0
    return values[large & (counts >= 10 * typical)]


def day_counts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(days, return_counts=True)`: day numbers lie close together (a few decades),
    so they are counted in one pass over their range instead of sorted."""
    low, high = int(days.min()), int(days.max())
    if high - low > 4 * len(days) + 65_536:  # far apart (a stray day number): sorted after all
        return np.unique(days, return_counts=True)
    per_day = np.bincount(days.astype(np.int64) - low, minlength=high - low + 1)
    present = np.flatnonzero(per_day)
    return (present + low).astype(days.dtype), per_day[present]


def open_end(frame: pd.DataFrame) -> np.ndarray:
    """Einddatum as int64 days, OPEN where it runs on. An einddatum before the begindatum is
    nonsense (a package writing 00000000 for 'open'): read as open, so the voorziening is
    looked for rather than silently taken as ended."""
    begin = frame["begindatum"].to_numpy().astype(np.int64)
    end = frame["einddatum"].to_numpy().astype(np.int64)
    return np.where(end < begin, np.int64(OPEN), end)


def text_codes(
    old: pd.DataFrame,
    new: pd.DataFrame,
    column: str,
    normalise=None,
    known: Gecodeerd | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Shared integer codes of a text column of both frames (after `normalise`, applied once
    per distinct value, in order of first appearance); -1 where the text is empty. Pairs
    compare integers, not strings. `known`: the column
    already coded."""
    if known is None:
        known = Gecodeerd.van(old[column].to_numpy(), new[column].to_numpy())
    codes, uniques = np.concatenate([known.oud, known.nieuw]), known.namen
    values = pd.Series(uniques, dtype=object)
    if normalise is not None and len(values):
        values = normalise(values)
        codes = pd.factorize(values.to_numpy(dtype=object), sort=False)[0][codes]
        values = pd.Series(pd.factorize(values.to_numpy(dtype=object), sort=False)[1])
    empty = np.flatnonzero(values.to_numpy(dtype=object) == "")
    if len(empty):  # each code looked up in a table of the codes (-1 for the empty text)
        table = np.arange(len(values), dtype=codes.dtype)
        table[empty] = -1
        codes = table[codes]
    return codes[: len(old)], codes[len(old) :]


def _plain_text(values: pd.Series) -> pd.Series:
    return values.str.lower().str.replace(r"[^a-z0-9]", "", regex=True)


NUMBER_DECORATION = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_/.: "
SEPARATORS = "-_/.: "
NUL = "\x00"  # fixed-width numpy strings drop trailing NULs: such numbers are compared as text
MIN_DERIVED_LENGTH = 3  # shorter stems ('1', '12') say nothing when found inside another
# An equal core is an exact match, not a find inside another number: short ones count too
# ('11' and 'N11' of one person), only as a tie-breaker (afgeleid_nummer is supporting).
MIN_CORE_LENGTH = 1
MAX_FIXED_WIDTH = 32  # longer numbers are compared as variable-width strings


@dataclass
class Nummervergelijking:
    """How the registratienummers of candidate pairs relate, per pair: the very same number;
    the same core (decoration and leading zeros gone, at least MIN_CORE_LENGTH long); the new
    number is the old one with a suffix after a separator ('123-01' from '123')."""

    zelfde: np.ndarray
    zelfde_kern: np.ndarray
    met_achtervoegsel: np.ndarray
    alleen_voorloopnullen: np.ndarray  # '1001' and '0001001': Excel most likely dropped zeros


def nummervergelijking(
    old: pd.DataFrame,
    new: pd.DataFrame,
    o: np.ndarray,
    n: np.ndarray,
    codes: tuple[np.ndarray, np.ndarray],
    cells: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
) -> Nummervergelijking:
    """Compare the numbers of the pairs (o[i], n[i]); `codes`: shared codes of the numbers;
    `cells`: their `codes.ascii_cells` per side, when known. Cores and stems are computed once
    per record and compared per pair, never factorised."""
    if cells[0] is not None and cells[1] is not None and cells[0].shape[1] and cells[1].shape[1]:
        return _nummervergelijking_bytes(cells[0], cells[1], o, n, codes)
    raw_o = old["registratienummer"].to_numpy()
    raw_n = new["registratienummer"].to_numpy()
    # Which decoration characters (and NULs) occur at all, one scan of each side.
    found_o, found_n = (
        present(raw_o, NUMBER_DECORATION + NUL),
        present(raw_n, NUMBER_DECORATION + NUL),
    )
    # Without a NUL anywhere the numbers are fixed-width numpy strings (fixed-width strings drop
    # trailing NULs): their string functions and comparisons are plain memory operations.
    fixed = NUL not in found_o + found_n
    text_o, text_n = _as_text(raw_o, fixed), _as_text(raw_n, fixed)
    position = np.full(len(text_n), -1, dtype=np.int64)
    for separator in (c for c in SEPARATORS if c in found_n):
        position = np.maximum(position, np.strings.rfind(text_n, separator))
    has_stem = position >= MIN_DERIVED_LENGTH
    suffix = np.zeros(len(o), dtype=bool)
    stemmed = np.flatnonzero(has_stem[n])
    if len(stemmed):
        stems = np.full(len(raw_n), "", dtype=object)
        stems[has_stem] = np.strings.slice(text_n[has_stem], 0, position[has_stem]).astype(object)
        suffix[stemmed] = stems[n[stemmed]] == raw_o[o[stemmed]]
    unpadded_o, unpadded_n = np.strings.lstrip(text_o, "0"), np.strings.lstrip(text_n, "0")
    core_o = number_core(text_o, found_o.replace(NUL, ""), unpadded_o)
    core_n = number_core(text_n, found_n.replace(NUL, ""), unpadded_n)
    long_enough = np.strings.str_len(core_o) >= MIN_CORE_LENGTH
    same_core = long_enough[o] & _equal_per_pair(core_o, core_n, o, n, fixed)
    same = codes[0][o] == codes[1][n]
    zeros_only = ~same & _equal_per_pair(unpadded_o, unpadded_n, o, n, fixed)
    return Nummervergelijking(same, same_core, suffix, zeros_only)


def _nummervergelijking_bytes(
    cells_o: np.ndarray,
    cells_n: np.ndarray,
    o: np.ndarray,
    n: np.ndarray,
    codes: tuple[np.ndarray, np.ndarray],
) -> Nummervergelijking:
    """`nummervergelijking` for numbers that are ASCII texts of one length a side (`cells`, no
    NUL): the same steps on fixed-width byte strings taken straight from the character matrix
    (a quarter of the memory of str), texts compared per pair as 64-bit words."""
    cells_o, cells_n = np.ascontiguousarray(cells_o), np.ascontiguousarray(cells_n)
    text_o, text_n = (c.view(f"S{c.shape[1]}").ravel() for c in (cells_o, cells_n))
    found_o, found_n = _present_cells(cells_o), _present_cells(cells_n)
    position = np.full(len(text_n), -1, dtype=np.int64)
    for separator in (c for c in SEPARATORS if c in found_n):
        position = np.maximum(position, np.strings.rfind(text_n, separator.encode("ascii")))
    has_stem = position >= MIN_DERIVED_LENGTH
    suffix = np.zeros(len(o), dtype=bool)
    stemmed = np.flatnonzero(has_stem[n])
    if len(stemmed):
        stems = np.strings.slice(text_n, 0, np.where(has_stem, position, 0))
        suffix[stemmed] = _equal_bytes(stems, text_o, n[stemmed], o[stemmed])
    unpadded_o, unpadded_n = np.strings.lstrip(text_o, b"0"), np.strings.lstrip(text_n, b"0")
    core_o = number_core(text_o, found_o, unpadded_o)
    core_n = number_core(text_n, found_n, unpadded_n)
    long_enough = np.strings.str_len(core_o) >= MIN_CORE_LENGTH
    same_core = long_enough[o] & _equal_bytes(core_o, core_n, o, n)
    same = codes[0][o] == codes[1][n]
    zeros_only = _equal_bytes(unpadded_o, unpadded_n, o, n, among=~same)
    return Nummervergelijking(same, same_core, suffix, zeros_only)


DIGIT_CODES = (ord("0"), ord("9"))


def _present_cells(cells: np.ndarray) -> str:
    """Those of NUMBER_DECORATION that occur in a character matrix (`codes.ascii_cells`): per
    position the range of its characters, from one contiguous copy a position: one character
    (a fixed 'VZ-') is that one, digits only are no decoration; only the other positions are
    counted."""
    seen = np.zeros(256, dtype=bool)
    for characters in np.ascontiguousarray(cells.T) if len(cells) else ():
        low, high = int(characters.min()), int(characters.max())
        if low == high:
            seen[low] = True
        elif not DIGIT_CODES[0] <= low <= high <= DIGIT_CODES[1]:
            seen |= np.bincount(characters, minlength=256) > 0
    return "".join(c for c in NUMBER_DECORATION if seen[ord(c)])


def _equal_bytes(
    left: np.ndarray,
    right: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    among: np.ndarray | None = None,
) -> np.ndarray:
    """left[i] == right[j] for fixed-width byte strings without NUL characters (False where
    `among`, when given, is False): texts of another length differ, so the lengths are compared
    first (small integers per pair); when few pairs are left, only those are widened to whole
    64-bit words (zero padded) and compared word by word."""
    lengths = [np.strings.str_len(side) for side in (left, right)]
    small = np.min_scalar_type(max(int(length.max(initial=0)) for length in lengths))
    length_left, length_right = (length.astype(small) for length in lengths)
    equal = length_left[i] == length_right[j]
    if among is not None:
        equal &= among
    width = -(-max(left.itemsize, right.itemsize, 1) // 8) * 8
    rows = np.flatnonzero(equal)
    if len(rows) <= len(i) // 2:  # few pairs left: their texts taken, then compared
        if len(rows):
            same = _words(left[i[rows]], width) == _words(right[j[rows]], width)
            equal[rows] = same.all(axis=0)
        return equal
    words_left, words_right = _words(left, width), _words(right, width)
    for word_left, word_right in zip(words_left, words_right, strict=True):
        equal &= word_left[i] == word_right[j]
    return equal


def _words(texts: np.ndarray, width: int) -> np.ndarray:
    """Fixed-width byte strings widened to `width` (a multiple of 8, zero padded) as 64-bit
    words: one row per word position, contiguous."""
    return texts.astype(f"S{width}").view(np.uint64).reshape(len(texts), -1).T.copy()


def _as_text(raw: np.ndarray, fixed: bool) -> np.ndarray:
    """Texts as numpy strings: fixed-width when `fixed` (no NUL in any) and none is longer than
    MAX_FIXED_WIDTH, else variable-width."""
    try:
        width = max(map(len, raw.tolist()), default=0) if fixed else MAX_FIXED_WIDTH + 1
    except TypeError:  # not all str: as variable-width strings, which convert them
        width = MAX_FIXED_WIDTH + 1
    if width <= MAX_FIXED_WIDTH:
        return raw.astype(f"U{max(width, 1)}")  # the width given: numpy need not measure
    return np.asarray(raw, dtype=StringDType())


def _equal_per_pair(
    text_o: np.ndarray, text_n: np.ndarray, o: np.ndarray, n: np.ndarray, fixed: bool
) -> np.ndarray:
    """text_o[o] == text_n[n] for numpy string arrays. With `fixed` (no NUL character in any
    text: fixed-width strings drop trailing ones) short texts are compared as fixed-width
    copies, so the per-pair takes and comparisons are plain memory operations."""
    if text_o.dtype.kind == "U" and text_n.dtype.kind == "U":  # fixed-width already
        # Texts of another length differ: only pairs of equal length compare their texts.
        equal = np.strings.str_len(text_o)[o] == np.strings.str_len(text_n)[n]
        same_length = np.flatnonzero(equal)
        equal[same_length] = text_o[o[same_length]] == text_n[n[same_length]]
        return equal
    width = max(
        int(np.strings.str_len(text_o).max(initial=1)),
        int(np.strings.str_len(text_n).max(initial=1)),
    )
    if not fixed or width > MAX_FIXED_WIDTH:
        return text_o[o] == text_n[n]
    return text_o.astype(f"U{width}")[o] == text_n.astype(f"U{width}")[n]


def present(values: np.ndarray, characters: str) -> str:
    """Those of `characters` that occur anywhere in the texts `values`: one fast scan of the
    joined text each, so a pass over the column per absent character is saved."""
    try:
        joined = "\n".join(values.tolist())
    except TypeError:  # not all str: as numpy strings
        joined = "\n".join(np.asarray(values, dtype=StringDType()).tolist())
    return "".join(c for c in characters if c in joined)


def number_core(numbers: np.ndarray, decoration: str, unpadded: np.ndarray) -> np.ndarray:
    """Registratienummer without letters and separators at either end and without leading
    zeros ('VZ-000123' → '123'), as a numpy string array (vectorised in C). `decoration`: the
    decoration characters present in `numbers` (absent ones strip nothing); `unpadded`: the
    numbers without leading zeros, the answer when no decoration is present."""
    if not decoration:
        return unpadded
    if numbers.dtype.kind == "S":  # fixed-width bytes (ASCII)
        return np.strings.lstrip(np.strings.strip(numbers, decoration.encode("ascii")), b"0")
    text = numbers if numbers.dtype.kind == "U" else np.asarray(numbers, dtype=StringDType())
    return np.strings.lstrip(np.strings.strip(text, decoration), "0")


def paren(
    old: pd.DataFrame,
    new: pd.DataFrame,
    o: np.ndarray,
    n: np.ndarray,
    zelfde_sleutel: np.ndarray,
    codes: CodeTabel,
    conversion_dates: np.ndarray,
    toleranties: Toleranties,
    kolomcodes: dict[str, tuple[np.ndarray, np.ndarray]],
    soort: Gecodeerd,
    omschrijving: Gecodeerd,
    nummers: tuple[np.ndarray | None, np.ndarray | None] = (None, None),
) -> Paren:
    """The attributes the rules look at, for the pairs (o[i], n[i]). `kolomcodes`, `soort`,
    `omschrijving`, `nummers`: columns already coded (`Kandidaten`); loonwaarde is coded here."""

    def col(frame: pd.DataFrame, name: str, index: np.ndarray) -> np.ndarray:
        return frame[name].to_numpy()[index]

    nb = col(new, "begindatum", n).astype(np.int64)

    (gemeente_o, gemeente_n) = kolomcodes["gemeentecode"]
    (bg_o, bg_n) = kolomcodes["berichtgevercode"]
    loonwaarde_o, loonwaarde_n = text_codes(old, new, "loonwaarde")
    text_o, text_n = text_codes(old, new, "omschrijving", _plain_text, known=omschrijving)
    soort_o, soort_n = soort.oud, soort.nieuw
    allowed = codes.compatibility(list(soort.namen))
    soort_past, zelfde_soort = soort_pairs(allowed, soort_o, soort_n, o, n)
    numbers = nummervergelijking(old, new, o, n, kolomcodes["registratienummer"], nummers)
    return Paren(
        begin_oud=col(old, "begindatum", o).astype(np.int64),
        einde_oud=open_end(old)[o],
        begin_nieuw=nb,
        einde_nieuw=open_end(new)[n],
        zelfde_nummer=numbers.zelfde,
        zelfde_kern=numbers.zelfde_kern,
        met_achtervoegsel=numbers.met_achtervoegsel,
        alleen_voorloopnullen=numbers.alleen_voorloopnullen,
        zelfde_sleutel=zelfde_sleutel,
        andere_codes=_differ(gemeente_o, gemeente_n, o, n) | _differ(bg_o, bg_n, o, n),
        soort_past=soort_past,
        zelfde_soort=zelfde_soort,
        op_conversiedatum=_on_days(nb, conversion_dates),
        loonwaarde_oud=loonwaarde_o[o],
        loonwaarde_nieuw=loonwaarde_n[n],
        omschrijving_oud=text_o[o],
        omschrijving_nieuw=text_n[n],
        toleranties=toleranties,
    )


def soort_pairs(
    allowed: np.ndarray, soort_o: np.ndarray, soort_n: np.ndarray, o: np.ndarray, n: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per pair: may the old soort become the new one (`allowed[soort_o[o], soort_n[n]]`), and
    is it the same soort? Both read from one code per pair (old soort, new soort), so the
    pairs are taken once."""
    if min(int(soort_o.min(initial=0)), int(soort_n.min(initial=0))) < 0:
        # a missing soort (-1): numpy's own indexing of the codes, as ever
        return allowed[soort_o[o], soort_n[n]], soort_o[o] == soort_n[n]
    soorten = soort_o[o] * len(allowed) + soort_n[n]
    return allowed.ravel()[soorten], np.eye(len(allowed), dtype=bool).ravel()[soorten]


def _differ(left: np.ndarray, right: np.ndarray, o: np.ndarray, n: np.ndarray) -> np.ndarray:
    """left[o] != right[n] per pair; one comparison for columns of one code a side (one
    gemeente, one berichtgever)."""
    if _one_code(left) and _one_code(right):
        return np.full(len(o), bool(left[0] != right[0]))
    return left[o] != right[n]


def _on_days(days: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """np.isin(days, wanted): a comparison per day for the few conversion dates."""
    if len(wanted) > 8:
        return np.isin(days, wanted)
    found = np.zeros(len(days), dtype=bool)
    for day in np.asarray(wanted).tolist():
        found |= days == day
    return found


def bewijs(
    old: pd.DataFrame,
    new: pd.DataFrame,
    kand: Kandidaten,
    codes: CodeTabel,
    conversion_dates: np.ndarray,
    toleranties: Toleranties,
    rules: tuple[Regel, ...] = RULES,
) -> tuple[Bewijs, Paren]:
    """Evaluate every rule over the candidates; keep the pairs with evidence and no exclusion.
    Returns the kept pairs and the attributes of all candidates (`Bewijs.positie` links them)."""
    o, n = kand.paren["o"].to_numpy(), kand.paren["n"].to_numpy()
    p = paren(
        old,
        new,
        o,
        n,
        kand.paren["zelfde_sleutel"].to_numpy(),
        codes,
        conversion_dates,
        toleranties,
        kand.codes,
        kand.soort,
        kand.omschrijving,
        kand.nummers,
    )
    verdicts = evaluate(p, rules)
    evidence = np.zeros(len(o), dtype=bool)
    excluded = np.zeros(len(o), dtype=bool)
    for rule in rules:
        if rule.rol == Rol.UITSLUITEND:
            excluded |= verdicts[rule.naam]
        elif rule.bewijs:
            evidence |= verdicts[rule.naam]
    keep = np.flatnonzero(evidence & ~excluded)
    # Score and decisiveness of the kept pairs only, from their verdicts.
    kept = {name: holds[keep] for name, holds in verdicts.items()}
    score = np.zeros(len(keep), dtype=np.int64)
    decisive = np.zeros(len(keep), dtype=bool)
    for rule in rules:
        if rule.rol == Rol.UITSLUITEND:
            continue
        np.add(score, rule.gewicht, out=score, where=kept[rule.naam])
        if rule.rol == Rol.BESLISSEND:
            decisive |= kept[rule.naam]
    bsn_o = kand.codes["bsn"][0]
    bsn_codes, _ = pd.factorize(bsn_o[o[keep]], sort=False)
    result = Bewijs(o[keep], n[keep], bsn_codes.astype(np.int64), score, kept, decisive, keep)
    return result, p
