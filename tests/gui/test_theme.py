"""Named colours come from the theme and follow a switch between light and dark."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.delivery.history import ExchangeRecord, History, RunRecord
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.language.lexer import Kind
from uptrends_studio.gui.find_bar import FindBar
from uptrends_studio.gui.history_page import HistoryPage
from uptrends_studio.gui.run_view import ExchangeSection, RunView, content_language
from uptrends_studio.gui.template_editor import TemplateEditor
from uptrends_studio.gui.theme import DARK, LIGHT, Colours, colours, dark_palette


def luminance(colour: str) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    c = QColor(colour)
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("named", "background"), [(LIGHT, "#ffffff"), (DARK, "#1e1f22")])
def test_text_colours_are_readable_on_their_background(named: Colours, background: str) -> None:
    texts = [named.error, named.warning, named.note, named.ok, named.neutral]
    # Braces are dimmed on purpose: the name between them is what matters.
    texts += [c for kind, (c, _, _) in named.template_syntax.items() if kind != Kind.BRACE]
    texts += [colour for colour, _, _ in named.code_syntax.values()]
    assert min(contrast(text, background) for text in texts) >= 4.5


def test_the_colour_set_follows_the_palette(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert colours(dark_palette()) is DARK
    assert colours(app.style().standardPalette()) is LIGHT


def underline_colours(editor: TemplateEditor) -> list[QColor]:
    return [
        s.format.underlineColor()
        for s in editor.extraSelections()
        if s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    ]


def test_editor_underlines_and_tooltips_switch_with_the_theme(qtbot: QtBot) -> None:
    editor = TemplateEditor()
    qtbot.addWidget(editor)
    editor.set_text("{{@x}}")
    editor.set_diagnostics([Diagnostic(Severity.ERROR, "c", "broken", start=0, end=6)])
    assert underline_colours(editor) == [QColor(LIGHT.error)]
    assert LIGHT.error in editor.tooltip_text(2)
    editor.setPalette(dark_palette())
    assert underline_colours(editor) == [QColor(DARK.error)]
    assert DARK.error in editor.tooltip_text(2)


def test_a_failed_search_is_marked_in_the_theme_colour(qtbot: QtBot) -> None:
    bar = FindBar()
    qtbot.addWidget(bar)
    bar.show()

    def background() -> QColor:
        return bar.find_edit.grab().toImage().pixelColor(4, 4)

    plain = background()
    bar.set_status("No matches", failed=True)
    assert bar.search_failed()
    assert background() == QColor(LIGHT.error_background)
    bar.setPalette(dark_palette())
    assert background() == QColor(DARK.error_background)
    bar.set_status("1 match")
    assert background() != QColor(DARK.error_background)
    assert plain != QColor(LIGHT.error_background)


def exchange(status: int, error: str = "") -> ExchangeRecord:
    return ExchangeRecord(
        step_index=0,
        step_name="Send alert",
        helper=False,
        method="POST",
        url="http://127.0.0.1:9/alerts",
        request_headers=(("Content-Type", "application/json"),),
        request_body="{}",
        status=status,
        reason="OK" if status < 400 else "Internal Server Error",
        response_headers=(),
        response_body="",
        body_size=0,
        body_truncated=False,
        error=error,
        error_kind="",
        total_ms=5.0,
        first_byte_ms=4.0,
        download_ms=1.0,
    )


def test_test_results_follow_the_theme(qtbot: QtBot) -> None:
    view = RunView()
    qtbot.addWidget(view)
    view.show_message("✓ Delivered", "ok")
    assert LIGHT.ok_banner.background in view.banner.styleSheet()
    section = ExchangeSection(exchange(500, error="the target said no"), expanded=True)
    qtbot.addWidget(section)
    assert LIGHT.badge_error in section.status_pill.styleSheet()
    assert LIGHT.error in section.error_label.styleSheet()
    view.setPalette(dark_palette())
    section.setPalette(dark_palette())
    assert DARK.ok_banner.background in view.banner.styleSheet()
    assert DARK.error in section.error_label.styleSheet()
    view.show_message("Sending…")
    assert DARK.neutral_banner.background in view.banner.styleSheet()


def test_history_marks_runs_in_the_theme_colours(qtbot: QtBot, tmp_path: Path) -> None:
    history = History(tmp_path, "demo")
    for status in (200, 500):
        history.add(
            RunRecord("2026-01-01T00:00:00+00:00", AlertType.ERROR, "s", (exchange(status),))
        )
    page = HistoryPage()
    qtbot.addWidget(page)
    page.show_history(history)

    def foregrounds() -> set[str]:
        items = [page.history_list.item(row) for row in range(page.history_list.count())]
        return {item.foreground().color().name() for item in items if item is not None}

    assert foregrounds() == {LIGHT.ok, LIGHT.error}
    page.setPalette(dark_palette())
    assert foregrounds() == {DARK.ok, DARK.error}


@pytest.mark.parametrize(
    ("content_type", "language"),
    [
        ("application/json; charset=utf-8", "json"),
        ("application/problem+json", "json"),
        ("text/xml", "xml"),
        ("text/plain", "text"),
        (None, "text"),
    ],
)
def test_a_response_body_is_highlighted_as_its_content_type_says(
    content_type: str | None, language: str
) -> None:
    headers = [("Content-Type", content_type)] if content_type else []
    assert content_language(headers) == language


def test_dark_check_boxes_are_outlined_and_grow_with_presentation_text(qtbot: QtBot) -> None:
    """An unticked box must be visible on a dark window, and larger on a projector."""
    from PySide6.QtWidgets import QCheckBox, QStyle

    from uptrends_studio.gui.indicator_style import IndicatorStyle

    page = QCheckBox("Secret")
    qtbot.addWidget(page)
    page.setStyle(IndicatorStyle("Fusion"))
    page.setPalette(dark_palette())
    page.setAutoFillBackground(True)
    page.show()
    qtbot.waitExposed(page)
    image = page.grab().toImage()
    background = QColor(image.pixel(image.width() - 1, 1)).lightness()
    size = page.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, page)
    outline = max(QColor(image.pixel(x, image.height() // 2)).lightness() for x in range(size + 4))
    assert outline - background > 60  # the outline stands out from the dark window
    font = page.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    page.setFont(font)
    bigger = page.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, page)
    assert bigger > size
