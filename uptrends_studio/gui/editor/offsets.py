"""Python string offsets <-> Qt positions of an editor's document.

The core counts code points; ``QTextDocument`` counts UTF-16 units, so a character outside the
Basic Multilingual Plane (an emoji) is one offset but two positions. Every part of the editor
that turns core spans into cursors goes through one :class:`TextOffsets`.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument

from uptrends_studio.gui.highlighter import Utf16Map


class TextOffsets:
    """Converts offsets of one document's current text, cached per document revision."""

    def __init__(self, document: QTextDocument) -> None:
        self._document = document
        self._key: tuple[int, int] | None = None
        self._map = Utf16Map("")

    def _current(self) -> Utf16Map:
        document = self._document
        key = (document.revision(), document.characterCount())
        if key != self._key:
            self._map = Utf16Map(document.toPlainText())
            self._key = key
        return self._map

    def to_position(self, offset: int) -> int:
        """The Qt position of Python offset ``offset``."""
        return self._current().to_utf16(offset)

    def to_offset(self, position: int) -> int:
        """The Python offset of Qt position ``position``."""
        return self._current().from_utf16(position)

    def cursor(self, start: int, end: int | None = None) -> QTextCursor:
        """A cursor selecting Python offsets ``[start, end)`` (clamped to the text)."""
        last = max(self._document.characterCount() - 1, 0)
        cursor = QTextCursor(self._document)
        cursor.setPosition(min(max(self.to_position(start), 0), last))
        if end is not None:
            cursor.setPosition(
                min(max(self.to_position(end), 0), last), QTextCursor.MoveMode.KeepAnchor
            )
        return cursor

    def replace(self, start: int, end: int, replacement: str) -> QTextCursor:
        """Replace Python offsets ``[start, end)`` as one undoable edit; the cursor after it."""
        cursor = self.cursor(start, end)
        cursor.beginEditBlock()
        cursor.insertText(replacement)
        cursor.endEditBlock()
        return cursor
