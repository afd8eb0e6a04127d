"""Redirects to another scheme, host or port leave the credentials behind (real servers).

As curl without ``--location-trusted``: the ``Authorization`` header, the Basic/Digest/NTLM
handler, secret-bearing headers and a body carrying a secret are not sent on; the hop says so.
Same-origin redirects keep everything; ``trust_redirects`` follows with credentials on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

from tests.core.delivery.test_sending import request
from tests.http_server import PASSWORD, USER, LoopbackServer, serve
from tests.proxy_server import logging_proxy
from uptrends_studio.core.delivery.sending import ProxyMode, SendOptions, send
from uptrends_studio.core.document.model import AuthType
from uptrends_studio.core.rendering.messages import RenderedRequest

API_KEY = "sk-live-0123456789"
SECRETS = (API_KEY, PASSWORD)
DIRECT = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE)
TRUSTED = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE, trust_redirects=True)


@pytest.fixture
def first() -> Iterator[LoopbackServer]:
    with serve() as running:
        yield running


@pytest.fixture
def other() -> Iterator[LoopbackServer]:
    """A second server: the same host, another port, so another origin."""
    with serve() as running:
        yield running


def via(server: LoopbackServer, target: str, status: int = 307) -> str:
    return f"{server.url}/redirect-to?status={status}&url={quote(target, safe='')}"


def headers_seen(server: LoopbackServer) -> list[dict[str, str]]:
    return [dict(r["headers"]) for r in server.recorded.requests]  # type: ignore[call-overload]


def secret_request(url: str, auth: AuthType = AuthType.BASIC) -> RenderedRequest:
    return request(
        url,
        headers=(
            ("Content-Type", "application/json"),
            ("X-Team", "web-ops"),
            ("X-Api-Key", API_KEY),
        ),
        body=f'{{"key": "{API_KEY}"}}',
        auth=auth,
        username=USER,
        password=PASSWORD,
    )


def test_a_307_to_another_host_drops_basic_auth_secret_headers_and_body(
    first: LoopbackServer, other: LoopbackServer
) -> None:
    exchange = send(
        secret_request(via(first, f"{other.url}/echo")),
        DIRECT,
        secrets=SECRETS,
    )
    assert exchange.status == 200, exchange.error
    [before] = headers_seen(first)
    assert before["Authorization"].startswith("Basic ")
    assert before["X-Api-Key"] == API_KEY
    [after] = headers_seen(other)
    assert "Authorization" not in after
    assert "X-Api-Key" not in after
    assert after["X-Team"] == "web-ops"  # nothing secret: still sent
    assert other.recorded.requests[0]["body"] == b""
    assert "Content-Type" not in after  # there is no body to describe
    [hop] = exchange.hops
    assert hop.status == 307
    assert hop.note == (
        f"not sent on to {other.url} (another scheme, host or port): "
        "X-Api-Key, Authorization, the body"
    )


def test_a_redirect_to_another_host_answers_no_digest_challenge(
    first: LoopbackServer, other: LoopbackServer
) -> None:
    exchange = send(
        secret_request(via(first, f"{other.url}/digest"), AuthType.DIGEST),
        DIRECT,
        secrets=SECRETS,
    )
    assert exchange.status == 401  # the other host's challenge, left unanswered
    assert len(other.recorded.requests) == 1
    assert all("Authorization" not in h for h in headers_seen(other))
    assert "the Digest authentication" in exchange.hops[0].note


def test_a_redirect_to_another_host_starts_no_ntlm_handshake(
    first: LoopbackServer, other: LoopbackServer
) -> None:
    exchange = send(
        secret_request(via(first, f"{other.url}/ntlm"), AuthType.NTLM),
        DIRECT,
        secrets=SECRETS,
    )
    assert exchange.status == 401
    assert all("Authorization" not in h for h in headers_seen(other))
    assert "the NTLM authentication" in exchange.hops[0].note


@pytest.mark.parametrize(
    ("route", "auth"), [("basic", AuthType.BASIC), ("digest", AuthType.DIGEST)]
)
def test_a_redirect_on_the_same_host_keeps_the_credentials(
    first: LoopbackServer, route: str, auth: AuthType
) -> None:
    exchange = send(
        secret_request(via(first, f"{first.url}/{route}"), auth),
        DIRECT,
        secrets=SECRETS,
    )
    assert exchange.status == 200, exchange.body_text
    assert all(hop.note == "" for hop in exchange.hops)
    last = headers_seen(first)[-1]
    assert last["X-Api-Key"] == API_KEY
    assert first.recorded.requests[-1]["body"] == f'{{"key": "{API_KEY}"}}'.encode()


def test_a_relative_redirect_keeps_the_secret_header_and_body(first: LoopbackServer) -> None:
    exchange = send(secret_request(via(first, "/echo")), DIRECT, secrets=SECRETS)
    assert exchange.status == 200
    assert API_KEY in exchange.body_text


@pytest.mark.parametrize(
    ("route", "auth"), [("basic", AuthType.BASIC), ("digest", AuthType.DIGEST)]
)
def test_following_with_credentials_is_an_explicit_option(
    first: LoopbackServer, other: LoopbackServer, route: str, auth: AuthType
) -> None:
    exchange = send(
        secret_request(via(first, f"{other.url}/{route}"), auth),
        TRUSTED,
        secrets=SECRETS,
    )
    assert exchange.status == 200, exchange.body_text
    assert headers_seen(other)[-1]["X-Api-Key"] == API_KEY
    assert exchange.hops[0].note.startswith(f"credentials sent on to {other.url}")


def test_an_upgrade_to_https_counts_as_another_origin(first: LoopbackServer) -> None:
    target = first.url.replace("http://", "https://") + "/echo"
    exchange = send(secret_request(via(first, target)), DIRECT, secrets=SECRETS)
    assert exchange.error is not None  # nothing speaks TLS there
    assert exchange.wire is not None
    assert exchange.wire.header("Authorization") is None
    assert exchange.wire.header("X-Api-Key") is None


def test_through_an_authenticated_proxy_only_the_proxy_keeps_its_credentials(
    first: LoopbackServer, other: LoopbackServer
) -> None:
    with logging_proxy(credentials="squid:pr0xy-pass") as proxy:
        options = SendOptions(
            timeout=5,
            proxy_mode=ProxyMode.EXPLICIT,
            proxy_url=proxy.url.replace("//", "//squid:pr0xy-pass@"),
        )
        exchange = send(secret_request(via(first, f"{other.url}/echo")), options, secrets=SECRETS)
    assert exchange.status == 200, exchange.body_text
    assert proxy.urls == [via(first, f"{other.url}/echo"), f"{other.url}/echo"]
    assert all(authorization.startswith("Basic ") for _, _, authorization in proxy.seen)
    [after] = headers_seen(other)
    assert "Authorization" not in after
    assert "X-Api-Key" not in after
