"""The find/replace bar shown at the bottom of a :class:`TemplateEditor`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from uptrends_studio.gui.theme import colours


class FindBar(QWidget):
    """Find and replace fields with their buttons; the editor does the searching.

    Enter finds the next match (Shift+Enter the previous one), F3/Shift+F3 do the same, Escape
    closes the bar. In the replace field, Enter replaces the current match.

    Signals:
        find_next_requested(): the user asked for the next match.
        find_previous_requested(): the user asked for the previous match.
        pattern_edited(str): the search text changed (find as you type).
        replace_requested(): replace the current match and find the next one.
        replace_all_requested(): replace every match.
        closed(): the bar was closed.
    """

    find_next_requested = Signal()
    find_previous_requested = Signal()
    pattern_edited = Signal(str)
    replace_requested = Signal()
    replace_all_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.setAutoFillBackground(True)
        self._failed = False
        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText("Find")
        self.find_edit.setClearButtonEnabled(True)
        self.replace_edit = QLineEdit(self)
        self.replace_edit.setPlaceholderText("Replace with")
        self.match_case_box = QCheckBox("Match case", self)
        self.status_label = QLabel(self)
        self.status_label.setMinimumWidth(90)
        previous_button = QPushButton("Previous", self)
        previous_button.setToolTip("Previous match (Shift+F3)")
        next_button = QPushButton("Next", self)
        next_button.setToolTip("Next match (F3)")
        self.replace_button = QPushButton("Replace", self)
        self.replace_all_button = QPushButton("Replace all", self)
        close_button = QToolButton(self)
        close_button.setText("\u2715")
        close_button.setAutoRaise(True)
        close_button.setToolTip("Close (Esc)")
        for button in (previous_button, next_button, self.replace_button, self.replace_all_button):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(4)
        layout.addWidget(self.find_edit, 0, 0)
        layout.addWidget(previous_button, 0, 1)
        layout.addWidget(next_button, 0, 2)
        layout.addWidget(self.match_case_box, 0, 3)
        layout.addWidget(self.status_label, 0, 4)
        layout.addWidget(close_button, 0, 5)
        layout.addWidget(self.replace_edit, 1, 0)
        layout.addWidget(self.replace_button, 1, 1)
        layout.addWidget(self.replace_all_button, 1, 2)
        layout.setColumnStretch(0, 1)
        self._replace_row = (self.replace_edit, self.replace_button, self.replace_all_button)

        self.find_edit.textEdited.connect(self.pattern_edited)
        self.match_case_box.toggled.connect(self._on_match_case_box_toggled)
        previous_button.clicked.connect(self.find_previous_requested)
        next_button.clicked.connect(self.find_next_requested)
        self.replace_button.clicked.connect(self.replace_requested)
        self.replace_all_button.clicked.connect(self.replace_all_requested)
        close_button.clicked.connect(self.close_bar)

    def pattern(self) -> str:
        """The text searched for."""
        return self.find_edit.text()

    def replacement(self) -> str:
        """The replacement text."""
        return self.replace_edit.text()

    def match_case(self) -> bool:
        """True if the search is case-sensitive."""
        return self.match_case_box.isChecked()

    def replace_visible(self) -> bool:
        """True when the replace row is shown."""
        return not self.replace_edit.isHidden()

    def open_bar(self, *, replace: bool, pattern: str | None = None) -> None:
        """Show the bar (with or without the replace row) and focus the search field."""
        for widget in self._replace_row:
            widget.setVisible(replace)
        if pattern:
            self.find_edit.setText(pattern)
        self.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and emit ``closed``."""
        self.hide()
        self.closed.emit()

    def set_status(self, text: str, *, failed: bool = False) -> None:
        """Show a match count or "No matches"; ``failed`` marks the search field."""
        self.status_label.setText(text)
        self._failed = failed
        self._style_find_edit()

    def search_failed(self) -> bool:
        """True while the search field is marked: nothing matches."""
        return self._failed

    def _style_find_edit(self) -> None:
        background = colours(self.palette()).error_background
        self.find_edit.setStyleSheet(
            f"QLineEdit {{ background-color: {background}; }}" if self._failed else ""
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_find_edit()

    def _on_match_case_box_toggled(self, _checked: bool) -> None:
        self.pattern_edited.emit(self.pattern())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.replace_edit.hasFocus():
                self.replace_requested.emit()
            elif shift:
                self.find_previous_requested.emit()
            else:
                self.find_next_requested.emit()
        elif key == Qt.Key.Key_Escape:
            self.close_bar()
        elif key == Qt.Key.Key_F3:
            (self.find_previous_requested if shift else self.find_next_requested).emit()
        elif event.matches(QKeySequence.StandardKey.Replace) or (
            key == Qt.Key.Key_H and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            self.open_bar(replace=True)
        elif event.matches(QKeySequence.StandardKey.Find):
            self.open_bar(replace=self.replace_visible())
        # Every other key stops here: it must never reach the editor behind the bar.
        event.accept()
