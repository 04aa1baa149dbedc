"""The column-wise CSV writer gives the csv module's bytes for every kind of column: text, codes
with few distinct values (glued to their neighbours), categoricals, integers, cells that need
quotes in some rows or in all, formulas."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from srgdesk.core.csv_writer import (
    NumberColumns,
    PiecedTexts,
    SharedTexts,
    neutralise,
    number_texts,
    object_ids,
    rows_bytes,
    rows_text,
    shared_texts,
    write_csv_chunks,
)

cells = st.text(alphabet=st.sampled_from(list("ab;,\"'=+-@\t\r\n\x00 0é→")), max_size=6)


def expected_rows(frame: pd.DataFrame, delimiter: str = ";") -> str:
    """The csv module over str() of every cell, neutralised: the dialect we promise."""
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([[neutralise(str(v)) for v in row] for row in frame.astype(str).to_numpy()])
    return stream.getvalue()


@st.composite
def frames(draw) -> pd.DataFrame:
    """Mixed columns, long enough (up to 1500 rows) that the sampled few-distinct-values path
    and the per-row path both run; the values of a column come from a small or a large pool."""
    rows = draw(st.integers(1, 1500))
    columns = {}
    for position in range(draw(st.integers(2, 5))):
        kind = draw(st.sampled_from(["tekst", "weinig", "categorie", "getal", "klein getal"]))
        pool_size = 3 if kind in ("weinig", "categorie", "klein getal") else 400
        rng = np.random.default_rng(draw(st.integers(0, 2**16)))
        if kind in ("getal", "klein getal"):
            values = rng.integers(-5 if draw(st.booleans()) else 0, pool_size, rows)
        else:
            pool = draw(st.lists(cells, min_size=1, max_size=pool_size))
            if kind == "categorie":  # pandas itself takes 'a' and 'a\x00b' as one category
                pool = [v.replace("\x00", "") for v in pool]
            values = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), rows)]
        column = pd.Series(values)
        columns[f"k{position}"] = column.astype("category") if kind == "categorie" else column
    return pd.DataFrame(columns)


@settings(max_examples=150, deadline=None)
@given(frames())
def test_rows_are_the_csv_modules_rows(frame):
    assert rows_text(frame, ";") == expected_rows(frame)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(cells, cells), min_size=1, max_size=40), st.sampled_from([";", ","]))
def test_every_separator_is_quoted_where_the_csv_module_quotes(rows, delimiter):
    frame = pd.DataFrame(rows, columns=["a", "b"])
    assert rows_text(frame, delimiter) == expected_rows(frame, delimiter)


def test_a_column_where_every_cell_needs_quotes_and_one_where_some_do():
    frame = pd.DataFrame(
        {
            "alle": [f"a;{i}" for i in range(2000)],
            "sommige": ["x;y" if i % 3 else "z" for i in range(2000)],
        }
    )
    assert rows_text(frame, ";") == expected_rows(frame)


def test_missing_categories_are_written_as_str_does():
    frame = pd.DataFrame({"a": pd.Categorical(["x", None, "y"]), "b": ["1", "2", "3"]})
    assert rows_text(frame, ";") == "x;1\r\nnan;2\r\ny;3\r\n"


def test_number_texts_are_str_of_each_number():
    numbers = np.array([0, -7, 12, 10**12], dtype=np.int64)
    assert number_texts(numbers) == ["0", "-7", "12", "1000000000000"]
    assert number_texts(numbers[:0]) == []


def test_chunks_give_the_same_bytes_as_one_go():
    frame = pd.DataFrame({"a": [f"=x{i % 7}" for i in range(100)], "b": range(100)})
    whole, chunked = io.BytesIO(), io.BytesIO()
    write_csv_chunks(whole, frame)
    write_csv_chunks(chunked, frame, chunk_rows=9)
    assert whole.getvalue() == chunked.getvalue()
    assert whole.getvalue().startswith(b"\xef\xbb\xbfa;b\r\n'=x0;0\r\n")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(cells, cells), min_size=1, max_size=40))
def test_columns_given_as_finished_texts_are_escaped_like_a_frame(rows):
    frame = pd.DataFrame(rows, columns=["a", "b"])
    as_lists = {"a": frame["a"].tolist(), "b": frame["b"]}
    assert rows_text(as_lists, ";") == rows_text(frame, ";") == expected_rows(frame)


def test_two_columns_of_one_name_are_both_written():
    frame = pd.DataFrame([["a", "b"]], columns=["x", "x"])
    stream = io.BytesIO()
    write_csv_chunks(stream, frame)
    assert stream.getvalue() == b"\xef\xbb\xbfx;x\r\na;b\r\n"


def test_other_column_types_are_written_as_str_does():
    frame = pd.DataFrame(
        {
            "nullable": pd.array([1, None, 3] * 400, dtype="Int64"),
            "waar": [True, False, True] * 400,
            "komma": [1.5, float("nan"), -2.0] * 400,
            "datum": pd.to_datetime(["2024-01-31", "2023-12-01", "2024-02-29"] * 400),
        }
    )
    assert rows_text(frame, ";") == expected_rows(frame)


def test_a_nul_character_in_a_cell_is_kept():
    """pandas' factorize reads text as C strings ('' and '\\x00' are one value to it)."""
    frame = pd.DataFrame({"a": ["", "\x00", "x\x00y"] * 700, "b": ["1", "2", "3"] * 700})
    assert rows_text(frame, ";") == expected_rows(frame)


@settings(max_examples=100, deadline=None)
@given(frames(), st.integers(1, 700))
def test_a_column_of_shared_texts_is_written_as_the_column_itself(frame, chunk_rows):
    """Texts shared by many rows (one object each, as the reasons of a match) are coded by
    object and escaped once; every chunk of them gives the rows of the plain column."""
    assume(len(frame) >= 2)
    pool = np.asarray([f"reden {i}; zie {v}" for i, v in enumerate(frame.iloc[:, 0])], dtype=object)
    shared = pool[np.arange(len(frame)) // 3]  # every object in up to three rows
    frame = frame.assign(reden=shared)
    coded = shared_texts(shared)
    assert coded is not None
    for start in range(0, len(frame), chunk_rows):
        chunk = frame.iloc[start : start + chunk_rows]
        table = {**chunk, "reden": coded[start : start + chunk_rows]}
        assert rows_text(table, ";") == expected_rows(chunk)
        assert rows_bytes(table, ";") == expected_rows(chunk).encode("utf-8")


def test_mostly_distinct_texts_are_not_coded():
    assert shared_texts(np.asarray([str(i) for i in range(100)], dtype=object)) is None


@settings(max_examples=100, deadline=None)
@given(frames(), st.sampled_from([";", ","]))
def test_the_bytes_are_the_rows_in_utf8(frame, delimiter):
    """rows_bytes joins texts of one character per byte: the same bytes as encoding the rows,
    for accents, arrows and NUL characters in coded, categorical and per-row columns."""
    assert rows_bytes(frame, delimiter) == expected_rows(frame, delimiter).encode("utf-8")


@settings(max_examples=100, deadline=None)
@given(
    frames(),
    st.lists(st.integers(-3, 3) | st.integers(0, 10**12), min_size=1, max_size=2),
    st.booleans(),
    st.booleans(),
    st.sampled_from([";", ",", "%"]),
)
def test_number_columns_are_their_numbers_as_text(frame, pool, last, zero_as_empty, delimiter):
    """Integer columns formatted together: str() of each number (0 empty when asked), a
    negative one neutralised, the separators around them as around any column."""
    rng = np.random.default_rng(len(frame))
    numbers = np.asarray([*pool, 0], dtype=np.int64)[
        rng.integers(0, len(pool) + 1, (len(frame), 2))
    ]
    shown = frame.assign(x=numbers[:, 0], y=numbers[:, 1]).astype(str)
    if zero_as_empty:
        shown[["x", "y"]] = shown[["x", "y"]].replace("0", "")
    columns = NumberColumns(("x", "y"), numbers, zero_as_empty)
    table = {**frame, "x": columns} if last else {"x": columns, **frame}
    expected = shown if last else shown[["x", "y", *frame.columns]]
    assert rows_text(table, delimiter) == expected_rows(expected, delimiter)
    stream = io.BytesIO()
    write_csv_chunks(stream, pd.DataFrame(index=frame.index), delimiter, prepare=lambda c: table)
    header = stream.getvalue()[3:].decode("utf-8").split("\r\n")[0]
    assert header == delimiter.join(expected.columns)


def test_texts_shared_by_value_but_not_by_object_are_written_as_texts():
    """A column of few distinct texts, each row its own object: coded by text, not by object."""
    frame = pd.DataFrame({"a": ["".join(["x", str(i % 3)]) for i in range(3000)], "b": range(3000)})
    assert len(set(object_ids(frame["a"].to_numpy()))) == 3000
    assert rows_text(frame, ";") == expected_rows(frame)


def test_object_ids_are_the_ids_of_the_objects():
    values = np.asarray(["a", 1, None, "a", 2.5], dtype=object)
    assert object_ids(values).tolist() == [id(v) for v in values]
    assert object_ids(values[::2]).tolist() == [id(v) for v in values[::2]]
    assert object_ids(values[:0]).tolist() == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(cells, min_size=1, max_size=60),
    st.booleans(),
    st.booleans(),
    st.sampled_from([";", ",", "\t"]),
)
def test_shared_texts_are_escaped_all_at_once_as_one_by_one(texts, without_nul, many, delimiter):
    """The distinct texts of a column (the reasons of a match) are escaped once for the whole
    column: the csv module's cell for each text on its own (UTF-8 bytes as characters)."""
    if without_nul:  # a NUL sends the whole column the slow way; mostly test the fast one
        texts = [text.replace("\x00", "") for text in texts]
    if many:  # long columns and long texts (tested per text for a formula start)
        texts = [
            f"{text}{i % 7}{' ' * 16}" for i, text in enumerate(texts * (300 // len(texts) + 1))
        ]
    coded = SharedTexts(np.arange(len(texts)), texts)
    one_by_one = [expected_rows(pd.DataFrame([[t, "a"]]), delimiter)[:-4] for t in texts]
    assert coded.escaped(delimiter, True) == [t.encode().decode("latin-1") for t in one_by_one]


@settings(max_examples=150, deadline=None)
@given(frames(), st.integers(1, 700), st.sampled_from([";", ","]))
def test_a_frame_written_in_chunks_is_the_csv_modules_file(frame, chunk_rows, delimiter):
    """Each column is made ready once for the whole file (coded, escaped once per distinct
    text) and sliced per chunk: the file is still the csv module's, whatever the chunk size."""
    frame = frame.set_axis([*frame.columns[:-1], frame.columns[0]], axis=1)  # a name twice
    stream = io.BytesIO()
    rows = write_csv_chunks(stream, frame, delimiter, chunk_rows=chunk_rows)
    header = delimiter.join(str(c) for c in frame.columns) + "\r\n"
    assert rows == len(frame)
    assert (
        stream.getvalue() == b"\xef\xbb\xbf" + (header + expected_rows(frame, delimiter)).encode()
    )


@pytest.mark.parametrize("rows", [3, 3000])
def test_an_object_column_of_mixed_values_is_written_as_str_does(rows):
    """None, NaN, numbers and texts in one object column, shared by few objects or not: each
    cell is str() of its value, in one go and in chunks."""
    mixed = [None, float("nan"), 7, "x;y", "=1", 2.5]
    frame = pd.DataFrame(
        {
            "weinig": pd.Series([mixed[i % 6] for i in range(rows)], dtype=object),
            "veel": pd.Series(
                [mixed[i % 6] if i % 2 else f"t{i}" for i in range(rows)], dtype=object
            ),
        }
    )
    stream = io.BytesIO()
    write_csv_chunks(stream, frame, chunk_rows=700)
    assert stream.getvalue() == b"\xef\xbb\xbfweinig;veel\r\n" + expected_rows(frame).encode()
    assert rows_text(frame, ";") == expected_rows(frame)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(
            st.integers(0, 2**63 - 1) | st.integers(0, 1200) | st.just(0), min_size=2, max_size=2
        ),
        min_size=1,
        max_size=30,
    ),
    st.booleans(),
)
def test_numbers_that_are_none_negative_are_str_of_each_by_their_digits(rows, zero_as_empty):
    """Numbers of every width (a leading group of one, two or three digits, up to the largest
    int64) laid out by digit tables: the same texts as str() of each number."""
    columns = NumberColumns(("x", "y"), np.asarray(rows, dtype=np.int64), zero_as_empty)
    shown = [["" if zero_as_empty and n == 0 else str(n) for n in row] for row in rows]
    assert columns.texts(";", "<", ">\r\n") == ["<" + ";".join(row) + ">\r\n" for row in shown]


@pytest.mark.parametrize("objects", [1, 2, 4, 5, 40])
@pytest.mark.parametrize("rare_at", [None, 7, 2999])
def test_shared_texts_are_each_rows_text_also_for_an_object_a_sample_misses(objects, rare_at):
    """A column of few objects is coded by comparing with the objects of a sample; an object
    the sample does not hold (one row of it) sends the column to the hashing way: every row
    still gets its own text."""
    pool = np.asarray(["".join(["t", str(i)]) for i in range(objects)], dtype=object)
    values = pool[np.arange(3000) % objects]
    if rare_at is not None:
        values[rare_at] = "".join(["zeldzaam"])
    shared = shared_texts(values)
    assert shared is not None
    assert [shared.texts[code] for code in shared.codes] == values.tolist()


@st.composite
def pieced(draw) -> tuple[PiecedTexts, int]:
    """Up to four pieces over up to 300 rows, each from a pool of a few texts or of many (so
    both the glued and the separate way run); empty texts in every piece, the first too."""
    rows = draw(st.integers(1, 300))
    pieces = []
    for _ in range(draw(st.integers(1, 4))):
        pool = draw(st.lists(cells, min_size=1, max_size=draw(st.sampled_from([3, 300]))))
        rng = np.random.default_rng(draw(st.integers(0, 2**16)))
        pieces.append(SharedTexts(rng.integers(0, len(pool), rows), pool))
    return PiecedTexts(tuple(pieces)), rows


@settings(max_examples=200, deadline=None)
@given(pieced(), frames(), st.integers(1, 400), st.sampled_from([";", ","]))
def test_a_column_in_pieces_is_written_as_its_whole_texts(column, frame, chunk_rows, delimiter):
    """Each distinct piece is escaped once (the reasons of a match: openings and tails), the
    quotes go around a cell where any of its pieces needs them, and only the start of a cell
    is neutralised: the file is that of the whole texts, in chunks of any size."""
    texts, rows = column
    whole = [
        "".join(piece.texts[piece.codes[row]] for piece in texts.pieces) for row in range(rows)
    ]
    frame = pd.concat([frame] * (rows // len(frame) + 1), ignore_index=True).iloc[:rows]
    expected = frame.assign(reden=np.asarray(whole, dtype=object))
    stream = io.BytesIO()
    write_csv_chunks(stream, {**frame, "reden": texts}, delimiter, chunk_rows=chunk_rows)
    header = delimiter.join(str(c) for c in expected.columns) + "\r\n"
    assert (
        stream.getvalue()
        == b"\xef\xbb\xbf" + (header + expected_rows(expected, delimiter)).encode()
    )
    assert texts.whole() == whole


def test_a_piece_that_follows_another_is_not_neutralised():
    first = SharedTexts(np.array([0, 1]), ["a", "b"])
    texts = PiecedTexts((first, SharedTexts(np.array([0, 1]), ["=c", ""])))
    assert rows_text({"k": texts}, ";") == "a=c\r\nb\r\n"


def test_a_cell_whose_first_piece_is_empty_is_neutralised_at_its_next_piece():
    first = SharedTexts(np.array([0, 1]), ["a", ""])
    texts = PiecedTexts((first, SharedTexts(np.array([0, 0]), ["=c"])))
    assert rows_text({"k": texts}, ";") == "a=c\r\n'=c\r\n"
