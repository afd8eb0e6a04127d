"""Helpers shared by the tests that start real servers or the real command line."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def console_script() -> str:
    """The installed ``uptrends-studio`` command beside the interpreter running the tests."""
    found = shutil.which("uptrends-studio", path=str(Path(sys.executable).parent))
    if found is None:
        raise RuntimeError(f"no uptrends-studio console script beside {sys.executable}")
    return found


def run_studio(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None, script: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m uptrends_studio ARGS`` in ``cwd`` (UTF-8 output, 120 s at most).

    With ``script``, the installed ``uptrends-studio`` console script runs instead.
    """
    command = [console_script()] if script else [sys.executable, "-m", "uptrends_studio"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=dict(env) if env is not None else {**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def required_program(name: str) -> str:
    """The full path of a program the tests need on PATH (curl, bash).

    Missing programs fail loudly instead of skipping: a skipped check proves nothing. The
    README's "Start here" names the packages that provide them.
    """
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(
            f"the tests need the '{name}' program on PATH; install it "
            f"(Debian/Ubuntu: sudo apt-get install {name})"
        )
    return found


@contextlib.contextmanager
def _process_state(cwd: Path, env: Mapping[str, str] | None) -> Iterator[None]:
    """Run with ``cwd`` as the working folder and ``env`` as the environment, then restore."""
    saved_env = dict(os.environ)
    saved_cwd = Path.cwd()
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def run_cli(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``uptrends-studio ARGS`` in this process (the launcher's ``main``), output captured.

    The same result as :func:`run_studio` (exit code, stdout, stderr) without starting a
    Python interpreter per call. Tests that must prove the installed console script or a real
    process (signals, start-up) use :func:`run_studio` instead. Never call it with arguments
    that open the window.
    """
    from uptrends_studio.launcher import main

    out, err = io.StringIO(), io.StringIO()
    with (
        _process_state(cwd, env),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        _no_stdin(),
    ):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    return subprocess.CompletedProcess(
        ["uptrends-studio", *args], code, out.getvalue(), err.getvalue()
    )


@contextlib.contextmanager
def _no_stdin() -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO("")
    try:
        yield
    finally:
        sys.stdin = saved
