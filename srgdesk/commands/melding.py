"""`srgdesk melding`: write the wijzigingsmelding for CBS from a small TOML file."""

from __future__ import annotations

import argparse
from pathlib import Path

from srgdesk.core.melding import (
    EML_NAAM,
    INVOER_SLEUTELS,
    load_sjabloon,
    maak_concept,
    read_invoer,
    waarschuwingen,
    write_concept,
)

VOORBEELD = """\
voorbeeld van een invoerbestand (alle waarden tussen aanhalingstekens):
  soort = "softwarepakket"      # of berichtgever, contactpersoon, herindeling
  gemeentecode = "0363"
  berichtgevercode_oud = "1234"
  pakket_oud = "Pakket A 3.2"
  pakket_nieuw = "Pakket B 1.0"
  ingangsmaand = "2026-01"
  contact_naam = "Zoë Müller"
  contact_email = "z.muller@gemeente.nl"
  contact_telefoon = "06-12345678"
  conversiebestand = "portaal"  # of bijlage (met bijlage_pad), geen
"""


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "melding",
        help="maak de wijzigingsmelding voor CBS (.eml-concept en .txt)",
        description="Maak de wijzigingsmelding voor CBS als concept-e-mail (.eml) en als tekst "
        "(.txt). De e-mail bevat nooit een BSN.",
        epilog=VOORBEELD + "sleutels: " + ", ".join(INVOER_SLEUTELS),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--invoer",
        required=True,
        metavar="BESTAND.toml",
        help="de gegevens van de wijziging (TOML)",
    )
    parser.add_argument(
        "-o",
        "--uitvoer",
        default=".",
        metavar="MAP",
        help="map voor wijzigingsmelding.eml en .txt (standaard: deze map)",
    )
    parser.add_argument(
        "--sjabloon", metavar="BESTAND.toml", help="een eigen versie van het sjabloon voor de tekst"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from srgdesk.console import say

    invoer = Path(args.invoer)
    melding = read_invoer(invoer)
    sjabloon = load_sjabloon(Path(args.sjabloon)) if args.sjabloon else None
    concept = maak_concept(melding, sjabloon)
    protected = [invoer] + ([Path(args.sjabloon)] if args.sjabloon else [])
    eml_path = Path(args.uitvoer) / EML_NAAM
    txt_path = write_concept(concept, eml_path, protected=protected)
    for waarschuwing in waarschuwingen(melding.normalised()):
        say(f"Let op: {waarschuwing}")
    say(f"Concept geschreven: {eml_path}")
    say(f"Tekst geschreven:   {txt_path}")
    if concept.bijlage:
        say(f"Bijlage:            {concept.bijlage.name}")
    say(f"Aan: {', '.join(concept.aan)}")
    say(f"Onderwerp: {concept.onderwerp}")
    say(
        "Open het .eml-bestand met een dubbelklik: Outlook opent het als concept. Lees de tekst "
        "na en klik op Verzenden."
    )
    return 0
