"""The Test tab's "History" page: the stored runs of the open integration, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.delivery.history import History, RunRecord
from uptrends_studio.gui.run_view import RunView
from uptrends_studio.gui.theme import colours

if TYPE_CHECKING:
    from uptrends_studio.gui.compare_dialog import CompareDialog


class HistoryPage(QWidget):
    """The stored runs of one integration; "Send again" asks the tab to resend one.

    Signals:
        resend_requested(object): send the :class:`RunRecord`'s message type again.
        count_changed(int): how many runs are listed now.
    """

    resend_requested = Signal(object)
    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._records: list[RunRecord] = []
        self._history: History | None = None
        self._can_send = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        top = QHBoxLayout()
        self.history_label = QLabel()
        self.history_label.setToolTip(
            "Every test of this integration is kept here; secret values are never stored"
        )
        self.resend_button = QPushButton("Send again")
        self.resend_button.setToolTip(
            "Send the selected run's message type again with the same sample and values, "
            "using the integration as it is now"
        )
        self.resend_button.clicked.connect(self.resend_selected)
        self.clear_history_button = QPushButton("Clear history")
        self.clear_history_button.clicked.connect(self.clear_history)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search runs: status, URL, body, sample…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.compare_button = QPushButton("Compare")
        self.compare_button.setToolTip(
            "Select two runs (Ctrl+click) to see their requests and responses side by side"
        )
        self.compare_button.setEnabled(False)
        self.compare_button.clicked.connect(self.compare_selected)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.compare_button)
        top.addWidget(self.history_label, 1)
        top.addWidget(self.resend_button)
        top.addWidget(self.clear_history_button)
        layout.addLayout(top)
        layout.addLayout(search_row)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.history_list = QListWidget()
        self.history_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.history_list.itemSelectionChanged.connect(self._on_history_list_selection_changed)
        self.history_list.currentRowChanged.connect(self._on_history_list_current_row_changed)
        self.history_list.itemActivated.connect(lambda _item: self.resend_selected())
        self.history_view = RunView()
        self.history_view.show_message("Select a run to see it.")
        splitter.addWidget(self.history_list)
        splitter.addWidget(self.history_view)
        splitter.setSizes([160, 400])
        layout.addWidget(splitter, 1)

    def show_history(self, history: History) -> None:
        """List the runs of ``history`` (read again from disk), newest first."""
        self._history = history
        self._records = history.records()
        self.history_list.clear()
        for record in self._records:
            when = datetime.fromisoformat(record.started_at).astimezone()
            status = "✓" if record.success else ("·" if record.nothing_selected else "✗")
            last = record.exchanges[-1] if record.exchanges else None
            answer = (
                f"{last.status} {last.reason}".strip()
                if last is not None and last.status is not None
                else (last.error if last is not None else "nothing sent")
            )
            item = QListWidgetItem(
                f"{status}  {when:%Y-%m-%d %H:%M:%S}  {record.alert_type.value:<8}  "
                f"{answer}  ·  {record.label or 'test'}  ·  sample {record.sample_name}"
            )
            self.history_list.addItem(item)
        self._apply_colours()
        count = len(self._records)
        self.history_label.setText(f"{count} run{'s' if count != 1 else ''}, newest first")
        self.resend_button.setEnabled(False)
        self.clear_history_button.setEnabled(count > 0)
        self.history_view.show_message("Select a run to see it.")
        self._on_search_edit_text_changed(self.search_edit.text())
        self.count_changed.emit(count)

    def _apply_colours(self) -> None:
        named = colours(self.palette())
        for row, record in enumerate(self._records):
            item = self.history_list.item(row)
            if item is not None:
                item.setForeground(QColor(named.ok if record.success else named.error))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # theme switched: the colours follow
            self._apply_colours()

    def set_can_send(self, can_send: bool) -> None:
        """Whether "Send again" may be offered (not while a test runs)."""
        self._can_send = can_send
        self.resend_button.setEnabled(can_send and self.selected() is not None)

    def selected(self) -> RunRecord | None:
        """The selected run, if any."""
        row = self.history_list.currentRow()
        return self._records[row] if 0 <= row < len(self._records) else None

    def _on_history_list_current_row_changed(self, row: int) -> None:
        record = self.selected()
        if record is not None:
            self.history_view.set_records([record])
        self.resend_button.setEnabled(self._can_send and record is not None)

    def _on_search_edit_text_changed(self, text: str) -> None:
        """Hide the runs that do not contain ``text`` (label, URL, status, bodies, sample)."""
        needle = text.strip().casefold()
        for row, record in enumerate(self._records):
            item = self.history_list.item(row)
            haystack = " ".join(
                [item.text(), record.sample_name, record.label]
                + [
                    f"{e.method} {e.url} {e.status} {e.reason} {e.error} "
                    f"{e.request_body} {e.response_body}"
                    for e in record.exchanges
                ]
            ).casefold()
            item.setHidden(bool(needle) and needle not in haystack)
        shown = sum(not self.history_list.item(r).isHidden() for r in range(len(self._records)))
        count = len(self._records)
        self.history_label.setText(
            f"{shown} of {count} runs match"
            if needle
            else f"{count} run{'s' if count != 1 else ''}, newest first"
        )

    def compared(self) -> list[RunRecord]:
        """The selected runs, oldest first (two are compared)."""
        rows = sorted({i.row() for i in self.history_list.selectedIndexes()}, reverse=True)
        return [self._records[r] for r in rows if 0 <= r < len(self._records)]

    def _on_history_list_selection_changed(self) -> None:
        self.compare_button.setEnabled(len(self.compared()) == 2)

    def compare_selected(self) -> CompareDialog | None:
        """Show the two selected runs side by side, differences highlighted."""
        runs = self.compared()
        if len(runs) != 2:
            return None
        from uptrends_studio.gui.compare_dialog import CompareDialog  # on first use

        dialog = CompareDialog(runs[0], runs[1], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def resend_selected(self) -> None:
        """Ask for the selected run to be sent again."""
        record = self.selected()
        if record is not None:
            self.resend_requested.emit(record)

    def clear_history(self) -> None:
        """Delete the stored runs of this integration."""
        if self._history is not None:
            self._history.clear()
            self.show_history(self._history)
