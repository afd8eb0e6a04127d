"""A FIFO or a device given to the CLI: one line and exit 2 at once, never a hang.

Run as real processes: the failure this guards against is a process that never ends (a FIFO
without a writer) or reads until memory runs out (``/dev/zero``, whose size ``stat`` says is 0).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.support import run_studio

COMMANDS = [("check",), ("render",), ("send", "--dry-run")]


def timed(cwd: Path, *args: str) -> tuple[float, int, str, str]:
    started = time.monotonic()
    result = run_studio(cwd, *args)
    return time.monotonic() - started, result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("fifo", "is a named pipe (FIFO), not a regular file"),
        ("/dev/zero", "is a device, not a regular file"),
    ],
)
def test_a_fifo_or_device_exits_2_within_a_second(
    tmp_path: Path, command: tuple[str, ...], target: str, problem: str
) -> None:
    os.mkfifo(tmp_path / "fifo")  # nobody ever writes to it
    start_up, code, _out, _err = timed(tmp_path, "--version")
    assert code == 0
    elapsed, code, out, err = timed(tmp_path, *command, target)
    assert code == 2
    assert out == ""
    assert err == f"uptrends-studio {command[0]}: {target}: {problem}\n"
    assert elapsed < start_up + 1.0, f"{elapsed:.1f} s (a plain start takes {start_up:.1f} s)"


def test_a_fifo_as_sample_file_exits_2(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "alerts.sample.json")
    _elapsed, code, _out, err = timed(tmp_path, "render", "--sample", "alerts.sample.json", "demo")
    assert code == 2
    assert err == (
        "uptrends-studio render: alerts.sample.json: is a named pipe (FIFO), not a regular file\n"
    )
