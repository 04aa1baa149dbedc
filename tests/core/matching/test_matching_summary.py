"""The summary of a matching result counts by the categorical codes of the result's columns:
it must say exactly what counting cell by cell says, for categorical and plain text columns,
missing cells and changed gemeentecodes included."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.matching import schema
from srgdesk.core.matching.summary import STATUS_WORDS, samenvatting
from srgdesk.core.vocabulary import Status, Zekerheid


def counted_cell_by_cell(resultaat) -> list[str]:
    """The summary's counts as the first version made them: one comparison per value counted
    (the oracle; the lines after the counts are the same code in both)."""
    r = resultaat.regels
    status, zekerheid = r[schema.STATUS], r[schema.ZEKERHEID]
    gekoppeld = zekerheid[status == Status.GEKOPPELD]
    lines = [
        f"Gekoppeld: {len(gekoppeld)} — zeker {int((gekoppeld == Zekerheid.ZEKER).sum())}, "
        f"waarschijnlijk {int((gekoppeld == Zekerheid.WAARSCHIJNLIJK).sum())}, "
        f"twijfel {int((gekoppeld == Zekerheid.TWIJFEL).sum())}.",
    ]
    for value, words in STATUS_WORDS:
        lines.append(f"{words.capitalize()}: {int((status == value).sum())}.")
    twijfel = int((zekerheid == Zekerheid.TWIJFEL).sum())
    if twijfel:
        lines.append(f"Te beoordelen: {twijfel} regel(s)")
    waarschijnlijk = int((gekoppeld == Zekerheid.WAARSCHIJNLIJK).sum())
    if waarschijnlijk:
        lines.append(f"Wacht op uw besluit: {waarschijnlijk} koppeling(en)")
    # Changed gemeentecodes per pair of codes, sorted, pairs with a missing code left out.
    r = r[(r[schema.STATUS] == Status.GEKOPPELD) & r["oud_gemeentecode"].notna()]
    r = r[r["nieuw_gemeentecode"].notna()]
    changed = r[r["oud_gemeentecode"] != r["nieuw_gemeentecode"]]
    for (oud, nieuw), count in sorted(
        changed.groupby(["oud_gemeentecode", "nieuw_gemeentecode"]).size().items()
    ):
        lines.append(f"{oud} → {nieuw} bij {count} koppeling(en)")
    return lines


def comparable(lines: list[str]) -> list[str]:
    """The counting lines of a summary, cut to what the oracle writes."""
    kept = []
    for line in lines[2:]:
        if line.startswith(("Te beoordelen", "Wacht op uw besluit")):
            line = line.split(" met ")[0].split(";")[0]
        if "Gemeentecode" in line or "gemeentecode" in line:
            line = line.split("emeentecode ", 1)[1].split(":")[0].split(" is geen")[0]
        kept.append(line)
    return kept


def result_of(frame: pd.DataFrame):
    periode = SimpleNamespace(tekst=lambda: "januari 2024")
    return SimpleNamespace(
        regels=frame,
        oud=SimpleNamespace(totaal_regels=len(frame), bestand="oud.csv"),
        nieuw=SimpleNamespace(totaal_regels=len(frame), bestand="nieuw.csv"),
        periode_oud=periode,
        periode_nieuw=periode,
        conflicten=0,
        conversiedatums=[],
        codes=SimpleNamespace(zelfde_codes=True, koppelingen=[]),
    )


STATUSES = ["", *Status]
ZEKERHEDEN = ["", *Zekerheid]
CODES = ["0363", "0501", "1992", "0599", None]

rows = st.lists(
    st.tuples(
        st.sampled_from([*STATUSES, None]),
        st.sampled_from([*ZEKERHEDEN, None]),
        st.sampled_from(CODES),
        st.sampled_from(CODES),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(rows=rows, categorical=st.booleans())
def test_the_counts_are_those_of_counting_cell_by_cell(rows, categorical):
    status, zekerheid, oud, nieuw = ([row[i] for row in rows] for i in range(4))
    frame = pd.DataFrame(
        {
            schema.STATUS: pd.Series(status, dtype=schema.STATUS_TYPE if categorical else object),
            schema.ZEKERHEID: pd.Series(
                zekerheid, dtype=schema.ZEKERHEID_TYPE if categorical else object
            ),
            "oud_gemeentecode": pd.Series(oud, dtype=object),
            "nieuw_gemeentecode": pd.Series(nieuw, dtype=object),
        }
    )
    resultaat = result_of(frame)
    assert comparable(samenvatting(resultaat)) == counted_cell_by_cell(resultaat)


def test_a_small_result_in_words():
    frame = pd.DataFrame(
        {
            schema.STATUS: pd.Series(["gekoppeld", "gekoppeld", "nieuw"], dtype=schema.STATUS_TYPE),
            schema.ZEKERHEID: pd.Series(["zeker", "twijfel", ""], dtype=schema.ZEKERHEID_TYPE),
            "oud_gemeentecode": np.array(["0501", "0363", None], dtype=object),
            "nieuw_gemeentecode": np.array(["1992", "0363", "0363"], dtype=object),
        }
    )
    lines = samenvatting(result_of(frame))
    assert lines[2] == "Gekoppeld: 2 — zeker 1, waarschijnlijk 0, twijfel 1."
    assert "Nieuw (geen voorganger): 1." in lines
    assert "Ontbreekt: loopt nog maar staat niet in de nieuwe export: 0." in lines
    assert lines[-1] == (
        "Gemeentecode 0501 → 1992 bij 1 koppeling(en): herindeling van 01-01-2023 "
        "(Brielle → Voorne aan Zee)."
    )
