"""The render budget: one deadline per alert message for regex, hash and JWT calls, memoised."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time

import pytest

from tests.core.helpers import sample
from uptrends_studio.core.checks.integration import check_and_render, check_integration
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    AlertType,
    HashFunction,
    Integration,
    RegexFunction,
    Step,
)
from uptrends_studio.core.language.budget import RenderBudget, RenderCancelled
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.preview import compute_preview

EVIL = RegexFunction("evil", "(a|aa)+$")
"""Backtracks catastrophically on a run of a's that does not end the input."""


def hmac_chain(depth: int) -> tuple[HashFunction, ...]:
    """h0 keyed "k"; each next key is two calls of the previous function (2**depth naively)."""
    functions = [HashFunction("h0", "HMAC-SHA256", "k")]
    for i in range(1, depth):
        key = f"{{{{h{i - 1}(a)}}}}{{{{h{i - 1}(b)}}}}"
        functions.append(HashFunction(f"h{i}", "HMAC-SHA256", key))
    return tuple(functions)


def expected_chain(depth: int, argument: str) -> str:
    def sign(key: str, text: str) -> str:
        return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()

    key = "k"
    for _ in range(1, depth):
        key = sign(key, "a") + sign(key, "b")
    return sign(key, argument)


def integration(body: str, functions: tuple[HashFunction | RegexFunction, ...]) -> Integration:
    step = Step("s", alert_types=ALERT_TYPES, url="https://x.test/", body=body)
    return Integration("t", steps=(step,), functions=functions)


def test_a_24_deep_hmac_chain_is_computed_once_per_key(catalogue: Catalogue) -> None:
    started = time.monotonic()
    requests, found = check_and_render(
        integration("{{h23(x)}}", hmac_chain(24)), sample(), catalogue
    )
    assert time.monotonic() - started < 10  # naively 2**24 HMACs: minutes
    assert [d.code for d in found if d.severity.value == "error"] == []
    assert requests[AlertType.ERROR][0].body == expected_chain(24, "x")


def test_twenty_catastrophic_regex_calls_stop_at_the_budget(catalogue: Catalogue) -> None:
    calls = [f"{{{{evil({'a' * 40}!{i})}}}}" for i in range(20)]
    body = "<" + "|".join(calls) + ">"
    started = time.monotonic()
    requests, found = check_and_render(integration(body, (EVIL,)), sample(), catalogue)
    assert time.monotonic() - started < 20  # each call alone runs for minutes; 1 s each was 60 s
    budget = [d for d in found if d.code == "render-budget"]
    assert len(budget) == 20
    assert all(d.severity.value == "error" and d.field == "steps[0].body" for d in budget)
    first, *rest = sorted(budget, key=lambda d: d.start)
    assert first.message.startswith("evil: the pattern was still searching")
    assert "render budget is 2 s per alert message" in first.message
    assert all(
        "skipped: the render budget ran out earlier, at evil in steps[0].body" in d.message
        for d in rest
    )
    # The rest of the message is rendered: the calls are sent as written between the literals.
    assert requests[AlertType.OK][0].body == body


def test_after_an_overrun_the_rest_is_rendered_and_later_hashes_are_skipped(
    catalogue: Catalogue,
) -> None:
    sha = HashFunction("sha", "SHA256")
    body = "{{@alert.type}} {{evil(" + "a" * 40 + "!)}} {{sha(x)}} end"
    requests, found = check_and_render(
        integration(body, (EVIL, sha)), sample(), catalogue, budget_seconds=0.2
    )
    assert requests[AlertType.ERROR][0].body == ("Alert {{evil(" + "a" * 40 + "!)}} {{sha(x)}} end")
    skipped = [d for d in found if d.code == "render-budget" and "sha" in d.message]
    assert len(skipped) == 1
    assert skipped[0].message.startswith("sha: skipped: the render budget ran out earlier")


def test_a_spent_budget_skips_even_a_cheap_hash(catalogue: Catalogue) -> None:
    now = [0.0]
    budget = RenderBudget(1.0, clock=lambda: now[0])
    assert not budget.spent("f", "url")
    now[0] = 1.5
    assert budget.remaining() == 0
    assert budget.spent("f", "url")
    assert budget.spent_at == ("f", "url")


def test_without_an_overrun_the_result_is_the_same(catalogue: Catalogue) -> None:
    sha = HashFunction("sha", "SHA256")
    requests, found = check_and_render(integration("{{sha(x)}}", (sha,)), sample(), catalogue)
    assert requests[AlertType.ERROR][0].body == hashlib.sha256(b"x").hexdigest()
    assert not [d for d in found if d.code == "render-budget"]


def test_a_cancelled_render_stops_at_its_next_token(catalogue: Catalogue) -> None:
    # 300 distinct slow (about 20-80 ms) searches: many seconds of work in all.
    body = "".join(f"{{{{evil({'a' * 22}!{i})}}}}" for i in range(300))
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    timer.start()
    started = time.monotonic()
    with pytest.raises(RenderCancelled):
        compute_preview(
            integration(body, (EVIL,)), sample(), catalogue, cancel=cancel, budget_seconds=600
        )
    timer.join()
    assert time.monotonic() - started < 3


def test_check_integration_takes_the_budget(catalogue: Catalogue) -> None:
    body = "{{evil(" + "a" * 40 + "!)}}"
    started = time.monotonic()
    found = check_integration(integration(body, (EVIL,)), sample(), catalogue, budget_seconds=0.1)
    assert time.monotonic() - started < 5
    assert [d.code for d in found if d.severity.value == "error"] == ["render-budget"]
