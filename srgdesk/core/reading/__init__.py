"""Any export (CSV/TXT, a workbook, an HTML or XML 'xls') → a RawTable of text cells.

Every cell stays text so leading zeros survive ('0001234', a BSN with a leading zero). Excel
date cells become ISO dates ('2016-01-20'); whole numbers stored as floats by Excel become
their digits ('757700573'). Each row keeps the row number the user sees in Excel.

The file type is decided by content (sniffing), each type has its own reader module, and they
all end in table.build_table. Limits are module constants here so tests can lower them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from srgdesk.core.errors import InvoerFout, bestandsfout, pad_te_lang
from srgdesk.core.progress import Voortgang
from srgdesk.core.reading.limits import Limieten, te_groot
from srgdesk.core.reading.sniffing import Soort, soort_van
from srgdesk.core.reading.table import (
    DELIMITER_NAMES,
    Blad,
    Leesprobleem,
    Lezer,
    RawTable,
    build_table,
    find_header_row,
)
from srgdesk.core.reading.text import (
    DELIMITERS,
    _grid,
    _parse_regular,
    decode_text,
    read_text,
    sniff_delimiter,
    strip_cell,
)

__all__ = [
    "DELIMITERS",
    "DELIMITER_NAMES",
    "HEADER_SCAN_ROWS",
    "MAX_ROWS",
    "InvoerFout",
    "Leesprobleem",
    "Lezer",
    "RawTable",
    "Werkblad",
    "_grid",
    "_parse_regular",
    "combine_sheets",
    "decode_text",
    "find_header_row",
    "read_sheets",
    "read_sheets_together",
    "read_table",
    "sniff_delimiter",
    "strip_cell",
]

HEADER_SCAN_ROWS = 30
MAX_ROWS = 1_000_000
MAX_CELLS = 20_000_000  # rows x columns of one sheet: calamine allocates ~32 bytes per cell
MAX_BYTES = 512_000_000  # the file itself
MAX_PART_BYTES = 2_000_000_000  # one uncompressed part of a workbook


def limieten() -> Limieten:
    """The limits in force, read from the module constants at call time."""
    return Limieten(
        max_regels=MAX_ROWS,
        kopruimte=HEADER_SCAN_ROWS,
        max_cellen=MAX_CELLS,
        max_bytes=MAX_BYTES,
        max_deel_bytes=MAX_PART_BYTES,
    )


@dataclass
class Werkblad:
    """One sheet of a workbook as read: its table, or why it holds no usable table."""

    naam: str
    tabel: RawTable | None
    fout: str | None = None  # Dutch reason when tabel is None

    @property
    def regels(self) -> int:
        """Number of data rows (0 when the sheet has none)."""
        return len(self.tabel.regels) if self.tabel is not None else 0


def read_table(
    path: Path | str, werkblad: str | None = None, *, voortgang: Voortgang | None = None
) -> RawTable:
    """Read one export; a workbook's chosen sheet, else the sheet with the most filled cells.

    Raises InvoerFout with a Dutch message; Geannuleerd when `voortgang` says cancel."""
    path = Path(path)
    voortgang = voortgang or Voortgang()
    grenzen = limieten()
    data = _read_bytes(path, grenzen)
    soort = soort_van(data, path.name)
    voortgang.report(0.1, f"{path.name} lezen")
    if soort == Soort.TEKST:
        table = read_text(path, data, grenzen, voortgang)
        voortgang.report(1.0, f"{path.name} gelezen")
        return table
    names, bladen = _sheets(path, data, soort, werkblad, grenzen, voortgang)
    if werkblad is not None:
        blad = bladen[werkblad]
        if isinstance(blad, InvoerFout):
            raise blad
    else:
        from srgdesk.core.reading.workbook import filled_cells  # not needed by a text file

        readable = [b for b in bladen.values() if isinstance(b, Blad)]
        if not readable:
            first = next(iter(bladen.values()))
            raise (
                first
                if len(bladen) == 1 and isinstance(first, InvoerFout)
                else InvoerFout(f"Geen enkel werkblad in {path.name} kan worden gelezen.")
            )
        blad = max(readable, key=filled_cells)
    table = _build(path, blad, soort, grenzen)
    table.werkbladen = names
    voortgang.report(1.0, f"{path.name} gelezen")
    return table


def read_sheets(path: Path | str, *, voortgang: Voortgang | None = None) -> list[Werkblad]:
    """Every sheet of a workbook with its table (or why it has none), in workbook order.

    A text file gives one entry named ''. The caller decides which sheets hold voorzieningen;
    sheets with the same headers can be read as one table with combine_sheets."""
    path = Path(path)
    voortgang = voortgang or Voortgang()
    grenzen = limieten()
    data = _read_bytes(path, grenzen)
    soort = soort_van(data, path.name)
    if soort == Soort.TEKST:
        return [Werkblad("", read_text(path, data, grenzen, voortgang))]
    names, bladen = _sheets(path, data, soort, None, grenzen, voortgang)
    result = []
    for name in names:
        blad = bladen[name]
        if isinstance(blad, InvoerFout):
            result.append(Werkblad(name, None, blad.melding))
            continue
        try:
            table = _build(path, blad, soort, grenzen)
        except InvoerFout as fout:
            result.append(Werkblad(name, None, fout.melding))
            continue
        table.werkbladen = names
        result.append(Werkblad(name, table))
    return result


def read_sheets_together(
    path: Path | str, namen: list[str], *, voortgang: Voortgang | None = None
) -> RawTable:
    """Several sheets with the same header as one table, rows referenced as 'Blad2!17'."""
    tables = [read_table(path, werkblad=naam, voortgang=voortgang) for naam in namen]
    return combine_sheets(tables)


def combine_sheets(tabellen: list[RawTable]) -> RawTable:
    """One table from sheets read separately, which must have the same column names.

    `regels` stay each sheet's own Excel row numbers (so they may repeat and do not ascend);
    `verwijzingen` says 'Blad2!17'. `extra_velden` is empty (a row number alone is ambiguous
    here); `extra_per_rij` and `leesproblemen` carry those rows instead."""
    import pandas as pd

    if not tabellen:
        raise ValueError("combine_sheets needs at least one table")
    if len(tabellen) == 1:
        return tabellen[0]
    first = tabellen[0]
    for other in tabellen[1:]:
        if other.headers != first.headers:
            raise InvoerFout(
                f"De werkbladen '{first.werkblad}' en '{other.werkblad}' in {first.name} hebben "
                "niet dezelfde kolommen en kunnen niet samen worden gelezen. Kies één werkblad."
            )
    regels: list[int] = []
    verwijzingen: list[str] = []
    extra_per_rij: dict[int, int] = {}
    problemen: list[Leesprobleem] = []
    for table in tabellen:
        offset = len(regels)
        blad = table.werkblad or ""
        regels.extend(table.regels)
        verwijzingen.extend(f"{blad}!{regel}" for regel in table.regels)
        extra_per_rij.update({offset + i: n for i, n in table.extra_per_rij.items()})
        for i, n in table.extra_per_rij.items():
            problemen.append(
                Leesprobleem(
                    table.regels[i],
                    f"Regel heeft {n} veld(en) meer dan de kopregel",
                    f"{blad}!{table.regels[i]}",
                )
            )
        problemen.extend(
            Leesprobleem(p.regel, p.reden, f"{blad}!{p.regel}") for p in table.leesproblemen
        )
    cells = pd.concat([t.cells for t in tabellen], ignore_index=True)
    return RawTable(
        path=first.path,
        headers=list(first.headers),
        cells=cells,
        regels=regels,
        soort_bestand=first.soort_bestand,
        kopregel=first.kopregel,
        werkblad=first.werkblad,
        werkbladen=list(first.werkbladen),
        lege_regels=sum(t.lege_regels for t in tabellen),
        lezer=first.lezer,
        kopregel_gevonden=first.kopregel_gevonden,
        leesproblemen=problemen,
        extra_per_rij=extra_per_rij,
        verwijzingen=verwijzingen,
        werkbladen_gelezen=[t.werkblad or "" for t in tabellen],
    )


# --- steps -----------------------------------------------------------------------------------


def _read_bytes(path: Path, grenzen: Limieten) -> bytes:
    try:
        if path.stat().st_size > grenzen.max_bytes:
            raise te_groot(path.name, grenzen)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        if pad_te_lang(exc, path):  # Windows says "not found" for a path over 260 characters
            raise bestandsfout(exc, path) from exc
        raise InvoerFout(f"Het bestand {path} bestaat niet. Controleer de naam en de map.") from exc
    except PermissionError as exc:
        if os.path.isdir(path):  # Windows refuses to open a folder with "access denied"
            raise InvoerFout(f"{path} is een map, geen bestand. Kies een exportbestand.") from exc
        raise InvoerFout(
            f"{path.name} kan niet worden gelezen: geen toegang, of het bestand is in gebruik. "
            "Sluit het in Excel en probeer het opnieuw."
        ) from exc
    except IsADirectoryError as exc:
        raise InvoerFout(f"{path} is een map, geen bestand. Kies een exportbestand.") from exc
    except OSError as exc:
        raise InvoerFout(f"{path.name} kan niet worden gelezen ({exc.strerror}).") from exc
    if not data or data.isspace():  # without a stripped copy of the whole file
        raise InvoerFout(f"{path.name} is leeg. Maak de export opnieuw en kies dat bestand.")
    return data


def _sheets(
    path: Path,
    data: bytes,
    soort: Soort,
    werkblad: str | None,
    grenzen: Limieten,
    voortgang: Voortgang,
) -> tuple[list[str], dict[str, Blad | InvoerFout]]:
    """Sheet names in order, and each wanted sheet as a Blad or the error it gave."""
    if soort == Soort.WERKMAP:
        # calamine and the workbook checks only for a workbook: a CSV run never imports them
        from srgdesk.core.reading.workbook import Werkmap

        werkmap = Werkmap(path, data, grenzen)
        names = werkmap.namen
        _check_name(path, werkblad, names)
        bladen: dict[str, Blad | InvoerFout] = {}
        for name in [werkblad] if werkblad is not None else names:
            try:
                bladen[name] = werkmap.blad(name, voortgang)
            except InvoerFout as fout:
                bladen[name] = fout
        return names, bladen
    from srgdesk.core.reading.markup import read_html, read_xml_2003  # lxml only when needed

    reader = read_html if soort == Soort.HTML else read_xml_2003
    all_bladen = reader(path, data, grenzen, voortgang)
    names = [b.naam or "" for b in all_bladen]
    _check_name(path, werkblad, names)
    return names, {b.naam or "": b for b in all_bladen if werkblad in (None, b.naam)}


def _check_name(path: Path, werkblad: str | None, names: list[str]) -> None:
    if werkblad is not None and werkblad not in names:
        raise InvoerFout(
            f"Werkblad '{werkblad}' staat niet in {path.name}. Werkbladen: {', '.join(names)}."
        )


_LEZER = {Soort.WERKMAP: Lezer.CALAMINE, Soort.HTML: Lezer.HTML, Soort.XML_2003: Lezer.XML_2003}


def _build(path: Path, blad: Blad, soort: Soort, grenzen: Limieten) -> RawTable:
    return build_table(path, blad, kind="werkmap", lezer=_LEZER[soort], limieten=grenzen)
