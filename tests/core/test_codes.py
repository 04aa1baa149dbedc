"""The soort relation between two packages: learned with support per pair, overridden by the
user, written to and read from codetabel.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.codes import (
    BRON_GEBRUIKER,
    BRON_GELEERD,
    BRON_GELIJK,
    CODETABEL_COLUMNS,
    CodeKoppeling,
    CodeTabel,
    Gecodeerd,
    _counted_groups,
    _most_common_text,
    ascii_cells,
    coded_counts,
    learn_codes,
    normalise_keuzes,
    read_codes_file,
    shared_codes,
    text_codes,
    value_counts,
)
from srgdesk.core.errors import InvoerFout
from srgdesk.core.values import OPEN


def frames(pairs: list[tuple[str, str]], reset: bool = False, noise: int = 0):
    """One person per (old code, new code) pair, each with one running voorziening a side;
    `noise` extra people whose records share a begindatum but cross soorten."""
    old_rows, new_rows = [], []
    for i, (a, b) in enumerate(pairs):
        old_rows.append(
            {"soort": a, "omschrijving": f"oud {a}", "begindatum": 100 + i, "einddatum": OPEN}
        )
        new_rows.append(
            {
                "soort": b,
                "omschrijving": f"nieuw {b}",
                "begindatum": 900 if reset else 100 + i,
                "einddatum": OPEN,
            }
        )
    oud, nieuw = pd.DataFrame(old_rows), pd.DataFrame(new_rows)
    candidates = pd.DataFrame({"o": np.arange(len(pairs)), "n": np.arange(len(pairs))})
    return oud, nieuw, candidates


def test_identical_codes_give_identity_rows():
    tabel = learn_codes(*frames([("01", "01"), ("03", "03")]))
    assert tabel.paren() == {("01", "01"), ("03", "03")}
    assert tabel.zelfde_codes
    assert {k.bron for k in tabel.koppelingen} == {BRON_GELIJK}


def test_a_split_is_kept_as_two_pairs_each_with_its_own_support():
    tabel = learn_codes(*frames([("09", "TRAJ")] * 5 + [("09", "COACH")] * 4))
    assert {(k.oud, k.nieuw, k.steun) for k in tabel.koppelingen} == {
        ("09", "TRAJ", 5),
        ("09", "COACH", 4),
    }
    assert tabel.relatie() == {"09": ("TRAJ", "COACH")}
    assert tabel.as_dict() == {"09": "TRAJ"}
    assert not tabel.zelfde_codes
    assert {k.bron for k in tabel.koppelingen} == {BRON_GELEERD}


def test_a_single_stray_vote_is_noise_not_a_split():
    tabel = learn_codes(*frames([("01", "LKS")] * 20 + [("01", "JC")]))
    assert tabel.paren() == {("01", "LKS")}


def test_a_merge_is_two_old_codes_onto_one_new_code():
    tabel = learn_codes(*frames([("09", "TRAJ")] * 3 + [("11", "TRAJ")] * 3))
    assert tabel.paren() == {("09", "TRAJ"), ("11", "TRAJ")}


def test_codes_are_learned_from_running_records_when_every_begindatum_was_reset():
    oud, nieuw, candidates = frames([("03", "JC")] * 3, reset=True)
    assert learn_codes(oud, nieuw, candidates, peildag=900).paren() == {("03", "JC")}


@pytest.mark.parametrize("end", [2_932_896, -(2**31)], ids=["99991231", "00000000"])
def test_open_ends_written_as_dates_still_count_as_running(end):
    oud, nieuw, candidates = frames([("03", "JC")] * 3, reset=True)
    oud["einddatum"] = end
    assert learn_codes(oud, nieuw, candidates, peildag=900).paren() == {("03", "JC")}


def test_an_ended_old_record_is_no_anchor_when_dates_were_reset():
    oud, nieuw, candidates = frames([("03", "JC")] * 3, reset=True)
    oud["einddatum"] = 500
    assert learn_codes(oud, nieuw, candidates, peildag=900).paren() == set()


def test_compatible_follows_the_relation_and_unknown_codes_only_fit_themselves():
    tabel = CodeTabel([CodeKoppeling("09", "TRAJ", 3), CodeKoppeling("09", "COACH", 2)], False)
    result = tabel.compatible(
        np.array(["09", "09", "09", "05", "05"], dtype=object),
        np.array(["TRAJ", "COACH", "09", "05", "TRAJ"], dtype=object),
    )
    assert result.tolist() == [True, True, False, True, False]


def test_the_compatibility_matrix_covers_codes_of_both_exports():
    tabel = CodeTabel([CodeKoppeling("09", "TRAJ", 3), CodeKoppeling("11", "TRAJ", 2)], False)
    allowed = tabel.compatibility(["09", "11", "TRAJ", "05"])
    assert allowed.tolist() == [
        [False, False, True, False],
        [False, False, True, False],
        [False, False, True, False],  # TRAJ is no old code the relation mentions
        [False, False, False, True],
    ]


def test_the_users_choice_replaces_what_was_learned_for_that_code_and_may_split_it():
    tabel = CodeTabel([CodeKoppeling("09", "TRAJ", 5), CodeKoppeling("01", "LKS", 9)], False)
    changed = tabel.with_overrides({"09": ["TRAJ", "COACH"]})
    assert {(k.oud, k.nieuw, k.steun, k.bron) for k in changed.koppelingen} == {
        ("09", "TRAJ", 5, BRON_GEBRUIKER),
        ("09", "COACH", 0, BRON_GEBRUIKER),
        ("01", "LKS", 9, BRON_GELEERD),
    }
    assert tabel.with_overrides({"09": "JC"}).relatie()["09"] == ("JC",)
    assert "09" not in tabel.with_overrides({"09": []}).relatie()


def test_user_choices_accept_a_code_or_a_list():
    assert normalise_keuzes({"01": "LKS", "09": ["TRAJ", "COACH", "TRAJ"]}) == {
        "01": ("LKS",),
        "09": ("TRAJ", "COACH"),
    }


def test_codetabel_csv_round_trips_a_split(tmp_path):
    tabel = CodeTabel(
        [CodeKoppeling("09", "TRAJ", 5, "Traject", "Traject"), CodeKoppeling("09", "COACH", 4)],
        False,
    )
    frame = tabel.frame()
    assert list(frame.columns) == CODETABEL_COLUMNS
    assert frame["steun"].tolist() == ["5", "4"]
    path = tmp_path / "codetabel.csv"
    frame.to_csv(path, sep=";", index=False)
    assert read_codes_file(path) == {"09": ("TRAJ", "COACH")}


def test_a_code_file_without_the_columns_is_refused_in_dutch(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("van;naar\n01;LKS\n", encoding="utf-8")
    with pytest.raises(InvoerFout, match="moet de kolommen 'oud' en 'nieuw' hebben"):
        read_codes_file(path)


def test_a_missing_code_file_is_refused_in_dutch(tmp_path):
    with pytest.raises(InvoerFout, match="kan niet worden gelezen"):
        read_codes_file(tmp_path / "weg.csv")


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.sampled_from(["01", "03", "JC", "", "b"]), st.sampled_from(["x", "", "Zz"])),
        max_size=80,
    )
)
def testvalue_counts_on_codes_give_the_rows_and_order_of_pandasvalue_counts(rows):
    """Ties among equal counts decide the learned omschrijving: their order must not move."""
    columns = {
        "soort": np.array([r[0] for r in rows], dtype=object),
        "omschrijving": np.array([r[1] for r in rows], dtype=object),
    }
    expected = pd.DataFrame(columns).value_counts().rename("steun").reset_index()
    pd.testing.assert_frame_equal(value_counts(columns, "steun"), expected)


@settings(max_examples=200)
@given(
    st.lists(
        st.tuples(st.sampled_from(["01", "03", "JC", "", "b"]), st.sampled_from(["x", "", "Zz"])),
        max_size=80,
    ),
    st.lists(st.sampled_from(["07", "JC", "a", "x", "03"]), max_size=10),
)
def test_counts_on_shared_codes_give_the_rows_and_order_of_pandas_value_counts(rows, others):
    """Matching codes soort and omschrijving once for both exports (texts of the other export
    among the codes leave gaps); counting on those codes must still give pandas' rows and order."""
    soort = Gecodeerd.van(
        np.array([r[0] for r in rows], dtype=object), np.array(others, dtype=object)
    )
    tekst = Gecodeerd.van(
        np.array([r[1] for r in rows], dtype=object), np.array(others, dtype=object)
    )
    columns = {"soort": (soort.oud, soort.namen), "omschrijving": (tekst.oud, tekst.namen)}
    plain = {
        "soort": np.array([r[0] for r in rows], dtype=object),
        "omschrijving": np.array([r[1] for r in rows], dtype=object),
    }
    expected = pd.DataFrame(plain).value_counts().rename("steun").reset_index()
    pd.testing.assert_frame_equal(coded_counts(columns, "steun"), expected)
    # The same rows and order from the integer keys alone, without a frame.
    groups = _counted_groups(columns)
    assert groups is not None
    ranks, ordered, counts = groups
    assert [ordered[c][ranks[c]].tolist() for c in columns] == [
        expected[c].tolist() for c in columns
    ]
    assert counts.tolist() == expected["steun"].tolist()


@settings(max_examples=200)
@given(
    st.lists(st.sampled_from(["0999", "0363", ""]), max_size=6),
    st.lists(st.sampled_from(["0999", "4077", ""]), max_size=6),
)
def test_shared_codes_are_those_of_pandas_factorize(oud, nieuw):
    """A column with one value a side (one gemeente) is coded without hashing: same codes."""
    coded = Gecodeerd.van(np.array(oud, dtype=object), np.array(nieuw, dtype=object))
    codes, uniques = pd.factorize(np.array(oud + nieuw, dtype=object), sort=False)
    assert coded.oud.tolist() == codes[: len(oud)].tolist()
    assert coded.nieuw.tolist() == codes[len(oud) :].tolist()
    assert coded.namen.tolist() == list(uniques)


ALPHABETS = ["0123456789", "0123456789VZ-", "ab", "é1", "a\x00", "".join(map(chr, range(33, 127)))]


@st.composite
def text_column(draw) -> np.ndarray:
    """Texts as a cleaned export holds them: mostly of one length (a BSN, a padded number), or
    of several, some not ASCII or with NUL, some missing (None, NaN), duplicates and one-value
    columns among them."""
    if draw(st.booleans()):
        width = draw(st.integers(0, 40))
        texts = st.text(draw(st.sampled_from(ALPHABETS)), min_size=width, max_size=width)
    else:
        texts = st.text("01aé\x00-", max_size=12)
    if draw(st.booleans()):
        texts = texts | st.sampled_from([None, np.nan])
    values = draw(st.lists(texts, max_size=50))
    if values and draw(st.booleans()):
        values = values[:1] * draw(st.integers(1, 5))  # one value
    return np.array(
        [*values, *draw(st.lists(st.sampled_from(values or [""]), max_size=10))] if values else [],
        dtype=object,
    )


@settings(max_examples=300)
@given(text_column())
def test_text_codes_are_those_of_pandas_factorize(values):
    """Texts packed into integers (or hashed by pandas) get pandas' codes, in its order."""
    assert text_codes(values).tolist() == pd.factorize(values, sort=False)[0].tolist()


@pytest.mark.parametrize("bits", range(1, 8))
@pytest.mark.parametrize("width", [9, 10, 19, 32])
def test_texts_that_differ_only_in_their_first_character_keep_apart(bits, width):
    """Characters of a range of 2**bits fill integer keys bits at a time: no key may overflow
    and lose the first character's bits."""
    low, top, high = "!", chr(ord("!") + 2 ** (bits - 1)), chr(ord("!") + 2**bits - 1)
    values = np.array(
        [low * width, top + low * (width - 1), low * (width - 1) + top, high * width],
        dtype=object,
    )
    assert text_codes(values).tolist() == [0, 1, 2, 3]


@settings(max_examples=50)
@given(
    st.lists(st.sampled_from(["03", "JC", "Jobcoaching", "", None]), min_size=1, max_size=8),
    st.lists(st.integers(0, 15), min_size=1, max_size=40),
)
def test_shared_text_objects_are_coded_as_pandas_codes_them(pool, picks):
    """A column of a few shared objects (as the CSV reader gives), some equal texts in other
    objects: coded by the objects' addresses, with pandas' codes all the same."""
    objects = [None if t is None else "".join(list(t)) for t in pool]  # equal texts, new objects
    rows = [(pool + objects)[i % (2 * len(pool))] for i in picks]
    values = np.array(rows * (2100 // len(rows) + 1), dtype=object)  # long enough to count ids
    assert text_codes(values).tolist() == pd.factorize(values, sort=False)[0].tolist()


def _plain_codes(oud: np.ndarray, nieuw: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """The plain way: one value a side compared (as matching always did: pandas' own hashing
    cuts a text at a NUL character), else pandas' factorize of both end to end."""

    def constant(values: np.ndarray) -> bool:
        return len(values) > 0 and isinstance(values[0], str) and bool((values == values[0]).all())

    if constant(oud) and constant(nieuw):
        names = [oud[0]] if oud[0] == nieuw[0] else [oud[0], nieuw[0]]
        return np.zeros(len(oud)), np.full(len(nieuw), len(names) - 1), names
    codes, uniques = pd.factorize(np.concatenate([oud, nieuw]), sort=False)
    return codes[: len(oud)], codes[len(oud) :], list(uniques)


@settings(max_examples=200)
@given(text_column(), text_column())
def test_shared_codes_and_names_are_those_of_the_plain_way(oud, nieuw):
    plain_oud, plain_nieuw, names = _plain_codes(oud, nieuw)
    coded_oud, coded_nieuw = shared_codes(oud, nieuw)
    assert coded_oud.tolist() == plain_oud.tolist()
    assert coded_nieuw.tolist() == plain_nieuw.tolist()
    coded = Gecodeerd.van(oud, nieuw)
    assert coded.oud.tolist() == coded_oud.tolist()
    assert coded.nieuw.tolist() == coded_nieuw.tolist()
    assert coded.namen.dtype == object
    assert coded.namen.tolist() == names


@settings(max_examples=200)
@given(
    st.integers(10, 24),
    st.lists(st.text("0123456789", min_size=24, max_size=24), min_size=1, max_size=30),
    st.lists(st.text("01", min_size=21, max_size=21), min_size=1, max_size=30),
)
def test_numbers_too_wide_for_one_key_by_range_are_coded_by_character_rank(width, oud, nieuw):
    """'0001000001' next to 'VZ-0051091': the characters of a position span a wide range but
    are few, so each is coded by its rank there; the codes stay pandas' codes."""
    # Numbers that differ only in their first character, where ranks replace the range.
    old = np.array([first + n[1:width] for n in oud for first in "019"], dtype=object)
    new = np.array(["VZ-" + number[: width - 3] for number in nieuw], dtype=object)
    new = np.concatenate([new, old[:3]])  # some numbers in both exports
    coded_oud, coded_nieuw = shared_codes(old, new)
    codes, _ = pd.factorize(np.concatenate([old, new]), sort=False)
    assert coded_oud.tolist() == codes[: len(old)].tolist()
    assert coded_nieuw.tolist() == codes[len(old) :].tolist()


def _most_common_text_by_frame(soort, omschrijving, namen) -> dict:
    """The plain way: the first row per soort of coded_counts (value_counts' order)."""
    columns = {"soort": (soort, namen[0]), "omschrijving": (omschrijving, namen[1])}
    first = coded_counts(columns).drop_duplicates("soort")
    return dict(zip(first["soort"], first["omschrijving"], strict=True))


@settings(max_examples=300)
@given(
    st.integers(1, 30),
    st.integers(1, 40),
    st.data(),
)
def test_most_common_omschrijving_per_soort_is_the_first_row_of_the_counts(soorten, teksten, data):
    """Many ties of equal counts among more than 16 groups: the order pandas' quicksort gives
    them is kept, so the same omschrijving wins."""
    rows = data.draw(st.integers(0, 300))
    soort = np.array(data.draw(st.lists(st.integers(0, soorten - 1), min_size=rows, max_size=rows)))
    omschrijving = np.array(
        data.draw(st.lists(st.integers(0, teksten - 1), min_size=rows, max_size=rows))
    )
    namen = (
        np.array([f"S{i:02d}" for i in range(soorten)][::-1], dtype=object),
        np.array([f"tekst {i % 7} {i}" for i in range(teksten)], dtype=object),
    )
    found = _most_common_text(soort.astype(np.int64), omschrijving.astype(np.int64), namen)
    expected = _most_common_text_by_frame(soort, omschrijving, namen) if rows else {}
    assert list(found.items()) == list(expected.items())


@st.composite
def coded_column(draw) -> tuple[np.ndarray, np.ndarray]:
    """A column as cleaning hands it over: texts (repeats allowed, some unused) and per row the
    index of its text."""
    texts = draw(st.lists(st.sampled_from(["01", "03", "LKS", "", "Zoë"]), min_size=1, max_size=5))
    codes = draw(st.lists(st.integers(0, len(texts) - 1), max_size=12))
    return np.array(codes, dtype=np.uint8), np.array(texts, dtype=object)


@settings(max_examples=300)
@given(coded_column(), coded_column())
def test_columns_coded_from_cleanings_codes_are_those_coded_from_their_texts(oud, nieuw):
    """`Gecodeerd.uit_codes` looks the rows up through the few texts: when it answers, the
    codes and names are those of coding the texts of every row (`van`); it declines when the
    order of first appearance would differ."""
    found = Gecodeerd.uit_codes(oud, nieuw)
    plain = Gecodeerd.van(*(texts[codes] for codes, texts in (oud, nieuw)))
    if found is None:  # declined: only where the texts' order is not the rows' order
        assert len(oud[0]) + len(nieuw[0]) > 0
        return
    assert found.oud.tolist() == plain.oud.tolist()
    assert found.nieuw.tolist() == plain.nieuw.tolist()
    assert found.oud.dtype == plain.oud.dtype
    assert found.namen.tolist() == plain.namen.tolist()
    assert found.namen.dtype == object


def test_columns_coded_from_cleanings_codes_answer_the_usual_case():
    """Texts in the order their rows show them first (as cleaning finds them): answered."""
    oud = (np.array([0, 0, 1, 2, 1], dtype=np.uint8), np.array(["03", "01", "03 "], dtype=object))
    nieuw = (np.array([1, 0, 1], dtype=np.uint8), np.array(["LKS", "01"], dtype=object))
    found = Gecodeerd.uit_codes(oud, nieuw)
    assert found is not None
    assert found.oud.tolist() == [0, 0, 1, 2, 1]
    assert found.nieuw.tolist() == [1, 3, 1]
    assert found.namen.tolist() == ["03", "01", "03 ", "LKS"]


@st.composite
def numbers_of_two_packages(draw) -> tuple[np.ndarray, np.ndarray]:
    """Registratienummers of two exports, one width each: of other widths, of characters that
    may or may not overlap per position ('0…' against 'V…'), sorted or not; sometimes long,
    with one new number like the old ones where a sample of rows would not see it."""
    width = draw(st.integers(1, 6))
    other = width if draw(st.booleans()) else draw(st.integers(1, 6))
    old = draw(st.lists(st.text("0123", min_size=width, max_size=width), max_size=30))
    if draw(st.booleans()):
        old = sorted(set(old))
    alphabet = draw(st.sampled_from(["0123", "2345", "VZ", "0V", "45"]))
    new = draw(st.lists(st.text(alphabet, min_size=other, max_size=other), min_size=1, max_size=30))
    if draw(st.booleans()):  # long: the sample of rows skips every other one
        new = [new[i % len(new)] for i in range(1200)]
        new[draw(st.integers(0, 599)) * 2 + 1] = old[0] if old and other == width else new[1]
    return np.array(old, dtype=object), np.array(new, dtype=object)


@settings(max_examples=300, deadline=None)
@given(numbers_of_two_packages())
def test_numbers_of_two_packages_apart_or_sorted_are_coded_as_pandas_factorize(numbers):
    """Numbers no text of which is in the other export are coded per export, a sorted
    export's numbers each their own code: the codes stay pandas' codes."""
    old, new = numbers
    coded_oud, coded_nieuw = shared_codes(old, new)
    plain, _ = pd.factorize(np.concatenate([old, new]), sort=False)
    assert [*coded_oud.tolist(), *coded_nieuw.tolist()] == plain.tolist()


def test_numbers_of_an_export_without_usable_rows_are_coded_as_pandas_factorize():
    """Cleaning hands over the characters of no rows (n x width, n = 0): nothing to meet."""
    new = np.array(["VZ1", "VZ2", "VZ1"], dtype=object)
    cells = (np.zeros((0, 3), dtype=np.uint8), ascii_cells(new))
    coded_oud, coded_nieuw = shared_codes(np.zeros(0, dtype=object), new, cells)
    assert coded_oud.tolist() == []
    assert coded_nieuw.tolist() == [0, 1, 0]
