"""Property tests: the parser, renderer, encoders and loaders hold up on any input.

The template editor re-parses and re-renders on every keystroke and the loaders read whatever file
a user opens, so none of them may crash, hang or lose text. Example counts come from the
hypothesis profile in ``tests/conftest.py`` (``CI=1`` fuzzes hardest).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import operator
import re
import time
import urllib.parse
from collections.abc import Callable
from typing import Any, TypeVar

import jwt
from hypothesis import given
from hypothesis import strategies as st

from uptrends_studio.core.document import integration_file, jsonfile
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    HASH_ALGORITHMS,
    HTTP_METHODS,
    JWT_ALGORITHMS,
    Authentication,
    AuthType,
    HashFunction,
    Header,
    Integration,
    JwtFunction,
    MappingEntry,
    MappingFunction,
    RegexFunction,
    Step,
    UserFunction,
    Variable,
    VariableMode,
    VaultField,
    VaultRef,
)
from uptrends_studio.core.document.samples import (
    alert_data,
    find_sample,
    sample_from_document,
    sample_to_document,
)
from uptrends_studio.core.errors import FileFormatError, StudioError
from uptrends_studio.core.language import functions as fn
from uptrends_studio.core.language.catalogue import load_catalogue
from uptrends_studio.core.language.evaluator import MAX_OUTPUT_CHARS, Rendered, render
from uptrends_studio.core.language.parser import MAX_DEPTH, Node, Text, is_reference_name, parse
from uptrends_studio.core.rendering.messages import Renderer
from uptrends_studio.core.secret_store import without_secret_values
from uptrends_studio.paths import resource_path

T = TypeVar("T")

CATALOGUE = load_catalogue()
DEMO_TEXT = resource_path("demo.integration.json").read_text(encoding="utf-8")
DEMO = integration_file.loads(DEMO_TEXT)
SAMPLE_TEXT = resource_path("samples", "https.sample.json").read_text(encoding="utf-8")
SCOPE = Renderer(DEMO, CATALOGUE).scope(
    alert_data(find_sample("https", CATALOGUE), ALERT_TYPES[0], CATALOGUE)
)
SLOW = 10.0
"""Seconds; far above the real cost (well under one second), only catches runaway work."""

# -- strategies ----------------------------------------------------------------------------------

_PIECES = [
    "{{",
    "}}",
    "{{{",
    ")}}",
    ") }}",
    "{",
    "}",
    "(",
    ")",
    "@",
    ",",
    ".",
    " ",
    "\t",
    "\n",
    "\r\n",
    '"',
    "\\",
    "&amp;",
    "&#x41;",
    "\u200b",
    "\ufeff",
    "\u00ad",
    "\u200e",
    "ApiUrl",
    "apiurl",
    "Team",
    "severity",
    "Alert",
    "ISO",
    "UNIX",
    "yyyy-MM-dd HH:mm",
    "-3600",
    "LastDayOfMonth",
    "ComponentId",
    "@VaultItem.0b7e.Password",
    "@vaultitem.0b7e.username",
    "@VaultItem.0b7e.Pin",
    "@CustomField",
    "@alert.TYPE",
    *(f.name for f in CATALOGUE.functions),
    *(v.name for v in CATALOGUE.variables),
]
_PIECE = st.one_of(st.sampled_from(_PIECES), st.text(max_size=4))
TEMPLATE_TEXT = st.lists(_PIECE, max_size=40).map("".join)
"""Text made mostly of the template language's own characters and names."""
TEMPLATES = st.one_of(st.text(), TEMPLATE_TEXT)

JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every place in a JSON document (the root included)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _mutated(text: str) -> st.SearchStrategy[Any]:
    """A valid document with one field replaced by any JSON value, or removed."""
    document = json.loads(text)

    def mutate(path: tuple[str | int, ...], value: Any, remove: bool) -> Any:
        if not path:
            return value
        result = copy.deepcopy(document)
        parent = result
        for key in path[:-1]:
            parent = parent[key]
        if remove:
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
        return result

    return st.builds(mutate, st.sampled_from(_paths(document)), JSON_VALUES, st.booleans())


def _with_header(fmt: str) -> st.SearchStrategy[dict[str, Any]]:
    """Documents that pass the format/version check, with any other fields."""
    return st.dictionaries(st.text(max_size=20), JSON_VALUES, max_size=6).map(
        lambda d: {**d, "format": fmt, "version": 1}
    )


def _assert_loads_or_reports(load: Callable[[], T]) -> T | None:
    """Call ``load``; the project's own errors are fine (and must say something), others fail."""
    try:
        return load()
    except StudioError as exc:
        error = exc
    assert str(error)
    assert not isinstance(error, FileFormatError) or error.problem
    return None


# -- parser --------------------------------------------------------------------------------------


def _check_tiling(nodes: tuple[Node, ...], source: str, start: int, end: int) -> None:
    """``nodes`` cover ``source[start:end]`` exactly, in order, without gaps or overlaps."""
    pos = start
    for node in nodes:
        assert node.start == pos < node.end <= end
        if isinstance(node, Text):
            assert node.text == source[node.start : node.end]
        else:
            assert source.startswith("{{", node.start)
            assert source.startswith("}}", node.end - 2)
            assert node.start + 2 <= node.name_start <= node.name_end <= node.end - 2
            assert source[node.name_start : node.name_end] == node.name
            if node.args is not None:
                assert source[node.args_start - 1] == "("
                assert source[node.args_end] == ")"
                _check_tiling(node.args, source, node.args_start, node.args_end)
        pos = node.end
    assert pos == end


@given(TEMPLATES)
def test_parse_never_raises_and_nodes_tile_the_source(source: str) -> None:
    template = parse(source)
    assert template.source == source
    assert "".join(source[node.start : node.end] for node in template.nodes) == source
    _check_tiling(template.nodes, source, 0, len(source))
    for issue in template.issues:
        assert 0 <= issue.start < issue.end <= len(source)


# -- rendering -----------------------------------------------------------------------------------

_LITERAL = st.text(alphabet=st.characters(exclude_characters="{}"), max_size=12)
_UNKNOWN_NAME = st.builds(
    operator.add,
    st.sampled_from(["@zz", "zz", "@Zz.", "Nope"]),
    st.text(alphabet="azAZ09_.-", max_size=10),
)
_UNKNOWN_TOKEN = st.recursive(
    _UNKNOWN_NAME.map(lambda name: "{{" + name + "}}"),
    lambda inner: st.builds(
        lambda name, args: "{{" + name + "(" + args + ")}}",
        _UNKNOWN_NAME,
        st.lists(_LITERAL | inner, max_size=4).map("".join),
    ),
    max_leaves=8,
)


@given(st.lists(st.tuples(_LITERAL, _UNKNOWN_TOKEN), max_size=8), _LITERAL)
def test_unknown_tokens_are_sent_as_written(pieces: list[tuple[str, str]], tail: str) -> None:
    source = "".join(text + token for text, token in pieces) + tail
    template = parse(source)
    assert template.issues == ()
    rendered = render(template, SCOPE, "body")
    assert rendered.text == source
    # Each top-level token is underlined once (nested ones are part of the verbatim text).
    assert [d.code for d in rendered.diagnostics if d.code.startswith("unknown-")] == [
        "unknown-function" if "(" in token.split("}}", 1)[0] else "unknown-variable"
        for _, token in pieces
    ]


@given(TEMPLATES.map(lambda text: re.sub(r"\{+", "{", text)), st.booleans())
def test_text_without_tokens_renders_unchanged(source: str, form_encode: bool) -> None:
    rendered = render(parse(source), SCOPE, "body", form_encode=form_encode)
    assert rendered.text == source
    assert rendered.diagnostics == ()


def _check_rendered(rendered: Rendered, source: str) -> None:
    for diagnostic in rendered.diagnostics:
        assert 0 <= diagnostic.start <= diagnostic.end <= len(source), diagnostic
        for fix in diagnostic.fixes:
            assert 0 <= fix.start <= fix.end <= len(source), fix
    # The source map covers the output and literal text maps character for character.
    out = 0
    for segment in rendered.segments:
        assert segment.out_start == out <= segment.out_end
        assert 0 <= segment.src_start < segment.src_end <= len(source)
        if segment.literal:
            piece = rendered.text[segment.out_start : segment.out_end]
            assert piece == source[segment.src_start : segment.src_end]
        out = segment.out_end
    assert out == len(rendered.text)


@given(TEMPLATES, st.booleans())
def test_render_never_raises_and_diagnostics_point_into_the_template(
    source: str, form_encode: bool
) -> None:
    rendered = render(parse(source), SCOPE, "body", form_encode=form_encode)
    _check_rendered(rendered, source)


def test_deep_nesting_is_reported_and_kept_as_text() -> None:
    levels = 10_000
    source = "{{@JsonEncode(" * levels + "x" + ")}}" * levels
    started = time.perf_counter()
    template = parse(source)
    rendered = render(template, SCOPE, "body")
    assert time.perf_counter() - started < SLOW
    assert {issue.code for issue in template.issues} == {"too-deep"}
    # One report, at the first "{{" that is too deep (not one per excess level).
    assert [issue.start for issue in template.issues] == [len("{{@JsonEncode(") * MAX_DEPTH]
    assert {d.code for d in rendered.diagnostics} == {"too-deep"}
    # The outer MAX_DEPTH calls are evaluated (JsonEncode keeps these characters); the excess
    # is sent as written.
    excess = levels - MAX_DEPTH
    assert rendered.text == "{{@JsonEncode(" * excess + "x" + ")}}" * excess
    _check_rendered(rendered, source)


def test_ten_megabyte_body_renders() -> None:
    blob = ("lorem {ipsum} (dolor), sit @amet } ) " * 300_000)[:10_000_000]
    source = '{"type": "{{@alert.type}}", "a": "BLOB", "b": "{{@JsonEncode(BLOB)}}"}'.replace(
        "BLOB", blob
    )
    started = time.perf_counter()
    rendered = render(parse(source), SCOPE, "body")
    assert time.perf_counter() - started < SLOW
    assert rendered.diagnostics == ()
    assert rendered.text == '{"type": "Alert", "a": "BLOB", "b": "BLOB"}'.replace("BLOB", blob)


def test_exponential_output_is_stopped() -> None:
    # Each @JsonEncode doubles the backslashes: 2**31 characters if nothing stopped it.
    source = "{{@JsonEncode(" * 31 + "\\" + ")}}" * 31
    started = time.perf_counter()
    rendered = render(parse(source), SCOPE, "body")
    assert time.perf_counter() - started < SLOW
    assert [d.code for d in rendered.diagnostics] == ["output-too-large"]
    assert rendered.text == ""


def test_output_limit_applies_to_many_large_values() -> None:
    token = "{{@alert.responseBody}}"
    count = MAX_OUTPUT_CHARS // len(SCOPE.values["@alert.responseBody"]) + 1
    rendered = render(parse(token * count), SCOPE, "body")
    assert [d.code for d in rendered.diagnostics] == ["output-too-large"]
    assert rendered.text == ""


# -- encoding functions --------------------------------------------------------------------------


@given(st.text())
def test_json_encode_gives_the_inside_of_a_json_string(text: str) -> None:
    encoded = fn.json_encode(text)
    assert json.loads('"' + encoded + '"') == text
    assert fn.json_decode(encoded) == text


@given(st.text())
def test_xml_encode_round_trips(text: str) -> None:
    encoded = fn.xml_encode(text)
    assert not set("<>\"'") & set(encoded)
    assert fn.xml_decode(encoded) == text


@given(st.text())
def test_base64_and_url_encoding_round_trip(text: str) -> None:
    assert fn.base64_decode(fn.base64_encode(text)) == text
    assert urllib.parse.unquote_plus(fn.url_encode(text)) == text


@given(st.binary())
def test_hex_to_base64_matches_the_bytes(data: bytes) -> None:
    assert base64.b64decode(fn.hex_to_base64(data.hex().upper())) == data


# -- loaders -------------------------------------------------------------------------------------


@given(st.one_of(st.text(), TEMPLATE_TEXT, JSON_VALUES.map(json.dumps)))
def test_integration_loads_raises_only_studio_errors(text: str) -> None:
    _assert_loads_or_reports(lambda: integration_file.loads(text))


@given(st.one_of(st.binary(), TEMPLATE_TEXT.map(lambda text: text.encode("utf-16"))))
def test_integration_bytes_raise_only_studio_errors(raw: bytes) -> None:
    # What load() does with the bytes of a file.
    _assert_loads_or_reports(
        lambda: integration_file.from_document(jsonfile.parse_json_bytes(raw, "x"), "x")
    )


def _assert_integration_round_trips(document: Any) -> None:
    integration = _assert_loads_or_reports(lambda: integration_file.loads(json.dumps(document)))
    if integration is not None:
        # Whatever opens, saves to a file that opens to the same integration: nothing is lost.
        assert integration_file.loads(integration_file.dumps(integration)) == (
            without_secret_values(integration)
        )


@given(st.one_of(_with_header(integration_file.FORMAT), JSON_VALUES))
def test_integration_documents_raise_only_studio_errors(document: Any) -> None:
    _assert_integration_round_trips(document)


@given(_mutated(DEMO_TEXT))
def test_mutated_demo_integration_raises_only_studio_errors(document: Any) -> None:
    _assert_integration_round_trips(document)


def _assert_sample_round_trips(document: Any) -> None:
    sample = _assert_loads_or_reports(
        lambda: sample_from_document(document, "x.sample.json", CATALOGUE)
    )
    if sample is not None:
        # Whatever opens, saves to a file that opens to the same sample set.
        saved = json.loads(jsonfile.dumps(sample_to_document(sample)))
        assert sample_from_document(saved, "x.sample.json", CATALOGUE) == sample


@given(st.one_of(_with_header("uptrends-studio.sample"), JSON_VALUES))
def test_sample_documents_raise_only_studio_errors(document: Any) -> None:
    _assert_sample_round_trips(document)


@given(_mutated(SAMPLE_TEXT))
def test_mutated_sample_raises_only_studio_errors(document: Any) -> None:
    _assert_sample_round_trips(document)


# -- save and load -------------------------------------------------------------------------------

_NAME = st.text(min_size=1, max_size=12).filter(str.strip)
_VARIABLES = st.lists(
    st.builds(
        Variable,
        name=_NAME,
        mode=st.sampled_from(VariableMode),
        value=st.text(),
        secret=st.booleans(),
        description=st.text(max_size=10),
    )
    | st.builds(
        # A vault reference replaces the value (the loader refuses both).
        Variable,
        name=_NAME,
        mode=st.sampled_from(VariableMode),
        secret=st.booleans(),
        vault=st.builds(VaultRef, item=st.text(max_size=12), field=st.sampled_from(VaultField)),
        description=st.text(max_size=10),
    ),
    max_size=4,
    unique_by=lambda v: v.name,
)
_AUTH = st.builds(
    Authentication,
    type=st.sampled_from(AuthType),
    username=st.text(max_size=12),
    password=st.text(max_size=12),
)
_STEPS = st.lists(
    st.builds(
        Step,
        name=st.text(max_size=12),
        alert_types=st.sets(st.sampled_from(ALERT_TYPES)).map(
            lambda types: tuple(t for t in ALERT_TYPES if t in types)
        ),
        method=st.sampled_from(HTTP_METHODS),
        url=st.text(max_size=20),
        headers=st.lists(
            st.builds(Header, name=st.text(max_size=10), value=st.text(max_size=10)), max_size=3
        ).map(tuple),
        body=TEMPLATES,
        authentication=_AUTH,
    ),
    max_size=3,
).map(tuple)
_FUNCTION_NAME = _NAME.filter(is_reference_name)
_FUNCTIONS: st.SearchStrategy[list[UserFunction]] = st.lists(
    st.one_of(
        st.builds(
            MappingFunction,
            name=_FUNCTION_NAME,
            mapping=st.lists(st.builds(MappingEntry, st.text(), st.text()), max_size=3).map(tuple),
        ),
        st.builds(RegexFunction, name=_FUNCTION_NAME, pattern=st.text(max_size=12)),
        st.builds(
            HashFunction,
            name=_FUNCTION_NAME,
            algorithm=st.sampled_from(HASH_ALGORITHMS),
            key=st.text(max_size=12),
        ),
        st.builds(
            JwtFunction,
            name=_FUNCTION_NAME,
            algorithm=st.sampled_from(JWT_ALGORITHMS),
            # A key typed as text is a secret (kept out of the file); a template is not.
            key=st.text(max_size=12) | st.text(max_size=6).map(lambda t: "{{" + t + "}}"),
            header=st.text(max_size=12),
        ),
    ),
    max_size=3,
    unique_by=lambda f: f.name,
)
INTEGRATIONS = st.builds(
    Integration,
    name=st.text(max_size=20),
    integration_type=st.text(max_size=20),
    description=st.text(max_size=20),
    variables=_VARIABLES.map(tuple),
    steps=_STEPS,
    functions=_FUNCTIONS.map(tuple),
)


@given(INTEGRATIONS)
def test_save_and_load_round_trip(integration: Integration) -> None:
    text = integration_file.dumps(integration)
    assert text.endswith("}\n")
    loaded = integration_file.loads(text)
    # Secret values are kept out of the file (docs/file-format.md, "Secret values").
    assert loaded == without_secret_values(integration)
    assert integration_file.loads(integration_file.dumps(loaded)) == loaded


# -- JWT encode ---------------------------------------------------------------------------------

_REGISTERED = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"}
_CLAIMS = st.dictionaries(
    st.text(max_size=8),
    st.one_of(
        st.text(max_size=12),
        st.integers(-(2**53), 2**53),
        st.booleans(),
        st.none(),
        st.lists(st.text(max_size=5), max_size=3),
    ),
    max_size=5,
).filter(lambda claims: not _REGISTERED & set(claims))
"""Private claims: PyJWT checks the types of the registered ones (iss must be a string, ...)."""


@given(
    _CLAIMS,
    st.sampled_from([a for a in JWT_ALGORITHMS if a.startswith("HS")]),
    st.text(min_size=64, max_size=80),
    st.dictionaries(st.sampled_from(["kid", "cty", "x5t"]), st.text(max_size=8), max_size=2),
)
def test_jwt_encode_verifies_and_decodes_to_the_claims(
    claims: dict[str, Any], algorithm: str, key: str, header: dict[str, str]
) -> None:
    function = JwtFunction("token", algorithm, key, json.dumps(header) if header else "")
    token = fn.apply_user_function(function, json.dumps(claims), key, function.header)
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", token)
    decoded = jwt.decode(
        token,
        key.encode("utf-8", "surrogatepass"),
        algorithms=[algorithm],
    )
    assert decoded == claims
    assert jwt.get_unverified_header(token) == {"alg": algorithm, "typ": "JWT", **header}


@given(st.one_of(TEMPLATE_TEXT, JSON_VALUES.map(json.dumps)), st.text(max_size=70))
def test_jwt_encode_raises_only_function_errors(claims: str, key: str) -> None:
    for algorithm in ("HS256", "RS256", "ES256"):
        with contextlib.suppress(fn.FunctionError):
            fn.jwt_encode(algorithm, claims, key, claims)
