"""The worker pauses Python's cycle collector while a long task runs (a full collection over
two big exports and 90k decisions costs a resume about a second) and always gives it back."""

from __future__ import annotations

import gc

import pytest

from srgdesk.gui.worker import cyclic_gc_paused


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_a_task_runs_without_the_collector_and_gives_it_back(qtbot, runner):
    seen = []
    done = []
    worker = runner.start(lambda voortgang: seen.append(gc.isenabled()))
    worker.finished.connect(lambda result: done.append(result))
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert seen == [False]
    assert gc.isenabled()


def test_a_failing_task_gives_the_collector_back(qtbot, runner):
    failed = []

    def task(voortgang):
        raise KeyError("x")

    runner.start(task).failed.connect(lambda text: failed.append(text))
    qtbot.waitUntil(lambda: bool(failed), timeout=20_000)
    assert gc.isenabled()


def test_overlapping_tasks_resume_it_only_when_the_last_one_ends():
    first, second = cyclic_gc_paused(), cyclic_gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second task still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_switched_off_elsewhere_stays_off():
    gc.disable()
    with cyclic_gc_paused():
        pass
    assert not gc.isenabled()
