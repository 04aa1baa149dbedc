"""The Splink reference of issue 17, run by `bench_match.py --splink PYTHON` with a Python that has
Splink installed (it is not a dependency of srgdesk: `uv venv /tmp/splink && uv pip install
--python /tmp/splink/bin/python splink pandas pyarrow`).

What an analyst might do instead of srgdesk: link the two exports with Splink (DuckDB),
blocking on BSN, comparing begindatum, einddatum and omschrijving (the registratienummers and
soort codes of two packages do not compare), u by random sampling, m by EM, then predict and
write every scored pair to CSV. The model is not tuned (its scores are no
match proposal); the figure is the time of the work.

usage: python splink_reference.py OUD.csv NIEUW.csv UIT.csv"""

import logging
import sys

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

logging.disable(logging.CRITICAL)
oud = pd.read_csv(sys.argv[1], sep=";", dtype=str, encoding="cp1252", keep_default_na=False)
nieuw = pd.read_csv(sys.argv[2], sep=",", dtype=str, encoding="utf-8-sig", keep_default_na=False)
columns = ["bsn", "omschrijving", "begindatum", "einddatum"]
oud = oud.rename(
    columns={
        "BSN": "bsn",
        "Omschrijving voorziening": "omschrijving",
        "Begindatum voorziening": "begindatum",
        "Einddatum voorziening": "einddatum",
    }
)
nieuw = nieuw.rename(
    columns={
        "voorziening_omschrijving": "omschrijving",
        "datum_begin": "begindatum",
        "datum_eind": "einddatum",
    }
)
oud, nieuw = oud[columns].copy(), nieuw[columns].copy()
oud["bsn"], nieuw["bsn"] = oud["bsn"].str.zfill(9), nieuw["bsn"].str.zfill(9)
for column in ("begindatum", "einddatum"):
    nieuw[column] = nieuw[column].str.replace("-", "", regex=False)
oud["unique_id"], nieuw["unique_id"] = range(len(oud)), range(len(nieuw))
db_api = DuckDBAPI()
settings = SettingsCreator(
    link_type="link_only",
    probability_two_random_records_match=1e-5,
    blocking_rules_to_generate_predictions=[block_on("bsn")],
    comparisons=[
        cl.ExactMatch("begindatum"),
        cl.ExactMatch("einddatum"),
        cl.JaroWinklerAtThresholds("omschrijving"),
    ],
)
linker = Linker([db_api.register(oud), db_api.register(nieuw)], settings)
linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("bsn"))
pairs = linker.inference.predict().as_pandas_dataframe()
pairs.to_csv(sys.argv[3], sep=";", index=False)
