"""Tooltips over the text: the token under the mouse, long values cut."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from uptrends_studio.gui.editor.tooltips import MAX_TOOLTIP_VALUE
from uptrends_studio.gui.template_editor import TemplateEditor


def hover(editor: TemplateEditor, offset: int) -> None:
    """Ask for the tooltip over the character at Python offset ``offset``."""
    rect = editor.cursorRect(editor.offsets.cursor(offset))
    pos = rect.center()
    pos.setX(rect.x() + editor.fontMetrics().horizontalAdvance("x") // 2)
    event = QHelpEvent(QEvent.Type.ToolTip, pos, editor.viewport().mapToGlobal(pos))
    QApplication.sendEvent(editor.viewport(), event)


def test_hovering_a_token_shows_its_description_and_value(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    editor.set_text("say {{@alert.type}} now")
    hover(editor, 8)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "The alert type" in QToolTip.text()
    assert "<code>Error</code>" in QToolTip.text()
    hover(editor, 1)  # plain text: no tooltip
    qtbot.waitUntil(lambda: not QToolTip.isVisible())


def test_long_values_are_cut_with_an_ellipsis(editor: TemplateEditor) -> None:
    editor.set_text("{{Long}}")
    tip = editor.tooltip_text(3)
    assert f"<code>{'x' * MAX_TOOLTIP_VALUE}</code>\u2026" in tip
    assert "x" * (MAX_TOOLTIP_VALUE + 1) not in tip


def test_an_empty_value_and_an_unknown_name_are_said_so(editor: TemplateEditor) -> None:
    editor.set_text("{{Unset}} {{@nope}}")
    unset = editor.tooltip_text(3)
    assert "Not set in the sample" in unset
    assert "Value: <i>(empty)</i>" in unset
    assert "Not a known variable or function" in editor.tooltip_text(13)
