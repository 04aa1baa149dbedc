"""`srgdesk inspect` and `srgdesk match` as a user runs them, on the sample scenarios and the demo."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from srgdesk.cli import main
from srgdesk.core.fields import VERPLICHTE_VELDEN
from srgdesk.core.resources import resource_path

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SCENARIOS = sorted(p.name for p in SAMPLES.iterdir() if (p / "truth.json").exists())
HEADER = (
    "Gemeentecode oud;Berichtgevercode oud;Registratienummer voorziening oud;"
    "Gemeentecode nieuw;Berichtgevercode nieuw;Registratienummer voorziening nieuw"
)


def read(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))


def match_demo(out: Path, *options: str) -> int:
    """`srgdesk match` on the demo pair into `out`, quietly, plus any options."""
    demo = resource_path("demo")
    return main(
        [
            "match",
            str(demo / "oud.csv"),
            str(demo / "nieuw.csv"),
            "-o",
            str(out),
            "--stil",
            *options,
        ]
    )


def key(g: str, b: str, r: str) -> str:
    return f"{g}|{b}|{r}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_inspect_maps_every_required_field_of_every_sample_file(scenario, capsys):
    truth = json.loads((SAMPLES / scenario / "truth.json").read_text())
    for name in (truth["oud"], truth["nieuw"]):
        assert main(["inspect", str(SAMPLES / scenario / name)]) == 0
        out = capsys.readouterr().out
        assert "ONTBREEKT" not in out
        assert out.count("←") >= len(VERPLICHTE_VELDEN)


def test_inspect_reports_the_broken_rows_of_messy_inputs(capsys):
    assert main(["inspect", str(SAMPLES / "messy_inputs" / "nieuw.csv")]) == 0
    out = capsys.readouterr().out
    assert "tekenset Windows-1252" in out
    assert "BSN voldoet niet aan de elfproef (1×): regel 1070" in out
    assert "Begindatum is geen bestaande datum (1×): regel 1071" in out
    assert "Begindatum ontbreekt (1×): regel 1072" in out


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_match_finds_every_pair_and_never_a_wrong_or_overconfident_one(scenario, tmp_path, capsys):
    truth = json.loads((SAMPLES / scenario / "truth.json").read_text())
    out = tmp_path / "uit"
    code = main(
        [
            "match",
            str(SAMPLES / scenario / truth["oud"]),
            str(SAMPLES / scenario / truth["nieuw"]),
            "-o",
            str(out),
            "--accepteer",
            "waarschijnlijk",
            "--formaat",
            "csv",
            "--stil",
        ]
    )
    assert code == 0
    undecidable = {u["old"]: set(u["candidates"]) for u in truth["undecidable"]}
    wanted = {(a, b) for a, b, _ in truth["pairs"] if a not in undecidable}
    conv = read(out / "conversiebestand.csv")
    got = {
        (
            key(
                r["Gemeentecode oud"],
                r["Berichtgevercode oud"],
                r["Registratienummer voorziening oud"],
            ),
            key(
                r["Gemeentecode nieuw"],
                r["Berichtgevercode nieuw"],
                r["Registratienummer voorziening nieuw"],
            ),
        )
        for r in conv
    }
    assert got == wanted  # precision and recall 1.0
    matches = read(out / "matches.csv")
    zekerheid = {
        key(r["oud_gemeentecode"], r["oud_berichtgevercode"], r["oud_registratienummer"]): r[
            "zekerheid"
        ]
        for r in matches
        if r["oud_registratienummer"]
    }
    assert all(zekerheid[old] == "twijfel" for old in undecidable)
    statuses = [r["status"] for r in matches]
    assert sum(s == "beeindigd" for s in statuses) == len(truth["ended"])
    assert sum(s == "ontbreekt" for s in statuses) == len(truth["vanished"])
    invalid = sum(truth["invalid_rows"].values())
    assert invalid <= statuses.count("ongeldig") <= invalid + 1  # + an exact duplicate row


def test_conversiebestand_files_follow_the_contract(tmp_path, capsys):
    out = tmp_path / "uit"
    assert match_demo(out) == 0
    raw = (out / "conversiebestand.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    rows = read(out / "conversiebestand.csv")
    assert rows
    assert all(r["Registratienummer voorziening oud"].startswith("0") for r in rows)
    sheet = load_workbook(out / "conversiebestand.xlsx").active
    assert [c.value for c in sheet[1]] == HEADER.split(";")
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row)
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        list(r.values()) for r in rows
    ]
    summary = capsys.readouterr().out
    assert "Gekoppeld:" in summary
    assert "Te beoordelen" in summary


def test_without_met_bsn_no_output_holds_a_bsn_and_with_it_the_file_name_says_so(tmp_path, capsys):
    demo = resource_path("demo")
    with (demo / "oud.csv").open(encoding="cp1252") as stream:
        bsns = {r["BSN"] for r in csv.DictReader(stream, delimiter=";")}
    plain, marked = tmp_path / "zonder", tmp_path / "met"
    assert match_demo(plain) == 0
    for path in plain.iterdir():
        text = path.read_bytes().decode("utf-8", errors="ignore")
        assert not any(b in text for b in bsns), path.name
    assert match_demo(marked, "--met-bsn", "--formaat", "csv") == 0
    names = sorted(p.name for p in marked.iterdir())
    assert "conversiebestand_MET_BSN_alleen_via_CBS-portaal.csv" in names
    assert "conversiebestand.csv" not in names
    assert "BSN" in read(marked / "conversiebestand_MET_BSN_alleen_via_CBS-portaal.csv")[0]
    assert "LET OP" in capsys.readouterr().out


def test_an_input_is_never_overwritten(tmp_path, capsys):
    demo = resource_path("demo")
    victim = tmp_path / "conversiebestand.csv"
    victim.write_bytes((demo / "oud.csv").read_bytes())
    before = victim.read_bytes()
    assert main(["match", str(victim), str(demo / "nieuw.csv"), "-o", str(tmp_path), "--stil"]) == 2
    assert "wordt niet overschreven" in capsys.readouterr().err
    assert victim.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is leeg"), (b"Naam;Adres\r\nJan;Straat 1\r\n", "geen kolom gevonden voor")],
)
def test_an_unusable_input_is_exit_2_with_a_dutch_message(tmp_path, capsys, content, message):
    bad = tmp_path / "export.csv"
    bad.write_bytes(content)
    demo = resource_path("demo")
    assert main(["match", str(bad), str(demo / "nieuw.csv"), "-o", str(tmp_path / "uit")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: ")
    assert message in err
    assert "Traceback" not in err


def test_own_codes_file_and_verslagmaand_override(tmp_path, capsys):
    out = tmp_path / "uit"
    assert match_demo(out) == 0
    codes = read(out / "codetabel.csv")
    assert {r["oud"]: r["nieuw"] for r in codes}["09"] == "TRAJ"
    table = tmp_path / "codes.csv"
    table.write_text("oud;nieuw\n01;SA\n", encoding="utf-8")  # deliberately wrong: LKS is right
    assert match_demo(tmp_path / "b", "--codes", str(table), "--verslagmaand-nieuw", "202402") == 0
    summary = capsys.readouterr().out
    assert "februari 2024 (door u opgegeven)" in summary
    rows = read(tmp_path / "b" / "matches.csv")
    assert not any(r["status"] == "gekoppeld" and "soort 01 →" in r["reden"] for r in rows)


def test_argument_errors_and_help_are_in_dutch(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["match"])
    assert stop.value.code == 2
    assert "fout: deze gegevens ontbreken: oud, nieuw, -o/--uitvoer" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert help_text.startswith("gebruik: srgdesk")
    assert "toon deze hulp en stop" in help_text


# --- faults: one Dutch line, exit 2, never a traceback, nothing half written -----------------


def _not_a_csv_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["oud", "nieuw"])
    workbook.active.append(["01", "LKS"])
    workbook.save(path)
    return path


FAULTS = {
    "invoerpad te lang": (
        lambda d: ["match", d / ("x" * 300) / "oud.csv", DEMO_NIEUW, "-o", d / "uit"],
        "Het pad is te lang",
    ),
    "uitvoerpad te lang": (
        lambda d: ["match", DEMO_OUD, DEMO_NIEUW, "-o", d / ("u" * 300)],
        "Het pad is te lang",
    ),
    "uitvoerpad veel te lang": (
        lambda d: ["match", DEMO_OUD, DEMO_NIEUW, "-o", d.joinpath(*["m" * 200] * 25)],
        "Het pad is te lang",
    ),
    "map op de plaats van een uitvoerbestand": (
        lambda d: (
            (d / "uit" / "matches.csv").mkdir(parents=True),
            ["match", DEMO_OUD, DEMO_NIEUW, "-o", d / "uit"],
        )[1],
        "Op de plaats van matches.csv staat een map",
    ),
    "-o is een bestand": (
        lambda d: (
            (d / "uit.txt").write_bytes(b"x"),
            ["match", DEMO_OUD, DEMO_NIEUW, "-o", d / "uit.txt"],
        )[1],
        "is een bestand, geen map",
    ),
    "-o onder een bestand": (
        lambda d: (
            (d / "uit.txt").write_bytes(b"x"),
            ["match", DEMO_OUD, DEMO_NIEUW, "-o", d / "uit.txt" / "map"],
        )[1],
        "ligt onder het bestand",
    ),
    "--codes met willekeurige bytes": (
        lambda d: (
            (d / "codes.csv").write_bytes(bytes(range(256)) * 8),
            ["match", DEMO_OUD, DEMO_NIEUW, "-o", d / "uit", "--codes", d / "codes.csv"],
        )[1],
        "Codetabel codes.csv is geen CSV-bestand",
    ),
    "--codes is een xlsx": (
        lambda d: [
            "match",
            DEMO_OUD,
            DEMO_NIEUW,
            "-o",
            d / "uit",
            "--codes",
            _not_a_csv_xlsx(d / "codes.xlsx"),
        ],
        "Codetabel codes.xlsx is geen CSV-bestand",
    ),
}
DEMO_OUD, DEMO_NIEUW = resource_path("demo") / "oud.csv", resource_path("demo") / "nieuw.csv"


@pytest.mark.parametrize("situation", FAULTS.keys())
def test_a_fault_is_one_dutch_line_and_exit_2(tmp_path, capsys, situation):
    make_argv, message = FAULTS[situation]
    argv = [str(a) for a in make_argv(tmp_path)]
    before = sorted(tmp_path.rglob("*"))
    assert main([*argv, "--stil"]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.startswith("Fout: ")
    assert err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err + captured.out
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, not even an empty folder


def test_disk_full_leaves_the_previous_outputs_and_says_so(tmp_path, capsys, monkeypatch):
    import errno
    import os

    out = tmp_path / "uit"
    assert match_demo(out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 3:  # the third file of the set: two are complete by then
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)
    capsys.readouterr()
    assert match_demo(out, "--verslagmaand-nieuw", "202402") == 2
    err = capsys.readouterr().err
    assert err.startswith("Fout: De schijf is vol: codetabel.csv")
    assert "Er is niets vervangen" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_utf16_codes_file_is_still_read(tmp_path, capsys):
    table = tmp_path / "codes.csv"
    table.write_text("oud;nieuw\r\n01;LKS\r\n", encoding="utf-16", newline="")
    assert match_demo(tmp_path / "uit", "--codes", str(table)) == 0


def test_the_summary_lists_rows_and_which_files_hold_bsns(tmp_path, capsys):
    assert match_demo(tmp_path / "uit", "--met-bsn") == 0
    out = capsys.readouterr().out
    written = [line for line in out.splitlines() if line.startswith("  ") and "regels" in line]
    assert len(written) == 4
    assert sum("MET BSN" in line for line in written) == 3  # conversiebestand csv + xlsx, matches
    assert "codetabel.csv" in next(line for line in written if "MET BSN" not in line)


def test_reading_options_for_missing_codes_and_eaten_zeros(tmp_path, capsys):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
    from exportgen import STANDAARD, Gen

    zonder = {k: v for k, v in STANDAARD.items() if k not in ("gemeentecode", "berichtgevercode")}
    oud = Gen(headers=zonder, zonder_nullen=True, rows=20).write(tmp_path / "oud.csv")
    nieuw = Gen(rows=20).write(tmp_path / "nieuw.csv")
    args = ["match", str(oud), str(nieuw), "-o", str(tmp_path / "uit"), "--stil"]
    assert main(args) == 2
    assert "--vast-oud gemeentecode=WAARDE" in capsys.readouterr().err
    vast = ["--vast-oud", "gemeentecode=0363", "--vast-oud", "berichtgevercode=4021"]
    assert main([*args, *vast]) == 0
    out = capsys.readouterr().out
    assert "voorloopnullen" in out
    assert "--nullen-oud 10" in out
    assert main([*args, *vast, "--nullen-oud", "10"]) == 0
    out = capsys.readouterr().out
    assert "aangevuld met voorloopnullen" in out
    assert "Ongewijzigd (zelfde sleutel, niets te melden): 20." in out


def test_a_wrong_fixed_value_or_width_is_exit_2_in_dutch(tmp_path, capsys):
    demo = resource_path("demo")
    base = ["match", str(demo / "oud.csv"), str(demo / "nieuw.csv"), "-o", str(tmp_path)]
    assert main([*base, "--vast-oud", "gemeentecode=Nergenshuizen"]) == 2
    assert "--vast-oud gemeentecode=Nergenshuizen" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main([*base, "--nullen-nieuw", "abc"])
    assert exit_info.value.code == 2
    assert "breedte" in capsys.readouterr().err


def test_a_headerless_export_without_einddatums_runs_on_and_says_so(tmp_path, capsys):
    """The empty last column of a headerless export falls away: no einddatum column at all."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
    from exportgen import Gen

    records = Gen(rows=8).records()
    soorten = ("JC", "LKS")
    lines = [
        f"{r['registratienummer']};{r['bsn']};{soorten[i % 2]};{r['begindatum']};"
        for i, r in enumerate(records)
    ]
    for name in ("oud.csv", "nieuw.csv"):
        (tmp_path / name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    vast = [
        f"--vast-{rol}={veld}={waarde}"
        for rol in ("oud", "nieuw")
        for veld, waarde in (("gemeentecode", "0363"), ("berichtgevercode", "4021"))
    ]
    args = ["match", tmp_path / "oud.csv", tmp_path / "nieuw.csv", "-o", tmp_path / "uit"]
    assert main([str(a) for a in [*args, "--stil", *vast]]) == 0
    out = capsys.readouterr().out
    assert "oud.csv: geen kolom voor de einddatum gevonden: alle voorzieningen lopen door" in out
    assert "Ongewijzigd (zelfde sleutel, niets te melden): 8." in out
