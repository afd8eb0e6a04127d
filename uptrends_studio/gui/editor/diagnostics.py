"""Diagnostics drawn over the editor's text: wavy underlines that follow edits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from uptrends_studio.core.checks.diagnostics import Diagnostic, Fix, Severity
from uptrends_studio.gui.editor.offsets import TextOffsets
from uptrends_studio.gui.theme import colours_for


class _Tracked(NamedTuple):
    diagnostic: Diagnostic
    cursor: QTextCursor
    """Selects the diagnostic's span and moves with edits."""


class DiagnosticsOverlay(QObject):
    """The diagnostics of one document, with spans that move as the text is edited.

    Spans are Python offsets of the text they were set for; a cursor per diagnostic keeps each
    underline on its text while the user types. Quick fixes are offered only until the text
    changes (:meth:`mark_stale`), since their offsets are then out of date.

    Signals:
        changed(): the diagnostics were replaced (underlines and gutter marks must be redrawn).
    """

    changed = Signal()

    def __init__(
        self, document: QTextDocument, offsets: TextOffsets, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._offsets = offsets
        self._tracked: list[_Tracked] = []
        self._stale = False

    def set_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Track ``diagnostics`` (spans are offsets in the document's current text)."""
        length = len(self._document.toPlainText())
        tracked = []
        for diagnostic in diagnostics:
            start = min(max(diagnostic.start, 0), length)
            end = min(max(diagnostic.end, start), length)
            if end == start:  # a zero-length span underlines one character
                if start < length:
                    end = start + 1
                elif start > 0:
                    start -= 1
            tracked.append(_Tracked(diagnostic, self._offsets.cursor(start, end)))
        self._tracked = tracked
        self._stale = False
        self.changed.emit()

    def mark_stale(self) -> None:
        """The text was edited: the fixes no longer apply (the underlines stay)."""
        self._stale = True

    def diagnostics(self) -> list[Diagnostic]:
        """The diagnostics last set."""
        return [tracked.diagnostic for tracked in self._tracked]

    def diagnostics_at(self, offset: int) -> list[Diagnostic]:
        """Diagnostics whose (current, edit-tracked) span covers Python offset ``offset``."""
        position = self._offsets.to_position(offset)
        return [
            tracked.diagnostic
            for tracked in self._tracked
            if tracked.cursor.selectionStart() <= position < tracked.cursor.selectionEnd()
            or position == tracked.cursor.selectionEnd()
        ]

    def fixes_at(self, offset: int) -> list[Fix]:
        """Quick fixes of the diagnostics at ``offset``; none once the text has been edited."""
        if self._stale:
            return []
        fixes: list[Fix] = []
        for diagnostic in self.diagnostics_at(offset):
            fixes.extend(fix for fix in diagnostic.fixes if fix not in fixes)
        return fixes

    def underline_spans(self) -> list[tuple[int, int, Severity]]:
        """The underlined ``(start, end, severity)`` Python offsets, as currently drawn."""
        return [
            (
                self._offsets.to_offset(tracked.cursor.selectionStart()),
                self._offsets.to_offset(tracked.cursor.selectionEnd()),
                tracked.diagnostic.severity,
            )
            for tracked in self._tracked
        ]

    def underlines(self, *, dark: bool) -> list[QTextEdit.ExtraSelection]:
        """Wavy underlines in severity colours, errors last (drawn on top of the others)."""
        palette = colours_for(dark)
        selections = []
        for tracked in sorted(self._tracked, key=lambda t: -t.diagnostic.severity.rank):
            selection = QTextEdit.ExtraSelection()
            selection.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            selection.format.setUnderlineColor(palette.severity(tracked.diagnostic.severity))
            selection.cursor = tracked.cursor
            selections.append(selection)
        return selections

    def worst_by_block(self) -> dict[int, Severity]:
        """The most severe diagnostic starting on each block (line) number."""
        worst: dict[int, Severity] = {}
        for tracked in self._tracked:
            block = self._document.findBlock(tracked.cursor.selectionStart()).blockNumber()
            severity = tracked.diagnostic.severity
            if block not in worst or severity.rank < worst[block].rank:
                worst[block] = severity
        return worst
