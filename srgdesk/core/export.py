"""One export from file to voorzieningen: read → propose mapping → apply overrides → clean."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from srgdesk.core.cleaning import Voorzieningen, clean
from srgdesk.core.mapping import ColumnMapping, apply_overrides, propose_mapping
from srgdesk.core.reading import RawTable, read_table


@dataclass
class Export:
    """What was read from one file, how its columns were mapped and what came out of cleaning."""

    table: RawTable
    mapping: ColumnMapping
    voorzieningen: Voorzieningen

    @property
    def path(self) -> Path:
        return self.table.path


def load_export(
    path: Path | str,
    overrides: dict[str, str | None] | None = None,
    werkblad: str | None = None,
    mapping: ColumnMapping | None = None,
) -> Export:
    """Read, map and clean one export. Raises InvoerFout when the file cannot be used."""
    table = read_table(path, werkblad=werkblad)
    chosen = mapping or propose_mapping(table)
    if overrides:
        chosen = apply_overrides(chosen, overrides, table)
    return Export(table, chosen, clean(table, chosen))
