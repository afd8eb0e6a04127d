"""``uptrends-studio uptrends monitors|alerts|sample`` against the loopback API stand-in."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support import run_cli
from tests.uptrends_standin import (
    ERROR_DESCRIPTION,
    ERROR_ID,
    FILLER_INCIDENTS,
    HTTPS_GUID,
    HTTPS_NAME,
    INCIDENT_KEY,
    OK_ID,
    PASSWORD,
    REMINDER_ID,
    RESPONSE_BODY,
    USER,
    StandIn,
)


def env_for(standin: StandIn, password: str = PASSWORD) -> dict[str, str]:
    return {
        "UPTRENDS_API_URL": standin.url,
        "UPTRENDS_API_USERNAME": USER,
        "UPTRENDS_API_PASSWORD": password,
        "PATH": "/usr/bin:/bin",
        "UPTRENDS_STUDIO_DATA_DIR": "",
    }


def cli(
    tmp_path: Path, standin: StandIn, *args: str, password: str = PASSWORD
) -> subprocess.CompletedProcess[str]:
    env = env_for(standin, password)
    env["UPTRENDS_STUDIO_DATA_DIR"] = str(tmp_path / "data")
    return run_cli(tmp_path, "uptrends", *args, env=env)


def test_monitors_one_line_each(tmp_path: Path, standin: StandIn) -> None:
    result = cli(tmp_path, standin, "monitors")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[1].split(None, 2) == [HTTPS_GUID, "Https", HTTPS_NAME]


def test_alerts_over_two_pages_with_and_without_reminders(tmp_path: Path, standin: StandIn) -> None:
    result = cli(tmp_path, standin, "alerts", HTTPS_GUID, "--days", "60", "--reminders")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3 + 2 * FILLER_INCIDENTS
    ok, reminder, error = (line.split(None, 4) for line in lines[:3])
    assert [ok[0], ok[1], reminder[0], reminder[1], error[0], error[1]] == [
        OK_ID,
        "Ok",
        REMINDER_ID,
        "Reminder",
        ERROR_ID,
        "Error",
    ]
    assert error[3:] == [INCIDENT_KEY, ERROR_DESCRIPTION]
    default = cli(tmp_path, standin, "alerts", HTTPS_GUID, "--days", "1")
    assert [line.split()[0] for line in default.stdout.splitlines()] == [OK_ID, ERROR_ID]


def test_sample_writes_the_latest_error_then_renders_it(tmp_path: Path, standin: StandIn) -> None:
    out = tmp_path / "replay.sample.json"
    result = cli(tmp_path, standin, "sample", HTTPS_GUID, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}: {HTTPS_NAME}: Error ")
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["origin"]["alertId"] == ERROR_ID
    rendered = run_cli(tmp_path, "render", "demo", "--sample", str(out), "--format", "json")
    assert rendered.returncode == 0, rendered.stderr
    assert HTTPS_NAME in rendered.stdout
    assert INCIDENT_KEY in rendered.stdout


def test_sample_of_a_chosen_alert(tmp_path: Path, standin: StandIn) -> None:
    out = tmp_path / "ok.sample.json"
    result = cli(tmp_path, standin, "sample", HTTPS_GUID, "--alert", OK_ID, "-o", str(out))
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["values"]["@alert.responseBody"] == RESPONSE_BODY
    assert document["perType"]["Ok"]["@alert.alertGuid"] == OK_ID


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("alerts", "not-a-guid"), 2, "'not-a-guid' is not a monitor GUID"),
        (("alerts", HTTPS_GUID, "--days", "0"), 2, "--days must be at least 1"),
        (("alerts", HTTPS_GUID, "--days", "many"), 2, "invalid int value"),
        (("sample", HTTPS_GUID), 2, "the following arguments are required: --output/-o"),
        (("alerts", "12345678-1234-4234-8234-123456789012"), 1, "HTTP 404"),
        (("sample", HTTPS_GUID, "--alert", "x", "-o", "x.sample.json"), 2, "not a alert id"),
    ],
)
def test_bad_input_exits_2_and_refusals_1(
    tmp_path: Path, standin: StandIn, args: tuple[str, ...], code: int, message: str
) -> None:
    result = cli(tmp_path, standin, *args)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_password_exits_1_with_a_clear_message(tmp_path: Path, standin: StandIn) -> None:
    result = cli(tmp_path, standin, "monitors", password="Wrong-Pw-Zx81")
    assert result.returncode == 1
    assert result.stderr == (
        "uptrends-studio uptrends monitors: Uptrends refused the API credentials (HTTP 401): "
        "Invalid credentials; check the API account's username and password (an API account, "
        "not your Uptrends login)\n"
    )
    assert "Wrong-Pw-Zx81" not in result.stdout + result.stderr


def test_without_credentials_it_says_which_variables_to_set(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "uptrends", "monitors", env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "set UPTRENDS_API_USERNAME and UPTRENDS_API_PASSWORD" in result.stderr


@pytest.mark.parametrize("forced", [401, 403, 404, 429, 500, "redirect", "not-json"])
def test_api_refusals_exit_1(tmp_path: Path, standin: StandIn, forced: str | int) -> None:
    standin.account.force(forced)
    result = cli(tmp_path, standin, "monitors")
    assert result.returncode == 1
    assert result.stderr.startswith("uptrends-studio uptrends monitors: ")
    assert result.stderr.count("\n") == 1


def test_the_password_is_in_no_output_and_no_written_file(tmp_path: Path, standin: StandIn) -> None:
    outputs: list[str] = []
    runs = [
        ("monitors",),
        ("alerts", HTTPS_GUID, "--reminders", "--days", "60"),
        ("sample", HTTPS_GUID, "-o", str(tmp_path / "a.sample.json")),
        ("sample", HTTPS_GUID, "--alert", REMINDER_ID, "-o", str(tmp_path / "b.sample.json")),
    ]
    for args in runs:
        result = cli(tmp_path, standin, *args)
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr]
    for forced in (401, 429, 500, "redirect", "not-json"):
        standin.account.force(forced)
        result = cli(tmp_path, standin, "sample", HTTPS_GUID, "-o", str(tmp_path / "c.sample.json"))
        assert result.returncode == 1
        outputs += [result.stdout, result.stderr]
    wrong = cli(tmp_path, standin, "monitors", password=PASSWORD + "x")
    outputs += [wrong.stdout, wrong.stderr]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name == "a.sample.json" for p in written)
    for text in outputs:
        assert PASSWORD not in text
    for path in written:
        assert PASSWORD.encode() not in path.read_bytes(), path
    # and the credentials did travel: every request carried Basic auth to the stand-in only
    assert all(r["auth"].startswith("Basic ") for r in standin.account.requests)
