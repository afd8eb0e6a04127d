"""The system-variable values of the sample: for all alert types or one, filtered, editable."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.document import sample_edit as se
from uptrends_studio.core.document.model import ALERT_TYPES
from uptrends_studio.gui.sample_models import SampleTableModel, SampleValuesModel
from uptrends_studio.gui.samples.value_editing import ErrorLabel, ValueDelegate, compact_rows

WIDE_TABLE = 560
"""Viewport width from which the values table shows its Description column."""


class SampleValuesSection(QWidget):
    """The sample values: "Values for" (all types or one), a filter, the table, details, errors.

    Signals:
        edit_requested(QPersistentModelIndex): edit this value of :attr:`model` in a dialog.
    """

    edit_requested = Signal(QPersistentModelIndex)

    def __init__(self, model: SampleValuesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._build_values_for_row())
        layout.addWidget(self._build_values_table(), 1)
        self.value_details = QLabel(self)
        self.value_details.setObjectName("valueDetails")
        self.value_details.setWordWrap(True)
        self.value_details.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.value_details.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.value_details)
        self.value_error = ErrorLabel(self)
        layout.addWidget(self.value_error)
        self.values_view.selectionModel().currentRowChanged.connect(self.update_value_details)

    # -- building ------------------------------------------------------------------------------

    def _build_values_for_row(self) -> QHBoxLayout:
        self.values_for = QComboBox(self)
        self.values_for.setObjectName("valuesFor")
        self.values_for.addItem("All types", None)
        for alert_type in ALERT_TYPES:
            self.values_for.addItem(alert_type.value, alert_type)
        self.values_for.setToolTip(
            "Edit the values every alert type uses, or one type's own values"
        )
        self.values_for.currentIndexChanged.connect(self._on_values_for_current_index_changed)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter variables")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter_edit_text_changed)

        row = QHBoxLayout()
        label = QLabel("Values for:", self)
        label.setBuddy(self.values_for)
        row.addWidget(label)
        row.addWidget(self.values_for)
        row.addWidget(self.filter_edit, 1)
        return row

    def _build_values_table(self) -> QTableView:
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self.model)
        self._proxy.setFilterKeyColumn(SampleValuesModel.VARIABLE)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        view = QTableView(self)
        view.setObjectName("sampleValues")
        view.setModel(self._proxy)
        delegate = ValueDelegate(self)
        delegate.long_edit_requested.connect(self._on_delegate_long_edit_requested)
        view.setItemDelegate(delegate)
        view.verticalHeader().hide()
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.setColumnWidth(SampleValuesModel.VARIABLE, 180)
        view.setColumnWidth(SampleValuesModel.VALUE, 200)
        view.viewport().installEventFilter(self)
        compact_rows(view)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_values_view_context_menu_requested)
        self.values_view = view

        self.edit_action = QAction("Edit in a window…", view)
        self.edit_action.triggered.connect(self._on_edit_action_triggered)
        self.reset_action = QAction("Reset to default", view)
        self.reset_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.reset_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.reset_action.triggered.connect(self._on_reset_action_triggered)
        self.copy_action = QAction("Copy value", view)
        self.copy_action.triggered.connect(self._on_copy_action_triggered)
        view.addAction(self.reset_action)
        return view

    # -- errors --------------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """Say why an edit was refused (under the table)."""
        self.value_error.setText(message)
        self.value_error.show()

    def hide_error(self) -> None:
        """An edit went through: the last refusal no longer applies."""
        self.value_error.hide()

    # -- the table -----------------------------------------------------------------------------

    def _on_values_for_current_index_changed(self, index: int) -> None:
        self.model.set_alert_type(self.values_for.itemData(index))
        self.update_value_details()

    def _on_filter_edit_text_changed(self, text: str) -> None:
        self._proxy.setFilterFixedString(text.strip())

    def _current_value_row(self) -> int:
        index = self.values_view.currentIndex()
        if not index.isValid():
            return -1
        return self._proxy.mapToSource(index).row()

    def _on_values_view_context_menu_requested(self, pos: QPoint) -> None:
        index = self.values_view.indexAt(pos)
        if not index.isValid():
            return
        self.values_view.setCurrentIndex(index)
        self._update_value_actions()
        menu = QMenu(self)
        menu.addAction(self.edit_action)
        menu.addAction(self.reset_action)
        menu.addSeparator()
        menu.addAction(self.copy_action)
        viewport = self.values_view.viewport()
        menu.exec(viewport.mapToGlobal(pos))

    def _update_value_actions(self) -> None:
        row = self._current_value_row()
        valid = row >= 0
        self.edit_action.setEnabled(valid)
        self.copy_action.setEnabled(valid)
        self.reset_action.setEnabled(valid and self.model.can_reset(row))
        if valid:
            self.reset_action.setText(self.model.reset_label(row))

    def update_value_details(self) -> None:
        """Explain the current value under the table: what it is, where it comes from."""
        self._update_value_actions()
        row = self._current_value_row()
        if row < 0:
            self.value_details.setText("Double-click a value to change it.")
            return
        resolved = self.model.resolved(row)
        variable = resolved.variable
        alert_type = self.model.alert_type
        if resolved.source is se.ValueSource.COMPUTED:
            origin = f"Computed from {variable.derived_from}."
        elif resolved.source is se.ValueSource.DEFAULT:
            origin = "Not set by this sample: the catalogue's default."
        elif resolved.source is se.ValueSource.TYPE and alert_type is not None:
            origin = f"Set for {alert_type.value} only."
        else:
            origin = "Set for all alert types."
        self.value_details.setText(f"{variable.name}: {variable.description} {origin}")

    def _on_reset_action_triggered(self) -> None:
        row = self._current_value_row()
        if row >= 0:
            self.model.reset(row)

    def _on_edit_action_triggered(self) -> None:
        row = self._current_value_row()
        if row >= 0:
            index = self.model.index(row, SampleValuesModel.VALUE)
            self.edit_requested.emit(QPersistentModelIndex(index))

    def _on_copy_action_triggered(self) -> None:
        row = self._current_value_row()
        clipboard = QGuiApplication.clipboard()
        if row >= 0 and clipboard is not None:
            index = self.model.index(row, SampleValuesModel.VALUE)
            clipboard.setText(str(index.data(SampleTableModel.FULL_VALUE_ROLE) or ""))

    def _on_delegate_long_edit_requested(self, index: QPersistentModelIndex) -> None:
        if index.isValid():
            model = index.model()
            if isinstance(model, QSortFilterProxyModel):
                index = QPersistentModelIndex(model.mapToSource(index))
            self.edit_requested.emit(index)

    # -- column widths -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.values_view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_value_columns()
        return super().eventFilter(watched, event)

    def _fit_value_columns(self) -> None:
        """Fit Variable and Value to the width; show Description only when there is room."""
        view = self.values_view
        width = view.viewport().width()
        wide = width >= WIDE_TABLE
        view.setColumnHidden(SampleValuesModel.DESCRIPTION, not wide)
        names = view.sizeHintForColumn(SampleValuesModel.VARIABLE)
        variable = min(names, int(width * (0.3 if wide else 0.48)))
        variable = max(variable, 60)
        view.setColumnWidth(SampleValuesModel.VARIABLE, variable)
        if wide:
            view.setColumnWidth(SampleValuesModel.VALUE, int(width * 0.35))
        else:
            view.setColumnWidth(SampleValuesModel.VALUE, max(width - variable, 60))
