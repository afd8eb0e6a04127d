"""Qt item models over core lists (predefined variables, diagnostics)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QGuiApplication, QPalette

from uptrends_studio.core.checks.diagnostics import Diagnostic
from uptrends_studio.core.document.model import Variable, VariableMode
from uptrends_studio.core.secrets import MASK
from uptrends_studio.gui.theme import colours

Index = QModelIndex | QPersistentModelIndex

MODE_LABELS = {
    VariableMode.HERE: "Specify value here",
    VariableMode.ESCALATION_LEVEL: "Specify value in escalation level",
}


class _ListTableModel(QAbstractTableModel):
    """A flat table over a Python list: subclasses give ``HEADERS``, rows and ``data``."""

    HEADERS: tuple[str, ...] = ()

    def _row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else self._row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class VariablesModel(_ListTableModel):
    """The integration's predefined variables, one per row (read-only; a form edits them)."""

    NAME, MODE, VALUE, SECRET = range(4)
    HEADERS = ("Name", "Mode", "Value", "Secret")

    def __init__(self) -> None:
        super().__init__()
        self._variables: tuple[Variable, ...] = ()
        self.reveal = False

    def set_variables(self, variables: Sequence[Variable]) -> None:
        """Show ``variables`` (a reset only when the row count changes)."""
        new = tuple(variables)
        if len(new) != len(self._variables):
            self.beginResetModel()
            self._variables = new
            self.endResetModel()
            return
        self._variables = new
        if new:
            self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(self.HEADERS) - 1))

    def variable(self, row: int) -> Variable:
        """The variable shown in ``row``."""
        return self._variables[row]

    def _row_count(self) -> int:
        return len(self._variables)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._variables):
            return None
        variable = self._variables[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return variable.name
            if column == self.MODE:
                return MODE_LABELS[variable.mode]
            if column == self.VALUE:
                return self._value_text(variable)
            return "Yes" if variable.secret else ""
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            return variable.description or None
        greyed = variable.mode is VariableMode.ESCALATION_LEVEL or variable.vault is not None
        if role == Qt.ItemDataRole.ForegroundRole and column == self.VALUE and greyed:
            return QGuiApplication.palette().brush(QPalette.ColorRole.PlaceholderText)
        return None

    def _value_text(self, variable: Variable) -> str:
        if variable.mode is VariableMode.ESCALATION_LEVEL:
            return "(set per escalation level)"
        if variable.vault is not None:
            return f"Vault {variable.vault.item} · {variable.vault.field.value}"
        if variable.secret and not self.reveal and variable.value:
            return MASK
        return variable.value


class DiagnosticsModel(_ListTableModel):
    """Diagnostics as a table: severity, where, message."""

    SEVERITY, WHERE, MESSAGE = range(3)
    HEADERS = ("", "Where", "Problem")
    DIAGNOSTIC_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self._items: tuple[Diagnostic, ...] = ()

    def set_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Replace the list."""
        self.beginResetModel()
        self._items = tuple(diagnostics)
        self.endResetModel()

    def diagnostic(self, row: int) -> Diagnostic:
        """The diagnostic in ``row``."""
        return self._items[row]

    def _row_count(self) -> int:
        return len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._items):
            return None
        diag = self._items[index.row()]
        column = index.column()
        if role == self.DIAGNOSTIC_ROLE:
            return diag
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.SEVERITY:
                return diag.severity.value
            if column == self.WHERE:
                return diag.location or "integration"
            types = f" (for {', '.join(diag.alert_types)})" if diag.alert_types else ""
            return f"{diag.message}{types} [{diag.code}]"
        if role == Qt.ItemDataRole.ForegroundRole and column == self.SEVERITY:
            # The application palette: views repaint when a theme switch changes it.
            return QBrush(colours(QGuiApplication.palette()).severity(diag.severity))
        if role == Qt.ItemDataRole.ToolTipRole and column == self.MESSAGE:
            return diag.message
        return None
