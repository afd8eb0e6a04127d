"""The sender against real servers on 127.0.0.1: wire-exact requests, auth, errors, caps."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.http_server import PASSWORD, USER, LoopbackServer, serve
from tests.support import free_port
from uptrends_studio.core.checks.bodies import BodyKind
from uptrends_studio.core.delivery.sending import (
    USER_AGENT,
    ErrorKind,
    ProxyMode,
    SendOptions,
    send,
)
from uptrends_studio.core.document.model import AlertType, AuthType
from uptrends_studio.core.rendering.messages import RenderedRequest

DIRECT = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE)


def request(
    url: str,
    *,
    method: str = "POST",
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),),
    body: str = '{"alert": "down"}',
    auth: AuthType = AuthType.NONE,
    username: str = "",
    password: str = "",
) -> RenderedRequest:
    return RenderedRequest(
        step_index=0,
        step_name="Send alert",
        alert_type=AlertType.ERROR,
        helper=False,
        method=method,
        url=url,
        headers=headers,
        body=body,
        body_kind=BodyKind.JSON,
        auth_type=auth,
        username=username,
        password=password,
    )


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        yield running


def test_the_wire_request_is_exactly_what_the_server_received(server: LoopbackServer) -> None:
    body = '{"description": "Ünïcode ✓", "quote": "\\""}'
    exchange = send(
        request(
            f"{server.url}/echo?x=1",
            headers=(("Content-Type", "application/json"), ("X-Team", "web-ops")),
            body=body,
        ),
        DIRECT,
    )
    assert exchange.success, exchange.error
    assert exchange.status == 200
    received = server.recorded.requests[-1]
    assert exchange.wire is not None
    assert list(exchange.wire.headers) == [tuple(h) for h in received["headers"]]  # type: ignore[attr-defined]
    assert exchange.wire.body == body.encode("utf-8") == received["body"]
    assert exchange.wire.header("User-Agent") == USER_AGENT
    assert exchange.wire.header("Content-Length") == str(len(body.encode("utf-8")))
    assert exchange.wire.header("Host") == server.url.removeprefix("http://")
    echoed = json.loads(exchange.body_text)
    assert echoed["method"] == "POST"
    assert echoed["path"] == "/echo?x=1"
    assert exchange.response_header("content-type") == "application/json"
    assert exchange.timings.total >= exchange.timings.first_byte > 0
    assert exchange.summary().startswith("200 OK in ")


def test_repeated_header_names_are_combined_as_http_allows(server: LoopbackServer) -> None:
    exchange = send(request(f"{server.url}/echo", headers=(("X-Tag", "a"), ("x-tag", "b"))), DIRECT)
    headers = dict(server.recorded.requests[-1]["headers"])  # type: ignore[call-overload]
    assert headers["X-Tag"] == "a, b"
    assert exchange.wire is not None
    assert exchange.wire.header("x-tag") == "a, b"


def test_status_400_and_above_is_a_failed_delivery(server: LoopbackServer) -> None:
    exchange = send(request(f"{server.url}/status/503"), DIRECT)
    assert exchange.status == 503
    assert exchange.error is None
    assert not exchange.success
    assert json.loads(exchange.body_text) == {"error": "as requested"}
    assert send(request(f"{server.url}/status/399"), DIRECT).success


def test_basic_auth_round_trip(server: LoopbackServer) -> None:
    good = send(
        request(f"{server.url}/basic", auth=AuthType.BASIC, username=USER, password=PASSWORD),
        DIRECT,
    )
    assert good.status == 200
    assert good.success
    assert good.wire is not None
    assert (good.wire.header("Authorization") or "").startswith("Basic ")
    wrong = send(
        request(f"{server.url}/basic", auth=AuthType.BASIC, username=USER, password="nope"),
        DIRECT,
    )
    assert wrong.status == 401
    assert not wrong.success


def test_digest_auth_round_trip_reports_the_challenge_hop(server: LoopbackServer) -> None:
    exchange = send(
        request(f"{server.url}/digest", auth=AuthType.DIGEST, username=USER, password=PASSWORD),
        DIRECT,
    )
    assert exchange.status == 200, exchange.body_text
    assert [hop.status for hop in exchange.hops] == [401]
    assert exchange.wire is not None
    assert (exchange.wire.header("Authorization") or "").startswith("Digest username=")
    assert len(server.recorded.requests) == 2  # challenge, then the authenticated retry
    wrong = send(
        request(f"{server.url}/digest", auth=AuthType.DIGEST, username=USER, password="x"),
        DIRECT,
    )
    assert wrong.status == 401


def test_ntlm_auth_starts_the_ntlm_handshake(server: LoopbackServer) -> None:
    exchange = send(
        request(f"{server.url}/ntlm", auth=AuthType.NTLM, username="CORP\\user", password=PASSWORD),
        DIRECT,
    )
    # This server never sends the challenge: the handshake breaks off, in plain words.
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.AUTH
    assert "NTLM negotiation" in exchange.error.message
    sent = [dict(r["headers"]).get("Authorization", "") for r in server.recorded.requests]  # type: ignore[call-overload]
    assert any(value.startswith("NTLM TlRMTVNTUAAB") for value in sent)  # NEGOTIATE message


def test_redirects_are_followed_and_listed(server: LoopbackServer) -> None:
    exchange = send(request(f"{server.url}/redirect/2", method="GET", body=""), DIRECT)
    assert exchange.status == 200
    assert [hop.status for hop in exchange.hops] == [302, 302, 302]
    assert exchange.final_url == f"{server.url}/echo"


def test_redirects_not_followed_when_turned_off(server: LoopbackServer) -> None:
    options = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE, follow_redirects=False)
    exchange = send(request(f"{server.url}/redirect/2", method="GET", body=""), options)
    assert exchange.status == 302
    assert exchange.response_header("Location") == "/redirect/1"
    assert exchange.success  # 3xx is below 400: Uptrends counts it delivered


def test_redirect_loop_is_reported_in_plain_words(server: LoopbackServer) -> None:
    options = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE, max_redirects=5)
    exchange = send(request(f"{server.url}/loop", method="GET", body=""), options)
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.REDIRECTS
    assert "more than 5" in exchange.error.message
    assert not exchange.success


def test_timeout_names_the_host_and_the_limit(server: LoopbackServer) -> None:
    options = SendOptions(timeout=0.3, proxy_mode=ProxyMode.NONE)
    started = time.monotonic()
    exchange = send(request(f"{server.url}/slow?delay=5"), options)
    assert time.monotonic() - started < 3
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.TIMEOUT
    assert "127.0.0.1" in exchange.error.message
    assert "0.3 s" in exchange.error.message


def test_refused_port_suggests_the_local_receiver() -> None:
    exchange = send(request(f"http://127.0.0.1:{free_port()}/alerts"), DIRECT)
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.REFUSED
    assert "nothing is listening" in exchange.error.message
    assert "local receiver" in exchange.error.message
    assert exchange.summary() == exchange.error.message


def test_unknown_host_is_a_dns_failure() -> None:
    exchange = send(request("http://no-such-host.invalid/alerts"), DIRECT)
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.DNS
    assert "'no-such-host.invalid' could not be found" in exchange.error.message


@pytest.mark.parametrize(
    ("url", "headers", "expected"),
    [
        ("ftp://example.com/x", (), "scheme 'ftp' cannot be sent"),
        ("example.com/alerts", (), "has no http:// or https://"),
        ("http:///alerts", (), "names no host"),
        ("http://127.0.0.1/", (("X-Emoji", "up ✓"),), "header 'X-Emoji' contains '✓'"),
        ("http://127.0.0.1/", (("X-Notes", "a\nb"),), "contains a line break"),
        ("http://127.0.0.1:99999/alerts", (), "has a port outside 1-65535"),
        ("http://[::1", (), "the URL 'http://[::1' cannot be read (Invalid IPv6 URL)"),
        ("http://a..b/", (), "the host 'a..b' of the URL 'http://a..b/' has an empty or too long"),
        ("http://." + "x" * 64 + ".test/", (), "has an empty or too long part"),
        ("https://\u00e9\u200d\u0378.test/", (), "is not a usable host name"),
        ("http://127.0.0.1/", (("X-Naïve", "1"),), "header name 'X-Naïve' may only use ASCII"),
    ],
)
def test_unsendable_requests_are_refused_before_connecting(
    url: str, headers: tuple[tuple[str, str], ...], expected: str
) -> None:
    exchange = send(request(url, headers=headers), DIRECT)
    assert exchange.wire is None
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.INVALID_REQUEST
    assert expected in exchange.error.message


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def _tls_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


def test_self_signed_certificate_is_a_tls_failure(authority: trustme.CA) -> None:
    with serve(_tls_context(authority)) as tls_server:
        exchange = send(request(f"{tls_server.url}/echo"), DIRECT)
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.TLS
    assert "certificate of 127.0.0.1 is not trusted" in exchange.error.message


def test_tls_works_with_the_ca_bundle_or_verification_off(
    authority: trustme.CA, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    with serve(_tls_context(authority)) as tls_server:
        trusted = send(
            request(f"{tls_server.url}/echo"),
            SendOptions(timeout=5, proxy_mode=ProxyMode.NONE, ca_bundle=str(bundle)),
        )
        unverified = send(
            request(f"{tls_server.url}/echo"),
            SendOptions(timeout=5, proxy_mode=ProxyMode.NONE, verify_tls=False),
        )
    assert trusted.status == 200
    assert trusted.success
    assert unverified.status == 200


def test_plain_http_to_a_tls_port_is_explained(authority: trustme.CA) -> None:
    with serve(_tls_context(authority)) as tls_server:
        exchange = send(request(tls_server.url.replace("http://", "https://") + "/echo"), DIRECT)
        plain = send(request(tls_server.url.replace("https://", "http://") + "/echo"), DIRECT)
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.TLS
    assert plain.error is not None  # the TLS server hangs up on plain HTTP
    assert plain.status is None


def test_large_response_is_capped_and_spooled_to_disk(
    server: LoopbackServer, tmp_path: Path
) -> None:
    options = SendOptions(
        timeout=5,
        proxy_mode=ProxyMode.NONE,
        keep_in_memory=1000,
        max_body=300_000,
        spool_dir=tmp_path,
    )
    exchange = send(request(f"{server.url}/big?size=2000000", method="GET", body=""), options)
    assert exchange.status == 200
    assert exchange.truncated
    assert len(exchange.body) == 1000
    assert exchange.body_size == 300_000
    assert exchange.body_file is not None
    assert exchange.body_file.parent == tmp_path
    assert exchange.body_file.stat().st_size == 300_000


def test_small_response_stays_in_memory(server: LoopbackServer, tmp_path: Path) -> None:
    options = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE, spool_dir=tmp_path)
    exchange = send(request(f"{server.url}/big?size=5000", method="GET", body=""), options)
    assert exchange.body_size == len(exchange.body) == 5000
    assert exchange.body_file is None
    assert not exchange.truncated
    assert list(tmp_path.iterdir()) == []


def test_endless_stream_stops_at_the_time_cap(server: LoopbackServer, tmp_path: Path) -> None:
    options = SendOptions(
        timeout=5, proxy_mode=ProxyMode.NONE, max_download_seconds=0.5, spool_dir=tmp_path
    )
    started = time.monotonic()
    exchange = send(request(f"{server.url}/endless", method="GET", body=""), options)
    assert time.monotonic() - started < 5
    assert exchange.truncated
    assert exchange.status == 200
    assert exchange.body_size > 0


def test_cancel_stops_reading_a_long_body(server: LoopbackServer, tmp_path: Path) -> None:
    cancel = threading.Event()
    options = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE, spool_dir=tmp_path)
    timer = threading.Timer(0.3, cancel.set)
    timer.start()
    exchange = send(
        request(f"{server.url}/endless?pause=0.01", method="GET", body=""), options, cancel=cancel
    )
    timer.join()
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.CANCELLED
    assert not exchange.success


def test_explicit_proxy_that_is_down_is_a_proxy_error() -> None:
    options = SendOptions(
        timeout=2, proxy_mode=ProxyMode.EXPLICIT, proxy_url=f"http://127.0.0.1:{free_port()}"
    )
    exchange = send(request("http://example.invalid/alerts"), options)
    assert exchange.error is not None
    assert exchange.error.kind is ErrorKind.PROXY
    assert "proxy" in exchange.error.message


def test_without_a_spool_folder_a_large_body_never_touches_the_disk(
    server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    options = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE, keep_in_memory=1000)
    exchange = send(request(f"{server.url}/big?size=200000", method="GET", body=""), options)
    assert exchange.body_size == 200_000
    assert len(exchange.body) == 1000
    assert exchange.body_file is None
    assert list(tmp_path.iterdir()) == []


def test_an_unusable_spool_folder_keeps_the_start_of_the_body(
    server: LoopbackServer, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    options = SendOptions(
        timeout=5, proxy_mode=ProxyMode.NONE, keep_in_memory=1000, spool_dir=blocker / "spool"
    )
    exchange = send(request(f"{server.url}/big?size=5000", method="GET", body=""), options)
    assert exchange.status == 200
    assert exchange.body_size == 5000
    assert exchange.body_file is None
