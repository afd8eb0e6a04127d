"""The README's two set-up commands are the ones CI runs and that work."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Start here")
    section = text[start : text.index("\n## ", start + 1)]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_starts_a_newcomer_with_exactly_two_commands_in_a_venv() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    for command in commands:
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert commands[0].endswith("&& .venv/bin/uptrends-studio")  # opens the Studio on the demo
    assert "'.[test]'" in commands[1]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()
