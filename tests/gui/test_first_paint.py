"""``--quit-after-start`` and the start-up benchmark stop when the first preview is painted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from uptrends_studio.gui.app import build_window
from uptrends_studio.gui.first_paint import after_preview_painted


def test_the_callback_fires_once_the_rendered_preview_is_on_screen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, problems = build_window([], settings)
    qtbot.addWidget(window)
    assert problems == []
    seen: list[str] = []
    updated: list[bool] = []
    after_preview_painted(
        window,
        lambda: seen.append(window.preview_pane.code_view("pretty").toPlainText()),
        on_updated=lambda: updated.append(True),
    )
    assert seen == []  # nothing before the window is even shown
    window.show()
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert updated == [True]
    assert '"accountId": "318452"' in seen[0]  # the demo's rendered body, not an empty view
    # Later previews do not call again.
    with qtbot.waitSignal(window.controller.updated, timeout=10_000):
        window.controller.refresh_now()
    qtbot.wait(100)
    assert len(seen) == 1
