"""A small editor context and typed wrappers of pytest-qt's untyped key and mouse helpers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from uptrends_studio.gui.editor.context import CompletionItem

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

LONG_VALUE = "x" * 500


class SmallContext:
    """Three names: a system variable, a function and a predefined variable with a long value."""

    def completion_items(self) -> list[CompletionItem]:
        return [
            CompletionItem("@alert.type}}", "@alert.type", "system", "The alert type", "Error"),
            CompletionItem("@alert.timestamp}}", "@alert.timestamp", "system", "When", "12:00"),
            CompletionItem("@JsonEncode(", "@JsonEncode", "function", "Escapes JSON", ""),
            CompletionItem("Long}}", "Long", "predefined", "A long value", LONG_VALUE),
        ]

    def describe_token(self, name: str) -> tuple[str, str] | None:
        return {
            "@alert.type": ("The alert type", "Error"),
            "Long": ("A long value", LONG_VALUE),
            "Unset": ("Not set in the sample", ""),
        }.get(name)


def key_clicks(qtbot: QtBot, widget: QWidget, text: str) -> None:
    clicks: Callable[[QWidget, str], None] = qtbot.keyClicks
    clicks(widget, text)


def key_click(
    qtbot: QtBot,
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    click: Callable[[QWidget, Qt.Key, Qt.KeyboardModifier], None] = qtbot.keyClick
    click(widget, key, modifier)


def mouse_click(qtbot: QtBot, widget: QWidget, pos: QPoint | None = None) -> None:
    click: Callable[..., None] = qtbot.mouseClick
    if pos is None:
        click(widget, Qt.MouseButton.LeftButton)
    else:
        click(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
