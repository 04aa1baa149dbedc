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
from srgdesk.core.gemeenten import parse_gemeentecode
from srgdesk.core.mapping import ColumnMapping, require_complete
from srgdesk.core.reading import RawTable
from srgdesk.core.values import (
    GEEN,
    OPEN,
    bsn_column_cells,
    distinct,
    identifier_column_cells,
    parse_code_column,
    parse_date_column,
    parse_identifier_column,
    parse_month_column,
    texts_of,
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
    verwijzing: str = ""  # 'Blad2!17' when several sheets were read together, else ''

    @property
    def waar(self) -> str:
        """How the user finds the row: '17', or 'Blad2!17' for sheets read together."""
        return self.verwijzing or str(self.regel)

    def tekst(self, toon_waarde: bool = True) -> str:
        """The reason as a sentence; with toon_waarde=False the cell value is left out (outputs)."""
        shown = f"'{self.waarde}'" if toon_waarde and self.waarde else ""
        return self.reden.replace("{waarde}", shown).replace("  ", " ")


@dataclass(frozen=True)
class Kolomkennis:
    """What cleaning learned of one text column of `Voorzieningen.frame` while checking it, for
    matching to reuse instead of going over the column again. `cellen`: the texts' characters
    (n x width, uint8: ASCII of one width without NUL, as `codes.ascii_cells`), or None;
    `codes`, `namen`: per row the index of its text in `namen` (the texts may repeat), or
    None. `adres`, `rijen`: where the column's cells were and how many (see `bekend`);
    `kolom` holds that array, so its memory cannot go to another column while this lives (a
    column put in the frame's place later can then never have the same address)."""

    adres: int
    rijen: int
    cellen: np.ndarray | None = None
    codes: np.ndarray | None = None
    namen: np.ndarray | None = None
    kolom: np.ndarray | None = field(default=None, repr=False, compare=False)


def _adres(column: np.ndarray) -> int:
    return int(column.__array_interface__["data"][0])


@dataclass
class Voorzieningen:
    """The usable voorzieningen of one export plus every row that could not be used."""

    bestand: str
    frame: pd.DataFrame  # one row per usable voorziening; see COLUMNS
    ongeldig: pd.DataFrame  # regel + raw key cells of each unusable row
    problemen: list[Probleem] = field(default_factory=list)
    totaal_regels: int = 0
    open_markeringen: int = 0  # einddatum cells such as '99991231' or '-' read as "no einddatum"
    aangevuld: int = 0  # registratienummers given back their leading zeros (on request)
    kennis: dict[str, Kolomkennis] = field(default_factory=dict, repr=False, compare=False)

    def bekend(self, naam: str) -> Kolomkennis | None:
        """What cleaning learned of column `naam` (`Kolomkennis`), while the frame still holds
        the column cleaning made (a column put in its place since is not described)."""
        kennis = self.kennis.get(naam)
        if kennis is None or naam not in self.frame.columns:
            return None
        column = self.frame[naam].to_numpy()
        return kennis if len(column) == kennis.rijen and _adres(column) == kennis.adres else None

    @property
    def zonder_einddatum(self) -> int:
        """Usable voorzieningen without an einddatum (empty or an open marker)."""
        return int((self.frame["einddatum"] == OPEN).sum()) if len(self.frame) else 0

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


@dataclass
class _Kolom:
    """One raw column as its distinct values (text) and, per row, the index of its value."""

    codes: np.ndarray
    waarden: pd.Series

    @classmethod
    def van(cls, values: pd.Series | np.ndarray) -> _Kolom:
        codes, waarden = distinct(values)
        # the smallest integer type that holds the codes: 1 or 2 bytes a row instead of 8
        return cls(codes.astype(np.min_scalar_type(max(len(waarden) - 1, 0))), waarden)

    @classmethod
    def overal(cls, n: int, waarde: str) -> _Kolom:
        """One value in every row (a fixed value, or '' for a field without a column)."""
        return cls(np.zeros(n, dtype=np.uint8), pd.Series([waarde], dtype=object))

    def parse(self, parser, *args, **kwargs) -> tuple[_Verspreid, _Redenen]:
        """The parser run on the distinct values: values and reasons per distinct value."""
        parsed, reasons = parser(self.waarden, *args, **kwargs)
        redenen = _Redenen(np.array(reasons, dtype=object), self.waarden.to_numpy(), self.codes)
        return _Verspreid(np.asarray(parsed), self.codes), redenen


@dataclass(frozen=True)
class _Verspreid:
    """A column of the cleaned frame not yet spread over the rows: values per distinct value
    and, per row, which one. Spread once, straight into the frame's memory."""

    waarden: np.ndarray
    codes: np.ndarray

    def per_rij(self, out: np.ndarray | None = None, rows: np.ndarray | None = None) -> np.ndarray:
        """The values of every row, or of `rows` only."""
        if len(self.waarden) == 1 and out is not None:  # one value (a code, a month): no take
            out.fill(self.waarden[0])
            return out
        codes = self.codes if rows is None else self.codes[rows]
        # mode="clip": the codes index the values by construction, and numpy buffers `out`
        # (a second pass over the objects) only in the default mode that checks them
        return np.take(self.waarden, codes, out=out, mode="clip")


@dataclass
class _Redenen:
    """The reasons ('' = fine) of one field and the raw cells they are about: per distinct value
    with `codes` saying which one each row has, or per row (codes None)."""

    redenen: np.ndarray
    ruw: np.ndarray
    codes: np.ndarray | None = None

    @classmethod
    def geen(cls, n: int) -> _Redenen:
        """No problem in any of `n` rows: one distinct reason, '', no pass over the rows."""
        return cls(
            np.array([""], dtype=object), np.array([""], dtype=object), np.zeros(n, np.uint8)
        )

    def fout(self) -> np.ndarray:
        """Per row: does this field have a problem?"""
        flagged = self.redenen != ""
        if self.codes is None:
            return flagged
        if not flagged.any():  # the usual case: no spreading over the rows
            return np.zeros(len(self.codes), dtype=bool)
        return flagged[self.codes]

    def per_rij(self) -> _Redenen:
        if self.codes is None:
            return self
        return _Redenen(self.redenen[self.codes], self.ruw[self.codes])

    def bij(self, rij: int) -> tuple[str, object]:
        """Reason and raw cell of one row."""
        index = rij if self.codes is None else self.codes[rij]
        return self.redenen[index], self.ruw[index]


def clean(table: RawTable, mapping: ColumnMapping, nullen: int | None = None) -> Voorzieningen:
    """Parse and check every mapped field; never drop a row silently.

    A field with a fixed value (`mapping.vast`) gets that value in every row. With `nullen`
    (or `mapping.nullen`), registratienummers of digits only are padded with leading zeros to that width (only when
    the user asked: Excel may have eaten them).

    Fields that repeat (codes, dates, soort) are parsed per distinct value and their reasons
    kept per distinct value: no pass over every row beyond the spreading of the answers."""
    require_complete(mapping, table)
    n = len(table.regels)
    regels = np.array(table.regels, dtype=np.int64)  # a copy: a list, or the reader's array

    def raw(veld: str) -> pd.Series:
        column = mapping.column(veld)
        if column:  # the cells themselves, without a copy: parsers never change them
            return pd.Series(table.cells[column].to_numpy(), dtype=object)
        if mapping.vast.get(veld):
            return pd.Series([mapping.vast[veld]] * n, dtype=object)
        return pd.Series([""] * n, dtype=object)

    def raw_at(veld: str, rows: np.ndarray) -> np.ndarray:
        """The raw cells of `veld` in the rows flagged (few): no pass over a column of text."""
        column = mapping.column(veld)
        if column:
            return table.cells[column].to_numpy()[rows]
        return np.full(int(rows.sum()), mapping.vast.get(veld) or "", dtype=object)

    kolommen: dict[str, _Kolom] = {}

    def kolom(veld: str) -> _Kolom:
        if veld not in kolommen:
            column = mapping.column(veld)
            kolommen[veld] = (
                _Kolom.van(table.cells[column])
                if column
                else _Kolom.overal(n, mapping.vast.get(veld) or "")
            )
        return kolommen[veld]

    registratienummers = raw("registratienummer")
    aangevuld = 0
    nullen = nullen or mapping.nullen
    if nullen:
        registratienummers, aangevuld = pad_with_zeros(registratienummers, nullen)

    reasons: dict[str, _Redenen] = {}
    out: dict[str, object] = {"regel": regels}
    out["gemeentecode"], reasons["gemeentecode"] = kolom("gemeentecode").parse(
        parse_gemeente_column
    )
    out["berichtgevercode"], reasons["berichtgevercode"] = kolom("berichtgevercode").parse(
        parse_code_column, "Berichtgevercode", 4
    )
    bsn = raw("bsn")
    parsed, bsn_reasons, bsn_cells = bsn_column_cells(bsn)
    out["bsn"], reasons["bsn"] = (
        parsed,
        _Redenen.geen(n)
        if bsn_reasons is None
        else _Redenen(bsn_reasons.to_numpy(), bsn.to_numpy()),
    )
    parsed, nummer_reasons, nummer_cells = identifier_column_cells(
        registratienummers, "Registratienummer", MAX_REGISTRATIENUMMER
    )
    out["registratienummer"] = parsed
    reasons["registratienummer"] = (
        _Redenen.geen(n)
        if nummer_reasons is None
        else _Redenen(nummer_reasons.to_numpy(), raw("registratienummer").to_numpy())
    )
    out["soort"], reasons["soort"] = kolom("soort").parse(
        parse_identifier_column, "Soort voorziening", MAX_SOORT
    )
    out["begindatum"], reasons["begindatum"] = kolom("begindatum").parse(
        parse_date_column, "Begindatum", empty_is_open=False
    )
    out["einddatum"], reasons["einddatum"] = kolom("einddatum").parse(
        parse_date_column, "Einddatum", empty_is_open=True
    )
    out["omschrijving"] = kolom("omschrijving").parse(lambda v: (_stripped(v), v))[0]
    warnings: dict[str, _Redenen] = {}
    if mapping.column("verslagjaar") or mapping.vast.get("verslagjaar"):
        out["verslagmaand"], maand = _Kolom.van(
            combine_year_month(raw("verslagjaar"), raw("verslagmaand"))
        ).parse(parse_month_column)
        # the problem names the month cell as written, not the combined value
        warnings["verslagmaand"] = _Redenen(maand.per_rij().redenen, raw("verslagmaand").to_numpy())
    else:
        out["verslagmaand"], warnings["verslagmaand"] = kolom("verslagmaand").parse(
            parse_month_column
        )
    if mapping.column("geboortedatum"):
        geboorte = kolom("geboortedatum")
        out["geboortedatum"], warnings["geboortedatum"] = geboorte.parse(
            parse_date_column, "Geboortedatum", empty_is_open=False
        )
        warnings["geboortedatum"].redenen[(geboorte.waarden == "").to_numpy()] = ""
    else:
        out["geboortedatum"] = np.full(n, GEEN, dtype=np.int32)
    out["loonwaarde"] = kolom("loonwaarde").parse(
        lambda v: (np.array([w.strip().rstrip("%").strip() for w in texts_of(v)], object), v)
    )[0]

    rijen = _Rijen(out)
    einddata = rijen.column("einddatum")
    ends_before_start = (
        (einddata < rijen.column("begindatum"))
        & ~reasons["begindatum"].fout()
        & ~reasons["einddatum"].fout()
    )
    if ends_before_start.any():
        einde = reasons["einddatum"].per_rij()
        einde.redenen[ends_before_start] = "Einddatum {waarde} ligt vóór de begindatum"
        reasons["einddatum"] = einde

    problemen: list[Probleem] = []
    bad = np.zeros(n, dtype=bool)
    # Rows with cells beyond the header: by row index (sheets read together), else by regel.
    extra_rows = dict(table.extra_per_rij) or {
        int(np.searchsorted(regels, regel)): extra  # regels ascend: no scan per ragged row
        for regel, extra in table.extra_velden.items()
    }
    for index, extra in extra_rows.items():
        bad[index] = True
        problemen.append(
            Probleem(
                table.name,
                int(regels[index]),
                "",
                f"Regel heeft {extra} veld(en) meer dan de kopregel; "
                "waarschijnlijk staat er een scheidingsteken in een waarde",
                verwijzing=_verwijzing(table, index),
            )
        )
    flagged = {(int(regels[i]), _verwijzing(table, i)) for i in extra_rows}
    for lees in table.leesproblemen:  # read, but not the normal way (a stray quote): check it
        if (lees.regel, lees.verwijzing) not in flagged:
            problemen.append(
                Probleem(table.name, lees.regel, "", lees.reden, "", WAARSCHUWING, lees.verwijzing)
            )
    for veld, redenen in reasons.items():
        fout = redenen.fout()
        problemen.extend(_problems(table, veld, redenen, fout, ONGELDIG))
        bad |= fout
    for veld, redenen in warnings.items():
        problemen.extend(_problems(table, veld, redenen, redenen.fout(), WAARSCHUWING))

    bad |= _mark_duplicates(table.name, rijen, bad, problemen, nummer_cells)
    problemen.sort(key=lambda p: (p.regel, p.veld))
    key_cells = {veld: _stripped(raw_at(veld, bad)) for veld in KEY}
    ongeldig = pd.DataFrame({"regel": regels[bad], **key_cells})
    reason_by_row: dict[int, str] = {}
    for probleem in problemen:
        if probleem.ernst == ONGELDIG and probleem.regel not in reason_by_row:
            reason_by_row[probleem.regel] = probleem.tekst(
                toon_waarde=probleem.veld not in PRIVATE_LABELS
            )
    if len(ongeldig):  # one look-up a row, no mapped Series to fill and assign
        ongeldig["reden"] = np.array(
            [reason_by_row.get(regel, _ONBRUIKBAAR) for regel in ongeldig["regel"].tolist()],
            dtype=object,
        )
    elif not reason_by_row:  # (what mapping an empty column by an empty dict gives: float)
        ongeldig["reden"] = np.empty(0, dtype=np.float64)
    else:  # (pandas gives the empty column its own dtype: kept as it was)
        ongeldig["reden"] = ongeldig["regel"].map(reason_by_row).fillna(_ONBRUIKBAAR)
    # only the usable rows are gathered: no second copy of every column to leave the rest out
    usable_rows = np.flatnonzero(~bad) if bad.any() else None
    usable = _frame(rijen, usable_rows)
    cellen = {
        "bsn": None if bsn_cells is None else bsn_cells[:, :-1],
        "registratienummer": None if nummer_cells is None else nummer_cells[:, :-1],
    }
    kennis = {}
    for name in ("bsn", "registratienummer", *_CODED):
        column = usable[name].to_numpy()
        codes, namen = _coded(out[name], usable_rows) if name in _CODED else (None, None)
        cells = cellen.get(name)
        kennis[name] = Kolomkennis(
            _adres(column),
            len(usable),
            cells if usable_rows is None else _rows(cells, usable_rows),
            codes,
            namen,
            kolom=column,
        )
    einde_kolom = kolom("einddatum")
    stripped = map(str.strip, texts_of(einde_kolom.waarden))
    filled = np.fromiter(map(len, stripped), dtype=np.int64, count=len(einde_kolom.waarden)) > 0
    written = filled[einde_kolom.codes]
    markers = int((written & (einddata == OPEN) & ~bad).sum())
    return Voorzieningen(
        table.name,
        usable,
        ongeldig,
        problemen,
        totaal_regels=n,
        open_markeringen=markers,
        aangevuld=aangevuld,
        kennis=kennis,
    )


_CODED = ("soort", "omschrijving", "begindatum", "einddatum")  # parsed per distinct value


def _rows(cells: np.ndarray | None, rows: np.ndarray) -> np.ndarray | None:
    return None if cells is None else cells[rows]


def _coded(column: object, rows: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The codes per usable row and the values of a column parsed per distinct value."""
    if not isinstance(column, _Verspreid):
        return None, None
    codes = column.codes if rows is None else column.codes[rows]
    return codes, np.asarray(column.waarden, dtype=object)


def _stripped(values: pd.Series | np.ndarray) -> np.ndarray:
    """The cells as text without surrounding white space (`.astype(str).str.strip()`)."""
    return np.array(list(map(str.strip, texts_of(pd.Series(values, dtype=object)))), object)


def parse_gemeente_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Gemeentecodes ('363', 'GM0363') or gemeente names ('Den Haag') → 4-digit codes, through
    the one gemeentecode parser. Called per distinct value (_Kolom.parse): an export holds a few."""
    codes = pd.Series("", index=values.index, dtype=object)
    reasons = pd.Series("", index=values.index, dtype=object)
    for i, value in enumerate(values.astype(str)):
        if not value.strip():
            reasons.iat[i] = "Gemeentecode ontbreekt"
            continue
        found = parse_gemeentecode(value)
        if found:
            codes.iat[i] = found
        else:
            reasons.iat[i] = "Gemeentecode {waarde} is geen gemeentecode of gemeentenaam"
    return codes, reasons


def combine_year_month(jaar: pd.Series, maand: pd.Series) -> pd.Series:
    """A year column and a month column (1-12) → 'JJJJMM'; a month column alone stays as is."""
    years = jaar.astype(str).str.strip().str.replace(r"\.0+$", "", regex=True)
    if not (years != "").any():
        return maand
    months = maand.astype(str).str.strip().str.replace(r"\.0+$", "", regex=True)
    short = months.str.fullmatch(r"\d{1,2}") & years.str.fullmatch(r"\d{4}")
    return maand.where(~short, years + months.str.zfill(2))


def pad_with_zeros(values: pd.Series, width: int) -> tuple[pd.Series, int]:
    """Registratienummers of digits only, shorter than `width`, padded with leading zeros."""
    text = values.astype(str).str.strip()
    short = text.str.fullmatch(r"\d+") & (text.str.len() < width)
    return values.where(~short, text.str.zfill(width)), int(short.sum())


_ONBRUIKBAAR = "Regel is onbruikbaar"
NUMERIC = ("regel", "begindatum", "einddatum", "geboortedatum")


@dataclass(frozen=True)
class _Rijen:
    """The cleaned columns by name, not yet gathered into a frame: read per row, or for a few
    rows only (duplicates), and gathered once for the usable rows."""

    out: dict[str, object]

    def column(self, name: str, rows: np.ndarray | None = None) -> np.ndarray:
        value = self.out[name]
        if isinstance(value, _Verspreid):
            return value.per_rij(rows=rows)
        array = np.asarray(value.to_numpy() if isinstance(value, pd.Series) else value)
        return array if rows is None else array[rows]

    def frame(self, rows: np.ndarray) -> pd.DataFrame:
        """The rows as a frame (COLUMNS, index = the row numbers), for a few rows."""
        return pd.DataFrame({name: self.column(name, rows) for name in COLUMNS}, index=rows)


def _frame(rijen: _Rijen, rows: np.ndarray | None) -> pd.DataFrame:
    """The cleaned columns (COLUMNS, in that order) of every row or of `rows`, as one frame. The
    text columns are spread straight into one block of memory: no copy per column, and none
    when pandas would gather the columns into a block itself (at a million rows that copy is
    the peak of cleaning)."""
    text = [name for name in COLUMNS if name not in NUMERIC]
    size = len(rijen.column("regel")) if rows is None else len(rows)
    block = np.empty((len(text), size), dtype=object)
    for row, name in enumerate(text):
        value = rijen.out[name]
        if isinstance(value, _Verspreid):
            value.per_rij(out=block[row], rows=rows)
        elif rows is not None:  # straight into the block, without a gathered copy first
            np.take(rijen.column(name), rows, out=block[row], mode="clip")  # rows in range
        else:
            block[row] = rijen.column(name)
    # dtype=object: the cells are text, so pandas need not look for dates in every column
    frame = pd.DataFrame(block.T, columns=text, copy=False, dtype=object)
    for name in NUMERIC:
        frame.insert(COLUMNS.index(name), name, rijen.column(name, rows))
    return frame


def _problems(
    table: RawTable, veld: str, redenen: _Redenen, fout: np.ndarray, ernst: str
) -> list[Probleem]:
    label = VELD_BY_NAAM[veld].label if veld in VELD_BY_NAAM else veld
    private = label in PRIVATE_LABELS  # the value is personal data: it is never kept
    problemen = []
    for i in np.flatnonzero(fout):
        reden, ruw = redenen.bij(int(i))
        problemen.append(
            Probleem(
                table.name,
                table.regels[i],
                label,
                reden,
                "" if private else str(ruw).strip(),
                ernst,
                _verwijzing(table, int(i)),
            )
        )
    return problemen


def _verwijzing(table: RawTable, index: int) -> str:
    """'Blad2!17' for a row of sheets read together, '' otherwise (the regel says it all)."""
    return table.verwijzingen[index] if table.verwijzingen is not None else ""


def _mark_duplicates(
    bestand: str,
    rijen: _Rijen,
    bad: np.ndarray,
    problemen: list[Probleem],
    nummer_cells: np.ndarray | None = None,
) -> np.ndarray:
    """Exact duplicate rows are reported once; a key used twice for different rows is a conflict.
    `nummer_cells`: the registratienummers' bytes when the identifier check made them."""
    extra_bad = np.zeros(len(bad), dtype=bool)
    content = [c for c in COLUMNS if c != "regel"]
    # A repeated key repeats its registratienummer: look at the key only where that number repeats.
    numbers = rijen.column("registratienummer")
    usable_rows = np.flatnonzero(~bad) if bad.any() else None  # None: every row, no copy
    if usable_rows is None:
        repeated = _repeated(numbers, nummer_cells)
    else:
        cells = None if nummer_cells is None else nummer_cells[usable_rows]
        repeated = _repeated(numbers[usable_rows], cells)
    if not repeated.any():
        return extra_bad
    usable = rijen.frame(np.flatnonzero(repeated) if usable_rows is None else usable_rows[repeated])
    key_hash = pd.util.hash_pandas_object(usable[KEY], index=False)
    candidates = usable[key_hash.duplicated(keep=False).to_numpy()]  # an exact copy repeats the key
    exact, first_row = _duplicates(candidates, content)
    for index in np.flatnonzero(exact):
        row = candidates.index[index]
        extra_bad[row] = True
        problemen.append(
            Probleem(
                bestand,
                int(candidates.at[row, "regel"]),
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
                int(remaining.at[row, "regel"]),
                "Registratienummer voorziening",
                f"Registratienummer {{waarde}} staat al op regel {int(first_key_row[index])} "
                "met andere gegevens; één voorziening kan maar één regel hebben",
                str(remaining.at[row, "registratienummer"]),
            )
        )
    return extra_bad


def _repeated(values: np.ndarray, cells: np.ndarray | None = None) -> np.ndarray:
    """Per value: does it occur more than once? For text of one width in ASCII (the usual
    registratienummer) its bytes are first read as one or two big-endian integers per value,
    which order the values as text does: values that ascend (a sorted export) are all unique;
    otherwise values whose integers occur once are unique, and only the rest are compared.
    `cells`: those bytes already made (n x width+1, a NUL ending each row), else None."""
    if cells is None or not len(cells) or not 0 < cells.shape[1] - 1 <= 16:
        cells = _one_width_cells(values)
    candidates = np.ones(len(values), dtype=bool)
    if cells is not None:
        width = cells.shape[1] - 1
        high, low = _text_order_keys(cells, width)
        if _ascending(high, low):
            return np.zeros(len(values), dtype=bool)
        key = high * np.uint64(0x9E3779B97F4A7C15) + low
        candidates = pd.Series(key).duplicated(keep=False).to_numpy()
    repeated = np.zeros(len(values), dtype=bool)
    if candidates.any():
        rows = np.flatnonzero(candidates)
        repeated[rows] = pd.Series(values[rows], dtype=object).duplicated(keep=False).to_numpy()
    return repeated


def _one_width_cells(values: np.ndarray) -> np.ndarray | None:
    """The bytes of text values that are all ASCII of one width 1-16, one row a value with a NUL
    after it (n x width+1), else None."""
    listed = values.tolist()
    joined = "\x00".join(listed)
    if not (listed and joined.isascii() and joined.count("\x00") == len(listed) - 1):
        return None
    width = len(listed[0])
    raw = np.frombuffer(joined.encode("ascii") + b"\x00", dtype=np.uint8)
    if len(raw) != len(listed) * (width + 1) or not 0 < width <= 16:
        return None
    cells = raw.reshape(len(listed), width + 1)
    return cells if (cells[:, width] == 0).all() else None


def _text_order_keys(rows: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Values of one width (1-16), as the rows of bytes of a contiguous array (each row may
    hold more bytes after them), as two integers per value that compare as the text does: the
    first 8 bytes and the last 8 (zero-padded when shorter), big-endian."""
    if width < 8:
        padded = np.zeros((len(rows), 8), dtype=np.uint8)
        padded[:, :width] = rows[:, :width]
        rows, width = padded, 8

    def word(start: int) -> np.ndarray:  # a strided view of 8 bytes a row: one pass, no copy
        return np.ndarray((len(rows),), ">u8", rows, start, (rows.strides[0],))

    return word(0).astype(np.uint64), word(width - 8).astype(np.uint64)


def _ascending(high: np.ndarray, low: np.ndarray) -> bool:
    """Whether the pairs (high, low) strictly ascend: then no two are equal."""
    if not (high[1:] >= high[:-1]).all():
        return False
    same = high[1:] == high[:-1]
    return bool((low[1:][same] > low[:-1][same]).all())


def _duplicates(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Which rows repeat an earlier row on `columns`, and the regel of that first row (by hash)."""
    hashes = pd.util.hash_pandas_object(frame[columns], index=False).to_numpy()
    repeated = pd.Series(hashes).duplicated(keep="first").to_numpy()
    first_index = pd.Series(np.arange(len(hashes))).groupby(hashes).transform("first").to_numpy()
    return repeated, frame["regel"].to_numpy()[first_index]
