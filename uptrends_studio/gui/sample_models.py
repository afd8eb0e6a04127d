"""Qt table models over the parts of a sample set the sample panel edits.

Each model shows one part of a :class:`SampleSet` (system-variable values, escalation-level
values, custom fields, the mock vault). An edit made through a model replaces the model's sample
with a new one (built by :mod:`uptrends_studio.core.document.sample_edit`) and emits ``edited``
with it; the owner passes it on to the :class:`SampleState` and later hands the same sample
back through ``set_sample``, which is then a no-op. An edit the core refuses emits ``refused``
with the reason and changes nothing.

Values can be a megabyte long (a response body), so ``DisplayRole`` only ever holds a one-line
preview of at most :data:`PREVIEW_CHARS` characters; the whole value is in ``EditRole`` and
:attr:`SampleTableModel.FULL_VALUE_ROLE`, and :attr:`SampleTableModel.LONG_ROLE` tells views
to edit it in a dialog rather than in the cell.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from uptrends_studio.core.document import sample_edit as se
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    AlertType,
    Integration,
    VariableMode,
    VaultField,
)
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.secrets import MASK

PREVIEW_CHARS = 200
"""Characters of a value shown in a cell; the rest is elided."""

TOOLTIP_CHARS = 400
"""Characters of a value shown in a tooltip."""

LONG_CHARS = 200
"""Values longer than this (or with a line break) are edited in a dialog, not in the cell."""

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if code not in (10, 13)}
_CONTROL_PICTURES[0x7F] = "\u2421"
_CONTROL_PICTURES[0x09] = "\u21e5"  # tab: an arrow reads better than the HT picture


def preview_text(value: str, limit: int = PREVIEW_CHARS) -> str:
    """One line showing the start of ``value``, with its special characters made visible.

    Line breaks show as ⏎, tabs as ⇥ and other control characters as their Unicode control
    pictures (U+2400 block). At most ``limit`` characters of ``value`` are read, so a 1 MB
    value costs no more than a short one.
    """
    head = value[: limit + 1]
    shown = head.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    shown = shown.translate(_CONTROL_PICTURES)
    if len(value) > limit:
        return shown[:limit] + "…"
    return shown


def is_long(value: str) -> bool:
    """True when ``value`` should be edited in a dialog (long, or more than one line)."""
    return len(value) > LONG_CHARS or "\n" in value or "\r" in value


def tooltip_text(value: str) -> str:
    """The start of ``value`` for a tooltip, with its size when it is cut off."""
    if len(value) <= TOOLTIP_CHARS:
        return value
    return f"{value[:TOOLTIP_CHARS]}…\n\n({len(value):,} characters; double-click to see all)"


def dim_color() -> QColor:
    """The colour of values the sample does not set (defaults, computed values)."""
    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)


class SampleTableModel(QAbstractTableModel):
    """Base of the sample-set table models: holds the sample and reports edits.

    Signals:
        edited(SampleSet): an edit made through the model produced this new sample set.
        refused(str): an edit was refused (the reason, for the user).
    """

    edited = Signal(object)
    refused = Signal(str)

    NAME_ROLE: ClassVar[int] = Qt.ItemDataRole.UserRole + 1
    """The row's key: variable name, custom-field name or vault item GUID."""
    FULL_VALUE_ROLE: ClassVar[int] = Qt.ItemDataRole.UserRole + 2
    """The cell's whole value (never elided)."""
    LONG_ROLE: ClassVar[int] = Qt.ItemDataRole.UserRole + 3
    """True when the cell's value is long or multi-line: edit it in a dialog."""
    MASKED_ROLE: ClassVar[int] = Qt.ItemDataRole.UserRole + 4
    """True when the cell holds a hidden password (edit it without echo)."""

    HEADERS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sample = SampleSet(name="")
        self._keys: list[str] = []

    @property
    def sample(self) -> SampleSet:
        """The sample set shown."""
        return self._sample

    def set_sample(self, sample: SampleSet) -> None:
        """Show ``sample`` (no-op when it is the sample the model already shows)."""
        if sample is self._sample:
            return
        self._sample = sample
        self._refresh()

    def key(self, row: int) -> str:
        """The key of ``row`` (see :attr:`NAME_ROLE`)."""
        return self._keys[row]

    def row_of(self, key: str) -> int:
        """The row of ``key``, or -1."""
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    # -- Qt model interface --------------------------------------------------------------------

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    # -- for subclasses ------------------------------------------------------------------------

    def _row_keys(self) -> list[str]:
        raise NotImplementedError

    def _refresh(self) -> None:
        """Re-read the sample: a reset when the rows changed, else one ``dataChanged``."""
        keys = self._row_keys()
        if keys != self._keys:
            self.beginResetModel()
            self._keys = keys
            self._prepare()
            self.endResetModel()
        else:
            self._prepare()
            if keys:
                last = self.index(len(keys) - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 0), last)

    def _prepare(self) -> None:
        """Compute per-row data for the current sample (called inside the reset)."""

    def _apply(self, sample: SampleSet) -> None:
        """Take an edited sample: show it and report it."""
        self._sample = sample
        self._refresh()
        self.edited.emit(sample)

    def _insert(self, sample: SampleSet, key: str) -> int:
        """Take an edited sample that adds the row ``key`` at the end; return that row."""
        row = len(self._keys)
        self.beginInsertRows(_ROOT, row, row)
        self._sample = sample
        self._keys = [*self._keys, key]
        self._prepare()
        self.endInsertRows()
        self.edited.emit(sample)
        return row

    def _rename_row(
        self, row: int, value: str, rename: Callable[[SampleSet, str, str], SampleSet]
    ) -> bool:
        """Rename the key of ``row`` with ``rename``; a refused name is reported, not applied."""
        old = self._keys[row]
        if value.strip() == old:
            return True
        try:
            sample = rename(self._sample, old, value)
        except ValueError as exc:
            self.refused.emit(str(exc).capitalize())
            return False
        self._keys[row] = value.strip()
        self._apply(sample)
        return True

    def _remove_rows(
        self, rows: Iterable[int], edit: Callable[[SampleSet, str], SampleSet]
    ) -> None:
        """Remove ``rows``, ``edit(sample, key)`` giving the sample without each row's key."""
        removed = False
        for row in sorted(set(rows), reverse=True):
            if not 0 <= row < len(self._keys):
                continue
            self.beginRemoveRows(_ROOT, row, row)
            self._sample = edit(self._sample, self._keys[row])
            self._keys = self._keys[:row] + self._keys[row + 1 :]
            self._prepare()
            self.endRemoveRows()
            removed = True
        if removed:
            self.edited.emit(self._sample)


def _value_cell(value: str, role: int) -> Any:
    """The common roles of a cell holding a (possibly huge) value."""
    if role == Qt.ItemDataRole.DisplayRole:
        return preview_text(value)
    if role in (Qt.ItemDataRole.EditRole, SampleTableModel.FULL_VALUE_ROLE):
        return value
    if role == SampleTableModel.LONG_ROLE:
        return is_long(value)
    return None


class SampleValuesModel(SampleTableModel):
    """The system variables' values for all alert types or for one type.

    Rows follow the catalogue (every system variable but ``@CustomField``). Values the sample
    does not set are dim: a computed value (derived variables) in italics, else the catalogue's
    default. An edit writes ``values`` (all types) or ``perType[type]``; :meth:`reset` removes
    it again.

    Signals:
        edited(SampleSet), refused(str): see :class:`SampleTableModel`.
    """

    VARIABLE: ClassVar[int] = 0
    VALUE: ClassVar[int] = 1
    DESCRIPTION: ClassVar[int] = 2
    HEADERS: ClassVar[tuple[str, ...]] = ("Variable", "Value", "Description")

    SOURCE_ROLE: ClassVar[int] = Qt.ItemDataRole.UserRole + 10
    """Where the row's value comes from: a :class:`ValueSource` value (``"computed"``)."""

    def __init__(self, catalogue: Catalogue, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue
        self._alert_type: AlertType | None = None
        self._resolved: list[se.ResolvedValue] = []
        self._keys = [v.name for v in se.system_variables(catalogue)]
        self._prepare()

    @property
    def alert_type(self) -> AlertType | None:
        """The alert type whose values are shown; ``None`` for all types."""
        return self._alert_type

    def set_alert_type(self, alert_type: AlertType | None) -> None:
        """Show (and edit) the values of ``alert_type``, or of all types for ``None``."""
        if alert_type is not self._alert_type:
            self._alert_type = alert_type
            self._refresh()

    def resolved(self, row: int) -> se.ResolvedValue:
        """What row ``row`` shows, and where its value comes from."""
        return self._resolved[row]

    def can_reset(self, row: int) -> bool:
        """True when the sample sets row ``row``'s value at the level shown."""
        source = self._resolved[row].source
        if self._alert_type is None:
            return source is se.ValueSource.ALL
        return source is se.ValueSource.TYPE

    def reset_label(self, row: int) -> str:
        """What :meth:`reset` does to row ``row``, as a menu text."""
        resolved = self._resolved[row]
        if self._alert_type is not None and resolved.variable.name in self._sample.values:
            return "Reset to the value for all types"
        if resolved.variable.derived_from:
            return "Reset to computed value"
        return "Reset to default"

    def reset(self, row: int) -> None:
        """Remove the sample's value of row ``row`` at the level shown."""
        if self.can_reset(row):
            name = self._keys[row]
            self._apply(se.clear_value(self._sample, name, self._alert_type))

    def set_value(self, row: int, value: str) -> bool:
        """Set row ``row``'s value at the level shown; ``False`` (and ``refused``) if invalid."""
        name = self._keys[row]
        problem = se.check_value(name, value)
        if problem is not None:
            self.refused.emit(problem)
            return False
        resolved = self._resolved[row]
        if value == (resolved.value or ""):
            # Unchanged (Enter in an untouched editor): a computed value must not get pinned.
            return True
        self._apply(se.set_value(self._sample, name, value, self._alert_type))
        return True

    def _row_keys(self) -> list[str]:
        return self._keys

    def _prepare(self) -> None:
        self._resolved = se.resolve_values(self._sample, self._catalogue, self._alert_type)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.VALUE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(  # noqa: N802 - Qt override
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if (
            not index.isValid()
            or index.column() != self.VALUE
            or role != Qt.ItemDataRole.EditRole
            or not isinstance(value, str)
        ):
            return False
        return self.set_value(index.row(), value)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._resolved):
            return None
        resolved = self._resolved[index.row()]
        variable = resolved.variable
        column = index.column()
        if role == self.NAME_ROLE:
            return variable.name
        if role == self.SOURCE_ROLE:
            return resolved.source.value
        if column == self.VARIABLE:
            if role == Qt.ItemDataRole.DisplayRole:
                return variable.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{variable.name}\n{variable.description}\nExample: {variable.example}"
            if role == Qt.ItemDataRole.FontRole and resolved.source is se.ValueSource.TYPE:
                font = QFont()  # set for this type only: bold, like a changed property
                font.setBold(True)
                return font
            return None
        if column == self.DESCRIPTION:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return variable.description
            return None
        if column != self.VALUE:
            return None
        return self._value_data(resolved, role)

    def _value_data(self, resolved: se.ResolvedValue, role: int) -> Any:
        value = resolved.value
        if value is None:  # all types, and the types differ
            if role == Qt.ItemDataRole.DisplayRole:
                return "(differs per type)"
            if role in (Qt.ItemDataRole.EditRole, self.FULL_VALUE_ROLE):
                return ""
            if role == self.LONG_ROLE:
                return False
        else:
            cell = _value_cell(value, role)
            if cell is not None:
                return cell
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._value_tooltip(resolved)
        if role == Qt.ItemDataRole.ForegroundRole and not resolved.explicit:
            return dim_color()
        if role == Qt.ItemDataRole.FontRole and (
            resolved.source is se.ValueSource.COMPUTED or value is None
        ):
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _value_tooltip(self, resolved: se.ResolvedValue) -> str:
        variable = resolved.variable
        lines: list[str] = []
        if resolved.value is None:
            lines.append("The alert types have different values:")
            lines.extend(
                f"{t.value}: {preview_text(resolved.per_type[t], 80)}" for t in ALERT_TYPES
            )
        else:
            lines.append(tooltip_text(resolved.value))
            lines.append("")
        source = resolved.source
        if source is se.ValueSource.COMPUTED:
            lines.append(f"Computed from {variable.derived_from}.")
            lines.append("Edit it to set an explicit value.")
        elif source is se.ValueSource.DEFAULT:
            lines.append("Not set by this sample: the catalogue's default.")
        elif source is se.ValueSource.TYPE and self._alert_type is not None:
            lines.append(f"Set for {self._alert_type.value} only.")
        elif source is se.ValueSource.ALL:
            lines.append("Set for all alert types.")
        others = [t.value for t in resolved.overridden_for if t is not self._alert_type]
        if others and self._alert_type is None:
            verb = "has" if len(others) == 1 else "have"
            lines.append(f"{', '.join(others)} {verb} a value of its own.")
        return "\n".join(lines).strip()


class EscalationValuesModel(SampleTableModel):
    """Values of the integration's predefined variables in mode "escalation level".

    One row per such variable of the integration (given by :meth:`set_integration`), whether or
    not the sample has a value for it, then any other names the sample has values for (dimmed).

    Signals:
        edited(SampleSet), refused(str): see :class:`SampleTableModel`.
    """

    VARIABLE: ClassVar[int] = 0
    VALUE: ClassVar[int] = 1
    HEADERS: ClassVar[tuple[str, ...]] = ("Variable", "Value")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._integration = Integration(name="")
        self._declared: list[str] = []

    def set_integration(self, integration: Integration) -> None:
        """Show a row for each of ``integration``'s variables in mode escalation level."""
        self._integration = integration
        self._refresh()

    def declared(self, row: int) -> bool:
        """True when row ``row`` is a variable of the integration (not just a sample value)."""
        return self._keys[row] in self._declared

    def has_value(self, row: int) -> bool:
        """True when the sample has a value for row ``row``."""
        return self._keys[row] in self._sample.escalation_level

    def clear(self, row: int) -> None:
        """Remove the sample's value for row ``row`` (an undeclared row disappears)."""
        if self.has_value(row):
            self._apply(se.clear_escalation_value(self._sample, self._keys[row]))

    def _row_keys(self) -> list[str]:
        self._declared = [
            v.name for v in self._integration.variables if v.mode is VariableMode.ESCALATION_LEVEL
        ]
        extra = [k for k in self._sample.escalation_level if k not in self._declared]
        return self._declared + extra

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.VALUE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(  # noqa: N802 - Qt override
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if (
            not index.isValid()
            or index.column() != self.VALUE
            or role != Qt.ItemDataRole.EditRole
            or not isinstance(value, str)
        ):
            return False
        name = self._keys[index.row()]
        if self._sample.escalation_level.get(name, "") != value:
            self._apply(se.set_escalation_value(self._sample, name, value))
        return True

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        name = self._keys[index.row()]
        declared = name in self._declared
        if role == self.NAME_ROLE:
            return name
        if index.column() == self.VARIABLE:
            if role == Qt.ItemDataRole.DisplayRole:
                return name
            if role == Qt.ItemDataRole.ToolTipRole:
                variable = self._integration.variable(name)
                if variable is None:
                    return f"{name} is not an escalation-level variable of this integration."
                return variable.description or f"{{{{{name}}}}}, set per escalation level."
            if role == Qt.ItemDataRole.ForegroundRole and not declared:
                return dim_color()
            return None
        if index.column() != self.VALUE:
            return None
        value = self._sample.escalation_level.get(name)
        if value is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return "(no value)"
            if role in (Qt.ItemDataRole.EditRole, self.FULL_VALUE_ROLE):
                return ""
            if role == self.LONG_ROLE:
                return False
            if role == Qt.ItemDataRole.ForegroundRole:
                return dim_color()
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return "The sample has no value: {{" + name + "}} renders empty."
            return None
        cell = _value_cell(value, role)
        if cell is not None:
            return cell
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(value)
        return None


class _KeyedRowsModel(SampleTableModel):
    """A table whose every cell is editable (custom fields, vault items)."""

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base


class CustomFieldsModel(_KeyedRowsModel):
    """The sample's custom fields (``{{@CustomField(Name)}}``): name and value, both editable.

    Signals:
        edited(SampleSet), refused(str): see :class:`SampleTableModel`.
    """

    NAME: ClassVar[int] = 0
    VALUE: ClassVar[int] = 1
    HEADERS: ClassVar[tuple[str, ...]] = ("Name", "Value")

    def add(self, base: str = "Field") -> int:
        """Add a custom field with a new name and an empty value; return its row."""
        name = se.unique_name(self._sample.custom_fields, base)
        return self._insert(se.set_custom_field(self._sample, name, ""), name)

    def remove(self, rows: Sequence[int]) -> None:
        """Remove the custom fields in ``rows``."""
        self._remove_rows(rows, se.remove_custom_field)

    def _row_keys(self) -> list[str]:
        return list(self._sample.custom_fields)

    def setData(  # noqa: N802 - Qt override
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not isinstance(value, str):
            return False
        name = self._keys[index.row()]
        if index.column() == self.NAME:
            return self._rename_row(index.row(), value, se.rename_custom_field)
        if index.column() == self.VALUE and self._sample.custom_fields.get(name) != value:
            self._apply(se.set_custom_field(self._sample, name, value))
        return index.column() == self.VALUE

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        name = self._keys[index.row()]
        if role == self.NAME_ROLE:
            return name
        if index.column() == self.NAME:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return name
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{{{{@CustomField({name})}}}}"
            return None
        if index.column() != self.VALUE:
            return None
        value = self._sample.custom_fields.get(name, "")
        cell = _value_cell(value, role)
        if cell is not None:
            return cell
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(value) or "(empty)"
        return None


class VaultModel(_KeyedRowsModel):
    """The mock vault: one row per credential set (item GUID, username, password).

    Passwords show as :data:`MASK` unless :meth:`set_show_passwords` is on.

    Signals:
        edited(SampleSet), refused(str): see :class:`SampleTableModel`.
    """

    ITEM: ClassVar[int] = 0
    USERNAME: ClassVar[int] = 1
    PASSWORD: ClassVar[int] = 2
    HEADERS: ClassVar[tuple[str, ...]] = ("Item GUID", "Username", "Password")
    _FIELDS: ClassVar[dict[int, VaultField]] = {
        1: VaultField.USERNAME,
        2: VaultField.PASSWORD,
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show_passwords = False

    @property
    def show_passwords(self) -> bool:
        """True when passwords are shown in clear."""
        return self._show_passwords

    def set_show_passwords(self, show: bool) -> None:
        """Show passwords in clear (``True``) or masked."""
        if show != self._show_passwords:
            self._show_passwords = show
            if self._keys:
                self.dataChanged.emit(
                    self.index(0, self.PASSWORD), self.index(len(self._keys) - 1, self.PASSWORD)
                )

    def add(self) -> int:
        """Add a credential set with a new random GUID and empty fields; return its row."""
        item = str(uuid.uuid4())
        return self._insert(se.add_vault_item(self._sample, item), item)

    def remove(self, rows: Sequence[int]) -> None:
        """Remove the credential sets in ``rows``."""
        self._remove_rows(rows, se.remove_vault_item)

    def _row_keys(self) -> list[str]:
        return list(self._sample.vault)

    def setData(  # noqa: N802 - Qt override
        self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not isinstance(value, str):
            return False
        item = self._keys[index.row()]
        if index.column() == self.ITEM:
            return self._rename_row(index.row(), value, se.rename_vault_item)
        field = self._FIELDS.get(index.column())
        if field is None:
            return False
        if self._sample.vault.get(item, {}).get(field.value) != value:
            self._apply(se.set_vault_field(self._sample, item, field, value))
        return True

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        item = self._keys[index.row()]
        column = index.column()
        if role == self.NAME_ROLE:
            return item
        if column == self.ITEM:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return item
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Vault item {item}"
            return None
        field = self._FIELDS.get(column)
        if field is None:
            return None
        value = self._sample.vault.get(item, {}).get(field.value, "")
        masked = field is VaultField.PASSWORD and not self._show_passwords
        if role == self.MASKED_ROLE:
            return masked
        if masked and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return MASK if value else ""
        cell = _value_cell(value, role)
        if cell is not None:
            return cell
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_text(value)
        return None
