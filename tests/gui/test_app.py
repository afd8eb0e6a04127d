"""Starting the Studio: the console command opens the window and quits cleanly (offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from uptrends_studio.gui.app import build_window


def run_studio(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return subprocess.run(
        [sys.executable, "-m", "uptrends_studio", *args, "--quit-after-start"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
        check=False,
    )


def test_no_argument_opens_the_demo_and_quits_cleanly(tmp_path: Path) -> None:
    result = run_studio(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_file_is_reported_and_the_demo_opens(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "bad.integration.json"
    path.write_text("{not json", encoding="utf-8")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, problems = build_window([str(path)], settings)
    qtbot.addWidget(window)
    assert problems == [
        f"{path}:1:2: not valid JSON: a property name in double quotes was expected"
    ]
    assert window.document.integration.name == "Demo: Uptrends integration"
    assert window.document.path is None


def test_a_file_argument_is_opened(qtbot: QtBot, tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "data" / "v1.integration.json"
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, problems = build_window([str(source)], settings)
    qtbot.addWidget(window)
    assert problems == []
    assert window.document.path == source
    assert window.windowTitle() == "v1.integration.json[*] — Uptrends Studio"


def test_an_unexpected_exception_shows_a_dialog_and_keeps_the_document(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from uptrends_studio.gui.app import make_exception_hook

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, _ = build_window([], settings)
    qtbot.addWidget(window)
    window.variables_tab.add_variable()
    before = window.document.integration
    shown: list[QMessageBox] = []
    hook = make_exception_hook(shown.append)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert len(shown) == 1
    assert "boom in a slot" in shown[0].text()
    assert "nothing was lost" in shown[0].text()
    assert "Traceback" in shown[0].detailedText()
    assert window.document.integration == before
    assert window.document.is_dirty()
    window.document.load(before, None)


def test_the_app_icon_has_every_shipped_size() -> None:
    from uptrends_studio.gui.app import app_icon

    sizes = {size.width() for size in app_icon().availableSizes()}
    assert sizes == {16, 32, 48, 64, 128, 256, 512}
