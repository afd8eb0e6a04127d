"""Benchmark of the command line's start, side by side with a bare ``python -c "import json"``.

What it measures, as the wall time of a whole process (start, work, exit):

* ``render demo --type all``: ``uptrends-studio render demo --type all`` (the console script's
  code path, ``launcher.main``), the demo's requests for the three alert types printed;
* ``check demo``: ``uptrends-studio check demo``, the demo checked for the three types;
* ``python -c "import json"``: the same interpreter doing next to nothing, the floor.

Each process writes its bytecode to a temporary ``PYTHONPYCACHEPREFIX`` (warmed by one run of
each before timing), so every timed run reads cached bytecode even where the environment sets
``PYTHONDONTWRITEBYTECODE``. Rounds alternate the three commands, so machine noise hits them
alike; the table shows the median and minimum and the ratio of medians to the bare interpreter,
with PASS or MISS against the target (``render`` at most 2.5x). The exit status is always 0:
this is a benchmark, not a test.

Run (from the project root)::

    .venv/bin/python benchmarks/bench_cli.py          # about 10 s
    .venv/bin/python benchmarks/bench_cli.py --quick  # smoke run for CI
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

TARGET = 2.5
"""``render demo --type all`` may take at most this many times the bare interpreter."""

BARE = "python -c 'import json'"
RENDER = "render demo --type all"
CHECK = "check demo"

_LAUNCH = "import sys; from uptrends_studio.launcher import main; sys.exit(main(sys.argv[1:]))"
"""What the ``uptrends-studio`` console script runs, where the script is not installed."""

CHECK_PROBLEMS = 1
"""``check`` exits 1 when it finds an error; any other status but 0 is a failure."""


def _studio() -> list[str]:
    """The installed ``uptrends-studio`` console script (or its code, run by this Python)."""
    script = shutil.which("uptrends-studio", path=sysconfig.get_path("scripts"))
    return [script] if script else [sys.executable, "-c", _LAUNCH]


def _commands() -> dict[str, list[str]]:
    studio = _studio()
    return {
        BARE: [sys.executable, "-c", "import json"],
        RENDER: [*studio, "render", "demo", "--type", "all"],
        CHECK: [*studio, "check", "demo"],
    }


def _environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


class MeasureError(RuntimeError):
    """A command failed or printed something other than what is measured."""


def _run_once(command: list[str], env: dict[str, str], cwd: Path, expect: bytes = b"") -> float:
    """Seconds of one whole process; ``expect``: bytes its output must hold (checked once)."""
    start = time.perf_counter()
    result = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, check=False, timeout=120
    )
    elapsed = time.perf_counter() - start
    problem = ""
    if result.returncode not in (0, CHECK_PROBLEMS):
        problem = f"exited {result.returncode}"
    elif expect not in result.stdout + result.stderr:
        problem = f"did not print {expect.decode()!r}"
    if problem:
        raise MeasureError(
            f"{' '.join(command)} {problem}: {result.stderr.decode(errors='replace')[-500:]}"
        )
    return elapsed


EXPECTED = {BARE: b"", RENDER: b"POST http", CHECK: b"demo: 0 errors"}
"""What each command prints (checked on the warm-up run), so a broken command is not timed."""


def _measure(rounds: int) -> dict[str, list[float]]:
    commands = _commands()
    times: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as temp:
        cache = Path(temp) / "pycache"
        cwd = Path(temp)
        env = _environment(cache)
        for name, command in commands.items():  # warm the bytecode cache and the file cache
            _run_once(command, env, cwd, EXPECTED[name])
        names = list(commands)
        for index in range(rounds):
            shift = index % len(names)  # rotate the order so no command always runs first
            for name in names[shift:] + names[:shift]:
                times[name].append(_run_once(commands[name], env, cwd))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="few rounds (CI smoke run)")
    parser.add_argument("--rounds", type=int, help="alternating rounds (default: 15, quick: 3)")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 15)
    try:
        times = _measure(rounds)
    except (MeasureError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"bench_cli: could not measure: {exc}")
        return  # a benchmark, not a test: exit 0 all the same

    bare = statistics.median(times[BARE])
    print(f"CLI start, {rounds} alternating rounds, bytecode cached ({sys.version.split()[0]})")
    print(f"{'command':28} {'median ms':>10} {'min ms':>9} {'ratio':>7}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:28} {median * 1000:10.1f} {min(values) * 1000:9.1f} {median / bare:7.2f}")
    ratio = statistics.median(times[RENDER]) / bare
    verdict = "PASS" if ratio <= TARGET else "MISS"
    print(f"{RENDER} / bare: {ratio:.2f}x (target <= {TARGET}x): {verdict}")


if __name__ == "__main__":
    main()
