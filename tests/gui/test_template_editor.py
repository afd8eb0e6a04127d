"""The template editor: completion, highlighting, diagnostics, quick fixes, find and format."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QTextCharFormat
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.gui.editor.helpers import key_click, key_clicks
from uptrends_studio.core.checks.diagnostics import Diagnostic, Fix, Severity
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.language.lexer import Kind
from uptrends_studio.gui.editor.context import CompletionItem
from uptrends_studio.gui.template_editor import TemplateEditor

# The offscreen platform cannot raise the completion popup or let it grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def mouse_click(qtbot: QtBot, widget: QWidget, button: Qt.MouseButton) -> None:
    click: Callable[[QWidget, Qt.MouseButton], None] = qtbot.mouseClick
    click(widget, button)


class FakeContext:
    """Completions and descriptions from the catalogue plus one predefined variable."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def completion_items(self) -> list[CompletionItem]:
        items = [
            CompletionItem(v.name + "}}", v.name, "system variable", v.description, v.example)
            for v in self.catalogue.variables
            if "(" not in v.name
        ]
        items += [
            CompletionItem(
                f.name + ("(" if f.args else "}}"), f.name, "function", f.description, ""
            )
            for f in self.catalogue.functions
        ]
        items.append(
            CompletionItem("ApiUrl}}", "ApiUrl", "predefined variable", "Base URL", "https://x")
        )
        return items

    def describe_token(self, name: str) -> tuple[str, str] | None:
        if name == "ApiUrl":
            return "Base URL", "https://api.example.com"
        variable = self.catalogue.variable(name)
        if variable is not None:
            return variable.description, variable.example
        function = self.catalogue.function(name)
        return None if function is None else (function.description, "")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def editor(qtbot: QtBot, catalogue: Catalogue) -> TemplateEditor:
    widget = TemplateEditor(FakeContext(catalogue), catalogue=catalogue)
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def underlines(editor: TemplateEditor) -> list[tuple[int, int, QColor]]:
    return [
        (s.cursor.selectionStart(), s.cursor.selectionEnd(), s.format.underlineColor())
        for s in editor.extraSelections()
        if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    ]


def format_at(editor: TemplateEditor, block_number: int, column: int) -> QTextCharFormat:
    block = editor.document().findBlockByNumber(block_number)
    for fmt_range in block.layout().formats():
        if fmt_range.start <= column < fmt_range.start + fmt_range.length:
            return QTextCharFormat(fmt_range.format)
    return QTextCharFormat()


# -- completion --------------------------------------------------------------------------------


def test_typing_braces_at_opens_completion_and_accepting_inserts_the_token(
    editor: TemplateEditor, qtbot: QtBot, catalogue: Catalogue
) -> None:
    alert_type = catalogue.variable("@alert.type")
    assert alert_type is not None
    key_clicks(qtbot, editor, "{{@al")
    popup = editor.completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    model = editor.completer.completionModel()
    labels = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert "@alert.type" in labels
    assert "ApiUrl" not in labels  # filtered by what was typed
    row = labels.index("@alert.type")
    # The popup shows the description and the sample value next to the name.
    assert model.index(row, 1).data() == alert_type.description
    assert model.index(row, 2).data() == alert_type.example
    popup.setCurrentIndex(model.index(row, 0))
    key_click(qtbot, popup, Qt.Key.Key_Return)
    assert editor.text() == "{{@alert.type}}"
    assert not popup.isVisible()


def test_completion_filters_while_typing_and_tab_accepts_without_doubling_braces(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    editor.set_text("x }}")
    editor.goto_offset(2)
    key_clicks(qtbot, editor, "{{Api")
    popup = editor.completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    assert editor.completer.completionCount() == 1
    key_click(qtbot, editor, Qt.Key.Key_Tab)
    assert editor.text() == "x {{ApiUrl}}"


def test_ctrl_space_opens_completion_and_escape_closes_it(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    key_click(qtbot, editor, Qt.Key.Key_Space, CTRL)
    popup = editor.completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    assert editor.text() == "{{"
    key_click(qtbot, editor, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_a_single_brace_does_not_open_completion(editor: TemplateEditor, qtbot: QtBot) -> None:
    key_clicks(qtbot, editor, '{"a": 1}')
    assert not editor.completion_visible()


# -- highlighting ------------------------------------------------------------------------------


def test_known_and_unknown_tokens_get_different_formats(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    editor.set_text("{{@alert.type}} {{@alert.typo}}")
    known = format_at(editor, 0, 3)
    unknown = format_at(editor, 0, 19)
    qtbot.waitUntil(lambda: format_at(editor, 0, 3).foreground().color().isValid())
    assert known.foreground().color() != unknown.foreground().color()
    assert unknown.foreground().color() == editor.highlighter.format_for(Kind.UNKNOWN).foreground()
    assert known.foreground().color() == (
        editor.highlighter.format_for(Kind.SYSTEM_VARIABLE).foreground().color()
    )


def test_a_token_spanning_lines_is_highlighted_on_every_line(editor: TemplateEditor) -> None:
    editor.set_text("{{@JsonEncode(first\nsecond)}}")
    argument = editor.highlighter.format_for(Kind.ARGUMENT)
    assert format_at(editor, 1, 0).fontItalic() == argument.fontItalic() is True
    assert format_at(editor, 1, 0).foreground().color() == argument.foreground().color()


def test_opening_a_call_rehighlights_the_following_lines(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    editor.set_text("a\nsecond)}}")
    assert not format_at(editor, 1, 0).fontItalic()
    editor.goto_offset(1)
    key_clicks(qtbot, editor, "{{@JsonEncode(")
    assert format_at(editor, 1, 0).fontItalic()


def test_names_of_the_integration_decide_what_is_unknown(editor: TemplateEditor) -> None:
    editor.set_text("{{ApiUrl}}")
    predefined = editor.highlighter.format_for(Kind.PREDEFINED_VARIABLE).foreground().color()
    unknown = editor.highlighter.format_for(Kind.UNKNOWN).foreground().color()
    assert format_at(editor, 0, 3).foreground().color() == predefined
    editor.set_names({"Other"}, set())
    assert format_at(editor, 0, 3).foreground().color() == unknown
    editor.set_names({"ApiUrl"}, set())
    assert format_at(editor, 0, 3).foreground().color() == predefined


def test_json_strings_are_coloured_when_the_content_is_json(editor: TemplateEditor) -> None:
    editor.set_text('{"key": "value"}')
    string = editor.highlighter.format_for(Kind.STRING).foreground().color()
    assert format_at(editor, 0, 10).foreground().color() != string
    editor.set_content_kind("json")
    assert format_at(editor, 0, 10).foreground().color() == string


def test_a_dark_palette_switches_to_dark_colours(editor: TemplateEditor) -> None:
    editor.set_text("{{@alert.type}}")
    light = format_at(editor, 0, 3).foreground().color()
    palette = editor.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    editor.setPalette(palette)
    assert editor.highlighter.dark
    assert format_at(editor, 0, 3).foreground().color() != light


# -- diagnostics and quick fixes ---------------------------------------------------------------


def test_diagnostics_are_wavy_underlines_at_exactly_their_span(editor: TemplateEditor) -> None:
    editor.set_text('{"a": "{{@alert.typo}}", "b": 1}')
    editor.set_diagnostics(
        [
            Diagnostic(Severity.ERROR, "unknown-variable", "unknown", start=9, end=20),
            Diagnostic(Severity.WARNING, "w", "warn", start=1, end=4),
            Diagnostic(Severity.NOTE, "n", "note", start=30, end=30),
        ]
    )
    found = {(start, end): colour for start, end, colour in underlines(editor)}
    assert set(found) == {(9, 20), (1, 4), (30, 31)}  # a zero-length span: one character
    assert found[(9, 20)].red() > 150 > found[(9, 20)].blue()  # errors are red
    assert found[(30, 31)].blue() > found[(30, 31)].red()  # notes are blue
    assert len({c.name() for c in found.values()}) == 3
    editor.set_diagnostics([])
    assert underlines(editor) == []


def test_underlines_follow_edits_before_them(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("ab {{@x}}")
    editor.set_diagnostics([Diagnostic(Severity.ERROR, "c", "m", start=3, end=9)])
    editor.goto_offset(0)
    key_clicks(qtbot, editor, "zz")
    assert [(s, e) for s, e, _ in underlines(editor)] == [(5, 11)]


def test_spans_count_characters_not_utf16_units(editor: TemplateEditor) -> None:
    editor.set_text("\U0001f600 {{@x}}")
    editor.set_diagnostics([Diagnostic(Severity.ERROR, "c", "m", start=2, end=8)])
    assert editor.underline_spans() == [(2, 8, Severity.ERROR)]
    assert [(s, e) for s, e, _ in underlines(editor)] == [(3, 9)]  # Qt positions


def test_quick_fix_from_the_context_menu_is_one_undo_step(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    text = '{"d": "{{@alert.descripton}}"}'
    editor.set_text(text)
    start = text.index("@alert")
    fix = Fix("Change to '@alert.description'", start, start + 17, "@alert.description")
    editor.set_diagnostics(
        [
            Diagnostic(
                Severity.ERROR,
                "unknown-variable",
                "unknown",
                start=start,
                end=start + 17,
                fixes=(fix,),
            )
        ]
    )
    menu = editor.create_context_menu(start + 3)
    qtbot.addWidget(menu)
    actions = {action.text(): action for action in menu.actions()}
    assert "Format JSON" in actions
    with qtbot.waitSignal(editor.text_edited) as edited:
        actions[fix.title].trigger()
    assert editor.text() == '{"d": "{{@alert.description}}"}'
    assert edited.args == [editor.text()]
    assert editor.fixes_at(start + 3) == []  # the text changed: the old fixes no longer apply
    key_click(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == text


def test_quick_fix_menu_lists_only_fixes_at_the_position(editor: TemplateEditor) -> None:
    editor.set_text("{{@a}} {{@b}}")
    editor.set_diagnostics(
        [
            Diagnostic(Severity.ERROR, "c", "m", start=0, end=6, fixes=(Fix("A", 0, 6, "x"),)),
            Diagnostic(Severity.ERROR, "c", "m", start=7, end=13, fixes=(Fix("B", 7, 13, "y"),)),
        ]
    )
    assert [f.title for f in editor.fixes_at(8)] == ["B"]
    menu = editor.quick_fix_menu(3)
    assert [a.text() for a in menu.actions()] == ["A"]
    assert [a.isEnabled() for a in editor.quick_fix_menu(6).actions()] == [True]
    empty = editor.quick_fix_menu(100)
    assert [a.isEnabled() for a in empty.actions()] == [False]


# -- tooltips ----------------------------------------------------------------------------------


def test_tooltip_shows_description_value_and_diagnostics(
    editor: TemplateEditor, catalogue: Catalogue
) -> None:
    alert_type = catalogue.variable("@alert.type")
    assert alert_type is not None
    text = "{{@JsonEncode({{@alert.type}})}} {{ApiUrl}}"
    editor.set_text(text)
    inner = text.index("@alert.type")
    tip = editor.tooltip_text(inner + 2)
    assert "@alert.type" in tip
    assert alert_type.description in tip
    assert f"<code>{alert_type.example}</code>" in tip
    assert "@JsonEncode" not in tip  # the innermost token is described
    outer = editor.tooltip_text(3)
    assert "@JsonEncode" in outer
    editor.set_diagnostics(
        [Diagnostic(Severity.WARNING, "case-mismatch", "spelled differently", start=33, end=43)]
    )
    api = editor.tooltip_text(36)
    assert "https://api.example.com" in api
    assert "spelled differently" in api
    assert "Warning" in api
    assert editor.tooltip_text(32) == ""


def test_tooltip_of_an_unknown_name_says_so(editor: TemplateEditor) -> None:
    editor.set_text("{{@nope}}")
    assert "Not a known variable or function" in editor.tooltip_text(4)


# -- find and replace, format ------------------------------------------------------------------


def test_replace_all_replaces_every_match_and_undoes_in_one_step(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    text = "{{@alert.type}} and {{@ALERT.type}} and {{@alert.timestamp}}"
    editor.set_text(text)
    key_click(qtbot, editor, Qt.Key.Key_H, CTRL)
    bar = editor.find_bar
    assert bar.isVisible()
    assert bar.replace_visible()
    key_clicks(qtbot, bar.find_edit, "@alert.")
    key_clicks(qtbot, bar.replace_edit, "@monitor.")
    assert bar.status_label.text() == "3 matches"
    mouse_click(qtbot, bar.replace_all_button, Qt.MouseButton.LeftButton)
    assert editor.text() == "{{@monitor.type}} and {{@monitor.type}} and {{@monitor.timestamp}}"
    key_click(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == text


def test_match_case_restricts_replace_all(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("Type type TYPE")
    editor.open_replace()
    bar = editor.find_bar
    bar.match_case_box.setChecked(True)
    key_clicks(qtbot, bar.find_edit, "type")
    key_clicks(qtbot, bar.replace_edit, "kind")
    assert editor.replace_all() == 1
    assert editor.text() == "Type kind TYPE"


def test_find_next_previous_and_escape(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("ab ab ab")
    key_click(qtbot, editor, Qt.Key.Key_F, CTRL)
    bar = editor.find_bar
    assert bar.isVisible()
    assert not bar.replace_visible()
    key_clicks(qtbot, bar.find_edit, "ab")
    assert editor.textCursor().selectionStart() == 0  # found as you type
    key_click(qtbot, bar.find_edit, Qt.Key.Key_Return)
    assert editor.textCursor().selectionStart() == 3
    key_click(qtbot, editor, Qt.Key.Key_F3)
    assert editor.textCursor().selectionStart() == 6
    key_click(qtbot, editor, Qt.Key.Key_F3)
    assert editor.textCursor().selectionStart() == 0  # wraps around
    key_click(qtbot, editor, Qt.Key.Key_F3, SHIFT)
    assert editor.textCursor().selectionStart() == 6
    key_click(qtbot, bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert editor.text() == "ab ab ab"  # no key reached the text behind the bar


def test_enter_in_the_find_field_never_edits_the_text(editor: TemplateEditor, qtbot: QtBot) -> None:
    editor.set_text("x")
    editor.open_find()
    key_clicks(qtbot, editor.find_bar.find_edit, "nothing")
    assert editor.find_bar.status_label.text() == "No matches"
    key_click(qtbot, editor.find_bar.find_edit, Qt.Key.Key_Return)
    assert editor.text() == "x"


def test_format_json_keeps_tokens_and_is_one_undo_step(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    text = '{"t":"{{@alert.type}}","n":{{@alert.numberOfConsecutiveErrors}},"a":[1,2]}'
    editor.set_text(text)
    key_click(qtbot, editor, Qt.Key.Key_F, CTRL | SHIFT)
    formatted = editor.text()
    assert formatted == (
        "{\n"
        '  "t": "{{@alert.type}}",\n'
        '  "n": {{@alert.numberOfConsecutiveErrors}},\n'
        '  "a": [\n    1,\n    2\n  ]\n'
        "}"
    )
    rendered = formatted.replace("{{@alert.type}}", "Error").replace(
        "{{@alert.numberOfConsecutiveErrors}}", "3"
    )
    assert json.loads(rendered) == {"t": "Error", "n": 3, "a": [1, 2]}
    key_click(qtbot, editor, Qt.Key.Key_Z, CTRL)
    assert editor.text() == text


# -- text, signals, navigation -----------------------------------------------------------------


def test_text_edited_is_emitted_for_typing_but_not_for_set_text(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    seen: list[str] = []
    editor.text_edited.connect(seen.append)
    editor.set_text("abc")
    assert seen == []
    assert not editor.document().isUndoAvailable()
    editor.goto_offset(3)
    key_clicks(qtbot, editor, "d")
    assert seen == ["abcd"]
    editor.highlighter.rehighlight()  # formats only: not an edit
    assert seen == ["abcd"]


def test_goto_moves_the_cursor_to_line_and_column(editor: TemplateEditor) -> None:
    editor.set_text("first\nsecond line\nthird")
    editor.goto(2, 8)
    cursor = editor.textCursor()
    assert (cursor.blockNumber(), cursor.positionInBlock()) == (1, 7)
    assert editor.cursor_offset() == 13
    editor.goto(99, 99)
    assert editor.cursor_offset() == len(editor.text())


def test_gutter_shows_line_numbers(editor: TemplateEditor) -> None:
    editor.set_text("\n".join(str(n) for n in range(150)))
    assert editor.viewportMargins().left() == editor.line_number_area_width() > 0


def test_single_line_editor_stays_one_line(qtbot: QtBot, catalogue: Catalogue) -> None:
    editor = TemplateEditor(FakeContext(catalogue), single_line=True, catalogue=catalogue)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.viewportMargins().left() == 0  # no gutter
    assert editor.height() < 3 * editor.fontMetrics().height()
    key_clicks(qtbot, editor, "{{ApiUrl}}/x")
    with qtbot.waitSignal(editor.submitted):
        key_click(qtbot, editor, Qt.Key.Key_Return)
    key_click(qtbot, editor, Qt.Key.Key_Enter, SHIFT)
    assert editor.text() == "{{ApiUrl}}/x"
    assert editor.document().blockCount() == 1
    data = QMimeData()
    data.setText("a\nb\r\n")
    editor.insertFromMimeData(data)
    assert editor.text() == "{{ApiUrl}}/xa b"
    assert editor.document().blockCount() == 1


def test_editor_without_context_still_highlights_and_has_no_completions(
    qtbot: QtBot, catalogue: Catalogue
) -> None:
    editor = TemplateEditor(catalogue=catalogue)
    qtbot.addWidget(editor)
    editor.set_text("{{@alert.type}}")
    assert editor.tooltip_text(4) == "<qt><b>@alert.type</b></qt>"
    editor.open_completion()
    assert not editor.completion_visible()


def test_a_large_body_is_highlighted_without_crashing(editor: TemplateEditor, qtbot: QtBot) -> None:
    # Tens of thousands of setFormat calls: with PySide6 6.12 on Python 3.11 this used to
    # free None and abort the interpreter (see guard_none_refcount).
    item = {"name": "{{@monitor.name}}", "notes": "{{@JsonEncode({{@monitor.notes}})}}", "n": 1}
    body = json.dumps([dict(item, i=i) for i in range(1200)], indent=2)
    assert len(body) > 90_000
    editor.set_content_kind("json")
    editor.set_text(body)
    qtbot.waitUntil(editor.highlighter.is_finished)  # large: the colours follow in chunks
    lines = body.split("\n")
    last = max(n for n, line in enumerate(lines) if "@monitor.name" in line)
    column = lines[last].index("@monitor.name")
    system = editor.highlighter.format_for(Kind.SYSTEM_VARIABLE).foreground().color()
    assert format_at(editor, last, column).foreground().color() == system
    key_clicks(qtbot, editor, "x")
    assert editor.text().startswith("x[")


def test_a_line_of_megabytes_is_left_plain_and_shorter_lines_stay_highlighted(
    editor: TemplateEditor,
) -> None:
    from uptrends_studio.gui.highlighter import LONG_LINE_LIMIT

    minified = json.dumps([{"name": "{{@monitor.name}}", "i": i} for i in range(20_000)])
    assert len(minified) > LONG_LINE_LIMIT
    editor.set_content_kind("json")
    started = time.monotonic()
    editor.set_text("{{@monitor.name}}\n" + minified)
    assert time.monotonic() - started < 10  # lexing it took seconds more, on every show
    system = editor.highlighter.format_for(Kind.SYSTEM_VARIABLE).foreground().color()
    assert format_at(editor, 0, 2).foreground().color() == system
    assert editor.document().findBlockByNumber(1).layout().formats() == []


def test_ten_megabytes_over_many_lines_are_set_at_once_and_coloured_in_chunks(
    editor: TemplateEditor, qtbot: QtBot
) -> None:
    line = '  {"name": "{{@monitor.name}}", "filler": "' + "x" * 1000 + '"},'
    body = "[\n" + "\n".join([line] * 10_000) + "\n]"
    assert len(body) > 10_000_000
    editor.set_content_kind("json")
    started = time.monotonic()
    editor.set_text(body)
    blocked = time.monotonic() - started
    system = editor.highlighter.format_for(Kind.SYSTEM_VARIABLE).foreground().color()
    column = line.index("@monitor.name")
    assert format_at(editor, 1, column).foreground().color() == system  # the first screen
    assert not editor.highlighter.is_finished()
    # Every line coloured at once took seconds (2.3 s of a 10 MB file's opening).
    assert blocked < 2, blocked
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(0)
    qtbot.waitUntil(editor.highlighter.is_finished, timeout=60_000)
    timer.stop()
    assert len(ticks) > 5  # the event loop turned while the colours followed
    assert format_at(editor, 10_000, column).foreground().color() == system
