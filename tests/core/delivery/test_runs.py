"""Test runs against a real loopback server: step order, response variables, lifecycle."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from tests.http_server import LoopbackServer, serve
from uptrends_studio.core.delivery.runs import (
    json_path_value,
    run_alert,
    run_lifecycle,
    with_escalation_values,
)
from uptrends_studio.core.delivery.sending import ProxyMode, SendOptions
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    AlertType,
    Header,
    Integration,
    ResponseSource,
    ResponseVariable,
    Step,
    Variable,
    VariableMode,
)
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import Renderer

DIRECT = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE)
JSON = (Header("Content-Type", "application/json"),)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        yield running


def token_integration(base: str, token_path: str = "access_token") -> Integration:
    return Integration(
        name="Token pattern",
        variables=(Variable("ApiUrl", value=base),),
        steps=(
            Step(
                "Get token",
                alert_types=(),
                method="GET",
                url="{{ApiUrl}}/token",
                response_variables=(
                    ResponseVariable("token", ResponseSource.JSON_PATH, token_path),
                    ResponseVariable("ttl", ResponseSource.JSON_PATH, "$.meta.ttl"),
                    ResponseVariable("requestId", ResponseSource.HEADER, "x-request-id"),
                    ResponseVariable("tokenStatus", ResponseSource.STATUS_CODE),
                ),
            ),
            Step(
                "Send alert",
                alert_types=ALERT_TYPES,
                url="{{ApiUrl}}/needs-token",
                headers=(*JSON, Header("Authorization", "Bearer {{token}}")),
                body='{"ttl": {{ttl}}, "req": "{{requestId}}", "status": "{{tokenStatus}}"}',
            ),
        ),
    )


def test_response_variables_flow_from_the_helper_step_to_the_message_step(
    server: LoopbackServer, catalogue: Catalogue
) -> None:
    run = run_alert(
        token_integration(server.url),
        find_sample(None, catalogue),
        AlertType.ERROR,
        catalogue,
        DIRECT,
    )
    assert run.success, run.stopped
    assert [s.exchange.request.step_name for s in run.steps] == ["Get token", "Send alert"]
    values = {v.name: v.value for v in run.steps[0].variables}
    assert values == {"token": "tok-123", "ttl": "60", "requestId": "req-42", "tokenStatus": "200"}
    message = run.steps[1].exchange
    assert message.status == 200
    assert message.wire is not None
    assert message.wire.header("Authorization") == "Bearer tok-123"
    assert json.loads(message.wire.body) == {"ttl": 60, "req": "req-42", "status": "200"}
    assert run.message is run.steps[1]


def test_a_missing_response_variable_stops_the_run_and_says_why(
    server: LoopbackServer, catalogue: Catalogue
) -> None:
    run = run_alert(
        token_integration(server.url, "$.data.token"),
        find_sample(None, catalogue),
        AlertType.ERROR,
        catalogue,
        DIRECT,
    )
    assert not run.success
    assert len(run.steps) == 1
    assert run.not_sent == (1,)
    assert "step 1 ('Get token') did not give its response variables" in run.stopped
    assert "{{token}}: JSON path '$.data.token': $ has no field 'data'" in run.stopped


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("data[", "cannot read the path at '['"),
        ("$.items[*]", r"$.items[*] selects every element"),
    ],
)
def test_a_response_variable_path_that_cannot_be_read_stops_the_run(
    server: LoopbackServer, catalogue: Catalogue, path: str, reason: str
) -> None:
    run = run_alert(
        token_integration(server.url, path),
        find_sample(None, catalogue),
        AlertType.ERROR,
        catalogue,
        DIRECT,
    )
    assert not run.success
    assert f"{{{{token}}}}: JSON path {path!r}: " in run.stopped
    assert reason in run.stopped


def test_a_failing_helper_step_stops_the_run(server: LoopbackServer, catalogue: Catalogue) -> None:
    integration = token_integration(server.url)
    broken = replace(integration.steps[0], url="{{ApiUrl}}/status/500", response_variables=())
    integration = replace(integration, steps=(broken, integration.steps[1]))
    run = run_alert(integration, find_sample(None, catalogue), AlertType.OK, catalogue, DIRECT)
    assert run.stopped == "step 1 ('Get token') answered 500 Internal Server Error"
    assert run.not_sent == (1,)
    assert len(server.recorded.requests) == 1


def test_no_step_ticked_means_nothing_is_sent(server: LoopbackServer, catalogue: Catalogue) -> None:
    integration = token_integration(server.url)
    only_error = replace(integration.steps[1], alert_types=(AlertType.ERROR,))
    integration = replace(integration, steps=(integration.steps[0], only_error))
    run = run_alert(integration, find_sample(None, catalogue), AlertType.OK, catalogue, DIRECT)
    assert run.nothing_selected
    assert not run.success
    assert server.recorded.requests == []


def test_the_preview_shows_a_placeholder_for_response_variables(
    server: LoopbackServer, catalogue: Catalogue
) -> None:
    rendered = Renderer(token_integration(server.url), catalogue).render_alert(
        AlertType.ERROR, find_sample(None, catalogue)
    )
    assert dict(rendered[1].headers)["Authorization"] == "Bearer <token from step 1>"
    assert not [d for d in rendered[1].diagnostics if d.code.startswith("unknown")]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("a", 1),
        ("$.b.c", "x"),
        ("b.list[1]", 20),
        ("$['dotted.key']", True),
        ("b", {"c": "x", "list": [10, 20]}),
    ],
)
def test_json_paths(path: str, value: object) -> None:
    document = {"a": 1, "b": {"c": "x", "list": [10, 20]}, "dotted.key": True}
    assert json_path_value(document, path) == value


@pytest.mark.parametrize(
    ("path", "message"),
    [("b.list[5]", "$.b.list has no item [5]"), ("a.z", "$.a has no field 'z'")],
)
def test_json_path_errors_name_the_missing_part(path: str, message: str) -> None:
    with pytest.raises(KeyError) as caught:
        json_path_value({"a": 1, "b": {"list": [1]}}, path)
    assert caught.value.args[0] == message


def lifecycle_integration(base: str, ok_body: str | None = None) -> Integration:
    body = '{"dedup_key": "{{@incident.key}}", "event": "{{@alert.type}}", "team": "{{Team}}"}'
    steps = [
        Step(
            "Open/close",
            alert_types=(AlertType.ERROR, AlertType.REMINDER) if ok_body else ALERT_TYPES,
            url=base + "/echo",
            headers=JSON,
            body=body,
        )
    ]
    if ok_body:
        steps.append(
            Step(
                "Close", alert_types=(AlertType.OK,), url=base + "/echo", headers=JSON, body=ok_body
            )
        )
    return Integration(
        name="Lifecycle",
        variables=(Variable("Team", mode=VariableMode.ESCALATION_LEVEL),),
        steps=tuple(steps),
    )


def test_lifecycle_sends_error_reminders_and_ok_with_one_incident_key(
    server: LoopbackServer, catalogue: Catalogue
) -> None:
    sample = with_escalation_values(find_sample(None, catalogue), {"Team": "night-shift"})
    lifecycle = run_lifecycle(
        lifecycle_integration(server.url), sample, catalogue, DIRECT, reminders=2
    )
    assert [r.alert_type for r in lifecycle.runs] == [
        AlertType.ERROR,
        AlertType.REMINDER,
        AlertType.REMINDER,
        AlertType.OK,
    ]
    assert lifecycle.success
    assert lifecycle.key_check.fields == ("dedup_key",)
    assert lifecycle.key_check.describe() == (
        "the same incident key is in dedup_key of every message"
    )
    bodies = [json.loads(r["body"]) for r in server.recorded.requests]  # type: ignore[arg-type]
    assert [b["event"] for b in bodies] == ["Alert", "Reminder", "Reminder", "Ok"]
    assert {b["dedup_key"] for b in bodies} == {lifecycle.key_check.key}
    assert {b["team"] for b in bodies} == {"night-shift"}


def test_lifecycle_flags_an_ok_message_without_the_incident_key(
    server: LoopbackServer, catalogue: Catalogue
) -> None:
    lifecycle = run_lifecycle(
        lifecycle_integration(server.url, ok_body='{"event": "resolved"}'),
        find_sample(None, catalogue),
        catalogue,
        DIRECT,
        reminders=1,
    )
    assert all(r.success for r in lifecycle.runs)
    assert not lifecycle.key_check.consistent
    assert not lifecycle.success
    assert lifecycle.key_check.missing == ("Ok",)
    assert "not in the same place in: Ok" in lifecycle.key_check.describe()


def test_lifecycle_stops_when_the_error_message_fails(
    server: LoopbackServer, catalogue: Catalogue
) -> None:
    integration = lifecycle_integration(server.url + "/status/404#")
    lifecycle = run_lifecycle(integration, find_sample(None, catalogue), catalogue, DIRECT)
    assert len(lifecycle.runs) == 1
    assert lifecycle.stopped.startswith("Error: ")
    assert "404" in lifecycle.stopped


def test_a_sample_without_an_incident_key_says_so(
    server: LoopbackServer, catalogue: Catalogue
) -> None:
    sample = find_sample(None, catalogue)
    sample = replace(sample, values={**sample.values, "@incident.key": ""})
    lifecycle = run_lifecycle(lifecycle_integration(server.url), sample, catalogue, DIRECT)
    assert not lifecycle.key_check.consistent
    assert lifecycle.key_check.describe().startswith("the sample has no incident key")
