"""Slack incoming webhooks with Block Kit (https://api.slack.com/messaging/webhooks).

Limits from https://api.slack.com/reference/block-kit/blocks and
https://api.slack.com/methods/chat.postMessage (``text``).
"""

from __future__ import annotations

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.targets.base import (
    Message,
    Target,
    any_of,
    max_items,
    max_length,
)
from uptrends_studio.core.document.json_path import format_path

WHO = "Slack"

_BLOCK_TEXT_LIMITS = {"section": 3000, "header": 150}
_SECTION_FIELD_LIMIT = 2000


def block_text_limits(message: Message) -> list[Diagnostic]:
    """Section text ≤ 3000 characters, section fields ≤ 2000, header text ≤ 150."""
    found: list[Diagnostic] = []
    for where, block in message.find("blocks[*]"):
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        limit = _BLOCK_TEXT_LIMITS.get(kind) if isinstance(kind, str) else None
        texts: list[tuple[tuple[str | int, ...], object, int]] = []
        text = block.get("text")
        if limit is not None and isinstance(text, dict):
            texts.append(((*where, "text", "text"), text.get("text"), limit))
        fields = block.get("fields")
        if kind == "section" and isinstance(fields, list):
            texts += [
                ((*where, "fields", i, "text"), f.get("text"), _SECTION_FIELD_LIMIT)
                for i, f in enumerate(fields)
                if isinstance(f, dict)
            ]
        for path, value, most in texts:
            if isinstance(value, str) and len(value) > most:
                found.append(
                    message.diagnostic(
                        Severity.ERROR,
                        "slack-block-text-too-long",
                        f"{format_path(path)} ({kind} block) renders {len(value):,} characters; "
                        f"Slack allows at most {most:,} and rejects the message (invalid_blocks)",
                        path,
                    )
                )
    return found


TARGET = Target(
    key="slack",
    name=WHO,
    docs="https://api.slack.com/messaging/webhooks",
    rules=(
        any_of("slack-no-text", WHO, ("text", "blocks")),
        max_length(
            "slack-text-too-long",
            WHO,
            "text",
            40000,
            severity=Severity.WARNING,
            consequence="cuts off the rest",
        ),
        max_items("slack-too-many-blocks", WHO, "blocks", 50),
        block_text_limits,
    ),
)
