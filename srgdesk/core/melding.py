"""The wijzigingsmelding: an email draft to CBS about a new software package, berichtgever,
contact person or a herindeling, written as an Outlook-ready .eml and as plain text.

The wording lives in resources/melding/sjabloon.toml and the addresses in
resources/melding/cbs.toml, so a gemeente can change them without code. The draft never holds
a BSN: every field, the rendered text and an attached conversiebestand are scanned, and a
draft with a possible BSN is refused (see `find_bsn`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import mimetypes
import re
import string
import sys
import tomllib
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from email import policy
from email.message import EmailMessage
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from srgdesk.core import gemeenten
from srgdesk.core.bsn import bsn_is_valid
from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import MAANDEN
from srgdesk.core.output_files import write_atomically
from srgdesk.core.resources import resource_path

SOFTWAREPAKKET = "softwarepakket"
BERICHTGEVER = "berichtgever"
CONTACTPERSOON = "contactpersoon"
HERINDELING = "herindeling"
SOORTEN = (SOFTWAREPAKKET, BERICHTGEVER, CONTACTPERSOON, HERINDELING)
SOORT_TEKST = {
    SOFTWAREPAKKET: "ander softwarepakket",
    BERICHTGEVER: "andere berichtgever",
    CONTACTPERSOON: "nieuwe contactpersoon",
    HERINDELING: "gemeentelijke herindeling",
}

PORTAAL = "portaal"
BIJLAGE = "bijlage"
GEEN = "geen"
CONVERSIEBESTAND_KEUZES = (PORTAAL, BIJLAGE, GEEN)
# Which files can be scanned for a BSN before they are attached.
BIJLAGE_SOORTEN = (".csv", ".txt", ".xlsx")
MAX_BIJLAGE_BYTES = 10 * 1024 * 1024

# A mailto: link is offered only for short texts (subject + body); long links are cut off by
# Windows and some mail programs. The encoded link itself is longer than the text.
MAILTO_MAX = 2000
EML_NAAM = "wijzigingsmelding.eml"
TXT_NAAM = "wijzigingsmelding.txt"


# Field labels in the words of the form, and with their article for "Vul ... in."
LABELS = {
    "soort": "soort wijziging",
    "gemeentecode": "gemeente",
    "berichtgevercode_oud": "berichtgevercode (tot nu toe)",
    "berichtgevercode_nieuw": "nieuwe berichtgevercode",
    "pakket_oud": "softwarepakket tot nu toe",
    "pakket_nieuw": "nieuw softwarepakket",
    "ingangsmaand": "ingangsmaand",
    "contact_naam": "naam contactpersoon",
    "contact_email": "e-mailadres contactpersoon",
    "contact_telefoon": "telefoonnummer contactpersoon",
    "contact_oud_naam": "naam vorige contactpersoon",
    "contact_oud_email": "e-mailadres vorige contactpersoon",
    "contact_oud_telefoon": "telefoonnummer vorige contactpersoon",
    "conversiebestand": "conversiebestand",
    "opmerking": "opmerking",
    "bijlage_pad": "bestand voor de bijlage",
    "gemeentecodes_oud": "opgeheven gemeenten",
}
MET_LIDWOORD = {
    "soort": "de soort wijziging",
    "gemeentecode": "de gemeente",
    "berichtgevercode_oud": "de berichtgevercode",
    "berichtgevercode_nieuw": "de nieuwe berichtgevercode",
    "pakket_oud": "het softwarepakket tot nu toe (naam en versie)",
    "pakket_nieuw": "het nieuwe softwarepakket (naam en versie)",
    "ingangsmaand": "de ingangsmaand (JJJJ-MM)",
    "contact_naam": "de naam van de contactpersoon",
    "contact_email": "het e-mailadres van de contactpersoon",
    "contact_telefoon": "het telefoonnummer van de contactpersoon",
    "contact_oud_naam": "de naam van de vorige contactpersoon",
    "contact_oud_email": "het e-mailadres van de vorige contactpersoon",
    "contact_oud_telefoon": "het telefoonnummer van de vorige contactpersoon",
}

# Per soort: the fields that must be filled in ("verplicht") and the ones the form shows as
# optional. Fields in neither are hidden in the form and left out of the text.
VERPLICHT_ALTIJD = (
    "gemeentecode",
    "ingangsmaand",
    "contact_naam",
    "contact_email",
    "contact_telefoon",
)
VELDEN_PER_SOORT: dict[str, dict[str, tuple[str, ...]]] = {
    SOFTWAREPAKKET: {
        "verplicht": ("berichtgevercode_oud", "pakket_oud", "pakket_nieuw"),
        "optioneel": (
            "berichtgevercode_nieuw",
            "contact_oud_naam",
            "contact_oud_email",
            "contact_oud_telefoon",
        ),
    },
    BERICHTGEVER: {
        "verplicht": ("berichtgevercode_oud", "berichtgevercode_nieuw"),
        "optioneel": (
            "pakket_oud",
            "pakket_nieuw",
            "contact_oud_naam",
            "contact_oud_email",
            "contact_oud_telefoon",
        ),
    },
    CONTACTPERSOON: {
        "verplicht": ("berichtgevercode_oud", "contact_oud_naam"),
        "optioneel": ("contact_oud_email", "contact_oud_telefoon"),
    },
    HERINDELING: {
        "verplicht": (),
        "optioneel": (
            "gemeentecodes_oud",
            "berichtgevercode_oud",
            "berichtgevercode_nieuw",
            "pakket_oud",
            "pakket_nieuw",
            "contact_oud_naam",
            "contact_oud_email",
            "contact_oud_telefoon",
        ),
    },
}
STANDAARD_CONVERSIEBESTAND = {
    SOFTWAREPAKKET: PORTAAL,
    BERICHTGEVER: PORTAAL,
    HERINDELING: PORTAAL,
    CONTACTPERSOON: GEEN,
}

_EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,}$"
)
_MONTH_RE = re.compile(r"^(\d{4})-?(\d{1,2})$")
_CODE4_RE = re.compile(r"^\d{1,4}$")


@dataclass
class Wijzigingsmelding:
    """What the gemeente tells CBS. Field names are the keys of the --invoer TOML file.

    All values are text as typed; `normalised()` pads codes and trims spaces. `bijlage_pad` and
    `gemeentecodes_oud` (comma-separated, for a herindeling that is not in the shipped list) are
    the two keys beyond the issue's list.
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
        for name in ("gemeentecode", "berichtgevercode_oud", "berichtgevercode_nieuw"):
            code = values[name]
            if name == "gemeentecode":
                values[name] = gemeenten.normalise_code(code) or code
            elif _CODE4_RE.match(code):
                values[name] = code.zfill(4)
        month = _MONTH_RE.match(values["ingangsmaand"])
        if month and 1 <= int(month.group(2)) <= 12:
            values["ingangsmaand"] = f"{month.group(1)}-{int(month.group(2)):02d}"
        if not values["conversiebestand"] and values["soort"] in STANDAARD_CONVERSIEBESTAND:
            values["conversiebestand"] = STANDAARD_CONVERSIEBESTAND[values["soort"]]
        return Wijzigingsmelding(**values)

    def ingang(self) -> date | None:
        """First day of the ingangsmaand, or None when it is not a valid JJJJ-MM."""
        match = _MONTH_RE.match(self.ingangsmaand.strip())
        if not match:
            return None
        year, month = int(match.group(1)), int(match.group(2))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            return None
        return date(year, month, 1)


@dataclass(frozen=True)
class Fout:
    """One validation problem: the field it belongs to and a Dutch sentence saying what to do."""

    veld: str
    tekst: str
    ontbreekt: bool = False  # a required field left empty (the form shows these only on save)


@dataclass
class Concept:
    """The rendered draft: what goes in the .eml and the .txt."""

    aan: list[str]
    cc: list[str]
    onderwerp: str
    tekst: str
    bijlage: Path | None = None

    def as_text(self) -> str:
        """The .txt content: addressees and subject on top, so it also works without Outlook."""
        head = [f"Aan: {', '.join(self.aan)}"]
        if self.cc:
            head.append(f"Cc: {', '.join(self.cc)}")
        head.append(f"Onderwerp: {self.onderwerp}")
        if self.bijlage:
            head.append(f"Bijlage: {self.bijlage.name}")
        return "\n".join(head) + "\n\n" + self.tekst

    def as_eml(self) -> bytes:
        """An unsent message Outlook opens for editing: X-Unsent, no From, CRLF line ends,
        UTF-8 body in quoted-printable and an RFC 2047 encoded subject."""
        message = EmailMessage(policy=policy.SMTP)
        message["To"] = ", ".join(self.aan)
        if self.cc:
            message["Cc"] = ", ".join(self.cc)
        message["Subject"] = self.onderwerp
        message["X-Unsent"] = "1"
        message.set_content(self.tekst, charset="utf-8", cte="quoted-printable")
        if self.bijlage:
            data = self.bijlage.read_bytes()
            mime, _ = mimetypes.guess_type(self.bijlage.name)
            maintype, _, subtype = (mime or "application/octet-stream").partition("/")
            message.add_attachment(
                data, maintype=maintype, subtype=subtype, filename=self.bijlage.name
            )
            # A boundary from the content keeps the file the same for the same melding.
            digest = hashlib.sha256(self.tekst.encode() + data).hexdigest()[:32]
            message.set_boundary(f"=_srgdesk_{digest}")
        return message.as_bytes(policy=policy.SMTP)

    def mailto(self) -> str | None:
        """A mailto: link with subject and body, or None when it would be too long to open."""
        safe = "-_.~!$'()*,;:@/?"
        url = (
            f"mailto:{','.join(quote(a, safe='@.-_') for a in self.aan)}"
            f"?subject={quote(self.onderwerp, safe=safe)}"
        )
        if self.cc:
            url += f"&cc={','.join(quote(a, safe='@.-_') for a in self.cc)}"
        url += f"&body={quote(self.tekst.replace(chr(10), chr(13) + chr(10)), safe=safe)}"
        return url if past_in_mailto(self) else None


def past_in_mailto(concept: Concept) -> bool:
    """Short enough for 'Open in mailprogramma' (subject and body under MAILTO_MAX)."""
    return len(concept.onderwerp) + len(concept.tekst) < MAILTO_MAX


# --- BSN scan -----------------------------------------------------------------------------

# Dutch phone numbers are a 0 (or +31 / 0031) plus 9 digits, often with separators; they are
# masked first so '06-12345678' is not read as the 8-digit number 12345678.
_PHONE_RE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)31[ \t.-]*(?:\(0\)[ \t.-]*)?|\(?0)(?:\d[ \t.()-]{0,2}){8}\d(?!\d)"
)
# BSNs are often written in groups: 123.456.782, 123 456 782, 1234.56.782. Only these exact
# groupings are joined; all other digit runs are taken as they stand.
_GROUPED_RE = re.compile(
    r"(?<!\d)(?:(\d{3})([ .-])(\d{3})\2(\d{3})|(\d{4})([ .])(\d{2})\6(\d{3}))"
    r"(?!\d)"
)
_RUN_RE = re.compile(r"(?<!\d)\d{8,9}(?!\d)")


def find_bsn(text: str) -> bool:
    """True when `text` holds a number that can be a BSN.

    Rule (kept simple on purpose): mask Dutch phone numbers, join the usual BSN groupings
    (3-3-3 with space, dot or dash; 4-2-3 with space or dot), then look for runs of exactly 8
    or 9 digits bounded by non-digits (letters count as bounds, so 'nr123456782' is found) that
    pass the elfproef after padding to 9 digits. Some other numbers pass by chance (about 1 in
    11); a false alarm asks the user to remove the number, which is the safe side.
    """
    if not text:
        return False
    masked = _PHONE_RE.sub(" TEL ", text)
    joined = _GROUPED_RE.sub(lambda m: "".join(g for g in m.group(1, 3, 4, 5, 7, 8) if g), masked)
    return any(bsn_is_valid(run) for run in _RUN_RE.findall(joined))


def bsn_velden(melding: Wijzigingsmelding) -> list[str]:
    """Names of the fields that hold a possible BSN (phone fields too: a BSN typed there is
    still a BSN)."""
    found = []
    for f in fields(melding):
        value = str(getattr(melding, f.name) or "")
        if f.name == "bijlage_pad":  # only the file name goes into the email, not the folders
            value = Path(value).name
        if find_bsn(value):
            found.append(f.name)
    return found


def bijlage_bevat_bsn(path: Path) -> bool:
    """Scan every cell of a CSV/TXT or XLSX conversiebestand for a possible BSN."""
    path = Path(path)
    stat = path.stat()
    return _scan_file(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _scan_file(path: Path, mtime_ns: int, size: int) -> bool:
    # Cached on modification time and size: the form re-validates on every key press.
    return any(find_bsn(cell) for cell in _cells(path))


def _cells(path: Path) -> Iterator[str]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from _xlsx_cells(path)
        return
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # Scan whole lines and, separately, each cell, so a BSN split over a separator-less layout
    # and one inside a quoted cell are both found.
    yield text
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t|")
    except csv.Error:
        dialect = None
    if dialect:
        for row in csv.reader(io.StringIO(text), dialect):
            yield from row


def _xlsx_cells(path: Path) -> Iterator[str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InvoerFout(
            f"{path.name} kan niet worden gelezen als Excel-bestand. Kies een ander bestand "
            "of lever het conversiebestand via het CBS-portaal."
        ) from exc
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, float) and value.is_integer():
                        value = int(value)
                    yield str(value)
    finally:
        workbook.close()


# --- validation ---------------------------------------------------------------------------


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
    verplicht = set(VERPLICHT_ALTIJD) | set(VELDEN_PER_SOORT.get(m.soort, {}).get("verplicht", ()))
    for veld in verplicht:
        if not getattr(m, veld):
            fout(veld, f"Vul {MET_LIDWOORD[veld]} in.", ontbreekt=True)
    ingang = m.ingang()
    if m.ingangsmaand and ingang is None:
        fout("ingangsmaand", "Schrijf de ingangsmaand als JJJJ-MM, bijvoorbeeld 2025-01.")
    _check_gemeente(m, ingang, fout)
    for veld in ("berichtgevercode_oud", "berichtgevercode_nieuw"):
        value = getattr(m, veld)
        if value and not re.fullmatch(r"\d{4}", value):
            fout(
                veld,
                f"{MET_LIDWOORD[veld].capitalize()} is een code van 4 cijfers, bijvoorbeeld 1234.",
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
                f"{MET_LIDWOORD[veld].capitalize()} klopt niet. Schrijf het als naam@gemeente.nl.",
            )
    for veld in ("contact_telefoon", "contact_oud_telefoon"):
        value = getattr(m, veld)
        if value and not telefoon_is_geldig(value):
            fout(
                veld,
                f"{MET_LIDWOORD[veld].capitalize()} klopt niet. Schrijf 10 cijfers, "
                "bijvoorbeeld 06-12345678 of 020-1234567.",
            )
    if (
        m.soort == CONTACTPERSOON
        and m.contact_oud_naam
        and (m.contact_oud_naam, m.contact_oud_email, m.contact_oud_telefoon)
        == (m.contact_naam, m.contact_email, m.contact_telefoon)
    ):
        fout(
            "contact_naam",
            "De nieuwe contactpersoon is dezelfde als de vorige. Vul de "
            "gegevens van de nieuwe contactpersoon in.",
        )
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
                f"In het veld '{LABELS.get(veld, veld)}' staat een nummer dat een BSN kan zijn. Een "
                "e-mail aan CBS mag geen BSN bevatten: haal het nummer weg. Gegevens met een BSN gaan "
                "alleen via het CBS-portaal.",
            )
        )
    order = {f.name: i for i, f in enumerate(fields(Wijzigingsmelding))}
    fouten.sort(key=lambda f: order.get(f.veld, len(order)))
    return fouten


def telefoon_is_geldig(value: str) -> bool:
    """Dutch numbers: 0 plus 9 digits, or +31/0031 plus 9 digits; other countries: + and 8 to
    15 digits. Spaces, dashes, dots and brackets are allowed."""
    text = re.sub(r"[\s.\-()]", "", value.replace("(0)", ""))
    if re.fullmatch(r"0\d{9}", text):
        return True
    if re.fullmatch(r"(?:\+|00)31\d{9}", text):
        return True
    return bool(re.fullmatch(r"\+(?!31)\d{8,15}", text))


def _check_gemeente(m: Wijzigingsmelding, ingang: date | None, fout) -> None:
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


def _check_herindeling(m: Wijzigingsmelding, ingang: date | None, fout) -> None:
    if m.gemeentecodes_oud:
        for code in _split_codes(m.gemeentecodes_oud):
            if gemeenten.gemeente(code) is None:
                fout(
                    "gemeentecodes_oud",
                    f"Gemeentecode {code} bij de opgeheven gemeenten "
                    "bestaat niet. Schrijf codes van 4 cijfers, met "
                    "komma's ertussen.",
                )
        return
    if m.gemeentecode and ingang and not _herindelingen(m, ingang):
        fout(
            "gemeentecodes_oud",
            "Deze herindeling staat niet in de lijst van srgdesk. Vul de "
            "gemeentecodes van de opgeheven gemeenten in, met komma's "
            "ertussen (bijvoorbeeld 0501, 0530).",
        )


def _check_conversiebestand(m: Wijzigingsmelding, fout) -> None:
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


# --- rendering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sjabloon:
    onderwerp: dict[str, str]
    brief: str
    wijziging: dict[str, str]
    conversiebestand: dict[str, str]


@dataclass(frozen=True)
class CbsAdressen:
    aan: list[str]
    cc: list[str] = field(default_factory=list)
    srg: str = ""
    portaal: str = ""


def _read_toml(path: Path, what: str) -> dict:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except OSError as exc:
        raise InvoerFout(
            f"Het {what} ({path}) kan niet worden gelezen. Controleer het pad."
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvoerFout(
            f"Het {what} ({path.name}) heeft een schrijffout: {exc}. Herstel het bestand."
        ) from exc


def load_sjabloon(path: Path | None = None) -> Sjabloon:
    """The wording; `path` is a gemeente's own copy, default the one in resources/."""
    path = Path(path) if path else resource_path("melding", "sjabloon.toml")
    data = _read_toml(path, "sjabloon")
    try:
        sjabloon = Sjabloon(
            onderwerp={k: str(v).strip() for k, v in data["onderwerp"].items()},
            brief=str(data["brief"]["tekst"]),
            wijziging={k: str(v) for k, v in data["wijziging"].items()},
            conversiebestand={k: str(v) for k, v in data["conversiebestand"].items()},
        )
    except (KeyError, AttributeError, TypeError) as exc:
        raise InvoerFout(
            f"Het sjabloon {path.name} mist een onderdeel ({exc}). Begin opnieuw "
            "met een kopie van het standaardsjabloon."
        ) from exc
    missing = [s for s in SOORTEN if s not in sjabloon.onderwerp or s not in sjabloon.wijziging]
    missing += [k for k in CONVERSIEBESTAND_KEUZES if k not in sjabloon.conversiebestand]
    if missing:
        raise InvoerFout(
            f"Het sjabloon {path.name} mist de tekst voor: {', '.join(missing)}. Vul die aan."
        )
    return sjabloon


def load_adressen(path: Path | None = None) -> CbsAdressen:
    path = Path(path) if path else resource_path("melding", "cbs.toml")
    data = _read_toml(path, "adressenbestand")
    melding = data.get("melding", {})
    adressen = data.get("adressen", {})
    aan = [str(a) for a in melding.get("aan", [])]
    if not aan:
        raise InvoerFout(f"In {path.name} staat geen adres bij 'aan'. Vul SZ_Bijstand@cbs.nl in.")
    return CbsAdressen(
        aan=aan,
        cc=[str(a) for a in melding.get("cc", [])],
        srg=str(adressen.get("srg", "")),
        portaal=str(adressen.get("portaal", "")),
    )


def maand_tekst(dag: date) -> str:
    return f"{MAANDEN[dag.month - 1]} {dag.year}"


def datum_tekst(dag: date) -> str:
    return f"{dag.day} {MAANDEN[dag.month - 1]} {dag.year}"


def _split_codes(text: str) -> list[str]:
    parts = [p for p in re.split(r"[\s,;]+", text) if p]
    return [gemeenten.normalise_code(p) or p for p in parts]


def _herindelingen(m: Wijzigingsmelding, ingang: date) -> list[gemeenten.Herindeling]:
    """The merger this melding is about: the latest one into the gemeente that took effect in
    the year before the end of the ingangsmaand (Weesp: 24 March 2022 for ingangsmaand 2022-04)."""
    end = date(ingang.year + (ingang.month == 12), ingang.month % 12 + 1, 1)
    last_day = end - timedelta(days=1)
    rows = gemeenten.samengevoegd_tot(m.gemeentecode, op=last_day)
    return [h for h in rows if (last_day - h.datum).days <= 366]


def velden(melding: Wijzigingsmelding) -> dict[str, str]:
    """The values the template may use, all text; unknown or missing ones are ''."""
    m = melding
    ingang = m.ingang()
    found = gemeenten.gemeente(m.gemeentecode) if m.gemeentecode else None
    relevant = set(VERPLICHT_ALTIJD) | {"conversiebestand", "opmerking", "soort"}
    per_soort = VELDEN_PER_SOORT.get(m.soort, {})
    relevant |= set(per_soort.get("verplicht", ())) | set(per_soort.get("optioneel", ()))
    values = {f.name: (getattr(m, f.name) if f.name in relevant else "") for f in fields(m)}
    values.update(
        gemeentenaam=found.naam if found else "",
        soort_tekst=SOORT_TEKST.get(m.soort, ""),
        ingangsmaand=m.ingangsmaand if ingang else "",
        ingangsmaand_tekst=maand_tekst(ingang) if ingang else "",
        herindelingsdatum="",
        gemeenten_oud_lijst="",
        bijlage_naam=Path(m.bijlage_pad).name
        if m.conversiebestand == BIJLAGE and m.bijlage_pad
        else "",
    )
    if m.soort == HERINDELING and ingang:
        if m.gemeentecodes_oud:
            codes = _split_codes(m.gemeentecodes_oud)
            oud = [(c, gemeenten.gemeentenaam(c) or "") for c in codes]
            values["herindelingsdatum"] = datum_tekst(ingang)
        else:
            rows = _herindelingen(m, ingang) if m.gemeentecode else []
            oud = [(h.oude_code, h.oude_naam) for h in rows]
            if rows:
                values["herindelingsdatum"] = datum_tekst(rows[0].datum)
        values["gemeenten_oud_lijst"] = "\n".join(
            f"- {naam} (gemeentecode {code})" if naam else f"- gemeentecode {code}"
            for code, naam in oud
        )
    return values


def _fill(template: str, values: dict[str, str], where: str) -> str:
    """Substitute ${name}; drop a paragraph, then a line, whose placeholders are all empty."""
    pattern = string.Template.pattern

    def names(text: str) -> list[str]:
        found = []
        for match in pattern.finditer(text):
            name = match.group("named") or match.group("braced")
            if name:
                found.append(name)
            elif match.group("invalid") is not None:
                raise InvoerFout(
                    f"Het sjabloon ({where}) bevat een losse $. Schrijf $$ voor een "
                    "dollarteken of ${naam} voor een veld."
                )
        return found

    def all_empty(text: str) -> bool:
        used = names(text)
        return bool(used) and all(not values.get(n, "").strip() for n in used)

    unknown = sorted({n for n in names(template) if n not in values})
    if unknown:
        raise InvoerFout(
            f"Het sjabloon ({where}) gebruikt onbekende velden: "
            f"{', '.join('$' + n for n in unknown)}. Haal ze weg of verbeter de "
            "spelling."
        )
    paragraphs = re.split(r"\n\s*\n", template.strip("\n"))
    kept = []
    for paragraph in paragraphs:
        if all_empty(paragraph):
            continue
        lines = [line for line in paragraph.split("\n") if not all_empty(line)]
        text = string.Template("\n".join(lines)).substitute(values).strip("\n")
        if text.strip():
            kept.append(text)
    return "\n\n".join(kept)


def render(
    melding: Wijzigingsmelding,
    sjabloon: Sjabloon | None = None,
    adressen: CbsAdressen | None = None,
) -> Concept:
    """The draft for a (normalised) melding. Does not validate: the preview shows incomplete
    meldingen too; `maak_concept` validates and scans for a BSN."""
    sjabloon = sjabloon or load_sjabloon()
    adressen = adressen or load_adressen()
    values = velden(melding)
    values.update(
        adres_melding=", ".join(adressen.aan),
        adres_srg=adressen.srg,
        adres_portaal=adressen.portaal,
    )
    soort = melding.soort if melding.soort in SOORTEN else ""
    values["wijziging"] = (
        _fill(sjabloon.wijziging[soort], values, f"wijziging.{soort}") if soort else ""
    )
    keuze = melding.conversiebestand
    values["conversiebestand"] = (
        _fill(sjabloon.conversiebestand[keuze], values, f"conversiebestand.{keuze}")
        if keuze in CONVERSIEBESTAND_KEUZES
        else ""
    )
    tekst = _fill(sjabloon.brief, values, "brief") + "\n"
    onderwerp = ""
    if soort:
        onderwerp = " ".join(_fill(sjabloon.onderwerp[soort], values, "onderwerp").split())
    bijlage = Path(melding.bijlage_pad) if keuze == BIJLAGE and melding.bijlage_pad else None
    return Concept(
        aan=adressen.aan, cc=adressen.cc, onderwerp=onderwerp, tekst=tekst, bijlage=bijlage
    )


def maak_concept(
    melding: Wijzigingsmelding,
    sjabloon: Sjabloon | None = None,
    adressen: CbsAdressen | None = None,
) -> Concept:
    """Validate, render and scan; raises InvoerFout listing every problem by field."""
    melding = melding.normalised()
    fouten = valideer(melding)
    if fouten:
        regels = "\n".join(f"- {f.veld}: {f.tekst}" for f in fouten)
        raise InvoerFout(f"De wijzigingsmelding is niet gemaakt. Pas dit aan:\n{regels}")
    concept = render(melding, sjabloon, adressen)
    controleer_geen_bsn(concept)
    return concept


def controleer_geen_bsn(concept: Concept) -> None:
    """The last gate before writing: refuse a draft whose text could contain a BSN."""
    parts: Iterable[str] = (
        concept.onderwerp,
        concept.tekst,
        *concept.aan,
        *concept.cc,
        concept.bijlage.name if concept.bijlage else "",
    )
    if any(find_bsn(part) for part in parts) or (
        concept.bijlage is not None and bijlage_bevat_bsn(concept.bijlage)
    ):
        raise InvoerFout(
            "De wijzigingsmelding is niet gemaakt: de tekst of de bijlage bevat een nummer dat "
            "een BSN kan zijn. Haal het nummer weg (ook uit het sjabloon). Gegevens met een BSN "
            "gaan alleen via het CBS-portaal."
        )


def write_concept(concept: Concept, eml_path: Path, protected: Iterable[Path] = ()) -> Path:
    """Write the .eml and, beside it with the same name, the .txt (UTF-8 with BOM and CRLF, so
    Notepad shows é and ë). Returns the .txt path."""
    controleer_geen_bsn(concept)
    eml_path = Path(eml_path)
    txt_path = eml_path.with_suffix(".txt")
    protected = list(protected)
    eml = concept.as_eml()
    txt = concept.as_text().replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8-sig")
    write_atomically(eml_path, lambda stream: stream.write(eml), protected)
    write_atomically(txt_path, lambda stream: stream.write(txt), protected)
    return txt_path


def write_melding(
    melding: Wijzigingsmelding,
    folder: Path,
    protected: Iterable[Path] = (),
    sjabloon: Sjabloon | None = None,
) -> tuple[Path, Path]:
    """Validate and write wijzigingsmelding.eml and .txt into `folder`."""
    concept = maak_concept(melding, sjabloon)
    eml_path = Path(folder) / EML_NAAM
    txt_path = write_concept(concept, eml_path, protected)
    return eml_path, txt_path


# --- input and mail launch ----------------------------------------------------------------

INVOER_SLEUTELS = tuple(f.name for f in fields(Wijzigingsmelding))


def from_mapping(data: dict, base: Path | None = None) -> Wijzigingsmelding:
    """A melding from the keys of an --invoer TOML file; a relative bijlage_pad is taken from
    the folder of that file."""
    unknown = sorted(set(data) - set(INVOER_SLEUTELS))
    if any(find_bsn(key) for key in unknown):
        raise InvoerFout(
            "Het invoerbestand bevat een sleutel met een nummer dat een BSN kan zijn. "
            "Haal die regel weg."
        )
    if unknown:
        raise InvoerFout(
            f"Onbekende sleutel(s): {', '.join(unknown)}. Gebruik alleen: "
            f"{', '.join(INVOER_SLEUTELS)}."
        )
    values: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict | list):
            raise InvoerFout(
                f"Bij '{key}' hoort één tekst tussen aanhalingstekens, bijvoorbeeld "
                f'{key} = "...".'
            )
        if isinstance(value, date):
            value = f"{value.year:04d}-{value.month:02d}"
        values[key] = str(value)
    melding = Wijzigingsmelding(**values)
    if melding.bijlage_pad and base is not None and not Path(melding.bijlage_pad).is_absolute():
        melding.bijlage_pad = str(base / melding.bijlage_pad)
    return melding


def read_invoer(path: Path) -> Wijzigingsmelding:
    path = Path(path)
    return from_mapping(_read_toml(path, "invoerbestand"), base=path.parent)


def reset_dll_search_path() -> bool:
    """In a Windows PyInstaller bundle, undo the bundle's SetDllDirectory before starting a
    mail program, so Outlook does not load the bundle's DLLs. Elsewhere it does nothing."""
    if sys.platform != "win32" or not getattr(sys, "frozen", False):
        return False
    import ctypes

    ctypes.windll.kernel32.SetDllDirectoryW(None)
    return True
