"""The vertaaltabelmelding: when the gemeente uses new soort-voorziening codes, CBS must add them
to its vertaaltabel. A draft email to SZ_SRG@cbs.nl (the `srg` address in cbs.toml) lists each
code with its omschrijving and, where known, the old code it replaces.

Same guarantees as the wijzigingsmelding: an unsent .eml (X-Unsent: 1) and a .txt, never a BSN.

The codes file (`srgdesk melding --soort vertaaltabel --codes FILE`) is a CSV, one code a line:
``code;omschrijving;oude_code`` (the third column may be left out or empty). A first line
``code;omschrijving[;oude_code]`` is a header and skipped. Separator `;` (also `,` or tab),
encoding UTF-8 (with or without BOM), Windows-1252 or UTF-16. The codetabel.csv that
`srgdesk match` writes (a header with `oud` and `nieuw`) is read too: its changed codes are
the new ones.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from srgdesk.core import gemeenten
from srgdesk.core.errors import InvoerFout, read_input_bytes
from srgdesk.core.melding.invoer import read_toml
from srgdesk.core.melding.model import Concept, maand_begin, maand_tekst
from srgdesk.core.melding.scan import find_bsn
from srgdesk.core.melding.templates import CbsAdressen, fill, load_adressen
from srgdesk.core.melding.writing import write_concept
from srgdesk.core.reading import decode_text, sniff_delimiter
from srgdesk.core.resources import resource_path

EML_NAAM = "vertaaltabelmelding.eml"
MAX_CODES = 10_000
_CODE_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,19}")


@dataclass(frozen=True)
class Soortcode:
    """One new soort-voorziening code as CBS should learn it."""

    code: str
    omschrijving: str = ""
    oude_code: str = ""  # the code it replaces, when it is the same soort under a new code


@dataclass(frozen=True)
class Vertaaltabelmelding:
    """What the email to SZ_SRG@cbs.nl says. Everything but `codes` may be left empty."""

    codes: tuple[Soortcode, ...]
    gemeentecode: str = ""
    verslagmaand: str = ""  # JJJJ-MM: the first delivery with the new codes
    contact_naam: str = ""


def read_codes(path: Path) -> list[Soortcode]:
    """The codes of a codes CSV; InvoerFout listing every unusable line by number."""
    path = Path(path)
    data = read_input_bytes(
        path,
        is_map=f"{path} is een map, geen bestand. Kies het CSV-bestand met de codes.",
        onleesbaar=f"Het codebestand {path} kan niet worden gelezen. Controleer de naam en de map.",
    )
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise InvoerFout(
            f"{path.name} is een Excel-bestand, geen CSV. Sla het in Excel op als "
            "'CSV (gescheiden door lijstscheidingsteken)' en kies dat bestand."
        )
    text, _encoding = decode_text(data)
    if (
        "\x00" in text
        or sum(not (c.isprintable() or c in "\r\n\t") for c in text) > len(text) // 100
    ):
        raise InvoerFout(
            f"{path.name} is geen tekstbestand. Kies een CSV-bestand met per regel: "
            "code;omschrijving;oude_code."
        )
    delimiter = sniff_delimiter(text) or ";"
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if rows and {"oud", "nieuw"} <= {cell.strip().casefold() for cell in rows[0]}:
        return _codes_uit_codetabel(rows, path)
    codes: list[Soortcode] = []
    problemen: list[str] = []
    gezien: dict[str, int] = {}
    for regel, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if regel == 1 and cells[0].casefold() == "code":
            continue
        if any(find_bsn(cell) for cell in cells):
            problemen.append(f"regel {regel}: bevat een nummer dat een BSN kan zijn; haal het weg")
            continue
        code, omschrijving, oude_code = ([*cells, "", ""])[:3]
        if len(cells) > 3 and any(cells[3:]):
            problemen.append(
                f"regel {regel}: meer dan 3 kolommen; schrijf code;omschrijving;oude_code"
            )
        elif not _CODE_RE.fullmatch(code):
            problemen.append(
                f"regel {regel}: '{code[:20]}' is geen code (letters en cijfers, ten hoogste 20)"
            )
        elif not omschrijving:
            problemen.append(f"regel {regel}: de omschrijving van code {code} ontbreekt")
        elif oude_code and not _CODE_RE.fullmatch(oude_code):
            problemen.append(f"regel {regel}: de oude code '{oude_code[:20]}' klopt niet")
        elif code in gezien:
            problemen.append(f"regel {regel}: code {code} staat ook op regel {gezien[code]}")
        else:
            gezien[code] = regel
            codes.append(Soortcode(code, omschrijving, oude_code))
        if len(codes) > MAX_CODES:
            raise InvoerFout(
                f"{path.name} heeft meer dan {MAX_CODES} codes. Kies het juiste bestand."
            )
    if problemen:
        lijst = "\n".join(f"- {p}" for p in problemen[:20])
        meer = f"\n- en nog {len(problemen) - 20} regels" if len(problemen) > 20 else ""
        raise InvoerFout(f"{path.name} kan niet worden gebruikt. Pas dit aan:\n{lijst}{meer}")
    if not codes:
        raise InvoerFout(
            f"{path.name} bevat geen codes. Schrijf per regel: code;omschrijving;oude_code."
        )
    return codes


def _codes_uit_codetabel(rows: list[list[str]], path: Path) -> list[Soortcode]:
    """The new codes of the codetabel.csv that `srgdesk match` writes (one row per old → new
    pair): each new code that differs from an old one, with the old code(s) it replaces."""
    header = [cell.strip().casefold() for cell in rows[0]]
    column = {name: header.index(name) for name in dict.fromkeys(header)}

    def cell(row: list[str], name: str) -> str:
        i = column.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    oude: dict[str, list[str]] = {}
    omschrijving: dict[str, str] = {}
    gelijk: list[str] = []
    problemen: list[str] = []
    for regel, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if any(find_bsn(c) for c in row):
            problemen.append(f"regel {regel}: bevat een nummer dat een BSN kan zijn; haal het weg")
            continue
        oud, nieuw = cell(row, "oud"), cell(row, "nieuw")
        if not _CODE_RE.fullmatch(nieuw):
            problemen.append(
                f"regel {regel}: '{nieuw[:20]}' in kolom nieuw is geen code "
                "(letters en cijfers, ten hoogste 20)"
            )
            continue
        if oud and not _CODE_RE.fullmatch(oud):
            problemen.append(f"regel {regel}: de oude code '{oud[:20]}' klopt niet")
            continue
        if oud == nieuw:
            gelijk.append(nieuw)
            continue
        oude.setdefault(nieuw, [])
        if oud and oud not in oude[nieuw]:
            oude[nieuw].append(oud)
        if not omschrijving.get(nieuw):
            omschrijving[nieuw] = cell(row, "omschrijving_nieuw") or cell(row, "omschrijving_oud")
    if problemen:
        lijst = "\n".join(f"- {p}" for p in problemen[:20])
        meer = f"\n- en nog {len(problemen) - 20} regels" if len(problemen) > 20 else ""
        raise InvoerFout(f"{path.name} kan niet worden gebruikt. Pas dit aan:\n{lijst}{meer}")
    if not oude:
        zelfde = f" ({', '.join(dict.fromkeys(gelijk))})" if gelijk else ""
        raise InvoerFout(
            f"In {path.name} zijn alle soortcodes gelijk gebleven{zelfde}: CBS hoeft de "
            "vertaaltabel niet aan te passen, een melding is niet nodig."
        )
    if len(oude) > MAX_CODES:
        raise InvoerFout(f"{path.name} heeft meer dan {MAX_CODES} codes. Kies het juiste bestand.")
    return [Soortcode(nieuw, omschrijving[nieuw], " en ".join(o)) for nieuw, o in oude.items()]


def codes_lijst(codes: Sequence[Soortcode]) -> str:
    """One line per code: '- 77: Loonkostensubsidie (vervangt code 12)'; a code that replaces
    several old ones (from a codetabel): '(vervangt de codes 12 en 13)'."""
    regels = []
    for item in codes:
        omschrijving = item.omschrijving or "(omschrijving: vul hier in)"
        woord = "de codes" if " en " in item.oude_code else "code"
        vervangt = f" (vervangt {woord} {item.oude_code})" if item.oude_code else ""
        regels.append(f"- {item.code}: {omschrijving}{vervangt}")
    return "\n".join(regels)


def maak_vertaaltabel_concept(
    melding: Vertaaltabelmelding,
    adressen: CbsAdressen | None = None,
    sjabloon_pad: Path | None = None,
) -> Concept:
    """The draft to SZ_SRG@cbs.nl. Does not write; `write_concept` scans it for a BSN."""
    if not melding.codes:
        raise InvoerFout(
            "Er zijn geen nieuwe codes: een melding voor de vertaaltabel is niet nodig."
        )
    adressen = adressen or load_adressen()
    if not adressen.srg:
        raise InvoerFout(
            "In cbs.toml staat geen adres bij 'srg'. Vul SZ_SRG@cbs.nl in onder [adressen]."
        )
    path = Path(sjabloon_pad) if sjabloon_pad else resource_path("melding", "vertaaltabel.toml")
    data = read_toml(path, "sjabloon")
    try:
        onderwerp_sjabloon = str(data["onderwerp"]["tekst"])
        brief = str(data["brief"]["tekst"])
    except (KeyError, TypeError) as exc:
        raise InvoerFout(
            f"Het sjabloon {path.name} mist [onderwerp] of [brief] met tekst. Begin opnieuw met "
            "een kopie van het standaardsjabloon."
        ) from exc
    maand = maand_begin(melding.verslagmaand)
    if melding.verslagmaand.strip() and maand is None:
        raise InvoerFout(
            f"De verslagmaand '{melding.verslagmaand[:20]}' klopt niet. Schrijf JJJJ-MM, "
            "bijvoorbeeld 2027-01."
        )
    code = gemeenten.parse_gemeentecode(melding.gemeentecode, op=maand) or ""
    naam = (gemeenten.gemeentenaam(code) or "") if code else ""
    if melding.gemeentecode.strip() and not naam:
        raise InvoerFout(
            f"De gemeente '{melding.gemeentecode[:40]}' is niet gevonden. Schrijf de "
            "gemeentecode van 4 cijfers (bijvoorbeeld 0363) of de naam van de gemeente."
        )
    values = {
        "gemeente_kop": f" gemeente {naam} ({code})" if naam else "",
        "gemeente_zin": f"Gemeente {naam} (gemeentecode {code})" if naam else "Onze gemeente",
        "gemeentenaam": naam,
        "gemeentecode": code if naam else "",
        "verslagmaand": f"{maand.year:04d}-{maand.month:02d}" if maand else "",
        "verslagmaand_tekst": maand_tekst(maand) if maand else "",
        "codes_lijst": codes_lijst(melding.codes),
        "vervangt_uitleg": (
            'Waar "vervangt" staat, is het dezelfde soort voorziening als de oude code; '
            "alleen de code is veranderd."
            if any(item.oude_code for item in melding.codes)
            else ""
        ),
        "aantal": str(len(melding.codes)),
        "contact_naam": melding.contact_naam.strip(),
        "adres_srg": adressen.srg,
    }
    tekst = fill(brief, values, "brief") + "\n"
    onderwerp = " ".join(fill(onderwerp_sjabloon, values, "onderwerp", drop_empty=False).split())
    return Concept(aan=[adressen.srg], cc=list(adressen.cc), onderwerp=onderwerp, tekst=tekst)


def write_vertaaltabelmelding(
    melding: Vertaaltabelmelding, folder: Path, protected: Iterable[Path] = ()
) -> tuple[Path, Path]:
    """Write vertaaltabelmelding.eml and .txt into `folder`; returns both paths.

    Raises InvoerFout (Dutch) when there are no codes, or the draft could hold a BSN."""
    concept = maak_vertaaltabel_concept(melding)
    eml_path = Path(folder) / EML_NAAM
    txt_path = write_concept(concept, eml_path, protected)
    return eml_path, txt_path
