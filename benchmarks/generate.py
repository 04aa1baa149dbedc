"""Generate a realistic synthetic export pair: a package switch on 1 January with recoded soorten.

Old export: cp1252, ';', JJJJMMDD dates, berichtgever 4021, numeric registratienummers.
New export: UTF-8 with BOM, ',', ISO dates, berichtgever 4077, 'VZ-' numbers, other soort codes
(two old codes map to one new code). Most begindatums are kept; a share is reset to the
conversion date. Some voorzieningen end before the switch, some new ones start after it.

usage: python benchmarks/generate.py MAP [--oud 95000] [--seed 1]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

OLD_CODES = {
    "01": "Loonkostensubsidie",
    "02": "Beschut werk",
    "03": "Jobcoaching",
    "04": "Scholing",
    "05": "Werkervaringsplaats",
    "06": "Proefplaatsing",
    "07": "Sociale activering",
    "08": "No-riskpolis",
    "09": "Re-integratietraject",
    "10": "Participatieplaats",
    "11": "Re-integratietraject extern",
}
NEW_CODES = {
    "01": "LKS",
    "02": "BW",
    "03": "JC",
    "04": "SCHOL",
    "05": "WEP",
    "06": "PP",
    "07": "SA",
    "08": "NRP",
    "09": "TRAJ",
    "10": "PART",
    "11": "TRAJ",
}
NEW_TEXT = {"TRAJ": "Re-integratietraject"}
FIRST_OLD_CODE = {new: old for old, new in reversed(NEW_CODES.items())}
SWITCH = np.datetime64("2024-01-01")


def valid_bsns(rng: np.random.Generator, count: int) -> np.ndarray:
    """Distinct 9-digit numbers that pass the elfproef."""
    found: list[np.ndarray] = []
    total = 0
    while total < count:
        digits = rng.integers(0, 10, size=(count * 2, 8))
        digits[:, 0] = rng.integers(0, 7, size=count * 2)
        weighted = (digits * np.arange(9, 1, -1)).sum(axis=1)
        check = weighted % 11
        ok = check <= 9
        numbers = (digits[ok] * 10 ** np.arange(8, 0, -1)).sum(axis=1) + check[ok]
        numbers = numbers[numbers > 0]
        found.append(numbers)
        total += len(numbers)
    return pd.unique(np.concatenate(found))[:count]


def generate_pair(
    folder: Path,
    n_old: int = 95_000,
    seed: int = 1,
    vanish_share: float = 0.002,
    gemeentecode: str = "0999",
) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    persons = valid_bsns(rng, int(n_old / 1.4))
    bsn = rng.choice(persons, size=n_old)
    codes = np.array(list(OLD_CODES))
    soort = rng.choice(
        codes, size=n_old, p=[0.25, 0.08, 0.15, 0.08, 0.1, 0.04, 0.12, 0.04, 0.08, 0.03, 0.03]
    )
    start = np.datetime64("2016-01-01")
    begin = start + rng.integers(0, (SWITCH - start).astype(int) - 1, size=n_old).astype(
        "timedelta64[D]"
    )
    ended = rng.random(n_old) < 0.12
    end_offset = rng.integers(30, 3000, size=n_old).astype("timedelta64[D]")
    end = np.where(ended, begin + end_offset, np.datetime64("NaT"))
    registratienummer = np.char.zfill((np.arange(n_old) + 1_000_001).astype(str), 10)
    old = pd.DataFrame(
        {
            "Gemeentecode": gemeentecode,
            "Berichtgevercode": "4021",
            "Verslagmaand": "202312",
            "BSN": np.char.zfill(bsn.astype(str), 9),
            "Registratienummer voorziening": registratienummer,
            "Soort voorziening": soort,
            "Omschrijving voorziening": [OLD_CODES[c] for c in soort],
            "Begindatum voorziening": pd.Series(begin).dt.strftime("%Y%m%d"),
            "Einddatum voorziening": pd.Series(end).dt.strftime("%Y%m%d").fillna(""),
        }
    )
    running = ~ended | (end >= SWITCH)
    vanish = rng.random(n_old) < vanish_share
    carried = np.flatnonzero(running & ~vanish)
    reset = rng.random(len(carried)) < 0.25
    new_soort = np.array([NEW_CODES[c] for c in soort[carried]])
    new_begin = np.where(reset, SWITCH, begin[carried])
    extra = int(0.03 * len(carried))
    extra_bsn = rng.choice(persons, size=extra)
    extra_soort = rng.choice(sorted(set(NEW_CODES.values())), size=extra)
    extra_begin = SWITCH + rng.integers(0, 28, size=extra).astype("timedelta64[D]")
    numbers = np.array([f"VZ-{i:07d}" for i in rng.permutation(len(carried) + extra) + 1])
    new = pd.DataFrame(
        {
            "gemeente_code": gemeentecode,
            "berichtgever_code": "4077",
            "bsn": np.char.zfill(np.concatenate([bsn[carried], extra_bsn]).astype(str), 9),
            "registratienr": numbers,
            "voorzieningcode": np.concatenate([new_soort, extra_soort]),
            "datum_begin": pd.Series(np.concatenate([new_begin, extra_begin])).dt.strftime(
                "%Y-%m-%d"
            ),
            "datum_eind": pd.Series(
                np.concatenate([end[carried], np.full(extra, np.datetime64("NaT"))])
            )
            .dt.strftime("%Y-%m-%d")
            .fillna(""),
        }
    )
    new.insert(
        5,
        "voorziening_omschrijving",
        [
            NEW_TEXT.get(code, OLD_CODES[old_code])
            for code, old_code in zip(
                new["voorzieningcode"],
                [*soort[carried], *[FIRST_OLD_CODE[c] for c in extra_soort]],
                strict=True,
            )
        ],
    )
    new = new.sample(frac=1, random_state=seed).reset_index(drop=True)
    oud_path, nieuw_path = folder / "oud.csv", folder / "nieuw.csv"
    old.to_csv(oud_path, sep=";", index=False, encoding="cp1252", lineterminator="\r\n")
    new.to_csv(nieuw_path, sep=",", index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return oud_path, nieuw_path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("map", type=Path)
    parser.add_argument("--oud", type=int, default=95_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    oud, nieuw = generate_pair(args.map, args.oud, args.seed)
    print(f"{oud}\n{nieuw}")


if __name__ == "__main__":
    main()
