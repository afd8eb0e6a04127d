"""Typing aids of a multi-line template editor: auto-indent and bracket and quote pairing.

- Enter keeps the line's indentation, one level more after ``{`` or ``[``; between a pair
  (``{|}``) the closing bracket goes to its own line.
- ``{``, ``[``, ``(`` and ``"`` insert their pair when the next character is a space, the end
  of the line or a closing bracket. Tokens are the completer's: typing ``{`` inside ``{|}``
  makes ``{{|`` (the completion closes it), and nothing is paired inside an open token.
- Typing a closing character that is already next steps over it; Backspace inside an empty
  pair removes both.

Each aid is one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

INDENT = "  "
"""One indentation level (the JSON bodies Uptrends shows use two spaces)."""
PAIRS = {"{": "}", "[": "]", "(": ")", '"': '"'}
CLOSERS = frozenset(PAIRS.values())


def _around(cursor: QTextCursor) -> tuple[str, str, str]:
    """The current line's text before the cursor, and the characters before and after it."""
    block = cursor.block().text()
    column = cursor.positionInBlock()
    before = block[:column]
    return before, before[-1:] if before else "", block[column : column + 1]


def handle_key(editor: QPlainTextEdit, event: QKeyEvent) -> bool:
    """Apply a typing aid for ``event``; False when the key is left to the editor."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
        return False
    cursor = editor.textCursor()
    if cursor.hasSelection():
        return False
    before, previous, following = _around(cursor)
    key = event.key()
    if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods == Qt.KeyboardModifier.NoModifier:
        indent = before[: len(before) - len(before.lstrip(" \t"))]
        inner = indent + INDENT if previous in "{[" and previous else indent
        cursor.beginEditBlock()
        cursor.insertText("\n" + inner)
        if previous and following == PAIRS.get(previous):
            position = cursor.position()
            cursor.insertText("\n" + indent)
            cursor.setPosition(position)
        cursor.endEditBlock()
        editor.setTextCursor(cursor)
        return True
    if key == Qt.Key.Key_Backspace and previous in PAIRS and following == PAIRS[previous]:
        cursor.beginEditBlock()
        cursor.deletePreviousChar()
        cursor.deleteChar()
        cursor.endEditBlock()
        editor.setTextCursor(cursor)
        return True
    typed = event.text()
    if len(typed) != 1:
        return False
    if before.count("{{") > before.count("}}"):
        return False  # inside a token: the completer closes it
    if typed == "{" and previous == "{" and following == "}":
        # "{{" starts a token: drop the paired "}" and leave the token to the completer.
        cursor.beginEditBlock()
        cursor.deleteChar()
        cursor.insertText("{")
        cursor.endEditBlock()
        editor.setTextCursor(cursor)
        return True
    if typed in CLOSERS and following == typed:
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        editor.setTextCursor(cursor)
        return True
    if typed in PAIRS and (not following or following.isspace() or following in CLOSERS | {","}):
        if typed == '"' and (previous.isalnum() or previous == "\\"):
            return False  # an apostrophe-like quote or an escaped one: no pair
        cursor.beginEditBlock()
        cursor.insertText(typed + PAIRS[typed])
        cursor.movePosition(QTextCursor.MoveOperation.PreviousCharacter)
        cursor.endEditBlock()
        editor.setTextCursor(cursor)
        return True
    return False
