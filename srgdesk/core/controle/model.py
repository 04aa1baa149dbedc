"""What a signalering is: its kinds (code, ernst, Dutch texts from resources/controle.toml) and
the table of signaleringen one check produced."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from srgdesk.core.errors import InvoerFout
from srgdesk.core.resources import resource_path
from srgdesk.core.vocabulary import Ernst

# The columns of controle.csv / controle.xlsx, in this order (issue 16).
KOLOMMEN = [
    "code",
    "ernst",
    "bestand",
    "regel",
    "gemeentecode",
    "berichtgevercode",
    "registratienummer",
    "uitleg",
]
VORIGE, DEZE = "vorige", "deze"
ERNST_VOLGORDE = {Ernst.FOUT: 0, Ernst.WAARSCHUWING: 1, Ernst.INFO: 2}


@dataclass(frozen=True)
class SoortSignalering:
    """One kind of signalering: code, ernst, a short title and its uitleg template(s)."""

    code: str
    ernst: Ernst
    titel: str
    teksten: dict[str, str]  # "uitleg" plus variants such as "uitleg_onzeker"

    def uitleg(self, variant: str = "uitleg", **velden: object) -> str:
        return self.teksten[variant].format(**velden)


@cache
def load_soorten(path: Path | None = None) -> dict[str, SoortSignalering]:
    """Code → kind, in file order (the order of the report)."""
    path = path or resource_path("controle.toml")
    try:
        with path.open("rb") as stream:
            raw = tomllib.load(stream)
        return {
            code: SoortSignalering(
                code,
                Ernst(entry["ernst"]),
                entry["titel"],
                {k: v for k, v in entry.items() if k.startswith("uitleg")},
            )
            for code, entry in raw.items()
        }
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError) as exc:
        raise InvoerFout(
            f"De lijst met signaleringen ({path.name}) kan niet worden gelezen. "
            "Installeer srgdesk opnieuw."
        ) from exc


def soort(code: str) -> SoortSignalering:
    return load_soorten()[code]


def signaleringen_frame(
    code: str,
    bestand: str,
    regel: object,
    gemeentecode: object,
    berichtgevercode: object,
    registratienummer: object,
    uitleg: object,
    bsn: object = "",
) -> pd.DataFrame:
    """Signaleringen of one code as columns (scalars are broadcast); `bsn` is kept only for the
    wizard's masked column and is never written to a file."""
    columns = {
        "regel": regel,
        "gemeentecode": gemeentecode,
        "berichtgevercode": berichtgevercode,
        "registratienummer": registratienummer,
        "uitleg": uitleg,
        "bsn": bsn,
    }
    length = max((len(v) for v in columns.values() if isinstance(v, np.ndarray | list)), default=1)
    frame = pd.DataFrame(
        {
            "code": code,
            "ernst": str(soort(code).ernst),
            "bestand": bestand,
            **{
                k: (v if isinstance(v, np.ndarray | list) else [v] * length)
                for k, v in columns.items()
            },
        },
        index=range(length),
    )
    frame["regel"] = frame["regel"].astype(np.int64)
    return frame


LEEG = pd.DataFrame(
    {k: pd.Series(dtype=np.int64 if k == "regel" else object) for k in [*KOLOMMEN, "bsn"]}
)


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """All signaleringen, fout first, then by the order of the codes, file and row."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return LEEG.copy()
    frame = pd.concat(parts, ignore_index=True)
    order = {code: i for i, code in enumerate(load_soorten())}
    frame["_e"] = frame["ernst"].map(ERNST_VOLGORDE)
    frame["_c"] = frame["code"].map(order)
    frame["_b"] = (frame["bestand"] == DEZE).astype(int)
    frame = frame.sort_values(["_e", "_c", "_b", "regel"], kind="stable")
    return frame.drop(columns=["_e", "_c", "_b"]).reset_index(drop=True)


def tekst_frame(signaleringen: pd.DataFrame) -> pd.DataFrame:
    """The report as text cells, exactly KOLOMMEN (no BSN): regel 0 (no row) is empty."""
    frame = signaleringen[KOLOMMEN].copy()
    frame["regel"] = frame["regel"].astype(np.int64).astype(str).replace("0", "")
    return frame.astype(str)
