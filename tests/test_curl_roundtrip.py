"""An exported curl command and the Studio's own sender put the same request on the wire.

The step is exported with ``uptrends-studio export --as curl``, the text is run by the real
``curl`` (through ``bash -c``) against the built-in receiver, then the same integration is sent
with ``uptrends-studio send``. The receiver must capture the same request both times.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.support import required_program, run_cli
from uptrends_studio.core.delivery.receiver import CapturedRequest, Receiver

CURL = required_program("curl")
BASH = required_program("bash")
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")

HEADERS = [
    {"name": "Content-Type", "value": "application/json; charset=utf-8"},
    {"name": "X-Team", "value": "{{Team}}"},
    {"name": "X-Quoted", "value": 'it\'s "quoted" $HOME `uname` $(touch pwned-header)'},
    {"name": "X-Incident", "value": "{{@incident.key}}"},
]
BODY = (
    "{\n"
    '  "summary": "{{@JsonEncode({{@alert.description}})}}",\n'
    '  "monitor": "{{@JsonEncode({{@monitor.name}})}}",\n'
    '  "notes": "{{@JsonEncode({{@monitor.notes}})}}",\n'
    '  "shell": "$(touch pwned-body) `touch pwned-tick` it\'s; rm -rf nothing",\n'
    '  "unicode": "café ☕ ünïcödé",\n'
    '  "severity": "{{sev({{@alert.type}})}}"\n'
    "}"
)


def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
    env.update(PYTHONIOENCODING="utf-8", UPTRENDS_STUDIO_DATA_DIR=str(home / "data"))
    return env


def studio(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(cwd, *args, env=environment(cwd))


def integration_file(folder: Path, base_url: str) -> str:
    document = {
        "format": "uptrends-studio.integration",
        "version": 1,
        "name": "Round trip",
        "variables": [
            {"name": "ApiUrl", "value": base_url + "hooks/in?team=web&mode=a%20b"},
            {"name": "Team", "value": "web-ops"},
        ],
        "steps": [
            {
                "name": "Post alert",
                "alertTypes": ["Error", "Reminder", "Ok"],
                "method": "PUT",
                "url": "{{ApiUrl}}",
                "headers": HEADERS,
                "body": BODY,
                "authentication": {
                    "type": "Basic",
                    "username": "studio-bot",
                    "password": "pa55-word",
                },
            }
        ],
        "functions": [
            {
                "name": "sev",
                "type": "mapping",
                "mapping": [{"from": "Alert", "to": "critical"}, {"from": "Ok", "to": "info"}],
            }
        ],
    }
    path = folder / "roundtrip.integration.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path.name


def compared_headers(capture: CapturedRequest) -> dict[str, str | None]:
    names = [h["name"] for h in HEADERS] + ["Authorization"]
    return {name: capture.header(name) for name in names}


def test_curl_export_and_studio_send_capture_the_same_request(tmp_path: Path) -> None:
    with Receiver() as receiver:
        file_name = integration_file(tmp_path, receiver.url)
        exported = studio(tmp_path, "export", file_name, "--as", "curl", "--reveal")
        assert exported.returncode == 0, exported.stderr
        assert exported.stdout.startswith("# Step 1 'Post alert': sends the Error message\n")
        curl = subprocess.run(
            [BASH, "-c", exported.stdout],
            cwd=tmp_path,
            env={**environment(tmp_path), "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )
        assert curl.returncode == 0, curl.stderr
        assert json.loads(curl.stdout) == {"received": True}
        sent = studio(tmp_path, "send", file_name, "--type", "error", "--no-history")
        assert sent.returncode == 0, sent.stderr
        by_curl, by_studio = receiver.captures()

    assert (by_curl.header("User-Agent") or "").startswith("curl/")
    assert (by_studio.header("User-Agent") or "").startswith("UptrendsStudio/")
    assert by_curl.method == by_studio.method == "PUT"
    assert by_curl.target == by_studio.target == "/hooks/in?team=web&mode=a%20b"
    assert by_curl.body == by_studio.body
    body = json.loads(by_studio.text)
    assert body["unicode"] == "café ☕ ünïcödé"
    assert body["severity"] == "critical"
    assert compared_headers(by_curl) == compared_headers(by_studio)
    assert by_studio.header("X-Team") == "web-ops"
    assert by_studio.header("X-Quoted") == HEADERS[2]["value"]
    assert (by_studio.header("Authorization") or "").startswith("Basic ")
    # Nothing in the exported text ran as a command.
    assert not list(tmp_path.glob("pwned*"))
