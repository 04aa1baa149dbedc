"""`srgdesk melding`: write an email draft for CBS.

Two kinds: the wijzigingsmelding (default, from a small TOML file) and, with
`--soort vertaaltabel`, the email about new soort codes for CBS's vertaaltabel (from a CSV)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from srgdesk.console import say
from srgdesk.core.errors import InvoerFout

if TYPE_CHECKING:  # core.melding reads CSVs with pandas: imported only when the command runs
    from srgdesk.core.melding import Concept

WIJZIGING = "wijziging"
VERTAALTABEL = "vertaaltabel"

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

voorbeeld van een codebestand voor --soort vertaaltabel (CSV, puntkomma, per regel
code;omschrijving;oude_code; de oude code mag leeg blijven of weg):
  code;omschrijving;oude_code
  LKS2;Loonkostensubsidie (geïndexeerd tarief);LKS
  JC;Jobcoaching
"""


class _HulpMetSleutels(argparse.RawDescriptionHelpFormatter):
    """Adds the input file's keys to the epilog only when help is shown, so that building the
    parser (every start, also `--version`) does not import core.melding and with it pandas."""

    def add_text(self, text: str | None) -> None:
        if text == VOORBEELD:
            from srgdesk.core.melding import INVOER_SLEUTELS

            text += "\nsleutels van het invoerbestand: " + ", ".join(INVOER_SLEUTELS)
        super().add_text(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Maak de wijzigingsmelding voor CBS als concept-e-mail (.eml) en als tekst\n"
        "(.txt), of met --soort vertaaltabel de e-mail aan SZ_SRG@cbs.nl over nieuwe codes\n"
        "voor de soort voorziening. De e-mail bevat nooit een BSN."
    )
    parser.epilog = VOORBEELD
    parser.formatter_class = _HulpMetSleutels
    parser.add_argument(
        "--soort",
        choices=(WIJZIGING, VERTAALTABEL),
        default=WIJZIGING,
        help="welke e-mail: de wijzigingsmelding (standaard) of vertaaltabel",
    )
    parser.add_argument(
        "--invoer",
        metavar="BESTAND.toml",
        help="de gegevens van de wijziging (TOML); nodig voor de wijzigingsmelding",
    )
    parser.add_argument(
        "--codes",
        metavar="BESTAND.csv",
        help="de nieuwe soortcodes (code;omschrijving;oude_code); nodig voor vertaaltabel",
    )
    parser.add_argument(
        "--gemeentecode", default="", help="vertaaltabel: de gemeentecode, bijvoorbeeld 0363"
    )
    parser.add_argument(
        "--verslagmaand",
        default="",
        metavar="JJJJ-MM",
        help="vertaaltabel: de eerste verslagmaand met de nieuwe codes",
    )
    parser.add_argument(
        "--contactpersoon", default="", metavar="NAAM", help="vertaaltabel: naam onder de e-mail"
    )
    parser.add_argument(
        "-o",
        "--uitvoer",
        default=".",
        metavar="MAP",
        help="map voor het .eml- en .txt-bestand (standaard: deze map)",
    )
    parser.add_argument(
        "--sjabloon", metavar="BESTAND.toml", help="een eigen versie van het sjabloon voor de tekst"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from srgdesk.core.melding import (
        EML_NAAM,
        load_sjabloon,
        maak_concept,
        read_invoer,
        waarschuwingen,
        write_concept,
    )

    if args.soort == VERTAALTABEL:
        return _run_vertaaltabel(args)
    if not args.invoer:
        raise InvoerFout(
            "Geef het invoerbestand met --invoer BESTAND.toml (zie srgdesk melding --help)."
        )
    invoer = Path(args.invoer)
    melding = read_invoer(invoer)
    sjabloon = load_sjabloon(Path(args.sjabloon)) if args.sjabloon else None
    concept = maak_concept(melding, sjabloon)
    protected = [invoer] + ([Path(args.sjabloon)] if args.sjabloon else [])
    eml_path = Path(args.uitvoer) / EML_NAAM
    txt_path = write_concept(concept, eml_path, protected=protected)
    for waarschuwing in waarschuwingen(melding.normalised()):
        say(f"Let op: {waarschuwing}")
    _report(concept, eml_path, txt_path)
    return 0


def _run_vertaaltabel(args: argparse.Namespace) -> int:
    from srgdesk.core.melding import (
        Vertaaltabelmelding,
        maak_vertaaltabel_concept,
        read_codes,
        write_concept,
    )
    from srgdesk.core.melding.vertaaltabel import EML_NAAM as VERTAALTABEL_EML

    if not args.codes:
        raise InvoerFout(
            "Geef het bestand met de nieuwe codes met --codes BESTAND.csv "
            "(per regel code;omschrijving;oude_code), of de codetabel.csv die srgdesk match "
            "schreef."
        )
    codes_path = Path(args.codes)
    melding = Vertaaltabelmelding(
        codes=tuple(read_codes(codes_path)),
        gemeentecode=args.gemeentecode,
        verslagmaand=args.verslagmaand,
        contact_naam=args.contactpersoon,
    )
    sjabloon = Path(args.sjabloon) if args.sjabloon else None
    concept = maak_vertaaltabel_concept(melding, sjabloon_pad=sjabloon)
    protected = [codes_path] + ([sjabloon] if sjabloon else [])
    eml_path = Path(args.uitvoer) / VERTAALTABEL_EML
    txt_path = write_concept(concept, eml_path, protected=protected)
    _report(concept, eml_path, txt_path)
    return 0


def _report(concept: Concept, eml_path: Path, txt_path: Path) -> None:
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
