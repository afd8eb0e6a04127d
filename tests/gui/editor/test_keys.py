"""Which keys the editor keeps for itself (they win over the window's shortcuts)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from uptrends_studio.gui.editor.keys import EditorCommand, editor_command

NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
KEYPAD = Qt.KeyboardModifier.KeypadModifier
K = Qt.Key


@pytest.mark.parametrize(
    ("key", "mods", "single_line", "escape_wanted", "expected"),
    [
        (K.Key_Space, CTRL, False, False, EditorCommand.COMPLETE),
        (K.Key_Space, CTRL, True, False, EditorCommand.COMPLETE),
        (K.Key_Period, CTRL, True, False, EditorCommand.QUICK_FIX),
        (K.Key_Period, CTRL | KEYPAD, False, False, EditorCommand.QUICK_FIX),
        (K.Key_Escape, NONE, False, True, EditorCommand.CLOSE_FIND),
        (K.Key_Escape, NONE, False, False, None),  # nothing to close: the dialog may have it
        (K.Key_F3, NONE, False, False, EditorCommand.FIND_AGAIN),
        (K.Key_F3, SHIFT, False, False, EditorCommand.FIND_PREVIOUS),
        (K.Key_F3, NONE, True, False, None),  # one-line editors have no find bar
        (K.Key_F, CTRL, False, False, EditorCommand.FIND),
        (K.Key_H, CTRL, False, False, EditorCommand.REPLACE),
        (K.Key_F, CTRL | SHIFT, False, False, EditorCommand.FORMAT_JSON),
        (K.Key_F, CTRL | SHIFT, True, False, None),
        (K.Key_F, CTRL, True, False, None),
        (K.Key_S, CTRL, False, False, None),  # Save stays the window's
        (K.Key_A, NONE, False, False, None),
    ],
)
def test_editor_command(
    key: Qt.Key,
    mods: Qt.KeyboardModifier,
    single_line: bool,
    escape_wanted: bool,
    expected: EditorCommand | None,
) -> None:
    command = editor_command(key, mods, single_line=single_line, escape_wanted=escape_wanted)
    assert command is expected
