"""The sample panel: choose, inspect and edit the sample alert data the preview renders with.

A compact vertical panel for a side dock, composed of the parts in
:mod:`uptrends_studio.gui.samples`: the sample-set chooser, the system-variable values (for all
alert types or one type), folding sections for time zone and culture, escalation-level values,
custom fields and the mock vault, and the "Edge cases" switch with what breaks.

Every edit builds a new :class:`SampleSet` (through the table models and
:mod:`uptrends_studio.core.document.sample_edit`) and hands it to the :class:`SampleState`
as edited.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from uptrends_studio.app.workspace import SampleSets
from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.document.samples import EDGE_CASES_SAMPLE, SampleSet
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.preview import Preview
from uptrends_studio.core.secret_store import LazyStore, SecretStore
from uptrends_studio.gui.sample_models import SampleTableModel, SampleValuesModel
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.samples.chooser import SampleChooser
from uptrends_studio.gui.samples.edge_cases import EdgeCasesToggle
from uptrends_studio.gui.samples.sections import (
    CustomFieldsSection,
    EscalationSection,
    MockVaultSection,
    ZoneCultureSection,
)
from uptrends_studio.gui.samples.value_editing import ValueEditDialog as ValueEditDialog
from uptrends_studio.gui.samples.values import SampleValuesSection


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
        # Mock-vault passwords of sample files live here, never in the file.
        self._secret_store: SecretStore = secret_store or LazyStore()
        # The sample sets to choose from: the same list as the Test tab's.
        sets = sample_sets or SampleSets(catalogue, store=self._secret_store, env=os.environ)
        self.chooser = SampleChooser(
            samples, sets, sets.builtin_headers(), self._secret_store, self
        )
        self.values = SampleValuesSection(SampleValuesModel(catalogue, self), self)
        self.zone_section = ZoneCultureSection(samples, catalogue, self)
        self.escalation_section = EscalationSection(self)
        self.custom_fields_section = CustomFieldsSection(self)
        self.vault_section = MockVaultSection(self)
        self.edge_cases = EdgeCasesToggle(samples, lambda: sets.builtin(EDGE_CASES_SAMPLE), self)
        self._expose_parts()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.chooser)
        layout.addWidget(self.values, 1)
        layout.addWidget(self.zone_section)
        layout.addWidget(self.escalation_section)
        layout.addWidget(self.custom_fields_section)
        layout.addWidget(self.vault_section)
        layout.addWidget(self.edge_cases)

        for model in (
            self.values_model,
            self.escalation_model,
            self.custom_fields_model,
            self.vault_model,
        ):
            model.edited.connect(self._on_model_edited)
            model.refused.connect(self.values.show_error)
        for part in (
            self.values,
            self.escalation_section,
            self.custom_fields_section,
            self.vault_section,
        ):
            part.edit_requested.connect(self.edit_in_dialog)
        self.edge_cases.diagnostic_activated.connect(self.diagnostic_activated)
        samples.changed.connect(self._on_samples_changed)
        self._on_samples_changed()

    def _expose_parts(self) -> None:
        """The parts' widgets and models under the names the panel has always offered."""
        self.picker = self.chooser.picker
        self.edited_label = self.chooser.edited_label
        self.save_button = self.chooser.save_button
        self.values_model = self.values.model
        self.values_for = self.values.values_for
        self.filter_edit = self.values.filter_edit
        self.values_view = self.values.values_view
        self.value_details = self.values.value_details
        self.value_error = self.values.value_error
        self.edit_action = self.values.edit_action
        self.reset_action = self.values.reset_action
        self.copy_action = self.values.copy_action
        self.timezone_box = self.zone_section.timezone_box
        self.timezone_error = self.zone_section.timezone_error
        self.culture_box = self.zone_section.culture_box
        self.escalation_model = self.escalation_section.model
        self.escalation_view = self.escalation_section.view
        self.escalation_hint = self.escalation_section.hint
        self.custom_fields_model = self.custom_fields_section.model
        self.custom_fields_view = self.custom_fields_section.view
        self.add_field_button = self.custom_fields_section.add_button
        self.remove_field_button = self.custom_fields_section.remove_button
        self.vault_model = self.vault_section.model
        self.vault_view = self.vault_section.view
        self.add_vault_button = self.vault_section.add_button
        self.remove_vault_button = self.vault_section.remove_button
        self.show_passwords = self.vault_section.show_passwords
        self.edge_button = self.edge_cases.edge_button
        self.edge_status = self.edge_cases.edge_status
        self.edge_list = self.edge_cases.edge_list

    # -- public API ----------------------------------------------------------------------------

    def set_integration(self, integration: Integration) -> None:
        """List the escalation-level variables of ``integration``."""
        self.escalation_section.set_integration(integration)

    def set_preview(self, preview: Preview) -> None:
        """Take the newest preview: with edge cases on, list what breaks."""
        self.edge_cases.set_preview(preview)

    def set_default_folder(self, path: Path | None) -> None:
        """Where "Save as…" proposes to save (the integration file's folder)."""
        self.chooser.set_default_folder(path)

    def use_sample_file(self, path: Path) -> bool:
        """Use the sample file at ``path`` (e.g. one made from an Uptrends alert)."""
        return self.chooser.use_sample_file(path)

    def save_edits(self) -> bool:
        """Save the edited sample set to its file (asks for one for a built-in); True when saved."""
        return self.chooser.save_edits()

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

    # -- reacting to the sample ----------------------------------------------------------------

    def _on_samples_changed(self) -> None:
        sample = self._samples.sample
        self.edge_cases.show_sample()
        self.chooser.show_sample()
        self.values_model.set_sample(sample)
        self.escalation_section.show_sample(sample)
        self.custom_fields_section.show_sample(sample)
        self.vault_section.show_sample(sample)
        self.values.update_value_details()
        self.zone_section.show_sample()

    def _on_model_edited(self, sample: object) -> None:
        assert isinstance(sample, SampleSet)
        self.values.hide_error()
        self._samples.set_sample(sample, edited=True)
