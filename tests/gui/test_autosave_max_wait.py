"""Typing without a pause is autosaved too: a kill -9 loses at most the maximum wait.

The Studio runs as a real process (``gui.app.start``, as ``uptrends-studio FILE`` does), a
driver types one letter into the integration name at a steady pace, faster than the autosave's
quiet time, and the test kills it with SIGKILL. The next start restores every letter typed
earlier than the maximum wait before the kill.
"""

from __future__ import annotations

import json
import stat
import string
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from pytestqt.qtbot import QtBot

from tests.gui.test_crash_restore import demo_copy, studio_env
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import load_catalogue
from uptrends_studio.gui.app import build_window, restore_autosaves
from uptrends_studio.gui.autosave import (
    AUTOSAVE_DELAY_MS,
    AUTOSAVE_MAX_WAIT_MS,
    AutosaveEntry,
    Autosaver,
    RestoreChoice,
    RestoreDialog,
)
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.main_window import DEMO_PATH
from uptrends_studio.gui.sample_state import SampleState

OTHER_RUN = "0" * 32
"""The run id of an earlier Studio (its autosaves are offered, unlike this run's)."""

BASE = "Demo: Uptrends integration"
LETTERS = string.ascii_letters

# Types LETTERS[i] every INTERVAL seconds, prints when (time.monotonic, the same clock as the
# test's on Linux), then keeps running until it is killed.
DRIVER = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from uptrends_studio.gui import app as studio
from uptrends_studio.gui.autosave import Autosaver

path, delay_ms, max_wait_ms, interval_ms, count, letters = sys.argv[1:]
qapp, window = studio.start(
    [path], autosave_ms=int(delay_ms), autosave_max_wait_ms=int(max_wait_ms)
)
edit = window.variables_tab.name_edit
typed = []

def type_one():
    index = len(typed)
    if index == int(count):
        timer.stop()
        print("DONE", flush=True)
        return
    QTest.keyClicks(edit, letters[index])
    typed.append(letters[index])
    print("EDIT", index, time.monotonic(), flush=True)

def begin():
    # Autosave is attached by the staged start, after the first paint.
    saver = window.findChild(Autosaver)
    saver.autosaved.connect(lambda _p: print("AUTOSAVED", time.monotonic(), flush=True))
    edit.setFocus()
    edit.end(False)
    timer.start()

timer = QTimer()
timer.setInterval(int(interval_ms))
timer.timeout.connect(type_one)
window.staged.when_finished(begin)
sys.exit(qapp.exec())
"""


@dataclass(frozen=True)
class Typing:
    edit_times: list[float]
    killed_at: float
    autosaves: int


def type_then_kill(
    tmp_path: Path, path: Path, *, delay_ms: int, max_wait_ms: int, interval_ms: int, count: int
) -> Typing:
    args = [str(path), str(delay_ms), str(max_wait_ms), str(interval_ms), str(count), LETTERS]
    with subprocess.Popen(
        [sys.executable, "-c", DRIVER, *args],
        env=studio_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as studio:
        assert studio.stdout is not None
        edit_times: list[float] = []
        autosaves = 0
        try:
            for line in studio.stdout:
                word, *rest = line.split()
                if word == "EDIT":
                    edit_times.append(float(rest[1]))
                elif word == "AUTOSAVED":
                    autosaves += 1
                elif word == "DONE":
                    break
        finally:
            studio.kill()  # SIGKILL, right after the last letter: no clean-up code runs
            killed_at = time.monotonic()
            _out, err = studio.communicate(timeout=30)
    assert len(edit_times) == count, err
    assert studio.returncode == -9
    return Typing(edit_times, killed_at, autosaves)


def restored_name(qtbot: QtBot, tmp_path: Path, path: Path) -> str:
    """Start again on the same file and data folder, choose Restore, return the name."""
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, problems = build_window([str(path)], settings, data_dir=tmp_path / "data")
    qtbot.addWidget(
        window,
        before_close_func=lambda _w: window.document.load(window.document.integration, None),
    )
    assert problems == []

    def restore(_entry: AutosaveEntry) -> RestoreChoice:
        return RestoreChoice.RESTORE

    assert restore_autosaves(window, tmp_path / "data", chooser=restore) is not None
    assert window.document.is_dirty()
    return window.variables_tab.name_edit.text()


def assert_all_but_the_last_wait_restored(name: str, typing: Typing, max_wait_ms: int) -> int:
    assert name.startswith(BASE)
    typed = name.removeprefix(BASE)
    assert typed == LETTERS[: len(typed)]  # a prefix of what was typed, in order
    older = sum(t <= typing.killed_at - max_wait_ms / 1000 for t in typing.edit_times)
    assert len(typed) >= older, (
        f"{len(typed)} letters restored; {older} were typed more than {max_wait_ms} ms "
        "before the kill"
    )
    print(f"{len(typed)} of {len(typing.edit_times)} letters restored; {older} had to be")
    return len(typed)


def test_the_real_defaults_autosave_continuous_typing_within_five_seconds(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # A letter every second never leaves the 3 s quiet time the autosave used to wait for.
    assert (AUTOSAVE_DELAY_MS, AUTOSAVE_MAX_WAIT_MS) == (3000, 5000)
    path = demo_copy(tmp_path)
    typing = type_then_kill(
        tmp_path,
        path,
        delay_ms=AUTOSAVE_DELAY_MS,
        max_wait_ms=AUTOSAVE_MAX_WAIT_MS,
        interval_ms=1000,
        count=9,
    )
    assert typing.autosaves >= 1
    restored = assert_all_but_the_last_wait_restored(
        restored_name(qtbot, tmp_path, path), typing, AUTOSAVE_MAX_WAIT_MS
    )
    assert restored >= 4


def test_thirty_edits_of_steady_typing_lose_only_the_last_max_wait(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # "30 s of typing, a letter a second" scaled down tenfold: timings are injectable.
    path = demo_copy(tmp_path)
    typing = type_then_kill(
        tmp_path, path, delay_ms=300, max_wait_ms=500, interval_ms=100, count=30
    )
    assert typing.autosaves >= 4
    restored = assert_all_but_the_last_wait_restored(
        restored_name(qtbot, tmp_path, path), typing, 500
    )
    assert restored >= 20


def test_steady_edits_are_autosaved_by_the_maximum_wait(qtbot: QtBot, tmp_path: Path) -> None:
    document = IntegrationDocument(integration_file.load(DEMO_PATH))
    saver = Autosaver(document, tmp_path / "autosave", delay_ms=300, max_wait_ms=600)
    names: list[str] = []

    def edit() -> None:  # every 50 ms: the 300 ms quiet time never comes
        names.append(f"Edit {len(names)}")
        document.apply(replace(document.integration, name=names[-1]), "Rename", "name")

    ticker = QTimer()
    ticker.setInterval(50)
    ticker.timeout.connect(edit)
    with qtbot.waitSignal(saver.autosaved, timeout=5000) as written:
        started = time.monotonic()
        edit()
        ticker.start()
    elapsed = time.monotonic() - started
    still_typing = ticker.isActive()
    ticker.stop()
    assert still_typing
    assert 0.5 <= elapsed < 3, elapsed
    saved = integration_file.load(written.args[0]).name
    assert saved in names
    content, sidecar = saver.slot_paths()
    modes = [stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "autosave", content, sidecar)]
    assert modes == [0o700, 0o600, 0o600]  # private to the user, whatever the umask


def test_sample_set_edits_are_autosaved_on_the_same_timers_and_restored(
    qtbot: QtBot, tmp_path: Path
) -> None:
    catalogue = load_catalogue()
    start = find_sample("https", catalogue)
    password = start.vault[next(iter(start.vault))]["Password"]
    assert password  # the built-in set has a mock-vault password: it must stay off the disk
    document = IntegrationDocument(integration_file.load(DEMO_PATH))
    samples = SampleState(start, "https")
    folder = tmp_path / "data" / "autosave"
    saver = Autosaver(
        document, folder, delay_ms=300, max_wait_ms=600, run_id=OTHER_RUN, samples=samples
    )
    names: list[str] = []

    def edit() -> None:  # every 50 ms, the integration untouched
        names.append(f"HTTPS, edited {len(names)}")
        samples.set_sample(replace(samples.sample, name=names[-1]), edited=True)

    ticker = QTimer()
    ticker.setInterval(50)
    ticker.timeout.connect(edit)
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        started = time.monotonic()
        edit()
        ticker.start()
    elapsed = time.monotonic() - started
    ticker.stop()
    assert 0.5 <= elapsed < 3, elapsed
    written = saver.sample_path()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    text = written.read_text(encoding="utf-8")
    assert password not in text
    autosaved_name = json.loads(text)["name"]
    assert autosaved_name in names

    # The next start (this process stands in for the killed one: another run id).
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, _problems = build_window([], settings, data_dir=tmp_path / "data")

    def forget_unsaved_work(_window: object) -> None:  # no autosave timer outlives the test
        window.document.load(window.document.integration, None)
        window.samples.set_sample(window.samples.sample)

    qtbot.addWidget(window, before_close_func=forget_unsaved_work)
    offered: list[AutosaveEntry] = []

    def restore(entry: AutosaveEntry) -> RestoreChoice:
        offered.append(entry)
        return RestoreChoice.RESTORE

    assert restore_autosaves(window, tmp_path / "data", chooser=restore) is not None
    assert offered[0].sample_name == autosaved_name
    dialog = RestoreDialog(offered[0])
    qtbot.addWidget(dialog)
    assert f"“{autosaved_name}” had unsaved changes too" in dialog.summary.text()
    assert window.samples.sample.name == autosaved_name
    assert window.samples.edited
    assert window.samples.key == "https"
    assert not written.exists()  # restored: this run autosaves it again
    # The window was never shown, so its staged start (which attaches autosave) has not run:
    # work restored before autosave is attached is autosaved all the same once it is.
    assert window.findChild(Autosaver) is None
    window.staged.finish_now()
    autosaver = window.findChild(Autosaver)
    assert autosaver is not None
    assert autosaver.is_pending()
