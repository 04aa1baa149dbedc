"""Write the monthly check: controle.csv/.xlsx and, when voorzieningen got a new number that
matching is sure of, the conversiebestand — with the project's own CSV and xlsx writers."""

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
from srgdesk.core.output_files import OutputFile, write_output_set
from srgdesk.core.progress import Voortgang
from srgdesk.core.vocabulary import Zekerheid

BESTANDSNAAM = "controle"
WERKBLAD = "Controle"


def conversies(resultaat: ControleResultaat, niveau: str = Zekerheid.ZEKER) -> pd.DataFrame:
    """The conversiebestand rows for pairs at `niveau` whose key changed (empty: none needed)."""
    pairs = accepted_pairs(resultaat.match, niveau)
    return conversie_frame(resultaat.match, pairs, load_layout())


def write_controle(
    resultaat: ControleResultaat,
    folder: Path,
    formaat: str = "beide",
    voortgang: Voortgang | None = None,
    protected: Iterable[Path] = (),
    met_conversie: bool = True,
) -> list[Path]:
    """controle.csv/.xlsx always; conversiebestand.csv/.xlsx only when conversions are needed
    (met_conversie=False: the wizard writes it after review, in Opslaan)."""
    voortgang = voortgang or Voortgang()
    protected = list(protected)
    folder = Path(folder)
    frames = [(BESTANDSNAAM, WERKBLAD, ";", tekst_frame(resultaat.signaleringen))]
    conversie = conversies(resultaat) if met_conversie else pd.DataFrame()
    if len(conversie):
        layout = load_layout()
        frames.append((layout.bestandsnaam, layout.werkblad, layout.scheidingsteken, conversie))
    files: list[OutputFile] = []
    for stem, sheet, delimiter, frame in frames:
        if formaat in ("csv", "beide"):
            files.append(OutputFile(f"{stem}.csv", csv_writer(frame, delimiter), len(frame)))
        if formaat in ("xlsx", "beide"):
            files.append(OutputFile(f"{stem}.xlsx", xlsx_writer(frame, sheet), len(frame)))
    # One set: all files are written to temporaries first and renamed together, or none is.
    results = write_output_set(folder, files, voortgang, protected)
    voortgang.report(1.0, "Bestanden geschreven")
    return [result.path for result in results]
