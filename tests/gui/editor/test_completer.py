"""The completion popup: opening, filtering, moving through it, closing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.editor.helpers import LONG_VALUE, key_click, key_clicks
from uptrends_studio.gui.template_editor import TemplateEditor

# The offscreen platform cannot raise the completion popup or let it grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


def shown_labels(editor: TemplateEditor) -> list[str]:
    model = editor.completer.completionModel()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_braces_open_every_name_and_typing_filters(editor: TemplateEditor, qtbot: QtBot) -> None:
    key_clicks(qtbot, editor, "{{")
    qtbot.waitUntil(editor.completion_visible)
    assert shown_labels(editor) == ["@alert.type", "@alert.timestamp", "@JsonEncode", "Long"]
    key_clicks(qtbot, editor, "@alert.t")
    assert shown_labels(editor) == ["@alert.type", "@alert.timestamp"]


def test_arrow_keys_choose_the_entry_enter_inserts(editor: TemplateEditor, qtbot: QtBot) -> None:
    key_clicks(qtbot, editor, "{{@alert.t")
    qtbot.waitUntil(editor.completion_visible)
    key_click(qtbot, editor, Qt.Key.Key_Down)
    key_click(qtbot, editor, Qt.Key.Key_Return)
    assert editor.text() == "{{@alert.timestamp}}"
    assert not editor.completion_visible()


def test_deleting_the_braces_closes_the_popup(editor: TemplateEditor, qtbot: QtBot) -> None:
    key_clicks(qtbot, editor, "{{@")
    qtbot.waitUntil(editor.completion_visible)
    for _ in range(3):
        key_click(qtbot, editor, Qt.Key.Key_Backspace)
    assert editor.text() == ""
    assert not editor.completion_visible()


def test_a_name_nothing_matches_closes_the_popup(editor: TemplateEditor, qtbot: QtBot) -> None:
    key_clicks(qtbot, editor, "{{")
    qtbot.waitUntil(editor.completion_visible)
    key_clicks(qtbot, editor, "zzz")
    assert not editor.completion_visible()
    assert editor.text() == "{{zzz"


def test_a_function_is_inserted_open_for_its_argument(editor: TemplateEditor, qtbot: QtBot) -> None:
    key_clicks(qtbot, editor, "{{@Json")
    qtbot.waitUntil(editor.completion_visible)
    key_click(qtbot, editor, Qt.Key.Key_Tab)
    assert editor.text() == "{{@JsonEncode("


def test_long_values_are_cut_in_the_popup(editor: TemplateEditor, qtbot: QtBot) -> None:
    key_clicks(qtbot, editor, "{{Lo")
    qtbot.waitUntil(editor.completion_visible)
    model = editor.completer.completionModel()
    value = model.index(0, 2).data()
    assert value == LONG_VALUE[:120]
