"""What a test run shows and stores with its secrets hidden: the one place the app masks.

Every masked text the window and the command line show of a run (records, a copied request,
the incident-key line, the reason a run stopped) goes through :class:`RunMasking`, which
holds the run's :class:`~uptrends_studio.core.secrets.Masker` (the core's one masking policy:
every recoverable form of each secret, plus the evaluator's secret spans of each request).
"""

from __future__ import annotations

from collections.abc import Mapping

from uptrends_studio.core.delivery.history import (
    ExchangeRecord,
    RunRecord,
    exchange_masker,
    exchange_record,
    run_record,
)
from uptrends_studio.core.delivery.runs import AlertRun, StepRun
from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.rendering.messages import RenderedRequest
from uptrends_studio.core.secrets import Masker, masked_request, masker_for


class RunMasking:
    """The secrets of one integration and sample, fixed when made, and masking with them."""

    def __init__(self, integration: Integration, sample: SampleSet) -> None:
        self._masker = masker_for(integration, sample)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every masked form of every secret, longest first (what a redirect may not carry)."""
        return self._masker.forms

    @property
    def masker(self) -> Masker:
        """The masker as it stands (it learns each finished step's secrets)."""
        return self._masker

    def learn(self, step: StepRun) -> None:
        """Also mask what ``step`` adds: response variables, secret-derived texts, user name."""
        self._masker = exchange_masker(
            step.exchange, self._masker, [v.value for v in step.variables]
        )

    def text(self, text: str, *, reveal: bool = False) -> str:
        """``text`` with every secret masked (as is when ``reveal``)."""
        return text if reveal else self._masker.mask(text)

    def request(self, request: RenderedRequest, *, reveal: bool = False) -> RenderedRequest:
        """``request`` with its secrets and password masked (as is when ``reveal``)."""
        return request if reveal else masked_request(request, self._masker)

    def run(
        self,
        run: AlertRun,
        *,
        reveal: bool = False,
        label: str = "",
        overrides: Mapping[str, str] | None = None,
    ) -> RunRecord:
        """The record of ``run``, masked unless ``reveal``."""
        return run_record(run, self._masker, reveal=reveal, overrides=overrides, label=label)

    def step(self, step: StepRun, *, reveal: bool = False) -> ExchangeRecord:
        """The record of one finished step, masked unless ``reveal``."""
        variables = [(v.name, v.value, v.problem) for v in step.variables]
        return exchange_record(step.exchange, variables, masker=self._masker, reveal=reveal)
