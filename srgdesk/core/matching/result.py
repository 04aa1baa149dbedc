"""The result of matching: one row per old record, per unpaired new record and per ongeldig row.

Columns and types are those of `schema.COLUMNS`. Reason texts are built column-wise: each rule
that holds adds its filled-in template to the rows where it holds, so no Python loop runs per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

from srgdesk.core.cleaning import Voorzieningen
from srgdesk.core.codes import CodeTabel
from srgdesk.core.matching import schema
from srgdesk.core.matching.assignment import Toewijzing
from srgdesk.core.matching.candidates import Bewijs, Kandidaten, open_end
from srgdesk.core.matching.rules import (
    PLACEHOLDER,
    RULES,
    ZELFDE_SLEUTEL,
    Paren,
    Rol,
)
from srgdesk.core.values import OPEN, days_to_nl
from srgdesk.core.verslagmaand import Periode
from srgdesk.core.vocabulary import SoortKoppeling, Status, Zekerheid

REDEN_ONGEWIJZIGD = "Zelfde sleutel en zelfde BSN: niets te melden"
REDEN_ONTBREEKT = (
    "Loopt nog maar staat niet in de nieuwe export: CBS raakt deze voorziening kwijt. "
    "Controleer de nieuwe export"
)
REDEN_NIEUW = "Geen voorganger in de oude export"
REDEN_CONCURRENT = "; er is een andere, minder passende kandidaat"
REDEN_VOORLOOPNULLEN = (
    "; LET OP: alleen de voorloopnullen van het registratienummer verschillen, waarschijnlijk "
    "door Excel weggehaald. Zet ze terug met --nullen-oud of --nullen-nieuw (in het venster: "
    "bij Kolommen) en koppel opnieuw, of neem deze koppeling op met --accepteer waarschijnlijk"
)


@dataclass
class MatchResultaat:
    """Everything matching decided, one row per record in `regels` (columns: schema.COLUMNS)."""

    regels: pd.DataFrame
    oud: Voorzieningen
    nieuw: Voorzieningen
    codes: CodeTabel
    periode_oud: Periode
    periode_nieuw: Periode
    conversiedatums: list[str] = field(default_factory=list)
    conflicten: int = 0

    def samenvatting(self) -> list[str]:
        """A Dutch summary in words and numbers."""
        from srgdesk.core.matching.summary import samenvatting

        return samenvatting(self)


TEXT = StringDType()


def fill(template: str, value: Callable[[str], np.ndarray], size: int) -> np.ndarray:
    """The template with each {placeholder} replaced by value(placeholder), per row; numpy
    string arrays, so the concatenation runs in C rather than once per row in Python."""
    pieces = PLACEHOLDER.split(template)
    text = np.asarray([pieces[0]], dtype=TEXT)[np.zeros(size, dtype=np.int64)]
    for position, piece in enumerate(pieces[1:]):
        text = np.strings.add(text, value(piece) if position % 2 == 0 else piece)
    return text


def dates_text(days: np.ndarray) -> np.ndarray:
    """'DD-MM-JJJJ' per day number ('' when open), formatted once per distinct day."""
    unique, inverse = np.unique(days, return_inverse=True)
    return np.asarray(days_to_nl(unique).to_numpy(), dtype=TEXT)[inverse.reshape(-1)]


def _text(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=TEXT) if values.dtype == object else values.astype(TEXT)


def _placeholders(p: Paren, index: np.ndarray, old_codes, new_codes) -> Callable[[str], np.ndarray]:
    """The values a reason template may use, for the pairs at `index`."""

    def value(name: str) -> np.ndarray:
        ob, oe, nb = p.begin_oud[index], p.einde_oud[index], p.begin_nieuw[index]
        if name in ("begin_oud", "einde_oud", "begin_nieuw"):
            return dates_text(getattr(p, name)[index])
        if name == "dagen_na_einde":
            return _text(nb - oe)
        if name == "dagen_overlap":
            return _text(oe - nb)
        if name == "dagen_verschil":
            return _text(np.abs(nb - ob))
        if name == "nummer_oud":
            return _text(old_codes[2][index])
        if name == "nummer_nieuw":
            return _text(new_codes[2][index])
        if name == "einddatum_gelijk":
            equal = np.strings.add(np.strings.add("einddatum gelijk (", dates_text(oe)), ")")
            return np.where(oe == OPEN, np.asarray("beide zonder einddatum", dtype=TEXT), equal)
        if name == "codewijziging":
            go, bo, gn, bn = (_text(c[index]) for c in (*old_codes[:2], *new_codes[:2]))
            arrow = np.strings.add(np.strings.add(go, " → "), gn)
            gemeente = np.where(go != gn, np.strings.add("gemeentecode ", arrow), "")
            arrow = np.strings.add(np.strings.add(bo, " → "), bn)
            berichtgever = np.where(bo != bn, np.strings.add("berichtgevercode ", arrow), "")
            both = np.where((go != gn) & (bo != bn), "; ", "")
            return np.strings.add(np.strings.add(gemeente.astype(TEXT), both), berichtgever)
        raise KeyError(name)

    return value


SHOWN_RULES = tuple(r for r in RULES if r.rol != Rol.UITSLUITEND and r is not ZELFDE_SLEUTEL)


def _pattern(ev: Bewijs, p: Paren, index: np.ndarray, soort_o, soort_n, codes_o, codes_n):
    """Rows with the same reason get the same pattern number: same soorten, same rules, same
    dates, and for number rules the same numbers. Returns (first row of each pattern, pattern
    of each row)."""
    bits = np.zeros(len(index), dtype=np.int64)
    for bit, rule in enumerate(SHOWN_RULES):
        bits |= ev.regels[rule.naam][index].astype(np.int64) << bit
    numbered = ev.regels["zelfde_nummer"][index] | ev.regels["afgeleid_nummer"][index]
    parts = [
        soort_o[ev.o[index]],
        soort_n[ev.n[index]],
        bits,
        p.begin_oud[index],
        p.einde_oud[index],
        p.begin_nieuw[index],
        np.where(numbered, index, -1),  # such reasons name numbers or codes: one per row
    ]
    combined = np.zeros(len(index), dtype=np.int64)
    for values in parts:
        codes, uniques = pd.factorize(values, sort=False)
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + codes, sort=False)
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def pair_reasons(
    ev: Bewijs,
    p: Paren,
    index: np.ndarray,
    soort_o: np.ndarray,
    soort_n: np.ndarray,
    codes_o,
    codes_n,
) -> np.ndarray:
    """'Zelfde BSN en soort; begindatum gelijk (01-03-2022)' for the chosen pairs at `index`,
    built once per distinct pattern (`_pattern`) and shared by the rows that have it."""
    if len(index) == 0:
        return np.zeros(0, dtype=object)
    first, inverse = _pattern(ev, p, index, soort_o, soort_n, codes_o, codes_n)
    return _reasons(ev, p, index[first], soort_o, soort_n, codes_o, codes_n)[inverse]


def _reasons(ev, p, index, soort_o, soort_n, codes_o, codes_n) -> np.ndarray:
    """The opening once per distinct (old soort, new soort); then each rule that holds adds its
    filled-in template to the rows where it holds."""
    code_o, names_o = pd.factorize(soort_o[ev.o[index]], sort=False)
    code_n, names_n = pd.factorize(soort_n[ev.n[index]], sort=False)
    combos, pattern = np.unique(code_o * len(names_n) + code_n, return_inverse=True)
    openings = []
    for combo in combos.tolist():
        a, b = names_o[combo // len(names_n)], names_n[combo % len(names_n)]
        same = a == b
        openings.append(
            "Zelfde BSN en soort" if same else f"Zelfde BSN; soort {a} → {b} (codetabel)"
        )
    reden = np.asarray(openings, dtype=TEXT)[pattern.reshape(-1)]
    for rule in SHOWN_RULES:
        holds = np.flatnonzero(ev.regels[rule.naam][index])
        if len(holds):
            value = _placeholders(p, index[holds], codes_o, codes_n)
            part = np.strings.add("; ", fill(rule.reden, value, len(holds)))
            reden[holds] = np.strings.add(reden[holds], part)
    return reden.astype(object)


def _kind(ev: Bewijs, index: np.ndarray) -> np.ndarray:
    """The soort koppeling of the strongest rule that holds and names one."""
    named = [r for r in RULES if r.soort_koppeling is not None]
    conditions = [ev.regels[r.naam][index] for r in named]
    return np.select(
        conditions, [str(r.soort_koppeling) for r in named], str(SoortKoppeling.CONVERSIE)
    )


def _only_leading_zeros_differ(numbers_o: np.ndarray, numbers_n: np.ndarray) -> np.ndarray:
    """'1001' and '0000001001': most likely Excel dropped the zeros, so the pair is no proof."""
    text_o = np.asarray(numbers_o, dtype=StringDType())
    text_n = np.asarray(numbers_n, dtype=StringDType())
    return (text_o != text_n) & (np.strings.lstrip(text_o, "0") == np.strings.lstrip(text_n, "0"))


def _beyond_doubt(ev: Bewijs, soort_o: np.ndarray, soort_n: np.ndarray) -> np.ndarray:
    """Per kept pair: same soort and same begindatum, and neither record has another candidate
    with that evidence. Decisive even when weaker candidates compete (swapped numbers)."""
    strong = ev.regels["begindatum_gelijk"] & (soort_o[ev.o] == soort_n[ev.n])
    per_old = np.bincount(ev.o[strong], minlength=len(soort_o))
    per_new = np.bincount(ev.n[strong], minlength=len(soort_n))
    return strong & (per_old[ev.o] == 1) & (per_new[ev.n] == 1)


def build_rows(
    oud: Voorzieningen,
    nieuw: Voorzieningen,
    kand: Kandidaten,
    ev: Bewijs,
    p: Paren,
    toewijzing: Toewijzing,
    periode_nieuw: Periode,
) -> pd.DataFrame:
    """The result frame (schema.COLUMNS) from the chosen pairs and the records left over."""
    old, new = oud.frame, nieuw.frame
    n_old = len(old)
    partner = np.full(n_old, -1, dtype=np.int64)
    status = np.full(n_old, "", dtype=object)
    kind = np.full(n_old, "", dtype=object)
    zekerheid = np.full(n_old, "", dtype=object)
    score = np.zeros(n_old, dtype=np.int64)
    reden = np.full(n_old, "", dtype=object)
    twijfel_oud = dict(toewijzing.twijfel_oud)

    g = toewijzing.gekozen
    go, gn = ev.o[g], ev.n[g]
    partner[go], score[go] = gn, ev.score[g]
    same_key = ev.regels[ZELFDE_SLEUTEL.naam][g]
    other_voorziening = same_key & ~p.soort_past[ev.positie[g]] & ~ev.regels["begindatum_gelijk"][g]
    undecided = toewijzing.twijfel_paar | other_voorziening
    unchanged = same_key & ~undecided
    status[go] = np.where(unchanged, Status.ONGEWIJZIGD, Status.GEKOPPELD)
    kind[go] = np.where(unchanged, "", _kind(ev, g))
    soort_o, soort_n = old["soort"].to_numpy(), new["soort"].to_numpy()
    zeros_only = _only_leading_zeros_differ(
        old["registratienummer"].to_numpy()[go], new["registratienummer"].to_numpy()[gn]
    )
    certain = (
        ev.beslissend[g]
        & (~toewijzing.concurrent | _beyond_doubt(ev, soort_o, soort_n)[g])
        & ~zeros_only
    )
    zekerheid[go] = np.where(
        unchanged,
        "",
        np.where(
            undecided,
            Zekerheid.TWIJFEL,
            np.where(certain, Zekerheid.ZEKER, Zekerheid.WAARSCHIJNLIJK),
        ),
    )
    paired = ~unchanged
    codes_o = tuple(
        old[name].to_numpy()[go]
        for name in ("gemeentecode", "berichtgevercode", "registratienummer")
    )
    codes_n = tuple(
        new[name].to_numpy()[gn]
        for name in ("gemeentecode", "berichtgevercode", "registratienummer")
    )
    # Rows that get a twijfel text below need no pair reason.
    index = np.flatnonzero(paired & ~np.isin(go, np.fromiter(toewijzing.twijfel_oud, np.int64)))
    p_chosen = _Rows(p, ev.positie[g])
    reden_paired = pair_reasons(ev.take(g), p_chosen, index, soort_o, soort_n, codes_o, codes_n)
    weaker = ~undecided[index] & toewijzing.concurrent[index]
    reden_paired[weaker] = reden_paired[weaker] + REDEN_CONCURRENT
    reden_paired[zeros_only[index]] = reden_paired[zeros_only[index]] + REDEN_VOORLOOPNULLEN
    reden[go[index]] = reden_paired
    reden[go[unchanged]] = REDEN_ONGEWIJZIGD
    for position in np.flatnonzero(other_voorziening):
        o, n = int(go[position]), int(gn[position])
        reden[o] = (
            f"Zelfde nummer, maar andere voorziening: soort {soort_o[o]} → {soort_n[n]}, "
            f"begindatum {days_to_nl(old['begindatum'].to_numpy()[[o]]).iat[0]} → "
            f"{days_to_nl(new['begindatum'].to_numpy()[[n]]).iat[0]}. "
            "Kijk zelf of dit dezelfde voorziening is"
        )
        twijfel_oud.setdefault(o, (n,))

    unpaired = status == ""
    ends = open_end(old)
    ended = unpaired & (ends < periode_nieuw.eerste_dag)
    status[ended] = Status.BEEINDIGD
    reden[ended] = (
        "Einddatum " + days_to_nl(ends[ended]).to_numpy() + " ligt vóór de nieuwe periode"
    )
    missing = unpaired & ~ended
    status[missing] = Status.ONTBREEKT
    reden[missing] = REDEN_ONTBREEKT

    old_numbers = old["registratienummer"].to_numpy()
    new_numbers = new["registratienummer"].to_numpy()
    for o, alternatives in toewijzing.twijfel_oud.items():
        zekerheid[o] = Zekerheid.TWIJFEL
        names = ", ".join(new_numbers[list(alternatives)])
        reden[o] = f"Twijfel: past even goed bij {names}. Kies zelf de juiste nieuwe voorziening"
    conflicts = kand.conflicten
    for o, n in zip(conflicts["o"].to_numpy(), conflicts["n"].to_numpy(), strict=True):
        reden[o] += (
            f". LET OP: nummer {old_numbers[o]} is in de nieuwe export (regel {int(new['regel'].iat[n])}) "
            "gebruikt voor een andere persoon"
        )

    old_rows = pd.DataFrame(
        {
            schema.STATUS: status,
            schema.SOORT_KOPPELING: kind,
            schema.ZEKERHEID: zekerheid,
            schema.SCORE: score,
            schema.REDEN: reden,
            schema.OUD_INDEX: np.arange(n_old),
            schema.NIEUW_INDEX: partner,
        }
    )

    used_new = np.zeros(len(new), dtype=bool)
    used_new[partner[partner >= 0]] = True
    lonely = np.flatnonzero(~used_new)
    new_reason = np.full(len(lonely), REDEN_NIEUW, dtype=object)
    new_zekerheid = np.full(len(lonely), "", dtype=object)
    lonely_position: dict[int, int] = {int(n): i for i, n in enumerate(lonely)}
    for n, olds in toewijzing.twijfel_nieuw.items():
        if n in lonely_position:
            new_zekerheid[lonely_position[n]] = Zekerheid.TWIJFEL
            new_reason[lonely_position[n]] = (
                f"Twijfel: kan horen bij {', '.join(old_numbers[list(olds)])}. Kies zelf"
            )
    for o, n in zip(conflicts["o"].to_numpy(), conflicts["n"].to_numpy(), strict=True):
        if int(n) in lonely_position:
            new_reason[lonely_position[int(n)]] += (
                f". LET OP: nummer {new_numbers[n]} hoorde in de oude export (regel "
                f"{int(old['regel'].iat[o])}) bij een andere persoon"
            )
    new_rows = pd.DataFrame(
        {
            schema.STATUS: Status.NIEUW,
            schema.SOORT_KOPPELING: "",
            schema.ZEKERHEID: new_zekerheid,
            schema.SCORE: 0,
            schema.REDEN: new_reason,
            schema.OUD_INDEX: -1,
            schema.NIEUW_INDEX: lonely,
        }
    )
    rows = pd.concat([old_rows, new_rows], ignore_index=True)
    rows = _attach_record_columns(rows, old, new)
    choices: list[tuple[int, ...]] = [()] * len(rows)
    for o, alts in twijfel_oud.items():
        choices[o] = alts
    rows[schema.ALTERNATIEVEN] = pd.Series(choices, dtype=object)
    invalid = [_invalid_rows(oud.ongeldig, "oud"), _invalid_rows(nieuw.ongeldig, "nieuw")]
    invalid = [part for part in invalid if len(part)]
    if invalid:
        rows = pd.concat([rows, *invalid], ignore_index=True)
    return schema.conform(rows)


class _Rows(Paren):
    """The attributes of `paren` at `index`, each taken only when first read (a Paren to the
    code that reads it, without copying every array up front)."""

    def __init__(self, paren: Paren, index: np.ndarray):
        object.__setattr__(self, "_paren", paren)
        object.__setattr__(self, "_index", index)

    def __getattr__(self, name: str) -> np.ndarray:
        value = getattr(self._paren, name)
        if isinstance(value, np.ndarray):
            value = value[self._index]
        object.__setattr__(self, name, value)
        return value


def _attach_record_columns(
    rows: pd.DataFrame, old: pd.DataFrame, new: pd.DataFrame
) -> pd.DataFrame:
    """Keys, row numbers, soort, dates and BSN of both sides (empty where there is no record)."""
    for side, frame, index in (
        ("oud", old, rows[schema.OUD_INDEX].to_numpy()),
        ("nieuw", new, rows[schema.NIEUW_INDEX].to_numpy()),
    ):
        present = index >= 0
        safe = np.where(present, index, 0)
        for name in [*schema.KEY, "soort", "omschrijving"]:
            values = (
                frame[name].to_numpy()[safe]
                if len(frame)
                else np.full(len(index), "", dtype=object)
            )
            rows[f"{side}_{name}"] = np.where(present, values, "")
        regel = (
            frame["regel"].to_numpy()[safe] if len(frame) else np.zeros(len(index), dtype=np.int64)
        )
        rows[f"{side}_regel"] = np.where(present, regel, 0)
        for name in ("begindatum", "einddatum"):
            days = frame[name].to_numpy()[safe] if len(frame) else np.full(len(index), OPEN)
            rows[f"{side}_{name}"] = np.where(present, days_to_nl(days).to_numpy(), "")
        bsn = frame["bsn"].to_numpy()[safe] if len(frame) else np.full(len(index), "", dtype=object)
        rows[f"{side}_bsn"] = np.where(present, bsn, "")
    rows[schema.BSN] = np.where(rows["oud_bsn"] != "", rows["oud_bsn"], rows["nieuw_bsn"])
    return rows.drop(columns=["oud_bsn", "nieuw_bsn"])


def _invalid_rows(ongeldig: pd.DataFrame, side: str) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            schema.STATUS: Status.ONGELDIG,
            schema.SOORT_KOPPELING: "",
            schema.ZEKERHEID: "",
            schema.SCORE: 0,
            schema.REDEN: ongeldig["reden"].to_numpy(),
            schema.OUD_INDEX: -1,
            schema.NIEUW_INDEX: -1,
        },
        index=range(len(ongeldig)),
    )
    other = "nieuw" if side == "oud" else "oud"
    for k in schema.KEY:
        rows[f"{side}_{k}"] = ongeldig[k].to_numpy()
        rows[f"{other}_{k}"] = ""
    rows[f"{side}_regel"] = ongeldig["regel"].to_numpy()
    rows[f"{other}_regel"] = 0
    for name in schema.RECORD_TEXT:
        rows[f"oud_{name}"] = ""
        rows[f"nieuw_{name}"] = ""
    rows[schema.BSN] = ""
    rows[schema.ALTERNATIEVEN] = pd.Series([()] * len(rows), dtype=object)
    return rows
