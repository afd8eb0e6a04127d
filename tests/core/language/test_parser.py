"""Parser: brace balancing, nested tokens, spans, and never failing on broken text."""

from __future__ import annotations

import pytest

from uptrends_studio.core.language.parser import (
    MAX_DEPTH,
    Text,
    Token,
    iter_tokens,
    parse,
    split_arguments,
)


def shape(source: str) -> list[str]:
    """Top-level nodes as 'T:text' / 'K:name' / 'C:name(...)' strings."""
    out = []
    for node in parse(source).nodes:
        if isinstance(node, Text):
            out.append(f"T:{node.text}")
        elif node.is_call:
            out.append(f"C:{node.name}")
        else:
            out.append(f"K:{node.name}")
    return out


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{@alert.description}}", ["K:@alert.description"]),
        ("{{ApiUrl}}/x", ["K:ApiUrl", "T:/x"]),
        ("{{@JsonEncode({{@monitor.notes}})}}", ["C:@JsonEncode"]),
        ('{"a":{"b":1}}', ['T:{"a":{"b":1}}']),
        ("{{{ApiUrl}}}", ["T:{", "K:ApiUrl", "T:}"]),
        ('{"x":{{{@alert.type}}}}', ['T:{"x":{', "K:@alert.type", "T:}}"]),
        ("a }} b", ["T:a }} b"]),
        ("{{@VaultItem.0f8e.Password}}", ["K:@VaultItem.0f8e.Password"]),
    ],
)
def test_top_level_structure(source: str, expected: list[str]) -> None:
    assert shape(source) == expected


def test_nested_call_ends_at_its_own_close_and_keeps_spans() -> None:
    source = 'x {{@JsonEncode({"k":{{@monitor.notes}}})}} y'
    template = parse(source)
    outer = template.nodes[1]
    assert isinstance(outer, Token)
    assert source[outer.start : outer.end] == '{{@JsonEncode({"k":{{@monitor.notes}}})}}'
    assert outer.args is not None
    assert [type(n).__name__ for n in outer.args] == ["Text", "Token", "Text"]
    inner = outer.args[1]
    assert isinstance(inner, Token)
    assert source[inner.start : inner.end] == "{{@monitor.notes}}"
    assert source[inner.name_start : inner.name_end] == "@monitor.notes"
    assert template.issues == ()


def test_argument_text_may_contain_braces_and_parentheses() -> None:
    template = parse('{{@JsonEncode({"a":{"b":"(1)"}})}}')
    token = template.nodes[0]
    assert isinstance(token, Token)
    assert token.args is not None
    assert [n.text for n in token.args if isinstance(n, Text)] == ['{"a":{"b":"(1)"}}']


def test_first_paren_close_braces_ends_a_call() -> None:
    # Documented rule (docs/semantics.md): a call ends at the first ")}}" outside nested tokens.
    template = parse("{{@JsonEncode(f(x)}})}}")
    token = template.nodes[0]
    assert isinstance(token, Token)
    assert token.args is not None
    assert [n.text for n in token.args if isinstance(n, Text)] == ["f(x"]
    assert template.nodes[1] == Text(")}}", 20, 23)


@pytest.mark.parametrize(
    ("source", "code", "start"),
    [
        ('{"a": "{{@alert.type"}', "unclosed-token", 7),
        ("x {{@JsonEncode(abc}}", "unclosed-call", 2),
        ("{{ {{ApiUrl}}", "unclosed-token", 0),
    ],
)
def test_broken_braces_are_reported_and_text_is_kept(source: str, code: str, start: int) -> None:
    template = parse(source)
    assert [(i.code, i.start) for i in template.issues] == [(code, start)]
    rebuilt = "".join(source[n.start : n.end] for n in template.nodes)
    assert rebuilt == source


def test_text_after_an_unclosed_token_is_still_parsed() -> None:
    template = parse("{{ {{ApiUrl}}")
    assert [n.name for n in iter_tokens(template.nodes)] == ["ApiUrl"]


def test_whitespace_and_junk_are_recorded() -> None:
    spaced = parse("{{ @alert.type }}").nodes[0]
    junk = parse("{{@alert type}}").nodes[0]
    assert isinstance(spaced, Token)
    assert spaced.spaced
    assert spaced.name == "@alert.type"
    assert isinstance(junk, Token)
    assert junk.junk == "type"


def test_nesting_deeper_than_the_limit_is_reported_not_recursed() -> None:
    depth = MAX_DEPTH + 10
    source = "{{@JsonEncode(" * depth + "x" + ")}}" * depth
    template = parse(source)
    assert any(i.code == "too-deep" for i in template.issues)
    assert "".join(source[n.start : n.end] for n in template.nodes) == source


@pytest.mark.parametrize(
    ("args", "max_parts", "from_right", "expected"),
    [
        ("dd-MM-yyyy HH:mm,-18000", 2, True, ["dd-MM-yyyy HH:mm", "-18000"]),
        ("dddd, MMMM d,3600", 2, True, ["dddd, MMMM d", "3600"]),
        ("1,100", 2, False, ["1", "100"]),
        ("a,b,c", 2, False, ["a", "b,c"]),
        ("ISO", 2, True, ["ISO"]),
    ],
)
def test_split_arguments(args: str, max_parts: int, from_right: bool, expected: list[str]) -> None:
    token = parse("{{@f(" + args + ")}}").nodes[0]
    assert isinstance(token, Token)
    assert token.args is not None
    parts = split_arguments(token.args, max_parts=max_parts, from_right=from_right)
    assert ["".join(n.text for n in p if isinstance(n, Text)) for p in parts] == expected


def test_commas_inside_nested_tokens_never_split() -> None:
    token = parse("{{@RandomInt({{x(a,b)}},9)}}").nodes[0]
    assert isinstance(token, Token)
    assert token.args is not None
    parts = split_arguments(token.args, max_parts=2)
    assert len(parts) == 2
    assert isinstance(parts[0][0], Token)
    assert parts[0][0].name == "x"
