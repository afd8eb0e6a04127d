"""Where rendered requests differ: character ranges to highlight in side-by-side views.

The Message types tab shows the Error, Reminder and Ok requests next to each other and
highlights what differs between them (the create vs resolve URL, the ``@alert.type`` value,
timestamps). :func:`diff_segments` finds those ranges in two passes: a line-level diff finds the
changed blocks, then a word-level diff inside each changed block narrows the ranges down to the
tokens that differ, so ``"type": "Alert"`` vs ``"type": "Ok"`` highlights ``Alert`` and ``Ok``
rather than the whole line.

The work is bounded so a very large body cannot stall the caller: blocks with more tokens than
:data:`MAX_BLOCK_TOKENS` fall back to a common-prefix/suffix comparison, and only the first
:data:`MAX_DIFF_CHARS` characters of each text are compared.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

Range = tuple[int, int]
"""A character range ``(start, end)``, ``end`` exclusive."""

MAX_DIFF_CHARS = 400_000
"""Only this many leading characters of each text are compared."""

MAX_BLOCK_TOKENS = 4_000
"""A changed block with more tokens than this is compared by common prefix and suffix only."""

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
"""Words, runs of whitespace and single punctuation characters: JSON values become tokens."""


def diff_segments(texts: Sequence[str]) -> list[list[Range]]:
    """For each text, the character ranges that differ from at least one of the other texts.

    Args:
        texts: The texts to compare (typically the Error, Reminder and Ok requests).

    Returns:
        One sorted list of non-overlapping ``(start, end)`` ranges per text, in the order of
        ``texts``. Identical texts, and the lines two texts share, get no ranges. Text present
        in one text but missing from another (an extra line) is a range in the text that has it.
    """
    clipped = [text[:MAX_DIFF_CHARS] for text in texts]
    found: list[list[Range]] = [[] for _ in clipped]
    for i in range(len(clipped)):
        for j in range(i + 1, len(clipped)):
            if clipped[i] == clipped[j]:
                continue
            left, right = _pair_ranges(clipped[i], clipped[j])
            found[i].extend(left)
            found[j].extend(right)
    return [_merge(ranges) for ranges in found]


def _pair_ranges(a: str, b: str) -> tuple[list[Range], list[Range]]:
    """The ranges of ``a`` not in ``b`` and of ``b`` not in ``a``."""
    a_lines = a.splitlines(keepends=True)
    b_lines = b.splitlines(keepends=True)
    a_starts = _line_starts(a_lines)
    b_starts = _line_starts(b_lines)
    in_a: list[Range] = []
    in_b: list[Range] = []
    matcher = SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a_block = (a_starts[i1], a_starts[i2])
        b_block = (b_starts[j1], b_starts[j2])
        if tag == "delete":
            in_a.append(a_block)
        elif tag == "insert":
            in_b.append(b_block)
        else:
            left, right = _block_ranges(a, a_block, b, b_block)
            in_a.extend(left)
            in_b.extend(right)
    return in_a, in_b


def _line_starts(lines: list[str]) -> list[int]:
    """Offsets of each line's start, plus the text's length at the end."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _block_ranges(
    a: str, a_block: Range, b: str, b_block: Range
) -> tuple[list[Range], list[Range]]:
    """Word-level differences between two changed blocks of lines."""
    a_tokens = _tokens(a, a_block)
    b_tokens = _tokens(b, b_block)
    if len(a_tokens) > MAX_BLOCK_TOKENS or len(b_tokens) > MAX_BLOCK_TOKENS:
        return _prefix_suffix_ranges(a, a_block, b, b_block)
    matcher = SequenceMatcher(
        None, [t[2] for t in a_tokens], [t[2] for t in b_tokens], autojunk=False
    )
    in_a: list[Range] = []
    in_b: list[Range] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            in_a.append((a_tokens[i1][0], a_tokens[i2 - 1][1]))
        if j2 > j1:
            in_b.append((b_tokens[j1][0], b_tokens[j2 - 1][1]))
    return in_a, in_b


def _tokens(text: str, block: Range) -> list[tuple[int, int, str]]:
    start, end = block
    return [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text, start, end)]


def _prefix_suffix_ranges(
    a: str, a_block: Range, b: str, b_block: Range
) -> tuple[list[Range], list[Range]]:
    """The middle parts of two blocks after their common prefix and suffix (linear time)."""
    a_start, a_end = a_block
    b_start, b_end = b_block
    limit = min(a_end - a_start, b_end - b_start)
    prefix = 0
    while prefix < limit and a[a_start + prefix] == b[b_start + prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[a_end - 1 - suffix] == b[b_end - 1 - suffix]:
        suffix += 1
    left = (a_start + prefix, a_end - suffix)
    right = (b_start + prefix, b_end - suffix)
    return ([left] if left[1] > left[0] else []), ([right] if right[1] > right[0] else [])


def _merge(ranges: list[Range]) -> list[Range]:
    """Sort and join overlapping or touching ranges; drop empty ones."""
    merged: list[Range] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
