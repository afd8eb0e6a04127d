"""Completion of token names after ``{{`` in a template editor."""

from __future__ import annotations

import re
from typing import cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QPalette, QStandardItem, QStandardItemModel, QTextCursor
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QHeaderView, QPlainTextEdit, QTreeView

from uptrends_studio.gui.editor.context import EditorContext

INSERT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Completion model role holding :attr:`CompletionItem.text`."""

MAX_VISIBLE_ITEMS = 12
"""Rows of the popup before it scrolls."""

_PREFIX_RE = re.compile(r"\{\{([^\s{}()]*)$")
_POPUP_KEYS = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown})


class TemplateCompleter(QCompleter):
    """A popup of names (with description and current value) for the name typed after ``{{``.

    Typing ``{{`` or ``{{@`` opens it, typing filters it, Enter or Tab inserts the chosen name,
    Escape closes it. The names come from an :class:`EditorContext`; without one there is
    nothing to complete.

    Signals: those of ``QCompleter``; ``activated(str)`` carries the text to insert.
    """

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(QStandardItemModel(0, 3, editor), editor)
        self._editor = editor
        self._context: EditorContext | None = None
        self.setWidget(editor)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionRole(INSERT_ROLE)
        self.setMaxVisibleItems(MAX_VISIBLE_ITEMS)
        view = QTreeView()
        view.setRootIsDecorated(False)
        view.setHeaderHidden(True)
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setPopup(view)
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._view = view
        # The str overload of activated carries the completion role: the text to insert.
        self.activated.connect(self.insert)

    def set_context(self, context: EditorContext | None) -> None:
        """Where the names come from (``None``: completion is off)."""
        self._context = context

    def typed_prefix(self) -> str | None:
        """The name typed after ``{{`` up to the cursor, or ``None`` if not completing a name."""
        cursor = self._editor.textCursor()
        before = cursor.block().text()[: cursor.positionInBlock()]
        match = _PREFIX_RE.search(before)
        return None if match is None else match.group(1)

    def is_open(self) -> bool:
        """True while the popup is shown."""
        return self._view.isVisible()

    def open(self) -> None:
        """Show the popup for the name at the cursor (inserting ``{{`` if needed)."""
        if self._context is None:
            return
        if self.typed_prefix() is None:
            self._editor.textCursor().insertText("{{")
        if not self.is_open():
            self._fill()
        self._refresh()

    def handle_popup_key(self, event: QKeyEvent) -> bool:
        """Handle a key pressed in the editor while the popup is open; True if it was used."""
        if not self.is_open():
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            index = self._view.currentIndex()
            if index.isValid():
                self._insert_index(index)
            else:
                self._view.hide()
            return True
        if key == Qt.Key.Key_Escape:
            self._view.hide()
            return True
        if key in _POPUP_KEYS:
            self._view.event(event)
            return True
        return False

    def after_typing(self, typed: str) -> None:
        """Open, filter or close the popup after the user typed ``typed`` (or deleted)."""
        if self.is_open():
            self._refresh()
            return
        prefix = self.typed_prefix()
        if prefix is None or not typed:
            return
        if (typed.endswith("{") and prefix == "") or (typed.endswith("@") and prefix == "@"):
            self._fill()
            self._refresh()

    def insert(self, text: str) -> None:
        """Replace the name typed after ``{{`` with ``text`` (one undoable edit)."""
        prefix = self.typed_prefix() or ""
        cursor = self._editor.textCursor()
        cursor.beginEditBlock()
        cursor.movePosition(
            QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(prefix)
        )
        cursor.insertText(text)
        if text.endswith("}}"):
            after = QTextCursor(cursor)
            after.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, 2)
            if after.selectedText() == "}}":  # the token was already closed
                after.removeSelectedText()
        cursor.endEditBlock()
        self._editor.setTextCursor(cursor)
        self._view.hide()

    def _insert_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        text = index.data(INSERT_ROLE)
        if isinstance(text, str):
            self.insert(text)

    def _fill(self) -> None:
        model = cast(QStandardItemModel, self.model())
        model.removeRows(0, model.rowCount())
        items = self._context.completion_items() if self._context else []
        dim = self._editor.palette().color(QPalette.ColorRole.PlaceholderText)
        for item in items:
            label = QStandardItem(item.label)
            label.setToolTip(f"{item.kind}: {item.description}" if item.kind else item.description)
            description = QStandardItem(item.description)
            value = QStandardItem(" ".join(item.value.split())[:120])
            value.setForeground(dim)
            for cell in (label, description, value):
                cell.setData(item.text, INSERT_ROLE)
                cell.setEditable(False)
            model.appendRow([label, description, value])

    def _refresh(self) -> None:
        prefix = self.typed_prefix()
        if prefix is None:
            self._view.hide()
            return
        self.setCompletionPrefix(prefix)
        if self.completionCount() == 0:
            self._view.hide()
            return
        self._view.setCurrentIndex(self.completionModel().index(0, 0))
        editor = self._editor
        rect = editor.cursorRect()
        rect.translate(editor.viewport().pos())
        width = min(max(editor.viewport().width(), 420), 760)
        rect.setWidth(width)
        self._view.setColumnWidth(0, int(width * 0.34))
        self._view.setColumnWidth(1, int(width * 0.44))
        self._view.setColumnWidth(2, int(width * 0.22) - 4)
        self.complete(rect)
