"""Opsgenie Alert API v2 (https://docs.opsgenie.com/docs/alert-api)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.targets.base import (
    DiagnosticAt,
    Message,
    Target,
    body_key,
    is_post_to,
    max_length,
    one_of,
    required,
    same_across_types,
)

WHO = "Opsgenie"
_is_create = is_post_to(r"/v2/alerts")
_ALIAS_IN_URL_RE = re.compile(r"/v2/alerts/([^/?#]+)/[A-Za-z]+\?(?:[^#]*&)?identifierType=alias")


def alias_in_url(message: Message) -> tuple[str, DiagnosticAt] | None:
    """The alias in a close request: ``/v2/alerts/{alias}/close?identifierType=alias``."""
    match = _ALIAS_IN_URL_RE.search(message.request.url)
    if match is None:
        return None

    def at(severity: Severity, code: str, text: str) -> Diagnostic:
        return message.url_diagnostic(severity, code, text, match.start(1), match.end(1))

    return unquote(match.group(1)), at


TARGET = Target(
    key="opsgenie",
    name=WHO,
    docs="https://docs.opsgenie.com/docs/alert-api",
    rules=(
        required("opsgenie-message-missing", WHO, "message", when=_is_create),
        max_length(
            "opsgenie-message-too-long",
            WHO,
            "message",
            130,
            severity=Severity.WARNING,
            consequence="cuts off the rest",
        ),
        max_length("opsgenie-alias-too-long", WHO, "alias", 512),
        max_length(
            "opsgenie-description-too-long",
            WHO,
            "description",
            15000,
            severity=Severity.WARNING,
            consequence="cuts off the rest",
        ),
        one_of("opsgenie-bad-priority", WHO, "priority", ("P1", "P2", "P3", "P4", "P5")),
    ),
    cross_rules=(
        same_across_types(
            "opsgenie-alias-differs", WHO, "the alias", (body_key("alias"), alias_in_url)
        ),
    ),
)
