"""Quitting while the preview renders something slow: a real Studio process exits 0 at once.

The integration's 20 catastrophic regex calls keep the preview busy for its whole render
budget (2 s of processor time per alert message, three messages). Before the budget and the
cancellable worker, closing waited for the render and then aborted (SIGABRT) in a late signal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.language.test_budget import EVIL, integration
from uptrends_studio.core import userdirs
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.logs import LOG_FILE_NAME

READY = "SIGTERM and SIGINT now quit the Studio"

# gui.app.start as `uptrends-studio FILE` runs it; closes the window once the preview is busy.
CLOSE_DRIVER = """
import sys, time
from PySide6.QtCore import QTimer
from uptrends_studio.gui import app as studio

qapp, window = studio.start(sys.argv[1:])

def close_when_busy(busy):
    if busy:
        QTimer.singleShot(500, lambda: (print("CLOSING", time.monotonic(), flush=True),
                                         window.close()))

window.controller.busy_changed.connect(close_when_busy)
if window.controller._runner.is_busy():
    close_when_busy(True)
sys.exit(qapp.exec())
"""


def slow_file(tmp_path: Path) -> Path:
    body = "".join(f"[{{{{evil({'a' * 40}!{i})}}}}]" for i in range(20))
    path = tmp_path / "slow.integration.json"
    path.write_text(integration_file.dumps(integration(body, (EVIL,))), encoding="utf-8")
    return path


def studio_env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / "config"),
        **{userdirs.DATA_DIR_ENV: str(tmp_path / "data")},
    )


def wait_for_log(tmp_path: Path, text: str, process: subprocess.Popen[str]) -> None:
    log = tmp_path / "data" / "logs" / LOG_FILE_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if log.is_file() and text in log.read_text(encoding="utf-8"):
            return
        time.sleep(0.05)
    pytest.fail(f"the Studio never logged {text!r}")


def test_sigterm_during_a_long_render_exits_0_at_once(tmp_path: Path) -> None:
    studio = subprocess.Popen(
        [sys.executable, "-m", "uptrends_studio", str(slow_file(tmp_path))],
        env=studio_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_log(tmp_path, READY, studio)  # the preview started before this (at build)
        time.sleep(0.5)
        sent = time.monotonic()
        studio.send_signal(signal.SIGTERM)
        _out, err = studio.communicate(timeout=60)
        took = time.monotonic() - sent
    finally:
        studio.kill()
    assert studio.returncode == 0, err
    assert took < 3, took  # 1 s and a margin for a loaded machine; the render alone takes 6 s+
    assert "Traceback" not in err
    assert "Abort" not in err


def test_closing_the_window_during_a_long_render_exits_0_at_once(tmp_path: Path) -> None:
    studio = subprocess.Popen(
        [sys.executable, "-c", CLOSE_DRIVER, str(slow_file(tmp_path))],
        env=studio_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = studio.communicate(timeout=90)
        ended = time.monotonic()
    finally:
        studio.kill()
    assert studio.returncode == 0, err
    closing = [line for line in out.splitlines() if line.startswith("CLOSING ")]
    assert closing, out + err
    took = ended - float(closing[0].split()[1])
    assert took < 3, took
    assert "Traceback" not in err
    assert "Abort" not in err


def test_the_exception_hook_only_shows_a_dialog_on_the_ui_thread_of_a_running_app(
    qapp: object,
) -> None:
    import threading

    from PySide6.QtWidgets import QMessageBox

    from uptrends_studio.gui.app import make_exception_hook

    shown: list[QMessageBox] = []
    quitting = threading.Event()
    hook = make_exception_hook(show=shown.append, quitting=quitting)
    error = RuntimeError("Signal source has been deleted")

    worker = threading.Thread(target=hook, args=(RuntimeError, error, None))
    worker.start()
    worker.join()
    assert shown == []  # a widget built off the UI thread aborts the process
    quitting.set()
    hook(RuntimeError, error, None)
    assert shown == []  # after aboutToQuit: logged only
    quitting.clear()
    hook(RuntimeError, error, None)
    assert len(shown) == 1
    assert "Signal source has been deleted" in shown[0].text()


# gui.app.start as `uptrends-studio FILE` runs it; types an edit and says so (before the
# 3-second autosave timer could write it).
EDIT_DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from uptrends_studio.gui import app as studio

qapp, window = studio.start(sys.argv[1:])

def type_edit():
    window.variables_tab.name_edit.setFocus()
    QTest.keyClicks(window.variables_tab.name_edit, " - typed")
    print("EDITED", window.document.is_dirty(), flush=True)

QTimer.singleShot(0, type_edit)
sys.exit(qapp.exec())
"""


def test_sigterm_keeps_unsaved_work_in_the_autosave(tmp_path: Path) -> None:
    from uptrends_studio.gui.autosave import find_restorable

    path = tmp_path / "work.integration.json"
    path.write_text(integration_file.dumps(integration("{}", ())), encoding="utf-8")
    studio = subprocess.Popen(
        [sys.executable, "-c", EDIT_DRIVER, str(path)],
        env=studio_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert studio.stdout is not None
        assert studio.stdout.readline() == "EDITED True\n"
        wait_for_log(tmp_path, READY, studio)
        studio.send_signal(signal.SIGTERM)
        _out, err = studio.communicate(timeout=60)
    finally:
        studio.kill()
    assert studio.returncode == 0, err
    entries = find_restorable(tmp_path / "data" / "autosave")
    assert len(entries) == 1
    assert entries[0].integration().name == "t - typed"
    assert entries[0].original == path.absolute()
