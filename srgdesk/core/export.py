"""The one pipeline for an export, used by the GUI and the CLI alike:
file → raw table → column mapping (proposal, user choices, fixed values) → cleaned voorzieningen
→ verslagmaand. `LaadOpties` holds every choice a user can make, so both shells pass the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from srgdesk.core.cleaning import ONGELDIG, Voorzieningen, clean
from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import VELD_BY_NAAM
from srgdesk.core.mapping import (
    BRON_INHOUD,
    VAST_TOEGESTAAN,
    ColumnMapping,
    apply_overrides,
    apply_vaste_waarden,
    propose_mapping,
)
from srgdesk.core.progress import Voortgang
from srgdesk.core.reading import RawTable, combine_sheets, read_sheets, read_table
from srgdesk.core.verslagmaand import PERIODE_ATTR, Periode, settle_period


@dataclass(frozen=True)
class LaadOpties:
    """How to read one export. Pairs instead of dicts so a snapshot can never change.

    kolommen: field → header chosen by the user (None clears the field);
    vast: field → one value for every row (gemeentecode, berichtgevercode, …);
    werkblad: the sheet of a workbook; verslagmaand: JJJJMM given by the user;
    nullen: pad digit-only registratienummers with leading zeros to this width;
    mapping: a complete mapping chosen earlier (the wizard), used instead of a proposal."""

    kolommen: tuple[tuple[str, str | None], ...] = ()
    vast: tuple[tuple[str, str], ...] = ()
    werkblad: str | None = None
    verslagmaand: str | None = None
    nullen: int | None = None
    mapping: ColumnMapping | None = None

    @classmethod
    def maak(
        cls,
        kolommen: dict[str, str | None] | None = None,
        vast: dict[str, str] | None = None,
        **rest,
    ) -> LaadOpties:
        """Build from plain dicts: LaadOpties.maak(kolommen={'bsn': 'Klant'}, nullen=10)."""
        return cls(
            kolommen=tuple((kolommen or {}).items()), vast=tuple((vast or {}).items()), **rest
        )


@dataclass
class Export:
    """What was read from one file, how its columns were mapped and what came out of cleaning."""

    table: RawTable
    mapping: ColumnMapping
    voorzieningen: Voorzieningen
    periode: Periode | None = None
    opties: LaadOpties = field(default_factory=LaadOpties)
    werkblad_notities: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.table.path

    def samenvatting(self, met_verslagmaand: bool = True) -> list[str]:
        """Dutch lines on how this export was read beyond the row counts: the verslagmaand and
        its source, sheets skipped, fields found by content or given as one value, open
        einddatums."""
        v = self.voorzieningen
        lines = [f"{self.path.name}: {note}" for note in self.werkblad_notities]
        if self.periode is not None and met_verslagmaand:
            lines.append(f"{self.path.name}: verslagmaand {self.periode.tekst()}.")
        for veld, waarde in self.mapping.vast.items():
            lines.append(
                f"{self.path.name}: {VELD_BY_NAAM[veld].label} is voor elke regel {waarde} "
                "(door u opgegeven)."
            )
        for veld, bron in self.mapping.bronnen.items():
            column = self.mapping.column(veld)
            if bron == BRON_INHOUD and column:
                lines.append(
                    f"{self.path.name}: {VELD_BY_NAAM[veld].label} herkend aan de inhoud van "
                    f"kolom '{column}'; controleer dit."
                )
        lees = [p for p in v.problemen if p.ernst != ONGELDIG and not p.veld]
        if lees:  # read, but not the normal way (a stray quote): the user must check these rows
            shown = ", ".join(p.waar for p in lees[:10]) + (" …" if len(lees) > 10 else "")
            lines.append(
                f"{self.path.name}: waarschuwing: {len(lees)} regel(s) niet normaal gelezen "
                f"(los aanhalingsteken); controleer regel {shown} in de export."
            )
        if not self.mapping.column("einddatum"):
            lines.append(
                f"{self.path.name}: geen kolom voor de einddatum gevonden: alle voorzieningen "
                "lopen door (geen einddatum). Staat de einddatum wel in de export, wijs die kolom "
                "dan aan (bij de opdrachtregel: --kolom-oud/--kolom-nieuw einddatum=KOLOM)."
            )
        if v.zonder_einddatum:
            extra = (
                f", waarvan {v.open_markeringen} met een 'open' waarde zoals 99991231 of -"
                if v.open_markeringen
                else ""
            )
            lines.append(
                f"{self.path.name}: {v.zonder_einddatum} voorziening(en) zonder einddatum{extra}."
            )
        if v.aangevuld:
            lines.append(
                f"{self.path.name}: {v.aangevuld} registratienummer(s) aangevuld met voorloopnullen "
                f"tot {self.mapping.nullen} tekens (door u gevraagd)."
            )
        return lines


def load_export(
    path: Path | str,
    opties: LaadOpties | None = None,
    label: str = "",
    *,
    voortgang: Voortgang | None = None,
) -> Export:
    """Read, map and clean one export. Raises InvoerFout when the file cannot be used, and
    Geannuleerd when `voortgang` says cancel while reading."""
    opties = opties or LaadOpties()
    table, notes = read_voorzieningen_table(path, opties.werkblad, voortgang=voortgang)
    export = export_from_table(table, opties, label)
    export.werkblad_notities = notes
    return export


@dataclass(frozen=True)
class WerkbladKandidaat:
    """A sheet whose columns map to the required fields."""

    naam: str
    regels: int
    headers: tuple[str, ...]


class WerkbladKeuzeNodig(InvoerFout):
    """Several sheets hold voorzieningen in different layouts: the user must choose."""

    def __init__(self, path: Path, kandidaten: list[WerkbladKandidaat]):
        self.kandidaten = kandidaten
        lijst = "; ".join(f"'{k.naam}' ({k.regels} regels)" for k in kandidaten)
        super().__init__(
            f"{path.name} heeft meer werkbladen met voorzieningen: {lijst}. Kies er één "
            "(bij de opdrachtregel met --werkblad-oud NAAM of --werkblad-nieuw NAAM, "
            "bij inspect met --werkblad NAAM)."
        )


def holds_voorzieningen(table: RawTable) -> bool:
    """Whether a sheet's columns map to the required fields (codes may be given by the user)."""
    missing = set(propose_mapping(table).missing_required())
    return not (missing - set(VAST_TOEGESTAAN))


def read_voorzieningen_table(
    path: Path | str, werkblad: str | None, *, voortgang: Voortgang | None = None
) -> tuple[RawTable, list[str]]:
    """The table of voorzieningen in a file, and notes on the sheets skipped.

    A chosen sheet is read as it is. Otherwise every sheet is looked at: sheets whose columns
    do not map to the required fields are skipped (and named in the notes); sheets that do and
    share one header are read together (rows referenced as 'Blad2!17'); sheets that do in
    different layouts raise WerkbladKeuzeNodig, which lists them with their row counts."""
    if werkblad:
        return read_table(path, werkblad=werkblad, voortgang=voortgang), []
    voortgang = voortgang or Voortgang()
    voortgang.report(0.0, f"{Path(path).name} lezen")
    sheets = read_sheets(path, voortgang=voortgang)
    voortgang.report(0.9, f"{Path(path).name} gelezen; werkbladen bekijken")
    tables = {s.naam: s.tabel for s in sheets if s.tabel is not None}
    if not tables:
        reden = sheets[0].fout if len(sheets) == 1 and sheets[0].fout else None
        raise InvoerFout(reden or f"Geen enkel werkblad in {Path(path).name} kan worden gelezen.")
    if len(sheets) == 1:
        return next(iter(tables.values())), []
    holding = {naam: t for naam, t in tables.items() if holds_voorzieningen(t)}
    if not holding:  # nothing maps: show the fullest sheet, mapping will say what is missing
        return max(tables.values(), key=lambda t: len(t.regels)), []
    notes = [
        f"werkblad '{s.naam}' overgeslagen: daarin staan geen voorzieningen"
        for s in sheets
        if s.naam not in holding
    ]
    if len({tuple(t.headers) for t in holding.values()}) > 1:
        raise WerkbladKeuzeNodig(
            Path(path),
            [WerkbladKandidaat(n, len(t.regels), tuple(t.headers)) for n, t in holding.items()],
        )
    if len(holding) > 1:
        notes.append(
            "werkbladen " + ", ".join(f"'{n}'" for n in holding) + " samen gelezen "
            "(zelfde kolommen); regelnummers gelden per werkblad"
        )
    return combine_sheets(list(holding.values())), notes


@dataclass(frozen=True)
class Voorloopnullen:
    """One export's registratienummers lost their leading zeros; the other has them."""

    rol: str  # "oud" or "nieuw": the export to pad
    breedte: int
    tekst: str


def voorloopnullen_advies(oud: Export, nieuw: Export) -> Voorloopnullen | None:
    """Say so when one export's registratienummers are plain numbers and the other's are
    zero-padded to one fixed width (Excel ate the zeros). Nothing is changed here."""
    numbers = {rol: e.voorzieningen.frame["registratienummer"] for rol, e in
               (("oud", oud), ("nieuw", nieuw))}  # fmt: skip
    if not all(len(v) and str(v.iloc[0]).isdigit() for v in numbers.values()):
        return None  # _number_shape is None for one export: no pass over the other's numbers
    shapes = {rol: _number_shape(v) for rol, v in numbers.items()}
    for rol, other in (("oud", "nieuw"), ("nieuw", "oud")):
        mine, theirs = shapes[rol], shapes[other]
        if mine and mine[0] == "kaal" and theirs and theirs[0] == "vast" and mine[1] < theirs[1]:
            breedte = theirs[1]
            woord = {"oud": "oude", "nieuw": "nieuwe"}
            return Voorloopnullen(
                rol,
                breedte,
                f"de registratienummers in de {woord[rol]} export zijn gewone getallen zonder "
                f"voorloopnullen, in de {woord[other]} export hebben ze allemaal {breedte} tekens "
                "met voorloopnullen. Waarschijnlijk heeft Excel de nullen weggehaald. Wilt u ze "
                f"terugzetten, gebruik dan --nullen-{rol} {breedte} (in het venster: bij "
                "Kolommen). srgdesk verandert de nummers niet vanzelf.",
            )
    return None


def _number_shape(values) -> tuple[str, int] | None:
    """('kaal', longest) for digits without any leading zero, ('vast', width) for digits of one
    fixed width of which most start with a zero, None otherwise."""
    if len(values) and not str(values.iloc[0]).isdigit():
        return None  # the first value is no number (isdigit says yes to every \d and more)
    listed = values.astype(str).tolist()
    joined = "\n".join(listed)
    width = len(listed[0]) if listed else 0
    if width and joined.isascii() and len(joined) + 1 == len(listed) * (width + 1):
        told, shape = _one_width_shape(joined, len(listed), width)
        if told:
            return shape
    if listed and joined.isascii():  # numpy over the bytes: no Python call per number or digit
        codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
        breaks = np.flatnonzero(codes == 10)
        digits = np.count_nonzero((codes >= ord("0")) & (codes <= ord("9")))
        if len(breaks) != len(listed) - 1 or digits + len(breaks) != len(codes):
            return None  # some value holds a character that is no digit (a line break too)
        bounds = np.concatenate(([-1], breaks, [len(codes)]))
        lengths = np.diff(bounds) - 1
        if not lengths.min():
            return None  # an empty value is no number
        zeros = codes[bounds[:-1] + 1] == ord("0")
        if lengths.min() == lengths.max() and zeros.mean() >= 0.5:
            return ("vast", int(lengths[0]))
        return None if zeros.any() else ("kaal", int(lengths.max()))
    text = pd.Series(listed, dtype=object)
    if text.empty or not text.str.fullmatch(r"\d+").all():
        return None
    lengths = text.str.len()
    zeros = text.str.startswith("0")
    if lengths.nunique() == 1 and zeros.mean() >= 0.5:
        return ("vast", int(lengths.iat[0]))
    if not zeros.any():
        return ("kaal", int(lengths.max()))
    return None


def _one_width_shape(joined: str, count: int, width: int) -> tuple[bool, tuple[str, int] | None]:
    """_number_shape of `count` ASCII values joined by line breaks whose length says they may
    all be `width` long, read as the count x width+1 matrix of their bytes (no search for the
    breaks): (True, the shape), or (False, None) when they are not all that long."""
    cells = np.frombuffer(joined.encode("ascii") + b"\n", dtype=np.uint8).reshape(count, -1)
    if not (cells[:, width] == 10).all():
        return False, None
    # the breaks where they belong: the values are the rest of the bytes, all digits when
    # that many bytes are ('0' - 48 wraps below 0, one comparison)
    if np.count_nonzero((cells - np.uint8(48)) <= 9) != count * width:
        return True, None  # some value holds a character that is no digit
    zeros = cells[:, 0] == ord("0")
    if zeros.mean() >= 0.5:
        return True, ("vast", width)
    return True, (None if zeros.any() else ("kaal", width))


def export_from_table(table: RawTable, opties: LaadOpties, label: str = "") -> Export:
    """Map and clean a table already read (the wizard reads on the Bestanden step)."""
    mapping = opties.mapping or propose_mapping(table)
    if opties.kolommen:
        mapping = apply_overrides(mapping, dict(opties.kolommen), table)
    if opties.vast:
        mapping = apply_vaste_waarden(mapping, dict(opties.vast))
    if opties.nullen:
        mapping = replace(mapping, nullen=opties.nullen)
    voorzieningen = clean(table, mapping)
    # A verslagmaand given as one value (the wizard) is the user's choice, like the CLI option.
    given = opties.verslagmaand or (
        mapping.vast.get("verslagmaand") if not mapping.column("verslagmaand") else None
    )
    periode = None
    if not voorzieningen.frame.empty or given:
        periode = settle_period(voorzieningen.frame, given, label or table.name, table.name)
        voorzieningen.frame.attrs[PERIODE_ATTR] = periode
    return Export(table, mapping, voorzieningen, periode, opties)
