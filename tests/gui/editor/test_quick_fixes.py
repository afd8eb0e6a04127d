"""Quick fixes from the keyboard (Ctrl+.) and the context menu's editing entries."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from tests.gui.editor.helpers import CTRL, key_click
from uptrends_studio.core.checks.diagnostics import Diagnostic, Fix, Severity
from uptrends_studio.gui.editor.quick_fixes import NO_FIXES
from uptrends_studio.gui.template_editor import TemplateEditor


def popup_menu(qtbot: QtBot) -> QMenu:
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def test_ctrl_period_pops_up_the_fixes_at_the_cursor(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text('{"a": {{@x}}}')
    fix = Fix("Wrap in @JsonEncode", 6, 12, '"{{@JsonEncode({{@x}})}}"')
    editor.set_diagnostics([Diagnostic(Severity.ERROR, "c", "m", start=6, end=12, fixes=(fix,))])
    editor.goto_offset(8)
    key_click(qtbot, editor, Qt.Key.Key_Period, CTRL)
    menu = popup_menu(qtbot)
    assert [action.text() for action in menu.actions()] == [fix.title]
    menu.actions()[0].trigger()
    menu.close()
    assert editor.text() == '{"a": "{{@JsonEncode({{@x}})}}"}'
    assert editor.hasFocus()


def test_the_first_fix_is_preselected_and_enter_applies_it(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    editor.set_text('{"a": {{@x}}}')
    first = Fix("Wrap in @JsonEncode", 6, 12, '"{{@JsonEncode({{@x}})}}"')
    second = Fix("Quote it", 6, 12, '"{{@x}}"')
    editor.set_diagnostics(
        [Diagnostic(Severity.ERROR, "c", "m", start=6, end=12, fixes=(first, second))]
    )
    editor.goto_offset(8)
    key_click(qtbot, editor, Qt.Key.Key_Period, CTRL)
    menu = popup_menu(qtbot)
    active = menu.activeAction()
    assert active is not None
    assert active.text() == first.title
    key_click(qtbot, menu, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(lambda: editor.text() == '{"a": "{{@JsonEncode({{@x}})}}"}')


def test_ctrl_period_without_fixes_says_so(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("plain")
    key_click(qtbot, editor, Qt.Key.Key_Period, CTRL)
    menu = popup_menu(qtbot)
    assert [(a.text(), a.isEnabled()) for a in menu.actions()] == [(NO_FIXES, False)]
    menu.close()
    assert editor.text() == "plain"


def test_context_menu_find_and_replace_open_the_bar(editor: TemplateEditor, qtbot: QtBot) -> None:
    menu = editor.create_context_menu(0)
    qtbot.addWidget(menu)
    actions = {action.text(): action for action in menu.actions()}
    actions["Replace\u2026"].trigger()
    assert editor.find_bar.isVisible()
    assert editor.find_bar.replace_visible()
    actions["Find\u2026"].trigger()
    assert not editor.find_bar.replace_visible()


def test_one_line_editors_offer_no_find_or_format(qtbot: QtBot) -> None:
    editor = TemplateEditor(single_line=True)
    qtbot.addWidget(editor)
    menu = editor.create_context_menu(0)
    qtbot.addWidget(menu)
    texts = [action.text() for action in menu.actions()]
    assert not {"Format JSON", "Find\u2026", "Replace\u2026"} & set(texts)
