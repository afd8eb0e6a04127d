"""The keys a template editor handles itself, so they win over application shortcuts."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt


class EditorCommand(Enum):
    """What an editor key does."""

    COMPLETE = "complete"
    QUICK_FIX = "quick fix"
    CLOSE_FIND = "close find"
    FIND_AGAIN = "find again"
    FIND_PREVIOUS = "find previous"
    FORMAT_JSON = "format json"
    FIND = "find"
    REPLACE = "replace"


_CTRL = Qt.KeyboardModifier.ControlModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier


def editor_command(
    key: int,
    modifiers: Qt.KeyboardModifier,
    *,
    single_line: bool,
    escape_wanted: bool,
) -> EditorCommand | None:
    """The command of a key press, or ``None`` for keys the editor leaves to others.

    Args:
        key: the ``Qt.Key`` pressed.
        modifiers: its modifiers (the keypad modifier is ignored).
        single_line: a one-line editor has no find bar and no formatting.
        escape_wanted: Escape has something to close (the completion popup or the find bar).
    """
    mods = modifiers & ~Qt.KeyboardModifier.KeypadModifier
    if key == Qt.Key.Key_Space and mods == _CTRL:
        return EditorCommand.COMPLETE
    if key == Qt.Key.Key_Period and mods == _CTRL:
        return EditorCommand.QUICK_FIX
    if key == Qt.Key.Key_Escape:
        return EditorCommand.CLOSE_FIND if escape_wanted else None
    if single_line:
        return None
    if key == Qt.Key.Key_F3:
        return EditorCommand.FIND_PREVIOUS if mods & _SHIFT else EditorCommand.FIND_AGAIN
    if key == Qt.Key.Key_F and mods == _CTRL | _SHIFT:
        return EditorCommand.FORMAT_JSON
    if key == Qt.Key.Key_F and mods == _CTRL:
        return EditorCommand.FIND
    if key == Qt.Key.Key_H and mods == _CTRL:
        return EditorCommand.REPLACE
    return None
