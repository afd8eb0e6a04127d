"""The handover sheet: one self-contained HTML or Markdown document describing an integration.

It holds what a colleague (or an auditor) needs without the Studio: the integration's name,
purpose and target, its variables and steps, the exact request sent for each alert type, the
problems the checks find, and the latest test results. The document is rendered with Jinja2 from
``resources/export/handover.html.j2`` and ``handover.md.j2``:

- HTML is autoescaped, styled by inline CSS only, and loads nothing (no scripts, style sheets,
  images or fonts from anywhere), so it can be mailed, archived and printed as it is. Addresses
  in the user's data (a dashboard URL in a body) are shown as text, never turned into links.
- Markdown escapes what would change the meaning of table cells and text; bodies go into fenced
  code blocks whose fence no line of the body can close.

Secrets are masked everywhere, in every form (see :mod:`uptrends_studio.core.secrets`): the
requests by their secret spans, everything else by the integration's
:class:`~uptrends_studio.core.secrets.Masker`, unless ``reveal`` is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from uptrends_studio import __version__
from uptrends_studio.core.checks.content_type import BodyKind
from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.integration import check_integration
from uptrends_studio.core.checks.targets import TARGETS
from uptrends_studio.core.delivery.history import RunRecord
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    AlertType,
    HashFunction,
    Integration,
    JwtFunction,
    MappingFunction,
    RegexFunction,
    UserFunction,
    Variable,
    VariableMode,
)
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.errors import UsageError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import RenderedRequest, Renderer
from uptrends_studio.core.secrets import MASK, Masker, masked_request, masker_for
from uptrends_studio.paths import resource_path

if TYPE_CHECKING:
    import jinja2

HandoverFormat = Literal["html", "markdown"]
FORMATS: tuple[HandoverFormat, ...] = ("html", "markdown")
TEMPLATES: dict[HandoverFormat, str] = {
    "html": "handover.html.j2",
    "markdown": "handover.md.j2",
}
RESPONSE_BODY_CAP = 4000
"""Characters of a response body shown per exchange of a test result."""

_SEVERITY_TITLES = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.NOTE: "Notes"}
_MODE_TEXT = {
    VariableMode.HERE: "Specify value here",
    VariableMode.ESCALATION_LEVEL: "Specify value in escalation level",
}
Hider = Callable[[str], str]
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


@dataclass(frozen=True, slots=True)
class _VariableRow:
    name: str
    mode: str
    value: str
    secret: bool
    description: str


@dataclass(frozen=True, slots=True)
class _StepRow:
    number: int
    name: str
    error: bool
    ok: bool
    reminder: bool
    method: str
    url: str
    authentication: str


@dataclass(frozen=True, slots=True)
class _FunctionRow:
    name: str
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class _Message:
    alert_type: str
    requests: tuple[RenderedRequest, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _DiagnosticGroup:
    title: str
    severity: str
    diagnostics: tuple[Diagnostic, ...]


def handover(
    integration: Integration,
    sample: SampleSet,
    catalogue: Catalogue,
    *,
    records: Sequence[RunRecord] = (),
    fmt: HandoverFormat = "html",
    source: str = "",
    reveal: bool = False,
    now: datetime | None = None,
) -> str:
    """Render the handover sheet of ``integration``.

    Args:
        integration: The integration described.
        sample: The sample alert data the requests are rendered with.
        catalogue: The system-variable catalogue.
        records: Test results to include (already masked, as the history stores them), in
            the order to show them.
        fmt: ``html`` or ``markdown``.
        source: Where the integration comes from (a file name), shown under the title.
        reveal: Show secret values instead of masking them.
        now: The generation time shown in the footer (default: the current time).

    Returns:
        The document text, ending with a newline.

    Raises:
        UsageError: ``fmt`` is not a known format.
        SampleError: the sample's times or time zone cannot be used.
    """
    if fmt not in TEMPLATES:
        raise UsageError(f"unknown handover format {fmt!r}: use {' or '.join(FORMATS)}")
    renderer = Renderer(integration, catalogue)
    rendered = {t: renderer.render_alert(t, sample) for t in ALERT_TYPES}
    every = [r for requests in rendered.values() for r in requests]
    masker = Masker() if reveal else masker_for(integration, sample, every)
    hide = masker.mask

    target = TARGETS.get(integration.target)
    context = {
        "name": integration.name,
        "description": integration.description,
        "integration_type": integration.integration_type,
        "target": (
            f"{target.name} (rules from {target.docs})"
            if target is not None
            else integration.target or "none (a generic webhook)"
        ),
        "source": source,
        "sample": sample.name,
        "variables": [_variable_row(v, sample, hide, reveal) for v in integration.variables],
        "steps": [
            _StepRow(
                number=index + 1,
                name=step.name,
                error=ALERT_TYPES[0] in step.alert_types,
                ok=ALERT_TYPES[2] in step.alert_types,
                reminder=ALERT_TYPES[1] in step.alert_types,
                method=step.method,
                url=hide(step.url),
                authentication=step.authentication.type.value,
            )
            for index, step in enumerate(integration.steps)
        ],
        "functions": [_function_row(f, hide, reveal) for f in integration.functions],
        "messages": _messages(rendered, masker, reveal),
        "diagnostic_groups": _diagnostic_groups(
            check_integration(integration, sample, catalogue), hide
        ),
        "records": [_masked_record(r, hide) for r in records],
        "body_cap": RESPONSE_BODY_CAP,
        "masked_note": "" if reveal else f"Secret values are shown as {MASK}.",
        "generated": (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
    }
    text = _environment().get_template(TEMPLATES[fmt]).render(context)
    return text if text.endswith("\n") else text + "\n"


def _variable_row(variable: Variable, sample: SampleSet, hide: Hider, reveal: bool) -> _VariableRow:
    if variable.mode is VariableMode.ESCALATION_LEVEL:
        example = sample.escalation_level.get(variable.name, "")
        value = f"per escalation level (sample: {hide(example)})" if example else ""
        if variable.secret and example and not reveal:
            value = f"per escalation level (sample: {MASK})"
    elif variable.vault is not None:
        value = f"vault credential set {variable.vault.item}, {variable.vault.field.value}"
    elif variable.secret and not reveal:
        value = MASK
    else:
        value = hide(variable.value)
    return _VariableRow(
        name=variable.name,
        mode=_MODE_TEXT[variable.mode],
        value=value,
        secret=variable.secret,
        description=hide(variable.description),
    )


def _function_row(function: UserFunction, hide: Hider, reveal: bool) -> _FunctionRow:
    if isinstance(function, MappingFunction):
        rows = "; ".join(f"{e.source} → {e.target}" for e in function.mapping)
        return _FunctionRow(function.name, "Mapping", hide(rows or "no rows"))
    if isinstance(function, RegexFunction):
        return _FunctionRow(function.name, "Regular expression", hide(function.pattern))
    detail = function.algorithm
    if isinstance(function, JwtFunction):
        key = function.key
        shown = key if reveal or "{{" in key else MASK
        detail += f", signing key {hide(shown)}"
        if function.header:
            detail += f", header {hide(function.header)}"
        return _FunctionRow(function.name, "JSON Web Token (JWT) encode", detail)
    if isinstance(function, HashFunction) and function.algorithm.startswith("HMAC"):
        key = function.key
        shown = key if reveal or "{{" in key else MASK
        detail += f", secret key {hide(shown)}"
    return _FunctionRow(function.name, "Hash", detail)


def _messages(
    rendered: Mapping[AlertType, tuple[RenderedRequest, ...]], masker: Masker, reveal: bool
) -> list[_Message]:
    found = []
    for alert_type, requests in rendered.items():
        if not reveal:
            requests = tuple(masked_request(r, masker) for r in requests)
        found.append(
            _Message(alert_type.value, requests, tuple(_language(r.body_kind) for r in requests))
        )
    return found


def _language(kind: BodyKind) -> str:
    if kind is BodyKind.JSON:
        return "json"
    if kind is BodyKind.XML:
        return "xml"
    return ""


def _diagnostic_groups(diagnostics: Sequence[Diagnostic], hide: Hider) -> list[_DiagnosticGroup]:
    groups = []
    for severity, title in _SEVERITY_TITLES.items():
        chosen = tuple(
            replace(d, message=hide(d.message), fixes=())
            for d in diagnostics
            if d.severity is severity
        )
        if chosen:
            groups.append(_DiagnosticGroup(title, severity.value, chosen))
    return groups


@dataclass(frozen=True, slots=True)
class _ExchangeRow:
    step: str
    request_line: str
    status: str
    timing: str
    error: str
    response_body: str
    cut: bool
    success: bool


@dataclass(frozen=True, slots=True)
class _RecordRow:
    title: str
    outcome: str
    success: bool
    stopped: str
    exchanges: tuple[_ExchangeRow, ...]


def _masked_record(record: RunRecord, hide: Hider) -> _RecordRow:
    exchanges = []
    for exchange in record.exchanges:
        body = hide(exchange.response_body)
        cut = exchange.body_truncated or len(body) > RESPONSE_BODY_CAP
        status = "no answer"
        if exchange.status is not None:
            status = f"{exchange.status} {exchange.reason}".strip()
        exchanges.append(
            _ExchangeRow(
                step=f"{exchange.step_index + 1} '{exchange.step_name}'"
                + (" (helper)" if exchange.helper else ""),
                request_line=hide(f"{exchange.method} {exchange.url}"),
                status=status,
                timing=f"{exchange.total_ms:.0f} ms",
                error=hide(exchange.error),
                response_body=body[:RESPONSE_BODY_CAP],
                cut=cut,
                success=exchange.success,
            )
        )
    label = f", {record.label}" if record.label else ""
    if record.nothing_selected:
        outcome = "nothing sent (no step has this type ticked)"
    else:
        outcome = "delivered" if record.success else "failed"
    return _RecordRow(
        title=(
            f"{record.alert_type.value}: {record.started_at} (sample {record.sample_name}{label})"
        ),
        outcome=outcome,
        success=record.success,
        stopped=hide(record.stopped),
        exchanges=tuple(exchanges),
    )


def markdown_text(text: object) -> str:
    r"""Text for a Markdown paragraph or table cell: markup characters backslash-escaped.

    ``|`` cannot end a cell, ``<`` cannot open HTML, ``*``/``_``/backticks cannot start
    emphasis or code; line breaks become ``<br>`` so a cell stays on one line.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text))
    if escaped[:1] in ("#", "+", "-", "="):
        escaped = "\\" + escaped  # would start a heading or a list item
    return re.sub(r"\r\n|\r|\n", "<br>", escaped)


def markdown_fence(text: str, language: str = "") -> str:
    """A fenced code block holding ``text`` exactly; the fence is longer than any backtick run."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{fence}{language}\n{body}{fence}"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2  # on first use: keeps ~20 ms off the window's start-up

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_path("export"))),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "html.j2"), default_for_string=True
        ),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(md=markdown_text, fence=markdown_fence)
    return environment
