"""Where rendered requests differ: character ranges to highlight in side-by-side views.

The Message types tab shows the Error, Reminder and Ok requests next to each other and
highlights what differs between them (the create vs resolve URL, the ``@alert.type`` value,
timestamps). :func:`diff_segments` finds those ranges in two passes: a line-level diff finds the
changed blocks, then a word-level diff inside each changed block narrows the ranges down to the
tokens that differ, so ``"type": "Alert"`` vs ``"type": "Ok"`` highlights ``Alert`` and ``Ok``
rather than the whole line.

The work is bounded so a very large body cannot stall the caller: only the first
:data:`MAX_DIFF_CHARS` characters of each text are compared; :class:`difflib.SequenceMatcher`
(quadratic in the worst case) only sees differing stretches of up to :data:`MAX_MATCHED_LINES`
lines, larger ones are compared line by line; a changed block with more than
:data:`MAX_BLOCK_TOKENS` tokens falls back to a linear common-prefix/suffix comparison; and once
:data:`MAX_PAIR_TOKENS` tokens of a pair have been compared, changed lines are marked whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

Range = tuple[int, int]
"""A character range ``(start, end)``, ``end`` exclusive."""

MAX_DIFF_CHARS = 200 * 1024
"""Only this many leading characters of each text are compared (what a code view shows)."""

MAX_BLOCK_TOKENS = 2_000
"""A changed block with more tokens than this is compared by common prefix and suffix only."""

MAX_MATCHED_LINES = 1_000
"""A differing middle of more lines than this is not matched with difflib (quadratic cost)."""

MAX_PAIR_TOKENS = 30_000
"""Word-level comparison budget per pair of texts; past it, changed lines are marked whole."""

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
    clipped = [_clip(text) for text in texts]
    found: list[list[Range]] = [[] for _ in clipped]
    for i in range(len(clipped)):
        for j in range(i + 1, len(clipped)):
            if clipped[i] == clipped[j]:
                continue
            left, right = _pair_ranges(clipped[i], clipped[j])
            found[i].extend(left)
            found[j].extend(right)
    return [_merge(ranges) for ranges in found]


def _clip(text: str) -> str:
    """The first :data:`MAX_DIFF_CHARS` characters, cut after a line break when there is one."""
    if len(text) <= MAX_DIFF_CHARS:
        return text
    cut = text.rfind("\n", 0, MAX_DIFF_CHARS)
    return text[: cut + 1] if cut > 0 else text[:MAX_DIFF_CHARS]


def _pair_ranges(a: str, b: str) -> tuple[list[Range], list[Range]]:
    """The ranges of ``a`` not in ``b`` and of ``b`` not in ``a``."""
    a_lines = a.splitlines(keepends=True)
    b_lines = b.splitlines(keepends=True)
    a_starts = _line_starts(a_lines)
    b_starts = _line_starts(b_lines)
    in_a: list[Range] = []
    in_b: list[Range] = []
    budget = MAX_PAIR_TOKENS
    for tag, i1, i2, j1, j2 in _line_changes(a_lines, b_lines):
        a_block = (a_starts[i1], a_starts[i2])
        b_block = (b_starts[j1], b_starts[j2])
        if tag == "delete":
            in_a.append(a_block)
        elif tag == "insert":
            in_b.append(b_block)
        elif budget <= 0:  # out of budget: whole lines, no more word-level work
            in_a.append(a_block)
            in_b.append(b_block)
        else:
            left, right, used = _block_ranges(a, a_block, b, b_block, budget)
            budget -= used
            in_a.extend(left)
            in_b.extend(right)
    return in_a, in_b


def _line_changes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """The non-equal opcodes of a line diff, in linear time for large inputs.

    Common leading and trailing lines are skipped. A differing middle of up to
    :data:`MAX_MATCHED_LINES` lines is matched with :class:`difflib.SequenceMatcher`; a larger
    one is compared line by line, which suits the usual case of one template rendered with other
    values (lines left over in the longer text count as extra lines).
    """
    prefix = 0
    limit = min(len(a), len(b))
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[len(a) - 1 - suffix] == b[len(b) - 1 - suffix]:
        suffix += 1
    a_end, b_end = len(a) - suffix, len(b) - suffix
    if prefix == a_end and prefix == b_end:
        return []
    if max(a_end - prefix, b_end - prefix) <= MAX_MATCHED_LINES:
        matcher = SequenceMatcher(None, a[prefix:a_end], b[prefix:b_end])
        return [
            (tag, i1 + prefix, i2 + prefix, j1 + prefix, j2 + prefix)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
            if tag != "equal"
        ]
    changes: list[tuple[str, int, int, int, int]] = []
    common = min(a_end, b_end)
    for index in range(prefix, common):
        if a[index] != b[index]:
            changes.append(("replace", index, index + 1, index, index + 1))
    if a_end > common:
        changes.append(("delete", common, a_end, common, common))
    elif b_end > common:
        changes.append(("insert", common, common, common, b_end))
    return changes


def _line_starts(lines: list[str]) -> list[int]:
    """Offsets of each line's start, plus the text's length at the end."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _block_ranges(
    a: str, a_block: Range, b: str, b_block: Range, budget: int
) -> tuple[list[Range], list[Range], int]:
    """Word-level differences between two changed blocks, and how many tokens that took."""
    a_tokens = _tokens(a, a_block)
    b_tokens = _tokens(b, b_block)
    used = len(a_tokens) + len(b_tokens)
    if max(len(a_tokens), len(b_tokens)) > MAX_BLOCK_TOKENS or used > budget:
        return (*_prefix_suffix_ranges(a, a_block, b, b_block), 0)
    matcher = SequenceMatcher(None, [t[2] for t in a_tokens], [t[2] for t in b_tokens])
    in_a: list[Range] = []
    in_b: list[Range] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            in_a.append((a_tokens[i1][0], a_tokens[i2 - 1][1]))
        if j2 > j1:
            in_b.append((b_tokens[j1][0], b_tokens[j2 - 1][1]))
    return in_a, in_b, used


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
