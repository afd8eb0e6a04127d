"""What the side-by-side comparison highlights: the tokens that differ, never shared lines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uptrends_studio.core.rendering.request_diff import (
    MAX_BLOCK_TOKENS,
    MAX_MATCHED_LINES,
    Range,
    diff_segments,
)

ERROR = """POST https://api.example.com/incidents
Content-Type: application/json

{
  "type": "Alert",
  "key": "k-1",
  "at": "2025-03-04T09:16:23"
}"""
REMINDER = ERROR.replace('"Alert"', '"Reminder"').replace("09:16:23", "09:46:23")
OK = """PUT https://api.example.com/incidents/k-1/resolve
Content-Type: application/json

{
  "type": "Ok",
  "key": "k-1",
  "at": "2025-03-04T10:03:51",
  "downtime": "00:52:28"
}"""


def texts_of(text: str, ranges: list[Range]) -> list[str]:
    return [text[start:end] for start, end in ranges]


def outside(text: str, ranges: list[Range]) -> str:
    """The characters of ``text`` that are not highlighted."""
    kept, position = [], 0
    for start, end in ranges:
        kept.append(text[position:start])
        position = end
    kept.append(text[position:])
    return "".join(kept)


def line_span(text: str, line: str) -> Range:
    """Where the line equal to ``line`` is in ``text`` (without its line break)."""
    offset = 0
    for candidate in text.split("\n"):
        if candidate == line:
            return offset, offset + len(line)
        offset += len(candidate) + 1
    raise AssertionError(f"{line!r} is not a line of the text")


def test_values_that_differ_are_highlighted_as_tokens_not_lines() -> None:
    error, reminder = diff_segments([ERROR, REMINDER])
    assert texts_of(ERROR, error) == ["Alert", "16"]
    assert texts_of(REMINDER, reminder) == ["Reminder", "46"]


def test_three_messages_highlight_what_differs_from_any_other() -> None:
    error, reminder, ok = diff_segments([ERROR, REMINDER, OK])
    assert "Alert" in texts_of(ERROR, error)
    assert "Reminder" in texts_of(REMINDER, reminder)
    assert "Ok" in texts_of(OK, ok)
    assert "POST" in texts_of(ERROR, error)
    assert "PUT" in texts_of(OK, ok)
    assert "/k-1/resolve" in texts_of(OK, ok)
    # The line only Ok has is highlighted whole, in Ok only.
    downtime = OK.index('  "downtime"')
    assert any(start <= downtime + 2 and end >= OK.index("00:52:28") + 8 for start, end in ok)


@pytest.mark.parametrize(
    "shared",
    ["Content-Type: application/json", '  "key": "k-1",', "{", "}"],
)
def test_lines_identical_in_every_message_are_never_highlighted(shared: str) -> None:
    texts = [ERROR, REMINDER, OK]
    for text, ranges in zip(texts, diff_segments(texts), strict=True):
        first, last = line_span(text, shared)
        assert all(end <= first or start >= last for start, end in ranges)


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([], []),
        (["same"], [[]]),
        (["same\ntext", "same\ntext"], [[], []]),
        (["", "x"], [[], [(0, 1)]]),
        (["a\nb\n", "a\n"], [[(2, 4)], []]),
        (["keep this", "keep that"], [[(5, 9)], [(5, 9)]]),
    ],
)
def test_table(texts: list[str], expected: list[list[Range]]) -> None:
    assert diff_segments(texts) == expected


def test_huge_changed_block_falls_back_to_prefix_and_suffix() -> None:
    words = " ".join(f"w{i}" for i in range(MAX_BLOCK_TOKENS))
    a = f"{words} FIRST {words}"
    b = f"{words} SECOND {words}"
    left, right = diff_segments([a, b])
    assert texts_of(a, left) == ["FIRST"]
    assert texts_of(b, right) == ["SECOND"]


_text = st.text(alphabet=st.sampled_from('ab \n":{}1é'), max_size=60)


@given(st.lists(_text, min_size=2, max_size=3))
def test_ranges_are_sorted_disjoint_and_the_rest_is_common(texts: list[str]) -> None:
    segments = diff_segments(texts)
    assert len(segments) == len(texts)
    for text, ranges in zip(texts, segments, strict=True):
        previous_end = -1
        for start, end in ranges:
            assert 0 <= start < end <= len(text)
            assert start > previous_end
            previous_end = end
    if len(texts) == 2:
        # What is not highlighted is exactly what the two texts share, in order.
        assert outside(texts[0], segments[0]) == outside(texts[1], segments[1])
    for i, text in enumerate(texts):
        if all(other == text for other in texts):
            assert segments[i] == []


def test_large_messages_are_compared_line_by_line_and_stay_token_precise() -> None:
    lines = MAX_MATCHED_LINES + 200
    error = "\n".join(f'  "item{i}": "Alert",' for i in range(lines))
    ok = "\n".join(f'  "item{i}": "Ok",' for i in range(lines)) + '\n  "extra": 1'
    left, right = diff_segments([error, ok])
    assert texts_of(error, left) == ["Alert"] * lines
    assert texts_of(ok, right)[:-1] == ["Ok"] * lines
    assert texts_of(ok, right)[-1].strip() == '"extra": 1'


def test_past_the_work_budget_changed_lines_are_still_marked_and_shared_ones_are_not() -> None:
    def text(value: str) -> str:
        return "\n".join(
            f'"same{i}": {i},' if i % 2 else f'"item{i}": "{value}",' for i in range(8000)
        )

    error, ok = text("Alert"), text("Ok")
    left, _right = diff_segments([error, ok])
    assert "Alert" not in outside(error, left)  # every changed value is covered
    for start, end in left:  # and no range reaches into a shared line
        assert '"same' not in error[start:end]
