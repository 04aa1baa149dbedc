"""Generate two consecutive monthly exports of one gemeente: a clean month by default (same keys,
a few voorzieningen ended, a few new), for the monthly check's tests and benchmark. Problems are
planted by the caller on the returned frames (one line per problem reads as a specification).

usage: python benchmarks/maandpaar.py MAP [--aantal 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from generate import valid_bsns

SOORTEN = {
    "LKS": "Loonkostensubsidie",
    "BW": "Beschut werk",
    "JC": "Jobcoaching",
    "SCHOL": "Scholing",
    "WEP": "Werkervaringsplaats",
    "TRAJ": "Re-integratietraject",
}
KOLOMMEN = [
    "Gemeentecode",
    "Berichtgevercode",
    "Verslagmaand",
    "BSN",
    "Registratienummer voorziening",
    "Soort voorziening",
    "Omschrijving voorziening",
    "Begindatum voorziening",
    "Einddatum voorziening",
]


def _yyyymmdd(days: np.ndarray) -> np.ndarray:
    text = pd.Series(np.asarray(days, dtype="datetime64[D]")).dt.strftime("%Y%m%d").fillna("")
    return text.to_numpy(dtype=object)


def month_pair(
    aantal: int = 1000, seed: int = 1, maand: str = "202403", gemeentecode: str = "0363"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(vorige, deze): every voorziening of `vorige` runs in the month before `maand`; 1 % ends in
    that month (absent from `deze`), 1 % ends during `maand` (present, with einddatum) and 1 % is
    new in `maand`. Every cell is text, as read from a file."""
    rng = np.random.default_rng(seed)
    deze_eerste = np.datetime64(f"{maand[:4]}-{maand[4:]}", "M").astype("datetime64[D]")
    vorige_eerste = (np.datetime64(f"{maand[:4]}-{maand[4:]}", "M") - 1).astype("datetime64[D]")
    nieuw = max(1, aantal // 100)
    bsn = np.char.zfill(valid_bsns(rng, aantal + nieuw).astype(str), 9)
    codes = np.array(list(SOORTEN))
    soort = rng.choice(codes, size=aantal + nieuw)
    begin = np.datetime64("2018-01-01") + rng.integers(
        0, int((vorige_eerste - np.datetime64("2018-01-01")).astype(int)), size=aantal
    ).astype("timedelta64[D]")
    einde = np.full(aantal, np.datetime64("NaT"), dtype="datetime64[D]")
    ends_before = rng.random(aantal) < 0.01
    ends_during = ~ends_before & (rng.random(aantal) < 0.01)
    einde[ends_before] = vorige_eerste + rng.integers(0, 28, size=int(ends_before.sum())).astype(
        "timedelta64[D]"
    )
    einde[ends_during] = deze_eerste + rng.integers(0, 28, size=int(ends_during.sum())).astype(
        "timedelta64[D]"
    )
    nummers = np.array([f"R{i:07d}" for i in range(1, aantal + nieuw + 1)], dtype=object)
    vorige = pd.DataFrame(
        {
            "Gemeentecode": gemeentecode,
            "Berichtgevercode": "4021",
            "Verslagmaand": str(vorige_eerste)[:7].replace("-", ""),
            "BSN": bsn[:aantal],
            "Registratienummer voorziening": nummers[:aantal],
            "Soort voorziening": soort[:aantal],
            "Omschrijving voorziening": [SOORTEN[c] for c in soort[:aantal]],
            "Begindatum voorziening": _yyyymmdd(begin),
            "Einddatum voorziening": _yyyymmdd(np.where(ends_during, np.datetime64("NaT"), einde)),
        }
    )
    blijft = ~ends_before
    nieuw_begin = deze_eerste + rng.integers(0, 28, size=nieuw).astype("timedelta64[D]")
    deze = pd.concat(
        [
            vorige[blijft].assign(
                **{"Einddatum voorziening": _yyyymmdd(einde[blijft]), "Verslagmaand": maand}
            ),
            pd.DataFrame(
                {
                    "Gemeentecode": gemeentecode,
                    "Berichtgevercode": "4021",
                    "Verslagmaand": maand,
                    "BSN": bsn[aantal:],
                    "Registratienummer voorziening": nummers[aantal:],
                    "Soort voorziening": soort[aantal:],
                    "Omschrijving voorziening": [SOORTEN[c] for c in soort[aantal:]],
                    "Begindatum voorziening": _yyyymmdd(nieuw_begin),
                    "Einddatum voorziening": "",
                }
            ),
        ],
        ignore_index=True,
    )
    return vorige[KOLOMMEN], deze[KOLOMMEN]


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """As a package exports it: ';', UTF-8, every cell text (Excel row = index + 2)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, sep=";", index=False, encoding="utf-8", lineterminator="\r\n")
    return path


def write_pair(folder: Path, aantal: int = 1000, seed: int = 1) -> tuple[Path, Path]:
    vorige, deze = month_pair(aantal, seed)
    return write_csv(vorige, folder / "vorige.csv"), write_csv(deze, folder / "deze.csv")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("map", type=Path)
    parser.add_argument("--aantal", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("\n".join(str(p) for p in write_pair(args.map, args.aantal, args.seed)))


if __name__ == "__main__":
    main()
