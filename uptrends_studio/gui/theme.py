"""Light and dark themes: the Fusion style with a matching palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")

_DARK = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#dfe1e5",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.ToolTipBase: "#3c3f41",
    QPalette.ColorRole.ToolTipText: "#dfe1e5",
    QPalette.ColorRole.PlaceholderText: "#8c8f94",
    QPalette.ColorRole.Text: "#dfe1e5",
    QPalette.ColorRole.Button: "#3c3f41",
    QPalette.ColorRole.ButtonText: "#dfe1e5",
    QPalette.ColorRole.BrightText: "#ff6b68",
    QPalette.ColorRole.Link: "#6aa9ff",
    QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Mid: "#8c8f94",
    QPalette.ColorRole.Dark: "#1b1c1e",
    QPalette.ColorRole.Light: "#4a4d50",
}


def is_dark(palette: QPalette) -> bool:
    """True when the palette's text background (``Base``) is dark: use the dark colours."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def dark_palette() -> QPalette:
    """The Studio's dark palette (disabled text dimmed)."""
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6f7277"))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch the whole application to ``theme`` (``system``, ``light`` or ``dark``)."""
    if theme == "system":
        app.setPalette(app.style().standardPalette())
        return
    app.setStyle(QStyleFactory.create("Fusion"))
    palette = dark_palette() if theme == "dark" else app.style().standardPalette()
    app.setPalette(palette)
