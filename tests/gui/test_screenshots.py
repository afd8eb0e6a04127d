"""The screenshot script really shows each screen: run it into a temporary folder.

``scripts/screenshots.py`` writes the README's pictures; the suite never touches the tracked
ones in docs/screenshots/, it checks the script still produces real images of every screen.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"
TABS = ["main", "customizations", "message-types", "test"]
EXPECTED = ["gallery", "checklist", *TABS]
LAPTOP = [
    f"720p-{theme}-{mode}-{tab}"
    for theme in ("light", "dark")
    for mode in ("normal", "presentation")
    for tab in TABS
]


def distinct_colours(image: QImage) -> int:
    colours = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            colours.add(image.pixel(x, y))
    return len(colours)


def test_the_screenshot_script_shows_every_screen(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.stem for p in tmp_path.glob("*.png")) == sorted(EXPECTED + LAPTOP)
    for name in EXPECTED:
        image = QImage(str(tmp_path / f"{name}.png"))
        assert not image.isNull(), name
        if name in EXPECTED[2:]:  # the window's tabs
            assert (image.width(), image.height()) == (1440, 900)
        assert distinct_colours(image) > 20, name  # text, highlighting, widgets: not blank
    for name in LAPTOP:
        image = QImage(str(tmp_path / f"{name}.png"))
        assert (image.width(), image.height()) == (1280, 720), name
        assert distinct_colours(image) > 20, name
    # Dark really is dark: the window's corner (the status bar) is darker than in light.
    light = QImage(str(tmp_path / "720p-light-normal-main.png")).pixelColor(5, 715)
    dark = QImage(str(tmp_path / "720p-dark-normal-main.png")).pixelColor(5, 715)
    assert dark.lightness() < light.lightness() - 80
