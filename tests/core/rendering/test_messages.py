"""Message types: which steps run for each alert type, and coverage diagnostics."""

from __future__ import annotations

import json

import pytest

from tests.core.helpers import sample
from uptrends_studio.core.document.model import AlertType, Header, Integration, Step, Variable
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import Renderer, coverage, select_steps

E, R, OK = AlertType.ERROR, AlertType.REMINDER, AlertType.OK
JSON = (Header("Content-Type", "application/json"),)


def integration(*steps: Step) -> Integration:
    return Integration(
        name="t", variables=(Variable("ApiUrl", value="https://api.test"),), steps=steps
    )


CREATE_RESOLVE = integration(
    Step("Get token", alert_types=(), url="{{ApiUrl}}/token"),
    Step("Create", alert_types=(E, R), url="{{ApiUrl}}/alerts"),
    Step("Resolve", alert_types=(OK,), url="{{ApiUrl}}/alerts/{{@incident.key}}/close"),
)


@pytest.mark.parametrize(
    ("alert_type", "expected"),
    [
        (E, [("Get token", True), ("Create", False)]),
        (R, [("Get token", True), ("Create", False)]),
        (OK, [("Get token", True), ("Resolve", False)]),
    ],
)
def test_helper_steps_run_first_then_the_ticked_step(
    alert_type: AlertType, expected: list[tuple[str, bool]]
) -> None:
    selected = select_steps(CREATE_RESOLVE, alert_type)
    assert [(s.step.name, s.helper) for s in selected] == expected


def test_untick_ok_means_nothing_is_sent_for_ok() -> None:
    only_error = integration(Step("Helper", alert_types=()), Step("Create", alert_types=(E,)))
    assert select_steps(only_error, OK) == ()
    assert [d.code for d in coverage(only_error)] == ["no-reminder-step", "no-ok-step"]
    assert {d.severity.value for d in coverage(only_error)} == {"note"}


def test_a_type_ticked_twice_is_an_error_and_the_first_step_wins() -> None:
    twice = integration(Step("A", alert_types=(E, OK)), Step("B", alert_types=(E,)))
    problems = coverage(twice)
    assert [(d.code, d.field, d.severity.value) for d in problems] == [
        ("type-ticked-twice", "steps[1].alertTypes", "error"),
        ("no-reminder-step", "steps", "note"),
    ]
    assert "step 1 ('A') and step 2 ('B')" in problems[0].message
    assert [s.step.name for s in select_steps(twice, E)] == ["A"]


def test_no_error_step_is_an_error() -> None:
    problems = coverage(integration(Step("Ok only", alert_types=(OK,))))
    assert problems[0].code == "no-error-step"
    assert problems[0].severity.value == "error"


def test_single_step_differs_only_in_type_and_time(catalogue: Catalogue) -> None:
    one = integration(
        Step(
            "All",
            url="{{ApiUrl}}",
            headers=JSON,
            body='{"type":"{{@alert.type}}","at":"{{@alert.timestampUtc}}",'
            '"key":"{{@incident.key}}","down":"{{@alert.downtimeDuration}}"}',
        )
    )
    data = sample(
        {
            "@alert.firstErrorUtc": "2025-03-02T09:12:39",
            "@alert.timestampUtc": "2025-03-02T09:15:00",
            "@incident.key": "ba8ffcb7-5de0-489e-b649-f00f0b447e80-0-30099055746",
        },
        per_type={OK: {"@alert.timestampUtc": "2025-03-04T09:16:00"}},
    )
    renderer = Renderer(one, catalogue)
    bodies = {t: json.loads(renderer.render_alert(t, data)[0].body) for t in (E, R, OK)}
    assert [bodies[t]["type"] for t in (E, R, OK)] == ["Alert", "Reminder", "Ok"]
    assert len({bodies[t]["key"] for t in (E, R, OK)}) == 1  # one incident key for all three
    assert bodies[E]["down"] == ""
    assert bodies[OK]["down"] == "48:03:21"
    assert bodies[OK]["at"] == "2025-03-04T09:16:00"


def test_rendered_request_has_method_url_headers_and_auth(catalogue: Catalogue) -> None:
    from uptrends_studio.core.document.model import Authentication, AuthType

    step = Step(
        "Create",
        alert_types=(E,),
        method="PUT",
        url="{{ApiUrl}}/x?m={{@UrlEncode(a b)}}",
        headers=(Header("X-Type", "{{@alert.type}}"), *JSON),
        body="{}",
        authentication=Authentication(AuthType.BASIC, "user-{{@alert.type}}", "pw"),
    )
    request = Renderer(integration(step), catalogue).render_alert(E, sample())[0]
    assert (request.method, request.url) == ("PUT", "https://api.test/x?m=a+b")
    assert request.headers == (("X-Type", "Alert"), ("Content-Type", "application/json"))
    assert (request.username, request.password) == ("user-Alert", "pw")
    assert request.to_json() == {
        "step": "Create",
        "alertType": "Error",
        "method": "PUT",
        "url": "https://api.test/x?m=a+b",
        "headers": [["X-Type", "Alert"], ["Content-Type", "application/json"]],
        "body": "{}",
        "authentication": {"type": "Basic", "username": "user-Alert", "password": "pw"},
    }
