"""The layers: core ← app ← gui / cli. The core, app and CLI never load Qt or the GUI.

The test process itself has Qt loaded (pytest-qt), so the load checks run in fresh
interpreters; the import direction between the packages is read from the source (an import
inside a function counts too).
"""

from __future__ import annotations

import ast
import json
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import uptrends_studio.app
import uptrends_studio.core

FORBIDDEN = ("PySide6", "shiboken6", "uptrends_studio.gui")
"""Module name prefixes the core, the app layer and the CLI must never load."""

CORE_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(uptrends_studio.core.__path__, "uptrends_studio.core.")
)
APP_MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(uptrends_studio.app.__path__, "uptrends_studio.app.")
)
PACKAGE = Path(uptrends_studio.core.__file__).resolve().parent.parent
LAYERS = {
    # package folder: module prefixes it may not import
    "core": (
        "PySide6",
        "shiboken6",
        "uptrends_studio.gui",
        "uptrends_studio.app",
        "uptrends_studio.cli",
    ),
    "app": ("PySide6", "shiboken6", "uptrends_studio.gui", "uptrends_studio.cli"),
}

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
    assert {
        "uptrends_studio.core.language.parser",
        "uptrends_studio.core.language.evaluator",
    } <= set(CORE_MODULES)
    assert {"uptrends_studio.app.test_run", "uptrends_studio.app.workspace"} <= set(APP_MODULES)


def _imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append(node.module)
    return found


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_each_layer_imports_only_the_layers_below(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files
    wrong = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in files
        for name in _imports(path)
        if name.startswith(LAYERS[layer])
    ]
    assert wrong == []


def test_the_front_ends_run_a_test_through_the_app_layer() -> None:
    """``send`` and the Test tab are thin clients: the run, masking and storing are the app's."""
    owned_by_the_app = {"run_alert", "run_lifecycle", "run_record", "exchange_record"}
    for front_end in (PACKAGE / "cli.py", PACKAGE / "gui" / "test_tab.py"):
        tree = ast.parse(front_end.read_text(encoding="utf-8"))
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        names = {
            alias.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for alias in n.names
        }
        assert "uptrends_studio.app.test_run" in modules, front_end
        assert names & owned_by_the_app == set(), front_end


def test_core_and_cli_import_no_qt(tmp_path: Path) -> None:
    wanted = ["uptrends_studio.cli", *CORE_MODULES, *APP_MODULES]
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


_RUN_CLI = """
import json, sys
from uptrends_studio.launcher import main
status = main(sys.argv[1:])
print("\\nMODULES " + json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""

HEAVY_FOR_RENDER = (
    "PySide6",
    "shiboken6",
    "requests",
    "urllib3",
    "http.server",
    "ssl",
    "jinja2",
    "jwt",
    "cryptography",
    "regex",
    "pygments",
    "keyring",
    "dotenv",
    "logging",
    "difflib",
    "uuid",
    "hashlib",
    "html",
    "xml",
    "uptrends_studio.core.delivery",
    "uptrends_studio.core.exports",
    "uptrends_studio.core.account",
)
"""What ``render`` and ``check`` never need: sending, receiving, Qt, export templates, the
keyring (the demo's values are in the file), and the modules only a rare path uses (logging a
keyring problem, a ``.env`` file, a "did you mean", a GUID, a hash, an XML body)."""

HEAVY_FOR_RENDER_ONLY = (
    "uptrends_studio.core.checks.integration",
    "uptrends_studio.core.checks.targets",
)
"""What ``check`` needs and ``render`` does not: the checks."""


@pytest.mark.parametrize(
    "command",
    [["render", "demo", "--type", "all"], ["check", "demo"]],
    ids=["render", "check"],
)
def test_render_and_check_load_nothing_of_sending_receiving_qt_or_jinja2(
    tmp_path: Path, command: list[str]
) -> None:
    """The CLI's everyday commands start fast: they import only what they use."""
    result = _run(["-c", _RUN_CLI, *command], tmp_path, _environment())
    assert result.returncode == 0, result.stderr
    output, _, probe = result.stdout.rpartition("\nMODULES ")
    report = json.loads(probe)
    assert report["status"] in (0, 1), output  # 1: check found problems
    if command[0] == "render":
        assert "POST http://127.0.0.1:8787/alerts" in output
    else:
        assert "demo: 0 errors" in result.stderr
    unwanted = HEAVY_FOR_RENDER + (HEAVY_FOR_RENDER_ONLY if command[0] == "render" else ())
    heavy = sorted(
        name
        for name in report["modules"]
        if any(name == prefix or name.startswith(prefix + ".") for prefix in unwanted)
    )
    assert heavy == []
