"""``uptrends-studio send`` and ``export``, run in process against a real receiver."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.http_server import serve
from tests.proxy_server import logging_proxy
from tests.support import free_port, run_cli, run_studio
from uptrends_studio.core.delivery.receiver import Receiver, ReceiverResponse
from uptrends_studio.core.secrets import MASK
from uptrends_studio.paths import resource_path

SECRET = "s3cret-api-key-77"
TOKEN = "tok-abc123xyz"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def environment(home: Path) -> dict[str, str]:
    """A clean environment: no proxy, and the history in a temporary data folder."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES}
    env.update(
        PYTHONIOENCODING="utf-8",
        UPTRENDS_STUDIO_DATA_DIR=str(home / "data"),
        XDG_DATA_HOME=str(home / "data"),
        HOME=str(home),
        APPDATA=str(home / "appdata"),
        LOCALAPPDATA=str(home / "appdata"),
    )
    return env


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(cwd, *args, env=environment(cwd))


def history_files(home: Path) -> list[Path]:
    return [p for p in (home / "data").rglob("*.json") if "history" in p.parts]


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def demo_document(api_url: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        resource_path("demo.integration.json").read_text(encoding="utf-8")
    )
    document["variables"][0]["value"] = api_url
    return document


def write(folder: Path, document: dict[str, Any], name: str = "hook") -> str:
    file_name = f"{name}.integration.json"
    (folder / file_name).write_text(json.dumps(document, indent=2), encoding="utf-8")
    return file_name


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as started:
        yield started


@pytest.fixture
def demo_file(tmp_path: Path, receiver: Receiver) -> str:
    return write(tmp_path, demo_document(receiver.url + "alerts"))


def secret_document(api_url: str) -> dict[str, Any]:
    return {
        "format": "uptrends-studio.integration",
        "version": 1,
        "name": "Secretive",
        "variables": [
            {"name": "ApiUrl", "value": api_url},
            {"name": "Key", "value": SECRET, "secret": True},
        ],
        "steps": [
            {
                "name": "Post",
                "method": "POST",
                "url": "{{ApiUrl}}",
                "headers": [
                    {"name": "Content-Type", "value": "application/json"},
                    {"name": "X-Api-Key", "value": "{{Key}}"},
                ],
                "body": '{"type": "{{@alert.type}}", "key": "{{Key}}"}',
            }
        ],
    }


# -- send ----------------------------------------------------------------------------------------


def test_send_delivers_and_prints_the_exchange(
    tmp_path: Path, receiver: Receiver, demo_file: str
) -> None:
    result = run(tmp_path, "send", demo_file, "--type", "error", "--no-history")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    [capture] = receiver.captures()
    assert (capture.method, capture.path) == ("POST", "/alerts")
    assert json.loads(capture.text)["alert"]["type"] == "Alert"
    out = result.stdout
    assert "### Error: step 1 'Send alert'" in out
    assert f"> POST {receiver.url}alerts" in out
    assert "> Content-Type: application/json" in out
    assert '"incident": {' in out  # the request body
    assert "< 200 OK" in out
    assert '{"received": true}' in out
    assert "== Error: delivered" in out
    assert not history_files(tmp_path)  # --no-history stored nothing


def test_send_to_receiver_reroutes_a_customers_url_without_changing_the_file(
    tmp_path: Path, receiver: Receiver
) -> None:
    path = write(tmp_path, demo_document("https://hooks.customer.example/v2/alerts?x=1"))
    before = (tmp_path / path).read_text(encoding="utf-8")
    port = receiver.url.rstrip("/").rsplit(":", 1)[1]
    result = run(tmp_path, "send", path, "--to-receiver", port, "--no-history")
    assert result.returncode == 0, result.stderr
    [capture] = receiver.captures()
    assert capture.path == "/v2/alerts"  # the receiver shows the query apart
    assert f"# Sent to the local receiver on port {port} instead of" in result.stdout
    assert f"> POST http://127.0.0.1:{port}/v2/alerts?x=1" in result.stdout
    assert (tmp_path / path).read_text(encoding="utf-8") == before


def test_send_to_receiver_refuses_a_bad_port(tmp_path: Path, demo_file: str) -> None:
    result = run(tmp_path, "send", demo_file, "--to-receiver", "99999", "--no-history")
    assert result.returncode == 2
    assert "--to-receiver 99999: a port is 1 to 65535" in result.stderr


def test_a_500_answer_exits_1_with_the_reason(
    tmp_path: Path, receiver: Receiver, demo_file: str
) -> None:
    receiver.set_response(ReceiverResponse(status=500, body="database down"))
    result = run(tmp_path, "send", demo_file, "--no-history")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line == (
        "uptrends-studio send: step 1 ('Send alert') answered 500 Internal Server Error"
    )
    assert "< 500 Internal Server Error" in result.stdout
    assert "database down" in result.stdout


def test_a_failing_lifecycle_stops_and_names_the_message(
    tmp_path: Path, receiver: Receiver, demo_file: str
) -> None:
    receiver.set_response(ReceiverResponse(status=503, body="maintenance"))
    result = run(tmp_path, "send", demo_file, "--type", "lifecycle", "--no-history")
    assert result.returncode == 1
    assert len(receiver.captures()) == 1  # a target that did not open the incident cannot close it
    assert one_line(result.stderr) == (
        "uptrends-studio send: Error: step 1 ('Send alert') answered 503 Service Unavailable"
    )


def test_terminal_control_characters_in_an_answer_are_shown_escaped(
    tmp_path: Path, receiver: Receiver, demo_file: str
) -> None:
    receiver.set_response(ReceiverResponse(status=200, body="\x1b[2J\x1b[31mred"))
    result = run(tmp_path, "send", demo_file, "--no-history")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "\\x1b[2J\\x1b[31mred" in result.stdout


def test_dry_run_sends_nothing(tmp_path: Path, receiver: Receiver, demo_file: str) -> None:
    result = run(tmp_path, "send", demo_file, "--type", "lifecycle", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert receiver.captures() == []
    assert result.stdout.startswith("# dry run: nothing is sent\n")
    assert result.stdout.count(f"POST {receiver.url}alerts") == 3
    assert not history_files(tmp_path)


@pytest.mark.parametrize("reminders", [1, 2])
def test_lifecycle_sends_every_message_with_one_incident_key(
    tmp_path: Path, receiver: Receiver, demo_file: str, reminders: int
) -> None:
    result = run(
        tmp_path, "send", demo_file, "--type", "lifecycle", "--reminders", str(reminders),
        "--no-history",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    bodies = [json.loads(c.text) for c in receiver.captures()]
    assert [b["alert"]["type"] for b in bodies] == ["Alert", *["Reminder"] * reminders, "Ok"]
    keys = {b["incident"]["key"] for b in bodies}
    assert len(keys) == 1
    assert keys.pop()
    assert "== incident key: the same incident key is in incident.key of every message" in (
        result.stdout
    )
    if reminders == 2:
        assert "### Reminder 2: step 1 'Send alert'" in result.stdout
        assert "== Reminder 2: delivered" in result.stdout
    assert "== Ok: delivered" in result.stdout


def test_nothing_listening_exits_1(tmp_path: Path) -> None:
    port = free_port()
    file_name = write(tmp_path, demo_document(f"http://127.0.0.1:{port}/alerts"))
    result = run(tmp_path, "send", file_name, "--timeout", "5", "--no-history")
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert f"nothing is listening on 127.0.0.1:{port}" in line


def test_secrets_are_masked_unless_revealed(tmp_path: Path, receiver: Receiver) -> None:
    file_name = write(tmp_path, secret_document(receiver.url + "hook"))
    masked = run(tmp_path, "send", file_name, "--no-history")
    assert masked.returncode == 0, masked.stderr
    [capture] = receiver.captures()
    assert capture.header("X-Api-Key") == SECRET  # the real value went out
    assert SECRET not in masked.stdout
    assert f"> X-Api-Key: {MASK}" in masked.stdout
    revealed = run(tmp_path, "send", file_name, "--no-history", "--reveal")
    assert f"> X-Api-Key: {SECRET}" in revealed.stdout
    dry = run(tmp_path, "send", file_name, "--dry-run")
    assert SECRET not in dry.stdout
    assert f"X-Api-Key: {MASK}" in dry.stdout


def test_a_token_from_a_helper_step_is_used_and_masked(tmp_path: Path, receiver: Receiver) -> None:
    receiver.set_response(ReceiverResponse(status=200, body=json.dumps({"token": TOKEN})))
    document = {
        "format": "uptrends-studio.integration",
        "version": 1,
        "name": "Token",
        "variables": [{"name": "ApiUrl", "value": receiver.url}],
        "steps": [
            {
                "name": "Get token",
                "alertTypes": [],
                "method": "POST",
                "url": "{{ApiUrl}}token",
                "responseVariables": [{"name": "token", "source": "jsonPath", "property": "token"}],
            },
            {
                "name": "Post",
                "method": "POST",
                "url": "{{ApiUrl}}hook",
                "headers": [{"name": "X-Token", "value": "{{token}}"}],
                "body": "{{@alert.type}}",
            },
        ],
    }
    result = run(tmp_path, "send", write(tmp_path, document), "--no-history")
    assert result.returncode == 0, result.stderr
    first, second = receiver.captures()
    assert (first.path, second.path) == ("/token", "/hook")
    assert second.header("X-Token") == TOKEN
    assert TOKEN not in result.stdout
    assert f"# {{{{token}}}} = {MASK}" in result.stdout
    assert "### Error: step 1 'Get token' (helper step)" in result.stdout


def test_the_run_is_stored_and_the_handover_shows_it(tmp_path: Path, receiver: Receiver) -> None:
    file_name = write(tmp_path, secret_document(receiver.url + "hook"))
    receiver.set_response(ReceiverResponse(status=201, body='{"id": "INC-4711"}'))
    result = run(tmp_path, "send", file_name, "--type", "ok")
    assert result.returncode == 0, result.stderr
    stored = history_files(tmp_path)
    assert len(stored) == 1
    assert SECRET not in stored[0].read_text(encoding="utf-8")
    sheet = run(tmp_path, "export", file_name, "--as", "html")
    assert sheet.returncode == 0, sheet.stderr
    results = sheet.stdout[sheet.stdout.index("Latest test results") :]
    assert "201 Created" in results
    assert "INC-4711" in results
    assert SECRET not in sheet.stdout


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--timeout", "soon"], "--timeout 'soon' is not a number"),
        (["--timeout", "0"], "--timeout '0' must be at least"),
        (["--type", "panic"], "unknown --type 'panic': use error, reminder, ok or lifecycle"),
        (["--type", "lifecycle", "--reminders", "-1"], "--reminders '-1' must be at least 0"),
        (["--proxy", "proxy-host"], "--proxy 'proxy-host' is not a proxy URL"),
        (["--ca-bundle", "missing.pem"], "--ca-bundle 'missing.pem': no such file"),
        (["--sample", "nope"], "no sample set 'nope'"),
    ],
)
def test_unusable_options_exit_2_with_one_line(
    tmp_path: Path, receiver: Receiver, demo_file: str, option: list[str], message: str
) -> None:
    result = run(tmp_path, "send", demo_file, *option)
    assert result.returncode == 2
    assert message in one_line(result.stderr)
    assert receiver.captures() == []


def test_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "broken.integration.json").write_text("{", encoding="utf-8")
    result = run(tmp_path, "send", "broken.integration.json")
    assert result.returncode == 2
    assert "broken.integration.json:1:2: not valid JSON" in one_line(result.stderr)


# -- export --------------------------------------------------------------------------------------


def test_export_curl_prints_each_step_with_a_comment(tmp_path: Path, demo_file: str) -> None:
    result = run(tmp_path, "export", demo_file, "--as", "curl", "--type", "ok")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# Step 1 'Send alert': sends the Ok message"
    assert "curl --request POST \\" in lines
    assert '"type": "Ok"' in result.stdout


@pytest.mark.parametrize("fmt", ["httpie", "powershell", "python"])
def test_export_other_snippet_languages(tmp_path: Path, demo_file: str, fmt: str) -> None:
    result = run(tmp_path, "export", demo_file, "--as", fmt)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Step 1 'Send alert': sends the Error message\n")
    assert "alerts" in result.stdout


def test_export_masks_secrets_unless_revealed(tmp_path: Path) -> None:
    file_name = write(tmp_path, secret_document("https://hooks.example.com/x"))
    for fmt in ("curl", "uptrends-checklist", "markdown", "html"):
        masked = run(tmp_path, "export", file_name, "--as", fmt)
        assert masked.returncode == 0, masked.stderr
        assert SECRET not in masked.stdout, fmt
        assert MASK in masked.stdout, fmt
    revealed = run(tmp_path, "export", file_name, "--as", "curl", "--reveal")
    assert f"X-Api-Key: {SECRET}" in revealed.stdout


def test_export_output_writes_the_file_and_prints_nothing(tmp_path: Path, demo_file: str) -> None:
    printed = run(tmp_path, "export", demo_file, "--as", "markdown")
    written = run(tmp_path, "export", demo_file, "--as", "markdown", "--output", "sheet.md")
    assert written.returncode == 0, written.stderr
    assert (written.stdout, written.stderr) == ("", "")
    text = (tmp_path / "sheet.md").read_text(encoding="utf-8")
    assert text.startswith("# Handover: Demo: Uptrends integration\n")
    # the same document, apart from the generation minute
    assert text.split("Generated")[0] == printed.stdout.split("Generated")[0]
    assert "```json\n{\n" in text


def test_export_checklist(tmp_path: Path, demo_file: str) -> None:
    result = run(tmp_path, "export", demo_file, "--as", "uptrends-checklist")
    assert result.returncode == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line[:1].isdigit()]
    assert headings == [
        "1. Main tab",
        "2. Predefined variables",
        "3. Customizations: step 1 'Send alert'",
        "4. User-defined functions",
        "5. Escalation levels",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as", "pdf"], "--as 'pdf' is not one of curl, httpie, powershell, python"),
        (["--as", "curl", "--type", "sometimes"], "--type: unknown alert type 'sometimes'"),
        (["--as", "html", "--output", "no/such/folder/x.html"], "cannot write no/such/folder"),
    ],
)
def test_export_errors_exit_2_with_one_line(
    tmp_path: Path, demo_file: str, args: list[str], message: str
) -> None:
    result = run(tmp_path, "export", demo_file, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert message in one_line(result.stderr)


def test_export_of_a_type_no_step_sends(tmp_path: Path) -> None:
    document = secret_document("https://hooks.example.com/x")
    document["steps"][0]["alertTypes"] = ["Error"]
    result = run(tmp_path, "export", write(tmp_path, document), "--as", "curl", "--type", "ok")
    assert result.returncode == 2
    assert "no step has Ok ticked" in one_line(result.stderr)


# -- proxy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "through"),
    [([], True), (["--proxy", "system"], True), (["--proxy", "none"], False)],
)
def test_send_honours_the_proxy_choice_over_http_proxy(
    tmp_path: Path, receiver: Receiver, demo_file: str, option: list[str], through: bool
) -> None:
    with logging_proxy() as proxy:
        env = {**environment(tmp_path), "HTTP_PROXY": proxy.url, "http_proxy": proxy.url}
        result = run_studio(tmp_path, "send", demo_file, *option, env=env)
        assert result.returncode == 0, result.stderr
        assert (proxy.urls == [receiver.url + "alerts"]) is through
        assert len(receiver.captures()) == 1


def test_send_through_an_explicit_proxy_with_credentials(
    tmp_path: Path, receiver: Receiver, demo_file: str
) -> None:
    with logging_proxy(credentials="squid:pr0xy-pass") as proxy:
        url = proxy.url.replace("http://", "http://squid:pr0xy-pass@")
        result = run(tmp_path, "send", demo_file, "--proxy", url)
        assert result.returncode == 0, result.stderr
        [(method, target, authorization)] = proxy.seen
        assert (method, target) == ("POST", receiver.url + "alerts")
        assert authorization.startswith("Basic ")
    assert "pr0xy-pass" not in result.stdout


# -- redirects -----------------------------------------------------------------------------------


@pytest.mark.parametrize("trusted", [False, True])
def test_a_redirect_to_another_host_leaves_the_secrets_behind_unless_trusted(
    tmp_path: Path, trusted: bool
) -> None:
    with serve() as first, serve() as other:
        target = quote(f"{other.url}/echo", safe="")
        file_name = write(
            tmp_path, secret_document(f"{first.url}/redirect-to?status=307&url={target}")
        )
        result = run(tmp_path, "send", file_name, *(["--location-trusted"] if trusted else []))
        assert result.returncode == 0, result.stderr
        [after] = [dict(r["headers"]) for r in other.recorded.requests]  # type: ignore[call-overload]
    assert ("X-Api-Key" in after) is trusted
    assert f"# via 307 {first.url}/redirect-to" in result.stdout
    if trusted:
        assert f"#   credentials sent on to {other.url}" in result.stdout
    else:
        assert (
            f"#   not sent on to {other.url} (another scheme, host or port): X-Api-Key, the body"
            in result.stdout
        )
    assert SECRET not in result.stdout
