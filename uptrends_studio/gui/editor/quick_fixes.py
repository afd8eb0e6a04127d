"""Quick fixes of a template editor: the Ctrl+. menu and the context menu's fix entries."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QWidget

from uptrends_studio.core.checks.diagnostics import Fix
from uptrends_studio.gui.editor.context import AddsCustomFields
from uptrends_studio.gui.editor.diagnostics import DiagnosticsOverlay
from uptrends_studio.gui.editor.offsets import TextOffsets

NO_FIXES = "No quick fixes here"
"""The disabled entry of a quick-fix menu without fixes."""


class QuickFixes(QObject):
    """Offers the fixes of the diagnostics at a position and applies the one chosen.

    A fix replaces its span as one undoable edit and gives the editor the focus back.

    Signals: none.
    """

    def __init__(
        self, editor: QPlainTextEdit, offsets: TextOffsets, diagnostics: DiagnosticsOverlay
    ) -> None:
        super().__init__(editor)
        self._editor = editor
        self._offsets = offsets
        self._diagnostics = diagnostics
        self.last_menu: QMenu | None = None
        """The menu the last Ctrl+. opened (tests and accessibility read it)."""
        self.sample_editor: AddsCustomFields | None = None
        """Where fixes that edit the sample go; without one they are not offered."""

    def apply(self, fix: Fix) -> None:
        """Apply ``fix``: one undoable edit of the text, or the sample edit it names."""
        if fix.custom_field:
            if self.sample_editor is not None:
                self.sample_editor.add_custom_field(fix.custom_field)
        else:
            self._editor.setTextCursor(self._offsets.replace(fix.start, fix.end, fix.replacement))
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _offered(self, offset: int) -> list[Fix]:
        fixes = self._diagnostics.fixes_at(offset)
        return [f for f in fixes if not f.custom_field or self.sample_editor is not None]

    def menu(self, offset: int, parent: QWidget | None = None) -> QMenu:
        """A menu of the fixes at Python offset ``offset`` (one disabled entry if none)."""
        menu = QMenu(parent or self._editor)
        for fix in self._offered(offset):
            menu.addAction(self._action(fix, menu))
        if not menu.actions():
            menu.addAction(NO_FIXES).setEnabled(False)
        return menu

    def popup_at_cursor(self) -> None:
        """Pop up the fixes at the text cursor, below it."""
        editor = self._editor
        menu = self.menu(self._offsets.to_offset(editor.textCursor().position()))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(editor.viewport().mapToGlobal(editor.cursorRect().bottomLeft()))
        # The first fix is preselected: Enter applies it, as in other editors.
        first = next((a for a in menu.actions() if a.isEnabled()), None)
        if first is not None:
            menu.setActiveAction(first)
        self.last_menu = menu

    def insert_into(self, menu: QMenu, offset: int) -> None:
        """Put the fixes at ``offset`` at the top of ``menu``, followed by a separator."""
        standard = menu.actions()
        fixes = self._offered(offset)
        if not fixes or not standard:
            return
        first = standard[0]
        for fix in fixes:
            menu.insertAction(first, self._action(fix, menu))
        menu.insertSeparator(first)

    def _action(self, fix: Fix, menu: QMenu) -> QAction:
        action = QAction(fix.title, menu)
        action.triggered.connect(lambda _checked=False, f=fix: self.apply(f))
        return action
