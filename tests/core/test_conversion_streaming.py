"""Large outputs stay small in memory: matches.csv is built chunk by chunk while it is written,
and the accepted pairs can be an array. Both give exactly the bytes of the whole-table path."""

from __future__ import annotations

import csv
import dataclasses
import io

import numpy as np
import pytest

from srgdesk.core import conversion
from srgdesk.core.conversion import (
    accepted_pair_array,
    accepted_pairs,
    conversie_frame,
    csv_bytes,
    load_layout,
    matches_frame,
    matches_writer,
    reden_column,
)
from srgdesk.core.csv_writer import PiecedTexts, neutralise
from srgdesk.core.export import load_export
from srgdesk.core.matching import match
from srgdesk.core.progress import Voortgang
from srgdesk.core.resources import resource_path


@pytest.fixture(scope="module")
def demo_result():
    demo = resource_path("demo")
    return match(
        load_export(demo / "oud.csv").voorzieningen, load_export(demo / "nieuw.csv").voorzieningen
    )


@pytest.mark.parametrize("met_bsn", [False, True])
@pytest.mark.parametrize("chunk_rows", [1, 7, 20_000])
def test_matches_written_in_chunks_equal_the_whole_table(
    monkeypatch, demo_result, met_bsn, chunk_rows
):
    whole = csv_bytes(matches_frame(demo_result, met_bsn))
    monkeypatch.setattr(conversion, "CSV_CHUNK_ROWS", chunk_rows)
    stream = io.BytesIO()
    rows = matches_writer(demo_result, met_bsn)(stream, Voortgang())
    assert rows == len(demo_result.regels)
    assert stream.getvalue() == whole
    # and both are the table itself, row for row (read back with the csv module)
    parsed = list(csv.reader(io.StringIO(whole[3:].decode("utf-8"), newline=""), delimiter=";"))
    expected = matches_frame(demo_result, met_bsn).astype(str)
    assert parsed[0] == list(expected.columns)
    assert parsed[1:] == [[neutralise(v) for v in row] for row in expected.to_numpy().tolist()]


def test_the_matches_header_is_there_when_nothing_was_matched(demo_result):
    empty = demo_result.regels.iloc[:0]
    stream = io.BytesIO()
    conversion.write_csv(stream, empty, prepare=lambda c: conversion._matches_rows(c, False))
    header = stream.getvalue()[3:].decode("utf-8").strip().split(";")
    assert header == list(matches_frame(demo_result).columns)


@pytest.mark.parametrize("niveau", ["zeker", "waarschijnlijk"])
def test_the_pair_array_holds_the_accepted_pairs(demo_result, niveau):
    array = accepted_pair_array(demo_result, niveau)
    assert array.dtype == np.int64
    assert array.shape == (len(accepted_pairs(demo_result, niveau)), 2)
    assert [tuple(map(int, pair)) for pair in array] == accepted_pairs(demo_result, niveau)
    layout = load_layout()
    from_array = conversie_frame(demo_result, array, layout)
    from_list = conversie_frame(demo_result, accepted_pairs(demo_result, niveau), layout)
    assert from_array.equals(from_list)
    assert len(from_array) > 0


@pytest.mark.parametrize("niveau", ["zeker", "waarschijnlijk"])
@pytest.mark.parametrize("as_text", [False, True])
def test_the_pair_array_is_every_accepted_pair_in_result_order(demo_result, niveau, as_text):
    """Chosen by the integer codes of the categorical statuses, or by text when they are plain
    strings: the paired rows at or above the level, in the order of the result."""
    from dataclasses import replace

    regels = demo_result.regels
    if as_text:
        regels = regels.astype({"status": object, "zekerheid": object})
    levels = {"zeker": ["zeker"], "waarschijnlijk": ["zeker", "waarschijnlijk"]}[niveau]
    chosen = (regels["status"].astype(str) == "gekoppeld") & regels["zekerheid"].astype(str).isin(
        levels
    )
    expected = regels.loc[chosen, ["oud_index", "nieuw_index"]].to_numpy().tolist()
    array = accepted_pair_array(replace(demo_result, regels=regels), niveau)
    assert array.tolist() == expected
    assert len(expected) > 0


def test_matches_are_written_from_the_reason_pieces_while_the_reasons_are_as_built(demo_result):
    """The writer takes the reasons in matching's pieces only while the column holds the very
    texts they were built from; a reason changed after matching is written as it now reads."""
    assert isinstance(reden_column(demo_result.regels), PiecedTexts)
    regels = demo_result.regels.copy()
    regels.loc[0, "reden"] = "Met de hand; gekoppeld"
    changed = dataclasses.replace(demo_result, regels=regels)
    assert not isinstance(reden_column(regels), PiecedTexts)
    stream = io.BytesIO()
    matches_writer(changed)(stream, Voortgang())
    assert stream.getvalue() == csv_bytes(matches_frame(changed))
    assert "Met de hand; gekoppeld" in stream.getvalue().decode("utf-8-sig")
