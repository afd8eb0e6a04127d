"""Small builders shared by the core tests: render one template against a sample, in memory."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from uptrends_studio.core.document.model import (
    AlertType,
    Integration,
    Step,
    UserFunction,
    Variable,
)
from uptrends_studio.core.document.samples import SampleSet, alert_data
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.language.evaluator import Rendered, render
from uptrends_studio.core.language.parser import parse
from uptrends_studio.core.rendering.messages import Renderer


def sample(
    values: Mapping[str, str] | None = None,
    *,
    per_type: Mapping[AlertType, Mapping[str, str]] | None = None,
    custom_fields: Mapping[str, str] | None = None,
    escalation_level: Mapping[str, str] | None = None,
    vault: Mapping[str, Mapping[str, str]] | None = None,
    now: str | None = None,
    timezone: str | None = None,
    culture: str | None = None,
    seed: int | None = None,
) -> SampleSet:
    return SampleSet(
        name="test",
        values=MappingProxyType(dict(values or {})),
        per_type=MappingProxyType(dict(per_type or {})),
        custom_fields=MappingProxyType(dict(custom_fields or {})),
        escalation_level=MappingProxyType(dict(escalation_level or {})),
        vault=MappingProxyType(dict(vault or {})),
        now=now,
        timezone=timezone,
        culture=culture,
        seed=seed,
    )


def render_template(
    catalogue: Catalogue,
    text: str,
    *,
    alert_type: AlertType = AlertType.ERROR,
    variables: tuple[Variable, ...] = (),
    functions: tuple[UserFunction, ...] = (),
    data: SampleSet | None = None,
    form: bool = False,
) -> Rendered:
    integration = Integration(
        name="t", variables=variables, functions=functions, steps=(Step(name="s"),)
    )
    renderer = Renderer(integration, catalogue)
    scope = renderer.scope(alert_data(data or sample(), alert_type, catalogue))
    return render(parse(text), scope, "steps[0].body", form_encode=form)
