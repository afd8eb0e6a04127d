"""The full check of an integration: coverage, every template for every alert type, functions.

The rules of the integration's target (:mod:`uptrends_studio.core.checks.targets`) run on the
rendered messages too.

``check_integration`` is what ``uptrends-studio check`` prints and what the editor's problem list
shows. Diagnostics found for several alert types are merged into one, listing the types.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from uptrends_studio.core.checks.diagnostics import (
    Diagnostic,
    LineIndex,
    Severity,
    locate,
    merge,
)
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.checks.placeholders import placeholder_diagnostics
from uptrends_studio.core.checks.targets import (
    target_diagnostics,
)
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    AlertType,
    HashFunction,
    Integration,
    JwtFunction,
    MappingFunction,
    RegexFunction,
    VariableMode,
)
from uptrends_studio.core.document.samples import AlertData, SampleSet, alert_data
from uptrends_studio.core.language.budget import DEFAULT_RENDER_SECONDS, RenderBudget
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.language.evaluator import render, variable_diagnostics, variable_field
from uptrends_studio.core.language.functions import FunctionError, jwt_encode
from uptrends_studio.core.language.parser import NAME_RULE, is_reference_name
from uptrends_studio.core.rendering.messages import (
    RenderedRequest,
    Renderer,
    coverage,
    select_steps,
)
from uptrends_studio.core.secrets import Masker, masker_for


def check_integration(
    integration: Integration,
    sample: SampleSet,
    catalogue: Catalogue,
    *,
    budget_seconds: float = DEFAULT_RENDER_SECONDS,
) -> list[Diagnostic]:
    """Every diagnostic for the integration rendered with ``sample``, for all alert types.

    Raises:
        SampleError: the sample's times or time zone cannot be used.
    """
    return check_and_render(integration, sample, catalogue, budget_seconds=budget_seconds)[1]


def check_and_render(
    integration: Integration,
    sample: SampleSet,
    catalogue: Catalogue,
    *,
    budget_seconds: float = DEFAULT_RENDER_SECONDS,
    cancel: threading.Event | None = None,
) -> tuple[dict[AlertType, tuple[RenderedRequest, ...]], list[Diagnostic]]:
    """The requests sent for each alert type, and every diagnostic, in one pass.

    Each alert message (its steps, its predefined-variable values, and for Error the keys of
    the functions and the steps no type runs) is rendered within one render budget of
    ``budget_seconds``, so the whole check takes at most about three budgets of function work.

    Raises:
        SampleError: the sample's times or time zone cannot be used.
        RenderCancelled: ``cancel`` was set.
    """
    renderer = Renderer(integration, catalogue, budget_seconds=budget_seconds, cancel=cancel)
    requests: dict[AlertType, tuple[RenderedRequest, ...]] = {}
    found: list[Diagnostic] = list(coverage(integration))
    found += definition_diagnostics(integration)
    found += placeholder_diagnostics(integration)
    datas = {t: alert_data(sample, t, catalogue) for t in ALERT_TYPES}
    sent_steps = {s.index for t in ALERT_TYPES for s in select_steps(integration, t)}
    for alert_type in ALERT_TYPES:
        # One budget per alert message, started when its work starts: its steps, its
        # predefined-variable values and, with Error, the steps no type sends and the keys.
        budget = renderer.new_budget()
        sent = []
        for selected in select_steps(integration, alert_type):
            request = renderer.render_step(
                selected.index, datas[alert_type], helper=selected.helper, budget=budget
            )
            found += request.diagnostics
            sent.append(request)
        requests[alert_type] = tuple(sent)
        found += value_diagnostics(integration, renderer, datas[alert_type], budget)
        if alert_type is not AlertType.ERROR:
            continue
        for index in range(len(integration.steps)):
            if index not in sent_steps:
                # Never sent (its type is taken by an earlier step): still check its templates.
                request = renderer.render_step(index, datas[alert_type], budget=budget)
                found += (replace(d, alert_types=()) for d in request.diagnostics)
        found += function_diagnostics(integration, renderer, datas[alert_type], budget)
    found += target_diagnostics(integration, requests)
    # The evaluator never quotes a secret-derived value; this also covers a rule that quotes a
    # rendered value (a routing key) and a secret typed literally into a field.
    masker = masker_for(integration, sample, [r for sent in requests.values() for r in sent])
    found = [_masked(d, masker) for d in found]
    diagnostics = sort_diagnostics(_drop_full_types(merge(found), integration))
    return requests, diagnostics


def _masked(diagnostic: Diagnostic, masker: Masker) -> Diagnostic:
    message = masker.mask(diagnostic.message)
    return diagnostic if message == diagnostic.message else replace(diagnostic, message=message)


def _drop_full_types(diagnostics: list[Diagnostic], integration: Integration) -> list[Diagnostic]:
    """Drop the alert-type list of a step diagnostic found for every type the step runs for."""
    runs: dict[int, set[str]] = {}
    for alert_type in ALERT_TYPES:
        for selected in select_steps(integration, alert_type):
            runs.setdefault(selected.index, set()).add(alert_type.value)
    result = []
    for diagnostic in diagnostics:
        step = diagnostic.field.step_index
        types = runs.get(step) if step is not None else None
        if diagnostic.alert_types and set(diagnostic.alert_types) == types:
            diagnostic = replace(diagnostic, alert_types=())
        result.append(diagnostic)
    return result


def definition_diagnostics(integration: Integration) -> list[Diagnostic]:
    """Problems with names and values that do not depend on rendering."""
    found: list[Diagnostic] = []
    if not integration.name.strip():
        found.append(
            Diagnostic(Severity.WARNING, "no-name", "the integration has no name", FieldPath.NAME)
        )
    for index, variable in enumerate(integration.variables):
        field = FieldPath.variable(index)
        if not is_reference_name(variable.name):
            found.append(
                Diagnostic(
                    Severity.ERROR,
                    "bad-variable-name",
                    f"variable name {variable.name!r} cannot be referenced as "
                    f"{{{{name}}}}: {NAME_RULE}",
                    field.child("name"),
                    0,
                    len(variable.name),
                )
            )
    names = {v.name.casefold(): v.name for v in integration.variables}
    for index, function in enumerate(integration.functions):
        if function.name.casefold() in names:
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    "name-clash",
                    f"function {function.name!r} has the name of predefined variable "
                    f"{names[function.name.casefold()]!r}",
                    FieldPath.function_field(index, "name"),
                )
            )
    return found


def value_diagnostics(
    integration: Integration,
    renderer: Renderer,
    data: AlertData,
    budget: RenderBudget | None = None,
) -> list[Diagnostic]:
    """Problems inside the predefined-variable values that hold tokens, for one alert type.

    The values are evaluated once per message, so their unknown names, failed functions and
    reference cycles are reported at the value.
    """
    scope = renderer.scope(data, budget=budget)
    texts = {
        variable_field(scope, v): (
            data.escalation_level.get(v.name, "")
            if v.mode is VariableMode.ESCALATION_LEVEL
            else v.value
        )
        for v in integration.variables
    }
    found = []
    for diagnostic in variable_diagnostics(scope):
        located = locate(diagnostic, LineIndex(texts.get(diagnostic.field, "")))
        found.append(replace(located, alert_types=(data.alert_type.value,)))
    return found


def function_diagnostics(
    integration: Integration,
    renderer: Renderer,
    data: AlertData,
    budget: RenderBudget | None = None,
) -> list[Diagnostic]:
    """Problems in user-defined functions: invalid regex, duplicate mapping rows, HMAC keys."""
    found: list[Diagnostic] = []
    budget = budget or renderer.new_budget()
    for index, function in enumerate(integration.functions):
        field = FieldPath.function(index)
        if isinstance(function, RegexFunction):
            import regex  # on first use: about 40 ms of import

            try:
                regex.compile(function.pattern)
            except regex.error as exc:
                # regex.error carries pos and msg at run time; its stubs do not declare them.
                raw_position = getattr(exc, "pos", None) or 0
                position = min(raw_position, max(len(function.pattern) - 1, 0))
                found.append(
                    locate(
                        Diagnostic(
                            Severity.ERROR,
                            "invalid-regex",
                            f"invalid regular expression: {getattr(exc, 'msg', exc)}",
                            field.child("pattern"),
                            position,
                            position + 1,
                        ),
                        LineIndex(function.pattern),
                    )
                )
        elif isinstance(function, MappingFunction):
            seen: dict[str, int] = {}
            for row, entry in enumerate(function.mapping):
                if entry.source in seen:
                    found.append(
                        Diagnostic(
                            Severity.WARNING,
                            "duplicate-mapping",
                            f"'{entry.source}' is mapped again; row {seen[entry.source] + 1} wins",
                            field.child("mapping").at(row).child("from"),
                        )
                    )
                seen.setdefault(entry.source, row)
        elif isinstance(function, JwtFunction):
            found += _jwt_diagnostics(function, field, renderer, data, budget)
        elif isinstance(function, HashFunction) and function.algorithm.startswith("HMAC"):
            if not function.key:
                found.append(
                    Diagnostic(
                        Severity.ERROR,
                        "hmac-key-missing",
                        f"{function.algorithm} needs a secret key",
                        field.child("key"),
                    )
                )
            else:
                result = render(
                    renderer.template(function.key),
                    renderer.scope(data, budget=budget),
                    field.child("key"),
                    active=frozenset({function.name}),
                )
                index_ = LineIndex(function.key)
                found += (locate(d, index_) for d in result.diagnostics)
    return found


def _jwt_diagnostics(
    function: JwtFunction,
    field: FieldPath,
    renderer: Renderer,
    data: AlertData,
    budget: RenderBudget,
) -> list[Diagnostic]:
    """A JWT function's key (missing, unsuitable, its tokens) and header (tokens, not JSON)."""
    if not function.key:
        return [
            Diagnostic(
                Severity.ERROR,
                "jwt-key-missing",
                f"{function.algorithm} needs a signing key"
                + ("" if function.algorithm.startswith("HS") else " (a PEM private key)"),
                field.child("key"),
            )
        ]
    found: list[Diagnostic] = []
    texts = {}
    for name, text in (("key", function.key), ("header", function.header)):
        result = render(
            renderer.template(text),
            renderer.scope(data, budget=budget),
            field.child(name),
            active=frozenset({function.name}),
        )
        texts[name] = result.text
        index_ = LineIndex(text)
        found += (locate(d, index_) for d in result.diagnostics)
    if found:
        return found
    try:
        # Sign an empty claim set: shows a key that does not suit the algorithm, a weak HMAC
        # key and a header that is not a JSON object, even when no step calls the function.
        jwt_encode(function.algorithm, "{}", texts["key"], texts["header"])
    except FunctionError as exc:
        where = "header" if "header" in str(exc) else "key"
        severity = Severity.WARNING if exc.fallback is not None else Severity.ERROR
        found.append(Diagnostic(severity, "jwt-unusable", str(exc), field.child(where)))
    return found


def sort_diagnostics(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Order by field as the Uptrends screens show them, then position, then severity."""

    def field_rank(field: FieldPath) -> tuple[int, int, int, str]:
        if not field.section:
            return (9, 0, 0, str(field))
        number = -1 if field.item_index is None else field.item_index
        rest = str(field.rest)
        order = {"name": 0, "variables": 1, "steps": 2, "functions": 3}.get(field.section, 9)
        sub = ("alertTypes", "url", "headers", "body", "authentication")
        sub_rank = next((i for i, s in enumerate(sub) if rest.startswith(s)), len(sub))
        return (order, number, sub_rank, rest)

    return sorted(
        diagnostics,
        key=lambda d: (field_rank(d.field), d.line, d.column, d.severity.rank),
    )


def exit_status(diagnostics: list[Diagnostic], *, strict: bool) -> int:
    """1 if there is an error (or, with ``strict``, a warning), else 0."""
    bad = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(d.severity in bad for d in diagnostics) else 0
