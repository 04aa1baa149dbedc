"""Option values shared by several commands (`--kolom VELD=KOLOM`)."""

from __future__ import annotations

from collections.abc import Sequence

from srgdesk.core.errors import InvoerFout
from srgdesk.core.fields import VELD_BY_NAAM


def parse_kolommen(pairs: Sequence[str] | None) -> dict[str, str | None]:
    """'bsn=Burgerservicenummer' options → {field: header}; 'veld=' clears a field."""
    overrides: dict[str, str | None] = {}
    for pair in pairs or []:
        veld, sep, header = pair.partition("=")
        veld = veld.strip().lower()
        if not sep or veld not in VELD_BY_NAAM:
            raise InvoerFout(
                f"Ongeldige kolomkeuze '{pair}'. Schrijf veld=Kolomnaam, bijvoorbeeld "
                f"bsn=Burgerservicenummer. Velden: {', '.join(VELD_BY_NAAM)}."
            )
        overrides[veld] = header.strip() or None
    return overrides
