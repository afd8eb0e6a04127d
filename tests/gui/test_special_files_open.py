"""Opening a FIFO, a device or a socket in the window: a message, and the window carries on."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.core.test_bounded_files import SPECIAL
from uptrends_studio.gui.app import build_window
from uptrends_studio.gui.main_window import MainWindow


@pytest.mark.parametrize("case", list(SPECIAL))
def test_opening_a_special_file_says_what_it_is_and_keeps_the_document(
    case: str,
    window: MainWindow,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make, expected = SPECIAL[case]
    path = tmp_path / "special.integration.json"
    make(path)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    before = window.document.integration
    started = time.monotonic()
    assert not window.open_path(path, ask=False)
    assert time.monotonic() - started < 1
    assert shown == [f"{path}: {expected}"]
    assert window.document.integration == before
    assert window.document.path != path
    qtbot.keyClicks(window.variables_tab.name_edit, " still editing")  # the window carries on
    assert window.document.integration.name == f"{before.name} still editing"


def test_starting_on_a_fifo_opens_the_demo_and_names_the_problem(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "pipe.integration.json"
    os.mkfifo(path)  # nobody ever writes to it: reading would wait for ever
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    started = time.monotonic()
    window, problems = build_window([str(path)], settings)
    qtbot.addWidget(window)
    assert time.monotonic() - started < 10  # building the window, not waiting on the pipe
    assert problems == [f"{path}: is a named pipe (FIFO), not a regular file"]
    assert window.document.path is None
    assert window.document.integration.name == "Demo: Uptrends integration"
