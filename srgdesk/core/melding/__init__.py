"""The emails to CBS: the wijzigingsmelding (new software package, berichtgever, contact details
or a herindeling, to SZ_Bijstand@cbs.nl) and the vertaaltabelmelding (new soort codes, to
SZ_SRG@cbs.nl), written as an Outlook-ready .eml and as plain text. Neither ever holds a BSN.

One module per job:
  model        the fields (one table for validation, template and form), the melding, the draft
  scan         is there a possible BSN in a text, a field or an attachment (any grouping)
  validation   every problem of a melding as a Dutch message next to its field
  invoer       the TOML files (--invoer, own template, addresses) in any Notepad encoding
  templates    the wording (resources/melding/*.toml) filled in
  writing      the last BSN gate, .eml and .txt
  vertaaltabel the email about new soort codes
This module re-exports the public names, so `from srgdesk.core.melding import X` keeps working.
"""

from srgdesk.core.melding.invoer import from_mapping, read_invoer, read_toml
from srgdesk.core.melding.model import (
    BERICHTGEVER,
    BIJLAGE,
    CONTACTPERSOON,
    CONVERSIEBESTAND_KEUZES,
    EML_NAAM,
    GEEN,
    HERINDELING,
    INVOER_SLEUTELS,
    LABELS,
    MET_LIDWOORD,
    PORTAAL,
    SOFTWAREPAKKET,
    SOORT_TEKST,
    SOORTEN,
    STANDAARD_CONVERSIEBESTAND,
    TXT_NAAM,
    VELD,
    VELDEN,
    VELDEN_PER_SOORT,
    VERPLICHT_ALTIJD,
    Concept,
    Fout,
    Invoer,
    Veld,
    Wijzigingsmelding,
    datum_tekst,
    maand_begin,
    maand_tekst,
    verplichte_velden,
    zichtbare_velden,
)
from srgdesk.core.melding.scan import (
    bijlage_bevat_bsn,
    bijlage_teksten,
    bsn_in_veld,
    find_bsn,
    is_nederlands_telefoonnummer,
    normalise,
)
from srgdesk.core.melding.templates import (
    CbsAdressen,
    Sjabloon,
    fill,
    load_adressen,
    load_sjabloon,
    render,
    velden,
)
from srgdesk.core.melding.validation import (
    BIJLAGE_SOORTEN,
    MAX_BIJLAGE_BYTES,
    bsn_velden,
    telefoon_is_geldig,
    valideer,
    waarschuwingen,
)
from srgdesk.core.melding.vertaaltabel import (
    Soortcode,
    Vertaaltabelmelding,
    maak_vertaaltabel_concept,
    read_codes,
    write_vertaaltabelmelding,
)
from srgdesk.core.melding.writing import (
    MAILTO_MAX,
    controleer_geen_bsn,
    eml_bytes,
    maak_concept,
    mailto,
    past_in_mailto,
    reset_dll_search_path,
    write_concept,
    write_melding,
)
from srgdesk.core.resources import resource_path

__all__ = [
    "BERICHTGEVER",
    "BIJLAGE",
    "BIJLAGE_SOORTEN",
    "CONTACTPERSOON",
    "CONVERSIEBESTAND_KEUZES",
    "EML_NAAM",
    "GEEN",
    "HERINDELING",
    "INVOER_SLEUTELS",
    "LABELS",
    "MAILTO_MAX",
    "MAX_BIJLAGE_BYTES",
    "MET_LIDWOORD",
    "PORTAAL",
    "SOFTWAREPAKKET",
    "SOORTEN",
    "SOORT_TEKST",
    "STANDAARD_CONVERSIEBESTAND",
    "TXT_NAAM",
    "VELD",
    "VELDEN",
    "VELDEN_PER_SOORT",
    "VERPLICHT_ALTIJD",
    "CbsAdressen",
    "Concept",
    "Fout",
    "Invoer",
    "Sjabloon",
    "Soortcode",
    "Veld",
    "Vertaaltabelmelding",
    "Wijzigingsmelding",
    "bijlage_bevat_bsn",
    "bijlage_teksten",
    "bsn_in_veld",
    "bsn_velden",
    "controleer_geen_bsn",
    "datum_tekst",
    "eml_bytes",
    "fill",
    "find_bsn",
    "from_mapping",
    "is_nederlands_telefoonnummer",
    "load_adressen",
    "load_sjabloon",
    "maak_concept",
    "maak_vertaaltabel_concept",
    "maand_begin",
    "maand_tekst",
    "mailto",
    "normalise",
    "past_in_mailto",
    "read_codes",
    "read_invoer",
    "read_toml",
    "render",
    "reset_dll_search_path",
    "resource_path",
    "telefoon_is_geldig",
    "valideer",
    "velden",
    "verplichte_velden",
    "waarschuwingen",
    "write_concept",
    "write_melding",
    "write_vertaaltabelmelding",
    "zichtbare_velden",
]
