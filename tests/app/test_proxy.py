"""The proxy choice both front ends share: parsing, the password kept out of settings."""

from __future__ import annotations

import pytest

from uptrends_studio.app.proxy import ProxyChoice, proxy_ref, recall_proxy, remember_proxy
from uptrends_studio.core.delivery.sending import ProxyMode, SendOptions
from uptrends_studio.core.errors import UsageError
from uptrends_studio.core.secret_store import MemoryStore


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("none", ProxyChoice(ProxyMode.NONE)),
        (" System ", ProxyChoice(ProxyMode.SYSTEM)),
        ("http://proxy:3128", ProxyChoice(ProxyMode.EXPLICIT, "http://proxy:3128")),
    ],
)
def test_the_command_line_choice(text: str, expected: ProxyChoice) -> None:
    assert ProxyChoice.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("proxy-host", "--proxy 'proxy-host' is not a proxy URL such as http://proxy:8080"),
        ("http://proxy:99999", "--proxy 'http://proxy:99999' has a port outside 1-65535"),
    ],
)
def test_an_unusable_choice_is_one_line(text: str, message: str) -> None:
    with pytest.raises(UsageError, match="^" + message.replace("(", r"\(").replace(".", r"\.")):
        ProxyChoice.parse(text)


def test_apply_sets_mode_and_url_of_the_send_options() -> None:
    options = ProxyChoice(ProxyMode.EXPLICIT, "http://p:1").apply(SendOptions(timeout=3))
    assert (options.proxy_mode, options.proxy_url, options.timeout) == (
        ProxyMode.EXPLICIT,
        "http://p:1",
        3,
    )
    assert ProxyChoice(ProxyMode.NONE, "http://p:1").apply(options).proxy_url == ""


def test_the_password_goes_to_the_store_and_comes_back() -> None:
    store = MemoryStore()
    typed = ProxyChoice(ProxyMode.EXPLICIT, "http://squid:p%40ss:word@proxy.corp:3128")
    assert typed.password == "p@ss:word"
    kept = remember_proxy(typed, store)
    assert kept == ProxyChoice(ProxyMode.EXPLICIT, "http://squid@proxy.corp:3128")
    assert store.get(proxy_ref("http://squid@proxy.corp:3128")) == "p@ss:word"
    assert recall_proxy(kept, store).password == "p@ss:word"
    # Clearing the password forgets it.
    remember_proxy(kept, store)
    assert store.get(proxy_ref("http://squid@proxy.corp:3128")) is None


def test_a_proxy_without_a_user_keeps_nothing_in_the_store() -> None:
    store = MemoryStore()
    choice = ProxyChoice(ProxyMode.EXPLICIT, "http://proxy:3128")
    assert remember_proxy(choice, store) == choice
    assert recall_proxy(choice, store) == choice
