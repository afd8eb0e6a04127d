"""Crashes and failed saves lose nothing: kill -9 then restore, atomic saves, the crash dialog."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from uptrends_studio.core import userdirs
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.errors import FileFormatError
from uptrends_studio.core.logs import (
    LOG_FILE_NAME,
    register_secrets,
    setup_logging,
    shutdown_logging,
)
from uptrends_studio.core.secrets import MASK
from uptrends_studio.gui.app import build_window, make_exception_hook, restore_autosaves
from uptrends_studio.gui.autosave import AutosaveEntry, RestoreChoice, find_restorable
from uptrends_studio.gui.main_window import DEMO_PATH

EDIT = " - edited before the crash"

# Starts the Studio exactly as `uptrends-studio FILE` does (gui.app.start), then types into the
# integration name field like a user, reports where the autosave went, and keeps running until
# the test kills it.
DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from uptrends_studio.gui import app as studio
from uptrends_studio.gui.autosave import Autosaver

qapp, window = studio.start(sys.argv[1:])

def type_edit():
    # Autosave is attached by the staged start, after the first paint.
    saver = window.findChild(Autosaver)
    saver.autosaved.connect(lambda path: print("AUTOSAVED", path, flush=True))
    saver.failed.connect(lambda message: print("FAILED", message, flush=True))
    window.variables_tab.name_edit.setFocus()
    QTest.keyClicks(window.variables_tab.name_edit, sys.argv[-1])

window.staged.when_finished(type_edit)
sys.exit(qapp.exec())
"""


def studio_env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / "config"),
        **{userdirs.DATA_DIR_ENV: str(tmp_path / "data")},
    )


def demo_copy(tmp_path: Path) -> Path:
    target = tmp_path / "work" / "alerts.integration.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DEMO_PATH, target)
    return target


def crash_after_an_edit(tmp_path: Path, path: Path) -> str:
    """Run the Studio on ``path``, type an edit, wait for its autosave, then SIGKILL it."""
    studio = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(path), EDIT],
        env=studio_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert studio.stdout is not None
        line = studio.stdout.readline()  # blocks until the autosave is written (or it dies)
    finally:
        studio.kill()  # SIGKILL: no clean-up code runs, like a crash or a power cut
        _out, err = studio.communicate(timeout=30)
    assert line.startswith("AUTOSAVED "), err
    assert studio.returncode == -9 if sys.platform != "win32" else studio.returncode != 0
    return line.removeprefix("AUTOSAVED ").strip()


def test_killed_studio_offers_its_unsaved_edit_and_restore_brings_it_back(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = demo_copy(tmp_path)
    autosave = crash_after_an_edit(tmp_path, path)
    data = tmp_path / "data"
    assert Path(autosave).parent == data / "autosave"
    assert path.read_bytes() == DEMO_PATH.read_bytes()  # the file itself was never written
    assert "autosaved" in (data / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")

    # The next start: same file, same data folder.
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, problems = build_window([str(path)], settings, data_dir=data)
    qtbot.addWidget(
        window,
        before_close_func=lambda _w: window.document.load(window.document.integration, None),
    )
    assert problems == []
    offered: list[tuple[AutosaveEntry, str]] = []

    def chooser(entry: AutosaveEntry) -> RestoreChoice:
        offered.append((entry, entry.diff()))
        return RestoreChoice.RESTORE

    restored = restore_autosaves(window, data, chooser=chooser)
    assert len(offered) == 1
    entry, diff = offered[0]
    assert restored == entry
    assert entry.original == path.absolute()
    assert f'+  "name": "Demo: Uptrends integration{EDIT}",' in diff
    assert '-  "name": "Demo: Uptrends integration",' in diff
    assert window.document.integration.name == f"Demo: Uptrends integration{EDIT}"
    assert window.variables_tab.name_edit.text() == f"Demo: Uptrends integration{EDIT}"
    assert window.document.path == path.absolute()
    assert window.document.is_dirty()
    assert window.isWindowModified()
    assert "Restored the unsaved changes" in window.statusBar().currentMessage()
    assert not Path(autosave).exists()
    assert find_restorable(data / "autosave") == []


def test_quit_after_start_never_blocks_on_the_restore_offer_and_keeps_the_autosave(
    tmp_path: Path,
) -> None:
    path = demo_copy(tmp_path)
    autosave = crash_after_an_edit(tmp_path, path)
    result = subprocess.run(
        [sys.executable, "-m", "uptrends_studio", str(path), "--quit-after-start"],
        env=studio_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    (entry,) = find_restorable(tmp_path / "data" / "autosave")
    assert str(entry.content_path) == autosave
    assert entry.integration().name.endswith(EDIT)


# -- atomic saves --------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EXDEV])
def test_a_save_that_fails_before_the_rename_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    path = demo_copy(tmp_path)
    before = path.read_bytes()

    def refuse(_src: object, _dst: object) -> None:
        raise OSError(code, os.strerror(code))

    # The OS boundary: the rename is where a full disk or a locked file shows up last.
    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(FileFormatError) as caught:
        integration_file.save(Integration(name="Half-written"), path)
    assert caught.value.path == str(path)
    assert f"cannot write the file: {os.strerror(code)}" in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file left


def test_a_save_that_fails_while_writing_leaves_the_old_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = demo_copy(tmp_path)
    before = path.read_bytes()

    def full_disk(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(FileFormatError, match="No space left on device"):
        integration_file.save(Integration(name="Half-written"), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_successful_save_replaces_the_file_whole(tmp_path: Path) -> None:
    path = demo_copy(tmp_path)
    integration_file.save(Integration(name="Replaced"), path)
    assert integration_file.load(path).name == "Replaced"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


# -- the crash dialog and the log ----------------------------------------------------------------


@pytest.fixture
def root_log(tmp_path: Path) -> Iterator[Path]:
    """The app's logging set-up on the root logger, undone afterwards."""
    root = logging.getLogger()
    level = root.level
    path = setup_logging(tmp_path / "logs", console_level=None)
    yield path
    shutdown_logging()
    root.setLevel(level)


def test_unexpected_exception_is_logged_masked_and_the_dialog_names_the_log(
    qtbot: QtBot, tmp_path: Path, root_log: Path
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, _ = build_window([], settings)
    qtbot.addWidget(window)
    window.variables_tab.add_variable()
    before = window.document.integration
    secret = "hunter2-very-secret"
    register_secrets([secret])
    shown: list[QMessageBox] = []
    opened: list[Path] = []
    hook = make_exception_hook(shown.append, log_file=root_log, open_log_folder=opened.append)
    try:
        raise RuntimeError(f"boom while sending {secret}")
    except RuntimeError as exc:
        hook(type(exc), exc, exc.__traceback__)

    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = root_log.read_text(encoding="utf-8")
    assert "ERROR uptrends_studio.gui.app" in logged
    assert "Traceback (most recent call last)" in logged
    assert f"RuntimeError: boom while sending {MASK}" in logged
    assert secret not in logged

    (box,) = shown
    assert "nothing was lost" in box.text()
    assert str(root_log) in box.text()
    assert box.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    (open_button,) = [b for b in box.buttons() if b.text() == "Open log folder"]
    open_button.click()
    assert opened == [root_log.parent]
    assert window.document.integration == before
    assert window.document.is_dirty()
    window.document.load(before, None)
