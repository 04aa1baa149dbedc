"""The result frame of matching: its columns and their types, declared once.

Review, GUI and outputs read these names instead of retyping strings. Status, soort_koppeling
and zekerheid are integer-coded categoricals whose categories are the vocabulary enums plus ""
(no value), so a 100k-row result holds three small integer arrays instead of string objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from srgdesk.core.vocabulary import SoortKoppeling, Status, Zekerheid

# Column names.
STATUS = "status"
SOORT_KOPPELING = "soort_koppeling"
ZEKERHEID = "zekerheid"
SCORE = "score"
REDEN = "reden"
OUD_INDEX = "oud_index"
NIEUW_INDEX = "nieuw_index"
BSN = "bsn"
ALTERNATIEVEN = "alternatieven"

KEY = ["gemeentecode", "berichtgevercode", "registratienummer"]
SIDES = ("oud", "nieuw")
KEY_COLUMNS = [f"{side}_{k}" for side in SIDES for k in KEY]
RECORD_TEXT = ("soort", "omschrijving", "begindatum", "einddatum")

# The columns of matches.csv, in order.
MATCH_COLUMNS = [
    STATUS,
    SOORT_KOPPELING,
    ZEKERHEID,
    SCORE,
    REDEN,
    *KEY_COLUMNS,
    "oud_regel",
    "nieuw_regel",
]

STATUS_TYPE = pd.CategoricalDtype(["", *Status])
SOORT_KOPPELING_TYPE = pd.CategoricalDtype(["", *SoortKoppeling])
ZEKERHEID_TYPE = pd.CategoricalDtype(["", *Zekerheid])


@dataclass(frozen=True)
class Kolom:
    """One column of the result frame: name, pandas dtype and what it holds."""

    naam: str
    dtype: object
    betekenis: str


COLUMNS: tuple[Kolom, ...] = (
    Kolom(STATUS, STATUS_TYPE, "uitkomst voor dit record (Status)"),
    Kolom(SOORT_KOPPELING, SOORT_KOPPELING_TYPE, "soort koppeling bij 'gekoppeld'"),
    Kolom(ZEKERHEID, ZEKERHEID_TYPE, "zeker, waarschijnlijk, twijfel of leeg"),
    Kolom(SCORE, np.dtype(np.int64), "som van de gewichten van de regels die gelden"),
    Kolom(REDEN, np.dtype(object), "uitleg in gewone taal"),
    Kolom(OUD_INDEX, np.dtype(np.int64), "rij in de oude voorzieningen, -1 als er geen is"),
    Kolom(NIEUW_INDEX, np.dtype(np.int64), "rij in de nieuwe voorzieningen, -1 als er geen is"),
    *(
        kolom
        for side in SIDES
        for kolom in (
            *(
                Kolom(f"{side}_{name}", np.dtype(object), f"{name} ({side}), '' als er geen is")
                for name in (*KEY, "soort", "omschrijving")
            ),
            Kolom(f"{side}_regel", np.dtype(np.int64), f"Excel-regel ({side}), 0 als er geen is"),
            *(
                Kolom(f"{side}_{name}", np.dtype(object), f"{name} ({side}) als DD-MM-JJJJ of ''")
                for name in ("begindatum", "einddatum")
            ),
        )
    ),
    Kolom(BSN, np.dtype(object), "BSN van de persoon ('' bij een ongeldige regel)"),
    Kolom(
        ALTERNATIEVEN, np.dtype(object), "bij twijfel: tuple van nieuwe indexen om uit te kiezen"
    ),
)
COLUMN_NAMES = [k.naam for k in COLUMNS]


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly the declared columns, in order, each of its declared type; columns
    are cast in place (no copy of the whole frame). A value outside a categorical's categories
    is a programming error, not silently lost."""
    if list(frame.columns) != COLUMN_NAMES:
        frame = frame[COLUMN_NAMES].copy()
    dtypes = frame.dtypes  # read once: no Series built for a column that is right already
    for k in COLUMNS:
        if dtypes[k.naam] == k.dtype:
            continue
        values = frame[k.naam]
        if isinstance(k.dtype, pd.CategoricalDtype):
            cast = pd.Categorical(values, dtype=k.dtype)
            if (cast.codes < 0).any():
                unknown = sorted(set(values[cast.codes < 0].astype(str)))
                raise ValueError(f"{k.naam}: onbekende waarde(n) {unknown}")
            frame[k.naam] = cast
        elif values.dtype != k.dtype:
            frame[k.naam] = values.to_numpy(dtype=k.dtype)
    return frame
