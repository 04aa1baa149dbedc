"""The reasons of a result also come in two pieces per row (opening and tail), so the CSV writer
escapes each distinct piece once: the pieces must give every row's reason exactly, whatever
situation the matching met (pairs with and without a codetabel step, twijfel, conflicts,
competitors, ended and missing records, new records)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_generators import Rec, people, run

from srgdesk.core.csv_writer import object_ids
from srgdesk.core.matching import result
from srgdesk.core.matching.result import (
    REDEN_STUKKEN,
    SHOWN_RULES,
    TEXT,
    RedenStukken,
    _combine,
    _placeholders,
    _rule_fields,
)
from srgdesk.core.matching.rules import PLACEHOLDER

DATES = ["2019-03-01", "2020-07-15", "2023-06-30", "2024-01-01"]


@st.composite
def records(draw) -> tuple[list[Rec], list[Rec]]:
    """Old and new records of a few people: numbers shared or not, soorten that differ, dates
    from a small pool (so patterns repeat), ends before or after the new period."""
    bsns = people(draw(st.integers(1, 6)))
    sides: tuple[list[Rec], list[Rec]] = ([], [])
    for side, prefix in zip(sides, ("A", "B"), strict=True):
        for i in range(draw(st.integers(0, 12))):
            side.append(
                Rec(
                    draw(st.sampled_from(bsns)),
                    draw(st.sampled_from([f"{prefix}{i}", f"N{i % 3}", f"00{i % 3}", f"{i % 3}"])),
                    soort=draw(st.sampled_from(["01", "02", "LKS"])),
                    begin=draw(st.sampled_from(DATES)),
                    einde=draw(st.sampled_from([None, "2023-06-30", "2024-03-31"])),
                    omschrijving=draw(st.sampled_from(["", "loonkosten"])),
                    berichtgever=draw(st.sampled_from(["4021", "4077"])),
                )
            )
    return sides


def _whole(stukken: RedenStukken) -> list[str]:
    leads = np.asarray(stukken.leads, dtype=object)[stukken.lead]
    tails = np.asarray(stukken.tails, dtype=object)[stukken.tail]
    return (leads + tails).tolist() if len(leads) else []


@settings(max_examples=120, deadline=None)
@given(records())
def test_the_pieces_of_the_reasons_are_the_reasons(sides):
    result = run(*sides)
    stukken = result.regels.attrs[REDEN_STUKKEN]
    reden = result.regels["reden"].to_numpy()
    assert _whole(stukken) == reden.tolist()
    assert stukken.voor(reden, object_ids)


def test_the_pieces_no_longer_hold_once_a_reason_is_replaced():
    bsn = people(1)[0]
    result = run([Rec(bsn, "A1")], [Rec(bsn, "B1")])
    stukken = result.regels.attrs[REDEN_STUKKEN]
    changed = result.regels.copy()  # pandas hands the attrs on: the check must catch it
    changed.loc[0, "reden"] = "Met de hand gekoppeld"
    assert changed.attrs[REDEN_STUKKEN] is stukken
    assert not stukken.voor(changed["reden"].to_numpy(), object_ids)
    assert not stukken.voor(result.regels["reden"].to_numpy()[:0], object_ids)


def _old_fill(template, value, size):
    """fill as it was: numpy string additions, one pass per piece."""
    pieces = PLACEHOLDER.split(template)
    text = np.asarray([pieces[0]], dtype=TEXT)[np.zeros(size, dtype=np.int64)]
    for position, piece in enumerate(pieces[1:]):
        text = np.strings.add(
            text, np.asarray(value(piece), dtype=TEXT) if position % 2 == 0 else piece
        )
    return text


def _old_reasons(p, index, opening, dagen, codes_o, codes_n, suffixes):
    """_reasons as it was: the pieces present in a row joined per row, per group of rows."""
    size = len(index)
    pieces = []
    for rule in SHOWN_RULES:
        holds_mask = p.regels[rule.naam][index]
        holds = np.flatnonzero(holds_mask)
        if not len(holds):
            continue
        fields = sorted(_rule_fields(rule))
        if "row" in fields:
            first, part_of = np.arange(len(holds)), np.arange(len(holds))
        else:
            first, part_of = _combine([getattr(p, n)[index[holds]] for n in fields], len(holds))
        value = _placeholders(p, index[holds[first]], dagen, codes_o, codes_n)
        part = np.strings.add("; ", _old_fill(rule.reden, value, len(first))).astype(object)
        piece = np.empty(size, dtype=object)
        piece[holds] = part[part_of]
        pieces.append((holds_mask, piece))
    for flags, suffix in suffixes:
        piece = np.empty(size, dtype=object)
        piece.fill(suffix)
        pieces.append((flags, piece))
    texts = []
    for row in range(size):
        chosen = [piece[row] for holds, piece in pieces if holds[row]]
        texts.append("".join([opening[row], *chosen]))
    return texts


@settings(max_examples=120, deadline=None)
@given(records())
def test_reasons_are_those_of_joining_every_rows_pieces(sides):
    """The reasons built per distinct tail and opening are the texts of the plain way: the
    opening and the part of each rule that holds and each suffix that applies, row by row."""
    compared = []
    new_reasons = result._reasons

    def both(p, index, opening, dagen, codes_o, codes_n, suffixes):
        texts, stukken = new_reasons(p, index, opening, dagen, codes_o, codes_n, suffixes)
        opening_of, openings = opening
        whole = np.asarray(openings, dtype=object)[opening_of]
        old = _old_reasons(p, index, whole, dagen, codes_o, codes_n, suffixes)
        assert texts.tolist() == old
        compared.append(len(old))
        return texts, stukken

    result._reasons = both
    try:
        run(*sides)
    finally:
        result._reasons = new_reasons
