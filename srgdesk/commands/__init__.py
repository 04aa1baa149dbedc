"""Subcommands: each module adds its parser and a `run(args) -> int`."""

from __future__ import annotations

import argparse


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register every subcommand module that exists (inspect, match, melding)."""
    from importlib import import_module

    for name in ("inspect", "match", "melding"):
        try:
            module = import_module(f"srgdesk.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"srgdesk.commands.{name}":
                raise
            continue
        module.add_parser(commands)
