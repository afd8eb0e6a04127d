"""Import from cURL / HTTP: turn a request pasted from a target's API docs into a step.

The pasted text is parsed as it is typed (debounced) by
:func:`~uptrends_studio.core.delivery.request_import.parse_request_text`, which never runs or reads
anything. Below the text a green summary says what will be imported (with the notes about
what was left out), or a red banner says what cannot be read, and the offending part of the
text is underlined when the message locates it unambiguously.
"""

from __future__ import annotations

import ast
import html
import json
import re
import shlex

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFontDatabase, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.checks.content_type import (
    BodyKind,
    body_kind,
    content_type_of,
)
from uptrends_studio.core.checks.diagnostics import LineIndex
from uptrends_studio.core.delivery.request_import import (
    ImportedRequest,
    parse_request_text,
    to_step,
)
from uptrends_studio.core.document.model import ALERT_TYPES, AlertType, AuthType, Step
from uptrends_studio.core.errors import RequestImportError
from uptrends_studio.gui.theme import banner_style, colours

PARSE_DEBOUNCE_MS = 250
"""Delay between the last keystroke in the text box and parsing it."""
DEFAULT_STEP_NAME = "Imported step"
HINT = (
    "Paste a curl command from the target's API docs, or a raw request (POST /path HTTP/1.1 + "
    "headers + body). Replace placeholders like $API_KEY with {{variables}} afterwards."
)
_KIND_NAMES = {BodyKind.JSON: "JSON", BodyKind.XML: "XML", BodyKind.FORM: "form"}


def describe_body(request: ImportedRequest) -> str:
    """``JSON``, ``XML``, ``form`` or ``text``: the body's kind by Content-Type.

    Without a Content-Type header, a body that parses as JSON is called JSON.
    """
    content_type = content_type_of(request.headers)
    kind = body_kind(content_type)
    if content_type is not None:
        return _KIND_NAMES.get(kind, "text")
    try:
        json.loads(request.body)
    except ValueError:
        return "XML" if request.body.lstrip().startswith("<") else "text"
    return "JSON"


def summary(request: ImportedRequest, step: Step) -> str:
    """One line: method, URL, header count, body kind and size, authentication."""
    count = len(step.headers)
    parts = [
        f"{step.method} {step.url}",
        f"{count} header{'s' if count != 1 else ''}" if count else "no headers",
    ]
    if request.body:
        size = len(request.body.encode("utf-8"))
        parts.append(f"{describe_body(request)} body ({size} byte{'s' if size != 1 else ''})")
    else:
        parts.append("no body")
    if request.auth_type is not AuthType.NONE:
        parts.append(f"{request.auth_type.value} auth")
    return " · ".join(parts)


# --- locating the error in the pasted text -----------------------------------------------------

_LINE_COLUMN = re.compile(r"\bline (\d+), column (\d+)")
_LINE_ONLY = re.compile(r"^line (\d+):")
_ARGUMENT = re.compile(r"\(argument (\d+)\)")
_OPTION_BEFORE_ARGUMENT = re.compile(r"(-{1,2}[^\s()]+) \(argument (\d+)\)")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_PROMPT = re.compile(r"\s*(\$|PS>|>)[ \t]+(?=curl)")


def _offset(text: str, line: int, column: int) -> int | None:
    return LineIndex(text).exact_offset(line, column)


def _continuation_end(text: str, start: int) -> int:
    index = start
    while index < len(text) and text[index] in " \t":
        index += 1
    if index < len(text) and text[index] == "\r":
        index += 1
    if index < len(text) and text[index] == "\n":
        return index + 1
    return index if index == len(text) else -1


def word_spans(text: str) -> list[tuple[int, int]] | None:
    r"""The (start, end) of each shell word of a pasted command, as the importer splits it.

    Line continuations (``\``, ``^``, a backtick at a line end) and comments separate words.
    Returns ``None`` when the text cannot be split (an unclosed quote).
    """
    prompt = _PROMPT.match(text)
    index = prompt.end() if prompt else 0
    spans: list[tuple[int, int]] = []
    start: int | None = None
    while index < len(text):
        char = text[index]
        if char in " \t\r\n":
            if start is not None:
                spans.append((start, index))
                start = None
            index += 1
            continue
        if char in "\\^`":
            end = _continuation_end(text, index + 1)
            if end >= 0:
                if start is not None:
                    spans.append((start, index))
                    start = None
                index = end
                continue
        if char == "#" and start is None:
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
            continue
        if start is None:
            start = index
        if char == "'":
            close = text.find("'", index + 1)
            if close < 0:
                return None
            index = close + 1
        elif char == '"' or text.startswith("$'", index):
            quote = char if char == '"' else "'"
            index += 1 if char == '"' else 2
            while index < len(text) and text[index] != quote:
                index += 2 if text[index] == "\\" else 1
            if index >= len(text):
                return None
            index += 1
        elif char == "\\":
            index += 2
        else:
            index += 1
    if start is not None:
        spans.append((start, min(index, len(text))))
    return spans


def _unquoted(word: str) -> str | None:
    try:
        parts = shlex.split(word, posix=True)
    except ValueError:
        return None
    return parts[0] if len(parts) == 1 else None


def error_spans(text: str, message: str) -> list[tuple[int, int]]:
    """The parts of ``text`` an import error ``message`` is about, when that is unambiguous.

    ``line L, column C`` gives the word starting there; ``line L:`` (raw HTTP) the whole line;
    ``(argument N)`` the N-th word of the command (``curl`` is 0), but only when that word is
    the option or value the message names, so a wrong guess underlines nothing.
    """
    match = _LINE_COLUMN.search(message)
    if match is not None:
        offset = _offset(text, int(match.group(1)), int(match.group(2)))
        if offset is None or offset >= len(text):
            return []
        end = offset + 1
        while end < len(text) and not text[end].isspace():
            end += 1
        return [(offset, end)]
    match = _LINE_ONLY.match(message)
    if match is not None:
        start = _offset(text, int(match.group(1)), 1)
        if start is None:
            return []
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        return [(start, end)] if end > start else []
    arguments = [int(m.group(1)) for m in _ARGUMENT.finditer(message)]
    if not arguments:
        return []
    spans = word_spans(text)
    if spans is None:
        return []
    named = {m.group(1) for m in _OPTION_BEFORE_ARGUMENT.finditer(message)}
    for quoted in _QUOTED.findall(message):
        try:
            value = ast.literal_eval(quoted)
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, str) and value:
            named.add(value)
    found: list[tuple[int, int]] = []
    for number in arguments:
        if number >= len(spans):
            continue
        start, end = spans[number]
        word = _unquoted(text[start:end])
        if word is None or not any(word == n or word.startswith(n) for n in named):
            continue
        if number > 1:  # the option before a value, as in "-d @file.json"
            before = _unquoted(text[spans[number - 1][0] : spans[number - 1][1]])
            if before is not None and before in named and before.startswith("-"):
                start = spans[number - 1][0]
        found.append((start, end))
    return found


class ImportRequestDialog(QDialog):
    """Paste a curl command or a raw HTTP request and import it as a step.

    Signals:
        parsed(bool): the text was parsed again; True when it can be imported.
    """

    parsed = Signal(bool)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        debounce_ms: int = PARSE_DEBOUNCE_MS,
        step_name: str = DEFAULT_STEP_NAME,
        free_types: tuple[AlertType, ...] = ALERT_TYPES,
        selected_step: Step | None = None,
    ) -> None:
        super().__init__(parent)
        self._free_types = free_types
        self._selected_step = selected_step
        self.setWindowTitle("Import from cURL / HTTP")
        self.resize(820, 640)
        self._request: ImportedRequest | None = None
        self._error_ranges: list[tuple[int, int]] = []

        self.text_edit = QPlainTextEdit()
        self.text_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText(
            "curl -X POST https://api.example.com/v1/alerts \\\n"
            "  -H 'Content-Type: application/json' \\\n"
            '  -d \'{"summary": "..."}\'\n\n'
            "or\n\n"
            "POST /v1/alerts HTTP/1.1\nHost: api.example.com\nContent-Type: application/json\n\n"
            '{"summary": "..."}'
        )
        self.text_edit.setMinimumHeight(240)
        self.hint_label = QLabel(HINT)
        self.hint_label.setWordWrap(True)
        self.hint_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_banner = QLabel()
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.summary_label, self.notes_label, self.error_banner):
            label.hide()

        self.name_edit = QLineEdit(step_name)
        self.name_edit.setPlaceholderText(DEFAULT_STEP_NAME)
        form = QFormLayout()
        form.addRow("Step name:", self.name_edit)
        # Which messages the pasted setup sends: by default the ones no step sends yet. A step
        # with none ticked is a helper step that runs first, so that is said, never silent.
        self.type_boxes = {t: QCheckBox(t.value) for t in ALERT_TYPES}
        types_row = QHBoxLayout()
        for box in self.type_boxes.values():
            types_row.addWidget(box)
            box.toggled.connect(self._show_type_hint)
        self.type_hint = QLabel()
        self.type_hint.setWordWrap(True)
        types_row.addWidget(self.type_hint, 1)
        form.addRow("Sends:", types_row)
        self.add_new = QRadioButton("Add as a new step")
        self.replace_selected = QRadioButton(
            f"Replace step '{selected_step.name}'" if selected_step else "Replace the selected step"
        )
        self.replace_selected.setEnabled(selected_step is not None)
        self.add_new.setChecked(True)
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.add_new)
        mode_row.addWidget(self.replace_selected)
        mode_row.addStretch(1)
        form.addRow("", mode_row)
        self.replace_selected.toggled.connect(self._on_replace_toggled)
        self._tick(free_types)

        self.buttons = QDialogButtonBox()
        self.add_button = QPushButton("Add step")
        self.add_button.setDefault(True)
        self.add_button.setEnabled(False)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.hint_label)
        layout.addSpacing(4)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.error_banner)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.parse_now)
        self.text_edit.textChanged.connect(self._on_text_edit_text_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text_edit.setFocus()

    # -- public API -----------------------------------------------------------------------------

    def alert_types(self) -> tuple[AlertType, ...]:
        """The message types ticked for the imported step (none: a helper step)."""
        return tuple(t for t, box in self.type_boxes.items() if box.isChecked())

    def replaces_selected(self) -> bool:
        """Whether the import replaces the selected step instead of adding one."""
        return self.replace_selected.isChecked()

    def _tick(self, types: tuple[AlertType, ...]) -> None:
        for alert_type, box in self.type_boxes.items():
            box.setChecked(alert_type in types)
        self._show_type_hint()

    def _on_replace_toggled(self, replacing: bool) -> None:
        chosen = self._selected_step
        self._tick(chosen.alert_types if replacing and chosen else self._free_types)
        self.add_button.setText("Replace step" if replacing else "Add step")

    def _show_type_hint(self) -> None:
        self.type_hint.setText(
            "" if self.alert_types() else "None ticked: a helper step that runs first"
        )

    def set_text(self, text: str) -> None:
        """Replace the pasted text (parsed after the debounce delay, like typing)."""
        self.text_edit.setPlainText(text)

    def request(self) -> ImportedRequest | None:
        """The request read from the text, or ``None`` when it cannot be imported."""
        return self._request

    def step(self) -> Step | None:
        """The step to add (every alert type ticked), or ``None`` when nothing can be imported."""
        if self._request is None:
            return None
        return to_step(self._request, self.name_edit.text().strip() or DEFAULT_STEP_NAME)

    def error_text(self) -> str:
        """The message of the red banner (``""`` when the text can be imported or is empty)."""
        return self.error_banner.text() if not self.error_banner.isHidden() else ""

    def error_ranges(self) -> list[tuple[int, int]]:
        """The character ranges of the text underlined as the error position."""
        return list(self._error_ranges)

    def parse_now(self) -> None:
        """Parse the text at once (the debounce timer does this after typing stops)."""
        self._timer.stop()
        text = self.text_edit.toPlainText()
        self._request = None
        self._error_ranges = []
        named = colours(self.palette())
        if not text.strip():
            for label in (self.summary_label, self.notes_label, self.error_banner):
                label.hide()
        else:
            try:
                request = parse_request_text(text)
            except RequestImportError as exc:
                message = str(exc)
                self.error_banner.setText(f"Cannot import: {message}")
                self.error_banner.setStyleSheet(banner_style(named.error_banner))
                self.error_banner.show()
                self.summary_label.hide()
                self.notes_label.hide()
                self._error_ranges = error_spans(text, message)
            else:
                self._request = request
                self.summary_label.setText(summary(request, to_step(request, "")))
                self.summary_label.setStyleSheet(banner_style(named.ok_banner))
                self.summary_label.show()
                self.error_banner.hide()
                if request.notes:
                    items = "".join(f"<li>{html.escape(note)}</li>" for note in request.notes)
                    self.notes_label.setText(
                        "Not imported or to check:"
                        f"<ul style='margin-left: 0; -qt-list-indent: 1;'>{items}</ul>"
                    )
                    self.notes_label.show()
                else:
                    self.notes_label.hide()
        self._show_error_ranges()
        self.add_button.setEnabled(self._request is not None)
        self.parsed.emit(self._request is not None)

    def accept(self) -> None:
        """Add the step when the text can be imported (parsing pending text first)."""
        if self._timer.isActive():
            self.parse_now()
        if self._request is None:
            return
        super().accept()

    # -- internals ------------------------------------------------------------------------------

    def _show_error_ranges(self) -> None:
        named = colours(self.palette())
        selections: list[QTextEdit.ExtraSelection] = []
        for start, end in self._error_ranges:
            selection = QTextEdit.ExtraSelection()
            selection.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            selection.format.setUnderlineColor(QColor(named.error))
            selection.format.setBackground(QColor(named.error_background))
            cursor = QTextCursor(self.text_edit.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
        self.text_edit.setExtraSelections(selections)

    def _on_text_edit_text_changed(self) -> None:
        self._request = None  # until the new text is parsed
        self.add_button.setEnabled(False)
        self._timer.start()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            named = colours(self.palette())
            self.error_banner.setStyleSheet(banner_style(named.error_banner))
            self.summary_label.setStyleSheet(banner_style(named.ok_banner))
            self._show_error_ranges()
