"""Keeps a :class:`Preview` of the open document current, debounced and off the UI thread."""

from __future__ import annotations

import threading
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from uptrends_studio.core.checks.content_type import BodyKind
from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.language.budget import RenderCancelled
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.preview import Preview, compute_preview, mask_preview
from uptrends_studio.gui.code_view import pretty_json_head
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.workers import LatestOnlyRunner

DEBOUNCE_MS = 150
"""Quiet time after the last keystroke before the preview is recomputed."""

MAX_WAIT_MS = 300
"""Longest time an edit waits for its preview while the user keeps typing.

The debounce restarts with every keystroke; without a bound, continuous typing (a key every
50 ms) would never show a new preview. This timer starts with the first edit of a burst and is
not restarted by the ones after it.
"""


def compute_and_prepare(
    integration: Integration,
    sample: SampleSet,
    catalogue: Catalogue,
    cancel: threading.Event | None = None,
) -> Preview:
    """Compute the preview, mask it and pretty-print its JSON bodies, on the worker thread.

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
    for requests in (preview.masked or {}).values():
        for request in requests:
            if cancel is not None and cancel.is_set():
                raise RenderCancelled
            if request.body_kind is BodyKind.JSON:
                pretty_json_head(request.body)
    return preview


class PreviewController(QObject):
    """Recomputes the preview when the document or the sample changes.

    A change cancels the computation in progress (its result would be stale); so does
    :meth:`shutdown` and the application quitting.

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
        self._max_wait = QTimer(self)
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(max_wait_ms)
        self._max_wait.timeout.connect(self.refresh_now)
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

        However often it is called, the computation starts at the latest after the maximum
        wait counted from the first call since the last computation. Starting it cancels the
        one still in progress (``LatestOnlyRunner``); a keystroke alone does not, so a preview
        started by the maximum wait finishes while the user keeps typing.
        """
        self._timer.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def shutdown(self) -> None:
        """Stop: no further computation, and the one in progress is cancelled."""
        self._timer.stop()
        self._runner.cancel()

    def refresh_now(self) -> None:
        """Start a computation now with the current document and sample."""
        self._timer.stop()
        self._max_wait.stop()
        job = partial(
            compute_and_prepare, self._document.integration, self._samples.sample, self._catalogue
        )
        self._runner.submit(job)
        self.busy_changed.emit(True)

    def _on_runner_finished(self, preview: object) -> None:
        assert isinstance(preview, Preview)
        self.preview = preview
        self.busy_changed.emit(self._runner.is_busy())
        self.updated.emit(preview)

    def _on_runner_failed(self, message: str) -> None:
        self.preview = Preview(error=f"internal error while rendering: {message}")
        self.busy_changed.emit(self._runner.is_busy())
        self.updated.emit(self.preview)
