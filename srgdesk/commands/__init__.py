"""Subcommands: each module adds its parser and a `run(args) -> int`."""

from __future__ import annotations

import argparse
from importlib import import_module

COMMANDS = ("inspect", "match", "controleer", "melding")


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register every subcommand module in COMMANDS (imported here, so `--version` stays fast)."""
    for name in COMMANDS:
        import_module(f"srgdesk.commands.{name}").add_parser(commands)
