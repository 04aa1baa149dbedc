"""The review table over column arrays: sorting and filtering by numpy index maps.

Built for 100k rows: every display column is a numpy object array computed once; a filter or sort
change computes one index array (`view`), and data() only indexes into arrays. No proxy model,
no Python call per row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from srgdesk.core.review import (
    AFGEWEZEN,
    BESLUIT_NAMEN,
    GEACCEPTEERD,
    HANDMATIG,
    OPEN,
    ReviewSessie,
)

# Essential columns first; the reason last, where it takes what room is left (elided, with the
# full text as tooltip), so at 1366 x 768 soort and dates show without scrolling.
COLUMNS: list[tuple[str, str]] = [
    ("status", "Status"),
    ("zekerheid", "Zekerheid"),
    ("besluit", "Besluit"),
    ("oud", "Oude sleutel"),
    ("nieuw", "Nieuwe sleutel"),
    ("bsn", "BSN"),
    ("soort", "Soort"),
    ("oud_begin", "Begin oud"),
    ("oud_eind", "Eind oud"),
    ("nieuw_begin", "Begin nieuw"),
    ("nieuw_eind", "Eind nieuw"),
    ("reden", "Reden"),
]
COLUMN_WIDTHS = [80, 85, 90, 165, 165, 80, 95, 78, 78, 78, 78, 300]
STATUS_TEKST = {
    "gekoppeld": "gekoppeld",
    "ongewijzigd": "ongewijzigd",
    "beeindigd": "beëindigd",
    "ontbreekt": "ontbreekt",
    "nieuw": "nieuw",
    "ongeldig": "ongeldig",
}

# Every text a column of fixed words can show: column widths allow for the longest, not only
# for what the first rows happen to hold (all 'open' before any decision).
FIXED_TEXTS: dict[str, tuple[str, ...]] = {
    "status": tuple(STATUS_TEKST.values()),
    "zekerheid": ("zeker", "waarschijnlijk", "twijfel"),
    "besluit": tuple(BESLUIT_NAMEN.values()),
}

# Status filter choices: label → name understood by `_status_mask`.
STATUS_FILTERS = [
    ("Te beslissen", "aandacht"),
    ("Alles", "alles"),
    ("Zonder koppeling", "los"),
    ("Gekoppeld", "gekoppeld"),
    ("Geaccepteerd", "geaccepteerd"),
    ("Afgewezen", "afgewezen"),
    ("Met de hand", "handmatig"),
    ("Ontbreekt", "ontbreekt"),
    ("Beëindigd", "beeindigd"),
    ("Nieuw", "nieuw"),
    ("Ongewijzigd", "ongewijzigd"),
    ("Ongeldig", "ongeldig"),
]
ZEKERHEID_FILTERS = [
    ("Alle zekerheden", ""),
    ("Zeker", "zeker"),
    ("Waarschijnlijk", "waarschijnlijk"),
    ("Twijfel", "twijfel"),
]
BESLUIT_BRUSH = {
    GEACCEPTEERD: QBrush(QColor("#dff0d8")),
    AFGEWEZEN: QBrush(QColor("#f8d7da")),
    HANDMATIG: QBrush(QColor("#d9edf7")),
}
ZEKERHEID_BRUSH = {
    "twijfel": QBrush(QColor("#8a4b00")),
    "waarschijnlijk": QBrush(QColor("#555555")),
}


def _raw(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame:
        return np.full(len(frame), "", dtype=object)
    values = frame[column]
    return (values.fillna("") if values.hasnans else values).to_numpy(dtype=object)


def _missing(value: object) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


class Kolommen:
    """The session's columns for the table. `cel` gives one value ("" for a missing one) as
    the table paints it, without filling a whole column first; `[name]` gives a whole column
    with missing values as "" (for sorting and searching), built on first use. Opening the
    table thus costs no pass over 200k rows per column."""

    def __init__(self, frame: pd.DataFrame, filled: dict[str, np.ndarray]):
        self._frame = frame
        self._filled = dict(filled)
        self._plain: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self._filled:
            self._filled[name] = _raw(self._frame, name)
        return self._filled[name]

    def cel(self, name: str, row: int):
        column = self._filled.get(name)
        if column is None:
            column = self._plain.get(name)
            if column is None:
                frame = self._frame
                column = (
                    frame[name].to_numpy(dtype=object)
                    if name in frame
                    else np.full(len(frame), "", dtype=object)
                )
                self._plain[name] = column
        value = column[row]
        return value if type(value) is str or not _missing(value) else ""


def mask_bsn(bsn: str) -> str:
    """'*****6789': enough to recognise a person on the phone, not enough to identify one."""
    return "*****" + bsn[-4:] if bsn else ""


KEY_PARTS = ("gemeentecode", "berichtgevercode", "registratienummer")
DATE_COLUMNS = {
    "oud_begin": "oud_begindatum",
    "oud_eind": "oud_einddatum",
    "nieuw_begin": "nieuw_begindatum",
    "nieuw_eind": "nieuw_einddatum",
}


class ReviewModel(QAbstractTableModel):
    def __init__(self, sessie: ReviewSessie):
        super().__init__()
        self.sessie = sessie
        r = sessie.regels
        # Raw columns only; display text is composed per visible cell in cell(). The key
        # columns the session built already (same rows, same "" for missing).
        keys = {}
        for side, columns in (("oud", sessie._oud_cols), ("nieuw", sessie._nieuw_cols)):
            keys.update({f"{side}_{k}": c for k, c in zip(KEY_PARTS, columns, strict=True)})
        self._raw = Kolommen(r, keys)
        self.toon_bsn = False
        self._besluit_text = np.array([BESLUIT_NAMEN[i] for i in range(4)], dtype=object)
        self._search: pd.Series | None = None
        self._orders: dict[str, np.ndarray] = {}
        self.status_filter = "aandacht"
        self.zekerheid_filter = ""
        self.zoek = ""
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._order = np.arange(len(sessie), dtype=np.int64)
        self.view = np.arange(0, dtype=np.int64)
        self.refresh()

    # --- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else int(self.view.size)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(int(self.view[index.row()]), COLUMNS[index.column()][0])
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[index.column()][0] == "reden":
            return self._reden(int(self.view[index.row()]))
        if role == Qt.ItemDataRole.BackgroundRole and COLUMNS[index.column()][0] == "besluit":
            return BESLUIT_BRUSH.get(int(self.sessie.besluit[self.view[index.row()]]))
        if role == Qt.ItemDataRole.ForegroundRole and COLUMNS[index.column()][0] == "zekerheid":
            return ZEKERHEID_BRUSH.get(self._raw.cel("zekerheid", int(self.view[index.row()])))
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section][0] in ("oud", "nieuw"):
            return "Gemeentecode · berichtgevercode · registratienummer voorziening"
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[section][0] == "soort":
            return "Soort voorziening: oude code → nieuwe code"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        if column < 0:
            self._order = np.arange(len(self.sessie), dtype=np.int64)
        else:
            self._order = self._ascending(COLUMNS[column][0])
            if order == Qt.SortOrder.DescendingOrder:
                self._order = self._order[::-1].copy()
        self.refresh()

    # --- our API --------------------------------------------------------------------------

    def cell(self, row: int, name: str) -> str:
        raw = self._raw
        if name == "besluit":
            code = int(self.sessie.besluit[row])
            return self._besluit_text[code] if code != OPEN or self.sessie.beslisbaar[row] else ""
        if name == "bsn":
            bsn = raw.cel("bsn", row)
            return bsn if self.toon_bsn else mask_bsn(bsn)
        if name == "status":
            status = raw.cel("status", row)
            return STATUS_TEKST.get(status, status)
        if name == "nieuw" and self.sessie.oud_index[row] >= 0:
            gekozen = int(self.sessie.gekozen[row])
            if gekozen != self.sessie.nieuw_index[row] and self.sessie.besluit[row] != AFGEWEZEN:
                key = self.sessie.nieuw_key(gekozen) if gekozen >= 0 else None
                return " · ".join(key) if key else ""
        if name == "reden":
            return self._reden(row)
        if name in ("oud", "nieuw"):
            parts = [raw.cel(f"{name}_{k}", row) for k in KEY_PARTS]
            return " · ".join(parts) if parts[2] else ""
        if name == "soort":
            old, new = raw.cel("oud_soort", row), raw.cel("nieuw_soort", row)
            return f"{old} → {new}" if old and new else old or new
        if name in DATE_COLUMNS:
            return raw.cel(DATE_COLUMNS[name], row)
        return raw.cel(name, row)

    def _reden(self, row: int) -> str:
        """The matching reason, or what the user's choices made of this row since."""
        s = self.sessie
        if row in s.redenen and s.besluit[row] == HANDMATIG:
            return f"Met de hand gekoppeld: {s.redenen[row]}"
        if s.beslisbaar[row] and s.besluit[row] != AFGEWEZEN:
            if s.gekozen[row] < 0:
                return (
                    "Voorstel vervallen: de voorgestelde nieuwe voorziening is bij een andere "
                    "oude voorziening gekozen. Koppel met de hand of wijs af."
                )
            if s.gekozen[row] != s.nieuw_index[row]:
                return "Gekozen uit de mogelijke koppelingen (Andere kiezen)."
        return self._raw.cel("reden", row)

    def set_filters(
        self, status: str | None = None, zekerheid: str | None = None, zoek: str | None = None
    ) -> None:
        if status is not None:
            self.status_filter = status
        if zekerheid is not None:
            self.zekerheid_filter = zekerheid
        if zoek is not None:
            self.zoek = zoek.strip().lower()
        self.refresh()

    def set_toon_bsn(self, toon: bool) -> None:
        self.toon_bsn = toon
        column = [name for name, _ in COLUMNS].index("bsn")
        if self.view.size:
            self.dataChanged.emit(
                self.index(0, column),
                self.index(self.view.size - 1, column),
                [Qt.ItemDataRole.DisplayRole],
            )

    def refresh(self) -> None:
        """Recompute the visible rows after a filter, sort or decision change."""
        mask = self._mask()
        self.beginResetModel()
        self.view = self._order[mask[self._order]]
        self.endResetModel()

    def rows_of(self, visual_rows: list[int]) -> np.ndarray:
        return self.view[np.asarray(visual_rows, dtype=np.int64)]

    def visual_row(self, row: int) -> int:
        hits = np.flatnonzero(self.view == row)
        return int(hits[0]) if hits.size else -1

    # --- internals ------------------------------------------------------------------------

    def _mask(self) -> np.ndarray:
        s = self.sessie
        mask = self._status_mask(self.status_filter) & s.zichtbaar()
        if self.zekerheid_filter:  # zekerheid belongs to proposed pairs only (one twijfel count)
            mask &= (s.zekerheid == self.zekerheid_filter) & s.beslisbaar
        if self.zoek:
            if self._search is None:
                raw = self._raw
                self._search = (
                    pd.Series(raw["oud_registratienummer"])
                    + "\t"
                    + pd.Series(raw["nieuw_registratienummer"])
                    + "\t"
                    + pd.Series(raw["bsn"])
                ).str.lower()
            mask &= self._search.str.contains(self.zoek, regex=False).to_numpy()
        return mask

    def _status_mask(self, name: str) -> np.ndarray:
        s = self.sessie
        if name == "aandacht":
            return s.aandacht()
        if name == "alles":
            return np.ones(len(s), dtype=bool)
        if name == "los":
            unpaired_old = np.isin(s.status, ("ontbreekt", "beeindigd")) | (s.besluit == AFGEWEZEN)
            unpaired_old |= s.vervallen()
            lonely = unpaired_old | (s.status == "nieuw")
            used_new = (s.status == "nieuw") & (s.besluit != OPEN)
            return lonely & (s.besluit != HANDMATIG) & ~used_new
        if name == "geaccepteerd":
            return s.besluit == GEACCEPTEERD
        if name == "afgewezen":
            return s.besluit == AFGEWEZEN
        if name == "handmatig":
            return s.besluit == HANDMATIG
        return s.status == name

    def _ascending(self, name: str) -> np.ndarray:
        """Stable ascending order of one column, cached; strings sorted by numpy in C."""
        if name == "besluit":  # changes with every decision: never cached
            rank = self.sessie.besluit.astype(np.int64) + np.where(self.sessie.beslisbaar, 0, 10)
            return np.argsort(rank, kind="stable").astype(np.int64)
        if name not in self._orders:
            raw = self._raw
            if name in DATE_COLUMNS:
                dates = pd.to_datetime(
                    pd.Series(raw[DATE_COLUMNS[name]]), format="%d-%m-%Y", errors="coerce"
                )
                keys = dates.to_numpy(dtype="datetime64[ns]").astype(np.int64)
                order = np.argsort(keys, kind="stable")
            elif name in ("oud", "nieuw"):
                parts = [raw[f"{name}_{k}"].astype(str) for k in reversed(KEY_PARTS)]
                order = np.lexsort(parts)
            elif name == "soort":
                order = np.lexsort([raw["nieuw_soort"].astype(str), raw["oud_soort"].astype(str)])
            else:
                order = np.argsort(raw[name].astype(str), kind="stable")
            self._orders[name] = order.astype(np.int64)
        return self._orders[name]
