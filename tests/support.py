"""Helpers shared by the tests that start real servers or the real command line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def run_studio(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m uptrends_studio ARGS`` in ``cwd`` (UTF-8 output, 120 s at most)."""
    return subprocess.run(
        [sys.executable, "-m", "uptrends_studio", *args],
        cwd=cwd,
        env=dict(env) if env is not None else {**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
