"""The README table 'Regels voor het koppelen' is generated from the rule objects, and each
rule's reason is what matches.csv shows for a pair where that rule holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matching_generators import SWITCH, Rec, people, reset_filler, row_of, run

from srgdesk.core.matching.rules import PLACEHOLDER, RULES, Rol, readme_table

README = Path(__file__).resolve().parents[3] / "README.md"
ANNA = people(1)[0]


def readme_rules() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- regels:begin -->\n(.*?)\n<!-- regels:end -->", text, re.S)
    assert match, "README mist de sectie 'Regels voor het koppelen'"
    return match.group(1)


def test_the_readme_table_is_generated_from_the_rules():
    assert readme_rules() == readme_table(), "run: python -c 'from srgdesk.core.matching.rules "
    "import readme_table; print(readme_table())' and paste it into README.md"


# One old/new pair per rule where that rule holds (and is the one that decides).
SCENARIOS = {
    "zelfde_nummer": ([Rec(ANNA, "7", berichtgever="4021")], [Rec(ANNA, "7", berichtgever="5123")]),
    "begindatum_gelijk": (
        [Rec(ANNA, "1", begin="2021-03-01")],
        [Rec(ANNA, "X", begin="2021-03-01")],
    ),
    "voortzetting": ([Rec(ANNA, "1", einde="2023-11-30")], [Rec(ANNA, "X", begin="2023-12-01")]),
    "korte_onderbreking": (
        [Rec(ANNA, "1", einde="2023-11-28")],
        [Rec(ANNA, "X", begin="2023-12-01")],
    ),
    "korte_overlap": (
        [Rec(ANNA, "1", begin="2022-01-01", einde="2024-01-05")],
        [Rec(ANNA, "X", begin="2024-01-02")],
    ),
    "conversiedatum": ([Rec(ANNA, "1", begin="2020-01-01")], [Rec(ANNA, "X", begin=SWITCH)]),
    "begindatum_dichtbij": (
        [Rec(ANNA, "1", begin="2021-03-01")],
        [Rec(ANNA, "X", begin="2021-03-11")],
    ),
    "voortzetting_op_conversiedatum": (
        [Rec(ANNA, "1", einde="2023-12-31")],
        [Rec(ANNA, "X", begin=SWITCH)],
    ),
    "geeindigd_voor_conversiedatum": (
        [Rec(ANNA, "1", einde="2023-12-28")],
        [Rec(ANNA, "X", begin=SWITCH)],
    ),
    "herstart_terwijl_lopend": (
        [Rec(ANNA, "1", begin="2023-11-11")],
        [Rec(ANNA, "X", begin="2024-02-01")],
    ),
    "afgeleid_nummer": (
        [Rec(ANNA, "1234", begin="2021-03-01")],
        [Rec(ANNA, "VZ-1234", begin="2021-03-01")],
    ),
    "einddatum_gelijk": (
        [Rec(ANNA, "1", begin="2021-03-01")],
        [Rec(ANNA, "X", begin="2021-03-01")],
    ),
    "loonwaarde_gelijk": (
        [Rec(ANNA, "1", begin="2021-03-01", loonwaarde="045")],
        [Rec(ANNA, "X", begin="2021-03-01", loonwaarde="045")],
    ),
    "omschrijving_gelijk": (
        [Rec(ANNA, "1", begin="2021-03-01", omschrijving="Jobcoach")],
        [Rec(ANNA, "X", begin="2021-03-01", omschrijving="JOBCOACH")],
    ),
}
SHOWN = [r for r in RULES if r.rol != Rol.UITSLUITEND and r.naam != "zelfde_sleutel"]


@pytest.mark.parametrize("rule", RULES, ids=[r.naam for r in RULES])
def test_each_rules_reason_is_what_the_readme_table_shows(rule):
    rows = [line for line in readme_rules().splitlines() if line.startswith(f"| `{rule.naam}` |")]
    assert len(rows) == 1
    assert rows[0].rstrip(" |").endswith(rule.reden)


@pytest.mark.parametrize("rule", SHOWN, ids=[r.naam for r in SHOWN])
def test_each_rules_reason_appears_filled_in_for_a_pair_where_it_holds(rule):
    old, new = SCENARIOS[rule.naam]
    filler_old, filler_new = reset_filler()
    result = run([*old, *filler_old], [*new, *filler_new])
    pattern = "".join(
        ".+?" if i % 2 else re.escape(piece)
        for i, piece in enumerate(PLACEHOLDER.split(rule.reden))
    )
    reden = row_of(result, old[0].nummer)["reden"]
    assert re.search(pattern, reden), f"{rule.naam}: {reden!r}"
