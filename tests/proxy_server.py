"""A logging HTTP forward proxy on 127.0.0.1 (port 0) for the proxy tests: no mocks.

It forwards plain-HTTP requests in absolute form (``POST http://host:port/path``) and records
each one, with its ``Proxy-Authorization`` header, so a test can tell whether a send went
through it. With ``credentials`` it answers 407 to a request without them.
"""

from __future__ import annotations

import base64
import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "transfer-encoding"}
)


@dataclass
class ProxyLog:
    """What went through the proxy."""

    url: str
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    """(method, absolute URL, Proxy-Authorization header) of each request."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def urls(self) -> list[str]:
        """The URLs requested through the proxy, in order."""
        with self.lock:
            return [url for _, url, _ in self.seen]


def _handler(log: ProxyLog, credentials: str | None) -> type[BaseHTTPRequestHandler]:
    expected = "Basic " + base64.b64encode(credentials.encode()).decode() if credentials else ""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            given = self.headers.get("Proxy-Authorization", "")
            with log.lock:
                log.seen.append((self.command, self.path, given))
            if expected and given != expected:
                self.send_response(407)
                self.send_header("Proxy-Authenticate", 'Basic realm="proxy"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            target = urlsplit(self.path)
            upstream = http.client.HTTPConnection(target.hostname or "", target.port or 80, 10)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request(
                self.command,
                target.path + (f"?{target.query}" if target.query else ""),
                body,
                headers,
            )
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Via", "1.1 test-proxy")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            upstream.close()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward  # noqa: N815

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client hanging up is no test failure."""


@contextmanager
def logging_proxy(credentials: str | None = None) -> Iterator[ProxyLog]:
    """Run the proxy on 127.0.0.1 (port 0); ``credentials`` ``user:password`` makes it ask."""
    server = _Server(("127.0.0.1", 0), _handler(log := ProxyLog(""), credentials))
    log.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield log
    finally:
        server.shutdown()
        server.server_close()
