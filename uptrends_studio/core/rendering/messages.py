"""Message types: which steps run for an alert type, coverage checks, and rendered requests.

Selection rules (see ``docs/semantics.md``): for an alert type, the first step with that type
ticked is the message step; steps with no type ticked are helper steps (e.g. fetching a token)
that run before it, in list order. When no step has the type ticked, nothing is sent for it (and
the helpers do not run either).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace

from uptrends_studio.core.checks.bodies import body_diagnostics, url_diagnostics
from uptrends_studio.core.checks.content_type import BodyKind, body_kind
from uptrends_studio.core.checks.diagnostics import (
    Diagnostic,
    LineIndex,
    Severity,
    locate,
)
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.document.model import ALERT_TYPES, AlertType, AuthType, Integration, Step
from uptrends_studio.core.document.samples import AlertData, SampleSet, alert_data
from uptrends_studio.core.language.budget import DEFAULT_RENDER_SECONDS, RenderBudget
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.language.evaluator import Rendered, Scope, render
from uptrends_studio.core.language.parser import Template, parse


@dataclass(frozen=True, slots=True)
class SelectedStep:
    """A step chosen to run for an alert type; ``helper`` marks steps with no type ticked."""

    index: int
    step: Step
    helper: bool


def select_steps(integration: Integration, alert_type: AlertType) -> tuple[SelectedStep, ...]:
    """The steps that run for ``alert_type``, in the order they run."""
    message = next(
        (i for i, step in enumerate(integration.steps) if alert_type in step.alert_types), None
    )
    if message is None:
        return ()
    helpers = [
        SelectedStep(i, step, True)
        for i, step in enumerate(integration.steps)
        if not step.alert_types
    ]
    return (*helpers, SelectedStep(message, integration.steps[message], False))


def placeholders(integration: Integration) -> dict[str, str]:
    """Stand-in values for response variables in a preview (no request has been sent).

    ``{{token}}`` taken from step 1's answer previews as ``<token from step 1>``.
    """
    return {
        variable.name: f"<{variable.name} from step {index + 1}>"
        for index, step in enumerate(integration.steps)
        for variable in step.response_variables
    }


def coverage(integration: Integration) -> list[Diagnostic]:
    """Check the Error/Reminder/Ok ticks across steps.

    A type ticked on two steps is an error (Uptrends allows one); no step for Error is an
    error; no step for Reminder or Ok is a note (those messages are then not sent).
    """
    found: list[Diagnostic] = []
    if not integration.steps:
        return [
            Diagnostic(Severity.ERROR, "no-steps", "the integration has no steps", FieldPath.STEPS)
        ]
    for alert_type in ALERT_TYPES:
        ticked = [i for i, s in enumerate(integration.steps) if alert_type in s.alert_types]
        for extra in ticked[1:]:
            found.append(
                Diagnostic(
                    Severity.ERROR,
                    "type-ticked-twice",
                    f"{alert_type.value} is ticked on step {ticked[0] + 1} "
                    f"('{integration.steps[ticked[0]].name}') and step {extra + 1} "
                    f"('{integration.steps[extra].name}'); Uptrends allows it on one step only",
                    FieldPath.step_field(extra, "alertTypes"),
                )
            )
        if not ticked:
            if alert_type is AlertType.ERROR:
                found.append(
                    Diagnostic(
                        Severity.ERROR,
                        "no-error-step",
                        "no step has Error ticked: nothing is sent when an alert opens",
                        FieldPath.STEPS,
                    )
                )
            else:
                found.append(
                    Diagnostic(
                        Severity.NOTE,
                        f"no-{alert_type.value.lower()}-step",
                        f"no step has {alert_type.value} ticked: {alert_type.value} messages "
                        "are not sent",
                        FieldPath.STEPS,
                    )
                )
    return found


@dataclass(frozen=True, slots=True)
class RenderedRequest:
    """One HTTP request as Uptrends would send it.

    ``fields`` holds the render result of each template field (``url``, ``headers[0].value``,
    ``body``, ``authentication.username``, ...) for source mapping in the editor.
    """

    step_index: int
    step_name: str
    alert_type: AlertType
    helper: bool
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str
    body_kind: BodyKind
    auth_type: AuthType
    username: str
    password: str
    fields: Mapping[str, Rendered] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The shape ``render --format json`` prints."""
        return {
            "step": self.step_name,
            "alertType": self.alert_type.value,
            "method": self.method,
            "url": self.url,
            "headers": [[name, value] for name, value in self.headers],
            "body": self.body,
            "authentication": {
                "type": self.auth_type.value,
                "username": self.username,
                "password": self.password,
            },
        }


def field_prefix(index: int) -> FieldPath:
    """``steps[2]`` for step index 2 (diagnostic field names are 0-based)."""
    return FieldPath.step(index)


class Renderer:
    """Renders an integration's steps; parsed templates are cached by text.

    One renderer serves one integration value; build a new one when the integration changes
    (cheap: parsing is lazy and cached per template text).

    Each alert message is rendered within a :class:`RenderBudget` of ``budget_seconds``
    (:meth:`render_alert` makes one per message; :meth:`render_step` takes one, or makes its
    own); ``cancel`` stops every render of this renderer at its next token.
    """

    def __init__(
        self,
        integration: Integration,
        catalogue: Catalogue,
        *,
        budget_seconds: float = DEFAULT_RENDER_SECONDS,
        cancel: threading.Event | None = None,
    ) -> None:
        self.integration = integration
        self.catalogue = catalogue
        self.budget_seconds = budget_seconds
        self.cancel = cancel
        self._templates: dict[str, Template] = {}
        self._results: dict[Hashable, object] = {}

    def new_budget(self) -> RenderBudget:
        """A fresh budget for one alert message (the deadline starts now).

        The budgets of one renderer share the memo of pure function results.
        """
        return RenderBudget(self.budget_seconds, cancel=self.cancel, results=self._results)

    def template(self, text: str) -> Template:
        """Parse ``text`` once."""
        cached = self._templates.get(text)
        if cached is None:
            cached = self._templates[text] = parse(text)
        return cached

    def scope(
        self,
        data: AlertData,
        extra: Mapping[str, str] | None = None,
        budget: RenderBudget | None = None,
    ) -> Scope:
        """The evaluation scope for one alert message (a new budget unless one is given)."""
        integration = self.integration
        return Scope(
            catalogue=self.catalogue,
            values=data.values,
            variables={v.name: v for v in integration.variables},
            escalation_level=data.escalation_level,
            custom_fields=data.custom_fields,
            vault=data.vault,
            functions={f.name: f for f in integration.functions},
            now=data.now,
            seed=data.seed,
            salt=data.alert_type.value,
            extra=extra or {},
            budget=budget or self.new_budget(),
        )

    def variable_value(self, name: str, data: AlertData) -> str:
        """What ``{{name}}`` renders to in this message: tokens in the value are evaluated."""
        return render(
            parse("{{" + name + "}}"), self.scope(data, placeholders(self.integration))
        ).text

    def render_step(
        self,
        index: int,
        data: AlertData,
        *,
        helper: bool = False,
        extra: Mapping[str, str] | None = None,
        budget: RenderBudget | None = None,
    ) -> RenderedRequest:
        """Render step ``index`` for the alert message described by ``data``.

        ``budget`` is the message's render budget, shared with its other steps (default: a
        new one for this step).
        """
        step = self.integration.steps[index]
        scope = self.scope(data, extra, budget)
        prefix = field_prefix(index)
        fields: dict[str, Rendered] = {}
        diagnostics: list[Diagnostic] = []

        def run(name: FieldPath, text: str, form: bool = False) -> str:
            full = prefix.then(name)
            result = render(self.template(text), scope, full, form_encode=form)
            fields[str(name)] = result
            if result.diagnostics:
                index_ = LineIndex(text)
                diagnostics.extend(locate(d, index_) for d in result.diagnostics)
            return result.text

        url = run(FieldPath.relative("url"), step.url)
        diagnostics.extend(
            url_diagnostics(self.template(step.url), prefix.child("url"), self.catalogue)
        )
        headers: list[tuple[str, str]] = []
        content_type: str | None = None
        for header_index, header in enumerate(step.headers):
            value_field = FieldPath.header(header_index, "value")
            value = run(value_field, header.value)
            name = header.name.strip()
            headers.append((name, value))
            value_index = LineIndex(header.value)
            diagnostics.extend(
                locate(d, value_index)
                for d in header_diagnostics(
                    prefix.then(FieldPath.header(header_index)),
                    name,
                    fields[str(value_field)],
                )
            )
            if name.lower() == "content-type":
                if content_type is None:
                    content_type = value
                else:
                    diagnostics.append(
                        Diagnostic(
                            Severity.WARNING,
                            "duplicate-content-type",
                            "a second Content-Type header: the first one decides how the body "
                            "is checked, and targets may read either",
                            prefix.then(FieldPath.header(header_index, "name")),
                        )
                    )
        kind = body_kind(content_type)
        body = run(FieldPath.relative("body"), step.body, form=kind is BodyKind.FORM)
        auth = step.authentication
        username = password = ""
        if auth.type is not AuthType.NONE:
            username = run(FieldPath.relative("authentication.username"), auth.username)
            password = run(FieldPath.relative("authentication.password"), auth.password)
        diagnostics.extend(
            body_diagnostics(
                step, prefix, kind, self.template(step.body), fields["body"], self.catalogue
            )
        )
        typed = tuple((d if d.alert_types else _with_type(d, data.alert_type)) for d in diagnostics)
        return RenderedRequest(
            step_index=index,
            step_name=step.name,
            alert_type=data.alert_type,
            helper=helper,
            method=step.method,
            url=url,
            headers=tuple(headers),
            body=body,
            body_kind=kind,
            auth_type=auth.type,
            username=username,
            password=password,
            fields=fields,
            diagnostics=typed,
        )

    def urls(self, data: AlertData) -> list[str]:
        """The rendered URL of each step that runs for ``data``'s alert type (nothing else)."""
        scope = self.scope(data, placeholders(self.integration))
        return [
            render(self.template(selected.step.url), scope).text
            for selected in select_steps(self.integration, data.alert_type)
        ]

    def render_alert(self, alert_type: AlertType, sample: SampleSet) -> tuple[RenderedRequest, ...]:
        """Render every step that runs for ``alert_type``, in order.

        Raises:
            SampleError: the sample's times or time zone cannot be used.
        """
        data = alert_data(sample, alert_type, self.catalogue)
        extra = placeholders(self.integration)
        budget = self.new_budget()
        return tuple(
            self.render_step(sel.index, data, helper=sel.helper, extra=extra, budget=budget)
            for sel in select_steps(self.integration, alert_type)
        )


_HEADER_NAME_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


def header_diagnostics(header: FieldPath, name: str, value: Rendered) -> list[Diagnostic]:
    """An unusable header name, or a rendered value with a line break (invalid HTTP)."""
    found: list[Diagnostic] = []
    if not _HEADER_NAME_RE.match(name):
        problem = "is empty" if not name else "may only use letters, digits and !#$%&'*+-.^_`|~"
        found.append(
            Diagnostic(
                Severity.ERROR,
                "bad-header-name",
                f"header name {name!r} {problem}; the request cannot be sent",
                header.child("name"),
                0,
                len(name),
            )
        )
    match = re.search(r"[\r\n]", value.text)
    if match is not None:
        start, end = value.source_offset(match.start())
        found.append(
            Diagnostic(
                Severity.ERROR,
                "header-line-break",
                "the rendered header value contains a line break: HTTP clients refuse to send it "
                "(free text such as a description does not belong in a header)",
                header.child("value"),
                start,
                max(end, start + 1),
            )
        )
    return found


def _with_type(diagnostic: Diagnostic, alert_type: AlertType) -> Diagnostic:
    return replace(diagnostic, alert_types=(alert_type.value,))
