"""Pair old and new voorzieningen: candidates → evidence (rules) → one-to-one assignment → result.

The public surface: `match`, `MatchOpties`, `MatchResultaat`, `propose_codes`, and the names of
the result frame (`schema`). The rules themselves are in `matching.rules`, one object each.
"""

from srgdesk.core.matching.engine import MatchOpties, match, propose_codes
from srgdesk.core.matching.result import MatchResultaat
from srgdesk.core.matching.rules import RULES, Regel, Rol, Toleranties
from srgdesk.core.matching.schema import COLUMNS, KEY, KEY_COLUMNS, MATCH_COLUMNS
from srgdesk.core.vocabulary import SoortKoppeling, Status, Zekerheid

# The vocabulary under the names callers used before the enums existed.
GEKOPPELD, ONGEWIJZIGD, BEEINDIGD = Status.GEKOPPELD, Status.ONGEWIJZIGD, Status.BEEINDIGD
ONTBREEKT, NIEUW, ONGELDIG = Status.ONTBREEKT, Status.NIEUW, Status.ONGELDIG
CONVERSIE, VOORTZETTING = SoortKoppeling.CONVERSIE, SoortKoppeling.VOORTZETTING
CODEWIJZIGING = SoortKoppeling.CODEWIJZIGING
ZEKER, WAARSCHIJNLIJK, TWIJFEL = Zekerheid.ZEKER, Zekerheid.WAARSCHIJNLIJK, Zekerheid.TWIJFEL

__all__ = [
    "BEEINDIGD",
    "CODEWIJZIGING",
    "COLUMNS",
    "CONVERSIE",
    "GEKOPPELD",
    "KEY",
    "KEY_COLUMNS",
    "MATCH_COLUMNS",
    "NIEUW",
    "ONGELDIG",
    "ONGEWIJZIGD",
    "ONTBREEKT",
    "RULES",
    "TWIJFEL",
    "VOORTZETTING",
    "WAARSCHIJNLIJK",
    "ZEKER",
    "MatchOpties",
    "MatchResultaat",
    "Regel",
    "Rol",
    "Toleranties",
    "match",
    "propose_codes",
]
