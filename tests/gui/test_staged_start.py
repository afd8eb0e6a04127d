"""The staged start: the tab on screen and the preview first, the rest right after the paint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QRect, QSettings
from pytestqt.qtbot import QtBot

from uptrends_studio.core import userdirs
from uptrends_studio.core.checks.diagnostics import Severity
from uptrends_studio.gui.app import build_window
from uptrends_studio.gui.autosave import Autosaver
from uptrends_studio.gui.file_watch import FileWatcher
from uptrends_studio.gui.first_paint import after_preview_painted
from uptrends_studio.gui.main_window import (
    TAB_CUSTOMIZATIONS,
    TAB_MAIN,
    TAB_MESSAGE_TYPES,
    TAB_TEST,
    MainWindow,
)

# Starts the Studio as `uptrends-studio` does (gui.app.start) and reports, at the first paint
# of the rendered preview and again once the staged start has finished, which parts exist and
# which of the modules that have no place on the start path are loaded.
DRIVER = """
import json, sys
from PySide6.QtCore import QTimer
from uptrends_studio.gui import app as studio
from uptrends_studio.gui.autosave import Autosaver
from uptrends_studio.gui.first_paint import after_preview_painted

LATER = [
    "uptrends_studio.gui.test_tab",
    "uptrends_studio.gui.customizations_tab",
    "uptrends_studio.gui.message_types_tab",
    "uptrends_studio.gui.sample_panel",
    "uptrends_studio.gui.uptrends_dialog",
    "uptrends_studio.core.delivery.receiver",
    "uptrends_studio.core.delivery.history",
    "uptrends_studio.app.workspace",
    "logging.handlers",
    "http.server",
    "requests",
    "jinja2",
]
qapp, window = studio.start(sys.argv[1:])

def report(moment):
    print(moment, json.dumps({
        "pages": [window.page_built(i) for i in range(4)],
        "sample_panel": window._sample_page.is_built(),
        "autosave": window.findChild(Autosaver) is not None,
        "loaded": [name for name in LATER if name in sys.modules],
        "body": window.preview_pane.code_view("pretty").toPlainText()[:2000],
    }), flush=True)

def painted():
    report("PAINTED")

def finished():
    report("FINISHED")
    QTimer.singleShot(0, qapp.quit)

after_preview_painted(window, painted)
window.staged.when_finished(finished)
QTimer.singleShot(60_000, lambda: qapp.exit(3))
sys.exit(qapp.exec())
"""


def test_the_first_paint_comes_before_the_other_tabs_and_their_modules(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / "config"),
        **{userdirs.DATA_DIR_ENV: str(tmp_path / "data")},
    )
    result = subprocess.run(
        [sys.executable, "-c", DRIVER],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    painted, finished = json.loads(lines["PAINTED"]), json.loads(lines["FINISHED"])
    # On screen at the first paint: the demo rendered in the preview, beside the first tab.
    assert '"accountId": "318452"' in painted["body"]
    assert painted["pages"] == [True, False, False, False]
    assert painted["sample_panel"] is False
    assert painted["autosave"] is False
    assert painted["loaded"] == []
    # Right after it, without anything asked for: every tab, the samples and autosave.
    assert finished["pages"] == [True, True, True, True]
    assert finished["sample_panel"] is True
    assert finished["autosave"] is True
    assert "uptrends_studio.gui.test_tab" in finished["loaded"]
    # The log file is started by the staged start too.
    assert list((tmp_path / "data" / "logs").glob("*.log")), list(tmp_path.rglob("*"))


def test_a_tab_asked_for_before_the_staged_start_is_built_there_and_then(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, problems = build_window([], settings)
    qtbot.addWidget(window)
    assert problems == []
    assert window.page_built(TAB_MAIN)
    assert not window.page_built(TAB_TEST)
    window.show_tab(TAB_TEST)  # Alt+4, a menu action or a test run
    assert window.page_built(TAB_TEST)
    assert window.current_tab() is window.test_tab
    assert window.test_tab.isVisibleTo(window)
    assert not window.page_built(TAB_MESSAGE_TYPES)  # nothing else was built on the way


def test_tabs_built_after_edits_and_previews_show_the_current_state(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, _problems = build_window([], settings)
    qtbot.addWidget(
        window,
        before_close_func=lambda _w: window.document.load(window.document.integration, None),
    )
    # The body gets an unknown token before the Customizations tab exists.
    step = window.document.integration.steps[0]
    broken = step.body.replace("{{@alert.type}}", "{{@alert.typo}}", 1)
    assert broken != step.body
    integration = window.document.integration
    edited = replace(integration, steps=(replace(step, body=broken), *integration.steps[1:]))
    window.document.apply(edited, "Edit body")
    qtbot.waitUntil(lambda: window.controller.preview.count(Severity.ERROR) >= 1, timeout=10_000)
    assert not window.page_built(TAB_CUSTOMIZATIONS)
    tab = window.customizations_tab
    assert tab.step_editor.body.toPlainText() == broken
    # The problem found before the tab existed is underlined in its editor.
    assert any(d.severity is Severity.ERROR for d in tab.step_editor.body.diagnostics())
    assert window.sample_panel.isVisibleTo(window.sample_dock)


def test_the_staged_start_brings_autosave_and_file_watching_after_the_paint(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, _problems = build_window([], settings, data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    assert window.findChild(Autosaver) is None
    assert window.findChild(FileWatcher) is None
    window.show()
    qtbot.waitUntil(window.staged.is_finished, timeout=10_000)
    assert window.findChild(Autosaver) is not None
    assert window.findChild(FileWatcher) is not None
    assert all(window.page_built(i) for i in range(4))


def test_the_window_does_not_shift_when_the_sample_panel_arrives(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings_path = str(tmp_path / "s.ini")

    def start() -> tuple[MainWindow, dict[str, QRect]]:
        window, _problems = build_window([], QSettings(settings_path, QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(1280, 720)
        at_paint: dict[str, QRect] = {}

        def painted() -> None:
            at_paint["tabs"] = window.tabs.geometry()
            at_paint["preview"] = window.preview_pane.geometry()

        after_preview_painted(window, painted)
        window.show()
        qtbot.waitUntil(window.staged.is_finished, timeout=10_000)
        qtbot.waitUntil(lambda: bool(at_paint), timeout=10_000)
        qtbot.wait(50)  # layouts settle
        return window, at_paint

    first, _ = start()  # the first start ever learns how wide the sample panel is
    first.close()
    window, at_paint = start()
    assert window.sample_panel.isVisible()
    assert window.tabs.geometry() == at_paint["tabs"]
    assert window.preview_pane.geometry() == at_paint["preview"]
