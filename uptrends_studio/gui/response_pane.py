"""The response of one exchange as API-client users expect it (Postman, Insomnia, Bruno).

A bar with the status, the time and the size; then tabs: Body (pretty or raw, soft wrap),
Headers, Request and Timeline (the redirect and authentication hops before the final answer,
and the timings).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.delivery.history import ExchangeRecord
from uptrends_studio.gui.code_view import CodeView, pretty_json
from uptrends_studio.gui.run_view import (
    content_language,
    head_text,
    pill_style,
    status_text,
)
from uptrends_studio.gui.theme import colours

BODY, HEADERS, REQUEST, TIMELINE = range(4)
"""The tabs, in order."""


def size_text(size: int) -> str:
    """``18 B``, ``2.7 KB``, ``1.2 MB``."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def timeline_text(record: ExchangeRecord) -> str:
    """Each hop before the final answer, then the final answer and the timings."""
    lines = []
    for number, (status, url, note) in enumerate(record.hops, start=1):
        lines.append(f"{number}. {status} → {url}")
        if note:
            lines.append(f"   {note}")
    final = status_text(record)
    lines.append(f"{len(record.hops) + 1}. {final} · {record.method} {record.url}")
    lines += [
        "",
        f"Until the response headers  {record.first_byte_ms:8.1f} ms",
        f"Body download               {record.download_ms:8.1f} ms",
        f"Total                       {record.total_ms:8.1f} ms",
    ]
    return "\n".join(lines)


class ResponsePane(QWidget):
    """The selected exchange's response, full height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: ExchangeRecord | None = None
        self.status_pill = QLabel()
        self.time_label = QLabel()
        self.size_label = QLabel()
        self.step_label = QLabel()
        bar = QHBoxLayout()
        bar.setSpacing(12)
        bar.addWidget(self.status_pill)
        bar.addWidget(self.time_label)
        bar.addWidget(self.size_label)
        bar.addWidget(self.step_label, 1)

        self.pretty_button = QRadioButton("Pretty")
        self.raw_button = QRadioButton("Raw")
        self.pretty_button.setChecked(True)
        self.wrap_check = QCheckBox("Soft wrap")
        self.body_view = CodeView(line_numbers=True)
        body_page = QWidget()
        body_layout = QVBoxLayout(body_page)
        body_layout.setContentsMargins(0, 4, 0, 0)
        body_bar = QHBoxLayout()
        body_bar.addWidget(self.pretty_button)
        body_bar.addWidget(self.raw_button)
        body_bar.addStretch(1)
        body_bar.addWidget(self.wrap_check)
        body_layout.addLayout(body_bar)
        body_layout.addWidget(self.body_view, 1)
        self.headers_view = CodeView()
        self.request_view = CodeView(line_numbers=True)
        self.timeline_view = CodeView()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(body_page, "Body")
        self.tabs.addTab(self.headers_view, "Headers")
        self.tabs.addTab(self.request_view, "Request")
        self.tabs.addTab(self.timeline_view, "Timeline")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self.pretty_button.toggled.connect(self._show_body)
        self.wrap_check.toggled.connect(self._on_wrap_check_toggled)
        self.show_record(None)

    def show_record(self, record: ExchangeRecord | None) -> None:
        """Show ``record`` (``None``: nothing sent yet)."""
        self.record = record
        self.setEnabled(record is not None)
        if record is None:
            self.status_pill.setText("No response yet")
            self.status_pill.setStyleSheet(pill_style(colours(self.palette()).tone_badge("")))
            for label in (self.time_label, self.size_label, self.step_label):
                label.clear()
            for view in (self.body_view, self.headers_view, self.request_view, self.timeline_view):
                view.set_code("")
            return
        self.status_pill.setText(status_text(record))
        tone = "ok" if record.success else "fail"
        self.status_pill.setStyleSheet(pill_style(colours(self.palette()).tone_badge(tone)))
        self.time_label.setText(f"{record.total_ms:.0f} ms")
        self.size_label.setText(
            size_text(record.body_size) + (" (start shown)" if record.body_truncated else "")
        )
        self.step_label.setText(f"Step {record.step_index + 1} · {record.step_name}")
        self._show_body()
        self.headers_view.set_code(head_text(status_text(record), record.response_headers), "http")
        request_language = content_language(record.request_headers)
        body = record.request_body
        if request_language == "json":
            body = pretty_json(body) or body
        self.request_view.set_code(
            head_text(f"{record.method} {record.url}", record.request_headers)
            + ("\n\n" + body if body else ""),
            "http",
        )
        self.timeline_view.set_code(timeline_text(record))

    def _show_body(self) -> None:
        record = self.record
        if record is None:
            return
        language = content_language(record.response_headers)
        text = record.response_body or record.error
        if self.pretty_button.isChecked() and language == "json":
            text = pretty_json(text) or text
        self.body_view.set_code(text, language if record.response_body else "text")

    def _on_wrap_check_toggled(self, wrap: bool) -> None:
        mode = (
            QPlainTextEdit.LineWrapMode.WidgetWidth if wrap else QPlainTextEdit.LineWrapMode.NoWrap
        )
        self.body_view.setLineWrapMode(mode)
