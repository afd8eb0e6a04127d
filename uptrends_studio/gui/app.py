"""Application set-up: QApplication, names, exception hook, collaborators, main window."""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType, TracebackType

from PySide6.QtCore import QCoreApplication, QSettings, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from uptrends_studio import __version__
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.document.sample_files import (
    find_sample_with_secrets,
    load_sample_with_secrets,
)
from uptrends_studio.core.document.samples import DEFAULT_SAMPLE, find_sample
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.language.catalogue import load_catalogue
from uptrends_studio.core.secret_store import LazyStore
from uptrends_studio.core.secrets import plausible_usernames, secret_values
from uptrends_studio.gui.autosave import (
    AUTOSAVE_DELAY_MS,
    AUTOSAVE_MAX_WAIT_MS,
    AutosaveEntry,
    Autosaver,
    RestoreChoice,
    offer_restore,
)
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.file_watch import ExternalChangeHandler, FileWatcher
from uptrends_studio.gui.first_paint import after_preview_painted
from uptrends_studio.gui.main_window import DEMO_PATH, MainWindow
from uptrends_studio.gui.platform_check import platform_problem, qt_plugins_dir
from uptrends_studio.gui.refcount_guard import guard_none_refcount
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.settings import Settings
from uptrends_studio.gui.theme import apply_theme
from uptrends_studio.paths import resource_path

log = logging.getLogger(__name__)

QUIT_AFTER_START_LIMIT_MS = 60_000
"""``--quit-after-start`` gives up (exit status 3) when no preview was painted by then."""

ORGANISATION = "Uptrends Studio"
APPLICATION = "Uptrends Studio"


ExceptionHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the platform's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def make_exception_hook(
    show: Callable[[QMessageBox], object] = QMessageBox.exec,
    log_file: Path | None = None,
    open_log_folder: Callable[[Path], object] = open_folder,
    quitting: threading.Event | None = None,
) -> ExceptionHook:
    """A ``sys.excepthook`` that logs a bug and tells the user, leaving the document open.

    The dialog is shown only on the UI thread of a running application: an exception raised
    on another thread, with no ``QApplication``, while it is closing down or once ``quitting``
    is set (``aboutToQuit``) is only logged (a widget built then would abort the process).

    Args:
        show: Displays the dialog (tests pass a function that records it instead).
        log_file: The log file the traceback is written to (named in the dialog, with an
            "Open log folder" button); ``None`` when logging to a file is not set up.
        open_log_folder: Opens the log folder (the button's action).
        quitting: Set when the application is quitting.
    """

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(kind, value, tb))
        if (
            threading.current_thread() is not threading.main_thread()
            or QApplication.instance() is None
            or QCoreApplication.closingDown()
            or (quitting is not None and quitting.is_set())
        ):
            return
        text = (
            f"Uptrends Studio hit an unexpected problem: {value}\n\n"
            "Your document is still open and nothing was lost; unsaved changes are also "
            "autosaved. Save it (under a new name to be safe) and report the details below."
        )
        if log_file is not None:
            text += f"\n\nThe details were written to the log file:\n{log_file}"
        box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error", text)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
        box.addButton(QMessageBox.StandardButton.Ok)
        if log_file is not None:
            button = box.addButton("Open log folder", QMessageBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda: open_log_folder(log_file.parent))
        show(box)

    return hook


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    log.error(
        "unexpected error in thread %s",
        args.thread.name if args.thread is not None else "?",
        exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback),
    )


def app_icon() -> QIcon:
    """The Studio's icon in every shipped size (``resources/icons``)."""
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256, 512):
        path = resource_path("icons", f"uptrends-studio-{size}.png")
        if path.is_file():
            icon.addFile(str(path), QSize(size, size))
    return icon


def start_logging(log_dir: Path | None = None) -> Path | None:
    """Log to the rotating file in ``log_dir`` (default: the user log directory).

    Returns the log file, or ``None`` when it cannot be created (then only stderr is used;
    the reason is printed there).
    """
    from uptrends_studio.core import userdirs
    from uptrends_studio.core.logs import setup_logging

    folder = userdirs.log_dir() if log_dir is None else log_dir
    try:
        path = setup_logging(folder)
    except OSError as exc:
        logging.basicConfig(level=logging.WARNING)
        log.warning("cannot write the log file in %s: %s", folder, exc.strerror or exc)
        return None
    log.info("Uptrends Studio %s started (pid %d)", __version__, os.getpid())
    return path


def freeze_start_objects() -> None:
    """Collect once, then keep what the start built out of later garbage collections.

    The modules, widgets and tables made at start are long-lived; without this, every full
    collection walks them again, a pause of 30 to 50 ms on the UI thread now and then while
    typing in a big body. Called once the staged start has finished.
    """
    gc.collect()
    gc.freeze()


def attach_autosave(
    window: MainWindow, data_dir: Path, autosave_ms: int, autosave_max_wait_ms: int
) -> Autosaver:
    """Autosave the window's unsaved work to ``<data_dir>/autosave`` (a child of the window).

    Work that is already unsaved when it is attached (a restored autosave) is autosaved too.
    """
    autosaver = Autosaver(
        window.document,
        data_dir / "autosave",
        autosave_ms,
        parent=window,
        max_wait_ms=autosave_max_wait_ms,
        samples=window.samples,
    )
    autosaver.catch_up()
    return autosaver


def _attach_watch_and_masking(window: MainWindow) -> None:
    """Outside-change detection and log masking; children of the window (``findChild``)."""
    from uptrends_studio.core.logs import register_secrets

    document = window.document
    watcher = FileWatcher(document, parent=window)
    handler = ExternalChangeHandler(
        document,
        watcher,
        parent_widget=window,
        parent=window,
        loader=lambda path: window.load_integration(path).integration,
    )
    handler.status_message.connect(lambda text: window.statusBar().showMessage(text, 10000))

    def register() -> None:
        integration, sample = document.integration, window.samples.sample
        register_secrets(
            secret_values(integration, sample),
            usernames=plausible_usernames(integration, sample),
        )

    document.changed.connect(register)
    window.samples.changed.connect(register)
    register()


def build_window(
    paths: Sequence[str],
    settings: QSettings | None = None,
    *,
    data_dir: Path | None = None,
    autosave_ms: int = AUTOSAVE_DELAY_MS,
    autosave_max_wait_ms: int = AUTOSAVE_MAX_WAIT_MS,
) -> tuple[MainWindow, list[str]]:
    """Create the collaborators and the main window; returns it with any start-up problems.

    Args:
        paths: The command-line files (the first is opened).
        settings: The QSettings store (default: the user's).
        data_dir: The user data directory; autosaves go to ``<data_dir>/autosave``. ``None``
            (tests) turns autosave off.
        autosave_ms: Quiet time after a change before the autosave is written.
        autosave_max_wait_ms: Longest wait after the first unsaved change, even while typing.
    """
    problems: list[str] = []
    catalogue = load_catalogue()
    store = settings or QSettings(ORGANISATION, APPLICATION)
    prefs = Settings(store)
    secret_store = LazyStore()
    integration = integration_file.load(DEMO_PATH)
    path: Path | None = None
    if paths:
        candidate = Path(paths[0])
        try:
            integration = integration_file.load_with_secrets(
                candidate, store=secret_store, env=os.environ
            ).integration
            path = candidate
        except StudioError as exc:
            problems.append(str(exc))
    sample_key = prefs.last_sample() or DEFAULT_SAMPLE
    try:
        sample = find_sample_with_secrets(
            sample_key, catalogue, store=secret_store, env=os.environ
        ).sample
    except StudioError:
        sample_key = DEFAULT_SAMPLE
        sample = find_sample(sample_key, catalogue)
    document = IntegrationDocument(integration, path)
    samples = SampleState(sample, sample_key)
    window = MainWindow(document, samples, catalogue, prefs, secret_store=secret_store)
    document.setParent(window)
    samples.setParent(window)
    if path is not None:
        prefs.add_recent_file(path)
    # After the first paint (the staged start): watching the file, log masking, autosave.
    window.staged.add(lambda: _attach_watch_and_masking(window))
    if data_dir is not None:
        window.staged.add(
            lambda: attach_autosave(window, data_dir, autosave_ms, autosave_max_wait_ms)
        )
    return window, problems


def restore_autosaves(
    window: MainWindow,
    data_dir: Path,
    chooser: Callable[[AutosaveEntry], RestoreChoice] | None = None,
) -> AutosaveEntry | None:
    """Offer the autosaves a crashed or killed Studio left behind (see ``offer_restore``)."""

    def with_secrets(entry: AutosaveEntry) -> Integration:
        # An autosave holds no secret values (dumps never writes them): look them up again.
        return integration_file.loads_with_secrets(
            entry.text(),
            str(entry.original or "autosave"),
            path=entry.original,
            store=window.secret_store,
            env=os.environ,
        ).integration

    def restore_sample(entry: AutosaveEntry) -> None:
        if entry.sample_path is None:
            return
        try:
            sample = load_sample_with_secrets(
                entry.sample_path, window.catalogue, store=window.secret_store, env=os.environ
            ).sample
        except StudioError as exc:
            log.warning("cannot restore the autosaved sample set: %s", exc)
            return
        window.samples.set_sample(sample, key=entry.sample_key, edited=True)

    entry = offer_restore(
        window.document,
        data_dir / "autosave",
        chooser=chooser,
        parent=window,
        loader=with_secrets,
        on_restored=restore_sample,
    )
    if entry is not None:
        when = entry.saved_at.astimezone().strftime("%H:%M:%S")
        window.statusBar().showMessage(f"Restored the unsaved changes autosaved at {when}", 10000)
    return entry


def start(
    argv: Sequence[str],
    *,
    autosave_ms: int = AUTOSAVE_DELAY_MS,
    autosave_max_wait_ms: int = AUTOSAVE_MAX_WAIT_MS,
) -> tuple[QApplication, MainWindow]:
    """Everything :func:`run` does before the event loop; returns the app and the shown window.

    Sets up the application, the log file, the exception hooks and the window (with autosave
    to the user data directory), and schedules the start-up messages: the offer to restore
    autosaves left by a crash and any problem opening ``argv[0]``. With
    ``--quit-after-start`` (the smoke test and start-up measure) nothing modal is shown and the
    app quits as soon as the first preview has been painted (exit status 3 if that takes more
    than a minute).
    """
    args = [a for a in argv if a != "--quit-after-start"]
    quit_after_start = len(args) != len(argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *args])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    quitting = threading.Event()
    app.aboutToQuit.connect(quitting.set)
    sys.excepthook = make_exception_hook(quitting=quitting)
    threading.excepthook = _log_thread_exception
    guard_none_refcount()
    window, problems = build_window(args)
    terminated = threading.Event()
    quit_on_sigterm(app, window, terminated)
    if window.settings.theme() != "system":
        apply_theme(app, window.settings.theme())

    def after_first_paint() -> None:
        # The log file, then autosave to the user data directory (the staged start).
        from uptrends_studio.core import userdirs

        log_file = start_logging()
        sys.excepthook = make_exception_hook(log_file=log_file, quitting=quitting)
        autosaver = attach_autosave(window, userdirs.data_dir(), autosave_ms, autosave_max_wait_ms)
        # Reached only when the window closed without saving (Discard) or quit was asked:
        # the user chose to drop the changes. A crash never gets here, so its autosave stays,
        # and neither does SIGTERM (a logout, `kill`): it writes the autosave instead.
        app.aboutToQuit.connect(lambda: None if terminated.is_set() else autosaver.discard())
        log.info("SIGTERM and SIGINT now quit the Studio, keeping unsaved work in the autosave")

    window.staged.add(after_first_paint)
    window.staged.when_finished(freeze_start_objects)
    if quit_after_start:
        # Start-up measure and smoke test: start, render and paint the preview, quit by itself.
        for problem in problems:
            sys.stderr.write(f"uptrends-studio: {problem}\n")
        after_preview_painted(window, app.quit)
        QTimer.singleShot(QUIT_AFTER_START_LIMIT_MS, lambda: app.exit(3))
        window.show()
        return app, window
    window.show()

    def offer_restores_and_problems() -> None:
        from uptrends_studio.core import userdirs

        restore_autosaves(window, userdirs.data_dir())
        for problem in problems:
            QMessageBox.critical(
                window, "Cannot open the file", f"{problem}\n\nThe built-in demo is open instead."
            )

    # Once the window is complete: the offer to restore a crashed session, problems opening.
    window.staged.when_finished(lambda: QTimer.singleShot(0, offer_restores_and_problems))
    return app, window


SIGNAL_POLL_MS = 200
"""How often the event loop lets Python run its signal handlers (SIGTERM, SIGINT)."""


def quit_on_sigterm(app: QApplication, window: MainWindow, terminated: threading.Event) -> None:
    """SIGTERM and SIGINT quit at once with status 0, keeping unsaved work in the autosave.

    No question is asked (nobody may be there to answer): unsaved changes are autosaved now and
    offered at the next start. The preview's work in progress is cancelled; it runs on daemon
    threads, so nothing waits for it.
    """

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: quitting", signum)
        terminated.set()
        autosaver = window.findChild(Autosaver)
        if autosaver is not None:
            autosaver.save_now()
        window.controller.shutdown()
        app.exit(0)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    # Python runs signal handlers only between bytecodes; Qt's loop runs C++. A timer that
    # calls into Python now and then lets a handler run within SIGNAL_POLL_MS.
    poll = QTimer(app)
    poll.timeout.connect(lambda: None)
    poll.start(SIGNAL_POLL_MS)


def run(argv: Sequence[str]) -> int:
    """Start the Studio on ``argv[0]`` (an integration file) or on the built-in demo.

    When Qt's window system plugin cannot load here (no display, missing system libraries),
    prints one line saying what to install and returns 1, instead of Qt's abort.
    """
    if QApplication.instance() is None:
        problem = platform_problem(os.environ, qt_plugins_dir())
        if problem is not None:
            sys.stderr.write(f"uptrends-studio: {problem}\n")
            return 1
    app, _window = start(argv)
    return app.exec()


def main() -> None:
    """GUI-script entry point (``uptrends-studio-window``): the Studio on a file or the demo."""
    sys.exit(run(sys.argv[1:]))
