"""Benchmark of the Studio window: start-up time, keystroke-to-preview latency and memory.

What it measures:

* **(a) start-up**: from spawning a fresh interpreter to the main window shown with the demo
  integration rendered, i.e. the first ``PreviewController.updated`` delivered and the preview
  painted after it. In the same run, interleaved with it, the same for a bare PySide6 window
  holding one ``QPlainTextEdit`` (with the demo file's text), as the reference. Each start is a
  child process (``bench_gui.py --child studio|bare``). The studio child does what
  ``gui.app.run`` does (the console script imports ``uptrends_studio.cli`` first, then
  ``gui.app``; ``QApplication``, names, ``guard_none_refcount``, ``build_window``, theme,
  ``show``) but passes ``build_window`` a ``QSettings(path, IniFormat)`` in a new temporary
  file, so a first start with default window state is measured and the user's settings are
  never touched; it leaves out the exception hook. Both children quit by themselves once
  ready. The clock is ``time.perf_counter``, which is system-wide (``CLOCK_MONOTONIC`` on
  Linux): the parent takes it just before ``subprocess.Popen`` and the child reports its own
  readings (entered its code, imports done, QApplication, window built, shown, preview
  updated, painted), so the figures include interpreter start-up. "Painted" is the end of the
  first paint event of the preview's body view (the text edit's viewport for the bare window)
  after the preview arrived: a zero-interval timer started in that paint event fires. The
  module imports at top level only what PySide6 imports anyway, so a child pays nothing for
  the parent's tools. Bytecode is cached as in an installed app: the children run with
  ``PYTHONPYCACHEPREFIX`` in the run's temporary folder (and without
  ``PYTHONDONTWRITEBYTECODE``); one warm-up start of each kind fills that cache and is reported
  on its own as the "first start". Result: medians over the rounds and studio / bare as a
  ratio.
* **(b) keystroke to preview**, measured inside the GUI process, on a ``MainWindow`` built the
  way ``tests/gui/conftest.py`` builds it (demo document, ``https`` sample, settings in a
  temporary INI file), Customizations tab open, body editor focused and its cursor inside the
  first JSON key (``"account"``), so every keystroke keeps the body valid JSON and changes the
  preview. Each case runs in a child process (``--child keys``) that prints one line per
  keystroke as it goes, because the Studio can crash while typing (see the "no crash" line):
  when a child dies, the parent records the signal and starts a new one for the keystrokes
  still to do.
  Each keystroke is one ``QTest.keyClick`` of a letter, then the event loop runs until the
  preview for that keystroke is painted and the UI thread has been quiet (no event-loop gap
  over 2 ms) for 30 ms; then the next keystroke follows. Per keystroke:

  - ``keyClick``: how long the ``QTest.keyClick`` call blocks the UI thread (the editor,
    document, undo stack and every ``document.changed`` slot run inside it);
  - ``max gap``: the longest interval between two ticks of a zero-interval ``QTimer``
    heartbeat from the end of ``keyClick`` until quiet, i.e. the longest time the event loop
    did not turn while the preview was computed, delivered, painted and (chunked) highlighted;
  - ``updated``: keystroke to ``PreviewController.updated`` emitted (taken at ``busy_changed``,
    which the controller emits immediately before ``updated``);
  - ``handled``: keystroke to the end of the window's ``updated`` slots (preview pane, message
    types tab, sample panel, problems and underlines hold the new preview);
  - ``painted``: keystroke to the end of the next paint of the preview's body view;
  - ``quiet``: keystroke until the UI thread went quiet.

  Cases: ``demo`` with ``debounce_ms=0`` (the pipeline without the intentional delay; target
  p95 of ``updated`` <= 16 ms), ``demo`` with the app's ``DEBOUNCE_MS`` (for reference) and
  ``1MB`` with the app's ``DEBOUNCE_MS`` (the demo body plus about 1 MB of literal JSON, built
  by ``bench_engine.big_body``; targets: the UI thread never blocked more than 50 ms per
  keystroke, i.e. max(keyClick, max gap), and the preview painted within 300 ms). The
  heartbeat runs during every case; it keeps the UI thread asking for the GIL, which can slow
  the preview worker a little, so the figures are, if anything, pessimistic. The demo target
  is judged on ``updated`` as the issue words it; the stricter reading (preview painted) is
  printed under it.
* **(c) peak memory**: ``ru_maxrss`` (``resource.getrusage``) of a child that opens a temporary
  ``*.integration.json`` holding the 1 MB body (``build_window([path], settings)``) and waits
  until it is rendered and painted (target <= 150 MB). For reference the same is printed for
  the studio on the demo and for the bare window, with the demo text and with the 1 MB text.

  ``edge`` is the demo with the built-in ``edge-cases`` sample, whose 1 MB response body ends
  up as one very long line of the pretty body (same targets as ``1MB``, judged on p95).
* **continuous typing**: after the measured keystrokes of the ``demo`` (debounce), ``1MB`` and
  ``edge`` cases, the child types ``typing_keys`` more letters, one every
  ``TYPING_INTERVAL_MS`` without waiting, and reports the time between the previews delivered
  meanwhile, from the first key to the last (target: p95 <= 300 ms, the debounce's maximum
  wait), and the RSS growth over all its keystrokes, after a garbage collection (target:
  <= 20 MB).
* **memory ratio**: peak memory of the studio on the demo against the bare window (<= 1.3).

Targets are printed with PASS/MISS; the exit status is always 0: this is a benchmark, not a
test. ``--profile`` adds ``-X importtime`` and cProfile output of a studio start, and cProfile
output of the UI thread on the demo and 1 MB keystroke paths and of one worker job per case.

Run (from the project root; without a display Qt's offscreen platform is used)::

    .venv/bin/python benchmarks/bench_gui.py            # full run, about 50 s on 2 cores
    .venv/bin/python benchmarks/bench_gui.py --quick    # smoke run for CI, about 11 s
    .venv/bin/python benchmarks/bench_gui.py --profile  # adds importtime and cProfile output
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

# Only modules PySide6 imports anyway are imported above: the child processes start from this
# file and must not pay for the parent's tools. The parent imports the rest where it uses them.

if TYPE_CHECKING:
    import cProfile

    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QWidget

    from uptrends_studio.gui.main_window import MainWindow

SCRIPT = Path(__file__).resolve()

TARGET_START_RATIO = 1.5
TARGET_KEY_P95_MS = 16.0
TARGET_BLOCK_MS = 50.0
TARGET_SETTLE_MS = 300.0
TARGET_PEAK_MB = 150.0
TARGET_MEMORY_RATIO = 1.3
TARGET_GROWTH_MB = 20.0
TARGET_LIVE_MS = 300.0

TYPING_INTERVAL_MS = 50
"""Continuous typing: one key this often, without waiting for the preview."""

QUIET_GAP_S = 0.002
"""A heartbeat interval above this means the UI thread was busy."""
QUIET_FOR_S = 0.030
"""A keystroke is over when the UI thread has been quiet this long after the paint."""
QUIET_TIMEOUT_S = 1.0
"""Never quiet this long after the paint (a machine loaded by other work): go on anyway."""
PAINT_TIMEOUT_S = 2.0
"""No paint of the preview this long after ``updated``: record none and go on."""
KEY_TIMEOUT_S = 20.0
CHILD_TIMEOUT_S = 120.0


class Mode(NamedTuple):
    """How much to measure."""

    name: str
    start_rounds: int
    memory_rounds: int
    demo_keys: int
    demo_debounce_keys: int
    big_keys: int
    profile_keys: int
    typing_keys: int
    """Keys typed continuously (every ``TYPING_INTERVAL_MS``) after the measured ones."""


FULL = Mode("full", 15, 3, 200, 30, 40, 10, 200)
QUICK = Mode("quick", 3, 1, 20, 5, 5, 3, 20)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _peak_mb(maxrss: int) -> float:
    """``ru_maxrss`` in MB (kilobytes on Linux, bytes on macOS)."""
    return maxrss / 1024 / 1024 if sys.platform == "darwin" else maxrss / 1024


# -- the child processes ----------------------------------------------------------------------


def _after_next_paint(widget: QObject, callback: Callable[[], None]) -> QObject:
    """Call ``callback`` once the next paint event of ``widget`` has been handled.

    Returns the event filter; keep a reference to it while waiting.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _PaintWatch(QObject):
        def __init__(self) -> None:
            super().__init__(widget)
            self.fired = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if not self.fired and watched is widget and event.type() == QEvent.Type.Paint:
                self.fired = True
                widget.removeEventFilter(self)
                # Runs when the paint (and the backing-store flush it is part of) is over.
                QTimer.singleShot(0, callback)
            return False

    watch = _PaintWatch()
    widget.installEventFilter(watch)
    return watch


def _child_report(marks: dict[str, float], extra: dict[str, object]) -> None:
    import json

    try:
        import resource
    except ImportError:  # Windows: no ru_maxrss; the peak is reported as 0
        extra["maxrss"] = 0
    else:
        extra["maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.write("READY " + json.dumps({"marks": marks, **extra}) + "\n")
    sys.stdout.flush()


def _child_studio(entered: float, settings_path: str, file: str | None, profile: bool) -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from uptrends_studio import (
        __version__,
        launcher,  # noqa: F401 - the console script's module, imported before the GUI
    )
    from uptrends_studio.gui import app as studio_app
    from uptrends_studio.gui.first_paint import after_preview_painted
    from uptrends_studio.gui.refcount_guard import guard_none_refcount
    from uptrends_studio.gui.theme import apply_theme

    marks = {"entered": entered, "imported": time.perf_counter()}
    profiler: cProfile.Profile | None = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    app = QApplication([sys.argv[0]])
    app.setOrganizationName(studio_app.ORGANISATION)
    app.setApplicationName(studio_app.APPLICATION)
    app.setApplicationVersion(__version__)
    guard_none_refcount()
    marks["app"] = time.perf_counter()
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    window, problems = studio_app.build_window([file] if file else [], settings)
    if problems:
        sys.stderr.write(f"bench_gui child: {problems}\n")
        return 1
    if window.settings.theme() != "system":
        apply_theme(app, window.settings.theme())
    marks["built"] = time.perf_counter()
    window.show()
    marks["shown"] = time.perf_counter()

    def painted() -> None:
        marks["painted"] = time.perf_counter()
        if profiler is not None:
            profiler.disable()
        _child_report(marks, {"body_chars": len(window.document.integration.steps[0].body)})
        if profiler is not None:
            _print_stats(profiler, "the studio child, QApplication() to preview painted")
        QTimer.singleShot(0, app.quit)

    def updated() -> None:
        marks["updated"] = time.perf_counter()

    # The same moment --quit-after-start quits at (uptrends_studio.gui.first_paint).
    after_preview_painted(window, painted, on_updated=updated)
    QTimer.singleShot(int(CHILD_TIMEOUT_S * 1000), lambda: app.exit(3))
    return app.exec()


def _child_bare(entered: float, file: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

    marks = {"entered": entered, "imported": time.perf_counter()}
    app = QApplication([sys.argv[0]])
    marks["app"] = time.perf_counter()
    window = QMainWindow()
    editor = QPlainTextEdit()
    text = Path(file).read_text(encoding="utf-8")
    editor.setPlainText(text)
    window.setCentralWidget(editor)
    window.resize(1400, 860)
    marks["built"] = time.perf_counter()
    window.show()
    marks["shown"] = time.perf_counter()

    def painted() -> None:
        marks["painted"] = time.perf_counter()
        _child_report(marks, {"body_chars": len(text)})
        QTimer.singleShot(0, app.quit)

    watch = _after_next_paint(editor.viewport(), painted)
    QTimer.singleShot(int(CHILD_TIMEOUT_S * 1000), lambda: app.exit(3))
    status = app.exec()
    del watch
    return status


def child_main(argv: Sequence[str]) -> int:
    """A child process: ``--child studio|bare`` (one start, one READY line) or ``keys``."""
    entered = time.perf_counter()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(prog="bench_gui.py --child")
    parser.add_argument("--child", choices=("studio", "bare", "keys"), required=True)
    parser.add_argument("--settings", required=True)
    parser.add_argument("--file")
    parser.add_argument("--case", default="demo", help="keys: a name for the output")
    parser.add_argument("--big", action="store_true", help="keys: the 1 MB body")
    parser.add_argument("--debounce", type=int, default=0, help="keys: debounce_ms")
    parser.add_argument("--count", type=int, default=1, help="keys: how many keystrokes")
    parser.add_argument("--sample", help="keys: the sample set (default: the default one)")
    parser.add_argument(
        "--typing", type=int, default=0, help="keys: then type this many continuously"
    )
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=1,
        default=0,
        help="studio: cProfile the start; keys: cProfile this many more keystrokes",
    )
    args = parser.parse_args(argv)
    if args.child == "keys":
        return _child_keys(args)
    if args.child == "studio":
        return _child_studio(entered, args.settings, args.file, bool(args.profile))
    if args.file is None:
        parser.error("the bare window needs --file")
    return _child_bare(entered, args.file)


# -- (a) and (c): starting children -----------------------------------------------------------


class Start(NamedTuple):
    """One child start: times in seconds from spawn, peak memory in kB (Linux)."""

    kind: str
    ready: float
    """Spawn to painted (the child's clock when it agrees with ours, else the READY line)."""
    marks: dict[str, float]
    maxrss: int
    body_chars: int
    output: str
    """What the child printed after the READY line, and on stderr."""
    errors: str


def _child_env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Bytecode is cached as in an installed app, in a cache of this run (not the source tree).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    return env


def spawn(
    kind: str,
    workdir: Path,
    number: int,
    file: Path | None = None,
    *,
    options: Sequence[str] = (),
    python_options: Sequence[str] = (),
) -> Start:
    """Start one child, wait for its READY line and for it to exit by itself."""
    import json
    import subprocess

    settings = workdir / f"settings-{kind}-{number}.ini"
    command = [sys.executable, *python_options, str(SCRIPT), "--child", kind]
    command += ["--settings", str(settings), *options]
    if file is not None:
        command += ["--file", str(file)]
    started = time.perf_counter()
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_child_env(workdir),
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        read_at = time.perf_counter()
        try:
            out, err = process.communicate(timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
    if not line.startswith("READY ") or process.returncode != 0:
        raise RuntimeError(
            f"child {kind} failed (exit {process.returncode}): {line.strip()} {err.strip()}"
        )
    data = json.loads(line.removeprefix("READY "))
    marks = {key: value - started for key, value in data["marks"].items()}
    painted = marks["painted"]
    ready = painted if 0 < painted <= read_at - started else read_at - started
    return Start(kind, ready, marks, int(data["maxrss"]), int(data["body_chars"]), out, err)


def spawn_retrying(kind: str, workdir: Path, number: int, file: Path | None = None) -> Start:
    """``spawn``, tried up to three times: a failed start is reported, not fatal at once."""
    for attempt in range(3):
        try:
            return spawn(kind, workdir, number * 10 + attempt, file)
        except RuntimeError as exc:
            if attempt == 2:
                raise
            print(f"  WARNING: {exc}; trying again")
    raise AssertionError("unreachable")


MARKS = (
    ("entered", "interpreter up, script entered"),
    ("imported", "PySide6 (+ app modules) imported"),
    ("app", "QApplication created"),
    ("built", "window built"),
    ("shown", "window.show() returned"),
    ("updated", "first preview delivered"),
    ("painted", "preview painted = ready"),
)


class Startup(NamedTuple):
    studio: list[Start]
    bare: list[Start]
    first: dict[str, Start]
    """The warm-up start of each kind, which fills the empty bytecode cache."""


def run_startup(mode: Mode, workdir: Path, demo_file: Path) -> Startup:
    first = {
        "studio": spawn_retrying("studio", workdir, 9000),
        "bare": spawn_retrying("bare", workdir, 9000, demo_file),
    }
    studio: list[Start] = []
    bare: list[Start] = []
    for number in range(mode.start_rounds):
        order = ("studio", "bare") if number % 2 == 0 else ("bare", "studio")
        for kind in order:
            if kind == "studio":
                studio.append(spawn_retrying(kind, workdir, number))
            else:
                bare.append(spawn_retrying(kind, workdir, number, demo_file))
    return Startup(studio, bare, first)


def print_startup(startup: Startup) -> float:
    import statistics

    studio, bare = startup.studio, startup.bare
    print(f"\n(a) Start-up to window shown and preview painted, {len(studio)} rounds interleaved")
    print(f"  {'milestone (median, from spawn)':<40} {'studio':>10} {'bare':>10}")
    for key, label in MARKS:
        values = []
        for starts in (studio, bare):
            found = [s.marks[key] for s in starts if key in s.marks]
            values.append(_ms(statistics.median(found)) if found else "-")
        print(f"  {label:<40} {values[0]:>10} {values[1]:>10}")
    s_med = statistics.median(s.ready for s in studio)
    b_med = statistics.median(s.ready for s in bare)
    for name, starts in (("studio", studio), ("bare", bare)):
        readies = sorted(s.ready for s in starts)
        print(
            f"  ready, {name:<6}: median {_ms(statistics.median(readies))}, "
            f"min {_ms(readies[0])}, max {_ms(readies[-1])}"
        )
    ratio = s_med / b_med
    print(f"  ratio studio / bare (medians): {ratio:.2f}")
    first_studio, first_bare = startup.first["studio"].ready, startup.first["bare"].ready
    print(
        f"  first start, compiling bytecode into an empty cache (not in the medians): "
        f"studio {_ms(first_studio)}, bare {_ms(first_bare)}, ratio {first_studio / first_bare:.2f}"
    )
    return ratio


def profile_startup(workdir: Path) -> None:
    """Where a studio start goes: ``-X importtime`` of one child and cProfile of another."""
    import re

    start = spawn("studio", workdir, 80000, python_options=("-X", "importtime"))
    rows: list[tuple[int, int, int, str]] = []
    for line in start.errors.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if found:
            self_us, total_us = int(found[1]), int(found[2])
            rows.append((self_us, total_us, len(found[3]), found[4]))
    total = sum(row[0] for row in rows)
    print(f"\n-X importtime of one studio start: {total / 1000:.1f} ms importing in all")
    print("  top-level imports by cumulative time:")
    for _self, cumulative, _depth, name in sorted(
        (row for row in rows if row[2] == 1), key=lambda row: -row[1]
    )[:8]:
        print(f"    {cumulative / 1000:7.1f} ms  {name}")
    print("  modules by own time (module body, including Qt type creation on first use):")
    for own, _cumulative, _depth, name in sorted(rows, key=lambda row: -row[0])[:15]:
        print(f"    {own / 1000:7.1f} ms  {name}")
    print(spawn("studio", workdir, 80001, options=("--profile",)).output.rstrip())


def run_memory(mode: Mode, workdir: Path, big_file: Path) -> dict[str, list[Start]]:
    runs: dict[str, list[Start]] = {"studio 1MB": [], "bare 1MB": []}
    for number in range(mode.memory_rounds):
        runs["studio 1MB"].append(spawn_retrying("studio", workdir, 100 + number, big_file))
        runs["bare 1MB"].append(spawn_retrying("bare", workdir, 100 + number, big_file))
    return runs


def print_memory(runs: dict[str, list[Start]]) -> tuple[float, float]:
    """Print the peaks; return the 1 MB studio peak and the ratio studio / bare on the demo."""
    import statistics

    print("\n(c) Peak memory (ru_maxrss) once rendered and painted; start-up time for reference")
    print(f"  {'child':<14} {'body chars':>11} {'peak (median)':>14} {'max':>9} {'ready':>10}")
    for name, starts in runs.items():
        peaks = [_peak_mb(s.maxrss) for s in starts]
        print(
            f"  {name:<14} {starts[0].body_chars:>11,} {statistics.median(peaks):>11.1f} MB "
            f"{max(peaks):>6.1f} MB {_ms(statistics.median(s.ready for s in starts)):>10}"
        )

    def median(name: str) -> float:
        return statistics.median(_peak_mb(s.maxrss) for s in runs[name])

    ratio = median("studio demo") / median("bare demo")
    print(f"  ratio studio / bare on the demo (medians): {ratio:.2f}")
    return median("studio 1MB"), ratio


# -- (b): keystrokes in this process ----------------------------------------------------------


class Key(NamedTuple):
    """One keystroke, seconds from just before ``keyClick``; ``None`` when it never came."""

    click: float
    max_gap: float
    updated: float | None
    handled: float | None
    painted: float | None
    quiet: float

    @property
    def blocked(self) -> float:
        return max(self.click, self.max_gap)


class KeyCase(NamedTuple):
    name: str
    debounce_ms: int
    body_chars: int
    keys: list[Key]
    first_preview: float
    """Window construction to the first preview painted (Qt already up)."""
    crashes: list[str]
    """How each child that died took its end (signal, keystrokes it had done)."""
    profile: str
    typing: dict[str, float] | None = None
    """Continuous typing: ``keys``, RSS before/after in MB, gaps between previews in s."""


def _build(
    body: str | None, debounce_ms: int, settings_path: Path, sample: str | None = None
) -> MainWindow:
    from bench_engine import with_body
    from PySide6.QtCore import QSettings

    from uptrends_studio.core.document import integration_file
    from uptrends_studio.core.document.samples import find_sample
    from uptrends_studio.core.language.catalogue import load_catalogue
    from uptrends_studio.gui.document import IntegrationDocument
    from uptrends_studio.gui.main_window import DEMO_PATH, MainWindow
    from uptrends_studio.gui.sample_state import SampleState
    from uptrends_studio.gui.settings import Settings

    catalogue = load_catalogue()
    integration = integration_file.load(DEMO_PATH)
    if body is not None:
        integration = with_body(integration, body)
    settings = Settings(QSettings(str(settings_path), QSettings.Format.IniFormat))
    document = IntegrationDocument(integration)
    samples = SampleState(find_sample(sample, catalogue), sample or "https")
    return MainWindow(document, samples, catalogue, settings, debounce_ms=debounce_ms)


class _Probe:
    """Runs the event loop for one keystroke and records what happens in it."""

    def __init__(self, window: MainWindow) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        self.window = window
        self.loop = QEventLoop()
        self.heartbeat = QTimer()
        self.heartbeat.setInterval(0)
        self.heartbeat.timeout.connect(self._on_beat)
        self.deadline = QTimer()
        self.deadline.setSingleShot(True)
        self.deadline.timeout.connect(self.loop.quit)
        window.controller.busy_changed.connect(self._on_busy)
        window.controller.updated.connect(self._on_updated)
        self.watches: list[QObject] = []
        self.reset(time.perf_counter())

    def reset(self, start: float) -> None:
        self.start = start
        self.last = start
        self.max_gap = 0.0
        self.busy_at = 0.0
        self.updated: float | None = None
        self.handled: float | None = None
        self.painted: float | None = None
        self.quiet_since: float | None = None
        self.paint_wait_until = float("inf")

    def _on_busy(self, _busy: bool) -> None:
        self.busy_at = time.perf_counter()

    def _on_updated(self, _preview: object) -> None:
        # Connected after the window's own slot, so this runs once the window has handled it.
        now = time.perf_counter()
        if self.handled is not None:
            return
        self.updated = self.busy_at - self.start
        self.handled = now - self.start
        self.paint_wait_until = now + PAINT_TIMEOUT_S
        try:
            view = self.window.preview_pane.code_view("pretty").viewport()
        except IndexError:  # nothing is sent for the shown type: nothing to paint
            self.painted = self.handled
            return
        self.watches = [_after_next_paint(view, self._on_painted)]

    def _on_painted(self) -> None:
        self.painted = time.perf_counter() - self.start

    def _on_beat(self) -> None:
        now = time.perf_counter()
        gap = now - self.last
        self.last = now
        self.max_gap = max(self.max_gap, gap)
        if self.handled is None:
            return
        if self.painted is None and now < self.paint_wait_until:
            return
        if self.painted is not None and now - self.start - self.painted >= QUIET_TIMEOUT_S:
            self.quiet_since = self.quiet_since or now
            self.loop.quit()
        elif gap > QUIET_GAP_S or self.quiet_since is None:
            self.quiet_since = now
        elif now - self.quiet_since >= QUIET_FOR_S:
            self.loop.quit()

    def wait(self) -> None:
        """Run the event loop until the keystroke's preview is painted and all is quiet."""
        self.heartbeat.start()
        self.deadline.start(int(KEY_TIMEOUT_S * 1000))
        self.loop.exec()
        self.heartbeat.stop()
        self.deadline.stop()

    def settle(self) -> None:
        """Let start-up work finish (first preview, chunked highlighting) before measuring."""
        self.reset(time.perf_counter())
        if self.window.controller.preview.requests:
            self.handled = 0.0
            self.painted = 0.0
        self.wait()

    def keystroke(self, body: QWidget, char: str) -> Key:
        from PySide6.QtTest import QTest

        start = time.perf_counter()
        QTest.keyClick(body, char)  # type: ignore[call-overload]
        clicked = time.perf_counter()
        self.reset(start)
        self.last = clicked
        self.wait()
        return Key(
            clicked - start,
            self.max_gap,
            self.updated,
            self.handled,
            self.painted,
            (self.quiet_since or time.perf_counter()) - start,
        )


def _open_for_typing(
    body: str | None, debounce_ms: int, settings_path: Path, sample: str | None = None
) -> tuple[MainWindow, _Probe, float]:
    """Build and show a window, wait for its first preview, focus the body editor, settle.

    Returns the window, its probe and the time from construction to the first preview painted.
    """
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QApplication

    from uptrends_studio.gui.first_paint import after_preview_painted

    started = time.perf_counter()
    window = _build(body, debounce_ms, settings_path, sample)
    probe = _Probe(window)
    # The first preview painted, as --quit-after-start sees it (the window may hold it before
    # it is shown, so the probe's `updated` would never come).
    painted: list[float] = []
    after_preview_painted(window, lambda: painted.append(time.perf_counter()))
    window.show()
    give_up = started + KEY_TIMEOUT_S
    while not painted and time.perf_counter() < give_up:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    first = painted[0] - started if painted else float("nan")
    window.show_tab(window.customizations_tab)
    editor = window.customizations_tab.step_editor.body
    window.activateWindow()
    editor.setFocus(Qt.FocusReason.OtherFocusReason)
    editor.goto_offset(editor.text().index('"account"') + 1)
    # As the app does once its staged start is over (gui.app.start).
    from uptrends_studio.gui.app import freeze_start_objects

    window.staged.finish_now()
    freeze_start_objects()
    probe.settle()
    return window, probe, first


def _child_keys(args: argparse.Namespace) -> int:
    """Type ``args.count`` letters; one ``KEY {json}`` line per keystroke, as it happens."""
    import faulthandler
    import json

    from PySide6.QtWidgets import QApplication

    from uptrends_studio.gui.refcount_guard import guard_none_refcount

    faulthandler.enable()  # a crash inside Qt names the Python frame on stderr
    app = QApplication([sys.argv[0]])
    guard_none_refcount()
    body: str | None = None
    if args.big:
        from bench_engine import big_body

        from uptrends_studio.core.document import integration_file
        from uptrends_studio.gui.main_window import DEMO_PATH

        body = big_body(integration_file.load(DEMO_PATH).steps[0].body)
    window, probe, first = _open_for_typing(body, args.debounce, Path(args.settings), args.sample)
    editor = window.customizations_tab.step_editor.body
    chars = len(window.document.integration.steps[0].body) + args.count
    print("CASE " + json.dumps({"first_preview": first, "body_chars": chars}), flush=True)
    rss_before = _rss_mb()
    for number in range(args.count):
        key = probe.keystroke(editor, chr(ord("a") + number % 26))
        print("KEY " + json.dumps(list(key)), flush=True)
    if args.typing:
        gaps = _type_continuously(window, probe, editor, args.typing)
        print(
            "TYPING "
            + json.dumps(
                {
                    "keys": args.count + args.typing,
                    "rss_before": rss_before,
                    "rss_after": _rss_mb(),
                    "gaps": gaps,
                }
            ),
            flush=True,
        )
    if args.profile:
        label = f"{args.case}, debounce {args.debounce} ms"
        profile_keys(window, probe, label, args.profile)
    window.document.load(window.document.integration, None)  # no "save changes?" question
    window.close()
    app.processEvents()
    return 0


def _rss_mb() -> float:
    """The resident set size now, in MB, after a garbage collection (0 where unknown)."""
    import gc

    gc.collect()
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _type_continuously(
    window: MainWindow, probe: _Probe, editor: QWidget, count: int
) -> list[float]:
    """Type ``count`` letters, one every ``TYPING_INTERVAL_MS``, without waiting for previews.

    Returns the gaps between the previews delivered while typing: from the first key to the
    first preview, between previews, and from the last preview to the last key (typing starts
    with the first key, one interval after the timer's start, and ends with the last key).
    Then lets the window settle.
    """
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest

    delivered: list[float] = []
    keys: list[float] = []
    typed = 0
    loop = QEventLoop()

    def on_updated(_preview: object) -> None:
        delivered.append(time.perf_counter())

    def type_one() -> None:
        nonlocal typed
        if typed >= count:
            timer.stop()
            loop.quit()
            return
        keys.append(time.perf_counter())
        QTest.keyClick(editor, chr(ord("a") + typed % 26))  # type: ignore[call-overload]
        typed += 1

    window.controller.updated.connect(on_updated)
    timer = QTimer()
    timer.setInterval(TYPING_INTERVAL_MS)
    timer.timeout.connect(type_one)
    timer.start()
    loop.exec()
    window.controller.updated.disconnect(on_updated)
    _wait_for_the_last_preview(window)
    probe.settle()
    import itertools

    started, ended = keys[0], keys[-1]
    marks = [started, *(t for t in delivered if started < t <= ended), ended]
    return [b - a for a, b in itertools.pairwise(marks)]


def _wait_for_the_last_preview(window: MainWindow) -> None:
    """Run the event loop until the preview of the last edit is delivered (at most 10 s).

    Memory read while that preview is computed would count its texts, which are freed (and
    given back) once it is delivered.
    """
    from PySide6.QtTest import QTest

    controller = window.controller

    def idle() -> bool:
        check = getattr(controller, "is_idle", None)
        if check is not None:
            return bool(check())
        # Older trees: no computation due or running.
        return not (
            controller._timer.isActive()
            or controller._max_wait.isActive()
            or controller._runner.is_busy()
        )

    deadline = time.perf_counter() + 10
    while not idle() and time.perf_counter() < deadline:
        QTest.qWait(5)


MAX_KEY_CHILDREN = 10
"""A keystroke case gives up after this many children (a crash starts a new one)."""


def run_keys(
    mode: Mode,
    name: str,
    debounce_ms: int,
    count: int,
    workdir: Path,
    profile: bool,
    *,
    typing: int = 0,
) -> KeyCase:
    """Type ``count`` letters in child processes; a child that crashes is replaced."""
    import json
    import signal
    import subprocess

    keys: list[Key] = []
    crashes: list[str] = []
    first: float | None = None
    chars = 0
    profile_text = ""
    typing_result: dict[str, float] | None = None
    for number in range(MAX_KEY_CHILDREN):
        if len(keys) >= count:
            break
        command = [sys.executable, str(SCRIPT), "--child", "keys", "--case", name]
        command += ["--debounce", str(debounce_ms), "--count", str(count - len(keys))]
        command += ["--settings", str(workdir / f"settings-keys-{name}-{debounce_ms}-{number}.ini")]
        if name == "1MB":
            command.append("--big")
        if name == "edge":
            command += ["--sample", "edge-cases"]
        if typing and number == 0:
            command += ["--typing", str(typing)]
        if profile:
            command += ["--profile", str(mode.profile_keys)]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                env=_child_env(workdir),
                timeout=CHILD_TIMEOUT_S * 3,
                check=False,
            )
            out, status = done.stdout, done.returncode
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
            status = -int(signal.SIGKILL)
        typed = 0
        lines = out.splitlines()
        for index, line in enumerate(lines):
            if line.startswith("KEY "):
                keys.append(Key(*json.loads(line.removeprefix("KEY "))))
                typed += 1
            elif line.startswith("CASE ") and first is None:
                info = json.loads(line.removeprefix("CASE "))
                first, chars = float(info["first_preview"]), int(info["body_chars"])
            elif line.startswith("TYPING "):
                info = json.loads(line.removeprefix("TYPING "))
                gaps = sorted(info["gaps"])
                typing_result = {
                    "keys": info["keys"],
                    "rss_before": info["rss_before"],
                    "rss_after": info["rss_after"],
                    "gap_p50": gaps[len(gaps) // 2],
                    "gap_p95": _percentile(gaps, 0.95),
                    "gap_max": gaps[-1],
                    "previews": len(gaps),
                }
            elif line.startswith("cProfile of"):
                profile_text = "\n".join(lines[index:])
                break
        if status != 0:
            reason = signal.Signals(-status).name if status < 0 else f"exit status {status}"
            crashes.append(f"{reason} after {typed} keystrokes")
    return KeyCase(
        name, debounce_ms, chars, keys[:count], first or 0.0, crashes, profile_text, typing_result
    )


def _percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    import math

    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def print_keys(case: KeyCase) -> None:
    import statistics

    _print_typing(case)
    keys = case.keys
    missing = sum(1 for k in keys if k.updated is None or k.painted is None)
    print(
        f"\n  [{case.name}, debounce {case.debounce_ms} ms] body {case.body_chars:,} chars, "
        f"{len(keys)} keystrokes; window built to first preview painted "
        f"{_ms(case.first_preview)}"
        + (f"; WARNING: {missing} keystrokes without preview or paint" if missing else "")
    )
    for crash in case.crashes:
        print(f"    CRASH: a child running this case died ({crash}); a new one went on")
    print(f"    {'per keystroke':<34} {'p50':>10} {'p95':>10} {'max':>10}")
    columns: list[tuple[str, Callable[[Key], float | None]]] = [
        ("keyClick (UI thread blocked)", lambda k: k.click),
        ("max event-loop gap after it", lambda k: k.max_gap),
        ("UI blocked = max of the two", lambda k: k.blocked),
        ("key -> updated emitted", lambda k: k.updated),
        ("key -> updated handled", lambda k: k.handled),
        ("key -> preview painted", lambda k: k.painted),
        ("key -> UI quiet again", lambda k: k.quiet),
    ]
    for label, get in columns:
        values = [v for v in (get(k) for k in keys) if v is not None]
        if not values:
            print(f"    {label:<34} {'-':>10}")
            continue
        print(
            f"    {label:<34} {_ms(statistics.median(values)):>10} "
            f"{_ms(_percentile(values, 0.95)):>10} {_ms(max(values)):>10}"
        )


def _print_typing(case: KeyCase) -> None:
    typing = case.typing
    if typing is None:
        return
    print(
        f"\n  [{case.name}, continuous typing, a key every {TYPING_INTERVAL_MS} ms] "
        f"{typing['previews']:.0f} previews while typing; time between previews "
        f"p50 {_ms(typing['gap_p50'])}, p95 {_ms(typing['gap_p95'])}, max {_ms(typing['gap_max'])}"
    )
    before, after = typing["rss_before"], typing["rss_after"]
    print(
        f"    RSS over {typing['keys']:.0f} keystrokes: {before:.1f} MB -> {after:.1f} MB "
        f"(growth {after - before:+.1f} MB)"
    )


def profile_keys(window: MainWindow, probe: _Probe, label: str, count: int) -> None:
    """cProfile of the UI thread while typing ``count`` more letters, and of one preview job.

    The heartbeat ticks every 1 ms instead of 0 here, so it does not fill the profile. The job
    is what the controller submits (``compute_and_prepare`` where it exists, which also warms
    the ``pretty_json`` cache, else ``compute_preview``), on a body changed by one trailing
    space so no cached result is reused.
    """
    import cProfile

    from bench_engine import with_body

    from uptrends_studio.core.rendering.preview import compute_preview
    from uptrends_studio.gui import preview_controller

    editor = window.customizations_tab.step_editor.body
    probe.heartbeat.setInterval(1)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(count):
        probe.keystroke(editor, chr(ord("z") - i % 26))
    profiler.disable()
    probe.heartbeat.setInterval(0)
    _print_stats(profiler, f"UI thread, {count} keystrokes, [{label}]")
    job = getattr(preview_controller, "compute_and_prepare", compute_preview)
    integration = window.document.integration
    integration = with_body(integration, integration.steps[0].body + " ")
    worker = cProfile.Profile()
    worker.enable()
    job(integration, window.samples.sample, window.catalogue)
    worker.disable()
    _print_stats(worker, f"one {job.__name__} (the worker's job), [{label}]")


def _print_stats(profiler: cProfile.Profile, title: str) -> None:
    import io
    import pstats

    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(key).print_stats(18)
        lines = out.getvalue().splitlines()
        first = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print(f"\ncProfile of {title}, sorted by {key}:")
        print("\n".join(line for line in lines[first:] if line.strip()))


# -- the run ----------------------------------------------------------------------------------


def print_targets(ratio: float, memory_ratio: float, cases: list[KeyCase], peak: float) -> None:
    def p95(values: Sequence[float | None]) -> float | None:
        """p95 in seconds; ``None`` when a keystroke never got there (a timeout)."""
        found = [v for v in values if v is not None]
        return _percentile(found, 0.95) if found and len(found) == len(values) else None

    def row(label: str, value: float | None, limit_ms: float) -> tuple[str, str, bool]:
        if value is None:
            return label, "missing", False
        return label, _ms(value), value * 1000 <= limit_ms

    demo = next(c for c in cases if c.name == "demo" and c.debounce_ms == 0)
    crashes = sum(len(c.crashes) for c in cases)
    print("\nTargets")
    rows = [
        (f"start-up studio / bare <= {TARGET_START_RATIO}x", f"{ratio:.2f}x", ratio <= 1.5),
        (
            f"peak memory studio / bare (demo) <= {TARGET_MEMORY_RATIO}x",
            f"{memory_ratio:.2f}x",
            memory_ratio <= TARGET_MEMORY_RATIO,
        ),
        row(
            f"demo key -> updated emitted, p95 <= {TARGET_KEY_P95_MS:.0f} ms (debounce 0)",
            p95([k.updated for k in demo.keys]),
            TARGET_KEY_P95_MS,
        ),
        row(
            f"  stricter: demo key -> preview painted, p95 <= {TARGET_KEY_P95_MS:.0f} ms",
            p95([k.painted for k in demo.keys]),
            TARGET_KEY_P95_MS,
        ),
    ]
    for big in (c for c in cases if c.name in ("1MB", "edge")):
        rows += [
            row(
                f"{big.name}: UI thread blocked <= {TARGET_BLOCK_MS:.0f} ms per keystroke (worst)",
                max((k.blocked for k in big.keys), default=None),
                TARGET_BLOCK_MS,
            ),
            row(
                f"{big.name}: key -> preview painted, p95 <= {TARGET_SETTLE_MS:.0f} ms "
                f"(debounce {big.debounce_ms})",
                p95([k.painted for k in big.keys]),
                TARGET_SETTLE_MS,
            ),
        ]
    for case in cases:
        if case.typing is None:
            continue
        growth = case.typing["rss_after"] - case.typing["rss_before"]
        rows += [
            (
                f"{case.name}: RSS growth over {case.typing['keys']:.0f} keys "
                f"<= {TARGET_GROWTH_MB:.0f} MB",
                f"{growth:+.1f} MB",
                growth <= TARGET_GROWTH_MB,
            ),
            row(
                f"{case.name}: typing, time between previews p95 <= {TARGET_LIVE_MS:.0f} ms",
                case.typing["gap_p95"],
                TARGET_LIVE_MS,
            ),
        ]
    rows += [
        (f"1MB peak memory <= {TARGET_PEAK_MB:.0f} MB", f"{peak:.1f} MB", peak <= TARGET_PEAK_MB),
        (
            f"no crash while typing ({sum(len(c.keys) for c in cases)} keystrokes in all)",
            f"{crashes} crashes",
            crashes == 0,
        ),
    ]
    for label, value, ok in rows:
        print(f"  {label:<66} {value:>9}   {_verdict(ok)}")


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if "--child" in args_list:
        return child_main(args_list)
    import faulthandler
    import platform
    import tempfile

    faulthandler.enable()  # a crash in Qt code prints where Python was
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="few repetitions (CI smoke run)")
    parser.add_argument("--profile", action="store_true", help="cProfile the keystroke paths")
    args = parser.parse_args(args_list)
    mode = QUICK if args.quick else FULL
    started = time.perf_counter()

    import PySide6
    from bench_engine import big_body, with_body
    from PySide6.QtCore import qVersion

    from uptrends_studio.core.document import integration_file
    from uptrends_studio.gui.main_window import DEMO_PATH
    from uptrends_studio.gui.preview_controller import DEBOUNCE_MS

    print(f"Uptrends Studio GUI benchmark ({mode.name} mode)")
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), {sys.executable}"
    )
    print(
        f"Machine: {platform.platform()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, processor {platform.processor() or 'unknown'}"
    )
    print(
        f"PySide6 {PySide6.__version__}, Qt {qVersion()}, "
        f"QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}"
    )

    demo = integration_file.load(DEMO_PATH)
    with tempfile.TemporaryDirectory(prefix="bench_gui-") as tmp:
        workdir = Path(tmp)
        big_file = workdir / "big.integration.json"
        integration_file.save(with_body(demo, big_body(demo.steps[0].body)), big_file)

        startup = run_startup(mode, workdir, DEMO_PATH)
        ratio = print_startup(startup)
        memory = {
            "studio demo": startup.studio,
            "bare demo": startup.bare,
            **run_memory(mode, workdir, big_file),
        }
        peak, memory_ratio = print_memory(memory)
        if args.profile:
            profile_startup(workdir)

        print(
            "\n(b) Keystroke to preview, in a child process per case (times from just before "
            f"keyClick; the app's DEBOUNCE_MS is {DEBOUNCE_MS})"
        )
        cases: list[KeyCase] = []
        plan = [
            ("demo", 0, mode.demo_keys, args.profile, 0),
            ("demo", DEBOUNCE_MS, mode.demo_debounce_keys, False, mode.typing_keys),
            ("1MB", DEBOUNCE_MS, mode.big_keys, args.profile, mode.typing_keys),
            ("edge", DEBOUNCE_MS, mode.big_keys, args.profile, mode.typing_keys),
        ]
        for name, debounce, count, profile, typing in plan:
            case = run_keys(mode, name, debounce, count, workdir, profile, typing=typing)
            print_keys(case)
            if case.profile:
                print("\n" + case.profile)
            cases.append(case)

    print_targets(ratio, memory_ratio, cases, peak)
    print(f"\nTotal run time {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
