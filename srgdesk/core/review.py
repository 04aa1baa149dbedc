"""The decisions of a review session over a matching result, with undo, and saved as JSON.

The session works on column arrays so a bulk accept over 100k rows is one numpy operation. What
is saved holds file paths, fingerprints, the column mapping and the decisions by key (gemeente,
berichtgever, registratienummer) — never a BSN and never a copy of the data. On resume the
matching is run again on the same files and the saved decisions are laid over the new result.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, fields
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from srgdesk.core.errors import InvoerFout
from srgdesk.core.output_files import write_atomically

SCHEMA = "srgdesk-review"
SCHEMA_VERSIE = 1
FINGERPRINT_BYTES = 1 << 20

# Decisions per row (int8 codes so bulk actions stay vectorised).
OPEN = 0
GEACCEPTEERD = 1
AFGEWEZEN = 2
HANDMATIG = 3
BESLUIT_NAMEN = {
    OPEN: "open",
    GEACCEPTEERD: "geaccepteerd",
    AFGEWEZEN: "afgewezen",
    HANDMATIG: "met de hand",
}
_BESLUIT_CODES = {"geaccepteerd": GEACCEPTEERD, "afgewezen": AFGEWEZEN, "handmatig": HANDMATIG}
_BESLUIT_OPSLAG = {GEACCEPTEERD: "geaccepteerd", AFGEWEZEN: "afgewezen", HANDMATIG: "handmatig"}

GEKOPPELD = "gekoppeld"
NIEUW_STATUS = "nieuw"
ZEKERHEDEN = ("zeker", "waarschijnlijk", "twijfel")
UNPAIRED_OLD = ("ontbreekt", "beeindigd")

Key = tuple[str, str, str]


@dataclass
class Stap:
    """One undoable action: the rows it touched and their values before."""

    omschrijving: str
    rows: np.ndarray
    besluit: np.ndarray
    gekozen: np.ndarray
    partner: np.ndarray


@dataclass
class Overname:
    """What became of saved decisions laid over a new result: how many carried over, and for
    each one that did not its old key and the reason in Dutch."""

    overgenomen: int = 0
    niet: list[tuple[str, str]] = field(default_factory=list)

    def tekst(self, maximum: int = 5) -> str:
        """One Dutch paragraph for the user."""
        text = f"{self.overgenomen} eerder genomen besluit(en) overgenomen."
        if self.niet:
            text += f" {len(self.niet)} besluit(en) pasten niet meer; bekijk die regels opnieuw:"
            for label, reden in self.niet[:maximum]:
                text += f"\n  – {label}: {reden}"
            if len(self.niet) > maximum:
                text += f"\n  – en nog {len(self.niet) - maximum}."
        return text


class ReviewSessie:
    """Decisions over `regels` (one row per old record, unpaired new record and ongeldig row).

    `gekozen[row]` is the nieuw_index the row is paired with as it stands (the proposal, a chosen
    alternative or a manual pair); `partner[row]` links the two rows of a manual pair.
    """

    def __init__(self, regels: pd.DataFrame):
        self.regels, self.schaduw_van = _with_shadow_rows(regels)
        n = len(self.regels)
        self.status = self.regels["status"].to_numpy(dtype=object)
        self.zekerheid = self.regels["zekerheid"].fillna("").to_numpy(dtype=object)
        self.oud_index = self.regels["oud_index"].to_numpy(dtype=np.int64)
        self.nieuw_index = self.regels["nieuw_index"].to_numpy(dtype=np.int64)
        self.beslisbaar = (self.status == GEKOPPELD) & (self.nieuw_index >= 0)
        self.besluit = np.zeros(n, dtype=np.int8)
        self.gekozen = self.nieuw_index.copy()
        self.partner = np.full(n, -1, dtype=np.int64)
        self.undo_stack: list[Stap] = []
        self.redenen: dict[int, str] = {}  # row → why the user paired it by hand
        self.versie = 0  # bumped on every change, for autosave and views
        self._oud_cols = _key_columns(self.regels, "oud")
        self._nieuw_cols = _key_columns(self.regels, "nieuw")
        # nieuw_index → a row that shows that record (for its key), and → its own 'nieuw' row.
        size = int(self.nieuw_index.max()) + 1 if n else 0
        present = np.flatnonzero(self.nieuw_index >= 0)
        self._row_for_nieuw = np.full(size, -1, dtype=np.int64)
        self._row_for_nieuw[self.nieuw_index[present][::-1]] = present[::-1]
        lonely = np.flatnonzero(self.status == "nieuw")
        self._nieuw_row = np.full(size, -1, dtype=np.int64)
        self._nieuw_row[self.nieuw_index[lonely]] = lonely

    # --- questions ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.regels)

    def geclaimd(self) -> np.ndarray:
        """Per nieuw_index: is that new record shown as the partner of some old record now?

        An old row claims the record it points at (`gekozen`) unless its pair was rejected."""
        size = self._nieuw_row.size
        claimed = np.zeros(size, dtype=bool)
        mask = (self.oud_index >= 0) & (self.gekozen >= 0) & (self.besluit != AFGEWEZEN)
        claimed[self.gekozen[mask]] = True
        return claimed

    def zichtbaar(self) -> np.ndarray:
        """Rows a person can see: every old and ongeldig row, and a new record on its own row
        only while no old row shows it as partner (a rejected or re-chosen pair frees it) or
        when it is part of a manual pair. Each new record is thus shown exactly once."""
        visible = self.status != NIEUW_STATUS
        lonely = np.flatnonzero(~visible)
        if lonely.size:
            free = ~self.geclaimd()[self.nieuw_index[lonely]]
            visible[lonely] = free | (self.besluit[lonely] != OPEN)
        return visible

    def vervallen(self) -> np.ndarray:
        """Proposed pairs whose new record was chosen for another old record: no partner now."""
        return self.beslisbaar & (self.besluit == OPEN) & (self.gekozen < 0)

    def te_beslissen(self) -> np.ndarray:
        """Mask of rows that still need a person: proposed pairs without a decision."""
        return self.beslisbaar & (self.besluit == OPEN) & (self.gekozen >= 0)

    def aandacht(self) -> np.ndarray:
        """What the default view shows: open pairs plus running old records nobody took over."""
        alone = (self.status == "ontbreekt") & (self.besluit == OPEN)
        return self.te_beslissen() | alone | self.vervallen()

    def tellingen(self) -> dict[str, int]:
        """The one set of counts every screen shows: `open_twijfel` is exactly what the review
        table lists under Te beslissen + Twijfel."""
        open_rows = self.te_beslissen() | self.vervallen()  # every pair that needs a person
        counts = {f"open_{z}": int((open_rows & (self.zekerheid == z)).sum()) for z in ZEKERHEDEN}
        counts["open"] = int(open_rows.sum())
        counts["geaccepteerd"] = int((self.beslisbaar & (self.besluit == GEACCEPTEERD)).sum())
        counts["afgewezen"] = int((self.besluit == AFGEWEZEN).sum())
        counts["handmatig"] = int(((self.besluit == HANDMATIG) & (self.oud_index >= 0)).sum())
        counts["ontbreekt"] = int(((self.status == "ontbreekt") & (self.besluit == OPEN)).sum())
        counts["vervallen"] = int(self.vervallen().sum())
        return counts

    def oud_key(self, row: int) -> Key:
        return tuple(str(c[row]) for c in self._oud_cols)  # type: ignore[return-value]

    def nieuw_key(self, nieuw_index: int) -> Key | None:
        if not 0 <= nieuw_index < self._row_for_nieuw.size:
            return None
        row = int(self._row_for_nieuw[nieuw_index])
        return tuple(str(c[row]) for c in self._nieuw_cols) if row >= 0 else None  # type: ignore

    def nieuw_row(self, nieuw_index: int) -> int:
        """The row of an unpaired new record, or -1."""
        if nieuw_index is None or not 0 <= nieuw_index < self._nieuw_row.size:
            return -1
        return int(self._nieuw_row[nieuw_index])

    def alternatieven(self, row: int) -> list[int]:
        """The proposed nieuw_index first, then the other candidates matching found."""
        proposed = int(self.nieuw_index[row])
        extra = self.regels.at[row, "alternatieven"] if "alternatieven" in self.regels else ()
        options = [proposed] if proposed >= 0 else []
        for candidate in extra or ():
            if int(candidate) not in options:
                options.append(int(candidate))
        return options

    def kan_handmatig(self, row_a: int, row_b: int) -> bool:
        return self.handmatige_rollen(row_a, row_b) is not None

    def final_pairs(self) -> list[tuple[int, int]]:
        """(oud_index, nieuw_index) of every accepted or hand-made pair, for the writer."""
        mask = np.isin(self.besluit, (GEACCEPTEERD, HANDMATIG)) & (self.oud_index >= 0)
        mask &= self.gekozen >= 0
        rows = np.flatnonzero(mask)
        return list(zip(self.oud_index[rows].tolist(), self.gekozen[rows].tolist(), strict=True))

    def bevroren(self) -> ReviewSessie:
        """A copy of the decisions as they stand, read-only, for work on another thread."""
        kopie = copy.copy(self)
        for name in ("besluit", "gekozen", "partner"):
            array = getattr(self, name).copy()
            array.setflags(write=False)
            setattr(kopie, name, array)
        kopie.redenen = dict(self.redenen)
        kopie.undo_stack = []
        return kopie

    # --- actions -----------------------------------------------------------------------------

    def accept(self, rows: np.ndarray | list[int], omschrijving: str = "accepteren") -> int:
        """Accept the pairs as they stand; rows that are no pair, or whose new record is taken
        by another accepted pair, are skipped. Returns how many changed."""
        rows = np.asarray(rows, dtype=np.int64)
        rows = rows[self.beslisbaar[rows] & (self.besluit[rows] != GEACCEPTEERD)]
        rows = rows[(self.gekozen[rows] >= 0) & ~np.isin(self.gekozen[rows], self._taken())]
        return self._apply(omschrijving, rows, GEACCEPTEERD)

    def reject(self, rows: np.ndarray | list[int]) -> int:
        """Reject pairs; a manual pair is undone on both sides."""
        rows = np.asarray(rows, dtype=np.int64)
        manual = rows[self.besluit[rows] == HANDMATIG]
        partners = self.partner[manual]
        pair_rows = rows[self.beslisbaar[rows] & (self.besluit[rows] != HANDMATIG)]
        pair_rows = pair_rows[self.besluit[pair_rows] != AFGEWEZEN]
        touched = np.unique(np.concatenate([pair_rows, manual, partners[partners >= 0]]))
        if touched.size == 0:
            return 0
        self._push("afwijzen", touched)
        self.besluit[pair_rows] = AFGEWEZEN
        self.gekozen[pair_rows] = self.nieuw_index[pair_rows]
        released = np.concatenate([manual, partners[partners >= 0]])
        self.besluit[released] = OPEN
        self.gekozen[released] = self.nieuw_index[released]
        self.partner[released] = -1
        # A released proposal whose new record went to another old record stays without one.
        lost = released[self.beslisbaar[released]]
        lost = lost[np.isin(self.gekozen[lost], self._taken())]
        self.gekozen[lost] = -1
        for row in released.tolist():
            self.redenen.pop(row, None)
        self.versie += 1
        return int(touched.size)

    def accept_zekerheid(self, zekerheid: str) -> int:
        """Accept every open pair of one zekerheid at once; `twijfel` always needs a person."""
        if zekerheid == "twijfel":
            raise ValueError("twijfel wordt nooit in één keer geaccepteerd")
        rows = np.flatnonzero(self.te_beslissen() & (self.zekerheid == zekerheid))
        return self.accept(rows, f"alle '{zekerheid}' accepteren")

    def choose_alternative(self, row: int, nieuw_index: int) -> list[int]:
        """Pair a row with one of its candidates (Dutch ValueError when not possible).

        Another open proposal that pointed at the chosen record gets the record this row
        gives up when that is one of its own candidates, else it is left without a partner
        (it then shows as 'vervallen' and can be paired by hand). Returns those other rows."""
        if nieuw_index not in self.alternatieven(row):
            raise ValueError("Deze voorziening hoort niet bij de mogelijke koppelingen.")
        if nieuw_index in set(self._taken(exclude=row).tolist()):
            raise ValueError(
                "Die nieuwe voorziening is al aan een andere oude voorziening gekoppeld. "
                "Wijs die koppeling eerst af."
            )
        given_up = int(self.gekozen[row])
        others = np.flatnonzero(
            (self.gekozen == nieuw_index)
            & (self.besluit == OPEN)
            & (self.oud_index >= 0)
            & (np.arange(len(self)) != row)
        )
        self._push("kiezen", np.concatenate([[row], others]).astype(np.int64))
        self.gekozen[row] = nieuw_index
        self.besluit[row] = GEACCEPTEERD
        for other in others.tolist():
            free = given_up >= 0 and given_up != nieuw_index and not self.geclaimd()[given_up]
            self.gekozen[other] = given_up if free and given_up in self.alternatieven(other) else -1
        self.versie += 1
        return others.tolist()

    def pair_manually(self, row_a: int, row_b: int, reden: str = "") -> None:
        """Pair an old record nobody took over with an unpaired new record; `reden` is what the
        user saw and confirmed (kept in the overzicht and the session file)."""
        roles = self.handmatige_rollen(row_a, row_b)
        if roles is None:
            raise ValueError(
                "Kies één oude voorziening zonder koppeling en één nieuwe voorziening zonder "
                "voorganger."
            )
        old_row, new_row = roles
        self._push("met de hand koppelen", np.asarray([old_row, new_row], dtype=np.int64))
        self.gekozen[old_row] = self.nieuw_index[new_row]
        self.besluit[[old_row, new_row]] = HANDMATIG
        self.partner[old_row], self.partner[new_row] = new_row, old_row
        if reden:
            self.redenen[old_row] = reden
        self.versie += 1

    def undo(self) -> str | None:
        """Undo the last action; returns what was undone, or None when nothing is left."""
        if not self.undo_stack:
            return None
        stap = self.undo_stack.pop()
        self.besluit[stap.rows] = stap.besluit
        self.gekozen[stap.rows] = stap.gekozen
        self.partner[stap.rows] = stap.partner
        self.versie += 1
        return stap.omschrijving

    # --- saving ------------------------------------------------------------------------------

    def besluiten(self) -> list[dict]:
        """Every decision by key; no BSN, no row numbers that change with the file.

        Column-wise (no per-row key lookups): autosave calls this after every change."""
        rows = np.flatnonzero((self.besluit != OPEN) & (self.oud_index >= 0))
        oud = zip(*(c[rows].tolist() for c in self._oud_cols), strict=True)
        gekozen = self.gekozen[rows]
        has_new = (gekozen >= 0) & (gekozen < self._row_for_nieuw.size)
        new_rows = np.where(has_new, self._row_for_nieuw[np.where(has_new, gekozen, 0)], -1)
        has_new &= new_rows >= 0
        safe = np.where(has_new, new_rows, 0)
        nieuw = zip(*(c[safe].tolist() for c in self._nieuw_cols), strict=True)
        names = [_BESLUIT_OPSLAG.get(code, "") for code in range(4)]
        out: list[dict] = [
            {"oud": list(o), "nieuw": list(n) if known else None, "besluit": names[code]}
            for o, n, known, code in zip(
                oud, nieuw, has_new.tolist(), self.besluit[rows].tolist(), strict=True
            )
        ]
        if self.redenen:
            position = {row: i for i, row in enumerate(rows.tolist())}
            for row, reden in self.redenen.items():
                if row in position and self.besluit[row] == HANDMATIG:
                    out[position[row]]["reden"] = reden
        return out

    def apply_besluiten(self, besluiten: list[dict]) -> Overname:
        """Lay saved decisions over a fresh result, by old and new key.

        Keys are looked up with a pandas index and the decisions applied in bulk (rejections,
        then accepted proposals, one numpy step each); only chosen alternatives and manual
        pairs go one by one. Returns how many carried over and, for each that did not, why."""
        overname = Overname()
        if not besluiten:
            return overname
        old_rows = np.flatnonzero(self.oud_index >= 0)
        new_indexes = np.flatnonzero(self._row_for_nieuw >= 0)
        oud_saved = [item.get("oud") for item in besluiten]
        nieuw_saved = [item.get("nieuw") for item in besluiten]
        soort = np.array([str(item.get("besluit", "")) for item in besluiten], dtype=object)
        rows = _find_keys(self._oud_cols, old_rows, oud_saved)
        has_new_key = np.array(
            [(type(v) is list and len(v) == 3) or _as_key(v) is not None for v in nieuw_saved],
            dtype=bool,
        )
        nieuw_rows = self._row_for_nieuw[new_indexes]
        nieuw = _find_keys(self._nieuw_cols, nieuw_rows, nieuw_saved, new_indexes)
        known = np.isin(soort, ("afgewezen", "geaccepteerd", "handmatig"))
        usable = known & (rows >= 0) & (~has_new_key | (nieuw >= 0))
        for i in np.flatnonzero(~usable).tolist():
            label = _key_text(besluiten[i].get("oud")).replace("\t", " · ") or "?"
            if not known[i]:
                reason = "onbekend besluit in het sessiebestand"
            elif rows[i] < 0:
                reason = "deze oude voorziening staat niet meer in de export"
            else:
                named = _key_text(besluiten[i].get("nieuw")).replace("\t", " · ")
                reason = f"de nieuwe voorziening {named} staat niet meer in de nieuwe export"
            overname.niet.append((label, reason))

        wanted = np.where(has_new_key, nieuw, -1)  # -1: the decision named no new record

        def group(name: str) -> np.ndarray:
            return np.flatnonzero(usable & (soort == name))

        rejected = group("afgewezen")
        self._carry_rejections(rows[rejected], overname)
        accepted = group("geaccepteerd")
        self._carry_accepts(rows[accepted], wanted[accepted], overname)
        for i in group("handmatig").tolist():
            row, new, item = int(rows[i]), int(wanted[i]), besluiten[i]
            label = " · ".join(self.oud_key(row))
            try:
                self.pair_manually(row, self.nieuw_row(new) if new >= 0 else -1)
            except ValueError:
                overname.niet.append(
                    (
                        label,
                        "de met de hand gemaakte koppeling kan niet meer: een van beide "
                        "heeft nu een andere koppeling",
                    )
                )
                continue
            if item.get("reden"):
                self.redenen[row] = str(item["reden"])
            overname.overgenomen += 1
        self.undo_stack.clear()
        return overname

    def _carry_rejections(self, rows: np.ndarray, overname: Overname) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        ok = self.beslisbaar[rows] if rows.size else np.zeros(0, dtype=bool)
        for row in rows[~ok].tolist():
            overname.niet.append(
                (" · ".join(self.oud_key(row)), "wordt niet meer als koppeling voorgesteld")
            )
        rows = rows[ok]
        self.besluit[rows] = AFGEWEZEN
        overname.overgenomen += int(rows.size)

    def _carry_accepts(self, rows: np.ndarray, wanted: np.ndarray, overname: Overname) -> None:
        """Accept `rows`; `wanted` is the nieuw_index each decision named (-1: none named)."""
        rows = np.asarray(rows, dtype=np.int64)
        wanted = np.asarray(wanted, dtype=np.int64)
        as_proposed = (wanted < 0) | (wanted == self.gekozen[rows]) if rows.size else rows > 0
        plain = rows[as_proposed]
        if plain.size:
            self.accept(plain)
        failed = plain[self.besluit[plain] != GEACCEPTEERD]
        overname.overgenomen += int(plain.size - failed.size)
        for row in failed.tolist():
            reason = (
                "wordt niet meer als koppeling voorgesteld"
                if not self.beslisbaar[row]
                else "de nieuwe voorziening is al aan een andere oude voorziening gekoppeld"
            )
            overname.niet.append((" · ".join(self.oud_key(row)), reason))
        for row, nieuw in zip(
            rows[~as_proposed].tolist(), wanted[~as_proposed].tolist(), strict=True
        ):
            try:
                self.choose_alternative(row, nieuw)
            except ValueError as fout:
                overname.niet.append((" · ".join(self.oud_key(row)), str(fout).rstrip(".")))
            else:
                overname.overgenomen += 1

    # --- internals ---------------------------------------------------------------------------

    def _taken(self, exclude: int = -1) -> np.ndarray:
        mask = np.isin(self.besluit, (GEACCEPTEERD, HANDMATIG)) & (self.oud_index >= 0)
        if exclude >= 0:
            mask[exclude] = False
        return self.gekozen[mask]

    def _apply(self, omschrijving: str, rows: np.ndarray, besluit: int) -> int:
        if rows.size == 0:
            return 0
        self._push(omschrijving, rows)
        self.besluit[rows] = besluit
        self.versie += 1
        return int(rows.size)

    def _push(self, omschrijving: str, rows: np.ndarray) -> None:
        self.undo_stack.append(
            Stap(
                omschrijving,
                rows.copy(),
                self.besluit[rows].copy(),
                self.gekozen[rows].copy(),
                self.partner[rows].copy(),
            )
        )

    def handmatige_rollen(self, row_a: int, row_b: int) -> tuple[int, int] | None:
        """(old row, new row) when the two rows can be paired by hand, else None."""

        def is_old(row: int) -> bool:
            if self.oud_index[row] < 0 or self.besluit[row] in (GEACCEPTEERD, HANDMATIG):
                return False
            vervallen = self.beslisbaar[row] and self.gekozen[row] < 0
            return self.status[row] in UNPAIRED_OLD or self.besluit[row] == AFGEWEZEN or vervallen

        def is_new(row: int) -> bool:
            if (
                self.status[row] != "nieuw"
                or self.besluit[row] != OPEN
                or not self.zichtbaar()[row]
            ):
                return False
            return int(self.nieuw_index[row]) not in set(self._taken().tolist())

        if row_a < 0 or row_b < 0 or row_a == row_b:
            return None
        if is_old(row_a) and is_new(row_b):
            return row_a, row_b
        if is_old(row_b) and is_new(row_a):
            return row_b, row_a
        return None


def _as_text(column: np.ndarray) -> np.ndarray:
    """A key column as text: str() of any value that is not text already (rare)."""
    if pd.api.types.infer_dtype(column, skipna=False) in ("string", "empty"):
        return column
    return pd.Series(column).astype(str).to_numpy(dtype=object)


def _first_of(
    columns: list[np.ndarray], rows: np.ndarray, values: np.ndarray | None = None
) -> dict[Key, int]:
    """Key (three texts) of each of `rows` → that row, or its entry in `values`; a key that
    occurs more than once gives its first row. Tuples from zip, hashed in C: no joined text."""
    parts = [_as_text(c[rows]) for c in columns]
    targets = (rows if values is None else values).tolist()
    # Built from the end, so the first row of a duplicate key wins.
    keys = zip(*(p[::-1].tolist() for p in parts), strict=True)
    return dict(zip(keys, targets[::-1], strict=True))


def _find_keys(
    columns: list[np.ndarray], rows: np.ndarray, saved: list[object], values=None
) -> np.ndarray:
    """Per saved key: the row of `rows` with that key (or its entry in `values`), -1 if none.

    The common case in C: saved keys are lists of three strings and the registratienummers
    of `rows` are unique; then a pandas index on the registratienummer finds the one
    candidate row and the other two parts are compared column-wise. Anything else (duplicate
    numbers, a hand-edited file) takes the general way; both give the first row of a key."""
    targets = rows if values is None else values
    found = np.full(len(saved), -1, dtype=np.int64)
    keyed = np.array([type(v) is list and len(v) == 3 for v in saved], dtype=bool)
    items = np.flatnonzero(keyed)
    if items.size == 0:
        return _lookup(_first_of(columns, rows, values), _saved_keys(saved))
    picked = saved if items.size == len(saved) else [saved[i] for i in items.tolist()]
    parts = [np.array([v[k] for v in picked], dtype=np.object_) for k in range(3)]
    session = [_as_text(c[rows]) for c in columns]
    numbers = pd.Index(session[2])
    plain = all(pd.api.types.infer_dtype(p, skipna=False) == "string" for p in parts)
    others_none = bool(keyed.all()) or _all_none(saved, keyed)
    if not plain or not others_none or not numbers.is_unique:
        return _lookup(_first_of(columns, rows, values), _saved_keys(saved))
    position = numbers.get_indexer(parts[2])
    safe = np.maximum(position, 0)
    same = (position >= 0) & (session[0][safe] == parts[0]) & (session[1][safe] == parts[1])
    found[items[same]] = targets[position[same]]
    return found


def _all_none(saved: list[object], keyed: np.ndarray) -> bool:
    """Whether every saved value that is not a list of three is None (no key named)."""
    return all(saved[i] is None for i in np.flatnonzero(~keyed).tolist())


def _lookup(first: dict[Key, int], keys: list[Key | None]) -> np.ndarray:
    get = first.get
    return np.array([-1 if k is None else get(k, -1) for k in keys], dtype=np.int64)


def _key_columns(regels: pd.DataFrame, side: str) -> list[np.ndarray]:
    names = [f"{side}_gemeentecode", f"{side}_berichtgevercode", f"{side}_registratienummer"]
    columns = (regels[c] for c in names)
    return [(c.fillna("") if c.hasnans else c).to_numpy(dtype=object) for c in columns]


def _key_text(value: object) -> str:
    """A saved key as one text (parts joined by a tab) for messages; "" when it is not a key."""
    if isinstance(value, list | tuple) and len(value) == 3:
        return f"{value[0]}\t{value[1]}\t{value[2]}"
    return ""


def _saved_keys(values: list[object]) -> list[Key | None]:
    """Saved keys as tuples of three texts (None when not a key). JSON gives lists of three
    strings; anything else (a hand-edited file) goes the slow, safe way."""
    keys = [tuple(v) if type(v) is list and len(v) == 3 else _as_key(v) for v in values]
    parts = set(map(type, chain.from_iterable(k for k in keys if k is not None)))
    if parts <= {str}:
        return keys
    return [_as_key(v) for v in values]


def _as_key(value: object) -> Key | None:
    if isinstance(value, list | tuple) and len(value) == 3:
        return (str(value[0]), str(value[1]), str(value[2]))
    return None


# --- the session file --------------------------------------------------------------------------


def fingerprint(path: Path | str) -> dict:
    """Size, modification time and sha256 of the first MB: enough to notice a changed file."""
    path = Path(path)
    stat = path.stat()
    with path.open("rb") as stream:
        digest = hashlib.sha256(stream.read(FINGERPRINT_BYTES)).hexdigest()
    return {
        "pad": str(path),
        "grootte": stat.st_size,
        "mtime": stat.st_mtime,
        "sha256_eerste_mb": digest,
    }


@dataclass
class Sessiebestand:
    """What is kept between runs. Holds no personal data: keys, paths and choices only."""

    bestanden: dict[str, dict] = field(default_factory=dict)  # "oud"/"nieuw" → fingerprint
    aanleiding: str = ""
    mapping: dict[str, dict] = field(default_factory=dict)  # "oud"/"nieuw" → ColumnMapping json
    werkbladen: dict[str, str | None] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    besluiten: list[dict] = field(default_factory=list)
    stap: str = ""
    afgerond: bool = False
    bijgewerkt: str = ""

    def gewijzigde_bestanden(self) -> list[str]:
        """Dutch lines naming each input file that is gone or changed since the last save."""
        lines = []
        for rol, saved in self.bestanden.items():
            path = Path(saved.get("pad", ""))
            label = "oude" if rol == "oud" else "nieuwe"
            if not path.is_file():
                lines.append(f"De {label} export {path} is er niet meer.")
                continue
            now = fingerprint(path)
            same = all(now[k] == saved.get(k) for k in ("grootte", "sha256_eerste_mb"))
            if not same or now["mtime"] != saved.get("mtime"):
                lines.append(f"De {label} export {path.name} is gewijzigd sinds de vorige keer.")
        return lines


def save_session(path: Path, sessie: Sessiebestand) -> Path:
    """Write the session file atomically (a crash never leaves half a file)."""
    # Shallow: asdict() deep-copies every decision first (seconds for 90k of them).
    velden = {f.name: getattr(sessie, f.name) for f in fields(sessie)}
    payload = {"schema": SCHEMA, "versie": SCHEMA_VERSIE, **velden}
    payload["bijgewerkt"] = dt.datetime.now().isoformat(timespec="seconds")
    # Compact: with an indent the json module leaves its C encoder (90k decisions: 4x slower).
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return write_atomically(Path(path), lambda stream: stream.write(data))


def load_session(path: Path) -> Sessiebestand:
    """Read a session file; InvoerFout with a Dutch message when it cannot be used."""
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvoerFout(
            f"De opgeslagen sessie {path} kan niet worden gelezen. Begin opnieuw; "
            "uw invoerbestanden zijn niet veranderd."
        ) from exc
    if not isinstance(payload, dict) or payload.get("schema") != SCHEMA:
        raise InvoerFout(f"{path} is geen opgeslagen srgdesk-sessie.")
    if int(payload.get("versie", 0)) > SCHEMA_VERSIE:
        raise InvoerFout(
            "Deze sessie is opgeslagen met een nieuwere versie van srgdesk. Werk srgdesk bij, "
            "of begin opnieuw."
        )
    known = Sessiebestand.__dataclass_fields__
    return Sessiebestand(**{k: v for k, v in payload.items() if k in known})


def _with_shadow_rows(regels: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Append, for every proposed pair, a hidden 'nieuw' row for its new record.

    When the user rejects the pair, that new record has no predecessor any more; its shadow row
    becomes visible so it can be paired by hand with another old record.

    Built column by column on numpy arrays (no frame copy, no DataFrame concat): the same
    columns and dtypes as appending a copy of the pair rows with these values set."""
    status = regels["status"].to_numpy()
    source = np.flatnonzero((status == GEKOPPELD) & (regels["nieuw_index"].to_numpy() >= 0))
    schaduw_van = np.full(len(regels) + source.size, -1, dtype=np.int64)
    schaduw_van[len(regels) :] = source
    if source.size == 0:  # nothing to append: the rows as they are, with their own dtypes
        return regels.reset_index(drop=True), schaduw_van
    vrijgekomen = [
        f"Vrijgekomen: was voorgesteld bij {nummer}; die koppeling is afgewezen of daar is "
        "een andere gekozen"
        for nummer in regels["oud_registratienummer"].to_numpy()[source].tolist()
    ]
    fills: dict[str, object] = {  # in the order a shadow frame would get them set
        "status": NIEUW_STATUS,
        "zekerheid": "",
        "soort_koppeling": "",
        "score": 0,
        "reden": np.array(vrijgekomen, dtype=object),
    }
    for column in regels.columns:
        if column.startswith("oud_") and column != "oud_index":
            fills[column] = 0 if column == "oud_regel" else ""
    fills["oud_index"] = -1
    if "alternatieven" in regels:
        geen = np.empty(source.size, dtype=object)
        geen.fill(())
        fills["alternatieven"] = geen
    columns = {
        column: _stacked(regels[column], source, fills.get(column, _TAKE))
        for column in regels.columns
    }
    for column, shadow in fills.items():  # a column the rows lack: empty on the rows themselves
        if column not in columns:
            textual = isinstance(shadow, str | np.ndarray)
            empty = np.full(len(regels), np.nan, dtype=object if textual else np.float64)
            columns[column] = np.concatenate([empty, np.full(source.size, shadow)])
    return pd.DataFrame(columns, copy=False), schaduw_van  # fresh arrays: no second copy


_TAKE = object()  # in _stacked: the shadow rows copy the pair rows' own values


def _stacked(values: pd.Series, source: np.ndarray, shadow: object) -> object:
    """One column of the pair rows followed by the shadow rows: their own values (`_TAKE`), one
    value for all, or an object array. The dtype is the one pandas' concat would give."""
    dtype = values.dtype
    plain = isinstance(dtype, np.dtype)
    if shadow is _TAKE:
        if plain:
            array = values.to_numpy()
            return np.concatenate([array, array[source]])
        return pd.concat([values, values.iloc[source]], ignore_index=True)
    textual = dtype == np.dtype(object) or isinstance(dtype, pd.CategoricalDtype)
    if isinstance(shadow, np.ndarray) and textual:
        return np.concatenate([values.to_numpy(dtype=object), shadow])
    if isinstance(shadow, str) and textual:
        return np.concatenate([values.to_numpy(dtype=object), np.full(source.size, shadow, object)])
    if type(shadow) is int and dtype == np.int64:
        return np.concatenate([values.to_numpy(), np.full(source.size, shadow, np.int64)])
    # Anything else (not met in a matching result): let pandas choose, as a concat would.
    extra = pd.Series(shadow if isinstance(shadow, np.ndarray) else [shadow] * source.size)
    return pd.concat([values.reset_index(drop=True), extra], ignore_index=True)
