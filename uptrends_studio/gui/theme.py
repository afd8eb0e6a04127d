"""Light and dark themes: the Fusion style with a matching palette, and every named colour.

Widgets take their colours from here and nowhere else: palette roles for the ordinary look,
and :func:`colours` for what a palette has no role for (severities, success, diff highlights,
banners, syntax). :func:`colours` picks the light or dark set from a widget's palette, so a
widget that reads it again on ``QEvent.PaletteChange`` follows a theme switch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    _TokenType,
)
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from uptrends_studio.core.checks.diagnostics import Severity
from uptrends_studio.core.language.lexer import Kind

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
_DARK_DISABLED_TEXT = "#6f7277"

Style = tuple[str, bool, bool]
"""``(colour, bold, italic)`` of a syntax kind."""


@dataclass(frozen=True, slots=True)
class Banner:
    """Colours of a framed message label (an error or a success summary)."""

    background: str
    text: str
    border: str


@dataclass(frozen=True, slots=True)
class Colours:
    """The named colours for one background (light or dark)."""

    error: str
    """Errors: underlines, gutter marks, failed states, conflicts."""
    warning: str
    note: str
    ok: str
    """Success: a message that is sent, a ticked Copy button."""
    neutral: str
    """Dim text: helper steps, greyed values."""
    error_background: str
    """Behind text that is wrong: a conflict, an unreadable import, a search with no match."""
    highlight_background: str
    """Behind text that differs between messages."""
    error_banner: Banner
    ok_banner: Banner
    neutral_banner: Banner
    """A message that is neither good nor bad ("No test sent yet", "Sending…")."""
    badge_ok: str
    """Background of a solid badge with white text: valid JSON."""
    badge_error: str
    badge_neutral: str
    badge_text: str
    """Text on a badge."""
    template_syntax: Mapping[str, Style]
    """Template editor colours per :class:`~uptrends_studio.core.language.lexer.Kind`."""
    code_syntax: Mapping[_TokenType, Style]
    """Request viewer colours per Pygments token type."""

    def severity(self, severity: Severity) -> QColor:
        """The colour of a diagnostic's severity."""
        by_severity = {
            Severity.ERROR: self.error,
            Severity.WARNING: self.warning,
            Severity.NOTE: self.note,
        }
        return QColor(by_severity[severity])

    def tone_banner(self, tone: str) -> Banner:
        """The banner of an outcome: ``ok``, ``fail`` or (anything else) neutral."""
        return {"ok": self.ok_banner, "fail": self.error_banner}.get(tone, self.neutral_banner)

    def tone_badge(self, tone: str) -> str:
        """The badge background of an outcome: ``ok``, ``fail`` or (anything else) neutral."""
        return {"ok": self.badge_ok, "fail": self.badge_error}.get(tone, self.badge_neutral)


LIGHT = Colours(
    error="#cf222e",
    warning="#9a6700",
    note="#0969da",
    ok="#1a7f37",
    neutral="#6e7781",
    error_background="#ffebe9",
    highlight_background="#ffe58f",
    error_banner=Banner("#ffebe9", "#82071e", "#ff8182"),
    ok_banner=Banner("#dafbe1", "#0f5323", "#4ac26b"),
    neutral_banner=Banner("#eaeef2", "#24292f", "#d0d7de"),
    badge_ok="#1a7f37",
    badge_error="#cf222e",
    badge_neutral="#6e7781",
    badge_text="#ffffff",
    # Contrast at least 4.5:1 on white.
    template_syntax={
        Kind.BRACE: ("#8c959f", False, False),
        Kind.SYSTEM_VARIABLE: ("#0550ae", True, False),
        Kind.PREDEFINED_VARIABLE: ("#1a7f37", True, False),
        Kind.FUNCTION: ("#8250df", True, False),
        Kind.USER_FUNCTION: ("#bc4c00", True, False),
        Kind.VAULT: ("#bf3989", True, False),
        Kind.UNKNOWN: ("#d1242f", True, False),
        Kind.ARGUMENT: ("#57606a", False, True),
        Kind.KEY: ("#0a3069", False, False),
        Kind.STRING: ("#7a5d00", False, False),
        Kind.NUMBER: ("#0e7490", False, False),
        Kind.KEYWORD: ("#6639ba", False, False),
        Kind.PUNCTUATION: ("#57606a", False, False),
        Kind.TAG: ("#116329", False, False),
        Kind.ATTRIBUTE: ("#0550ae", False, False),
        Kind.COMMENT: ("#6e7781", False, True),
        Kind.ENTITY: ("#953800", False, False),
    },
    code_syntax={
        Name.Tag: ("#0550ae", False, False),  # JSON keys, XML tags
        String: ("#116329", False, False),
        Number: ("#953800", False, False),
        Keyword: ("#8250df", True, False),  # true/false/null, the HTTP method
        Name.Attribute: ("#953800", False, False),  # XML attributes, header names
        Name.Entity: ("#8250df", False, False),
        Name.Namespace: ("#0550ae", False, False),  # the request URL
        Comment: ("#6e7781", False, True),
        Punctuation: ("#57606a", False, False),
        Operator: ("#57606a", False, False),
    },
)
"""Colours on a light background."""

DARK = Colours(
    error="#ff7b72",
    warning="#d29922",
    note="#58a6ff",
    ok="#3fb950",
    neutral="#8b949e",
    error_background="#5c1f1f",
    highlight_background="#6e5a12",
    error_banner=Banner("#4c1d1d", "#ffd7d5", "#8e2c2c"),
    ok_banner=Banner("#12361f", "#aff5b4", "#2ea043"),
    neutral_banner=Banner("#32363b", "#dfe1e5", "#484f58"),
    badge_ok="#1a7f37",
    badge_error="#cf222e",
    badge_neutral="#6e7781",
    badge_text="#ffffff",
    # On a background around #1e1e1e.
    template_syntax={
        Kind.BRACE: ("#8b949e", False, False),
        Kind.SYSTEM_VARIABLE: ("#79c0ff", True, False),
        Kind.PREDEFINED_VARIABLE: ("#7ee787", True, False),
        Kind.FUNCTION: ("#d2a8ff", True, False),
        Kind.USER_FUNCTION: ("#ffa657", True, False),
        Kind.VAULT: ("#ff9bce", True, False),
        Kind.UNKNOWN: ("#ff7b72", True, False),
        Kind.ARGUMENT: ("#b1bac4", False, True),
        Kind.KEY: ("#9cdcfe", False, False),
        Kind.STRING: ("#d7ba7d", False, False),
        Kind.NUMBER: ("#b5cea8", False, False),
        Kind.KEYWORD: ("#c586c0", False, False),
        Kind.PUNCTUATION: ("#8b949e", False, False),
        Kind.TAG: ("#7ee787", False, False),
        Kind.ATTRIBUTE: ("#79c0ff", False, False),
        Kind.COMMENT: ("#8b949e", False, True),
        Kind.ENTITY: ("#ffa657", False, False),
    },
    code_syntax={
        Name.Tag: ("#79c0ff", False, False),
        String: ("#7ee787", False, False),
        Number: ("#ffa657", False, False),
        Keyword: ("#d2a8ff", True, False),
        Name.Attribute: ("#ffa657", False, False),
        Name.Entity: ("#d2a8ff", False, False),
        Name.Namespace: ("#79c0ff", False, False),
        Comment: ("#8b949e", False, True),
        Punctuation: ("#8b949e", False, False),
        Operator: ("#8b949e", False, False),
    },
)
"""Colours on a dark background."""


def is_dark(palette: QPalette) -> bool:
    """True when the palette's text background (``Base``) is dark: use the dark colours."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def colours(palette: QPalette) -> Colours:
    """The colour set matching ``palette``: :data:`DARK` or :data:`LIGHT`."""
    return DARK if is_dark(palette) else LIGHT


def colours_for(dark: bool) -> Colours:
    """:data:`DARK` or :data:`LIGHT`."""
    return DARK if dark else LIGHT


def banner_style(banner: Banner) -> str:
    """Style sheet of a framed ``QLabel`` message in ``banner``'s colours."""
    return (
        f"QLabel {{ background: {banner.background}; color: {banner.text};"
        f" border: 1px solid {banner.border}; border-radius: 4px; padding: 6px 8px; }}"
    )


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
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DARK_DISABLED_TEXT))
    return palette


def apply_theme(app: QApplication, theme: str) -> None:
    """Switch the whole application to ``theme`` (``system``, ``light`` or ``dark``)."""
    if theme == "system":
        app.setPalette(app.style().standardPalette())
        return
    from uptrends_studio.gui.indicator_style import IndicatorStyle

    app.setStyle(IndicatorStyle(QStyleFactory.create("Fusion")))
    palette = dark_palette() if theme == "dark" else app.style().standardPalette()
    app.setPalette(palette)
