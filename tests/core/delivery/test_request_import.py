"""Importing requests pasted from API docs: curl commands and raw HTTP messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.helpers import sample
from uptrends_studio.core.delivery.request_import import (
    ImportedRequest,
    parse_curl,
    parse_raw_http,
    parse_request_text,
    to_step,
)
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    AlertType,
    AuthType,
    Header,
    Integration,
)
from uptrends_studio.core.errors import RequestImportError, StudioError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import Renderer

FORM = ("Content-Type", "application/x-www-form-urlencoded")
JSON = ("Content-Type", "application/json")

PAGERDUTY_DOCS = """curl --request POST \\
  --url https://events.pagerduty.com/v2/enqueue \\
  --header 'Content-Type: application/json' \\
  --data '{
  "payload": {
    "summary": "DISK at 99% on machine prod-datapipe03.example.com",
    "severity": "critical",
    "source": "prod-datapipe03.example.com"
  },
  "routing_key": "samplekeyhere",
  "event_action": "trigger"
}'"""


def _r(
    method: str,
    url: str,
    headers: tuple[tuple[str, str], ...] = (),
    body: str = "",
    auth: tuple[AuthType, str, str] = (AuthType.NONE, "", ""),
    notes: tuple[str, ...] = (),
) -> ImportedRequest:
    return ImportedRequest(method, url, headers, body, *auth, notes=notes)


CURL_FORMS: list[tuple[str, str, ImportedRequest]] = [
    ("plain GET", "curl https://api.example.com/x", _r("GET", "https://api.example.com/x")),
    (
        "docs example, bash continuations",
        PAGERDUTY_DOCS,
        _r(
            "POST",
            "https://events.pagerduty.com/v2/enqueue",
            (JSON,),
            PAGERDUTY_DOCS.split("--data '", 1)[1][:-1],
        ),
    ),
    (
        "Windows cmd: ^ continuations, escaped double quotes",
        'curl -X POST "https://x.test/hook" ^\r\n  -H "Content-Type: application/json" ^\r\n'
        '  -d "{\\"text\\": \\"hi\\"}"',
        _r("POST", "https://x.test/hook", (JSON,), '{"text": "hi"}'),
    ),
    (
        "PowerShell: backtick continuations",
        "curl.exe -X PUT `\n  https://x.test/a `\n  --data-raw 'x'",
        _r("PUT", "https://x.test/a", (FORM,), "x"),
    ),
    (
        "attached values and combined flags",
        "curl -sSL -XPATCH -HX-Key:abc -d'a=1' https://x.test/",
        _r(
            "PATCH",
            "https://x.test/",
            (("X-Key", "abc"), FORM),
            "a=1",
            notes=(
                "-s (curl's progress output) was not imported.",
                "-S (curl's progress output) was not imported.",
                "-L (follow redirects) was not imported.",
            ),
        ),
    ),
    (
        "flags before a short option's separate value",
        "curl -kX DELETE https://x.test/1",
        _r(
            "DELETE",
            "https://x.test/1",
            notes=("-k (skip the TLS certificate check) was not imported.",),
        ),
    ),
    (
        "empty header with ';', removed header with ':'",
        "curl -H 'X-Empty;' -H 'Content-Type:' -d 'raw' https://x.test/",
        _r("POST", "https://x.test/", (("X-Empty", ""),), "raw"),
    ),
    (
        "data pieces joined with & and the form Content-Type",
        "curl -d a=1 --data-ascii b=2 --data-binary c=3 https://x.test/",
        _r("POST", "https://x.test/", (FORM,), "a=1&b=2&c=3"),
    ),
    (
        "an @ is literal in --data-raw",
        "curl --data-raw '@not-a-file' -H 'Content-Type: text/plain' https://x.test/",
        _r("POST", "https://x.test/", (("Content-Type", "text/plain"),), "@not-a-file"),
    ),
    (
        "data-urlencode forms",
        "curl --data-urlencode 'a b' --data-urlencode 'q=x&y z' --data-urlencode '=é' "
        "https://x.test/",
        _r("POST", "https://x.test/", (FORM,), "a%20b&q=x%26y%20z&%C3%A9"),
    ),
    (
        "--json sets Content-Type and Accept unless given",
        "curl --json '{\"a\": 1}' -H 'Accept: text/plain' https://x.test/",
        _r("POST", "https://x.test/", (("Accept", "text/plain"), JSON), '{"a": 1}'),
    ),
    (
        "-G moves the data into the query",
        "curl -G -d q=1 --data-urlencode 'n=a b' 'https://x.test/s?lang=en'",
        _r("GET", "https://x.test/s?lang=en&q=1&n=a%20b"),
    ),
    (
        "--url, -A, -b twice, -e",
        "curl --url https://x.test/ -A 'Bot/1.0' -b a=1 -b b=2 -e https://ref.test/",
        _r(
            "GET",
            "https://x.test/",
            (("User-Agent", "Bot/1.0"), ("Cookie", "a=1; b=2"), ("Referer", "https://ref.test/")),
        ),
    ),
    (
        "-H wins over -A",
        "curl -A a -H 'User-Agent: b' https://x.test/",
        _r("GET", "https://x.test/", (("User-Agent", "b"),)),
    ),
    (
        "Basic authentication",
        "curl -u 'user:pa:ss' https://x.test/",
        _r("GET", "https://x.test/", auth=(AuthType.BASIC, "user", "pa:ss")),
    ),
    (
        "Digest authentication",
        "curl --digest --user u:p https://x.test/",
        _r("GET", "https://x.test/", auth=(AuthType.DIGEST, "u", "p")),
    ),
    (
        "NTLM authentication",
        "curl --ntlm -u 'DOMAIN\\u:p' https://x.test/",
        _r("GET", "https://x.test/", auth=(AuthType.NTLM, "DOMAIN\\u", "p")),
    ),
    (
        "the last of --digest/--basic wins",
        "curl --digest --basic -u u:p https://x.test/",
        _r("GET", "https://x.test/", auth=(AuthType.BASIC, "u", "p")),
    ),
    (
        "a user without a password",
        "curl -u admin https://x.test/",
        _r(
            "GET",
            "https://x.test/",
            auth=(AuthType.BASIC, "admin", ""),
            notes=(
                "-u gives no password (curl would ask for it): enter it in the step's "
                "authentication.",
            ),
        ),
    ),
    (
        "--oauth2-bearer",
        "curl --oauth2-bearer tok https://x.test/",
        _r("GET", "https://x.test/", (("Authorization", "Bearer tok"),)),
    ),
    (
        "no scheme: http:// as curl does",
        "curl -X post example.com/api",
        _r(
            "POST",
            "http://example.com/api",
            notes=("the URL 'example.com/api' has no scheme: http:// was added, as curl does.",),
        ),
    ),
    (
        "bash $'...' quoting (Chrome's Copy as cURL)",
        "curl 'https://x.test/' --data-raw $'{\"a\":\"it\\'s\\\\n\\u00e9\"}\\n' "
        "-H 'content-type: application/json'",
        _r(
            "POST",
            "https://x.test/",
            (("content-type", "application/json"),),
            '{"a":"it\'s\\né"}\n',
        ),
    ),
    (
        "a prompt and a trailing comment",
        "$ curl https://x.test/ # fetch it",
        _r("GET", "https://x.test/"),
    ),
    (
        "shell variables stay as written, with a note",
        'curl -H "Authorization: Bearer $TOKEN" -H \'X-Lit: $NOT\' "https://x.test/${ID}"',
        _r(
            "GET",
            "https://x.test/${ID}",
            (("Authorization", "Bearer $TOKEN"), ("X-Lit", "$NOT")),
            notes=(
                "$TOKEN is a shell variable: it was imported as written; replace it with its "
                "value or a {{Variable}}.",
                "${ID} is a shell variable: it was imported as written; replace it with its "
                "value or a {{Variable}}.",
            ),
        ),
    ),
    (
        "double-quote escapes and a continuation inside quotes",
        'curl -d "cost: \\$5 \\`x\\` \\"q\\" \\\\ \\n" "https://x.test/a\\\nb"',
        _r("POST", "https://x.test/ab", (FORM,), 'cost: $5 `x` "q" \\ \\n'),
    ),
]


@pytest.mark.parametrize(
    ("command", "expected"), [c[1:] for c in CURL_FORMS], ids=[c[0] for c in CURL_FORMS]
)
def test_parse_curl(command: str, expected: ImportedRequest) -> None:
    assert parse_curl(command) == expected


CURL_REFUSALS: list[tuple[str, str]] = [
    ("curl -d @payload.json https://x.test/", "-d (argument 2) '@payload.json' reads the body"),
    ("curl --data-binary @body.bin https://x.test/", "--data-binary (argument 2) '@body.bin'"),
    ("curl --data-urlencode msg@file.txt https://x.test/", "--data-urlencode (argument 2)"),
    ("curl --json @event.json https://x.test/", "--json (argument 2) '@event.json' reads"),
    ("curl -F file=@a.png https://x.test/", "-F (argument 2) sends multipart form data"),
    ("curl --form-string a=b https://x.test/", "--form-string (argument 2) sends multipart"),
    ("curl -T report.csv https://x.test/", "-T (argument 2) uploads a file"),
    ("curl -K opts.cfg", "-K (argument 2) reads options from a file"),
    ("curl -n https://x.test/", "-n (argument 1) reads credentials from a file"),
    ("curl -b cookies.txt https://x.test/", "-b (argument 2) 'cookies.txt' reads cookies"),
    ("curl -H @headers.txt https://x.test/", "-H (argument 2) reads headers from a file"),
    ("curl -H 'NoColon' https://x.test/", "-H (argument 2): header 'NoColon' has no ':'"),
    ("curl -s -k -L -v --foo https://x.test/", "unknown curl option --foo (argument 5)"),
    ("curl --request=POST https://x.test/", "unknown curl option --request=POST (argument 1)"),
    ("curl -sZ https://x.test/", "unknown curl option -Z in -sZ (argument 1)"),
    ("curl https://x.test/ -H", "curl option -H (argument 2) is missing its value"),
    ("curl https://x.test/ --header", "curl option --header (argument 2) is missing its value"),
    ("curl -d 'abc https://x.test/", "the ' quote at line 1, column 9 is never closed"),
    ('curl https://x.test/ \\\n  -d "abc', 'the " quote at line 2, column 6 is never closed'),
    ("curl $'abc", "the $' quote at line 1, column 6 is never closed"),
    ("curl -X POST", "the curl command has no URL"),
    (
        "curl https://a.test/ -d x https://b.test/",
        "two URLs, 'https://a.test/' (argument 1) and 'https://b.test/' (argument 4)",
    ),
    ("wget https://x.test/", "does not start with curl (it starts with 'wget')"),
    ("", "does not start with curl"),
    ("curl -X HEAD https://x.test/", "HEAD is not a method Uptrends steps can send: use GET"),
    ("curl -I https://x.test/", "HEAD is not a method Uptrends steps can send"),
    ("curl -X OPTIONS https://x.test/", "OPTIONS is not a method Uptrends steps can send"),
    ("curl ftp://x.test/file", "'ftp://x.test/file' (argument 1) is not http:// or https://"),
    ("curl https://x.test/ | jq .", "shell operator '|' at line 1, column 22"),
    ("curl https://x.test/?a=1&b=2", "shell operator '&' at line 1, column 25"),
    ("curl https://x.test/ > out.json", "shell operator '>' at line 1, column 22"),
    ('curl -d "$(cat body.json)" https://x.test/', "$( at line 1, column 10 runs a command"),
    ("curl -d `cat body.json` https://x.test/", "a backtick at line 1, column 9 runs a command"),
    ("curl https://x.test/ --next https://y.test/", "--next (argument 2) starts a second request"),
]


@pytest.mark.parametrize(("command", "message"), CURL_REFUSALS)
def test_parse_curl_refuses_with_the_offending_part(command: str, message: str) -> None:
    with pytest.raises(RequestImportError) as caught:
        parse_curl(command)
    assert message in str(caught.value)
    assert isinstance(caught.value, StudioError)


def test_a_file_named_by_the_command_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "body.json"
    secret.write_text('{"password": "from-the-file"}', encoding="utf-8")
    for option in ("-d", "--data-binary", "--json", "--data-urlencode"):
        with pytest.raises(RequestImportError) as caught:
            parse_curl(f"curl {option} @{secret} https://x.test/")
        assert "from-the-file" not in str(caught.value)


# --- raw HTTP ---------------------------------------------------------------------------------

RAW_FORMS: list[tuple[str, str, ImportedRequest]] = [
    (
        "docs example with Host and CRLF",
        "POST /v2/enqueue HTTP/1.1\r\nHost: events.pagerduty.com\r\n"
        "Content-Type: application/json\r\nContent-Length: 27\r\n\r\n"
        '{\r\n  "event_action": "ack"\r\n}\r\n',
        _r(
            "POST",
            "https://events.pagerduty.com/v2/enqueue",
            (
                ("Host", "events.pagerduty.com"),
                JSON,
                ("Content-Length", "27"),
            ),
            '{\r\n  "event_action": "ack"\r\n}',
        ),
    ),
    (
        "absolute URL, no version, Basic header kept",
        "\n\nput http://x.test:8080/a?b=1\nAuthorization: Basic dTpw\n",
        _r("PUT", "http://x.test:8080/a?b=1", (("Authorization", "Basic dTpw"),)),
    ),
    (
        "folded header line",
        "GET /x HTTP/1.0\nHost: x.test\nX-Long: one\n  two\n\n",
        _r("GET", "https://x.test/x", (("Host", "x.test"), ("X-Long", "one two"))),
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in RAW_FORMS], ids=[c[0] for c in RAW_FORMS]
)
def test_parse_raw_http(text: str, expected: ImportedRequest) -> None:
    assert parse_raw_http(text) == expected


def test_parse_raw_http_default_scheme() -> None:
    assert parse_raw_http("GET /a HTTP/1.1\nHost: h.test\n", "http").url == "http://h.test/a"


RAW_REFUSALS: list[tuple[str, str]] = [
    ("POST /v2 HTTP/1.1\nContent-Type: a/b\n\n{}", "line 1: the request line has the path '/v2'"),
    ("\nHELLO WORLD FOO BAR\n", "line 2: 'HELLO WORLD FOO BAR' is not a request line"),
    ("HEAD / HTTP/1.1\nHost: x\n", "line 1: HEAD is not a method Uptrends steps can send"),
    ("POST / HTTP/1.1\nHost: x\nnot a header\n\nbody", "line 3: 'not a header' is not a header"),
    ("GET ftp://x.test/ HTTP/1.1\n", "line 1: 'ftp://x.test/' is not an http:// or https:// URL"),
    ("   \n", "there is no request line"),
]


@pytest.mark.parametrize(("text", "message"), RAW_REFUSALS)
def test_parse_raw_http_refuses_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(RequestImportError) as caught:
        parse_raw_http(text)
    assert message in str(caught.value)


# --- detection and steps -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        PAGERDUTY_DOCS,
        "  $ curl https://x.test/",
        "'curl' https://x.test/",
        "POST /a HTTP/1.1\nHost: x.test\n\nbody",
        "GET https://x.test/ HTTP/2",
    ],
)
def test_parse_request_text_dispatches(text: str) -> None:
    expected = parse_curl(text) if "curl" in text.split("\n")[0] else parse_raw_http(text)
    assert parse_request_text(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "there is nothing to import"),
        ("fetch('https://x.test')", "neither a curl command nor a raw HTTP request"),
        ("curl 'oops", "the ' quote at line 1, column 6"),
    ],
)
def test_parse_request_text_refuses(text: str, message: str) -> None:
    with pytest.raises(RequestImportError, match=message):
        parse_request_text(text)


def test_to_step_copies_the_request_and_drops_client_headers() -> None:
    imported = parse_raw_http(
        "POST /hook HTTP/1.1\nHost: x.test\nConnection: keep-alive\nContent-Length: 2\n"
        "Content-Type: application/json\nX-Key: k\n\n{}"
    )
    step = to_step(replace_auth(imported), "Imported")
    assert step.name == "Imported"
    assert step.alert_types == ALERT_TYPES
    assert step.method == "POST"
    assert step.url == "https://x.test/hook"
    assert step.headers == (Header("Content-Type", "application/json"), Header("X-Key", "k"))
    assert step.body == "{}"
    assert (step.authentication.type, step.authentication.username) == (AuthType.DIGEST, "u")
    assert step.authentication.password == "p"


def replace_auth(request: ImportedRequest) -> ImportedRequest:
    return ImportedRequest(
        request.method, request.url, request.headers, request.body, AuthType.DIGEST, "u", "p"
    )


def test_an_imported_docs_example_renders_as_sent(catalogue: Catalogue) -> None:
    step = to_step(parse_curl(PAGERDUTY_DOCS), "PagerDuty")
    integration = Integration(name="i", steps=(step,))
    [rendered] = Renderer(integration, catalogue).render_alert(AlertType.ERROR, sample())
    assert rendered.method == "POST"
    assert rendered.url == "https://events.pagerduty.com/v2/enqueue"
    assert rendered.headers == (JSON,)
    assert '"routing_key": "samplekeyhere"' in rendered.body
    assert not [d for d in rendered.diagnostics if d.severity.name == "ERROR"]
