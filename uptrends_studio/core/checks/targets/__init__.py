"""Target-aware checks: the rules of PagerDuty, Opsgenie, Slack, Teams, ... on rendered messages.

The rules that apply come only from ``Integration.target`` (set by the gallery template an
integration was made from, or by hand), never from guessing on the URL. They run on the rendered
output: for each alert type, the body of the message step, parsed as JSON. Each finding is a
:class:`~uptrends_studio.core.checks.diagnostics.Diagnostic` on ``steps[i].body`` (or ``.url``) at
the template position of the JSON value concerned, with a code such as
``pagerduty-summary-too-long`` and the alert types it concerns.

Adding a target:

1. Create ``uptrends_studio/core/checks/targets/<name>.py`` with a module docstring naming
   the public API documentation the limits come from, and a
   ``TARGET = Target(key=..., name=..., docs=..., rules=(...), cross_rules=(...))``.
   Most rules are data, built with the factories of
   :mod:`uptrends_studio.core.checks.targets.base` (``required``, ``max_length``, ``one_of``,
   ``any_of``, ``max_items``, ``max_body_bytes``, ``expected_for_type``,
   ``same_across_types``); a special rule is a function ``(Message) -> list[Diagnostic]``.
2. Add it to :data:`TARGETS` below.
3. Add a passing and a failing payload per rule to ``tests/core/checks/test_targets.py``, and a
   gallery template with ``"target": "<key>"`` in ``resources/templates/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.checks.targets import (
    discord,
    opsgenie,
    pagerduty,
    slack,
    splunk_oncall,
    teams,
)
from uptrends_studio.core.checks.targets import webhooks as _w
from uptrends_studio.core.checks.targets.base import Message, Target
from uptrends_studio.core.document.model import ALERT_TYPES, AlertType, Integration
from uptrends_studio.core.rendering.messages import RenderedRequest

__all__ = ["TARGETS", "Message", "Target", "messages_by_type", "target_diagnostics"]

TARGETS: Mapping[str, Target] = MappingProxyType(
    {
        target.key: target
        for target in (
            pagerduty.TARGET,
            opsgenie.TARGET,
            slack.TARGET,
            teams.TARGET,
            discord.TARGET,
            splunk_oncall.TARGET,
            _w.STATUSPAGE,
            _w.SERVICENOW,
            _w.JIRA,
            _w.GOOGLE_CHAT,
            _w.MATTERMOST,
            _w.ZAPIER,
            _w.ALERTOPS,
        )
    }
)
"""Every known target by its key (the value of ``Integration.target``)."""


def messages_by_type(
    integration: Integration, requests: Mapping[AlertType, Sequence[RenderedRequest]]
) -> list[Message]:
    """The message step (not the helpers) sent for each alert type, in Error, Reminder, Ok order."""
    messages = []
    for alert_type in ALERT_TYPES:
        sent = [r for r in requests.get(alert_type, ()) if not r.helper]
        if sent:
            request = sent[-1]
            step = integration.steps[request.step_index]
            messages.append(Message.of(request, step.body, step.url))
    return messages


def is_target_code(code: str, target: str) -> bool:
    """Whether a diagnostic code comes from ``target``'s rules (codes are ``<key>-...``)."""
    key = target.strip().casefold()
    return code == "unknown-target" or (bool(key) and code.startswith(f"{key}-"))


def target_diagnostics(
    integration: Integration, requests: Mapping[AlertType, Sequence[RenderedRequest]]
) -> list[Diagnostic]:
    """The target's rules applied to the rendered ``requests`` of each alert type.

    An unknown target is a warning on the ``target`` field (and no rules run). Nothing here
    raises for any rendered content.
    """
    key = integration.target.strip()
    if not key:
        return []
    target = TARGETS.get(key.casefold())
    if target is None:
        import difflib  # only for a "did you mean": keeps the start of the CLI fast

        close = difflib.get_close_matches(key.casefold(), list(TARGETS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return [
            Diagnostic(
                Severity.WARNING,
                "unknown-target",
                f"unknown target {key!r}{hint}: its rules are not checked. Known targets: "
                f"{', '.join(sorted(TARGETS))}",
                FieldPath.TARGET,
                0,
                len(key),
            )
        ]
    messages = messages_by_type(integration, requests)
    found: list[Diagnostic] = []
    for message in messages:
        for rule in target.rules:
            found += rule(message)
    for cross_rule in target.cross_rules:
        found += cross_rule(messages)
    return found
