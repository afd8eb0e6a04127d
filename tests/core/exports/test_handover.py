"""The handover sheet: self-contained HTML and Markdown, secrets masked, user data escaped."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from uptrends_studio import __version__
from uptrends_studio.core.delivery.history import run_record
from uptrends_studio.core.delivery.receiver import Receiver, ReceiverResponse
from uptrends_studio.core.delivery.runs import run_alert
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    AlertType,
    Authentication,
    AuthType,
    Header,
    Integration,
    JwtFunction,
    Step,
    Variable,
)
from uptrends_studio.core.document.samples import SampleSet, find_sample
from uptrends_studio.core.errors import UsageError
from uptrends_studio.core.exports.handover import (
    HandoverFormat,
    handover,
    markdown_fence,
    markdown_text,
)
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import Renderer
from uptrends_studio.core.secrets import MASK, Masker
from uptrends_studio.paths import resource_path

SECRET = 'pa"ss\\word-42'
"""A secret whose JSON-escaped form (inside @JsonEncode) differs from the raw text."""
PASSWORD = "hunter2-secret"
NOW = datetime(2025, 6, 1, 12, 30, tzinfo=UTC)


class Page(HTMLParser):
    """Every start tag with its attributes, and all text (entities decoded)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.chunks: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def attribute_values(self, *names: str) -> list[str]:
        return [v or "" for _, attrs in self.tags for n, v in attrs if n in names]


@pytest.fixture(scope="module")
def sample(catalogue: Catalogue) -> SampleSet:
    return find_sample(None, catalogue)


def demo() -> Integration:
    return integration_file.load(resource_path("demo.integration.json"))


def with_secrets(name: str = "Secretive") -> Integration:
    return Integration(
        name=name,
        description="Posts to the <b>ops</b> hook | see runbook",
        variables=(
            Variable("ApiUrl", value="https://hooks.example.com/x"),
            Variable("Key", value=SECRET, secret=True, description="the | key"),
        ),
        steps=(
            Step(
                name="Post",
                url="{{ApiUrl}}",
                headers=(Header("Content-Type", "application/json"),),
                body='{"key": "{{@JsonEncode({{Key}})}}", "type": "{{@alert.type}}"}',
                authentication=Authentication(AuthType.BASIC, "bot", PASSWORD),
            ),
        ),
    )


def rendered_bodies(integration: Integration, sample: SampleSet, catalogue: Catalogue) -> list[str]:
    renderer = Renderer(integration, catalogue)
    return [r.body for t in ALERT_TYPES for r in renderer.render_alert(t, sample)]


def test_html_holds_every_rendered_body_and_loads_nothing(
    catalogue: Catalogue, sample: SampleSet
) -> None:
    integration = demo()
    text = handover(integration, sample, catalogue, fmt="html", source="demo", now=NOW)
    page = Page(text)
    bodies = rendered_bodies(integration, sample, catalogue)
    assert len(bodies) == 3
    for body in bodies:
        assert body in page.text
    assert "<script" not in text.lower()
    assert not page.attribute_values("src", "href")
    assert not [tag for tag, _ in page.tags if tag in ("link", "img", "iframe", "object")]
    assert "@import" not in text
    assert "url(" not in text
    # the dashboard link of the sample is in the body, as text
    assert "https://app.uptrends.com/Probe/Dashboard?probeGuids=" in page.text
    assert f"Generated 2025-06-01 12:30 UTC by Uptrends Studio {__version__}" in page.text
    assert "Demo: Uptrends integration" in page.text
    assert integration.description in page.text


def test_html_and_markdown_never_contain_a_secret(catalogue: Catalogue, sample: SampleSet) -> None:
    integration = with_secrets()
    renderer = Renderer(integration, catalogue)
    raw_body = renderer.render_alert(AlertType.ERROR, sample)[0].body
    escaped = json.dumps(SECRET)[1:-1]
    assert escaped in raw_body  # the JSON-escaped form is what the body carries
    formats: tuple[HandoverFormat, ...] = ("html", "markdown")
    for fmt in formats:
        text = handover(integration, sample, catalogue, fmt=fmt)
        shown = Page(text).text if fmt == "html" else text
        for secret in (SECRET, escaped, PASSWORD):
            assert secret not in text, (fmt, secret)
            assert secret not in shown, (fmt, secret)
        assert MASK in shown
        assert f'"key": "{MASK}"' in shown


def test_reveal_shows_the_secret(catalogue: Catalogue, sample: SampleSet) -> None:
    text = handover(with_secrets(), sample, catalogue, fmt="markdown", reveal=True)
    assert json.dumps(SECRET)[1:-1] in text


def test_hostile_names_are_escaped(catalogue: Catalogue, sample: SampleSet) -> None:
    hostile = "<script>alert(1)</script>"
    integration = with_secrets(name=hostile)
    text = handover(integration, sample, catalogue, fmt="html")
    page = Page(text)
    assert "<script" not in text.lower()
    assert hostile in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "b" not in [tag for tag, _ in page.tags]  # the description's <b> is text too
    markdown = handover(integration, sample, catalogue, fmt="markdown")
    assert "# Handover: \\<script\\>alert(1)\\</script\\>" in markdown


def test_problems_are_grouped_by_severity(catalogue: Catalogue, sample: SampleSet) -> None:
    integration = Integration(
        name="Broken",
        variables=(Variable("ApiUrl", value="https://hooks.example.com/x"),),
        steps=(
            Step(
                name="Post",
                headers=(Header("Content-Type", "application/json"),),
                body='{"d": "{{@alert.descripton}}", "n": "{{@monitor.notes}}"}',
            ),
        ),
    )
    page = Page(handover(integration, sample, catalogue, fmt="html")).text
    errors = page.index("Errors (")
    warnings = page.index("Warnings (")
    assert errors < warnings
    assert "unknown system variable '@alert.descripton'" in page[errors:warnings]
    clean = Page(handover(demo(), sample, catalogue, fmt="html")).text
    assert "The checks found no problems." in clean


def test_latest_results_come_from_the_records(catalogue: Catalogue, sample: SampleSet) -> None:
    answer = '{"accepted": "yes, thanks"}'
    with Receiver(response=ReceiverResponse(status=202, body=answer)) as receiver:
        url = receiver.url + "hook"
        integration = with_secrets()
        integration = Integration(
            name=integration.name,
            variables=(Variable("ApiUrl", value=url), integration.variables[1]),
            steps=integration.steps,
        )
        run = run_alert(integration, sample, AlertType.ERROR, catalogue)
    assert run.success
    record = run_record(run, Masker.of([SECRET, PASSWORD]), label="Test")
    text = handover(integration, sample, catalogue, fmt="html", records=[record])
    page = Page(text).text
    results = page[page.index("Latest test results") :]
    assert "202 Accepted" in results
    assert answer in results
    assert "delivered" in results
    assert f"POST {url}" in results
    assert len(receiver.captures()) == 1
    for secret in (SECRET, PASSWORD):
        assert secret not in text
    empty = Page(handover(integration, sample, catalogue, fmt="html")).text
    assert "No test has been sent yet." in empty


def test_markdown_fences_each_body_and_escapes_table_cells(
    catalogue: Catalogue, sample: SampleSet
) -> None:
    integration = demo()
    text = handover(integration, sample, catalogue, fmt="markdown")
    for body in rendered_bodies(integration, sample, catalogue):
        assert f"```json\n{body}\n```" in text
    secretive = handover(with_secrets(), sample, catalogue, fmt="markdown")
    [row] = [line for line in secretive.splitlines() if line.startswith("| Key |")]
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert [c.strip() for c in cells] == [
        "Key",
        "Specify value here",
        MASK,
        "yes",
        "the \\| key",
    ]
    assert "Posts to the \\<b\\>ops\\</b\\> hook \\| see runbook" in secretive


def test_markdown_helpers() -> None:
    assert markdown_text("a|b\nc*d_") == "a\\|b<br>c\\*d\\_"
    assert markdown_text("# not a heading") == "\\# not a heading"
    assert markdown_fence("x ``` y", "json") == "````json\nx ``` y\n````"


def test_unknown_format_is_refused(catalogue: Catalogue, sample: SampleSet) -> None:
    with pytest.raises(UsageError, match="unknown handover format 'pdf'"):
        handover(demo(), sample, catalogue, fmt="pdf")  # type: ignore[arg-type]


def test_a_jwt_signing_key_never_appears_but_the_function_does(
    catalogue: Catalogue, sample: SampleSet
) -> None:
    key = "jwt-signing-secret-0123456789-abcdefghij"
    integration = replace(
        with_secrets(),
        functions=(JwtFunction("token", "HS384", key, '{"kid": "k1"}'),),
    )
    formats: tuple[HandoverFormat, ...] = ("html", "markdown")
    for fmt in formats:
        text = handover(integration, sample, catalogue, fmt=fmt)
        shown = Page(text).text if fmt == "html" else text
        assert key not in text
        assert "JSON Web Token (JWT) encode" in shown
        assert f"HS384, signing key {MASK}" in shown
    revealed = handover(integration, sample, catalogue, fmt="markdown", reveal=True)
    assert f"HS384, signing key {key}" in revealed
