"""The Message types tab: which step sends each alert type, and the three messages compared.

The top half is a matrix of steps by alert type (the message step, the helper steps that run
before it, and types ticked twice) with the coverage problems in plain words. The bottom half
shows the Error, Reminder and Ok requests side by side with what differs between them
highlighted (:func:`uptrends_studio.core.rendering.request_diff.diff_segments`).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import partial
from typing import NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.targets import is_target_code
from uptrends_studio.core.document.model import ALERT_TYPES, AlertType, Integration
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.rendering.messages import RenderedRequest, coverage, select_steps
from uptrends_studio.core.rendering.preview import Preview
from uptrends_studio.core.rendering.request_diff import diff_segments
from uptrends_studio.core.secrets import Masker, masked_request, masker_for
from uptrends_studio.gui.code_view import CodeView, PrettyJson
from uptrends_studio.gui.preview_pane import (
    masked,
    pretty_body,
    request_head,
)
from uptrends_studio.gui.theme import banner_style, colours_for, is_dark

COVERAGE_CODES: frozenset[str] = frozenset(
    {"no-steps", "type-ticked-twice", "no-error-step", "no-reminder-step", "no-ok-step"}
)
"""The diagnostics about which steps are ticked for which alert types."""

TYPE_COLUMN_WIDTH = 96
"""Width of the Error, Reminder and Ok columns of the matrix."""

STEP_COLUMN_MIN_WIDTH = 200

MATRIX_MAX_ROWS = 8
"""The matrix grows with the steps up to this many rows, then scrolls."""

_Index = QModelIndex | QPersistentModelIndex


class CellState(StrEnum):
    """What a step does for an alert type."""

    NONE = "none"
    """Does not run for the type."""
    MESSAGE = "message"
    """Sends the message of the type."""
    HELPER = "helper"
    """Runs first, before the message step (no type ticked)."""
    CONFLICT = "conflict"
    """Sends the message, but the type is also ticked on a later step."""
    IGNORED = "ignored"
    """The type is ticked, but an earlier step has it too, so this tick is ignored."""


_CELL_TEXT = {
    CellState.NONE: "",
    CellState.MESSAGE: "✓",
    CellState.HELPER: "helper",
    CellState.CONFLICT: "✓",
    CellState.IGNORED: "ticked twice",
}


class RequestText(NamedTuple):
    """What a column shows of a request: its text, or its beginning and how to get the rest."""

    text: str
    """``METHOD URL``, the headers, a blank line and the pretty body (or its beginning)."""
    whole: Callable[[], str] | None
    """The whole text when ``text`` is only its beginning (a long JSON body), else ``None``."""


def request_text(request: RenderedRequest, secrets: list[str] | None) -> RequestText:
    """``METHOD URL``, the headers, a blank line and the pretty body, masked unless revealed.

    Of a long JSON body only what a view shows is indented; ``whole`` indents the rest.
    """
    head = request_head(request, secrets)
    pretty = pretty_body(request)
    text = f"{head}\n\n{masked(pretty.text, secrets)}"
    if pretty.complete:
        return RequestText(text, None)
    return RequestText(text, partial(_whole_text, head, pretty, secrets))


def _whole_text(head: str, pretty: PrettyJson, secrets: list[str] | None) -> str:
    return f"{head}\n\n{masked(pretty.whole(), secrets)}"


class StepMatrixModel(QAbstractTableModel):
    """Steps (rows) by alert type (columns): which step sends, which runs first.

    Column 0 is the step name; columns 1-3 are Error, Reminder and Ok.
    """

    COLUMN_STEP = 0
    COLUMN_ERROR = 1
    COLUMN_REMINDER = 2
    COLUMN_OK = 3
    TYPE_COLUMNS: dict[int, AlertType] = {  # noqa: RUF012 - a constant table
        COLUMN_ERROR: AlertType.ERROR,
        COLUMN_REMINDER: AlertType.REMINDER,
        COLUMN_OK: AlertType.OK,
    }
    CELL_STATE_ROLE = Qt.ItemDataRole.UserRole + 1
    """A :class:`CellState` value (type columns only)."""
    STEP_INDEX_ROLE = Qt.ItemDataRole.UserRole + 2
    """The 0-based step index of the row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names: list[str] = []
        self._cells: list[dict[AlertType, CellState]] = []
        self._tips: list[dict[AlertType, str]] = []
        self._dark = False

    def set_integration(self, integration: Integration) -> None:
        """Show the steps of ``integration``."""
        steps = integration.steps
        names = [step.name or "(unnamed)" for step in steps]
        cells: list[dict[AlertType, CellState]] = [
            dict.fromkeys(ALERT_TYPES, CellState.NONE) for _ in steps
        ]
        tips: list[dict[AlertType, str]] = [dict.fromkeys(ALERT_TYPES, "") for _ in steps]
        for alert_type in ALERT_TYPES:
            name = alert_type.value
            ticked = [i for i, step in enumerate(steps) if alert_type in step.alert_types]
            selected = select_steps(integration, alert_type)
            message = next((s.index for s in selected if not s.helper), None)
            for chosen in selected:
                row = chosen.index
                if chosen.helper:
                    cells[row][alert_type] = CellState.HELPER
                    tips[row][alert_type] = (
                        f"Helper step: runs before step {message + 1 if message is not None else 0}"
                        f" for {name} alerts"
                    )
                else:
                    cells[row][alert_type] = CellState.MESSAGE
                    tips[row][alert_type] = f"Sends the {name} message"
            if len(ticked) > 1:
                first = ticked[0]
                others = ", ".join(str(i + 1) for i in ticked[1:])
                cells[first][alert_type] = CellState.CONFLICT
                tips[first][alert_type] = (
                    f"{name} is also ticked on step {others}. Uptrends allows one step per "
                    f"alert type; the preview sends this step."
                )
                for row in ticked[1:]:
                    cells[row][alert_type] = CellState.IGNORED
                    tips[row][alert_type] = (
                        f"{name} is already ticked on step {first + 1} ('{names[first]}'). "
                        f"Uptrends allows one step per alert type; the preview ignores this tick."
                    )
        self.beginResetModel()
        self._names = names
        self._cells = cells
        self._tips = tips
        self.endResetModel()

    def set_dark(self, dark: bool) -> None:
        """Use colours readable on a dark (True) or light background."""
        if dark == self._dark:
            return
        self._dark = dark
        if self._names:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._names) - 1, 3))

    def state(self, row: int, alert_type: AlertType) -> CellState:
        """What step ``row`` does for ``alert_type``."""
        return self._cells[row][alert_type]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._names)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else 4

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._names):
            return None
        row, column = index.row(), index.column()
        if role == self.STEP_INDEX_ROLE:
            return row
        if column == self.COLUMN_STEP:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._names[row]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Step {row + 1}: double-click to edit it"
            return None
        alert_type = self.TYPE_COLUMNS.get(column)
        if alert_type is None:
            return None
        state = self._cells[row][alert_type]
        if role == Qt.ItemDataRole.DisplayRole:
            return _CELL_TEXT[state]
        if role == self.CELL_STATE_ROLE:
            return state.value
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tips[row][alert_type] or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(state)
        if role == Qt.ItemDataRole.BackgroundRole and state in (
            CellState.CONFLICT,
            CellState.IGNORED,
        ):
            return QColor(colours_for(self._dark).error_background)
        return None

    def _foreground(self, state: CellState) -> QColor | None:
        if state in (CellState.CONFLICT, CellState.IGNORED):
            return QColor(colours_for(self._dark).error)
        if state is CellState.MESSAGE:
            return QColor(colours_for(self._dark).ok)
        if state is CellState.HELPER:
            return QColor(colours_for(self._dark).neutral)
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if 0 <= section < len(self._names) else None
        if section == self.COLUMN_STEP:
            return "Step"
        alert_type = self.TYPE_COLUMNS.get(section)
        return alert_type.value if alert_type is not None else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def coverage_text(diagnostic: Diagnostic) -> str:
    """A coverage diagnostic as a sentence: capitalised, with a full stop."""
    message = diagnostic.message
    if not message:
        return ""
    message = message[0].upper() + message[1:]
    return message if message.endswith(".") else message + "."


class _Column(QWidget):
    """One alert type of the side-by-side comparison: a caption and the request."""

    def __init__(self, alert_type: AlertType, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alert_type = alert_type
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.view = CodeView()
        self.view.setObjectName(f"compare{alert_type.value}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)


_ProblemLine = tuple[QStyle.StandardPixmap, str, str | None, str]
"""One coverage line: icon, message, colour (``None``: the palette's), tooltip."""


class MessageTypesTab(QWidget):
    """Which step sends which message, and the Error/Reminder/Ok requests compared.

    Signals:
        step_activated(int): a step row was double-clicked (0-based step index).
        reveal_toggled(bool): "Reveal secrets" was ticked (True) or unticked (False).
    """

    step_activated = Signal(int)
    reveal_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._preview = Preview()
        self._integration: Integration | None = None
        self._sample: SampleSet | None = None
        self._texts: dict[AlertType, RequestText] = {}
        self._syncing = False

        self.model = StepMatrixModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(StepMatrixModel.COLUMN_STEP, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        for type_column in StepMatrixModel.TYPE_COLUMNS:
            header.setSectionResizeMode(type_column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(type_column, TYPE_COLUMN_WIDTH)
        self.table.setMinimumWidth(STEP_COLUMN_MIN_WIDTH + 3 * TYPE_COLUMN_WIDTH)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._on_table_double_clicked)

        self.problems = QWidget()
        self.problems.setObjectName("coverageProblems")
        self._problems_layout = QVBoxLayout(self.problems)
        self._problems_layout.setContentsMargins(0, 0, 0, 0)
        self._problems_layout.setSpacing(6)
        self._problem_rows: list[tuple[QLabel, QLabel, QWidget]] = []
        self._problems_shown: list[_ProblemLine] | None = None

        matrix_title = QLabel("<b>Which step sends each message</b>")
        matrix_hint = QLabel(
            "✓ sends the message · helper: runs first (no type ticked) · double-click a step "
            "to edit it"
        )
        matrix_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        matrix_hint.setWordWrap(True)
        matrix_box = QVBoxLayout()
        matrix_box.addWidget(matrix_title)
        matrix_box.addWidget(self.table)
        matrix_box.addWidget(matrix_hint)
        matrix_box.addStretch(1)
        problems_box = QVBoxLayout()
        problems_box.addWidget(QLabel("<b>Coverage</b>"))
        problems_box.addWidget(self.problems)
        problems_box.addStretch(1)
        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(16)
        top_layout.addLayout(matrix_box, 3)
        top_layout.addLayout(problems_box, 2)

        compare_title = QLabel("<b>The three messages side by side</b>")
        self._legend = QLabel()
        self._legend.setTextFormat(Qt.TextFormat.RichText)
        self._reveal = QCheckBox("Reveal secrets")
        self._reveal.setToolTip(
            "Show the values of secret variables, vault items and passwords.\n"
            "Passwords of authentication settings stay masked."
        )
        self._reveal.toggled.connect(self._on_reveal_toggled)
        compare_row = QHBoxLayout()
        compare_row.addWidget(compare_title)
        compare_row.addSpacing(12)
        compare_row.addWidget(self._legend)
        compare_row.addStretch(1)
        compare_row.addWidget(self._reveal)
        self._error = QLabel()
        self._error.setObjectName("previewError")
        self._error.setWordWrap(True)
        self._error.setTextFormat(Qt.TextFormat.PlainText)
        self._error.hide()
        self.columns: dict[AlertType, _Column] = {}
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.setChildrenCollapsible(False)
        for alert_type in ALERT_TYPES:
            column = _Column(alert_type)
            self.columns[alert_type] = column
            columns.addWidget(column)
            column.view.verticalScrollBar().valueChanged.connect(self._on_view_scrolled)
            column.view.horizontalScrollBar().valueChanged.connect(self._on_view_scrolled_sideways)
        columns.setSizes([1000] * len(ALERT_TYPES))
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(compare_row)
        bottom_layout.addWidget(self._error)
        bottom_layout.addWidget(columns, 1)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(top)
        layout.addWidget(bottom, 1)
        self._apply_palette()
        self._refresh()

    # -- public API -------------------------------------------------------------------------

    def set_preview(self, preview: Preview, integration: Integration, sample: SampleSet) -> None:
        """Show the steps of ``integration`` and the requests of ``preview``."""
        self._preview = preview
        self._integration = integration
        self._sample = sample
        self._refresh()

    def reveal_secrets(self) -> bool:
        """True when secret values are shown."""
        return self._reveal.isChecked()

    def set_reveal_secrets(self, reveal: bool) -> None:
        """Tick or untick "Reveal secrets"; emits :attr:`reveal_toggled` when it changes."""
        self._reveal.setChecked(reveal)

    def reveal_checkbox(self) -> QCheckBox:
        """The "Reveal secrets" check box."""
        return self._reveal

    def compare_text(self, alert_type: AlertType) -> str:
        """The text shown for ``alert_type`` in the comparison (``""``: nothing is sent)."""
        found = self._texts.get(alert_type)
        if found is None:
            return ""
        return found.text if found.whole is None else found.whole()

    def compare_view(self, alert_type: AlertType) -> CodeView:
        """The comparison view of ``alert_type``."""
        return self.columns[alert_type].view

    def problem_texts(self) -> list[str]:
        """The lines of the coverage list."""
        return [text.text() for _icon, text, _row in self._problem_rows]

    # -- internals ----------------------------------------------------------------------------

    def _refresh(self) -> None:
        integration = self._integration
        if integration is None:
            self.model.set_integration(Integration(name=""))
        else:
            self.model.set_integration(integration)
        self.table.setCurrentIndex(QModelIndex())  # no focus frame on a cell nobody chose
        self._fill_problems()
        self._fill_columns()
        self._fit_table()

    def _fit_table(self) -> None:
        """Make the matrix as tall as its rows (up to :data:`MATRIX_MAX_ROWS`)."""
        rows = min(max(self.model.rowCount(), 1), MATRIX_MAX_ROWS)
        vertical = self.table.verticalHeader()
        row_height = (
            vertical.sectionSize(0) if self.model.rowCount() else vertical.minimumSectionSize()
        )
        height = self.table.horizontalHeader().sizeHint().height() + rows * row_height
        self.table.setFixedHeight(height + 2 * self.table.frameWidth())

    def _fill_problems(self) -> None:
        rows = self._problem_list()
        if rows == self._problems_shown:
            return  # the usual case while typing: nothing to rebuild
        self._problems_shown = rows
        for _icon, _text, row in self._problem_rows:
            # Each row is a widget owned by the list's parent: deleteLater is safe. (Deleting
            # layouts taken out with takeAt() crashed: Python and Qt both deleted them.)
            self._problems_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self._problem_rows = []
        for pixmap, message, colour, tooltip in rows:
            self._add_problem(pixmap, message, colour, tooltip)

    def _problem_list(self) -> list[_ProblemLine]:
        """(icon, message, colour, tooltip) of each coverage line to show."""
        if self._integration is None:
            return []
        found = [d for d in coverage(self._integration) if d.code in COVERAGE_CODES]
        target = self._integration.target
        if target:
            # The target's rules (PagerDuty, Opsgenie, ...) judge the messages shown below.
            found += [d for d in self._preview.diagnostics if is_target_code(d.code, target)]
        dark = is_dark(self.palette())
        if not found:
            return [
                (
                    QStyle.StandardPixmap.SP_DialogApplyButton,
                    "Every alert type is sent by exactly one step.",
                    None,
                    "",
                )
            ]
        icons = {
            Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
            Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
            Severity.NOTE: QStyle.StandardPixmap.SP_MessageBoxInformation,
        }
        named = colours_for(dark)
        colours = {
            Severity.ERROR: named.error,
            Severity.WARNING: named.warning,
        }
        return [
            (
                icons[diagnostic.severity],
                coverage_text(diagnostic)
                + (f" ({', '.join(diagnostic.alert_types)})" if diagnostic.alert_types else ""),
                colours.get(diagnostic.severity),
                f"{diagnostic.severity.value.capitalize()} [{diagnostic.code}]"
                + (f" · {', '.join(diagnostic.alert_types)}" if diagnostic.alert_types else ""),
            )
            for diagnostic in sorted(found, key=lambda d: d.severity.rank)
        ]

    def _add_problem(
        self, pixmap: QStyle.StandardPixmap, message: str, colour: str | None, tooltip: str
    ) -> None:
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(QSize(size, size)))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QLabel(message)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setToolTip(tooltip)
        if colour is not None:
            text.setStyleSheet(f"color: {colour}")
        row = QWidget(self.problems)
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.setSpacing(6)
        row_layout.addWidget(icon)
        row_layout.addWidget(text, 1)
        self._problems_layout.addWidget(row)
        self._problem_rows.append((icon, text, row))

    def _fill_columns(self) -> None:
        preview = self._preview
        self._error.setText(
            f"The messages could not be rendered: {preview.error}" if preview.error else ""
        )
        self._error.setVisible(bool(preview.error))
        masker: Masker | None = None
        premasked = None if self._reveal.isChecked() else preview.masked
        if (
            premasked is None
            and not self._reveal.isChecked()
            and self._integration
            and self._sample
        ):
            every = [r for requests in preview.requests.values() for r in requests]
            masker = masker_for(self._integration, self._sample, every)
        self._texts = {}
        for alert_type, column in self.columns.items():
            requests = preview.requests.get(alert_type, ())
            name = alert_type.value
            if not requests:
                column.caption.setText(f"<b>{name}</b> · nothing is sent")
                if preview.error:
                    reason = "Fix the problem above to see this message."
                else:
                    reason = f"No step has {name} ticked: Uptrends sends nothing for {name} alerts."
                column.view.setPlaceholderText(reason)
                column.view.set_code("", "text")
                continue
            message = requests[-1]
            helpers = len(requests) - 1
            after = (
                f" (after {helpers} helper step{'s' if helpers != 1 else ''})" if helpers else ""
            )
            column.caption.setText(
                f"<b>{name}</b> · step {message.step_index + 1}, "
                f"{_escape(message.step_name or '(unnamed)')}{after}"
            )
            column.view.setPlaceholderText("")
            if premasked is not None:  # masked by the preview worker
                message = premasked.get(alert_type, requests)[-1]
            elif masker is not None:
                message = masked_request(message, masker)
            self._texts[alert_type] = request_text(message, None)
        shown = [t for t in ALERT_TYPES if t in self._texts]
        # Only the beginning of each text is compared (MAX_DIFF_CHARS: what a view shows).
        segments = diff_segments([self._texts[t].text for t in shown])
        for alert_type, column in self.columns.items():
            if alert_type in self._texts:
                text, whole = self._texts[alert_type]
                column.view.set_code(text, "http", whole=whole)
                column.view.set_extra_highlights(segments[shown.index(alert_type)])
            else:
                column.view.set_extra_highlights([])

    def _apply_palette(self) -> None:
        dark = is_dark(self.palette())
        self.model.set_dark(dark)
        named = colours_for(dark)
        self._error.setStyleSheet(banner_style(named.error_banner))
        swatch = named.highlight_background
        self._legend.setText(
            f"<span style='background: {swatch}'>&nbsp;highlighted&nbsp;</span> "
            "= differs from another message type"
        )

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.step_activated.emit(index.row())

    def _on_reveal_toggled(self, checked: bool) -> None:
        self._fill_columns()
        self.reveal_toggled.emit(checked)

    def _on_view_scrolled(self, value: int) -> None:
        """Scroll the three views together so the same lines stay side by side."""
        self._scroll_all(value, vertical=True)

    def _on_view_scrolled_sideways(self, value: int) -> None:
        self._scroll_all(value, vertical=False)

    def _scroll_all(self, value: int, *, vertical: bool) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            for column in self.columns.values():
                view = column.view
                bar = view.verticalScrollBar() if vertical else view.horizontalScrollBar()
                bar.setValue(value)
        finally:
            self._syncing = False

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
            self._fill_problems()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
