"""Editing sample values: the cell delegate, the dialog for long values, the small tables.

Shared by the parts of the sample panel (:mod:`uptrends_studio.gui.samples`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.gui.sample_models import SampleTableModel, dim_color
from uptrends_studio.gui.theme import colours

SECTION_ROWS = (2, 5)
"""Fewest and most rows the tables of the folding sections show without scrolling."""

VISIBLE_BREAKS = {"\r": "\u21b5", "\u2028": "\u21b2", "\u2029": "\u204b"}
"""Characters a plain-text editor would turn into line breaks, and the symbols standing for them
in :class:`ValueEditDialog` (so a CRLF response body keeps its CRs)."""


class ValueEditDialog(QDialog):
    """Edits one long or multi-line value in a plain-text editor.

    The editor would turn a carriage return (and U+2028/U+2029) into a plain line break; those
    are shown as the symbols of :data:`VISIBLE_BREAKS` instead and turned back on OK, so a value
    keeps its exact characters.

    Signals:
        text_accepted(str): OK was pressed after the text was changed.
    """

    text_accepted = Signal(str)

    def __init__(self, title: str, scope: str, value: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("valueEditDialog")
        self._mapped = {k: v for k, v in VISIBLE_BREAKS.items() if k in value}
        shown = value
        for char, symbol in self._mapped.items():
            shown = shown.replace(char, symbol)
        self.editor = QPlainTextEdit(self)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setPlainText(shown)
        self.editor.document().setModified(False)
        self._size = QLabel(self)
        self._size.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self._on_editor_text_changed()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(scope, self))
        layout.addWidget(self.editor, 1)
        if "\r" in self._mapped:
            note = QLabel("\u21b5 marks a carriage return (CR).", self)
            note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(note)
        bottom = QHBoxLayout()
        bottom.addWidget(self._size, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(640, 480)

    def text(self) -> str:
        """The edited value, with the symbols of :data:`VISIBLE_BREAKS` turned back."""
        text = self.editor.toPlainText()
        for char, symbol in self._mapped.items():
            text = text.replace(symbol, char)
        return text

    def accept(self) -> None:
        if self.editor.document().isModified():
            self.text_accepted.emit(self.text())
        super().accept()

    def _on_editor_text_changed(self) -> None:
        document = self.editor.document()
        characters = max(document.characterCount() - 1, 0)
        lines = document.blockCount()
        self._size.setText(f"{characters:,} characters, {lines:,} lines")


class ValueDelegate(QStyledItemDelegate):
    """Edits short values in the cell; asks for a dialog for long ones; hides passwords.

    Signals:
        long_edit_requested(QPersistentModelIndex): a long value should be edited in a dialog.
    """

    long_edit_requested = Signal(QPersistentModelIndex)

    def initStyleOption(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if index.column() == 0:  # names and GUIDs: their ends tell them apart
            option.textElideMode = Qt.TextElideMode.ElideMiddle
        elif not option.text and index.data(SampleTableModel.FULL_VALUE_ROLE) == "":
            # An empty value says so (the model's DisplayRole stays the real, empty, value).
            option.text = "(empty)"
            font = QFont(option.font)
            font.setItalic(True)
            option.font = font
            palette = QPalette(option.palette)
            palette.setColor(QPalette.ColorRole.Text, dim_color())
            option.palette = palette

    def createEditor(  # noqa: N802 - Qt override
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        if index.data(SampleTableModel.LONG_ROLE):
            target = QPersistentModelIndex(index)
            QTimer.singleShot(0, lambda: self.long_edit_requested.emit(target))
            return None  # type: ignore[return-value]  # no in-cell editor: the view stays put
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit) and index.data(SampleTableModel.MASKED_ROLE):
            editor.setEchoMode(QLineEdit.EchoMode.Password)
        return editor


def small_table(model: SampleTableModel, delegate: ValueDelegate, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setItemDelegate(delegate)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setHighlightSections(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    compact_rows(view)

    def fit() -> None:
        rows = min(max(model.rowCount(), SECTION_ROWS[0]), SECTION_ROWS[1])
        header = view.horizontalHeader().sizeHint().height()
        rows_height = rows * view.verticalHeader().defaultSectionSize()
        view.setFixedHeight(header + rows_height + 2 * view.frameWidth())

    model.modelReset.connect(fit)
    model.rowsInserted.connect(fit)
    model.rowsRemoved.connect(fit)
    fit()
    return view


def compact_rows(view: QTableView) -> None:
    height = view.fontMetrics().height() + 6
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(height)


def selected_rows(view: QTableView) -> list[int]:
    """The rows selected in ``view``, else the current row (sorted)."""
    selection = view.selectionModel()
    rows = {index.row() for index in selection.selectedIndexes()} if selection else set()
    if not rows and view.currentIndex().isValid():
        rows.add(view.currentIndex().row())
    return sorted(rows)


class ErrorLabel(QLabel):
    """A hidden, word-wrapped message in the theme's error colour (it follows a theme switch).

    The colour is the palette's text colour, not a style sheet: a style sheet would stop the
    label from taking its parent's palette, so it would miss the switch.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.hide()
        self._apply_colour()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colour()
        super().changeEvent(event)

    def _apply_colour(self) -> None:
        red = QColor(colours(self.palette()).error)
        role = QPalette.ColorRole.WindowText
        if self.palette().color(role) != red:  # setting it is itself a palette change
            palette = self.palette()
            palette.setColor(role, red)
            self.setPalette(palette)
