"""Run pure core functions on a thread pool and deliver results on the UI thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    finished = Signal(int, object)
    failed = Signal(int, str)


class _Job(QRunnable):
    def __init__(self, job_id: int, function: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.job_id = job_id
        self.function = function
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.function()
        except Exception as exc:  # a bug in the core: reported, never lost silently
            log.exception("background job %s failed", self.job_id)
            self.signals.failed.emit(self.job_id, f"{type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(self.job_id, result)


class LatestOnlyRunner(QObject):
    """Runs jobs in the background; only the newest job's result is delivered.

    Signals:
        finished(object): the result of the newest job.
        failed(str): the newest job raised (a bug; the message names the exception).
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._signals = _Signals()
        self._signals.finished.connect(self._on_job_finished)
        self._signals.failed.connect(self._on_job_failed)
        self._latest = 0
        self._running: dict[int, _Job] = {}

    def submit(self, function: Callable[[], Any]) -> int:
        """Start ``function`` on the pool; returns its job id."""
        self._latest += 1
        job = _Job(self._latest, function, self._signals)
        job.setAutoDelete(False)
        self._running[self._latest] = job
        self._pool.start(job)
        return self._latest

    def is_busy(self) -> bool:
        """True while a job is still running."""
        return bool(self._running)

    def _on_job_finished(self, job_id: int, result: object) -> None:
        self._running.pop(job_id, None)
        if job_id == self._latest:
            self.finished.emit(result)

    def _on_job_failed(self, job_id: int, message: str) -> None:
        self._running.pop(job_id, None)
        if job_id == self._latest:
            self.failed.emit(message)


class _TaskSignals(QObject):
    progressed = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, str)


Task = Callable[[threading.Event, Callable[[object], None]], Any]
"""A cancellable job: called with a cancel event and a ``report(progress)`` callback."""


class _TaskJob(QRunnable):
    def __init__(
        self, job_id: int, task: Task, cancel: threading.Event, signals: _TaskSignals
    ) -> None:
        super().__init__()
        self.job_id = job_id
        self.task = task
        self.cancel = cancel
        self.signals = signals

    def run(self) -> None:
        def report(progress: object) -> None:
            self.signals.progressed.emit(self.job_id, progress)

        try:
            result = self.task(self.cancel, report)
        except Exception as exc:  # a bug in the core: reported, never lost silently
            log.exception("background task %s failed", self.job_id)
            self.signals.failed.emit(self.job_id, f"{type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(self.job_id, result)


class TaskRunner(QObject):
    """Runs one long task at a time (a test send) with progress and cancel.

    Cancelling sets the task's cancel event and stops listening at once: whatever the task
    still reports or returns later is discarded, so a late answer never overwrites what the
    user sees.

    Signals:
        progressed(object): a progress report of the current task (e.g. one finished step).
        finished(object): the current task's result.
        failed(str): the current task raised (a bug; the message names the exception).
        busy_changed(bool): a task started, or finished/failed/was cancelled.
    """

    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._signals = _TaskSignals()
        self._signals.progressed.connect(self._on_job_progressed)
        self._signals.finished.connect(self._on_job_finished)
        self._signals.failed.connect(self._on_job_failed)
        self._next_id = 0
        self._current: int | None = None
        self._jobs: dict[int, _TaskJob] = {}
        self.discarded = 0
        """How many late results of cancelled tasks were dropped (for tests and the log)."""

    def is_busy(self) -> bool:
        """True while the current task runs (cancelled tasks no longer count)."""
        return self._current is not None

    def start(self, task: Task) -> int:
        """Run ``task`` in the pool (cancelling the current one, if any); returns its id."""
        if self._current is not None:
            self.cancel()
        self._next_id += 1
        job = _TaskJob(self._next_id, task, threading.Event(), self._signals)
        job.setAutoDelete(False)
        self._jobs[self._next_id] = job
        self._current = self._next_id
        self._pool.start(job)
        self.busy_changed.emit(True)
        return self._next_id

    def cancel(self) -> None:
        """Stop waiting for the current task; its late results are discarded."""
        if self._current is None:
            return
        job = self._jobs.get(self._current)
        if job is not None:
            job.cancel.set()
        self._current = None
        self.busy_changed.emit(False)

    def _on_job_progressed(self, job_id: int, progress: object) -> None:
        if job_id == self._current:
            self.progressed.emit(progress)

    def _on_job_finished(self, job_id: int, result: object) -> None:
        self._jobs.pop(job_id, None)
        if job_id != self._current:
            self.discarded += 1
            log.info("discarded the late result of cancelled task %s", job_id)
            return
        self._current = None
        self.busy_changed.emit(False)
        self.finished.emit(result)

    def _on_job_failed(self, job_id: int, message: str) -> None:
        self._jobs.pop(job_id, None)
        if job_id != self._current:
            return
        self._current = None
        self.busy_changed.emit(False)
        self.failed.emit(message)
