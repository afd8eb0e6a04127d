"""Sending one rendered request for real: a blocking call over a ``requests.Session``.

:func:`send` knows nothing about threads; the GUI runs it in a worker and the CLI calls it
directly. It never raises for a network problem: the :class:`Exchange` it returns carries either
a response or a plain-language :class:`SendError`.

What goes on the wire is reported as it was sent: the headers ``requests`` adds itself
(``User-Agent``, ``Accept``, ``Accept-Encoding``, ``Connection``, ``Content-Length``), the
``Authorization`` header of a Basic, Digest or NTLM handshake, and the ``Host`` header the HTTP
client writes first. Response bodies are read in chunks: the first
:attr:`SendOptions.keep_in_memory` bytes stay in memory for display, a larger body is written to
a file in ``spool_dir`` and reading stops at :attr:`SendOptions.max_body` (so a 100 MB answer
or an endless stream stays bounded).

The two network policies live here, one place each: :func:`proxies_for` (which proxy a request
goes through: none, the system's, or an explicit one) and :func:`redirect_strip` (what a
redirect to another scheme, host or port may not carry: the ``Authorization`` header, the
Basic/Digest/NTLM handler, secret-bearing headers and a body with a secret in it, as curl does
without ``--location-trusted``). Each stripped hop says so in :attr:`Hop.note`.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import socket
import tempfile
import threading
import time
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from uptrends_studio import __version__
from uptrends_studio.core.document.model import AuthType
from uptrends_studio.core.rendering.messages import RenderedRequest

if TYPE_CHECKING:
    # ``requests`` (and requests-ntlm with its crypto stack, ~100 ms) is imported on the first
    # send, not when the window starts: the annotations here are strings.
    import requests
    import requests.auth
    from requests.structures import CaseInsensitiveDict

    from uptrends_studio.core.delivery.http_session import GuardedSession

log = logging.getLogger(__name__)

USER_AGENT = f"UptrendsStudio/{__version__} (test send)"
"""Uptrends does not publish its integrations' User-Agent; test sends say who they are."""

SUCCESS_BELOW = 400
"""A status below this counts as a successful delivery (Uptrends' multi-step monitors default)."""


class ProxyMode(StrEnum):
    """How a test send reaches the network."""

    SYSTEM = "system"
    """Use the system proxy settings (``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY``)."""
    NONE = "none"
    """Connect directly, ignoring any system proxy."""
    EXPLICIT = "explicit"
    """Use :attr:`SendOptions.proxy_url` for every request."""


@dataclass(frozen=True, slots=True)
class SendOptions:
    """Options of a test send. The defaults suit a real endpoint on the internet."""

    timeout: float = 30.0
    """Seconds to wait for a connection and, separately, between bytes of the response."""
    verify_tls: bool = True
    ca_bundle: str = ""
    """A PEM file of extra trusted certificates (replaces the default store when given)."""
    proxy_mode: ProxyMode = ProxyMode.SYSTEM
    proxy_url: str = ""
    follow_redirects: bool = True
    trust_redirects: bool = False
    """Send credentials on to another scheme, host or port when redirected there (curl's
    ``--location-trusted``). Off: such a redirect is followed without them."""
    max_redirects: int = 10
    keep_in_memory: int = 1024 * 1024
    """Response bytes kept in memory for display; the rest of a larger body goes to a file."""
    max_body: int = 100 * 1024 * 1024
    """Reading stops here; the body is marked truncated."""
    max_download_seconds: float = 120.0
    """An endless or trickling response is cut off after this long."""
    spool_dir: Path | None = None
    """Where a body above :attr:`keep_in_memory` is written whole (the caller deletes it);
    ``None``: only its start is kept, the rest is counted and dropped (nothing on disk)."""


class ErrorKind(StrEnum):
    """The classes of failure a user can act on."""

    DNS = "dns"
    REFUSED = "refused"
    TLS = "tls"
    TIMEOUT = "timeout"
    REDIRECTS = "redirects"
    INVALID_REQUEST = "invalid-request"
    PROXY = "proxy"
    AUTH = "auth"
    CONNECTION = "connection"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class SendError:
    """Why a request got no (complete) answer, in plain language."""

    kind: ErrorKind
    message: str
    detail: str = ""
    """The underlying library message, for support staff."""


def header_value(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    """The value of the first header called ``name`` (case-insensitive), or ``None``."""
    lowered = name.lower()
    return next((v for n, v in headers if n.lower() == lowered), None)


@dataclass(frozen=True, slots=True)
class WireRequest:
    """A request exactly as it went out (the last one, after redirects and auth handshakes)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or ``None``."""
        return header_value(self.headers, name)


@dataclass(frozen=True, slots=True)
class Hop:
    """One response that was not the final one: a redirect or an authentication challenge."""

    status: int
    url: str
    location: str = ""
    note: str = ""
    """What the redirect did to the credentials, e.g. ``not sent on to 127.0.0.1:5001 (another
    host): Authorization, the body`` ("" when nothing was dropped)."""


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds: the whole exchange, until the response headers arrived, and reading the body."""

    total: float
    first_byte: float
    download: float


@dataclass(frozen=True, slots=True)
class Exchange:
    """The result of sending one step: what was sent and what came back (or why nothing did)."""

    request: RenderedRequest
    """The rendered request the exchange was made from."""
    wire: WireRequest | None
    status: int | None = None
    reason: str = ""
    response_headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    """The first :attr:`SendOptions.keep_in_memory` bytes of the response body."""
    body_size: int = 0
    """Bytes read in total (may exceed ``len(body)``)."""
    body_file: Path | None = None
    """The whole body (up to the cap) when it was larger than what is kept in memory."""
    truncated: bool = False
    """Reading stopped at the size or time cap."""
    hops: tuple[Hop, ...] = ()
    timings: Timings = field(default_factory=lambda: Timings(0.0, 0.0, 0.0))
    error: SendError | None = None
    final_url: str = ""

    @property
    def success(self) -> bool:
        """Delivered: a complete answer with a status below 400."""
        return self.error is None and self.status is not None and self.status < SUCCESS_BELOW

    def response_header(self, name: str) -> str | None:
        """The value of response header ``name`` (case-insensitive), or ``None``."""
        return header_value(self.response_headers, name)

    @property
    def body_text(self) -> str:
        """The kept body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")

    def summary(self) -> str:
        """One line: ``201 Created in 35 ms`` or the error message."""
        if self.status is None:
            return self.error.message if self.error else "not sent"
        line = f"{self.status} {self.reason}".strip() + f" in {self.timings.total * 1000:.0f} ms"
        if self.error is not None:
            line += f" ({self.error.message})"
        return line


def wire_body(request: RenderedRequest) -> bytes:
    """The body bytes Uptrends sends: the rendered text as UTF-8."""
    return request.body.encode("utf-8")


def _auth(request: RenderedRequest) -> requests.auth.AuthBase | None:
    import requests.auth

    user, password = request.username, request.password
    if request.auth_type is AuthType.BASIC:
        # Bytes, so non-Latin-1 user names are sent as UTF-8 rather than refused.
        return requests.auth.HTTPBasicAuth(user.encode("utf-8"), password.encode("utf-8"))
    if request.auth_type is AuthType.DIGEST:
        return requests.auth.HTTPDigestAuth(user, password)
    if request.auth_type is AuthType.NTLM:
        from requests_ntlm import HttpNtlmAuth

        return HttpNtlmAuth(user, password)
    return None


def _headers(request: RenderedRequest) -> CaseInsensitiveDict[str]:
    """The step's headers over requests' defaults; repeated names are combined with ", "."""
    from requests.structures import CaseInsensitiveDict

    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    headers["User-Agent"] = USER_AGENT
    headers["Accept-Encoding"] = "gzip, deflate"
    headers["Accept"] = "*/*"
    headers["Connection"] = "keep-alive"
    given: dict[str, str] = {}
    for name, value in request.headers:
        key = name.lower()
        if key in given:
            first = given[key]
            headers[first] = f"{headers[first]}, {value}"
        else:
            headers[name] = value
            given[key] = name
    return headers


def _invalid(message: str, detail: str = "") -> SendError:
    return SendError(ErrorKind.INVALID_REQUEST, message, detail)


_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be sent (one sentence), or ``None`` when it can be tried.

    Catches what would otherwise fail inside the HTTP stack with an exception of its own: no or
    another scheme, no host, an unclosed IPv6 bracket, a port outside 1-65535, an empty or too
    long part of the host name (``a..b``), a host name IDNA cannot encode.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # "Invalid IPv6 URL" and the like
        return f"the URL {url!r} cannot be read ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        if not parts.scheme:
            return f"the URL {url!r} has no http:// or https:// in front"
        return f"the URL scheme {parts.scheme!r} cannot be sent: use http or https"
    host = parts.hostname
    if not host:
        return f"the URL {url!r} names no host"
    try:
        parts.port  # noqa: B018 - only checks the port
    except ValueError:
        return f"the URL {url!r} has a port outside 1-65535"
    if ":" in host:  # an IPv6 address: urlsplit checked it
        return None
    labels = host.removesuffix(".").split(".")
    if len(host) > 253 or any(not label or len(label) > 63 for label in labels):
        return (
            f"the host {host!r} of the URL {url!r} has an empty or too long part "
            "(between dots, at most 63 characters)"
        )
    if not host.isascii():
        import idna  # what requests encodes host names with (IDNA 2008, UTS 46)

        try:
            idna.encode(host, uts46=True)
        except idna.IDNAError as exc:
            return f"the host {host!r} of the URL {url!r} is not a usable host name ({exc})"
    return None


def _check_request(request: RenderedRequest) -> SendError | None:
    problem = url_problem(request.url)
    if problem is not None:
        return _invalid(problem)
    for name, value in request.headers:
        if not _TOKEN_RE.fullmatch(name):
            return _invalid(
                f"header name {name!r} may only use ASCII letters, digits and !#$%&'*+-.^_`|~"
            )
        if "\r" in value or "\n" in value:
            return _invalid(f"header {name!r} contains a line break and cannot be sent")
        try:
            value.encode("latin-1")
        except UnicodeEncodeError as exc:
            bad = value[exc.start : exc.end]
            return _invalid(
                f"header {name!r} contains {bad!r} (position {exc.start + 1}), which HTTP "
                "headers cannot carry: encode it (e.g. @UrlEncode) or move it to the body"
            )
    return None


def proxies_for(session: requests.Session, url: str, options: SendOptions) -> dict[str, str]:
    """The proxy policy, in one place: the proxies a request to ``url`` goes through.

    ``NONE`` ignores ``HTTP_PROXY``/``HTTPS_PROXY`` (and the session never reads the
    environment, so redirects stay direct too); ``EXPLICIT`` uses :attr:`SendOptions.proxy_url`
    for every request; ``SYSTEM`` uses the environment's proxies and ``NO_PROXY``.
    """
    session.trust_env = options.proxy_mode is not ProxyMode.NONE
    if options.proxy_mode is ProxyMode.NONE:
        session.proxies = {}
        return {}
    if options.proxy_mode is ProxyMode.EXPLICIT and options.proxy_url.strip():
        proxy = options.proxy_url.strip()
        return {"http": proxy, "https": proxy}
    settings = session.merge_environment_settings(url, {}, None, None, None)
    found = settings.get("proxies") or {}
    return {str(k): str(v) for k, v in found.items()}


CREDENTIAL_HEADERS = frozenset({"authorization", "cookie"})
"""Headers that never go on to another host unless redirects are trusted."""
_PROXY_HEADER = "proxy-authorization"
"""For the proxy, which stays the same across a redirect (``requests`` sets it per hop)."""
_CREDENTIAL_NAME = re.compile(r"key|token|secret|passw|auth|signature|session|cookie", re.I)
"""Header names that look like they carry a credential (``X-Api-Key``, ``X-Auth-Token``)."""


def origin(url: str) -> tuple[str, str, int]:
    """Scheme, host and port (the default one when none is written) of ``url``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or (443 if scheme == "https" else 80)


def _describe_origin(url: str) -> str:
    scheme, host, port = origin(url)
    return f"{scheme}://{host}:{port}"


def redirect_strip(
    from_url: str,
    to_url: str,
    headers: Iterable[tuple[str, str]],
    body: bytes | None,
    secrets: Sequence[str],
    *,
    trusted: bool,
) -> tuple[tuple[str, ...], bool]:
    """The redirect policy, in one place: what may not follow a redirect from one URL to another.

    Returns:
        The header names to drop, and whether to drop the body. Nothing is dropped when the
        redirect stays on the same scheme, host and port, or when it is ``trusted``.
    """
    if trusted or origin(from_url) == origin(to_url):
        return (), False
    wanted = [s for s in secrets if s]
    dropped = tuple(
        name
        for name, value in headers
        if name.lower() != _PROXY_HEADER
        and (
            name.lower() in CREDENTIAL_HEADERS
            or _CREDENTIAL_NAME.search(name)
            or any(s in value for s in wanted)
        )
    )
    text = (body or b"").decode("utf-8", errors="replace")
    return dropped, bool(text) and any(s in text for s in wanted)


def redirect_note(
    to_url: str, headers: Sequence[str], body: bool, handler: str, *, trusted: bool
) -> str:
    """The line a hop shows about the credentials it did (not) carry on."""
    where = f"{_describe_origin(to_url)} (another scheme, host or port)"
    if trusted:
        return f"credentials sent on to {where}: following with credentials is on"
    parts = list(headers)
    if handler:
        parts.append(f"the {handler} authentication")
    if body:
        parts.append("the body")
    return f"not sent on to {where}: {', '.join(parts)}" if parts else ""


def _root_cause(exc: BaseException) -> BaseException:
    seen: set[int] = set()
    current: BaseException = exc
    while id(current) not in seen:
        seen.add(id(current))
        nested = getattr(current, "reason", None)
        if isinstance(nested, BaseException):
            current = nested
            continue
        args_exc = next(
            (a for a in getattr(current, "args", ()) if isinstance(a, BaseException)), None
        )
        if args_exc is not None:
            current = args_exc
            continue
        if current.__cause__ is not None:
            current = current.__cause__
            continue
        if current.__context__ is not None and not current.__suppress_context__:
            current = current.__context__
            continue
        break
    return current


def classify(exc: requests.RequestException, url: str, options: SendOptions) -> SendError:
    """Turn a ``requests`` exception into a message a user can act on."""
    import ssl  # with requests, on first use: the window's start does not need them

    import requests

    parts = urlsplit(url)
    host = parts.hostname or url
    port = parts.port or (443 if parts.scheme == "https" else 80)
    detail = str(exc)
    root = _root_cause(exc)
    if isinstance(exc, requests.exceptions.ProxyError):
        return SendError(
            ErrorKind.PROXY,
            "the proxy could not be reached or refused the request: check the proxy setting",
            detail,
        )
    if isinstance(exc, requests.exceptions.SSLError):
        reason = getattr(root, "verify_message", "") or getattr(root, "reason", "") or ""
        if isinstance(root, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY" in detail:
            why = f" ({reason})" if reason else ""
            return SendError(
                ErrorKind.TLS,
                f"TLS failure: the certificate of {host} is not trusted{why}. Fix the "
                "certificate, add its CA bundle, or turn TLS verification off for this test",
                detail,
            )
        return SendError(
            ErrorKind.TLS,
            f"TLS failure: no secure connection could be made with {host}:{port} "
            "(is it really HTTPS?)",
            detail,
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return SendError(
            ErrorKind.TIMEOUT,
            f"timeout: no connection to {host}:{port} within {options.timeout:g} s",
            detail,
        )
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return SendError(
            ErrorKind.TIMEOUT,
            f"timeout: {host} accepted the connection but sent no answer within "
            f"{options.timeout:g} s",
            detail,
        )
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return SendError(
            ErrorKind.REDIRECTS,
            f"too many redirects: more than {options.max_redirects}, probably a redirect loop",
            detail,
        )
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return _invalid(f"the URL {url!r} is not valid", detail)
    if isinstance(exc, requests.exceptions.InvalidSchema):
        return _invalid(f"the URL {url!r} does not use http or https", detail)
    if isinstance(exc, requests.exceptions.InvalidHeader):
        return _invalid(f"a header cannot be sent: {exc}", detail)
    if isinstance(root, socket.gaierror) or "NameResolutionError" in detail:
        return SendError(
            ErrorKind.DNS,
            f"DNS failure: the host name {host!r} could not be found (check the URL, or the "
            "network if you are offline)",
            detail,
        )
    if isinstance(root, ConnectionRefusedError) or (
        isinstance(root, OSError) and root.errno == errno.ECONNREFUSED
    ):
        return SendError(
            ErrorKind.REFUSED,
            f"connection refused: nothing is listening on {host}:{port}"
            + (" (is the local receiver started?)" if host in ("127.0.0.1", "localhost") else ""),
            detail,
        )
    if isinstance(root, TimeoutError | socket.timeout):
        return SendError(
            ErrorKind.TIMEOUT,
            f"timeout: {host} did not answer within {options.timeout:g} s",
            detail,
        )
    return SendError(
        ErrorKind.CONNECTION,
        f"the connection to {host}:{port} failed: {root}",
        detail,
    )


def _wire(prepared: requests.PreparedRequest) -> WireRequest:
    url = prepared.url or ""
    parts = urlsplit(url)
    headers = [(str(n), str(v)) for n, v in prepared.headers.items()]
    if not any(n.lower() == "host" for n, _ in headers):
        default = 443 if parts.scheme == "https" else 80
        netloc = parts.hostname or ""
        if ":" in netloc:  # IPv6 literal
            netloc = f"[{netloc}]"
        if parts.port is not None and parts.port != default:
            netloc += f":{parts.port}"
        # http.client writes Host first (the Authorization of a handshake goes last).
        headers.insert(0, ("Host", netloc))
    body = prepared.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    return WireRequest(prepared.method or "", url, tuple(headers), body or b"")


class _Reader:
    """Reads a streamed body within the size and time caps, spilling to a file when large."""

    def __init__(self, options: SendOptions, cancel: threading.Event | None) -> None:
        self.options = options
        self.cancel = cancel
        self.head = bytearray()
        self.size = 0
        self.file_path: Path | None = None
        self.truncated = False
        self.cancelled = False
        self._file: Any = None
        self._spool_tried = False

    def read(self, response: requests.Response) -> None:
        deadline = time.monotonic() + self.options.max_download_seconds
        try:
            for chunk in response.iter_content(chunk_size=64 * 1024):
                if self.cancel is not None and self.cancel.is_set():
                    self.cancelled = True
                    return
                room = self.options.max_body - self.size
                if len(chunk) > room:
                    chunk = chunk[:room]
                    self.truncated = True
                self._take(chunk)
                if self.truncated or time.monotonic() > deadline:
                    self.truncated = True
                    return
        finally:
            if self._file is not None:
                self._file.close()
            response.close()

    def _take(self, chunk: bytes) -> None:
        keep = self.options.keep_in_memory
        if len(self.head) < keep:
            self.head += chunk[: keep - len(self.head)]
        spool = self.options.spool_dir
        if spool is not None and self.size + len(chunk) > keep and not self._spool_tried:
            self._spool_tried = True
            try:
                spool.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(prefix="response-", suffix=".body", dir=spool)
                self._file = os.fdopen(handle, "wb")
                self.file_path = Path(name)
                self._file.write(bytes(self.head[: self.size]))
            except OSError as exc:  # no room for the whole body: keep showing its start
                log.warning("cannot keep the whole response body in %s: %s", spool, exc)
                self._file, self.file_path = None, None
        if self._file is not None:
            self._file.write(chunk)
        self.size += len(chunk)


def new_session() -> GuardedSession:
    """A session for test sends (connection pooling across a run's steps; the redirect policy)."""
    from uptrends_studio.core.delivery.http_session import GuardedSession

    return GuardedSession()


def send(
    request: RenderedRequest,
    options: SendOptions | None = None,
    *,
    session: GuardedSession | None = None,
    cancel: threading.Event | None = None,
    secrets: Sequence[str] = (),
) -> Exchange:
    """Send ``request`` and wait for the complete answer (blocking).

    Args:
        request: A rendered step (secrets not masked: this is what goes out).
        options: Timeout, TLS, proxy, redirect and body-size options.
        session: A session from :func:`new_session` to reuse (connection pooling across the
            steps of a run); one is made and closed when not given.
        cancel: Set from another thread to stop reading; the exchange then carries a
            ``cancelled`` error. (A request still connecting finishes its timeout first: the
            caller discards late results.)
        secrets: Secret values: a header or body carrying one is not sent on when a redirect
            leads to another scheme, host or port (see :func:`redirect_strip`).

    Returns:
        The exchange. Network failures are reported in :attr:`Exchange.error`, not raised.
    """
    options = options or SendOptions()
    problem = _check_request(request)
    if problem is not None:
        return Exchange(request=request, wire=None, error=problem)
    own_session = session is None
    active = session or new_session()
    try:
        return _exchange(active, request, options, cancel, secrets)
    finally:
        if own_session:
            active.close()


def _exchange(
    active: GuardedSession,
    request: RenderedRequest,
    options: SendOptions,
    cancel: threading.Event | None,
    secrets: Sequence[str],
) -> Exchange:
    import requests
    from urllib3.exceptions import InsecureRequestWarning

    active.max_redirects = options.max_redirects
    active.secrets = tuple(secrets)
    active.trusted = options.trust_redirects
    active.handler = (
        request.auth_type.value if request.auth_type in (AuthType.DIGEST, AuthType.NTLM) else ""
    )
    active.notes = {}
    url = request.url.strip()
    proxies = proxies_for(active, url, options)
    raw = requests.Request(
        method=request.method,
        url=url,
        headers=_headers(request),
        data=wire_body(request) if (request.body or request.method != "GET") else None,
        auth=_auth(request),
    )
    verify: bool | str = options.verify_tls
    if options.verify_tls and options.ca_bundle.strip():
        verify = options.ca_bundle.strip()
    started = time.perf_counter()
    try:
        prepared = active.prepare_request(raw)
        settings = active.merge_environment_settings(prepared.url, proxies, True, verify, None)
        settings["proxies"] = proxies
        with warnings.catch_warnings():
            if not options.verify_tls:
                # The user turned verification off for this test on purpose; the result view
                # says so, a warning on stderr would only be noise.
                warnings.simplefilter("ignore", InsecureRequestWarning)
            response = active.send(
                prepared,
                timeout=(options.timeout, options.timeout),
                allow_redirects=options.follow_redirects,
                **settings,
            )
    except PermissionError as exc:  # requests-ntlm: the server broke off the NTLM handshake
        elapsed = time.perf_counter() - started
        return Exchange(
            request=request,
            wire=_wire(prepared),
            timings=Timings(elapsed, elapsed, 0.0),
            error=SendError(
                ErrorKind.AUTH,
                f"{request.auth_type.value} authentication failed: the server did not answer "
                "the NTLM negotiation with a challenge (does it offer NTLM?)",
                str(exc),
            ),
        )
    except requests.RequestException as exc:
        elapsed = time.perf_counter() - started
        return Exchange(
            request=request,
            wire=_wire(exc.request) if isinstance(exc.request, requests.PreparedRequest) else None,
            timings=Timings(elapsed, elapsed, 0.0),
            error=classify(exc, url, options),
        )
    except ValueError as exc:  # a URL the HTTP stack cannot parse (urllib3's LocationValueError)
        elapsed = time.perf_counter() - started
        return Exchange(
            request=request,
            wire=None,
            timings=Timings(elapsed, elapsed, 0.0),
            error=_invalid(f"the URL {url!r} cannot be sent", str(exc)),
        )
    first_byte = time.perf_counter() - started
    reader = _Reader(options, cancel)
    error: SendError | None = None
    try:
        reader.read(response)
    except requests.RequestException as exc:
        error = SendError(
            ErrorKind.CONNECTION,
            "the answer was cut off while the body was being read",
            str(exc),
        )
    if reader.cancelled:
        error = SendError(ErrorKind.CANCELLED, "cancelled while the answer was being read")
    total = time.perf_counter() - started
    hops = tuple(
        Hop(r.status_code, r.url, r.headers.get("Location", ""), active.notes.get(id(r), ""))
        for r in response.history
    )
    return Exchange(
        request=request,
        wire=_wire(response.request),
        status=response.status_code,
        reason=response.reason or "",
        response_headers=tuple((str(n), str(v)) for n, v in response.raw.headers.items()),
        body=bytes(reader.head),
        body_size=reader.size,
        body_file=reader.file_path,
        truncated=reader.truncated,
        hops=hops,
        timings=Timings(total, first_byte, total - first_byte),
        error=error,
        final_url=response.url,
    )
