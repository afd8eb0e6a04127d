"""File → New from template: a searchable gallery of the shipped integration templates.

The left column lists the templates (name in bold, target below it in muted text), filtered live
by the search box; the right column shows the selected template's description, predefined
variables and steps. "Create" returns the template's :class:`~model.Integration`. A template
that cannot be read is listed by its file name and shows the loader's message (file, field,
problem) instead of details; the other templates stay usable.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.document.gallery import (
    GalleryEntry,
    load_template,
    read_gallery,
    search,
)
from uptrends_studio.core.document.model import ALERT_TYPES, Integration
from uptrends_studio.core.errors import StudioError
from uptrends_studio.gui.theme import banner_style, colours

TICK = "✓"
_ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
_TARGET_ROLE = Qt.ItemDataRole.UserRole + 2


def _variables_html(integration: Integration) -> str:
    """The predefined variables as a small table: name, "secret" tag, description."""
    rows = []
    for variable in integration.variables:
        secret = "<i>secret</i>" if variable.secret else ""
        rows.append(
            f"<tr><td><b>{html.escape(variable.name)}</b></td><td>{secret}</td>"
            f"<td>{html.escape(variable.description)}</td></tr>"
        )
    return f"<table cellspacing='0' cellpadding='3'>{''.join(rows)}</table>"


class _EntryDelegate(QStyledItemDelegate):
    """Paints a gallery entry on two lines: the name in bold, the target in muted text."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(small.pointSizeF() * 0.9)
        return bold, small

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        bold, small = self._fonts(option)
        height = QFontMetrics(bold).height() + QFontMetrics(small).height() + 12
        return QSize(200, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else None
        text = option.text
        option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        main = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        muted = (
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        bold, small = self._fonts(option)
        rect: QRect = option.rect.adjusted(8, 6, -8, -6)
        name_height = QFontMetrics(bold).height()
        painter.save()
        painter.setFont(bold)
        painter.setPen(palette.color(main))
        name = QFontMetrics(bold).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect.adjusted(0, 0, 0, -(rect.height() - name_height)), 0, name)
        target = str(index.data(_TARGET_ROLE) or "")
        painter.setFont(small)
        painter.setPen(palette.color(muted))
        painter.drawText(rect.adjusted(0, name_height, 0, 0), 0, target)
        painter.restore()


class GalleryDialog(QDialog):
    """Pick a template to start a new integration from.

    Typing in the search box filters the list; Down moves into the list; Enter, double-click or
    "Create" loads the selected template (:meth:`integration`). Nothing is remembered between
    openings.

    Signals:
        None of its own: QDialog's ``accepted`` / ``rejected``; :meth:`integration` holds the
        result.
    """

    def __init__(self, directory: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New from template")
        self.resize(960, 600)
        self._integration: Integration | None = None
        self._entries, errors = read_gallery(directory)
        self._loaded: dict[Path, Integration | StudioError] = dict(errors)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search templates: name, target or description")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.templates = QListWidget()
        self.templates.setItemDelegate(_EntryDelegate(self.templates))
        self.templates.setUniformItemSizes(True)
        self.templates.setMinimumWidth(260)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._list_stack = QStackedWidget()
        self._list_stack.addWidget(self.templates)
        self._list_stack.addWidget(self.empty_label)

        self.title_label = QLabel()
        title_font = self.title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        self.title_label.setWordWrap(True)
        self.target_label = QLabel()
        self.target_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.description_label = QLabel()
        self.description_label.setWordWrap(True)
        self.description_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.description_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.error_banner = QLabel()
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_banner.hide()
        self.variables = QLabel()
        self.variables.setWordWrap(True)
        self.variables.setTextFormat(Qt.TextFormat.RichText)
        self.variables.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.variables.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps = self._table(["Step", *(t.value for t in ALERT_TYPES), "Method", "URL"])
        self._variables_heading = self._heading("Predefined variables")
        self._steps_heading = self._heading("Steps")

        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(12, 0, 0, 0)
        details_layout.addWidget(self.title_label)
        details_layout.addWidget(self.target_label)
        details_layout.addWidget(self.description_label)
        details_layout.addWidget(self.error_banner)
        details_layout.addSpacing(6)
        details_layout.addWidget(self._variables_heading)
        details_layout.addWidget(self.variables)
        details_layout.addSpacing(6)
        details_layout.addWidget(self._steps_heading)
        details_layout.addWidget(self.steps, 1)
        self._filler = QWidget()  # keeps the text at the top while the tables are hidden
        self._filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        details_layout.addWidget(self._filler, 1)
        self._details_widgets: tuple[QWidget, ...] = (
            self._variables_heading,
            self.variables,
            self._steps_heading,
            self.steps,
        )

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._list_stack)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(details)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 660])
        splitter.setChildrenCollapsible(False)

        self.buttons = QDialogButtonBox()
        self.create_button = QPushButton("Create")
        self.create_button.setDefault(True)
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.templates.currentItemChanged.connect(self._on_templates_current_item_changed)
        self.templates.itemDoubleClicked.connect(self._on_templates_item_double_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self._fill(self._entries)
        self.search_edit.setFocus()

    # -- public API -----------------------------------------------------------------------------

    def integration(self) -> Integration | None:
        """The template loaded by "Create" (``None`` before, or when cancelled)."""
        return self._integration

    def entries(self) -> list[GalleryEntry]:
        """The entries listed now (after the search filter), in order."""
        return [self._entry(self.templates.item(row)) for row in range(self.templates.count())]

    def current_entry(self) -> GalleryEntry | None:
        """The selected entry, or ``None``."""
        item = self.templates.currentItem()
        return self._entry(item) if item is not None else None

    def error_text(self) -> str:
        """The error shown for the selected template (``""`` when it could be read)."""
        return self.error_banner.text() if not self.error_banner.isHidden() else ""

    def accept(self) -> None:
        """Load the selected template and close; on a read error, show it and stay open."""
        entry = self.current_entry()
        if entry is None:
            return
        self._loaded.pop(entry.path, None)  # read it again: the file may have changed
        loaded = self._load(entry)
        if isinstance(loaded, StudioError):
            self._show(entry)
            return
        self._integration = loaded
        super().accept()

    # -- internals ------------------------------------------------------------------------------

    @staticmethod
    def _table(headers: list[str]) -> QTreeWidget:
        table = QTreeWidget()
        table.setHeaderLabels(headers)
        table.setRootIsDecorated(False)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setWordWrap(True)
        table.setAlternatingRowColors(True)
        header = table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    @staticmethod
    def _entry(item: QListWidgetItem) -> GalleryEntry:
        entry = item.data(_ENTRY_ROLE)
        assert isinstance(entry, GalleryEntry)
        return entry

    def _load(self, entry: GalleryEntry) -> Integration | StudioError:
        if entry.path not in self._loaded:
            try:
                self._loaded[entry.path] = load_template(entry)
            except StudioError as exc:
                self._loaded[entry.path] = exc
        return self._loaded[entry.path]

    def _fill(self, entries: list[GalleryEntry]) -> None:
        previous = self.current_entry()
        self.templates.blockSignals(True)
        self.templates.clear()
        for entry in entries:
            item = QListWidgetItem(entry.name)
            item.setData(_ENTRY_ROLE, entry)
            broken = isinstance(self._loaded.get(entry.path), StudioError)
            target = "cannot be read" if broken else entry.target or "any HTTP endpoint"
            item.setData(_TARGET_ROLE, target)
            item.setToolTip(str(entry.path))
            self.templates.addItem(item)
        self.templates.blockSignals(False)
        if not entries:
            text = self.search_edit.text().strip()
            self.empty_label.setText(
                f"No template matches '{text}'" if text else "No templates found in this folder."
            )
            self._list_stack.setCurrentWidget(self.empty_label)
            self._show(None)
            return
        self._list_stack.setCurrentWidget(self.templates)
        row = entries.index(previous) if previous in entries else 0
        self.templates.setCurrentRow(row)
        self._show(entries[row])

    def _show(self, entry: GalleryEntry | None) -> None:
        self.steps.clear()
        if entry is None:
            for label in (
                self.title_label,
                self.target_label,
                self.description_label,
                self.variables,
            ):
                label.clear()
            self.error_banner.hide()
            for widget in self._details_widgets:
                widget.hide()
            self._filler.show()
            self.create_button.setEnabled(False)
            return
        loaded = self._load(entry)
        self.title_label.setText(entry.name)
        if isinstance(loaded, StudioError):
            self.target_label.clear()
            self.description_label.setText("This template cannot be read:")
            self.error_banner.setText(str(loaded))
            self.error_banner.setStyleSheet(banner_style(colours(self.palette()).error_banner))
            self.error_banner.show()
            for widget in self._details_widgets:
                widget.hide()
            self._filler.show()
            self.create_button.setEnabled(False)
            return
        self.error_banner.hide()
        for widget in self._details_widgets:
            widget.show()
        self._filler.hide()
        self.create_button.setEnabled(True)
        self.target_label.setText(
            f"Target: {loaded.target}" if loaded.target else "Target: any HTTP endpoint"
        )
        self.description_label.setText(loaded.description or "(no description)")
        self.variables.setText(_variables_html(loaded) if loaded.variables else "(none)")
        for step in loaded.steps:
            ticks = [TICK if t in step.alert_types else "" for t in ALERT_TYPES]
            row = QTreeWidgetItem([step.name, *ticks, step.method, step.url])
            for column in range(1, 1 + len(ALERT_TYPES)):
                row.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
            row.setToolTip(len(ticks) + 2, step.url)
            self.steps.addTopLevelItem(row)

    def _on_search_edit_text_changed(self, text: str) -> None:
        self._fill(search(self._entries, text))

    def _on_templates_current_item_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self._show(self._entry(current) if current is not None else None)

    def _on_templates_item_double_clicked(self, _item: QListWidgetItem) -> None:
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.templates.count()
        ):
            self.templates.setFocus()  # the selection stays: Down again moves on in the list
            return True
        return super().eventFilter(watched, event)
