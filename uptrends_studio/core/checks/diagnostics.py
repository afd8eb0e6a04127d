"""Diagnostics: problems found in an integration, each tied to the exact text it is about."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from uptrends_studio.core.checks.field_path import FieldPath


class Severity(StrEnum):
    """How bad a diagnostic is; the CLI's exit code depends on it."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for notes (sort key)."""
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


@dataclass(frozen=True, slots=True)
class Fix:
    """A quick fix: replace ``text[start:end]`` of the diagnostic's field with ``replacement``.

    A fix with ``custom_field`` edits the sample instead of the template: it adds that custom
    field (empty) to the sample's monitor; ``start``/``end`` are the token it is about.
    """

    title: str
    start: int
    end: int
    replacement: str
    custom_field: str = ""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, located in one field of the integration.

    Attributes:
        severity: error, warning or note.
        code: Stable short identifier (``unknown-variable``), printed in brackets.
        message: Plain-language description.
        field: Where in the integration, e.g. ``steps[0].body`` (0-based indices); the empty
            path for the integration as a whole.
        start: Offset of the first character of the span in the field's text.
        end: Offset one past the span's last character.
        line: 1-based line of ``start`` in the field's text.
        column: 1-based column of ``start``.
        alert_types: The alert types for which it was found (empty: independent of the type).
        fixes: Quick fixes the editor can offer.
    """

    severity: Severity
    code: str
    message: str
    field: FieldPath = FieldPath.WHOLE
    start: int = 0
    end: int = 0
    line: int = 1
    column: int = 1
    alert_types: tuple[str, ...] = ()
    fixes: tuple[Fix, ...] = ()

    @property
    def location(self) -> str:
        """``FIELD:LINE:COL`` (``steps[0].body:3:11``); ``""`` for the integration as a whole."""
        return f"{self.field}:{self.line}:{self.column}" if self.field else ""

    def format(self, path: str) -> str:
        """Render as ``FILE:FIELD:LINE:COL: severity: message [code]``."""
        where = f"{path}:{self.location or '-:0:0'}"
        types = ""
        if self.alert_types and len(self.alert_types) < 3:
            types = f" (for {', '.join(self.alert_types)})"
        return f"{where}: {self.severity.value}: {self.message}{types} [{self.code}]"


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Maps offsets in a text to 1-based (line, column) pairs in O(log n).

    The one place line and column numbers are computed: diagnostics, parse errors of bodies and
    of imported requests, and the inverse for editors that jump to a reported position.
    """

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        starts = [0]
        if "\r" in text:
            # \r\n, a lone \r and \n all end a line (as in editors and XML parsers).
            starts += [m.end() for m in _LINE_BREAK_RE.finditer(text)]
        else:
            find = text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
        self._starts = starts
        self._text = text

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of ``offset``."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of :meth:`position` for a 1-based line and 0-based column (as expat reports)."""
        line = min(max(line, 1), len(self._starts))
        return self._starts[line - 1] + max(column, 0)

    def line_span(self, line: int) -> tuple[int, int]:
        """Start and end offsets of 1-based ``line`` (clamped to the text), its break excluded."""
        line = min(max(line, 1), len(self._starts))
        start = self._starts[line - 1]
        if line < len(self._starts):
            end = self._starts[line]
            end -= 2 if self._text[end - 2 : end] == "\r\n" else 1
        else:
            end = len(self._text)
        return start, end

    def exact_offset(self, line: int, column: int) -> int | None:
        """The offset of 1-based ``line`` and ``column``; ``None`` when that is not in the text.

        A column one past the last character of the line (where its line break is) counts.
        """
        if not 1 <= line <= len(self._starts) or column < 1:
            return None
        start, end = self.line_span(line)
        return start + column - 1 if column - 1 <= end - start else None

    def nearest_offset(self, line: int, column: int) -> int:
        """The offset of 1-based ``line`` and ``column``, each clamped into the text."""
        start, end = self.line_span(line)
        return start + min(max(column - 1, 0), end - start)


def locate(diagnostic: Diagnostic, index: LineIndex) -> Diagnostic:
    """Return the diagnostic with ``line`` and ``column`` computed from ``start``."""
    line, column = index.position(diagnostic.start)
    return replace(diagnostic, line=line, column=column)


def merge(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Fold diagnostics found for several alert types into one per place and message.

    Diagnostics equal except for ``alert_types`` are merged and their types united (in
    Error, Reminder, Ok order). The result is sorted by field order of appearance, position and
    severity.
    """
    order = {"Error": 0, "Reminder": 1, "Ok": 2}
    merged: dict[tuple[object, ...], Diagnostic] = {}
    for diag in diagnostics:
        key = (diag.severity, diag.code, diag.message, diag.field, diag.start, diag.end)
        previous = merged.get(key)
        if previous is None:
            merged[key] = diag
        elif previous.alert_types and diag.alert_types:
            types = sorted(set(previous.alert_types) | set(diag.alert_types), key=order.__getitem__)
            merged[key] = replace(previous, alert_types=tuple(types))
        else:
            merged[key] = replace(previous, alert_types=())
    result = list(merged.values())
    for i, diag in enumerate(result):
        if len(diag.alert_types) == 3:
            result[i] = replace(diag, alert_types=())
    return result


def worst(diagnostics: Sequence[Diagnostic]) -> Severity | None:
    """The most severe severity present, or ``None`` for an empty list."""
    if not diagnostics:
        return None
    return min((d.severity for d in diagnostics), key=lambda s: s.rank)
