"""PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/)."""

from __future__ import annotations

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.targets.base import (
    Message,
    Target,
    body_key,
    expected_for_type,
    max_body_bytes,
    max_length,
    one_of,
    required,
    same_across_types,
)
from uptrends_studio.core.document.model import AlertType

WHO = "PagerDuty"
ROUTING_KEY_LENGTH = 32


def _is_trigger(message: Message) -> bool:
    return message.get("event_action") == "trigger"


def routing_key_length(message: Message) -> list[Diagnostic]:
    """A warning when ``routing_key`` does not render the 32 characters of an integration key."""
    value = message.get("routing_key")
    if not isinstance(value, str) or not value or len(value) == ROUTING_KEY_LENGTH:
        return []
    return [
        message.diagnostic(
            Severity.WARNING,
            "pagerduty-routing-key-length",
            f"routing_key renders {len(value)} characters; a PagerDuty integration key "
            f"(Events API v2) has {ROUTING_KEY_LENGTH}. Copy it from the service's integration",
            "routing_key",
        )
    ]


TARGET = Target(
    key="pagerduty",
    name=WHO,
    docs="https://developer.pagerduty.com/docs/events-api-v2/trigger-events/",
    rules=(
        required("pagerduty-routing-key-missing", WHO, "routing_key"),
        routing_key_length,
        required("pagerduty-event-action-missing", WHO, "event_action"),
        one_of(
            "pagerduty-bad-event-action",
            WHO,
            "event_action",
            ("trigger", "acknowledge", "resolve"),
        ),
        required("pagerduty-summary-missing", WHO, "payload.summary", when=_is_trigger),
        required("pagerduty-source-missing", WHO, "payload.source", when=_is_trigger),
        required("pagerduty-severity-missing", WHO, "payload.severity", when=_is_trigger),
        max_length(
            "pagerduty-summary-too-long",
            WHO,
            "payload.summary",
            1024,
            consequence="cuts off the rest",
        ),
        one_of(
            "pagerduty-bad-severity",
            WHO,
            "payload.severity",
            ("critical", "error", "warning", "info"),
        ),
        max_length("pagerduty-dedup-key-too-long", WHO, "dedup_key", 255),
        expected_for_type(
            "pagerduty-ok-not-resolve",
            WHO,
            "event_action",
            {AlertType.OK: ("resolve",)},
            "the PagerDuty incident stays open when the monitor recovers",
        ),
        max_body_bytes("pagerduty-body-too-large", WHO, 512 * 1024),
    ),
    cross_rules=(
        same_across_types(
            "pagerduty-dedup-key-differs", WHO, "dedup_key", (body_key("dedup_key"),)
        ),
    ),
)
