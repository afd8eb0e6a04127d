"""Background jobs deliver on the UI thread, and stay silent once Python has begun to exit."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from uptrends_studio.gui import workers
from uptrends_studio.gui.workers import LatestOnlyRunner


@pytest.fixture
def exiting() -> Iterator[threading.Event]:
    yield workers._EXITING
    workers._EXITING.clear()


def test_the_newest_job_is_delivered(qtbot: QtBot) -> None:
    runner = LatestOnlyRunner()
    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        runner.submit(lambda _cancel: "preview")
    assert blocker.args == ["preview"]


def test_a_job_ending_while_python_exits_emits_nothing(
    qtbot: QtBot, exiting: threading.Event
) -> None:
    # At exit the objects a queued signal goes to are being torn down: emitting then crashed
    # the process. The flag is what atexit sets.
    runner = LatestOnlyRunner()
    release = threading.Event()
    got: list[object] = []
    runner.finished.connect(got.append)
    runner.submit(lambda _cancel: (release.wait(5), "late")[1])
    exiting.set()
    release.set()
    qtbot.wait(300)
    assert got == []
    exiting.clear()
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.submit(lambda _cancel: "after")
    assert got == ["after"]
