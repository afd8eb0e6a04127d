"""Take the README's screenshots of the Studio: every tab, the gallery and the checklist.

Run it after a change to what a screen shows (never from the test suite, which must not touch
tracked files; ``tests/gui/test_screenshots.py`` runs it into a temporary folder)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

The window is the demo on temporary settings, with an in-memory secret store; the Test tab
shows a real send of the demo to the built-in receiver on a free port.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import load_catalogue
from uptrends_studio.core.secret_store import MemoryStore
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.main_window import DEMO_PATH, MainWindow
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.settings import Settings

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
TABS = ("main", "customizations", "message-types", "test")
WINDOW_SIZE = (1440, 900)
LAPTOP_SIZE = (1280, 720)
"""The small screens: every tab again at this size, normal and presentation, light and dark."""
LAPTOP_MODES = [
    (theme, presentation) for theme in ("light", "dark") for presentation in (False, True)
]


def laptop_name(tab: str, theme: str, presentation: bool) -> str:
    """``720p-dark-presentation-test``: the file stem of one small-screen screenshot."""
    mode = "presentation" if presentation else "normal"
    return f"720p-{theme}-{mode}-{tab}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _settle(milliseconds: int = 150) -> None:
    """Let queued events, timers and paints run for a moment."""
    deadline = QDeadlineTimer(milliseconds)
    while not deadline.hasExpired():
        QCoreApplication.processEvents()


def _wait_until(condition: object, seconds: float = 15.0) -> None:
    deadline = QDeadlineTimer(int(seconds * 1000))
    while not callable(condition) or not condition():
        if deadline.hasExpired():
            raise SystemExit("screenshots: the window did not get ready in time")
        QCoreApplication.processEvents()


def _save(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise SystemExit(f"screenshots: cannot write {path}")
    print(path)


def build_window(settings_file: Path, history: Path) -> MainWindow:
    catalogue = load_catalogue()
    document = IntegrationDocument(integration_file.load(DEMO_PATH))
    samples = SampleState(find_sample(None, catalogue), "https")
    settings = Settings(QSettings(str(settings_file), QSettings.Format.IniFormat))
    return MainWindow(
        document,
        samples,
        catalogue,
        settings,
        debounce_ms=0,
        history_root=history,
        secret_store=MemoryStore(),
    )


def point_at_port(window: MainWindow, port: int) -> None:
    """Send the demo to the built-in receiver on ``port``."""
    integration = window.document.integration
    variables = tuple(
        replace(v, value=f"http://127.0.0.1:{port}/alerts") if v.name == "ApiUrl" else v
        for v in integration.variables
    )
    window.document.apply(replace(integration, variables=variables), "ApiUrl")
    window.test_tab.receiver_page.port_spin.setValue(port)


def take(out: Path) -> list[Path]:
    """Write every screenshot into ``out``; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="uptrends-studio-shots-") as scratch:
        window = build_window(Path(scratch) / "settings.ini", Path(scratch) / "history")
        window.resize(*WINDOW_SIZE)
        window.show()
        _wait_until(lambda: window.controller.preview.requests != {})
        # The dialogs first: New from template asks to save once the Test tab changed ApiUrl.
        dialog = window.new_from_template()
        if dialog is not None:
            dialog.resize(980, 620)
            dialog.search_edit.setText("incident")
            _settle()
            written.append(out / "gallery.png")
            _save(dialog, written[-1])
            dialog.reject()

        checklist = window.show_checklist()
        checklist.resize(900, 700)
        _settle()
        written.append(out / "checklist.png")
        _save(checklist, written[-1])
        checklist.close()

        for index, name in enumerate(TABS):
            window.tabs.setCurrentIndex(index)
            if name == "test":
                point_at_port(window, _free_port())
                window.send_test_alert()
                _wait_until(lambda: not window.test_tab.is_busy())
            _settle()
            written.append(out / f"{name}.png")
            _save(window, written[-1])

        # The same tabs on a laptop screen and a projector (presentation mode), light and dark.
        window.resize(*LAPTOP_SIZE)
        _settle()
        window.fit_docks_to_window()  # as a first start on that screen
        for theme, presentation in LAPTOP_MODES:
            window.set_theme(theme)
            window.set_presentation_mode(presentation)
            for index, name in enumerate(TABS):
                window.tabs.setCurrentIndex(index)
                _settle(100)
                written.append(out / f"{laptop_name(name, theme, presentation)}.png")
                _save(window, written[-1])
        window.set_presentation_mode(False)

        window.test_tab.shutdown()
        window.document.load(window.document.integration, window.document.path)
        window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the PNGs")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    take(args.out)
    app.processEvents()
    return 0


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Every PNG is written and closed by now. Skip the interpreter's teardown: destroying the
    # window's Qt objects from Python's exit order can crash a process that has nothing left
    # to do (seen rarely under load), and a screenshot run must not fail for that.
    os._exit(status)
