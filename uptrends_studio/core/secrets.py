"""Which rendered text is secret, and masking it for display.

A value is secret when it comes from a predefined variable marked secret, from a vault
reference (mock vault passwords and usernames), from a step's authentication password, or is
a JWT function's signing key typed as text.
The preview masks these unless the user reveals them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import quote, quote_plus

from uptrends_studio.core.functions import json_encode
from uptrends_studio.core.messages import RenderedRequest
from uptrends_studio.core.model import Integration, JwtFunction, VariableMode
from uptrends_studio.core.parser import Text, parse
from uptrends_studio.core.samples import SampleSet

MASK = "••••••"
MIN_SECRET_LENGTH = 3
"""Shorter values are not masked: masking "a" or "1" everywhere would garble the preview."""


def secret_values(integration: Integration, sample: SampleSet) -> list[str]:
    """The concrete secret strings for this integration and sample, longest first."""
    found: set[str] = set()
    for variable in integration.variables:
        if not variable.secret:
            continue
        if variable.vault is not None:
            entry = sample.vault.get(variable.vault.item, {})
            found.add(entry.get(variable.vault.field.value, ""))
        elif variable.mode is VariableMode.ESCALATION_LEVEL:
            found.update(_secret_parts(sample.escalation_level.get(variable.name, "")))
        else:
            found.update(_secret_parts(variable.value))
    for entry in sample.vault.values():
        found.add(entry.get("Password", ""))
    for step in integration.steps:
        if "{{" not in step.authentication.password:
            found.add(step.authentication.password)
    for function in integration.functions:
        # A JWT signing key typed as text (a key that is a template is covered by the variable
        # or vault field it names). The signature made with it is wire output, not a secret.
        if isinstance(function, JwtFunction) and "{{" not in function.key:
            found.add(function.key)
    return sorted((s for s in found if len(s) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def _secret_parts(value: str) -> list[str]:
    """A secret value, or, when tokens in it are evaluated, its literal text around them.

    The tokens' own values are other secrets (vault fields, secret variables) or alert data.
    """
    if "{{" not in value:
        return [value]
    return [node.text for node in parse(value).nodes if isinstance(node, Text)]


def masking_secrets(integration: Integration, sample: SampleSet) -> list[str]:
    """The texts to mask: each secret as is and as it appears inside a JSON string.

    Longest first, so a secret that contains another one is masked whole.
    """
    found = set(secret_values(integration, sample))
    for secret in list(found):
        found.add(json_encode(secret))
        found.add(json.dumps(secret)[1:-1])
        # As it appears in a URL once the HTTP client has encoded it.
        found.add(quote(secret, safe=""))
        found.add(quote(secret, safe="/:@!$&'()*+,;="))
        found.add(quote_plus(secret))
    return sorted(found, key=len, reverse=True)


def mask(text: str, secrets: Iterable[str]) -> str:
    """Replace every occurrence of each secret with :data:`MASK`."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def masked_request(request: RenderedRequest, secrets: list[str]) -> RenderedRequest:
    """The request with every secret (and the authentication password) replaced by MASK."""
    return replace(
        request,
        url=mask(request.url, secrets),
        headers=tuple((name, mask(value, secrets)) for name, value in request.headers),
        body=mask(request.body, secrets),
        username=mask(request.username, secrets),
        password=MASK if request.password else "",
    )
