"""Small layout helpers so a page fits any screen: scroll instead of squeeze, tables with rows.

A page with more fields than a 720-pixel screen (or presentation mode) holds scrolls as a
whole; its controls keep their natural size instead of being squeezed over each other.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

MIN_TABLE_ROWS = 4
"""A table shows at least this many rows (plus its header) before the page scrolls."""


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down only: never narrower than its content, so nothing is cut sideways."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        content = self.widget()
        hint = super().minimumSizeHint()
        if content is None:
            return hint
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return QSize(content.minimumSizeHint().width() + bar + 2, hint.height())


def scrolling_page(owner: QWidget, content: QWidget) -> QScrollArea:
    """Put ``content`` into ``owner`` through a frameless scroll area (vertical only)."""
    scroll = VerticalScrollArea(content)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll)
    return scroll


def keep_rows(view: QAbstractItemView, rows: int = MIN_TABLE_ROWS) -> None:
    """Never shrink ``view`` below ``rows`` rows of its current font (and its header)."""
    line = view.fontMetrics().height() + 8
    header = line + 4
    view.setMinimumHeight(header + rows * line + 2 * view.frameWidth())
