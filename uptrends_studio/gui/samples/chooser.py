"""Choosing the sample set: the picker with "Open sample file…", the "edited" mark, "Save as…"."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from uptrends_studio.app.workspace import SampleSets
from uptrends_studio.core.document import sample_edit as se
from uptrends_studio.core.document.sample_files import save_sample_with_secrets
from uptrends_studio.core.document.sample_headers import SampleHeader
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.secret_store import SecretStore
from uptrends_studio.gui.sample_models import dim_color
from uptrends_studio.gui.sample_state import SampleState

OPEN_FILE = "\x00open"
"""Item data of the picker's "Open sample file…" entry."""

FILE_FILTER = "Sample files (*.sample.json);;JSON files (*.json);;All files (*)"


class SampleChooser(QWidget):
    """One row: which sample set the preview uses, whether it was edited, and "Save as…".

    The picker lists the built-in sets, the sample file in use and "Open sample file…"; a
    choice that would drop unsaved edits asks first. Mock-vault passwords of sample files are
    read from and saved to ``secret_store``, never the file. It emits no signals: the choice
    goes to the :class:`SampleState`.
    """

    def __init__(
        self,
        samples: SampleState,
        sample_sets: SampleSets,
        builtins: Sequence[SampleHeader],
        secret_store: SecretStore,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._samples = samples
        self._sample_sets = sample_sets
        self._builtins = {header.key for header in builtins}
        self._secret_store = secret_store
        self._default_folder: Path | None = None

        self.picker = QComboBox(self)
        self.picker.setObjectName("samplePicker")
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.picker.setMinimumContentsLength(12)
        self.picker.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.picker.setToolTip("The sample alert data the preview renders with")
        for header in builtins:
            self.picker.addItem(header.name, header.key)
            self.picker.setItemData(
                self.picker.count() - 1, header.description, Qt.ItemDataRole.ToolTipRole
            )
        self.picker.insertSeparator(self.picker.count())
        self.picker.addItem("Open sample file…", OPEN_FILE)
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

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Sample:", self)
        label.setBuddy(self.picker)
        row.addWidget(label)
        row.addWidget(self.picker, 1)
        row.addWidget(self.edited_label)
        row.addWidget(self.save_button)
        self._apply_colours()

    def set_default_folder(self, path: Path | None) -> None:
        """Where "Save as…" proposes to save (the integration file's folder)."""
        self._default_folder = path

    def show_sample(self) -> None:
        """Show the sample set now in use (and whether it was edited)."""
        self._sync_picker()
        self.edited_label.setVisible(self._samples.edited)

    def use_sample_file(self, path: Path) -> bool:
        """Use the sample file at ``path`` (after asking about unsaved edits)."""
        return self._confirm_discard() and self._use_file(path)

    # -- the picker ----------------------------------------------------------------------------

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
        if isinstance(data, str) and data not in self._builtins and data != OPEN_FILE:
            return index
        return -1

    def _on_picker_activated(self, index: int) -> None:
        key = self.picker.itemData(index)
        if key == OPEN_FILE:
            self._open_file()
        elif isinstance(key, str) and key != self._samples.key:
            self._choose(key)
        self._sync_picker()

    def _choose(self, key: str) -> None:
        if not self._confirm_discard():
            return
        sample: SampleSet | None
        if key in self._builtins:  # parsed now if it was not yet
            sample = self._sample_sets.builtin(key)
            if sample is None:
                QMessageBox.warning(
                    self,
                    "Cannot use the sample set",
                    f"The built-in sample set “{key}” cannot be read; the installation may "
                    "be damaged (the details are in the log file).",
                )
                return
        else:  # the file entry: read it again
            try:
                sample = self._load_file(Path(key))
            except StudioError as exc:
                QMessageBox.warning(self, "Cannot open the sample file", str(exc))
                return
        self._samples.set_sample(sample, key=key)

    # -- files ---------------------------------------------------------------------------------

    def _load_file(self, path: Path) -> SampleSet:
        """A sample file with its mock-vault passwords from the secret sources."""
        return self._sample_sets.load_file(path).sample

    def _open_file(self) -> None:
        if not self._confirm_discard():
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Open sample file", str(self._folder()), FILE_FILTER
        )
        if path:
            self._use_file(Path(path))

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

    # -- colours -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colours()
        super().changeEvent(event)

    def _apply_colours(self) -> None:
        self.edited_label.setStyleSheet(f"color: {dim_color().name()};")
