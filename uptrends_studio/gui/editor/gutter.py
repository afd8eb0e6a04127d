"""The line-number gutter of a template editor, with a mark on lines that have problems."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from uptrends_studio.gui.editor.diagnostics import DiagnosticsOverlay
from uptrends_studio.gui.theme import colours

GUTTER_PADDING = 20
"""Pixels of the gutter besides the digits: severity mark, spacing, and a gap before the text."""
GUTTER_GAP = 5
"""Pixels of editor background between the gutter's edge and the text."""
MARK_WIDTH = 3
"""Pixels of the severity mark at the gutter's left edge."""


class LineNumberGutter(QWidget):
    """Line numbers left of the text (the current line's brighter), and severity marks.

    The editor places it in its left viewport margin (:meth:`width_needed` wide) and tells it
    when the text scrolls (:meth:`follow_update_request`). Each line with diagnostics gets a
    mark in the colour of its worst severity.

    Signals: none.
    """

    def __init__(self, editor: QPlainTextEdit, diagnostics: DiagnosticsOverlay) -> None:
        super().__init__(editor)
        self._editor = editor
        self._diagnostics = diagnostics
        diagnostics.changed.connect(self._on_diagnostics_changed)

    def width_needed(self) -> int:
        """Width for the digits of the last line number (two at least) and the padding."""
        digits = max(len(str(self._editor.blockCount())), 2)
        return GUTTER_PADDING + self._editor.fontMetrics().horizontalAdvance("9") * digits

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.width_needed(), 0)

    def follow_update_request(self, rect: QRect, dy: int) -> None:
        """Scroll or repaint along with the editor's viewport (its ``updateRequest``)."""
        if dy:
            self.scroll(0, dy)
        else:
            self.update(0, rect.y(), self.width(), rect.height())

    def _on_diagnostics_changed(self) -> None:
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        editor = self._editor
        painter = QPainter(self)
        palette = editor.palette()
        area = event.rect()
        edge = self.width() - GUTTER_GAP
        painter.fillRect(area, palette.color(QPalette.ColorRole.Base))
        painter.fillRect(
            QRect(0, area.top(), edge, area.height()),
            palette.color(QPalette.ColorRole.AlternateBase),
        )
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(edge, area.top(), edge, area.bottom())
        worst = self._diagnostics.worst_by_block()
        named = colours(palette)
        current = editor.textCursor().blockNumber()
        number_colour = palette.color(QPalette.ColorRole.PlaceholderText)
        current_colour = palette.color(QPalette.ColorRole.Text)
        line_height = editor.fontMetrics().height()
        block = editor.firstVisibleBlock()
        top = round(editor.blockBoundingGeometry(block).translated(editor.contentOffset()).top())
        while block.isValid() and top <= area.bottom():
            bottom = top + round(editor.blockBoundingRect(block).height())
            number = block.blockNumber()
            if block.isVisible() and bottom >= area.top():
                if number in worst:
                    painter.fillRect(
                        QRect(0, top + 1, MARK_WIDTH, bottom - top - 2),
                        named.severity(worst[number]),
                    )
                painter.setPen(current_colour if number == current else number_colour)
                painter.drawText(
                    QRect(0, top, edge - 6, line_height),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                    str(number + 1),
                )
            block = block.next()
            top = bottom
        painter.end()
