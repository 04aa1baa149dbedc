"""`srgdesk match OUD NIEUW -o MAP`: pair two exports and write the conversiebestand."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from srgdesk.commands import keep_until_exit
from srgdesk.commands.invoer_opties import add_invoer_opties, laad_opties
from srgdesk.core.errors import InvoerFout


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Koppelt de voorzieningen van twee exports en schrijft conversiebestand.csv/.xlsx, "
        "matches.csv (alle beslissingen) en codetabel.csv in de uitvoermap."
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
        "--codes",
        metavar="BESTAND",
        help="eigen codetabel (CSV met kolommen oud;nieuw, zoals codetabel.csv; "
        "meer regels voor één oude code = die code is gesplitst)",
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
    from srgdesk.commands.uitvoer import say_geschreven, say_samenvatting, voortgang_printer
    from srgdesk.console import say
    from srgdesk.core.conversion import accepted_pair_array, output_names, write_outputs
    from srgdesk.core.export import load_export
    from srgdesk.core.matching import ONTBREEKT, MatchOpties, match
    from srgdesk.core.output_files import check_output_set
    from srgdesk.core.progress import Voortgang

    oud_path, nieuw_path = Path(args.oud), Path(args.nieuw)
    uitvoer = Path(args.uitvoer)
    inputs = [oud_path, nieuw_path] + ([Path(args.codes)] if args.codes else [])
    if oud_path.exists() and nieuw_path.exists() and oud_path.resolve() == nieuw_path.resolve():
        raise InvoerFout(
            "De oude en de nieuwe export zijn hetzelfde bestand. Kies twee verschillende exports."
        )
    # Refuse an output set that cannot be written before the long work, not after it.
    check_output_set(uitvoer, output_names(args.formaat, args.met_bsn), inputs)
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
        codes=read_codes(Path(args.codes)) if args.codes else None,
    )
    resultaat = match(oud.voorzieningen, nieuw.voorzieningen, opties)
    pairs = accepted_pair_array(resultaat, args.accepteer)
    progress = Voortgang() if args.stil else Voortgang(on_progress=voortgang_printer())
    written = write_outputs(
        resultaat,
        pairs,
        uitvoer,
        formaat=args.formaat,
        met_bsn=args.met_bsn,
        voortgang=progress,
        protected=inputs,
    )
    say_samenvatting(resultaat.samenvatting(), (oud, nieuw))
    say(
        f"In het conversiebestand: {len(pairs)} geaccepteerde koppeling(en) (niveau: {args.accepteer}), "
        "alleen die waarvan de sleutel verandert."
    )
    regels = resultaat.regels
    # Only the two columns the warnings show, for the rows they show (not a copy of the frame).
    ontbreekt = (regels["status"] == ONTBREEKT).to_numpy().nonzero()[0]
    shown = ontbreekt[:20]
    numbers = regels["oud_registratienummer"].to_numpy()[shown].tolist()
    lines = regels["oud_regel"].to_numpy()[shown].tolist()
    for number, line in zip(numbers, lines, strict=True):
        say(f"Waarschuwing: {number} (regel {line}) ontbreekt in de nieuwe export.")
    missing = len(ontbreekt)
    if missing > 20:
        say(f"Waarschuwing: nog {missing - 20} ontbrekende voorziening(en); zie matches.csv.")
    say_geschreven(written)
    keep_until_exit(args, oud, nieuw, resultaat)
    return 0


def read_codes(path: Path) -> dict[str, tuple[str, ...]]:
    """The --codes table; a file that is not a CSV (an xlsx, random bytes) gets a Dutch line."""
    from srgdesk.core.codes import read_codes_file
    from srgdesk.core.errors import bestandsfout

    not_csv = InvoerFout(
        f"Codetabel {path.name} is geen CSV-bestand. Open hem in Excel en kies Opslaan als → "
        "CSV (gescheiden door lijstscheidingstekens), met de kolommen oud en nieuw."
    )
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError as exc:
        raise bestandsfout(exc, path) from exc
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or (b"\x00" in head and not utf16):
        raise not_csv
    try:
        return read_codes_file(path)
    except (csv.Error, UnicodeError) as exc:
        raise not_csv from exc
