"""The worker: result, Dutch failure, unexpected error and cancel come back as signals on the
GUI thread; shutdown leaves no thread running."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Slot

from srgdesk.core.errors import InvoerFout


class Receiver(QObject):
    """A GUI-thread object, as a page is: Qt queues the worker's signals to it."""

    def __init__(self):
        super().__init__()
        self.got: list = []

    @Slot(float, str)
    def progress(self, fraction: float, text: str) -> None:
        self.got.append((fraction, text, threading.get_ident()))


def collect(signal) -> list:
    """Record a signal's arguments (the worker deletes itself when done, so no waitSignal)."""
    got: list = []
    signal.connect(lambda *args: got.append(args))
    return got


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, runner):
    gui = threading.get_ident()
    receiver = Receiver()

    def task(voortgang):
        voortgang.report(0.5, "half")
        return threading.get_ident()

    worker = runner.start(task)
    worker.progress.connect(receiver.progress)  # a bound slot, as the pages connect
    done = collect(worker.finished)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert done[0][0] != gui  # the task ran on another thread
    # `done` is filled on the worker's thread (a lambda has no thread of its own), while the
    # progress is queued to the receiver's: wait for the GUI thread to deliver it.
    qtbot.waitUntil(lambda: bool(receiver.got), timeout=20_000)
    assert receiver.got == [(0.5, "half", gui)]
    qtbot.waitUntil(lambda: not runner.busy(), timeout=20_000)


def test_a_dutch_failure_is_passed_on_as_is(qtbot, runner):
    def task(voortgang):
        raise InvoerFout("Het bestand is leeg.")

    failed = collect(runner.start(task).failed)
    qtbot.waitUntil(lambda: bool(failed), timeout=20_000)
    assert failed == [("Het bestand is leeg.",)]


def test_an_unexpected_error_becomes_a_calm_dutch_message(qtbot, runner):
    def task(voortgang):
        raise KeyError("123456782")

    failed = collect(runner.start(task).failed)
    qtbot.waitUntil(lambda: bool(failed), timeout=20_000)
    assert "onverwachts" in failed[0][0]
    assert "123456782" not in failed[0][0]  # no data in what the user sees


def test_cancel_and_shutdown_stop_the_work(qtbot, runner):
    steps = []

    def task(voortgang):
        for step in range(1000):
            voortgang.check()
            steps.append(step)
            time.sleep(0.01)
        return "klaar"

    cancelled = collect(runner.start(task).cancelled)
    qtbot.waitUntil(lambda: len(steps) > 2, timeout=20_000)
    runner.shutdown()
    assert not runner.busy()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=20_000)
    assert len(steps) < 1000


def test_a_task_that_ends_at_once_is_never_lost(qtbot, runner):
    """The slots connected right after start() always hear the result, however fast."""
    for _ in range(20):
        done = collect(runner.start(lambda voortgang: 42).finished)
        qtbot.waitUntil(lambda done=done: bool(done), timeout=20_000)
        assert done == [(42,)]
        runner.wait()
