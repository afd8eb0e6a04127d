"""One call that computes everything a live preview shows: requests per type and diagnostics.

The GUI runs :func:`compute_preview` off the UI thread after each (debounced) edit; the CLI's
``check`` uses the same checks, so the window and the command line never disagree.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.integration import check_and_render
from uptrends_studio.core.document.model import AlertType, Integration
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.language.budget import DEFAULT_RENDER_SECONDS
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import RenderedRequest
from uptrends_studio.core.secrets import masked_request, masker_for


@dataclass(frozen=True, slots=True)
class Preview:
    """The rendered requests of every alert type, and all diagnostics.

    Attributes:
        requests: Per alert type, the requests in the order they are sent (empty: not sent).
        diagnostics: Everything :func:`check_integration` reports.
        error: A problem that stopped rendering (e.g. an unusable sample time), else ``""``.
        masked: ``requests`` with every secret masked (:func:`mask_preview`), or ``None`` when
            not computed yet.
    """

    requests: Mapping[AlertType, tuple[RenderedRequest, ...]] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    error: str = ""
    masked: Mapping[AlertType, tuple[RenderedRequest, ...]] | None = None

    def count(self, severity: Severity) -> int:
        """How many diagnostics have ``severity``."""
        return sum(1 for d in self.diagnostics if d.severity is severity)


def compute_preview(
    integration: Integration,
    sample: SampleSet,
    catalogue: Catalogue,
    *,
    cancel: threading.Event | None = None,
    budget_seconds: float = DEFAULT_RENDER_SECONDS,
) -> Preview:
    """Render all three alert types and run every check. Never raises for user input.

    Each alert message gets a render budget of ``budget_seconds``.

    Raises:
        RenderCancelled: ``cancel`` was set (a newer edit, the window closing).
    """
    try:
        requests, diagnostics = check_and_render(
            integration, sample, catalogue, budget_seconds=budget_seconds, cancel=cancel
        )
    except StudioError as exc:
        return Preview(error=str(exc))
    return Preview(requests=requests, diagnostics=tuple(diagnostics))


def mask_preview(preview: Preview, integration: Integration, sample: SampleSet) -> Preview:
    """``preview`` with :attr:`Preview.masked` filled: one masker for every request it holds.

    The masker knows the secrets of ``integration`` and ``sample`` and the secret-derived
    texts of all requests (as :func:`check_and_render` masks the diagnostics), so a value that
    is secret in one alert type's message is masked in every type's.
    """
    every = [request for sent in preview.requests.values() for request in sent]
    masker = masker_for(integration, sample, every)
    masked = {
        alert_type: tuple(masked_request(request, masker) for request in sent)
        for alert_type, sent in preview.requests.items()
    }
    return replace(preview, masked=masked)
