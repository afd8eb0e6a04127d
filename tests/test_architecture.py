"""The core and the CLI never load Qt or the GUI (house style, section 2).

The test process itself has Qt loaded (pytest-qt), so the checks run in fresh interpreters.
"""

from __future__ import annotations

import json
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import uptrends_studio.core

FORBIDDEN = ("PySide6", "shiboken6", "uptrends_studio.gui")
"""Module name prefixes the core and the CLI must never load."""

CORE_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(uptrends_studio.core.__path__, "uptrends_studio.core.")
)

_PROBE = """
import importlib, json, sys
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
print(json.dumps(sorted(sys.modules)))
"""


def _environment(**changes: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env.update(changes)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_core_modules_are_discovered() -> None:
    # Guards the test below against passing vacuously on an empty module list.
    assert {"uptrends_studio.core.parser", "uptrends_studio.core.evaluator"} <= set(CORE_MODULES)


def test_core_and_cli_import_no_qt(tmp_path: Path) -> None:
    wanted = ["uptrends_studio.cli", *CORE_MODULES]
    result = _run(["-c", _PROBE, json.dumps(wanted)], tmp_path, _environment())
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert set(wanted) <= loaded
    assert sorted(name for name in loaded if name.startswith(FORBIDDEN)) == []


def test_cli_renders_without_qt(tmp_path: Path) -> None:
    shadow = tmp_path / "no-qt" / "PySide6"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        'raise ImportError("PySide6 is not available in this test")\n', encoding="utf-8"
    )
    env = _environment(PYTHONPATH=str(shadow.parent))
    blocked = _run(["-c", "import PySide6"], tmp_path, env)
    assert "PySide6 is not available in this test" in blocked.stderr

    result = _run(["-m", "uptrends_studio", "render", "demo", "--type", "ok"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^### Ok: step 1 ", result.stdout, re.MULTILINE), result.stdout
    assert re.search(r"^POST \S", result.stdout, re.MULTILINE), result.stdout


def test_the_launcher_imports_neither_front_end_until_asked(tmp_path: Path) -> None:
    # The console script's module: choosing between window and subcommand loads neither.
    result = _run(
        ["-c", _PROBE, json.dumps(["uptrends_studio.launcher"])], tmp_path, _environment()
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert "uptrends_studio.launcher" in loaded
    assert sorted(n for n in loaded if n.startswith((*FORBIDDEN, "uptrends_studio.cli"))) == []
