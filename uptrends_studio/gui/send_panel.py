"""The Test tab's "Send test alert" controls: message type, sample, escalation values, buttons."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.app.workspace import SampleSets
from uptrends_studio.core.document.model import ALERT_TYPES, AlertType, Integration, VariableMode
from uptrends_studio.gui.run_view import set_bold
from uptrends_studio.gui.sample_state import SampleState

COPY_FORMATS: tuple[tuple[str, str], ...] = (
    ("curl", "cURL"),
    ("httpie", "HTTPie"),
    ("powershell", "PowerShell (Invoke-RestMethod)"),
    ("python", "Python (requests)"),
)
"""``core.snippets.SnippetFormat`` values and their menu labels (snippets load on first use)."""


def _labelled(text: str) -> QLabel:
    label = QLabel(text)
    set_bold(label)
    return label


class SendPanel(QWidget):
    """What to send and the buttons that send it.

    Signals:
        send_requested: "Send test alert" (the selected message type).
        lifecycle_requested: "Lifecycle run".
        cancel_requested: "Cancel".
        copy_requested(str): "Copy request as" a ``SnippetFormat`` value.
        status_message(str): a short message for the status bar.
    """

    send_requested = Signal()
    lifecycle_requested = Signal()
    cancel_requested = Signal()
    copy_requested = Signal(str)
    status_message = Signal(str)

    def __init__(
        self, samples: SampleState, sample_sets: SampleSets, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.samples = samples
        self.sample_sets = sample_sets
        self._override_edits: dict[str, QLineEdit] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(_labelled("Send test alert"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.type_combo = QComboBox()
        for alert_type in ALERT_TYPES:
            self.type_combo.addItem(f"{alert_type.value} alert", alert_type.value)
        self.type_combo.setToolTip("The message type to send, as in Uptrends' test dialog")
        form.addRow("Alert type", self.type_combo)
        self.sample_combo = QComboBox()
        self.sample_combo.setToolTip(
            "The sample alert data the message is filled with (edit it in the Sample alert "
            "data panel)"
        )
        self.sample_combo.activated.connect(self._on_sample_combo_activated)
        form.addRow("Sample", self.sample_combo)
        layout.addLayout(form)

        self.overrides_box = QWidget()
        self.overrides_form = QFormLayout(self.overrides_box)
        self.overrides_form.setContentsMargins(0, 0, 0, 0)
        self.overrides_title = QLabel("Escalation-level values")
        self.overrides_title.setToolTip(
            "Values of the variables set per escalation level; empty fields use the sample's"
        )
        layout.addWidget(self.overrides_title)
        layout.addWidget(self.overrides_box)

        self.send_button = QPushButton("Send test alert")
        self.send_button.setToolTip("Send the selected message for real (Ctrl+Enter)")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send_requested)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop waiting for the answer (Esc); a late answer is ignored")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button, 1)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

        lifecycle_row = QHBoxLayout()
        self.lifecycle_button = QPushButton("Lifecycle run")
        self.lifecycle_button.setToolTip(
            "Send Error, then the Reminders, then Ok, and check that they share the incident "
            "key (Ctrl+Shift+Enter)"
        )
        self.lifecycle_button.clicked.connect(self.lifecycle_requested)
        self.reminders_spin = QSpinBox()
        self.reminders_spin.setRange(0, 10)
        self.reminders_spin.setValue(1)
        self.reminders_spin.setSuffix(" reminder(s)")
        self.reminders_spin.setToolTip("How many Reminder messages to send between Error and Ok")
        lifecycle_row.addWidget(self.lifecycle_button, 1)
        lifecycle_row.addWidget(self.reminders_spin)
        layout.addLayout(lifecycle_row)

        self.to_receiver_check = QCheckBox("Send to the local receiver instead")
        self.to_receiver_check.setToolTip(
            "Every step goes to the Studio's local receiver (its port on the Local receiver "
            "page) instead of its own URL; the integration is not changed"
        )
        layout.addWidget(self.to_receiver_check)

        self.copy_button = QPushButton("Copy request as")
        self.copy_button.setToolTip(
            "Copy the selected message's request as a command, without sending it "
            "(secrets masked unless revealed)"
        )
        menu = QMenu(self.copy_button)
        for key, label in COPY_FORMATS:
            action = menu.addAction(label)
            action.triggered.connect(lambda _=False, k=key: self.copy_requested.emit(k))
        self.copy_button.setMenu(menu)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addStretch(1)
        layout.addLayout(copy_row)

        self.samples.changed.connect(self.sync_sample_picker)
        self.sync_sample_picker()

    # -- state --------------------------------------------------------------------------------

    def alert_type(self) -> AlertType:
        """The message type selected for sending."""
        data = self.type_combo.currentData()
        return AlertType(data) if isinstance(data, str) else AlertType.ERROR

    def set_alert_type(self, alert_type: AlertType) -> None:
        """Select the message type to send."""
        self.type_combo.setCurrentIndex(self.type_combo.findData(alert_type.value))

    def overrides(self) -> dict[str, str]:
        """The escalation-level values typed in (empty fields are left out)."""
        return {name: edit.text() for name, edit in self._override_edits.items() if edit.text()}

    def set_overrides(self, values: dict[str, str]) -> None:
        """Fill the escalation-level fields (masked values, ``•``, are left empty)."""
        for name, edit in self._override_edits.items():
            value = values.get(name, "")
            edit.setText("" if "•" in value else value)

    def override_edit(self, name: str) -> QLineEdit | None:
        """The field of escalation-level variable ``name``."""
        return self._override_edits.get(name)

    def set_busy(self, busy: bool) -> None:
        """A test started or ended."""
        self.send_button.setEnabled(not busy)
        self.lifecycle_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    # -- escalation-level fields and the sample picker ----------------------------------------

    def sync_overrides(self, integration: Integration) -> None:
        """One field per escalation-level variable of ``integration`` (typed values kept)."""
        names = [v.name for v in integration.variables if v.mode is VariableMode.ESCALATION_LEVEL]
        if names == list(self._override_edits):
            self._update_override_placeholders()
            return
        kept = {name: edit.text() for name, edit in self._override_edits.items()}
        while self.overrides_form.rowCount():
            self.overrides_form.removeRow(0)
        self._override_edits = {}
        for name in names:
            edit = QLineEdit(kept.get(name, ""))
            edit.setClearButtonEnabled(True)
            self._override_edits[name] = edit
            self.overrides_form.addRow(name, edit)
        self.overrides_title.setVisible(bool(names))
        self.overrides_box.setVisible(bool(names))
        self._update_override_placeholders()

    def _update_override_placeholders(self) -> None:
        values = self.samples.sample.escalation_level
        for name, edit in self._override_edits.items():
            edit.setPlaceholderText(values.get(name, "") or "(empty in the sample)")

    def sync_sample_picker(self) -> None:
        """Show the sample sets, the one in use selected."""
        self.sample_combo.blockSignals(True)
        self.sample_combo.clear()
        current = self.samples.key
        builtins = self.sample_sets.builtin_headers()
        for header in builtins:
            self.sample_combo.addItem(header.name or header.key, header.key)
        if current not in {header.key for header in builtins}:
            self.sample_combo.addItem(self.samples.sample.name or Path(current).name, current)
        index = self.sample_combo.findData(current)
        self.sample_combo.setCurrentIndex(max(index, 0))
        if self.samples.edited:
            self.sample_combo.setItemText(
                self.sample_combo.currentIndex(), f"{self.sample_combo.currentText()} (edited)"
            )
        self.sample_combo.blockSignals(False)
        self._update_override_placeholders()

    def _on_sample_combo_activated(self, index: int) -> None:
        key = str(self.sample_combo.itemData(index))
        sample = self.sample_sets.builtin(key)
        if sample is not None and key != self.samples.key:
            self.samples.set_sample(sample, key=key)

    def select_sample_named(self, name: str) -> None:
        """Switch to the built-in sample set called ``name`` (a stored run's), if there is one."""
        found = self.sample_sets.builtin_named(name)
        if found is None:
            self.status_message.emit(
                f"The sample '{name}' of that run is not a built-in set; sending with "
                f"'{self.samples.sample.name}'"
            )
            return
        key, sample = found
        self.samples.set_sample(sample, key=key)
