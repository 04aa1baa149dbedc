"""Run one long core function on a QThread; progress and the result come back as signals.

The worker receives plain inputs and a Voortgang made of a thread-safe flag and a signal; it never
touches a widget. Qt queues the signals to the GUI thread.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import traceback
from collections.abc import Callable, Iterator

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from srgdesk.core.errors import Geannuleerd, InvoerFout
from srgdesk.core.progress import Voortgang

log = logging.getLogger("srgdesk.gui")

_gc_lock = threading.Lock()
_gc_pausers = 0  # workers running now; the first one paused the collector, the last resumes it
_gc_paused_by_us = False


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a long task runs.

    With two 100k-row exports and 90k saved decisions in memory, each full collection walks
    hundreds of thousands of objects, and the task's millions of allocations trigger many:
    resuming a session took 1.5-2.6 s with the collector and 1.2-1.5 s without. Reference
    counting still frees everything; cycles made meanwhile are collected by the first
    collection after it resumes."""
    global _gc_pausers, _gc_paused_by_us
    with _gc_lock:
        if _gc_pausers == 0 and gc.isenabled():
            gc.disable()
            _gc_paused_by_us = True
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_paused_by_us:
                _gc_paused_by_us = False
                gc.enable()


class Worker(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, task: Callable[[Voortgang], object], ready: threading.Event | None = None):
        super().__init__()
        self._task = task
        self._cancel = threading.Event()
        self._ready = ready

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        voortgang = Voortgang(on_progress=self.progress.emit, is_cancelled=self._cancel.is_set)
        # Start only once the caller has connected its slots (the GUI thread is back in its
        # event loop); a fast task would otherwise finish before anyone listens.
        while self._ready is not None and not self._ready.wait(0.02):
            if self._cancel.is_set():
                self.cancelled.emit()
                return
        try:
            with cyclic_gc_paused():
                result = self._task(voortgang)
        except Geannuleerd:
            self.cancelled.emit()
        except InvoerFout as fout:
            self.failed.emit(fout.melding)
        except Exception as exc:  # noqa: BLE001 - reported to the user, full trace in the log
            log.error("Onverwachte fout in een achtergrondtaak:\n%s", traceback.format_exc())
            self.failed.emit(
                f"Er ging iets onverwachts mis ({type(exc).__name__}). "
                "Probeer het opnieuw; lukt het niet, meld het dan met het logbestand."
            )
        else:
            self.finished.emit(result)


class TaskRunner(QObject):
    """Owns one thread + worker at a time and cleans both up when the work ends."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thread: QThread | None = None
        self.worker: Worker | None = None

    def start(self, task: Callable[[Voortgang], object]) -> Worker:
        self.thread = QThread(self)
        ready = threading.Event()
        self.worker = Worker(task, ready)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        # Direct: quit() is thread-safe, and the GUI thread may be blocked in wait() right now.
        for signal in (self.worker.finished, self.worker.failed, self.worker.cancelled):
            signal.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.thread.finished.connect(self.worker.deleteLater)
        self.thread.start()
        QTimer.singleShot(0, self, ready.set)  # after the caller connected to the signals
        return self.worker

    def busy(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    def cancel(self) -> None:
        if self.worker is not None and self.busy():
            self.worker.cancel()

    def wait(self, ms: int | None = None) -> None:
        """Wait for the thread to end (for ever when `ms` is None: long work checks the cancel
        flag often, so after cancel() this is short)."""
        if self.thread is not None:
            if ms is None:
                self.thread.wait()
            else:
                self.thread.wait(ms)

    def shutdown(self) -> None:
        """Cancel and wait, so no thread outlives its window and no write is cut off."""
        self.cancel()
        self.wait()
