"""Benchmark of the render budget and of quitting during a long render (real processes).

What it measures (each a fresh ``python -m uptrends_studio`` process, wall and processor time):

* ``check`` of an integration with 20 catastrophic regex calls (``(a|aa)+$`` on 40 a's and a
  "!", each alone running for hours), for all three alert types. Before the budget: 1 s per
  call and message, about 60 s.
* ``check`` of a 24-deep HMAC chain (each key is two calls of the function before it: 2**24
  HMACs without the memo).
* SIGTERM to the Studio window (offscreen) 0.5 s after it is ready, while its preview renders
  the regex integration: time to exit and the exit status.
* Opening a 10 MB body in the window (offscreen): how long ``build_window`` and ``show`` block
  the UI thread, then the longest gap of a zero-interval heartbeat in the next 5 s (the
  preview arriving, the editor's colours following in chunks), for the body on one line and
  over 10,000 lines.

Run: ``python benchmarks/bench_budget.py``. The machine's load is printed with the figures
(the regex engine counts processor time, so a busy machine stretches the wall time).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    HashFunction,
    Integration,
    RegexFunction,
    Step,
    UserFunction,
)
from uptrends_studio.paths import resource_path

EVIL = RegexFunction("evil", "(a|aa)+$")


def _write(folder: Path, name: str, body: str, functions: tuple[UserFunction, ...]) -> Path:
    step = Step("s", alert_types=ALERT_TYPES, url="https://x.test/", body=body)
    path = folder / f"{name}.integration.json"
    document = Integration(name, steps=(step,), functions=functions)
    path.write_text(integration_file.dumps(document), encoding="utf-8")
    return path


def _chain(depth: int) -> tuple[UserFunction, ...]:
    functions: list[UserFunction] = [HashFunction("h0", "HMAC-SHA256", "k")]
    for i in range(1, depth):
        key = f"{{{{h{i - 1}(a)}}}}{{{{h{i - 1}(b)}}}}"
        functions.append(HashFunction(f"h{i}", "HMAC-SHA256", key))
    return tuple(functions)


def _env(folder: Path) -> dict[str, str]:
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(folder / "home"),
        XDG_CONFIG_HOME=str(folder / "home" / "config"),
        UPTRENDS_STUDIO_DATA_DIR=str(folder / "data"),
    )


def timed_check(folder: Path, path: Path) -> tuple[float, float, int, int]:
    """Wall seconds, processor seconds, exit status, render-budget lines of ``check``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "uptrends_studio", "check", str(path)],
        capture_output=True,
        text=True,
        env=_env(folder),
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.returncode, result.stdout.count("[render-budget]")


def sigterm_exit(folder: Path, path: Path) -> tuple[float, int | None]:
    """Seconds from SIGTERM to exit, and the status, with the preview busy on ``path``."""
    log = folder / "data" / "logs" / "uptrends-studio.log"
    studio = subprocess.Popen(
        [sys.executable, "-m", "uptrends_studio", str(path)],
        env=_env(folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.is_file() and "SIGTERM and SIGINT now quit" in log.read_text(encoding="utf-8"):
            break
        time.sleep(0.05)
    time.sleep(0.5)
    sent = time.perf_counter()
    studio.send_signal(signal.SIGTERM)
    try:
        studio.wait(timeout=120)
    except subprocess.TimeoutExpired:
        studio.kill()
    return time.perf_counter() - sent, studio.returncode


OPEN_CHILD = """
import sys, time
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from uptrends_studio.gui.app import build_window
started = time.perf_counter()
window, _ = build_window([sys.argv[1]], QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
built = time.perf_counter() - started
gaps = [0.0]
last = [time.perf_counter()]
def beat():
    now = time.perf_counter()
    gaps.append(now - last[0])
    last[0] = now
heartbeat = QTimer()
heartbeat.timeout.connect(beat)
heartbeat.start(0)
QTimer.singleShot(5000, app.quit)
app.exec()
print(built, max(gaps))
"""


def open_blocking(folder: Path, body: str, name: str) -> tuple[float, float]:
    """Seconds ``build_window`` and ``show`` block, and the longest UI gap in the 5 s after."""
    document = json.loads(resource_path("demo.integration.json").read_text(encoding="utf-8"))
    document["steps"][0]["body"] = body
    path = folder / f"{name}.integration.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", OPEN_CHILD, str(path), str(folder / f"{name}.ini")],
        capture_output=True,
        text=True,
        env=_env(folder),
        check=False,
        timeout=600,
    )
    built, gap = result.stdout.strip().splitlines()[-1].split()
    return float(built), float(gap)


def main() -> int:
    """Print the figures."""
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        calls = "".join(f"[{{{{evil({'a' * 40}!{i})}}}}]" for i in range(20))
        regex_file = _write(folder, "regex", calls, (EVIL,))
        chain_file = _write(folder, "chain", "{{h23(x)}}", _chain(24))
        wall, cpu, code, lines = timed_check(folder, regex_file)
        print(
            f"check, 20 catastrophic regex calls: {wall:.2f} s wall, {cpu:.2f} s processor, "
            f"exit {code}, {lines} render-budget errors (before: about 60 s)"
        )
        wall, cpu, code, lines = timed_check(folder, chain_file)
        print(
            f"check, 24-deep HMAC chain: {wall:.2f} s wall, {cpu:.2f} s processor, exit {code}, "
            f"{lines} render-budget errors (before: 2**24 HMACs, minutes)"
        )
        took, status = sigterm_exit(folder, regex_file)
        print(f"window, SIGTERM during the regex render: exit {status} after {took:.2f} s")
        filler = "x" * 1000
        items = [f'"{filler}"' for _ in range(10_000)]
        lines_body = '{"items": [\n' + ",\n".join(items) + "\n]}"
        built, gap = open_blocking(folder, lines_body, "lines")
        print(
            f"window, open a 10 MB body on 10,000 lines: build and show {built:.2f} s, "
            f"then the longest UI-thread gap {gap:.2f} s"
        )
        one_line = '{"items": [' + ",".join(items) + "]}"
        built, gap = open_blocking(folder, one_line, "one")
        print(
            f"window, open a 10 MB body on one line: build and show {built:.2f} s, "
            f"then the longest UI-thread gap {gap:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
