"""The building blocks of target rules: rendered messages, JSON paths and rule factories.

A rule is a plain function. A *message rule* takes one :class:`Message` (the message step sent
for one alert type, with its body parsed as JSON) and returns diagnostics; a *cross rule* takes
the messages of every alert type at once (for keys that must match between Error and Ok). The
factories below (:func:`required`, :func:`max_length`, :func:`one_of`, ...) build the common
ones from data, so a target module is mostly a table of limits.

Paths are written ``payload.summary``, ``blocks[*].text.text`` or ``attachments[0].content``,
in the one JSON-path syntax of :mod:`uptrends_studio.core.document.json_path` (the response
variables of a test run use it too).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from uptrends_studio.core.checks.content_type import BodyKind
from uptrends_studio.core.checks.diagnostics import (
    Diagnostic,
    LineIndex,
    Severity,
    locate,
)
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.document.json_path import Path, find, format_path, parse_path
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.language.evaluator import Rendered
from uptrends_studio.core.rendering.messages import RenderedRequest


class _Missing:
    """The value of a path that is not in the body."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

_WS_RE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]  # untyped in typeshed


def json_span(text: str, path: Path) -> tuple[int, int] | None:
    """The offsets of the JSON value at ``path`` in ``text``, or ``None`` if it is not there.

    Values are skipped with the C-accelerated decoder, so a 1 MB string costs one scan. With
    duplicate object keys the last one wins, as in :func:`json.loads`.
    """
    try:
        return _json_span(text, path)
    except (ValueError, IndexError):
        return None


def _json_span(text: str, path: Path) -> tuple[int, int] | None:
    pos = _skip_ws(text, 0)
    for key in path:
        found: int | None = None
        if isinstance(key, str) and text[pos] == "{":
            pos = _skip_ws(text, pos + 1)
            while text[pos] == '"':
                name, pos = _scanstring(text, pos + 1)
                pos = _skip_ws(text, pos)
                pos = _skip_ws(text, pos + 1)  # the colon
                if name == key:
                    found = pos
                _, end = _DECODER.raw_decode(text, pos)
                pos = _skip_ws(text, end)
                if text[pos] != ",":
                    break
                pos = _skip_ws(text, pos + 1)
        elif isinstance(key, int) and text[pos] == "[":
            pos = _skip_ws(text, pos + 1)
            index = 0
            while text[pos] != "]":
                if index == key:
                    found = pos
                    break
                _, end = _DECODER.raw_decode(text, pos)
                pos = _skip_ws(text, end)
                if text[pos] != ",":
                    break
                pos = _skip_ws(text, pos + 1)
                index += 1
        if found is None:
            return None
        pos = found
    _, end = _DECODER.raw_decode(text, pos)
    return pos, end


def _skip_ws(text: str, pos: int) -> int:
    match = _WS_RE.match(text, pos)
    return match.end() if match else pos


def template_span(rendered: Rendered, start: int, end: int) -> tuple[int, int]:
    """Map the rendered span ``[start, end)`` back to the template text it came from."""
    first = rendered.source_offset(start)
    last = rendered.source_offset(max(end - 1, start))
    return min(first[0], last[0]), max(first[1], last[1], first[0] + 1)


@dataclass(frozen=True, slots=True)
class Message:
    """The message step sent for one alert type, with its rendered body parsed as JSON.

    Attributes:
        alert_type: Error, Reminder or Ok.
        request: The rendered request (``fields`` maps output offsets back to the template).
        body_template: The step's body template, for line and column numbers.
        url_template: The step's URL template.
        body: The parsed JSON body, or :data:`MISSING` when the body is not (valid) JSON.
    """

    alert_type: AlertType
    request: RenderedRequest
    body_template: str
    url_template: str
    body: object = MISSING
    _spans: dict[Path, tuple[int, int] | None] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, request: RenderedRequest, body_template: str, url_template: str) -> Message:
        """Parse the request's body when its Content-Type says JSON."""
        body: object = MISSING
        if request.body_kind is BodyKind.JSON and request.body.strip():
            try:
                body = json.loads(request.body)
            except (ValueError, RecursionError):
                body = MISSING  # reported as invalid-json by the body checks
        return cls(request.alert_type, request, body_template, url_template, body)

    @property
    def is_json(self) -> bool:
        """True when the body parsed as JSON."""
        return self.body is not MISSING

    @property
    def unreadable(self) -> bool:
        """True when the body should be JSON but does not parse (reported as invalid-json)."""
        request = self.request
        return (
            request.body_kind is BodyKind.JSON and bool(request.body.strip()) and not self.is_json
        )

    @property
    def field_prefix(self) -> FieldPath:
        """``steps[i]`` of the step that sent this message."""
        return FieldPath.step(self.request.step_index)

    def get(self, path: Path | str) -> object:
        """The value at ``path`` (no wildcards), or :data:`MISSING`."""
        return next((v for _, v in self.find(path)), MISSING)

    def find(self, path: Path | str) -> Iterator[tuple[Path, object]]:
        """Every ``(concrete path, value)`` matching ``path``; ``[*]`` expands arrays."""
        yield from find(self.body, path)

    def span(self, path: Path) -> tuple[int, int]:
        """The template span of the value at ``path``, or of its nearest present ancestor."""
        rendered = self.request.fields.get("body")
        if rendered is None:
            return 0, 0
        for length in range(len(path), -1, -1):
            prefix = path[:length]
            if prefix not in self._spans:
                self._spans[prefix] = json_span(rendered.text, prefix)
            found = self._spans[prefix]
            if found is not None:
                start, end = found
                if length < len(path):
                    end = start + 1  # an ancestor: point at its opening bracket only
                return template_span(rendered, start, end)
        return 0, 0

    def diagnostic(
        self, severity: Severity, code: str, message: str, path: Path | str = ()
    ) -> Diagnostic:
        """A diagnostic on the body at the template position of ``path``."""
        parts = parse_path(path) if isinstance(path, str) else path
        start, end = self.span(parts)
        return locate(
            Diagnostic(
                severity,
                code,
                message,
                self.field_prefix.child("body"),
                start,
                end,
                alert_types=(self.alert_type.value,),
            ),
            LineIndex(self.body_template),
        )

    def url_diagnostic(
        self, severity: Severity, code: str, message: str, start: int = 0, end: int = 0
    ) -> Diagnostic:
        """A diagnostic on the URL at the template position of rendered ``[start, end)``."""
        rendered = self.request.fields.get("url")
        span = template_span(rendered, start, end) if rendered is not None else (0, 0)
        return locate(
            Diagnostic(
                severity,
                code,
                message,
                self.field_prefix.child("url"),
                span[0],
                span[1],
                alert_types=(self.alert_type.value,),
            ),
            LineIndex(self.url_template),
        )


MessageRule = Callable[[Message], list[Diagnostic]]
"""A rule on one rendered message."""
CrossRule = Callable[[Sequence[Message]], list[Diagnostic]]
"""A rule on the messages of all alert types together (Error, Reminder, Ok order)."""
Condition = Callable[[Message], bool]
"""Whether a rule applies to a message (e.g. only to Opsgenie's create request)."""


@dataclass(frozen=True, slots=True)
class Target:
    """A target system and the rules its messages must follow.

    Attributes:
        key: The value of ``Integration.target`` (``pagerduty``).
        name: Display name used in messages (``PagerDuty``).
        docs: The public API documentation the rules come from.
        rules: Rules on each message.
        cross_rules: Rules across the messages of the alert types.
    """

    key: str
    name: str
    docs: str
    rules: tuple[MessageRule, ...] = ()
    cross_rules: tuple[CrossRule, ...] = ()


def _shown(value: object, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _always(_: Message) -> bool:
    return True


def is_post_to(suffix_re: str) -> Condition:
    """Applies to a POST whose URL path (before ``?``) matches ``suffix_re`` at its end."""
    pattern = re.compile(f"(?:{suffix_re})$")

    def condition(message: Message) -> bool:
        path = message.request.url.split("?", 1)[0].rstrip("/")
        return message.request.method == "POST" and pattern.search(path) is not None

    return condition


def required(
    code: str, who: str, path: str, *, when: Condition = _always, non_empty: bool = True
) -> MessageRule:
    """An error when ``path`` is missing (or, with ``non_empty``, an empty string)."""
    parts = parse_path(path)

    def rule(message: Message) -> list[Diagnostic]:
        if not message.is_json or not when(message):
            return []
        value = message.get(parts)
        if value is MISSING or value is None:
            text = f"{path} is missing; {who} requires it"
        elif non_empty and isinstance(value, str) and not value.strip():
            text = f"{path} renders empty; {who} requires a value"
        else:
            return []
        return [message.diagnostic(Severity.ERROR, code, text, parts)]

    return rule


def max_length(
    code: str,
    who: str,
    path: str,
    limit: int,
    *,
    severity: Severity = Severity.ERROR,
    consequence: str = "rejects the message",
) -> MessageRule:
    """A diagnostic for each string at ``path`` longer than ``limit`` characters."""
    parts = parse_path(path)

    def rule(message: Message) -> list[Diagnostic]:
        found = []
        for where, value in message.find(parts):
            if isinstance(value, str) and len(value) > limit:
                found.append(
                    message.diagnostic(
                        severity,
                        code,
                        f"{format_path(where)} renders {len(value):,} characters; {who} allows "
                        f"at most {limit:,} and {consequence}",
                        where,
                    )
                )
        return found

    return rule


def max_items(code: str, who: str, path: str, limit: int) -> MessageRule:
    """An error when the array at ``path`` has more than ``limit`` elements."""
    parts = parse_path(path)

    def rule(message: Message) -> list[Diagnostic]:
        value = message.get(parts)
        if isinstance(value, list) and len(value) > limit:
            return [
                message.diagnostic(
                    Severity.ERROR,
                    code,
                    f"{path} has {len(value)} elements; {who} allows at most {limit}",
                    parts,
                )
            ]
        return []

    return rule


def one_of(
    code: str,
    who: str,
    path: str,
    allowed: Sequence[str],
    *,
    when: Condition = _always,
    severity: Severity = Severity.ERROR,
) -> MessageRule:
    """A diagnostic for each value at ``path`` (when present) that is not one of ``allowed``."""
    parts = parse_path(path)

    def rule(message: Message) -> list[Diagnostic]:
        if not when(message):
            return []
        found = []
        for where, value in message.find(parts):
            if value not in allowed:
                found.append(
                    message.diagnostic(
                        severity,
                        code,
                        f"{format_path(where)} renders {_shown(value)}; {who} accepts only "
                        f"{', '.join(allowed)}",
                        where,
                    )
                )
        return found

    return rule


def any_of(code: str, who: str, paths: Sequence[str], *, when: Condition = _always) -> MessageRule:
    """An error when none of ``paths`` holds a non-empty value."""
    parsed = [parse_path(p) for p in paths]

    def rule(message: Message) -> list[Diagnostic]:
        if not message.is_json or not when(message):
            return []
        for parts in parsed:
            value = message.get(parts)
            if value not in (MISSING, None, "", [], {}):
                return []
        names = " or ".join(paths)
        return [
            message.diagnostic(
                Severity.ERROR, code, f"the message has no {names}; {who} needs at least one"
            )
        ]

    return rule


def max_body_bytes(code: str, who: str, limit: int) -> MessageRule:
    """An error when the UTF-8 body is larger than ``limit`` bytes."""

    def rule(message: Message) -> list[Diagnostic]:
        size = len(message.request.body.encode("utf-8", "surrogatepass"))
        if size <= limit:
            return []
        return [
            message.diagnostic(
                Severity.ERROR,
                code,
                f"the body is {size:,} bytes; {who} accepts at most {limit:,} bytes "
                f"({limit // 1024} KB). Leave long values such as @alert.responseBody out",
            )
        ]

    return rule


def expected_for_type(
    code: str,
    who: str,
    path: str,
    expected: Mapping[AlertType, Sequence[str]],
    consequence: str,
) -> MessageRule:
    """A warning when the value at ``path`` is not what ``alert_type`` should send."""
    parts = parse_path(path)

    def rule(message: Message) -> list[Diagnostic]:
        wanted = expected.get(message.alert_type)
        value = message.get(parts)
        if not wanted or value is MISSING or value in wanted:
            return []
        return [
            message.diagnostic(
                Severity.WARNING,
                code,
                f"the {message.alert_type.value} message sends {path} {_shown(value)}, not "
                f"{' or '.join(repr(w) for w in wanted)}: {consequence}",
                parts,
            )
        ]

    return rule


DiagnosticAt = Callable[[Severity, str, str], Diagnostic]
"""Builds a diagnostic (severity, code, message) at a fixed place."""
KeyExtractor = Callable[[Message], tuple[str, DiagnosticAt] | None]
"""The correlation key of a message, and a way to report a problem where it was written."""


def body_key(path: str) -> KeyExtractor:
    """Extract a correlation key from the body at ``path``."""
    parts = parse_path(path)

    def extract(message: Message) -> tuple[str, DiagnosticAt] | None:
        value = message.get(parts)
        if not isinstance(value, str):
            return None

        def at(severity: Severity, code: str, text: str) -> Diagnostic:
            return message.diagnostic(severity, code, text, parts)

        return value, at

    return extract


def same_across_types(
    code: str, who: str, what: str, extractors: Sequence[KeyExtractor]
) -> CrossRule:
    """An error when the messages' correlation keys differ, or one message lacks it.

    ``extractors`` are tried in order on each message; the first that finds a key wins (e.g.
    Opsgenie's ``alias`` in the create body, then in the close URL). Messages whose JSON body
    does not parse are left out (that is reported as invalid JSON).
    """

    def key_of(message: Message) -> tuple[str, DiagnosticAt] | None:
        for extract in extractors:
            found = extract(message)
            if found is not None:
                return found
        return None

    def rule(messages: Sequence[Message]) -> list[Diagnostic]:
        keyed = [m for m in messages if not m.unreadable]
        if len(keyed) < 2:
            return []
        first = keyed[0]
        probe = key_of(first)
        found: list[Diagnostic] = []
        for message in keyed[1:]:
            other = key_of(message)
            if other is None:
                if probe is None:
                    continue
                text = (
                    f"{message.alert_type.value} sends no {what}: {who} cannot match it to the "
                    f"incident opened by {first.alert_type.value}. Send {{{{@incident.key}}}}"
                )
                diagnostic = message.diagnostic(Severity.ERROR, code, text)
            elif probe is None:
                text = (
                    f"{first.alert_type.value} sends no {what} but {message.alert_type.value} "
                    f"does: {who} cannot match the messages of one incident. Send "
                    "{{@incident.key}} in every message"
                )
                diagnostic = other[1](Severity.ERROR, code, text)
            elif other[0] != probe[0]:
                text = (
                    f"{what} differs between {first.alert_type.value} ({_shown(probe[0])}) and "
                    f"{message.alert_type.value} ({_shown(other[0])}): {who} cannot match them "
                    "to one incident. Use {{@incident.key}} in both"
                )
                diagnostic = other[1](Severity.ERROR, code, text)
            else:
                continue
            found.append(_with_types(diagnostic, first, message))
        return found

    return rule


def _with_types(diagnostic: Diagnostic, *messages: Message) -> Diagnostic:
    types = tuple(dict.fromkeys(m.alert_type.value for m in messages))
    return replace(diagnostic, alert_types=types)
