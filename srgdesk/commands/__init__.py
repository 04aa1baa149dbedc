"""Subcommands beyond `inspect`: each module adds its parser and a `run(args) -> int`."""

from __future__ import annotations

import argparse


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the subcommand modules (match, melding)."""
    from srgdesk.commands import match, melding

    for module in (match, melding):
        module.add_parser(commands)
