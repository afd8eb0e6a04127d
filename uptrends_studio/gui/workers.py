"""Run pure core functions on background threads and deliver results on the UI thread."""

from __future__ import annotations

import atexit
import logging
import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal

from uptrends_studio.core.language.budget import RenderCancelled

log = logging.getLogger(__name__)


class _Signals(QObject):
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)


Job = Callable[[threading.Event], Any]
"""A job of :class:`LatestOnlyRunner`: called with its cancel event (set when not wanted)."""


_EXITING = threading.Event()
atexit.register(_EXITING.set)


def _interpreter_exiting() -> bool:
    """True once Python has begun to exit (after the window closed, or SIGTERM).

    A job thread that ends then must not emit: the objects its signals are queued to are being
    torn down, and a signal emitted into them crashed the process at exit (SIGSEGV).
    """
    return _EXITING.is_set() or sys.is_finalizing()


def _emit(job_id: int, signal: Any, *args: object) -> None:
    if _interpreter_exiting():
        return
    try:
        signal.emit(job_id, *args)
    except RuntimeError:  # the window (and the signals object) is gone: nobody to tell
        log.info("job %s ended after its runner was deleted", job_id)


def _run_job(job_id: int, job: Job, cancel: threading.Event, signals: _Signals) -> None:
    """The body of a job thread: run, then report through queued signals (never raises)."""
    try:
        result = job(cancel)
    except RenderCancelled:
        _emit(job_id, signals.cancelled)
    except Exception as exc:  # a bug in the core: reported, never lost silently
        log.exception("background job %s failed", job_id)
        _emit(job_id, signals.failed, f"{type(exc).__name__}: {exc}")
    else:
        if cancel.is_set():
            _emit(job_id, signals.cancelled)
        else:
            _emit(job_id, signals.finished, result)


def _cancel_all(cancels: dict[int, threading.Event], *_args: object) -> None:
    for cancel in cancels.values():
        cancel.set()


class LatestOnlyRunner(QObject):
    """Runs jobs in the background; only the newest job's result is delivered.

    Each job runs on its own daemon thread with a cancel event. Submitting a newer job, calling
    :meth:`cancel` or deleting the runner sets the events of the older ones: the core stops at
    its next step (``RenderCancelled``) and a late result is dropped. A job that is still
    running never keeps the application from quitting (daemon thread, no thread pool to wait
    for), and its late signals never reach a deleted object.

    Signals:
        finished(object): the result of the newest job.
        failed(str): the newest job raised (a bug; the message names the exception).
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Unparented: a job thread that outlives the window still holds it (no dangling emit).
        self._signals = _Signals()
        self._signals.finished.connect(self._on_job_finished)
        self._signals.failed.connect(self._on_job_failed)
        self._signals.cancelled.connect(self._on_job_cancelled)
        self._latest = 0
        self._cancels: dict[int, threading.Event] = {}
        self._thread: threading.Thread | None = None
        self.destroyed.connect(partial(_cancel_all, self._cancels))

    def submit(self, function: Job) -> int:
        """Start ``function(cancel)`` on a new thread, cancelling older jobs; returns its id."""
        self.cancel()
        self._latest += 1
        cancel = threading.Event()
        self._cancels[self._latest] = cancel
        self._thread = threading.Thread(
            target=_run_job,
            args=(self._latest, function, cancel, self._signals),
            name=f"preview-{self._latest}",
            daemon=True,
        )
        self._thread.start()
        return self._latest

    def wait(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for the newest job; if it ended, deliver its result now.

        The window uses this once, before it is first shown, so that its first frame holds
        the first preview when that is quick to compute. True when the result (or failure)
        was delivered.
        """
        thread = self._thread
        if thread is None:
            return False
        thread.join(timeout_s)
        if thread.is_alive():
            return False
        # The job's queued signal is waiting in the event queue: handle it now.
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
        return self._latest not in self._cancels

    def cancel(self) -> None:
        """Ask every running job to stop; none of their results will be delivered."""
        _cancel_all(self._cancels)

    def is_busy(self) -> bool:
        """True while a job is still running."""
        return bool(self._cancels)

    def _on_job_finished(self, job_id: int, result: object) -> None:
        cancel = self._cancels.pop(job_id, None)
        if job_id == self._latest and cancel is not None and not cancel.is_set():
            self.finished.emit(result)

    def _on_job_failed(self, job_id: int, message: str) -> None:
        cancel = self._cancels.pop(job_id, None)
        if job_id == self._latest and cancel is not None and not cancel.is_set():
            self.failed.emit(message)

    def _on_job_cancelled(self, job_id: int) -> None:
        self._cancels.pop(job_id, None)


class _TaskSignals(QObject):
    progressed = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, str)


Task = Callable[[threading.Event, Callable[[object], None]], Any]
"""A cancellable job: called with a cancel event and a ``report(progress)`` callback."""


def _run_task(job_id: int, task: Task, cancel: threading.Event, signals: _TaskSignals) -> None:
    """The body of a task thread: run, then report through queued signals."""

    def emit(signal: Any, *args: object) -> None:
        if _interpreter_exiting():
            return
        try:
            signal.emit(*args)
        except RuntimeError:  # the window (and the signals object) is gone: nobody to tell
            log.info("task %s finished after its runner was deleted", job_id)

    def report(progress: object) -> None:
        emit(signals.progressed, job_id, progress)

    try:
        result = task(cancel, report)
    except Exception as exc:  # a bug in the core: reported, never lost silently
        log.exception("background task %s failed", job_id)
        emit(signals.failed, job_id, f"{type(exc).__name__}: {exc}")
    else:
        emit(signals.finished, job_id, result)


class TaskRunner(QObject):
    """Runs one long task at a time (a test send) with progress and cancel.

    Cancelling sets the task's cancel event and stops listening at once: whatever the task
    still reports or returns later is discarded, so a late answer never overwrites what the
    user sees. Each task gets its own daemon thread rather than a thread-pool slot: a cancelled
    send may still wait for its network timeout, and it must neither hold up the preview's
    pool nor keep the application from quitting.

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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Unparented: a task thread that outlives the window still holds it (no dangling emit).
        self._signals = _TaskSignals()
        self._signals.progressed.connect(self._on_job_progressed)
        self._signals.finished.connect(self._on_job_finished)
        self._signals.failed.connect(self._on_job_failed)
        self._next_id = 0
        self._current: int | None = None
        self._cancels: dict[int, threading.Event] = {}
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
        cancel = threading.Event()
        self._cancels[self._next_id] = cancel
        self._current = self._next_id
        threading.Thread(
            target=_run_task,
            args=(self._next_id, task, cancel, self._signals),
            name=f"test-send-{self._next_id}",
            daemon=True,
        ).start()
        self.busy_changed.emit(True)
        return self._next_id

    def cancel(self) -> None:
        """Stop waiting for the current task; its late results are discarded."""
        if self._current is None:
            return
        cancel = self._cancels.get(self._current)
        if cancel is not None:
            cancel.set()
        self._current = None
        self.busy_changed.emit(False)

    def _on_job_progressed(self, job_id: int, progress: object) -> None:
        if job_id == self._current:
            self.progressed.emit(progress)

    def _on_job_finished(self, job_id: int, result: object) -> None:
        self._cancels.pop(job_id, None)
        if job_id != self._current:
            self.discarded += 1
            log.info("discarded the late result of cancelled task %s", job_id)
            return
        self._current = None
        self.busy_changed.emit(False)
        self.finished.emit(result)

    def _on_job_failed(self, job_id: int, message: str) -> None:
        self._cancels.pop(job_id, None)
        if job_id != self._current:
            return
        self._current = None
        self.busy_changed.emit(False)
        self.failed.emit(message)
