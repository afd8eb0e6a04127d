"""``uptrends-studio receive``, run as a real subprocess and sent real requests."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from tests.support import free_port

TIMEOUT = 30
POSIX_SIGNALS = pytest.mark.skipif(
    sys.platform == "win32", reason="sends POSIX signals; Windows has console control events"
)


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8"}


class Running:
    """A ``receive`` process whose stdout lines are read in a thread, so waits can time out."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uptrends_studio", "receive", *args],
            cwd=cwd,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, wanted: Callable[[str], bool]) -> list[str]:
        """The lines up to and including the first one ``wanted`` accepts."""
        got: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                pytest.fail(f"no matching output within {TIMEOUT} s; got {self.seen!r}")
            if line is None:
                pytest.fail(f"the receiver exited; stdout {self.seen!r}, stderr {self.stderr()!r}")
            self.seen.append(line)
            got.append(line)
            if wanted(line):
                return got

    def finish(self) -> tuple[int, list[str], str]:
        """Wait for the exit; the exit code, the remaining stdout lines and stderr."""
        code = self.process.wait(timeout=TIMEOUT)
        self._reader.join(TIMEOUT)
        rest: list[str] = []
        while (line := self.lines.get_nowait()) is not None:
            rest.append(line)
        return code, rest, self.stderr()

    def stderr(self) -> str:
        assert self.process.stderr is not None
        if self.process.poll() is None:
            return ""
        return self.process.stderr.read()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        self._reader.join(TIMEOUT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def launch(tmp_path: Path) -> Iterator[Callable[..., Running]]:
    started: list[Running] = []

    def start(*args: str) -> Running:
        running = Running(tmp_path, *args)
        started.append(running)
        return running

    yield start
    for running in started:
        running.close()


@POSIX_SIGNALS
def test_receive_prints_each_request_and_a_summary_on_ctrl_c(
    launch: Callable[..., Running],
) -> None:
    port = free_port()
    receiver = launch("--port", str(port), "--status", "201", "--header", "X-Answer: yes")
    [listening] = receiver.wait_for(lambda line: line.startswith("Listening"))
    assert listening == (
        f"Listening on http://127.0.0.1:{port}/ (loopback only). Press Ctrl+C to stop."
    )

    reply = requests.post(
        f"http://127.0.0.1:{port}/alerts?source=test",
        json={"monitor": "Café Zürich", "state": "Error"},
        headers={"X-Test-Header": "hello"},
        timeout=TIMEOUT,
    )
    block = receiver.wait_for(lambda line: line == "}")

    assert reply.status_code == 201
    assert reply.headers["X-Answer"] == "yes"
    assert reply.json() == {"received": True}
    assert re.fullmatch(
        r"#1  \d\d:\d\d:\d\d  POST /alerts\?source=test  from 127\.0\.0\.1:\d+  \(\d+ bytes\)",
        block[0],
    ), block[0]
    assert "X-Test-Header: hello" in block
    assert "Content-Type: application/json" in block
    body = block[block.index("") + 1 :]
    assert body == ["{", '  "monitor": "Café Zürich",', '  "state": "Error"', "}"]

    receiver.process.send_signal(signal.SIGINT)
    code, rest, stderr = receiver.finish()
    assert code == 0, stderr
    assert [line for line in rest if line] == ["1 request received"]
    assert stderr == ""


@POSIX_SIGNALS
def test_receive_stops_cleanly_on_sigterm(launch: Callable[..., Running]) -> None:
    port = free_port()
    receiver = launch("--port", str(port))
    receiver.wait_for(lambda line: line.startswith("Listening"))
    for index in range(2):
        requests.get(f"http://127.0.0.1:{port}/ping/{index}", timeout=TIMEOUT)
        receiver.wait_for(lambda line: line == "(no body)")

    receiver.process.send_signal(signal.SIGTERM)
    code, rest, stderr = receiver.finish()

    assert code == 0, stderr
    assert [line for line in rest if line] == ["2 requests received"]
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/", timeout=TIMEOUT)


def run_receive(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uptrends_studio", "receive", *args],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT * 2,
        check=False,
    )


def test_busy_port_exits_2_with_one_line(tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = run_receive(tmp_path, "--port", str(port))

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"uptrends-studio receive: port {port} on 127.0.0.1 is already in use: "
        "stop the other program or choose another port\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "42"], "response status 42 is not between 100 and 599"),
        (["--status", "OK"], "--status 'OK' is not a whole number"),
        (["--port", "70000"], "port 70000 is not between 0 and 65535"),
        (["--delay", "soon"], "--delay 'soon' is not a number"),
        (["--delay", "900"], "response delay 900.0 s is not between 0 and 300 seconds"),
        (["--header", "no colon here"], "--header 'no colon here' is not of the form"),
        (["--header", "Bad Name: x"], "response header 2 ('Bad Name'): the name is not a valid"),
    ],
)
def test_bad_option_exits_2_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_receive(tmp_path, *args)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"uptrends-studio receive: {message}")
    assert result.stderr.count("\n") == 1
