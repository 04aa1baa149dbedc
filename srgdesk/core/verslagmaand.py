"""The verslagmaand of an export: the month it reports on, and where that knowledge came from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import MAANDEN
from srgdesk.core.values import EPOCH


@dataclass(frozen=True)
class Periode:
    """The verslagmaand of one export and where it came from (kolom, afgeleid, opgegeven)."""

    maand: str
    bron: str

    @property
    def eerste_dag(self) -> int:
        return int((np.datetime64(f"{self.maand[:4]}-{self.maand[4:]}", "D") - EPOCH).astype(int))

    def tekst(self) -> str:
        how = {
            "kolom": "uit de kolom Verslagmaand",
            "afgeleid": "afgeleid uit de laatste begindatum",
            "opgegeven": "door u opgegeven",
        }.get(self.bron, self.bron)
        return f"{MAANDEN[int(self.maand[4:]) - 1]} {self.maand[:4]} ({how})"


def determine_period(frame: pd.DataFrame, override: str | None, label: str) -> Periode:
    """Verslagmaand: opgegeven > most common value of the column > month of the latest begindatum."""
    if override:
        text = override.replace("-", "").strip()
        if len(text) != 6 or not text.isdigit() or not 1 <= int(text[4:]) <= 12:
            raise InvoerFout(
                f"Verslagmaand {label} '{override}' is ongeldig. Schrijf JJJJMM, bijvoorbeeld 202401."
            )
        return Periode(text, "opgegeven")
    months = frame["verslagmaand"][frame["verslagmaand"] != ""]
    if not months.empty:
        return Periode(str(months.mode().iat[0]), "kolom")
    if frame.empty:
        raise InvoerFout(f"De {label} export heeft geen bruikbare regels.")
    latest = EPOCH + np.timedelta64(int(frame["begindatum"].max()), "D")
    return Periode(str(latest)[:7].replace("-", ""), "afgeleid")
