"""Export a rendered request as a ready-to-run snippet: cURL, HTTPie, PowerShell or Python.

The snippets are Jinja2 templates in ``resources/snippets/``; every value reaches them through a
quoting filter of the target language, so nothing in a request (a body with quotes, ``$``,
backticks, newlines, a leading ``@``) can run a command or read a file when the snippet runs.
Masking secrets is the caller's job: pass :func:`~uptrends_studio.core.secrets.masked_request`.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from uptrends_studio.core.document.model import AuthType
from uptrends_studio.core.rendering.messages import RenderedRequest
from uptrends_studio.paths import resource_path

if TYPE_CHECKING:
    import jinja2


class SnippetFormat(StrEnum):
    """The languages a request can be exported to."""

    CURL = "curl"
    HTTPIE = "httpie"
    POWERSHELL = "powershell"
    PYTHON = "python"
    # Lower-case aliases, as the export brief spells them (``SnippetFormat.curl``).
    curl = "curl"
    httpie = "httpie"
    powershell = "powershell"
    python = "python"

    @property
    def template_name(self) -> str:
        """The template file in ``resources/snippets/``."""
        return _TEMPLATES[self]

    @property
    def file_suffix(self) -> str:
        """The usual file name suffix of a saved snippet (``.sh``, ``.ps1``, ``.py``)."""
        return "." + _TEMPLATES[self].split(".")[-2]


_TEMPLATES = {
    SnippetFormat.CURL: "curl.sh.j2",
    SnippetFormat.HTTPIE: "httpie.sh.j2",
    SnippetFormat.POWERSHELL: "powershell.ps1.j2",
    SnippetFormat.PYTHON: "python.py.j2",
}

POWERSHELL_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b"
"""Characters PowerShell takes as a single quote (it accepts the typographic ones too)."""

_URL_NEEDS_ENCODING = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]")
"""A character outside RFC 3986's URL characters, which ``requests`` percent-encodes."""

HTTPIE_SPECIAL = ":;=@"
"""Characters that make up HTTPie's request-item separators (``:``, ``;``, ``==``, ``:=@``...)."""


def export_request(request: RenderedRequest, fmt: SnippetFormat) -> str:
    """A command or script that sends exactly ``request``.

    Method, URL, headers (in order), the body as UTF-8 and Basic/Digest/NTLM authentication
    are taken from the request as given. Where a tool cannot express something exactly
    (duplicate headers in PowerShell and Python, a few HTTPie corner cases), the snippet says so
    in a comment line.

    Args:
        request: The rendered request; pass a masked one to keep secrets out of the snippet.
        fmt: The target language.

    Returns:
        The snippet text, ending with a newline.
    """
    template = _environment().get_template(fmt.template_name)
    headers = list(request.headers)
    notes: list[str] = []
    content_type: str | None = None
    if fmt in (SnippetFormat.POWERSHELL, SnippetFormat.PYTHON):
        headers, notes = _merge_duplicates(headers)
        if fmt is SnippetFormat.POWERSHELL:
            content_type = next((v for n, v in headers if n.lower() == "content-type"), None)
            headers = [(n, v) for n, v in headers if n.lower() != "content-type"]
    has_content_type = any(name.strip().lower() == "content-type" for name, _ in request.headers)
    auth_type = request.auth_type
    if fmt is SnippetFormat.CURL and auth_type is not AuthType.NONE and ":" in request.username:
        notes.append("curl splits --user at the first ':', and this username contains one.")
    if fmt is SnippetFormat.PYTHON and _URL_NEEDS_ENCODING.search(request.url):
        notes.append(
            "requests percent-encodes characters such as [ ] { } and spaces in the URL; "
            "servers read them the same."
        )
    if fmt is SnippetFormat.HTTPIE:
        notes.extend(
            f"HTTPie cannot send a backslash before : ; = or @ in a header: check header {name}."
            for name, value in headers
            if _backslash_before_special(value)
        )
    text = template.render(
        title=f"{request.step_name} ({request.alert_type.value}), exported by Uptrends Studio",
        notes=notes,
        method=request.method,
        url=request.url,
        headers=headers,
        body=request.body,
        content_type=content_type,
        suppress_content_type=bool(request.body) and not has_content_type,
        auth_type=auth_type.value,
        username=request.username,
        password=request.password,
        plain_http=request.url.lower().startswith("http:"),
    )
    return text if text.endswith("\n") else text + "\n"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2  # on first use: keeps ~20 ms off the window's start-up

    """The Jinja2 environment of the snippet templates, with the quoting filters."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource_path("snippets"))),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        sh=shell_quote,
        ps=powershell_quote,
        py=python_literal,
        py_header=python_header_literal,
        comment=comment_text,
        curl_header=curl_header,
        httpie_header=httpie_header,
        httpie_credentials=httpie_credentials,
    )
    return environment


def shell_quote(text: str) -> str:
    """POSIX shell quoting (``shlex.quote``): single quotes keep everything, newlines too."""
    return shlex.quote(text)


def powershell_quote(text: str) -> str:
    """A PowerShell single-quoted string: no expansion; quote characters are doubled.

    PowerShell also ends a single-quoted string at the typographic quotes U+2018 to U+201B, so
    those are doubled as well.
    """
    quoted = "".join(c + c if c in POWERSHELL_SINGLE_QUOTES else c for c in text)
    return f"'{quoted}'"


def python_literal(text: str) -> str:
    """A Python string literal (``repr``): escapes make it one line and never code."""
    return repr(text)


def python_header_literal(text: str) -> str:
    """A header value or Basic credential for ``requests``: UTF-8 bytes when not ASCII.

    ``http.client`` encodes ``str`` header values as Latin-1 (and fails beyond it); curl and
    HTTPie send UTF-8, so non-ASCII values are passed as UTF-8 bytes.
    """
    return repr(text) if text.isascii() else f"{text!r}.encode('utf-8')"


def comment_text(text: str) -> str:
    """Text that stays on one comment line: line breaks and control characters become spaces."""
    cleaned = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return " ".join(cleaned.split())


def curl_header(name: str, value: str) -> str:
    """A ``-H`` argument: ``Name: value``, or curl's ``Name;`` form for an empty value."""
    return f"{name};" if value == "" else f"{name}: {value}"


def _httpie_escape(text: str) -> str:
    return "".join("\\" + c if c in HTTPIE_SPECIAL else c for c in text)


def httpie_header(name: str, value: str) -> str:
    """An HTTPie request item for a header: ``Name:value``, or ``Name;`` for an empty value.

    Separator characters in the name are escaped, and so is a first value character that
    would turn ``:`` into ``:=`` (raw JSON) or ``:@`` (read the header from a file).
    """
    if value == "":
        return _httpie_escape(name) + ";"
    if value[0] in "=@":
        value = "\\" + value
    return f"{_httpie_escape(name)}:{value}"


def httpie_credentials(username: str, password: str) -> str:
    """The ``--auth`` argument: ``user:password``, with ``:`` in the username escaped."""
    return f"{username.replace(':', chr(92) + ':')}:{password}"


def _backslash_before_special(value: str) -> bool:
    return any(value[i] == "\\" and value[i + 1] in HTTPIE_SPECIAL for i in range(len(value) - 1))


def _merge_duplicates(
    headers: list[tuple[str, str]],
) -> tuple[list[tuple[str, str]], list[str]]:
    """Join the values of headers that share a name (case-insensitively) with ``, ``.

    PowerShell hashtables and ``requests`` header dicts hold one value per name.
    """
    merged: dict[str, tuple[str, list[str]]] = {}
    for name, value in headers:
        merged.setdefault(name.lower(), (name, []))[1].append(value)
    notes = [
        f"Header {name} appears {len(values)} times: its values are sent as one header, "
        "joined with ', '."
        for name, values in merged.values()
        if len(values) > 1
    ]
    return [(name, ", ".join(values)) for name, values in merged.values()], notes
