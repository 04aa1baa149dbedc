"""What the pages share: the choices and results so far. Plain Python, passed to every page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from srgdesk.core.cleaning import Voorzieningen
from srgdesk.core.codes import CodeTabel
from srgdesk.core.mapping import ColumnMapping
from srgdesk.core.matching import propose_codes
from srgdesk.core.reading import RawTable
from srgdesk.core.review import ReviewSessie, Sessiebestand

ROLLEN = ("oud", "nieuw")
ROL_LABEL = {"oud": "Oude export", "nieuw": "Nieuwe export"}

AANLEIDINGEN: dict[str, tuple[str, str]] = {
    "pakket": (
        "Nieuw softwarepakket",
        "De gemeente is overgestapt op een ander softwarepakket. Alle lopende voorzieningen "
        "hebben daardoor een nieuw registratienummer gekregen.",
    ),
    "heruitgifte": (
        "Registratienummers opnieuw uitgegeven",
        "Voorzieningen zijn gestopt en meteen opnieuw gestart met een nieuw nummer, "
        "bijvoorbeeld bij de indexatie van loonkostensubsidie.",
    ),
    "berichtgever": (
        "Nieuwe berichtgever",
        "Een andere partij levert de gegevens aan CBS, bijvoorbeeld een regionale sociale "
        "dienst. De berichtgevercode verandert; nummers blijven soms gelijk.",
    ),
    "herindeling": (
        "Gemeentelijke herindeling",
        "Gemeenten zijn samengevoegd. De gemeentecode verandert en nummers van de oude "
        "gemeenten kunnen dubbel voorkomen.",
    ),
    "contact": (
        "Alleen contactgegevens gewijzigd",
        "Er is een andere contactpersoon, e-mailadres of telefoonnummer. U hoeft geen "
        "bestanden te koppelen; u gaat direct naar de melding aan CBS.",
    ),
}


@dataclass
class WizardState:
    aanleiding: str = ""
    tables: dict[str, RawTable] = field(default_factory=dict)
    mappings: dict[str, ColumnMapping] = field(default_factory=dict)
    voorzieningen: dict[str, Voorzieningen] = field(default_factory=dict)
    codes: CodeTabel | None = None
    code_keuzes: dict[str, str] = field(default_factory=dict)
    resultaat: object | None = None  # matching.MatchResultaat
    sessie: ReviewSessie | None = None
    hervatten: Sessiebestand | None = None  # saved decisions waiting for the next match
    geschreven: list[Path] = field(default_factory=list)
    met_bsn: bool = False

    def path(self, rol: str) -> Path | None:
        table = self.tables.get(rol)
        return table.path if table else None

    def reset_from(self, stage: str) -> None:
        """Forget what depends on a changed earlier choice."""
        if stage in ("bestanden", "kolommen"):
            self.codes = None
            self.code_keuzes = {}
        if stage in ("bestanden", "kolommen", "codes"):
            self.resultaat = None
            self.sessie = None
            self.geschreven = []


def preview_codes(oud: Voorzieningen, nieuw: Voorzieningen) -> CodeTabel:
    """The soort mapping matching will learn (the core's own proposal)."""
    return propose_codes(oud, nieuw)


def overzicht_frame(state: WizardState) -> pd.DataFrame:
    """All rows with their decision, for the gemeente's own records (no BSN)."""
    from srgdesk.core.review import BESLUIT_NAMEN

    sessie = state.sessie
    assert sessie is not None
    regels = sessie.regels
    besluit = pd.Series(sessie.besluit).map(BESLUIT_NAMEN)
    besluit = besluit.where(sessie.beslisbaar | (sessie.besluit != 0), "")
    frame = pd.DataFrame(
        {
            "status": regels["status"],
            "zekerheid": regels["zekerheid"],
            "besluit": besluit,
            "reden": regels["reden"],
        }
    )
    for column in (
        "oud_gemeentecode",
        "oud_berichtgevercode",
        "oud_registratienummer",
        "oud_regel",
        "oud_soort",
        "oud_begindatum",
        "oud_einddatum",
    ):
        frame[column] = regels[column]
    nieuw = [sessie.nieuw_key(i) if i >= 0 else None for i in sessie.gekozen.tolist()]
    changed = sessie.gekozen != sessie.nieuw_index
    for position, column in enumerate(
        ("nieuw_gemeentecode", "nieuw_berichtgevercode", "nieuw_registratienummer")
    ):
        chosen = pd.Series([k[position] if k else "" for k in nieuw])
        frame[column] = regels[column].where(~changed, chosen)
    for column in ("nieuw_regel", "nieuw_soort", "nieuw_begindatum", "nieuw_einddatum"):
        frame[column] = regels[column].where(~changed, "")
    return frame[sessie.zichtbaar()].reset_index(drop=True)
