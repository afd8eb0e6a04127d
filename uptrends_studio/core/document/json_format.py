"""Re-indent JSON-ish template text, keeping Uptrends tokens and string contents intact.

Only whitespace outside JSON strings is changed. Tokens (found with :func:`parse`) are opaque
atoms wherever they are, so ``"n": {{@alert.numberOfConsecutiveErrors}}`` and
``{{@JsonEncode({"a":{"b":1}})}}`` keep every character. The layout follows
``json.dumps(indent=...)``: one member or element per line, ``": "`` after keys, and ``{}`` /
``[]`` for empty containers.

The formatter works on invalid JSON too, as well as it can, and never raises:

* whitespace between two values (``{{@a}} {{@b}}``) is kept as a space or a line break, never
  removed, because it is part of what is sent;
* a string that is not closed on its line ends at the line break, which stays in place;
* a ``{{`` that the parser does not read as a token stays as it is;
* closing brackets without an opening one do not indent below column 0.

Formatting is idempotent: formatting the result again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from uptrends_studio.core.language.parser import Text, parse

_OUTSIDE_RE = re.compile(
    r"(?P<ws>[ \t\r\n]+)|(?P<stray>\{\{)|(?P<punct>[{}\[\],:])|(?P<quote>\")"
    r"|(?P<other>[^ \t\r\n{}\[\],:\"]+)"
)
_IN_STRING_RE = re.compile(r'[^"\\\n]+|\\.|\\$|"|\n', re.DOTALL)

_OPEN = "{["
_CLOSE = "}]"
_MATCHING = {"}": "{", "]": "["}


def _atoms(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into ``(kind, text)`` atoms: ``ws``, ``punct`` or ``value``.

    A value is a maximal run of anything that is neither whitespace nor a structural character
    outside strings: strings (with their quotes), tokens, numbers, words, stray ``{{``.
    """
    atoms: list[tuple[str, str]] = []
    value: list[str] = []
    in_string = False

    def flush() -> None:
        if value:
            atoms.append(("value", "".join(value)))
            value.clear()

    for node in parse(text).nodes:
        if not isinstance(node, Text):
            value.append(text[node.start : node.end])
            continue
        chunk = node.text
        pos = 0
        while pos < len(chunk):
            if in_string:
                match = _IN_STRING_RE.match(chunk, pos)
                assert match is not None  # the pattern matches any character
                piece = match.group()
                value.append(piece)
                if piece in ('"', "\n"):
                    in_string = False
                pos = match.end()
                continue
            match = _OUTSIDE_RE.match(chunk, pos)
            assert match is not None  # the groups cover every character
            piece, group = match.group(), match.lastgroup
            if group == "ws" or group == "punct":
                flush()
                atoms.append((group, piece))
            else:
                value.append(piece)
                in_string = group == "quote"
            pos = match.end()
    flush()
    return atoms


def format_json_template(text: str, indent: int = 2) -> str:
    """Re-indent JSON-ish template text, changing only whitespace outside JSON strings.

    Args:
        text: Template text, valid JSON or not, with or without tokens.
        indent: Spaces per nesting level.

    Returns:
        The re-indented text; it ends with a line break if ``text`` did. Text without anything
        but whitespace is returned unchanged.
    """
    if not text.strip(" \t\r\n"):
        return text
    atoms = _atoms(text)
    unit = " " * max(indent, 0)
    out: list[str] = []
    depth = 0
    previous: tuple[str, str] | None = None  # the last non-whitespace atom
    pending_ws = ""  # whitespace seen since `previous`
    for kind, piece in atoms:
        if kind == "ws":
            pending_ws += piece
            continue
        if kind == "punct" and piece in _CLOSE:
            depth = max(depth - 1, 0)
        if previous is not None:
            out.append(_separator(previous, (kind, piece), pending_ws, unit * depth))
        if kind == "punct" and piece in _OPEN:
            depth += 1
        out.append(piece)
        previous = (kind, piece)
        pending_ws = ""
    result = "".join(out)
    if text.rstrip(" \t").endswith("\n") and not result.endswith("\n"):
        result += "\n"
    return result


def _separator(previous: tuple[str, str], current: tuple[str, str], ws: str, pad: str) -> str:
    """The whitespace between two atoms; ``pad`` is the indentation of ``current``'s line."""
    prev_kind, prev = previous
    kind, piece = current
    if kind == "punct" and piece in _CLOSE:
        if prev_kind == "punct" and prev == _MATCHING[piece]:
            return ""  # empty container
        return "\n" + pad
    if prev_kind == "punct":
        if prev in _OPEN or prev == ",":
            return "\n" + pad
        if prev == ":":
            return " "
    if kind == "punct" and piece in ",:":
        return ""
    # Between values, or a value and an opening bracket: whitespace here may matter, so keep
    # whether there was any and whether it broke the line.
    if not ws:
        return ""
    return "\n" + pad if "\n" in ws or "\r" in ws else " "


_WHITESPACE = frozenset(" \t\r\n")


@dataclass(frozen=True, slots=True)
class FormatEdit:
    """Formatting as one minimal replacement, and where the cursor goes afterwards."""

    start: int
    """Offset in the old text where the changed part starts."""
    end: int
    """Offset in the old text where the changed part ends."""
    replacement: str
    """What replaces ``[start, end)``."""
    cursor: int
    """The offset in the new text of the character the cursor was before."""


def format_edit(text: str, cursor: int, indent: int = 2) -> FormatEdit | None:
    """:func:`format_json_template` as one edit that leaves equal ends of the text alone.

    The cursor stays on the same non-whitespace character (formatting changes whitespace only).

    Returns:
        ``None`` when formatting changes nothing.
    """
    new = format_json_template(text, indent)
    if new == text:
        return None
    solid = sum(1 for char in text[:cursor] if char not in _WHITESPACE)
    prefix = 0
    limit = min(len(text), len(new))
    while prefix < limit and text[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and text[len(text) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    target = 0
    while solid and target < len(new):
        if new[target] not in _WHITESPACE:
            solid -= 1
        target += 1
    return FormatEdit(prefix, len(text) - suffix, new[prefix : len(new) - suffix], target)
