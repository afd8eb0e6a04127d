"""An author types a JSON body: indentation follows, brackets and quotes close themselves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from uptrends_studio.gui.template_editor import TemplateEditor


def enter(qtbot: QtBot, editor: TemplateEditor) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_enter_after_a_brace_indents_and_puts_the_closing_brace_on_its_own_line(
    qtbot: QtBot, editor: TemplateEditor
) -> None:
    qtbot.keyClicks(editor, "{")
    assert editor.text() == "{}"
    enter(qtbot, editor)
    qtbot.keyClicks(editor, '"a": 1,')
    enter(qtbot, editor)
    qtbot.keyClicks(editor, '"b": [')
    enter(qtbot, editor)
    qtbot.keyClicks(editor, "2")
    assert editor.text() == '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}'


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ('"msg": "{{@alert.type}}"', '"msg": "{{@alert.type}}"'),  # a token: the typist closes it
        ("[1, 2]", "[1, 2]"),  # typing the closing bracket steps over the paired one
        ("f(x)", "f(x)"),
        ("it's", "it's"),
        ('say \\"hi\\"', 'say \\"hi\\"'),  # an escaped quote is not paired
    ],
)
def test_pairs_never_double_what_the_author_types(
    qtbot: QtBot, editor: TemplateEditor, typed: str, text: str
) -> None:
    qtbot.keyClicks(editor, typed)
    assert editor.text().startswith(text)
    assert editor.text() in (text, text + '"')


def test_backspace_inside_an_empty_pair_removes_both(qtbot: QtBot, editor: TemplateEditor) -> None:
    qtbot.keyClicks(editor, "x = [")
    assert editor.text() == "x = []"
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.text() == "x = "


def test_a_pair_is_one_undo_step(qtbot: QtBot, editor: TemplateEditor) -> None:
    qtbot.keyClicks(editor, "(")
    editor.undo()
    assert editor.text() == ""
