"""Microsoft Teams Workflows ("Post to a channel when a webhook request is received").

https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
and the Adaptive Card schema (https://adaptivecards.io/explorer/).
"""

from __future__ import annotations

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.targets.base import (
    Message,
    Target,
    max_body_bytes,
    one_of,
    required,
)

WHO = "Teams"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def attachments_present(message: Message) -> list[Diagnostic]:
    """A Workflow message carries its card in ``attachments``; without one nothing is posted."""
    if not message.is_json:
        return []
    value = message.get("attachments")
    if isinstance(value, list) and value:
        return []
    return [
        message.diagnostic(
            Severity.ERROR,
            "teams-no-card",
            "the message has no attachments: a Teams Workflow posts the Adaptive Card in "
            f"attachments[0] (contentType {ADAPTIVE_CARD})",
            "attachments",
        )
    ]


TARGET = Target(
    key="teams",
    name=WHO,
    docs="https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/"
    "how-to/connectors-using",
    rules=(
        required("teams-type-missing", WHO, "type"),
        one_of("teams-not-message", WHO, "type", ("message",)),
        attachments_present,
        one_of(
            "teams-not-adaptive-card",
            f"a {WHO} Workflow",
            "attachments[*].contentType",
            (ADAPTIVE_CARD,),
        ),
        one_of("teams-card-type", WHO, "attachments[*].content.type", ("AdaptiveCard",)),
        required("teams-card-version-missing", WHO, "attachments[0].content.version"),
        max_body_bytes("teams-too-large", WHO, 28 * 1024),
    ),
)
