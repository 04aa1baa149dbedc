"""No leaks: a full match, a wijzigingsmelding and the GUI smoke test, with debug logging on,
leave no BSN of the input in logs, app-data, autosave or any output that is not marked MET_BSN;
and none of it opens a network socket (no telemetry, update checks, fonts or icons fetched)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from srgdesk.core.export import load_export

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo"
HAS_GUI = (ROOT / "srgdesk" / "gui" / "app.py").exists()

RUNNER = r"""
import json, logging, socket, sys
from pathlib import Path

attempts = []

def deny(name):
    def refuse(*args, **kwargs):
        attempts.append(f"{name}{args[1:2] if name.startswith('socket.') else args[:1]}")
        raise OSError(f"netwerk is verboden in deze test ({name})")
    return refuse

socket.socket.connect = deny("socket.connect")
socket.socket.connect_ex = deny("socket.connect_ex")
socket.socket.sendto = deny("socket.sendto")
socket.create_connection = deny("create_connection")
socket.getaddrinfo = deny("getaddrinfo")
socket.gethostbyname = deny("gethostbyname")

from srgdesk.applog import setup_logging
from srgdesk.cli import main

setup_logging()
for name in ("", "srgdesk"):
    logging.getLogger(name).setLevel(logging.DEBUG)
logging.basicConfig(level=logging.DEBUG, filename=sys.argv[1] + "/debug.log")

work = Path(sys.argv[1])
codes = {}
codes["match"] = main(["match", str(work / "oud.csv"), str(work / "nieuw.csv"), "-o",
                       str(work / "uit"), "--accepteer", "waarschijnlijk"])
codes["melding"] = main(["melding", "--invoer", str(work / "melding.toml"), "-o",
                         str(work / "uit")])
if sys.argv[2] == "gui":
    codes["gui"] = main(["--smoke-test", str(work / "smoke.png")])
logging.shutdown()
print("RESULT " + json.dumps({"codes": codes, "attempts": attempts,
                              "qtnetwork": "PySide6.QtNetwork" in sys.modules}))
"""

MELDING = """
soort = "softwarepakket"
gemeentecode = "0363"
berichtgevercode_oud = "0363"
pakket_oud = "SociaalPlein 3.2"
pakket_nieuw = "WerkWijzer 5.1"
ingangsmaand = "2027-01"
contact_naam = "Zoë Müller"
contact_email = "z.muller@amsterdam.nl"
contact_telefoon = "06-12345678"
opmerking = "Voorzieningen lopen door."
"""


def input_bsns() -> set[str]:
    """Every BSN cell of both demo exports, padded to 9 digits (valid or not)."""
    found: set[str] = set()
    for name in ("oud.csv", "nieuw.csv"):
        export = load_export(DEMO / name)
        cells = export.table.cells[export.mapping.column("bsn")]
        found |= {c.replace(".", "").replace(" ", "").zfill(9) for c in cells if c.strip()}
    return found


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("lek")
    home = work / "home"
    for name in ("oud.csv", "nieuw.csv"):
        shutil.copy(DEMO / name, work / name)
    (work / "melding.toml").write_text(MELDING, encoding="utf-8")
    env = {
        **os.environ,
        "HOME": str(home),
        "SRGDESK_DATA_DIR": str(work / "appdata"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_RUNTIME_DIR": str(home / "run"),
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(work),
    }
    (home / "run").mkdir(parents=True)
    (home / "run").chmod(0o700)
    process = subprocess.run(
        [sys.executable, "-c", RUNNER, str(work), "gui" if HAS_GUI else "geen-gui"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    line = [x for x in process.stdout.splitlines() if x.startswith("RESULT ")]
    assert line, process.stdout + process.stderr
    result = json.loads(line[-1][len("RESULT ") :])
    return work, result, process.stdout + process.stderr


def file_texts(path: Path) -> list[str]:
    data = path.read_bytes()
    texts = [data.decode("utf-8", errors="replace"), data.decode("utf-16-le", errors="ignore")]
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    return texts


def leaked(texts: list[str], bsns: set[str]) -> set[str]:
    numbers = {m for t in texts for m in re.findall(r"(?<!\d)\d{8,9}(?!\d)", t)}
    return {b for b in bsns if b in numbers or b.lstrip("0") in numbers}


def test_full_run_succeeds(full_run):
    _work, result, output = full_run
    assert result["codes"]["match"] == 0, output
    assert result["codes"]["melding"] == 0, output
    if HAS_GUI:
        assert result["codes"]["gui"] == 0, output


def test_no_network_socket_is_opened_during_a_full_run(full_run):
    _work, result, _output = full_run
    assert result["attempts"] == []
    assert result["qtnetwork"] is False


def test_no_bsn_in_logs_app_data_or_autosave(full_run):
    work, _result, _output = full_run
    places = [work / "appdata", work / "home"]
    files = [p for place in places if place.exists() for p in place.rglob("*") if p.is_file()]
    files.append(work / "debug.log")
    bsns = input_bsns()
    assert len(bsns) > 100
    leaks = {str(p.relative_to(work)): leaked(file_texts(p), bsns) for p in files}
    assert {k: v for k, v in leaks.items() if v} == {}
    assert any((work / "appdata").rglob("*.log")), "the debug log itself must exist"


def test_no_bsn_in_outputs_that_are_not_marked_met_bsn(full_run):
    work, _result, output = full_run
    files = [p for p in (work / "uit").iterdir() if "MET_BSN" not in p.name]
    names = {p.name for p in files}
    assert {
        "conversiebestand.csv",
        "conversiebestand.xlsx",
        "matches.csv",
        "codetabel.csv",
    } <= names
    assert any(n.endswith(".eml") for n in names)
    assert any(n.endswith(".txt") for n in names)
    bsns = input_bsns()
    leaks = {p.name: leaked(file_texts(p), bsns) for p in files}
    assert {k: v for k, v in leaks.items() if v} == {}
    assert leaked([output], bsns) == set()  # nor on the console


def test_invalid_bsn_is_not_repeated_in_matches_csv(tmp_path, capsys):
    """A BSN that fails the elfproef is still (almost) someone's BSN: matches.csv, which may be
    mailed, must not show it in the reason of the ongeldig row."""
    from .helpers import bsn_from, read_matches, row, run, write_csv

    typo = "123456789"  # fails the elfproef
    old = [row(bsn_from(1), "A1"), row(typo, "A2")]
    new = [row(bsn_from(1), "B1")]
    oud, nieuw = write_csv(tmp_path / "oud.csv", old), write_csv(tmp_path / "nieuw.csv", new)
    assert run(["match", oud, nieuw, "-o", tmp_path / "uit", "--stil"], capsys)[0] == 0
    text = (tmp_path / "uit" / "matches.csv").read_text(encoding="utf-8-sig")
    assert any(r["status"] == "ongeldig" for r in read_matches(tmp_path / "uit"))
    assert typo not in text


WRITE_SPY = r"""
import json, os, sys

writes = []

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        path, mode, flags = args
        writing = any(c in (mode or "") for c in "wax+") or (
            flags and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        if writing:
            writes.append(os.path.abspath(os.fsdecode(path)))

sys.addaudithook(hook)
from srgdesk.cli import main

code = main(sys.argv[1:])
print("RESULT " + json.dumps({"code": code, "writes": writes}))
"""


def test_met_bsn_writes_only_in_the_output_and_app_data_folders(tmp_path):
    """openpyxl's write-only mode put the sheet XML, BSNs included, in the system temp folder
    (and left it there after a kill); now every file opened for writing, temporaries included,
    sits in the target folder (or the app-data folder)."""
    out, appdata = tmp_path / "uit", tmp_path / "appdata"
    env = {**os.environ, "SRGDESK_DATA_DIR": str(appdata)}
    argv = ["match", str(DEMO / "oud.csv"), str(DEMO / "nieuw.csv"), "-o", str(out)]
    command = [sys.executable, "-c", WRITE_SPY, *argv, "--met-bsn", "--stil"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    line = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
    assert line, done.stdout + done.stderr
    result = json.loads(line[-1][len("RESULT ") :])
    assert result["code"] == 0
    writes = {Path(p) for p in result["writes"]}
    assert any(p.parent == out for p in writes)
    elsewhere = {p for p in writes if not (p.is_relative_to(out) or p.is_relative_to(appdata))}
    assert elsewhere == set()
    assert not list(out.glob(".*"))  # no temporary left beside the outputs
    assert any("MET_BSN" in p.name and p.suffix == ".xlsx" for p in out.iterdir())
