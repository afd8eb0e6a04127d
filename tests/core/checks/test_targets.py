"""Target rules: each rule passes a good payload and reports a bad one where the user wrote it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.core.helpers import sample
from uptrends_studio import cli
from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.integration import check_integration
from uptrends_studio.core.checks.targets import TARGETS
from uptrends_studio.core.checks.targets.base import json_span
from uptrends_studio.core.document.integration_file import dumps
from uptrends_studio.core.document.json_path import parse_path
from uptrends_studio.core.document.model import (
    AlertType,
    Header,
    Integration,
    MappingEntry,
    MappingFunction,
    Step,
    Variable,
)
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.language.catalogue import Catalogue

JSON = (Header("Content-Type", "application/json"),)
KEY32 = "0123456789abcdef0123456789abcdef"


def integration(
    target: str,
    body: str = "",
    *,
    steps: tuple[Step, ...] = (),
    variables: tuple[Variable, ...] = (),
) -> Integration:
    return Integration(
        name="t",
        target=target,
        variables=(Variable("ApiUrl", value="https://target.test/api"), *variables),
        steps=steps or (Step("Send", url="{{ApiUrl}}", headers=JSON, body=body),),
    )


def run(
    catalogue: Catalogue,
    target: str,
    body: str = "",
    *,
    data: SampleSet | None = None,
    steps: tuple[Step, ...] = (),
    variables: tuple[Variable, ...] = (),
) -> list[Diagnostic]:
    built = integration(target, body, steps=steps, variables=variables)
    return check_integration(built, data or sample(), catalogue)


def codes(diagnostics: list[Diagnostic], prefix: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code.startswith(prefix)]


def only(diagnostics: list[Diagnostic], code: str) -> Diagnostic:
    found = [d for d in diagnostics if d.code == code]
    assert len(found) == 1, [d.format("x") for d in diagnostics]
    return found[0]


def pd_body(**fields: object) -> str:
    doc: dict[str, object] = {
        "routing_key": KEY32,
        "event_action": "trigger",
        "dedup_key": "{{@incident.key}}",
        "payload": {"summary": "down", "source": "web", "severity": "critical"},
    }
    doc.update(fields)
    return json.dumps(doc, indent=2)


# --- PagerDuty -------------------------------------------------------------------------------


def test_pagerduty_clean_payload_has_no_target_diagnostics(catalogue: Catalogue) -> None:
    body = pd_body(event_action="{{act({{@alert.type}})}}")
    act = MappingFunction(
        "act",
        (
            MappingEntry("Alert", "trigger"),
            MappingEntry("Reminder", "trigger"),
            MappingEntry("Ok", "resolve"),
        ),
    )
    found = check_integration(
        Integration(
            name="t",
            target="pagerduty",
            steps=(Step("S", url="https://x.test", headers=JSON, body=body),),
            functions=(act,),
        ),
        sample(),
        catalogue,
    )
    assert found == []


def test_pagerduty_routing_key_through_a_variable_of_32_characters_passes(
    catalogue: Catalogue,
) -> None:
    key = Variable("RoutingKey", value=KEY32, secret=True)
    body = pd_body(routing_key="{{RoutingKey}}")
    assert codes(run(catalogue, "pagerduty", body, variables=(key,)), "pagerduty-routing") == []


def test_pagerduty_routing_key_of_the_wrong_length_is_a_warning(catalogue: Catalogue) -> None:
    key = Variable("RoutingKey", value="abc123", secret=True)
    found = run(catalogue, "pagerduty", pd_body(routing_key="{{RoutingKey}}"), variables=(key,))
    diagnostic = only(found, "pagerduty-routing-key-length")
    assert diagnostic.severity is Severity.WARNING
    assert "routing_key renders 6 characters" in diagnostic.message
    assert "has 32" in diagnostic.message


def test_pagerduty_event_action_must_be_known(catalogue: Catalogue) -> None:
    found = run(catalogue, "pagerduty", pd_body(event_action="fire"))
    diagnostic = only(found, "pagerduty-bad-event-action")
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.message == (
        "event_action renders 'fire'; PagerDuty accepts only trigger, acknowledge, resolve"
    )


def test_pagerduty_summary_too_long_points_at_the_summary_in_the_template(
    catalogue: Catalogue,
) -> None:
    payload = {"summary": "{{@alert.description}}", "source": "web", "severity": "info"}
    body = pd_body(payload=payload)
    ok = run(catalogue, "pagerduty", body, data=sample({"@alert.description": "x" * 1024}))
    assert codes(ok, "pagerduty-summary") == []
    found = run(catalogue, "pagerduty", body, data=sample({"@alert.description": "x" * 1100}))
    diagnostic = only(found, "pagerduty-summary-too-long")
    assert diagnostic.message.startswith(
        "payload.summary renders 1,100 characters; PagerDuty allows at most 1,024"
    )
    assert diagnostic.field == "steps[0].body"
    assert body[diagnostic.start : diagnostic.end] == '"{{@alert.description}}"'
    line = body.splitlines()[diagnostic.line - 1]
    assert line[diagnostic.column - 1 :].startswith('"{{@alert.description}}"')
    assert diagnostic.alert_types == ()  # found for every type the step sends


def test_pagerduty_severity_must_be_known(catalogue: Catalogue) -> None:
    body = pd_body(payload={"summary": "s", "source": "web", "severity": "fatal"})
    diagnostic = only(run(catalogue, "pagerduty", body), "pagerduty-bad-severity")
    assert "payload.severity renders 'fatal'" in diagnostic.message
    assert "critical, error, warning, info" in diagnostic.message


def test_pagerduty_trigger_needs_a_source(catalogue: Catalogue) -> None:
    body = pd_body(payload={"summary": "s", "severity": "info"})
    diagnostic = only(run(catalogue, "pagerduty", body), "pagerduty-source-missing")
    assert diagnostic.message == "payload.source is missing; PagerDuty requires it"
    # Located at the payload object that lacks it.
    assert body[diagnostic.start] == "{"
    resolve = pd_body(event_action="resolve", payload={})
    assert codes(run(catalogue, "pagerduty", resolve), "pagerduty-source") == []


def test_pagerduty_dedup_key_that_differs_between_error_and_ok_is_an_error(
    catalogue: Catalogue,
) -> None:
    steps = (
        Step(
            "Open",
            (AlertType.ERROR, AlertType.REMINDER),
            url="https://x.test",
            headers=JSON,
            body=pd_body(),
        ),
        Step(
            "Close",
            (AlertType.OK,),
            url="https://x.test",
            headers=JSON,
            body=pd_body(event_action="resolve", dedup_key="{{@alert.alertGuid}}"),
        ),
    )
    data = sample(per_type={AlertType.OK: {"@alert.alertGuid": "ok-guid"}})
    found = run(catalogue, "pagerduty", steps=steps, data=data)
    diagnostic = only(found, "pagerduty-dedup-key-differs")
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.message.startswith("dedup_key differs between Error (")
    assert "and Ok ('ok-guid'): PagerDuty cannot match them" in diagnostic.message
    assert diagnostic.field == "steps[1].body"
    assert diagnostic.alert_types == ("Error", "Ok")
    same = (
        steps[0],
        Step("Close", (AlertType.OK,), url="x", headers=JSON, body=pd_body(event_action="resolve")),
    )
    assert codes(run(catalogue, "pagerduty", steps=same, data=data), "pagerduty-dedup") == []


def test_pagerduty_ok_that_does_not_resolve_is_a_warning(catalogue: Catalogue) -> None:
    diagnostic = only(run(catalogue, "pagerduty", pd_body()), "pagerduty-ok-not-resolve")
    assert diagnostic.severity is Severity.WARNING
    assert diagnostic.alert_types == ("Ok",)
    assert "stays open when the monitor recovers" in diagnostic.message


# --- Opsgenie -------------------------------------------------------------------------------


def og_body(**fields: object) -> str:
    doc: dict[str, object] = {"message": "down", "alias": "{{@incident.key}}", "priority": "P1"}
    doc.update(fields)
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("field", "limit", "code", "severity"),
    [
        ("message", 130, "opsgenie-message-too-long", Severity.WARNING),
        ("alias", 512, "opsgenie-alias-too-long", Severity.ERROR),
        ("description", 15000, "opsgenie-description-too-long", Severity.WARNING),
    ],
)
def test_opsgenie_length_limits(
    catalogue: Catalogue, field: str, limit: int, code: str, severity: Severity
) -> None:
    at_limit = run(catalogue, "opsgenie", og_body(**{field: "a" * limit}))
    assert codes(at_limit, code) == []
    found = run(catalogue, "opsgenie", og_body(**{field: "a" * (limit + 1)}))
    diagnostic = only(found, code)
    assert diagnostic.severity is severity
    assert diagnostic.message.startswith(
        f"{field} renders {limit + 1:,} characters; Opsgenie allows at most {limit:,}"
    )


def test_opsgenie_priority_must_be_p1_to_p5(catalogue: Catalogue) -> None:
    assert codes(run(catalogue, "opsgenie", og_body(priority="P5")), "opsgenie-bad") == []
    diagnostic = only(run(catalogue, "opsgenie", og_body(priority="high")), "opsgenie-bad-priority")
    assert diagnostic.message == "priority renders 'high'; Opsgenie accepts only P1, P2, P3, P4, P5"


def test_opsgenie_create_needs_a_message(catalogue: Catalogue) -> None:
    body = json.dumps({"alias": "{{@incident.key}}"})
    steps = (Step("Create", url="https://api.opsgenie.com/v2/alerts", headers=JSON, body=body),)
    diagnostic = only(run(catalogue, "opsgenie", steps=steps), "opsgenie-message-missing")
    assert diagnostic.message == "message is missing; Opsgenie requires it"


def _opsgenie_steps(close_alias: str) -> tuple[Step, ...]:
    return (
        Step(
            "Create",
            (AlertType.ERROR, AlertType.REMINDER),
            url="https://api.opsgenie.com/v2/alerts",
            headers=JSON,
            body=og_body(),
        ),
        Step(
            "Close",
            (AlertType.OK,),
            url=f"https://api.opsgenie.com/v2/alerts/{close_alias}/close?identifierType=alias",
            headers=JSON,
            body="{}",
        ),
    )


def test_opsgenie_close_by_the_same_alias_passes(catalogue: Catalogue) -> None:
    found = run(catalogue, "opsgenie", steps=_opsgenie_steps("{{@incident.key}}"))
    assert codes(found, "opsgenie") == []


def test_opsgenie_close_by_another_alias_is_an_error_on_the_url(catalogue: Catalogue) -> None:
    steps = _opsgenie_steps("{{@alert.alertGuid}}")
    diagnostic = only(run(catalogue, "opsgenie", steps=steps), "opsgenie-alias-differs")
    assert diagnostic.field == "steps[1].url"
    assert steps[1].url[diagnostic.start : diagnostic.end] == "{{@alert.alertGuid}}"
    assert diagnostic.message.startswith("the alias differs between Error (")
    assert diagnostic.alert_types == ("Error", "Ok")


# --- Slack ----------------------------------------------------------------------------------


def section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def test_slack_needs_text_or_blocks(catalogue: Catalogue) -> None:
    assert codes(run(catalogue, "slack", json.dumps({"text": "hi"})), "slack") == []
    assert codes(run(catalogue, "slack", json.dumps({"blocks": [section("x")]})), "slack") == []
    diagnostic = only(run(catalogue, "slack", json.dumps({"username": "u"})), "slack-no-text")
    assert diagnostic.message == "the message has no text or blocks; Slack needs at least one"


def test_slack_text_limit(catalogue: Catalogue) -> None:
    assert codes(run(catalogue, "slack", json.dumps({"text": "a" * 40000})), "slack") == []
    diagnostic = only(
        run(catalogue, "slack", json.dumps({"text": "a" * 40001})), "slack-text-too-long"
    )
    assert "text renders 40,001 characters; Slack allows at most 40,000" in diagnostic.message


def test_slack_block_count_limit(catalogue: Catalogue) -> None:
    fifty = json.dumps({"text": "t", "blocks": [section("x")] * 50})
    assert codes(run(catalogue, "slack", fifty), "slack") == []
    many = json.dumps({"text": "t", "blocks": [section("x")] * 51})
    diagnostic = only(run(catalogue, "slack", many), "slack-too-many-blocks")
    assert diagnostic.message == "blocks has 51 elements; Slack allows at most 50"


def test_slack_section_text_limit_names_the_block(catalogue: Catalogue) -> None:
    ok = json.dumps({"text": "t", "blocks": [section("x"), section("a" * 3000)]})
    assert codes(run(catalogue, "slack", ok), "slack") == []
    body = json.dumps({"text": "t", "blocks": [section("x"), section("{{@alert.description}}")]})
    found = run(catalogue, "slack", body, data=sample({"@alert.description": "d" * 3001}))
    diagnostic = only(found, "slack-block-text-too-long")
    assert diagnostic.message.startswith(
        "blocks[1].text.text (section block) renders 3,001 characters; Slack allows at most 3,000"
    )
    assert body[diagnostic.start : diagnostic.end] == '"{{@alert.description}}"'


# --- Teams ----------------------------------------------------------------------------------

CARD_TYPE = "application/vnd.microsoft.card.adaptive"


def teams_body(
    *, kind: str = "message", content_type: str = CARD_TYPE, card: dict[str, object] | None = None
) -> str:
    content = card if card is not None else {"type": "AdaptiveCard", "version": "1.5", "body": []}
    return json.dumps(
        {"type": kind, "attachments": [{"contentType": content_type, "content": content}]}
    )


def test_teams_valid_message_passes(catalogue: Catalogue) -> None:
    assert codes(run(catalogue, "teams", teams_body()), "teams") == []


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (teams_body(kind="card"), "teams-not-message", "type renders 'card'"),
        (
            teams_body(content_type="application/vnd.microsoft.card.hero"),
            "teams-not-adaptive-card",
            "attachments[0].contentType renders 'application/vnd.microsoft.card.hero'",
        ),
        (
            teams_body(card={"type": "MessageCard", "version": "1.5"}),
            "teams-card-type",
            "attachments[0].content.type renders 'MessageCard'; Teams accepts only AdaptiveCard",
        ),
        (
            teams_body(card={"type": "AdaptiveCard"}),
            "teams-card-version-missing",
            "attachments[0].content.version is missing; Teams requires it",
        ),
        (json.dumps({"type": "message"}), "teams-no-card", "the message has no attachments"),
    ],
)
def test_teams_message_shape(catalogue: Catalogue, body: str, code: str, message: str) -> None:
    diagnostic = only(run(catalogue, "teams", body), code)
    assert diagnostic.severity is Severity.ERROR
    assert message in diagnostic.message


def test_teams_payload_over_28_kb_is_an_error(catalogue: Catalogue) -> None:
    card: dict[str, object] = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "TextBlock", "text": "{{@JsonEncode({{@alert.responseBody}})}}"}],
    }
    body = teams_body(card=card)
    small = sample({"@alert.responseBody": "b" * 20000})
    assert codes(run(catalogue, "teams", body, data=small), "teams") == []
    big = sample({"@alert.responseBody": "b" * 30000})
    diagnostic = only(run(catalogue, "teams", body, data=big), "teams-too-large")
    assert "accepts at most 28,672 bytes (28 KB)" in diagnostic.message
    assert "@alert.responseBody" in diagnostic.message


# --- Discord --------------------------------------------------------------------------------


def test_discord_needs_content_or_embeds(catalogue: Catalogue) -> None:
    assert codes(run(catalogue, "discord", json.dumps({"content": "hi"})), "discord") == []
    diagnostic = only(run(catalogue, "discord", json.dumps({"content": ""})), "discord-empty")
    assert diagnostic.message == "the message has no content or embeds; Discord needs at least one"


@pytest.mark.parametrize(
    ("make", "limit", "code", "where"),
    [
        (lambda n: {"content": "c" * n}, 2000, "discord-content-too-long", "content"),
        (
            lambda n: {"embeds": [{"title": "t" * n}]},
            256,
            "discord-embed-title-too-long",
            "embeds[0].title",
        ),
        (
            lambda n: {"embeds": [{"description": "d" * n}]},
            4096,
            "discord-embed-description-too-long",
            "embeds[0].description",
        ),
    ],
)
def test_discord_length_limits(
    catalogue: Catalogue,
    make: Callable[[int], dict[str, object]],
    limit: int,
    code: str,
    where: str,
) -> None:
    assert codes(run(catalogue, "discord", json.dumps(make(limit))), "discord") == []
    diagnostic = only(run(catalogue, "discord", json.dumps(make(limit + 1))), code)
    assert diagnostic.message.startswith(f"{where} renders {limit + 1:,} characters")


def test_discord_embed_count_and_total(catalogue: Catalogue) -> None:
    ten = json.dumps({"embeds": [{"title": "t"}] * 10})
    assert codes(run(catalogue, "discord", ten), "discord") == []
    eleven = json.dumps({"embeds": [{"title": "t"}] * 11})
    diagnostic = only(run(catalogue, "discord", eleven), "discord-too-many-embeds")
    assert diagnostic.message == "embeds has 11 elements; Discord allows at most 10"
    total = json.dumps({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]})
    diagnostic = only(run(catalogue, "discord", total), "discord-embeds-too-long")
    assert "6,001 characters of text together; Discord allows at most 6,000" in diagnostic.message


# --- Splunk On-Call -------------------------------------------------------------------------


def test_splunk_oncall_message_type_and_entity_id(catalogue: Catalogue) -> None:
    good = json.dumps({"message_type": "{{t({{@alert.type}})}}", "entity_id": "{{@incident.key}}"})
    t = MappingFunction(
        "t",
        (
            MappingEntry("Alert", "CRITICAL"),
            MappingEntry("Reminder", "WARNING"),
            MappingEntry("Ok", "RECOVERY"),
        ),
    )
    clean = Integration(
        name="t",
        target="splunk-oncall",
        steps=(Step("S", url="https://x.test", headers=JSON, body=good),),
        functions=(t,),
    )
    assert check_integration(clean, sample(), catalogue) == []
    bad = json.dumps({"message_type": "critical"})
    found = run(catalogue, "splunk-oncall", bad)
    assert "message_type renders 'critical'; Splunk On-Call accepts only CRITICAL, WARNING" in (
        only(found, "splunk-oncall-bad-message-type").message
    )
    assert only(found, "splunk-oncall-entity-id-missing").message == (
        "entity_id is missing; Splunk On-Call requires it"
    )


def test_splunk_oncall_entity_id_must_match_across_types(catalogue: Catalogue) -> None:
    body = json.dumps({"message_type": "CRITICAL", "entity_id": "{{@alert.type}}-1"})
    found = run(catalogue, "splunk-oncall", body)
    differs = [d for d in found if d.code == "splunk-oncall-entity-id-differs"]
    assert [d.alert_types for d in differs] == [("Error", "Reminder"), ("Error", "Ok")]
    assert "entity_id differs between Error ('Alert-1') and Ok ('Ok-1')" in differs[1].message


# --- Framework ------------------------------------------------------------------------------


def test_rules_apply_only_through_the_target_field(catalogue: Catalogue) -> None:
    body = pd_body(event_action="fire")
    assert codes(run(catalogue, "", body), "pagerduty") == []
    # The URL is PagerDuty's, but the target field decides: no guessing.
    steps = (Step("S", url="https://events.pagerduty.com/v2/enqueue", headers=JSON, body=body),)
    assert codes(run(catalogue, "", steps=steps), "pagerduty") == []
    assert codes(run(catalogue, "PagerDuty", body), "pagerduty-bad-event-action") != []


def test_unknown_target_is_a_warning_with_a_suggestion(catalogue: Catalogue) -> None:
    diagnostic = only(run(catalogue, "pagerduti", pd_body()), "unknown-target")
    assert diagnostic.severity is Severity.WARNING
    assert diagnostic.field == "target"
    assert diagnostic.message.startswith("unknown target 'pagerduti' (did you mean 'pagerduty'?)")


def test_rules_skip_a_body_that_is_not_json(catalogue: Catalogue) -> None:
    # An unquoted value: the body is not JSON, so "no text or blocks" would be a false alarm.
    found = run(catalogue, "slack", '{"text": {{@monitor.name}}}')
    assert [d.code for d in found if d.severity is Severity.ERROR] == ["invalid-json"]
    assert codes(found, "slack") == []


def test_target_diagnostics_reach_the_check_command(
    catalogue: Catalogue, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pd.integration.json"
    path.write_text(dumps(integration("pagerduty", pd_body(event_action="fire"))), "utf-8")
    assert cli.main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "error: event_action renders 'fire'; PagerDuty accepts only" in out
    assert "[pagerduty-bad-event-action]" in out


def test_every_target_is_known_by_its_key() -> None:
    assert {"pagerduty", "opsgenie", "slack", "teams", "discord", "splunk-oncall"} <= set(TARGETS)
    assert all(
        key == target.key and target.docs.startswith("https://") for key, target in TARGETS.items()
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("payload.summary", '"s\\"}"'),
        ("list[1].a", "[1, 2]"),
        ("dup", '"last"'),
        ("list[2]", None),
        ("missing.x", None),
    ],
)
def test_json_span(path: str, expected: str | None) -> None:
    text = (
        '{"payload": {"x": {"y": [1]}, "summary": "s\\"}"}, '
        '"list": [0, {"a": [1, 2]}], "dup": 1, "dup": "last"}'
    )
    span = json_span(text, parse_path(path))
    assert (text[span[0] : span[1]] if span else None) == expected


def test_a_problem_of_one_alert_type_names_that_type(catalogue: Catalogue) -> None:
    found = run(
        catalogue,
        "slack",
        json.dumps({"text": "{{@alert.description}}"}),
        data=sample(per_type={AlertType.OK: {"@alert.description": "x" * 40001}}),
    )
    assert only(found, "slack-text-too-long").alert_types == ("Ok",)


def test_cross_type_rules_ignore_a_message_that_is_not_json(catalogue: Catalogue) -> None:
    steps = (
        Step("Open", (AlertType.ERROR,), url="https://x.test", headers=JSON, body="{oops"),
        Step("Close", (AlertType.OK,), url="https://x.test", headers=JSON, body=pd_body()),
    )
    found = run(catalogue, "pagerduty", steps=steps)
    assert "invalid-json" in [d.code for d in found]
    assert codes(found, "pagerduty-dedup") == []


def test_ok_without_the_correlation_key_is_an_error(catalogue: Catalogue) -> None:
    resolve = json.dumps({"routing_key": KEY32, "event_action": "resolve"})
    steps = (
        Step("Open", (AlertType.ERROR,), url="https://x.test", headers=JSON, body=pd_body()),
        Step("Close", (AlertType.OK,), url="https://x.test", headers=JSON, body=resolve),
    )
    diagnostic = only(run(catalogue, "pagerduty", steps=steps), "pagerduty-dedup-key-differs")
    assert diagnostic.message.startswith(
        "Ok sends no dedup_key: PagerDuty cannot match it to the incident opened by Error"
    )
    assert diagnostic.field == "steps[1].body"
