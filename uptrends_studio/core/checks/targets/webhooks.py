"""Targets with few rules: Statuspage, ServiceNow, Jira Cloud, Google Chat, Mattermost, ...

Zapier and AlertOps accept any JSON, so they have no rules.
"""

from __future__ import annotations

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.targets.base import (
    Message,
    Target,
    any_of,
    max_body_bytes,
    max_length,
    one_of,
    required,
)

STATUSPAGE = Target(
    key="statuspage",
    name="Statuspage",
    docs="https://developer.statuspage.io/#operation/patchPagesPageIdComponentsComponentId",
    rules=(
        required("statuspage-status-missing", "Statuspage", "component.status"),
        one_of(
            "statuspage-bad-status",
            "Statuspage",
            "component.status",
            (
                "operational",
                "under_maintenance",
                "degraded_performance",
                "partial_outage",
                "major_outage",
            ),
        ),
    ),
)

SERVICENOW = Target(
    key="servicenow",
    name="ServiceNow",
    docs="https://developer.servicenow.com/dev.do#!/reference/api/latest/rest/c_TableAPI",
    rules=(
        required("servicenow-short-description-missing", "ServiceNow", "short_description"),
        max_length(
            "servicenow-short-description-too-long",
            "ServiceNow",
            "short_description",
            160,
            severity=Severity.WARNING,
            consequence="cuts off the rest",
        ),
        max_length("servicenow-correlation-id-too-long", "ServiceNow", "correlation_id", 100),
    ),
)


def jira_summary_one_line(message: Message) -> list[Diagnostic]:
    """Jira refuses a summary with a line break ("Field 'summary' cannot contain newlines")."""
    value = message.get("fields.summary")
    if not isinstance(value, str) or ("\n" not in value and "\r" not in value):
        return []
    return [
        message.diagnostic(
            Severity.ERROR,
            "jira-summary-line-break",
            "fields.summary renders a line break; Jira refuses the issue (the summary must be "
            "one line). Keep multi-line text such as @alert.description in the description",
            "fields.summary",
        )
    ]


JIRA = Target(
    key="jira",
    name="Jira Cloud",
    docs="https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/",
    rules=(
        required("jira-project-missing", "Jira", "fields.project"),
        required("jira-issue-type-missing", "Jira", "fields.issuetype"),
        required("jira-summary-missing", "Jira", "fields.summary"),
        max_length("jira-summary-too-long", "Jira", "fields.summary", 255),
        jira_summary_one_line,
    ),
)

GOOGLE_CHAT = Target(
    key="google-chat",
    name="Google Chat",
    docs="https://developers.google.com/workspace/chat/quickstart/webhooks",
    rules=(
        any_of("google-chat-empty", "Google Chat", ("text", "cardsV2")),
        max_body_bytes("google-chat-too-large", "Google Chat", 32000),
    ),
)

MATTERMOST = Target(
    key="mattermost",
    name="Mattermost",
    docs="https://developers.mattermost.com/integrate/webhooks/incoming/",
    rules=(
        any_of("mattermost-empty", "Mattermost", ("text", "attachments")),
        max_length("mattermost-text-too-long", "Mattermost", "text", 16383),
    ),
)

ZAPIER = Target(
    key="zapier",
    name="Zapier",
    docs="https://help.zapier.com/hc/en-us/articles/8496288690317",
)

ALERTOPS = Target(
    key="alertops",
    name="AlertOps",
    docs="https://help.alertops.com/",
)
