"""What a wijzigingsmelding holds: its fields (one table that the validation, the template and the
form all read), the melding itself and the rendered draft."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

from srgdesk.core import gemeenten
from srgdesk.core.fields import MAANDEN

SOFTWAREPAKKET = "softwarepakket"
BERICHTGEVER = "berichtgever"
CONTACTPERSOON = "contactpersoon"
HERINDELING = "herindeling"
SOORTEN = (SOFTWAREPAKKET, BERICHTGEVER, CONTACTPERSOON, HERINDELING)
SOORT_TEKST = {
    SOFTWAREPAKKET: "ander softwarepakket",
    BERICHTGEVER: "andere berichtgever",
    CONTACTPERSOON: "nieuwe contactgegevens",
    HERINDELING: "gemeentelijke herindeling",
}

PORTAAL = "portaal"
BIJLAGE = "bijlage"
GEEN = "geen"
CONVERSIEBESTAND_KEUZES = (PORTAAL, BIJLAGE, GEEN)
STANDAARD_CONVERSIEBESTAND = {
    SOFTWAREPAKKET: PORTAAL,
    BERICHTGEVER: PORTAAL,
    HERINDELING: PORTAAL,
    CONTACTPERSOON: GEEN,
}

EML_NAAM = "wijzigingsmelding.eml"
TXT_NAAM = "wijzigingsmelding.txt"


class Invoer(StrEnum):
    """How the form lets the user fill in a field."""

    KEUZE = "keuze"  # a fixed list (Veld.keuzes)
    GEMEENTE = "gemeente"  # the gemeente list, typed or picked
    TEKST = "tekst"  # one line
    BESTAND = "bestand"  # a path, with a Kies… button
    MEERREGELIG = "meerregelig"  # free text over several lines


@dataclass(frozen=True)
class Veld:
    """One field of the melding: its key (also the --invoer TOML key), its words and its widget."""

    naam: str
    label: str  # the form's caption
    kort: str  # the field in a sentence: "In het veld '...' staat ..."
    met_lidwoord: str = ""  # "Vul ... in."
    hint: str = ""  # placeholder text in the form
    invoer: Invoer = Invoer.TEKST
    keuzes: tuple[tuple[str, str], ...] = ()  # (value, form label) for Invoer.KEUZE


# In form order; the validation reports problems in this order too.
VELDEN: tuple[Veld, ...] = (
    Veld(
        "soort",
        "Wat is er veranderd?",
        "soort wijziging",
        "de soort wijziging",
        invoer=Invoer.KEUZE,
        keuzes=(
            (SOFTWAREPAKKET, "Ander softwarepakket"),
            (BERICHTGEVER, "Andere berichtgever"),
            (CONTACTPERSOON, "Alleen contactgegevens gewijzigd"),
            (HERINDELING, "Gemeentelijke herindeling"),
        ),
    ),
    Veld(
        "gemeentecode",
        "Gemeente",
        "gemeente",
        "de gemeente",
        "typ een deel van de naam of de code",
        Invoer.GEMEENTE,
    ),
    Veld(
        "berichtgevercode_oud",
        "Berichtgevercode",
        "berichtgevercode (tot nu toe)",
        "de berichtgevercode",
        "4 cijfers, bijvoorbeeld 1234",
    ),
    Veld(
        "berichtgevercode_nieuw",
        "Nieuwe berichtgevercode",
        "nieuwe berichtgevercode",
        "de nieuwe berichtgevercode",
        "alleen als die verandert",
    ),
    Veld(
        "pakket_oud",
        "Softwarepakket tot nu toe",
        "softwarepakket tot nu toe",
        "het softwarepakket tot nu toe (naam en versie)",
        "naam en versie",
    ),
    Veld(
        "pakket_nieuw",
        "Nieuw softwarepakket",
        "nieuw softwarepakket",
        "het nieuwe softwarepakket (naam en versie)",
        "naam en versie",
    ),
    Veld(
        "gemeentecodes_oud",
        "Opgeheven gemeenten",
        "opgeheven gemeenten",
        "de gemeentecodes van de opgeheven gemeenten",
        "alleen als de herindeling niet in de lijst staat: 0501, 0530",
    ),
    Veld(
        "ingangsmaand",
        "Geldt vanaf verslagmaand",
        "ingangsmaand",
        "de ingangsmaand (JJJJ-MM)",
        "JJJJ-MM, bijvoorbeeld 2027-01",
    ),
    Veld(
        "contact_naam",
        "Naam contactpersoon",
        "naam contactpersoon",
        "de naam van de contactpersoon",
    ),
    Veld(
        "contact_email",
        "E-mail contactpersoon",
        "e-mailadres contactpersoon",
        "het e-mailadres van de contactpersoon",
        "naam@gemeente.nl",
    ),
    Veld(
        "contact_telefoon",
        "Telefoon contactpersoon",
        "telefoonnummer contactpersoon",
        "het telefoonnummer van de contactpersoon",
        "06-12345678 of 020-1234567",
    ),
    Veld(
        "contact_oud_naam",
        "Naam vorige contactpersoon",
        "naam vorige contactpersoon",
        "de naam van de vorige contactpersoon",
        "leeg als dezelfde persoon blijft",
    ),
    Veld(
        "contact_oud_email",
        "E-mail vorige contactpersoon",
        "e-mailadres vorige contactpersoon",
        "het e-mailadres van de vorige contactpersoon",
        "alleen als dat verandert",
    ),
    Veld(
        "contact_oud_telefoon",
        "Telefoon vorige contactpersoon",
        "telefoonnummer vorige contactpersoon",
        "het telefoonnummer van de vorige contactpersoon",
        "alleen als dat verandert",
    ),
    Veld(
        "conversiebestand",
        "Conversiebestand",
        "conversiebestand",
        "hoe het conversiebestand naar CBS gaat",
        invoer=Invoer.KEUZE,
        keuzes=(
            (PORTAAL, "Via het CBS-portaal"),
            (BIJLAGE, "Als bijlage bij deze e-mail (alleen zonder BSN)"),
            (GEEN, "Niet nodig"),
        ),
    ),
    Veld(
        "bijlage_pad",
        "Bestand voor de bijlage",
        "bestand voor de bijlage",
        "het bestand voor de bijlage",
        "het conversiebestand (.xlsx of .csv)",
        Invoer.BESTAND,
    ),
    Veld(
        "opmerking",
        "Opmerking",
        "opmerking",
        "een opmerking",
        "Wat CBS verder moet weten. Nooit een BSN.",
        Invoer.MEERREGELIG,
    ),
)
VELD = {veld.naam: veld for veld in VELDEN}
# Kept for callers of the single-module melding.
LABELS = {veld.naam: veld.kort for veld in VELDEN}
MET_LIDWOORD = {veld.naam: veld.met_lidwoord for veld in VELDEN}
CONTACT_OUD = ("contact_oud_naam", "contact_oud_email", "contact_oud_telefoon")

# Per soort: the fields that must be filled in ("verplicht") and the ones the form shows as
# optional. Fields in neither are hidden in the form and left out of the text. For a
# contactpersoon the old details are optional one by one, but at least one must be given (see
# validation): a person who keeps their name and gets a new phone number is a change too.
VERPLICHT_ALTIJD = (
    "gemeentecode",
    "ingangsmaand",
    "contact_naam",
    "contact_email",
    "contact_telefoon",
)
ALTIJD_ZICHTBAAR = ("soort", "conversiebestand", "opmerking", "bijlage_pad")
VELDEN_PER_SOORT: dict[str, dict[str, tuple[str, ...]]] = {
    SOFTWAREPAKKET: {
        "verplicht": ("berichtgevercode_oud", "pakket_oud", "pakket_nieuw"),
        "optioneel": ("berichtgevercode_nieuw", *CONTACT_OUD),
    },
    BERICHTGEVER: {
        "verplicht": ("berichtgevercode_oud", "berichtgevercode_nieuw"),
        "optioneel": ("pakket_oud", "pakket_nieuw", *CONTACT_OUD),
    },
    CONTACTPERSOON: {
        "verplicht": ("berichtgevercode_oud",),
        "optioneel": CONTACT_OUD,
    },
    HERINDELING: {
        "verplicht": (),
        "optioneel": (
            "gemeentecodes_oud",
            "berichtgevercode_oud",
            "berichtgevercode_nieuw",
            "pakket_oud",
            "pakket_nieuw",
            *CONTACT_OUD,
        ),
    },
}


def verplichte_velden(soort: str) -> set[str]:
    """The fields that must be filled in for this soort."""
    return set(VERPLICHT_ALTIJD) | set(VELDEN_PER_SOORT.get(soort, {}).get("verplicht", ()))


def zichtbare_velden(soort: str) -> set[str]:
    """The fields the form shows (and the text may use) for this soort."""
    per_soort = VELDEN_PER_SOORT.get(soort, {})
    return verplichte_velden(soort) | set(per_soort.get("optioneel", ())) | set(ALTIJD_ZICHTBAAR)


_MONTH_RE = re.compile(r"^(\d{4})-?(\d{1,2})$")
_CODE4_RE = re.compile(r"^\d{1,4}$")


@dataclass
class Wijzigingsmelding:
    """What the gemeente tells CBS. Field names are the keys of the --invoer TOML file and of
    `VELDEN`.

    All values are text as typed; `normalised()` pads codes and trims spaces.
    """

    soort: str = ""
    gemeentecode: str = ""
    berichtgevercode_oud: str = ""
    berichtgevercode_nieuw: str = ""
    pakket_oud: str = ""
    pakket_nieuw: str = ""
    ingangsmaand: str = ""
    contact_naam: str = ""
    contact_email: str = ""
    contact_telefoon: str = ""
    contact_oud_naam: str = ""
    contact_oud_email: str = ""
    contact_oud_telefoon: str = ""
    conversiebestand: str = ""
    opmerking: str = ""
    bijlage_pad: str = ""
    gemeentecodes_oud: str = ""

    def normalised(self) -> Wijzigingsmelding:
        """A copy with spaces trimmed, codes padded to 4 digits, months as JJJJ-MM and the
        default conversiebestand for the soort filled in."""
        values = {f.name: str(getattr(self, f.name) or "").strip() for f in fields(self)}
        values["soort"] = values["soort"].lower()
        values["conversiebestand"] = values["conversiebestand"].lower()
        values["gemeentecode"] = (
            gemeenten.parse_gemeentecode(
                values["gemeentecode"], op=maand_begin(values["ingangsmaand"])
            )
            or values["gemeentecode"]
        )
        for name in ("berichtgevercode_oud", "berichtgevercode_nieuw"):
            if _CODE4_RE.match(values[name]):
                values[name] = values[name].zfill(4)
        month = _MONTH_RE.match(values["ingangsmaand"])
        if month and 1 <= int(month.group(2)) <= 12:
            values["ingangsmaand"] = f"{month.group(1)}-{int(month.group(2)):02d}"
        if not values["conversiebestand"] and values["soort"] in STANDAARD_CONVERSIEBESTAND:
            values["conversiebestand"] = STANDAARD_CONVERSIEBESTAND[values["soort"]]
        return Wijzigingsmelding(**values)

    def ingang(self) -> date | None:
        """First day of the ingangsmaand, or None when it is not a valid JJJJ-MM."""
        return maand_begin(self.ingangsmaand)


def maand_begin(text: str) -> date | None:
    """First day of a JJJJ-MM month (2000–2100), or None."""
    match = _MONTH_RE.match(text.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


INVOER_SLEUTELS = tuple(f.name for f in fields(Wijzigingsmelding))


@dataclass(frozen=True)
class Fout:
    """One validation problem: the field it belongs to and a Dutch sentence saying what to do."""

    veld: str
    tekst: str
    ontbreekt: bool = False  # a required field left empty (the form shows these only on save)


@dataclass
class Concept:
    """A rendered draft: what goes in the .eml and the .txt."""

    aan: list[str]
    cc: list[str]
    onderwerp: str
    tekst: str
    bijlage: Path | None = None
    # Values the scan judged not to be a BSN (phone numbers in the phone fields); the last gate
    # before writing skips exactly these strings, so it agrees with the field check.
    telefoonnummers: tuple[str, ...] = ()

    def as_text(self) -> str:
        """The .txt content: addressees and subject on top, so it also works without Outlook."""
        head = [f"Aan: {', '.join(self.aan)}"]
        if self.cc:
            head.append(f"Cc: {', '.join(self.cc)}")
        head.append(f"Onderwerp: {self.onderwerp}")
        if self.bijlage:
            head.append(f"Bijlage: {self.bijlage.name}")
        return "\n".join(head) + "\n\n" + self.tekst


def maand_tekst(dag: date) -> str:
    return f"{MAANDEN[dag.month - 1]} {dag.year}"


def datum_tekst(dag: date) -> str:
    return f"{dag.day} {MAANDEN[dag.month - 1]} {dag.year}"


def split_codes(text: str) -> list[str]:
    """Gemeentecodes typed with commas, semicolons or spaces between them, padded to 4 digits."""
    parts = [p for p in re.split(r"[\s,;]+", text) if p]
    return [gemeenten.normalise_code(p) or p for p in parts]


def herindelingen_voor(gemeentecode: str, ingang: date) -> list[gemeenten.Herindeling]:
    """The merger a melding is about: the latest one into the gemeente that took effect in the
    year before the end of the ingangsmaand (Weesp: 24 March 2022 for ingangsmaand 2022-04)."""
    end = date(ingang.year + (ingang.month == 12), ingang.month % 12 + 1, 1)
    last_day = end - timedelta(days=1)
    rows = gemeenten.samengevoegd_tot(gemeentecode, op=last_day)
    return [h for h in rows if (last_day - h.datum).days <= 366]
