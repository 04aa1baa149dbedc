"""The reading options every command that loads two exports shares (match, controleer):
--kolom-*, --vast-*, --nullen-*, --werkblad-*, --verslagmaand-* for the old and the new export,
turned into the core's LaadOpties."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from srgdesk.commands.options import parse_kolommen
from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import VELD_BY_NAAM

if TYPE_CHECKING:  # the core's reading modules import pandas: only when a command runs
    from srgdesk.core.export import LaadOpties

ROLLEN = {"oud": "oude", "nieuw": "nieuwe"}
__all__ = ["add_invoer_opties", "breedte", "laad_opties", "parse_kolommen", "parse_vast"]


def add_invoer_opties(parser: argparse.ArgumentParser) -> None:
    """Add the reading options for both exports to a command's parser."""
    velden = ", ".join(VELD_BY_NAAM)
    for rol, bijvoeglijk in ROLLEN.items():
        parser.add_argument(
            f"--kolom-{rol}",
            action="append",
            metavar="VELD=KOLOM",
            help=f"kies een kolom in de {bijvoeglijk} export (velden: {velden})",
        )
        parser.add_argument(
            f"--vast-{rol}",
            action="append",
            metavar="VELD=WAARDE",
            help=f"één waarde voor alle regels van de {bijvoeglijk} export, als de kolom "
            "ontbreekt (bijvoorbeeld gemeentecode=0363 of berichtgevercode=4021)",
        )
        parser.add_argument(
            f"--nullen-{rol}",
            type=breedte,
            metavar="BREEDTE",
            help=f"vul registratienummers van alleen cijfers in de {bijvoeglijk} export aan met "
            "voorloopnullen tot BREEDTE tekens (als Excel ze heeft weggehaald)",
        )
        parser.add_argument(
            f"--werkblad-{rol}", metavar="NAAM", help=f"werkblad van de {bijvoeglijk} export"
        )
        parser.add_argument(
            f"--verslagmaand-{rol}",
            metavar="JJJJMM",
            help=f"verslagmaand van de {bijvoeglijk} export, als srgdesk die verkeerd afleidt",
        )


def laad_opties(args: argparse.Namespace, rol: str) -> LaadOpties:
    """The LaadOpties for one export ('oud' or 'nieuw') from parsed arguments."""
    from srgdesk.core.export import LaadOpties

    return LaadOpties.maak(
        kolommen=parse_kolommen(getattr(args, f"kolom_{rol}", None)),
        vast=parse_vast(getattr(args, f"vast_{rol}", None), rol),
        werkblad=getattr(args, f"werkblad_{rol}", None),
        verslagmaand=getattr(args, f"verslagmaand_{rol}", None),
        nullen=getattr(args, f"nullen_{rol}", None),
    )


def parse_vast(pairs: Sequence[str] | None, rol: str = "oud") -> dict[str, str]:
    """'gemeentecode=0363' options → {field: value}, each checked ('Den Haag' → '0518').
    `rol` names the option in errors: 'oud' → --vast-oud, '' → --vast."""
    from srgdesk.core.mapping import check_vaste_waarde

    vast: dict[str, str] = {}
    for pair in pairs or []:
        veld, waarde = _split(pair, "waarde", "gemeentecode=0363")
        try:
            vast[veld] = check_vaste_waarde(veld, waarde)
        except InvoerFout as fout:
            optie = f"--vast-{rol}" if rol else "--vast"  # inspect has one --vast
            raise InvoerFout(f"{optie} {pair}: {fout.melding}") from fout
    return vast


def _split(pair: str, wat: str, voorbeeld: str) -> tuple[str, str]:
    veld, sep, value = pair.partition("=")
    veld = veld.strip().lower()
    if not sep or veld not in VELD_BY_NAAM:
        raise InvoerFout(
            f"Ongeldige keuze '{pair}'. Schrijf veld={wat}, bijvoorbeeld {voorbeeld}. "
            f"Velden: {', '.join(VELD_BY_NAAM)}."
        )
    return veld, value.strip()


def breedte(text: str) -> int:
    """argparse type for --nullen-*: a width of 1 to 15 characters."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 15:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen breedte; geef het aantal tekens, 1 tot en met 15"
        )
    return int(text)
