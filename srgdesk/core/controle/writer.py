"""Write the monthly check: controle.csv/.xlsx and, when voorzieningen got a new number that
matching is sure of, the conversiebestand — as one set (all or none), with the project's own
CSV and xlsx writers."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from srgdesk.core.controle import ControleResultaat
from srgdesk.core.controle.model import tekst_frame
from srgdesk.core.conversion import (
    accepted_pairs,
    conversie_frame,
    csv_writer,
    load_layout,
    xlsx_writer,
)
from srgdesk.core.output_files import OutputFile, WriteResult, write_output_set
from srgdesk.core.progress import Voortgang
from srgdesk.core.vocabulary import Zekerheid

BESTANDSNAAM = "controle"
WERKBLAD = "Controle"


def conversies(resultaat: ControleResultaat, niveau: str = Zekerheid.ZEKER) -> pd.DataFrame:
    """The conversiebestand rows for pairs at `niveau` whose key changed (empty: none needed)."""
    pairs = accepted_pairs(resultaat.match, niveau)
    return conversie_frame(resultaat.match, pairs, load_layout())


def output_names(formaat: str = "beide", met_conversie: bool = True) -> list[str]:
    """Every name the check may write (to refuse an unusable folder before the long work)."""
    stems = [BESTANDSNAAM] + ([load_layout().bestandsnaam] if met_conversie else [])
    suffixes = {"csv": [".csv"], "xlsx": [".xlsx"], "beide": [".csv", ".xlsx"]}[formaat]
    return [stem + suffix for stem in stems for suffix in suffixes]


def output_files(
    resultaat: ControleResultaat, formaat: str = "beide", met_conversie: bool = True
) -> list[OutputFile]:
    """controle.csv/.xlsx always; conversiebestand.csv/.xlsx only when conversions are needed
    (met_conversie=False: the wizard writes it after review, in Opslaan). No file holds a BSN."""
    report = tekst_frame(resultaat.signaleringen)
    sets = [(BESTANDSNAAM, WERKBLAD, ";", report)]
    conversie = conversies(resultaat) if met_conversie else pd.DataFrame()
    if len(conversie):
        layout = load_layout()
        sets.append((layout.bestandsnaam, layout.werkblad, layout.scheidingsteken, conversie))
    files = []
    for stem, sheet, delimiter, frame in sets:
        if formaat in ("csv", "beide"):
            files.append(OutputFile(f"{stem}.csv", csv_writer(frame, delimiter), len(frame)))
        if formaat in ("xlsx", "beide"):
            files.append(OutputFile(f"{stem}.xlsx", xlsx_writer(frame, sheet), len(frame)))
    return files


def write_controle(
    resultaat: ControleResultaat,
    folder: Path,
    formaat: str = "beide",
    voortgang: Voortgang | None = None,
    protected: Iterable[Path] = (),
    met_conversie: bool = True,
) -> list[WriteResult]:
    """Write output_files into `folder` as one set; returns what was written."""
    files = output_files(resultaat, formaat, met_conversie)
    return write_output_set(Path(folder), files, voortgang, protected)
