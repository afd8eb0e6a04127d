"""The Test tab's "History" page: the stored runs of the open integration, newest first."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
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
        top.addWidget(self.history_label, 1)
        top.addWidget(self.resend_button)
        top.addWidget(self.clear_history_button)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.history_list = QListWidget()
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
