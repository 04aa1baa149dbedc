"""The result of matching: one row per old record, per unpaired new record and per ongeldig row.

Columns and types are those of `schema.COLUMNS`. Reason texts are built once per pattern (rows
with the same soorten, rules, named dates and suffixes share one text object), each rule's part
once per distinct value it names; no Python loop runs per row, and a million rows hold about a
hundred thousand texts instead of a million.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

from srgdesk.core.cleaning import Voorzieningen
from srgdesk.core.codes import CodeTabel, Gecodeerd
from srgdesk.core.matching import schema
from srgdesk.core.matching.assignment import Toewijzing
from srgdesk.core.matching.candidates import Bewijs, open_end
from srgdesk.core.matching.rules import PLACEHOLDER, RULES, ZELFDE_SLEUTEL, Paren, Regel, Rol
from srgdesk.core.values import GEEN, OPEN, days_to_nl, days_to_nl_text
from srgdesk.core.verslagmaand import Periode
from srgdesk.core.vocabulary import SoortKoppeling, Status, Zekerheid

REDEN_ONGEWIJZIGD = "Zelfde sleutel en zelfde BSN: niets te melden"
REDEN_ONTBREEKT = (
    "Loopt nog maar staat niet in de nieuwe export: CBS raakt deze voorziening kwijt. "
    "Controleer de nieuwe export"
)
REDEN_NIEUW = "Geen voorganger in de oude export"
REDEN_CONCURRENT = "; er is een andere, minder passende kandidaat"
REDEN_VOORLOOPNULLEN = (
    "; LET OP: alleen de voorloopnullen van het registratienummer verschillen, waarschijnlijk "
    "door Excel weggehaald. Zet ze terug met --nullen-oud of --nullen-nieuw (in het venster: "
    "bij Kolommen) en koppel opnieuw, of neem deze koppeling op met --accepteer waarschijnlijk"
)


@dataclass
class MatchResultaat:
    """Everything matching decided, one row per record in `regels` (columns: schema.COLUMNS)."""

    regels: pd.DataFrame
    oud: Voorzieningen
    nieuw: Voorzieningen
    codes: CodeTabel
    periode_oud: Periode
    periode_nieuw: Periode
    conversiedatums: list[str] = field(default_factory=list)
    conflicten: int = 0

    def samenvatting(self) -> list[str]:
        """A Dutch summary in words and numbers."""
        from srgdesk.core.matching.summary import samenvatting

        return samenvatting(self)


TEXT = StringDType()


def fill(
    template: str, value: Callable[[str], np.ndarray], size: int, prefix: str = ""
) -> list[str]:
    """`prefix` and the template with each {placeholder} replaced by value(placeholder), per
    row. The values come as numpy string arrays; each text is joined once from its pieces by a
    C-level map (numpy's string additions cost a pass, and a copy of every text, per piece)."""
    pieces = PLACEHOLDER.split(template)
    if len(pieces) == 1:
        return [prefix + template] * size
    pieces[0] = prefix + pieces[0]
    columns = [
        value(piece).tolist() if position % 2 else [piece] * size
        for position, piece in enumerate(pieces)
    ]
    return list(map("".join, zip(*columns, strict=True)))


def _text(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=TEXT) if values.dtype == object else values.astype(TEXT)


def _placeholders(
    p, index: np.ndarray, dagen: Dagen, old_keys, new_keys
) -> Callable[[str], np.ndarray]:
    """The values a reason template may use, for the pairs at `index` (`p`: the chosen pairs;
    `old_keys`, `new_keys`: the key columns of the records, taken only where a rule names them)."""
    old_codes = tuple(column[p.o[index]] for column in old_keys)
    new_codes = tuple(column[p.n[index]] for column in new_keys)

    def day_texts(days: np.ndarray) -> np.ndarray:
        """'DD-MM-JJJJ' of each day as the table's Python strings (no string made per value)."""
        codes = dagen.codes(days)
        return days_to_nl_text(days).astype(object) if codes is None else dagen.objecten[codes]

    def value(name: str) -> np.ndarray:
        ob, oe, nb = p.begin_oud[index], p.einde_oud[index], p.begin_nieuw[index]
        if name in ("begin_oud", "einde_oud", "begin_nieuw"):
            return day_texts(getattr(p, name)[index])
        if name == "dagen_na_einde":
            return _text(nb - oe)
        if name == "dagen_overlap":
            return _text(oe - nb)
        if name == "dagen_verschil":
            return _text(np.abs(nb - ob))
        if name == "nummer_oud":
            return _text(old_codes[2])
        if name == "nummer_nieuw":
            return _text(new_codes[2])
        if name == "einddatum_gelijk":
            equal = "einddatum gelijk (" + day_texts(oe) + ")"  # object arrays: str + per text
            return np.where(oe == OPEN, "beide zonder einddatum", equal)
        if name == "codewijziging":
            go, bo, gn, bn = (_text(c) for c in (*old_codes[:2], *new_codes[:2]))
            arrow = np.strings.add(np.strings.add(go, " → "), gn)
            gemeente = np.where(go != gn, np.strings.add("gemeentecode ", arrow), "")
            arrow = np.strings.add(np.strings.add(bo, " → "), bn)
            berichtgever = np.where(bo != bn, np.strings.add("berichtgevercode ", arrow), "")
            both = np.where((go != gn) & (bo != bn), "; ", "")
            return np.strings.add(np.strings.add(gemeente.astype(TEXT), both), berichtgever)
        raise KeyError(name)

    return value


SHOWN_RULES = tuple(r for r in RULES if r.rol != Rol.UITSLUITEND and r is not ZELFDE_SLEUTEL)

# What the text of a placeholder depends on: a date of the pair, or the pair itself ("row":
# numbers and codes, which are as many as the pairs). Unknown placeholders count as "row".
PLACEHOLDER_FIELDS = {
    "begin_oud": ("begin_oud",),
    "einde_oud": ("einde_oud",),
    "begin_nieuw": ("begin_nieuw",),
    "dagen_na_einde": ("begin_nieuw", "einde_oud"),
    "dagen_overlap": ("begin_nieuw", "einde_oud"),
    "dagen_verschil": ("begin_nieuw", "begin_oud"),
    "einddatum_gelijk": ("einde_oud",),
}
PATTERN_FIELDS = ("begin_oud", "einde_oud", "begin_nieuw", "row")


def _rule_fields(rule: Regel) -> set[str]:
    names = PLACEHOLDER.split(rule.reden)[1::2]
    return {field for name in names for field in PLACEHOLDER_FIELDS.get(name, ("row",))}


def _small_codes(values: np.ndarray, limit: int) -> tuple[np.ndarray | None, int]:
    """`values` as codes below `limit` without hashing, where their range allows: small codes
    as they are; days (a few decades) less the first day, with the one far value among them
    (OPEN, where a rule names no date) put just past the others. (None, 0) otherwise. Any
    one-to-one coding gives `_combine` the same patterns."""
    if not len(values):
        return None, 0
    low, high = int(values.min()), int(values.max())
    if low >= 0 and high < limit:
        return values, high + 1  # small codes already
    top = values == high
    below = int(np.where(top, low, values).max())  # (max with where= is a slow masked pass)
    if below - low + 2 > limit:
        return None, 0
    return np.where(top, below - low + 1, values - low), below - low + 2


def _combine(parts: list[np.ndarray], size: int) -> tuple[np.ndarray, np.ndarray]:
    """One pattern number per row for the value combinations of `parts` (integer arrays).
    Returns (first row of each pattern, pattern of each row), patterns in order of first row."""
    combined = np.zeros(size, dtype=np.int64)
    bound = 1
    for values in parts:
        codes, radix = _small_codes(values, max(1 << 16, 2 * size))
        if codes is None:
            codes, uniques = pd.factorize(values, sort=False)
            radix = len(uniques) + 1
        if bound * radix >= 1 << 62:
            combined, seen = pd.factorize(combined, sort=False)
            bound = len(seen)
        combined = combined * radix + codes
        bound *= radix
    if bound <= max(1 << 16, 2 * size):  # few possible values: counted over their range
        return _first_appearance(combined, bound)
    pattern, _ = pd.factorize(combined, sort=False)
    # Numbered in order of appearance: a pattern's first row is where the running maximum grows.
    before = np.maximum.accumulate(np.r_[-1, pattern[:-1]])
    return np.flatnonzero(pattern > before), pattern


def _first_appearance(values: np.ndarray, bound: int) -> tuple[np.ndarray, np.ndarray]:
    """_combine's result for values in 0 … bound - 1, without hashing: the first row of each
    value by one scatter (rows in reverse, so the first row is written last), the values that
    occur ranked by that row."""
    size = len(values)
    first_row = np.full(bound, size, dtype=np.int64)
    first_row[values[::-1]] = np.arange(size - 1, -1, -1)
    present = np.flatnonzero(first_row < size)
    order = np.argsort(first_row[present], kind="stable")
    rank = np.empty(bound, dtype=np.int64)
    rank[present[order]] = np.arange(len(present))
    return first_row[present[order]], rank[values]


def pair_reasons(
    p: Gekozen,
    index: np.ndarray,
    soort: Gecodeerd,
    dagen: Dagen,
    codes_o,
    codes_n,
    suffixes: tuple[tuple[np.ndarray, str], ...] = (),
) -> tuple[np.ndarray, np.ndarray, Stukken]:
    """'Zelfde BSN en soort; begindatum gelijk (01-03-2022)' for the chosen pairs at `index`,
    built once per distinct pattern and shared by the rows that have it: same soorten, same
    rules, the same dates where a rule that holds names them, the same numbers where one names
    those, and the same `suffixes` (bool per row of `index`, text appended where it is set).
    `soort`: the soort column of both exports, coded (`Kandidaten.soort`); `dagen`: the texts
    of the days. Returns (text of each pattern, pattern of each row, the pieces of each
    pattern's text: see _reasons)."""
    if len(index) == 0:
        none = np.zeros(0, dtype=np.intp)
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64), (none, [], none, [])
    size = len(index)
    small = np.uint16 if len(SHOWN_RULES) <= 16 else np.int64  # a bit per rule: narrow passes
    bits: np.ndarray = np.zeros(size, dtype=small)
    needed = {name: np.zeros(size, dtype=bool) for name in PATTERN_FIELDS}
    for bit, rule in enumerate(SHOWN_RULES):
        holds = p.regels[rule.naam][index]
        bits |= holds.astype(small) << small(bit)
        for name in _rule_fields(rule):
            needed[name] |= holds
    # The soort codes as they are (-1, a missing value, shifted to 0): a few hundred at most.
    width = len(soort.namen) + 1
    soorten = (soort.oud[p.o[index]].astype(np.int64) + 1) * width + soort.nieuw[p.n[index]] + 1
    # A field no rule that holds names is the same in every row: no part of the pattern.
    named = [name for name in PATTERN_FIELDS if needed[name].any()]
    parts = [
        soorten,
        bits,
        *(np.where(needed[name], getattr(p, name)[index], OPEN) for name in named if name != "row"),
        *([np.where(needed["row"], np.arange(size), -1)] if "row" in named else []),
        *(flags.astype(np.int64) for flags, _ in suffixes),
    ]
    first, pattern = _combine(parts, size)
    combo_of, combos = pd.factorize(soorten[first], sort=False)
    openings = []
    for combo in combos.tolist():
        a, b = soort.namen[combo // width - 1], soort.namen[combo % width - 1]
        same = a == b
        openings.append(
            "Zelfde BSN en soort" if same else f"Zelfde BSN; soort {a} → {b} (codetabel)"
        )
    extra = [(flags[first], suffix) for flags, suffix in suffixes]
    opening = (combo_of.reshape(-1).astype(np.intp), openings)
    texts, stukken = _reasons(p, index[first], opening, dagen, codes_o, codes_n, extra)
    return texts, pattern, stukken


# A text as two coded pieces: (code of each text's opening, the openings, code of each text's
# tail, the tails); the text is its opening followed by its tail.
Stukken = tuple[np.ndarray, list[str], np.ndarray, list[str]]


def _reasons(
    p: Gekozen,
    index: np.ndarray,
    opening: tuple[np.ndarray, list[str]],
    dagen: Dagen,
    codes_o,
    codes_n,
    suffixes: list[tuple[np.ndarray, str]],
) -> tuple[np.ndarray, Stukken]:
    """The reason of each pair at `index`: its opening (`opening`: the code of each pair's,
    and the openings), then '; ' and the filled-in template of each rule that holds, then the
    suffixes that apply. Each rule's part is filled once per distinct value of what it names;
    the parts after the opening (the tail) are joined once per distinct tail, and each text is
    its opening plus its tail. Returns the texts and their pieces (Stukken)."""
    size = len(index)
    parts: list[tuple[np.ndarray, np.ndarray]] = []  # per rule, then suffix: (texts, code per pair)
    for rule in SHOWN_RULES:
        holds = np.flatnonzero(p.regels[rule.naam][index])
        if not len(holds):
            continue
        fields = sorted(_rule_fields(rule))
        if "row" in fields:
            first, part_of = np.arange(len(holds)), np.arange(len(holds))
        else:
            first, part_of = _combine(
                [getattr(p, name)[index[holds]] for name in fields], len(holds)
            )
        value = _placeholders(p, index[holds[first]], dagen, codes_o, codes_n)
        texts = np.empty(len(first) + 1, dtype=object)  # first: no text (the rule does not hold)
        texts[:] = ["", *fill(rule.reden, value, len(first), "; ")]
        code = np.zeros(size, dtype=np.intp)
        code[holds] = part_of + 1
        parts.append((texts, code))
    for flags, suffix in suffixes:
        parts.append((np.array(["", suffix], dtype=object), flags.astype(np.intp)))
    opening_of, openings = opening
    if parts:
        first, tail_of = _combine([code for _, code in parts], size)
        columns = [texts[code[first]].tolist() for texts, code in parts]
        tails = list(map("".join, zip(*columns, strict=True)))
    else:
        tail_of, tails = np.zeros(size, dtype=np.intp), [""]
    tail_of = tail_of.astype(np.intp, copy=False)
    texts = (
        np.asarray(openings, dtype=object)[opening_of] + np.asarray(tails, dtype=object)[tail_of]
    )
    return texts, (opening_of, openings, tail_of, tails)


def _code(dtype: pd.CategoricalDtype, value: str) -> int:
    """The integer code of `value` in a categorical column of the result."""
    return int(dtype.categories.get_loc(value))


GEKOPPELD, ONGEWIJZIGD, BEEINDIGD, ONTBREEKT, NIEUW, ONGELDIG = (
    _code(schema.STATUS_TYPE, s)
    for s in (
        Status.GEKOPPELD,
        Status.ONGEWIJZIGD,
        Status.BEEINDIGD,
        Status.ONTBREEKT,
        Status.NIEUW,
        Status.ONGELDIG,
    )
)
ZEKER, WAARSCHIJNLIJK, TWIJFEL = (
    _code(schema.ZEKERHEID_TYPE, z)
    for z in (Zekerheid.ZEKER, Zekerheid.WAARSCHIJNLIJK, Zekerheid.TWIJFEL)
)


def _kind(p: Gekozen) -> np.ndarray:
    """The soort koppeling (code) of the strongest rule that holds and names one."""
    named = [(r.naam, r.soort_koppeling) for r in RULES if r.soort_koppeling is not None]
    kinds = np.select(
        [p.regels[naam] for naam, _ in named],
        [np.int8(_code(schema.SOORT_KOPPELING_TYPE, soort)) for _, soort in named],
        np.int8(_code(schema.SOORT_KOPPELING_TYPE, SoortKoppeling.CONVERSIE)),
    )
    return np.asarray(kinds, dtype=np.int8)


def _beyond_doubt(ev: Bewijs, soort_o: np.ndarray, soort_n: np.ndarray) -> np.ndarray:
    """Per kept pair: same soort and same begindatum, and neither record has another candidate
    with that evidence. Decisive even when weaker candidates compete (swapped numbers)."""
    strong = ev.regels["begindatum_gelijk"] & (soort_o[ev.o] == soort_n[ev.n])
    per_old = np.bincount(ev.o[strong], minlength=len(soort_o))
    per_new = np.bincount(ev.n[strong], minlength=len(soort_n))
    return strong & (per_old[ev.o] == 1) & (per_new[ev.n] == 1)


@dataclass
class Gekozen:
    """The chosen pairs with what the result rows need of their evidence, so the arrays of all
    candidates can be freed before the rows are built."""

    o: np.ndarray
    n: np.ndarray
    score: np.ndarray
    regels: dict[str, np.ndarray]  # rule name → bool per chosen pair
    beslissend: np.ndarray
    soort_past: np.ndarray
    begin_oud: np.ndarray
    einde_oud: np.ndarray
    begin_nieuw: np.ndarray
    buiten_twijfel: np.ndarray  # bool: decisive even with competitors (`_beyond_doubt`)
    alleen_voorloopnullen: np.ndarray  # bool: the numbers differ only in leading zeros


def kies(
    ev: Bewijs, p: Paren, toewijzing: Toewijzing, soort_o: np.ndarray, soort_n: np.ndarray
) -> Gekozen:
    """The chosen pairs of `toewijzing`, taken out of the evidence of all candidates."""
    g = toewijzing.gekozen
    positie = ev.positie[g]
    return Gekozen(
        o=ev.o[g],
        n=ev.n[g],
        score=ev.score[g],
        regels={name: holds[g] for name, holds in ev.regels.items()},
        beslissend=ev.beslissend[g],
        soort_past=p.soort_past[positie],
        begin_oud=p.begin_oud[positie],
        einde_oud=p.einde_oud[positie],
        begin_nieuw=p.begin_nieuw[positie],
        buiten_twijfel=_beyond_doubt(ev, soort_o, soort_n)[g],
        alleen_voorloopnullen=p.alleen_voorloopnullen[positie],
    )


REDEN_STUKKEN = "srgdesk_reden_stukken"  # regels.attrs key: the reasons in pieces (RedenStukken)


@dataclass(frozen=True, eq=False)
class RedenStukken:
    """The reason column of a result as two coded pieces per row, for a writer that escapes
    each distinct piece once instead of each distinct text: cell i is
    `leads[lead[i]] + tails[tail[i]]` (a pattern's opening and the rest; other texts whole, with
    an empty tail). Valid only for a column that still holds the very objects of `kolom` (see
    `voor`), which it keeps alive: an object's address then names the text it had here."""

    kolom: np.ndarray  # the reason column as built (object array)
    lead: np.ndarray
    leads: list[str]
    tail: np.ndarray
    tails: list[str]

    def __deepcopy__(self, memo: dict) -> RedenStukken:
        return self  # never changed: frames derived from the result share it (pandas attrs)

    def voor(self, values: np.ndarray, ids: Callable[[np.ndarray], np.ndarray]) -> bool:
        """Whether `values` are the reasons these pieces describe: the same objects, row by row
        (`ids`: the address of each object of an object array)."""
        return (
            isinstance(values, np.ndarray)
            and values.dtype == object
            and len(values) == len(self.kolom)
            and bool(np.array_equal(ids(values), ids(self.kolom)))
        )


class _Redenen:
    """The reason of every row as a code into the texts added so far: a text shared by many rows
    (a pattern, 'Geen voorganger …') is one string object, the column holds references to it.
    Texts are kept as the arrays they come in, joined once for the column; texts added with
    their pieces (Stukken) also give the column in pieces (`stukken`)."""

    def __init__(self, size: int):
        self.chunks: list[np.ndarray] = []
        self.starts: list[int] = []  # code of each chunk's first text
        self.pieces: list[Stukken | None] = []  # of each chunk, where known
        self.count = 0
        self.code = np.zeros(size, dtype=np.int64)
        self.add([""])

    def add(self, texts, stukken: Stukken | None = None) -> int:
        """Append texts (an object array or a list of str), with their pieces where known;
        returns the code of the first."""
        if isinstance(texts, np.ndarray) and texts.dtype == object:
            chunk = texts  # a fresh array of texts from the caller: kept as it is
        else:
            chunk = np.empty(len(texts), dtype=object)
            chunk[:] = texts
        start = self.count
        self.chunks.append(chunk)
        self.starts.append(start)
        self.pieces.append(stukken)
        self.count += len(chunk)
        return start

    def set(self, rows, text: str) -> None:
        self.code[rows] = self.add([text])

    def text(self, row: int) -> str:
        code = int(self.code[row])
        chunk = bisect.bisect_right(self.starts, code) - 1
        return self.chunks[chunk][code - self.starts[chunk]]

    def column(self) -> np.ndarray:
        return np.concatenate(self.chunks)[self.code]

    def stukken(self, column: np.ndarray) -> RedenStukken:
        """`column` (this one's, as built) in pieces: texts added without pieces are their own
        lead with an empty tail (taken in one pass; only the chunks with pieces one by one)."""
        coded = [
            (start, len(chunk), pieces)
            for chunk, start, pieces in zip(self.chunks, self.starts, self.pieces, strict=True)
            if pieces is not None
        ]
        plain = np.ones(self.count, dtype=bool)
        for start, size, _ in coded:
            plain[start : start + size] = False
        own = np.flatnonzero(plain)
        leads: list[str] = np.concatenate(self.chunks)[own].tolist()
        tails: list[str] = [""]
        lead = np.empty(self.count, dtype=np.intp)
        lead[own] = np.arange(len(own))
        tail = np.zeros(self.count, dtype=np.intp)
        for start, size, (lead_of, own_leads, tail_of, own_tails) in coded:
            lead[start : start + size] = lead_of + len(leads)
            tail[start : start + size] = tail_of + len(tails)
            leads += own_leads
            tails += own_tails
        return RedenStukken(column.copy(), lead[self.code], leads, tail[self.code], tails)


def build_rows(
    oud: Voorzieningen,
    nieuw: Voorzieningen,
    gekozen: Gekozen,
    toewijzing: Toewijzing,
    conflicten: pd.DataFrame,
    periode_nieuw: Periode,
    soort: Gecodeerd,
) -> pd.DataFrame:
    """The result frame (schema.COLUMNS) from the chosen pairs and the records left over: one
    row per old record, then the new records nobody took, then the ongeldig rows (old, new).
    `soort`: the soort column already coded (`Kandidaten.soort`)."""
    old, new = oud.frame, nieuw.frame
    n_old = len(old)
    go, gn = gekozen.o, gekozen.n
    partner = np.full(n_old, -1, dtype=np.int64)
    partner[go] = gn
    used_new = np.zeros(len(new), dtype=bool)
    used_new[gn] = True
    lonely = np.flatnonzero(~used_new)
    sizes = (n_old, len(lonely), len(oud.ongeldig), len(nieuw.ongeldig))
    total = sum(sizes)
    first_new, first_invalid_old, first_invalid_new = np.cumsum(sizes)[:3]
    status = np.zeros(total, dtype=np.int8)
    kind = np.zeros(total, dtype=np.int8)
    zekerheid = np.zeros(total, dtype=np.int8)
    score = np.zeros(total, dtype=np.int64)
    reden = _Redenen(total)
    twijfel_oud = dict(toewijzing.twijfel_oud)

    score[go] = gekozen.score
    same_key = gekozen.regels[ZELFDE_SLEUTEL.naam]
    other_voorziening = same_key & ~gekozen.soort_past & ~gekozen.regels["begindatum_gelijk"]
    undecided = toewijzing.twijfel_paar | other_voorziening
    unchanged = same_key & ~undecided
    status[go] = np.where(unchanged, ONGEWIJZIGD, GEKOPPELD)
    kind[go] = np.where(unchanged, 0, _kind(gekozen))
    soort_o, soort_n = old["soort"].to_numpy(), new["soort"].to_numpy()
    old_numbers = old["registratienummer"].to_numpy()
    new_numbers = new["registratienummer"].to_numpy()
    zeros_only = gekozen.alleen_voorloopnullen
    certain = gekozen.beslissend & (~toewijzing.concurrent | gekozen.buiten_twijfel) & ~zeros_only
    zekerheid[go] = np.where(
        unchanged,
        0,
        np.where(undecided, TWIJFEL, np.where(certain, ZEKER, WAARSCHIJNLIJK)),
    )
    paired = ~unchanged
    codes_o = tuple(old[name].to_numpy() for name in schema.KEY)
    codes_n = tuple(new[name].to_numpy() for name in schema.KEY)
    # Rows that get a twijfel text below need no pair reason.
    doubted = np.fromiter(toewijzing.twijfel_oud, np.int64, len(toewijzing.twijfel_oud))
    index = np.flatnonzero(paired & ~np.isin(go, doubted))
    weaker = ~undecided[index] & toewijzing.concurrent[index]
    date_columns = [
        (side, voorzieningen, name)
        for side, voorzieningen in (("oud", oud), ("nieuw", nieuw))
        for name in ("begindatum", "einddatum")
    ]
    coded = {}
    for side, voorzieningen, name in date_columns:
        kennis = voorzieningen.bekend(name)
        if kennis is not None and kennis.codes is not None and kennis.namen is not None:
            coded[side, name] = (kennis.codes, kennis.namen)
    dagen = (
        Dagen.uit_codes(coded)
        if len(coded) == len(date_columns)
        else Dagen.van({(side, name): v.frame[name].to_numpy() for side, v, name in date_columns})
    )
    texts, pattern, stukken = pair_reasons(
        gekozen,
        index,
        soort,
        dagen,
        codes_o,
        codes_n,
        ((weaker, REDEN_CONCURRENT), (zeros_only[index], REDEN_VOORLOOPNULLEN)),
    )
    reden.code[go[index]] = reden.add(texts, stukken) + pattern
    reden.set(go[unchanged], REDEN_ONGEWIJZIGD)
    begin_o, begin_n = old["begindatum"].to_numpy(), new["begindatum"].to_numpy()
    for position in np.flatnonzero(other_voorziening):
        o, n = int(go[position]), int(gn[position])
        reden.set(
            o,
            f"Zelfde nummer, maar andere voorziening: soort {soort_o[o]} → {soort_n[n]}, "
            f"begindatum {days_to_nl(begin_o[[o]]).iat[0]} → "
            f"{days_to_nl(begin_n[[n]]).iat[0]}. "
            "Kijk zelf of dit dezelfde voorziening is",
        )
        twijfel_oud.setdefault(o, (n,))

    unpaired = status[:n_old] == 0
    ends = open_end(old)
    ended = np.flatnonzero(unpaired & (ends < periode_nieuw.eerste_dag))
    status[ended] = BEEINDIGD
    days, day = np.unique(ends[ended], return_inverse=True)
    words = "Einddatum " + dagen.teksten(days).astype(object) + " ligt vóór de nieuwe periode"
    reden.code[ended] = reden.add(words) + day.reshape(-1)
    missing = np.flatnonzero(unpaired & (ends >= periode_nieuw.eerste_dag))
    status[missing] = ONTBREEKT
    reden.set(missing, REDEN_ONTBREEKT)

    # One text per distinct set of alternatives (the records of one tie share theirs), added
    # together: no text and no chunk per row.
    doubt_rows, doubt_texts = _doubts(
        toewijzing.twijfel_oud,
        new_numbers,
        "Twijfel: past even goed bij {}. Kies zelf de juiste nieuwe voorziening",
    )
    zekerheid[doubt_rows] = TWIJFEL
    reden.code[doubt_rows] = reden.add(doubt_texts[0]) + doubt_texts[1]
    conflict_o, conflict_n = conflicten["o"].to_numpy(), conflicten["n"].to_numpy()
    regel_o, regel_n = old["regel"].to_numpy(), new["regel"].to_numpy()
    for o, n in zip(conflict_o, conflict_n, strict=True):
        reden.set(
            o,
            reden.text(o) + f". LET OP: nummer {old_numbers[o]} is in de nieuwe export (regel "
            f"{int(regel_n[n])}) gebruikt voor een andere persoon",
        )

    new_rows = slice(first_new, first_invalid_old)
    status[new_rows] = NIEUW
    reden.set(new_rows, REDEN_NIEUW)

    lonely_row = np.full(len(new), -1, dtype=np.int64)  # row of a new record nobody took
    lonely_row[lonely] = first_new + np.arange(len(lonely))
    twijfel_nieuw = {n: olds for n, olds in toewijzing.twijfel_nieuw.items() if lonely_row[n] >= 0}
    doubt_rows, doubt_texts = _doubts(
        twijfel_nieuw, old_numbers, "Twijfel: kan horen bij {}. Kies zelf"
    )
    doubt_rows = lonely_row[doubt_rows]
    zekerheid[doubt_rows] = TWIJFEL
    reden.code[doubt_rows] = reden.add(doubt_texts[0]) + doubt_texts[1]
    for o, n in zip(conflict_o, conflict_n, strict=True):
        row = int(lonely_row[n])
        if row >= 0:
            reden.set(
                row,
                reden.text(row) + f". LET OP: nummer {new_numbers[n]} hoorde in de oude export "
                f"(regel {int(regel_o[o])}) bij een andere persoon",
            )

    status[first_invalid_old:] = ONGELDIG
    for start, ongeldig in ((first_invalid_old, oud.ongeldig), (first_invalid_new, nieuw.ongeldig)):
        rows = np.arange(start, start + len(ongeldig))
        reden.code[rows] = reden.add(ongeldig["reden"].tolist()) + np.arange(len(ongeldig))

    oud_index = np.full(total, -1, dtype=np.int64)
    oud_index[:n_old] = np.arange(n_old)
    nieuw_index = np.full(total, -1, dtype=np.int64)
    nieuw_index[:n_old] = partner
    nieuw_index[new_rows] = lonely
    reden_column = reden.column()
    columns = {
        schema.STATUS: pd.Categorical.from_codes(status, dtype=schema.STATUS_TYPE),
        schema.SOORT_KOPPELING: pd.Categorical.from_codes(kind, dtype=schema.SOORT_KOPPELING_TYPE),
        schema.ZEKERHEID: pd.Categorical.from_codes(zekerheid, dtype=schema.ZEKERHEID_TYPE),
        schema.SCORE: score,
        schema.REDEN: reden_column,
        schema.OUD_INDEX: oud_index,
        schema.NIEUW_INDEX: nieuw_index,
    }
    plaatsing = {"oud": _Plaatsing(oud_index, n_old), "nieuw": _Plaatsing(nieuw_index, len(new))}
    for side, voorzieningen, first_invalid in (
        ("oud", oud, first_invalid_old),
        ("nieuw", nieuw, first_invalid_new),
    ):
        invalid = slice(first_invalid, first_invalid + len(voorzieningen.ongeldig))
        columns.update(_record_columns(side, voorzieningen, plaatsing[side], invalid, dagen))
    # The person's BSN: the old record's, else the new record's.
    bsn = plaatsing["nieuw"].column(new["bsn"].to_numpy(), "")
    old_bsn = old["bsn"].to_numpy()
    known = oud.bekend("bsn")  # BSNs of nine characters each: none is empty
    filled = np.ones(len(old_bsn), dtype=bool) if known and known.cellen is not None else None
    plaatsing["oud"].put(bsn, old_bsn, old_bsn != "" if filled is None else filled)
    columns[schema.BSN] = bsn
    choices = np.empty(total, dtype=object)
    choices.fill(())
    for o, alternatives in twijfel_oud.items():
        choices[o] = alternatives
    columns[schema.ALTERNATIEVEN] = choices
    regels = schema.conform(pd.DataFrame(columns, copy=False))
    regels.attrs[REDEN_STUKKEN] = reden.stukken(reden_column)  # for the CSV writer
    return regels


def _doubts(
    twijfel: dict[int, tuple[int, ...]], numbers: np.ndarray, template: str
) -> tuple[np.ndarray, tuple[list[str], np.ndarray]]:
    """The records of `twijfel` (record → the records it could belong to) and their reasons:
    `template` with the numbers of those records, one text per distinct set, in order of first
    appearance. Returns (records, (texts, text of each record))."""
    records = np.fromiter(twijfel, dtype=np.int64, count=len(twijfel))
    position: dict[tuple[int, ...], int] = {}
    texts: list[str] = []
    which = np.empty(len(records), dtype=np.int64)
    take = numbers.take
    for row, alternatives in enumerate(twijfel.values()):
        found = position.get(alternatives)
        if found is None:
            found = position[alternatives] = len(texts)
            texts.append(template.format(", ".join(take(list(alternatives)))))
        which[row] = found
    return records, (texts, which)


@dataclass(frozen=True)
class Dagen:
    """The days of the date columns of both exports, each formatted once as 'DD-MM-JJJJ'
    (`day_texts`, '' for OPEN): the record columns and the reasons take their
    texts from here instead of formatting the same days per column and per rule."""

    dagen: np.ndarray  # sorted distinct day numbers (int64), OPEN among them
    tekst: np.ndarray  # StringDType text of each day
    objecten: np.ndarray  # the same texts as Python strings (object array)
    kolommen: dict[tuple[str, str], np.ndarray]  # per named column: the position of each day

    @classmethod
    def van(cls, columns: dict[tuple[str, str], np.ndarray]) -> Dagen:
        """The table of the days in `columns`: days lie close together (a few decades), so they
        are counted over their range once, not hashed per column (`_van_hashed` otherwise)."""
        days = {name: np.asarray(values, dtype=np.int64) for name, values in columns.items()}
        real = [values[values != OPEN] for values in days.values()]
        low = min((int(values.min()) for values in real if len(values)), default=0)
        high = max((int(values.max()) for values in real if len(values)), default=0)
        limit = high - low + 1
        if limit > 4 * sum(map(len, real)) + 65_536:  # far apart (a stray day): hashed after all
            return cls._van_hashed(columns)
        offsets = {name: np.minimum(values - low, limit) for name, values in days.items()}
        per_day = np.zeros(limit + 1, dtype=np.int64)
        for offset in offsets.values():
            per_day += np.bincount(offset, minlength=limit + 1)
        present = per_day[:limit] > 0
        dagen = np.append(np.flatnonzero(present) + low, np.int64(OPEN))
        position = np.append(np.cumsum(present) - 1, len(dagen) - 1)  # the last one: OPEN
        tekst = day_texts(dagen)
        kolommen = {name: position[offset] for name, offset in offsets.items()}
        return cls(dagen, tekst, tekst.astype(object), kolommen)

    @classmethod
    def uit_codes(cls, columns: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]) -> Dagen:
        """`van` for columns given as (codes, days): each row's day is days[codes] (cleaning
        parses dates per distinct value). Only the days some row uses are in the table, so
        it is the table of `van`; the rows' positions are looked up through their codes."""
        used = [
            np.asarray(days, dtype=np.int64)[np.bincount(codes, minlength=len(days)) > 0]
            for codes, days in columns.values()
        ]
        dagen = np.unique(np.concatenate([*used, np.array([OPEN], dtype=np.int64)]))
        tekst = day_texts(dagen)
        kolommen = {
            name: np.searchsorted(dagen, np.asarray(days, dtype=np.int64))[codes]
            for name, (codes, days) in columns.items()
        }
        return cls(dagen, tekst, tekst.astype(object), kolommen)

    @classmethod
    def _van_hashed(cls, columns: dict[tuple[str, str], np.ndarray]) -> Dagen:
        found = {
            name: pd.factorize(np.asarray(days, dtype=np.int64), sort=False)
            for name, days in columns.items()
        }
        distinct = [np.asarray(uniques, dtype=np.int64) for _, uniques in found.values()]
        dagen = np.unique(np.concatenate([*distinct, np.array([OPEN], dtype=np.int64)]))
        tekst = day_texts(dagen)
        kolommen = {
            name: np.searchsorted(dagen, uniques)[codes] for name, (codes, uniques) in found.items()
        }
        return cls(dagen, tekst, tekst.astype(object), kolommen)

    def codes(self, days: np.ndarray) -> np.ndarray | None:
        """The position in `dagen` of each day; None when a day is not among them."""
        codes, distinct = pd.factorize(np.asarray(days, dtype=np.int64), sort=False)
        at = np.minimum(np.searchsorted(self.dagen, distinct), len(self.dagen) - 1)
        if not (self.dagen[at] == distinct).all():
            return None
        return at[codes]

    def teksten(self, days: np.ndarray) -> np.ndarray:
        """'DD-MM-JJJJ' per day as numpy strings (days_to_nl_text for days not in the table)."""
        codes = self.codes(days)
        return day_texts(days) if codes is None else self.tekst[codes]


FIRST_DAY, LAST_DAY = -719_162, 2_932_896  # 01-01-0001 and 31-12-9999: four-digit years
# Per character of 'DD-MM-JJJJ': which part (day, month, year) and the divisor of its digit.
_DIGITS = ((0, 0, 10), (1, 0, 1), (3, 1, 10), (4, 1, 1), (6, 2, 1000), (7, 2, 100), (8, 2, 10))


def day_texts(days: np.ndarray) -> np.ndarray:
    """`values.days_to_nl_text(days)` ('DD-MM-JJJJ', '' for OPEN and GEEN, StringDType) by
    arithmetic: the calendar parts from numpy's datetime units, their digits written into a
    byte matrix, one cast to text; no text per day is sliced or joined. Years outside 1-9999
    (not four digits) the way of days_to_nl_text."""
    days = np.asarray(days, dtype=np.int64)
    real = (days != OPEN) & (days != GEEN)
    dated = days[real]
    if len(dated) and (int(dated.min()) < FIRST_DAY or int(dated.max()) > LAST_DAY):
        return days_to_nl_text(days)
    date = dated.astype("datetime64[D]")
    year, month = date.astype("datetime64[Y]"), date.astype("datetime64[M]")
    parts = (
        (date - month).astype(np.int64) + 1,
        (month - year).astype(np.int64) + 1,
        year.astype(np.int64) + 1970,
    )
    cells = np.empty((len(dated), 10), dtype=np.uint8)
    cells[:, 2] = cells[:, 5] = ord("-")
    for position, part, divisor in _DIGITS:
        cells[:, position] = parts[part] // divisor % 10 + ord("0")
    cells[:, 9] = parts[2] % 10 + ord("0")
    text = np.zeros(len(days), dtype=TEXT)  # '' where there is no date
    text[real] = cells.view("S10").ravel().astype(TEXT)
    return text


class _Plaatsing:
    """Where the records of one side land in the result: `index` holds the record of each row
    (-1: none). A column is written in the records' own order, scattered over the rows, rather
    than gathered in row order: each text object is then touched in memory order, about three
    times faster for distinct texts (registratienummer, BSN) whose records the pairs shuffle."""

    def __init__(self, index: np.ndarray, size: int):
        self.index = index
        rows = np.flatnonzero(index >= 0)
        row_of = np.full(size, -1, dtype=np.int64)
        row_of[index[rows]] = rows
        placed = row_of >= 0
        self.records = None if placed.all() else np.flatnonzero(placed)
        self.rows = row_of if self.records is None else row_of[self.records]
        self.each_once = len(self.rows) == len(rows)  # no record in two rows
        # Every record in the row of its own number (the old records lead the result): a
        # column is the values copied as a block, no scatter.
        self.leading = (
            self.records is None
            and self.each_once
            and bool((self.rows == np.arange(len(self.rows))).all())
        )

    def column(self, values: np.ndarray, missing: str | int) -> np.ndarray:
        """values[index] per row, `missing` where the index is -1 (object array for text)."""
        dtype = np.dtype(object) if isinstance(missing, str) else values.dtype
        if not self.each_once:
            absent = self.index < 0
            taken = np.asarray(values, dtype=dtype)[np.where(absent, 0, self.index)]
            taken[absent] = missing
            return taken
        if self.leading:
            column = np.empty(len(self.index), dtype=dtype)
            column[: len(values)] = values
            column[len(values) :].fill(missing)  # one shared object for text
            return column
        column = np.empty(len(self.index), dtype=dtype)
        column.fill(missing)  # one shared object for text (np.full would copy it per row)
        column[self.rows] = values if self.records is None else values[self.records]
        return column

    def put(self, column: np.ndarray, values: np.ndarray, keep: np.ndarray) -> None:
        """column[row] = values[index[row]] for the rows whose record is kept (`keep`: bool
        per record); other rows stay as they are."""
        if not self.each_once:
            rows = np.flatnonzero(self.index >= 0)
            rows = rows[keep[self.index[rows]]]
            column[rows] = values[self.index[rows]]
        elif self.leading and keep.all():
            column[: len(values)] = values
        elif self.records is None and keep.all():
            column[self.rows] = values
        else:
            records = np.arange(len(values)) if self.records is None else self.records
            chosen = keep[records]
            column[self.rows[chosen]] = values[records[chosen]]


def _record_columns(
    side: str,
    voorzieningen: Voorzieningen,
    plaatsing: _Plaatsing,
    invalid: slice,
    dagen: Dagen,
) -> dict[str, np.ndarray]:
    """Keys, row number, soort, omschrijving and dates of one side, in schema order. The
    ongeldig rows (`invalid`, in order) show their keys and row numbers too."""
    frame, ongeldig = voorzieningen.frame, voorzieningen.ongeldig
    columns = {}
    for name in schema.KEY:
        columns[f"{side}_{name}"] = plaatsing.column(frame[name].to_numpy(), "")
        if len(ongeldig):
            columns[f"{side}_{name}"][invalid] = ongeldig[name].to_numpy(dtype=object)
    for name in ("soort", "omschrijving"):
        columns[f"{side}_{name}"] = plaatsing.column(frame[name].to_numpy(), "")
    regel = plaatsing.column(frame["regel"].to_numpy(), 0).astype(np.int64)
    if len(ongeldig):
        regel[invalid] = ongeldig["regel"].to_numpy()
    columns[f"{side}_regel"] = regel
    texts = np.append(dagen.objecten, "")  # the last one for rows without a record
    for name in ("begindatum", "einddatum"):
        codes = dagen.kolommen[side, name]
        columns[f"{side}_{name}"] = texts[plaatsing.column(codes, len(texts) - 1)]
    return columns
