"""The Uptrends knowledge base's own examples, rendered and checked through the CLI.

One integration built from the KB's examples: predefined variables using automatic variables
(the automatic-variables page), encoding functions and nesting (message formatting), a custom
field (message content), a mapping function on a variable, and a JWT-encode function (the
user-defined-functions page). ``check`` must report nothing on it, and ``render`` must show the
evaluated values.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jwt

from tests.support import run_studio as run

SECRET = "an-hs256-signing-secret-of-32-bytes+"
GUID = re.compile(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}")


def kb_integration(folder: Path, body: str) -> str:
    document: dict[str, Any] = {
        "format": "uptrends-studio.integration",
        "version": 1,
        "name": "KB examples",
        "variables": [
            {
                "name": "ApiUrl",
                "value": "https://example.com/hook?company={{@UrlEncode({{CompanyName}})}}",
            },
            {"name": "CompanyName", "value": "Ben & Jerry's"},
            {"name": "SearchDate", "value": "{{@DateTime(dd-MM-yyyy)}}"},
            {"name": "UniqueEmail", "value": "{{@RandomGuid}}@mycompany.com"},
            {"name": "Claims", "value": '{"sub":"{{@alert.alertGuid}}","iat":{{@DateTime(UNIX)}}}'},
        ],
        "steps": [
            {
                "name": "Main",
                "method": "POST",
                "url": "{{ApiUrl}}",
                "headers": [
                    {"name": "Content-Type", "value": "application/json"},
                    {"name": "Authorization", "value": "Bearer {{token({{Claims}})}}"},
                ],
                "body": body,
            }
        ],
        "functions": [
            {
                "name": "errorMapping",
                "type": "mapping",
                "mapping": [
                    {"from": "Alert", "to": "critical"},
                    {"from": "Reminder", "to": "critical"},
                    {"from": "Ok", "to": "resolved"},
                ],
            },
            {"name": "token", "type": "jwt", "algorithm": "HS256", "key": SECRET},
        ],
    }
    (folder / "kb.integration.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
    return "kb.integration.json"


BODY = (
    '{\n  "Notes": "{{@JsonEncode({{@monitor.notes}})}}",\n'
    '  "date": "{{SearchDate}}",\n  "email": "{{UniqueEmail}}",\n'
    '  "again": "{{UniqueEmail}}",\n'
    '  "severity": "{{errorMapping({{@alert.type}})}}",\n'
    '  "encoded": "{{@Base64Encode({{CompanyName}})}}"\n}'
)


def test_check_reports_nothing_on_the_kb_examples(tmp_path: Path) -> None:
    name = kb_integration(tmp_path, BODY)
    result = run(tmp_path, "check", name, "--strict", "--sample", "edge-cases")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == (
        "kb.integration.json: 0 errors, 0 warnings, 0 notes (sample: Edge cases)\n"
    )


def test_render_evaluates_variables_once_per_message_and_signs_the_jwt(tmp_path: Path) -> None:
    name = kb_integration(tmp_path, BODY)
    result = run(tmp_path, "render", name, "--format", "json", "--reveal")
    assert result.returncode == 0, result.stderr
    request = json.loads(result.stdout)[0]
    assert request["url"] == "https://example.com/hook?company=Ben+%26+Jerry's"
    body = json.loads(request["body"])
    assert re.fullmatch(r"\d\d-\d\d-\d{4}", body["date"])
    assert GUID.fullmatch(body["email"].removesuffix("@mycompany.com"))
    assert body["again"] == body["email"]
    assert body["severity"] == "critical"
    token = dict(request["headers"])["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert set(claims) == {"sub", "iat"}


def test_the_dutch_kb_spacing_is_a_warning_with_the_unspaced_token(tmp_path: Path) -> None:
    name = kb_integration(tmp_path, '{"time": "{{@ alert.timestamp}}", "c": "{{@CustomField ()}}"}')
    result = run(tmp_path, "check", name)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "[whitespace-in-token]" in line]
    assert [line.split(": ", 2)[1] for line in lines] == ["warning", "warning"]
    assert "(without it: {{@alert.timestamp}}) [whitespace-in-token]" in lines[0]
    assert "(without it: {{@CustomField()}}) [whitespace-in-token]" in lines[1]


def test_an_unencoded_description_gets_a_complete_message(tmp_path: Path) -> None:
    name = kb_integration(tmp_path, '{"d": "{{@alert.description}}"}')
    result = run(tmp_path, "check", name, "--sample", "edge-cases")
    assert result.returncode == 1
    invalid = [line for line in result.stdout.splitlines() if "[invalid-json]" in line]
    assert len(invalid) == 1
    assert invalid[0].startswith("kb.integration.json:steps[0].body:1:8: error: the rendered body")
    assert "which contains" in invalid[0]
    assert "wrap it in @JsonEncode" in invalid[0]
