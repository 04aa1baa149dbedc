"""The session file at start-up: a damaged one never blocks the start. It is kept aside as
sessie.beschadigd-<tijd>.json, the user is told, and the wizard starts fresh."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QMessageBox

from srgdesk.core.review import SCHEMA, SCHEMA_VERSIE, Sessiebestand, save_session
from srgdesk.gui.settings import read_session, session_path


def payload(**fields) -> bytes:
    return json.dumps({"schema": SCHEMA, "versie": SCHEMA_VERSIE, **fields}).encode()


DAMAGED = {
    "geen JSON": b"{nope",
    "leeg bestand": b"",
    "afgekapt": payload(bestanden={})[:-5],
    "versie is tekst": json.dumps({"schema": SCHEMA, "versie": "abc"}).encode(),
    "nieuwere versie": json.dumps({"schema": SCHEMA, "versie": SCHEMA_VERSIE + 1}).encode(),
    "ander schema": json.dumps({"schema": "iets anders", "versie": 1}).encode(),
    "een lijst": b"[]",
    "bestanden als lijst": payload(bestanden=[], besluiten=[]),
    "bestand zonder pad": payload(bestanden={"oud": "x", "nieuw": 3}),
    "besluiten als getal": payload(bestanden={"oud": {"pad": "/x.csv"}}, besluiten=5),
    "besluiten met tekst": payload(bestanden={"oud": {"pad": "/x.csv"}}, besluiten=["a"]),
    "mapping verkeerd": payload(mapping={"oud": {"columns": ["bsn"]}}),
    "afgerond als tekst": payload(afgerond="ja"),
    "ongeldige UTF-8": b'{"schema": "\xff\xfe"}',
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_session_is_set_aside_and_the_user_told(content):
    path = session_path()
    path.write_bytes(content)
    lezing = read_session()
    assert lezing.sessie is None
    assert "opzij gezet als sessie.beschadigd-" in lezing.melding
    assert "U begint opnieuw" in lezing.melding
    assert not path.exists()
    (aside,) = path.parent.glob("sessie.beschadigd-*.json")
    assert aside.read_bytes() == content  # kept, not deleted
    if os.name != "nt":  # Windows has no POSIX modes: its per-user profile folder keeps it private
        assert stat.S_IMODE(aside.stat().st_mode) == 0o600


def test_a_good_session_is_read_and_a_missing_one_is_no_message(tmp_path):
    assert read_session().sessie is None
    assert read_session().melding is None
    save_session(session_path(), Sessiebestand(bestanden={"oud": {"pad": str(tmp_path)}}))
    lezing = read_session()
    assert lezing.melding is None
    assert lezing.sessie.bestanden == {"oud": {"pad": str(tmp_path)}}


def test_two_damaged_sessions_in_one_second_both_stay(monkeypatch):
    for content in (b"{", b"["):
        session_path().write_bytes(content)
        assert read_session().sessie is None
    assert len(list(session_path().parent.glob("sessie.beschadigd-*.json"))) == 2


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "bestanden",
    "aanleiding",
    "mapping",
    "werkbladen",
    "codes",
    "besluiten",
    "stap",
    "afgerond",
    "bijgewerkt",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=5))
def test_any_json_in_the_session_fields_never_blocks_the_start(fields):
    session_path().write_bytes(payload(**fields))
    lezing = read_session()
    if lezing.sessie is not None:  # what the start does with a session it accepted
        lezing.sessie.gewijzigde_bestanden()
        assert len(lezing.sessie.besluiten) >= 0
        assert isinstance(lezing.sessie.bijgewerkt.replace("T", " "), str)
    else:
        assert lezing.melding
    for path in session_path().parent.glob("sessie*.json"):
        path.unlink()


def test_the_wizard_starts_fresh_and_shows_why(qtbot, monkeypatch):
    from srgdesk.gui.wizard import SrgWizard

    session_path().write_bytes(payload(bestanden={"oud": "x"}, besluiten=5))
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "information",
        staticmethod(lambda parent, title, text, *a, **k: shown.append(text)),
    )
    wizard = SrgWizard(log_path=Path("srgdesk.log"))
    qtbot.addWidget(wizard)
    assert wizard.offer_resume() is False
    assert len(shown) == 1
    assert "opzij gezet" in shown[0]
    assert not session_path().exists()
