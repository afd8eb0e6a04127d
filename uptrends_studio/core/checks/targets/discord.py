"""Discord webhooks (https://discord.com/developers/docs/resources/webhook#execute-webhook).

Embed limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
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

WHO = "Discord"
EMBED_TOTAL = 6000


def _text_length(embed: dict[str, object]) -> int:
    total = 0
    for key in ("title", "description"):
        value = embed.get(key)
        total += len(value) if isinstance(value, str) else 0
    for key, sub in (("footer", "text"), ("author", "name")):
        part = embed.get(key)
        if isinstance(part, dict) and isinstance(part.get(sub), str):
            total += len(part[sub])
    fields = embed.get("fields")
    for item in fields if isinstance(fields, list) else ():
        if isinstance(item, dict):
            total += sum(
                len(v) for k, v in item.items() if k in ("name", "value") and isinstance(v, str)
            )
    return total


def embeds_total(message: Message) -> list[Diagnostic]:
    """The text of all embeds together (titles, descriptions, fields, footers) ≤ 6000."""
    embeds = message.get("embeds")
    if not isinstance(embeds, list):
        return []
    total = sum(_text_length(e) for e in embeds if isinstance(e, dict))
    if total <= EMBED_TOTAL:
        return []
    return [
        message.diagnostic(
            Severity.ERROR,
            "discord-embeds-too-long",
            f"the embeds hold {total:,} characters of text together; Discord allows at most "
            f"{EMBED_TOTAL:,} and rejects the message",
            "embeds",
        )
    ]


TARGET = Target(
    key="discord",
    name=WHO,
    docs="https://discord.com/developers/docs/resources/webhook#execute-webhook",
    rules=(
        any_of("discord-empty", WHO, ("content", "embeds")),
        max_length("discord-content-too-long", WHO, "content", 2000),
        max_items("discord-too-many-embeds", WHO, "embeds", 10),
        max_length("discord-embed-title-too-long", WHO, "embeds[*].title", 256),
        max_length("discord-embed-description-too-long", WHO, "embeds[*].description", 4096),
        max_items("discord-too-many-fields", WHO, "embeds[0].fields", 25),
        max_length("discord-field-name-too-long", WHO, "embeds[*].fields[*].name", 256),
        max_length("discord-field-value-too-long", WHO, "embeds[*].fields[*].value", 1024),
        embeds_total,
    ),
)
