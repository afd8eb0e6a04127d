"""Diagnostics of the editor: what is at a position, and fixes that go stale after edits."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.gui.editor.helpers import key_clicks
from uptrends_studio.core.checks.diagnostics import Diagnostic, Fix, Severity
from uptrends_studio.gui.template_editor import TemplateEditor


def error(start: int, end: int, *fixes: Fix) -> Diagnostic:
    return Diagnostic(Severity.ERROR, "code", "message", start=start, end=end, fixes=fixes)


def test_a_diagnostic_is_found_on_its_span_and_just_after_it(editor: TemplateEditor) -> None:
    editor.set_text("ab {{@x}} cd")
    editor.set_diagnostics([error(3, 9)])
    overlay = editor.diagnostics_overlay
    assert overlay.diagnostics_at(2) == []
    assert [len(overlay.diagnostics_at(n)) for n in (3, 8, 9)] == [1, 1, 1]
    assert overlay.diagnostics_at(10) == []


def test_fixes_go_stale_on_typing_but_underlines_stay(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("{{@x}} end")
    fix = Fix("Fix it", 0, 6, "{{@y}}")
    editor.set_diagnostics([error(0, 6, fix)])
    assert editor.fixes_at(2) == [fix]
    editor.goto_offset(10)
    key_clicks(qtbot, editor, "!")
    assert editor.fixes_at(2) == []
    assert editor.underline_spans() == [(0, 6, Severity.ERROR)]
    editor.set_diagnostics([error(0, 6, fix)])  # fresh diagnostics for the new text
    assert editor.fixes_at(2) == [fix]


def test_the_same_fix_of_two_diagnostics_is_offered_once(editor: TemplateEditor) -> None:
    editor.set_text("{{@x}}")
    fix = Fix("Fix it", 0, 6, "{{@y}}")
    editor.set_diagnostics([error(0, 6, fix), error(2, 5, fix)])
    assert editor.fixes_at(3) == [fix]


def test_setting_text_clears_the_diagnostics(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("abc")
    editor.set_diagnostics([error(0, 1)])
    with qtbot.waitSignal(editor.diagnostics_overlay.changed):
        editor.set_text("new")
    assert editor.diagnostics() == []
    assert editor.underline_spans() == []


def test_worst_severity_per_line(editor: TemplateEditor) -> None:
    editor.set_text("one\ntwo\nthree")
    editor.set_diagnostics(
        [
            Diagnostic(Severity.NOTE, "n", "m", start=4, end=5),
            Diagnostic(Severity.ERROR, "e", "m", start=5, end=6),
            Diagnostic(Severity.WARNING, "w", "m", start=8, end=9),
        ]
    )
    assert editor.diagnostics_overlay.worst_by_block() == {1: Severity.ERROR, 2: Severity.WARNING}
