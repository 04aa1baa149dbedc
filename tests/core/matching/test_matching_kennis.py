"""What cleaning learned of a column (its characters, its codes) is handed to matching, which
then codes it without going over the texts again (issue 17). Each answer must be the one of
coding the frame's own texts, unusable rows left out or not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_generators import people

from srgdesk.core.cleaning import Voorzieningen, clean
from srgdesk.core.codes import ascii_cells
from srgdesk.core.mapping import ColumnMapping
from srgdesk.core.matching import MatchOpties, match
from srgdesk.core.matching.candidates import kandidaten, nummervergelijking
from srgdesk.core.reading import RawTable

KOPPEN = {
    "gemeentecode": "Gemeentecode",
    "berichtgevercode": "Berichtgevercode",
    "bsn": "BSN",
    "registratienummer": "Registratienummer",
    "soort": "Soort",
    "omschrijving": "Omschrijving",
    "begindatum": "Begindatum",
    "einddatum": "Einddatum",
}
BSNS = [*people(6), "123456789"]  # the last fails the elfproef: an unusable row
CELLEN = {
    "gemeentecode": ["0363"],
    "berichtgevercode": ["4021", "4022"],
    "soort": ["01", "03", " 01 ", "LKS", ""],  # '' makes the row unusable
    "omschrijving": ["Jobcoaching", " Jobcoaching ", "Loonkostensubsidie", ""],
    "begindatum": ["20240101", "2023-05-17", "20240101", "??"],  # '??' makes it unusable
    "einddatum": ["", "20241231"],
}


@st.composite
def table(draw, prefix: str, long: bool = True) -> RawTable:
    """Rows of an export: BSNs of nine digits (one not valid), registratienummers of one width
    (some used twice), soorten and omschrijvingen with spaces, some unusable rows; sometimes
    repeated to 2100 rows (`long`) so the routes for long columns are taken."""
    size = draw(st.integers(1, 14))
    numbers = draw(st.lists(st.integers(0, 30), min_size=size, max_size=size))
    rows = [
        {
            "bsn": draw(st.sampled_from(BSNS)),
            "registratienummer": f"{prefix}{number:04d}",
            **{veld: draw(st.sampled_from(cellen)) for veld, cellen in CELLEN.items()},
        }
        for number in numbers
    ]
    if long and draw(st.booleans()):
        rows = [
            {**rows[i % len(rows)], "registratienummer": f"{prefix}{i:04d}"} for i in range(2100)
        ]
    headers = list(KOPPEN.values())
    cells = pd.DataFrame([[row[veld] for veld in KOPPEN] for row in rows], columns=headers)
    return RawTable(
        path=Path(f"{prefix}.csv"),
        headers=headers,
        cells=cells.astype(object),
        regels=list(range(2, len(rows) + 2)),
        soort_bestand="csv",
        kopregel=1,
    )


def cleaned(raw: RawTable) -> Voorzieningen:
    return clean(raw, ColumnMapping(columns=dict(KOPPEN)))


@settings(max_examples=60, deadline=None)
@given(table("A"))
def test_what_cleaning_hands_over_describes_the_frames_columns(raw):
    voorzieningen = cleaned(raw)
    frame = voorzieningen.frame
    for name in ("bsn", "registratienummer", "soort", "omschrijving", "begindatum", "einddatum"):
        kennis = voorzieningen.bekend(name)
        assert kennis is not None, name
        if kennis.cellen is not None:
            plain = ascii_cells(frame[name].to_numpy())
            assert plain is not None
            assert kennis.cellen.tolist() == plain.tolist(), name
        if kennis.codes is not None and kennis.namen is not None:
            assert kennis.namen[kennis.codes].tolist() == frame[name].tolist(), name


@settings(max_examples=60, deadline=None)
@given(table("A"), table("N"))
def test_candidates_from_what_cleaning_knows_are_those_from_the_texts(raw_old, raw_new):
    oud, nieuw = cleaned(raw_old), cleaned(raw_new)
    known = kandidaten(oud.frame, nieuw.frame, (oud.bekend, nieuw.bekend))
    plain = kandidaten(oud.frame, nieuw.frame)
    for name in ("paren", "conflicten"):
        pd.testing.assert_frame_equal(getattr(known, name), getattr(plain, name))
    assert known.sleutel_nieuw.tolist() == plain.sleutel_nieuw.tolist()
    for name, (left, right) in plain.codes.items():
        assert known.codes[name][0].tolist() == left.tolist(), name
        assert known.codes[name][1].tolist() == right.tolist(), name
    for name in ("soort", "omschrijving"):
        found, expected = getattr(known, name), getattr(plain, name)
        assert found.oud.tolist() == expected.oud.tolist(), name
        assert found.nieuw.tolist() == expected.nieuw.tolist(), name
        assert found.namen.tolist() == expected.namen.tolist(), name
    for found, expected in zip(known.nummers, plain.nummers, strict=True):
        assert (found is None) == (expected is None)
        if found is not None and expected is not None:
            assert found.tolist() == expected.tolist()


def three_rows() -> Voorzieningen:
    """Three clean rows of one person, numbers 0001-0003."""
    cells = pd.DataFrame(
        {kop: [CELLEN.get(veld, ["0001"])[0]] * 3 for veld, kop in KOPPEN.items()}, dtype=object
    )
    cells["BSN"] = BSNS[:3]
    cells["Registratienummer"] = ["0001", "0002", "0003"]
    raw = RawTable(
        path=Path("x.csv"),
        headers=list(KOPPEN.values()),
        cells=cells,
        regels=[2, 3, 4],
        soort_bestand="csv",
        kopregel=1,
    )
    return cleaned(raw)


def test_a_column_put_in_place_after_cleaning_is_not_described():
    voorzieningen = three_rows()
    assert voorzieningen.bekend("registratienummer") is not None
    voorzieningen.frame["registratienummer"] = np.array(["X1", "X2", "X3"], dtype=object)
    assert voorzieningen.bekend("registratienummer") is None
    assert voorzieningen.bekend("bsn") is not None


def test_the_column_described_stays_alive_so_its_address_is_never_another_columns():
    """A replaced column's memory must not be reused by a later column of the same length:
    that column would sit at the recorded address and pass for the one cleaning described."""
    voorzieningen = three_rows()
    for name, kennis in voorzieningen.kennis.items():
        assert kennis.kolom is not None, name
        assert kennis.kolom.__array_interface__["data"][0] == kennis.adres, name


@settings(max_examples=25, deadline=None)
@given(table("A", long=False), table("N", long=False))  # (a few people: no long exports)
def test_the_result_from_what_cleaning_knows_is_the_result_from_the_texts(raw_old, raw_new):
    """The whole match (candidates, evidence, the day table of the rows): the same frame."""
    oud, nieuw = cleaned(raw_old), cleaned(raw_new)
    opties = MatchOpties(verslagmaand_oud="202312", verslagmaand_nieuw="202401")
    known = match(oud, nieuw, opties)
    plain = match(replace(oud, kennis={}), replace(nieuw, kennis={}), opties)
    pd.testing.assert_frame_equal(known.regels, plain.regels)
    assert known.codes == plain.codes


def test_an_export_without_usable_rows_compares_no_numbers():
    """Cleaning hands over the characters of no rows (0 x width): no pair, no decoration."""
    old = pd.DataFrame({"registratienummer": np.array(["A1", "A2"], dtype=object)})
    new = pd.DataFrame({"registratienummer": np.zeros(0, dtype=object)})
    cells = (ascii_cells(old["registratienummer"].to_numpy()), np.zeros((0, 2), dtype=np.uint8))
    none = np.zeros(0, dtype=np.int64)
    found = nummervergelijking(old, new, none, none, (np.arange(2), none), cells)
    assert found.zelfde.tolist() == found.zelfde_kern.tolist() == []
