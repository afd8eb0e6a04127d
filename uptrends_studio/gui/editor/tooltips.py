"""The tooltip of a template editor: the token under the mouse and the problems there."""

from __future__ import annotations

import html
from typing import cast

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from uptrends_studio.core.language.parser import Token, iter_tokens, parse
from uptrends_studio.gui.editor.context import EditorContext
from uptrends_studio.gui.editor.diagnostics import DiagnosticsOverlay
from uptrends_studio.gui.editor.offsets import TextOffsets
from uptrends_studio.gui.theme import colours

MAX_TOOLTIP_VALUE = 300
"""Sample values longer than this are cut in tooltips."""


def token_at(text: str, offset: int) -> Token | None:
    """The innermost token of ``text`` covering Python offset ``offset``."""
    found: Token | None = None
    for token in iter_tokens(parse(text).nodes):
        if token.start <= offset < token.end and (
            found is None or token.end - token.start < found.end - found.start
        ):
            found = token
    return found


class TokenTooltips(QObject):
    """Explains the token and the diagnostics under the mouse in a rich-text tooltip.

    It filters the editor viewport's tooltip events, so the editor needs no code for it.

    Signals: none.
    """

    def __init__(
        self,
        editor: QPlainTextEdit,
        offsets: TextOffsets,
        diagnostics: DiagnosticsOverlay,
    ) -> None:
        super().__init__(editor)
        self._editor = editor
        self._offsets = offsets
        self._diagnostics = diagnostics
        self._context: EditorContext | None = None
        editor.viewport().installEventFilter(self)

    def set_context(self, context: EditorContext | None) -> None:
        """Where token descriptions and values come from (``None``: names only)."""
        self._context = context

    def text_at(self, offset: int) -> str:
        """Rich text explaining the token and the diagnostics at ``offset``; ``""`` if none."""
        parts: list[str] = []
        token = token_at(self._editor.toPlainText(), offset)
        if token is not None:
            parts.append(f"<b>{html.escape(token.name or '{{}}', quote=False)}</b>")
            parts.extend(self._describe(token.name))
        named = colours(self._editor.palette())
        for diagnostic in self._diagnostics.diagnostics_at(offset):
            colour = named.severity(diagnostic.severity).name()
            label = diagnostic.severity.value.capitalize()
            message = html.escape(diagnostic.message, quote=False)
            parts.append(
                f"<span style='color:{colour}'><b>{label}:</b></span> {message} "
                f"<small>[{html.escape(diagnostic.code)}]</small>"
            )
        if not parts:
            return ""
        return "<qt>" + "<br/>".join(parts) + "</qt>"

    def _describe(self, name: str) -> list[str]:
        if self._context is None:
            return []
        info = self._context.describe_token(name)
        if info is None:
            return ["<i>Not a known variable or function.</i>"]
        description, value = info
        parts = [html.escape(description, quote=False)] if description else []
        if value:
            shown = value[:MAX_TOOLTIP_VALUE]
            escaped = html.escape(shown, quote=False).replace("\n", "<br/>")
            more = "\u2026" if len(value) > MAX_TOOLTIP_VALUE else ""
            parts.append(f"Value: <code>{escaped}</code>{more}")
        else:
            parts.append("Value: <i>(empty)</i>")
        return parts

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.ToolTip:
            return False
        editor = self._editor
        help_event = cast(QHelpEvent, event)
        cursor = editor.cursorForPosition(help_event.pos())
        position = cursor.position()
        if help_event.pos().x() < editor.cursorRect(cursor).x() and position > 0:
            position -= 1  # the mouse is over the character before the cursor position
        text = self.text_at(self._offsets.to_offset(position))
        if text:
            QToolTip.showText(help_event.globalPos(), text, editor.viewport())
        else:
            QToolTip.hideText()
            event.ignore()
        return True
