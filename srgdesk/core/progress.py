"""Progress reporting and cancellation for long work, without any GUI type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from srgdesk.core.errors import Geannuleerd

ProgressCallback = Callable[[float, str], None]
CancelCheck = Callable[[], bool]


def _no_progress(fraction: float, message: str) -> None:
    pass


def _never_cancel() -> bool:
    return False


@dataclass
class Voortgang:
    """What long work receives: report(fraction, text) and check() that raises Geannuleerd."""

    on_progress: ProgressCallback = _no_progress
    is_cancelled: CancelCheck = _never_cancel

    def report(self, fraction: float, message: str) -> None:
        self.check()
        self.on_progress(max(0.0, min(1.0, fraction)), message)

    def check(self) -> None:
        if self.is_cancelled():
            raise Geannuleerd()
