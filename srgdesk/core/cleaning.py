"""Mapped raw cells → typed voorzieningen, with every rejected row kept and explained in Dutch.

A row with a problem in a required field is `ongeldig`: it is not matched, but it is listed with
file, Excel row number, field and reason, and it appears in matches.csv. Problems in optional
fields are warnings: the value is dropped, the row is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from srgdesk.core.fields import VELD_BY_NAAM
from srgdesk.core.mapping import ColumnMapping, require_complete
from srgdesk.core.reading import RawTable
from srgdesk.core.values import (
    GEEN,
    parse_bsn_column,
    parse_code_column,
    parse_date_column,
    parse_identifier_column,
    parse_month_column,
    per_unique,
)

ONGELDIG = "ongeldig"
WAARSCHUWING = "waarschuwing"
MAX_REGISTRATIENUMMER = 15
MAX_SOORT = 40

KEY = ["gemeentecode", "berichtgevercode", "registratienummer"]
# Values of these fields are personal data: outputs name the problem, never the value.
PRIVATE_LABELS = {VELD_BY_NAAM["bsn"].label, VELD_BY_NAAM["geboortedatum"].label}


@dataclass(frozen=True)
class Probleem:
    """One problem in one row. `reden` holds no personal data; `waarde` is the offending cell."""

    bestand: str
    regel: int
    veld: str
    reden: str
    waarde: str = ""
    ernst: str = ONGELDIG

    def tekst(self, toon_waarde: bool = True) -> str:
        """The reason as a sentence; with toon_waarde=False the cell value is left out (outputs)."""
        return self.reden.replace("{waarde}", f"'{self.waarde}'" if toon_waarde else "").replace(
            "  ", " "
        )


@dataclass
class Voorzieningen:
    """The usable voorzieningen of one export plus every row that could not be used."""

    bestand: str
    frame: pd.DataFrame  # one row per usable voorziening; see COLUMNS
    ongeldig: pd.DataFrame  # regel + raw key cells of each unusable row
    problemen: list[Probleem] = field(default_factory=list)
    totaal_regels: int = 0

    def problems_by_reason(self) -> dict[str, list[int]]:
        """Reason text without values → row numbers, for a grouped report."""
        groups: dict[str, list[int]] = {}
        for probleem in self.problemen:
            groups.setdefault(probleem.tekst(toon_waarde=False), []).append(probleem.regel)
        return groups


COLUMNS = [
    "regel",
    "gemeentecode",
    "berichtgevercode",
    "verslagmaand",
    "bsn",
    "registratienummer",
    "soort",
    "omschrijving",
    "begindatum",
    "einddatum",
    "geboortedatum",
    "loonwaarde",
]


def clean(table: RawTable, mapping: ColumnMapping) -> Voorzieningen:
    """Parse and check every mapped field; never drop a row silently."""
    require_complete(mapping, table)
    n = len(table.regels)
    regels = np.asarray(table.regels, dtype=np.int64)
    empty = pd.Series([""] * n, dtype=object)

    def raw(veld: str) -> pd.Series:
        column = mapping.column(veld)
        return table.cells[column].reset_index(drop=True) if column else empty

    reasons: dict[str, pd.Series] = {}
    out: dict[str, object] = {"regel": regels}
    out["gemeentecode"], reasons["gemeentecode"] = per_unique(
        parse_code_column, raw("gemeentecode"), "Gemeentecode", 4, prefix="GM"
    )
    out["berichtgevercode"], reasons["berichtgevercode"] = per_unique(
        parse_code_column, raw("berichtgevercode"), "Berichtgevercode", 4
    )
    out["bsn"], reasons["bsn"] = parse_bsn_column(raw("bsn"))
    out["registratienummer"], reasons["registratienummer"] = parse_identifier_column(
        raw("registratienummer"), "Registratienummer", MAX_REGISTRATIENUMMER
    )
    out["soort"], reasons["soort"] = per_unique(
        parse_identifier_column, raw("soort"), "Soort voorziening", MAX_SOORT
    )
    out["begindatum"], reasons["begindatum"] = per_unique(
        parse_date_column, raw("begindatum"), "Begindatum", empty_is_open=False
    )
    out["einddatum"], reasons["einddatum"] = per_unique(
        parse_date_column, raw("einddatum"), "Einddatum", empty_is_open=True
    )
    out["omschrijving"] = per_unique(lambda v: (v.str.strip(), v), raw("omschrijving"))[0]
    warnings: dict[str, pd.Series] = {}
    out["verslagmaand"], warnings["verslagmaand"] = per_unique(
        parse_month_column, raw("verslagmaand")
    )
    if mapping.column("geboortedatum"):
        out["geboortedatum"], warnings["geboortedatum"] = per_unique(
            parse_date_column, raw("geboortedatum"), "Geboortedatum", empty_is_open=False
        )
        warnings["geboortedatum"] = warnings["geboortedatum"].where(raw("geboortedatum") != "", "")
    else:
        out["geboortedatum"] = np.full(n, GEEN, dtype=np.int32)
    out["loonwaarde"] = per_unique(
        lambda v: (v.str.strip().str.rstrip("%").str.strip(), v), raw("loonwaarde")
    )[0]

    frame = pd.DataFrame({name: _values(out[name]) for name in COLUMNS})
    ends_before_start = (
        (frame["einddatum"] < frame["begindatum"])
        & (reasons["begindatum"] == "").to_numpy()
        & (reasons["einddatum"] == "").to_numpy()
    )
    reasons["einddatum"] = reasons["einddatum"].where(
        ~ends_before_start, "Einddatum {waarde} ligt vóór de begindatum"
    )

    problemen: list[Probleem] = []
    bad = np.zeros(n, dtype=bool)
    for regel, extra in table.extra_velden.items():
        index = int(np.searchsorted(regels, regel))  # regels ascend: no scan per ragged row
        bad[index] = True
        problemen.append(
            Probleem(
                table.name,
                regel,
                "",
                f"Regel heeft {extra} veld(en) meer dan de kopregel; "
                "waarschijnlijk staat er een scheidingsteken in een waarde",
            )
        )
    for veld, series in reasons.items():
        problemen.extend(_problems(table, mapping, veld, series, raw(veld), ONGELDIG))
        bad |= (series != "").to_numpy()
    for veld, series in warnings.items():
        problemen.extend(_problems(table, mapping, veld, series, raw(veld), WAARSCHUWING))

    bad |= _mark_duplicates(table.name, frame, bad, problemen)
    problemen.sort(key=lambda p: (p.regel, p.veld))
    key_cells = {veld: raw(veld)[bad].astype(str).str.strip().to_numpy() for veld in KEY}
    ongeldig = pd.DataFrame({"regel": regels[bad], **key_cells})
    reason_by_row: dict[int, str] = {}
    for probleem in problemen:
        if probleem.ernst == ONGELDIG and probleem.regel not in reason_by_row:
            reason_by_row[probleem.regel] = probleem.tekst(
                toon_waarde=probleem.veld not in PRIVATE_LABELS
            )
    ongeldig["reden"] = ongeldig["regel"].map(reason_by_row).fillna("Regel is onbruikbaar")
    usable = frame[~bad].reset_index(drop=True)
    return Voorzieningen(table.name, usable, ongeldig, problemen, totaal_regels=n)


def _values(value: object) -> object:
    return value.to_numpy() if isinstance(value, pd.Series) else value


def _problems(
    table: RawTable,
    mapping: ColumnMapping,
    veld: str,
    reasons: pd.Series,
    raw: pd.Series,
    ernst: str,
) -> list[Probleem]:
    flagged = np.flatnonzero((reasons != "").to_numpy())
    label = VELD_BY_NAAM[veld].label if veld in VELD_BY_NAAM else veld
    return [
        Probleem(table.name, table.regels[i], label, reasons.iat[i], str(raw.iat[i]).strip(), ernst)
        for i in flagged
    ]


def _mark_duplicates(
    bestand: str, frame: pd.DataFrame, bad: np.ndarray, problemen: list[Probleem]
) -> np.ndarray:
    """Exact duplicate rows are reported once; a key used twice for different rows is a conflict."""
    extra_bad = np.zeros(len(frame), dtype=bool)
    content = [c for c in COLUMNS if c != "regel"]
    usable = frame[~bad]
    key_hash = pd.util.hash_pandas_object(usable[KEY], index=False)
    candidates = usable[key_hash.duplicated(keep=False).to_numpy()]  # an exact copy repeats the key
    exact, first_row = _duplicates(candidates, content)
    for index in np.flatnonzero(exact):
        row = candidates.index[index]
        extra_bad[row] = True
        problemen.append(
            Probleem(
                bestand,
                int(frame.at[row, "regel"]),
                "",
                f"Dubbele regel: precies gelijk aan regel {int(first_row[index])}",
            )
        )
    remaining = candidates[~extra_bad[candidates.index]]
    same_key, first_key_row = _duplicates(remaining, KEY)
    for index in np.flatnonzero(same_key):
        row = remaining.index[index]
        extra_bad[row] = True
        problemen.append(
            Probleem(
                bestand,
                int(frame.at[row, "regel"]),
                "Registratienummer voorziening",
                f"Registratienummer {{waarde}} staat al op regel {int(first_key_row[index])} "
                "met andere gegevens; één voorziening kan maar één regel hebben",
                str(frame.at[row, "registratienummer"]),
            )
        )
    return extra_bad


def _duplicates(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which rows repeat an earlier row on `columns`, and the regel of that first row (by hash)."""
    hashes = pd.util.hash_pandas_object(frame[columns], index=False).to_numpy()
    repeated = pd.Series(hashes).duplicated(keep="first").to_numpy()
    first_index = pd.Series(np.arange(len(hashes))).groupby(hashes).transform("first").to_numpy()
    return repeated, frame["regel"].to_numpy()[first_index]
