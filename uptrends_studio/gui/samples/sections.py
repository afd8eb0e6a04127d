"""The folding sections of the sample panel, each editing one part of the sample set in use.

Time zone and culture, escalation-level values, custom fields and the mock vault.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtCore import QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.document import sample_edit as se
from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.language.dotnet_format import KNOWN_CULTURES
from uptrends_studio.gui.sample_models import (
    CustomFieldsModel,
    EscalationValuesModel,
    VaultModel,
)
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.samples.value_editing import (
    ErrorLabel,
    ValueDelegate,
    selected_rows,
    small_table,
)
from uptrends_studio.gui.section import FoldingSection

_BODY_MARGINS = (18, 0, 0, 4)


class ZoneCultureSection(FoldingSection):
    """The account time zone (an IANA name, checked) and the culture of the sample.

    Signals:
        expanded_changed(bool): inherited from :class:`FoldingSection`.
    """

    def __init__(
        self, samples: SampleState, catalogue: Catalogue, parent: QWidget | None = None
    ) -> None:
        super().__init__("Time zone and culture", QWidget(), parent)
        self._samples = samples
        self._catalogue = catalogue
        zones = sorted(available_timezones())
        body = self.body
        self.timezone_box = QComboBox(body)
        self.timezone_box.setObjectName("timezone")
        self.timezone_box.setEditable(True)
        self.timezone_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone_box.addItems(zones)
        self.timezone_box.setMaxVisibleItems(15)
        completer = QCompleter(zones, self.timezone_box)
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
        self.timezone_error = ErrorLabel(body)

        self.culture_box = QComboBox(body)
        self.culture_box.setObjectName("culture")
        self.culture_box.addItems(KNOWN_CULTURES)
        self.culture_box.setToolTip("Date and time format of the *Formatted values")
        self.culture_box.activated.connect(self._on_culture_box_activated)

        form = QFormLayout(body)
        form.setContentsMargins(*_BODY_MARGINS)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Time zone:", self.timezone_box)
        form.addRow(self.timezone_error)
        form.addRow("Culture:", self.culture_box)

    def show_sample(self) -> None:
        """Show the zone and culture of the sample in use (defaults when it sets none)."""
        self._sync_zone()
        sample = self._samples.sample
        zone = sample.timezone or self._catalogue.default_timezone
        culture = sample.culture or self._catalogue.default_culture
        self.set_title(f"Time zone and culture: {zone}, {culture}")

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


class _TableSection(FoldingSection):
    """A folding section around one small table of the sample; long values open a dialog.

    Signals:
        edit_requested(QPersistentModelIndex): edit this value of the table in a dialog.
        expanded_changed(bool): inherited from :class:`FoldingSection`.
    """

    edit_requested = Signal(QPersistentModelIndex)

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(title, QWidget(), parent)
        self.delegate = ValueDelegate(self)  # one per view: a shared one commits to all
        self.delegate.long_edit_requested.connect(self._on_delegate_long_edit_requested)

    def _on_delegate_long_edit_requested(self, index: QPersistentModelIndex) -> None:
        if index.isValid():
            self.edit_requested.emit(index)


class EscalationSection(_TableSection):
    """The sample's values of the integration's escalation-level variables.

    Signals:
        edit_requested(QPersistentModelIndex): edit this value in a dialog.
        expanded_changed(bool): inherited from :class:`FoldingSection`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Escalation-level values", parent)
        body = self.body
        self.model = EscalationValuesModel(self)
        self.view = small_table(self.model, self.delegate, body)
        self.view.setColumnWidth(EscalationValuesModel.VARIABLE, 140)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu_requested)
        self.hint = QLabel(
            "The integration has no variables whose value is specified in the escalation level.",
            body,
        )
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.model.modelReset.connect(self._update)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(*_BODY_MARGINS)
        layout.addWidget(self.hint)
        layout.addWidget(self.view)

    def set_integration(self, integration: Integration) -> None:
        """List the escalation-level variables of ``integration``."""
        self.model.set_integration(integration)
        self._update()

    def show_sample(self, sample: SampleSet) -> None:
        """Show the values of ``sample``."""
        self.model.set_sample(sample)
        self._update()

    def _update(self) -> None:
        count = self.model.rowCount()
        self.set_title(f"Escalation-level values ({count})")
        self.hint.setVisible(count == 0)
        self.view.setVisible(count > 0)

    def _on_view_context_menu_requested(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        row = index.row()
        menu = QMenu(self)
        clear = menu.addAction("Remove the value")
        clear.setEnabled(self.model.has_value(row))
        clear.triggered.connect(lambda: self.model.clear(row))
        menu.exec(self.view.viewport().mapToGlobal(pos))


class CustomFieldsSection(_TableSection):
    """The sample's custom fields, for ``{{@CustomField(Name)}}``: add, edit, remove.

    Signals:
        edit_requested(QPersistentModelIndex): edit this value in a dialog.
        expanded_changed(bool): inherited from :class:`FoldingSection`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Custom fields", parent)
        body = self.body
        self.model = CustomFieldsModel(self)
        self.view = small_table(self.model, self.delegate, body)
        self.view.setColumnWidth(CustomFieldsModel.NAME, 120)
        self.add_button = QPushButton("Add", body)
        self.add_button.setToolTip("Add a custom field for {{@CustomField(Name)}}")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button = QPushButton("Remove", body)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(*_BODY_MARGINS)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def show_sample(self, sample: SampleSet) -> None:
        """Show the custom fields of ``sample``."""
        self.model.set_sample(sample)
        self.set_title(f"Custom fields ({len(sample.custom_fields)})")

    def _on_add_button_clicked(self) -> None:
        row = self.model.add()
        self.set_expanded(True)
        index = self.model.index(row, CustomFieldsModel.NAME)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def _on_remove_button_clicked(self) -> None:
        self.model.remove(selected_rows(self.view))


class MockVaultSection(_TableSection):
    """The sample's mock vault: credential sets for variables that take a vault value.

    Signals:
        edit_requested(QPersistentModelIndex): edit this value in a dialog.
        expanded_changed(bool): inherited from :class:`FoldingSection`.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Mock vault", parent)
        body = self.body
        self.model = VaultModel(self)
        self.view = small_table(self.model, self.delegate, body)
        self.view.setColumnWidth(VaultModel.ITEM, 150)
        self.view.setColumnWidth(VaultModel.USERNAME, 90)
        self.add_button = QPushButton("Add", body)
        self.add_button.setToolTip("Add a credential set with a new item GUID")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button = QPushButton("Remove", body)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.show_passwords = QCheckBox("Show passwords", body)
        self.show_passwords.toggled.connect(self.model.set_show_passwords)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
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
        layout.setContentsMargins(*_BODY_MARGINS)
        layout.addWidget(hint)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def show_sample(self, sample: SampleSet) -> None:
        """Show the credential sets of ``sample``."""
        self.model.set_sample(sample)
        self.set_title(f"Mock vault ({len(sample.vault)})")

    def _on_add_button_clicked(self) -> None:
        row = self.model.add()
        self.set_expanded(True)
        index = self.model.index(row, VaultModel.USERNAME)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def _on_remove_button_clicked(self) -> None:
        self.model.remove(selected_rows(self.view))
