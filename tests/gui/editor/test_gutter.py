"""The line-number gutter: its width follows the line count, lines with problems are marked."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.gui.template_editor import TemplateEditor
from uptrends_studio.gui.theme import LIGHT


def mark_colour(editor: TemplateEditor, line: int) -> QColor:
    """The colour at the gutter's left edge, halfway down line ``line`` (0-based)."""
    block = editor.document().findBlockByNumber(line)
    rect = editor.blockBoundingGeometry(block).translated(editor.contentOffset())
    image = editor.gutter.grab().toImage()
    return image.pixelColor(1, int(rect.center().y()))


def test_the_gutter_widens_for_three_digit_line_numbers(editor: TemplateEditor) -> None:
    editor.set_text("\n" * 98)  # 99 lines
    narrow = editor.line_number_area_width()
    editor.set_text("\n" * 99)  # 100 lines
    wide = editor.line_number_area_width()
    assert wide - narrow == editor.fontMetrics().horizontalAdvance("9")
    assert editor.viewportMargins().left() == wide
    assert editor.gutter.width() == wide


def test_lines_with_problems_get_a_mark_in_the_worst_severity(editor: TemplateEditor) -> None:
    editor.set_text("one\ntwo\nthree")
    editor.set_diagnostics(
        [
            Diagnostic(Severity.NOTE, "n", "m", start=4, end=5),
            Diagnostic(Severity.ERROR, "e", "m", start=5, end=6),
            Diagnostic(Severity.WARNING, "w", "m", start=8, end=9),
        ]
    )
    plain = editor.palette().color(QPalette.ColorRole.AlternateBase)
    assert mark_colour(editor, 0) == plain
    assert mark_colour(editor, 1) == LIGHT.severity(Severity.ERROR)
    assert mark_colour(editor, 2) == LIGHT.severity(Severity.WARNING)
    editor.set_diagnostics([])
    assert mark_colour(editor, 1) == plain
