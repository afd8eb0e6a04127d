"""The loopback webhook receiver, driven over real sockets on 127.0.0.1."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from uptrends_studio.core.delivery.receiver import (
    CapturedRequest,
    Receiver,
    ReceiverError,
    ReceiverResponse,
    format_capture,
)
from uptrends_studio.core.errors import StudioError

TIMEOUT = 10


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as started:
        yield started


def exchange(port: int, payload: bytes, *, half_close: bool = False) -> bytes:
    """Send raw bytes and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.sendall(payload)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def non_loopback_ipv4() -> str | None:
    candidates: list[str] = []
    with (
        contextlib.suppress(OSError),
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe,
    ):
        probe.connect(("192.0.2.1", 9))  # UDP: picks a route, sends nothing
        candidates.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        candidates += socket.gethostbyname_ex(socket.gethostname())[2]
    return next((ip for ip in candidates if not ip.startswith(("127.", "0."))), None)


# --- what is captured ------------------------------------------------------------------------


def test_post_is_captured_exactly(receiver: Receiver) -> None:
    before = datetime.now(UTC)
    body = b'{"alert": "Error", "text": "caf\xc3\xa9"}'
    headers = {"x-lower": "one", "X-UPPER": "two", "X-Mixed-Case": "three"}
    headers["Content-Type"] = "application/json; charset=utf-8"
    reply = requests.post(
        receiver.url + "alerts/v1?source=uptrends&x=1", data=body, headers=headers, timeout=TIMEOUT
    )

    assert reply.status_code == 200
    assert reply.json() == {"received": True}
    [capture] = receiver.captures()
    assert capture.number == 1
    assert capture.method == "POST"
    assert capture.target == "/alerts/v1?source=uptrends&x=1"
    assert capture.path == "/alerts/v1"
    assert capture.query == "source=uptrends&x=1"
    assert capture.http_version == "HTTP/1.1"
    assert capture.body == body
    assert capture.text == '{"alert": "Error", "text": "café"}'
    assert not capture.truncated
    assert capture.client.startswith("127.0.0.1:")
    assert before <= capture.received_at <= datetime.now(UTC)
    assert capture.received_at.utcoffset() == timedelta(0)
    sent_order = [(n, v) for n, v in capture.headers if n.lower() in {h.lower() for h in headers}]
    assert sent_order == list(headers.items())
    assert capture.header("content-type") == "application/json; charset=utf-8"
    assert capture.header("CONTENT-LENGTH") == str(len(body))
    assert capture.header("X-Missing") is None


def test_raw_headers_keep_wire_order_case_and_utf8(receiver: Receiver) -> None:
    reply = exchange(
        receiver.port,
        b"PUT /incident?id=7 HTTP/1.1\r\n"
        b"host: localhost\r\n"
        b"X-Zeta: last-in-alphabet\r\n"
        b"x-alpha: first-in-alphabet\r\n"
        b"X-Name: Ren\xc3\xa9e\r\n"
        b"Content-Length: 5\r\n"
        b"Connection: close\r\n"
        b"\r\n"
        b"hello",
    )

    assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
    [capture] = receiver.captures()
    assert capture.method == "PUT"
    assert capture.headers == (
        ("host", "localhost"),
        ("X-Zeta", "last-in-alphabet"),
        ("x-alpha", "first-in-alphabet"),
        ("X-Name", "Renée"),
        ("Content-Length", "5"),
        ("Connection", "close"),
    )
    assert capture.body == b"hello"


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def test_every_uptrends_method_is_captured_and_answered(receiver: Receiver, method: str) -> None:
    reply = requests.request(method, receiver.url + "m", timeout=TIMEOUT)

    assert reply.status_code == 200
    assert reply.headers["Content-Length"] == str(len('{"received": true}'))
    assert reply.content == (b"" if method == "HEAD" else b'{"received": true}')
    assert [(c.method, c.path) for c in receiver.captures()] == [(method, "/m")]


def test_chunked_body_is_reassembled(receiver: Receiver) -> None:
    def pieces() -> Iterator[bytes]:
        yield b'{"part": '
        yield b'"one", '
        yield b'"more": "two"}'

    reply = requests.post(receiver.url + "chunked", data=pieces(), timeout=TIMEOUT)

    assert reply.status_code == 200
    [capture] = receiver.captures()
    assert capture.header("Transfer-Encoding") == "chunked"
    assert capture.body == b'{"part": "one", "more": "two"}'


def test_chunk_extensions_and_trailers_are_accepted(receiver: Receiver) -> None:
    reply = exchange(
        receiver.port,
        b"POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"4;name=value\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n"
        b"X-Trailer: yes\r\n\r\n",
    )

    assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
    assert receiver.captures()[0].body == b"Wikipedia in\r\n\r\nchunks."


# --- the response ----------------------------------------------------------------------------


def test_configured_status_headers_and_body_are_returned() -> None:
    response = ReceiverResponse(
        status=500,
        headers=(("Content-Type", "text/plain; charset=utf-8"), ("X-Reason", "maintenance")),
        body="Wartung läuft, bitte später",
    )
    with Receiver(response=response) as receiver:
        reply = requests.post(receiver.url, data="{}", timeout=TIMEOUT)

    assert reply.status_code == 500
    assert reply.reason == "Internal Server Error"
    assert reply.headers["X-Reason"] == "maintenance"
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert reply.headers["Content-Length"] == str(len(response.body.encode()))
    assert reply.text == "Wartung läuft, bitte später"


def test_set_response_applies_to_the_next_request(receiver: Receiver) -> None:
    first = requests.get(receiver.url, timeout=TIMEOUT)
    receiver.set_response(ReceiverResponse(status=429, headers=(("Retry-After", "30"),), body=""))
    second = requests.get(receiver.url, timeout=TIMEOUT)

    assert first.status_code == 200
    assert (second.status_code, second.headers["Retry-After"], second.text) == (429, "30", "")
    assert receiver.response.status == 429


def test_204_has_no_body() -> None:
    with Receiver(response=ReceiverResponse(status=204)) as receiver:
        reply = exchange(receiver.port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")

    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 204 No Content\r\n")
    assert b"Content-Length" not in head
    assert body == b""


def test_delay_is_honoured() -> None:
    with Receiver(response=ReceiverResponse(delay=0.3)) as receiver:
        started = time.monotonic()
        reply = requests.get(receiver.url, timeout=TIMEOUT)
        elapsed = time.monotonic() - started

    assert reply.status_code == 200
    assert elapsed >= 0.3


def test_stop_during_a_delay_returns_promptly() -> None:
    captured = threading.Event()
    outcome: list[BaseException | requests.Response] = []
    receiver = Receiver(
        response=ReceiverResponse(delay=60), on_capture=lambda _capture: captured.set()
    )
    receiver.start()

    def send() -> None:
        try:
            outcome.append(requests.post(receiver.url, data="x", timeout=TIMEOUT))
        except requests.RequestException as exc:
            outcome.append(exc)

    client = threading.Thread(target=send)
    client.start()
    assert captured.wait(TIMEOUT)
    started = time.monotonic()
    receiver.stop()
    stopped_after = time.monotonic() - started
    client.join(TIMEOUT)

    assert stopped_after < 1.0
    assert not client.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], requests.ConnectionError)
    assert not receiver.running


def test_stop_closes_idle_keep_alive_connections_promptly() -> None:
    receiver = Receiver()
    receiver.start()
    with socket.create_connection(("127.0.0.1", receiver.port), timeout=TIMEOUT) as idle:
        idle.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        reply = b""
        while not reply.endswith(b'{"received": true}'):
            reply += idle.recv(65536)
        assert reply.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        receiver.stop()
        assert time.monotonic() - started < 1.0
        assert idle.recv(65536) == b""  # the server hung up


def test_idle_client_is_dropped_after_the_timeout() -> None:
    with Receiver(idle_timeout=0.2) as receiver:
        with socket.create_connection(("127.0.0.1", receiver.port), timeout=TIMEOUT) as idle:
            started = time.monotonic()
            assert idle.recv(1) == b""
            assert time.monotonic() - started < 5
        assert requests.get(receiver.url, timeout=TIMEOUT).status_code == 200


# --- binding ---------------------------------------------------------------------------------


def test_busy_port_gives_a_clear_error() -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(ReceiverError) as raised:
            Receiver(port=port).start()

    assert str(raised.value) == (
        f"port {port} on 127.0.0.1 is already in use: stop the other program or choose another port"
    )
    assert isinstance(raised.value, StudioError)


def test_second_receiver_on_the_same_port_is_refused(receiver: Receiver) -> None:
    with pytest.raises(ReceiverError, match=f"port {receiver.port} on 127.0.0.1 is already in"):
        Receiver(port=receiver.port).start()
    assert requests.get(receiver.url, timeout=TIMEOUT).status_code == 200


def test_port_is_known_after_start_and_url_uses_it() -> None:
    receiver = Receiver()
    assert not receiver.running
    with receiver:
        assert receiver.running
        assert receiver.port > 0
        assert receiver.url == f"http://127.0.0.1:{receiver.port}/"
    assert not receiver.running
    receiver.stop()  # a second stop is harmless


def test_listens_on_loopback_only(receiver: Receiver) -> None:
    assert receiver.address == ("127.0.0.1", receiver.port)
    address = non_loopback_ipv4()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    with pytest.raises((ConnectionRefusedError, TimeoutError)):
        socket.create_connection((address, receiver.port), timeout=3).close()


@pytest.mark.parametrize("port", [-1, 65536, 100000])
def test_port_out_of_range_is_refused(port: int) -> None:
    with pytest.raises(ReceiverError, match=f"port {port} is not between 0 and 65535"):
        Receiver(port=port)


# --- hostile and malformed input -------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\x00\x01\x02garbage\xff\r\n\r\n", b"Bad request line"),
        (b"GET /x HTTP/one\r\n\r\n", b"Bad request version"),
        (b"GET /\r\n\r\n", b"Bad request line"),
        (b"POST /x HTTP/1.1\r\nContent-Length: lots\r\n\r\n", b"bad Content-Length"),
        (b"POST /x HTTP/1.1\r\nContent-Length: -5\r\n\r\n", b"bad Content-Length"),
        (
            b"POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
            b"conflicting Content-Length",
        ),
        (b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"bad chunk size"),
        (b"POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", b"unsupported Transfer"),
    ],
)
def test_malformed_http_gets_400_and_the_server_keeps_serving(
    receiver: Receiver, capfd: pytest.CaptureFixture[str], payload: bytes, reason: bytes
) -> None:
    reply = exchange(receiver.port, payload)

    status_line = reply.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 400 ")
    assert reason in status_line
    assert receiver.captures() == []
    assert requests.post(receiver.url + "next", data="ok", timeout=TIMEOUT).status_code == 200
    assert [c.path for c in receiver.captures()] == ["/next"]
    assert capfd.readouterr().err == ""  # nothing printed: problems go to logging


def test_client_hanging_up_mid_body_is_not_captured(receiver: Receiver) -> None:
    payload = b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort"
    assert exchange(receiver.port, payload, half_close=True) == b""
    assert requests.get(receiver.url, timeout=TIMEOUT).status_code == 200
    assert [c.method for c in receiver.captures()] == ["GET"]


def test_body_above_the_cap_is_truncated_and_flagged() -> None:
    body = bytes(range(256)) * 40  # 10 240 bytes
    with Receiver(max_body=1000) as receiver, requests.Session() as session:
        reply = session.post(receiver.url, data=body, timeout=TIMEOUT)
        # The rest of the body was read off the connection: the next request on it still works.
        follow_up = session.post(receiver.url, data=b"small", timeout=TIMEOUT)

    assert (reply.status_code, follow_up.status_code) == (200, 200)
    big, small = receiver.captures()
    assert big.body == body[:1000]
    assert big.truncated
    assert big.header("Content-Length") == "10240"
    assert (small.body, small.truncated) == (b"small", False)


def test_chunked_body_above_the_cap_is_truncated() -> None:
    with Receiver(max_body=10) as receiver:
        reply = requests.post(
            receiver.url, data=iter([b"0123456", b"789abcdef", b"ghij"]), timeout=TIMEOUT
        )

    assert reply.status_code == 200
    [capture] = receiver.captures()
    assert (capture.body, capture.truncated) == (b"0123456789", True)


def test_only_the_last_keep_requests_are_kept(receiver: Receiver) -> None:
    small = Receiver(keep=3)
    with small:
        for index in range(5):
            requests.get(f"{small.url}{index}", timeout=TIMEOUT)
        kept = small.captures()
        small.clear()
        cleared = small.captures()
        requests.get(small.url + "after", timeout=TIMEOUT)
        after = small.captures()

    assert [(c.number, c.path) for c in kept] == [(3, "/2"), (4, "/3"), (5, "/4")]
    assert cleared == []
    assert [(c.number, c.path) for c in after] == [(6, "/after")]


def test_failing_callback_is_logged_and_does_not_stop_the_server(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def explode(capture: CapturedRequest) -> None:
        raise RuntimeError(f"callback broke on #{capture.number}")

    with caplog.at_level(logging.ERROR), Receiver(on_capture=explode) as receiver:
        first = requests.post(receiver.url, data="1", timeout=TIMEOUT)
        second = requests.post(receiver.url, data="2", timeout=TIMEOUT)

    assert (first.status_code, second.status_code) == (200, 200)
    assert [c.body for c in receiver.captures()] == [b"1", b"2"]
    failures = [r for r in caplog.records if "on_capture" in r.getMessage()]
    assert len(failures) == 2
    assert failures[0].exc_info is not None
    assert "callback broke on #1" in str(failures[0].exc_info[1])


def test_callback_sees_each_request_before_the_reply() -> None:
    seen: list[str] = []
    with Receiver(on_capture=lambda c: seen.append(c.text)) as receiver:
        requests.post(receiver.url, data="first", timeout=TIMEOUT)
        assert seen == ["first"]
        requests.post(receiver.url, data="second", timeout=TIMEOUT)
    assert seen == ["first", "second"]


# --- response validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": 99}, "response status 99 is not between 100 and 599"),
        ({"status": 600}, "response status 600 is not between 100 and 599"),
        ({"delay": -1}, "response delay -1 s is not between 0 and 300 seconds"),
        ({"delay": 301}, "response delay 301 s is not between 0 and 300 seconds"),
        ({"delay": float("nan")}, "response delay nan s is not between 0 and 300"),
        ({"headers": (("Bad Name", "x"),)}, "response header 1 ('Bad Name'): the name is not"),
        ({"headers": (("A", "1"), ("X:Y", "x"))}, "response header 2 ('X:Y'): the name is not"),
        ({"headers": (("X-Split", "a\r\nInjected: 1"),)}, "response header 1 ('X-Split'): the"),
        ({"headers": (("Content-Length", "3"),)}, "response header 1 ('Content-Length'): Content"),
        ({"headers": (("Transfer-Encoding", "chunked"),)}, "response header 1 ('Transfer-Enc"),
    ],
)
def test_invalid_response_settings_name_the_field(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ReceiverError) as raised:
        ReceiverResponse(**fields)  # type: ignore[arg-type]
    assert str(raised.value).startswith(message)


def test_non_ascii_response_header_is_sent_as_utf8() -> None:
    response = ReceiverResponse(headers=(("X-Greeting", "Grüße"),))
    with Receiver(response=response) as receiver:
        reply = exchange(receiver.port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert "X-Greeting: Grüße\r\n".encode() in reply


# --- format_capture --------------------------------------------------------------------------

AT = datetime(2026, 3, 1, 12, 4, 5, tzinfo=UTC)
LOCAL = f"{AT.astimezone():%H:%M:%S}"


def capture_of(body: bytes, content_type: str, *, truncated: bool = False) -> CapturedRequest:
    return CapturedRequest(
        number=3,
        received_at=AT,
        client="127.0.0.1:54321",
        method="POST",
        target="/alerts?x=1",
        http_version="HTTP/1.1",
        headers=(("Host", "127.0.0.1:8787"), ("Content-Type", content_type)),
        body=body,
        truncated=truncated,
    )


def test_format_capture_pretty_prints_json() -> None:
    body = b'{"alert":{"type":"Error","monitor":"Caf\xc3\xa9 Z\xc3\xbcrich"},"ok":false}'
    text = format_capture(capture_of(body, "application/json; charset=utf-8"))

    assert text == (
        f"#3  {LOCAL}  POST /alerts?x=1  from 127.0.0.1:54321  ({len(body)} bytes)\n"
        "Host: 127.0.0.1:8787\n"
        "Content-Type: application/json; charset=utf-8\n"
        "\n"
        "{\n"
        '  "alert": {\n'
        '    "type": "Error",\n'
        '    "monitor": "Café Zürich"\n'
        "  },\n"
        '  "ok": false\n'
        "}"
    )


def test_format_capture_shows_other_bodies_as_text_with_control_characters_escaped() -> None:
    body = b"name=Shop&state=down\r\nsecond line \x1b[31mred\x1b[0m"
    text = format_capture(capture_of(body, "application/x-www-form-urlencoded"))

    assert text.splitlines()[-2:] == [
        "name=Shop&state=down",
        "second line \\x1b[31mred\\x1b[0m",
    ]
    assert "\x1b" not in text


def test_format_capture_leaves_broken_json_as_sent() -> None:
    body = b'{"description": "unescaped "quotes""}'
    text = format_capture(capture_of(body, "application/json"))
    assert text.endswith("\n\n" + body.decode())


def test_format_capture_marks_truncation_and_empty_bodies() -> None:
    truncated = format_capture(capture_of(b'{"cut": "he', "application/json", truncated=True))
    empty = format_capture(capture_of(b"", "text/plain"))

    assert "(11 bytes, truncated)" in truncated.splitlines()[0]
    assert truncated.endswith('\n{"cut": "he\n[body truncated: only the first 11 bytes were kept]')
    assert empty.splitlines()[0].endswith("(0 bytes)")
    assert empty.endswith("\n\n(no body)")
