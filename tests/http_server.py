"""A small real HTTP(S) server on 127.0.0.1 for the sending tests (no mocking of requests).

Routes (``/path?query``):
    /echo               200, JSON of what was received (method, path, headers, body)
    /status/N           answers status N
    /basic              200 only with Basic user:secret, else 401 with a challenge
    /digest             200 only with a valid Digest (MD5, qop=auth) for user:secret
    /ntlm               401 "WWW-Authenticate: NTLM", recording the Authorization headers
    /redirect/N         302 to /redirect/N-1, /redirect/0 is /echo
    /loop               302 to itself
    /redirect-to?url=U&status=S   S (default 307) to U, which may be another server
    /slow?delay=S       waits S seconds (interruptible by stop()) then 200
    /big?size=N         streams N bytes (chunked)
    /endless?pause=S    streams forever until the client goes away (S seconds per 64 KB)
    /token              {"access_token": "tok-123", "meta": {"ttl": 60}}, header X-Request-Id
    /needs-token        200 only with "Authorization: Bearer tok-123", else 401
"""

from __future__ import annotations

import hashlib
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

USER = "user"
PASSWORD = "secret"
REALM = "studio-tests"
NONCE = "dcd98b7102dd2f0e8b11d0f600bfb0c093"


@dataclass
class Recorded:
    """What the server saw, for assertions."""

    requests: list[dict[str, object]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _digest_ok(header: str, method: str) -> bool:
    if not header.startswith("Digest "):
        return False
    parts: dict[str, str] = {}
    for item in header[len("Digest ") :].split(","):
        key, _, value = item.strip().partition("=")
        parts[key] = value.strip('"')

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    ha1 = md5(f"{parts.get('username')}:{REALM}:{PASSWORD}")
    ha2 = md5(f"{method}:{parts.get('uri')}")
    expected = md5(
        f"{ha1}:{NONCE}:{parts.get('nc')}:{parts.get('cnonce')}:{parts.get('qop')}:{ha2}"
    )
    return parts.get("username") == USER and parts.get("response") == expected


def _handler(recorded: Recorded) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def _body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _answer(
            self, status: int, body: bytes = b"", headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, status: int, value: object, headers: dict[str, str] | None = None) -> None:
            self._answer(
                status,
                json.dumps(value).encode(),
                {"Content-Type": "application/json", **(headers or {})},
            )

        def _stream(self, size: int | None, pause: float = 0.0) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"x" * 65536
            sent = 0
            try:
                while (size is None or sent < size) and not recorded.stop.is_set():
                    piece = chunk if size is None else chunk[: size - sent]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    sent += len(piece)
                    if pause:
                        recorded.stop.wait(pause)
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                return

        def handle_one(self) -> None:
            body = self._body()
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            with recorded.lock:
                recorded.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": list(self.headers.items()),
                        "body": body,
                    }
                )
            path = parts.path
            auth = self.headers.get("Authorization", "")
            if path == "/echo":
                self._json(
                    200,
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": list(self.headers.items()),
                        "body": body.decode("utf-8", "replace"),
                    },
                )
            elif path.startswith("/status/"):
                self._json(int(path.rsplit("/", 1)[1]), {"error": "as requested"})
            elif path == "/basic":
                import base64

                expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                if auth == expected:
                    self._json(200, {"authenticated": True})
                else:
                    self._json(401, {}, {"WWW-Authenticate": f'Basic realm="{REALM}"'})
            elif path == "/digest":
                if _digest_ok(auth, self.command):
                    self._json(200, {"authenticated": True})
                else:
                    challenge = f'Digest realm="{REALM}", qop="auth", nonce="{NONCE}"'
                    self._json(401, {}, {"WWW-Authenticate": challenge})
            elif path == "/ntlm":
                self._json(401, {}, {"WWW-Authenticate": "NTLM"})
            elif path.startswith("/redirect/"):
                left = int(path.rsplit("/", 1)[1])
                target = "/echo" if left == 0 else f"/redirect/{left - 1}"
                self._answer(302, b"", {"Location": target})
            elif path == "/redirect-to":
                status = int(query.get("status", ["307"])[0])
                self._answer(status, b"", {"Location": query["url"][0]})
            elif path == "/loop":
                self._answer(302, b"", {"Location": "/loop"})
            elif path == "/slow":
                recorded.stop.wait(float(query.get("delay", ["1"])[0]))
                self._json(200, {"slow": True})
            elif path == "/big":
                self._stream(int(query["size"][0]))
            elif path == "/endless":
                self._stream(None, float(query.get("pause", ["0"])[0]))
            elif path == "/token":
                self._json(
                    200,
                    {"access_token": "tok-123", "meta": {"ttl": 60, "tags": ["a", "b"]}},
                    {"X-Request-Id": "req-42"},
                )
            elif path == "/needs-token":
                if auth == "Bearer tok-123":
                    self._json(200, {"ok": True})
                else:
                    self._json(401, {"error": "missing or wrong token"})
            else:
                self._json(404, {"error": "no such route"})

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_one  # noqa: N815

    return Handler


@dataclass
class LoopbackServer:
    """A running server: its base URL and what it recorded."""

    url: str
    recorded: Recorded


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (or speaks TLS to plain HTTP) is no test failure: stay quiet."""


@contextmanager
def serve(tls: ssl.SSLContext | None = None) -> Iterator[LoopbackServer]:
    """Run the test server on 127.0.0.1 (port 0), over TLS when a context is given."""
    recorded = Recorded()
    server = _Server(("127.0.0.1", 0), _handler(recorded))
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if tls else "http"
    try:
        yield LoopbackServer(f"{scheme}://127.0.0.1:{server.server_address[1]}", recorded)
    finally:
        recorded.stop.set()
        server.shutdown()
        server.server_close()
