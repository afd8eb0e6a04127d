"""What a test run shows and stores with its secrets hidden: the one place the app masks.

Every masked text the window and the command line show of a run (records, a copied request,
the incident-key line, the reason a run stopped) goes through :class:`RunMasking`, so a change
of masking policy is a change here only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from uptrends_studio.core.history import ExchangeRecord, RunRecord, exchange_record, run_record
from uptrends_studio.core.messages import RenderedRequest
from uptrends_studio.core.model import Integration
from uptrends_studio.core.runs import AlertRun, StepRun
from uptrends_studio.core.samples import SampleSet
from uptrends_studio.core.secrets import MIN_SECRET_LENGTH, mask, masked_request, masking_secrets


class RunMasking:
    """The secrets of one integration and sample, fixed when made, and masking with them."""

    def __init__(self, integration: Integration, sample: SampleSet) -> None:
        self._secrets = masking_secrets(integration, sample)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The secret texts (also what a redirect to another host may not carry)."""
        return tuple(self._secrets)

    def learn(self, step: StepRun) -> None:
        """Treat the response variables of ``step`` (tokens) as secrets from now on."""
        found = {v.value for v in step.variables if len(v.value) >= MIN_SECRET_LENGTH}
        if not found <= set(self._secrets):
            self._secrets = sorted({*self._secrets, *found}, key=len, reverse=True)

    def text(self, text: str, *, reveal: bool = False) -> str:
        """``text`` with every secret masked (as is when ``reveal``)."""
        return text if reveal else mask(text, self._secrets)

    def request(self, request: RenderedRequest, *, reveal: bool = False) -> RenderedRequest:
        """``request`` with its secrets and password masked (as is when ``reveal``)."""
        return request if reveal else masked_request(request, self._secrets)

    def run(
        self,
        run: AlertRun,
        *,
        reveal: bool = False,
        label: str = "",
        overrides: Mapping[str, str] | None = None,
    ) -> RunRecord:
        """The record of ``run``, masked unless ``reveal``."""
        return run_record(run, self._secrets, reveal=reveal, overrides=overrides, label=label)

    def step(self, step: StepRun, *, reveal: bool = False) -> ExchangeRecord:
        """The record of one finished step, masked unless ``reveal``."""
        variables: Iterable[tuple[str, str, str]] = [
            (v.name, v.value, v.problem) for v in step.variables
        ]
        return exchange_record(step.exchange, variables, secrets=self._secrets, reveal=reveal)
