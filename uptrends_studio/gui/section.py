"""A titled section whose body folds away behind an arrow button (sample panel, Test tab)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget


class FoldingSection(QWidget):
    """A titled section whose body folds away behind an arrow button.

    Signals:
        expanded_changed(bool): the section was opened or closed.
    """

    expanded_changed = Signal(bool)

    def __init__(
        self, title: str, body: QWidget, parent: QWidget | None = None, *, expanded: bool = False
    ) -> None:
        super().__init__(parent)
        self._expanded = expanded
        self.toggle = QToolButton(self)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # Bold through the font: a style sheet would freeze the colours when the theme changes.
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle)
        layout.addWidget(body)
        self.toggle.clicked.connect(self._on_toggle_clicked)
        self.set_title(title)
        self._show()

    def set_title(self, title: str) -> None:
        """Change the text on the arrow button."""
        self.toggle.setText(title)

    def set_expanded(self, expanded: bool) -> None:
        """Open or fold the body."""
        if expanded != self._expanded:
            self._expanded = expanded
            self._show()
            self.expanded_changed.emit(expanded)

    def is_expanded(self) -> bool:
        """Whether the body is shown."""
        return self._expanded

    def _on_toggle_clicked(self) -> None:
        self.set_expanded(not self._expanded)

    def _show(self) -> None:
        arrow = Qt.ArrowType.DownArrow if self._expanded else Qt.ArrowType.RightArrow
        self.toggle.setArrowType(arrow)
        self.body.setVisible(self._expanded)
