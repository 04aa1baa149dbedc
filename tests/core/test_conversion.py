"""Output writers: the CSV dialect Excel reads, formulas neutralised, xlsx cells always text."""

import csv
import io

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from srgdesk.core.conversion import csv_bytes, load_layout
from srgdesk.core.csv_writer import neutralise
from srgdesk.core.values import FORMULA_START

cells = st.text(alphabet=st.sampled_from(list("ab;,\"'=+-@\t\r\n 0é")), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells), min_size=1, max_size=6))
def test_csv_round_trips_through_the_csv_module_with_formulas_neutralised(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c"])
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))
    assert parsed[0] == ["a", "b", "c"]
    assert parsed[1:] == [[neutralise(v) for v in row] for row in rows]
    assert not any(v.startswith(FORMULA_START) for row in parsed[1:] for v in row)


def test_csv_matches_the_csv_module_byte_for_byte():
    frame = pd.DataFrame(
        {
            "x": ["plain", 'with "quote"', "semi;colon", "line\nbreak", ""],
            "y": ["=SUM(1)", "0012", "-", "@x", "ok"],
        }
    )
    expected = io.StringIO(newline="")
    writer = csv.writer(expected, delimiter=";", lineterminator="\r\n")
    writer.writerow(frame.columns)
    writer.writerows([[neutralise(v) for v in row] for row in frame.itertuples(index=False)])
    assert csv_bytes(frame) == b"\xef\xbb\xbf" + expected.getvalue().encode("utf-8")


def test_output_names_are_the_names_output_files_writes():
    from srgdesk.core.conversion import output_files, output_names
    from srgdesk.core.export import load_export
    from srgdesk.core.matching import match
    from srgdesk.core.resources import resource_path

    demo = resource_path("demo")
    result = match(
        load_export(demo / "oud.csv").voorzieningen, load_export(demo / "nieuw.csv").voorzieningen
    )
    for formaat in ("csv", "xlsx", "beide"):
        for met_bsn in (False, True):
            files = output_files(result, [], formaat, met_bsn)
            assert [f.name for f in files] == output_names(formaat, met_bsn)
            assert {f.name for f in files if f.contains_bsn} == (
                {n for n in output_names(formaat, met_bsn) if "MET_BSN" in n} if met_bsn else set()
            )


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(cells, cells), max_size=9), st.integers(1, 4))
def test_csv_streamed_in_chunks_is_the_same_as_in_one_go(rows, chunk):
    import srgdesk.core.conversion as conversion

    frame = pd.DataFrame(rows, columns=["a", "b"])
    whole = conversion.csv_bytes(frame)
    original = conversion.CSV_CHUNK_ROWS
    conversion.CSV_CHUNK_ROWS = chunk
    try:
        assert conversion.csv_bytes(frame) == whole
    finally:
        conversion.CSV_CHUNK_ROWS = original
    assert whole.count(b"\r\n") >= len(frame) + 1


def test_the_shipped_layout_is_read_once_and_a_given_file_each_time(tmp_path):
    assert load_layout() is load_layout()
    own = tmp_path / "layout.toml"
    own.write_text(
        'bestandsnaam = "eigen"\n[[kolom]]\nkop = "Oud"\nbron = "oud_registratienummer"\n'
    )
    assert load_layout(own).bestandsnaam == "eigen"
    own.write_text(
        'bestandsnaam = "anders"\n[[kolom]]\nkop = "Oud"\nbron = "oud_registratienummer"\n'
    )
    assert load_layout(own).bestandsnaam == "anders"
    assert load_layout().bestandsnaam == "conversiebestand"
