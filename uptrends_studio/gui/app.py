"""Application set-up: QApplication, names, exception hook, collaborators, main window."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from uptrends_studio import __version__
from uptrends_studio.core import integration_file
from uptrends_studio.core.catalogue import load_catalogue
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.samples import DEFAULT_SAMPLE, find_sample
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.highlighter import guard_none_refcount
from uptrends_studio.gui.main_window import DEMO_PATH, MainWindow
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.settings import Settings
from uptrends_studio.gui.theme import apply_theme

log = logging.getLogger(__name__)

ORGANISATION = "Uptrends Studio"
APPLICATION = "Uptrends Studio"


ExceptionHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def make_exception_hook(
    show: Callable[[QMessageBox], object] = QMessageBox.exec,
) -> ExceptionHook:
    """A ``sys.excepthook`` that logs a bug and tells the user, leaving the document open.

    ``show`` displays the dialog (tests pass a function that records it instead).
    """

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(kind, value, tb))
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Unexpected error",
            f"Uptrends Studio hit an unexpected problem: {value}\n\n"
            "Your document is still open and nothing was lost. Save it (under a new name "
            "to be safe) and report the details below.",
        )
        box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
        show(box)

    return hook


def build_window(
    paths: Sequence[str], settings: QSettings | None = None
) -> tuple[MainWindow, list[str]]:
    """Create the collaborators and the main window; returns it with any start-up problems."""
    problems: list[str] = []
    catalogue = load_catalogue()
    store = settings or QSettings(ORGANISATION, APPLICATION)
    prefs = Settings(store)
    integration = integration_file.load(DEMO_PATH)
    path: Path | None = None
    if paths:
        candidate = Path(paths[0])
        try:
            integration = integration_file.load(candidate)
            path = candidate
        except StudioError as exc:
            problems.append(str(exc))
    sample_key = prefs.last_sample() or DEFAULT_SAMPLE
    try:
        sample = find_sample(sample_key, catalogue)
    except StudioError:
        sample_key = DEFAULT_SAMPLE
        sample = find_sample(sample_key, catalogue)
    document = IntegrationDocument(integration, path)
    samples = SampleState(sample, sample_key)
    window = MainWindow(document, samples, catalogue, prefs)
    document.setParent(window)
    samples.setParent(window)
    if path is not None:
        prefs.add_recent_file(path)
    return window, problems


def run(argv: Sequence[str]) -> int:
    """Start the Studio on ``argv[0]`` (an integration file) or on the built-in demo."""
    args = [a for a in argv if a != "--quit-after-start"]
    quit_after_start = len(args) != len(argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *args])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    logging.basicConfig(level=logging.WARNING)
    sys.excepthook = make_exception_hook()
    guard_none_refcount()
    window, problems = build_window(args)
    if window.settings.theme() != "system":
        apply_theme(app, window.settings.theme())
    window.show()
    if quit_after_start:
        # Smoke test of a packaged build: start, render the preview, quit by itself.
        for problem in problems:
            sys.stderr.write(f"uptrends-studio: {problem}\n")
        QTimer.singleShot(1000, app.quit)
        return app.exec()
    for problem in problems:
        QTimer.singleShot(
            0,
            lambda p=problem: QMessageBox.critical(
                window, "Cannot open the file", f"{p}\n\nThe built-in demo is open instead."
            ),
        )
    return app.exec()
