"""A test run: start, progress, cancel, mask, record, store — for the window and the CLI alike.

A :class:`TestRun` fixes, when it is made, everything a run depends on: the integration and
sample as they are then (escalation-level values applied), what to mask, where to store. The
document may change, or another file be opened, before the answer comes; the run does not
follow. :meth:`TestRun.execute` is the blocking part (the window runs it on a worker thread,
the CLI calls it directly); everything else runs on the caller's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from uptrends_studio.app.masking import RunMasking
from uptrends_studio.app.workspace import Workspace
from uptrends_studio.core.delivery.history import ExchangeRecord, History, RunRecord
from uptrends_studio.core.delivery.runs import (
    AlertRun,
    KeyCheck,
    LifecycleRun,
    StepRun,
    run_alert,
    run_lifecycle,
    with_escalation_values,
)
from uptrends_studio.core.delivery.sending import SendOptions
from uptrends_studio.core.document.model import AlertType, Integration
from uptrends_studio.core.document.samples import SampleSet, alert_data
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import RenderedRequest, Renderer

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SINGLE_LABEL = "Send test alert"
"""The history label of a single message's run."""


@dataclass(frozen=True, slots=True)
class RunPlan:
    """What to send: one message type, or the Error → Reminders → Ok lifecycle."""

    alert_type: AlertType = AlertType.ERROR
    lifecycle: bool = False
    reminders: int = 1
    overrides: Mapping[str, str] = field(default_factory=dict)
    """Escalation-level values typed for this run (empty ones left out)."""
    options: SendOptions = field(default_factory=SendOptions)
    to_receiver: int | None = None
    """Send every step to the local receiver on this port instead of its own URL (path and
    query kept); the document is not touched. ``None``: the URLs as written."""

    @property
    def order(self) -> tuple[AlertType, ...]:
        """The message types sent, in order."""
        if not self.lifecycle:
            return (self.alert_type,)
        return (AlertType.ERROR, *([AlertType.REMINDER] * self.reminders), AlertType.OK)

    @property
    def title(self) -> str:
        """What the run is called while it runs."""
        if self.lifecycle:
            return f"Lifecycle: Error, {self.reminders} Reminder(s), Ok"
        return SINGLE_LABEL


class RunState(StrEnum):
    """Where a run is."""

    READY = "ready"
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


Result = AlertRun | LifecycleRun


class TestRun:
    """One test run of the open integration.

    Raises (when made):
        SampleError: the sample (or a typed escalation-level value) cannot be used.
    """

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, workspace: Workspace, plan: RunPlan) -> None:
        self.plan = plan
        self.catalogue: Catalogue = workspace.catalogue
        self.integration: Integration = workspace.integration
        self.sample: SampleSet = with_escalation_values(workspace.sample, plan.overrides)
        # A sample problem is said up front, before anything is sent.
        self._data = alert_data(self.sample, plan.order[0], self.catalogue)
        self.history: History = workspace.history()
        self._masking = RunMasking(self.integration, self.sample)
        self._steps: list[StepRun] = []
        self._result: Result | None = None
        self._reminders_seen = 0
        self.state = RunState.READY
        self.started_at = datetime.now().astimezone()
        self._reroute = to_receiver(plan.to_receiver) if plan.to_receiver is not None else None

    @property
    def rerouted(self) -> str:
        """Why the URLs sent are not the document's ("" when they are): shown on the result."""
        port = self.plan.to_receiver
        if port is None:
            return ""
        return (
            f"Sent to the local receiver on port {port} instead of the integration's URLs "
            "(the document is unchanged)."
        )

    # -- running ------------------------------------------------------------------------------

    def execute(
        self,
        cancel: threading.Event | None = None,
        report: Callable[[StepRun], None] | None = None,
    ) -> Result:
        """Send (blocking). Safe on a worker thread: it reads only what the run fixed.

        ``report`` gets each finished step on the sending thread; hand it to
        :meth:`add_step` on the caller's thread.
        """
        plan = self.plan
        secrets = self._masking.secrets
        if plan.lifecycle:
            return run_lifecycle(
                self.integration,
                self.sample,
                self.catalogue,
                plan.options,
                reminders=plan.reminders,
                cancel=cancel,
                on_step=report,
                secrets=secrets,
                reroute=self._reroute,
            )
        return run_alert(
            self.integration,
            self.sample,
            plan.alert_type,
            self.catalogue,
            plan.options,
            cancel=cancel,
            on_step=report,
            secrets=secrets,
            reroute=self._reroute,
        )

    def run(self, on_step: Callable[[StepRun], None] | None = None) -> Result:
        """Send on this thread: :meth:`execute`, :meth:`add_step` for each step, :meth:`finish`."""

        def report(step: StepRun) -> None:
            self.add_step(step)
            if on_step is not None:
                on_step(step)

        self.state = RunState.RUNNING
        result = self.execute(report=report)
        self.finish(result)
        return result

    def started(self) -> None:
        """The run was handed to a worker."""
        self.state = RunState.RUNNING

    def add_step(self, step: StepRun) -> None:
        """A step finished (progress)."""
        self._masking.learn(step)
        self._steps.append(step)

    def finish(self, result: Result) -> None:
        """The run finished."""
        self._result = result
        self.state = RunState.FINISHED

    def cancel(self) -> None:
        """The user stopped waiting: what has been answered stays, a late result is dropped."""
        if self.state is RunState.RUNNING:
            self.state = RunState.CANCELLED

    # -- what it gave -------------------------------------------------------------------------

    @property
    def result(self) -> Result | None:
        """The finished run (``None`` while running, or after a cancel)."""
        return self._result

    @property
    def steps(self) -> tuple[StepRun, ...]:
        """The steps answered so far."""
        return tuple(self._steps)

    def runs(self) -> list[AlertRun]:
        """The finished run per message type, or the steps answered so far grouped by type."""
        result = self._result
        if isinstance(result, LifecycleRun):
            return list(result.runs)
        if isinstance(result, AlertRun):
            return [result]
        by_type: dict[AlertType, list[StepRun]] = {}
        for step in self._steps:
            by_type.setdefault(step.exchange.request.alert_type, []).append(step)
        return [
            AlertRun(kind, self.sample.name, self.started_at, tuple(steps))
            for kind, steps in by_type.items()
        ]

    def labels(self) -> list[str]:
        """The history label of each of :meth:`runs`."""
        count = len(self.runs())
        if isinstance(self._result, LifecycleRun):
            return [f"Lifecycle {i + 1}/{count}" for i in range(count)]
        return [SINGLE_LABEL if self._result is not None else ""] * count

    def records(self, *, reveal: bool = False) -> list[RunRecord]:
        """The run as records (masked unless ``reveal``), finished or as far as it got."""
        return [
            self._masking.run(run, reveal=reveal, label=label, overrides=self.plan.overrides)
            for run, label in zip(self.runs(), self.labels(), strict=True)
        ]

    def step_record(self, step: StepRun, *, reveal: bool = False) -> ExchangeRecord:
        """The record of one step as it finished (the CLI prints these as they come)."""
        return self._masking.step(step, reveal=reveal)

    def step_label(self, step: StepRun) -> str:
        """``Error``, ``Ok``, or ``Reminder N`` when a lifecycle sends several reminders.

        Call once per step, in order.
        """
        request = step.exchange.request
        label = request.alert_type.value
        if self.plan.lifecycle and request.alert_type is AlertType.REMINDER:
            if self.plan.reminders > 1:
                label = f"Reminder {self._reminders_seen + 1}"
            if not request.helper:
                self._reminders_seen += 1
        return label

    @property
    def key_check(self) -> KeyCheck | None:
        """The lifecycle's incident-key check (``None`` for a single message)."""
        result = self._result
        return result.key_check if isinstance(result, LifecycleRun) else None

    def key_check_text(self, *, reveal: bool = False) -> str:
        """The incident-key check in one line, masked ("" for a single message)."""
        check = self.key_check
        return self._masking.text(check.describe(), reveal=reveal) if check else ""

    def stopped(self, *, reveal: bool = False) -> str:
        """Why a lifecycle stopped early, masked ("" when it did not)."""
        result = self._result
        if isinstance(result, LifecycleRun):
            return self._masking.text(result.stopped, reveal=reveal)
        return "cancelled" if self.state is RunState.CANCELLED else ""

    @property
    def success(self) -> bool:
        """Every message delivered (and, for a lifecycle, one incident key)."""
        result = self._result
        return result is not None and result.success

    def store(self) -> str:
        """Write the finished run, masked, to the history fixed at the start.

        Returns:
            "" when stored, else why not (the run itself is not lost: it is still shown).
        """
        try:
            for record in self.records(reveal=False):
                self.history.add(record)
        except OSError as exc:
            return f"The test history could not be written: {exc.strerror or exc}."
        return ""

    # -- the requests -------------------------------------------------------------------------

    def request_of(self, alert_type: AlertType, step_index: int) -> RenderedRequest | None:
        """The request a step of this run sent (for "copy as"), if it ran."""
        for run in self.runs():
            if run.alert_type is not alert_type:
                continue
            for step in run.steps:
                if step.exchange.request.step_index == step_index:
                    return step.exchange.request
        return None

    def shown_request(self, request: RenderedRequest, *, reveal: bool) -> RenderedRequest:
        """``request`` masked with this run's secrets unless ``reveal``."""
        return self._masking.request(request, reveal=reveal)

    def goes_to_local_port(self, port: int) -> bool:
        """Whether a step of the first message goes to ``127.0.0.1:port`` (the receiver)."""
        if self.plan.to_receiver is not None:
            return self.plan.to_receiver == port
        for url in Renderer(self.integration, self.catalogue).urls(self._data):
            try:
                parts = urlsplit(url.strip())
                target = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError:
                continue
            if parts.hostname in LOOPBACK_HOSTS and target == port:
                return True
        return False


def receiver_url(url: str, port: int) -> str:
    """``url`` sent to the local receiver on ``port``: scheme and host replaced, path kept."""
    parts = urlsplit(url.strip())
    return urlunsplit(("http", f"127.0.0.1:{port}", parts.path or "/", parts.query, ""))


def to_receiver(port: int) -> Callable[[RenderedRequest], RenderedRequest]:
    """The reroute of "send to the local receiver instead": every request to ``port``."""

    def reroute(request: RenderedRequest) -> RenderedRequest:
        return replace(request, url=receiver_url(request.url, port))

    return reroute


def message_request(
    workspace: Workspace, alert_type: AlertType, overrides: Mapping[str, str], *, reveal: bool
) -> RenderedRequest | None:
    """The message step's request of ``alert_type`` as it would be sent now ("copy as").

    Masked unless ``reveal``; ``None`` when no step has the type ticked.

    Raises:
        SampleError: the sample cannot be used.
    """
    sample = with_escalation_values(workspace.sample, overrides)
    requests = Renderer(workspace.integration, workspace.catalogue).render_alert(alert_type, sample)
    if not requests:
        return None
    return RunMasking(workspace.integration, sample).request(requests[-1], reveal=reveal)
