"""Is the melding complete and right? Every problem as a `Fout` next to its field, in Dutch."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from srgdesk.core import gemeenten
from srgdesk.core.errors import InvoerFout
from srgdesk.core.melding.model import (
    BERICHTGEVER,
    BIJLAGE,
    CONTACT_OUD,
    CONTACTPERSOON,
    CONVERSIEBESTAND_KEUZES,
    HERINDELING,
    INVOER_SLEUTELS,
    SOFTWAREPAKKET,
    SOORTEN,
    VELD,
    VELDEN,
    Fout,
    Wijzigingsmelding,
    datum_tekst,
    herindelingen_voor,
    maand_tekst,
    split_codes,
    verplichte_velden,
)
from srgdesk.core.melding.scan import (
    bijlage_bevat_bsn,
    bsn_in_veld,
    is_nederlands_telefoonnummer,
    normalise,
)

# Which files can be scanned for a BSN before they are attached.
BIJLAGE_SOORTEN = (".csv", ".txt", ".xlsx")
MAX_BIJLAGE_BYTES = 10 * 1024 * 1024

_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,}$"
)

Melder = Callable[..., None]


def bsn_velden(melding: Wijzigingsmelding) -> list[str]:
    """Names of the fields that hold a possible BSN (a phone field too, unless it holds a Dutch
    phone number)."""
    return [
        naam for naam in INVOER_SLEUTELS if bsn_in_veld(naam, str(getattr(melding, naam) or ""))
    ]


def telefoon_is_geldig(value: str) -> bool:
    """Dutch numbers: 0 plus 9 digits, or +31/0031 plus 9 digits; other countries: + and 8 to
    15 digits. Spaces, dashes, dots and brackets are allowed."""
    if is_nederlands_telefoonnummer(value):
        return True
    text = re.sub(r"[\s.\-()]", "", normalise(value))
    return bool(re.fullmatch(r"\+(?!31)\d{8,15}", text))


def valideer(melding: Wijzigingsmelding) -> list[Fout]:
    """Every problem in the melding, in form order; an empty list means it can be written.

    Expects a normalised melding (see `Wijzigingsmelding.normalised`)."""
    m = melding
    fouten: list[Fout] = []

    def fout(veld: str, tekst: str, ontbreekt: bool = False) -> None:
        fouten.append(Fout(veld, tekst, ontbreekt))

    if m.soort not in SOORTEN:
        fout(
            "soort",
            "Kies de soort wijziging: softwarepakket, berichtgever, contactpersoon of herindeling.",
        )
    for veld in verplichte_velden(m.soort):
        if not getattr(m, veld):
            fout(veld, f"Vul {VELD[veld].met_lidwoord} in.", ontbreekt=True)
    ingang = m.ingang()
    if m.ingangsmaand and ingang is None:
        fout("ingangsmaand", "Schrijf de ingangsmaand als JJJJ-MM, bijvoorbeeld 2025-01.")
    _check_gemeente(m, ingang, fout)
    for veld in ("berichtgevercode_oud", "berichtgevercode_nieuw"):
        value = getattr(m, veld)
        if value and not re.fullmatch(r"\d{4}", value):
            fout(
                veld,
                f"{VELD[veld].met_lidwoord.capitalize()} is een code van 4 cijfers, "
                "bijvoorbeeld 1234.",
            )
    if (
        m.soort == BERICHTGEVER
        and m.berichtgevercode_oud
        and m.berichtgevercode_oud == m.berichtgevercode_nieuw
    ):
        fout(
            "berichtgevercode_nieuw",
            "De nieuwe berichtgevercode is gelijk aan de oude. "
            "Vul de code van de nieuwe berichtgever in.",
        )
    if m.soort == SOFTWAREPAKKET and m.pakket_oud and m.pakket_oud == m.pakket_nieuw:
        fout(
            "pakket_nieuw",
            "Het nieuwe softwarepakket is gelijk aan het oude. Vul de naam en "
            "versie van het nieuwe pakket in.",
        )
    for veld in ("contact_email", "contact_oud_email"):
        value = getattr(m, veld)
        if value and not _EMAIL_RE.match(value):
            fout(
                veld,
                f"{VELD[veld].met_lidwoord.capitalize()} klopt niet. "
                "Schrijf het als naam@gemeente.nl.",
            )
    for veld in ("contact_telefoon", "contact_oud_telefoon"):
        value = getattr(m, veld)
        if value and not telefoon_is_geldig(value):
            fout(
                veld,
                f"{VELD[veld].met_lidwoord.capitalize()} klopt niet. Schrijf 10 cijfers, "
                "bijvoorbeeld 06-12345678 of 020-1234567.",
            )
    if m.soort == CONTACTPERSOON:
        _check_contact(m, fout)
    if m.soort == HERINDELING:
        _check_herindeling(m, ingang, fout)
    _check_conversiebestand(m, fout)
    # A field with a possible BSN gets only the BSN message: others may repeat the value.
    met_bsn = bsn_velden(m)
    fouten = [f for f in fouten if f.veld not in met_bsn]
    for veld in met_bsn:
        fouten.append(
            Fout(
                veld,
                f"In het veld '{VELD[veld].kort}' staat een nummer dat een BSN kan zijn. Een "
                "e-mail aan CBS mag geen BSN bevatten: haal het nummer weg. Gegevens met een BSN "
                "gaan alleen via het CBS-portaal.",
            )
        )
    order = {veld.naam: i for i, veld in enumerate(VELDEN)}
    fouten.sort(key=lambda f: order.get(f.veld, len(order)))
    return fouten


def _check_contact(m: Wijzigingsmelding, fout: Melder) -> None:
    """New contact details: at least one old detail given, and at least one that differs. The
    old name alone may stay empty: the same person with a new phone number is a change too."""
    oud = [getattr(m, veld) for veld in CONTACT_OUD]
    nieuw = (m.contact_naam, m.contact_email, m.contact_telefoon)
    if not any(oud):
        fout(
            "contact_oud_naam",
            "Vul in wat er verandert: de naam, het e-mailadres of het telefoonnummer van de "
            "vorige contactpersoon (wat gelijk blijft, mag leeg).",
            ontbreekt=True,
        )
    elif not any(o and o != n for o, n in zip(oud, nieuw, strict=True)):
        fout(
            "contact_naam",
            "De nieuwe contactgegevens zijn gelijk aan de vorige. Vul de gegevens in die "
            "veranderen.",
        )


def _check_gemeente(m: Wijzigingsmelding, ingang: date | None, fout: Melder) -> None:
    if not m.gemeentecode:
        return
    found = gemeenten.gemeente(m.gemeentecode)
    if found is None:
        fout(
            "gemeentecode",
            f"Gemeentecode {m.gemeentecode} bestaat niet. Kies de gemeente uit "
            "de lijst (4 cijfers, bijvoorbeeld 0363 voor Amsterdam).",
        )
        return
    dag = ingang or date.today()
    if found.geldig_tot and dag >= found.geldig_tot:
        opvolgers = gemeenten.opgegaan_in(found.code)
        waar = " of ".join(f"{h.nieuwe_naam} ({h.nieuwe_code})" for h in opvolgers)
        verder = f" De gemeente is opgegaan in {waar}; kies die gemeente." if waar else ""
        fout(
            "gemeentecode",
            f"Gemeente {found.label} bestaat niet meer sinds "
            f"{datum_tekst(found.geldig_tot)}.{verder}",
        )
    elif found.geldig_vanaf and dag < found.geldig_vanaf:
        fout(
            "gemeentecode",
            f"Gemeente {found.label} bestaat pas vanaf "
            f"{datum_tekst(found.geldig_vanaf)}. Kies een latere ingangsmaand.",
        )


def _check_herindeling(m: Wijzigingsmelding, ingang: date | None, fout: Melder) -> None:
    if m.gemeentecodes_oud:
        for code in split_codes(m.gemeentecodes_oud):
            if gemeenten.gemeente(code) is None:
                fout(
                    "gemeentecodes_oud",
                    f"Gemeentecode {code} bij de opgeheven gemeenten "
                    "bestaat niet. Schrijf codes van 4 cijfers, met "
                    "komma's ertussen.",
                )
        return
    if m.gemeentecode and ingang and not herindelingen_voor(m.gemeentecode, ingang):
        fout(
            "gemeentecodes_oud",
            "Deze herindeling staat niet in de lijst van srgdesk. Vul de "
            "gemeentecodes van de opgeheven gemeenten in, met komma's "
            "ertussen (bijvoorbeeld 0501, 0530).",
        )


def _check_conversiebestand(m: Wijzigingsmelding, fout: Melder) -> None:
    if m.conversiebestand not in CONVERSIEBESTAND_KEUZES:
        fout(
            "conversiebestand",
            "Kies hoe het conversiebestand naar CBS gaat: portaal, bijlage of geen.",
        )
        return
    if m.conversiebestand != BIJLAGE:
        return
    if not m.bijlage_pad:
        fout(
            "bijlage_pad",
            "Kies het conversiebestand dat als bijlage mee moet, of kies 'portaal'.",
            ontbreekt=True,
        )
        return
    path = Path(m.bijlage_pad)
    if path.suffix.lower() not in BIJLAGE_SOORTEN:
        fout(
            "bijlage_pad",
            "Alleen een conversiebestand als .xlsx, .csv of .txt kan als "
            "bijlage mee. Lever het anders via het CBS-portaal.",
        )
        return
    if not path.is_file():
        fout("bijlage_pad", f"Het bestand {path.name} is niet gevonden. Kies het bestand opnieuw.")
        return
    if path.stat().st_size > MAX_BIJLAGE_BYTES:
        fout(
            "bijlage_pad",
            f"{path.name} is te groot voor een e-mail. Lever het via het CBS-portaal.",
        )
        return
    try:
        bevat = bijlage_bevat_bsn(path)
    except InvoerFout as exc:
        fout("bijlage_pad", exc.melding)
        return
    except OSError:
        fout(
            "bijlage_pad",
            f"{path.name} kan niet worden gelezen. Sluit het bestand in Excel "
            "en probeer het opnieuw.",
        )
        return
    if bevat:
        fout(
            "bijlage_pad",
            f"{path.name} bevat een nummer dat een BSN kan zijn. Een bestand "
            "met een BSN mag niet per e-mail. Kies 'portaal': de tekst zegt "
            "dan dat het conversiebestand via het CBS-portaal komt.",
        )


def waarschuwingen(melding: Wijzigingsmelding, vandaag: date | None = None) -> list[str]:
    """Things that do not block the draft but that the user should know."""
    result = []
    ingang = melding.ingang()
    today = vandaag or date.today()
    if ingang and ingang < date(today.year, today.month, 1):
        result.append(
            f"De ingangsmaand {maand_tekst(ingang)} ligt in het verleden. Stuur de melding zo "
            "snel mogelijk: CBS heeft de wijziging nodig vóór de eerste levering."
        )
    return result
