"""`srgdesk inspect BESTAND`: how srgdesk reads one export, field by field, without BSNs.

It never fails because a field is missing: it says what it found per field (column, how sure,
sample values with BSNs and geboortedata masked), what is missing and how to supply it. Exit 2
only for a file that cannot be read at all."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from srgdesk.commands import keep_until_exit
from srgdesk.commands.invoer_opties import breedte, parse_kolommen, parse_vast

if TYPE_CHECKING:  # pandas only when the command runs, so building the parser stays fast
    import pandas as pd

MASKED_KINDS = {"bsn", "geboortedatum"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("bestand", help="de export (CSV, TXT, XLSX, XLS of ODS)")
    parser.add_argument(
        "--werkblad", help="naam van het werkblad (standaard: het blad met de voorzieningen)"
    )
    parser.add_argument(
        "--kolom", action="append", metavar="VELD=KOLOM", help="kies zelf de kolom voor een veld"
    )
    parser.add_argument(
        "--vast",
        action="append",
        metavar="VELD=WAARDE",
        help="één waarde voor alle regels, als de kolom ontbreekt (bijvoorbeeld gemeentecode=0363)",
    )
    parser.add_argument(
        "--nullen",
        type=breedte,
        metavar="BREEDTE",
        help="vul registratienummers van alleen cijfers aan met voorloopnullen tot BREEDTE tekens",
    )
    parser.add_argument("--verslagmaand", metavar="JJJJMM")
    parser.set_defaults(run=run)


_BSN_LIKE = re.compile(r"\d[\d .]{6,10}\d(?:\.0+)?")
_JJJJMMDD = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\.0+)?")


def _bsn_like(value: str) -> bool:
    """8 or 9 digits (spaces and dots allowed), not a JJJJMMDD date such as 20240201.0."""
    if not _BSN_LIKE.fullmatch(value) or _JJJJMMDD.fullmatch(value):
        return False
    digits = re.sub(r"\.0+$", "", value).replace(" ", "").replace(".", "")
    return 8 <= len(digits) <= 9  # a BSN has 8 or 9 digits


def samples(column: pd.Series, masked: bool, count: int = 3) -> str:
    """A few distinct values; all masked for a BSN or geboortedatum field, else the BSN-like
    values only (a BSN in the wrong column), so dates such as 20240201.0 stay readable."""
    values = column.astype(str).str.strip()
    values = values[values != ""].drop_duplicates().head(count).tolist()
    values = [re.sub(r"\d", "*", v) if masked or _bsn_like(v) else v for v in values]
    text = ", ".join(v if len(v) <= 20 else v[:18] + "…" for v in values)
    return text or "leeg"


def run(args: argparse.Namespace) -> int:
    from srgdesk.console import EXIT_INVOER, EXIT_OK, say
    from srgdesk.core.cleaning import ONGELDIG
    from srgdesk.core.export import LaadOpties, export_from_table, read_voorzieningen_table
    from srgdesk.core.fields import VELD_BY_NAAM, VELDEN
    from srgdesk.core.mapping import (
        BRON_GEBRUIKER,
        BRON_INHOUD,
        BRON_KOPNAAM,
        BRON_VAST,
        VAST_TOEGESTAAN,
        apply_overrides,
        apply_vaste_waarden,
        propose_mapping,
    )

    table, notes = read_voorzieningen_table(args.bestand, args.werkblad)
    mapping = propose_mapping(table)
    mapping = apply_overrides(mapping, parse_kolommen(args.kolom), table)
    mapping = apply_vaste_waarden(mapping, parse_vast(args.vast, rol=""))
    say(f"Bestand:     {table.path}")
    say(f"Gelezen als: {table.describe()}")
    if len(table.werkbladen) > 1:
        say(f"Werkbladen:  {', '.join(table.werkbladen)}")
    for note in notes:
        say(f"             {note}")
    zeker = {
        BRON_KOPNAAM: "zeker: herkend aan de kolomnaam",
        BRON_INHOUD: "waarschijnlijk: herkend aan de inhoud, controleer dit",
        BRON_GEBRUIKER: "door u gekozen",
        BRON_VAST: "door u opgegeven",
    }
    say("Velden:")
    for veld in VELDEN:
        column = mapping.column(veld.naam)
        bron = zeker.get(mapping.bronnen.get(veld.naam, ""), "")
        if column:
            voorbeeld = samples(table.cells[column], veld.naam in MASKED_KINDS)
            say(f"  {veld.label:<44} ← {column} ({bron}); bijvoorbeeld {voorbeeld}")
        elif mapping.vast.get(veld.naam):
            say(f"  {veld.label:<44} = {mapping.vast[veld.naam]} ({bron})")
        else:
            say(f"  {veld.label:<44}   {'ONTBREEKT' if veld.verplicht else 'niet aanwezig'}")
    unused = [h for h in table.headers if h not in set(mapping.columns.values())]
    if unused:
        say(f"Niet gebruikt: {', '.join(unused)}")
    missing = mapping.missing_required()
    if missing:
        say("Wat ontbreekt en hoe u het aanvult:")
        for veld in missing:
            label = VELD_BY_NAAM[veld].label
            hint = f"--kolom {veld}=KOLOMNAAM (bij match: --kolom-oud/--kolom-nieuw)"
            if veld in VAST_TOEGESTAAN:
                hint += f", of één waarde voor alle regels: --vast {veld}=WAARDE"
            say(f"  {label}: wijs de kolom aan met {hint}.")
        say("Zonder deze velden kan srgdesk de regels niet controleren.")
        return EXIT_OK
    export = export_from_table(
        table,
        LaadOpties(mapping=mapping, nullen=args.nullen, verslagmaand=args.verslagmaand),
    )
    result = export.voorzieningen
    ongeldig = len(result.ongeldig)
    waarschuwingen = sum(1 for p in result.problemen if p.ernst != ONGELDIG)
    say(
        f"Regels:      {result.totaal_regels} gelezen, {len(result.frame)} bruikbaar, "
        f"{ongeldig} ongeldig, {waarschuwingen} waarschuwing(en)"
    )
    if table.lege_regels:
        say(f"             {table.lege_regels} lege regel(s) overgeslagen")
    for line in export.samenvatting():
        say(f"  {line}")
    groups = result.problems_by_reason()
    if groups:
        say("Problemen:")
        for reason, rows in sorted(groups.items(), key=lambda item: item[1][0]):
            shown = ", ".join(str(r) for r in rows[:10]) + (" …" if len(rows) > 10 else "")
            say(f"  {reason} ({len(rows)}×): regel {shown}")
    keep_until_exit(args, table, export)
    if result.frame.empty:  # the file holds nothing srgdesk can use
        say(
            "Fout: geen enkele regel is bruikbaar. Controleer de kolomkeuze en de export.",
            error=True,
        )
        return EXIT_INVOER
    return EXIT_OK
