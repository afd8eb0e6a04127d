"""Request snippets: the exported curl command and Python script really send the request.

curl and the Python script run for real against a loopback server (port 0) that records what
arrived; HTTPie and PowerShell are not installed, so their text is checked structurally.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import re
import shlex
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.support import required_program
from uptrends_studio.core.checks.bodies import BodyKind
from uptrends_studio.core.delivery.request_import import parse_curl
from uptrends_studio.core.document.model import HTTP_METHODS, AlertType, AuthType
from uptrends_studio.core.exports.snippets import (
    SnippetFormat,
    comment_text,
    export_request,
    httpie_header,
    powershell_quote,
    python_literal,
)
from uptrends_studio.core.rendering.messages import RenderedRequest
from uptrends_studio.core.secrets import MASK, Masker, masked_request

CURL = required_program("curl")
BASH = required_program("bash")
REALM = "studio"
NONCE = "5f1d2c3b4a"

HOSTILE_BODY = (
    '{"text": "it\'s \\"quoted\\" $HOME `id` $(id) \\\\ back\\\\slash",\n'
    '  "emoji": "caf\u00e9 \U0001f600", "tab": "\t"}\n'
)


def request(
    url: str,
    *,
    method: str = "POST",
    headers: tuple[tuple[str, str], ...] = (),
    body: str = "",
    auth_type: AuthType = AuthType.NONE,
    username: str = "",
    password: str = "",
    step_name: str = "Send alert",
) -> RenderedRequest:
    return RenderedRequest(
        step_index=0,
        step_name=step_name,
        alert_type=AlertType.ERROR,
        helper=False,
        method=method,
        url=url,
        headers=headers,
        body=body,
        body_kind=BodyKind.TEXT,
        auth_type=auth_type,
        username=username,
        password=password,
    )


# --- a loopback server that records requests -------------------------------------------------


@dataclass(frozen=True)
class Captured:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes

    def header_values(self, name: str) -> list[str]:
        return [v for n, v in self.headers if n.lower() == name.lower()]


class CaptureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, digest_user: tuple[str, str] | None = None) -> None:
        super().__init__(("127.0.0.1", 0), CaptureHandler)
        self.digest_user = digest_user
        self.captured: list[Captured] = []
        self.arrived = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def _utf8(value: str) -> str:
    """http.server decodes header bytes as Latin-1; the clients sent UTF-8."""
    return value.encode("latin-1").decode("utf-8")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class CaptureHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: CaptureServer

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.server.digest_user is not None and not self._digest_ok():
            self._reply(401, b"who are you?", ("WWW-Authenticate", self._challenge()))
            return
        headers = [(name, _utf8(value)) for name, value in self.headers.items()]
        self.server.captured.append(Captured(self.command, self.path, headers, body))
        self.server.arrived.set()
        self._reply(200, b"captured")

    # http.server dispatches on do_<METHOD>, hence the upper-case names
    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle  # noqa: N815

    def _challenge(self) -> str:
        return f'Digest realm="{REALM}", qop="auth", nonce="{NONCE}", algorithm=MD5'

    def _digest_ok(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Digest "):
            return False
        params = {
            m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
            for m in re.finditer(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', header[len("Digest ") :])
        }
        assert self.server.digest_user is not None
        user, password = self.server.digest_user
        ha1 = _md5(f"{user}:{REALM}:{password}")
        ha2 = _md5(f"{self.command}:{params.get('uri', '')}")
        expected = _md5(
            f"{ha1}:{NONCE}:{params.get('nc', '')}:{params.get('cnonce', '')}:auth:{ha2}"
        )
        return params.get("username") == user and params.get("response") == expected

    def _reply(self, status: int, body: bytes, *header: tuple[str, str]) -> None:
        self.send_response(status)
        for name, value in header:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


def _serve(server: CaptureServer) -> Iterator[CaptureServer]:
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def server() -> Iterator[CaptureServer]:
    yield from _serve(CaptureServer())


@pytest.fixture
def digest_server() -> Iterator[CaptureServer]:
    yield from _serve(CaptureServer(digest_user=("alice", "s3cr'et $x")))


def _run(snippet: str, fmt: SnippetFormat, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run an exported snippet: curl through bash -c, Python through the venv interpreter."""
    # Only curl's own folder on PATH: the snippet finds curl as a user's shell would, nothing else.
    env = {"PATH": str(Path(CURL).parent), "HOME": str(tmp_path), "LC_ALL": "C.UTF-8"}
    if fmt is SnippetFormat.CURL:
        argv = [BASH, "-c", snippet]
    else:
        script = tmp_path / "snippet.py"
        script.write_text(snippet, encoding="utf-8")
        # The interpreter running the tests has requests installed (a project dependency).
        argv = [sys.executable, str(script)]
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path, check=False
    )


# --- running the snippets for real -----------------------------------------------------------

RUNNABLE = [SnippetFormat.CURL, SnippetFormat.PYTHON]


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: str
    auth: AuthType = AuthType.NONE
    username: str = ""
    password: str = ""


CASES = [
    Case(
        "json-hostile-body",
        "POST",
        "/v2/enqueue?routing=a%20b&x[0]=1",
        (("Content-Type", "application/json"), ("X-Api-Key", "k'e\"y $KEY `id`")),
        HOSTILE_BODY,
    ),
    Case(
        "body-starting-with-at", "PUT", "/upload", (("Content-Type", "text/plain"),), "@/etc/passwd"
    ),
    Case("no-content-type", "PATCH", "/items/7", (("X-Trace", "1"),), "name=a&b=c"),
    Case("get-no-body", "GET", "/status", (("Accept", "application/json"),), ""),
    Case("delete-empty-header", "DELETE", "/items/7", (("X-Empty", ""), ("X-After", "yes")), ""),
    Case(
        "unicode-header",
        "POST",
        "/hook",
        (("Content-Type", "application/json"), ("X-Name", "Zoë ✓")),
        '{"a": 1}',
    ),
    Case(
        "basic-auth",
        "POST",
        "/secure",
        (("Content-Type", "application/json"),),
        "{}",
        AuthType.BASIC,
        "user@example.com",
        "p'ss:w$rd `x`",
    ),
]


@pytest.mark.parametrize("fmt", RUNNABLE)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_exported_snippet_sends_the_request(
    case: Case, fmt: SnippetFormat, server: CaptureServer, tmp_path: Path
) -> None:
    rendered = request(
        server.base_url + case.path,
        method=case.method,
        headers=case.headers,
        body=case.body,
        auth_type=case.auth,
        username=case.username,
        password=case.password,
    )
    result = _run(export_request(rendered, fmt), fmt, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "captured" in result.stdout
    [got] = server.captured
    assert got.method == case.method
    if fmt is SnippetFormat.CURL:
        assert got.path == case.path
    else:  # requests percent-encodes [ and ] (the snippet says so); servers read both alike
        assert got.path == case.path.replace("[", "%5B").replace("]", "%5D")
        if "[" in case.path:
            assert "percent-encodes" in export_request(rendered, fmt)
    assert got.body == case.body.encode("utf-8")
    for name, value in case.headers:
        assert got.header_values(name) == [value], name
    if fmt is SnippetFormat.CURL:
        # curl keeps the order of the request's headers
        names = {name.lower() for name, _ in case.headers}
        assert [(n, v) for n, v in got.headers if n.lower() in names] == list(case.headers)
    if not any(name.lower() == "content-type" for name, _ in case.headers):
        assert got.header_values("Content-Type") == []  # curl's form default is suppressed
    if case.auth is AuthType.BASIC:
        token = base64.b64encode(f"{case.username}:{case.password}".encode()).decode()
        assert got.header_values("Authorization") == [f"Basic {token}"]
    else:
        assert got.header_values("Authorization") == []


@pytest.mark.parametrize("fmt", RUNNABLE)
def test_exported_snippet_answers_a_digest_challenge(
    fmt: SnippetFormat, digest_server: CaptureServer, tmp_path: Path
) -> None:
    rendered = request(
        digest_server.base_url + "/digest?a=1",
        headers=(("Content-Type", "application/json"),),
        body='{"digest": true}',
        auth_type=AuthType.DIGEST,
        username="alice",
        password="s3cr'et $x",
    )
    result = _run(export_request(rendered, fmt), fmt, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "captured" in result.stdout
    [got] = digest_server.captured
    assert got.path == "/digest?a=1"
    assert got.body == b'{"digest": true}'
    assert got.header_values("Authorization")[0].startswith('Digest username="alice"')


@pytest.mark.parametrize("fmt", list(SnippetFormat))
def test_nothing_in_a_request_runs_as_code(
    fmt: SnippetFormat, server: CaptureServer, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    attack = f"'; touch {marker}; ' \"$(touch {marker})\" `touch {marker}` \\'; touch {marker}"
    rendered = request(
        server.base_url + "/hook?q=" + attack.replace(" ", "%20"),
        headers=(("Content-Type", "text/plain"), ("X-Attack", attack)),
        body=attack + "\n" + "')\nimport os; os.system('touch " + str(marker) + "')\n",
        step_name=f"step\ntouch {marker}\r\nimport os; os.system('touch {marker}')",
        auth_type=AuthType.BASIC,
        username="u",
        password=attack,
    )
    snippet = export_request(rendered, fmt)
    if fmt in RUNNABLE:
        result = _run(snippet, fmt, tmp_path)
        assert result.returncode == 0, result.stderr
        [got] = server.captured
        assert got.body == rendered.body.encode("utf-8")
        assert got.header_values("X-Attack") == [attack]
    assert not marker.exists()
    # the step name stays on its one comment line
    assert snippet.splitlines()[0].startswith("# step touch")


def test_masked_request_exports_the_mask_not_the_secret() -> None:
    rendered = request(
        "https://api.example.com/hook?token=tok-123456",
        headers=(("Authorization", "Bearer tok-123456"),),
        body='{"token": "tok-123456"}',
        auth_type=AuthType.BASIC,
        username="bot",
        password="hunter2-pass",
    )
    masked = masked_request(rendered, Masker.of(["tok-123456"]))
    for fmt in SnippetFormat:
        text = export_request(masked, fmt)
        assert "tok-123456" not in text
        assert "hunter2-pass" not in text
        assert MASK in text


# --- curl: structure and the round trip through the importer ---------------------------------


def test_curl_snippet_layout() -> None:
    rendered = request(
        "https://events.pagerduty.com/v2/enqueue",
        headers=(("Content-Type", "application/json"), ("X-Empty", "")),
        body='{"a": "it\'s"}\n',
        auth_type=AuthType.NTLM,
        username="DOMAIN\\bot",
        password="pw",
    )
    assert export_request(rendered, SnippetFormat.CURL) == (
        "# Send alert (Error), exported by Uptrends Studio\n"
        "curl --request POST \\\n"
        "  --url https://events.pagerduty.com/v2/enqueue \\\n"
        "  --globoff \\\n"
        "  --header 'Content-Type: application/json' \\\n"
        "  --header 'X-Empty;' \\\n"
        "  --user 'DOMAIN\\bot:pw' --ntlm \\\n"
        '  --data-raw \'{"a": "it\'"\'"\'s"}\n'
        "'\n"
    )
    assert "--data " not in export_request(rendered, SnippetFormat.CURL)
    assert "--data-binary" not in export_request(rendered, SnippetFormat.CURL)


def test_curl_snippet_suppresses_the_form_content_type_only_when_needed() -> None:
    no_type = export_request(request("https://x.test/", body="a"), SnippetFormat.CURL)
    assert "--header 'Content-Type:'" in no_type
    empty = export_request(request("https://x.test/", method="POST"), SnippetFormat.CURL)
    assert "Content-Type" not in empty
    assert "--data-raw" not in empty


_TOKEN = st.text(
    alphabet="!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    min_size=1,
    max_size=12,
)
_HEADER_NAMES = st.one_of(st.sampled_from(["Content-Type", "Authorization", "X-Api-Key"]), _TOKEN)
_VALUE_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
_HEADER_VALUES = st.text(_VALUE_CHARS, max_size=20).map(lambda v: v.lstrip(" \t"))
_TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))
_BODIES = st.one_of(
    _TEXT,
    st.sampled_from([HOSTILE_BODY, "@payload.json", "-d x", "a\\\nb", "'", '"', "$'x'", "`", "^"]),
)


@st.composite
def rendered_requests(draw: st.DrawFn) -> RenderedRequest:
    auth = draw(st.sampled_from(list(AuthType)))
    return request(
        "https://api.example.com/" + draw(st.text(_VALUE_CHARS, max_size=30)),
        method=draw(st.sampled_from(HTTP_METHODS)),
        headers=tuple(draw(st.lists(st.tuples(_HEADER_NAMES, _HEADER_VALUES), max_size=5))),
        body=draw(_BODIES),
        auth_type=auth,
        username=draw(_TEXT.filter(lambda u: ":" not in u)) if auth is not AuthType.NONE else "",
        password=draw(_TEXT) if auth is not AuthType.NONE else "",
        step_name=draw(_TEXT),
    )


@given(rendered_requests())
@example(request("https://x.test/a b?c='d'", body="@file", headers=(("X", "=@v"),)))
@example(request("https://x.test/", body="line1\r\nline2\\\n", method="PATCH"))
def test_curl_export_round_trips_through_the_importer(rendered: RenderedRequest) -> None:
    imported = parse_curl(export_request(rendered, SnippetFormat.CURL))
    assert imported.method == rendered.method
    assert imported.url == rendered.url
    assert imported.headers == rendered.headers
    assert imported.body == rendered.body
    assert imported.auth_type == rendered.auth_type
    assert (imported.username, imported.password) == (rendered.username, rendered.password)
    assert imported.notes == ()


# --- HTTPie: argv and HTTPie's own request-item rules ----------------------------------------

# HTTPie 3's request-item separators (httpie/cli/constants.py) and its tokenizer
# (httpie/cli/argtypes.py KeyValueArgType), re-stated to check what HTTPie would read.
_HTTPIE_SEPARATORS = [":", ";", ":@", "==", "==@", "=", ":=", "@", "=@", ":=@"]
_HTTPIE_SPECIAL = set("".join(_HTTPIE_SEPARATORS))


def httpie_reads(item: str) -> tuple[str, str, str]:
    tokens: list[str | tuple[str]] = [""]
    chars = iter(item)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            if following in _HTTPIE_SPECIAL:
                tokens.extend([(following,), ""])
            else:
                tokens[-1] = f"{tokens[-1]}\\{following}"
        else:
            tokens[-1] = f"{tokens[-1]}{char}"

    def text(parts: list[str | tuple[str]]) -> str:
        return "".join(p if isinstance(p, str) else p[0] for p in parts)

    for index, token in enumerate(tokens):
        if isinstance(token, tuple):
            continue
        found = {token.find(s): s for s in sorted(_HTTPIE_SEPARATORS, key=len) if s in token}
        if found:
            sep = found[min(found)]
            key, value = token.split(sep, 1)
            return text([*tokens[:index], key]), sep, text([value, *tokens[index + 1 :]])
    raise AssertionError(f"HTTPie would refuse {item!r}")


def _argv(snippet: str) -> list[str]:
    command = "\n".join(line for line in snippet.splitlines() if not line.startswith("#"))
    return shlex.split(command.replace(" \\\n", " "))


def test_httpie_snippet_argv() -> None:
    rendered = request(
        "https://api.example.com/hook?x=1",
        method="PUT",
        headers=(("Accept", "*/*"), ("X-Empty", ""), ("X-Eq", "=1"), ("X-At", "@/etc/passwd")),
        body='{"a": "it\'s $HOME"}',
        auth_type=AuthType.DIGEST,
        username="bob",
        password="p:w",
    )
    assert _argv(export_request(rendered, SnippetFormat.HTTPIE)) == [
        "http",
        "--ignore-stdin",
        '--raw={"a": "it\'s $HOME"}',
        "--auth-type=digest",
        "--auth",
        "bob:p:w",
        "PUT",
        "https://api.example.com/hook?x=1",
        "Accept:*/*",
        "X-Empty;",
        "X-Eq:\\=1",
        "X-At:\\@/etc/passwd",
        "Content-Type:",
    ]


def test_httpie_snippet_unsets_the_json_default_without_a_content_type() -> None:
    argv = _argv(export_request(request("https://x.test/", body="a=1"), SnippetFormat.HTTPIE))
    assert argv[-1] == "Content-Type:"  # HTTPie would send application/json otherwise
    assert httpie_reads(argv[-1]) == ("Content-Type", ":", "")


def test_httpie_snippet_mentions_the_ntlm_plugin() -> None:
    rendered = request("https://x.test/", auth_type=AuthType.NTLM, username="u", password="p")
    text = export_request(rendered, SnippetFormat.HTTPIE)
    assert "httpie-ntlm" in text
    assert "--auth-type=ntlm" in _argv(text)


@given(_HEADER_NAMES, st.text(_VALUE_CHARS, min_size=1, max_size=20))
@example("X", "=@file")
@example("X", ":=1")
@example("X", "@")
@example("X", "a\\b")
def test_httpie_header_items_read_back_as_the_header(name: str, value: str) -> None:
    item = httpie_header(name, value)
    if re.search(r"\\[:;=@]", value):
        return  # HTTPie cannot say this; the snippet carries a note (tested below)
    assert httpie_reads(item) == (name, ":", value)


def test_httpie_snippet_notes_a_header_it_cannot_send_exactly() -> None:
    rendered = request("https://x.test/", headers=(("X-Path", "C:\\=odd"),))
    assert "check header X-Path" in export_request(rendered, SnippetFormat.HTTPIE)


# --- PowerShell -----------------------------------------------------------------------------


def test_powershell_snippet_text() -> None:
    rendered = request(
        "http://intranet.example/hook",
        headers=(("Content-Type", "application/json"), ("X-Key", "it's"), ("x-key", "two")),
        body='{"price": "$5 `n"}',
        auth_type=AuthType.BASIC,
        username="svc",
        password="pa'ss",
    )
    assert export_request(rendered, SnippetFormat.POWERSHELL) == (
        "# Send alert (Error), exported by Uptrends Studio\n"
        "# PowerShell 7 or later. Invoke-RestMethod adds its own User-Agent header unless the "
        "request sets one.\n"
        "# Header X-Key appears 2 times: its values are sent as one header, joined with ', '.\n"
        "$headers = [ordered]@{\n"
        "    'X-Key' = 'it''s, two'\n"
        "}\n"
        '$body = \'{"price": "$5 `n"}\'\n'
        "$password = ConvertTo-SecureString -String 'pa''ss' -AsPlainText -Force\n"
        "$credential = [System.Management.Automation.PSCredential]::new('svc', $password)\n"
        "# -SkipHeaderValidation sends the header values exactly as written.\n"
        "Invoke-RestMethod -Method Post -Uri 'http://intranet.example/hook' `\n"
        "    -Headers $headers `\n"
        "    -ContentType 'application/json' `\n"
        "    -Body ([System.Text.Encoding]::UTF8.GetBytes($body)) `\n"
        "    -Authentication Basic -Credential $credential `\n"
        "    -AllowUnencryptedAuthentication `\n"
        "    -SkipHeaderValidation\n"
    )


def test_powershell_snippet_for_digest_uses_the_challenge_and_warns_about_form_default() -> None:
    rendered = request(
        "https://x.test/", body="a", auth_type=AuthType.DIGEST, username="u", password="p"
    )
    text = export_request(rendered, SnippetFormat.POWERSHELL)
    assert "    -Credential $credential `\n" in text
    assert "-Authentication" not in text
    assert "-AllowUnencryptedAuthentication" not in text
    assert "application/x-www-form-urlencoded" in text  # the comment about PowerShell's default
    assert "-ContentType" not in text


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("plain", "'plain'"),
        ("it's", "'it''s'"),
        ("\u2018curly\u2019 \u201alow\u201b", "'\u2018\u2018curly\u2019\u2019 \u201a\u201alow"
                                            "\u201b\u201b'"),
        ('$env:PATH `n "x"', "'$env:PATH `n \"x\"'"),
        ("two\nlines", "'two\nlines'"),
    ],
)  # fmt: skip
def test_powershell_quoting(text: str, quoted: str) -> None:
    assert powershell_quote(text) == quoted


# --- Python ---------------------------------------------------------------------------------


@given(_TEXT)
def test_python_literal_is_a_literal_of_the_same_text(text: str) -> None:
    node = ast.parse(python_literal(text), mode="eval").body
    assert isinstance(node, ast.Constant)
    assert node.value == text


def test_python_snippet_imports_the_auth_it_needs() -> None:
    digest = request("https://x.test/", auth_type=AuthType.DIGEST, username="u", password="p")
    ntlm = replace(digest, auth_type=AuthType.NTLM)
    assert "auth=HTTPDigestAuth('u', 'p')" in export_request(digest, SnippetFormat.PYTHON)
    ntlm_text = export_request(ntlm, SnippetFormat.PYTHON)
    assert "from requests_ntlm import HttpNtlmAuth" in ntlm_text
    assert "auth=HttpNtlmAuth('u', 'p')" in ntlm_text
    assert "pip install requests requests-ntlm" in ntlm_text
    ast.parse(ntlm_text)


def test_comment_text_is_one_line() -> None:
    assert comment_text("a\nb\r\nc\u2028d\x0be  f") == "a b c d e f"


def test_formats_have_their_file_suffix() -> None:
    assert [f.file_suffix for f in SnippetFormat] == [".sh", ".sh", ".ps1", ".py"]
