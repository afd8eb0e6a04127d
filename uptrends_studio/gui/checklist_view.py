"""Tools → Copy to Uptrends: every field to type into the Uptrends screens, with Copy buttons.

Uptrends cannot import a custom integration, so the user recreates it by hand.
:class:`ChecklistView` lists :func:`~uptrends_studio.core.exports.checklist.checklist` section by
section; each Copy button puts its value on the clipboard and stays ticked ("Copied ✓") so the
user sees what is done. Secret values are shown masked and cannot be copied: the Studio never
hands out a secret through the clipboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.exports.checklist import (
    ChecklistItem,
    ChecklistSection,
    checklist,
    checklist_text,
)
from uptrends_studio.core.secrets import secret_values
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.theme import colours

COPY_TEXT = "Copy"
COPIED_TEXT = "Copied ✓"
SECRET_TOOLTIP = (
    "Secret values are never put on the clipboard: type the real value in Uptrends yourself."
)
EMPTY_TOOLTIP = "Nothing to copy: leave this field empty in Uptrends."
BODY_LINES = 6
"""A multi-line value (a body) shows this many lines until "Show all" is clicked."""
BODY_MAX_LINES = 40
"""Height limit of an expanded multi-line value, in lines (it scrolls beyond)."""
REFRESH_DEBOUNCE_MS = 300
"""Delay between an edit of the document and the checklist dialog following it."""

TickKey = tuple[str, str, str]
"""What identifies an item across refreshes: (section title, label, value)."""


@dataclass(slots=True)
class _Row:
    section: str
    item: ChecklistItem
    button: QPushButton
    value: QWidget

    @property
    def key(self) -> TickKey:
        return (self.section, self.item.label, self.item.value)


def _copyable(item: ChecklistItem) -> bool:
    return not item.secret and item.value != ""


def _muted(label: QLabel) -> QLabel:
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setWordWrap(True)
    return label


class _BodyBox(QWidget):
    """A read-only multi-line value: a few lines, with a toggle to show all of it."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit(text)
        self.edit.setReadOnly(True)
        self.edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._lines = text.count("\n") + 1
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setText(f"Show all {self._lines} lines")
        self.toggle.setVisible(self._lines > BODY_LINES)
        self.toggle.toggled.connect(self._on_toggle_toggled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.edit)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        self._set_lines(min(self._lines, BODY_LINES))

    def _set_lines(self, lines: int) -> None:
        metrics = self.edit.fontMetrics()
        frame = 2 * self.edit.frameWidth() + round(2 * self.edit.document().documentMargin()) + 2
        scroll = self.edit.horizontalScrollBar().sizeHint().height()
        self.edit.setFixedHeight(metrics.lineSpacing() * lines + frame + scroll)

    def _on_toggle_toggled(self, checked: bool) -> None:
        self._set_lines(min(self._lines, BODY_MAX_LINES) if checked else BODY_LINES)
        self.toggle.setText("Show less" if checked else f"Show all {self._lines} lines")


class ChecklistView(QWidget):
    """The checklist of an integration: sections, fields, values and Copy buttons.

    Signals:
        item_copied(str): the value of the field with this label was put on the clipboard.
        ticks_changed(int): the number of ticked (copied) fields changed.
    """

    item_copied = Signal(str)
    ticks_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sections: list[ChecklistSection] = []
        self._rows: list[_Row] = []
        self._ticked: set[TickKey] = set()
        self._title = ""
        self._line_height = QLineEdit().sizeHint().height()

        self.progress_label = QLabel()
        self.reset_button = QPushButton("Reset ticks")
        self.reset_button.setToolTip("Clear every “Copied ✓” tick")
        self.copy_all_button = QPushButton("Copy all as text")
        self.copy_all_button.setToolTip(
            "The whole checklist as numbered text (secrets stay masked), e.g. for a ticket"
        )
        top = QHBoxLayout()
        top.addWidget(self.progress_label, 1)
        top.addWidget(self.copy_all_button)
        top.addWidget(self.reset_button)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.StyledPanel)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.scroll_area, 1)

        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.copy_all_button.clicked.connect(self._on_copy_all_button_clicked)
        self._update_progress()

    # -- public API -----------------------------------------------------------------------------

    def set_integration(self, integration: Integration, secrets: Sequence[str]) -> None:
        """Show the checklist of ``integration``, masking ``secrets``.

        Ticks stay on items whose section, label and value did not change; an unchanged
        checklist is not rebuilt (the scroll position stays).
        """
        self._title = integration.name
        sections = checklist(integration, secrets)
        if sections == self._sections:
            return
        self._sections = sections
        keys = {(s.title, i.label, i.value) for s in sections for i in s.items}
        self._ticked &= keys
        self._rebuild()

    def sections(self) -> list[ChecklistSection]:
        """The sections shown, in order."""
        return list(self._sections)

    def items(self) -> list[ChecklistItem]:
        """Every field shown, in order (all sections)."""
        return [row.item for row in self._rows]

    def copy_buttons(self) -> list[QPushButton]:
        """The Copy button of each field, in the order of :meth:`items`."""
        return [row.button for row in self._rows]

    def value_widget(self, index: int) -> QWidget:
        """The widget showing the value of field ``index`` (a line or a multi-line box)."""
        return self._rows[index].value

    def index_of(self, label: str, section: str | None = None) -> int:
        """The index of the first field called ``label`` (in ``section`` when given).

        Raises:
            KeyError: no such field.
        """
        for index, row in enumerate(self._rows):
            if row.item.label == label and section in (None, row.section):
                return index
        raise KeyError(f"no checklist field {label!r}" + (f" in {section!r}" if section else ""))

    def is_ticked(self, index: int) -> bool:
        """True when field ``index`` was copied (and the ticks not reset since)."""
        return self._rows[index].key in self._ticked

    def tick_count(self) -> int:
        """How many fields are ticked."""
        return len(self._ticked)

    def copy_item(self, index: int) -> None:
        """Put the value of field ``index`` on the clipboard and tick it (not for secrets)."""
        row = self._rows[index]
        if not _copyable(row.item):
            return
        QGuiApplication.clipboard().setText(row.item.value)
        self._ticked.add(row.key)
        self._style_button(row)
        self._update_progress()
        self.item_copied.emit(row.item.label)
        self.ticks_changed.emit(len(self._ticked))

    def reset_ticks(self) -> None:
        """Clear every tick."""
        self._ticked.clear()
        for row in self._rows:
            self._style_button(row)
        self._update_progress()
        self.ticks_changed.emit(0)

    # -- internals ------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        bar = self.scroll_area.verticalScrollBar()
        position = bar.value()
        content = QWidget()
        # Window behind the rows, so the value fields (Base) stand out in both themes.
        content.setAutoFillBackground(True)
        content.setBackgroundRole(QPalette.ColorRole.Window)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 8, 12, 12)
        self._rows = []
        for number, section in enumerate(self._sections, start=1):
            layout.addWidget(self._section_widget(number, section))
        layout.addStretch(1)
        self.scroll_area.setWidget(content)  # deletes the previous rows
        self._update_progress()
        # With the bar as context: the call is dropped if the view is gone by then.
        QTimer.singleShot(0, bar, lambda: bar.setValue(min(position, bar.maximum())))

    def _section_widget(self, number: int, section: ChecklistSection) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 10, 0, 4)
        layout.setSpacing(4)
        heading = QLabel(f"{number}. {section.title}")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        heading.setObjectName("checklistHeading")
        layout.addWidget(heading)
        if section.note:
            layout.addWidget(_muted(QLabel(section.note)))
        grid = QGridLayout()
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        for position, item in enumerate(section.items):
            self._add_row(grid, position, section.title, item)
        layout.addLayout(grid)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addSpacing(4)
        layout.addWidget(line)
        return box

    def _add_row(self, grid: QGridLayout, position: int, section: str, item: ChecklistItem) -> None:
        value_widget = self._value_widget(item)
        label = QLabel(item.label)
        label.setWordWrap(True)
        label.setMinimumWidth(150)
        label.setMaximumWidth(220)
        # Level with the text of a one-line value field next to it.
        label.setMinimumHeight(self._line_height)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        value_column = QWidget()
        value_layout = QVBoxLayout(value_column)
        value_layout.setContentsMargins(0, 0, 0, 0)
        value_layout.setSpacing(2)
        value_layout.addWidget(value_widget)
        if item.note:
            note = _muted(QLabel(item.note))
            note.setObjectName("checklistNote")
            value_layout.addWidget(note)
        button = QPushButton(COPY_TEXT)
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        width = max(button.sizeHint().width(), button.fontMetrics().horizontalAdvance(COPIED_TEXT))
        button.setFixedWidth(width + 24)
        row = _Row(section, item, button, value_widget)
        index = len(self._rows)
        self._rows.append(row)
        button.clicked.connect(lambda _=False, i=index: self.copy_item(i))
        self._style_button(row)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(label, position, 0, top)
        grid.addWidget(value_column, position, 1, top)
        grid.addWidget(button, position, 2, top)

    def _value_widget(self, item: ChecklistItem) -> QWidget:
        if "\n" in item.value or "\r" in item.value:
            return _BodyBox(item.value)
        line = QLineEdit(item.value)
        line.setReadOnly(True)
        line.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        line.setCursorPosition(0)
        if item.value == "":
            line.setPlaceholderText("(leave empty)")
        return line

    def _style_button(self, row: _Row) -> None:
        button = row.button
        if row.item.secret:
            button.setEnabled(False)
            button.setToolTip(SECRET_TOOLTIP)
            button.setText(COPY_TEXT)
            return
        if row.item.value == "":
            button.setEnabled(False)
            button.setToolTip(EMPTY_TOOLTIP)
            button.setText(COPY_TEXT)
            return
        ticked = row.key in self._ticked
        button.setText(COPIED_TEXT if ticked else COPY_TEXT)
        colour = colours(self.palette()).ok
        button.setStyleSheet(
            f"QPushButton {{ color: {colour}; font-weight: 600; }}" if ticked else ""
        )
        button.setToolTip(
            "Copied: click to copy again" if ticked else f"Copy the {row.item.label} value"
        )

    def _update_progress(self) -> None:
        total = sum(1 for row in self._rows if _copyable(row.item))
        done = sum(1 for row in self._rows if row.key in self._ticked)
        secret = sum(1 for row in self._rows if row.item.secret)
        text = f"{done} of {total} values copied"
        if secret:
            text += f" · {secret} secret field{'s' if secret != 1 else ''} to type yourself"
        self.progress_label.setText(text)
        self.reset_button.setEnabled(bool(self._ticked))

    def _on_reset_button_clicked(self) -> None:
        self.reset_ticks()

    def _on_copy_all_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(checklist_text(self._sections, self._title))
        self.item_copied.emit("")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            for row in self._rows:
                self._style_button(row)


class ChecklistDialog(QDialog):
    """A non-modal window with the checklist of the open integration, following its edits.

    Signals:
        None of its own (see :class:`ChecklistView`).
    """

    def __init__(
        self,
        document: IntegrationDocument,
        samples: SampleState,
        parent: QWidget | None = None,
        *,
        debounce_ms: int = REFRESH_DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.resize(820, 760)
        self._document = document
        self._samples = samples
        intro = QLabel(
            "Uptrends cannot import a custom integration: fill in these fields on the Uptrends "
            "screens, in this order. Copy puts a value on the clipboard and ticks it."
        )
        intro.setWordWrap(True)
        self.view = ChecklistView()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.refresh)
        document.changed.connect(self._on_source_changed)
        samples.changed.connect(self._on_source_changed)
        self.refresh()

    def refresh(self) -> None:
        """Show the checklist of the document as it is now."""
        self._timer.stop()
        integration = self._document.integration
        self.setWindowTitle(f"Copy to Uptrends — {integration.name}")
        self.view.set_integration(integration, secret_values(integration, self._samples.sample))

    def _on_source_changed(self) -> None:
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()
