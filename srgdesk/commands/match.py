"""`srgdesk match OUD NIEUW -o MAP`: pair two exports and write the conversiebestand."""

from __future__ import annotations

import argparse
from pathlib import Path

from srgdesk.commands.invoer_opties import add_invoer_opties, laad_opties
from srgdesk.core.errors import InvoerFout


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "match",
        help="koppel een oude en een nieuwe export en schrijf het conversiebestand",
        description="Koppelt de voorzieningen van twee exports en schrijft conversiebestand.csv/.xlsx, "
        "matches.csv (alle beslissingen) en codetabel.csv in de uitvoermap.",
    )
    parser.add_argument("oud", help="export van het oude pakket of de vorige maand")
    parser.add_argument("nieuw", help="export van het nieuwe pakket of deze maand")
    parser.add_argument(
        "-o", "--uitvoer", required=True, metavar="MAP", help="map voor de uitvoerbestanden"
    )
    parser.add_argument(
        "--accepteer",
        choices=["zeker", "waarschijnlijk"],
        default="zeker",
        help="welke koppelingen in het conversiebestand komen (twijfel nooit; standaard: zeker)",
    )
    parser.add_argument(
        "--codes", metavar="BESTAND", help="eigen codetabel (CSV met kolommen oud;nieuw)"
    )
    add_invoer_opties(parser)
    parser.add_argument(
        "--met-bsn",
        action="store_true",
        help="zet het BSN in het conversiebestand en matches.csv (alleen via het CBS-portaal versturen!)",
    )
    parser.add_argument("--formaat", choices=["csv", "xlsx", "beide"], default="beide")
    parser.add_argument("--stil", action="store_true", help="geen voortgang tonen")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from srgdesk.cli import say
    from srgdesk.core.codes import read_codes_file
    from srgdesk.core.conversion import accepted_pairs, write_outputs
    from srgdesk.core.export import load_export, voorloopnullen_advies
    from srgdesk.core.matching import ONTBREEKT, MatchOpties, match
    from srgdesk.core.progress import Voortgang

    oud_path, nieuw_path = Path(args.oud), Path(args.nieuw)
    if oud_path.exists() and nieuw_path.exists() and oud_path.resolve() == nieuw_path.resolve():
        raise InvoerFout(
            "De oude en de nieuwe export zijn hetzelfde bestand. Kies twee verschillende exports."
        )
    oud = load_export(oud_path, laad_opties(args, "oud"), "oude")
    nieuw = load_export(nieuw_path, laad_opties(args, "nieuw"), "nieuwe")
    for export in (oud, nieuw):
        if export.voorzieningen.frame.empty:
            raise InvoerFout(
                f"Geen enkele regel in {export.path.name} is bruikbaar. "
                f'Bekijk de problemen met: srgdesk inspect "{export.path}"'
            )
    opties = MatchOpties(
        verslagmaand_oud=args.verslagmaand_oud,
        verslagmaand_nieuw=args.verslagmaand_nieuw,
        codes=read_codes_file(args.codes) if args.codes else None,
    )
    resultaat = match(oud.voorzieningen, nieuw.voorzieningen, opties)
    pairs = accepted_pairs(resultaat, args.accepteer)
    progress = Voortgang() if args.stil else Voortgang(on_progress=_printer(say))
    written = write_outputs(
        resultaat,
        pairs,
        Path(args.uitvoer),
        formaat=args.formaat,
        met_bsn=args.met_bsn,
        voortgang=progress,
        protected=[oud_path, nieuw_path],
    )
    for line in resultaat.samenvatting():
        say(line)
    for export in (oud, nieuw):
        for line in export.samenvatting(met_verslagmaand=False):  # that one is above
            say(line)
    advies = voorloopnullen_advies(oud, nieuw)
    if advies:
        say(f"Let op: {advies}")
    say(
        f"In het conversiebestand: {len(pairs)} geaccepteerde koppeling(en) (niveau: {args.accepteer}), "
        "alleen die waarvan de sleutel verandert."
    )
    regels = resultaat.regels
    for row in regels[regels["status"] == ONTBREEKT].head(20).itertuples():
        say(
            f"Waarschuwing: {row.oud_registratienummer} (regel {row.oud_regel}) ontbreekt in de nieuwe export."
        )
    missing = int((regels["status"] == ONTBREEKT).sum())
    if missing > 20:
        say(f"Waarschuwing: nog {missing - 20} ontbrekende voorziening(en); zie matches.csv.")
    say("Geschreven:")
    for path in written:
        say(f"  {path}")
    if args.met_bsn:
        say(
            "LET OP: deze bestanden bevatten BSN's. Verstuur ze alleen via het CBS-portaal, nooit per e-mail."
        )
    return 0


def _printer(say):
    last = {"step": -1}

    def report(fraction: float, message: str) -> None:
        step = int(fraction * 10)
        if step != last["step"]:
            last["step"] = step
            say(f"  … {message}")

    return report
