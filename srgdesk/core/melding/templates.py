"""The wording: resources/melding/sjabloon.toml (text) and cbs.toml (addresses), filled in.

A gemeente can change both files without code. `render` fills the template; it does not
validate (the preview shows incomplete meldingen too)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field, fields
from pathlib import Path

from srgdesk.core import gemeenten
from srgdesk.core.errors import InvoerFout
from srgdesk.core.melding.invoer import read_toml
from srgdesk.core.melding.model import (
    BIJLAGE,
    CONVERSIEBESTAND_KEUZES,
    HERINDELING,
    SOORT_TEKST,
    SOORTEN,
    Concept,
    Wijzigingsmelding,
    datum_tekst,
    herindelingen_voor,
    maand_tekst,
    split_codes,
    zichtbare_velden,
)
from srgdesk.core.melding.scan import TELEFOON_VELDEN, is_nederlands_telefoonnummer
from srgdesk.core.resources import resource_path


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


def load_sjabloon(path: Path | None = None) -> Sjabloon:
    """The wording; `path` is a gemeente's own copy, default the one in resources/."""
    path = Path(path) if path else resource_path("melding", "sjabloon.toml")
    data = read_toml(path, "sjabloon")
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
    """CBS's addresses; `path` is a gemeente's own copy, default the one in resources/."""
    path = Path(path) if path else resource_path("melding", "cbs.toml")
    data = read_toml(path, "adressenbestand")
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


def velden(melding: Wijzigingsmelding) -> dict[str, str]:
    """The values the template may use, all text; unknown or missing ones are ''."""
    m = melding
    ingang = m.ingang()
    found = gemeenten.gemeente(m.gemeentecode) if m.gemeentecode else None
    relevant = zichtbare_velden(m.soort)
    values = {f.name: (getattr(m, f.name) if f.name in relevant else "") for f in fields(m)}
    values["bijlage_pad"] = ""  # only the file's name goes into the email (bijlage_naam)
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
            codes = split_codes(m.gemeentecodes_oud)
            oud = [(c, gemeenten.gemeentenaam(c) or "") for c in codes]
            values["herindelingsdatum"] = datum_tekst(ingang)
        else:
            rows = herindelingen_voor(m.gemeentecode, ingang) if m.gemeentecode else []
            oud = [(h.oude_code, h.oude_naam) for h in rows]
            if rows:
                values["herindelingsdatum"] = datum_tekst(rows[0].datum)
        values["gemeenten_oud_lijst"] = "\n".join(
            f"- {naam} (gemeentecode {code})" if naam else f"- gemeentecode {code}"
            for code, naam in oud
        )
    return values


def fill(template: str, values: dict[str, str], where: str, drop_empty: bool = True) -> str:
    """Substitute ${name}; drop a paragraph, then a line, whose placeholders are all empty
    (unless `drop_empty` is False: a subject line stays even when its fields are empty)."""
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
        if not drop_empty:
            return False
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
        fill(sjabloon.wijziging[soort], values, f"wijziging.{soort}") if soort else ""
    )
    keuze = melding.conversiebestand
    values["conversiebestand"] = (
        fill(sjabloon.conversiebestand[keuze], values, f"conversiebestand.{keuze}")
        if keuze in CONVERSIEBESTAND_KEUZES
        else ""
    )
    tekst = fill(sjabloon.brief, values, "brief") + "\n"
    onderwerp = ""
    if soort:
        onderwerp = " ".join(fill(sjabloon.onderwerp[soort], values, "onderwerp").split())
    bijlage = Path(melding.bijlage_pad) if keuze == BIJLAGE and melding.bijlage_pad else None
    telefoonnummers = tuple(
        value
        for naam in TELEFOON_VELDEN
        if (value := values.get(naam, "").strip()) and is_nederlands_telefoonnummer(value)
    )
    return Concept(
        aan=adressen.aan,
        cc=adressen.cc,
        onderwerp=onderwerp,
        tekst=tekst,
        bijlage=bijlage,
        telefoonnummers=telefoonnummers,
    )
