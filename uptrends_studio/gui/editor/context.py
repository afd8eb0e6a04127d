"""What the template editor may ask about the names a template can use."""

from __future__ import annotations

from typing import NamedTuple, Protocol, runtime_checkable


class CompletionItem(NamedTuple):
    """One entry of the completion popup."""

    text: str
    """What to insert after ``{{``: ``@alert.type}}``, ``ApiUrl}}``, ``@JsonEncode(``."""
    label: str
    """What the list shows, e.g. ``@alert.type``."""
    kind: str
    """E.g. ``system variable``, ``function``, ``predefined variable``."""
    description: str
    value: str
    """The current sample value, or ``""``."""


class EditorContext(Protocol):
    """What the editor may ask about the names a template can use."""

    def completion_items(self) -> list[CompletionItem]:
        """Everything that can follow ``{{``."""
        ...

    def describe_token(self, name: str) -> tuple[str, str] | None:
        """``(description, rendered value)`` of ``@alert.type``, ``ApiUrl``, ``@JsonEncode``..."""
        ...


@runtime_checkable
class AddsCustomFields(Protocol):
    """A context that can add a custom field to the sample (the "add to the sample" fix)."""

    def add_custom_field(self, name: str) -> None:
        """Add the custom field ``name`` (empty) to the sample in use, as an edit."""
        ...
