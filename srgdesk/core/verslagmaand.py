"""The verslagmaand of an export: the month it reports on, and where that knowledge came from.

In order of trust: what the user gave, the export's own column (or year + month columns), the
file name ('SRG_202401.csv', 'export-2024-01.xlsx'), and last an estimate from the begindata
that ignores a few starters far ahead of the rest: one future starter must not move the month
(and turn lost voorzieningen into "beëindigd").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import MAANDEN
from srgdesk.core.values import EPOCH, GEEN, OPEN, one_text

BRON_OPGEGEVEN = "opgegeven"
BRON_KOLOM = "kolom"
BRON_BESTANDSNAAM = "bestandsnaam"
BRON_AFGELEID = "afgeleid"  # estimated from the begindata
PERIODE_ATTR = "srgdesk_periode"  # frame.attrs key: the period load_export settled on
OUTLIER_SHARE = 0.005  # at most this share of rows (or 2) may be starters ignored as "far ahead"
SMALL_EXPORT = 100

_FILE_MONTH = re.compile(
    r"(?<!\d)(?P<jaar>20\d\d)[-_ .]?(?P<maand>0[1-9]|1[0-2])"
    r"(?:[-_ .]?(?:0[1-9]|[12]\d|3[01]))?(?!\d)"
)


@dataclass(frozen=True)
class Periode:
    """The verslagmaand of one export and where it came from (see the BRON_ constants)."""

    maand: str
    bron: str
    toelichting: str = ""

    @property
    def eerste_dag(self) -> int:
        return int((np.datetime64(f"{self.maand[:4]}-{self.maand[4:]}", "D") - EPOCH).astype(int))

    def tekst(self) -> str:
        how = {
            BRON_KOLOM: "uit de kolom Verslagmaand",
            BRON_AFGELEID: "geschat uit de begindata; controleer dit",
            BRON_OPGEGEVEN: "door u opgegeven",
            BRON_BESTANDSNAAM: "uit de bestandsnaam",
        }.get(self.bron, self.bron)
        extra = f"; {self.toelichting}" if self.toelichting else ""
        return f"{MAANDEN[int(self.maand[4:]) - 1]} {self.maand[:4]} ({how}{extra})"


def parse_verslagmaand(text: str, label: str) -> str:
    """'2024-01' or '202401' → '202401'; anything else is one Dutch error."""
    compact = text.replace("-", "").strip()
    if len(compact) != 6 or not compact.isdigit() or not 1 <= int(compact[4:]) <= 12:
        raise InvoerFout(
            f"Verslagmaand {label} '{text}' is ongeldig. Schrijf JJJJMM, bijvoorbeeld 202401."
        )
    return compact


def month_from_file_name(name: str) -> str | None:
    """'SRG_202401_export.csv', 'levering-2024-01.xlsx', 'x_20240131.csv' → '202401'."""
    found = list(_FILE_MONTH.finditer(name))
    if not found:
        return None
    last = found[-1]
    return f"{last['jaar']}{last['maand']}"


def determine_period(frame: pd.DataFrame, override: str | None, label: str) -> Periode:
    """Verslagmaand: opgegeven > what load_export settled on (column, file name, estimate) >
    the column's most common value > an estimate from the begindata."""
    if override:
        return Periode(parse_verslagmaand(override, label), BRON_OPGEGEVEN)
    known = frame.attrs.get(PERIODE_ATTR)
    if isinstance(known, Periode):
        return known
    return settle_period(frame, None, label, None)


def settle_period(
    frame: pd.DataFrame, override: str | None, label: str, file_name: str | None
) -> Periode:
    """The verslagmaand of cleaned voorzieningen, trying each source in order of trust."""
    if override:
        return Periode(parse_verslagmaand(override, label), BRON_OPGEGEVEN)
    if len(frame):
        # the most common month (the smallest of a tie, as Series.mode gives it), counted per
        # distinct value: no comparison or copy per row
        column = frame["verslagmaand"].to_numpy()
        if isinstance(column[0], str) and one_text(column):  # the usual case: one month
            months, counts = np.array([column[0]], dtype=object), np.array([len(column)])
        else:
            codes, months = pd.factorize(column, sort=False)
            counts = np.bincount(codes[codes >= 0], minlength=len(months))
        counts[[i for i, month in enumerate(months) if month == ""]] = 0
        if counts.any():
            common = [m for m, c in zip(months, counts, strict=True) if c == counts.max()]
            return Periode(str(min(common)), BRON_KOLOM)
    from_name = month_from_file_name(file_name) if file_name else None
    if from_name:
        return Periode(from_name, BRON_BESTANDSNAAM)
    if frame.empty:
        raise InvoerFout(f"De {label} export heeft geen bruikbare regels.")
    return estimate_period(frame["begindatum"].to_numpy(), frame["einddatum"].to_numpy())


def _month_counts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Real dates (not GEEN, not OPEN) → the distinct months since 1970-01 (ascending) and how
    many dates fall in each. Converted per distinct day and counted without sorting every row."""
    days = np.asarray(days, dtype=np.int64)
    days = days[(days != GEEN) & (days != OPEN)]
    low = int(days.min()) if len(days) else 0
    if len(days) and int(days.max()) - low <= 4 * len(days) + 4096:
        # the usual span of a few decades: counted per day directly, without hashing
        per_day = np.bincount(days - low)
        unique_days = np.flatnonzero(per_day)
        per_day, unique_days = per_day[unique_days], unique_days + low
    else:
        codes, unique_days = pd.factorize(days, sort=False)
        per_day = np.bincount(codes, minlength=len(unique_days))
    months = (
        (EPOCH + np.asarray(unique_days, dtype=np.int64).astype("timedelta64[D]"))
        .astype("datetime64[M]")
        .astype(np.int64)
    )
    distinct, which = np.unique(months, return_inverse=True)
    counts = np.bincount(which.ravel(), weights=per_day, minlength=len(distinct))
    return distinct, counts.astype(np.int64)


def estimate_period(begindata: np.ndarray, einddata: np.ndarray | None = None) -> Periode:
    """The latest month in which voorzieningen start, skipping months far ahead of the rest
    (one empty month before them, two in a small export) as long as they hold only a few
    starters (2, or 0.5 % of the rows in a large export).

    Einddata then move the estimate later, to the one month after it in which voorzieningen
    end, when that month holds or directly follows starters and nothing ends later (then the
    package writes no planned ends, and a record ending in that month still ran in it): an
    SRG_202401 export with its last starters in december and ends in januari is januari.
    Ends spread over later months are planned ends and say nothing about the export month."""
    distinct, counts = _month_counts(begindata)
    if not len(distinct):
        raise InvoerFout("Er is geen begindatum om de verslagmaand uit af te leiden.")
    starters = int(counts.sum())  # for the outlier share
    distinct, counts = distinct[::-1], counts[::-1]
    limit = max(2.0, OUTLIER_SHARE * starters)
    # In a small export a month without starters is normal: ask for two empty months there.
    gap = 2 if starters >= SMALL_EXPORT else 3
    skipped, index = 0, 0
    while index < len(distinct) - 1:
        ahead = distinct[index] - distinct[index + 1] >= gap
        if not ahead or skipped + counts[index] > limit:
            break
        skipped += int(counts[index])
        index += 1
    estimate = int(distinct[index])
    note = f"{skipped} begindatum(s) ver na deze maand niet meegeteld" if skipped else ""
    ends = _month_counts(einddata)[0] if einddata is not None else np.zeros(0, np.int64)
    later = ends[ends > estimate]
    if len(later) and later.min() == later.max():  # ends in one month only: no planned ends
        first_end = int(later.min())
        start_months = set(distinct.tolist())
        if first_end in start_months or first_end - 1 in start_months:
            estimate = first_end
            note = "een einddatum in deze maand; begindata wezen op een eerdere maand"
    text = str(np.datetime64(estimate, "M")).replace("-", "")
    return Periode(text, BRON_AFGELEID, note)
