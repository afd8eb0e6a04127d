"""Edits across every template of an integration: find and rename references.

Renaming a predefined variable (or a user-defined function) offers to update every
``{{Name}}`` (or ``{{name(...)}}``) in URLs, header values, bodies, authentication fields,
HMAC and JWT keys, JWT headers and the values of other predefined variables. Matching is
exact and uses the parser, so text that merely contains the name, or a system variable of the
same spelling, is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from uptrends_studio.core.document.model import (
    Authentication,
    HashFunction,
    Header,
    Integration,
    JwtFunction,
    Step,
    UserFunction,
    Variable,
)
from uptrends_studio.core.language.parser import Token, iter_tokens, parse

Rewrite = Callable[[str], str]


def _map_templates(integration: Integration, rewrite: Rewrite) -> Integration:
    """Apply ``rewrite`` to every template field of the integration."""

    def step(s: Step) -> Step:
        return replace(
            s,
            url=rewrite(s.url),
            headers=tuple(Header(h.name, rewrite(h.value)) for h in s.headers),
            body=rewrite(s.body),
            authentication=Authentication(
                s.authentication.type,
                rewrite(s.authentication.username),
                rewrite(s.authentication.password),
            ),
        )

    def function(f: UserFunction) -> UserFunction:
        if isinstance(f, JwtFunction):
            return replace(f, key=rewrite(f.key), header=rewrite(f.header))
        return replace(f, key=rewrite(f.key)) if isinstance(f, HashFunction) else f

    def variable(v: Variable) -> Variable:
        # A value is a template too (its tokens are evaluated); a vault reference is not.
        return v if v.vault is not None else replace(v, value=rewrite(v.value))

    return replace(
        integration,
        variables=tuple(variable(v) for v in integration.variables),
        steps=tuple(step(s) for s in integration.steps),
        functions=tuple(function(f) for f in integration.functions),
    )


def _references(text: str, name: str, *, call: bool) -> list[Token]:
    if name not in text:
        return []
    return [t for t in iter_tokens(parse(text).nodes) if t.name == name and t.is_call == call]


def count_references(integration: Integration, name: str, *, call: bool = False) -> int:
    """How many ``{{name}}`` tokens (or ``{{name(...)}}`` calls) the templates contain."""
    total = 0

    def count(text: str) -> str:
        nonlocal total
        total += len(_references(text, name, call=call))
        return text

    _map_templates(integration, count)
    return total


def rename_references(
    integration: Integration, old: str, new: str, *, call: bool = False
) -> Integration:
    """Replace the name in every ``{{old}}`` token (or ``{{old(...)}}`` call) with ``new``."""

    def rewrite(text: str) -> str:
        tokens = _references(text, old, call=call)
        for token in sorted(tokens, key=lambda t: t.name_start, reverse=True):
            text = text[: token.name_start] + new + text[token.name_end :]
        return text

    return _map_templates(integration, rewrite)
