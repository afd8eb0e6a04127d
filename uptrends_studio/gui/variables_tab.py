"""The Main tab: integration name and type, and the predefined variables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.document.model import (
    Integration,
    Variable,
    VariableMode,
    VaultField,
    VaultRef,
)
from uptrends_studio.core.document.refactor import count_references, rename_references
from uptrends_studio.core.secret_store import LazyStore, SecretStore, variable_env_name
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.fit import keep_rows, scrolling_page
from uptrends_studio.gui.models import MODE_LABELS, VariablesModel

if TYPE_CHECKING:
    from uptrends_studio.gui.uptrends_dialog import VaultItemPicker

SECRET_SOURCE_DELAY_MS = 300
"""Quiet time before the "where does the secret come from" line is looked up."""

INTEGRATION_TYPES = (
    "Uptrends integration",
    "Microsoft Teams",
    "Opsgenie",
    "PagerDuty",
    "Slack",
    "Statuspage",
    "ServiceNow",
    "Splunk On-Call",
    "AlertOps",
    "Zapier",
)


def _unique_name(existing: set[str], base: str) -> str:
    if base not in existing:
        return base
    number = 2
    while f"{base}{number}" in existing:
        number += 1
    return f"{base}{number}"


class VariablesTab(QWidget):
    """Integration name/type and the predefined-variables table with an editing form.

    Signals:
        status_message(str): something worth a status-bar message happened.
    """

    status_message = Signal(str)

    def __init__(
        self,
        document: IntegrationDocument,
        parent: QWidget | None = None,
        *,
        describe_secret: Callable[[str], str] | None = None,
        secret_store: SecretStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._secret_store = secret_store
        self._loading = False

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Name shown in Uptrends")
        self.type_combo = QComboBox()
        self.type_combo.setEditable(True)
        self.type_combo.addItems(INTEGRATION_TYPES)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setPlaceholderText("What this integration is for (kept in the file)")
        self.description_edit.setMaximumHeight(64)

        main_box = QGroupBox("Main")
        main_form = QFormLayout(main_box)
        main_form.addRow("Integration &name", self.name_edit)
        main_form.addRow("Integration &type", self.type_combo)
        main_form.addRow("&Description", self.description_edit)

        self.model = VariablesModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(VariablesModel.NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VariablesModel.MODE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VariablesModel.VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(VariablesModel.SECRET, QHeaderView.ResizeMode.ResizeToContents)

        self.add_button = QPushButton("&Add variable")
        self.remove_button = QPushButton("&Remove")
        self.reveal_check = QCheckBox("Reveal secret values")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reveal_check)

        # The form for the selected variable.
        self.var_name = QLineEdit()
        self.mode_here = QRadioButton(MODE_LABELS[VariableMode.HERE])
        self.mode_level = QRadioButton(MODE_LABELS[VariableMode.ESCALATION_LEVEL])
        self._mode_group = QButtonGroup(self)
        self._mode_group.addButton(self.mode_here)
        self._mode_group.addButton(self.mode_level)
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(["Plain text", "Vault credential set"])
        self.value_edit = QLineEdit()
        self.value_reveal = QCheckBox("Show")
        self.vault_item = QLineEdit()
        self.vault_item.setPlaceholderText("Vault item GUID (last part of the item's URL)")
        self.vault_field = QComboBox()
        self.vault_field.addItems([f.value for f in VaultField])
        self.secret_check = QCheckBox("Secret: mask the value in the Studio and in exports")
        self._describe_secret = describe_secret
        self._secret_variable: Variable | None = None
        self._secret_timer = QTimer(self)
        self._secret_timer.setSingleShot(True)
        self._secret_timer.setInterval(SECRET_SOURCE_DELAY_MS)
        self._secret_timer.timeout.connect(self._on_secret_timer_timeout)
        self.secret_source = QLabel()
        self.secret_source.setObjectName("secretSource")
        self.secret_source.setWordWrap(True)
        self.secret_source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.var_description = QLineEdit()
        self.var_description.setPlaceholderText("Shown in completion and tooltips")
        self.mode_hint = QLabel(
            "Each escalation level that uses the integration fills in this value. "
            "The preview takes it from the sample data (Escalation-level values)."
        )
        self.mode_hint.setWordWrap(True)
        self.mode_hint.setStyleSheet("color: palette(mid);")

        modes = QVBoxLayout()
        modes.setSpacing(2)
        modes.addWidget(self.mode_here)
        modes.addWidget(self.mode_level)
        value_row = QHBoxLayout()
        value_row.addWidget(self.value_edit, 1)
        value_row.addWidget(self.value_reveal)
        vault_row = QHBoxLayout()
        vault_row.addWidget(self.vault_item, 1)
        vault_row.addWidget(self.vault_field)
        self.vault_pick_button = QPushButton("From Uptrends…")
        self.vault_pick_button.setToolTip("Choose a credential set of your Uptrends vault by name")
        self.vault_pick_button.clicked.connect(self.pick_vault_item)
        vault_row.addWidget(self.vault_pick_button)

        self.form_box = QGroupBox("Selected variable")
        form = QFormLayout(self.form_box)
        form.addRow("Na&me", self.var_name)
        form.addRow("Mode", modes)
        form.addRow("", self.mode_hint)
        form.addRow("Value &kind", self.kind_combo)
        self._value_label = QLabel("&Value")
        self._value_label.setBuddy(self.value_edit)
        form.addRow(self._value_label, value_row)
        self._vault_label = QLabel("Vault")
        form.addRow(self._vault_label, vault_row)
        form.addRow("", self.secret_check)
        form.addRow("", self.secret_source)
        form.addRow("Descri&ption", self.var_description)
        self._form = form

        variables_box = QGroupBox("Predefined variables — use them in templates as {{Name}}")
        variables_layout = QVBoxLayout(variables_box)
        variables_layout.addWidget(self.table, 1)
        variables_layout.addLayout(buttons)
        variables_layout.addWidget(self.form_box)

        # More fields than a 720-pixel screen in presentation mode holds: the page scrolls as a
        # whole rather than squeezing the table to a row and the mode buttons over each other.
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(main_box)
        layout.addWidget(variables_box, 1)
        scrolling_page(self, page)
        keep_rows(self.table)

        self.name_edit.textEdited.connect(self._on_name_edit_text_edited)
        self.type_combo.currentTextChanged.connect(self._on_type_combo_changed)
        self.description_edit.textChanged.connect(self._on_description_changed)
        self.add_button.clicked.connect(self.add_variable)
        self.remove_button.clicked.connect(self.remove_variable)
        self.reveal_check.toggled.connect(self._on_reveal_check_toggled)
        self.value_reveal.toggled.connect(self._update_echo)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.var_name.editingFinished.connect(self._on_var_name_editing_finished)
        self.mode_here.toggled.connect(self._on_form_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_form_changed)
        self.value_edit.textEdited.connect(self._on_form_changed)
        self.vault_item.textEdited.connect(self._on_form_changed)
        self.vault_field.currentIndexChanged.connect(self._on_form_changed)
        self.secret_check.toggled.connect(self._on_form_changed)
        self.var_description.textEdited.connect(self._on_form_changed)
        document.changed.connect(self.refresh)
        self.refresh()

    # -- document -> widgets ------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the document's current values (keeps the selected row)."""
        integration = self._document.integration
        self._loading = True
        try:
            if self.name_edit.text() != integration.name:
                self.name_edit.setText(integration.name)
            if self.type_combo.currentText() != integration.integration_type:
                self.type_combo.setCurrentText(integration.integration_type)
            if self.description_edit.toPlainText() != integration.description:
                self.description_edit.setPlainText(integration.description)
            row = self.current_row()
            self.model.set_variables(integration.variables)
            if integration.variables:
                row = min(max(row, 0), len(integration.variables) - 1)
                self.select_row(row)
            self._fill_form()
        finally:
            self._loading = False

    def current_row(self) -> int:
        """The selected variable's row, or -1."""
        index = self.table.selectionModel().currentIndex()
        return index.row() if index.isValid() else -1

    def select_row(self, row: int) -> None:
        """Select a variable row."""
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _fill_form(self) -> None:
        row = self.current_row()
        variables = self._document.integration.variables
        self.form_box.setEnabled(0 <= row < len(variables))
        self.remove_button.setEnabled(0 <= row < len(variables))
        if not 0 <= row < len(variables):
            return
        variable = variables[row]
        was_loading, self._loading = self._loading, True
        try:
            if not self.var_name.hasFocus():
                self.var_name.setText(variable.name)
            here = variable.mode is VariableMode.HERE
            self.mode_here.setChecked(here)
            self.mode_level.setChecked(not here)
            self.kind_combo.setCurrentIndex(1 if variable.vault is not None else 0)
            if self.value_edit.text() != variable.value:
                self.value_edit.setText(variable.value)
            if variable.vault is not None:
                if self.vault_item.text() != variable.vault.item:
                    self.vault_item.setText(variable.vault.item)
                self.vault_field.setCurrentText(variable.vault.field.value)
            self.secret_check.setChecked(variable.secret)
            self._show_secret_source(variable)
            if self.var_description.text() != variable.description:
                self.var_description.setText(variable.description)
            vault = variable.vault is not None
            self.kind_combo.setEnabled(here)
            self.mode_hint.setVisible(not here)
            for widget in (self._value_label, self.value_edit, self.value_reveal):
                widget.setVisible(here and not vault)
            self._vault_label.setVisible(here and vault)
            self.vault_item.setVisible(here and vault)
            self.vault_field.setVisible(here and vault)
            self.vault_pick_button.setVisible(here and vault)
            self._update_echo()
        finally:
            self._loading = was_loading

    def _show_secret_source(self, variable: Variable) -> None:
        """Where a secret's value comes from: keyring, memory, environment or .env.

        Looked up a moment after the last change (the keyring may be slow), not per keystroke.
        """
        self._secret_variable = variable
        self._secret_timer.start()

    def _on_secret_timer_timeout(self) -> None:
        variable = self._secret_variable
        text = ""
        if (
            variable is not None
            and variable.secret
            and variable.mode is VariableMode.HERE
            and variable.vault is None
            and self._describe_secret is not None
        ):
            text = self._describe_secret(variable.name)
            self.secret_source.setToolTip(
                f"Never written to the file. It can also come from "
                f"{variable_env_name(variable.name)} (environment, or a .env file next to the "
                "integration)."
            )
        self.secret_source.setText(f"Value {text}" if text else "")
        self.secret_source.setVisible(bool(text))

    def _update_echo(self) -> None:
        secret = self.secret_check.isChecked() and not self.value_reveal.isChecked()
        self.value_edit.setEchoMode(
            QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal
        )
        self.value_reveal.setVisible(self.secret_check.isChecked() and self.value_edit.isVisible())

    # -- widgets -> document ------------------------------------------------------------------

    def _apply(self, new: Integration, label: str, merge_key: str | None = None) -> None:
        if not self._loading:
            self._document.apply(new, label, merge_key)

    def _on_name_edit_text_edited(self, text: str) -> None:
        self._apply(replace(self._document.integration, name=text), "Rename integration", "name")

    def _on_type_combo_changed(self, text: str) -> None:
        self._apply(
            replace(self._document.integration, integration_type=text), "Change integration type"
        )

    def _on_description_changed(self) -> None:
        self._apply(
            replace(self._document.integration, description=self.description_edit.toPlainText()),
            "Edit description",
            "description",
        )

    def _on_reveal_check_toggled(self, checked: bool) -> None:
        self.model.reveal = checked
        self.model.set_variables(self._document.integration.variables)

    def _on_current_row_changed(self) -> None:
        was_loading, self._loading = self._loading, True
        try:
            self.var_name.setText("")
            self._fill_form()
        finally:
            self._loading = was_loading

    def add_variable(self) -> None:
        """Append a new plain-text variable and select it for editing."""
        integration = self._document.integration
        name = _unique_name({v.name for v in integration.variables}, "NewVariable")
        self._document.apply(
            replace(integration, variables=(*integration.variables, Variable(name))),
            f"Add variable {name}",
        )
        self.select_row(len(self._document.integration.variables) - 1)
        self.var_name.setFocus()
        self.var_name.selectAll()

    def remove_variable(self) -> None:
        """Remove the selected variable (undoable), warning when templates still use it."""
        row = self.current_row()
        integration = self._document.integration
        if not 0 <= row < len(integration.variables):
            return
        name = integration.variables[row].name
        uses = count_references(integration, name)
        if uses:
            answer = QMessageBox.question(
                self,
                "Remove variable",
                f"{{{{{name}}}}} is used {uses} time{'s' if uses != 1 else ''} in the "
                "templates. Remove it anyway? The references will show as unknown.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        variables = integration.variables[:row] + integration.variables[row + 1 :]
        self._document.apply(replace(integration, variables=variables), f"Remove variable {name}")

    def _on_var_name_editing_finished(self) -> None:
        row = self.current_row()
        integration = self._document.integration
        if self._loading or not 0 <= row < len(integration.variables):
            return
        old = integration.variables[row].name
        new = self.var_name.text().strip()
        if new == old:
            return
        if not new or any(v.name == new for v in integration.variables):
            self.status_message.emit(
                f"'{new}' is already used" if new else "A variable needs a name"
            )
            self.var_name.setText(old)
            return
        variables = list(integration.variables)
        variables[row] = replace(variables[row], name=new)
        updated = replace(integration, variables=tuple(variables))
        uses = count_references(integration, old)
        if uses:
            answer = QMessageBox.question(
                self,
                "Rename variable",
                f"Update the {uses} reference{'s' if uses != 1 else ''} to {{{{{old}}}}} in the "
                f"templates to {{{{{new}}}}}?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                updated = rename_references(updated, old, new)
        self._document.apply(updated, f"Rename variable {old} to {new}")

    def pick_vault_item(self) -> VaultItemPicker:
        """List the account's vault items by name; the chosen GUID goes in the vault field."""
        from uptrends_studio.gui.uptrends_dialog import VaultItemPicker  # on first use

        picker = VaultItemPicker(self._secret_store or LazyStore(), self)
        picker.accepted.connect(lambda: self._on_vault_item_picked(picker.chosen_guid()))
        picker.open()
        return picker

    def _on_vault_item_picked(self, guid: str | None) -> None:
        if guid:
            self.vault_item.setText(guid)
            self._on_form_changed()

    def _on_form_changed(self) -> None:
        if self._loading:
            return
        row = self.current_row()
        integration = self._document.integration
        if not 0 <= row < len(integration.variables):
            return
        old = integration.variables[row]
        here = self.mode_here.isChecked()
        vault = None
        if here and self.kind_combo.currentIndex() == 1:
            vault = VaultRef(
                self.vault_item.text().strip(), VaultField(self.vault_field.currentText())
            )
        new = replace(
            old,
            mode=VariableMode.HERE if here else VariableMode.ESCALATION_LEVEL,
            value="" if vault is not None else self.value_edit.text(),
            vault=vault,
            secret=self.secret_check.isChecked(),
            description=self.var_description.text(),
        )
        variables = list(integration.variables)
        variables[row] = new
        self._document.apply(
            replace(integration, variables=tuple(variables)),
            f"Edit variable {old.name}",
            f"variables[{row}]",
        )
        self._fill_form()
