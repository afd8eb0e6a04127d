"""The template editor: a code editor for URLs, header values, bodies and function fields.

It highlights tokens, completes names after ``{{``, explains a token on hover, underlines
diagnostics and applies their quick fixes, finds and replaces, and formats JSON bodies. It never
renders templates itself: names, descriptions and sample values come from an
:class:`EditorContext`, and diagnostics are pushed in with :meth:`TemplateEditor.set_diagnostics`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple, cast

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFontDatabase,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHeaderView,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QTreeView,
    QWidget,
)

from uptrends_studio.core.catalogue import Catalogue
from uptrends_studio.core.diagnostics import Diagnostic, Fix, Severity
from uptrends_studio.core.json_format import format_json_template
from uptrends_studio.core.parser import Token, iter_tokens, parse
from uptrends_studio.gui.editor.context import EditorContext
from uptrends_studio.gui.find_bar import FindBar
from uptrends_studio.gui.highlighter import TemplateHighlighter, Utf16Map

INSERT_ROLE = Qt.ItemDataRole.UserRole + 1
"""Completion model role holding :attr:`CompletionItem.text`."""

MAX_TOOLTIP_VALUE = 300
"""Sample values longer than this are cut in tooltips."""

_GUTTER_PADDING = 20
"""Pixels of the gutter besides the digits: severity mark, spacing, and a gap before the text."""
_GUTTER_GAP = 5
"""Pixels of editor background between the gutter's edge and the text."""

_PREFIX_RE = re.compile(r"\{\{([^\s{}()]*)$")
_JSON_WS = frozenset(" \t\r\n")

_SEVERITY_COLOURS = {
    # (light background, dark background)
    Severity.ERROR: ("#d32f2f", "#ff6b6b"),
    Severity.WARNING: ("#e67700", "#ffa94d"),
    Severity.NOTE: ("#1565c0", "#58a6ff"),
}


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class _LineNumberArea(QWidget):
    """The gutter; the editor paints it."""

    def __init__(self, editor: TemplateEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self._editor.line_number_area_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        self._editor.paint_line_numbers(event)


class _TrackedDiagnostic(NamedTuple):
    diagnostic: Diagnostic
    cursor: QTextCursor
    """Selects the diagnostic's span and moves with edits."""


class TemplateEditor(QPlainTextEdit):
    """Editor for one template field, with highlighting, completion, diagnostics and fixes.

    Keys: ``Ctrl+Space`` completes, ``Ctrl+.`` lists quick fixes, ``Ctrl+F``/``Ctrl+H`` open
    find/replace, ``F3``/``Shift+F3`` find again, ``Ctrl+Shift+F`` formats JSON. In single-line
    mode Enter inserts nothing and emits ``submitted``.

    Signals:
        text_edited(str): the user changed the text (not emitted by :meth:`set_text`).
        submitted(): Enter was pressed in a single-line editor.
    """

    text_edited = Signal(str)
    submitted = Signal()

    def __init__(
        self,
        context: EditorContext | None = None,
        *,
        single_line: bool = False,
        catalogue: Catalogue | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._single_line = single_line
        self._setting_text = False
        self._last_text = ""
        self._diagnostics: list[_TrackedDiagnostic] = []
        self._diagnostics_stale = False
        self._utf16_key: tuple[int, int] | None = None
        self._utf16 = Utf16Map("")

        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        dark = _is_dark(self.palette())
        self.highlighter = TemplateHighlighter(self.document(), catalogue=catalogue, dark=dark)

        self._line_numbers = _LineNumberArea(self)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        self._completer = self._make_completer()

        if single_line:
            self._line_numbers.hide()
            self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            self.setWordWrapMode(QTextOption.WrapMode.NoWrap)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setTabChangesFocus(True)
            self.document().setDocumentMargin(3)
            self._fit_single_line_height()
        else:
            self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self.textChanged.connect(self._on_text_changed)
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self.cursorPositionChanged.connect(self._update_extra_selections)
        self.find_bar.find_next_requested.connect(self.find_next)
        self.find_bar.find_previous_requested.connect(self.find_previous)
        self.find_bar.pattern_edited.connect(self._on_find_bar_pattern_edited)
        self.find_bar.replace_requested.connect(self.replace_current)
        self.find_bar.replace_all_requested.connect(self.replace_all)
        self.find_bar.closed.connect(self._on_find_bar_closed)
        self._update_margins()
        self._update_extra_selections()

    # -- text ----------------------------------------------------------------------------------

    def text(self) -> str:
        """The whole text."""
        return self.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the text without emitting ``text_edited``; clears undo and diagnostics."""
        self._setting_text = True
        try:
            self.setPlainText(text)
        finally:
            self._setting_text = False
        self._last_text = self.toPlainText()
        self.document().clearUndoRedoStacks()
        self.set_diagnostics(())

    @property
    def single_line(self) -> bool:
        """True for a one-line editor (URL, header value)."""
        return self._single_line

    @property
    def completer(self) -> QCompleter:
        """The completion popup's completer."""
        return self._completer

    def set_context(self, context: EditorContext | None) -> None:
        """Use another source of completions and token descriptions."""
        self._context = context

    def set_content_kind(self, kind: str) -> None:
        """Highlight the body as ``json``, ``xml``, ``form`` or ``text``."""
        self.highlighter.set_content(kind)

    def set_names(self, predefined: Iterable[str] | None, functions: Iterable[str] | None) -> None:
        """The integration's predefined variables and functions; others are shown as unknown."""
        self.highlighter.set_names(predefined, functions)

    def _offsets(self) -> Utf16Map:
        """Python offset <-> Qt position map of the current text."""
        document = self.document()
        key = (document.revision(), document.characterCount())
        if key != self._utf16_key:
            self._utf16 = Utf16Map(self.toPlainText())
            self._utf16_key = key
        return self._utf16

    def _cursor_at(self, start: int, end: int | None = None) -> QTextCursor:
        """A cursor selecting Python offsets ``[start, end)`` (clamped to the text)."""
        offsets = self._offsets()
        last = max(self.document().characterCount() - 1, 0)
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(max(offsets.to_utf16(start), 0), last))
        if end is not None:
            cursor.setPosition(
                min(max(offsets.to_utf16(end), 0), last), QTextCursor.MoveMode.KeepAnchor
            )
        return cursor

    def _offset_of(self, position: int) -> int:
        return self._offsets().from_utf16(position)

    def cursor_offset(self) -> int:
        """The text cursor's position as a Python string offset."""
        return self._offset_of(self.textCursor().position())

    def _replace_range(self, start: int, end: int, replacement: str) -> None:
        """Replace Python offsets ``[start, end)`` as one undoable edit."""
        cursor = self._cursor_at(start, end)
        cursor.beginEditBlock()
        cursor.insertText(replacement)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def _on_text_changed(self) -> None:
        if self._setting_text:
            return
        # textChanged also fires when only formats change (re-highlighting): compare the text.
        text = self.toPlainText()
        if text == self._last_text:
            return
        self._last_text = text
        self._diagnostics_stale = True
        self.text_edited.emit(text)

    # -- navigation ----------------------------------------------------------------------------

    def goto_offset(self, offset: int) -> None:
        """Put the cursor at Python string offset ``offset`` and focus the editor."""
        self.setTextCursor(self._cursor_at(offset))
        self.ensureCursorVisible()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def goto(self, line: int, column: int) -> None:
        """Put the cursor at 1-based ``line`` and ``column`` (as diagnostics give them)."""
        lines = self.toPlainText().split("\n")
        line = min(max(line, 1), len(lines))
        offset = sum(len(text) + 1 for text in lines[: line - 1])
        self.goto_offset(offset + min(max(column - 1, 0), len(lines[line - 1])))

    # -- diagnostics and quick fixes -----------------------------------------------------------

    def set_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Underline ``diagnostics`` (spans are offsets in this editor's text)."""
        length = len(self.toPlainText())
        tracked = []
        for diagnostic in diagnostics:
            start = min(max(diagnostic.start, 0), length)
            end = min(max(diagnostic.end, start), length)
            if end == start:  # a zero-length span underlines one character
                if start < length:
                    end = start + 1
                elif start > 0:
                    start -= 1
            tracked.append(_TrackedDiagnostic(diagnostic, self._cursor_at(start, end)))
        self._diagnostics = tracked
        self._diagnostics_stale = False
        self._update_extra_selections()
        self._line_numbers.update()

    def diagnostics(self) -> list[Diagnostic]:
        """The diagnostics last set."""
        return [tracked.diagnostic for tracked in self._diagnostics]

    def diagnostics_at(self, offset: int) -> list[Diagnostic]:
        """Diagnostics whose (current, edit-tracked) span covers Python offset ``offset``."""
        position = self._offsets().to_utf16(offset)
        return [
            tracked.diagnostic
            for tracked in self._diagnostics
            if tracked.cursor.selectionStart() <= position < tracked.cursor.selectionEnd()
            or position == tracked.cursor.selectionEnd()
        ]

    def fixes_at(self, offset: int) -> list[Fix]:
        """Quick fixes of the diagnostics at ``offset``; none once the text has been edited."""
        if self._diagnostics_stale:
            return []
        fixes: list[Fix] = []
        for diagnostic in self.diagnostics_at(offset):
            fixes.extend(fix for fix in diagnostic.fixes if fix not in fixes)
        return fixes

    def apply_fix(self, fix: Fix) -> None:
        """Apply a quick fix as one undoable edit."""
        self._replace_range(fix.start, fix.end, fix.replacement)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _severity_colour(self, severity: Severity) -> QColor:
        light, dark = _SEVERITY_COLOURS[severity]
        return QColor(dark if self.highlighter.dark else light)

    def _update_extra_selections(self) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        if not self._single_line and not self.isReadOnly():
            line = QTextEdit.ExtraSelection()
            colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            colour.setAlpha(28)
            line.format.setBackground(colour)
            line.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            line.cursor = self.textCursor()
            line.cursor.clearSelection()
            selections.append(line)
        # Errors last, so they are drawn on top of warnings and notes on the same text.
        for tracked in sorted(self._diagnostics, key=lambda t: -t.diagnostic.severity.rank):
            selection = QTextEdit.ExtraSelection()
            selection.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            selection.format.setUnderlineColor(self._severity_colour(tracked.diagnostic.severity))
            selection.cursor = tracked.cursor
            selections.append(selection)
        self.setExtraSelections(selections)

    def underline_spans(self) -> list[tuple[int, int, Severity]]:
        """The underlined ``(start, end, severity)`` Python offsets, as currently drawn."""
        return [
            (
                self._offset_of(tracked.cursor.selectionStart()),
                self._offset_of(tracked.cursor.selectionEnd()),
                tracked.diagnostic.severity,
            )
            for tracked in self._diagnostics
        ]

    def quick_fix_menu(self, offset: int, parent: QWidget | None = None) -> QMenu:
        """A menu of the quick fixes at ``offset`` (one disabled entry if there are none)."""
        menu = QMenu(parent or self)
        self._add_fix_actions(menu, offset)
        if not menu.actions():
            menu.addAction("No quick fixes here").setEnabled(False)
        return menu

    def _add_fix_actions(self, menu: QMenu, offset: int) -> None:
        for fix in self.fixes_at(offset):
            action = menu.addAction(fix.title)
            action.triggered.connect(lambda _checked=False, f=fix: self.apply_fix(f))

    def show_quick_fixes(self) -> None:
        """Pop up the quick fixes at the text cursor."""
        menu = self.quick_fix_menu(self.cursor_offset())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rect = self.cursorRect()
        menu.popup(self.viewport().mapToGlobal(rect.bottomLeft()))

    def create_context_menu(self, offset: int) -> QMenu:
        """The context menu at Python offset ``offset``: quick fixes, then editing actions."""
        menu = self.createStandardContextMenu()
        standard = menu.actions()
        fixes = self.fixes_at(offset)
        if fixes and standard:
            first = standard[0]
            for fix in fixes:
                action = QAction(fix.title, menu)
                action.triggered.connect(lambda _checked=False, f=fix: self.apply_fix(f))
                menu.insertAction(first, action)
            menu.insertSeparator(first)
        if not self._single_line:
            menu.addSeparator()
            self._menu_action(menu, "Format JSON", "Ctrl+Shift+F", self.format_json)
            self._menu_action(menu, "Find\u2026", "Ctrl+F", self.open_find)
            self._menu_action(menu, "Replace\u2026", "Ctrl+H", self.open_replace)
        return menu

    @staticmethod
    def _menu_action(menu: QMenu, title: str, keys: str, slot: object) -> QAction:
        action = menu.addAction(title)
        # Shown for discoverability; the keys themselves are handled in keyPressEvent.
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        return action

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        position = self.cursorForPosition(self.viewport().mapFrom(self, event.pos())).position()
        menu = self.create_context_menu(self._offset_of(position))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    # -- tooltips ------------------------------------------------------------------------------

    def token_at(self, offset: int) -> Token | None:
        """The innermost token covering Python offset ``offset``."""
        found: Token | None = None
        for token in iter_tokens(parse(self.toPlainText()).nodes):
            if token.start <= offset < token.end and (
                found is None or token.end - token.start < found.end - found.start
            ):
                found = token
        return found

    def tooltip_text(self, offset: int) -> str:
        """Rich text explaining the token and the diagnostics at ``offset``; ``""`` if none."""
        parts: list[str] = []
        token = self.token_at(offset)
        if token is not None:
            parts.append(f"<b>{html.escape(token.name or '{{}}', quote=False)}</b>")
            info = self._context.describe_token(token.name) if self._context else None
            if info is None:
                if self._context is not None:
                    parts.append("<i>Not a known variable or function.</i>")
            else:
                description, value = info
                if description:
                    parts.append(html.escape(description, quote=False))
                if value:
                    shown = value if len(value) <= MAX_TOOLTIP_VALUE else value[:MAX_TOOLTIP_VALUE]
                    escaped = html.escape(shown, quote=False).replace("\n", "<br/>")
                    more = "\u2026" if len(value) > MAX_TOOLTIP_VALUE else ""
                    parts.append(f"Value: <code>{escaped}</code>{more}")
                else:
                    parts.append("Value: <i>(empty)</i>")
        for diagnostic in self.diagnostics_at(offset):
            colour = self._severity_colour(diagnostic.severity).name()
            label = diagnostic.severity.value.capitalize()
            message = html.escape(diagnostic.message, quote=False)
            parts.append(
                f"<span style='color:{colour}'><b>{label}:</b></span> {message} "
                f"<small>[{html.escape(diagnostic.code)}]</small>"
            )
        if not parts:
            return ""
        return "<qt>" + "<br/>".join(parts) + "</qt>"

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip:
            help_event = cast(QHelpEvent, event)
            cursor = self.cursorForPosition(help_event.pos())
            position = cursor.position()
            if help_event.pos().x() < self.cursorRect(cursor).x() and position > 0:
                position -= 1  # the mouse is over the character before the cursor position
            text = self.tooltip_text(self._offset_of(position))
            if text:
                QToolTip.showText(help_event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    # -- completion ----------------------------------------------------------------------------

    def _make_completer(self) -> QCompleter:
        model = QStandardItemModel(0, 3, self)
        completer = QCompleter(model, self)
        completer.setWidget(self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionRole(INSERT_ROLE)
        completer.setMaxVisibleItems(12)
        view = QTreeView()
        view.setRootIsDecorated(False)
        view.setHeaderHidden(True)
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        completer.setPopup(view)
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The str overload of activated carries the completion role: the text to insert.
        completer.activated.connect(self.insert_completion)
        return completer

    def _completion_model(self) -> QStandardItemModel:
        return cast(QStandardItemModel, self._completer.model())

    def _fill_completion_model(self) -> None:
        model = self._completion_model()
        model.removeRows(0, model.rowCount())
        items = self._context.completion_items() if self._context else []
        for item in items:
            label = QStandardItem(item.label)
            label.setData(item.text, INSERT_ROLE)
            label.setToolTip(f"{item.kind}: {item.description}" if item.kind else item.description)
            description = QStandardItem(item.description)
            description.setData(item.text, INSERT_ROLE)
            value = QStandardItem(" ".join(item.value.split())[:120])
            value.setData(item.text, INSERT_ROLE)
            value.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
            for cell in (label, description, value):
                cell.setEditable(False)
            model.appendRow([label, description, value])

    def completion_prefix(self) -> str | None:
        """The name typed after ``{{`` up to the cursor, or ``None`` if not completing a name."""
        cursor = self.textCursor()
        before = cursor.block().text()[: cursor.positionInBlock()]
        match = _PREFIX_RE.search(before)
        return None if match is None else match.group(1)

    def completion_visible(self) -> bool:
        """True while the completion popup is shown."""
        popup = self._completer.popup()
        return popup is not None and popup.isVisible()

    def open_completion(self) -> None:
        """Show the completion popup for the name at the cursor (inserting ``{{`` if needed)."""
        if self._context is None:
            return
        if self.completion_prefix() is None:
            self.textCursor().insertText("{{")
        if not self.completion_visible():
            self._fill_completion_model()
        self._update_completion()

    def _update_completion(self) -> None:
        prefix = self.completion_prefix()
        popup = self._completer.popup()
        if popup is None:
            return
        if prefix is None:
            popup.hide()
            return
        self._completer.setCompletionPrefix(prefix)
        if self._completer.completionCount() == 0:
            popup.hide()
            return
        popup.setCurrentIndex(self._completer.completionModel().index(0, 0))
        rect = self.cursorRect()
        rect.translate(self.viewport().pos())
        width = min(max(self.viewport().width(), 420), 760)
        rect.setWidth(width)
        view = cast(QTreeView, popup)
        view.setColumnWidth(0, int(width * 0.34))
        view.setColumnWidth(1, int(width * 0.44))
        view.setColumnWidth(2, int(width * 0.22) - 4)
        self._completer.complete(rect)

    def _on_completer_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        text = index.data(INSERT_ROLE)
        if isinstance(text, str):
            self.insert_completion(text)

    def insert_completion(self, text: str) -> None:
        """Replace the name typed after ``{{`` with ``text`` (one undoable edit)."""
        prefix = self.completion_prefix() or ""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.movePosition(
            QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(prefix)
        )
        cursor.insertText(text)
        if text.endswith("}}"):
            after = QTextCursor(cursor)
            after.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, 2)
            if after.selectedText() == "}}":  # the token was already closed
                after.removeSelectedText()
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        popup = self._completer.popup()
        if popup is not None:
            popup.hide()

    # -- find and replace ----------------------------------------------------------------------

    def open_find(self) -> None:
        """Show the find bar with the selected text (if any) as the search text."""
        self._open_find_bar(replace=False)

    def open_replace(self) -> None:
        """Show the find bar with its replace row."""
        self._open_find_bar(replace=True)

    def _open_find_bar(self, *, replace: bool) -> None:
        if self._single_line:
            return
        selected = self.textCursor().selectedText()
        pattern = selected if selected and "\u2029" not in selected else None
        self.find_bar.open_bar(replace=replace, pattern=pattern)
        self._update_margins()
        self._update_find_status()

    def _find_flags(self, backward: bool) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.find_bar.match_case():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _find(self, *, backward: bool, start: QTextCursor | None = None) -> bool:
        pattern = self.find_bar.pattern()
        if not pattern:
            return False
        document = self.document()
        flags = self._find_flags(backward)
        found = document.find(pattern, start or self.textCursor(), flags)
        if found.isNull():  # wrap around
            edge = QTextCursor(document)
            if backward:
                edge.movePosition(QTextCursor.MoveOperation.End)
            found = document.find(pattern, edge, flags)
        if found.isNull():
            self._update_find_status()
            return False
        self.setTextCursor(found)
        self.ensureCursorVisible()
        self._update_find_status()
        return True

    def find_next(self) -> bool:
        """Select the next match of the find bar's text (wrapping); False if there is none."""
        return self._find(backward=False)

    def find_previous(self) -> bool:
        """Select the previous match (wrapping); False if there is none."""
        return self._find(backward=True)

    def _count_matches(self) -> int:
        pattern = self.find_bar.pattern()
        if not pattern:
            return 0
        text = self.toPlainText()
        if self.find_bar.match_case():
            return text.count(pattern)
        return text.casefold().count(pattern.casefold())

    def _update_find_status(self) -> None:
        if not self.find_bar.pattern():
            self.find_bar.set_status("")
            return
        count = self._count_matches()
        self.find_bar.set_status(
            "No matches" if count == 0 else f"{count} match{'es' if count != 1 else ''}",
            failed=count == 0,
        )

    def _selection_matches(self) -> bool:
        selected = self.textCursor().selectedText()
        pattern = self.find_bar.pattern()
        if not selected or not pattern:
            return False
        if self.find_bar.match_case():
            return selected == pattern
        return selected.casefold() == pattern.casefold()

    def _on_find_bar_pattern_edited(self, _pattern: str) -> None:
        # Find as you type: search again from the start of the current match.
        cursor = self.textCursor()
        cursor.setPosition(cursor.selectionStart())
        if not self._find(backward=False, start=cursor):
            self._update_find_status()

    def replace_current(self) -> None:
        """Replace the selected match (if it is one) and select the next match."""
        if self._selection_matches():
            cursor = self.textCursor()
            cursor.beginEditBlock()
            cursor.insertText(self.find_bar.replacement())
            cursor.endEditBlock()
            self.setTextCursor(cursor)
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match as one undoable edit; returns how many were replaced."""
        pattern = self.find_bar.pattern()
        if not pattern:
            return 0
        document = self.document()
        replacement = self.find_bar.replacement()
        flags = self._find_flags(backward=False)
        count = 0
        edit = QTextCursor(document)
        edit.beginEditBlock()
        found = document.find(pattern, 0, flags)
        while not found.isNull():
            found.insertText(replacement)
            count += 1
            found = document.find(pattern, found, flags)
        edit.endEditBlock()
        self._update_find_status()
        if count:
            self.find_bar.set_status(f"Replaced {count}")
        return count

    def _on_find_bar_closed(self) -> None:
        self._update_margins()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- JSON ----------------------------------------------------------------------------------

    def format_json(self) -> bool:
        """Re-indent the text as JSON, keeping tokens (one undoable edit); False if unchanged."""
        old = self.toPlainText()
        new = format_json_template(old)
        if new == old:
            return False
        # Keep the cursor on the same non-whitespace character.
        offset = self.cursor_offset()
        solid = sum(1 for char in old[:offset] if char not in _JSON_WS)
        prefix = 0
        limit = min(len(old), len(new))
        while prefix < limit and old[prefix] == new[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
            suffix += 1
        self._replace_range(prefix, len(old) - suffix, new[prefix : len(new) - suffix])
        target = 0
        while solid and target < len(new):
            if new[target] not in _JSON_WS:
                solid -= 1
            target += 1
        self.setTextCursor(self._cursor_at(target))
        return True

    # -- keys ----------------------------------------------------------------------------------

    def _editor_key(self, event: QKeyEvent) -> bool:
        """True for the keys the editor handles itself (they win over application shortcuts)."""
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ctrl = Qt.KeyboardModifier.ControlModifier
        if key == Qt.Key.Key_Space and mods == ctrl:
            return True
        if key == Qt.Key.Key_Period and mods == ctrl:
            return True
        if key == Qt.Key.Key_Escape:
            return self.completion_visible() or self.find_bar.isVisible()
        if self._single_line:
            return False
        if key == Qt.Key.Key_F3:
            return True
        if key in (Qt.Key.Key_F, Qt.Key.Key_H) and mods == ctrl:
            return True
        return key == Qt.Key.Key_F and mods == ctrl | Qt.KeyboardModifier.ShiftModifier

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and self._editor_key(
            cast(QKeyEvent, event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ctrl = Qt.KeyboardModifier.ControlModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        is_enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        popup = self._completer.popup()
        if self.completion_visible() and popup is not None:
            if is_enter or key == Qt.Key.Key_Tab:
                index = popup.currentIndex()
                if index.isValid():
                    self._on_completer_activated(index)
                else:
                    popup.hide()
                return
            if key == Qt.Key.Key_Escape:
                popup.hide()
                return
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                popup.event(event)
                return
        if self._editor_key(event):
            self._handle_editor_key(key, mods, ctrl, shift)
            return
        if is_enter and self._single_line:
            self.submitted.emit()
            return
        super().keyPressEvent(event)
        typed = event.text()
        if typed or key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self._after_typing(typed)

    def _handle_editor_key(
        self,
        key: int,
        mods: Qt.KeyboardModifier,
        ctrl: Qt.KeyboardModifier,
        shift: Qt.KeyboardModifier,
    ) -> None:
        if key == Qt.Key.Key_Space:
            self.open_completion()
        elif key == Qt.Key.Key_Period:
            self.show_quick_fixes()
        elif key == Qt.Key.Key_Escape:
            self.find_bar.close_bar()
        elif key == Qt.Key.Key_F3:
            if not self.find_bar.pattern():
                self.open_find()
            elif mods & shift:
                self.find_previous()
            else:
                self.find_next()
        elif key == Qt.Key.Key_F and mods == ctrl | shift:
            self.format_json()
        elif key == Qt.Key.Key_F:
            self.open_find()
        else:
            self.open_replace()

    def _after_typing(self, typed: str) -> None:
        if self.completion_visible():
            self._update_completion()
            return
        prefix = self.completion_prefix()
        if prefix is None or not typed:
            return
        if (typed.endswith("{") and prefix == "") or (typed.endswith("@") and prefix == "@"):
            self._fill_completion_model()
            self._update_completion()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt override)
        if self._single_line and source.hasText():
            text = re.sub(r"[\r\n]+", " ", source.text().strip("\r\n"))
            self.textCursor().insertText(text)
            return
        super().insertFromMimeData(source)

    # -- gutter, find bar and layout -----------------------------------------------------------

    def line_number_area_width(self) -> int:
        """Width of the line-number gutter (0 in single-line mode)."""
        if self._single_line:
            return 0
        digits = max(len(str(self.blockCount())), 2)
        return _GUTTER_PADDING + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_margins(self, _count: int = 0) -> None:
        bottom = self.find_bar.sizeHint().height() if self.find_bar.isVisible() else 0
        self.setViewportMargins(self.line_number_area_width(), 0, 0, bottom)
        self._layout_children()

    def _layout_children(self) -> None:
        contents = self.contentsRect()
        viewport = self.viewport().geometry()
        self._line_numbers.setGeometry(
            QRect(contents.left(), viewport.top(), self.line_number_area_width(), viewport.height())
        )
        if self.find_bar.isVisible():
            height = self.find_bar.sizeHint().height()
            self.find_bar.setGeometry(
                QRect(contents.left(), viewport.bottom() + 1, contents.width(), height)
            )

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._line_numbers.scroll(0, dy)
        else:
            self._line_numbers.update(0, rect.y(), self._line_numbers.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._layout_children()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_dark(_is_dark(self.palette()))
            self._update_extra_selections()
        elif event.type() == QEvent.Type.FontChange and self._single_line:
            self._fit_single_line_height()

    def _fit_single_line_height(self) -> None:
        margin = self.document().documentMargin()
        height = self.fontMetrics().height() + 2 * margin + 2 * self.frameWidth() + 2
        self.setFixedHeight(int(height + 0.5))

    def paint_line_numbers(self, event: QPaintEvent) -> None:
        """Paint the gutter: line numbers and a severity mark on lines with diagnostics."""
        area = self._line_numbers
        painter = QPainter(area)
        palette = self.palette()
        edge = area.width() - _GUTTER_GAP
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Base))
        painter.fillRect(
            QRect(0, event.rect().top(), edge, event.rect().height()),
            palette.color(QPalette.ColorRole.AlternateBase),
        )
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(edge, event.rect().top(), edge, event.rect().bottom())
        worst: dict[int, Severity] = {}
        document = self.document()
        for tracked in self._diagnostics:
            block = document.findBlock(tracked.cursor.selectionStart()).blockNumber()
            severity = tracked.diagnostic.severity
            if block not in worst or severity.rank < worst[block].rank:
                worst[block] = severity
        current = self.textCursor().blockNumber()
        number_colour = palette.color(QPalette.ColorRole.PlaceholderText)
        current_colour = palette.color(QPalette.ColorRole.Text)
        line_height = self.fontMetrics().height()
        visible = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(visible).translated(self.contentOffset()).top())
        while visible.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(visible).height())
            number = visible.blockNumber()
            if visible.isVisible() and bottom >= event.rect().top():
                if number in worst:
                    painter.fillRect(
                        QRect(0, top + 1, 3, bottom - top - 2),
                        self._severity_colour(worst[number]),
                    )
                painter.setPen(current_colour if number == current else number_colour)
                painter.drawText(
                    QRect(0, top, edge - 6, line_height),
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                    str(number + 1),
                )
            visible = visible.next()
            top = bottom
        painter.end()
