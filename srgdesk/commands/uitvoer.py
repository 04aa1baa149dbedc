"""What `match` and `controleer` print around their work: progress, the summary of the result
and both exports, and the files written. One place, so both commands say it the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from srgdesk.console import say

if TYPE_CHECKING:
    from srgdesk.core.export import Export
    from srgdesk.core.output_files import WriteResult


def aantal_regels(rows: int) -> str:
    """'1 regel', '0 regels', '64036 regels'."""
    return f"{rows} regel" if rows == 1 else f"{rows} regels"


def voortgang_printer() -> Callable[[float, str], None]:
    """A progress callback that prints one line per tenth of the work."""
    last = {"step": -1}

    def report(fraction: float, message: str) -> None:
        step = int(fraction * 10)
        if step != last["step"]:
            last["step"] = step
            say(f"  … {message}")

    return report


def say_samenvatting(resultaat: Iterable[str], exports: Sequence[Export]) -> None:
    """The result's summary lines, then each export's (its verslagmaand is in the result's),
    then the advice when Excel ate one export's leading zeros."""
    from srgdesk.core.export import voorloopnullen_advies

    for line in resultaat:
        say(line)
    for export in exports:
        for line in export.samenvatting(met_verslagmaand=False):
            say(line)
    advies = voorloopnullen_advies(*exports)
    if advies:
        say(f"Let op: {advies.tekst}")


def say_geschreven(written: Iterable[WriteResult]) -> None:
    """The files written with their row counts; a loud line when any holds BSNs."""
    written = list(written)
    say("Geschreven:")
    for result in written:
        note = ", MET BSN" if result.contains_bsn else ""
        say(f"  {result.path} ({aantal_regels(result.rows)}{note})")
    if any(result.contains_bsn for result in written):
        say(
            "LET OP: bestanden MET BSN mogen alleen via het CBS-portaal naar CBS, nooit per e-mail."
        )
