"""What a body is, from its Content-Type: the one classification every part of the Studio uses.

The editor's highlighting, the body checks, the target rules, the preview, the request viewer,
the receiver and the import dialog all ask :func:`body_kind` (or :func:`headers_body_kind`)
rather than looking for ``json`` or ``xml`` in a header themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class BodyKind(StrEnum):
    """How a body is interpreted, from its Content-Type header."""

    JSON = "json"
    XML = "xml"
    FORM = "form"
    TEXT = "text"


def media_type(content_type: str | None) -> str:
    """``Application/JSON; charset=utf-8`` -> ``application/json`` (``""`` for none)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def body_kind(content_type: str | None) -> BodyKind:
    """Classify a Content-Type value (``application/json; charset=utf-8`` -> JSON).

    ``*/json`` and ``*/*+json`` are JSON, ``*/xml`` and ``*/*+xml`` XML,
    ``application/x-www-form-urlencoded`` a form; anything else (or nothing) is text.
    """
    media = media_type(content_type)
    if media == "application/x-www-form-urlencoded":
        return BodyKind.FORM
    if media.endswith(("/json", "+json")):
        return BodyKind.JSON
    if media.endswith(("/xml", "+xml")):
        return BodyKind.XML
    return BodyKind.TEXT


def content_type_of(headers: Iterable[tuple[str, str]]) -> str | None:
    """The value of the first Content-Type header (names compared case-insensitively)."""
    return next((value for name, value in headers if name.strip().lower() == "content-type"), None)


def headers_body_kind(headers: Iterable[tuple[str, str]]) -> BodyKind:
    """:func:`body_kind` of the first Content-Type among ``headers`` (text without one)."""
    return body_kind(content_type_of(headers))
