"""Syntax highlighting of template text: maps the core lexer's kinds to Qt text formats."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextDocument

from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.language.lexer import Kind, highlight_spans
from uptrends_studio.gui.chunked_highlighter import ChunkedHighlighter
from uptrends_studio.gui.refcount_guard import guard_none_refcount
from uptrends_studio.gui.theme import Style, colours_for

WHOLE_DOCUMENT_LIMIT = 100_000
"""Documents up to this many characters are lexed as a whole (right across lines); larger ones
are highlighted line by line, so a keystroke never lexes megabytes on the UI thread."""

LONG_LINE_LIMIT = 100_000
"""A line longer than this (a minified body of megabytes) is left plain: lexing it takes
seconds on the UI thread, each time it is shown or edited."""

FIRST_HIGHLIGHT_LINES = 300
"""Lines of a large document highlighted at once when its text is set (more than a screen)."""

HIGHLIGHT_CHUNK_LINES = 100
"""Lines of a large document highlighted per tick of a zero-interval timer after the first."""

_LATER = -1
"""Block state of a line of a large document not highlighted yet (Qt's initial state)."""

_DONE = 0
"""Block state of a highlighted line of a large document."""

_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


class Utf16Map:
    """Converts between Python string offsets and Qt (UTF-16) positions of one text.

    The core counts code points; ``QTextDocument`` counts UTF-16 units, so a character outside
    the Basic Multilingual Plane (an emoji) is one offset but two positions.
    """

    __slots__ = ("_astral", "_shifted")

    def __init__(self, text: str) -> None:
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL_RE.finditer(text)]
        # UTF-16 position of each astral character.
        self._shifted = [offset + index for index, offset in enumerate(self._astral)]

    def to_utf16(self, offset: int) -> int:
        """The Qt position of Python offset ``offset``."""
        if not self._astral:
            return offset
        return offset + bisect.bisect_left(self._astral, offset)

    def from_utf16(self, position: int) -> int:
        """The Python offset of Qt position ``position`` (inside a surrogate pair: its start)."""
        if not self._astral:
            return position
        return position - bisect.bisect_left(self._shifted, position)


_KIND_INDEX = {kind.value: index for index, kind in enumerate(Kind)}


def _formats(styles: Mapping[str, Style]) -> dict[str, QTextCharFormat]:
    formats: dict[str, QTextCharFormat] = {}
    for kind, (colour, bold, italic) in styles.items():
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(colour))
        if bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        if italic:
            fmt.setFontItalic(True)
        formats[kind] = fmt
    return formats


class TemplateHighlighter(ChunkedHighlighter):
    """Colours Uptrends tokens and the body language (JSON, XML, form, text) of a document.

    The whole document is lexed once per revision by the core's :func:`highlight_spans`, and
    each block takes its formats from those cached spans, so tokens and strings that span
    lines are coloured correctly. The block state records the kinds at the block's end, so Qt
    re-highlights following blocks only while that state changes.

    A document larger than :data:`WHOLE_DOCUMENT_LIMIT` is highlighted line by line, lazily:
    Qt formats every block of a new text synchronously, so only the first
    :data:`FIRST_HIGHLIGHT_LINES` lines are coloured at once and the rest in chunks from a
    zero-interval timer (the window stays responsive while the colours follow).

    Signals: none.
    """

    def __init__(
        self,
        document: QTextDocument,
        *,
        catalogue: Catalogue | None = None,
        content: str = "text",
        dark: bool = False,
    ) -> None:
        super().__init__(
            document, first_lines=FIRST_HIGHLIGHT_LINES, chunk_lines=HIGHLIGHT_CHUNK_LINES
        )
        guard_none_refcount()  # highlighting makes thousands of void calls
        self._catalogue = catalogue if catalogue is not None else load_catalogue()
        self._content = content
        self._predefined: frozenset[str] | None = None
        self._functions: frozenset[str] | None = None
        self._dark = dark
        self._formats = _formats(colours_for(dark).template_syntax)
        self._cache_key: tuple[int, int] | None = None
        self._spans: list[tuple[int, int, str]] = []
        self._starts: list[int] = []
        self._map = Utf16Map("")

    @property
    def content(self) -> str:
        """The body language: ``"json"``, ``"xml"``, ``"form"`` or ``"text"``."""
        return self._content

    @property
    def dark(self) -> bool:
        """True when the dark palette is in use."""
        return self._dark

    def set_content(self, kind: str) -> None:
        """Highlight the body as ``kind`` (a :class:`BodyKind` value)."""
        if kind != self._content:
            self._content = str(kind)
            self._refresh()

    def set_names(self, predefined: Iterable[str] | None, functions: Iterable[str] | None) -> None:
        """Set the integration's own names; others are shown as unknown (``None``: any name)."""
        new_predefined = None if predefined is None else frozenset(predefined)
        new_functions = None if functions is None else frozenset(functions)
        if (new_predefined, new_functions) != (self._predefined, self._functions):
            self._predefined, self._functions = new_predefined, new_functions
            self._refresh()

    def set_dark(self, dark: bool) -> None:
        """Use colours for a dark (or light) background."""
        if dark != self._dark:
            self._dark = dark
            self._formats = _formats(colours_for(dark).template_syntax)
            self.rehighlight()

    def format_for(self, kind: str) -> QTextCharFormat:
        """The format used for a :class:`Kind` (a default format for plain text)."""
        return QTextCharFormat(self._formats.get(kind, QTextCharFormat()))

    def _refresh(self) -> None:
        self._cache_key = None
        self.restart_lazily()
        self.rehighlight()

    def _document_spans(self) -> None:
        document = self.document()
        key = (document.revision(), document.characterCount())
        if key == self._cache_key:
            return
        text = document.toPlainText()
        self._spans = highlight_spans(
            text, self._content, self._catalogue, self._predefined, self._functions
        )
        self._starts = [span[0] for span in self._spans]
        self._map = Utf16Map(text)
        self._cache_key = key

    def _kind_at(self, offset: int) -> int:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0 or offset >= self._spans[index][1]:
            return len(_KIND_INDEX)
        return _KIND_INDEX.get(self._spans[index][2], len(_KIND_INDEX))

    def restart_lazily(self) -> None:
        """Call before a new text is set: a large one is coloured from the top, in chunks."""
        self.reset_chunks()

    def is_finished(self) -> bool:
        """True when no line waits for the chunked highlighting."""
        document = self.document()
        return (
            document is None
            or document.characterCount() <= WHOLE_DOCUMENT_LIMIT
            or self.chunk_limit >= document.blockCount()
        )

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt override)
        document = self.document()
        large = document.characterCount() > WHOLE_DOCUMENT_LIMIT
        if large and self.currentBlock().blockNumber() >= self.chunk_limit:
            self.setCurrentBlockState(_LATER)
            self.start_chunks()
            return
        if len(text) > LONG_LINE_LIMIT:
            self.setCurrentBlockState(_DONE if large else -1)
            return
        if large:
            self._highlight_alone(text)
            return
        self._document_spans()
        utf16 = self._map
        block_position = self.currentBlock().position()
        start = utf16.from_utf16(block_position)
        end = start + len(text)
        formats = self._formats
        index = max(bisect.bisect_right(self._starts, start) - 1, 0)
        for span_start, span_end, kind in self._spans[index:]:
            if span_start >= end:
                break
            fmt = formats.get(kind)
            if fmt is None:
                continue
            lo, hi = max(span_start, start), min(span_end, end)
            if hi > lo:
                lo16 = utf16.to_utf16(lo)
                self.setFormat(lo16 - block_position, utf16.to_utf16(hi) - lo16, fmt)
        # The kinds on either side of the line break: while they differ from the previous
        # pass, Qt goes on re-highlighting the next block (an opened string or token).
        size = len(_KIND_INDEX) + 1
        self.setCurrentBlockState(self._kind_at(end) * size + self._kind_at(end + 1))

    def _highlight_alone(self, text: str) -> None:
        spans = highlight_spans(
            text, self._content, self._catalogue, self._predefined, self._functions
        )
        utf16 = Utf16Map(text)
        for span_start, span_end, kind in spans:
            fmt = self._formats.get(kind)
            if fmt is not None:
                lo16 = utf16.to_utf16(span_start)
                self.setFormat(lo16, utf16.to_utf16(span_end) - lo16, fmt)
        self.setCurrentBlockState(_DONE)
