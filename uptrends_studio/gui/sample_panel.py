"""The sample panel: choose, inspect and edit the sample alert data the preview renders with.

A compact vertical panel for a side dock: the sample-set picker, the system-variable values (for
all alert types or one type), collapsible sections for time zone and culture, escalation-level
values, custom fields and the mock vault, and the "Edge cases" switch with what breaks.

Every edit builds a new :class:`SampleSet` (through the table models and
:mod:`uptrends_studio.core.document.sample_edit`) and hands it to the :class:`SampleState` as
edited.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QFontDatabase, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.app.workspace import SampleSets
from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.document import sample_edit as se
from uptrends_studio.core.document.model import ALERT_TYPES, Integration
from uptrends_studio.core.document.sample_files import save_sample_with_secrets
from uptrends_studio.core.document.samples import (
    EDGE_CASES_SAMPLE,
    SampleSet,
)
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.language.dotnet_format import KNOWN_CULTURES
from uptrends_studio.core.rendering.preview import Preview
from uptrends_studio.core.secret_store import LazyStore, SecretStore
from uptrends_studio.gui.sample_models import (
    CustomFieldsModel,
    EscalationValuesModel,
    SampleTableModel,
    SampleValuesModel,
    VaultModel,
    dim_color,
)
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.section import FoldingSection

log = logging.getLogger(__name__)

_OPEN_FILE = "\x00open"
"""Item data of the picker's "Open sample file…" entry."""

_FILE_FILTER = "Sample files (*.sample.json);;JSON files (*.json);;All files (*)"
_DIAGNOSTIC_ROLE = Qt.ItemDataRole.UserRole + 1
SECTION_ROWS = (2, 5)
"""Fewest and most rows the tables of the folding sections show without scrolling."""
WIDE_TABLE = 560
"""Viewport width from which the values table shows its Description column."""
_EDGE_LIST_HEIGHT = 150


def error_color(palette: QPalette) -> str:
    """A red that reads well on ``palette``'s window colour (light or dark)."""
    return "#ff7b72" if palette.color(QPalette.ColorRole.Window).lightness() < 128 else "#c62828"


def describe_diagnostic(diagnostic: Diagnostic) -> str:
    """Two lines for the edge-cases list: severity and place, then the message."""
    where = (
        f"{diagnostic.field}:{diagnostic.line}:{diagnostic.column}"
        if diagnostic.field
        else "integration"
    )
    types = f" · for {', '.join(diagnostic.alert_types)}" if diagnostic.alert_types else ""
    return f"{diagnostic.severity.value} · {where}{types}\n{diagnostic.message}"


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


class _ValueDelegate(QStyledItemDelegate):
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


def _small_table(model: SampleTableModel, delegate: _ValueDelegate, parent: QWidget) -> QTableView:
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
    _compact_rows(view)

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


def _compact_rows(view: QTableView) -> None:
    height = view.fontMetrics().height() + 6
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(height)


class SamplePanel(QWidget):
    """Chooses and edits the sample alert data of the live preview.

    Call :meth:`set_integration` when the integration changes (it decides which
    escalation-level variables are listed), :meth:`set_preview` whenever a new preview arrives
    (it fills the edge-cases list) and :meth:`set_default_folder` with the folder of the
    integration file (where "Save as…" proposes to save).

    Signals:
        diagnostic_activated(Diagnostic): a problem in the edge-cases list was double-clicked.
    """

    diagnostic_activated = Signal(object)

    def __init__(
        self,
        samples: SampleState,
        catalogue: Catalogue,
        parent: QWidget | None = None,
        *,
        secret_store: SecretStore | None = None,
        sample_sets: SampleSets | None = None,
    ) -> None:
        super().__init__(parent)
        self._samples = samples
        self._catalogue = catalogue
        # Mock-vault passwords of sample files live here, never in the file.
        self._secret_store: SecretStore = secret_store or LazyStore()
        self._sample_sets = sample_sets or SampleSets(
            catalogue, store=self._secret_store, env=os.environ
        )
        """The sample sets to choose from: the same list as the Test tab's."""
        self._default_folder: Path | None = None
        self._builtins: dict[str, SampleSet] = {}
        self._before_edge_cases: tuple[SampleSet, str, bool] | None = None
        self._preview: Preview | None = None
        self._preview_seen = False
        self._zones = sorted(available_timezones())
        self._load_builtins()

        self.values_model = SampleValuesModel(catalogue, self)
        self.escalation_model = EscalationValuesModel(self)
        self.custom_fields_model = CustomFieldsModel(self)
        self.vault_model = VaultModel(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(self._build_picker_row())
        layout.addLayout(self._build_values_for_row())
        layout.addWidget(self._build_values_table(), 1)
        self.value_details = QLabel(self)
        self.value_details.setObjectName("valueDetails")
        self.value_details.setWordWrap(True)
        self.value_details.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.value_details.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.value_details)
        self.value_error = self._error_label()
        layout.addWidget(self.value_error)
        layout.addWidget(self._build_zone_section())
        layout.addWidget(self._build_escalation_section())
        layout.addWidget(self._build_custom_fields_section())
        layout.addWidget(self._build_vault_section())
        layout.addLayout(self._build_edge_cases())
        layout.addWidget(self.edge_list)

        for model in (
            self.values_model,
            self.escalation_model,
            self.custom_fields_model,
            self.vault_model,
        ):
            model.edited.connect(self._on_model_edited)
            model.refused.connect(self._show_value_error)
        samples.changed.connect(self._on_samples_changed)
        self._apply_error_colours()
        self.values_view.selectionModel().currentRowChanged.connect(self._update_value_details)
        self._on_samples_changed()
        self._show_edge_state()

    # -- public API ----------------------------------------------------------------------------

    def set_integration(self, integration: Integration) -> None:
        """List the escalation-level variables of ``integration``."""
        self.escalation_model.set_integration(integration)
        self._update_titles()

    def set_preview(self, preview: Preview) -> None:
        """Take the newest preview: with edge cases on, list what breaks."""
        self._preview = preview
        self._preview_seen = True
        self._fill_edge_list()

    def set_default_folder(self, path: Path | None) -> None:
        """Where "Save as…" proposes to save (the integration file's folder)."""
        self._default_folder = path

    # -- building ------------------------------------------------------------------------------

    def _new_delegate(self) -> _ValueDelegate:
        # One per view: a delegate shared by views would commit its editors to all of them.
        delegate = _ValueDelegate(self)
        delegate.long_edit_requested.connect(self._on_delegate_long_edit_requested)
        return delegate

    def _load_builtins(self) -> None:
        self._builtins = dict(self._sample_sets.builtins())

    def _build_picker_row(self) -> QHBoxLayout:
        self.picker = QComboBox(self)
        self.picker.setObjectName("samplePicker")
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.picker.setMinimumContentsLength(12)
        self.picker.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.picker.setToolTip("The sample alert data the preview renders with")
        for key, sample in self._builtins.items():
            self.picker.addItem(sample.name, key)
            self.picker.setItemData(
                self.picker.count() - 1, sample.description, Qt.ItemDataRole.ToolTipRole
            )
        self.picker.insertSeparator(self.picker.count())
        self.picker.addItem("Open sample file…", _OPEN_FILE)
        self.picker.setItemData(
            self.picker.count() - 1,
            "Use a *.sample.json file as sample data",
            Qt.ItemDataRole.ToolTipRole,
        )
        self.picker.activated.connect(self._on_picker_activated)

        self.edited_label = QLabel("edited", self)
        self.edited_label.setObjectName("sampleEditedLabel")
        font = self.edited_label.font()
        font.setItalic(True)
        self.edited_label.setFont(font)
        self.edited_label.setToolTip("Changed since it was loaded or saved; “Save as…” keeps it")

        self.save_button = QPushButton("Save as…", self)
        self.save_button.setToolTip("Save sample as… a *.sample.json file")
        self.save_button.clicked.connect(self._on_save_button_clicked)

        row = QHBoxLayout()
        label = QLabel("Sample:", self)
        label.setBuddy(self.picker)
        row.addWidget(label)
        row.addWidget(self.picker, 1)
        row.addWidget(self.edited_label)
        row.addWidget(self.save_button)
        return row

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
        self._proxy.setSourceModel(self.values_model)
        self._proxy.setFilterKeyColumn(SampleValuesModel.VARIABLE)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        view = QTableView(self)
        view.setObjectName("sampleValues")
        view.setModel(self._proxy)
        view.setItemDelegate(self._new_delegate())
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
        _compact_rows(view)
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

    def _error_label(self) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.hide()
        return label

    def _build_zone_section(self) -> FoldingSection:
        body = QWidget(self)
        self.timezone_box = QComboBox(body)
        self.timezone_box.setObjectName("timezone")
        self.timezone_box.setEditable(True)
        self.timezone_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone_box.addItems(self._zones)
        self.timezone_box.setMaxVisibleItems(15)
        completer = QCompleter(self._zones, self.timezone_box)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.timezone_box.setCompleter(completer)
        self.timezone_box.setToolTip(
            "The account time zone: @alert.timestamp and the *Formatted values use it"
        )
        line_edit = self.timezone_box.lineEdit()
        assert line_edit is not None
        line_edit.editingFinished.connect(self._on_timezone_editing_finished)
        self.timezone_box.activated.connect(self._on_timezone_box_activated)
        self.timezone_error = self._error_label()

        self.culture_box = QComboBox(body)
        self.culture_box.setObjectName("culture")
        self.culture_box.addItems(KNOWN_CULTURES)
        self.culture_box.setToolTip("Date and time format of the *Formatted values")
        self.culture_box.activated.connect(self._on_culture_box_activated)

        form = QFormLayout(body)
        form.setContentsMargins(18, 0, 0, 4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Time zone:", self.timezone_box)
        form.addRow(self.timezone_error)
        form.addRow("Culture:", self.culture_box)
        self.zone_section = FoldingSection("Time zone and culture", body, self)
        return self.zone_section

    def _build_escalation_section(self) -> FoldingSection:
        body = QWidget(self)
        self.escalation_view = _small_table(self.escalation_model, self._new_delegate(), body)
        self.escalation_view.setColumnWidth(EscalationValuesModel.VARIABLE, 140)
        self.escalation_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.escalation_view.customContextMenuRequested.connect(
            self._on_escalation_view_context_menu_requested
        )
        self.escalation_hint = QLabel(
            "The integration has no variables whose value is specified in the escalation level.",
            body,
        )
        self.escalation_hint.setWordWrap(True)
        self.escalation_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.escalation_model.modelReset.connect(self._update_escalation_hint)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 0, 0, 4)
        layout.addWidget(self.escalation_hint)
        layout.addWidget(self.escalation_view)
        self.escalation_section = FoldingSection("Escalation-level values", body, self)
        return self.escalation_section

    def _build_custom_fields_section(self) -> FoldingSection:
        body = QWidget(self)
        self.custom_fields_view = _small_table(self.custom_fields_model, self._new_delegate(), body)
        self.custom_fields_view.setColumnWidth(CustomFieldsModel.NAME, 120)
        self.add_field_button = QPushButton("Add", body)
        self.add_field_button.setToolTip("Add a custom field for {{@CustomField(Name)}}")
        self.add_field_button.clicked.connect(self._on_add_field_button_clicked)
        self.remove_field_button = QPushButton("Remove", body)
        self.remove_field_button.clicked.connect(self._on_remove_field_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_field_button)
        buttons.addWidget(self.remove_field_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 0, 0, 4)
        layout.addWidget(self.custom_fields_view)
        layout.addLayout(buttons)
        self.custom_fields_section = FoldingSection("Custom fields", body, self)
        return self.custom_fields_section

    def _build_vault_section(self) -> FoldingSection:
        body = QWidget(self)
        self.vault_view = _small_table(self.vault_model, self._new_delegate(), body)
        self.vault_view.setColumnWidth(VaultModel.ITEM, 150)
        self.vault_view.setColumnWidth(VaultModel.USERNAME, 90)
        self.add_vault_button = QPushButton("Add", body)
        self.add_vault_button.setToolTip("Add a credential set with a new item GUID")
        self.add_vault_button.clicked.connect(self._on_add_vault_button_clicked)
        self.remove_vault_button = QPushButton("Remove", body)
        self.remove_vault_button.clicked.connect(self._on_remove_vault_button_clicked)
        self.show_passwords = QCheckBox("Show passwords", body)
        self.show_passwords.toggled.connect(self.vault_model.set_show_passwords)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_vault_button)
        buttons.addWidget(self.remove_vault_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_passwords)
        hint = QLabel(
            "Credential sets for predefined variables that take a vault value. "
            "The Studio never reads a real vault.",
            body,
        )
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(18, 0, 0, 4)
        layout.addWidget(hint)
        layout.addWidget(self.vault_view)
        layout.addLayout(buttons)
        self.vault_section = FoldingSection("Mock vault", body, self)
        return self.vault_section

    def _build_edge_cases(self) -> QHBoxLayout:
        self.edge_button = QPushButton("Edge cases", self)
        self.edge_button.setObjectName("edgeCases")
        self.edge_button.setCheckable(True)
        self.edge_button.setToolTip(
            "Preview with values chosen to break naive templates: quotes, backslashes, line "
            "breaks, emoji, a control character, a 1 MB response body…"
        )
        self.edge_button.toggled.connect(self._on_edge_button_toggled)
        self.edge_status = QLabel(self)
        self.edge_status.setWordWrap(True)
        self.edge_status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.edge_list = QListWidget(self)
        self.edge_list.setObjectName("edgeCaseProblems")
        self.edge_list.setWordWrap(True)
        self.edge_list.setSpacing(2)
        self.edge_list.setUniformItemSizes(False)
        self.edge_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.edge_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.edge_list.setFixedHeight(_EDGE_LIST_HEIGHT)
        self.edge_list.setToolTip("Double-click a problem to go to it")
        self.edge_list.itemDoubleClicked.connect(self._on_edge_list_item_double_clicked)
        self.edge_list.hide()
        row = QHBoxLayout()
        row.addWidget(self.edge_button)
        row.addWidget(self.edge_status, 1)
        return row

    # -- reacting to the sample ----------------------------------------------------------------

    def _on_samples_changed(self) -> None:
        sample = self._samples.sample
        if self.edge_button.isChecked() and self._samples.key != EDGE_CASES_SAMPLE:
            self._before_edge_cases = None  # another set was chosen: nothing to restore
            self.edge_button.blockSignals(True)
            self.edge_button.setChecked(False)
            self.edge_button.blockSignals(False)
            self._show_edge_state()
        self._sync_picker()
        self.edited_label.setVisible(self._samples.edited)
        for model in (
            self.values_model,
            self.escalation_model,
            self.custom_fields_model,
            self.vault_model,
        ):
            model.set_sample(sample)
        self._update_value_details()
        self._sync_zone()
        self._update_titles()
        self._update_escalation_hint()

    def _sync_picker(self) -> None:
        key = self._samples.key
        index = self.picker.findData(key)
        file_index = self._file_item_index()
        if index < 0 or index == file_index:
            text = self._samples.sample.name or Path(key).name
            label = f"{text} ({Path(key).name})" if key else text
            if file_index < 0:
                file_index = len(self._builtins)
                self.picker.insertItem(file_index, label, key)
            else:
                self.picker.setItemText(file_index, label)
                self.picker.setItemData(file_index, key)
            self.picker.setItemData(file_index, key, Qt.ItemDataRole.ToolTipRole)
            index = file_index
        self.picker.setCurrentIndex(index)
        name = self._samples.sample.name
        self.picker.setToolTip(
            f"{name}: {self._samples.sample.description}"
            if self._samples.sample.description
            else name
        )

    def _file_item_index(self) -> int:
        index = len(self._builtins)
        data = self.picker.itemData(index)
        if isinstance(data, str) and data not in self._builtins and data != _OPEN_FILE:
            return index
        return -1

    def _sync_zone(self) -> None:
        sample = self._samples.sample
        zone = sample.timezone or self._catalogue.default_timezone
        self.timezone_box.blockSignals(True)
        index = self.timezone_box.findText(zone)
        if index >= 0:
            self.timezone_box.setCurrentIndex(index)
        else:
            self.timezone_box.setEditText(zone)
        self.timezone_box.blockSignals(False)
        culture = sample.culture or self._catalogue.default_culture
        self.culture_box.setCurrentIndex(max(self.culture_box.findText(culture), 0))

    def _update_titles(self) -> None:
        sample = self._samples.sample
        zone = sample.timezone or self._catalogue.default_timezone
        culture = sample.culture or self._catalogue.default_culture
        self.zone_section.set_title(f"Time zone and culture: {zone}, {culture}")
        self.escalation_section.set_title(
            f"Escalation-level values ({self.escalation_model.rowCount()})"
        )
        self.custom_fields_section.set_title(f"Custom fields ({len(sample.custom_fields)})")
        self.vault_section.set_title(f"Mock vault ({len(sample.vault)})")

    def _update_escalation_hint(self) -> None:
        empty = self.escalation_model.rowCount() == 0
        self.escalation_hint.setVisible(empty)
        self.escalation_view.setVisible(not empty)

    def _on_model_edited(self, sample: object) -> None:
        assert isinstance(sample, SampleSet)
        self.value_error.hide()
        self._samples.set_sample(sample, edited=True)

    def _show_value_error(self, message: str) -> None:
        self.value_error.setText(message)
        self.value_error.show()

    # -- picking a sample set ------------------------------------------------------------------

    def _on_picker_activated(self, index: int) -> None:
        key = self.picker.itemData(index)
        if key == _OPEN_FILE:
            self._open_file()
        elif isinstance(key, str) and key != self._samples.key:
            self._choose(key)
        self._sync_picker()

    def _choose(self, key: str) -> None:
        if not self._confirm_discard():
            return
        sample = self._builtins.get(key)
        if sample is None:  # the file entry: read it again
            try:
                sample = self._load_file(Path(key))
            except StudioError as exc:
                QMessageBox.warning(self, "Cannot open the sample file", str(exc))
                return
        self._samples.set_sample(sample, key=key)

    def _load_file(self, path: Path) -> SampleSet:
        """A sample file with its mock-vault passwords from the secret sources."""
        return self._sample_sets.load_file(path).sample

    def _open_file(self) -> None:
        if not self._confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Open sample file", str(self._folder()), _FILE_FILTER
        )
        if path:
            self._use_file(Path(path))

    def use_sample_file(self, path: Path) -> bool:
        """Use the sample file at ``path`` (e.g. one made from an Uptrends alert)."""
        return self._confirm_discard() and self._use_file(path)

    def _use_file(self, path: Path) -> bool:
        try:
            sample = self._load_file(path)
        except StudioError as exc:
            QMessageBox.warning(self, "Cannot open the sample file", str(exc))
            return False
        self._samples.set_sample(sample, key=str(path))
        self._sync_picker()
        return True

    def _confirm_discard(self) -> bool:
        if not self._samples.edited:
            return True
        answer = QMessageBox.question(
            self,
            "Discard the changes?",
            f"The sample set “{self._samples.sample.name}” has changes that are not saved.\n"
            "Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _folder(self) -> Path:
        if self._default_folder is not None:
            return self._default_folder
        key = self._samples.key
        if key and key not in self._builtins:
            return Path(key).parent
        return Path.cwd()

    def _on_save_button_clicked(self) -> None:
        self.save_as()

    def save_as(self) -> bool:
        """Ask for a sample file and save the sample set there; True when saved."""
        sample = self._samples.sample
        proposal = self._folder() / se.sample_file_name(sample)
        path, _ = QFileDialog.getSaveFileName(
            self, "Save sample as", str(proposal), "Sample files (*.sample.json)"
        )
        if not path:
            return False
        target = Path(path)
        return self._save_to(target.with_name(se.with_sample_suffix(target.name)))

    def save_edits(self) -> bool:
        """Save the edited sample set to its file (asks for one for a built-in); True when saved.

        The window's unsaved-changes prompt calls it, so sample edits are not lost on quit.
        """
        key = self._samples.key
        if key and key not in self._builtins:
            return self._save_to(Path(key))
        return self.save_as()

    def _save_to(self, target: Path) -> bool:
        try:
            save_sample_with_secrets(
                self._samples.sample, target, store=self._secret_store, env=os.environ
            )
        except StudioError as exc:
            QMessageBox.warning(self, "Cannot save the sample", str(exc))
            return False
        self._samples.saved_to(target)
        return True

    # -- values table --------------------------------------------------------------------------

    def _on_values_for_current_index_changed(self, index: int) -> None:
        self.values_model.set_alert_type(self.values_for.itemData(index))
        self._update_value_details()

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
        self.reset_action.setEnabled(valid and self.values_model.can_reset(row))
        if valid:
            self.reset_action.setText(self.values_model.reset_label(row))

    def _update_value_details(self) -> None:
        self._update_value_actions()
        row = self._current_value_row()
        if row < 0:
            self.value_details.setText("Double-click a value to change it.")
            return
        resolved = self.values_model.resolved(row)
        variable = resolved.variable
        alert_type = self.values_model.alert_type
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
            self.values_model.reset(row)

    def _on_edit_action_triggered(self) -> None:
        row = self._current_value_row()
        if row >= 0:
            index = self.values_model.index(row, SampleValuesModel.VALUE)
            self.edit_in_dialog(QPersistentModelIndex(index))

    def _on_copy_action_triggered(self) -> None:
        row = self._current_value_row()
        clipboard = QGuiApplication.clipboard()
        if row >= 0 and clipboard is not None:
            index = self.values_model.index(row, SampleValuesModel.VALUE)
            clipboard.setText(str(index.data(SampleTableModel.FULL_VALUE_ROLE) or ""))

    def _on_delegate_long_edit_requested(self, index: QPersistentModelIndex) -> None:
        if index.isValid():
            model = index.model()
            if isinstance(model, QSortFilterProxyModel):
                index = QPersistentModelIndex(model.mapToSource(index))
            self.edit_in_dialog(index)

    def edit_in_dialog(self, index: QPersistentModelIndex) -> ValueEditDialog | None:
        """Open the dialog that edits the value at ``index`` (a source-model index)."""
        model = index.model()
        if not isinstance(model, SampleTableModel) or not index.isValid():
            return None
        name = str(index.data(SampleTableModel.NAME_ROLE))
        value = str(index.data(SampleTableModel.FULL_VALUE_ROLE) or "")
        if model is self.values_model:
            alert_type = self.values_model.alert_type
            scope = f"{name} for {alert_type.value} only" if alert_type else f"{name} for all types"
        elif model is self.custom_fields_model:
            scope = f"Custom field {name}"
        elif model is self.escalation_model:
            scope = f"Escalation-level value of {name}"
        else:
            scope = name
        dialog = ValueEditDialog(f"Edit {name}", scope, value, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.text_accepted.connect(lambda text: model.setData(index, text))
        dialog.open()
        return dialog

    # -- time zone and culture -----------------------------------------------------------------

    def _on_timezone_box_activated(self, index: int) -> None:
        self._apply_timezone(self.timezone_box.itemText(index))

    def _on_timezone_editing_finished(self) -> None:
        self._apply_timezone(self.timezone_box.currentText())

    def _apply_timezone(self, text: str) -> None:
        sample = self._samples.sample
        current = sample.timezone or self._catalogue.default_timezone
        zone = se.check_timezone(text)
        if zone is None:
            self.timezone_error.setText(
                f"Unknown time zone “{text.strip()}”: use an IANA name like Europe/Amsterdam. "
                f"Kept {current}."
            )
            self.timezone_error.show()
            self._sync_zone()
            return
        if zone != current:
            # The message stays when the old zone is confirmed: the combo box re-activates it
            # right after a refused entry.
            self.timezone_error.hide()
            self._samples.set_sample(se.with_timezone(sample, zone), edited=True)
        else:
            self._sync_zone()

    def _on_culture_box_activated(self, index: int) -> None:
        sample = self._samples.sample
        culture = self.culture_box.itemText(index)
        if culture != (sample.culture or self._catalogue.default_culture):
            self._samples.set_sample(se.with_culture(sample, culture), edited=True)

    # -- escalation, custom fields, vault ------------------------------------------------------

    def _on_escalation_view_context_menu_requested(self, pos: QPoint) -> None:
        index = self.escalation_view.indexAt(pos)
        if not index.isValid():
            return
        row = index.row()
        menu = QMenu(self)
        clear = menu.addAction("Remove the value")
        clear.setEnabled(self.escalation_model.has_value(row))
        clear.triggered.connect(lambda: self.escalation_model.clear(row))
        menu.exec(self.escalation_view.viewport().mapToGlobal(pos))

    def _on_add_field_button_clicked(self) -> None:
        row = self.custom_fields_model.add()
        self.custom_fields_section.set_expanded(True)
        index = self.custom_fields_model.index(row, CustomFieldsModel.NAME)
        self.custom_fields_view.setCurrentIndex(index)
        self.custom_fields_view.edit(index)

    def _on_remove_field_button_clicked(self) -> None:
        self.custom_fields_model.remove(self._selected_rows(self.custom_fields_view))

    def _on_add_vault_button_clicked(self) -> None:
        row = self.vault_model.add()
        self.vault_section.set_expanded(True)
        index = self.vault_model.index(row, VaultModel.USERNAME)
        self.vault_view.setCurrentIndex(index)
        self.vault_view.edit(index)

    def _on_remove_vault_button_clicked(self) -> None:
        self.vault_model.remove(self._selected_rows(self.vault_view))

    @staticmethod
    def _selected_rows(view: QTableView) -> list[int]:
        selection = view.selectionModel()
        rows = {index.row() for index in selection.selectedIndexes()} if selection else set()
        if not rows and view.currentIndex().isValid():
            rows.add(view.currentIndex().row())
        return sorted(rows)

    # -- edge cases ----------------------------------------------------------------------------

    def _on_edge_button_toggled(self, checked: bool) -> None:
        if checked:
            edge = self._builtins.get(EDGE_CASES_SAMPLE)
            if edge is None:
                self.edge_button.setChecked(False)
                return
            self._before_edge_cases = (
                self._samples.sample,
                self._samples.key,
                self._samples.edited,
            )
            self._preview_seen = False
            self._samples.set_sample(edge, key=EDGE_CASES_SAMPLE)
        elif self._before_edge_cases is not None:
            sample, key, edited = self._before_edge_cases
            self._before_edge_cases = None
            self._samples.set_sample(sample, key=key, edited=edited)
        self._show_edge_state()

    def _show_edge_state(self) -> None:
        on = self.edge_button.isChecked()
        self.edge_list.setVisible(on)
        self.edge_button.setText("Edge cases: on" if on else "Edge cases")
        if on and self._before_edge_cases is not None:
            name = self._before_edge_cases[0].name
            self.edge_status.setText(f"Turn off to return to “{name}”.")
        elif on:
            self.edge_status.setText("What breaks with these values:")
        else:
            self.edge_status.setText("Try values that break naive templates")
        self._fill_edge_list()

    def _fill_edge_list(self) -> None:
        if not self.edge_button.isChecked():
            return
        self.edge_list.clear()
        preview = self._preview
        if preview is None or not self._preview_seen:
            self._add_edge_item("Waiting for the preview…", None)
            return
        style = self.style()
        if preview.error:
            item = self._add_edge_item(f"error\n{preview.error}", None)
            item.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical))
        problems = sorted(
            (d for d in preview.diagnostics if d.severity is not Severity.NOTE),
            key=lambda d: d.severity.rank,
        )
        for diagnostic in problems:
            item = self._add_edge_item(describe_diagnostic(diagnostic), diagnostic)
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if diagnostic.severity is Severity.ERROR
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            item.setIcon(style.standardIcon(icon))
            item.setToolTip(diagnostic.message)
        if not problems and not preview.error:
            self._add_edge_item("Nothing breaks with the edge cases", None)

    def _add_edge_item(self, text: str, diagnostic: Diagnostic | None) -> QListWidgetItem:
        item = QListWidgetItem(text, self.edge_list)
        item.setData(_DIAGNOSTIC_ROLE, diagnostic)
        if diagnostic is None:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return item

    def _on_edge_list_item_double_clicked(self, item: QListWidgetItem) -> None:
        diagnostic = item.data(_DIAGNOSTIC_ROLE)
        if isinstance(diagnostic, Diagnostic):
            self.diagnostic_activated.emit(diagnostic)

    # -- colours -------------------------------------------------------------------------------

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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_error_colours()
        super().changeEvent(event)

    def _apply_error_colours(self) -> None:
        red = error_color(self.palette())
        for label in (self.value_error, self.timezone_error):
            label.setStyleSheet(f"color: {red};")
        dim = dim_color().name()
        self.edited_label.setStyleSheet(f"color: {dim};")
