"""What the pages share: the choices and results so far. Plain Python, passed to every page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from srgdesk.core.cleaning import Voorzieningen
from srgdesk.core.codes import CodeTabel, normalise_keuzes
from srgdesk.core.export import Export
from srgdesk.core.mapping import ColumnMapping
from srgdesk.core.matching import MatchResultaat, propose_codes
from srgdesk.core.reading import RawTable
from srgdesk.core.review import Overname, ReviewSessie

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


@dataclass(frozen=True)
class BewaardeKeuze:
    """A resumed session's choices for one export that were not applied because its read was
    stopped or failed: they wait, like the decisions, for the user to pick that file again."""

    pad: Path
    werkblad: str | None
    mapping: ColumnMapping

    def geldt_voor(self, path: Path | str) -> bool:
        """Only the same file takes the saved choices; another file gets a fresh proposal."""
        return _zelfde_pad(self.pad, Path(path))

    def past_op(self, table: RawTable) -> bool:
        """The saved mapping fits this reading: same file and sheet, every column still there."""
        if not self.geldt_voor(table.path) or self.werkblad not in (None, table.werkblad):
            return False
        kolommen = {str(c) for c in table.cells.columns}
        return all(c is None or c in kolommen for c in self.mapping.columns.values())


def _zelfde_pad(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


@dataclass
class WizardState:
    aanleiding: str = ""
    tables: dict[str, RawTable] = field(default_factory=dict)
    mappings: dict[str, ColumnMapping] = field(default_factory=dict)
    voorzieningen: dict[str, Voorzieningen] = field(default_factory=dict)
    # Exports read and cleaned on resume: the Kolommen page shows them instead of cleaning again.
    exports: dict[str, Export] = field(default_factory=dict)
    codes: CodeTabel | None = None
    code_keuzes: dict[str, str] = field(default_factory=dict)
    resultaat: MatchResultaat | None = None
    sessie: ReviewSessie | None = None
    # Decisions by key waiting for the next match (from a resumed session or a re-match).
    over_te_nemen: list[dict] | None = None
    overname: Overname | None = None  # what became of them, shown on Koppelen and Controleren
    # Per export, a resumed session's mapping and sheet not applied yet (read stopped or failed).
    bewaard: dict[str, BewaardeKeuze] = field(default_factory=dict)
    match_invoer: MatchInvoer | None = None  # what `resultaat` was computed from
    geschreven: list[Path] = field(default_factory=list)
    met_bsn: bool = False

    def path(self, rol: str) -> Path | None:
        table = self.tables.get(rol)
        return table.path if table else None

    def reset_from(self, stage: str) -> None:
        """Forget the learned code relation after a changed export or mapping (it is learned
        again from the new data).

        What the user chose is kept: their own code choices (shown on the Soorten page as
        theirs), the matching result and the decisions. The Koppelen page compares what the
        result was computed from with the current choices (`match_actueel`) and matches again
        only on a real change, carrying the decisions over by key."""
        if stage in ("bestanden", "kolommen"):
            self.codes = None
            self.exports.clear()  # the Kolommen page holds what it showed; free the rest

    def huidige_match_invoer(self) -> MatchInvoer:
        return MatchInvoer(
            self.voorzieningen.get("oud"),
            self.voorzieningen.get("nieuw"),
            tuple(sorted(normalise_keuzes(self.code_keuzes).items())),
        )

    def match_actueel(self) -> bool:
        """Is the matching result computed from exactly today's exports, mapping and codes?"""
        return (
            self.resultaat is not None
            and self.match_invoer is not None
            and self.match_invoer.zelfde(self.huidige_match_invoer())
        )

    def besluiten_bewaren(self) -> list[dict]:
        """The decisions by key as they stand, for autosave and for carrying over."""
        if self.sessie is not None:
            return self.sessie.besluiten()
        return list(self.over_te_nemen or [])


@dataclass(frozen=True)
class MatchInvoer:
    """The inputs of one matching run: the cleaned exports (by identity) and the code choices."""

    oud: Voorzieningen | None
    nieuw: Voorzieningen | None
    codes: tuple[tuple[str, tuple[str, ...]], ...]  # old code → the new codes it may become

    def zelfde(self, other: MatchInvoer) -> bool:
        return self.oud is other.oud and self.nieuw is other.nieuw and self.codes == other.codes


def preview_codes(oud: Voorzieningen, nieuw: Voorzieningen) -> CodeTabel:
    """The soort mapping matching will learn (the core's own proposal)."""
    return propose_codes(oud, nieuw)
