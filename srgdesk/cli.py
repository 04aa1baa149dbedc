"""Command line: the same core functions as the wizard, for batch use, tests and benchmarks.

Exit codes: 0 = it ran (data problems are reported, not fatal); 2 = an input is unusable or an
output cannot be written, with a Dutch message on stderr.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from srgdesk import __version__
from srgdesk.commands.options import parse_kolommen
from srgdesk.console import EXIT_AFGEBROKEN, EXIT_DEFECT, EXIT_INVOER, EXIT_OK, say
from srgdesk.core.errors import InvoerFout, bestandsfout
from srgdesk.core.fields import VELDEN

# argparse's own words, in Dutch. argparse looks every message up through its module-level
# gettext function at the moment it prints, so replacing that function translates usage, help
# and error lines without a .mo file. Unknown messages stay as they are.
ARGPARSE_NL = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "the following arguments are required: %s": "deze gegevens ontbreken: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "expected one argument": "hier hoort één waarde achter",
    "expected at most one argument": "hier hoort hooguit één waarde achter",
    "expected at least one argument": "hier hoort minstens één waarde achter",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "onduidelijke optie: %(option)s kan %(matches)s zijn",
    "not allowed with argument %s": "niet samen met %s",
}
argparse._ = lambda message: ARGPARSE_NL.get(message, message)  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="srgdesk",
        description="Conversiebestand en wijzigingsmelding voor de SRG (CBS). "
        "Zonder opdracht opent het programmavenster.",
    )
    parser.add_argument("--version", action="version", version=f"srgdesk {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open het venster met de voorbeeldbestanden"
    )
    parser.add_argument(
        "--smoke-test",
        nargs="?",
        const="srgdesk-smoke.png",
        metavar="PNG",
        help="open het venster onzichtbaar, bewaar een schermafdruk en stop (voor controles)",
    )
    commands = parser.add_subparsers(dest="opdracht", metavar="OPDRACHT")

    inspect = commands.add_parser("inspect", help="laat zien hoe een export wordt gelezen")
    inspect.add_argument("bestand", help="de export (CSV, TXT, XLSX, XLS of ODS)")
    inspect.add_argument(
        "--werkblad", help="naam van het werkblad (standaard: het blad met de meeste gegevens)"
    )
    inspect.add_argument(
        "--kolom", action="append", metavar="VELD=KOLOM", help="kies zelf de kolom voor een veld"
    )

    from srgdesk.commands import add_commands

    add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.opdracht == "inspect":
            return run_inspect(args)
        if args.opdracht:
            return args.run(args)
        from srgdesk.gui.app import run_gui

        return run_gui(demo=args.demo, smoke_test=args.smoke_test)
    except InvoerFout as fout:
        say(f"Fout: {fout.melding}", error=True)
        return EXIT_INVOER
    except OSError as exc:  # the file system refused (path too long, no access …): say what
        say(f"Fout: {bestandsfout(exc).melding}", error=True)
        return EXIT_INVOER
    except KeyboardInterrupt:
        say("Afgebroken.", error=True)
        return EXIT_AFGEBROKEN
    except Exception:  # noqa: BLE001 - last-resort handler: a defect, not the user's data: log it (no BSNs) and say where
        return _report_unexpected()


def _report_unexpected() -> int:
    import logging

    from srgdesk.applog import setup_logging

    try:
        log_path = setup_logging()
        logging.getLogger("srgdesk").exception("Onverwachte fout")
        where = f" Details staan in {log_path} (zonder BSN's); stuur dat bestand naar uw beheerder."
    except OSError:
        where = ""
    say(
        f"Fout: er ging iets onverwachts mis in srgdesk. Er is niets half weggeschreven.{where}",
        error=True,
    )
    return EXIT_DEFECT


def run_inspect(args: argparse.Namespace) -> int:
    from srgdesk.core.export import load_export
    from srgdesk.core.mapping import BRON_INHOUD

    export = load_export(args.bestand, overrides=parse_kolommen(args.kolom), werkblad=args.werkblad)
    table, mapping, result = export.table, export.mapping, export.voorzieningen
    say(f"Bestand:     {table.path}")
    say(f"Gelezen als: {table.describe()}")
    if len(table.werkbladen) > 1:
        say(f"Werkbladen:  {', '.join(table.werkbladen)}")
    say("Kolommen:")
    for veld in VELDEN:
        column = mapping.column(veld.naam)
        if column:
            how = (
                " (herkend aan de inhoud)" if mapping.bronnen.get(veld.naam) == BRON_INHOUD else ""
            )
            say(f"  {veld.label:<32} ← {column}{how}")
        else:
            note = "ONTBREEKT" if veld.verplicht else "niet aanwezig"
            say(f"  {veld.label:<32}   ({note})")
    unused = [h for h in table.headers if h not in set(mapping.columns.values())]
    if unused:
        say(f"Niet gebruikt: {', '.join(unused)}")
    ongeldig = len(result.ongeldig)
    waarschuwingen = sum(1 for p in result.problemen if p.ernst != "ongeldig")
    say(
        f"Regels:      {result.totaal_regels} gelezen, {len(result.frame)} bruikbaar, "
        f"{ongeldig} ongeldig, {waarschuwingen} waarschuwing(en)"
    )
    if table.lege_regels:
        say(f"             {table.lege_regels} lege regel(s) overgeslagen")
    groups = result.problems_by_reason()
    if groups:
        say("Problemen:")
        for reason, rows in sorted(groups.items(), key=lambda item: item[1][0]):
            shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
            say(f"  {reason} ({len(rows)}×): regel {shown}")
    if result.frame.empty:
        say(
            "Fout: geen enkele regel is bruikbaar. Controleer de kolomkeuze en de export.",
            error=True,
        )
        return EXIT_INVOER
    return EXIT_OK
