"""The rules of matching: one object per rule, each with its name, role, weight, test and reason.

A rule looks at every candidate pair at once (numpy arrays in `Paren`) and says for which pairs
it holds. Its role says what that means:

- beslissend (decisive): enough to pair on its own, and the pair may be `zeker`;
- aanwijzend (indicative): enough to pair, but never `zeker` (fuzzy dates, reset dates);
- ondersteunend (supporting): only tells otherwise equal candidates apart;
- uitsluitend (excluding): the pair is no candidate at all.

The weights add up to the score of a pair; the one-to-one assignment maximises the total score
per person. The reason text is a template: `{begin_oud}` and the like are filled per pair. The
README table "Regels voor het koppelen" is generated from `RULES` (see `readme_table`).
Adding a rule = one `Regel` in `RULES` plus its tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import numpy as np

from srgdesk.core.values import OPEN
from srgdesk.core.vocabulary import SoortKoppeling


@dataclass(frozen=True)
class Toleranties:
    """How fuzzy dates may be, in days; one place, sensible defaults."""

    max_onderbreking: int = 7  # restart up to this many days after the end (weekend, holiday)
    max_overlap: int = 7  # old one closed up to this many days after the restart
    max_verschuiving_begin: int = 31  # begindatum taken from the beschikking, a month off at most


class Rol(StrEnum):
    """What a rule that holds means for a pair."""

    BESLISSEND = "beslissend"
    AANWIJZEND = "aanwijzend"
    ONDERSTEUNEND = "ondersteunend"
    UITSLUITEND = "uitsluitend"


@dataclass(frozen=True)
class Paren:
    """Attributes of every candidate pair (old record o[i], new record n[i]) as aligned arrays."""

    begin_oud: np.ndarray  # int64 days
    einde_oud: np.ndarray  # int64 days, OPEN when it runs on
    begin_nieuw: np.ndarray
    einde_nieuw: np.ndarray
    zelfde_nummer: np.ndarray  # bool: the very same registratienummer
    zelfde_kern: np.ndarray  # bool: same number without decoration and leading zeros
    met_achtervoegsel: np.ndarray  # bool: new number = old number, separator, suffix ('123-01')
    alleen_voorloopnullen: np.ndarray  # bool: only leading zeros differ ('1001', '0001001')
    zelfde_sleutel: np.ndarray  # bool: gemeentecode, berichtgevercode and registratienummer
    andere_codes: np.ndarray  # bool: gemeentecode or berichtgevercode differs
    soort_past: np.ndarray  # bool: (old soort, new soort) is in the code relation
    zelfde_soort: np.ndarray  # bool: the very same soort code on both sides
    op_conversiedatum: np.ndarray  # bool: the new begindatum is a detected conversion date
    loonwaarde_oud: np.ndarray  # integer code shared by both sides, -1 when empty
    loonwaarde_nieuw: np.ndarray
    omschrijving_oud: np.ndarray  # integer code of the normalised omschrijving, -1 when empty
    omschrijving_nieuw: np.ndarray
    toleranties: Toleranties

    def __len__(self) -> int:
        return len(self.begin_oud)

    @cached_property
    def gap(self) -> np.ndarray:
        """Days between the old end and the new begin (1 = the next day); huge when open.
        Several rules read it: computed once."""
        return np.where(self.einde_oud == OPEN, 1 << 40, self.begin_nieuw - self.einde_oud)


@dataclass(frozen=True)
class Regel:
    """One rule: `test` returns a bool array over the pairs; `reden` is the Dutch reason text."""

    naam: str
    rol: Rol
    gewicht: int
    test: Callable[[Paren], np.ndarray]
    reden: str
    soort_koppeling: SoortKoppeling | None = None

    @property
    def bewijs(self) -> bool:
        """Decisive and indicative rules are evidence enough for a pair."""
        return self.rol in (Rol.BESLISSEND, Rol.AANWIJZEND)


# --- the tests -------------------------------------------------------------------------------


def _gap(p: Paren) -> np.ndarray:
    """Days between the old end and the new begin (1 = the next day); huge when open."""
    return p.gap


def _andere_soort(p: Paren) -> np.ndarray:
    return ~p.soort_past & ~p.zelfde_sleutel


def _zelfde_sleutel(p: Paren) -> np.ndarray:
    return p.zelfde_sleutel


def _zelfde_nummer(p: Paren) -> np.ndarray:
    return p.zelfde_nummer & p.andere_codes


def _begindatum_gelijk(p: Paren) -> np.ndarray:
    return p.begin_oud == p.begin_nieuw


def _voortzetting(p: Paren) -> np.ndarray:
    return (_gap(p) == 1) & ~p.op_conversiedatum


def _korte_onderbreking(p: Paren) -> np.ndarray:
    gap = _gap(p)
    return (gap > 1) & (gap <= p.toleranties.max_onderbreking + 1) & ~p.op_conversiedatum


def _korte_overlap(p: Paren) -> np.ndarray:
    gap = _gap(p)
    return (
        (gap <= 0)
        & (gap > -p.toleranties.max_overlap)
        & (p.begin_nieuw > p.begin_oud)
        & ~p.op_conversiedatum
    )


def _loopt_door_op_conversiedatum(p: Paren) -> np.ndarray:
    still_running = (p.einde_oud == OPEN) | (p.einde_oud >= p.begin_nieuw)
    return p.op_conversiedatum & (p.begin_nieuw > p.begin_oud) & still_running


def _voortzetting_op_conversiedatum(p: Paren) -> np.ndarray:
    return p.op_conversiedatum & (_gap(p) == 1)


def _geeindigd_voor_conversiedatum(p: Paren) -> np.ndarray:
    gap = _gap(p)
    return p.op_conversiedatum & (gap > 1) & (gap <= p.toleranties.max_onderbreking + 1)


def _herstart_terwijl_lopend(p: Paren) -> np.ndarray:
    """Closed and restarted, but the old one was never closed: it still runs past the new
    begindatum. Same person and the very same soort (a code relation is not enough: this
    evidence is weak), so the chain must not get lost; never certain."""
    still_running = (p.einde_oud == OPEN) | (_gap(p) <= -p.toleranties.max_overlap)
    return (
        still_running
        & (p.begin_nieuw > p.begin_oud)
        & p.zelfde_soort
        & ~p.zelfde_sleutel
        & ~p.op_conversiedatum
    )


def _begindatum_dichtbij(p: Paren) -> np.ndarray:
    shift = np.abs(p.begin_nieuw - p.begin_oud)
    return (shift >= 1) & (shift <= p.toleranties.max_verschuiving_begin) & ~p.op_conversiedatum


def _afgeleid_nummer(p: Paren) -> np.ndarray:
    """Same core once letters and separators at the ends and leading zeros are gone
    (VZ-00123 from 123), or the old number followed by a separator and a suffix (123-1 from 123)."""
    return ~p.zelfde_nummer & (p.zelfde_kern | p.met_achtervoegsel)


def _einddatum_gelijk(p: Paren) -> np.ndarray:
    return p.einde_oud == p.einde_nieuw


def _loonwaarde_gelijk(p: Paren) -> np.ndarray:
    return (p.loonwaarde_oud >= 0) & (p.loonwaarde_oud == p.loonwaarde_nieuw)


def _omschrijving_gelijk(p: Paren) -> np.ndarray:
    return (p.omschrijving_oud >= 0) & (p.omschrijving_oud == p.omschrijving_nieuw)


# --- the rules, strongest first --------------------------------------------------------------

ANDERE_SOORT = Regel(
    "andere_soort",
    Rol.UITSLUITEND,
    0,
    _andere_soort,
    "soort past niet volgens de codetabel (geen kandidaat, behalve bij zelfde sleutel)",
)
ZELFDE_SLEUTEL = Regel(
    "zelfde_sleutel",
    Rol.BESLISSEND,
    30,
    _zelfde_sleutel,
    "zelfde registratienummer, gemeentecode en berichtgevercode",
)
ZELFDE_NUMMER = Regel(
    "zelfde_nummer",
    Rol.BESLISSEND,
    30,
    _zelfde_nummer,
    "zelfde registratienummer; {codewijziging}",
    SoortKoppeling.CODEWIJZIGING,
)
BEGINDATUM_GELIJK = Regel(
    "begindatum_gelijk",
    Rol.BESLISSEND,
    50,
    _begindatum_gelijk,
    "begindatum gelijk ({begin_oud})",
    SoortKoppeling.CONVERSIE,
)
VOORTZETTING = Regel(
    "voortzetting",
    Rol.BESLISSEND,
    50,
    _voortzetting,
    "nieuwe begindatum {begin_nieuw} is de dag na de oude einddatum {einde_oud}",
    SoortKoppeling.VOORTZETTING,
)
KORTE_ONDERBREKING = Regel(
    "korte_onderbreking",
    Rol.AANWIJZEND,
    40,
    _korte_onderbreking,
    "nieuwe begindatum {begin_nieuw} ligt {dagen_na_einde} dagen na de oude einddatum {einde_oud}",
    SoortKoppeling.VOORTZETTING,
)
KORTE_OVERLAP = Regel(
    "korte_overlap",
    Rol.AANWIJZEND,
    40,
    _korte_overlap,
    "de oude liep tot {einde_oud}, {dagen_overlap} dag(en) na de nieuwe begindatum {begin_nieuw}",
    SoortKoppeling.VOORTZETTING,
)
CONVERSIEDATUM = Regel(
    "conversiedatum",
    Rol.AANWIJZEND,
    20,
    _loopt_door_op_conversiedatum,
    "loopt door en de nieuwe begindatum is de conversiedatum ({begin_nieuw})",
    SoortKoppeling.CONVERSIE,
)
BEGINDATUM_DICHTBIJ = Regel(
    "begindatum_dichtbij",
    Rol.AANWIJZEND,
    15,
    _begindatum_dichtbij,
    "nieuwe begindatum {begin_nieuw} ligt {dagen_verschil} dagen van de oude begindatum {begin_oud}",
    SoortKoppeling.CONVERSIE,
)
HERSTART_TERWIJL_LOPEND = Regel(
    "herstart_terwijl_lopend",
    Rol.AANWIJZEND,
    5,
    _herstart_terwijl_lopend,
    "de oude loopt nog (geen einddatum vóór {begin_nieuw}) en de nieuwe "
    "begint op {begin_nieuw}: waarschijnlijk opnieuw gestart zonder de oude af te sluiten",
    SoortKoppeling.VOORTZETTING,
)
# On a conversion date (begindatums reset), a voorziening still running at the switch beats
# one that had ended just before it: these weigh less than CONVERSIEDATUM.
VOORTZETTING_OP_CONVERSIEDATUM = Regel(
    "voortzetting_op_conversiedatum",
    Rol.BESLISSEND,
    12,
    _voortzetting_op_conversiedatum,
    "nieuwe begindatum {begin_nieuw} is de dag na de oude einddatum {einde_oud} en de "
    "conversiedatum; een voorziening die nog liep gaat voor",
    SoortKoppeling.VOORTZETTING,
)
GEEINDIGD_VOOR_CONVERSIEDATUM = Regel(
    "geeindigd_voor_conversiedatum",
    Rol.AANWIJZEND,
    10,
    _geeindigd_voor_conversiedatum,
    "oude einddatum {einde_oud} ligt {dagen_na_einde} dagen voor de conversiedatum "
    "{begin_nieuw}; een voorziening die nog liep gaat voor",
    SoortKoppeling.VOORTZETTING,
)
AFGELEID_NUMMER = Regel(
    "afgeleid_nummer",
    Rol.ONDERSTEUNEND,
    8,
    _afgeleid_nummer,
    "nieuw nummer {nummer_nieuw} is afgeleid van {nummer_oud}",
)
EINDDATUM_GELIJK = Regel(
    "einddatum_gelijk", Rol.ONDERSTEUNEND, 4, _einddatum_gelijk, "{einddatum_gelijk}"
)
LOONWAARDE_GELIJK = Regel(
    "loonwaarde_gelijk", Rol.ONDERSTEUNEND, 2, _loonwaarde_gelijk, "loonwaarde gelijk"
)
OMSCHRIJVING_GELIJK = Regel(
    "omschrijving_gelijk", Rol.ONDERSTEUNEND, 1, _omschrijving_gelijk, "omschrijving gelijk"
)

RULES: tuple[Regel, ...] = (
    ANDERE_SOORT,
    ZELFDE_NUMMER,
    BEGINDATUM_GELIJK,
    VOORTZETTING,
    ZELFDE_SLEUTEL,
    KORTE_ONDERBREKING,
    KORTE_OVERLAP,
    CONVERSIEDATUM,
    BEGINDATUM_DICHTBIJ,
    VOORTZETTING_OP_CONVERSIEDATUM,
    GEEINDIGD_VOOR_CONVERSIEDATUM,
    HERSTART_TERWIJL_LOPEND,
    AFGELEID_NUMMER,
    EINDDATUM_GELIJK,
    LOONWAARDE_GELIJK,
    OMSCHRIJVING_GELIJK,
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def evaluate(paren: Paren, rules: tuple[Regel, ...] = RULES) -> dict[str, np.ndarray]:
    """Each rule's verdict over all pairs, by rule name."""
    return {rule.naam: np.asarray(rule.test(paren), dtype=bool) for rule in rules}


# --- the README table ------------------------------------------------------------------------

ROLE_TEXT = {
    Rol.BESLISSEND: "beslissend",
    Rol.AANWIJZEND: "aanwijzend (nooit zeker)",
    Rol.ONDERSTEUNEND: "ondersteunend",
    Rol.UITSLUITEND: "uitsluitend",
}


def readme_table(rules: tuple[Regel, ...] = RULES) -> str:
    """The Markdown table of the README section 'Regels voor het koppelen'."""
    lines = [
        "| regel | rol | gewicht | soort koppeling | reden in matches.csv |",
        "|---|---|---|---|---|",
    ]
    for rule in rules:
        kind = rule.soort_koppeling or ""
        weight = str(rule.gewicht) if rule.rol != Rol.UITSLUITEND else "—"
        lines.append(
            f"| `{rule.naam}` | {ROLE_TEXT[rule.rol]} | {weight} | {kind} | {rule.reden} |"
        )
    return "\n".join(lines)
