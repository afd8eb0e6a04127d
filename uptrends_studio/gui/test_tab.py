"""The Test tab: send real test alerts, run a lifecycle, browse the history, run the receiver.

A view over an :class:`~uptrends_studio.app.test_run.TestRun`: the tab builds the run from the
workspace and the panels, hands :meth:`TestRun.execute` to a
:class:`~uptrends_studio.gui.workers.TaskRunner` (the window never waits on the network) and
shows the run's records. Masking, labels and storing are the run's; the tab only shows them.
It is composed of :class:`SendPanel`, :class:`ConnectionOptions`, a :class:`RunView`, a
:class:`HistoryPage` and a :class:`ReceiverPage`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.app.test_run import RunPlan, RunState, TestRun, message_request
from uptrends_studio.app.workspace import Workspace
from uptrends_studio.core.delivery.history import History, RunRecord
from uptrends_studio.core.delivery.receiver import CapturedRequest
from uptrends_studio.core.delivery.runs import AlertRun, LifecycleRun, StepRun
from uptrends_studio.core.delivery.sending import SendOptions
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.rendering.messages import RenderedRequest
from uptrends_studio.core.secret_store import MemoryStore
from uptrends_studio.gui.connection_options import ConnectionOptions
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.fit import VerticalScrollArea
from uptrends_studio.gui.history_page import HistoryPage
from uptrends_studio.gui.receiver_page import ReceiverPage
from uptrends_studio.gui.response_pane import ResponsePane
from uptrends_studio.gui.run_view import RunView
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.section import FoldingSection
from uptrends_studio.gui.send_panel import COPY_FORMATS, SendPanel
from uptrends_studio.gui.settings import Settings
from uptrends_studio.gui.workers import TaskRunner

RESULT_PAGE, HISTORY_PAGE, RECEIVER_PAGE = range(3)


REROUTE_STYLE = (
    "QLabel { border: 2px solid palette(highlight); border-radius: 4px; padding: 6px 8px;"
    " font-weight: 600; }"
)


class TestTab(QWidget):
    """Send test alerts for real and look at what came back.

    Signals:
        status_message(str): a short message for the status bar.
        busy_changed(bool): a send started or ended.
    """

    __test__ = False  # not a pytest test class, whatever its name
    status_message = Signal(str)
    busy_changed = Signal(bool)

    def __init__(
        self,
        workspace: Workspace,
        document: IntegrationDocument,
        samples: SampleState,
        settings: Settings,
        *,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.document = document
        self.samples = samples
        self.settings = settings
        self.runner = runner or TaskRunner(parent=self)
        self.run: TestRun | None = None
        """The run shown (running, finished or cancelled)."""

        self.send_panel = SendPanel(samples, workspace.sample_sets)
        self.connection = ConnectionOptions(settings, workspace.store or MemoryStore())
        self.options_section = FoldingSection("Connection options", self.connection)
        self.history_page = HistoryPage()
        self.receiver_page = ReceiverPage(settings, workspace.outside_masker)
        self.reveal_check = QCheckBox("Reveal secrets")
        self.reveal_check.setToolTip(
            "Show secret values in the result (they are never stored in the history)"
        )
        self.run_view = RunView()
        self.run_view.copy_formats = COPY_FORMATS
        self.results = QTabWidget()
        self.results.setDocumentMode(True)
        self.results.addTab(self._result_page(), "Result")
        self.results.addTab(self.history_page, "History")
        self.results.addTab(self.receiver_page, "Local receiver")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._controls())
        splitter.addWidget(self.results)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([290, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.send_panel.send_requested.connect(self.send_test_alert)
        self.send_panel.lifecycle_requested.connect(self.run_lifecycle)
        self.send_panel.cancel_requested.connect(self.cancel)
        self.send_panel.copy_requested.connect(self.copy_current_request)
        for part in (self.send_panel, self.connection, self.receiver_page):
            part.status_message.connect(self.status_message)
        self.reveal_check.toggled.connect(self._show_run)
        self.run_view.copy_requested.connect(self._on_run_view_copy_requested)
        self.history_page.resend_requested.connect(self._on_history_page_resend_requested)
        self.history_page.count_changed.connect(self._on_history_page_count_changed)
        self.receiver_page.captures_changed.connect(self._on_receiver_page_captures_changed)
        self.runner.progressed.connect(self._on_runner_progressed)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.busy_changed.connect(self._on_runner_busy_changed)
        self.document.changed.connect(self._sync_overrides)
        self.document.path_changed.connect(self._on_document_path_changed)
        self._sync_overrides()
        # The history is read when the tab is first shown, not at the window's start.
        self._history_stale = True

        # Ctrl+Enter and Ctrl+Shift+Enter are the main window's Test menu actions (one
        # owner per shortcut: Qt ignores ambiguous ones). Esc is the tab's own.
        cancel = QShortcut(QKeySequence("Esc"), self)
        cancel.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        cancel.activated.connect(self.cancel)

    def _controls(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 4, 8, 4)
        layout.setSpacing(8)
        layout.addWidget(self.send_panel)
        layout.addWidget(self.options_section)
        layout.addStretch(1)
        # Scrolls up and down on a short screen; never cut sideways (its width follows the
        # buttons' text, larger in presentation mode).
        return VerticalScrollArea(panel)

    def _result_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.reveal_check, 0, Qt.AlignmentFlag.AlignRight)
        # Said on the result, not only on the switch: these were not the document's URLs.
        self.reroute_note = QLabel()
        self.reroute_note.setObjectName("rerouteNote")
        self.reroute_note.setWordWrap(True)
        self.reroute_note.hide()
        layout.addWidget(self.reroute_note)
        # The steps above, the selected step's response below at full width and height (as in
        # an API client); the splitter lets either grow.
        self.response_pane = ResponsePane()
        self.result_split = QSplitter(Qt.Orientation.Vertical)
        self.result_split.addWidget(self.run_view)
        self.result_split.addWidget(self.response_pane)
        self.result_split.setStretchFactor(0, 1)
        self.result_split.setStretchFactor(1, 2)
        self.result_split.setSizes([200, 400])
        layout.addWidget(self.result_split, 1)
        self.run_view.exchange_selected.connect(self.response_pane.show_record)
        return page

    # -- state --------------------------------------------------------------------------------

    def alert_type(self) -> AlertType:
        """The message type selected for sending."""
        return self.send_panel.alert_type()

    def set_alert_type(self, alert_type: AlertType) -> None:
        """Select the message type to send."""
        self.send_panel.set_alert_type(alert_type)

    def send_options(self) -> SendOptions:
        """The connection options as set in the panel."""
        return self.connection.send_options()

    def history(self) -> History:
        """The history of the open integration."""
        return self.workspace.history()

    def is_busy(self) -> bool:
        """A send is in progress."""
        return self.runner.is_busy()

    def captures(self) -> list[CapturedRequest]:
        """The requests the local receiver captured, newest first."""
        return self.receiver_page.captures()

    # -- sending ------------------------------------------------------------------------------

    def send_test_alert(self) -> None:
        """Send the selected message type (Ctrl+Enter)."""
        self._start(RunPlan(self.alert_type()))

    def run_lifecycle(self) -> None:
        """Send Error, the Reminders and Ok in turn (Ctrl+Shift+Enter)."""
        self._start(
            RunPlan(
                AlertType.ERROR, lifecycle=True, reminders=self.send_panel.reminders_spin.value()
            )
        )

    def _start(self, plan: RunPlan) -> None:
        if self.runner.is_busy():
            self.status_message.emit("A test is already running: cancel it first (Esc)")
            return
        plan = RunPlan(
            plan.alert_type,
            plan.lifecycle,
            plan.reminders,
            overrides=self.send_panel.overrides(),
            options=self.send_options(),
            to_receiver=(
                self.receiver_page.port_spin.value()
                if self.send_panel.to_receiver_check.isChecked()
                else None
            ),
        )
        try:
            run = TestRun(self.workspace, plan)
        except StudioError as exc:
            self.run_view.show_message(f"The sample cannot be used: {exc}", "fail")
            self.status_message.emit(f"The sample cannot be used: {exc}")
            return
        self.run = run
        port = self.receiver_page.port_spin.value()
        if not self.receiver_page.receiver.running and run.goes_to_local_port(port):
            self.receiver_page.toggle_receiver()
        self.results.setCurrentIndex(RESULT_PAGE)
        self.run_view.show_message(
            "Sending the lifecycle: Error first…"
            if plan.lifecycle
            else f"Sending {plan.alert_type.value}…"
        )

        def task(cancel: threading.Event, report: Callable[[object], None]) -> object:
            return run.execute(cancel, report)

        run.started()
        self.runner.start(task)

    def cancel(self) -> None:
        """Stop waiting for the running test (Esc); its late answer is discarded."""
        if not self.runner.is_busy() or self.run is None:
            return
        self.runner.cancel()
        self.run.cancel()
        self._show_run()
        self.status_message.emit("Test cancelled; a late answer will be ignored")

    def _show_run(self) -> None:
        run = self.run
        if run is None:
            return
        if run.state is RunState.RUNNING and not run.steps:
            return  # still "Sending…"
        records = run.records(reveal=self.reveal_check.isChecked())
        exchanges = [e for r in records for e in r.exchanges]
        latest = exchanges[-1] if exchanges else None
        if latest != self.response_pane.record:
            # After the run view has been drawn: two short pauses of the event loop, not one.
            QTimer.singleShot(0, lambda: self.response_pane.show_record(latest))
        self.reroute_note.setText(f"↪ {run.rerouted}" if run.rerouted else "")
        self.reroute_note.setVisible(bool(run.rerouted))
        self.reroute_note.setStyleSheet(REROUTE_STYLE)  # palette(...) is read when set
        if run.state is RunState.RUNNING:
            self.run_view.set_records(records, running=True)
        elif run.state is RunState.CANCELLED:
            self.run_view.set_records(records, stopped="cancelled")
        elif run.key_check is not None:
            self.run_view.set_records(records, key_check=run.key_check, stopped=run.stopped())
        else:
            self.run_view.set_records(records)

    def _on_runner_progressed(self, progress: object) -> None:
        if isinstance(progress, StepRun) and self.run is not None:
            self.run.add_step(progress)
            self._show_run()

    def _on_runner_finished(self, result: object) -> None:
        if not isinstance(result, AlertRun | LifecycleRun) or self.run is None:
            return
        self.run.finish(result)
        self._show_run()
        problem = self.run.store()
        self.reload_history()
        self.status_message.emit(self.run_view.banner.text() + (f" {problem}" if problem else ""))

    def _on_runner_failed(self, message: str) -> None:
        self.run_view.show_message(
            f"The test could not run because of an internal error: {message}. "
            "The integration is unchanged; the log has the details.",
            "fail",
        )

    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.send_panel.set_busy(busy)
        self.history_page.set_can_send(not busy)
        self.busy_changed.emit(busy)

    # -- copy as ------------------------------------------------------------------------------

    def _copy(self, request: RenderedRequest, key: str) -> None:
        from uptrends_studio.core.exports.snippets import SnippetFormat, export_request

        QGuiApplication.clipboard().setText(export_request(request, SnippetFormat(key)))
        label = dict(COPY_FORMATS)[key]
        masked_note = "" if self.reveal_check.isChecked() else " (secrets masked)"
        self.status_message.emit(f"Copied step {request.step_index + 1} as {label}{masked_note}")

    def copy_current_request(self, key: str) -> str:
        """Copy the selected message's request (the message step) as ``key``; returns it."""
        try:
            request = message_request(
                self.workspace,
                self.alert_type(),
                self.send_panel.overrides(),
                reveal=self.reveal_check.isChecked(),
            )
        except StudioError as exc:
            self.status_message.emit(f"Cannot render the request: {exc}")
            return ""
        if request is None:
            self.status_message.emit(
                f"No step has {self.alert_type().value} ticked: there is no request to copy"
            )
            return ""
        self._copy(request, key)
        return QGuiApplication.clipboard().text()

    def _on_run_view_copy_requested(self, record: object, step_index: int, key: str) -> None:
        assert isinstance(record, RunRecord)
        run = self.run
        request = run.request_of(record.alert_type, step_index) if run is not None else None
        if run is not None and request is not None:
            reveal = self.reveal_check.isChecked()
            self._copy(run.shown_request(request, reveal=reveal), key)

    # -- history ------------------------------------------------------------------------------

    def reload_history(self) -> None:
        """Read the open integration's history again (newest first)."""
        self._history_stale = False
        self.history_page.show_history(self.history())

    def _on_history_page_count_changed(self, count: int) -> None:
        self.results.setTabText(HISTORY_PAGE, f"History ({count})")

    def _on_document_path_changed(self) -> None:
        if self.isVisible():
            self.reload_history()
        else:
            self._history_stale = True

    def _on_history_page_resend_requested(self, record: object) -> None:
        """Send a stored run's message type again (same sample and values)."""
        assert isinstance(record, RunRecord)
        if self.runner.is_busy():
            self.status_message.emit("A test is already running: cancel it first (Esc)")
            return
        if record.sample_name != self.samples.sample.name:
            self.send_panel.select_sample_named(record.sample_name)
        self.set_alert_type(record.alert_type)
        self.send_panel.set_overrides(dict(record.overrides))
        self.send_test_alert()

    def resend_selected(self) -> None:
        """Send the selected history run's message type again."""
        self.history_page.resend_selected()

    # -- receiver -----------------------------------------------------------------------------

    def toggle_receiver(self) -> None:
        """Start the local receiver, or stop it when running."""
        self.receiver_page.toggle_receiver()

    def _on_receiver_page_captures_changed(self, count: int) -> None:
        self.results.setTabText(
            RECEIVER_PAGE, f"Local receiver ({count})" if count else "Local receiver"
        )

    # -- other reactions ----------------------------------------------------------------------

    def _sync_overrides(self) -> None:
        self.send_panel.sync_overrides(self.document.integration)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._history_stale:
            self.reload_history()

    def shutdown(self) -> None:
        """Stop the receiver and drop a running test (the window is closing)."""
        self.runner.cancel()
        self.receiver_page.shutdown()
