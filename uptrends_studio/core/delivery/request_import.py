"""Import a request pasted from API documentation: a curl command or a raw HTTP message.

Nothing in the pasted text is run or read: shell variables stay as written (with a note),
options that would read a file (``-d @body.json``, ``-T``, ``-K``) are refused, and so are
shell pipes, redirections and command substitutions.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from uptrends_studio.core.checks.diagnostics import LineIndex
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    HTTP_METHODS,
    Authentication,
    AuthType,
    Header,
    Step,
)
from uptrends_studio.core.errors import RequestImportError


@dataclass(frozen=True, slots=True)
class ImportedRequest:
    """A request read from pasted text, before it becomes a :class:`~model.Step`.

    ``notes`` lists what was understood but not imported (``-k``, ``-L``, shell variables...),
    worded for the user.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: str
    auth_type: AuthType = AuthType.NONE
    username: str = ""
    password: str = ""
    notes: tuple[str, ...] = ()


DROPPED_HEADERS = frozenset({"content-length", "host", "connection"})
"""Headers :func:`to_step` leaves out: the HTTP client sets them itself."""


def to_step(request: ImportedRequest, name: str) -> Step:
    """A step sending ``request`` for every alert type (Error, Reminder and Ok ticked)."""
    return Step(
        name=name,
        alert_types=ALERT_TYPES,
        method=request.method,
        url=request.url,
        headers=tuple(
            Header(n, v) for n, v in request.headers if n.strip().lower() not in DROPPED_HEADERS
        ),
        body=request.body,
        authentication=Authentication(request.auth_type, request.username, request.password),
    )


def parse_request_text(text: str) -> ImportedRequest:
    """Read a curl command or a raw HTTP request, whichever ``text`` is.

    Raises:
        RequestImportError: when the text is neither, or cannot be read (the message says
            where).
    """
    stripped = _strip_prompt(text).lstrip()
    first_word = stripped.split(None, 1)[0] if stripped else ""
    if _is_curl(first_word.strip("'\"")):
        return parse_curl(text)
    first_line = stripped.splitlines()[0] if stripped else ""
    if _REQUEST_LINE.fullmatch(first_line.strip()):
        return parse_raw_http(text)
    if not stripped:
        raise RequestImportError("there is nothing to import: paste a curl command or a request")
    raise RequestImportError(
        f"the text is neither a curl command nor a raw HTTP request: it starts with "
        f"{first_line[:40]!r} (expected 'curl ...' or a request line such as "
        "'POST /path HTTP/1.1')"
    )


# --- curl -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Option:
    """One curl option the importer knows: what it does with its value (if it takes one)."""

    long: str
    takes_value: bool
    action: str
    """``method``, ``header``, ``data``..., ``note`` (understood, ignored) or ``refuse``."""
    text: str = ""
    """For ``note``: what the option does; for ``refuse``: why it cannot be imported."""


def _options() -> dict[str, _Option]:
    table = [
        _Option("--request", True, "method"),
        _Option("--header", True, "header"),
        _Option("--data", True, "data"),
        _Option("--data-ascii", True, "data"),
        _Option("--data-binary", True, "data"),
        _Option("--data-raw", True, "data-raw"),
        _Option("--data-urlencode", True, "data-urlencode"),
        _Option("--json", True, "json"),
        _Option("--user", True, "user"),
        _Option("--basic", False, "auth"),
        _Option("--digest", False, "auth"),
        _Option("--ntlm", False, "auth"),
        _Option("--get", False, "get"),
        _Option("--url", True, "url"),
        _Option("--user-agent", True, "agent"),
        _Option("--cookie", True, "cookie"),
        _Option("--referer", True, "referer"),
        _Option("--oauth2-bearer", True, "bearer"),
        _Option("--head", False, "head"),
        _Option("--globoff", False, "quiet"),
        _Option("--insecure", False, "note", "skip the TLS certificate check"),
        _Option("--location", False, "note", "follow redirects"),
        _Option("--location-trusted", False, "note", "follow redirects"),
        _Option("--max-redirs", True, "note", "follow redirects"),
        _Option("--silent", False, "note", "curl's progress output"),
        _Option("--show-error", False, "note", "curl's progress output"),
        _Option("--progress-bar", False, "note", "curl's progress output"),
        _Option("--no-progress-meter", False, "note", "curl's progress output"),
        _Option("--verbose", False, "note", "curl's diagnostic output"),
        _Option("--include", False, "note", "print the response headers"),
        _Option("--fail", False, "note", "exit code on HTTP errors"),
        _Option("--fail-with-body", False, "note", "exit code on HTTP errors"),
        _Option("--compressed", False, "note", "ask for a compressed response"),
        _Option("--no-buffer", False, "note", "output buffering"),
        _Option("--http1.1", False, "note", "HTTP version"),
        _Option("--http2", False, "note", "HTTP version"),
        _Option("--ipv4", False, "note", "IP version"),
        _Option("--ipv6", False, "note", "IP version"),
        _Option("--output", True, "note", "save the response to a file"),
        _Option("--remote-name", False, "note", "save the response to a file"),
        _Option("--dump-header", True, "note", "save the response headers to a file"),
        _Option("--cookie-jar", True, "note", "save the response cookies to a file"),
        _Option("--write-out", True, "note", "curl's output format"),
        _Option("--max-time", True, "note", "timeout"),
        _Option("--connect-timeout", True, "note", "timeout"),
        _Option("--retry", True, "note", "retries"),
        _Option("--retry-delay", True, "note", "retries"),
        _Option("--proxy", True, "note", "proxy server"),
        _Option("--cacert", True, "note", "trusted certificates"),
        _Option("--resolve", True, "note", "fixed address for the host name"),
        _Option("--connect-to", True, "note", "fixed address for the host name"),
        _Option("--form", True, "refuse", "sends multipart form data, which Uptrends steps do not"),
        _Option(
            "--form-string",
            True,
            "refuse",
            "sends multipart form data, which Uptrends steps do not",
        ),
        _Option(
            "--upload-file",
            True,
            "refuse",
            "uploads a file, which the Studio does not read: paste the body with --data-raw",
        ),
        _Option("--config", True, "refuse", "reads options from a file, which the Studio does not"),
        _Option(
            "--netrc",
            False,
            "refuse",
            "reads credentials from a file, which the Studio does not: use -u user:password",
        ),
        _Option(
            "--netrc-file",
            True,
            "refuse",
            "reads credentials from a file, which the Studio does not: use -u user:password",
        ),
        _Option(
            "--cert", True, "refuse", "uses a client certificate, which Uptrends steps do not send"
        ),
        _Option("--key", True, "refuse", "uses a client certificate, which Uptrends steps do not"),
        _Option("--next", False, "refuse", "starts a second request: import one at a time"),
    ]
    return {option.long: option for option in table}


_LONG_OPTIONS = _options()
_SHORT_OPTIONS: dict[str, str] = {
    "X": "--request",
    "H": "--header",
    "d": "--data",
    "u": "--user",
    "G": "--get",
    "A": "--user-agent",
    "b": "--cookie",
    "e": "--referer",
    "I": "--head",
    "g": "--globoff",
    "k": "--insecure",
    "L": "--location",
    "s": "--silent",
    "S": "--show-error",
    "#": "--progress-bar",
    "v": "--verbose",
    "i": "--include",
    "f": "--fail",
    "N": "--no-buffer",
    "4": "--ipv4",
    "6": "--ipv6",
    "o": "--output",
    "O": "--remote-name",
    "D": "--dump-header",
    "c": "--cookie-jar",
    "w": "--write-out",
    "m": "--max-time",
    "x": "--proxy",
    "F": "--form",
    "T": "--upload-file",
    "K": "--config",
    "n": "--netrc",
    "E": "--cert",
    ":": "--next",
}

_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_ENV_VARIABLE = re.compile(r"\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)")


@dataclass(slots=True)
class _CurlState:
    """What the options said so far (mutable while one command is read)."""

    method: str | None = None
    head: bool = False
    headers: list[tuple[str, str]] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    data: list[tuple[str, str]] = field(default_factory=list)
    """(separator before this piece, piece): ``&`` between -d pieces, nothing before --json."""
    json: bool = False
    get: bool = False
    user: str | None = None
    auth: AuthType = AuthType.BASIC
    auth_option: str | None = None
    urls: list[tuple[str, int]] = field(default_factory=list)
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    """From -A, -b, -e, --oauth2-bearer: added unless a -H header of that name is given."""
    notes: list[str] = field(default_factory=list)


def parse_curl(text: str) -> ImportedRequest:
    r"""Read a curl command as API documentation shows it.

    Line continuations (``\`` for bash, ``^`` for cmd, a backtick for PowerShell) are joined,
    POSIX quoting is honoured (``'...'``, ``"..."``, ``$'...'``) and curl's defaults are
    followed: data means POST with ``Content-Type: application/x-www-form-urlencoded`` unless
    the command sets one, a URL without a scheme gets ``http://``.

    Raises:
        RequestImportError: naming the option, argument number (``curl`` is argument 0) or
            line and column that could not be read.
    """
    words, shell_notes = _split_shell(text)
    if not words or not _is_curl(words[0]):
        start = words[0] if words else ""
        raise RequestImportError(f"the text does not start with curl (it starts with {start!r})")
    state = _CurlState(notes=shell_notes)
    index = 1
    while index < len(words):
        word = words[index]
        if word.startswith("--") and len(word) > 2:
            option = _LONG_OPTIONS.get(word)
            if option is None:
                raise RequestImportError(f"unknown curl option {word} (argument {index})")
            value = None
            if option.takes_value:
                value = _option_value(words, index, word)
                index += 1
            _apply(state, option, word, value, index)
        elif word.startswith("-") and len(word) > 1:
            index = _short_options(state, words, index)
        else:
            state.urls.append((word, index))
        index += 1
    return _finish(state)


def _option_value(words: list[str], index: int, shown: str) -> str:
    if index + 1 >= len(words):
        raise RequestImportError(f"curl option {shown} (argument {index}) is missing its value")
    return words[index + 1]


def _short_options(state: _CurlState, words: list[str], index: int) -> int:
    """Apply a word of short options (``-sSL``, ``-XPOST``); returns the last word used."""
    word = words[index]
    for position in range(1, len(word)):
        letter = word[position]
        long = _SHORT_OPTIONS.get(letter)
        if long is None:
            where = f"-{letter} in {word}" if len(word) > 2 else word
            raise RequestImportError(f"unknown curl option {where} (argument {index})")
        option = _LONG_OPTIONS[long]
        if not option.takes_value:
            _apply(state, option, f"-{letter}", None, index)
            continue
        attached = word[position + 1 :]
        if attached:
            _apply(state, option, f"-{letter}", attached, index)
            return index
        value = _option_value(words, index, f"-{letter}")
        _apply(state, option, f"-{letter}", value, index + 1)
        return index + 1
    return index


def _apply(state: _CurlState, option: _Option, shown: str, value: str | None, index: int) -> None:
    """Record what one option says; ``index`` is the argument holding its value."""
    action = option.action
    where = f"{shown} (argument {index})"
    if action == "refuse":
        raise RequestImportError(f"{where} {option.text}")
    if action in ("note", "quiet"):
        if action == "note":
            _note(state, f"{shown} ({option.text}) was not imported.")
        return
    _HANDLERS[action](state, shown, value or "", index)


def _note(state: _CurlState, note: str) -> None:
    if note not in state.notes:
        state.notes.append(note)


def _on_method(state: _CurlState, shown: str, value: str, index: int) -> None:
    state.method = value


def _on_head(state: _CurlState, shown: str, value: str, index: int) -> None:
    state.head = True


def _on_header(state: _CurlState, shown: str, value: str, index: int) -> None:
    where = f"{shown} (argument {index})"
    if value.startswith("@"):
        raise RequestImportError(
            f"{where} reads headers from a file, which the Studio does not do: "
            "paste each header with -H 'Name: value'"
        )
    colon = value.find(":")
    if colon > 0:
        name, content = value[:colon].strip(), value[colon + 1 :].lstrip(" \t")
        if not content:
            # curl: "Name:" with nothing after the colon removes a header curl would add.
            state.removed.add(name.lower())
        else:
            state.headers.append((name, content))
        return
    if value.endswith(";") and len(value) > 1 and ":" not in value:
        state.headers.append((value[:-1].strip(), ""))
        return
    raise RequestImportError(f"{where}: header {value!r} has no ':' between name and value")


def _refuse_file(where: str, value: str) -> None:
    raise RequestImportError(
        f"{where} {value[:40]!r} reads the body from a file, which the Studio does not do: "
        "paste the body itself (or use --data-raw when it starts with @)"
    )


def _on_data(state: _CurlState, shown: str, value: str, index: int) -> None:
    where = f"{shown} (argument {index})"
    if value.startswith("@"):
        _refuse_file(where, value)
    state.data.append(("&", value))


def _on_data_raw(state: _CurlState, shown: str, value: str, index: int) -> None:
    state.data.append(("&", value))


def _on_data_urlencode(state: _CurlState, shown: str, value: str, index: int) -> None:
    # curl: "name=content" or "=content" encodes content; "@file" / "name@file" read a file;
    # anything else is content to encode.
    where = f"{shown} (argument {index})"
    equals, at = value.find("="), value.find("@")
    if equals >= 0:
        name, content = value[:equals], value[equals + 1 :]
    elif at >= 0:
        _refuse_file(where, value)
        return
    else:
        name, content = "", value
    encoded = quote(content, safe="")
    state.data.append(("&", f"{name}={encoded}" if name else encoded))


def _on_json(state: _CurlState, shown: str, value: str, index: int) -> None:
    where = f"{shown} (argument {index})"
    if value.startswith("@"):
        _refuse_file(where, value)
    state.json = True
    state.data.append(("", value))


def _on_user(state: _CurlState, shown: str, value: str, index: int) -> None:
    state.user = value


def _on_auth(state: _CurlState, shown: str, value: str, index: int) -> None:
    state.auth = {"--digest": AuthType.DIGEST, "--ntlm": AuthType.NTLM}.get(shown, AuthType.BASIC)
    state.auth_option = shown


def _on_get(state: _CurlState, shown: str, value: str, index: int) -> None:
    state.get = True


def _on_url(state: _CurlState, shown: str, value: str, index: int) -> None:
    state.urls.append((value, index))


def _on_agent(state: _CurlState, shown: str, value: str, index: int) -> None:
    state.extra_headers.append(("User-Agent", value))


def _on_cookie(state: _CurlState, shown: str, value: str, index: int) -> None:
    where = f"{shown} (argument {index})"
    if "=" not in value:
        raise RequestImportError(
            f"{where} {value!r} reads cookies from a file, which the Studio does not do: "
            "paste them as -b 'name=value'"
        )
    for index, (name, existing) in enumerate(state.extra_headers):
        if name == "Cookie":
            state.extra_headers[index] = (name, f"{existing}; {value}")
            return
    state.extra_headers.append(("Cookie", value))


def _on_referer(state: _CurlState, shown: str, value: str, index: int) -> None:
    if value.endswith(";auto"):
        value = value[: -len(";auto")]
        _note(state, f"{shown} ';auto' (update the referer on redirects) was not imported.")
    if value:
        state.extra_headers.append(("Referer", value))


def _on_bearer(state: _CurlState, shown: str, value: str, index: int) -> None:
    state.extra_headers.append(("Authorization", f"Bearer {value}"))


_HANDLERS: dict[str, Callable[[_CurlState, str, str, int], None]] = {
    "method": _on_method,
    "head": _on_head,
    "header": _on_header,
    "data": _on_data,
    "data-raw": _on_data_raw,
    "data-urlencode": _on_data_urlencode,
    "json": _on_json,
    "user": _on_user,
    "auth": _on_auth,
    "get": _on_get,
    "url": _on_url,
    "agent": _on_agent,
    "cookie": _on_cookie,
    "referer": _on_referer,
    "bearer": _on_bearer,
}


def _finish(state: _CurlState) -> ImportedRequest:
    """Apply curl's defaults to what the options said."""
    if not state.urls:
        raise RequestImportError("the curl command has no URL: add the address to send to")
    if len(state.urls) > 1:
        (first, i), (second, j) = state.urls[:2]
        raise RequestImportError(
            f"the curl command has two URLs, {first!r} (argument {i}) and {second!r} "
            f"(argument {j}): the Studio imports one request at a time"
        )
    url = _check_url(state.urls[0][0], state.urls[0][1], state)
    body = "".join(
        (separator if position else "") + piece
        for position, (separator, piece) in enumerate(state.data)
    )
    has_data = bool(state.data)
    if state.get and has_data:
        url += ("&" if "?" in url else "?") + body
        body = ""
    method = state.method.upper() if state.method is not None else None
    if method is None:
        if state.head:
            method = "HEAD"
        elif has_data and not state.get:
            method = "POST"
        else:
            method = "GET"
    if method not in HTTP_METHODS:
        raise RequestImportError(
            f"{method} is not a method Uptrends steps can send: use GET, POST, PUT, PATCH or DELETE"
        )
    headers = list(state.headers)
    given = {name.lower() for name, _ in headers} | state.removed
    for name, value in state.extra_headers:
        if name.lower() not in given:
            headers.append((name, value))
    if has_data and not state.get:
        if state.json:
            for name, value in (
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ):
                if name.lower() not in given:
                    headers.append((name, value))
        elif "content-type" not in given:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    auth_type, username, password = AuthType.NONE, "", ""
    if state.user is not None:
        auth_type = state.auth
        username, colon, password = state.user.partition(":")
        if not colon:
            _note(
                state,
                "-u gives no password (curl would ask for it): "
                "enter it in the step's authentication.",
            )
    elif state.auth_option is not None:
        _note(state, f"{state.auth_option} was not imported: the command has no -u user:password.")
    return ImportedRequest(
        method=method,
        url=url,
        headers=tuple(headers),
        body=body,
        auth_type=auth_type,
        username=username,
        password=password,
        notes=tuple(state.notes),
    )


def _check_url(url: str, index: int, state: _CurlState) -> str:
    scheme = _URL_SCHEME.match(url)
    if scheme is None:
        _note(state, f"the URL {url!r} has no scheme: http:// was added, as curl does.")
        return "http://" + url
    if scheme.group(0).lower() not in ("http://", "https://"):
        raise RequestImportError(
            f"the URL {url!r} (argument {index}) is not http:// or https://: "
            "Uptrends steps send HTTP requests"
        )
    return url


def _is_curl(word: str) -> bool:
    name = re.split(r"[\\/]", word)[-1].lower()
    return name in ("curl", "curl.exe")


# --- shell words ------------------------------------------------------------------------------


def _strip_prompt(text: str) -> str:
    """Blank out a leading shell prompt (``$ curl ...``), keeping character positions."""
    match = re.match(r"\s*(\$|PS>|>)[ \t]+(?=curl)", text)
    return " " * match.end() + text[match.end() :] if match else text


def _position(text: str, offset: int) -> str:
    line, column = LineIndex(text).position(offset)
    return f"line {line}, column {column}"


def _continuation_end(text: str, start: int) -> int:
    """Index after a line break that follows ``start`` (spaces allowed before it), else -1."""
    index = start
    while index < len(text) and text[index] in " \t":
        index += 1
    if index == len(text):
        return index
    if text.startswith("\r\n", index):
        return index + 2
    if text[index] in "\r\n":
        return index + 1
    return -1


_ANSI_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_ANSI_NUMERIC = re.compile(r"[0-7]{1,3}|x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}")


def _ansi_c_string(text: str, start: int) -> tuple[str, int]:
    """Decode bash's ``$'...'`` starting at ``start`` (the ``$``); returns text and end index."""
    out: list[str] = []
    index = start + 2
    while index < len(text):
        char = text[index]
        if char == "'":
            return "".join(out), index + 1
        if char != "\\" or index + 1 == len(text):
            out.append(char)
            index += 1
            continue
        escape = text[index + 1]
        numeric = _ANSI_NUMERIC.match(text, index + 1)
        if escape in _ANSI_ESCAPES:
            out.append(_ANSI_ESCAPES[escape])
            index += 2
        elif numeric is not None:
            digits = numeric.group(0)
            code = int(digits, 8) if digits[0].isdigit() else int(digits[1:], 16)
            if code > 0x10FFFF:
                raise RequestImportError(
                    f"the escape \\{digits} at {_position(text, index)} is not a character"
                )
            out.append(chr(code))
            index = numeric.end()
        else:
            out.append("\\" + escape)
            index += 2
    raise RequestImportError(f"the $' quote at {_position(text, start)} is never closed")


_SHELL_OPERATORS = "|&;<>()"


def _split_shell(text: str) -> tuple[list[str], list[str]]:
    """Split a pasted command into words, without running or expanding anything.

    Returns:
        The words and notes about shell variables that were kept as written.
    """
    text = _strip_prompt(text)
    out: list[str] = []
    variables: list[str] = []
    index = 0
    at_word_start = True
    while index < len(text):
        char = text[index]
        start = index
        if char in "\\^`":
            end = _continuation_end(text, index + 1)
            if end >= 0:
                out.append(" ")
                index = end
                at_word_start = True
                continue
            if char == "`":
                raise RequestImportError(
                    f"a backtick at {_position(text, index)} runs a command in the shell, "
                    "which the Studio does not do: quote it or replace it with its value"
                )
            if char == "\\":
                out.append(text[index : index + 2])
                index += 2
            else:
                out.append(char)
                index += 1
        elif char == "'":
            end = text.find("'", index + 1)
            if end < 0:
                raise RequestImportError(f"the ' quote at {_position(text, index)} is never closed")
            out.append(text[index : end + 1])
            index = end + 1
        elif char == "$" and text.startswith("$'", index):
            decoded, index = _ansi_c_string(text, index)
            out.append(shlex.quote(decoded))
        elif char == "$" and text.startswith("$(", index):
            raise RequestImportError(
                f"$( at {_position(text, index)} runs a command in the shell, which the Studio "
                "does not do: replace it with its value"
            )
        elif char == '"':
            quoted, index = _double_quoted(text, index, variables)
            out.append(quoted)
        elif char in _SHELL_OPERATORS:
            raise RequestImportError(
                f"the shell operator {char!r} at {_position(text, index)} is not part of a curl "
                "command: quote the text around it (for example the URL) or paste only the "
                "curl command"
            )
        elif char == "#" and at_word_start:
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
        else:
            if char == "$":
                match = _ENV_VARIABLE.match(text, index)
                if match is not None:
                    variables.append(match.group(0))
            out.append(" " if char in "\r\n" else char)
            index += 1
        at_word_start = index > start and text[index - 1] in " \t\r\n"
    notes = [
        f"{name} is a shell variable: it was imported as written; replace it with its value "
        "or a {{Variable}}."
        for name in dict.fromkeys(variables)
    ]
    try:
        words = shlex.split("".join(out), comments=False, posix=True)
    except ValueError as error:  # balanced quotes were checked above; this is a safety net
        raise RequestImportError(f"the command cannot be split into words: {error}") from error
    return words, notes


def _double_quoted(text: str, start: int, variables: list[str]) -> tuple[str, int]:
    r"""A ``"..."`` word part normalised for shlex: continuations joined, ``\$`` unescaped."""
    out = ['"']
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == '"':
            out.append('"')
            return "".join(out), index + 1
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if following in "$`":
                out.append(following)
                index += 2
                continue
            if text.startswith("\r\n", index + 1):
                index += 3
                continue
            if following == "\n":
                index += 2
                continue
            out.append(text[index : index + 2])
            index += 2
            continue
        if char == "`" or text.startswith("$(", index):
            raise RequestImportError(
                f"{'a backtick' if char == '`' else '$('} at {_position(text, index)} runs a "
                "command in the shell, which the Studio does not do: replace it with its value"
            )
        if char == "$":
            match = _ENV_VARIABLE.match(text, index)
            if match is not None:
                variables.append(match.group(0))
        out.append(char)
        index += 1
    raise RequestImportError(f'the " quote at {_position(text, start)} is never closed')


# --- raw HTTP ---------------------------------------------------------------------------------

_REQUEST_LINE = re.compile(r"([A-Za-z]+)[ \t]+(\S+)(?:[ \t]+HTTP/\d(?:\.\d)?)?")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


def parse_raw_http(text: str, default_scheme: str = "https") -> ImportedRequest:
    """Read a raw HTTP request: request line, headers, a blank line, the body.

    The request line may carry a full URL (``POST https://api.example.com/v2 HTTP/1.1``) or a
    path, in which case the ``Host`` header names the server and ``default_scheme`` is used.
    Headers are kept as written (``Authorization: Basic ...`` stays a header).

    Raises:
        RequestImportError: naming the line that could not be read.
    """
    lines = text.splitlines(keepends=True)
    number = 0
    while number < len(lines) and not lines[number].strip():
        number += 1
    if number == len(lines):
        raise RequestImportError("there is no request line: paste e.g. 'POST /path HTTP/1.1'")
    request_line = lines[number].strip()
    match = _REQUEST_LINE.fullmatch(request_line)
    if match is None:
        raise RequestImportError(
            f"line {number + 1}: {request_line[:60]!r} is not a request line "
            "(expected METHOD TARGET HTTP/1.1, e.g. 'POST /v2/enqueue HTTP/1.1')"
        )
    method, target = match.group(1).upper(), match.group(2)
    request_line_number = number + 1
    if method not in HTTP_METHODS:
        raise RequestImportError(
            f"line {request_line_number}: {method} is not a method Uptrends steps can send: "
            "use GET, POST, PUT, PATCH or DELETE"
        )
    headers: list[tuple[str, str]] = []
    number += 1
    while number < len(lines) and lines[number].strip():
        line = lines[number].rstrip("\r\n")
        if line[0] in " \t":
            if not headers:
                raise RequestImportError(
                    f"line {number + 1}: a header line cannot start with a space"
                )
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            number += 1
            continue
        name, colon, value = line.partition(":")
        if not colon or not _HEADER_NAME.fullmatch(name):
            raise RequestImportError(
                f"line {number + 1}: {line[:60]!r} is not a header (expected 'Name: value'; "
                "leave a blank line before the body)"
            )
        headers.append((name, value.strip()))
        number += 1
    body = "".join(lines[number + 1 :]).rstrip("\r\n")
    url = _raw_url(target, headers, default_scheme, request_line_number)
    return ImportedRequest(method=method, url=url, headers=tuple(headers), body=body)


def _raw_url(target: str, headers: list[tuple[str, str]], scheme: str, line: int) -> str:
    if _URL_SCHEME.match(target):
        if not target.lower().startswith(("http://", "https://")):
            raise RequestImportError(f"line {line}: {target!r} is not an http:// or https:// URL")
        return target
    host = next((value for name, value in headers if name.lower() == "host"), None)
    if not host:
        raise RequestImportError(
            f"line {line}: the request line has the path {target!r} but no Host header names "
            "the server: add 'Host: api.example.com' or write the full URL"
        )
    if not target.startswith("/"):
        target = "/" + target
    return f"{scheme}://{host}{target}"
