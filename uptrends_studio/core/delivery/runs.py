"""Test runs: the steps of one alert type sent in order, and the Error → Reminder → Ok lifecycle.

A run renders each selected step just before sending it, so a helper step's response variables
(a token from a JSON body, a header, the status code) are available to the steps after it as
``{{name}}``. A step that fails (no answer, or a status of 400 or more) stops the run: the steps
after it are listed as not sent, with the reason. See ``docs/semantics.md`` ("Test sends").
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from uptrends_studio.core.delivery.sending import (
    ErrorKind,
    Exchange,
    SendOptions,
    new_session,
    send,
)
from uptrends_studio.core.document.json_path import JsonPathError, value_at
from uptrends_studio.core.document.model import (
    AlertType,
    Integration,
    ResponseSource,
    ResponseVariable,
)
from uptrends_studio.core.document.samples import SampleSet, alert_data
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import RenderedRequest, Renderer, select_steps

if TYPE_CHECKING:
    # imported on the first run (start-up time), see core/delivery/sending.py
    from uptrends_studio.core.delivery.http_session import GuardedSession


@dataclass(frozen=True, slots=True)
class ExtractedVariable:
    """A response variable after its step ran; ``problem`` says why it has no value."""

    name: str
    value: str
    step_index: int
    problem: str = ""


@dataclass(frozen=True, slots=True)
class StepRun:
    """One sent step of a run and the response variables taken from its answer."""

    exchange: Exchange
    variables: tuple[ExtractedVariable, ...] = ()

    @property
    def success(self) -> bool:
        """Delivered, and every response variable found."""
        return self.exchange.success and not any(v.problem for v in self.variables)


@dataclass(frozen=True, slots=True)
class AlertRun:
    """Every step sent for one alert type, in order."""

    alert_type: AlertType
    sample_name: str
    started_at: datetime
    steps: tuple[StepRun, ...]
    not_sent: tuple[int, ...] = ()
    """Indexes of selected steps that were not sent because an earlier one failed."""
    stopped: str = ""
    """Why the run stopped early ("" when every selected step ran)."""

    @property
    def nothing_selected(self) -> bool:
        """No step has this alert type ticked: Uptrends sends nothing."""
        return not self.steps and not self.stopped

    @property
    def success(self) -> bool:
        """Every selected step delivered."""
        return bool(self.steps) and not self.stopped and all(s.success for s in self.steps)

    @property
    def message(self) -> StepRun | None:
        """The run of the message step (the step with this alert type ticked), if it ran."""
        return next((s for s in self.steps if not s.exchange.request.helper), None)


_MIN_GUARDED = 3
"""A response variable this long or longer (a token) is treated as a secret on redirects."""


def json_path_value(document: object, path: str) -> object:
    """The value at ``path`` (syntax: :mod:`uptrends_studio.core.document.json_path`) in a document.

    Raises:
        KeyError: naming the part of the path that is not there.
        JsonPathError: for a path that does not follow the syntax.
    """
    return value_at(document, path)


def _as_text(value: object) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def extract(variable: ResponseVariable, exchange: Exchange) -> ExtractedVariable:
    """Take one response variable's value from an exchange."""
    index = exchange.request.step_index

    def missing(problem: str) -> ExtractedVariable:
        return ExtractedVariable(variable.name, "", index, problem)

    if exchange.status is None:
        return missing("the step got no answer")
    if variable.source is ResponseSource.STATUS_CODE:
        return ExtractedVariable(variable.name, str(exchange.status), index)
    if variable.source is ResponseSource.HEADER:
        value = exchange.response_header(variable.property.strip())
        if value is None:
            return missing(f"the answer has no header {variable.property.strip()!r}")
        return ExtractedVariable(variable.name, value, index)
    if exchange.body_size > len(exchange.body):
        return missing("the response body is too large to read a JSON value from")
    try:
        document = json.loads(exchange.body_text)
    except ValueError:
        return missing("the response body is not JSON")
    try:
        return ExtractedVariable(
            variable.name, _as_text(json_path_value(document, variable.property)), index
        )
    except (KeyError, JsonPathError) as exc:
        return missing(f"JSON path {variable.property!r}: {exc.args[0]}")


def with_escalation_values(sample: SampleSet, overrides: Mapping[str, str]) -> SampleSet:
    """The sample with escalation-level variable values replaced (the test dialog's fields)."""
    if not overrides:
        return sample
    return replace(sample, escalation_level={**sample.escalation_level, **overrides})


def run_alert(
    integration: Integration,
    sample: SampleSet,
    alert_type: AlertType,
    catalogue: Catalogue,
    options: SendOptions | None = None,
    *,
    session: GuardedSession | None = None,
    cancel: threading.Event | None = None,
    on_step: Callable[[StepRun], None] | None = None,
    secrets: Sequence[str] = (),
    reroute: Callable[[RenderedRequest], RenderedRequest] | None = None,
) -> AlertRun:
    """Send the steps that run for ``alert_type``, in order, and wait for each answer.

    ``secrets`` (and every response variable's value) are not sent on when a redirect leads
    to another host (see :func:`uptrends_studio.core.delivery.sending.redirect_strip`).
    ``reroute`` changes each rendered request just before it is sent (the caller's policy,
    such as "every step to the local receiver"); the integration is not touched.

    Raises:
        SampleError: the sample's times or time zone cannot be used.
    """
    started = datetime.now(UTC)
    data = alert_data(sample, alert_type, catalogue)
    renderer = Renderer(integration, catalogue)
    selected = select_steps(integration, alert_type)
    values: dict[str, str] = {}
    done: list[StepRun] = []
    stopped = ""
    guarded = list(secrets)
    own_session = session is None
    active = session or new_session()
    try:
        for position, chosen in enumerate(selected):
            if cancel is not None and cancel.is_set():
                stopped = "cancelled"
                break
            request = renderer.render_step(
                chosen.index, data, helper=chosen.helper, extra=dict(values)
            )
            if reroute is not None:
                request = reroute(request)
            exchange = send(request, options, session=active, cancel=cancel, secrets=guarded)
            extracted = tuple(extract(v, exchange) for v in chosen.step.response_variables)
            values.update((v.name, v.value) for v in extracted if not v.problem)
            guarded.extend(v.value for v in extracted if len(v.value) >= _MIN_GUARDED)
            step_run = StepRun(exchange, extracted)
            done.append(step_run)
            if on_step is not None:
                on_step(step_run)
            if not step_run.success and position < len(selected) - 1:
                stopped = _stop_reason(step_run)
                break
    finally:
        if own_session:
            active.close()
    sent = {run.exchange.request.step_index for run in done}
    return AlertRun(
        alert_type=alert_type,
        sample_name=sample.name,
        started_at=started,
        steps=tuple(done),
        not_sent=tuple(s.index for s in selected if s.index not in sent),
        stopped=stopped,
    )


def _stop_reason(run: StepRun) -> str:
    exchange = run.exchange
    name = f"step {exchange.request.step_index + 1} ('{exchange.request.step_name}')"
    if exchange.error is not None and exchange.error.kind is ErrorKind.CANCELLED:
        return "cancelled"
    if exchange.error is not None:
        return f"{name} failed: {exchange.error.message}"
    if not exchange.success:
        return f"{name} answered {exchange.status} {exchange.reason}".rstrip()
    problems = "; ".join(f"{{{{{v.name}}}}}: {v.problem}" for v in run.variables if v.problem)
    return f"{name} did not give its response variables: {problems}"


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """Whether every message of a lifecycle carries the same incident key."""

    key: str
    """The sample's ``@incident.key`` value."""
    fields: tuple[str, ...]
    """Where the key appears in the Error message (JSON fields such as ``dedup_key``, or
    ``url``/``headers``)."""
    missing: tuple[str, ...]
    """Messages (``Reminder 1``, ``Ok``) that do not carry the key where Error does."""

    @property
    def consistent(self) -> bool:
        """The key appears in the Error message and in every later one at the same place."""
        return bool(self.fields) and not self.missing

    def describe(self) -> str:
        """One line for the user."""
        if not self.key:
            return "the sample has no incident key (@incident.key is empty): nothing to compare"
        if not self.fields:
            return (
                "the Error message does not carry the incident key ({{@incident.key}}): the "
                "target cannot match the Ok message to the incident it should close"
            )
        where = ", ".join(self.fields)
        if self.missing:
            return (
                f"the incident key is in {where} of the Error message but not in the same place "
                f"in: {', '.join(self.missing)}"
            )
        return f"the same incident key is in {where} of every message"


@dataclass(frozen=True, slots=True)
class LifecycleRun:
    """Error, then N Reminders, then Ok, sent in turn."""

    runs: tuple[AlertRun, ...]
    key_check: KeyCheck
    stopped: str = ""

    @property
    def success(self) -> bool:
        """Every message delivered and the incident key consistent."""
        return (
            not self.stopped
            and all(r.success or r.nothing_selected for r in self.runs)
            and self.key_check.consistent
        )


def _key_places(exchange: Exchange, key: str) -> set[str]:
    request = exchange.request
    places: set[str] = set()
    if key in request.url:
        places.add("url")
    places.update(f"header {name}" for name, value in request.headers if key in value)
    try:
        document = json.loads(request.body)
    except ValueError:
        if key in request.body:
            places.add("body")
        return places

    def walk(node: object, path: str) -> None:
        if isinstance(node, dict):
            for name, child in node.items():
                walk(child, f"{path}.{name}" if path else str(name))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{path}[{index}]")
        elif isinstance(node, str) and key in node:
            places.add(path or "body")

    walk(document, "")
    return places


def check_incident_key(runs: tuple[AlertRun, ...], key: str) -> KeyCheck:
    """Compare where the incident key appears in each run's message step."""
    if not key:
        return KeyCheck(key, (), ())
    labelled: list[tuple[str, AlertRun]] = []
    reminders = 0
    for run in runs:
        label = run.alert_type.value
        if run.alert_type is AlertType.REMINDER:
            reminders += 1
            label = f"Reminder {reminders}"
        labelled.append((label, run))
    error = next((r for _, r in labelled if r.alert_type is AlertType.ERROR), None)
    message = error.message if error is not None else None
    if message is None:
        return KeyCheck(key, (), ())
    fields = _key_places(message.exchange, key)
    missing: list[str] = []
    for label, run in labelled:
        if run.alert_type is AlertType.ERROR or run.message is None:
            continue
        if not fields & _key_places(run.message.exchange, key):
            missing.append(label)
    return KeyCheck(key, tuple(sorted(fields)), tuple(missing))


def run_lifecycle(
    integration: Integration,
    sample: SampleSet,
    catalogue: Catalogue,
    options: SendOptions | None = None,
    *,
    reminders: int = 1,
    cancel: threading.Event | None = None,
    on_step: Callable[[StepRun], None] | None = None,
    secrets: Sequence[str] = (),
    reroute: Callable[[RenderedRequest], RenderedRequest] | None = None,
) -> LifecycleRun:
    """Send Error, then ``reminders`` Reminders, then Ok, and check the incident key.

    A failed message stops the lifecycle (a target that did not open the incident cannot
    close it).
    """
    order = [AlertType.ERROR, *([AlertType.REMINDER] * max(0, reminders)), AlertType.OK]
    runs: list[AlertRun] = []
    stopped = ""
    with new_session() as session:
        for alert_type in order:
            if cancel is not None and cancel.is_set():
                stopped = "cancelled"
                break
            run = run_alert(
                integration,
                sample,
                alert_type,
                catalogue,
                options,
                session=session,
                cancel=cancel,
                on_step=on_step,
                secrets=secrets,
                reroute=reroute,
            )
            runs.append(run)
            if not run.success and not run.nothing_selected:
                stopped = f"{alert_type.value}: {run.stopped or _stop_reason(run.steps[-1])}"
                break
    key = alert_data(sample, AlertType.ERROR, catalogue).values.get("@incident.key", "")
    return LifecycleRun(tuple(runs), check_incident_key(tuple(runs), key), stopped)
