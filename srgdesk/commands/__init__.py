"""Subcommands: each module adds its parser and a `run(args) -> int`."""

from __future__ import annotations

import argparse
from importlib import import_module

COMMANDS = ("inspect", "match", "controleer", "melding")


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register every subcommand module in COMMANDS (imported here, so `--version` stays fast)."""
    for name in COMMANDS:
        import_module(f"srgdesk.commands.{name}").add_parser(commands)


def keep_until_exit(args: argparse.Namespace, *objects: object) -> None:
    """Keep a run's large objects (both exports, the result) referenced until the process ends.

    Freed when run() returns, their millions of objects cost ~15 ms at 95k rows; cli.main holds
    `args` until cli._exit_now ends the process, which frees nothing. An in-process caller
    (tests, `main(argv)`) drops `args`, and these objects with it, when main returns."""
    args.behouden = objects
