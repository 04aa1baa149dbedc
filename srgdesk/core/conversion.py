"""The outputs of a match: conversiebestand (csv + xlsx, layout from resources/), matches.csv and
the codetabel. They are written as one set (all or none) and never over an input.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from srgdesk.core.csv_writer import (
    CHUNK_ROWS,
    Column,
    NumberColumns,
    PiecedTexts,
    SharedTexts,
    Table,
    object_ids,
    shared_texts,
    write_csv_chunks,
)
from srgdesk.core.matching import GEKOPPELD, MATCH_COLUMNS, WAARSCHIJNLIJK, ZEKER, MatchResultaat
from srgdesk.core.matching.result import REDEN_STUKKEN, RedenStukken
from srgdesk.core.output_files import OutputFile, WriteResult, write_output_set
from srgdesk.core.progress import Voortgang
from srgdesk.core.resources import resource_path
from srgdesk.core.values import days_to_nl

FORMATEN = ("csv", "xlsx", "beide")
LINE_NUMBERS = ("oud_regel", "nieuw_regel")  # the last two columns of matches.csv
ACCEPT_LEVELS: dict[str, tuple[str, ...]] = {
    ZEKER: (ZEKER,),
    WAARSCHIJNLIJK: (ZEKER, WAARSCHIJNLIJK),
}


@dataclass(frozen=True)
class Kolom:
    kop: str
    bron: str
    bsn: bool = False


@dataclass(frozen=True)
class Layout:
    """The conversiebestand layout from resources/conversiebestand.toml."""

    kolommen: tuple[Kolom, ...]
    bestandsnaam: str
    bestandsnaam_met_bsn: str
    scheidingsteken: str
    werkblad: str

    def columns(self, met_bsn: bool) -> list[Kolom]:
        """The columns to write: BSN columns only when the user asked for a file with BSNs."""
        return [k for k in self.kolommen if met_bsn or not k.bsn]


def load_layout(path: Path | None = None) -> Layout:
    """The layout in `path`, or the shipped one (read once per process: a Layout never changes,
    and a match asks for it twice, for the output names and for the writing)."""
    return _read_layout(path) if path is not None else _shipped_layout()


@cache
def _shipped_layout() -> Layout:
    return _read_layout(resource_path("conversiebestand.toml"))


def _read_layout(path: Path) -> Layout:
    with path.open("rb") as stream:
        raw = tomllib.load(stream)
    return Layout(
        kolommen=tuple(Kolom(k["kop"], k["bron"], bool(k.get("bsn"))) for k in raw["kolom"]),
        bestandsnaam=raw.get("bestandsnaam", "conversiebestand"),
        bestandsnaam_met_bsn=raw.get("bestandsnaam_met_bsn", "conversiebestand_met_bsn"),
        scheidingsteken=raw.get("csv_scheidingsteken", ";"),
        werkblad=raw.get("werkblad", "Conversiebestand"),
    )


def accepted_pairs(resultaat: MatchResultaat, niveau: str = ZEKER) -> list[tuple[int, int]]:
    """(oud_index, nieuw_index) of the proposed pairs at or above `niveau`; twijfel never."""
    return [(int(o), int(n)) for o, n in accepted_pair_array(resultaat, niveau)]


def accepted_pair_array(resultaat: MatchResultaat, niveau: str = ZEKER) -> np.ndarray:
    """accepted_pairs as an (n, 2) int64 array: at a million rows a list of tuples costs
    ~100 MB and seconds, the array 16 MB (conversie_frame and write_outputs take either)."""
    rows = resultaat.regels
    chosen = _is_in(rows["status"], (GEKOPPELD,)) & _is_in(rows["zekerheid"], ACCEPT_LEVELS[niveau])
    picked = np.flatnonzero(chosen)
    columns = [rows[name].to_numpy()[picked] for name in ("oud_index", "nieuw_index")]
    return np.column_stack(columns).astype(np.int64, copy=False).reshape(-1, 2)


def _is_in(column: pd.Series, values: tuple[str, ...]) -> np.ndarray:
    """Which cells of `column` are among `values`; for a categorical column (the result's
    statuses) by its integer codes, without a pass over the cells as objects."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        wanted = [code for code, c in enumerate(column.cat.categories) if c in values]
        return np.isin(column.cat.codes.to_numpy(), wanted)
    return column.isin(values).to_numpy()


def _pair_array(pairs: Iterable[tuple[int, int]] | np.ndarray) -> np.ndarray:
    if isinstance(pairs, np.ndarray):
        return pairs.astype(np.int64, copy=False).reshape(-1, 2)
    return np.array(list(pairs), dtype=np.int64).reshape(-1, 2)


def conversie_frame(
    resultaat: MatchResultaat,
    pairs: Iterable[tuple[int, int]] | np.ndarray,
    layout: Layout,
    met_bsn: bool = False,
) -> pd.DataFrame:
    """One row per pair whose key changed, columns as the layout says, every value text, in the
    order of the old registratienummer."""
    return pd.DataFrame(conversie_columns(resultaat, pairs, layout, met_bsn))


def conversie_columns(
    resultaat: MatchResultaat,
    pairs: Iterable[tuple[int, int]] | np.ndarray,
    layout: Layout,
    met_bsn: bool = False,
) -> dict[str, pd.Series]:
    """conversie_frame's columns, without gathering them into one frame (a copy of every cell
    that the CSV writer does not need)."""
    pair_array = _pair_array(pairs)
    sides = {
        "oud": (resultaat.oud.frame, pair_array[:, 0]),
        "nieuw": (resultaat.nieuw.frame, pair_array[:, 1]),
    }

    numbers = {
        side: frame["registratienummer"].to_numpy()[index] for side, (frame, index) in sides.items()
    }

    def source(bron: str, picked: np.ndarray) -> np.ndarray:
        """'oud_registratienummer', 'nieuw_begindatum', 'bsn' … for the pairs `picked`."""
        side, _, name = ("oud_" + bron if bron == "bsn" else bron).partition("_")
        frame, index = sides[side]
        if name == "registratienummer":  # looked up for every pair already
            return numbers[side][picked]
        values = frame[name].to_numpy()[index[picked]]
        return days_to_nl(values).to_numpy() if name in ("begindatum", "einddatum") else values

    # The number first: where it changed (most pairs) the two codes need no comparing.
    same = np.flatnonzero(numbers["oud"] == numbers["nieuw"])
    for name in ("gemeentecode", "berichtgevercode"):
        same = same[source(f"oud_{name}", same) == source(f"nieuw_{name}", same)]
    changed = np.ones(len(pair_array), dtype=bool)
    changed[same] = False
    picked = np.flatnonzero(changed)
    picked = picked[np.argsort(numbers["oud"][picked], kind="stable")]
    # Only the rows that go into the file are looked up (and dates formatted) per column.
    return {k.kop: pd.Series(source(k.bron, picked), copy=False) for k in layout.columns(met_bsn)}


# --- writers ---------------------------------------------------------------------------------


CSV_CHUNK_ROWS = CHUNK_ROWS  # rows built in memory at a time when streaming a CSV


def csv_bytes(frame: pd.DataFrame, delimiter: str = ";") -> bytes:
    """The whole CSV as bytes (see write_csv)."""
    stream = io.BytesIO()
    write_csv(stream, frame, delimiter)
    return stream.getvalue()


def write_csv(
    stream: BinaryIO,
    frame: Table,
    delimiter: str = ";",
    voortgang: Voortgang | None = None,
    prepare: Callable[[pd.DataFrame], Table] | None = None,
) -> int:
    """UTF-8 with BOM, CRLF, quoted as the csv module does, formulas neutralised; streamed
    CSV_CHUNK_ROWS rows at a time (see core.csv_writer). Returns the data rows."""
    return write_csv_chunks(stream, frame, delimiter, voortgang, prepare, CSV_CHUNK_ROWS)


def matches_frame(resultaat: MatchResultaat, met_bsn: bool = False) -> pd.DataFrame:
    """matches.csv: one row per old record, per unpaired new record and per ongeldig row."""
    return _matches_rows(resultaat.regels, met_bsn)


def _matches_rows(regels: pd.DataFrame, met_bsn: bool) -> pd.DataFrame:
    """The matches.csv rows for some rows of the result (all of them, or one chunk), every line
    number as its own column of texts."""
    columns: dict[str, pd.Series | list[str]] = {}
    for name, column in _matches_columns(regels, met_bsn).items():
        if isinstance(column, NumberColumns):
            for names, numbers in zip(column.names, column.numbers.T, strict=True):
                columns[names] = ["" if n == 0 else str(n) for n in numbers.tolist()]
        elif not isinstance(column, SharedTexts):
            columns[name] = column
    return pd.DataFrame(columns, index=regels.index)


def _matches_columns(regels: pd.DataFrame, met_bsn: bool) -> dict[str, Column]:
    """The matches.csv columns: as they are (the CSV writer codes them per distinct value),
    the two line numbers formatted together with 0 (no such side) empty."""
    columns: dict[str, Column] = {c: regels[c] for c in MATCH_COLUMNS if c not in LINE_NUMBERS}
    score = regels["score"]
    columns["score"] = score if score.dtype == np.int64 else score.astype(np.int64)
    numbers = regels[list(LINE_NUMBERS)].to_numpy(dtype=np.int64)
    columns[LINE_NUMBERS[0]] = NumberColumns(LINE_NUMBERS, numbers, zero_as_empty=True)
    if met_bsn:
        columns["bsn"] = regels["bsn"]
    return columns


def matches_writer(
    resultaat: MatchResultaat, met_bsn: bool = False
) -> Callable[[BinaryIO, Voortgang], object]:
    """matches.csv built chunk by chunk while writing: at a million rows the whole table as
    text would add hundreds of MB to the peak of a match. Each column is made ready once (the
    reasons, codes and categories escaped once per distinct text) and sliced per chunk."""

    def write(stream: BinaryIO, voortgang: Voortgang) -> int:
        columns = _matches_columns(resultaat.regels, met_bsn)
        reden = reden_column(resultaat.regels)
        if reden is not None:
            columns["reden"] = reden
        return write_csv(stream, columns, ";", voortgang)

    return write


def reden_column(regels: pd.DataFrame) -> PiecedTexts | SharedTexts | None:
    """The reasons prepared for the CSV writer: in the pieces matching built them from (each
    opening and tail escaped once) while the column still holds the texts it built; else
    shared per text (escaped once per text, not once per row); None: as they are."""
    values = regels["reden"].to_numpy()
    stukken = regels.attrs.get(REDEN_STUKKEN)
    if isinstance(stukken, RedenStukken) and stukken.voor(values, object_ids):
        return PiecedTexts(
            (
                SharedTexts(stukken.lead, stukken.leads),
                SharedTexts(stukken.tail, stukken.tails),
            )
        )
    return shared_texts(values)


def codetabel_frame(resultaat: MatchResultaat) -> pd.DataFrame:
    """codetabel.csv: the soort relation, one row per pair (format owned by core.codes)."""
    return resultaat.codes.frame()


def csv_writer(frame: Table, delimiter: str = ";") -> Callable[[BinaryIO, Voortgang], object]:
    """A writer for write_output_set: the CSV is built when its turn comes, not before."""
    return lambda stream, voortgang: write_csv(stream, frame, delimiter, voortgang)


def xlsx_writer(
    frame: pd.DataFrame | dict[str, pd.Series], sheet: str
) -> Callable[[BinaryIO, Voortgang], object]:
    """A writer for write_output_set; the xlsx module is imported when an xlsx is written
    (and a frame made of columns only then)."""

    def write(stream: BinaryIO, voortgang: Voortgang) -> object:
        from srgdesk.core.xlsx_writer import write_xlsx

        table = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(frame)
        return write_xlsx(stream, table, sheet, voortgang)

    return write


def output_names(
    formaat: str = "beide", met_bsn: bool = False, layout: Layout | None = None
) -> list[str]:
    """The file names a match writes, in the order output_files gives them."""
    layout = layout or load_layout()
    stem = layout.bestandsnaam_met_bsn if met_bsn else layout.bestandsnaam
    names = [f"{stem}.csv"] if formaat in ("csv", "beide") else []
    names += ["matches_MET_BSN.csv" if met_bsn else "matches.csv", "codetabel.csv"]
    return names + ([f"{stem}.xlsx"] if formaat in ("xlsx", "beide") else [])


def output_files(
    resultaat: MatchResultaat,
    pairs: Iterable[tuple[int, int]] | np.ndarray,
    formaat: str = "beide",
    met_bsn: bool = False,
) -> list[OutputFile]:
    """The files of a match, not yet written: conversiebestand (csv/xlsx), matches.csv and
    codetabel.csv, each with its row count and whether it holds BSNs."""
    layout = load_layout()
    frame = conversie_columns(resultaat, pairs, layout, met_bsn=met_bsn)
    rows = len(next(iter(frame.values()), ()))
    conversie_bsn = any(k.bsn for k in layout.columns(met_bsn))
    matches = len(resultaat.regels)
    codes = codetabel_frame(resultaat)
    files = []
    for name in output_names(formaat, met_bsn, layout):
        if name.endswith(".xlsx"):
            writer = xlsx_writer(frame, layout.werkblad)
            files.append(OutputFile(name, writer, rows, conversie_bsn))
        elif name.startswith("matches"):
            files.append(OutputFile(name, matches_writer(resultaat, met_bsn), matches, met_bsn))
        elif name == "codetabel.csv":
            files.append(OutputFile(name, csv_writer(codes), len(codes)))
        else:
            writer = csv_writer(frame, layout.scheidingsteken)
            files.append(OutputFile(name, writer, rows, conversie_bsn))
    return files


def write_outputs(
    resultaat: MatchResultaat,
    pairs: Iterable[tuple[int, int]] | np.ndarray,
    folder: Path,
    formaat: str = "beide",
    met_bsn: bool = False,
    voortgang: Voortgang | None = None,
    protected: Iterable[Path] = (),
) -> list[WriteResult]:
    """Write conversiebestand (csv/xlsx), matches.csv and codetabel.csv into `folder` as one
    set (all or none); returns what was written."""
    files = output_files(resultaat, pairs, formaat, met_bsn)
    return write_output_set(folder, files, voortgang, protected)
