"""``send`` refuses a URL it cannot send in one line, exit 2, before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import run_studio
from uptrends_studio.paths import resource_path


def demo_with_url(folder: Path, url: str) -> str:
    document = json.loads(resource_path("demo.integration.json").read_text(encoding="utf-8"))
    document["variables"][0]["value"] = url  # ApiUrl, the URL of the demo's step
    (folder / "url.integration.json").write_text(json.dumps(document), encoding="utf-8")
    return "url.integration.json"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1", "the URL 'http://[::1' cannot be read (Invalid IPv6 URL)"),
        ("http://a..b/", "the host 'a..b' of the URL 'http://a..b/' has an empty or too long part"),
        ("http://127.0.0.1:70000/", "has a port outside 1-65535"),
        ("ftp://127.0.0.1/", "the URL scheme 'ftp' cannot be sent"),
    ],
)
def test_an_unusable_url_is_one_line_and_exit_2(tmp_path: Path, url: str, reason: str) -> None:
    name = demo_with_url(tmp_path, url)
    result = run_studio(tmp_path, "send", name, "--no-history")  # a real process
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("uptrends-studio send: step 1 'Send alert' (Error): the ")
    assert reason in result.stderr
    assert result.stderr.endswith("; nothing was sent\n")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
