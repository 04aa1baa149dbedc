"""Candidate pairs and their evidence.

Candidates are all (old, new) record pairs of one person (same BSN), same-key pairs included:
the same key is evidence, not proof. A key used for another person in the new export is a
conflict, reported and never paired. Every rule of `rules.RULES` is evaluated over all
candidates at once; a pair stays when no excluding rule holds and at least one decisive or
indicative rule does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

from srgdesk.core.codes import CodeTabel
from srgdesk.core.matching.rules import RULES, Paren, Regel, Rol, Toleranties, evaluate
from srgdesk.core.matching.schema import KEY
from srgdesk.core.values import OPEN

CONVERSION_MIN_COUNT = 10
CONVERSION_MIN_SHARE = 0.02


@dataclass
class Kandidaten:
    """Same-BSN pairs (o, n), which of them share the key, and the key conflicts."""

    paren: pd.DataFrame  # o, n, zelfde_sleutel
    conflicten: pd.DataFrame  # o, n: same key, another person
    sleutel_nieuw: np.ndarray  # bool per new record: its key is in the old export, same person


@dataclass
class Bewijs:
    """The candidate pairs that survive, with each rule's verdict and the score."""

    o: np.ndarray
    n: np.ndarray
    bsn: np.ndarray  # integer person code, for grouping
    score: np.ndarray
    regels: dict[str, np.ndarray]  # rule name → bool per pair
    beslissend: np.ndarray  # bool: some decisive rule holds

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
        )


def joint_codes(
    left: pd.DataFrame, right: pd.DataFrame, columns: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes for the value combinations of `columns`, shared by both frames (fast joins)."""
    both = pd.concat([left[columns], right[columns]], ignore_index=True)
    if len(columns) == 1:
        codes, _ = pd.factorize(both[columns[0]], sort=False)
    else:
        codes = both.groupby(columns, sort=False).ngroup().to_numpy()
    return codes[: len(left)], codes[len(left) :]


def kandidaten(old: pd.DataFrame, new: pd.DataFrame) -> Kandidaten:
    """All same-BSN pairs, and the same-key pairs of different persons (conflicts)."""
    key_o, key_n = joint_codes(old, new, list(KEY))
    bsn_o, bsn_n = joint_codes(old, new, ["bsn"])
    left = pd.DataFrame({"key": key_o, "bsn": bsn_o, "o": np.arange(len(old))})
    right = pd.DataFrame({"key": key_n, "bsn": bsn_n, "n": np.arange(len(new))})
    same_key = left.merge(right, on="key", suffixes=("_o", "_n"))
    conflicts = same_key[same_key["bsn_o"] != same_key["bsn_n"]][["o", "n"]]
    pairs = left.merge(right, on="bsn", suffixes=("_o", "_n"))
    pairs = pd.DataFrame(
        {
            "o": pairs["o"].to_numpy(),
            "n": pairs["n"].to_numpy(),
            "zelfde_sleutel": pairs["key_o"].to_numpy() == pairs["key_n"].to_numpy(),
        }
    )
    sleutel_nieuw = np.zeros(len(new), dtype=bool)
    sleutel_nieuw[pairs["n"].to_numpy()[pairs["zelfde_sleutel"].to_numpy()]] = True
    return Kandidaten(pairs, conflicts.reset_index(drop=True), sleutel_nieuw)


def detect_conversion_dates(begin: np.ndarray) -> np.ndarray:
    """Dates shared by an unusually large share of new records: the day the new package took over."""
    if len(begin) == 0:
        return np.array([], dtype=np.int32)
    values, counts = np.unique(begin, return_counts=True)
    large = counts >= max(CONVERSION_MIN_COUNT, CONVERSION_MIN_SHARE * len(begin))
    others = counts[~large]
    typical = max(1.0, float(np.median(others))) if len(others) else 1.0
    return values[large & (counts >= 10 * typical)]


def open_end(frame: pd.DataFrame) -> np.ndarray:
    """Einddatum as int64 days, OPEN where it runs on. An einddatum before the begindatum is
    nonsense (a package writing 00000000 for 'open'): read as open, so the voorziening is
    looked for rather than silently taken as ended."""
    begin = frame["begindatum"].to_numpy().astype(np.int64)
    end = frame["einddatum"].to_numpy().astype(np.int64)
    return np.where(end < begin, np.int64(OPEN), end)


def _per_record(frame: pd.DataFrame, column: str, function) -> np.ndarray:
    """`function` applied once per distinct value of a text column, spread back over the rows."""
    codes, uniques = pd.factorize(frame[column], sort=False)
    if not len(codes):
        return np.array([], dtype=object)
    return function(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)[codes]


def _plain_text(values: pd.Series) -> pd.Series:
    return values.str.lower().str.replace(r"[^a-z0-9]", "", regex=True)


NUMBER_DECORATION = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_/.: "


def number_core(numbers: np.ndarray) -> np.ndarray:
    """Registratienummer without letters and separators at either end and without leading
    zeros ('VZ-000123' → '123'), as a numpy string array (vectorised in C)."""
    text = np.asarray(numbers, dtype=StringDType())
    return np.strings.lstrip(np.strings.strip(text, NUMBER_DECORATION), "0")


def paren(
    old: pd.DataFrame,
    new: pd.DataFrame,
    o: np.ndarray,
    n: np.ndarray,
    zelfde_sleutel: np.ndarray,
    codes: CodeTabel,
    conversion_dates: np.ndarray,
    toleranties: Toleranties,
) -> Paren:
    """The attributes the rules look at, for the pairs (o[i], n[i])."""

    def col(frame: pd.DataFrame, name: str, index: np.ndarray) -> np.ndarray:
        return frame[name].to_numpy()[index]

    nb = col(new, "begindatum", n).astype(np.int64)
    return Paren(
        begin_oud=col(old, "begindatum", o).astype(np.int64),
        einde_oud=open_end(old)[o],
        begin_nieuw=nb,
        einde_nieuw=open_end(new)[n],
        nummer_oud=col(old, "registratienummer", o),
        nummer_nieuw=col(new, "registratienummer", n),
        kern_oud=number_core(old["registratienummer"].to_numpy())[o],
        kern_nieuw=number_core(new["registratienummer"].to_numpy())[n],
        zelfde_sleutel=zelfde_sleutel,
        andere_codes=(col(old, "gemeentecode", o) != col(new, "gemeentecode", n))
        | (col(old, "berichtgevercode", o) != col(new, "berichtgevercode", n)),
        soort_past=codes.compatible(col(old, "soort", o), col(new, "soort", n)),
        op_conversiedatum=np.isin(nb, conversion_dates),
        loonwaarde_oud=col(old, "loonwaarde", o),
        loonwaarde_nieuw=col(new, "loonwaarde", n),
        omschrijving_oud=_per_record(old, "omschrijving", _plain_text)[o],
        omschrijving_nieuw=_per_record(new, "omschrijving", _plain_text)[n],
        toleranties=toleranties,
    )


def bewijs(
    old: pd.DataFrame,
    new: pd.DataFrame,
    kand: Kandidaten,
    codes: CodeTabel,
    conversion_dates: np.ndarray,
    toleranties: Toleranties,
    rules: tuple[Regel, ...] = RULES,
) -> tuple[Bewijs, Paren]:
    """Evaluate every rule over the candidates; keep the pairs with evidence and no exclusion."""
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
    )
    verdicts = evaluate(p, rules)
    score = np.zeros(len(o), dtype=np.int64)
    evidence = np.zeros(len(o), dtype=bool)
    excluded = np.zeros(len(o), dtype=bool)
    decisive = np.zeros(len(o), dtype=bool)
    for rule in rules:
        holds = verdicts[rule.naam]
        if rule.rol == Rol.UITSLUITEND:
            excluded |= holds
            continue
        score += rule.gewicht * holds
        if rule.bewijs:
            evidence |= holds
        if rule.rol == Rol.BESLISSEND:
            decisive |= holds
    keep = np.flatnonzero(evidence & ~excluded)
    bsn_codes, _ = pd.factorize(old["bsn"].to_numpy()[o[keep]], sort=False)
    result = Bewijs(
        o[keep],
        n[keep],
        bsn_codes.astype(np.int64),
        score[keep],
        {name: holds[keep] for name, holds in verdicts.items()},
        decisive[keep],
    )
    return result, _take_paren(p, keep)


def _take_paren(p: Paren, index: np.ndarray) -> Paren:
    values = {
        name: getattr(p, name)[index]
        for name in Paren.__dataclass_fields__
        if name != "toleranties"
    }
    return Paren(**values, toleranties=p.toleranties)
