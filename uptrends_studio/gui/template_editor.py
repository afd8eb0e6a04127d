"""The template editor: a code editor for URLs, header values, bodies and function fields.

It highlights tokens, completes names after ``{{``, explains a token on hover, underlines
diagnostics and applies their quick fixes, finds and replaces, and formats JSON bodies. It never
renders templates itself: names, descriptions and sample values come from an
:class:`~uptrends_studio.gui.editor.context.EditorContext`, and diagnostics are pushed in with
:meth:`TemplateEditor.set_diagnostics`.

The editor only owns and wires its parts (package :mod:`uptrends_studio.gui.editor`): the
highlighter, :class:`TemplateCompleter`, :class:`DiagnosticsOverlay`, :class:`TokenTooltips`,
:class:`QuickFixes`, :class:`FindBar` with its :class:`FindController`, and
:class:`LineNumberGutter`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import cast

from PySide6.QtCore import QEvent, QMimeData, QRect, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QWidget

from uptrends_studio.core.checks.diagnostics import Diagnostic, Fix, LineIndex, Severity
from uptrends_studio.core.document.json_format import format_edit
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.gui.editor.completer import TemplateCompleter
from uptrends_studio.gui.editor.context import AddsCustomFields, EditorContext
from uptrends_studio.gui.editor.diagnostics import DiagnosticsOverlay
from uptrends_studio.gui.editor.find_controller import FindController
from uptrends_studio.gui.editor.gutter import LineNumberGutter
from uptrends_studio.gui.editor.keys import EditorCommand, editor_command
from uptrends_studio.gui.editor.offsets import TextOffsets
from uptrends_studio.gui.editor.quick_fixes import QuickFixes
from uptrends_studio.gui.editor.tooltips import TokenTooltips
from uptrends_studio.gui.editor.typing_aids import handle_key
from uptrends_studio.gui.find_bar import FindBar
from uptrends_studio.gui.highlighter import TemplateHighlighter
from uptrends_studio.gui.theme import is_dark

CURRENT_LINE_ALPHA = 28
"""Opacity (of 255) of the highlight colour behind the cursor's line."""


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
        self._single_line = single_line
        self._setting_text = False
        self._last_text = ""
        self._last_key = (-1, -1)
        """The document's (revision, character count) when ``_last_text`` was read."""

        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        document = self.document()
        if catalogue is None:  # the window's context shares its catalogue: read it once
            catalogue = getattr(context, "catalogue", None)
        self.highlighter = TemplateHighlighter(
            document, catalogue=catalogue, dark=is_dark(self.palette())
        )
        self.offsets = TextOffsets(document)
        self.diagnostics_overlay = DiagnosticsOverlay(document, self.offsets, self)
        self.gutter = LineNumberGutter(self, self.diagnostics_overlay)
        self.tooltips = TokenTooltips(self, self.offsets, self.diagnostics_overlay)
        self.quick_fixes = QuickFixes(self, self.offsets, self.diagnostics_overlay)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        self.find_controller = FindController(self, self.find_bar)
        self._completer = TemplateCompleter(self)
        self.set_context(context)

        if single_line:
            self._make_single_line()

        self.textChanged.connect(self._on_text_changed)
        self.blockCountChanged.connect(self._on_block_count_changed)
        self.updateRequest.connect(self.gutter.follow_update_request)
        self.cursorPositionChanged.connect(self._update_extra_selections)
        self.diagnostics_overlay.changed.connect(self._update_extra_selections)
        self.find_bar.closed.connect(self._on_find_bar_closed)
        self._update_margins()
        self._update_extra_selections()

    def _make_single_line(self) -> None:
        self.gutter.hide()
        self.setWordWrapMode(QTextOption.WrapMode.NoWrap)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabChangesFocus(True)
        self.document().setDocumentMargin(3)
        self._fit_single_line_height()

    # -- text ----------------------------------------------------------------------------------

    def text(self) -> str:
        """The whole text.

        Read from the document once per change: the window asks for it several times per
        keystroke, and with a 1 MB body each copy costs a millisecond.
        """
        if self._document_key() != self._last_key:
            return self._read_text()
        return self._last_text

    def _document_key(self) -> tuple[int, int]:
        document = self.document()
        return document.revision(), document.characterCount()

    def _read_text(self) -> str:
        self._last_text = self.toPlainText()
        self._last_key = self._document_key()
        return self._last_text

    def set_text(self, text: str) -> None:
        """Replace the text without emitting ``text_edited``; clears undo and diagnostics."""
        self._setting_text = True
        self.highlighter.restart_lazily()
        try:
            self.setPlainText(text)
        finally:
            self._setting_text = False
        self.document().clearUndoRedoStacks()
        self._read_text()
        self.set_diagnostics(())

    @property
    def single_line(self) -> bool:
        """True for a one-line editor (URL, header value)."""
        return self._single_line

    @property
    def completer(self) -> TemplateCompleter:
        """The completion popup's completer."""
        return self._completer

    def set_context(self, context: EditorContext | None) -> None:
        """Use another source of completions and token descriptions."""
        self._completer.set_context(context)
        self.tooltips.set_context(context)
        self.quick_fixes.sample_editor = context if isinstance(context, AddsCustomFields) else None

    def set_content_kind(self, kind: str) -> None:
        """Highlight the body as ``json``, ``xml``, ``form`` or ``text``."""
        self.highlighter.set_content(kind)

    def set_names(self, predefined: Iterable[str] | None, functions: Iterable[str] | None) -> None:
        """The integration's predefined variables and functions; others are shown as unknown."""
        self.highlighter.set_names(predefined, functions)

    def cursor_offset(self) -> int:
        """The text cursor's position as a Python string offset."""
        return self.offsets.to_offset(self.textCursor().position())

    def _on_text_changed(self) -> None:
        if self._setting_text:
            return
        # textChanged also fires when only formats change (re-highlighting): compare the text.
        before = self._last_text
        text = self._read_text()
        if text == before:
            return
        self.diagnostics_overlay.mark_stale()
        self.text_edited.emit(text)

    # -- navigation ----------------------------------------------------------------------------

    def goto_offset(self, offset: int) -> None:
        """Put the cursor at Python string offset ``offset`` and focus the editor."""
        self.setTextCursor(self.offsets.cursor(offset))
        self.ensureCursorVisible()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def goto(self, line: int, column: int) -> None:
        """Put the cursor at 1-based ``line`` and ``column`` (as diagnostics give them)."""
        self.goto_offset(LineIndex(self.toPlainText()).nearest_offset(line, column))

    # -- diagnostics, tooltips and quick fixes (delegated to the parts) ------------------------

    def set_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Underline ``diagnostics`` (spans are offsets in this editor's text)."""
        self.diagnostics_overlay.set_diagnostics(diagnostics)

    def diagnostics(self) -> list[Diagnostic]:
        """The diagnostics last set."""
        return self.diagnostics_overlay.diagnostics()

    def fixes_at(self, offset: int) -> list[Fix]:
        """Quick fixes of the diagnostics at ``offset``; none once the text has been edited."""
        return self.diagnostics_overlay.fixes_at(offset)

    def underline_spans(self) -> list[tuple[int, int, Severity]]:
        """The underlined ``(start, end, severity)`` Python offsets, as currently drawn."""
        return self.diagnostics_overlay.underline_spans()

    def tooltip_text(self, offset: int) -> str:
        """Rich text explaining the token and the diagnostics at ``offset``; ``""`` if none."""
        return self.tooltips.text_at(offset)

    def quick_fix_menu(self, offset: int, parent: QWidget | None = None) -> QMenu:
        """A menu of the quick fixes at ``offset`` (one disabled entry if there are none)."""
        return self.quick_fixes.menu(offset, parent)

    def _update_extra_selections(self) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        if not self._single_line and not self.isReadOnly():
            line = QTextEdit.ExtraSelection()
            colour = QColor(self.palette().color(QPalette.ColorRole.Highlight))
            colour.setAlpha(CURRENT_LINE_ALPHA)
            line.format.setBackground(colour)
            line.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            line.cursor = self.textCursor()
            line.cursor.clearSelection()
            selections.append(line)
        selections += self.diagnostics_overlay.underlines(dark=is_dark(self.palette()))
        self.setExtraSelections(selections)

    # -- menus ---------------------------------------------------------------------------------

    def create_context_menu(self, offset: int) -> QMenu:
        """The context menu at Python offset ``offset``: quick fixes, then editing actions."""
        menu = self.createStandardContextMenu()
        self.quick_fixes.insert_into(menu, offset)
        if not self._single_line:
            menu.addSeparator()
            _menu_action(menu, "Format JSON", "Ctrl+Shift+F", self.format_json)
            _menu_action(menu, "Find\u2026", "Ctrl+F", self.open_find)
            _menu_action(menu, "Replace\u2026", "Ctrl+H", self.open_replace)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        position = self.cursorForPosition(self.viewport().mapFrom(self, event.pos())).position()
        menu = self.create_context_menu(self.offsets.to_offset(position))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    # -- completion ----------------------------------------------------------------------------

    def completion_visible(self) -> bool:
        """True while the completion popup is shown."""
        return self._completer.is_open()

    def open_completion(self) -> None:
        """Show the completion popup for the name at the cursor (inserting ``{{`` if needed)."""
        self._completer.open()

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
        self.find_controller.open(replace=replace)
        self._update_margins()

    def replace_all(self) -> int:
        """Replace every match of the find bar's text; returns how many were replaced."""
        return self.find_controller.replace_all()

    def _on_find_bar_closed(self) -> None:
        self._update_margins()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- JSON ----------------------------------------------------------------------------------

    def format_json(self) -> bool:
        """Re-indent the text as JSON, keeping tokens (one undoable edit); False if unchanged."""
        edit = format_edit(self.toPlainText(), self.cursor_offset())
        if edit is None:
            return False
        self.offsets.replace(edit.start, edit.end, edit.replacement)
        self.setTextCursor(self.offsets.cursor(edit.cursor))
        return True

    # -- keys ----------------------------------------------------------------------------------

    def _command(self, event: QKeyEvent) -> EditorCommand | None:
        """The editor's own command for a key (it wins over application shortcuts)."""
        return editor_command(
            event.key(),
            event.modifiers(),
            single_line=self._single_line,
            escape_wanted=self.completion_visible() or self.find_bar.isVisible(),
        )

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and self._command(cast(QKeyEvent, event)) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if self._completer.handle_popup_key(event):
            return
        command = self._command(event)
        if command is not None:
            self._run(command)
            return
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._single_line:
            self.submitted.emit()
            return
        if not self._single_line and not self.isReadOnly() and handle_key(self, event):
            typed = event.text()
            if typed and typed not in "\r\n":
                self._completer.after_typing(typed)
            return
        super().keyPressEvent(event)
        typed = event.text()
        if typed or key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self._completer.after_typing(typed)

    def _run(self, command: EditorCommand) -> None:
        actions: dict[EditorCommand, Callable[[], object]] = {
            EditorCommand.COMPLETE: self.open_completion,
            EditorCommand.QUICK_FIX: self.quick_fixes.popup_at_cursor,
            EditorCommand.CLOSE_FIND: self.find_bar.close_bar,
            EditorCommand.FIND_AGAIN: self._find_again,
            EditorCommand.FIND_PREVIOUS: lambda: self._find_again(backward=True),
            EditorCommand.FORMAT_JSON: self.format_json,
            EditorCommand.FIND: self.open_find,
            EditorCommand.REPLACE: self.open_replace,
        }
        actions[command]()

    def _find_again(self, *, backward: bool = False) -> None:
        if not self.find_bar.pattern():
            self.open_find()
        elif backward:
            self.find_controller.find_previous()
        else:
            self.find_controller.find_next()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt override)
        if self._single_line and source.hasText():
            text = re.sub(r"[\r\n]+", " ", source.text().strip("\r\n"))
            self.textCursor().insertText(text)
            return
        super().insertFromMimeData(source)

    # -- layout of the gutter and the find bar -------------------------------------------------

    def line_number_area_width(self) -> int:
        """Width of the line-number gutter (0 in single-line mode)."""
        return 0 if self._single_line else self.gutter.width_needed()

    def _on_block_count_changed(self, _count: int) -> None:
        self._update_margins()

    def _update_margins(self) -> None:
        bottom = self.find_bar.sizeHint().height() if self.find_bar.isVisible() else 0
        self.setViewportMargins(self.line_number_area_width(), 0, 0, bottom)
        self._layout_children()

    def _layout_children(self) -> None:
        contents = self.contentsRect()
        viewport = self.viewport().geometry()
        self.gutter.setGeometry(
            QRect(contents.left(), viewport.top(), self.line_number_area_width(), viewport.height())
        )
        if self.find_bar.isVisible():
            height = self.find_bar.sizeHint().height()
            self.find_bar.setGeometry(
                QRect(contents.left(), viewport.bottom() + 1, contents.width(), height)
            )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._layout_children()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_dark(is_dark(self.palette()))
            self._update_extra_selections()
        elif event.type() == QEvent.Type.FontChange and self._single_line:
            self._fit_single_line_height()

    def _fit_single_line_height(self) -> None:
        margin = self.document().documentMargin()
        height = self.fontMetrics().height() + 2 * margin + 2 * self.frameWidth() + 2
        self.setFixedHeight(int(height + 0.5))


def _menu_action(menu: QMenu, title: str, keys: str, slot: Callable[[], object]) -> QAction:
    action = menu.addAction(title)
    # Shown for discoverability; the keys themselves are handled in keyPressEvent.
    action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(slot)
    return action
