"""Find and replace from the find bar: the selection as search text, Replace, F3."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from tests.gui.editor.helpers import CTRL, key_click, key_clicks, mouse_click
from uptrends_studio.gui.template_editor import TemplateEditor


def select(editor: TemplateEditor, start: int, end: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def test_the_selected_text_becomes_the_search_text(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("alpha beta gamma beta")
    select(editor, 6, 10)
    key_click(qtbot, editor, Qt.Key.Key_F, CTRL)
    assert editor.find_bar.pattern() == "beta"
    assert editor.find_bar.status_label.text() == "2 matches"


def test_a_selection_over_lines_is_not_searched_for(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("one\ntwo")
    select(editor, 0, 7)
    key_click(qtbot, editor, Qt.Key.Key_F, CTRL)
    assert editor.find_bar.isVisible()
    assert editor.find_bar.pattern() == ""


def test_f3_without_a_search_opens_the_bar(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("abc")
    key_click(qtbot, editor, Qt.Key.Key_F3)
    assert editor.find_bar.isVisible()
    assert editor.find_bar.find_edit.hasFocus()
    # The bar takes room below the text instead of covering it.
    assert editor.viewportMargins().bottom() == editor.find_bar.sizeHint().height()


def test_replace_changes_the_current_match_and_moves_to_the_next(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    editor.set_text("cat dog cat dog")
    editor.open_replace()
    bar = editor.find_bar
    key_clicks(qtbot, bar.find_edit, "dog")
    key_clicks(qtbot, bar.replace_edit, "fox")
    assert editor.textCursor().selectedText() == "dog"  # found as you type
    bar.replace_edit.setFocus()
    qtbot.waitUntil(bar.replace_edit.hasFocus)
    key_click(qtbot, bar.replace_edit, Qt.Key.Key_Return)
    assert editor.text() == "cat fox cat dog"
    assert editor.textCursor().selectionStart() == 12  # the next match is selected
    mouse_click(qtbot, bar.replace_button)
    assert editor.text() == "cat fox cat fox"
    assert bar.status_label.text() == "No matches"


def test_replace_leaves_a_selection_that_is_not_a_match(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    editor.set_text("cat dog")
    editor.open_replace()
    key_clicks(qtbot, editor.find_bar.find_edit, "dog")
    key_clicks(qtbot, editor.find_bar.replace_edit, "fox")
    select(editor, 0, 3)  # "cat"
    editor.find_controller.replace_current()
    assert editor.text() == "cat dog"
    assert editor.textCursor().selectedText() == "dog"


def test_closing_the_bar_gives_the_room_and_focus_back(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    editor.open_find()
    key_click(qtbot, editor.find_bar.find_edit, Qt.Key.Key_Escape)
    assert editor.viewportMargins().bottom() == 0
    assert editor.hasFocus()
