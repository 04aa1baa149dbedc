"""`srgdesk controleer VORIGE DEZE -o MAP`: check this month's export against last month's."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from srgdesk.commands import keep_until_exit
from srgdesk.commands.invoer_opties import add_invoer_opties, laad_opties
from srgdesk.core.errors import InvoerFout

if TYPE_CHECKING:
    from srgdesk.core.controle import ControleResultaat


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Koppelt de export van vorige maand aan die van deze maand en zoekt wat CBS "
        "zou signaleren. Schrijft controle.csv/.xlsx en, als voorzieningen een nieuw nummer "
        "kregen, conversiebestand.csv/.xlsx in de uitvoermap."
    )
    parser.add_argument("vorige", help="export van vorige maand")
    parser.add_argument("deze", help="export van deze maand")
    parser.add_argument(
        "-o", "--uitvoer", required=True, metavar="MAP", help="map voor de uitvoerbestanden"
    )
    # The same reading options as `match` (oud = vorige maand, nieuw = deze maand).
    add_invoer_opties(parser)
    parser.add_argument("--formaat", choices=["csv", "xlsx", "beide"], default="beide")
    parser.add_argument(
        "--vertaaltabel-melding",
        action="store_true",
        help="schrijf ook een concept-e-mail aan SZ_SRG@cbs.nl (vertaaltabelmelding.eml en .txt, "
        "zonder BSN) als deze maand nieuwe soortcodes heeft",
    )
    parser.add_argument("--stil", action="store_true", help="geen voortgang tonen")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from srgdesk.commands.uitvoer import say_geschreven, say_samenvatting, voortgang_printer
    from srgdesk.core.controle import controleer
    from srgdesk.core.controle.writer import output_names, write_controle
    from srgdesk.core.export import load_export
    from srgdesk.core.matching import MatchOpties
    from srgdesk.core.output_files import check_output_set
    from srgdesk.core.progress import Voortgang

    vorige_path, deze_path = Path(args.vorige), Path(args.deze)
    if vorige_path.exists() and deze_path.exists() and vorige_path.resolve() == deze_path.resolve():
        raise InvoerFout(
            "De export van vorige maand en die van deze maand zijn hetzelfde bestand. "
            "Kies twee verschillende exports."
        )
    # Refuse an output folder that cannot be used before the long work, not after it.
    check_output_set(Path(args.uitvoer), output_names(args.formaat), [vorige_path, deze_path])
    vorige = load_export(vorige_path, laad_opties(args, "oud"), "vorige")
    deze = load_export(deze_path, laad_opties(args, "nieuw"), "deze")
    if vorige.voorzieningen.frame.empty:
        raise InvoerFout(
            f"Geen enkele regel in {vorige.path.name} is bruikbaar, dus er valt niets te "
            f'vergelijken. Bekijk de problemen met: srgdesk inspect "{vorige.path}"'
        )
    opties = MatchOpties(
        verslagmaand_oud=args.verslagmaand_oud, verslagmaand_nieuw=args.verslagmaand_nieuw
    )
    progress = Voortgang() if args.stil else Voortgang(on_progress=voortgang_printer())
    resultaat = controleer(vorige.voorzieningen, deze.voorzieningen, opties, progress)
    written = write_controle(
        resultaat,
        Path(args.uitvoer),
        formaat=args.formaat,
        voortgang=progress,
        protected=[vorige_path, deze_path],
    )
    say_samenvatting(resultaat.samenvatting(), (vorige, deze))
    say_geschreven(written)
    if args.vertaaltabel_melding:
        _vertaaltabel(resultaat, Path(args.uitvoer), [vorige_path, deze_path])
    keep_until_exit(args, vorige, deze, resultaat)
    return 0


def _vertaaltabel(resultaat: ControleResultaat, folder: Path, protected: list[Path]) -> None:
    """The draft email about new soort codes, only when NIEUWE_SOORTCODE fired."""
    from srgdesk.console import say
    from srgdesk.core.melding import write_vertaaltabelmelding

    melding = resultaat.vertaaltabelmelding()
    if melding is None:
        say("Geen nieuwe soortcodes: een melding voor de vertaaltabel is niet nodig.")
        return
    eml, txt = write_vertaaltabelmelding(melding, folder, protected)
    say(f"  {eml} (concept-e-mail aan CBS over {len(melding.codes)} nieuwe soortcode(s))")
    say(f"  {txt}")
    say(
        "Open het .eml-bestand met een dubbelklik: Outlook opent het als concept. Lees de tekst "
        "na en klik op Verzenden."
    )
