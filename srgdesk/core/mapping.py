"""Propose which column holds which field, let the user override it, and keep presets per package.

Header names come first (resources/synonyms.toml); columns left over are judged by their content:
a column of 9-digit elfproef numbers is a BSN, date-like columns are dates, 4-digit codes are codes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from srgdesk.core.bsn import bsn_is_valid
from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import VELD_BY_NAAM, VELD_NAMEN, VERPLICHTE_VELDEN, field_for_header
from srgdesk.core.output_files import write_atomically
from srgdesk.core.reading import RawTable

SAMPLE_SIZE = 500
MIN_CONTENT_FIT = 0.8  # share of non-empty sample values that must fit a field's kind

BRON_KOPNAAM = "kopnaam"
BRON_INHOUD = "inhoud"
BRON_GEBRUIKER = "gebruiker"
BRON_PRESET = "preset"


@dataclass(frozen=True)
class ColumnMapping:
    """Field name → column header (None = not present), and why each choice was made."""

    columns: dict[str, str | None]
    bronnen: dict[str, str] = field(default_factory=dict)

    def column(self, veld: str) -> str | None:
        return self.columns.get(veld)

    def with_override(self, veld: str, column: str | None) -> ColumnMapping:
        """A copy with one field set by the user (None clears it)."""
        if veld not in VELD_BY_NAAM:
            raise KeyError(veld)
        columns = {**self.columns, veld: column}
        bronnen = {**self.bronnen, veld: BRON_GEBRUIKER}
        if column is not None:  # one column feeds one field
            for other, chosen in self.columns.items():
                if other != veld and chosen == column:
                    columns[other] = None
                    bronnen.pop(other, None)
        return replace(self, columns=columns, bronnen=bronnen)

    def missing_required(self) -> list[str]:
        return [veld for veld in VERPLICHTE_VELDEN if not self.columns.get(veld)]

    def to_json(self) -> dict:
        return {"columns": dict(self.columns), "bronnen": dict(self.bronnen)}

    @classmethod
    def from_json(cls, data: dict) -> ColumnMapping:
        columns = {veld: data.get("columns", {}).get(veld) for veld in VELD_NAMEN}
        return cls(columns=columns, bronnen=dict(data.get("bronnen", {})))


def propose_mapping(table: RawTable) -> ColumnMapping:
    """Best guess for every field: header names first, then content of the remaining columns."""
    sample = table.cells.head(SAMPLE_SIZE)
    columns: dict[str, str | None] = dict.fromkeys(VELD_NAMEN)
    bronnen: dict[str, str] = {}
    for header in table.headers:
        veld = field_for_header(header)
        if veld and columns[veld] is None and _content_fits(veld, sample[header]):
            columns[veld], bronnen[veld] = header, BRON_KOPNAAM
    used = {c for c in columns.values() if c}
    for veld in VELD_NAMEN:
        if columns[veld] is not None:
            continue
        for header in table.headers:
            if header in used or not _has_values(sample[header]):
                continue
            if _content_fits(veld, sample[header], strict=True):
                columns[veld], bronnen[veld] = header, BRON_INHOUD
                used.add(header)
                break
    return ColumnMapping(columns=columns, bronnen=bronnen)


def apply_overrides(
    mapping: ColumnMapping, overrides: dict[str, str | None], table: RawTable
) -> ColumnMapping:
    """Apply user choices (field → header); an unknown header is one clear Dutch error."""
    for veld, header in overrides.items():
        if veld not in VELD_BY_NAAM:
            raise InvoerFout(f"Onbekend veld '{veld}'. Velden: {', '.join(VELD_NAMEN)}.")
        if header is not None and header not in table.headers:
            raise InvoerFout(
                f"Kolom '{header}' staat niet in {table.name}. Kolommen: {', '.join(table.headers)}."
            )
        mapping = mapping.with_override(veld, header)
    return mapping


def require_complete(mapping: ColumnMapping, table: RawTable) -> None:
    """Raise one Dutch error naming each missing required field and the headers found."""
    missing = mapping.missing_required()
    if missing:
        labels = ", ".join(VELD_BY_NAAM[v].label for v in missing)
        raise InvoerFout(
            f"In {table.name} is geen kolom gevonden voor: {labels}. "
            f"Gevonden kolommen: {', '.join(table.headers)}. "
            "Wijs de kolom zelf aan, of voeg de kolom toe aan de export."
        )


def _has_values(column: pd.Series) -> bool:
    return bool((column.astype(str).str.strip() != "").any())


_DATE_LIKE = re.compile(r"^(\d{8}|\d{4}-\d{1,2}-\d{1,2}.*|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}.*)$")


def _content_fits(veld: str, column: pd.Series, strict: bool = False) -> bool:
    """Whether the sample values look like the field. Lenient for a header match (only refuse a
    clear misfit, e.g. a 'Gemeente' column of names), strict when guessing from content alone."""
    values = column.astype(str).str.strip()
    values = values[values != ""]
    if values.empty:
        return not strict
    kind = VELD_BY_NAAM[veld].soort
    if kind == "bsn" and strict:
        share = values.map(lambda v: bsn_is_valid(v.replace(".", ""))).mean()
    elif kind == "bsn":  # under a BSN header, a typo must reach cleaning and be reported there
        share = values.str.fullmatch(r"[0-9 .]{7,11}").mean()
    elif kind == "datum":
        share = values.str.match(_DATE_LIKE).mean()
        if strict:
            return False  # begin or eind cannot be told apart by content: leave it to the user
    elif kind == "code":
        share = values.str.fullmatch(r"(?i)(GM)?\d{1,4}").mean()
        if strict:
            # a constant 4-digit column: gemeentecode is usually 0xxx or 1xxx, berichtgevercode any
            return False
    elif kind == "maand":
        share = values.str.fullmatch(r"\d{4}-?\d{2}").mean()
    elif kind == "getal":
        share = values.str.fullmatch(r"\d{1,3}([.,]\d+)?%?").mean()
    else:
        return not strict
    threshold = MIN_CONTENT_FIT if strict else 0.5
    return bool(share >= threshold)


# --- presets ---------------------------------------------------------------------------------


def save_preset(folder: Path, naam: str, mapping: ColumnMapping) -> Path:
    """Store a named mapping for a package ('Suite4Sociaal Domein') as JSON in `folder`."""
    safe = re.sub(r"[^\w\- ]", "_", naam).strip() or "preset"
    payload = {"versie": 1, "naam": naam, **mapping.to_json()}
    data = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    return write_atomically(folder / f"{safe}.json", lambda stream: stream.write(data))


def load_presets(folder: Path) -> dict[str, ColumnMapping]:
    """All readable presets in `folder`, by name; unreadable files are skipped."""
    presets: dict[str, ColumnMapping] = {}
    if not folder.is_dir():
        return presets
    for path in sorted(folder.glob("*.json")):
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            presets[payload.get("naam", path.stem)] = replace(
                ColumnMapping.from_json(payload),
                bronnen=dict.fromkeys(payload.get("columns", {}), BRON_PRESET),
            )
        except (OSError, ValueError, AttributeError):
            continue
    return presets


def apply_preset(preset: ColumnMapping, table: RawTable, fallback: ColumnMapping) -> ColumnMapping:
    """Use the preset's columns that exist in this table; keep the proposal for the rest."""
    columns = dict(fallback.columns)
    bronnen = dict(fallback.bronnen)
    for veld, header in preset.columns.items():
        if header and header in table.headers:
            columns[veld], bronnen[veld] = header, BRON_PRESET
    return ColumnMapping(columns=columns, bronnen=bronnen)
