"""``check`` and ``render`` on integrations whose functions would run for minutes (real processes).

The render budget (2 s of regex, hash and JWT work per alert message) stops them with an
error at the call, and the memo of keys makes a deep HMAC chain linear.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.core.language.test_budget import EVIL, expected_chain, hmac_chain, integration
from tests.support import run_studio
from uptrends_studio.core.document import integration_file


def write(folder: Path, name: str, body: str, functions: tuple[object, ...]) -> str:
    document = integration(body, functions)  # type: ignore[arg-type]
    path = folder / f"{name}.integration.json"
    path.write_text(integration_file.dumps(document), encoding="utf-8")
    return path.name


def test_check_of_twenty_catastrophic_regex_calls_ends_within_the_budget(tmp_path: Path) -> None:
    body = "".join(f"[{{{{evil({'a' * 40}!{i})}}}}]" for i in range(20))
    name = write(tmp_path, "regex", body, (EVIL,))
    started = time.monotonic()
    result = run_studio(tmp_path, "check", name)
    elapsed = time.monotonic() - started
    assert elapsed < 30, elapsed  # before: 1 s per call and message, 60 s; each call alone: hours
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stdout.splitlines() if "[render-budget]" in line]
    assert len(lines) == 20
    assert lines[0].startswith(f"{name}:steps[0].body:1:2: error: evil: the pattern was still")
    assert "skipped: the render budget ran out earlier, at evil in steps[0].body" in lines[1]
    assert "20 errors" in result.stderr


def test_check_of_a_24_deep_hmac_chain_is_quick_and_a_tiny_budget_reports_it(
    tmp_path: Path,
) -> None:
    name = write(tmp_path, "chain", "{{h23(x)}}", hmac_chain(24))
    started = time.monotonic()
    result = run_studio(tmp_path, "check", name)
    assert time.monotonic() - started < 30  # before: 2**24 HMACs, minutes
    assert result.returncode == 0, result.stdout + result.stderr
    rendered = run_studio(tmp_path, "render", name, "--format", "json", "--reveal")
    assert expected_chain(24, "x") in rendered.stdout

    tiny = run_studio(tmp_path, "check", name, "--budget", "0")
    assert tiny.returncode == 1
    assert "[render-budget]" in tiny.stdout
    assert "h23: the render budget ran out before this call" in tiny.stdout


def test_a_bad_budget_is_one_line(tmp_path: Path) -> None:
    result = run_studio(tmp_path, "check", "demo", "--budget", "soon")
    assert result.returncode == 2
    assert result.stderr == "uptrends-studio check: --budget 'soon' is not a number\n"
