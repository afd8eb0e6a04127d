"""The live preview: exactly what Uptrends would send for one chosen alert type.

Shows, for the alert type picked in the top row, every request in the order it is sent (helper
steps first): the request line and headers, the authentication, and the body as pretty-printed
and as sent. Secret values are masked unless the user reveals them.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.checks.content_type import BodyKind
from uptrends_studio.core.checks.diagnostics import Diagnostic
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.document.model import ALERT_TYPES, AlertType, AuthType, Integration
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.rendering.messages import RenderedRequest
from uptrends_studio.core.rendering.preview import Preview
from uptrends_studio.core.secrets import MASK, Masker, masked_request, masker_for
from uptrends_studio.gui.code_view import CodeView, PrettyJson, body_language, pretty_json_head
from uptrends_studio.gui.theme import Colours, banner_style, colours

PARTS: tuple[str, ...] = ("url", "headers", "auth", "pretty", "raw", "badge", "message", "error")
"""The parts :meth:`PreviewPane.current_text` can read."""

MESSAGE_BODY_MIN_HEIGHT = 160
"""Minimum height of the message step's body; helper step bodies are fitted to their text."""

_SELECTOR_STYLE = """
QToolButton { border: 1px solid palette(mid); background: palette(button); padding: 3px 16px; }
QToolButton:hover { background: palette(midlight); }
QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);
    border-color: palette(highlight); font-weight: 600; }
QToolButton[segment="first"] { border-top-left-radius: 4px; border-bottom-left-radius: 4px; }
QToolButton[segment="last"] { border-top-right-radius: 4px; border-bottom-right-radius: 4px; }
"""


MIN_WIDTH = 400
"""The preview is never narrower (wider when the selector needs it, as in presentation mode)."""


class _SegmentButton(QToolButton):
    """One segment of the Error / Reminder / Ok selector: never narrower than its bold text.

    The width follows the font the button has when it is laid out (presentation mode sets a
    larger one through a style sheet), so the segments never clip or overlap.
    """

    def _text_width(self) -> int:
        font = self.font()
        font.setBold(True)
        return QFontMetrics(font).horizontalAdvance(self.text()) + 2 * 16 + 6

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self._text_width()), hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(max(hint.width(), self._text_width()), hint.height())


def pretty_body(request: RenderedRequest) -> PrettyJson:
    """The body re-indented when it is valid JSON, else as sent.

    Of a long JSON body only what a view shows is indented (:func:`pretty_json_head`); the
    result's :meth:`~PrettyJson.whole` gives the rest.
    """
    if request.body_kind is BodyKind.JSON:
        pretty = pretty_json_head(request.body)
        if pretty is not None:
            return pretty
    return PrettyJson(request.body, complete=True, source=request.body)


def _masked_whole(pretty: PrettyJson, secrets: Sequence[str] | None) -> str:
    return masked(pretty.whole(), secrets)


def syntax_error(request: RenderedRequest) -> Diagnostic | None:
    """The invalid-JSON/invalid-XML diagnostic of the request's body, if any."""
    field = FieldPath.step_body(request.step_index)
    for diagnostic in request.diagnostics:
        if diagnostic.field == field and diagnostic.code in ("invalid-json", "invalid-xml"):
            return diagnostic
    return None


def badge_for(request: RenderedRequest) -> tuple[str, str, str]:
    """The body badge of a request: ``(text, tone, tooltip)``; tone is ok, error or neutral."""
    kind = request.body_kind
    if kind in (BodyKind.JSON, BodyKind.XML):
        what = "JSON" if kind is BodyKind.JSON else "XML"
        error = syntax_error(request)
        if error is not None:
            return (
                f"Invalid {what} — line {error.line}, column {error.column}",
                "error",
                f"Body template, line {error.line}, column {error.column}: {error.message}",
            )
        if not request.body.strip():
            return "Empty body", "neutral", f"The Content-Type says {what}, but the body is empty"
        return f"Valid {what}", "ok", f"The rendered body parses as {what}"
    if kind is BodyKind.FORM:
        return "Form body", "neutral", "Sent as application/x-www-form-urlencoded"
    return "Text body", "neutral", "The body is sent as plain text (no JSON or XML check)"


def masked(text: str, secrets: Sequence[str] | None) -> str:
    """``text`` with secrets masked; ``None`` means the secrets are revealed."""
    return text if secrets is None else Masker.of(secrets).mask(text)


def request_head(request: RenderedRequest, secrets: Sequence[str] | None) -> str:
    """``METHOD URL`` and one ``Name: value`` line per header."""
    lines = [f"{request.method} {masked(request.url, secrets)}"]
    lines += [f"{name}: {masked(value, secrets)}" for name, value in request.headers]
    return "\n".join(lines)


def auth_summary(request: RenderedRequest, secrets: Sequence[str] | None) -> str:
    """``Basic authentication · username admin · password ••••••`` (password always masked)."""
    if request.auth_type is AuthType.NONE:
        return ""
    username = masked(request.username, secrets) or "(empty)"
    password = MASK if request.password else "(empty)"
    return f"{request.auth_type.value} authentication · username {username} · password {password}"


def _fitted_height(view: CodeView, max_lines: int) -> int:
    """The height showing up to ``max_lines`` lines of ``view`` (and its scroll bar if needed)."""
    lines = min(max(view.blockCount(), 1), max_lines)
    height = lines * view.fontMetrics().lineSpacing()
    height += 2 * view.frameWidth() + 2 * int(view.document().documentMargin())
    bar = view.horizontalScrollBar()
    if bar.maximum() > 0:
        height += bar.sizeHint().height()
    return height


def _badge_style(tone: str, named: Colours) -> str:
    background = {"ok": named.badge_ok, "error": named.badge_error}.get(tone, named.badge_neutral)
    return (
        f"QLabel {{ background: {background}; color: {named.badge_text}; border-radius: 9px;"
        " padding: 2px 10px; font-weight: 600; }"
    )


class _RequestView(QFrame):
    """One request: title, request line and headers, authentication, body tabs.

    Signals:
        source_clicked(int, str, int): a click in the Raw body at text that a template
            produced (step index, field, offset in the template).
    """

    source_clicked = Signal(int, str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._source: RenderedRequest | None = None
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.head = CodeView()
        self.head.setObjectName("requestHead")
        self.head.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.head.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.auth = QLabel()
        self.auth.setTextFormat(Qt.TextFormat.PlainText)
        self.auth.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pretty = CodeView(line_numbers=True)
        self.raw = CodeView(line_numbers=True)
        self.raw.setLineWrapMode(CodeView.LineWrapMode.WidgetWidth)
        self.raw.setToolTip("Click text to go to the template that produced it")
        self.raw.viewport().installEventFilter(self)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.pretty, "Pretty")
        self.tabs.addTab(self.raw, "Raw")
        self.tabs.setTabToolTip(0, "The body re-indented for reading (JSON); XML and text as sent")
        self.tabs.setTabToolTip(1, "The body exactly as it is sent")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.head.horizontalScrollBar().rangeChanged.connect(self._on_scroll_range_changed)
        self.pretty.horizontalScrollBar().rangeChanged.connect(self._on_scroll_range_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.head)
        layout.addWidget(self.auth)
        layout.addWidget(self.tabs, 1)
        self._texts = {"head": "", "pretty": "", "raw": "", "auth": ""}
        self._pretty_whole: Callable[[], str] | None = None
        self._language = "text"
        self._helper = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.raw.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and not self.raw.textCursor().hasSelection()
        ):
            self.click_raw(self.raw.textCursor().position())
        return super().eventFilter(watched, event)

    def click_raw(self, position: int) -> bool:
        """Go to the template text behind Raw body position ``position``; False: no source."""
        source = self._source
        if source is None or "body" not in source.fields or self._texts["raw"] != source.body:
            return False  # no source map, or masking changed the text's offsets
        rendered = source.fields["body"]
        offset = len(rendered.text.encode("utf-16-le")[: position * 2].decode("utf-16-le"))
        start, _end = rendered.source_offset(min(offset, max(len(rendered.text) - 1, 0)))
        self.source_clicked.emit(source.step_index, "body", start)
        return True

    def set_request(
        self,
        request: RenderedRequest,
        secrets: Sequence[str] | None,
        position: int,
        count: int,
        source: RenderedRequest | None = None,
    ) -> None:
        self._source = source
        name = html.escape(request.step_name or "(unnamed)")
        where = f"Step {request.step_index + 1} · {name}"
        if request.helper:
            note = "helper step, runs first"
        elif count > 1:
            note = f"message step, sent after {count - 1} helper step{'s' if count > 2 else ''}"
        else:
            note = ""
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        extra = f"&nbsp;&nbsp;<span style='color: {muted}'>{note}</span>"
        self.title.setText(f"<b>{where}</b>{extra if note else ''}")
        self.title.setToolTip(f"Request {position + 1} of {count} sent for this alert type")
        self._helper = request.helper
        self._texts = {
            "head": request_head(request, secrets),
            "auth": auth_summary(request, secrets),
            "raw": masked(request.body, secrets),
        }
        pretty = pretty_body(request)
        self._texts["pretty"] = masked(pretty.text, secrets)
        self._pretty_whole = (
            None
            if pretty.complete
            else partial(_masked_whole, pretty, None if secrets is None else tuple(secrets))
        )
        self._language = body_language(request.body_kind)
        self.head.set_code(self._texts["head"], "http")
        self._fit_head()
        self.auth.setText(self._texts["auth"])
        self.auth.setVisible(bool(self._texts["auth"]))
        empty = "The body is empty." if not request.body else ""
        self.pretty.setPlaceholderText(empty)
        self.raw.setPlaceholderText(empty)
        if not request.helper:
            self.tabs.setMinimumHeight(MESSAGE_BODY_MIN_HEIGHT)
            self.tabs.setMaximumHeight(16_777_215)
        self._sync_body()

    def text(self, part: str) -> str:
        if part == "url":
            return self._texts["head"].split("\n", 1)[0]
        if part == "headers":
            return self._texts["head"].partition("\n")[2]
        if part == "pretty" and self._pretty_whole is not None:
            return self._pretty_whole()
        return self._texts[part]

    def _fit_head(self) -> None:
        self.head.setFixedHeight(_fitted_height(self.head, 8))

    def _fit_body(self) -> None:
        if not self._helper:
            return
        view = self.raw if self.tabs.currentWidget() is self.raw else self.pretty
        pane_frame = 2 * self.tabs.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
        height = self.tabs.tabBar().sizeHint().height() + _fitted_height(view, 6) + pane_frame
        self.tabs.setFixedHeight(height)

    def _sync_body(self) -> None:
        """Load the body into the visible tab only (the other one loads when it is opened)."""
        view = self.raw if self.tabs.currentWidget() is self.raw else self.pretty
        key = "raw" if view is self.raw else "pretty"
        view.set_code(
            self._texts[key], self._language, whole=self._pretty_whole if key == "pretty" else None
        )
        self._fit_body()

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._sync_body()

    def _on_scroll_range_changed(self, _minimum: int, _maximum: int) -> None:
        self._fit_head()
        self._fit_body()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_head()
            self._fit_body()


class PreviewPane(QWidget):
    """The rendered request(s) of one alert type, updated live.

    Signals:
        alert_type_changed(object): the shown :class:`AlertType` changed.
        reveal_toggled(bool): "Reveal secrets" was ticked (True) or unticked (False).
        source_requested(int, str, int): a click in a Raw body asks for the template text that
            produced it (step index, field such as ``body``, offset in the template).
    """

    alert_type_changed = Signal(object)
    reveal_toggled = Signal(bool)
    source_requested = Signal(int, str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._alert_type = AlertType.ERROR
        self._preview = Preview()
        self._integration: Integration | None = None
        self._sample: SampleSet | None = None
        self._views: list[_RequestView] = []

        self._type_buttons: dict[AlertType, QToolButton] = {}
        self._type_group = QButtonGroup(self)
        self._type_group.setExclusive(True)
        selector = QWidget()
        selector.setObjectName("alertTypeSelector")
        selector.setStyleSheet(_SELECTOR_STYLE)
        self._selector = selector
        type_row = QHBoxLayout(selector)
        type_row.setContentsMargins(0, 0, 0, 0)
        type_row.setSpacing(0)
        for number, alert_type in enumerate(ALERT_TYPES, start=1):
            button = _SegmentButton()
            if number in (1, len(ALERT_TYPES)):
                button.setProperty("segment", "first" if number == 1 else "last")
            button.setText(alert_type.value)
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            button.setToolTip(f"Show what is sent for {alert_type.value} alerts (Ctrl+{number})")
            button.setAccessibleName(f"Show {alert_type.value} message")
            self._type_group.addButton(button)
            self._type_buttons[alert_type] = button
            type_row.addWidget(button)
        self._type_buttons[AlertType.ERROR].setChecked(True)
        self._fit_type_buttons()
        self._type_group.buttonToggled.connect(self._on_type_group_button_toggled)

        self._reveal = QCheckBox("Reveal secrets")
        self._reveal.setToolTip(
            "Show the values of secret variables, vault items and passwords.\n"
            "Passwords of authentication settings stay masked."
        )
        self._reveal.toggled.connect(self._on_reveal_toggled)
        self._badge = QLabel()
        self._badge.setObjectName("bodyBadge")
        self._badge.setTextFormat(Qt.TextFormat.PlainText)
        self._badge.hide()

        self._selector = selector
        top = QHBoxLayout()
        top.addWidget(selector)
        top.addSpacing(16)
        top.addWidget(self._reveal)
        top.addStretch(1)
        top.addWidget(self._badge)
        self._top_row = top
        self._badge_row = QHBoxLayout()
        self._badge_row.addStretch(1)

        self._error = QLabel()
        self._error.setObjectName("previewError")
        self._error.setWordWrap(True)
        self._error.setTextFormat(Qt.TextFormat.PlainText)
        self._error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._error.hide()

        self._requests = QWidget()
        self._requests_layout = QVBoxLayout(self._requests)
        self._requests_layout.setContentsMargins(0, 0, 0, 0)
        self._requests_layout.setSpacing(14)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._requests)
        self._message = QLabel()
        self._message.setObjectName("nothingSent")
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setContentsMargins(24, 24, 24, 24)
        self._stack = QStackedWidget()
        self._stack.addWidget(scroll)
        self._stack.addWidget(self._message)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self._badge_row)
        layout.addWidget(self._error)
        layout.addWidget(self._stack, 1)
        self._style_banner()
        self._refresh()

    # -- public API -------------------------------------------------------------------------

    def set_preview(self, preview: Preview, integration: Integration, sample: SampleSet) -> None:
        """Show ``preview`` (rendered from ``integration`` with ``sample``)."""
        self._preview = preview
        self._integration = integration
        self._sample = sample
        self._refresh()

    def alert_type(self) -> AlertType:
        """The alert type shown."""
        return self._alert_type

    def set_alert_type(self, alert_type: AlertType) -> None:
        """Show ``alert_type``; emits :attr:`alert_type_changed` when it changes."""
        self._type_buttons[alert_type].setChecked(True)

    def reveal_secrets(self) -> bool:
        """True when secret values are shown."""
        return self._reveal.isChecked()

    def set_reveal_secrets(self, reveal: bool) -> None:
        """Tick or untick "Reveal secrets"; emits :attr:`reveal_toggled` when it changes."""
        self._reveal.setChecked(reveal)

    def current_text(self, part: str, request: int = -1) -> str:
        """The text shown for ``part`` (mostly for tests).

        Args:
            part: ``url`` (the ``METHOD URL`` line), ``headers`` (``Name: value`` lines),
                ``auth``, ``pretty``, ``raw`` (the body), ``badge``, ``message`` (shown when
                nothing is sent) or ``error`` (the banner).
            request: Which request of the alert type; by default the message step (the last).

        Raises:
            ValueError: for an unknown part.
        """
        if part not in PARTS:
            raise ValueError(f"unknown part {part!r}: use one of {', '.join(PARTS)}")
        if part == "badge":
            return self._badge.text() if self._badge.isVisibleTo(self) else ""
        if part == "message":
            return self._message.text() if self._stack.currentWidget() is self._message else ""
        if part == "error":
            return self._error.text() if self._error.isVisibleTo(self) else ""
        shown = self._shown_views()
        if not shown:
            return ""
        return shown[request].text(part)

    def request_count(self) -> int:
        """How many requests are shown for the current alert type."""
        return len(self._shown_views())

    def code_view(self, part: str, request: int = -1) -> CodeView:
        """The view showing ``pretty`` or ``raw`` body, or ``head`` (request line and headers)."""
        view = self._shown_views()[request]
        return {"pretty": view.pretty, "raw": view.raw, "head": view.head}[part]

    def body_tabs(self, request: int = -1) -> QTabWidget:
        """The Pretty/Raw tabs of a request."""
        return self._shown_views()[request].tabs

    def type_button(self, alert_type: AlertType) -> QToolButton:
        """The selector button of ``alert_type``."""
        return self._type_buttons[alert_type]

    def reveal_checkbox(self) -> QCheckBox:
        """The "Reveal secrets" check box."""
        return self._reveal

    # -- internals ----------------------------------------------------------------------------

    def _shown_views(self) -> list[_RequestView]:
        count = len(self._preview.requests.get(self._alert_type, ()))
        return self._views[:count] if self._stack.currentIndex() == 0 else []

    def _masker(self, requests: Sequence[RenderedRequest]) -> Masker | None:
        if self._reveal.isChecked() or self._integration is None or self._sample is None:
            return None
        return masker_for(self._integration, self._sample, requests)

    def _refresh(self) -> None:
        preview = self._preview
        self._error.setText(
            f"The preview could not be rendered: {preview.error}" if preview.error else ""
        )
        self._error.setVisible(bool(preview.error))
        requests = preview.requests.get(self._alert_type, ())
        if not requests:
            self._show_message(self._nothing_sent_text())
            return
        if self._reveal.isChecked() or preview.masked is None:
            masker = self._masker(requests)
            # Masked by secret span first (an encoded secret included), then the views need not.
            shown = [masked_request(r, masker) for r in requests] if masker else list(requests)
        else:  # masked by the preview worker, off the UI thread
            shown = list(preview.masked.get(self._alert_type, requests))
        while len(self._views) < len(requests):
            view = _RequestView()
            view.source_clicked.connect(self.source_requested)
            self._views.append(view)
            self._requests_layout.addWidget(view)
        for index, view in enumerate(self._views):
            if index < len(requests):
                view.set_request(shown[index], None, index, len(requests), requests[index])
                view.show()
                last = index == len(requests) - 1
                self._requests_layout.setStretch(index, 1 if last else 0)
            else:
                view.hide()
                self._requests_layout.setStretch(index, 0)
        self._stack.setCurrentIndex(0)
        text, tone, tooltip = badge_for(requests[-1])
        self._badge.setText(text)
        self._badge.setToolTip(tooltip)
        self._badge.setStyleSheet(_badge_style(tone, colours(self.palette())))
        self._badge.show()
        self._place_badge()

    def _nothing_sent_text(self) -> str:
        name = self._alert_type.value
        if self._preview.error:
            return "Nothing to show until the problem above is fixed."
        if self._integration is None:
            return "The preview appears here once an integration is open."
        if not self._integration.steps:
            return "The integration has no steps yet: add a step to see what Uptrends sends."
        return f"No step has {name} ticked: Uptrends sends nothing for {name} alerts."

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        self._stack.setCurrentWidget(self._message)
        self._badge.hide()
        for view in self._views:
            view.hide()

    def _style_banner(self) -> None:
        self._error.setStyleSheet(banner_style(colours(self.palette()).error_banner))

    def _on_type_group_button_toggled(self, button: QToolButton, checked: bool) -> None:
        if not checked:
            return
        alert_type = next(t for t, b in self._type_buttons.items() if b is button)
        if alert_type is self._alert_type:
            return
        self._alert_type = alert_type
        self._refresh()
        self.alert_type_changed.emit(alert_type)

    def _on_reveal_toggled(self, checked: bool) -> None:
        self._refresh()
        self.reveal_toggled.emit(checked)

    def _place_badge(self) -> None:
        """Keep the badge in the top row, or move it to a row of its own when too narrow."""
        spacing = 16 + 3 * max(self._top_row.spacing(), 0) + 8
        needed = (
            self._selector.sizeHint().width()
            + self._reveal.sizeHint().width()
            + self._badge.sizeHint().width()
            + spacing
        )
        margins = self.contentsMargins()
        narrow = self.width() - margins.left() - margins.right() - 24 < needed
        in_top = self._top_row.indexOf(self._badge) >= 0
        if narrow and in_top:
            self._top_row.removeWidget(self._badge)
            self._badge_row.addWidget(self._badge)
        elif not narrow and not in_top:
            self._badge_row.removeWidget(self._badge)
            self._top_row.addWidget(self._badge)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_badge()

    def _fit_type_buttons(self) -> None:
        """Never elide "Reminder": each button is at least as wide as its bold text."""
        for button in self._type_buttons.values():
            button.updateGeometry()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Room for the Error / Reminder / Ok selector at the current font, never below 400."""
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), MIN_WIDTH), hint.height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_type_buttons()
        if event.type() == QEvent.Type.PaletteChange:
            self._style_banner()
            # palette(...) in a style sheet is resolved when it is set: set it again.
            self._selector.setStyleSheet("")
            self._selector.setStyleSheet(_SELECTOR_STYLE)
