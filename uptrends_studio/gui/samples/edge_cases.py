"""The "Edge cases" switch: preview with values that break naive templates, and list what breaks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.document.samples import EDGE_CASES_SAMPLE, SampleSet
from uptrends_studio.core.rendering.preview import Preview
from uptrends_studio.gui.sample_state import SampleState

_DIAGNOSTIC_ROLE = Qt.ItemDataRole.UserRole + 1
_EDGE_LIST_HEIGHT = 150


def describe_diagnostic(diagnostic: Diagnostic) -> str:
    """Two lines for the edge-cases list: severity and place, then the message."""
    where = diagnostic.location or "integration"
    types = f" · for {', '.join(diagnostic.alert_types)}" if diagnostic.alert_types else ""
    return f"{diagnostic.severity.value} · {where}{types}\n{diagnostic.message}"


class EdgeCasesToggle(QWidget):
    """A switch to the built-in edge-cases sample and back, with the problems it shows.

    Turning it on remembers the sample set in use (edits included) and turning it off returns
    to it; choosing another set meanwhile turns it off with nothing to return to.

    Signals:
        diagnostic_activated(Diagnostic): a problem in the list was double-clicked.
    """

    diagnostic_activated = Signal(object)

    def __init__(
        self,
        samples: SampleState,
        edge_cases: Callable[[], SampleSet | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._samples = samples
        self._edge_cases = edge_cases
        """Gives the edge-cases set (read when first turned on), or None when it is missing."""
        self._before_edge_cases: tuple[SampleSet, str, bool] | None = None
        self._preview: Preview | None = None
        self._preview_seen = False

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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.edge_list)
        self._show_edge_state()

    def set_preview(self, preview: Preview) -> None:
        """Take the newest preview: when on, list what breaks."""
        self._preview = preview
        self._preview_seen = True
        self._fill_edge_list()

    def show_sample(self) -> None:
        """Follow the sample set in use: another set than the edge cases turns the switch off."""
        if self.edge_button.isChecked() and self._samples.key != EDGE_CASES_SAMPLE:
            self._before_edge_cases = None  # another set was chosen: nothing to restore
            self.edge_button.blockSignals(True)
            self.edge_button.setChecked(False)
            self.edge_button.blockSignals(False)
            self._show_edge_state()

    def _on_edge_button_toggled(self, checked: bool) -> None:
        if checked:
            edge_cases = self._edge_cases()
            if edge_cases is None:
                self.edge_button.setChecked(False)
                return
            self._before_edge_cases = (
                self._samples.sample,
                self._samples.key,
                self._samples.edited,
            )
            self._preview_seen = False
            self._samples.set_sample(edge_cases, key=EDGE_CASES_SAMPLE)
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
