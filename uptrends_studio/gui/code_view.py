"""A read-only, syntax-highlighted viewer for rendered requests (JSON, XML, HTTP, text).

Highlighting uses Pygments token types mapped to ``QTextCharFormat`` in a
``QSyntaxHighlighter``. ``QSyntaxHighlighter`` formats every changed block synchronously, so for
large texts :class:`RequestHighlighter` formats only the first :data:`FIRST_HIGHLIGHT_LINES`
lines at once and the rest in chunks from a zero-interval timer: the text appears at once and
the colours follow while the event loop stays responsive. Lexer state (an XML tag spanning
lines, the header/body split of an HTTP message) is carried across blocks with
``setCurrentBlockState``.

Texts longer than :data:`LARGE_TEXT_CHARS` are shown cut to that size, and lines longer than
:data:`LONG_LINE_CHARS` (a minified body, a 1 MB value in one JSON string) are shown cut with
the count of hidden characters: Qt lays out a whole line at once, which for a 200 KB line
blocks the UI thread for a tenth of a second on every update. A bar offers to load it all.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from pygments.lexer import ExtendedRegexLexer, LexerContext
from pygments.lexers.data import JsonLexer
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)
from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QHideEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from uptrends_studio.core.checks.content_type import BodyKind, body_kind
from uptrends_studio.gui.chunked_highlighter import ChunkedHighlighter
from uptrends_studio.gui.theme import colours, colours_for, is_dark

LANGUAGES: tuple[str, ...] = ("json", "xml", "text", "http")
"""The languages :meth:`CodeView.set_code` understands."""

LARGE_TEXT_CHARS = 200 * 1024
"""Texts longer than this are shown cut, with a "Show all" button."""

LONG_LINE_CHARS = 2_000
"""Lines longer than this are shown cut (with the count of hidden characters) until "Show all"."""

FIRST_HIGHLIGHT_LINES = 300
"""Lines highlighted at once when a text is set (more than a screenful)."""

HIGHLIGHT_CHUNK_LINES = 300
"""Lines highlighted per timer tick after the first screenful (about 15 ms of JSON)."""

MAX_HIGHLIGHT_LINE_CHARS = 10_000
"""Longer lines (a minified body) are left plain: colouring them is slow and of little use."""

_PENDING = -1
"""Block state of a line not highlighted yet (Qt's initial state, so new lines need no call)."""

_HTTP_REQUEST_LINE = re.compile(r"^([A-Z]+)( +)(\S.*)$")
_HTTP_HEADER = re.compile(r"^([^:\s][^:]*)(:)(\s*)(.*)$")
_CONTENT_TYPE = re.compile(r"^content-type\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE)


class _XmlLineLexer(ExtendedRegexLexer):
    """Pygments' XML rules, made resumable line by line (comments and CDATA may span lines)."""

    name = "XML (line by line)"
    tokens = {  # noqa: RUF012 - Pygments reads the token table from this class attribute
        "root": [
            (r"[^<&\s]+", Text),
            (r"[^<&\S]+", Whitespace),
            (r"&\S*?;", Name.Entity),
            (r"<!\[CDATA\[", Comment.Preproc, "cdata"),
            (r"<!--", Comment.Multiline, "comment"),
            (r"<\?.*?\?>", Comment.Preproc),
            (r"<![^>]*>", Comment.Preproc),
            (r"<\s*[\w:.-]+", Name.Tag, "tag"),
            (r"<\s*/\s*[\w:.-]+\s*>", Name.Tag),
        ],
        "comment": [
            (r"-->", Comment.Multiline, "#pop"),
            (r"[^-]+", Comment.Multiline),
            (r"-", Comment.Multiline),
        ],
        "cdata": [
            (r"\]\]>", Comment.Preproc, "#pop"),
            (r"[^\]]+", Text),
            (r"\]", Text),
        ],
        "tag": [
            (r"\s+", Whitespace),
            (r"[\w.:-]+\s*=", Name.Attribute, "attr"),
            (r"/?\s*>", Name.Tag, "#pop"),
        ],
        "attr": [
            (r"\s+", Whitespace),
            ('".*?"', String, "#pop"),
            ("'.*?'", String, "#pop"),
            (r"[^\s>]+", String, "#pop"),
        ],
    }


def human_size(chars: int) -> str:
    """``200 KB``, ``1.2 MB``: a size for people, in powers of 1024."""
    if chars < 1024:
        return f"{chars} characters"
    if chars < 1024 * 1024:
        return f"{chars / 1024:.0f} KB"
    return f"{chars / (1024 * 1024):.1f} MB"


def body_language(kind: BodyKind) -> str:
    """The language :meth:`CodeView.set_code` highlights a body of ``kind`` as."""
    if kind is BodyKind.JSON:
        return "json"
    if kind is BodyKind.XML:
        return "xml"
    return "text"


def http_body_language(text: str) -> str:
    """The body language of an HTTP message text, from its ``Content-Type`` header."""
    head = text.split("\n\n", 1)[0]
    match = _CONTENT_TYPE.search(head)
    return body_language(body_kind(match.group(1) if match else None))


class FoldedText:
    """A text with every line over ``limit`` characters cut, for display.

    Attributes:
        text: What is shown: each long line ends after ``limit`` characters with a marker
            naming how many characters are hidden.
        cuts: Per cut line, ``(start, end, shift)``: the original characters ``start:end``
            are hidden, and an original position after them is ``shift`` further in ``text``.
    """

    __slots__ = ("cuts", "text")

    def __init__(self, original: str, limit: int) -> None:
        parts: list[str] = []
        self.cuts: list[tuple[int, int, int]] = []
        last = shift = 0
        for match in re.finditer(f"(?m)^[^\n]{{{limit + 1},}}", original):
            start, end = match.start() + limit, match.end()
            marker = f" … [{end - start:,} more characters]"
            parts += (original[last:start], marker)
            shift += len(marker) - (end - start)
            self.cuts.append((start, end, shift))
            last = end
        parts.append(original[last:])
        self.text = "".join(parts) if self.cuts else original

    def cuts_before(self, shown: int) -> int:
        """How many cut lines are cut within the first ``shown`` characters of :attr:`text`."""
        count = previous = 0
        for start, _end, shift in self.cuts:
            if start + previous >= shown:
                break
            count += 1
            previous = shift
        return count

    def position(self, original: int) -> int:
        """Where the character at ``original`` is shown (a hidden one: at its line's cut)."""
        index = bisect.bisect_right(self.cuts, original, key=lambda cut: cut[0]) - 1
        if index < 0:
            return original
        start, end, shift = self.cuts[index]
        if original < end:  # hidden: shown at the cut, before the marker
            previous = self.cuts[index - 1][2] if index else 0
            return start + previous
        return original + shift


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common beginning of ``a`` and ``b``."""
    low, high = 0, min(len(a), len(b))
    step = 4096
    while low < high:  # compare slices (C speed): in steps, then by halving within one
        end = min(low + step, high)
        if a[low:end] == b[low:end]:
            low = end
            continue
        high = end - 1
        while low < high:
            middle = (low + high + 1) // 2
            if a[low:middle] == b[low:middle]:
                low = middle
            else:
                high = middle - 1
    return low


def _utf16_length(text: str) -> int:
    """``len(text)`` in UTF-16 code units, as Qt counts positions."""
    return len(text.encode("utf-16-le")) // 2


class RequestHighlighter(ChunkedHighlighter):
    """Colours JSON, XML and HTTP messages with Pygments tokens, lazily for large texts.

    Block states: ``0`` plain or JSON; for XML the id of the lexer's state stack; for HTTP
    ``0`` in the head and ``1 + id`` in the body; :data:`_PENDING` for lines not reached yet.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(
            document, first_lines=FIRST_HIGHLIGHT_LINES, chunk_lines=HIGHLIGHT_CHUNK_LINES
        )
        self._language = "text"
        self._body_language = "text"
        self._dark = False
        self._formats: dict[_TokenType, QTextCharFormat] = {}
        self._format_cache: dict[_TokenType, QTextCharFormat | None] = {}
        self._json = JsonLexer()
        self._xml = _XmlLineLexer()
        self._stacks: list[tuple[str, ...]] = [("root",)]
        self._stack_ids: dict[tuple[str, ...], int] = {("root",): 0}
        self._paused = False
        self._loading = False
        self._build_formats()

    @property
    def language(self) -> str:
        """The current language."""
        return self._language

    @property
    def body_language(self) -> str:
        """The language of the body of an HTTP message."""
        return self._body_language

    def prepare(self, language: str, body_language: str = "text") -> None:
        """Set the language before a new text is set; highlighting restarts from the top."""
        self._language = language
        self._body_language = body_language
        self.reset_chunks()
        self._loading = True

    def start(self) -> None:
        """Highlight the first screenful now and the rest in chunks (call after setting text).

        Between :meth:`prepare` and this call, Qt's pass over every new line returns at once.
        """
        self._loading = False
        document = self.document()
        if document is not None and self._language != "text":
            self.rehighlightBlock(document.firstBlock())  # continues while line states change
        self._resume()

    def _resume(self) -> None:
        if not self._paused and not self.is_finished():
            self.start_chunks()

    def set_paused(self, paused: bool) -> None:
        """Stop (True) or resume (False) the chunked highlighting, e.g. while hidden."""
        self._paused = paused
        if paused:
            self.stop_chunks()
        else:
            self._resume()

    def set_dark(self, dark: bool) -> None:
        """Switch between the light and the dark colours."""
        if dark == self._dark:
            return
        self._dark = dark
        self._build_formats()
        self.restart()

    def restart(self) -> None:
        """Re-highlight everything (first screenful now, the rest in chunks)."""
        self.reset_chunks()
        self.rehighlight()
        self._resume()

    def is_finished(self) -> bool:
        """True when every line is highlighted."""
        document = self.document()
        return (
            self._language == "text"
            or document is None
            or (self.chunk_limit >= document.blockCount())
        )

    def _build_formats(self) -> None:
        self._formats = {}
        for token_type, (colour, bold, italic) in colours_for(self._dark).code_syntax.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            if italic:
                fmt.setFontItalic(True)
            self._formats[token_type] = fmt
        self._format_cache = {}

    def _format(self, token_type: _TokenType) -> QTextCharFormat | None:
        try:
            return self._format_cache[token_type]
        except KeyError:
            pass
        found: QTextCharFormat | None = None
        current: _TokenType | None = token_type
        while current is not None:
            found = self._formats.get(current)
            if found is not None:
                break
            current = current.parent
        self._format_cache[token_type] = found
        return found

    def _stack_id(self, stack: Sequence[str]) -> int:
        key = tuple(stack)
        found = self._stack_ids.get(key)
        if found is None:
            found = self._stack_ids[key] = len(self._stacks)
            self._stacks.append(key)
        return found

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        """Colour one line, starting from the state the previous line ended in."""
        if self._loading or self._language == "text":
            return
        if self.currentBlock().blockNumber() >= self.chunk_limit:
            if self.currentBlockState() != _PENDING:
                self.setCurrentBlockState(_PENDING)
            return
        previous = max(self.previousBlockState(), 0)
        if self._language == "json":
            self._apply(self._json_tokens(text))
            state = 0
        elif self._language == "xml":
            state = self._lex_xml(text, previous)
        else:
            state = self._lex_http(text, previous)
        if self.currentBlockState() != state:
            self.setCurrentBlockState(state)

    def _apply(self, tokens: Iterable[tuple[int, _TokenType, str]]) -> None:
        for start, token_type, value in tokens:
            fmt = self._format(token_type)
            if fmt is not None:
                self.setFormat(start, len(value), fmt)

    def _json_tokens(self, text: str) -> Iterator[tuple[int, _TokenType, str]]:
        if len(text) > MAX_HIGHLIGHT_LINE_CHARS:
            return iter(())
        tokens: Iterator[tuple[int, _TokenType, str]]
        tokens = self._json.get_tokens_unprocessed(text)  # type: ignore[no-untyped-call]
        return tokens

    def _lex_xml(self, text: str, state: int) -> int:
        stack = list(self._stacks[state]) if state < len(self._stacks) else ["root"]
        if len(text) > MAX_HIGHLIGHT_LINE_CHARS:
            return state
        context = LexerContext(text, 0, stack=stack)
        self._apply(self._xml.get_tokens_unprocessed(context=context))
        return self._stack_id(context.stack)

    def _lex_http(self, text: str, state: int) -> int:
        if state == 0:  # the head: request line and headers, up to the blank line
            if not text.strip():
                return 1
            match = _HTTP_REQUEST_LINE.match(text)
            if match is not None and self.currentBlock().blockNumber() == 0:
                self.setFormat(0, len(match.group(1)), self._formats[Keyword])
                self.setFormat(match.start(3), len(match.group(3)), self._formats[Name.Namespace])
                return 0
            match = _HTTP_HEADER.match(text)
            if match is not None:
                self.setFormat(0, len(match.group(1)), self._formats[Name.Attribute])
                self.setFormat(match.start(2), 1, self._formats[Punctuation])
            return 0
        if self._body_language == "json":
            self._apply(self._json_tokens(text))
            return 1
        if self._body_language == "xml":
            return 1 + self._lex_xml(text, state - 1)
        return 1


class _LineNumberArea(QWidget):
    def __init__(self, view: CodeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._view.line_number_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self._view.paint_line_numbers(event)


class CodeView(QPlainTextEdit):
    """A read-only, monospace, syntax-highlighted text viewer.

    Long texts are cut at :data:`LARGE_TEXT_CHARS`, and lines at :data:`LONG_LINE_CHARS`,
    with a bar offering "Show all".

    Signals:
        shown_all: the rest of a cut text was loaded.
    """

    shown_all = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        line_numbers: bool = False,
        large_text_chars: int = LARGE_TEXT_CHARS,
        long_line_chars: int = LONG_LINE_CHARS,
    ) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setUndoRedoEnabled(False)
        self._large_text_chars = large_text_chars
        self._long_line_chars = long_line_chars
        self._folded: FoldedText | None = None
        self._text = ""
        self._shown_text = ""
        """The text in the document (what :meth:`_load` set)."""
        self._whole: Callable[[], str] | None = None
        self._language = "text"
        self._shown_chars = 0
        self._display_chars = 0
        self._ranges: list[tuple[int, int]] = []
        self._line_numbers = line_numbers
        self._highlighter = RequestHighlighter(self.document())
        self._highlighter.set_paused(True)  # resumed when shown: hidden views do no work
        self._highlighter.set_dark(is_dark(self.palette()))

        self._line_area = _LineNumberArea(self)
        self._line_area.setVisible(line_numbers)
        self._bar = QFrame(self)
        self._bar.setObjectName("truncationBar")
        self._bar.setAutoFillBackground(True)
        self._bar.setBackgroundRole(QPalette.ColorRole.Window)
        bar_layout = QHBoxLayout(self._bar)
        bar_layout.setContentsMargins(8, 3, 4, 3)
        self._bar_label = QLabel(self._bar)
        self._show_all_button = QPushButton("Show all", self._bar)
        self._show_all_button.setToolTip("Load the whole text (may take a moment)")
        self._show_all_button.clicked.connect(self.show_all)
        bar_layout.addWidget(self._bar_label, 1)
        bar_layout.addWidget(self._show_all_button)
        self._bar.hide()

        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._bar.setFont(QGuiApplication.font())  # the bar is prose, not code
        self._update_margins()

    # -- public API -------------------------------------------------------------------------

    def set_code(
        self, text: str, language: str = "text", *, whole: Callable[[], str] | None = None
    ) -> None:
        """Show ``text`` highlighted as ``language`` (``json``, ``xml``, ``http`` or ``text``).

        Setting the same text and language again does nothing (the scroll position stays).
        Texts above the size limit are cut, and so are very long lines; :meth:`show_all` loads
        the rest.

        Args:
            text: The text, or only its beginning (whole lines) when ``whole`` is given.
            language: How to highlight it.
            whole: Returns the whole text when ``text`` is only its beginning; called by
                :meth:`show_all` (and :meth:`code`), or at once when ``text`` is too short to
                fill what the view shows.

        Raises:
            ValueError: for an unknown language.
        """
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
        if whole is not None and len(text) <= self._large_text_chars:
            text, whole = whole(), None  # not enough to fill the view
        if text == self._text and language == self._language:
            self._whole = whole  # the same beginning; the rest may differ
            return
        self._text = text
        self._whole = whole
        self._language = language
        self._load(whole=False)

    def code(self) -> str:
        """The whole text last set (also the part not shown of a cut text)."""
        if self._whole is not None:
            return self._whole()
        return self._text

    def language(self) -> str:
        """The language last set."""
        return self._language

    def is_truncated(self) -> bool:
        """True when only part of the text is shown (its beginning, or long lines cut)."""
        return (
            self._shown_chars < self._display_chars
            or self._folded is not None
            or self._whole is not None
        )

    def shown_text(self) -> str:
        """The text as it is shown: cut, with a marker at the end of each cut line."""
        return self.toPlainText()

    def truncation_message(self) -> str:
        """The text of the bar above a cut text (``""`` when the whole text is shown)."""
        return self._bar_label.text() if self.is_truncated() else ""

    def show_all_button(self) -> QPushButton:
        """The "Show all" button of the bar above a cut text."""
        return self._show_all_button

    def show_all(self) -> None:
        """Load the whole text of a cut text, long lines in full."""
        if not self.is_truncated():
            return
        if self._whole is not None:
            self._text, self._whole = self._whole(), None
        self._load(whole=True)
        self.shown_all.emit()

    def set_extra_highlights(self, ranges: Sequence[tuple[int, int]]) -> None:
        """Paint a background behind character ranges of the text (e.g. diff segments)."""
        self._ranges = [(start, end) for start, end in ranges if end > start]
        self._apply_extra_highlights()

    def extra_highlights(self) -> list[tuple[int, int]]:
        """The ranges set with :meth:`set_extra_highlights`."""
        return list(self._ranges)

    def set_line_numbers_visible(self, visible: bool) -> None:
        """Show or hide the line-number gutter."""
        self._line_numbers = visible
        self._line_area.setVisible(visible)
        self._update_margins()

    def highlighter(self) -> RequestHighlighter:
        """The syntax highlighter (tests and screenshots call ``finish`` on it)."""
        return self._highlighter

    # -- internals ----------------------------------------------------------------------------

    def _load(self, *, whole: bool) -> None:
        """Show the text: cut (long lines first, then the size) unless ``whole``."""
        bar = self.verticalScrollBar()
        position = bar.value()
        folded = None if whole else FoldedText(self._text, self._long_line_chars)
        self._folded = folded if folded is not None and folded.cuts else None
        display = self._folded.text if self._folded is not None else self._text
        shown = len(display)
        if not whole and shown > self._large_text_chars:
            cut = display.rfind("\n", 0, self._large_text_chars)
            shown = cut + 1 if cut > self._large_text_chars // 2 else self._large_text_chars
        if not whole and self._whole is not None and shown == len(display):
            # The beginning given is all shown, cut lines and all: show the whole text instead.
            self._text, self._whole = self._whole(), None
            self._load(whole=False)
            return
        self._display_chars = len(display)
        self._shown_chars = shown
        text = display[:shown]
        body = http_body_language(text) if self._language == "http" else "text"
        if not self._edit_in_place(text, body):
            self._highlighter.prepare(self._language, body)
            self.setPlainText(text)
            self._highlighter.start()
            bar.setValue(min(position, bar.maximum()))
        self._shown_text = text
        if self.is_truncated():
            notes = []
            if self._whole is not None:  # the size of the whole is not known yet
                notes.append(f"Large text: showing the first {human_size(shown)}.")
            elif shown < len(display):
                notes.append(
                    f"Large text: showing the first {human_size(shown)} "
                    f"of {human_size(len(self._text))}."
                )
            if self._folded is not None:
                count = self._folded.cuts_before(shown)
                notes.append(
                    f"{count:,} long line{'s' if count != 1 else ''} cut at "
                    f"{self._long_line_chars:,} characters."
                )
            self._bar_label.setText(" ".join(notes))
        self._bar.setVisible(self.is_truncated())
        self._update_margins()
        self._apply_extra_highlights()

    def _edit_in_place(self, text: str, body_language: str) -> bool:
        """Turn the text shown into ``text`` by replacing only what differs; False: not done.

        A new preview after a keystroke differs from the one shown in a few characters: Qt then
        lays out and the highlighter colours only the lines that changed, instead of a whole
        200 KB text (and the scroll position stays). Done when every line is coloured and the
        language is the same, and when at least half of ``text`` is unchanged.
        """
        old = self._shown_text
        highlighter = self._highlighter
        if (
            not old
            or highlighter.language != self._language
            or highlighter.body_language != body_language
            or not highlighter.is_finished()
            or "\r" in text  # Qt reads "\r\n" as one line break: offsets would differ
            or "\r" in old
        ):
            return False
        prefix = _common_prefix(old, text)
        suffix = _common_prefix(old[prefix:][::-1], text[prefix:][::-1])
        if 2 * (prefix + suffix) < len(text):
            return False
        start = _utf16_length(old[:prefix])
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(
            start + _utf16_length(old[prefix : len(old) - suffix]), QTextCursor.MoveMode.KeepAnchor
        )
        highlighter.colour_edits_at_once()
        cursor.insertText(text[prefix : len(text) - suffix])
        return True

    def _apply_extra_highlights(self) -> None:
        background = QColor(colours(self.palette()).highlight_background)
        selections: list[QTextEdit.ExtraSelection] = []
        document = self.document()
        for first, last in self._ranges:
            start, end = first, last
            if self._folded is not None:  # positions in the text as shown
                start, end = self._folded.position(first), self._folded.position(last)
            if start >= self._shown_chars:
                break
            end = min(end, self._shown_chars)
            if end <= start:
                continue
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(background)
            cursor = QTextCursor(document)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
        self.setExtraSelections(selections)

    def line_number_width(self) -> int:
        """Width of the line-number gutter in pixels."""
        if not self._line_numbers:
            return 0
        digits = max(2, len(str(max(1, self.blockCount()))))
        return 10 + self.fontMetrics().horizontalAdvance("9") * digits

    def _bar_height(self) -> int:
        return self._bar.sizeHint().height() if self.is_truncated() else 0

    def _update_margins(self, _count: int = 0) -> None:
        self.setViewportMargins(self.line_number_width(), self._bar_height(), 0, 0)
        self._place_children()

    def _place_children(self) -> None:
        rect = self.contentsRect()
        bar_height = self._bar_height()
        width = self.viewport().geometry().right() + 1 - rect.left()  # not over the scroll bar
        self._bar.setGeometry(QRect(rect.left(), rect.top(), width, bar_height))
        self._line_area.setGeometry(
            QRect(
                rect.left(),
                rect.top() + bar_height,
                self.line_number_width(),
                rect.height() - bar_height,
            )
        )

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if not self._line_numbers:
            return
        if dy:
            self._line_area.scroll(0, dy)
        else:
            self._line_area.update(0, rect.y(), self._line_area.width(), rect.height())

    def paint_line_numbers(self, event: QPaintEvent) -> None:
        """Paint the visible line numbers into the gutter."""
        painter = QPainter(self._line_area)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.AlternateBase))
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        width = self._line_area.width() - 5
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                painter.drawText(
                    0, top, width, height, Qt.AlignmentFlag.AlignRight, str(block.blockNumber() + 1)
                )
            block = block.next()
            top = bottom
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_children()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._highlighter.set_paused(False)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self._highlighter.set_paused(True)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._highlighter.set_dark(is_dark(self.palette()))
            self._apply_extra_highlights()
        elif event.type() == QEvent.Type.FontChange:
            self._update_margins()


@functools.lru_cache(maxsize=4)
def pretty_json(text: str) -> str | None:
    """``text`` re-indented with two spaces when it parses as JSON, else ``None``.

    Cached: a response, a history record or a "Show all" of a preview body may ask for the same
    text again. Views of the live preview use :func:`pretty_json_head` instead: indenting a
    1 MB body whole takes tens of milliseconds (``json`` has no C encoder with an indent).
    """
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return None


@dataclass(frozen=True, slots=True)
class PrettyJson:
    """JSON text re-indented with two spaces, or only the part of it a :class:`CodeView` shows.

    Attributes:
        text: The indented text; when not ``complete``, its beginning: whole lines, more than a
            view with the default limits shows (see :func:`pretty_json_head`).
        complete: True when ``text`` is all of it.
        source: The JSON text that was indented.
    """

    text: str
    complete: bool
    source: str

    def whole(self) -> str:
        """All of the indented text (indents the rest of a long text now)."""
        if self.complete:
            return self.text
        return pretty_json(self.source) or self.source


def _indented_head(text: str, chars: int, long_line_chars: int) -> PrettyJson | None:
    """The indented ``text`` until its lines, cut as a view cuts them, are over ``chars`` long."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    parts: list[str] = []
    size = 0
    target = chars
    try:
        for chunk in encoder.iterencode(value):
            parts.append(chunk)
            size += len(chunk)
            if size <= target or "\n" not in chunk:
                continue
            joined = "".join(parts)
            head = joined[: joined.rfind("\n") + 1]  # whole lines only
            shown = len(FoldedText(head, long_line_chars).text)
            if shown > chars:
                return PrettyJson(head, complete=False, source=text)
            # Long lines are shown cut: go on until enough is shown.
            parts = [joined]
            target = size + chars - shown + 1
    except RecursionError:
        return None
    return PrettyJson("".join(parts), complete=True, source=text)


_PRETTY_HEADS_MAX = 12
"""The most texts :func:`pretty_json_head` keeps (the oldest go first)."""


class _PrettyHeads:
    """The cache of :func:`pretty_json_head`: the bodies of the preview on screen, and newer.

    The preview worker fills it (another thread: a lock guards the entries) and the views read
    it. :func:`keep_pretty_json_heads` drops every entry but the bodies of the preview just
    delivered, so it never holds old bodies: with 1 MB bodies, each entry keeps megabytes (the
    body, and its indented beginning with its very long lines), and a cache with room for a
    few old ones made typing look like a leak.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, PrettyJson | None] = {}

    def get(self, text: str) -> PrettyJson | None:
        with self._lock:
            if text in self._entries:
                return self._entries[text]
        found = _indented_head(text, LARGE_TEXT_CHARS, LONG_LINE_CHARS)
        with self._lock:
            self._entries[text] = found
            while len(self._entries) > _PRETTY_HEADS_MAX:  # without a controller to prune it
                del self._entries[next(iter(self._entries))]
        return found

    def keep(self, texts: Iterable[str]) -> None:
        wanted = dict.fromkeys(texts)
        with self._lock:
            self._entries = {k: v for k, v in self._entries.items() if k in wanted}


_HEADS = _PrettyHeads()


def pretty_json_head(text: str) -> PrettyJson | None:
    """What a :class:`CodeView` shows of ``text`` re-indented, when it parses as JSON.

    A view shows at most :data:`LARGE_TEXT_CHARS` characters, and lines over
    :data:`LONG_LINE_CHARS` cut. Indenting stops at the first line break after that much
    (counted as shown), so a 1 MB body costs about a fifth of indenting it whole; "Show all"
    indents the rest (:meth:`PrettyJson.whole`). The beginning is exactly that of the whole
    text, so the view shows the same either way.

    Cached until :func:`keep_pretty_json_heads` says the text is no longer needed: the preview
    worker fills the cache for the bodies of a new preview, so the preview pane and the Message
    types tab find them ready on the UI thread.
    """
    return _HEADS.get(text)


def keep_pretty_json_heads(texts: Iterable[str]) -> None:
    """Forget the cached :func:`pretty_json_head` of every text but ``texts``.

    The preview controller calls it with the bodies of each preview it delivers.
    """
    _HEADS.keep(texts)
