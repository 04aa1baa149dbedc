"""How much one export may hold, and the Dutch refusals when a file goes past that.

Limits are checked before the expensive step (decoding, a workbook reader's allocation), so a
hostile or broken file costs no more memory than the largest accepted export.
"""

from __future__ import annotations

from dataclasses import dataclass

from srgdesk.core.errors import InvoerFout


@dataclass(frozen=True)
class Limieten:
    """Bounds for one read. `max_regels` counts data rows; blank rows count toward it too."""

    max_regels: int
    kopruimte: int  # rows above the data that may hold titles and the header
    max_cellen: int  # rows x columns a workbook sheet may span (its reader allocates all of them)
    max_bytes: int  # size of the file
    max_deel_bytes: int  # size of each uncompressed part of a workbook (zip bombs)

    @property
    def max_regels_totaal(self) -> int:
        """Rows, blank ones included, a file may have before it is refused."""
        return self.max_regels + self.kopruimte


def punten(getal: int) -> str:
    """A number the Dutch way: 1.000.000."""
    return f"{getal:,}".replace(",", ".")


def te_veel_regels(naam: str, limieten: Limieten) -> InvoerFout:
    return InvoerFout(
        f"{naam} heeft meer dan {punten(limieten.max_regels)} regels; dat is meer dan één "
        "gemeente levert. Controleer of u de juiste export hebt gekozen."
    )


def te_groot(naam: str, limieten: Limieten) -> InvoerFout:
    return InvoerFout(
        f"{naam} is groter dan {limieten.max_bytes // 1_000_000} MB; dat is meer dan één "
        "gemeente levert. Controleer of u de juiste export hebt gekozen."
    )


def blad_te_groot(naam: str, blad: str, verste_cel: str, limieten: Limieten) -> InvoerFout:
    return InvoerFout(
        f"Werkblad '{blad}' in {naam} loopt door tot cel {verste_cel}, ver buiten wat srgdesk "
        f"kan lezen (meer dan {punten(limieten.max_regels)} regels of "
        f"{punten(limieten.max_cellen)} cellen). Meestal staat daar per ongeluk één waarde of "
        "opmaak. Verwijder in Excel de lege rijen onder en de lege kolommen naast de gegevens, "
        "of kopieer alleen de gegevens naar een nieuwe werkmap, en sla opnieuw op."
    )


def werkmap_te_groot(naam: str, limieten: Limieten) -> InvoerFout:
    """For a workbook whose sheets are only known after reading (ods): no sheet name."""
    return InvoerFout(
        f"{naam} bevat herhaalde cellen die ver buiten wat srgdesk kan lezen doorlopen (meer "
        f"dan {punten(limieten.max_regels)} regels of {punten(limieten.max_cellen)} cellen). "
        "Verwijder in het rekenblad de lege rijen onder en de lege kolommen naast de gegevens, "
        "of kopieer alleen de gegevens naar een nieuw bestand, en sla opnieuw op."
    )
