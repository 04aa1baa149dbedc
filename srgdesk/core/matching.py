"""Pair old and new voorzieningen: candidates → evidence → one-to-one assignment → zekerheid + reden.

Rules (issue 3): same key + same BSN is `ongewijzigd`; same key + other BSN is a loud conflict,
never a pair. Candidates share a BSN and a compatible soort. Evidence, strongest first: same
registratienummer under a changed gemeente/berichtgevercode (codewijziging), equal begindatum
(conversie), new begindatum = old einddatum + 1 (voortzetting), a reset begindatum on the
conversion date (conversie, weaker); equal einddatum, loonwaarde and omschrijving only support.
Within a BSN the assignment with the most evidence wins; where another is exactly as good, the
records whose partner differs are `twijfel` and a person decides.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from srgdesk.core.cleaning import Voorzieningen
from srgdesk.core.codes import CodeTabel, learn_codes
from srgdesk.core.progress import Voortgang
from srgdesk.core.values import OPEN, days_to_nl, days_to_text
from srgdesk.core.verslagmaand import Periode, determine_period

# Statuses, kinds and zekerheid as they appear in matches.csv.
GEKOPPELD, ONGEWIJZIGD, BEEINDIGD, ONTBREEKT, NIEUW, ONGELDIG = (
    "gekoppeld",
    "ongewijzigd",
    "beeindigd",
    "ontbreekt",
    "nieuw",
    "ongeldig",
)
CONVERSIE, VOORTZETTING, CODEWIJZIGING = "conversie", "voortzetting", "codewijziging"
ZEKER, WAARSCHIJNLIJK, TWIJFEL = "zeker", "waarschijnlijk", "twijfel"

# Evidence weights: primary evidence decides, supporting evidence only tells candidates apart.
W_CODEWIJZIGING = 100
W_BEGIN = 50
W_VOORTZETTING = 50
W_RESET = 20
W_EINDE = 4
W_LOONWAARDE = 2
W_OMSCHRIJVING = 1
STRONG_MINIMUM = W_BEGIN  # a pair with at least this much primary evidence is strong

MAX_EXACT_GROUP = 8  # records per side beyond which a BSN group is not solved exhaustively
CONVERSION_MIN_COUNT = 10
CONVERSION_MIN_SHARE = 0.02

KEY = ["gemeentecode", "berichtgevercode", "registratienummer"]
KEY_COLUMNS = [f"{side}_{k}" for side in ("oud", "nieuw") for k in KEY]
MATCH_COLUMNS = [
    "status",
    "soort_koppeling",
    "zekerheid",
    "score",
    "reden",
    *KEY_COLUMNS,
    "oud_regel",
    "nieuw_regel",
]


@dataclass(frozen=True)
class MatchOpties:
    """What the user may set: the verslagmaanden (JJJJMM) and their own soort mapping."""

    verslagmaand_oud: str | None = None
    verslagmaand_nieuw: str | None = None
    codes: dict[str, str] | None = None


@dataclass
class MatchResultaat:
    """Everything matching decided, one row per record in `regels` (see MATCH_COLUMNS + extras)."""

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
        r = self.regels
        gekoppeld = r[r["status"] == GEKOPPELD]
        lines = [
            f"Oude export: {self.oud.totaal_regels} regels ({self.oud.bestand}), "
            f"verslagmaand {self.periode_oud.tekst()}.",
            f"Nieuwe export: {self.nieuw.totaal_regels} regels ({self.nieuw.bestand}), "
            f"verslagmaand {self.periode_nieuw.tekst()}.",
            f"Gekoppeld: {len(gekoppeld)} — zeker {int((gekoppeld['zekerheid'] == ZEKER).sum())}, "
            f"waarschijnlijk {int((gekoppeld['zekerheid'] == WAARSCHIJNLIJK).sum())}, "
            f"twijfel {int((gekoppeld['zekerheid'] == TWIJFEL).sum())}.",
        ]
        for status, words in [
            (ONGEWIJZIGD, "ongewijzigd (zelfde sleutel, niets te melden)"),
            (BEEINDIGD, "beëindigd vóór de nieuwe periode"),
            (ONTBREEKT, "ONTBREEKT: loopt nog maar staat niet in de nieuwe export"),
            (NIEUW, "nieuw (geen voorganger)"),
            (ONGELDIG, "ongeldig (regel onbruikbaar)"),
        ]:
            lines.append(f"{words.capitalize()}: {int((r['status'] == status).sum())}.")
        twijfel = int((r["zekerheid"] == TWIJFEL).sum())
        if twijfel:
            lines.append(
                f"Te beoordelen: {twijfel} regel(s) met twijfel; kies zelf de juiste koppeling."
            )
        if self.conflicten:
            lines.append(
                f"WAARSCHUWING: {self.conflicten} registratienummer(s) zijn in de nieuwe export gebruikt "
                "voor een andere persoon. Deze zijn niet gekoppeld; controleer ze."
            )
        lines.extend(self._gemeentecode_lines())
        if self.conversiedatums:
            lines.append(f"Conversiedatum herkend: {', '.join(self.conversiedatums)}.")
        if not self.codes.zelfde_codes:
            lines.append(
                f"Soorten voorziening omgezet met {len(self.codes.koppelingen)} codekoppeling(en)."
            )
        return lines

    def _gemeentecode_lines(self) -> list[str]:
        """A changed gemeentecode in a pair is checked against the herindelingen since 2019."""
        from srgdesk.core import gemeenten

        r = self.regels
        changed = r[(r["status"] == GEKOPPELD) & (r["oud_gemeentecode"] != r["nieuw_gemeentecode"])]
        lines = []
        counts = changed.groupby(["oud_gemeentecode", "nieuw_gemeentecode"]).size()
        for (oud, nieuw), count in counts.items():
            merger = [h for h in gemeenten.opgegaan_in(oud) if h.nieuwe_code == nieuw]
            if merger:
                h = merger[0]
                lines.append(
                    f"Gemeentecode {oud} → {nieuw} bij {count} koppeling(en): herindeling van "
                    f"{h.datum:%d-%m-%Y} ({h.oude_naam} → {h.nieuwe_naam})."
                )
            else:
                lines.append(
                    f"WAARSCHUWING: gemeentecode {oud} → {nieuw} bij {count} koppeling(en) is geen "
                    "herindeling die srgdesk kent. Controleer of u de juiste exports hebt gekozen."
                )
        return lines


def detect_conversion_dates(begin: np.ndarray) -> np.ndarray:
    """Dates shared by an unusually large share of new records: the day the new package took over."""
    if len(begin) == 0:
        return np.array([], dtype=np.int32)
    values, counts = np.unique(begin, return_counts=True)
    large = counts >= max(CONVERSION_MIN_COUNT, CONVERSION_MIN_SHARE * len(begin))
    others = counts[~large]
    typical = max(1.0, float(np.median(others))) if len(others) else 1.0
    return values[large & (counts >= 10 * typical)]


@dataclass
class _KeyStage:
    """Rule 2 and 3: unchanged keys, key conflicts, and the same-BSN candidates left over."""

    unchanged: pd.DataFrame  # o, n
    conflicts: pd.DataFrame  # o, n: same key, another person
    taken_new: np.ndarray
    candidates: pd.DataFrame  # o, n


def _key_stage(old: pd.DataFrame, new: pd.DataFrame) -> _KeyStage:
    same_key = _same_key_pairs(old, new)
    unchanged = same_key[same_key["same_bsn"]]
    taken_old = np.zeros(len(old), dtype=bool)
    taken_new = np.zeros(len(new), dtype=bool)
    taken_old[unchanged["o"].to_numpy()] = True
    taken_new[unchanged["n"].to_numpy()] = True
    candidates = _candidates(old, new, taken_old, taken_new)
    return _KeyStage(unchanged, same_key[~same_key["same_bsn"]], taken_new, candidates)


def propose_codes(oud: Voorzieningen, nieuw: Voorzieningen) -> CodeTabel:
    """The soort mapping `match` would learn, for the user to check before matching runs."""
    return learn_codes(oud.frame, nieuw.frame, _key_stage(oud.frame, nieuw.frame).candidates)


def match(
    oud: Voorzieningen,
    nieuw: Voorzieningen,
    opties: MatchOpties | None = None,
    voortgang: Voortgang | None = None,
) -> MatchResultaat:
    """Pair the voorzieningen of two exports; see the module docstring for the rules."""
    opties = opties or MatchOpties()
    voortgang = voortgang or Voortgang()
    old, new = oud.frame, nieuw.frame
    periode_oud = determine_period(old, opties.verslagmaand_oud, "oude")
    periode_nieuw = determine_period(new, opties.verslagmaand_nieuw, "nieuwe")
    voortgang.report(0.05, "Zelfde registratienummers zoeken")

    stage = _key_stage(old, new)
    unchanged, conflicts = stage.unchanged, stage.conflicts

    voortgang.report(0.15, "Soorten voorziening vergelijken")
    codes = learn_codes(old, new, stage.candidates).with_overrides(opties.codes or {})
    voortgang.report(0.3, "Bewijs per kandidaat wegen")
    conversion_dates = detect_conversion_dates(new["begindatum"].to_numpy()[~stage.taken_new])
    edges = _evidence(old, new, stage.candidates, codes, conversion_dates)

    voortgang.report(0.5, "Eén-op-één toewijzen")
    assignment = _assign(edges, voortgang)

    voortgang.report(0.8, "Uitkomst samenstellen")
    regels = _build_rows(oud, nieuw, unchanged, conflicts, edges, assignment, codes, periode_nieuw)
    voortgang.report(1.0, "Klaar")
    return MatchResultaat(
        regels=regels,
        oud=oud,
        nieuw=nieuw,
        codes=codes,
        periode_oud=periode_oud,
        periode_nieuw=periode_nieuw,
        conversiedatums=[days_to_text(int(d)) for d in conversion_dates],
        conflicten=len(conflicts),
    )


# --- steps -----------------------------------------------------------------------------------


def _joint_codes(
    left: pd.DataFrame, right: pd.DataFrame, columns: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes for the value combinations of `columns`, shared by both frames (fast joins)."""
    both = pd.concat([left[columns], right[columns]], ignore_index=True)
    if len(columns) == 1:
        codes, _ = pd.factorize(both[columns[0]], sort=False)
    else:
        codes = both.groupby(columns, sort=False).ngroup().to_numpy()
    return codes[: len(left)], codes[len(left) :]


def _same_key_pairs(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    key_o, key_n = _joint_codes(old, new, KEY)
    left = pd.DataFrame({"key": key_o, "bsn_o": old["bsn"].to_numpy(), "o": np.arange(len(old))})
    right = pd.DataFrame({"key": key_n, "bsn_n": new["bsn"].to_numpy(), "n": np.arange(len(new))})
    merged = left.merge(right, on="key")
    merged["same_bsn"] = merged["bsn_o"] == merged["bsn_n"]
    return merged[["o", "n", "same_bsn"]]


def _candidates(
    old: pd.DataFrame, new: pd.DataFrame, taken_old: np.ndarray, taken_new: np.ndarray
) -> pd.DataFrame:
    bsn_o, bsn_n = _joint_codes(old, new, ["bsn"])
    left = pd.DataFrame({"bsn": bsn_o[~taken_old], "o": np.flatnonzero(~taken_old)})
    right = pd.DataFrame({"bsn": bsn_n[~taken_new], "n": np.flatnonzero(~taken_new)})
    return left.merge(right, on="bsn")[["o", "n"]]


def _normalised_text(frame: pd.DataFrame) -> np.ndarray:
    """Omschrijving lower case, letters and digits only, computed once per distinct text."""
    codes, uniques = pd.factorize(frame["omschrijving"], sort=False)
    plain = pd.Series(uniques, dtype=object).str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
    return plain.to_numpy()[codes] if len(codes) else np.array([], dtype=object)


def _evidence(
    old: pd.DataFrame,
    new: pd.DataFrame,
    candidates: pd.DataFrame,
    codes: CodeTabel,
    conversion_dates: np.ndarray,
) -> pd.DataFrame:
    """Score every candidate pair; keep those with primary evidence and a compatible soort."""
    o, n = candidates["o"].to_numpy(), candidates["n"].to_numpy()
    mapped = old["soort"].map(codes.as_dict()).fillna(old["soort"]).to_numpy()
    compatible = mapped[o] == new["soort"].to_numpy()[n]
    o, n = o[compatible], n[compatible]

    def col(frame: pd.DataFrame, name: str, index: np.ndarray) -> np.ndarray:
        return frame[name].to_numpy()[index]

    ob, oe = col(old, "begindatum", o).astype(np.int64), col(old, "einddatum", o).astype(np.int64)
    nb, ne = col(new, "begindatum", n).astype(np.int64), col(new, "einddatum", n).astype(np.int64)
    same_number = col(old, "registratienummer", o) == col(new, "registratienummer", n)
    other_codes = (col(old, "gemeentecode", o) != col(new, "gemeentecode", n)) | (
        col(old, "berichtgevercode", o) != col(new, "berichtgevercode", n)
    )
    codewijziging = same_number & other_codes
    equal_begin = ob == nb
    voortzetting = (oe != OPEN) & (nb == oe + 1)
    still_running = (oe == OPEN) | (oe >= nb)
    reset = np.isin(nb, conversion_dates) & (nb > ob) & still_running & ~equal_begin
    primary = (
        W_CODEWIJZIGING * codewijziging
        + W_BEGIN * equal_begin
        + W_VOORTZETTING * voortzetting
        + W_RESET * reset
    )
    equal_end = oe == ne
    lw_o, lw_n = col(old, "loonwaarde", o), col(new, "loonwaarde", n)
    equal_loonwaarde = (lw_o != "") & (lw_o == lw_n)
    om_o, om_n = _normalised_text(old)[o], _normalised_text(new)[n]
    similar_text = (om_o != "") & (om_o == om_n)
    support = W_EINDE * equal_end + W_LOONWAARDE * equal_loonwaarde + W_OMSCHRIJVING * similar_text
    keep = primary > 0
    edges = pd.DataFrame(
        {
            "o": o[keep],
            "n": n[keep],
            "bsn": col(old, "bsn", o)[keep],
            "primary": primary[keep],
            "score": (primary + support)[keep],
            "codewijziging": codewijziging[keep],
            "begin": equal_begin[keep],
            "voortzetting": voortzetting[keep],
            "reset": reset[keep],
            "einde": equal_end[keep],
            "loonwaarde": equal_loonwaarde[keep],
            "omschrijving": similar_text[keep],
        }
    )
    return edges.reset_index(drop=True)


@dataclass
class Assignment:
    """Chosen pairs and, for tied groups, the records whose partner is not determined."""

    pairs: pd.DataFrame  # o, n, edge (index into edges), twijfel (bool), competitor (bool)
    twijfel_old: dict[int, tuple[int, ...]]  # old index -> alternative new indices
    twijfel_new: dict[int, tuple[int, ...]]  # new index -> alternative old indices


def _assign(edges: pd.DataFrame, voortgang: Voortgang) -> Assignment:
    """One-to-one within each BSN, maximising total evidence; ties become twijfel."""
    deg_o = (
        edges.groupby("o")["n"].transform("size").to_numpy() if len(edges) else np.array([], int)
    )
    deg_n = (
        edges.groupby("n")["o"].transform("size").to_numpy() if len(edges) else np.array([], int)
    )
    simple = (deg_o == 1) & (deg_n == 1)
    chosen = [
        pd.DataFrame(
            {
                "o": edges["o"][simple],
                "n": edges["n"][simple],
                "edge": np.flatnonzero(simple),
                "twijfel": False,
                "competitor": False,
            }
        )
    ]
    twijfel_old: dict[int, tuple[int, ...]] = {}
    twijfel_new: dict[int, tuple[int, ...]] = {}
    complex_index = np.flatnonzero(~simple)
    bsn = edges["bsn"].to_numpy()[complex_index]
    order = np.argsort(bsn, kind="stable")
    columns = [edges[c].to_numpy()[complex_index][order].tolist() for c in ("o", "n", "score")]
    edge_ids = complex_index[order].tolist()
    sorted_bsn = bsn[order]
    cuts = [0, *(np.flatnonzero(sorted_bsn[1:] != sorted_bsn[:-1]) + 1).tolist(), len(order)]
    rows: list[tuple[int, int, int, bool, bool]] = []
    for done, (start, stop) in enumerate(itertools.pairwise(cuts)):
        if start == stop:
            continue
        if done % 2000 == 0:
            voortgang.report(0.5 + 0.3 * done / max(1, len(cuts)), "Eén-op-één toewijzen")
        group = list(
            zip(
                columns[0][start:stop],
                columns[1][start:stop],
                columns[2][start:stop],
                edge_ids[start:stop],
                strict=True,
            )
        )
        rows.extend(_solve_group(group, twijfel_old, twijfel_new))
    if rows:
        chosen.append(pd.DataFrame(rows, columns=["o", "n", "edge", "twijfel", "competitor"]))
    pairs = pd.concat(chosen, ignore_index=True)
    return Assignment(pairs, twijfel_old, twijfel_new)


def _solve_group(
    group: list[tuple[int, int, int, int]], twijfel_old: dict, twijfel_new: dict
) -> list[tuple[int, int, int, bool, bool]]:
    """All maximum-evidence one-to-one assignments of one BSN group; report fixed and tied records.

    `group` holds (old index, new index, score, edge id) for every candidate pair of one BSN."""
    score = {(o, n): (sc, e) for o, n, sc, e in group}
    olds = sorted({o for o, _, _, _ in group})
    news = sorted({n for _, n, _, _ in group})
    options = {o: [n for n in news if (o, n) in score] for o in olds}
    if len(olds) > MAX_EXACT_GROUP or len(news) > MAX_EXACT_GROUP:
        optimal = [_greedy(olds, options, score)]
        ties_everywhere = True
    else:
        optimal = _all_optimal(olds, options, score)
        ties_everywhere = False
    partners_old = {o: {assignment.get(o) for assignment in optimal} for o in olds}
    reverse = [{n: o for o, n in assignment.items()} for assignment in optimal]
    partners_new = {n: {r.get(n) for r in reverse} for n in news}
    proposal = optimal[0]
    rows = []
    for o in olds:
        undecided = len(partners_old[o]) > 1 or ties_everywhere
        if undecided:
            twijfel_old[o] = tuple(sorted(n for n in options[o]))
        n = proposal.get(o)
        if n is None:
            continue
        edge = score[(o, n)][1]
        competitor = len(options[o]) > 1 or any(n in options[other] for other in olds if other != o)
        rows.append((o, n, edge, undecided or len(partners_new[n]) > 1, competitor))
    for n in news:
        if len(partners_new[n]) > 1 or ties_everywhere:
            twijfel_new[n] = tuple(sorted(o for o in olds if n in options[o]))
    return rows


def _all_optimal(
    olds: list[int], options: dict[int, list[int]], score: dict
) -> list[dict[int, int]]:
    best_total = -1
    best: list[dict[int, int]] = []
    for choice in itertools.product(*[[None, *options[o]] for o in olds]):
        used = [n for n in choice if n is not None]
        if len(used) != len(set(used)):
            continue
        total = sum(score[(o, n)][0] for o, n in zip(olds, choice, strict=True) if n is not None)
        if total > best_total:
            best_total, best = total, []
        if total == best_total:
            best.append({o: n for o, n in zip(olds, choice, strict=True) if n is not None})
    return best


def _greedy(olds: list[int], options: dict[int, list[int]], score: dict) -> dict[int, int]:
    ranked = sorted(((score[(o, n)][0], o, n) for o in olds for n in options[o]), reverse=True)
    assignment: dict[int, int] = {}
    used: set[int] = set()
    for _, o, n in ranked:
        if o not in assignment and n not in used:
            assignment[o] = n
            used.add(n)
    return assignment


# --- the rows of matches.csv -----------------------------------------------------------------


def _build_rows(
    oud: Voorzieningen,
    nieuw: Voorzieningen,
    unchanged: pd.DataFrame,
    conflicts: pd.DataFrame,
    edges: pd.DataFrame,
    assignment: Assignment,
    codes: CodeTabel,
    periode_nieuw: Periode,
) -> pd.DataFrame:
    old, new = oud.frame, nieuw.frame
    n_old = len(old)
    partner = np.full(n_old, -1, dtype=np.int64)
    status = np.full(n_old, "", dtype=object)
    kind = np.full(n_old, "", dtype=object)
    zekerheid = np.full(n_old, "", dtype=object)
    score = np.zeros(n_old, dtype=np.int64)
    reden = np.full(n_old, "", dtype=object)

    u_o, u_n = unchanged["o"].to_numpy(), unchanged["n"].to_numpy()
    partner[u_o], status[u_o] = u_n, ONGEWIJZIGD
    reden[u_o] = "Zelfde sleutel en zelfde BSN: niets te melden"

    pairs = assignment.pairs
    p_o, p_n, p_e = pairs["o"].to_numpy(), pairs["n"].to_numpy(), pairs["edge"].to_numpy()
    e = edges.iloc[p_e].reset_index(drop=True)
    partner[p_o], status[p_o], score[p_o] = p_n, GEKOPPELD, e["score"].to_numpy()
    kind[p_o] = np.select(
        [e["codewijziging"], e["begin"], e["voortzetting"]],
        [CODEWIJZIGING, CONVERSIE, VOORTZETTING],
        CONVERSIE,
    )
    strong = e["primary"].to_numpy() >= STRONG_MINIMUM
    competitor = pairs["competitor"].to_numpy()
    zekerheid[p_o] = np.where(
        pairs["twijfel"].to_numpy(), TWIJFEL, np.where(strong & ~competitor, ZEKER, WAARSCHIJNLIJK)
    )
    reden[p_o] = _pair_reasons(old, new, e, codes)
    weaker = ~pairs["twijfel"].to_numpy() & competitor
    reden[p_o[weaker]] = reden[p_o[weaker]] + "; er is een andere, minder passende kandidaat"

    unpaired = status == ""
    ends = old["einddatum"].to_numpy()
    ended = unpaired & (ends < periode_nieuw.eerste_dag)
    status[ended] = BEEINDIGD
    reden[ended] = (
        "Einddatum " + days_to_nl(ends[ended]).to_numpy() + " ligt vóór de nieuwe periode"
    )
    missing = unpaired & ~ended
    status[missing] = ONTBREEKT
    reden[missing] = (
        "Loopt nog maar staat niet in de nieuwe export: CBS raakt deze voorziening kwijt. Controleer de nieuwe export"
    )

    old_numbers = old["registratienummer"].to_numpy()
    new_numbers = new["registratienummer"].to_numpy()
    for o, alternatives in assignment.twijfel_old.items():
        zekerheid[o] = TWIJFEL
        names = ", ".join(new_numbers[list(alternatives)])
        reden[o] = f"Twijfel: past even goed bij {names}. Kies zelf de juiste nieuwe voorziening"
    for o, n in zip(conflicts["o"].to_numpy(), conflicts["n"].to_numpy(), strict=True):
        reden[o] += (
            f". LET OP: nummer {old_numbers[o]} is in de nieuwe export (regel {int(new['regel'].iat[n])}) "
            "gebruikt voor een andere persoon"
        )

    old_rows = pd.DataFrame(
        {
            "status": status,
            "soort_koppeling": kind,
            "zekerheid": zekerheid,
            "score": score,
            "reden": reden,
            "oud_index": np.arange(n_old),
            "nieuw_index": partner,
        }
    )

    used_new = np.zeros(len(new), dtype=bool)
    used_new[partner[partner >= 0]] = True
    lonely = np.flatnonzero(~used_new)
    new_reason = np.full(len(lonely), "Geen voorganger in de oude export", dtype=object)
    new_zekerheid = np.full(len(lonely), "", dtype=object)
    position = {n: i for i, n in enumerate(lonely)}
    for n, olds in assignment.twijfel_new.items():
        if n in position:
            new_zekerheid[position[n]] = TWIJFEL
            new_reason[position[n]] = (
                f"Twijfel: kan horen bij {', '.join(old_numbers[list(olds)])}. Kies zelf"
            )
    for o, n in zip(conflicts["o"].to_numpy(), conflicts["n"].to_numpy(), strict=True):
        if n in position:
            new_reason[position[n]] += (
                f". LET OP: nummer {new_numbers[n]} hoorde in de oude export (regel "
                f"{int(old['regel'].iat[o])}) bij een andere persoon"
            )
    new_rows = pd.DataFrame(
        {
            "status": NIEUW,
            "soort_koppeling": "",
            "zekerheid": new_zekerheid,
            "score": 0,
            "reden": new_reason,
            "oud_index": -1,
            "nieuw_index": lonely,
        }
    )
    rows = pd.concat([old_rows, new_rows], ignore_index=True)
    rows = _attach_record_columns(rows, old, new)
    alternatives = pd.Series([()] * len(rows), dtype=object)
    for o, alts in assignment.twijfel_old.items():
        alternatives.iat[o] = alts
    rows["alternatieven"] = alternatives
    invalid = [_invalid_rows(oud.ongeldig, "oud"), _invalid_rows(nieuw.ongeldig, "nieuw")]
    return pd.concat([rows, *invalid], ignore_index=True)


def _pair_reasons(
    old: pd.DataFrame, new: pd.DataFrame, e: pd.DataFrame, codes: CodeTabel
) -> np.ndarray:
    """'Zelfde BSN en soort; begindatum gelijk (01-03-2022)' for each chosen pair."""
    o, n = e["o"].to_numpy(), e["n"].to_numpy()
    columns = zip(
        old["soort"].to_numpy()[o],
        new["soort"].to_numpy()[n],
        old["gemeentecode"].to_numpy()[o],
        new["gemeentecode"].to_numpy()[n],
        old["berichtgevercode"].to_numpy()[o],
        new["berichtgevercode"].to_numpy()[n],
        days_to_nl(old["begindatum"].to_numpy()[o]),
        days_to_nl(old["einddatum"].to_numpy()[o]),
        days_to_nl(new["begindatum"].to_numpy()[n]),
        e["codewijziging"],
        e["begin"],
        e["voortzetting"],
        e["reset"],
        e["einde"],
        e["loonwaarde"],
        strict=True,
    )
    reasons = []
    for (
        so,
        sn,
        go,
        gn,
        bo,
        bn,
        ob,
        oe,
        nb,
        cw,
        begin,
        voortzetting,
        reset,
        einde,
        loonwaarde,
    ) in columns:
        parts = [
            "Zelfde BSN en soort" if so == sn else f"Zelfde BSN; soort {so} → {sn} (codetabel)"
        ]
        if cw:
            parts.append("zelfde registratienummer")
            if go != gn:
                parts.append(f"gemeentecode {go} → {gn}")
            if bo != bn:
                parts.append(f"berichtgevercode {bo} → {bn}")
        if begin:
            parts.append(f"begindatum gelijk ({ob})")
        if voortzetting:
            parts.append(f"nieuwe begindatum {nb} is de dag na de oude einddatum {oe}")
        if reset:
            parts.append(f"loopt door en de nieuwe begindatum is de conversiedatum ({nb})")
        if einde:
            parts.append("beide zonder einddatum" if not oe else "einddatum gelijk")
        if loonwaarde:
            parts.append("loonwaarde gelijk")
        reasons.append("; ".join(parts))
    return np.array(reasons, dtype=object)


def _attach_record_columns(
    rows: pd.DataFrame, old: pd.DataFrame, new: pd.DataFrame
) -> pd.DataFrame:
    """Keys, row numbers, soort, dates and BSN of both sides (empty where there is no record)."""
    for side, frame, index in (
        ("oud", old, rows["oud_index"].to_numpy()),
        ("nieuw", new, rows["nieuw_index"].to_numpy()),
    ):
        present = index >= 0
        safe = np.where(present, index, 0)
        for name in [*KEY, "soort", "omschrijving"]:
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
    rows["bsn"] = np.where(rows["oud_bsn"] != "", rows["oud_bsn"], rows["nieuw_bsn"])
    return rows.drop(columns=["oud_bsn", "nieuw_bsn"])


def _invalid_rows(ongeldig: pd.DataFrame, side: str) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "status": ONGELDIG,
            "soort_koppeling": "",
            "zekerheid": "",
            "score": 0,
            "reden": ongeldig["reden"].to_numpy(),
            "oud_index": -1,
            "nieuw_index": -1,
        },
        index=range(len(ongeldig)),
    )
    other = "nieuw" if side == "oud" else "oud"
    for k in KEY:
        rows[f"{side}_{k}"] = ongeldig[k].to_numpy()
        rows[f"{other}_{k}"] = ""
    rows[f"{side}_regel"] = ongeldig["regel"].to_numpy()
    rows[f"{other}_regel"] = 0
    for name in ("soort", "omschrijving", "begindatum", "einddatum"):
        rows[f"oud_{name}"] = ""
        rows[f"nieuw_{name}"] = ""
    rows["bsn"] = ""
    rows["alternatieven"] = pd.Series([()] * len(rows), dtype=object)
    return rows
