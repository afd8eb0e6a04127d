"""Content-Type classification: one function decides JSON, XML, form or text."""

from __future__ import annotations

import pytest

from uptrends_studio.core.checks.content_type import (
    BodyKind,
    body_kind,
    content_type_of,
    headers_body_kind,
)


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/json", BodyKind.JSON),
        ("Application/JSON; charset=utf-8", BodyKind.JSON),
        ("application/vnd.pagerduty+json", BodyKind.JSON),
        ("text/json", BodyKind.JSON),
        ("application/xml", BodyKind.XML),
        ("text/xml; charset=utf-8", BodyKind.XML),
        ("application/soap+xml", BodyKind.XML),
        ("application/x-www-form-urlencoded", BodyKind.FORM),
        (" application/x-www-form-urlencoded ; charset=utf-8", BodyKind.FORM),
        ("text/plain", BodyKind.TEXT),
        ("text/html", BodyKind.TEXT),
        ("application/jsonp", BodyKind.TEXT),  # not JSON, though it contains "json"
        ("application/x-xml-ish", BodyKind.TEXT),
        ("", BodyKind.TEXT),
        (None, BodyKind.TEXT),
    ],
)
def test_body_kind(content_type: str | None, kind: BodyKind) -> None:
    assert body_kind(content_type) is kind


def test_the_first_content_type_header_decides() -> None:
    headers = [
        ("Accept", "application/xml"),
        ("content-TYPE", "application/json"),
        ("Content-Type", "text/xml"),
    ]
    assert content_type_of(headers) == "application/json"
    assert headers_body_kind(headers) is BodyKind.JSON
    assert content_type_of([("Accept", "application/json")]) is None
    assert headers_body_kind([]) is BodyKind.TEXT
