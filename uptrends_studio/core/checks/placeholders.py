"""Placeholder values left from a template: ``REPLACE-WITH-…``, ``<your key>``, ``your-…-here``.

A gallery template ships with placeholders where the author's own values go. They are valid
text, so every other check passes them; sent for real they fail (or, worse, reach a shared
default). This check names each one at its place so the author fills it in before copying the
integration to Uptrends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from uptrends_studio.core.checks.diagnostics import Diagnostic, LineIndex, Severity, locate
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.document.model import Integration, VariableMode

CODE = "placeholder"

_EVERYWHERE = re.compile(
    r"REPLACE[-_]WITH[-_][A-Za-z0-9_-]*|\byour[-_][A-Za-z0-9_-]*?[-_]here\b", re.IGNORECASE
)
"""Placeholders looked for in every field, bodies included."""
_ANGLED = re.compile(r"<(?:your|insert|enter|replace|api|put)[ _-][A-Za-z0-9 _-]{1,40}>", re.I)
"""``<your api key>`` style: looked for outside bodies only (an XML body has ``<tags>``)."""
_EVERYWHERE_NEEDLES = tuple(f"{first}{sep}" for first in ("replace", "your") for sep in "-_")
"""Every match of :data:`_EVERYWHERE` in an ASCII text has one of these, in lower case."""


def _may_match_everywhere(text: str) -> bool:
    """False when :data:`_EVERYWHERE` cannot match ``text`` (found at C speed, unlike the regex).

    The case-insensitive regex takes tens of milliseconds over a 1 MB body, and the live
    preview checks it on every edit; a body without ``your-`` or ``replace-`` is skipped.
    Only ASCII texts are skipped: Unicode case folding matches more than ``str.lower`` maps.
    """
    if not text.isascii():
        return True
    lower = text.lower()
    return any(needle in lower for needle in _EVERYWHERE_NEEDLES)


def _fields(integration: Integration) -> Iterator[tuple[FieldPath, str, bool, bool]]:
    """(field, text, is a body, is secret) for every field an author fills in."""
    for index, variable in enumerate(integration.variables):
        if variable.mode is VariableMode.HERE and variable.vault is None:
            yield FieldPath.variable_value(index), variable.value, False, variable.secret
    for index, step in enumerate(integration.steps):
        yield FieldPath.step_url(index), step.url, False, False
        for number, header in enumerate(step.headers):
            yield FieldPath.step_header(index, number, "value"), header.value, False, False
        yield FieldPath.step_body(index), step.body, True, False
        username = step.authentication.username
        yield FieldPath.step_field(index, "authentication.username"), username, False, False


def placeholder_diagnostics(integration: Integration) -> list[Diagnostic]:
    """A warning at each placeholder value left from a template."""
    found: list[Diagnostic] = []
    for field, text, body, secret in _fields(integration):
        if not text:
            continue
        patterns = [_EVERYWHERE] if _may_match_everywhere(text) else []
        if not body:
            patterns.append(_ANGLED)
        if not patterns:
            continue
        index = LineIndex(text)
        for pattern in patterns:
            for match in pattern.finditer(text):
                found.append(
                    locate(
                        Diagnostic(
                            Severity.WARNING,
                            CODE,
                            # A secret's value is never quoted (it would be masked anyway).
                            ("the secret value" if secret else f"'{match.group(0)}'")
                            + " is a placeholder left from the template: replace it with "
                            "your own value before you send or copy this",
                            field,
                            match.start(),
                            match.end(),
                        ),
                        index,
                    )
                )
    return found
