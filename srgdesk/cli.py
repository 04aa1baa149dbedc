"""Command line: the same core functions as the wizard, for batch use, tests and benchmarks.

Exit codes: 0 = it ran (data problems are reported, not fatal); 2 = an input is unusable or an
output cannot be written, with a Dutch message on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from srgdesk import __version__
from srgdesk.console import EXIT_AFGEBROKEN, EXIT_DEFECT, EXIT_INVOER, say
from srgdesk.core.errors import InvoerFout, bestandsfout

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
    from srgdesk.commands import Opdrachten, add_commands

    commands = parser.add_subparsers(dest="opdracht", metavar="OPDRACHT", action=Opdrachten)
    add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; `argv` None means this process's own (then a command's run ends
    the process itself, see _exit_now)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    code = _run(args)
    if argv is None and args.opdracht:
        _exit_now(code)
    return code


def _run(args: argparse.Namespace) -> int:
    try:
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


def _exit_now(code: int) -> NoReturn:
    """End a command-line run without freeing its heap object by object: after a match of 95k
    rows that teardown takes 0.15 s, the operating system drops the memory at once. Every file
    of the run is written and closed by now; what Python still buffers is flushed here."""
    if "logging" in sys.modules:  # a run that logged nothing need not import logging to end
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):  # a closed pipe, a closed console
                stream.flush()
    os._exit(code)


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
