"""The Test tab's "Local receiver" page: start/stop, the answer it gives, what it captured."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.delivery.receiver import (
    CapturedRequest,
    Receiver,
    ReceiverError,
    ReceiverResponse,
    format_capture,
)
from uptrends_studio.core.secrets import Masker
from uptrends_studio.gui.code_view import CodeView
from uptrends_studio.gui.run_view import set_bold
from uptrends_studio.gui.section import FoldingSection
from uptrends_studio.gui.settings import Settings
from uptrends_studio.gui.theme import colours

MAX_CAPTURES_SHOWN = 500


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
        """The receiver running now, or the last one (stopped, its captures still readable)."""
        self.generation = 0
        """Counts starts: a listed capture of an earlier receiver is no longer kept."""

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
        # The captures of the previous receiver go with it: memory stays within one
        # receiver's bound (Receiver.max_kept_bodies), however often it is restarted.
        self.receiver = receiver
        self.generation += 1
        self.running_changed.emit(True)

    def stop(self) -> None:
        """Stop listening (pending delayed answers are cut off)."""
        if self.receiver is not None and self.receiver.running:
            self.receiver.stop()  # kept: what it captured can still be looked at
            self.running_changed.emit(False)

    def capture(self, generation: int, number: int) -> CapturedRequest | None:
        """Capture ``number`` of start ``generation``, as kept now (``None`` if no longer)."""
        if generation != self.generation or self.receiver is None:
            return None
        return self.receiver.capture(number)

    def set_response(self, response: ReceiverResponse) -> None:
        """Answer future requests with ``response``."""
        self.response = response
        if self.receiver is not None:
            self.receiver.set_response(response)


class ReceiverPage(QWidget):
    """Start and stop the local receiver, set its answer, look at what it captured.

    Signals:
        status_message(str): a short message for the status bar.
        captures_changed(int): how many captured requests are listed now.
    """

    status_message = Signal(str)
    captures_changed = Signal(int)

    def __init__(
        self,
        settings: Settings,
        masker: Callable[[], Masker] = Masker,
        parent: QWidget | None = None,
    ) -> None:
        """``masker`` gives what to mask in captures now (the open document's secrets)."""
        super().__init__(parent)
        self.settings = settings
        self._masker = masker
        self.receiver = ReceiverController(settings.receiver_response(), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        self.receiver_button = QPushButton("Start receiver")
        self.receiver_button.clicked.connect(self.toggle_receiver)
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(settings.receiver_port())
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
        layout.addWidget(FoldingSection("Answer", self._build_answer(), expanded=True))

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

        self.receiver.captured.connect(self._on_receiver_captured)
        self.receiver.running_changed.connect(self._on_receiver_running_changed)
        self._on_receiver_running_changed(False)

    def _build_answer(self) -> QWidget:
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
        self.answer_error.setStyleSheet(f"color: {colours(self.palette()).error};")
        self.answer_error.setWordWrap(True)
        self.answer_error.hide()
        answer_form.addRow(self.answer_error)
        self.status_spin.valueChanged.connect(self._on_answer_changed)
        self.delay_spin.valueChanged.connect(self._on_answer_changed)
        self.answer_headers.textChanged.connect(self._on_answer_changed)
        self.answer_body.textChanged.connect(self._on_answer_changed)
        return answer

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
            self.receiver_state.setStyleSheet(f"color: {colours(self.palette()).error};")
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
            self.receiver_state.setStyleSheet(f"color: {colours(self.palette()).ok};")
        else:
            self.receiver_state.setText(
                "Stopped. It starts by itself when a test goes to its port."
            )
            self.receiver_state.setStyleSheet("")

    def _on_receiver_captured(self, capture: object) -> None:
        assert isinstance(capture, CapturedRequest)
        local = capture.received_at.astimezone()
        # The list always shows the target masked; "Reveal secrets" applies to the full view.
        target = self._masker().mask(capture.target)
        item = QListWidgetItem(
            f"#{capture.number}  {local:%H:%M:%S}  {capture.method} {target}  "
            f"({capture.body_size:,} bytes)"
        )
        # Only where to find it: the receiver holds the bodies, within its memory bound.
        item.setData(Qt.ItemDataRole.UserRole, (self.receiver.generation, capture.number))
        self.captured_list.insertItem(0, item)
        while self.captured_list.count() > MAX_CAPTURES_SHOWN:
            self.captured_list.takeItem(self.captured_list.count() - 1)
        self.captured_label.setText(f"Captured requests ({capture.number})")
        self.captures_changed.emit(self.captured_list.count())
        if self.captured_list.currentRow() <= 0:
            self.captured_list.setCurrentRow(0)

    def _on_captured_list_current_row_changed(self, row: int) -> None:
        item = self.captured_list.item(row)
        if item is None:
            self.capture_view.set_code("")
            return
        generation, number = item.data(Qt.ItemDataRole.UserRole)
        capture = self.receiver.capture(generation, number)
        if capture is None:
            self.capture_view.set_code(
                f"Request #{number} is no longer kept: the receiver was restarted or cleared."
            )
        else:
            text = format_capture(capture)
            if not self.capture_reveal.isChecked():
                text = self._masker().mask(text)
            self.capture_view.set_code(text, "http")

    def _on_capture_reveal_toggled(self, _checked: bool) -> None:
        self._on_captured_list_current_row_changed(self.captured_list.currentRow())

    def clear_captures(self) -> None:
        """Forget the captured requests shown."""
        self.captured_list.clear()
        if self.receiver.receiver is not None:
            self.receiver.receiver.clear()
        self.captured_label.setText("Captured requests (0)")
        self.captures_changed.emit(0)

    def captures(self) -> list[CapturedRequest]:
        """The captured requests the receiver keeps (the current or last one), newest first."""
        receiver = self.receiver.receiver
        return list(reversed(receiver.captures())) if receiver is not None else []

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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # theme switched: the colours follow
            self.answer_error.setStyleSheet(f"color: {colours(self.palette()).error};")
            self._on_receiver_running_changed(self.receiver.running)

    def shutdown(self) -> None:
        """Stop the receiver (the window is closing)."""
        self.receiver.stop()
