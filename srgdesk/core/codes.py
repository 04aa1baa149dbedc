"""The soort-voorziening relation between two packages: learned from unambiguous pairs, then confirmed.

Packages code soorten differently ('03' Jobcoaching in one, 'JC' in the other), and a new package
may split one old code into two new ones or merge two old codes into one. So the code table is a
relation: a set of (old code, new code) pairs, each with its support (how many unambiguous pairs
of records show it). We learn it from pairs that are unambiguous on other grounds: the same BSN
with one equal begindatum, or a person with exactly one running voorziening on each side. The
latter also works when the new package reset every begindatum, and counts an old record as
running when its einddatum is open, in the future, or nonsense (before its begindatum).

`codetabel.csv` holds one row per pair (columns in `CODETABEL_COLUMNS`); `--codes` reads it
back, several rows per old code meaning a split.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from srgdesk.core.errors import InvoerFout
from srgdesk.core.reading import decode_text, sniff_delimiter
from srgdesk.core.values import OPEN, _factorize_by_identity

BRON_GELIJK = "gelijk"
BRON_GELEERD = "geleerd"
BRON_GEBRUIKER = "gebruiker"

# A second new code for one old code (a split) needs this much support, absolute and relative
# to the best one; below it a vote is more likely noise than a split.
SPLIT_MIN_STEUN = 3
SPLIT_MIN_SHARE = 0.2

CODETABEL_COLUMNS = ["oud", "nieuw", "steun", "omschrijving_oud", "omschrijving_nieuw", "bron"]

CodeKeuzes = Mapping[str, "str | Iterable[str]"]


@dataclass(frozen=True)
class CodeKoppeling:
    """Old soort code → new soort code, with how many unambiguous pairs support it."""

    oud: str
    nieuw: str
    steun: int
    omschrijving_oud: str = ""
    omschrijving_nieuw: str = ""
    bron: str = BRON_GELEERD


@dataclass
class CodeTabel:
    """The relation used by matching. `zelfde_codes`: both packages use the same codes."""

    koppelingen: list[CodeKoppeling] = field(default_factory=list)
    zelfde_codes: bool = True

    def paren(self) -> set[tuple[str, str]]:
        return {(k.oud, k.nieuw) for k in self.koppelingen}

    def relatie(self) -> dict[str, tuple[str, ...]]:
        """Old code → the new codes it may become, strongest support first."""
        ranked = sorted(self.koppelingen, key=lambda k: (k.oud, -k.steun, k.nieuw))
        result: dict[str, tuple[str, ...]] = {}
        for k in ranked:
            result[k.oud] = (*result.get(k.oud, ()), k.nieuw)
        return result

    def as_dict(self) -> dict[str, str]:
        """Old code → its best-supported new code (for one-to-one views)."""
        return {oud: nieuw[0] for oud, nieuw in self.relatie().items()}

    def compatibility(self, soorten: list[str]) -> np.ndarray:
        """Square bool matrix over `soorten` (codes of both exports): [i, j] says old code i may
        become new code j. An old code the relation does not mention only fits itself."""
        position = {code: i for i, code in enumerate(soorten)}
        allowed = np.zeros((len(soorten), len(soorten)), dtype=bool)
        mentioned = np.zeros(len(soorten), dtype=bool)
        for k in self.koppelingen:
            if k.oud in position:
                mentioned[position[k.oud]] = True
                if k.nieuw in position:
                    allowed[position[k.oud], position[k.nieuw]] = True
        quiet = np.flatnonzero(~mentioned)
        allowed[quiet, quiet] = True
        return allowed

    def compatible(self, oud: np.ndarray, nieuw: np.ndarray) -> np.ndarray:
        """Per pair: is (old soort, new soort) in the relation (see `compatibility`)?"""
        codes, uniques = pd.factorize(
            np.concatenate([np.asarray(oud, dtype=object), np.asarray(nieuw, dtype=object)]),
            sort=False,
        )
        allowed = self.compatibility(list(uniques))
        return allowed[codes[: len(oud)], codes[len(oud) :]]

    def with_overrides(self, overrides: CodeKeuzes) -> CodeTabel:
        """The user's choices win for the old codes they name; learned rows for others stay.
        A choice is one new code or several (a split); an empty choice drops the old code."""
        choices = normalise_keuzes(overrides)
        if not choices:
            return self
        kept = [k for k in self.koppelingen if k.oud not in choices]
        learned = {(k.oud, k.nieuw): k for k in self.koppelingen}
        texts = {k.oud: k.omschrijving_oud for k in self.koppelingen}
        new_texts = {k.nieuw: k.omschrijving_nieuw for k in self.koppelingen}
        for oud, nieuw_codes in choices.items():
            for nieuw in nieuw_codes:
                before = learned.get((oud, nieuw))
                kept.append(
                    CodeKoppeling(
                        oud,
                        nieuw,
                        before.steun if before else 0,
                        texts.get(oud, ""),
                        new_texts.get(nieuw, ""),
                        BRON_GEBRUIKER,
                    )
                )
        kept.sort(key=lambda k: (k.oud, -k.steun, k.nieuw))
        return CodeTabel(kept, all(k.oud == k.nieuw for k in kept))

    def frame(self) -> pd.DataFrame:
        """codetabel.csv: one row per (old, new) pair, every value text."""
        rows = self.koppelingen
        return pd.DataFrame(
            {
                "oud": [k.oud for k in rows],
                "nieuw": [k.nieuw for k in rows],
                "steun": [str(k.steun) for k in rows],
                "omschrijving_oud": [k.omschrijving_oud for k in rows],
                "omschrijving_nieuw": [k.omschrijving_nieuw for k in rows],
                "bron": [k.bron for k in rows],
            },
            columns=CODETABEL_COLUMNS,
        )


def normalise_keuzes(keuzes: CodeKeuzes | None) -> dict[str, tuple[str, ...]]:
    """User code choices as old code → tuple of new codes (a plain string is one code)."""
    result: dict[str, tuple[str, ...]] = {}
    for oud, nieuw in (keuzes or {}).items():
        values = (nieuw,) if isinstance(nieuw, str) else tuple(nieuw)
        result[str(oud)] = tuple(dict.fromkeys(str(v) for v in values if str(v)))
    return result


def _normalise_text(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in plain if not unicodedata.combining(c)))


def value_counts(columns: dict[str, np.ndarray], name: str = "count") -> pd.DataFrame:
    """`DataFrame(columns).value_counts().rename(name).reset_index()`, counted on integer codes
    in sorted order: the same rows in the same order (ties included), without grouping on
    strings. Columns with missing values are counted the plain way."""
    codes, uniques = {}, {}
    for column, values in columns.items():
        codes[column], uniques[column] = pd.factorize(values, sort=True)
        if (codes[column] < 0).any():
            return pd.DataFrame(columns).value_counts().rename(name).reset_index()
    counts = pd.DataFrame(codes).value_counts().rename(name).reset_index()
    for column in columns:
        counts[column] = np.asarray(uniques[column], dtype=object)[counts[column].to_numpy()]
    return counts


@dataclass(frozen=True)
class Gecodeerd:
    """A text column of both exports as shared integer codes (factorised once, in order of first
    appearance, old records first): code i stands for namen[i], -1 for a missing value."""

    oud: np.ndarray
    nieuw: np.ndarray
    namen: np.ndarray  # object array of the distinct texts

    @classmethod
    def van(cls, oud: np.ndarray, nieuw: np.ndarray) -> Gecodeerd:
        constant = _constant_codes(oud, nieuw)
        if constant is None:  # a few shared objects most likely (soort): by their addresses
            codes = text_codes(np.concatenate([oud, nieuw]))
            codes_oud, codes_nieuw = codes[: len(oud)], codes[len(oud) :]
        else:
            codes_oud, codes_nieuw = constant
        first = _first_rows(np.concatenate([codes_oud, codes_nieuw]))
        namen = np.concatenate(
            [oud[first[first < len(oud)]], nieuw[first[first >= len(oud)] - len(oud)]]
        )
        return cls(codes_oud, codes_nieuw, np.asarray(namen, dtype=object))

    @classmethod
    def uit_codes(
        cls, oud: tuple[np.ndarray, np.ndarray], nieuw: tuple[np.ndarray, np.ndarray]
    ) -> Gecodeerd | None:
        """`van` for columns given per export as (codes, texts), the column being texts[codes]
        (cleaning parses soort and omschrijving per distinct value): only the few texts are
        hashed, the rows are looked up. None when the shared codes would not come in order of
        first appearance over the rows (a text first seen in a row left out, two codes of one
        text, a missing value): `van` gives them then."""
        (codes_oud, texts_oud), (codes_nieuw, texts_nieuw) = oud, nieuw
        shared, namen = pd.factorize(np.concatenate([texts_oud, texts_nieuw]), sort=False)
        if (shared < 0).any():
            return None
        rows_oud = shared[: len(texts_oud)][codes_oud]
        rows_nieuw = shared[len(texts_oud) :][codes_nieuw]
        rows = np.concatenate([rows_oud, rows_nieuw])
        if not len(rows):
            return cls(rows_oud, rows_nieuw, np.zeros(0, dtype=object))
        # In order of first appearance: each row's code at most one past every code before it.
        running = np.maximum.accumulate(rows)
        if rows[0] != 0 or (np.diff(running) > 1).any():
            return None
        return cls(rows_oud, rows_nieuw, np.asarray(namen[: int(running[-1]) + 1], dtype=object))


def shared_codes(
    oud: np.ndarray, nieuw: np.ndarray, cells: tuple[np.ndarray | None, ...] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The codes of `pd.factorize` over a text column of both exports end to end (old first),
    split per export: integer codes shared by both, numbered in order of first appearance, -1
    for a missing value. `cells`: the `ascii_cells` of both, when the caller has them."""
    constant = _constant_codes(oud, nieuw)
    if constant is not None:
        return constant
    # Texts of one length packed into integers per export: no column of both end to end.
    codes = _packed_codes(cells or (ascii_cells(oud), ascii_cells(nieuw)))
    if codes is None:
        codes = text_codes(np.concatenate([oud, nieuw]), (None,))
    return codes[: len(oud)], codes[len(oud) :]


def _constant_codes(oud: np.ndarray, nieuw: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The shared codes when each export has one value (one gemeente, one berichtgever): no
    hashing. None otherwise."""
    if not (_constant(oud) and _constant(nieuw)):
        return None
    return (
        np.zeros(len(oud), dtype=np.intp),
        np.full(len(nieuw), 0 if oud[0] == nieuw[0] else 1, dtype=np.intp),
    )


def _constant(values: np.ndarray) -> bool:
    """Every value is the same text (one scan by identity or equality, cheaper than hashing)."""
    if len(values) == 0 or not isinstance(values[0], str):
        return False
    # The first few values settle most columns (a number, a BSN) without a full scan.
    if not (values[:64] == values[0]).all():
        return False
    if values.dtype == object and values.flags.c_contiguous:  # one shared object in every row
        ids = np.frombuffer(values.data, dtype=np.uintp)  # a view: `values` stays alive
        if (ids == ids[0]).all():
            return True
    return bool((values == values[0]).all())


def text_codes(
    values: np.ndarray, cells: tuple[np.ndarray | None, ...] | None = None
) -> np.ndarray:
    """The codes of `pd.factorize(values, sort=False)` (in order of first appearance, -1 for a
    missing value), the cheapest exact way: a column of shared objects (soort, omschrijving) by
    the objects' addresses; short ASCII texts (a BSN, most registratienummers) as integers,
    which hash several times faster than strings; else by pandas. `cells`: the `ascii_cells`
    of the parts `values` is made of, end to end, when the caller has them."""
    found = _factorize_by_identity(values) if values.dtype == object else None
    if found is not None:
        return found[0]
    codes = _packed_codes(cells or (ascii_cells(values),))
    return pd.factorize(values, sort=False)[0] if codes is None else codes


def ascii_cells(values: np.ndarray) -> np.ndarray | None:
    """The texts as an (n, width) matrix of their character codes (uint8) when all are ASCII
    text of one length without NUL (a BSN, a padded registratienummer): one join and one encode,
    no Python call per text. None for any other column."""
    if not len(values):
        return np.zeros((0, 0), dtype=np.uint8)
    try:
        # A few values of other lengths settle most columns of several (an omschrijving).
        if len({len(value) for value in values[:: max(1, len(values) // 16)].tolist()}) > 1:
            return None
        joined = "\x00".join(values.tolist())
    except TypeError:  # not all str: a missing value, a number
        return None
    if not joined.isascii() or joined.count("\x00") != len(values) - 1:
        return None
    width = len(values[0])
    if len(joined) + 1 != len(values) * (width + 1):
        return None
    cells = np.frombuffer(joined.encode("ascii") + b"\x00", dtype=np.uint8)
    cells = cells.reshape(len(values), width + 1)
    if (cells[:, width] != 0).any():  # the separators elsewhere: texts of several lengths
        return None
    return cells[:, :width]


MAX_PACKED_WIDTH = 32  # longer texts are hashed as strings by pandas


def _packed_codes(parts: tuple[np.ndarray | None, ...]) -> np.ndarray | None:
    """pd.factorize codes of the texts of `parts` (ascii_cells, end to end), the shorter ones
    padded with zeros (no text holds a NUL, so padding keeps texts apart): per character
    position only the bits its range needs (a digit 4, a fixed 'VZ-' none), packed into int64
    keys (exact) and factorised, one key when the texts fit 63 bits (a BSN, most
    registratienummers). None when a part is not ASCII cells or is too wide."""
    if any(part is None for part in parts):
        return None
    cells_parts = [part for part in parts if part is not None]
    width = max(part.shape[1] for part in cells_parts)
    if width > MAX_PACKED_WIDTH:
        return None
    size = sum(len(part) for part in cells_parts)
    codes = np.zeros(size, dtype=np.intp)
    if not size or not width:  # no texts, or only empty ones: all one code
        return codes
    if len(cells_parts) == 2 and _apart(*cells_parts):
        # No text of one part is a text of the other ('0001000001' and 'VZ-0051091'): each
        # part coded alone, the second's codes after the first's, as factorize numbers them.
        first, second = (_packed_codes((part,)) for part in cells_parts)
        if first is not None and second is not None:
            return np.concatenate([first, second + (int(first.max(initial=-1)) + 1)])
    # One row per character position, contiguous: its range and its bits are read in one
    # fast pass each (the columns of the text matrix are strided).
    positions = np.zeros((width, size), dtype=np.uint8)
    start = 0
    for part in cells_parts:
        positions[: part.shape[1], start : start + len(part)] = part.T
        start += len(part)
    key, used = np.zeros(size, dtype=np.int64), 0
    lows = positions.min(axis=1)
    widths = [
        int(high - low).bit_length() for high, low in zip(positions.max(axis=1), lows, strict=True)
    ]
    ranks = _character_ranks(positions, widths) if sum(widths) > 63 else {}
    for position, characters in enumerate(positions):
        low, bits = lows[position], widths[position]
        if bits and used + bits > 63:  # this key is full: factorise it, start the next one
            codes = _fold(codes, key)
            key, used = np.zeros(size, dtype=np.int64), 0
        if bits:
            key <<= bits
            key |= characters - low if position not in ranks else ranks[position][characters]
            used += bits
        if position == width - 1:
            codes = _fold(codes, key)
    return codes


def _character_ranks(positions: np.ndarray, widths: list[int]) -> dict[int, np.ndarray]:
    """For texts too wide for one key by character range ('0001000001' next to 'VZ-0051091'):
    per position where it takes fewer bits, each character's rank among the characters found
    there (a lookup table by character code); `widths` is updated to the bits the ranks take.
    `positions`: the character codes, one row per position."""
    ranks = {}
    for position, characters in enumerate(positions):
        if widths[position] <= 1:
            continue
        seen = np.bincount(characters, minlength=256) > 0
        bits = (int(np.count_nonzero(seen)) - 1).bit_length()
        if bits < widths[position]:
            ranks[position] = np.cumsum(seen, dtype=np.int64) - 1
            widths[position] = bits
    return ranks


def _apart(left: np.ndarray, right: np.ndarray) -> bool:
    """Whether no text of `left` is a text of `right` (ascii_cells, one width each) for a
    plain reason: no texts on a side, other widths, or a position whose characters on one
    side all lie outside the range of the other side's ('0' against 'V'). A sample of rows
    settles most columns that share texts (a BSN) without a pass over all of them."""
    if left.shape[1] != right.shape[1] or not len(left) or not len(right):
        return True
    step = max(1, (len(left) + len(right)) // 512)
    low_left, high_left = left[::step].min(axis=0), left[::step].max(axis=0)
    low_right, high_right = right[::step].min(axis=0), right[::step].max(axis=0)
    for position in np.flatnonzero((high_left < low_right) | (high_right < low_left)).tolist():
        column_left, column_right = left[:, position], right[:, position]
        if column_left.max() < column_right.min() or column_right.max() < column_left.min():
            return True
    return False


def _fold(codes: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Codes of the value combinations (codes, key), in order of first appearance."""
    if int(codes.max(initial=0)) == 0 and _ascending(key):
        return np.arange(len(key), dtype=np.intp)  # all distinct, each its own code
    more, distinct = pd.factorize(key, sort=False)
    if int(codes.max(initial=0)) == 0:
        return more
    return pd.factorize(codes * len(distinct) + more, sort=False)[0]


def _ascending(key: np.ndarray) -> bool:
    """Whether the keys strictly ascend (a sorted export's numbers): then factorize would give
    each its own code, in order. The first keys settle most other columns at once."""
    head = key[:64]
    if not (head[1:] > head[:-1]).all():
        return False
    return bool((key[1:] > key[:-1]).all())


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """The row where each code first appears (codes numbered in order of appearance, none -1):
    where the running maximum grows."""
    return np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)


def coded_counts(
    columns: dict[str, tuple[np.ndarray, np.ndarray]], name: str = "count"
) -> pd.DataFrame:
    """`value_counts({column: namen[codes]}, name)` for columns given as (codes, namen): each
    code is replaced by the rank of its text in sorted order, so the groups come in the order
    of value_counts' own sorted codes (gaps do not change it) and no text is hashed again."""
    if any((column_codes < 0).any() for column_codes, _ in columns.values()):
        texts = {c: np.asarray(m[k], dtype=object) for c, (k, m) in columns.items()}
        for c, (k, _) in columns.items():
            texts[c][k < 0] = None
        return value_counts(texts, name)
    ranked, ordered = _sorted_ranks(columns)
    sizes = [len(ordered[c]) for c in columns]
    if np.prod(sizes, dtype=np.float64) >= 2.0**62:  # too many combinations for one int64 key
        return value_counts({c: ordered[c][ranked[c]] for c in columns}, name)
    # value_counts sorts its group sizes this way: the same sizes in the same order give the
    # same order of ties.
    counts = _group_sizes(ranked, sizes).sort_values(ascending=False).rename(name).reset_index()
    for column in columns:
        counts[column] = ordered[column][counts[column].to_numpy()]
    return counts


def _sorted_ranks(
    columns: dict[str, tuple[np.ndarray, np.ndarray]],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per column (codes, namen): each row's rank of its text in sorted order, and the texts in
    that order (ordered[column][ranked[column]] is the row's text)."""
    ranked, ordered = {}, {}
    for column, (codes, namen) in columns.items():
        order = np.argsort(namen, kind="stable")
        rank = np.empty(len(namen), dtype=np.int64)
        rank[order] = np.arange(len(namen))
        ranked[column], ordered[column] = rank[codes], namen[order]
    return ranked, ordered


def _group_sizes(ranked: dict[str, np.ndarray], sizes: list[int]) -> pd.Series:
    """`DataFrame(ranked).groupby(list(ranked)).size()`: rows per value combination, in sorted
    order of the combinations, counted with numpy on one integer key per row."""
    keys, counts = _group_keys(ranked, sizes)
    levels = []
    for size in reversed(sizes):
        levels.append(keys % size)
        keys = keys // size
    index = pd.MultiIndex.from_arrays(levels[::-1], names=list(ranked))
    return pd.Series(counts.astype(np.int64), index=index)


def _group_keys(ranked: dict[str, np.ndarray], sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The value combinations of `ranked` as one integer key each (sorted), and their rows."""
    key = np.zeros(len(next(iter(ranked.values()))), dtype=np.int64)
    for values, size in zip(ranked.values(), sizes, strict=True):
        key = key * size + values
    total = int(np.prod(sizes, dtype=np.float64))  # below 2**62 (`coded_counts`)
    if total <= max(1 << 16, 4 * len(key)):
        per_key = np.bincount(key, minlength=total)
        keys = np.flatnonzero(per_key)
        return keys, per_key[keys]
    return np.unique(key, return_counts=True)


def _counted_groups(
    columns: dict[str, tuple[np.ndarray, np.ndarray]],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray] | None:
    """The groups of `coded_counts(columns)` in its order, found on integer keys without a
    frame: per column each group's rank of its text (ordered[column][rank] is the text), and
    the group sizes. None for columns with a missing code or too many combinations (then
    coded_counts goes the frame way)."""
    sizes = [len(namen) for _, namen in columns.values()]
    if any((codes < 0).any() for codes, _ in columns.values()):
        return None
    if np.prod(sizes, dtype=np.float64) >= 2**62:
        return None
    ranked, ordered = _sorted_ranks(columns)
    keys, counts = _group_keys(ranked, sizes)
    # The order of Series.sort_values(ascending=False) (pandas' nargsort): the reversed sizes
    # sorted by the same quicksort, the result reversed; ties land where pandas puts them.
    reversed_rows = np.arange(len(counts))[::-1]
    order = reversed_rows[counts[::-1].argsort(kind="quicksort")][::-1]
    keys, counts = keys[order], counts[order]
    ranks = {}
    for column, size in reversed(list(zip(columns, sizes, strict=True))):
        ranks[column], keys = keys % size, keys // size
    return ranks, ordered, counts


def _most_common_text(
    soort: np.ndarray, omschrijving: np.ndarray, namen: tuple[np.ndarray, np.ndarray]
) -> dict[str, str]:
    """Most frequent omschrijving per soort code (codes of one side; `namen`: their texts):
    the first row per soort of `coded_counts`, found on its integer keys without a frame."""
    if len(soort) == 0:
        return {}
    columns = {"soort": (soort, namen[0]), "omschrijving": (omschrijving, namen[1])}
    groups = _counted_groups(columns)
    if groups is None:
        counts = coded_counts(columns)
        first = counts.drop_duplicates("soort")
        return dict(zip(first["soort"], first["omschrijving"], strict=True))
    ranks, ordered, _ = groups
    soort_rank, text_rank = ranks["soort"], ranks["omschrijving"]
    _, first = np.unique(soort_rank, return_index=True)
    first.sort()  # in the order of the counts, as drop_duplicates keeps them
    return dict(
        zip(
            ordered["soort"][soort_rank[first]].tolist(),
            ordered["omschrijving"][text_rank[first]].tolist(),
            strict=True,
        )
    )


def _distinct(codes: np.ndarray, namen: np.ndarray, column: pd.Series) -> set:
    """The distinct values of `column`, whose codes are `codes`."""
    if (codes < 0).any():
        return set(column.unique())
    return set(namen[np.bincount(codes, minlength=len(namen)) > 0].tolist())


def _running(begin: np.ndarray, einde: np.ndarray, peildag: np.ndarray) -> np.ndarray:
    """Still running on `peildag`: open end, an end on or after it, or a nonsense end (before
    the begin, as a package writing 00000000 for 'open' would produce)."""
    return (einde == OPEN) | (einde >= peildag) | (einde < begin)


def learn_codes(
    oud: pd.DataFrame,
    nieuw: pd.DataFrame,
    candidates: pd.DataFrame,
    peildag: int | None = None,
    soort: Gecodeerd | None = None,
    omschrijving: Gecodeerd | None = None,
) -> CodeTabel:
    """Learn the relation old soort → new soort from unambiguous same-BSN candidate pairs.

    `candidates` has one row per (old, new) record pair with the same BSN: columns o (old
    index), n (new index). `peildag`: first day of the new period (day number); when absent the
    new begindatum of each pair is used. `soort`, `omschrijving`: those columns already coded
    (matching shares them); else coded here. Returns identity rows when codes agree.
    """
    if soort is None:
        soort = Gecodeerd.van(oud["soort"].to_numpy(), nieuw["soort"].to_numpy())
    if omschrijving is None:
        omschrijving = Gecodeerd.van(
            oud["omschrijving"].to_numpy(), nieuw["omschrijving"].to_numpy()
        )
    old_codes = _distinct(soort.oud, soort.namen, oud["soort"])
    new_codes = _distinct(soort.nieuw, soort.namen, nieuw["soort"])
    namen = (soort.namen, omschrijving.namen)
    old_text = _most_common_text(soort.oud, omschrijving.oud, namen)
    new_text = _most_common_text(soort.nieuw, omschrijving.nieuw, namen)

    o, n = candidates["o"].to_numpy(), candidates["n"].to_numpy()
    so, sn = soort.oud[o], soort.nieuw[n]
    ob, oe = oud["begindatum"].to_numpy()[o], oud["einddatum"].to_numpy()[o]
    nb, ne = nieuw["begindatum"].to_numpy()[n], nieuw["einddatum"].to_numpy()[n]
    peil = nb if peildag is None else np.full(len(o), peildag)
    equal_begin = ob == nb
    alive = _running(ob, oe, peil) & _running(nb, ne, peil)
    sizes = (len(oud), len(nieuw))
    anchor = _unambiguous(o, n, equal_begin, sizes) | _unambiguous(o, n, alive, sizes)
    columns = {"oud": (so[anchor], soort.namen), "nieuw": (sn[anchor], soort.namen)}
    groups = _counted_groups(columns)
    if groups is None:
        support = coded_counts(columns, "steun")
        counted = zip(*(support[c].tolist() for c in ("oud", "nieuw", "steun")), strict=True)
    else:  # the rows of coded_counts, without its frame
        ranks, ordered, counts = groups
        counted = zip(
            ordered["oud"][ranks["oud"]].tolist(),
            ordered["nieuw"][ranks["nieuw"]].tolist(),
            counts.tolist(),
            strict=True,
        )
    # Per old code its (new code, support) rows, in the order of coded_counts.
    per_code: dict[str, list[tuple[str, int]]] = {}
    for row in counted:
        per_code.setdefault(row[0], []).append(row[1:])

    koppelingen: list[CodeKoppeling] = []
    for code in sorted(old_codes):
        rows = per_code.get(code, [])
        if not rows:
            if code in new_codes:
                koppelingen.append(
                    CodeKoppeling(
                        code, code, 0, old_text.get(code, ""), new_text.get(code, ""), BRON_GELIJK
                    )
                )
            continue
        for target, steun in _targets(code, rows, old_text, new_text):
            bron = BRON_GELIJK if target == code else BRON_GELEERD
            koppelingen.append(
                CodeKoppeling(
                    code, target, steun, old_text.get(code, ""), new_text.get(target, ""), bron
                )
            )
    return CodeTabel(koppelingen, all(k.oud == k.nieuw for k in koppelingen))


def _unambiguous(
    o: np.ndarray, n: np.ndarray, mask: np.ndarray, sizes: tuple[int, int]
) -> np.ndarray:
    """Pairs in `mask` whose old record and new record each have no other pair in `mask`.
    `sizes`: the number of old and new records (o and n index them)."""
    rows = np.flatnonzero(mask)
    if not len(rows):
        return mask
    o, n = o[rows], n[rows]  # only the pairs in `mask` are counted and looked up
    o_count = np.bincount(o, minlength=sizes[0])
    n_count = np.bincount(n, minlength=sizes[1])
    alone = np.zeros(len(mask), dtype=bool)
    alone[rows] = (o_count[o] == 1) & (n_count[n] == 1)
    return alone


def _targets(
    code: str, rows: list[tuple[str, int]], old_text: dict[str, str], new_text: dict[str, str]
) -> list[tuple[str, int]]:
    """The best-supported new code (a similar omschrijving breaks near-ties), plus any other new
    code with enough support of its own (a split). `rows`: (new code, support) of `code`."""
    wanted = _normalise_text(old_text.get(code, ""))
    ranked = []
    for target, steun in rows:
        similar = bool(wanted) and _normalise_text(new_text.get(target, "")) == wanted
        ranked.append((steun * (1.5 if similar else 1.0), int(target == code), target, int(steun)))
    ranked.sort(reverse=True)
    best = ranked[0][3]
    chosen = [(ranked[0][2], best)]
    for _, _, target, steun in ranked[1:]:
        if steun >= max(SPLIT_MIN_STEUN, SPLIT_MIN_SHARE * best):
            chosen.append((target, steun))
    return chosen


def read_codes_file(path: Path | str) -> dict[str, tuple[str, ...]]:
    """A user's code table: CSV with columns 'oud' and 'nieuw' (the codetabel.csv srgdesk writes).
    Several rows for one old code mean it became several new codes."""
    path = Path(path)
    try:
        text, _ = decode_text(path.read_bytes())
    except OSError as exc:
        raise InvoerFout(f"Codetabel {path} kan niet worden gelezen. Controleer de naam.") from exc
    delimiter = sniff_delimiter(text) or ";"
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    old_key = fields.get("oud") or fields.get("soort oud") or fields.get("code oud")
    new_key = fields.get("nieuw") or fields.get("soort nieuw") or fields.get("code nieuw")
    if not old_key or not new_key:
        raise InvoerFout(
            f"Codetabel {path.name} moet de kolommen 'oud' en 'nieuw' hebben. "
            f"Gevonden: {', '.join(reader.fieldnames or [])}."
        )
    relation: dict[str, tuple[str, ...]] = {}
    for row in reader:
        oud_code, nieuw_code = (row.get(old_key) or "").strip(), (row.get(new_key) or "").strip()
        if oud_code and nieuw_code and nieuw_code not in relation.get(oud_code, ()):
            relation[oud_code] = (*relation.get(oud_code, ()), nieuw_code)
    return relation
