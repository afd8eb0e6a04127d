"""The result of a test send, laid out like Uptrends' Messages view.

One :class:`ExchangeSection` per sent step: a header line (status pill, step, request line,
time) that expands into collapsible sections for the request headers and body, the response
headers and body (pretty/raw), timings, response variables and errors. Everything shown comes
from :class:`~uptrends_studio.core.delivery.history.RunRecord`s, which already have the secrets
masked (or not, when the user revealed them).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.checks.content_type import headers_body_kind
from uptrends_studio.core.delivery.history import ExchangeRecord, RunRecord
from uptrends_studio.core.delivery.runs import KeyCheck
from uptrends_studio.gui.code_view import CodeView, body_language, pretty_json
from uptrends_studio.gui.section import FoldingSection
from uptrends_studio.gui.theme import colours

BODY_VIEW_LINES = 18
"""Height of a response body view, in lines, before it scrolls."""


def pill_style(colour: str) -> str:
    """Style sheet of a small coloured status pill."""
    return (
        f"QLabel {{ background: {colour}; color: white; border-radius: 8px;"
        " padding: 1px 8px; font-weight: 600; }"
    )


def set_bold(widget: QWidget) -> None:
    """Make the widget's text bold through its font.

    Not a style sheet: that freezes the widget's palette, so its text would keep the old colour
    when the theme changes.
    """
    font = widget.font()
    font.setWeight(QFont.Weight.DemiBold)
    widget.setFont(font)


def status_text(record: ExchangeRecord) -> str:
    """``200 OK``, or the kind of failure when there was no answer."""
    if record.status is None:
        return {
            "dns": "DNS failure",
            "refused": "Refused",
            "tls": "TLS failure",
            "timeout": "Timeout",
            "redirects": "Redirect loop",
            "invalid-request": "Not sent",
            "proxy": "Proxy failure",
            "auth": "Auth failure",
            "cancelled": "Cancelled",
        }.get(record.error_kind, "No answer")
    return f"{record.status} {record.reason}".strip()


def content_language(headers: Sequence[tuple[str, str]]) -> str:
    """The :class:`CodeView` language for a body with these headers."""
    return body_language(headers_body_kind(headers))


def head_text(first_line: str, headers: Sequence[tuple[str, str]]) -> str:
    """A request/status line and ``Name: value`` lines, as an HTTP message head."""
    return "\n".join([first_line, *(f"{name}: {value}" for name, value in headers)])


def _code(text: str, language: str, max_lines: int) -> CodeView:
    view = CodeView()
    view.set_code(text, language)
    lines = min(max(text.count("\n") + 1, 1), max_lines)
    height = lines * view.fontMetrics().lineSpacing() + 2 * view.frameWidth() + 12
    if text.count("\n") + 1 > max_lines or max(map(len, text.split("\n")), default=0) > 100:
        height += view.horizontalScrollBar().sizeHint().height()
    view.setFixedHeight(height)
    return view


class ExchangeSection(QFrame):
    """One sent step: a header line and its collapsible details.

    Signals:
        copy_requested(int, str): "Copy as" chose a format for this step (index, format).
    """

    copy_requested = Signal(int, str)
    clicked = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mousePressEvent(event)
        self.clicked.emit()

    def __init__(
        self,
        record: ExchangeRecord,
        *,
        expanded: bool,
        copy_formats: Sequence[tuple[str, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.record = record
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("exchange")
        self.status_pill = QLabel(status_text(record))
        self.status_pill.setObjectName("statusPill")
        self.tone = "ok" if record.success else "fail"
        if record.error_kind == "cancelled":
            self.tone = "neutral"
        self.status_pill.setToolTip(
            "Delivered: the status is below 400"
            if record.success
            else (record.error or "Failed: the status is 400 or above")
        )
        role = " (helper step)" if record.helper else ""
        self.title = QLabel(
            f"<b>Step {record.step_index + 1} · {html.escape(record.step_name)}</b>{role}"
        )
        self.timing = QLabel(f"{record.total_ms:.0f} ms")
        self.timing.setToolTip("Total time of the exchange")
        self.expand_button = QToolButton()  # not checkable: a checked one is drawn pressed
        self.expand_button.setAutoRaise(True)
        self._expanded = expanded
        self.expand_button.setToolTip("Show or hide the details of this step")
        self.copy_button = QPushButton("Copy as")
        self.copy_button.setToolTip("Copy this step's request as a command (secrets as shown)")
        menu = QMenu(self.copy_button)
        for key, label in copy_formats:
            action = menu.addAction(label)
            action.triggered.connect(
                lambda _=False, k=key: self.copy_requested.emit(record.step_index, k)
            )
        self.copy_button.setMenu(menu)
        self.copy_button.setVisible(bool(copy_formats))
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.expand_button)
        top.addWidget(self.status_pill)
        top.addWidget(self.title, 1)
        top.addWidget(self.timing)
        # A long step name is clipped rather than widening the view (tooltip has it whole).
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setToolTip(f"Step {record.step_index + 1} · {record.step_name}{role}")
        self.request_line = QLabel(f"{record.method} {record.url}")
        self.request_line.setTextFormat(Qt.TextFormat.PlainText)
        self.request_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.request_line.setStyleSheet("font-family: monospace;")
        self.request_line.setToolTip(f"{record.method} {record.url}")
        # A long URL must not widen the whole view: it is clipped, the tooltip has it whole.
        self.request_line.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(24, 0, 0, 0)
        details.setSpacing(4)
        self.sections: dict[str, FoldingSection] = {}
        if record.error:
            self.error_label = QLabel(record.error)
            self.error_label.setWordWrap(True)
            self.error_label.setObjectName("exchangeError")
            self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            details.addWidget(self.error_label)
        self._apply_colours()
        self._add(
            details,
            "request headers",
            f"Request headers ({len(record.request_headers)})",
            _code(head_text(f"{record.method} {record.url}", record.request_headers), "http", 14),
        )
        request_language = content_language(record.request_headers)
        self._add(
            details,
            "request body",
            f"Request body ({len(record.request_body.encode('utf-8')):,} bytes)",
            _code(
                pretty_json(record.request_body) or record.request_body
                if request_language == "json"
                else record.request_body,
                request_language,
                BODY_VIEW_LINES,
            )
            if record.request_body
            else QLabel("The request has no body."),
        )
        if record.status is not None:
            self._add(
                details,
                "response headers",
                f"Response headers ({len(record.response_headers)})",
                _code(head_text(status_text(record), record.response_headers), "http", 14),
            )
            self._add(
                details,
                "response body",
                f"Response body ({record.body_size:,} bytes"
                + (", only the start is shown" if record.body_truncated else "")
                + ")",
                self._body_tabs(record),
                open_=True,
            )
        if record.variables:
            lines = [
                f"{{{{{name}}}}} = {value}" if not problem else f"{{{{{name}}}}}: {problem}"
                for name, value, problem in record.variables
            ]
            self._add(
                details,
                "response variables",
                f"Response variables ({len(record.variables)})",
                _code("\n".join(lines), "text", 8),
                open_=True,
            )
        hops = "".join(
            f"\n  {status} → {url}" + (f"\n      {note}" if note else "")
            for status, url, note in record.hops
        )
        timing = QLabel(
            f"Total {record.total_ms:.1f} ms · until the response headers "
            f"{record.first_byte_ms:.1f} ms · body download {record.download_ms:.1f} ms"
            + (f"\nBefore the final answer:{hops}" if hops else "")
        )
        timing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._add(details, "timings", "Timings", timing)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        second = QHBoxLayout()
        second.addWidget(self.request_line, 1)
        second.addWidget(self.copy_button)
        layout.addLayout(second)
        layout.addWidget(self.details)
        self.expand_button.clicked.connect(lambda: self.set_expanded(not self._expanded))
        self.set_expanded(expanded)

    def _add(
        self, layout: QVBoxLayout, key: str, title: str, content: QWidget, *, open_: bool = False
    ) -> None:
        section = FoldingSection(title, content, expanded=open_)
        self.sections[key] = section
        layout.addWidget(section)

    def _body_tabs(self, record: ExchangeRecord) -> QWidget:
        if not record.response_body:
            return QLabel("The response has no body.")
        language = content_language(record.response_headers)
        pretty = pretty_json(record.response_body) if language == "json" else None
        if pretty is None:
            return _code(record.response_body, language, BODY_VIEW_LINES)
        tabs = QTabWidget()
        tabs.setDocumentMode(True)
        pretty_view = _code(pretty, language, BODY_VIEW_LINES)
        raw_view = _code(record.response_body, language, BODY_VIEW_LINES)
        tabs.addTab(pretty_view, "Pretty")
        tabs.addTab(raw_view, "Raw")
        tabs.setFixedHeight(
            tabs.tabBar().sizeHint().height() + max(pretty_view.height(), raw_view.height()) + 4
        )
        return tabs

    def _apply_colours(self) -> None:
        named = colours(self.palette())
        self.status_pill.setStyleSheet(pill_style(named.tone_badge(self.tone)))
        if self.record.error:
            self.error_label.setStyleSheet(f"color: {named.error}; font-weight: 600;")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # theme switched: the colours follow
            self._apply_colours()

    def set_expanded(self, expanded: bool) -> None:
        """Show or hide the details."""
        self.expand_button.setArrowType(
            Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow
        )
        self._expanded = expanded
        self.details.setVisible(expanded)


class RunView(QScrollArea):
    """Test results: a summary banner, then each message's exchanges.

    Signals:
        copy_requested(object, int, str): "Copy as" on a step (its RunRecord, step index,
            format key).
    """

    copy_requested = Signal(object, int, str)
    exchange_selected = Signal(object)
    """exchange_selected(ExchangeRecord): a step was clicked (the response pane shows it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Code views scroll sideways themselves; the result list only scrolls down.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._inner = QWidget()
        self._layout = QVBoxLayout(self._inner)
        self._layout.setContentsMargins(4, 4, 4, 4)
        self._layout.setSpacing(8)
        self.banner = QLabel()
        self.banner.setObjectName("runBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.addWidget(self.banner)
        self._body = QVBoxLayout()
        self._body.setSpacing(8)
        self._layout.addLayout(self._body)
        self._layout.addStretch(1)
        self.setWidget(self._inner)
        self.exchanges: list[ExchangeSection] = []
        self.records: list[RunRecord] = []
        self.copy_formats: Sequence[tuple[str, str]] = ()
        self.tone = "neutral"
        self.show_message(
            "No test sent yet. Press Send test alert (Ctrl+Enter) to send the selected "
            "message type; with ApiUrl on the local receiver no network is needed."
        )

    def show_message(self, text: str, tone: str = "neutral") -> None:
        """Replace the results with a message (e.g. "Sending…")."""
        self._clear()
        self._set_banner(text, tone)

    def _set_banner(self, text: str, tone: str) -> None:
        self.tone = tone
        self.banner.setText(text)
        self._apply_colours()

    def _apply_colours(self) -> None:
        banner = colours(self.palette()).tone_banner(self.tone)
        self.banner.setStyleSheet(
            f"QLabel {{ background: {banner.background}; color: {banner.text};"
            " border-radius: 4px; padding: 8px 10px; }"
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # theme switched: the banner follows
            self._apply_colours()

    def _clear(self) -> None:
        while self._body.count():
            item = self._body.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Not deleteLater on a taken item (crashed before); unparenting frees it.
                widget.hide()
                widget.setParent(None)
        self.exchanges = []
        self.records = []

    def set_records(
        self,
        records: Sequence[RunRecord],
        *,
        key_check: KeyCheck | None = None,
        stopped: str = "",
        running: bool = False,
    ) -> None:
        """Show ``records`` (one per alert type sent; a lifecycle has several)."""
        self._clear()
        self.records = list(records)
        self._set_banner(*self.summary(records, key_check, stopped, running))
        several = len(records) > 1
        for record in records:
            if several or record.nothing_selected:
                heading = QLabel(f"<b>{html.escape(self._record_title(record))}</b>")
                self._body.addWidget(heading)
            if record.nothing_selected:
                note = QLabel(
                    f"No step has {record.alert_type.value} ticked: Uptrends sends nothing."
                )
                self._body.addWidget(note)
            for exchange in record.exchanges:
                failed = not exchange.success
                section = ExchangeSection(
                    exchange,
                    expanded=failed or not exchange.helper,
                    copy_formats=self.copy_formats,
                )
                section.copy_requested.connect(
                    lambda index, key, r=record: self.copy_requested.emit(r, index, key)
                )
                section.clicked.connect(lambda e=exchange: self.exchange_selected.emit(e))
                self.exchanges.append(section)
                self._body.addWidget(section)
            if record.not_sent:
                steps = ", ".join(str(i + 1) for i in record.not_sent)
                self._body.addWidget(QLabel(f"Not sent: step {steps} (an earlier step failed)."))

    @staticmethod
    def _record_title(record: RunRecord) -> str:
        label = f"{record.label} · " if record.label else ""
        return f"{label}{record.alert_type.value} · sample {record.sample_name}"

    @staticmethod
    def summary(
        records: Sequence[RunRecord],
        key_check: KeyCheck | None,
        stopped: str,
        running: bool,
    ) -> tuple[str, str]:
        """The banner text and tone (ok, fail, neutral) for a set of records."""
        if running:
            done = sum(len(r.exchanges) for r in records)
            return f"Sending… {done} step{'s' if done != 1 else ''} answered so far.", "neutral"
        sent = [r for r in records if not r.nothing_selected]
        if not sent and not stopped:
            return "Nothing was sent: no step has this message type ticked.", "neutral"
        failed = [r for r in sent if not r.success]
        steps = sum(len(r.exchanges) for r in records)
        total = sum(e.total_ms for r in records for e in r.exchanges)
        if stopped == "cancelled":
            return "Cancelled. Steps already answered are shown below.", "neutral"
        if failed or stopped:
            reason = stopped or failed[0].stopped or _first_failure(failed[0])
            return f"✗ Failed: {reason}", "fail"
        text = (
            f"✓ Delivered: {len(sent)} message{'s' if len(sent) != 1 else ''}, {steps} "
            f"step{'s' if steps != 1 else ''}, {total:.0f} ms in total."
        )
        if key_check is not None:
            if not key_check.consistent:
                return f"✗ {key_check.describe()[0].upper()}{key_check.describe()[1:]}.", "fail"
            text += f" Incident key: {key_check.describe()}."
        return text, "ok"


def _first_failure(record: RunRecord) -> str:
    for exchange in record.exchanges:
        if not exchange.success:
            what = exchange.error or status_text(exchange)
            return f"step {exchange.step_index + 1} ('{exchange.step_name}'): {what}"
    return "a step failed"
