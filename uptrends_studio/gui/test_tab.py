"""The Test tab: send real test alerts, run a lifecycle, browse the history, run the receiver.

Sending runs :func:`uptrends_studio.core.runs.run_alert` (or ``run_lifecycle``) in a
:class:`~uptrends_studio.gui.workers.TaskRunner`, so the window never waits on the network.
Cancel stops waiting at once and a late answer is discarded. Results are shown as masked
:class:`~uptrends_studio.core.history.RunRecord`s (revealed on request) and stored, masked, in
the per-integration history.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.catalogue import Catalogue
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.history import History, RunRecord, run_record
from uptrends_studio.core.messages import RenderedRequest, Renderer
from uptrends_studio.core.model import ALERT_TYPES, AlertType, Integration, VariableMode
from uptrends_studio.core.receiver import (
    CapturedRequest,
    Receiver,
    ReceiverError,
    ReceiverResponse,
    format_capture,
)
from uptrends_studio.core.runs import (
    AlertRun,
    LifecycleRun,
    StepRun,
    run_alert,
    run_lifecycle,
    with_escalation_values,
)
from uptrends_studio.core.samples import (
    SUFFIX,
    AlertData,
    SampleSet,
    alert_data,
    builtin_sample_paths,
    load_sample,
)
from uptrends_studio.core.secrets import Masker, masked_request, masker_for
from uptrends_studio.core.sending import ProxyMode, SendOptions
from uptrends_studio.gui.code_view import CodeView, is_dark
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.run_view import FAIL_COLOUR, OK_COLOUR, RunView, set_bold
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.section import FoldingSection
from uptrends_studio.gui.settings import Settings
from uptrends_studio.gui.workers import TaskRunner

COPY_FORMATS: tuple[tuple[str, str], ...] = (
    ("curl", "cURL"),
    ("httpie", "HTTPie"),
    ("powershell", "PowerShell (Invoke-RestMethod)"),
    ("python", "Python (requests)"),
)
"""``core.snippets.SnippetFormat`` values and their menu labels (snippets load on first use)."""
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class ReceiverController(QObject):
    """The Studio's local receiver, started and stopped from the Test tab.

    Signals:
        captured(object): a :class:`CapturedRequest` arrived (delivered on the UI thread).
        running_changed(bool): the receiver started or stopped.
    """

    captured = Signal(object)
    running_changed = Signal(bool)

    def __init__(self, response: ReceiverResponse, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.response = response
        self.receiver: Receiver | None = None

    @property
    def running(self) -> bool:
        """Whether the receiver is listening."""
        return self.receiver is not None and self.receiver.running

    @property
    def port(self) -> int | None:
        """The port it listens on, while running."""
        return self.receiver.port if self.running and self.receiver else None

    def start(self, port: int) -> None:
        """Listen on ``127.0.0.1:port``.

        Raises:
            ReceiverError: the port is in use or invalid.
        """
        self.stop()
        # Called from a server thread; the signal is queued to the UI thread.
        receiver = Receiver(port, self.response, on_capture=self.captured.emit)
        receiver.start()
        self.receiver = receiver
        self.running_changed.emit(True)

    def stop(self) -> None:
        """Stop listening (pending delayed answers are cut off)."""
        if self.receiver is not None:
            self.receiver.stop()
            self.receiver = None
            self.running_changed.emit(False)

    def set_response(self, response: ReceiverResponse) -> None:
        """Answer future requests with ``response``."""
        self.response = response
        if self.receiver is not None:
            self.receiver.set_response(response)


def _labelled(text: str) -> QLabel:
    label = QLabel(text)
    set_bold(label)
    return label


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
        document: IntegrationDocument,
        samples: SampleState,
        catalogue: Catalogue,
        settings: Settings,
        history_root: Path,
        *,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.samples = samples
        self.catalogue = catalogue
        self.settings = settings
        self.history_root = history_root
        self.runner = runner or TaskRunner(parent=self)
        self.receiver = ReceiverController(settings.receiver_response(), self)
        self._live: AlertRun | LifecycleRun | None = None
        self._live_label = ""
        self._live_overrides: dict[str, str] = {}
        self._partial: list[StepRun] = []
        self._run_masker = Masker()
        self._capture_masker: tuple[Integration, SampleSet, Masker] | None = None
        self._run_history: History | None = None
        self._run_sample_name = ""
        self._history_records: list[RunRecord] = []
        self._override_edits: dict[str, QLineEdit] = {}
        self._builtin_samples: dict[str, Path] = {
            p.name.removesuffix(SUFFIX): p for p in builtin_sample_paths()
        }
        self._sample_names: dict[str, str] = {}
        """Display names of the built-in samples, read when the tab is first shown."""

        controls = self._build_controls()
        self.results = QTabWidget()
        self.results.setDocumentMode(True)
        self.results.addTab(self._build_result_page(), "Result")
        self.results.addTab(self._build_history_page(), "History")
        self.results.addTab(self._build_receiver_page(), "Local receiver")

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(controls)
        splitter.addWidget(self.results)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([290, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.runner.progressed.connect(self._on_runner_progressed)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.busy_changed.connect(self._on_runner_busy_changed)
        self.receiver.captured.connect(self._on_receiver_captured)
        self.receiver.running_changed.connect(self._on_receiver_running_changed)
        self.document.changed.connect(self._sync_overrides)
        self.document.path_changed.connect(self._on_document_path_changed)
        self.samples.changed.connect(self._sync_sample_picker)
        self._sync_overrides()
        self._sync_sample_picker()
        self._on_receiver_running_changed(False)
        # The history is read when the tab is first shown, not at the window's start.
        self._history_stale = True

        # Ctrl+Enter and Ctrl+Shift+Enter are the main window's Test menu actions (one
        # owner per shortcut: Qt ignores ambiguous ones). Esc is the tab's own.
        cancel = QShortcut(QKeySequence("Esc"), self)
        cancel.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        cancel.activated.connect(self.cancel)

    # -- construction -------------------------------------------------------------------------

    def _build_controls(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(4, 4, 8, 4)
        layout.setSpacing(8)
        layout.addWidget(_labelled("Send test alert"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.type_combo = QComboBox()
        for alert_type in ALERT_TYPES:
            self.type_combo.addItem(f"{alert_type.value} alert", alert_type)
        self.type_combo.setToolTip("The message type to send, as in Uptrends' test dialog")
        form.addRow("Alert type", self.type_combo)
        self.sample_combo = QComboBox()
        self.sample_combo.setToolTip(
            "The sample alert data the message is filled with (edit it in the Sample alert "
            "data panel)"
        )
        self.sample_combo.activated.connect(self._on_sample_combo_activated)
        form.addRow("Sample", self.sample_combo)
        layout.addLayout(form)

        self.overrides_box = QWidget()
        self.overrides_form = QFormLayout(self.overrides_box)
        self.overrides_form.setContentsMargins(0, 0, 0, 0)
        self.overrides_title = QLabel("Escalation-level values")
        self.overrides_title.setToolTip(
            "Values of the variables set per escalation level; empty fields use the sample's"
        )
        layout.addWidget(self.overrides_title)
        layout.addWidget(self.overrides_box)

        self.send_button = QPushButton("Send test alert")
        self.send_button.setToolTip("Send the selected message for real (Ctrl+Enter)")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send_test_alert)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop waiting for the answer (Esc); a late answer is ignored")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button, 1)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

        lifecycle_row = QHBoxLayout()
        self.lifecycle_button = QPushButton("Lifecycle run")
        self.lifecycle_button.setToolTip(
            "Send Error, then the Reminders, then Ok, and check that they share the incident "
            "key (Ctrl+Shift+Enter)"
        )
        self.lifecycle_button.clicked.connect(self.run_lifecycle)
        self.reminders_spin = QSpinBox()
        self.reminders_spin.setRange(0, 10)
        self.reminders_spin.setValue(1)
        self.reminders_spin.setSuffix(" reminder(s)")
        self.reminders_spin.setToolTip("How many Reminder messages to send between Error and Ok")
        lifecycle_row.addWidget(self.lifecycle_button, 1)
        lifecycle_row.addWidget(self.reminders_spin)
        layout.addLayout(lifecycle_row)

        self.copy_button = QPushButton("Copy request as")
        self.copy_button.setToolTip(
            "Copy the selected message's request as a command, without sending it "
            "(secrets masked unless revealed)"
        )
        menu = QMenu(self.copy_button)
        for key, label in COPY_FORMATS:
            action = menu.addAction(label)
            action.triggered.connect(lambda _=False, k=key: self.copy_current_request(k))
        self.copy_button.setMenu(menu)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addStretch(1)
        layout.addLayout(copy_row)

        options = QWidget()
        options_form = QFormLayout(options)
        options_form.setContentsMargins(0, 0, 0, 0)
        saved = self.settings.send_options()
        self.timeout_spin = QDoubleSpinBox()
        self.timeout_spin.setRange(0.5, 300)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setValue(saved.timeout)
        self.timeout_spin.setToolTip("How long to wait for a connection and for each answer")
        options_form.addRow("Timeout", self.timeout_spin)
        self.verify_check = QCheckBox("Verify TLS certificates")
        self.verify_check.setChecked(saved.verify_tls)
        options_form.addRow(self.verify_check)
        ca_row = QHBoxLayout()
        self.ca_edit = QLineEdit(saved.ca_bundle)
        self.ca_edit.setPlaceholderText("System certificates")
        self.ca_edit.setToolTip("A PEM file of CA certificates to trust instead of the system's")
        ca_browse = QToolButton()
        ca_browse.setText("…")
        ca_browse.setToolTip("Choose a CA bundle file")
        ca_browse.clicked.connect(self._on_ca_browse_clicked)
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(ca_browse)
        options_form.addRow("CA bundle", ca_row)
        self.proxy_combo = QComboBox()
        self.proxy_combo.addItem("System settings", ProxyMode.SYSTEM)
        self.proxy_combo.addItem("No proxy", ProxyMode.NONE)
        self.proxy_combo.addItem("This proxy:", ProxyMode.EXPLICIT)
        self.proxy_combo.setCurrentIndex(self.proxy_combo.findData(saved.proxy_mode))
        options_form.addRow("Proxy", self.proxy_combo)
        self.proxy_edit = QLineEdit(saved.proxy_url)
        self.proxy_edit.setPlaceholderText("http://proxy.example.com:3128")
        options_form.addRow("", self.proxy_edit)
        self.redirects_check = QCheckBox("Follow redirects")
        self.redirects_check.setChecked(saved.follow_redirects)
        options_form.addRow(self.redirects_check)
        for signal in (
            self.timeout_spin.valueChanged,
            self.verify_check.toggled,
            self.ca_edit.editingFinished,
            self.proxy_combo.currentIndexChanged,
            self.proxy_edit.editingFinished,
            self.redirects_check.toggled,
        ):
            signal.connect(self._on_options_changed)
        self._on_options_changed()
        self.options_section = FoldingSection("Connection options", options)
        layout.addWidget(self.options_section)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(panel)
        scroll.setMinimumWidth(260)
        return scroll

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        self.reveal_check = QCheckBox("Reveal secrets")
        self.reveal_check.setToolTip(
            "Show secret values in the result (they are never stored in the history)"
        )
        self.reveal_check.toggled.connect(self._show_live)
        layout.addWidget(self.reveal_check, 0, Qt.AlignmentFlag.AlignRight)
        self.run_view = RunView()
        self.run_view.copy_formats = COPY_FORMATS
        self.run_view.copy_requested.connect(self._on_run_view_copy_requested)
        layout.addWidget(self.run_view, 1)
        return page

    def _build_history_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        self.history_label = QLabel()
        self.history_label.setToolTip(
            "Every test of this integration is kept here; secret values are never stored"
        )
        self.resend_button = QPushButton("Send again")
        self.resend_button.setToolTip(
            "Send the selected run's message type again with the same sample and values, "
            "using the integration as it is now"
        )
        self.resend_button.clicked.connect(self.resend_selected)
        self.clear_history_button = QPushButton("Clear history")
        self.clear_history_button.clicked.connect(self.clear_history)
        top.addWidget(self.history_label, 1)
        top.addWidget(self.resend_button)
        top.addWidget(self.clear_history_button)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.history_list = QListWidget()
        self.history_list.currentRowChanged.connect(self._on_history_list_current_row_changed)
        self.history_list.itemActivated.connect(lambda _item: self.resend_selected())
        self.history_view = RunView()
        self.history_view.show_message("Select a run to see it.")
        splitter.addWidget(self.history_list)
        splitter.addWidget(self.history_view)
        splitter.setSizes([160, 400])
        layout.addWidget(splitter, 1)
        return page

    def _build_receiver_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        self.receiver_button = QPushButton("Start receiver")
        self.receiver_button.clicked.connect(self.toggle_receiver)
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(self.settings.receiver_port())
        self.port_spin.setPrefix("port ")
        self.port_spin.setToolTip("The receiver listens on 127.0.0.1 (this computer only)")
        self.receiver_state = QLabel()
        self.receiver_state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receiver_state.setWordWrap(True)
        top.addWidget(self.receiver_button)
        top.addWidget(self.port_spin)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.receiver_state)

        answer = QWidget()
        answer_form = QFormLayout(answer)
        answer_form.setContentsMargins(0, 0, 0, 0)
        response = self.receiver.response
        self.status_spin = QSpinBox()
        self.status_spin.setRange(100, 599)
        self.status_spin.setValue(response.status)
        self.status_spin.setToolTip("200 shows success; 4xx/5xx show how a failed delivery looks")
        self.delay_spin = QDoubleSpinBox()
        self.delay_spin.setRange(0, 300)
        self.delay_spin.setDecimals(1)
        self.delay_spin.setSuffix(" s delay")
        self.delay_spin.setValue(response.delay)
        self.delay_spin.setToolTip("Wait this long before answering, to show a slow endpoint")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_spin)
        status_row.addWidget(self.delay_spin)
        status_row.addStretch(1)
        answer_form.addRow("Answer with status", status_row)
        self.answer_headers = QPlainTextEdit(
            "\n".join(f"{name}: {value}" for name, value in response.headers)
        )
        self.answer_headers.setPlaceholderText("Name: value, one per line")
        self.answer_headers.setFixedHeight(48)
        answer_form.addRow("Headers", self.answer_headers)
        self.answer_body = QPlainTextEdit(response.body)
        self.answer_body.setFixedHeight(56)
        answer_form.addRow("Body", self.answer_body)
        self.answer_error = QLabel()
        self.answer_error.setStyleSheet(f"color: {FAIL_COLOUR};")
        self.answer_error.setWordWrap(True)
        self.answer_error.hide()
        answer_form.addRow(self.answer_error)
        self.status_spin.valueChanged.connect(self._on_answer_changed)
        self.delay_spin.valueChanged.connect(self._on_answer_changed)
        self.answer_headers.textChanged.connect(self._on_answer_changed)
        self.answer_body.textChanged.connect(self._on_answer_changed)
        layout.addWidget(FoldingSection("Answer", answer, expanded=True))

        captured_row = QHBoxLayout()
        self.captured_label = QLabel("Captured requests (0)")
        set_bold(self.captured_label)
        clear = QPushButton("Clear")
        clear.clicked.connect(self.clear_captures)
        self.capture_reveal = QCheckBox("Reveal secrets")
        self.capture_reveal.setToolTip(
            "Show the integration's secret values in the captured requests (masked otherwise, "
            "in every form: as typed, JSON-escaped, URL-encoded, Base64)"
        )
        self.capture_reveal.toggled.connect(self._on_capture_reveal_toggled)
        captured_row.addWidget(self.captured_label, 1)
        captured_row.addWidget(self.capture_reveal)
        captured_row.addWidget(clear)
        layout.addLayout(captured_row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.captured_list = QListWidget()
        self.captured_list.currentRowChanged.connect(self._on_captured_list_current_row_changed)
        self.capture_view = CodeView()
        self.capture_view.setPlaceholderText("Select a captured request to see it in full.")
        splitter.addWidget(self.captured_list)
        splitter.addWidget(self.capture_view)
        splitter.setSizes([140, 300])
        layout.addWidget(splitter, 1)
        return page

    # -- state --------------------------------------------------------------------------------

    def alert_type(self) -> AlertType:
        """The message type selected for sending."""
        data = self.type_combo.currentData()
        return data if isinstance(data, AlertType) else AlertType.ERROR

    def set_alert_type(self, alert_type: AlertType) -> None:
        """Select the message type to send."""
        self.type_combo.setCurrentIndex(self.type_combo.findData(alert_type))

    def send_options(self) -> SendOptions:
        """The connection options as set in the panel."""
        mode = self.proxy_combo.currentData()
        return SendOptions(
            timeout=self.timeout_spin.value(),
            verify_tls=self.verify_check.isChecked(),
            ca_bundle=self.ca_edit.text().strip(),
            proxy_mode=mode if isinstance(mode, ProxyMode) else ProxyMode.SYSTEM,
            proxy_url=self.proxy_edit.text().strip(),
            follow_redirects=self.redirects_check.isChecked(),
            # No spool_dir: the window shows the first 1 MB of an answer and never writes one
            # to disk (it could hold tokens).
        )

    def overrides(self) -> dict[str, str]:
        """The escalation-level values typed in (empty fields are left out)."""
        return {name: edit.text() for name, edit in self._override_edits.items() if edit.text()}

    def sample(self) -> SampleSet:
        """The sample to send with, escalation-level values applied."""
        return with_escalation_values(self.samples.sample, self.overrides())

    def history(self) -> History:
        """The history of the open integration."""
        path = self.document.path
        identity = str(path.resolve()) if path is not None else self.document.integration.name
        return History(self.history_root, identity)

    def is_busy(self) -> bool:
        """A send is in progress."""
        return self.runner.is_busy()

    # -- sending ------------------------------------------------------------------------------

    def send_test_alert(self) -> None:
        """Send the selected message type (Ctrl+Enter)."""
        self._start(self.alert_type(), lifecycle=False)

    def run_lifecycle(self) -> None:
        """Send Error, the Reminders and Ok in turn (Ctrl+Shift+Enter)."""
        self._start(AlertType.ERROR, lifecycle=True)

    def _start(self, alert_type: AlertType, *, lifecycle: bool) -> None:
        if self.runner.is_busy():
            self.status_message.emit("A test is already running: cancel it first (Esc)")
            return
        integration = self.document.integration
        sample = self.sample()
        try:
            data = alert_data(sample, alert_type, self.catalogue)  # a sample problem, up front
        except StudioError as exc:
            self.run_view.show_message(f"The sample cannot be used: {exc}", "fail")
            self.status_message.emit(f"The sample cannot be used: {exc}")
            return
        options = self.send_options()
        self._ensure_receiver(integration, data)
        self._partial = []
        self._live = None
        self._live_overrides = self.overrides()
        # What to mask and where to store are fixed now: the document or the values may change
        # (or another file be opened) before the answer comes.
        self._run_masker = masker_for(integration, sample)
        self._run_history = self.history()
        self._run_sample_name = sample.name
        self.results.setCurrentIndex(0)
        catalogue = self.catalogue
        task: Callable[[threading.Event, Callable[[object], None]], object]
        if lifecycle:
            reminders = self.reminders_spin.value()
            self._live_label = f"Lifecycle: Error, {reminders} Reminder(s), Ok"

            def task(cancel: threading.Event, report: Callable[[object], None]) -> object:
                return run_lifecycle(
                    integration,
                    sample,
                    catalogue,
                    options,
                    reminders=reminders,
                    cancel=cancel,
                    on_step=report,
                )

        else:
            self._live_label = "Send test alert"

            def task(cancel: threading.Event, report: Callable[[object], None]) -> object:
                return run_alert(
                    integration,
                    sample,
                    alert_type,
                    catalogue,
                    options,
                    cancel=cancel,
                    on_step=report,
                )

        self.run_view.show_message(
            f"Sending {alert_type.value}…"
            if not lifecycle
            else "Sending the lifecycle: Error first…"
        )
        self.runner.start(task)

    def cancel(self) -> None:
        """Stop waiting for the running test (Esc); its late answer is discarded."""
        if not self.runner.is_busy():
            return
        self.runner.cancel()
        self._live = None
        records = self._partial_records()
        self.run_view.set_records(records, stopped="cancelled")
        self.status_message.emit("Test cancelled; a late answer will be ignored")

    def _ensure_receiver(self, integration: Integration, data: AlertData) -> None:
        """Start the local receiver when the message goes to its port and it is not running.

        Only the URLs are rendered here (the worker renders the whole steps).
        """
        if self.receiver.running:
            return
        port = self.port_spin.value()
        for url in Renderer(integration, self.catalogue).urls(data):
            parts = urlsplit(url.strip())
            try:
                target_port = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError:
                continue
            if parts.hostname in LOOPBACK_HOSTS and target_port == port:
                self.toggle_receiver()
                return

    def _partial_records(self) -> list[RunRecord]:
        if not self._partial:
            return []
        by_type: dict[AlertType, list[StepRun]] = {}
        for step in self._partial:
            by_type.setdefault(step.exchange.request.alert_type, []).append(step)
        records = []
        for alert_type, steps in by_type.items():
            run = AlertRun(
                alert_type, self._run_sample_name, datetime.now().astimezone(), tuple(steps)
            )
            records.append(self._record(run))
        return records

    def _masker(self) -> Masker:
        """What to mask in a request made from the document and values as they are now."""
        return masker_for(self.document.integration, self.sample())

    def _record(self, run: AlertRun, *, reveal: bool | None = None, label: str = "") -> RunRecord:
        return run_record(
            run,
            self._run_masker,
            reveal=self.reveal_check.isChecked() if reveal is None else reveal,
            overrides=self._live_overrides,
            label=label,
        )

    def _runs(self) -> list[AlertRun]:
        live = self._live
        if isinstance(live, LifecycleRun):
            return list(live.runs)
        return [live] if isinstance(live, AlertRun) else []

    def _labels(self) -> list[str]:
        runs = self._runs()
        if isinstance(self._live, LifecycleRun):
            return [f"Lifecycle {i + 1}/{len(runs)}" for i in range(len(runs))]
        return [self._live_label] * len(runs)

    def _show_live(self) -> None:
        live = self._live
        if live is None:
            # A run in progress, or cancelled: redraw what has been answered (masked or not).
            if self._partial:
                busy = self.runner.is_busy()
                self.run_view.set_records(
                    self._partial_records(), running=busy, stopped="" if busy else "cancelled"
                )
            return
        records = [
            self._record(run, label=label)
            for run, label in zip(self._runs(), self._labels(), strict=True)
        ]
        if isinstance(live, LifecycleRun):
            self.run_view.set_records(records, key_check=live.key_check, stopped=live.stopped)
        else:
            self.run_view.set_records(records)

    def _on_runner_progressed(self, progress: object) -> None:
        if isinstance(progress, StepRun):
            self._partial.append(progress)
            self.run_view.set_records(self._partial_records(), running=True)

    def _on_runner_finished(self, result: object) -> None:
        if not isinstance(result, AlertRun | LifecycleRun):
            return
        self._live = result
        self._show_live()
        problem = ""
        history = self._run_history or self.history()
        try:
            for run, label in zip(self._runs(), self._labels(), strict=True):
                history.add(self._record(run, reveal=False, label=label))
        except OSError as exc:
            problem = f" The test history could not be written: {exc.strerror or exc}."
        self.reload_history()
        self.status_message.emit(self.run_view.banner.text() + problem)

    def _on_runner_failed(self, message: str) -> None:
        self.run_view.show_message(
            f"The test could not run because of an internal error: {message}. "
            "The integration is unchanged; the log has the details.",
            "fail",
        )

    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.lifecycle_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.busy_changed.emit(busy)

    # -- copy as ------------------------------------------------------------------------------

    def _copy(self, request: RenderedRequest, key: str, masker: Masker | None = None) -> None:
        from uptrends_studio.core.snippets import SnippetFormat, export_request

        if not self.reveal_check.isChecked():
            request = masked_request(request, self._masker() if masker is None else masker)
        text = export_request(request, SnippetFormat(key))
        QGuiApplication.clipboard().setText(text)
        label = dict(COPY_FORMATS)[key]
        masked_note = "" if self.reveal_check.isChecked() else " (secrets masked)"
        self.status_message.emit(f"Copied step {request.step_index + 1} as {label}{masked_note}")

    def copy_current_request(self, key: str) -> str:
        """Copy the selected message's request (the message step) as ``key``; returns it."""
        try:
            requests = Renderer(self.document.integration, self.catalogue).render_alert(
                self.alert_type(), self.sample()
            )
        except StudioError as exc:
            self.status_message.emit(f"Cannot render the request: {exc}")
            return ""
        if not requests:
            self.status_message.emit(
                f"No step has {self.alert_type().value} ticked: there is no request to copy"
            )
            return ""
        self._copy(requests[-1], key)
        return QGuiApplication.clipboard().text()

    def _on_run_view_copy_requested(self, record: object, step_index: int, key: str) -> None:
        assert isinstance(record, RunRecord)
        runs = self._runs()
        if not runs and self._partial:  # in progress or cancelled
            runs = [
                AlertRun(record.alert_type, "", datetime.now().astimezone(), tuple(self._partial))
            ]
        for run in runs:
            if run.alert_type is not record.alert_type:
                continue
            for step in run.steps:
                if step.exchange.request.step_index == step_index:
                    self._copy(step.exchange.request, key, self._run_masker)
                    return

    # -- history ------------------------------------------------------------------------------

    def reload_history(self) -> None:
        """Read the open integration's history again (newest first)."""
        self._history_stale = False
        self._history_records = self.history().records()
        self.history_list.clear()
        for record in self._history_records:
            when = datetime.fromisoformat(record.started_at).astimezone()
            status = "✓" if record.success else ("·" if record.nothing_selected else "✗")
            last = record.exchanges[-1] if record.exchanges else None
            answer = (
                f"{last.status} {last.reason}".strip()
                if last is not None and last.status is not None
                else (last.error if last is not None else "nothing sent")
            )
            item = QListWidgetItem(
                f"{status}  {when:%Y-%m-%d %H:%M:%S}  {record.alert_type.value:<8}  "
                f"{answer}  ·  {record.label or 'test'}  ·  sample {record.sample_name}"
            )
            item.setForeground(
                Qt.GlobalColor.darkGreen if record.success else Qt.GlobalColor.darkRed
            )
            self.history_list.addItem(item)
        count = len(self._history_records)
        self.history_label.setText(f"{count} run{'s' if count != 1 else ''}, newest first")
        self.results.setTabText(1, f"History ({count})")
        self.resend_button.setEnabled(False)
        self.clear_history_button.setEnabled(count > 0)
        self.history_view.show_message("Select a run to see it.")

    def _on_document_path_changed(self) -> None:
        if self.isVisible():
            self.reload_history()
        else:
            self._history_stale = True

    def _on_history_list_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._history_records):
            record = self._history_records[row]
            self.history_view.set_records([record])
            self.resend_button.setEnabled(not self.runner.is_busy())
        else:
            self.resend_button.setEnabled(False)

    def resend_selected(self) -> None:
        """Send the selected history run's message type again (same sample and values)."""
        if self.runner.is_busy():
            self.status_message.emit("A test is already running: cancel it first (Esc)")
            return
        row = self.history_list.currentRow()
        if not 0 <= row < len(self._history_records):
            return
        record = self._history_records[row]
        if record.sample_name != self.samples.sample.name:
            self._select_sample_named(record.sample_name)
        self.set_alert_type(record.alert_type)
        for name, edit in self._override_edits.items():
            value = record.overrides.get(name, "")
            edit.setText("" if "•" in value else value)
        self.send_test_alert()

    def _select_sample_named(self, name: str) -> None:
        """Switch to the built-in sample set called ``name`` (a run's sample), if there is one."""
        self._load_sample_names()
        key = next((k for k, n in self._sample_names.items() if n == name), None)
        path = self._builtin_samples.get(key) if key is not None else None
        if path is None:
            self.status_message.emit(
                f"The sample '{name}' of that run is not a built-in set; sending with "
                f"'{self.samples.sample.name}'"
            )
            return
        try:
            self.samples.set_sample(load_sample(path, self.catalogue), key=str(key))
        except StudioError as exc:
            self.status_message.emit(str(exc))

    def clear_history(self) -> None:
        """Delete the stored runs of this integration."""
        self.history().clear()
        self.reload_history()

    # -- receiver -----------------------------------------------------------------------------

    def toggle_receiver(self) -> None:
        """Start the local receiver, or stop it when running."""
        if self.receiver.running:
            self.receiver.stop()
            self.status_message.emit("Local receiver stopped")
            return
        port = self.port_spin.value()
        try:
            self.receiver.start(port)
        except ReceiverError as exc:
            self.receiver_state.setText(str(exc))
            self.receiver_state.setStyleSheet(f"color: {FAIL_COLOUR};")
            self.status_message.emit(str(exc))
            return
        self.settings.set_receiver_port(port)
        self.status_message.emit(f"Local receiver listening on http://127.0.0.1:{port}/")

    def _on_receiver_running_changed(self, running: bool) -> None:
        self.receiver_button.setText("Stop receiver" if running else "Start receiver")
        self.port_spin.setEnabled(not running)
        if running:
            self.receiver_state.setText(
                f"● Listening on http://127.0.0.1:{self.receiver.port}/ (this computer only)"
            )
            green = "#3fb950" if is_dark(self.palette()) else OK_COLOUR  # readable on dark
            self.receiver_state.setStyleSheet(f"color: {green};")
        else:
            self.receiver_state.setText(
                "Stopped. It starts by itself when a test goes to its port."
            )
            self.receiver_state.setStyleSheet("")

    def _on_receiver_captured(self, capture: object) -> None:
        assert isinstance(capture, CapturedRequest)
        local = capture.received_at.astimezone()
        # The list always shows the target masked; "Reveal secrets" applies to the full view.
        target = self.capture_masker().mask(capture.target)
        item = QListWidgetItem(
            f"#{capture.number}  {local:%H:%M:%S}  {capture.method} {target}  "
            f"({len(capture.body):,} bytes)"
        )
        item.setData(Qt.ItemDataRole.UserRole, capture)
        self.captured_list.insertItem(0, item)
        while self.captured_list.count() > 500:
            self.captured_list.takeItem(self.captured_list.count() - 1)
        self.captured_label.setText(f"Captured requests ({capture.number})")
        self.results.setTabText(2, f"Local receiver ({self.captured_list.count()})")
        if self.captured_list.currentRow() <= 0:
            self.captured_list.setCurrentRow(0)

    def _on_captured_list_current_row_changed(self, row: int) -> None:
        item = self.captured_list.item(row)
        capture = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(capture, CapturedRequest):
            text = format_capture(capture)
            if not self.capture_reveal.isChecked():
                text = self.capture_masker().mask(text)
            self.capture_view.set_code(text, "http")
        else:
            self.capture_view.set_code("")

    def _on_capture_reveal_toggled(self, _checked: bool) -> None:
        self._on_captured_list_current_row_changed(self.captured_list.currentRow())

    def capture_masker(self) -> Masker:
        """The open document's secrets, with what its requests compute from them.

        Requests reach the receiver from anywhere, so every form of every secret is masked.
        """
        integration, sample = self.document.integration, self.sample()
        cached = self._capture_masker
        if cached is not None and cached[0] is integration and cached[1] == sample:
            return cached[2]
        requests: list[RenderedRequest] = []
        try:
            renderer = Renderer(integration, self.catalogue)
            for alert_type in ALERT_TYPES:
                requests.extend(renderer.render_alert(alert_type, sample))
        except StudioError:  # a sample that cannot be used: the plain secret values still are
            requests = []
        masker = masker_for(integration, sample, requests)
        # Rendering a large sample three times per capture would be felt: keep the last one.
        self._capture_masker = (integration, sample, masker)
        return masker

    def clear_captures(self) -> None:
        """Forget the captured requests shown."""
        self.captured_list.clear()
        if self.receiver.receiver is not None:
            self.receiver.receiver.clear()
        self.captured_label.setText("Captured requests (0)")
        self.results.setTabText(2, "Local receiver")

    def captures(self) -> list[CapturedRequest]:
        """The captured requests shown, newest first."""
        found = []
        for row in range(self.captured_list.count()):
            item = self.captured_list.item(row)
            capture = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
            if isinstance(capture, CapturedRequest):
                found.append(capture)
        return found

    def _on_answer_changed(self) -> None:
        headers: list[tuple[str, str]] = []
        for number, line in enumerate(self.answer_headers.toPlainText().splitlines(), start=1):
            if not line.strip():
                continue
            name, colon, value = line.partition(":")
            if not colon:
                self._answer_problem(f"Header line {number}: write it as 'Name: value'")
                return
            headers.append((name.strip(), value.strip()))
        try:
            response = ReceiverResponse(
                status=self.status_spin.value(),
                headers=tuple(headers),
                body=self.answer_body.toPlainText(),
                delay=self.delay_spin.value(),
            )
        except ReceiverError as exc:
            self._answer_problem(str(exc))
            return
        self.answer_error.hide()
        self.receiver.set_response(response)
        self.settings.set_receiver_response(response)

    def _answer_problem(self, message: str) -> None:
        self.answer_error.setText(f"{message}. The receiver keeps its previous answer.")
        self.answer_error.show()

    # -- other reactions ----------------------------------------------------------------------

    def _on_options_changed(self) -> None:
        self.proxy_edit.setEnabled(self.proxy_combo.currentData() is ProxyMode.EXPLICIT)
        self.ca_edit.setEnabled(self.verify_check.isChecked())
        options = self.send_options()
        self.settings.set_send_options(options)

    def _on_ca_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA bundle", "", "Certificates (*.pem *.crt *.cer);;All files (*)"
        )
        if path:
            self.ca_edit.setText(path)
            self._on_options_changed()

    def _sync_overrides(self) -> None:
        names = [
            v.name
            for v in self.document.integration.variables
            if v.mode is VariableMode.ESCALATION_LEVEL
        ]
        if names == list(self._override_edits):
            self._update_override_placeholders()
            return
        kept = {name: edit.text() for name, edit in self._override_edits.items()}
        while self.overrides_form.rowCount():
            self.overrides_form.removeRow(0)
        self._override_edits = {}
        for name in names:
            edit = QLineEdit(kept.get(name, ""))
            edit.setClearButtonEnabled(True)
            self._override_edits[name] = edit
            self.overrides_form.addRow(name, edit)
        self.overrides_title.setVisible(bool(names))
        self.overrides_box.setVisible(bool(names))
        self._update_override_placeholders()

    def _update_override_placeholders(self) -> None:
        values = self.samples.sample.escalation_level
        for name, edit in self._override_edits.items():
            edit.setPlaceholderText(values.get(name, "") or "(empty in the sample)")

    def _sync_sample_picker(self) -> None:
        self.sample_combo.blockSignals(True)
        self.sample_combo.clear()
        current = self.samples.key
        for key in self._builtin_samples:
            self.sample_combo.addItem(self._sample_names.get(key, key), key)
        if current not in self._builtin_samples:
            self.sample_combo.addItem(self.samples.sample.name or Path(current).name, current)
        index = self.sample_combo.findData(current)
        self.sample_combo.setCurrentIndex(max(index, 0))
        if self.samples.edited:
            self.sample_combo.setItemText(
                self.sample_combo.currentIndex(), f"{self.sample_combo.currentText()} (edited)"
            )
        self.sample_combo.blockSignals(False)
        self._update_override_placeholders()

    def _on_sample_combo_activated(self, index: int) -> None:
        key = self.sample_combo.itemData(index)
        path = self._builtin_samples.get(str(key))
        if path is None or key == self.samples.key:
            return
        try:
            self.samples.set_sample(load_sample(path, self.catalogue), key=str(key))
        except StudioError as exc:
            self.status_message.emit(str(exc))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # theme switched: the green follows
            self._on_receiver_running_changed(self.receiver.running)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._history_stale:
            self.reload_history()
        if not self._sample_names:
            self._load_sample_names()
            self._sync_sample_picker()

    def _load_sample_names(self) -> None:
        """Read the built-in sample sets' names (lazily: not at the window's start)."""
        if self._sample_names:
            return
        for key, path in self._builtin_samples.items():
            try:
                self._sample_names[key] = load_sample(path, self.catalogue).name or key
            except StudioError:
                self._sample_names[key] = key

    def shutdown(self) -> None:
        """Stop the receiver and drop a running test (the window is closing)."""
        self.runner.cancel()
        self.receiver.stop()
