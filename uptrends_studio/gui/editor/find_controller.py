"""Searching and replacing in a template editor, driven by its find bar."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit

from uptrends_studio.gui.find_bar import FindBar


class FindController(QObject):
    """Does what the :class:`FindBar` asks in the editor's text: find, replace, count.

    Matches are plain text (optionally case-sensitive); searches wrap around; Replace all is one
    undoable edit. The bar shows the number of matches.

    Signals: none (the bar's signals drive it).
    """

    def __init__(self, editor: QPlainTextEdit, bar: FindBar) -> None:
        super().__init__(editor)
        self._editor = editor
        self._bar = bar
        bar.find_next_requested.connect(self.find_next)
        bar.find_previous_requested.connect(self.find_previous)
        bar.pattern_edited.connect(self._on_bar_pattern_edited)
        bar.replace_requested.connect(self.replace_current)
        bar.replace_all_requested.connect(self.replace_all)

    def open(self, *, replace: bool) -> None:
        """Show the bar, searching for the selected text (if it is on one line)."""
        selected = self._editor.textCursor().selectedText()
        pattern = selected if selected and "\u2029" not in selected else None
        self._bar.open_bar(replace=replace, pattern=pattern)
        self._update_status()

    def find_next(self) -> bool:
        """Select the next match of the bar's text (wrapping); False if there is none."""
        return self._find(backward=False)

    def find_previous(self) -> bool:
        """Select the previous match (wrapping); False if there is none."""
        return self._find(backward=True)

    def replace_current(self) -> None:
        """Replace the selected match (if it is one) and select the next match."""
        if self._selection_matches():
            cursor = self._editor.textCursor()
            cursor.beginEditBlock()
            cursor.insertText(self._bar.replacement())
            cursor.endEditBlock()
            self._editor.setTextCursor(cursor)
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undoable edit; returns how many were replaced."""
        pattern = self._bar.pattern()
        if not pattern:
            return 0
        document = self._editor.document()
        replacement = self._bar.replacement()
        flags = self._flags(backward=False)
        count = 0
        edit = QTextCursor(document)
        edit.beginEditBlock()
        found = document.find(pattern, 0, flags)
        while not found.isNull():
            found.insertText(replacement)
            count += 1
            found = document.find(pattern, found, flags)
        edit.endEditBlock()
        self._update_status()
        if count:
            self._bar.set_status(f"Replaced {count}")
        return count

    def count_matches(self) -> int:
        """How many times the bar's text occurs in the editor's text."""
        pattern = self._bar.pattern()
        if not pattern:
            return 0
        text = self._editor.toPlainText()
        if self._bar.match_case():
            return text.count(pattern)
        return text.casefold().count(pattern.casefold())

    def _flags(self, *, backward: bool) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self._bar.match_case():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _find(self, *, backward: bool, start: QTextCursor | None = None) -> bool:
        pattern = self._bar.pattern()
        if not pattern:
            return False
        editor = self._editor
        document = editor.document()
        flags = self._flags(backward=backward)
        found = document.find(pattern, start or editor.textCursor(), flags)
        if found.isNull():  # wrap around
            edge = QTextCursor(document)
            if backward:
                edge.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(pattern, edge, flags)
        if found.isNull():
            self._update_status()
            return False
        editor.setTextCursor(found)
        editor.ensureCursorVisible()
        self._update_status()
        return True

    def _update_status(self) -> None:
        if not self._bar.pattern():
            self._bar.set_status("")
            return
        count = self.count_matches()
        self._bar.set_status(
            "No matches" if count == 0 else f"{count} match{'es' if count != 1 else ''}",
            failed=count == 0,
        )

    def _selection_matches(self) -> bool:
        selected = self._editor.textCursor().selectedText()
        pattern = self._bar.pattern()
        if not selected or not pattern:
            return False
        if self._bar.match_case():
            return selected == pattern
        return selected.casefold() == pattern.casefold()

    def _on_bar_pattern_edited(self, _pattern: str) -> None:
        # Find as you type: search again from the start of the current match.
        cursor = self._editor.textCursor()
        cursor.setPosition(cursor.selectionStart())
        if not self._find(backward=False, start=cursor):
            self._update_status()
