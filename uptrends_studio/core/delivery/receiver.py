"""A local webhook receiver: a small HTTP server on the loopback interface that records requests.

Point an integration's URL at ``http://127.0.0.1:PORT/...`` and every request the Studio (or
anything else on this machine) sends is captured as a :class:`CapturedRequest` and answered with a
configurable :class:`ReceiverResponse`. The server always binds ``127.0.0.1``: it never listens on
the network, so it cannot be reached from another machine.

The server runs in a daemon thread (one more thread per connection). Nothing here prints; problems
with clients are logged through :mod:`logging`.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import logging
import os
import re
import socket
import socketserver
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self, cast

from uptrends_studio.core.checks.content_type import BodyKind, body_kind
from uptrends_studio.core.errors import StudioError

_log = logging.getLogger(__name__)

HOST = "127.0.0.1"
"""The only address the receiver binds: loopback, never the network."""

DEFAULT_PORT = 8787
"""The port of the demo integration's ``ApiUrl`` (``http://127.0.0.1:8787/alerts``)."""

IDLE_TIMEOUT = 10.0
"""Seconds a connection may stay silent before the receiver drops it."""

MAX_DELAY = 300.0
"""Longest response delay, in seconds."""

MAX_BODY = 10 * 1024 * 1024
"""Bodies longer than this are cut (and flagged); the rest is read and thrown away."""

MAX_KEPT_BODIES = 64 * 1024 * 1024
"""Bytes of bodies kept in memory across all captures; older bodies are dropped beyond it
(their captures stay, marked as dropped with their size)."""

LISTEN_BACKLOG = 1024
"""Connections the kernel queues before the receiver accepts them (capped by the system, e.g.
``net.core.somaxconn``); a burst of hundreds of simultaneous requests is answered, not reset."""

_MAX_LINE = 65536
_MAX_TRAILERS = 100
_DISCARD_BLOCK = 64 * 1024
_TRIM_AFTER = 1024 * 1024  # freeing this much body memory hands it back to the system
_POLL_INTERVAL = 0.05
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding"})
_FOLD = re.compile(r"\r?\n[ \t]+")
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class ReceiverError(StudioError):
    """The receiver cannot start or a response setting is invalid; the message names the field."""


@dataclass(frozen=True, slots=True)
class CapturedRequest:
    """One request as the receiver read it off the wire.

    Attributes:
        number: 1 for the first request a receiver captured, then 2, 3, ...
        received_at: When the request line and headers had been read (UTC).
        client: The sender's ``address:port``.
        method: The request method (``POST``).
        target: The raw request target, query included (``/alerts?x=1``).
        http_version: ``HTTP/1.1`` or ``HTTP/1.0``.
        headers: The request headers in wire order, with the sender's spelling.
        body: The body, de-chunked; at most the receiver's ``max_body`` bytes; empty once
            dropped.
        truncated: True when the body was longer than ``max_body`` and was cut.
        dropped_bytes: How many body bytes were dropped from memory after the capture, to keep
            all captures within the receiver's ``max_kept_bodies`` (0: the body is all here).
    """

    number: int
    received_at: datetime
    client: str
    method: str
    target: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: bool = False
    dropped_bytes: int = 0

    @property
    def dropped(self) -> bool:
        """True when the body was dropped from memory (older captures, memory bound)."""
        return self.dropped_bytes > 0

    @property
    def body_size(self) -> int:
        """Bytes of body captured, whether still kept or dropped."""
        return len(self.body) + self.dropped_bytes

    @property
    def path(self) -> str:
        """The target without its query string."""
        return self.target.partition("?")[0]

    @property
    def query(self) -> str:
        """The query string without the ``?``; empty when there is none."""
        return self.target.partition("?")[2]

    @property
    def text(self) -> str:
        """The body decoded as UTF-8, undecodable bytes replaced."""
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (any case), or ``None``."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


@dataclass(frozen=True, slots=True)
class ReceiverResponse:
    """What the receiver answers to every request.

    Attributes:
        status: HTTP status code, 100 to 599.
        headers: Response headers; ``Content-Length`` is computed by the receiver.
        body: Response body, sent as UTF-8.
        delay: Seconds to wait before answering (0 to 300), to try out the sender's timeouts.

    Raises:
        ReceiverError: A field is out of range or a header cannot be sent.
    """

    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    body: str = '{"received": true}'
    delay: float = 0.0

    def __post_init__(self) -> None:
        if isinstance(self.status, bool) or not isinstance(self.status, int):
            raise ReceiverError(f"response status {self.status!r} is not a whole number")
        if not 100 <= self.status <= 599:
            raise ReceiverError(f"response status {self.status} is not between 100 and 599")
        if isinstance(self.delay, bool) or not isinstance(self.delay, int | float):
            raise ReceiverError(f"response delay {self.delay!r} is not a number of seconds")
        if not 0 <= self.delay <= MAX_DELAY:  # also rejects NaN
            raise ReceiverError(
                f"response delay {self.delay} s is not between 0 and {MAX_DELAY:g} seconds"
            )
        if not isinstance(self.body, str):
            raise ReceiverError("response body must be text")
        for position, (name, value) in enumerate(self.headers, start=1):
            where = f"response header {position} ({name!r})"
            if not _TOKEN.fullmatch(name):
                raise ReceiverError(
                    f"{where}: the name is not a valid HTTP header name "
                    "(letters, digits and !#$%&'*+-.^_`|~ only, no spaces or colons)"
                )
            if name.lower() in _FRAMING_HEADERS:
                raise ReceiverError(
                    f"{where}: {name} is set by the receiver from the body; leave it out"
                )
            if "\r" in value or "\n" in value or "\0" in value:
                raise ReceiverError(f"{where}: the value contains a line break or NUL character")


DEFAULT_RESPONSE = ReceiverResponse()


class _RejectedError(Exception):
    """A request that is not valid HTTP: answered with 400 and the connection closed."""


class _IncompleteError(Exception):
    """The client closed the connection before the whole body arrived."""


def _decode_header(value: str) -> str:
    # http.client decodes header bytes as Latin-1; most senders mean UTF-8.
    value = _FOLD.sub(" ", value)
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Error replies to an unparseable request line get a status line too (the stdlib would
    # answer such lines the HTTP/0.9 way, with a bare body).
    default_request_version = "HTTP/1.0"
    timeout = IDLE_TIMEOUT
    server_version = "UptrendsStudioReceiver"

    def version_string(self) -> str:
        return self.server_version

    @property
    def _server(self) -> _Server:
        return cast(_Server, self.server)

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self._server.idle_timeout)
        # Headers and body are two writes; without this, Nagle's algorithm can hold the body back
        # until the client acknowledges the headers (a 40 ms stall on some systems).
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._server.untrack(self.connection)

    def parse_request(self) -> bool:
        raw: bytes = getattr(self, "raw_requestline", b"")
        line = str(raw, "iso-8859-1").rstrip("\r\n")
        if len(line.split()) not in (0, 3):
            self.command = None  # type: ignore[assignment]  # the stdlib does the same
            self.requestline = line
            self.request_version = self.default_request_version
            self.close_connection = True
            self.send_error(400, "Bad request line: expected METHOD TARGET HTTP/VERSION")
            return False
        return super().parse_request()

    def log_message(self, format: str, *args: Any) -> None:  # stdlib signature
        _log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:  # stdlib naming
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET  # noqa: N815

    def _handle(self) -> None:
        received_at = datetime.now(UTC)
        server = self._server
        try:
            body, truncated = self._read_body(server.max_body)
        except _RejectedError as exc:
            self.close_connection = True
            self.send_error(400, str(exc))
            return
        except (_IncompleteError, OSError) as exc:
            _log.debug("dropped %s %s from %s: %r", self.command, self.path, self.client, exc)
            self.close_connection = True
            return
        headers = tuple((str(k), _decode_header(str(v))) for k, v in self.headers.items())
        server.receiver._record(
            lambda number: CapturedRequest(
                number=number,
                received_at=received_at,
                client=self.client,
                method=self.command,
                target=self.requestline.split()[1],
                http_version=self.request_version,
                headers=headers,
                body=body,
                truncated=truncated,
            )
        )
        response = server.receiver.response
        if response.delay > 0 and server.stopping.wait(response.delay):
            self.close_connection = True  # stopped while waiting: drop the connection
            return
        self._respond(response)

    @property
    def client(self) -> str:
        host, port = self.client_address[:2]
        return f"{host}:{port}"

    def _read_body(self, cap: int) -> tuple[bytes, bool]:
        encoding = self.headers.get("Transfer-Encoding")
        if encoding is not None:
            codings = [c.strip().lower() for c in encoding.split(",")]
            if codings[-1] != "chunked":
                raise _RejectedError(f"unsupported Transfer-Encoding {encoding!r}")
            return self._read_chunked(cap)
        lengths = {v.strip() for v in self.headers.get_all("Content-Length") or ()}
        if not lengths:
            return b"", False
        if len(lengths) > 1:
            raise _RejectedError("conflicting Content-Length headers")
        text = lengths.pop()
        if not text.isdigit() or not text.isascii():
            raise _RejectedError(f"bad Content-Length {text!r}")
        size = int(text)
        keep = min(size, cap)
        data = self.rfile.read(keep) if keep else b""  # one allocation of the kept size
        if len(data) < keep:
            raise _IncompleteError(f"body ended after {len(data)} of {size} bytes")
        self._discard(size - keep)
        return data, size > keep

    def _read_chunked(self, cap: int) -> tuple[bytes, bool]:
        buffer = bytearray()
        truncated = False
        while True:
            line = self._read_line()
            size_text = line.split(b";", 1)[0].strip()
            if not size_text or not _HEX.issuperset(size_text) or len(size_text) > 16:
                raise _RejectedError(f"bad chunk size {size_text[:20]!r}")
            size = int(size_text, 16)
            if size == 0:
                break
            truncated = self._read_into(buffer, size, cap) or truncated
            if self.rfile.read(2) != b"\r\n":
                raise _RejectedError("a chunk is not followed by CRLF")
        for _ in range(_MAX_TRAILERS):
            if self._read_line() in (b"\r\n", b"\n"):
                return bytes(buffer), truncated
        raise _RejectedError("too many trailer lines")

    def _read_line(self) -> bytes:
        line = self.rfile.readline(_MAX_LINE + 1)
        if not line:
            raise _IncompleteError("connection closed inside the chunked body")
        if len(line) > _MAX_LINE:
            raise _RejectedError("chunk line too long")
        return line

    def _read_into(self, buffer: bytearray, size: int, cap: int) -> bool:
        """Append up to ``cap - len(buffer)`` of the next ``size`` bytes; discard the rest."""
        keep = min(size, max(cap - len(buffer), 0))
        if keep:
            data = self.rfile.read(keep)
            if len(data) < keep:
                raise _IncompleteError(f"body ended after {len(data)} of {size} bytes")
            buffer += data
        self._discard(size - keep)
        return size > keep

    def _discard(self, left: int) -> None:
        """Read and forget ``left`` bytes of body."""
        while left:
            block = self.rfile.read(min(left, _DISCARD_BLOCK))
            if not block:
                raise _IncompleteError("body ended early")
            left -= len(block)

    def _respond(self, response: ReceiverResponse) -> None:
        status = response.status
        without_body = status < 200 or status in (204, 304)
        body = b"" if without_body else response.body.encode("utf-8")
        self.send_response(status)
        for name, value in response.headers:
            # send_header encodes Latin-1; put UTF-8 bytes on the wire instead.
            self.send_header(name, value.encode("utf-8").decode("latin-1"))
        if status < 200:
            self.close_connection = True
            self.send_header("Connection", "close")
        elif not without_body:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # On POSIX, SO_REUSEADDR only allows rebinding over TIME_WAIT; on Windows it would let two
    # programs share a port, so there the socket is made exclusive instead.
    allow_reuse_address = os.name != "nt"
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, receiver: Receiver, port: int) -> None:
        self.receiver = receiver
        self.max_body = receiver.max_body
        self.idle_timeout = receiver.idle_timeout
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((HOST, port), _Handler)

    def server_bind(self) -> None:
        if os.name == "nt" and hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        # TCPServer, not HTTPServer: skip the reverse DNS lookup of getfqdn().
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = self.socket.getsockname()[1]

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self) -> None:
        """Cut every open connection so no handler thread stays blocked on a client."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        _log.error("error while handling a request from %s", client_address, exc_info=True)


@dataclass(slots=True)
class _State:
    server: _Server
    thread: threading.Thread


@dataclass(slots=True)
class _Captures:
    items: deque[CapturedRequest]
    keep: int
    max_bytes: int
    count: int = 0
    kept_bytes: int = 0
    first_with_body: int = 0  # items before this index have no body left
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, capture: CapturedRequest) -> bool:
        """Append ``capture`` (call with the lock held); True when much memory was freed.

        The oldest capture beyond ``keep`` is forgotten; beyond ``max_bytes`` of bodies, the
        oldest bodies are dropped (their captures stay, with ``dropped_bytes`` set).
        """
        freed = 0
        if len(self.items) >= self.keep:
            oldest = self.items.popleft()
            self.kept_bytes -= len(oldest.body)
            freed += len(oldest.body)
            self.first_with_body = max(self.first_with_body - 1, 0)
        self.items.append(capture)
        self.kept_bytes += len(capture.body)
        while self.kept_bytes > self.max_bytes and self.first_with_body < len(self.items):
            index = self.first_with_body
            item = self.items[index]
            if item.body:
                self.items[index] = replace(item, body=b"", dropped_bytes=len(item.body))
                self.kept_bytes -= len(item.body)
                freed += len(item.body)
            self.first_with_body += 1
        return freed >= _TRIM_AFTER

    def clear(self) -> None:
        """Forget every capture (call with the lock held)."""
        self.items.clear()
        self.kept_bytes = 0
        self.first_with_body = 0


class Receiver:
    """A webhook receiver on ``127.0.0.1``: records each request and answers it.

    Args:
        port: TCP port; 0 picks a free one (read :attr:`port` after :meth:`start`).
        response: What to answer; change it later with :meth:`set_response`.
        on_capture: Called from a server thread with each request once it has been read, before
            the response delay. Exceptions it raises are logged, not propagated.
        max_body: Bodies longer than this many bytes are cut (and flagged ``truncated``); the
            rest is read and discarded, never kept in memory.
        keep: How many of the latest requests :meth:`captures` returns.
        idle_timeout: Seconds a silent connection is kept open.
        max_kept_bodies: Bytes of bodies kept across all captures; beyond it the oldest bodies
            are dropped (the capture stays with ``dropped_bytes`` set), so memory stays
            bounded however many large requests arrive.

    Raises:
        ReceiverError: An argument is out of range.
    """

    def __init__(
        self,
        port: int = 0,
        response: ReceiverResponse = DEFAULT_RESPONSE,
        on_capture: Callable[[CapturedRequest], None] | None = None,
        max_body: int = MAX_BODY,
        keep: int = 500,
        *,
        idle_timeout: float = IDLE_TIMEOUT,
        max_kept_bodies: int = MAX_KEPT_BODIES,
    ) -> None:
        if not 0 <= port <= 65535:
            raise ReceiverError(f"port {port} is not between 0 and 65535")
        if max_body < 0:
            raise ReceiverError(f"max_body {max_body} must not be negative")
        if keep < 1:
            raise ReceiverError(f"keep {keep} must be at least 1")
        if not idle_timeout > 0:
            raise ReceiverError(f"idle_timeout {idle_timeout} must be positive")
        if max_kept_bodies < 0:
            raise ReceiverError(f"max_kept_bodies {max_kept_bodies} must not be negative")
        self._port = port
        self._response = response
        self.on_capture = on_capture
        self.max_body = max_body
        self.idle_timeout = idle_timeout
        self._captures = _Captures(deque(), keep, max_kept_bodies)
        self._lock = threading.Lock()
        self._state: _State | None = None

    def start(self) -> None:
        """Bind ``127.0.0.1:port`` and serve in a daemon thread.

        Raises:
            ReceiverError: The port is in use or cannot be bound, or the receiver is running.
        """
        with self._lock:
            if self._state is not None:
                raise ReceiverError(f"the receiver is already running on {self.url}")
            try:
                server = _Server(self, self._port)
            except OSError as exc:
                raise _bind_error(self._port, exc) from None
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": _POLL_INTERVAL},
                name=f"receiver-{server.server_port}",
                daemon=True,
            )
            self._state = _State(server, thread)
            thread.start()
        _log.info("receiver listening on %s", self.url)

    def stop(self) -> None:
        """Stop serving and close every connection, also those waiting on a delayed response."""
        with self._lock:
            state, self._state = self._state, None
        if state is None:
            return
        state.server.stopping.set()
        state.server.shutdown()
        state.server.close_connections()
        state.server.server_close()
        state.thread.join()
        _log.info("receiver on port %d stopped", state.server.server_port)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """True between :meth:`start` and :meth:`stop`."""
        return self._state is not None

    @property
    def port(self) -> int:
        """The listening port once started (the chosen one when created with port 0)."""
        state = self._state
        return state.server.server_port if state is not None else self._port

    @property
    def address(self) -> tuple[str, int]:
        """The address the listening socket is bound to.

        Raises:
            ReceiverError: The receiver is not running.
        """
        state = self._state
        if state is None:
            raise ReceiverError("the receiver is not running")
        host, port = state.server.socket.getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://{HOST}:{self.port}/"

    @property
    def response(self) -> ReceiverResponse:
        """The response currently sent to each request."""
        with self._lock:
            return self._response

    def set_response(self, response: ReceiverResponse) -> None:
        """Answer requests that arrive from now on with ``response`` (safe while running)."""
        with self._lock:
            self._response = response

    def captures(self) -> list[CapturedRequest]:
        """The latest captured requests (at most ``keep``), oldest first."""
        with self._captures.lock:
            return list(self._captures.items)

    def capture(self, number: int) -> CapturedRequest | None:
        """Captured request ``number`` as kept now (its body may have been dropped since)."""
        with self._captures.lock:
            return next((c for c in self._captures.items if c.number == number), None)

    @property
    def kept_bytes(self) -> int:
        """Bytes of bodies currently kept in memory (at most ``max_kept_bodies``)."""
        with self._captures.lock:
            return self._captures.kept_bytes

    def clear(self) -> None:
        """Forget the captured requests; numbering continues."""
        with self._captures.lock:
            self._captures.clear()

    def _record(self, build: Callable[[int], CapturedRequest]) -> CapturedRequest:
        with self._captures.lock:
            self._captures.count += 1
            capture = build(self._captures.count)
            freed = self._captures.add(capture)
        if freed:
            _release_freed_memory()
        callback = self.on_capture
        if callback is not None:
            try:
                callback(capture)
            except Exception:
                _log.exception("the on_capture callback failed for request #%d", capture.number)
        return capture


def _load_malloc_trim() -> Callable[[int], int] | None:
    """The ``malloc_trim`` of glibc, or ``None`` on other C libraries and platforms."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None
    return trim


_MALLOC_TRIM = _load_malloc_trim()


def _release_freed_memory() -> None:
    """Hand freed body memory back to the system.

    Bodies are allocated by the handler threads; glibc keeps what they free in per-thread
    arenas, so without this the process would keep the memory of dropped bodies (about twice
    the bound after 100 large requests).
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _bind_error(port: int, exc: OSError) -> ReceiverError:
    in_use = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)}
    if exc.errno in in_use:
        return ReceiverError(
            f"port {port} on {HOST} is already in use: stop the other program or choose "
            "another port"
        )
    if exc.errno in {errno.EACCES, getattr(errno, "WSAEACCES", errno.EACCES)}:
        return ReceiverError(
            f"port {port} on {HOST} cannot be used (permission denied): choose another port"
        )
    return ReceiverError(f"cannot listen on port {port} on {HOST}: {exc.strerror or exc}")


def _printable(text: str) -> str:
    """Show control characters as escapes so a body cannot drive the terminal."""
    text = text.replace("\r\n", "\n")
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _is_json(content_type: str | None) -> bool:
    return body_kind(content_type) is BodyKind.JSON


def format_capture(capture: CapturedRequest) -> str:
    r"""The block ``uptrends-studio receive`` prints for one request.

    A summary line (number, local time, method, target, client, size), the headers one per line,
    a blank line and the body: pretty-printed when it is JSON, otherwise as text. Control
    characters are shown as ``\\xNN`` escapes. There is no trailing newline.
    """
    size = capture.body_size
    size_text = f"{size} byte{'s' if size != 1 else ''}"
    if capture.truncated:
        size_text += ", truncated"
    if capture.dropped:
        size_text += ", body dropped"
    lines = [
        f"#{capture.number}  {capture.received_at.astimezone():%H:%M:%S}  "
        f"{_printable(capture.method)} {_printable(capture.target)}  "
        f"from {capture.client}  ({size_text})"
    ]
    lines.extend(f"{_printable(name)}: {_printable(value)}" for name, value in capture.headers)
    lines.append("")
    body = capture.text
    if capture.dropped:
        body = (
            f"(body of {capture.dropped_bytes} bytes dropped from memory: the receiver keeps "
            "only the newest bodies, so that many large requests cannot exhaust the memory)"
        )
    elif not capture.body:
        body = "(no body)"
    elif _is_json(capture.header("Content-Type")) and not capture.truncated:
        with contextlib.suppress(ValueError):
            body = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    lines.append(_printable(body).rstrip("\n"))
    if capture.truncated and not capture.dropped:
        lines.append(f"[body truncated: only the first {size} bytes were kept]")
    return "\n".join(lines)
