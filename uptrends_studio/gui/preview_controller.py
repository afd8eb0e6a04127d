"""Keeps a :class:`Preview` of the open document current, debounced and off the UI thread."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Collection
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

from uptrends_studio.core.checks.content_type import BodyKind
from uptrends_studio.core.document.model import ALERT_TYPES, AlertType, Integration
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.language.budget import RenderCancelled
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.preview import Preview, compute_preview, mask_preview
from uptrends_studio.gui.code_view import keep_pretty_json_heads, pretty_json_head
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.memory import release_free_memory
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.workers import LatestOnlyRunner

DEBOUNCE_MS = 150
"""Quiet time after the last keystroke before the preview is recomputed."""

MAX_WAIT_MS = 300
"""Longest time between two previews while the user keeps typing (see :class:`PreviewController`).

The debounce restarts with every keystroke; without a bound, continuous typing (a key every
50 ms) would never show a new preview.
"""

COMPUTE_HISTORY = 4
"""How many recent computations the expected computing time is taken from (the longest)."""

PACE_MARGIN = 0.15
"""Part of the maximum wait kept for what delays a preview beyond the expected computing time.

The timer fires late when a keystroke is being handled, and a computation can be slower than
the ones before it. A tenth of 300 ms left the time between previews just over 300 ms at
p95 while typing in a 1 MB body (304.5 ms over 240 keys); 45 ms covers it.
"""


def compute_and_prepare(
    integration: Integration,
    sample: SampleSet,
    catalogue: Catalogue,
    cancel: threading.Event | None = None,
    *,
    shown: Collection[AlertType] = ALERT_TYPES,
) -> Preview:
    """Compute the preview, mask it and pretty-print its JSON bodies, on the worker thread.

    Only the bodies of the ``shown`` alert types are pretty-printed: a view that shows another
    type later indents its body then (once; it is cached).

    The masked requests travel with the preview, so the views mask nothing on the UI thread.
    ``pretty_json_head`` is cached, so the preview pane and the Message types tab then find the
    indented text of the masked bodies (as much of it as a view shows) ready instead of
    indenting a 1 MB body on the UI thread.

    Raises:
        RenderCancelled: ``cancel`` was set (a newer edit, the window closing).
    """
    preview = mask_preview(
        compute_preview(integration, sample, catalogue, cancel=cancel), integration, sample
    )
    for alert_type, requests in (preview.masked or {}).items():
        if alert_type not in shown:
            continue
        for request in requests:
            if cancel is not None and cancel.is_set():
                raise RenderCancelled
            if request.body_kind is BodyKind.JSON:
                pretty_json_head(request.body)
    return preview


class PreviewController(QObject):
    """Recomputes the preview when the document or the sample changes.

    When to compute: after ``debounce_ms`` without an edit (the debounce restarts with every
    edit), and, while edits keep coming, on a deadline, so that previews are delivered at most
    ``max_wait_ms`` apart. A computation takes time, so the deadline is
    ``max_wait_ms`` after the previous preview was delivered *minus the expected computing
    time* (the longest of the last :data:`COMPUTE_HISTORY` computations, start to delivery)
    and minus a margin (:data:`PACE_MARGIN` of the wait).
    Two bounds keep the debounce meaningful: the deadline is never sooner than
    ``min(debounce_ms, max_wait_ms)`` after the first edit it includes (a lone keystroke after
    a pause waits for the debounce, as before), and never later than ``max_wait_ms`` after it.
    The deadline is only set while no computation runs (it is set again when one delivers), so
    a computation started by it finishes while the user keeps typing instead of being replaced
    by the next one. When a preview is delivered and no edit is pending, the memory the old
    previews freed is given back to the system (:mod:`uptrends_studio.gui.memory`).

    A change that starts a computation cancels the one in progress (its result would be
    stale); so does :meth:`shutdown` and the application quitting.

    Signals:
        updated(Preview): a new preview is ready.
        busy_changed(bool): a computation started or ended.
    """

    updated = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        document: IntegrationDocument,
        samples: SampleState,
        catalogue: Catalogue,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        max_wait_ms: int = MAX_WAIT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._samples = samples
        self._catalogue = catalogue
        self.preview = Preview()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.refresh_now)
        self._debounce_ms = debounce_ms
        self._max_wait_ms = max_wait_ms
        self._max_wait = QTimer(self)
        self._max_wait.setSingleShot(True)
        self._max_wait.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may fire 5% late
        self._max_wait.timeout.connect(self.refresh_now)
        self._pending_since: float | None = None
        """When the first edit not in the computation last started came (monotonic seconds)."""
        self._started_at: float | None = None
        """When the computation whose result is awaited started; ``None``: none is."""
        self._delivered_at: float | None = None
        """When the last preview was delivered."""
        self._durations: deque[float] = deque(maxlen=COMPUTE_HISTORY)
        """Start to delivery of the last computations, in seconds."""
        self._shown: Callable[[], Collection[AlertType] | None] = lambda: None
        self._runner = LatestOnlyRunner(self)
        self._runner.finished.connect(self._on_runner_finished)
        self._runner.failed.connect(self._on_runner_failed)
        document.changed.connect(self.schedule)
        samples.changed.connect(self.schedule)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._runner.cancel)

    def schedule(self) -> None:
        """Recompute after the debounce interval (restarted by every call).

        However often it is called, the computation starts by the deadline described in the
        class docstring. Starting it cancels the one still in progress (``LatestOnlyRunner``);
        a keystroke alone does not, so a preview started by the deadline finishes while the
        user keeps typing.
        """
        self._timer.start()
        if self._pending_since is None:
            self._pending_since = time.monotonic()
        if self._started_at is None and not self._max_wait.isActive():
            self._start_deadline()

    def set_shown_types(self, shown: Callable[[], Collection[AlertType] | None]) -> None:
        """Tell which alert types the window shows (asked at each computation; ``None``: all).

        The worker pretty-prints only their bodies; another type's body is indented when a
        view first shows it (a 1 MB body costs about 10 ms, twice saved on every edit).
        """
        self._shown = shown

    @property
    def delivered(self) -> bool:
        """True once a computed preview (or its failure) has been delivered."""
        return self._delivered_at is not None

    def is_idle(self) -> bool:
        """True when no edit waits for its preview and no computation runs."""
        return self._pending_since is None and self._started_at is None

    def expected_compute_seconds(self) -> float:
        """How long a computation is expected to take, start to delivery (0 before the first)."""
        return max(self._durations, default=0.0)

    def wait(self, timeout_ms: int) -> bool:
        """Wait up to ``timeout_ms`` for the computation in progress and deliver it now.

        True when a preview was delivered (``updated`` has been emitted).
        """
        return self._runner.wait(timeout_ms / 1000)

    def shutdown(self) -> None:
        """Stop: no further computation, and the one in progress is cancelled."""
        self._timer.stop()
        self._max_wait.stop()
        self._pending_since = self._started_at = None
        self._runner.cancel()

    def refresh_now(self) -> None:
        """Start a computation now with the current document and sample."""
        self._timer.stop()
        self._max_wait.stop()
        self._pending_since = None
        self._started_at = time.monotonic()
        job = partial(
            compute_and_prepare,
            self._document.integration,
            self._samples.sample,
            self._catalogue,
            shown=frozenset(self._shown() or ALERT_TYPES),
        )
        self._runner.submit(job)
        self.busy_changed.emit(True)

    def _start_deadline(self) -> None:
        """Start the maximum-wait timer for the edits pending (see the class docstring)."""
        assert self._pending_since is not None
        first_edit = self._pending_since
        earliest = first_edit + min(self._debounce_ms, self._max_wait_ms) / 1000
        latest = first_edit + self._max_wait_ms / 1000
        deadline = latest
        if self._delivered_at is not None:
            paced = self._delivered_at + (1 - PACE_MARGIN) * self._max_wait_ms / 1000
            deadline = min(max(earliest, paced - self.expected_compute_seconds()), latest)
        self._max_wait.start(max(0, round((deadline - time.monotonic()) * 1000)))

    def _delivered(self) -> None:
        now = time.monotonic()
        if self._started_at is not None:
            self._durations.append(now - self._started_at)
        self._started_at = None
        self._delivered_at = now
        if self._pending_since is not None:  # edits came while it computed
            self._start_deadline()

    def _on_runner_finished(self, preview: object) -> None:
        assert isinstance(preview, Preview)
        self.preview = preview
        # The indented bodies of older previews are not shown any more: megabytes each.
        keep_pretty_json_heads(
            request.body for requests in (preview.masked or {}).values() for request in requests
        )
        self._delivered()
        self.busy_changed.emit(self._runner.is_busy())
        self.updated.emit(preview)
        if self._pending_since is None:  # the user paused: see _release_memory
            QTimer.singleShot(0, self._release_memory)

    def _release_memory(self) -> None:
        """Give the memory the previous previews freed back to the system, once typing pauses.

        With a 1 MB body the views now hold the new preview and the texts of the old ones
        (megabytes) are free, but the C library keeps most of that memory, in fragments
        (see :mod:`uptrends_studio.gui.memory`). Not while edits are pending: the next
        keystroke would pay for mapping the memory again.
        """
        if self._pending_since is None and self._started_at is None:
            release_free_memory()

    def _on_runner_failed(self, message: str) -> None:
        self.preview = Preview(error=f"internal error while rendering: {message}")
        self._delivered()
        self.busy_changed.emit(self._runner.is_busy())
        self.updated.emit(self.preview)
