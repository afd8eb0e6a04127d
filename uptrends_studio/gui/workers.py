"""Run pure core functions on a thread pool and deliver results on the UI thread."""

from __future__ import annotations

import logging
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
