"""Generators for exports as packages write them: any header names, missing code columns,
open einddatums in every spelling, year and month apart, numbers without their zeros."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

STANDAARD = {
    "gemeentecode": "Gemeentecode",
    "berichtgevercode": "Berichtgevercode",
    "bsn": "BSN",
    "registratienummer": "Registratienummer voorziening",
    "soort": "Soort voorziening",
    "begindatum": "Begindatum",
    "einddatum": "Einddatum",
}


def valid_bsn(rng: random.Random) -> str:
    """A random 9-digit number that passes the elfproef."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True))
        last = total % 11
        if last <= 9 and any(digits):
            return "".join(map(str, digits)) + str(last)


@dataclass
class Gen:
    """One export: `headers` maps field → header (a field left out has no column)."""

    rows: int = 30
    seed: int = 1
    headers: dict[str, str] = field(default_factory=lambda: dict(STANDAARD))
    gemeente: str = "0363"
    einde_open: str = ""  # what this package writes for "no einddatum"
    registratienummer_breedte: int = 10
    zonder_nullen: bool = False
    laatste_begin: date = date(2024, 1, 15)
    datum_formaat: str = "%Y%m%d"
    extra_kolommen: dict[str, str] = field(default_factory=dict)  # header → constant

    def records(self) -> list[dict[str, str]]:
        rng = random.Random(self.seed)
        out = []
        for i in range(self.rows):
            begin = self.laatste_begin - timedelta(days=rng.randint(0, 900) if i else 0)
            ends = i % 3 == 0
            einde = (begin + timedelta(days=400)).strftime(self.datum_formaat) if ends else ""
            nummer = str(1000 + i)
            nummer = nummer if self.zonder_nullen else nummer.zfill(self.registratienummer_breedte)
            out.append(
                {
                    "gemeentecode": self.gemeente,
                    "berichtgevercode": "4021",
                    "bsn": valid_bsn(rng),
                    "registratienummer": nummer,
                    "soort": f"0{1 + i % 5}",
                    "begindatum": begin.strftime(self.datum_formaat),
                    "einddatum": einde if ends else self.einde_open,
                }
            )
        return out

    def write(self, path: Path, sep: str = ";") -> Path:
        velden = list(self.headers)
        lines = [sep.join([self.headers[v] for v in velden] + list(self.extra_kolommen))]
        for record in self.records():
            lines.append(sep.join([record[v] for v in velden] + list(self.extra_kolommen.values())))
        path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
        return path


def gen_frame(gen: Gen) -> pd.DataFrame:
    """The records of `gen` under its headers, as one sheet of a workbook holds them."""
    records = gen.records()
    return pd.DataFrame([{gen.headers[k]: r[k] for k in gen.headers} for r in records], dtype=str)


def workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """An xlsx with one sheet per entry, in order (an export split over sheets)."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for naam, frame in sheets.items():
            frame.to_excel(writer, sheet_name=naam, index=False)
    return path
