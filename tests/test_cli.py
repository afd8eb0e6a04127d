"""End-to-end tests of the ``uptrends-studio`` command.

Most run ``cli.main`` in this process (``run_cli``: same exit code and output, no interpreter start
per call); the tests at the end run the installed console script itself.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support import run_cli as run
from tests.support import run_studio
from uptrends_studio import __version__

V1_FILE = Path(__file__).resolve().parent / "data" / "v1.integration.json"
BUILTIN_STEMS = ["dns", "edge-cases", "https", "multistep-api", "ssl-certificate", "transaction"]


def render_json(cwd: Path, *args: str) -> list[dict[str, Any]]:
    result = run(cwd, "render", *args, "--format", "json")
    assert result.returncode == 0, result.stderr
    requests: list[dict[str, Any]] = json.loads(result.stdout)
    return requests


def write_integration(folder: Path, name: str, steps: list[dict[str, Any]], **extra: Any) -> str:
    document = {
        "format": "uptrends-studio.integration",
        "version": 1,
        "name": "CLI test",
        "variables": [{"name": "ApiUrl", "value": "https://example.com/hook"}],
        "steps": steps,
        **extra,
    }
    file_name = f"{name}.integration.json"
    (folder / file_name).write_text(json.dumps(document, indent=2), encoding="utf-8")
    return file_name


def json_step(url: str, body: str, types: list[str] | None = None) -> dict[str, Any]:
    return {
        "name": "Main",
        "alertTypes": ["Error", "Reminder", "Ok"] if types is None else types,
        "method": "POST",
        "url": url,
        "headers": [{"name": "Content-Type", "value": "application/json"}],
        "body": body,
    }


def assert_one_clean_error_line(result: subprocess.CompletedProcess[str], *parts: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for part in parts:
        assert part in lines[0]


# -- general -------------------------------------------------------------------------------------


def test_version(tmp_path: Path) -> None:
    result = run(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout == f"uptrends-studio {__version__}\n"


def test_samples_lists_the_built_in_sets(tmp_path: Path) -> None:
    result = run(tmp_path, "samples")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == BUILTIN_STEMS
    assert lines[1].startswith("edge-cases       Edge cases: Multi-step API alert set")
    assert lines[2].startswith("https            HTTPS monitor: HTTPS monitor on")


# -- render --------------------------------------------------------------------------------------


def test_render_demo_ok_as_json(tmp_path: Path) -> None:
    (request,) = render_json(tmp_path, "demo", "--type", "ok")
    assert request["step"] == "Send alert"
    assert request["alertType"] == "Ok"
    assert request["method"] == "POST"
    assert request["url"] == "http://127.0.0.1:8787/alerts"
    assert request["headers"] == [["Content-Type", "application/json"]]
    body = json.loads(request["body"])
    assert body["alert"]["type"] == "Ok"
    assert body["routing"]["severity"] == "resolved"
    assert body["alert"]["downtimeDuration"] == "00:52:28"
    assert body["incident"]["key"] == "d4e8b2a7-1f3c-4a6e-9b05-7c2e8f1a3d96-0-31475220918"


@pytest.mark.parametrize(
    ("alert_type", "token", "severity"),
    [
        ("error", "Alert", "critical"),
        ("Reminder", "Reminder", "critical"),
        ("OK", "Ok", "resolved"),
    ],
)
def test_render_demo_each_type(tmp_path: Path, alert_type: str, token: str, severity: str) -> None:
    (request,) = render_json(tmp_path, "demo", "-t", alert_type)
    body = json.loads(request["body"])
    assert body["alert"]["type"] == token
    assert body["routing"]["severity"] == severity


def test_render_demo_as_text(tmp_path: Path) -> None:
    result = run(tmp_path, "render", "demo")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "### Error: step 1 'Send alert'",
        "POST http://127.0.0.1:8787/alerts",
        "Content-Type: application/json",
        "",
    ]
    body = json.loads("\n".join(lines[4:]))
    assert body["alert"]["type"] == "Alert"
    assert body["alert"]["downtimeDuration"] == ""
    assert result.stderr == ""


@pytest.mark.parametrize("alert_type", ["error", "reminder", "ok"])
def test_render_edge_cases_body_is_still_json(tmp_path: Path, alert_type: str) -> None:
    (request,) = render_json(tmp_path, "demo", "--sample", "edge-cases", "--type", alert_type)
    body = json.loads(request["body"])
    assert body["alert"]["checkpointName"] in ("São Paulo, Brazil", "Tokyo, Japan")
    if alert_type == "ok":
        assert body["alert"]["downtimeDuration"] == "48:41:37"
    else:
        description = body["alert"]["description"]
        assert description.startswith("Step 3 (https://api.galacticresorts.com/v1/bookings")
        assert '"Café \\"Zürich\\""' in description
        assert description.endswith("🚨 }} {{@alert.type}}")
        assert len(body["alert"]["responseBody"]) == 1_048_576


def test_render_all_types_as_text(tmp_path: Path) -> None:
    result = run(tmp_path, "render", "demo", "--type", "all")
    assert result.returncode == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("###")]
    assert headings == [
        "### Error: step 1 'Send alert'",
        "### Reminder: step 1 'Send alert'",
        "### Ok: step 1 'Send alert'",
    ]


def test_render_helper_steps_and_hidden_passwords(tmp_path: Path) -> None:
    result = run(tmp_path, "render", str(V1_FILE), "--type", "reminder")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "### Reminder: step 1 'Get token' (helper step)\n" in out
    assert "# authentication: Basic, user demo, password ••••••\n" in out
    assert (
        "### Reminder: step 2 'Open incident'\nPUT https://hooks.example.com/v1/incidents/" in out
    )
    assert "X-Api-Key: ••••••\n" in out  # a secret variable is masked unless --reveal
    assert "s3cr3t" not in out
    assert "demo-secret" not in out  # the vault password is never printed
    revealed = run(tmp_path, "render", str(V1_FILE), "--type", "reminder", "--reveal").stdout
    assert "X-Api-Key: s3cr3t-ключ\n" in revealed


def test_render_json_lists_helpers_first(tmp_path: Path) -> None:
    requests = render_json(tmp_path, str(V1_FILE), "--type", "ok", "--sample", "https")
    assert [(r["step"], r["method"]) for r in requests] == [
        ("Get token", "POST"),
        ("Ping audit log", "DELETE"),
        ("Health check", "GET"),
        ("Resolve incident", "PATCH"),
    ]
    assert {r["alertType"] for r in requests} == {"Ok"}
    assert requests[0]["body"] == "grant_type=client_credentials&client_id=demo"
    assert requests[1]["url"] == "https://audit.example.com/ping?id=6b0d4f2e&team=web-ops"
    assert requests[3]["body"] == "Resolved after 00:52:28 🎉"


def test_render_with_a_sample_file(tmp_path: Path) -> None:
    sample = {
        "format": "uptrends-studio.sample",
        "version": 1,
        "name": "Amsterdam",
        "values": {
            "@alert.timestampUtc": "2025-07-04T09:15:00",
            "@alert.firstErrorUtc": "2025-07-02T09:11:39",
            "@monitor.name": "Shop",
        },
        "timezone": "Europe/Amsterdam",
        "culture": "nl-NL",
    }
    (tmp_path / "ams.sample.json").write_text(json.dumps(sample), encoding="utf-8")
    body = (
        '{"t": "{{@alert.timestampFormatted}}", "d": "{{@alert.downtimeDuration}}",'
        ' "m": "{{@monitor.name}}"}'
    )
    name = write_integration(tmp_path, "one", [json_step("{{ApiUrl}}", body)])
    (request,) = render_json(tmp_path, name, "--type", "ok", "--sample", "ams.sample.json")
    assert json.loads(request["body"]) == {"t": "4-7-2025 11:15", "d": "48:03:21", "m": "Shop"}


def test_render_a_type_no_step_sends(tmp_path: Path) -> None:
    name = write_integration(tmp_path, "err", [json_step("{{ApiUrl}}", "{}", ["Error"])])
    result = run(tmp_path, "render", name, "--type", "ok")
    assert result.returncode == 0
    assert result.stdout == "### Ok: no step has Ok ticked; nothing is sent\n\n"
    assert render_json(tmp_path, name, "--type", "ok") == []


def test_render_unknown_type_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "render", "demo", "--type", "bogus")
    assert_one_clean_error_line(result, "unknown alert type 'bogus'", "Error, Reminder or Ok")


def test_render_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "render", "demo", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice: 'xml'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_sample_lists_the_built_in_names(tmp_path: Path) -> None:
    result = run(tmp_path, "render", "demo", "--sample", "nope")
    assert_one_clean_error_line(
        result, "no sample set 'nope'", "one of " + ", ".join(BUILTIN_STEMS)
    )


def test_broken_sample_file_names_file_and_field(tmp_path: Path) -> None:
    sample = {"format": "uptrends-studio.sample", "version": 1, "name": "x", "timezone": "Mars"}
    (tmp_path / "mars.sample.json").write_text(json.dumps(sample), encoding="utf-8")
    result = run(tmp_path, "check", "demo", "--sample", "mars.sample.json")
    assert_one_clean_error_line(
        result, "mars.sample.json: field /timezone: unknown time zone 'Mars'"
    )


# -- check ---------------------------------------------------------------------------------------

BROKEN_BODY = '{\n  "a": 1,\n  "b": "{{Nope}}"\n}'


def write_broken(folder: Path) -> str:
    return write_integration(
        folder,
        "broken",
        [
            json_step("{{apiurl}}", BROKEN_BODY),
            {"name": "Second", "alertTypes": ["Error"], "url": "{{ApiUrl}}"},
        ],
    )


def test_check_reports_exact_lines_and_fails(tmp_path: Path) -> None:
    name = write_broken(tmp_path)
    result = run(tmp_path, "check", name)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "broken.integration.json:steps[0].url:1:3: warning: predefined variable is spelled "
        "'ApiUrl', not 'apiurl'; Uptrends may not treat names case-insensitively "
        "[case-mismatch]",
        "broken.integration.json:steps[0].body:3:11: error: unknown predefined variable 'Nope'; "
        "it is sent as written [unknown-variable]",
        "broken.integration.json:steps[1].alertTypes:1:1: error: Error is ticked on step 1 "
        "('Main') and step 2 ('Second'); Uptrends allows it on one step only "
        "[type-ticked-twice]",
    ]
    assert result.stderr == (
        "broken.integration.json: 2 errors, 1 warning, 0 notes (sample: HTTPS monitor)\n"
    )


def test_check_did_you_mean(tmp_path: Path) -> None:
    name = write_integration(
        tmp_path, "typo", [json_step("{{ApiUrl}}", '{"m": "{{@monitor.nmae}}"}')]
    )
    result = run(tmp_path, "check", name)
    assert result.returncode == 1
    assert result.stdout == (
        "typo.integration.json:steps[0].body:1:10: error: unknown system variable "
        "'@monitor.nmae'; it is sent as written (did you mean '@monitor.name'?) "
        "[unknown-variable]\n"
    )


def test_check_warnings_pass_unless_strict(tmp_path: Path) -> None:
    name = write_integration(
        tmp_path, "warn", [json_step("{{apiurl}}", '{"t": "{{@alert.type}}"}')]
    )
    relaxed = run(tmp_path, "check", name)
    strict = run(tmp_path, "check", "--strict", name)
    assert relaxed.returncode == 0
    assert strict.returncode == 1
    expected = (
        "warn.integration.json:steps[0].url:1:3: warning: predefined variable is spelled "
        "'ApiUrl', not 'apiurl'; Uptrends may not treat names case-insensitively "
        "[case-mismatch]\n"
    )
    assert relaxed.stdout == strict.stdout == expected


def test_check_notes_do_not_fail_even_when_strict(tmp_path: Path) -> None:
    name = write_integration(
        tmp_path, "err", [json_step("{{ApiUrl}}", '{"t": "{{@alert.type}}"}', ["Error"])]
    )
    result = run(tmp_path, "check", "--strict", name)
    assert result.returncode == 0
    # Compared as a set: the order of these two notes (by code, Ok before Reminder) is incidental.
    assert set(result.stdout.splitlines()) == {
        "err.integration.json:steps:1:1: note: no step has Ok ticked: Ok messages are not sent "
        "[no-ok-step]",
        "err.integration.json:steps:1:1: note: no step has Reminder ticked: Reminder messages "
        "are not sent [no-reminder-step]",
    }


@pytest.mark.parametrize("target", ["demo", str(V1_FILE)])
def test_check_clean_integration_exits_zero(tmp_path: Path, target: str) -> None:
    result = run(tmp_path, "check", "--strict", target)
    assert result.returncode == 0
    assert result.stdout == ""
    assert "0 errors, 0 warnings, 0 notes (sample: HTTPS monitor)" in result.stderr


def test_check_with_another_sample_names_it(tmp_path: Path) -> None:
    result = run(tmp_path, "check", "demo", "--sample", "transaction")
    assert result.returncode == 0
    assert result.stderr == "demo: 0 errors, 0 warnings, 0 notes (sample: Transaction monitor)\n"


MALFORMED: list[tuple[str, str, str]] = [
    # (id, file content, expected part of the one stderr line after the file name)
    (
        "bad-method",
        '{"format": "uptrends-studio.integration", "version": 1, "name": "x",'
        ' "steps": [{"method": "FETCH"}]}',
        ": field /steps/0/method: 'FETCH' is not one of GET, POST",
    ),
    (
        "unknown-field",
        '{"format": "uptrends-studio.integration", "version": 1, "name": "x",'
        ' "steps": [{"alerttypes": []}]}',
        ": field /steps/0/alerttypes: unknown field (did you mean 'alertTypes'?)",
    ),
    (
        "future-version",
        '{"format": "uptrends-studio.integration", "version": 9, "name": "x"}',
        ": field /version: version 9 was written by a newer Uptrends Studio",
    ),
    (
        "not-json",
        '{\n  "format": \n',
        ":3:1: not valid JSON: a value (string, number, object, array, true, false or null) "
        "was expected",
    ),
]


@pytest.mark.parametrize("command", ["check", "render"])
@pytest.mark.parametrize(
    ("content", "expected"), [pytest.param(c, e, id=case) for case, c, e in MALFORMED]
)
def test_malformed_file_exits_2_with_one_line(
    tmp_path: Path, command: str, content: str, expected: str
) -> None:
    (tmp_path / "bad.integration.json").write_text(content, encoding="utf-8")
    result = run(tmp_path, command, "bad.integration.json")
    assert_one_clean_error_line(
        result, f"uptrends-studio {command}: bad.integration.json{expected}"
    )


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path, "check", "gone.integration.json")
    assert_one_clean_error_line(
        result, "uptrends-studio check: gone.integration.json: file not found"
    )


def test_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "dir.integration.json").mkdir()
    result = run(tmp_path, "render", "dir.integration.json")
    assert_one_clean_error_line(result, "dir.integration.json: is a folder, not a file")


def test_invalid_utf8_exits_2(tmp_path: Path) -> None:
    (tmp_path / "latin.integration.json").write_bytes(b'{"name": "Caf\xe9"}')
    result = run(tmp_path, "check", "latin.integration.json")
    assert_one_clean_error_line(result, "latin.integration.json:1:14: not valid UTF-8 (byte 0xe9)")


def test_check_without_a_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "check")
    assert result.returncode == 2
    assert "the following arguments are required: file" in result.stderr
    assert "Traceback" not in result.stderr


# -- the installed console script and what opens the window ----------------------------------

COMMANDS = ("render", "check", "samples", "receive", "send", "export")


def test_an_unknown_command_lists_the_commands_and_opens_no_window(tmp_path: Path) -> None:
    result = run(tmp_path, "some-unknown-word")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "invalid choice: 'some-unknown-word'" in result.stderr
    for command in COMMANDS:
        assert f"'{command}'" in result.stderr  # the list comes from the parser itself


def test_a_missing_file_is_named_instead_of_opening_the_window(tmp_path: Path) -> None:
    result = run(tmp_path, "customer.integration.json")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "uptrends-studio: no such file: customer.integration.json\n"


def test_the_installed_console_script_runs_subcommands(tmp_path: Path) -> None:
    version = run_studio(tmp_path, "--version", script=True)
    assert (version.returncode, version.stdout) == (0, f"uptrends-studio {__version__}\n")
    unknown = run_studio(tmp_path, "rendr", "demo", script=True)
    assert unknown.returncode == 2
    assert "invalid choice: 'rendr'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    rendered = run_studio(tmp_path, "render", "demo", "--type", "ok", script=True)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout.startswith("### Ok: step 1 ")
