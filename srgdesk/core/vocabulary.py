"""The domain's words as enums: one place for every status, zekerheid, besluit and ernst.

Each member's value is the Dutch word written to files and shown to users, so a member compares
equal to that string (``Status.NIEUW == "nieuw"``) and can be written as-is to CSV and JSON.
See docs/woordenlijst.md for what each word means.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What matching concluded about one record of either export."""

    GEKOPPELD = "gekoppeld"  # paired with a record of the other export
    ONGEWIJZIGD = "ongewijzigd"  # same key, same voorziening: nothing to report
    BEEINDIGD = "beeindigd"  # old record that ended before the new period
    ONTBREEKT = "ontbreekt"  # old record still running but absent from the new export
    NIEUW = "nieuw"  # new record without a predecessor
    ONGELDIG = "ongeldig"  # a row that could not be used (the reason says why)


class SoortKoppeling(StrEnum):
    """Why two records with different keys are one voorziening."""

    CONVERSIE = "conversie"  # same voorziening, new key (package switch, new berichtgever, ...)
    VOORTZETTING = "voortzetting"  # closed and restarted under a new number
    CODEWIJZIGING = "codewijziging"  # same voorziening under another soort code


class Zekerheid(StrEnum):
    """How sure a proposed pair is; twijfel is never accepted without a person."""

    ZEKER = "zeker"
    WAARSCHIJNLIJK = "waarschijnlijk"
    TWIJFEL = "twijfel"


class Besluit(StrEnum):
    """What the user decided about a proposed or chosen pair."""

    OPEN = "open"  # not decided yet
    GEACCEPTEERD = "geaccepteerd"
    AFGEWEZEN = "afgewezen"
    HANDMATIG = "handmatig"  # paired by hand


class Ernst(StrEnum):
    """Severity of a signalering or a cleaning remark."""

    FOUT = "fout"  # fix before delivery
    WAARSCHUWING = "waarschuwing"  # check it
    INFO = "info"
