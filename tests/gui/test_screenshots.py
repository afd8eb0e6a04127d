"""Screenshots of every tab for the README, taken from the offscreen window.

They are written to docs/screenshots/ on every run, so the pictures always show the current
app; the test checks each one really shows its tab (not an empty or blank window).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tests.gui.test_test_tab import point_at_port
from tests.support import free_port
from uptrends_studio.gui.main_window import MainWindow

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TABS = ["main", "customizations", "message-types", "test"]


def distinct_colours(image: QImage) -> int:
    colours = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            colours.add(image.pixel(x, y))
    return len(colours)


@pytest.mark.parametrize(("index", "name"), list(enumerate(TABS)))
def test_screenshot_of_each_tab(qtbot: QtBot, window: MainWindow, index: int, name: str) -> None:
    window.resize(1440, 900)
    window.tabs.setCurrentIndex(index)
    if name == "test":
        # Show a real result: the demo sent to the built-in receiver (on a free port).
        point_at_port(window, free_port())
        window.send_test_alert()
        qtbot.waitUntil(lambda: not window.test_tab.is_busy(), timeout=10_000)
        assert window.test_tab.run_view.tone == "ok"
    qtbot.wait(100)
    assert window.tabs.currentIndex() == index
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    image = window.grab().toImage()
    assert image.save(str(path))
    saved = QImage(str(path))
    assert (saved.width(), saved.height()) == (1440, 900)
    assert distinct_colours(saved) > 20  # text, highlighting and widgets, not a blank frame


def test_screenshot_of_the_gallery_and_the_checklist(qtbot: QtBot, window: MainWindow) -> None:
    from uptrends_studio.gui.gallery_dialog import GalleryDialog

    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog = window.new_from_template()
    assert isinstance(dialog, GalleryDialog)
    dialog.resize(980, 620)
    qtbot.keyClicks(dialog.search_edit, "incident")
    qtbot.wait(100)
    assert dialog.entries()
    image = dialog.grab().toImage()
    assert image.save(str(SHOTS / "gallery.png"))
    assert distinct_colours(image) > 20
    dialog.reject()

    checklist = window.show_checklist()
    checklist.resize(900, 700)
    qtbot.wait(100)
    image = checklist.grab().toImage()
    assert image.save(str(SHOTS / "checklist.png"))
    assert distinct_colours(image) > 20
    checklist.close()
