"""Placeholders left from a gallery template are warned about where they are."""

from __future__ import annotations

import pytest

from uptrends_studio.core.checks.integration import check_integration
from uptrends_studio.core.checks.placeholders import CODE, placeholder_diagnostics
from uptrends_studio.core.document.gallery import gallery_entries, load_template
from uptrends_studio.core.document.model import Header, Integration, Step, Variable
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import Catalogue


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [
        ("REPLACE-WITH-32-CHAR-ROUTING-KEY", "REPLACE-WITH-32-CHAR-ROUTING-KEY"),
        ("https://x.invalid/hooks/REPLACE-WITH-HOOK-ID", "REPLACE-WITH-HOOK-ID"),
        ("Bearer <your api token>", "<your api token>"),
        ("your-api-key-here", "your-api-key-here"),
    ],
)
def test_a_placeholder_value_is_named_at_its_place(value: str, placeholder: str) -> None:
    integration = Integration(name="x", variables=(Variable("Key", value=value),))
    [found] = placeholder_diagnostics(integration)
    assert found.code == CODE
    assert found.field == "variables[0].value"
    assert value[found.start : found.end] == placeholder
    assert found.message.startswith(f"'{placeholder}' is a placeholder left from the template")


@pytest.mark.parametrize(
    "value", ["sk-live-123", "https://events.pagerduty.com/v2/enqueue", "<b>bold</b>", "yours"]
)
def test_real_values_are_not_placeholders(value: str) -> None:
    integration = Integration(name="x", variables=(Variable("Key", value=value),))
    assert placeholder_diagnostics(integration) == []


@pytest.mark.parametrize(
    ("placeholder", "filler"),
    [
        ("Replace_With-Key", "x"),
        ("YOUR_team-here", "x"),
        ("your-key-HERE", "é"),  # a text that is not ASCII is searched the slow way
        ("REPLACE-WITH-ID", "🙂"),
    ],
)
def test_a_placeholder_deep_in_a_long_body_is_found_in_any_case(
    placeholder: str, filler: str
) -> None:
    body = '{"a": "' + filler * 300_000 + f'", "key": "{placeholder}"}}'
    step = Step("s", body=body)
    [found] = placeholder_diagnostics(Integration(name="x", steps=(step,)))
    assert (found.field, found.line) == ("steps[0].body", 1)
    assert body[found.start : found.end] == placeholder


def test_an_xml_body_keeps_its_tags_but_not_its_placeholders() -> None:
    body = "<alert>\n  <key>REPLACE-WITH-KEY</key>\n  <your-tag>x</your-tag>\n</alert>"
    step = Step("s", body=body, headers=(Header("X-Token", "<your token>"),))
    found = placeholder_diagnostics(Integration(name="x", steps=(step,)))
    assert [(d.field, d.line, d.column) for d in found] == [
        ("steps[0].headers[0].value", 1, 1),
        ("steps[0].body", 2, 8),
    ]


def test_every_gallery_template_with_placeholders_is_warned_about(catalogue: Catalogue) -> None:
    entry = next(e for e in gallery_entries() if e.target == "pagerduty")
    diagnostics = check_integration(load_template(entry), find_sample(None, catalogue), catalogue)
    integration = load_template(entry)
    [key] = [i for i, v in enumerate(integration.variables) if "REPLACE-WITH" in v.value]
    placeholders = [d for d in diagnostics if d.code == CODE]
    assert [d.field for d in placeholders] == [f"variables[{key}].value"]
    # A secret's value is never quoted, placeholder or not; the message still says what it is.
    assert placeholders[0].message.startswith(
        "the secret value is a placeholder left from the template"
    )
