"""The local receiver stays bounded: memory for captured bodies, and bursts of connections.

The memory figure is measured on a receiver in a child process (its own RSS, not the test's);
all traffic is on the loopback interface and bounded in count.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from uptrends_studio.core.delivery.receiver import (
    LISTEN_BACKLOG,
    MAX_KEPT_BODIES,
    Receiver,
    format_capture,
)

TIMEOUT = 30


def post(port: int, body: bytes) -> bytes:
    """POST ``body`` and read the whole answer (the connection is closed after it)."""
    head = (
        f"POST /alerts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.sendall(head + body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_old_bodies_are_dropped_beyond_the_bound_and_say_so() -> None:
    with Receiver(max_kept_bodies=2500) as receiver:
        for index in range(5):
            assert post(receiver.port, bytes([65 + index]) * 1000).startswith(b"HTTP/1.1 200")
        captures = receiver.captures()
        assert receiver.kept_bytes == 2000
    assert [c.number for c in captures] == [1, 2, 3, 4, 5]
    assert [c.dropped for c in captures] == [True, True, True, False, False]
    assert [c.body_size for c in captures] == [1000] * 5
    assert captures[0].body == b""
    assert captures[0].dropped_bytes == 1000
    assert captures[4].body == b"E" * 1000
    shown = format_capture(captures[0])
    assert "(1000 bytes, body dropped)" in shown.splitlines()[0]
    assert "body of 1000 bytes dropped from memory" in shown
    assert receiver.capture(5) == captures[4]
    assert receiver.capture(99) is None


RECEIVER_CHILD = """
import sys
from uptrends_studio.core.delivery.receiver import Receiver

def memory():
    status = dict(
        line.split(":", 1) for line in open("/proc/self/status", encoding="ascii")
    )
    return int(status["VmRSS"].split()[0]) * 1024, int(status["VmHWM"].split()[0]) * 1024

receiver = Receiver()
receiver.start()
print(receiver.port, flush=True)
for _ in sys.stdin:  # one line per question: how much memory now?
    captures = receiver.captures()
    rss, peak = memory()
    dropped = sum(c.dropped for c in captures)
    sizes = {c.body_size for c in captures}
    print(len(captures), dropped, receiver.kept_bytes, rss, peak, sorted(sizes), flush=True)
"""


def test_a_hundred_ten_megabyte_captures_stay_under_150_mb(tmp_path: Path) -> None:
    body = b"x" * (10 * 1024 * 1024)
    with subprocess.Popen(
        [sys.executable, "-c", RECEIVER_CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    ) as child:
        assert child.stdin is not None
        assert child.stdout is not None
        try:
            port = int(child.stdout.readline())
            started = time.monotonic()
            for _ in range(100):
                assert post(port, body).startswith(b"HTTP/1.1 200")
            elapsed = time.monotonic() - started
            child.stdin.write("?\n")
            child.stdin.flush()
            count, dropped, kept, rss, peak, sizes = child.stdout.readline().split(" ", 5)
        finally:
            child.kill()
    assert int(count) == 100  # every request is still listed ...
    assert int(dropped) >= 100 - MAX_KEPT_BODIES // len(body)  # ... most without their body
    assert int(kept) <= MAX_KEPT_BODIES
    assert sizes.strip() == f"[{len(body)}]"  # dropped ones keep their size
    print(
        f"receiver RSS {int(rss) / 2**20:.0f} MB, peak {int(peak) / 2**20:.0f} MB, "
        f"100 x 10 MB in {elapsed:.1f} s"
    )
    assert int(peak) < 150 * 2**20, f"peak RSS {int(peak) / 2**20:.0f} MB"


def test_five_hundred_simultaneous_requests_are_all_answered() -> None:
    assert LISTEN_BACKLOG >= 128
    count = 500
    answers: list[bytes] = []
    failures: list[str] = []
    lock = threading.Lock()
    with Receiver(keep=count) as receiver:
        barrier = threading.Barrier(count)

        def client(index: int) -> None:
            try:
                barrier.wait(timeout=TIMEOUT)
                answer = post(receiver.port, f'{{"n": {index}}}'.encode())
            except OSError as exc:
                with lock:
                    failures.append(repr(exc))
                return
            with lock:
                answers.append(answer)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(count)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT)
        elapsed = time.monotonic() - started
        captured = len(receiver.captures())
    print(f"{len(answers)} of {count} simultaneous requests answered in {elapsed:.1f} s")
    assert failures == []
    assert len(answers) == count
    assert all(a.startswith(b"HTTP/1.1 200 OK") for a in answers)
    assert captured == count
