"""Subcommands: each module fills its parser (`add_arguments`) and has a `run(args) -> int`."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from importlib import import_module

# Each command with what `srgdesk --help` says of it: listed here, so that building the parser
# imports no command module; a command's module fills its own parser only when argparse picks
# that command (see Opdrachten).
HELP = {
    "inspect": "laat zien hoe een export wordt gelezen",
    "match": "koppel een oude en een nieuwe export en schrijf het conversiebestand",
    "controleer": "controleer de export van deze maand tegen die van vorige maand",
    "melding": "maak een e-mail aan CBS als concept (.eml en .txt): de wijzigingsmelding of de "
    "melding van nieuwe soortcodes voor de vertaaltabel",
}
COMMANDS = tuple(HELP)


class Opdrachten(argparse._SubParsersAction):
    """The subcommands' action: the chosen command's module adds its arguments just before
    argparse parses the rest of the line with it, so a run imports and builds one command, not
    four. Help, usage and errors are those of a parser built in full."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        assert isinstance(values, list)  # nargs=PARSER: the command and the rest of the line
        name = values[0]
        chosen = self._name_parser_map[name]
        if chosen.get_default("run") is None:  # not filled yet (every command sets run)
            import_module(f"srgdesk.commands.{name}").add_arguments(chosen)
        super().__call__(parser, namespace, values, option_string)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register every command in HELP, empty: Opdrachten fills the one that is chosen."""
    for name, help_text in HELP.items():
        commands.add_parser(name, help=help_text)


def keep_until_exit(args: argparse.Namespace, *objects: object) -> None:
    """Keep a run's large objects (both exports, the result) referenced until the process ends.

    Freed when run() returns, their millions of objects cost ~15 ms at 95k rows; cli.main holds
    `args` until cli._exit_now ends the process, which frees nothing. An in-process caller
    (tests, `main(argv)`) drops `args`, and these objects with it, when main returns."""
    args.behouden = objects
