"""Hostile and broken files and templates: a clear message within a bound, never a hang.

Each file case is loaded as an integration and as a sample set; the message must name the file
and say what is wrong. Template cases must finish (or stop with a message) quickly enough that a
user notices nothing worse than a short wait; the bounds are generous (they guard against
runaway work, the figures are in docs/performance.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from uptrends_studio.core.checks.integration import check_integration
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import Header, Integration, RegexFunction, Step
from uptrends_studio.core.document.samples import find_sample, load_sample
from uptrends_studio.core.errors import FileFormatError
from uptrends_studio.core.language.catalogue import Catalogue

HEADER = '{"format": "uptrends-studio.integration", "version": 1, "name": "x"'


def _huge(path: Path) -> None:
    with path.open("wb") as handle:  # sparse: 100 MB on paper, nothing written
        handle.truncate(100 * 1024 * 1024)


FILE_CASES: dict[str, tuple[Callable[[Path], object], str]] = {
    "not JSON": (
        lambda p: p.write_text("this is not JSON\n", encoding="utf-8"),
        ":1:1: not valid JSON",
    ),
    "wrong format": (
        lambda p: p.write_text('{"format": "something-else", "version": 1}', encoding="utf-8"),
        "field /format:",
    ),
    "future version": (
        lambda p: p.write_text(
            '{"format": "uptrends-studio.integration", "version": 99, "name": "x"}',
            encoding="utf-8",
        ),
        "version 99",
    ),
    "huge (100 MB)": (_huge, "file is 105 MB; the limit is 64 MB"),
    "deeply nested": (
        lambda p: p.write_text(HEADER + ', "steps": ' + "[" * 5000 + "]" * 5000 + "}"),
        "nested",
    ),
    "wrong types": (
        lambda p: p.write_text(HEADER + ', "steps": [{"headers": "not a list"}]}'),
        "field /steps/0/headers",
    ),
    "invalid UTF-8": (
        lambda p: p.write_bytes(HEADER.encode() + b', "description": "\xff\xfe"}'),
        "UTF-8",
    ),
    "empty": (lambda p: p.write_bytes(b""), "the file is empty"),
}


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_a_hostile_integration_file_gets_a_clear_message(case: str, tmp_path: Path) -> None:
    make, expected = FILE_CASES[case]
    path = tmp_path / "hostile.integration.json"
    make(path)
    started = time.monotonic()
    with pytest.raises(FileFormatError) as caught:
        integration_file.load(path)
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected.lower() in message.lower(), message


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_a_hostile_sample_file_gets_a_clear_message(
    case: str, tmp_path: Path, catalogue: Catalogue
) -> None:
    make, _expected = FILE_CASES[case]
    path = tmp_path / "hostile.sample.json"
    make(path)
    with pytest.raises(FileFormatError) as caught:
        load_sample(path, catalogue)
    assert str(caught.value).startswith(str(path))


def _integration(body: str, functions: tuple[RegexFunction, ...] = ()) -> Integration:
    return Integration(
        name="hostile",
        steps=(
            Step(
                "Send",
                url="https://example.com/x",
                headers=(Header("Content-Type", "application/json"),),
                body=body,
            ),
        ),
        functions=functions,
    )


def test_ten_thousand_nested_tokens_stop_with_a_message(catalogue: Catalogue) -> None:
    body = "{{@JsonEncode(" * 10_000 + "x" + ")}}" * 10_000
    started = time.monotonic()
    found = check_integration(_integration(body), find_sample(None, catalogue), catalogue)
    assert time.monotonic() - started < 10
    assert any("nest" in d.message for d in found), [d.message for d in found][:5]


def test_a_10_mb_body_is_checked_without_running_away(catalogue: Catalogue) -> None:
    filler = "x" * 1000
    body = '{"items": [' + ",".join(f'"{filler}"' for _ in range(10_000)) + "]}"
    assert len(body) > 10_000_000
    started = time.monotonic()
    found = check_integration(_integration(body), find_sample(None, catalogue), catalogue)
    assert time.monotonic() - started < 30
    assert not [d for d in found if d.severity.value == "error"]


def test_a_pathological_regex_udf_is_stopped_with_a_warning(catalogue: Catalogue) -> None:
    function = RegexFunction("evil", "(a|aa)+$")
    body = '{"x": "{{evil(' + "a" * 40 + '!)}}"}'
    started = time.monotonic()
    found = check_integration(
        _integration(body, (function,)), find_sample(None, catalogue), catalogue
    )
    assert time.monotonic() - started < 15
    assert any(
        d.code == "render-budget" and d.message.startswith("evil: the pattern was still searching")
        for d in found
    ), [d.message for d in found]
