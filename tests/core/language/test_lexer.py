"""The template lexer: token kinds by name, nesting, and the body language around tokens."""

from __future__ import annotations

import itertools

import pytest
from pygments.token import Name, String, Token, is_token_subtype

from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.language.lexer import (
    ARGUMENT,
    BRACE,
    FUNCTION,
    PREDEFINED_VARIABLE,
    SYSTEM_VARIABLE,
    UNKNOWN,
    USER_FUNCTION,
    VAULT,
    Kind,
    TemplateLexer,
    highlight_spans,
)

PREDEFINED = {"ApiUrl"}
FUNCTIONS = {"sev"}


def kinds(text: str, catalogue: Catalogue, content: str = "text") -> dict[str, str]:
    """Text of each span -> its kind (the first span wins for repeated texts)."""
    spans = highlight_spans(text, content, catalogue, PREDEFINED, FUNCTIONS)
    found: dict[str, str] = {}
    for start, end, kind in spans:
        found.setdefault(text[start:end], kind)
    return found


def kind_of(text: str, part: str, catalogue: Catalogue, content: str = "text") -> str:
    """The kind of every character of the first occurrence of ``part`` (they must agree)."""
    start = text.index(part)
    spans = highlight_spans(text, content, catalogue, PREDEFINED, FUNCTIONS)
    covering = {k for s, e, k in spans if s < start + len(part) and e > start}
    assert len(covering) == 1, covering
    return covering.pop()


@pytest.mark.parametrize(
    ("source", "name", "kind"),
    [
        ("{{@alert.type}}", "@alert.type", Kind.SYSTEM_VARIABLE),
        ("{{@ALERT.TYPE}}", "@ALERT.TYPE", Kind.SYSTEM_VARIABLE),  # case: a warning, not unknown
        ("{{ApiUrl}}", "ApiUrl", Kind.PREDEFINED_VARIABLE),
        ("{{@RandomGuid}}", "@RandomGuid", Kind.FUNCTION),
        ("{{@JsonEncode(x)}}", "@JsonEncode", Kind.FUNCTION),
        ("{{@CustomField(Team)}}", "@CustomField", Kind.FUNCTION),
        ("{{sev(x)}}", "sev", Kind.USER_FUNCTION),
        ("{{@VaultItem.0f8e-11.Password}}", "@VaultItem.0f8e-11.Password", Kind.VAULT),
        ("{{@VaultItem.0f8e-11.Secret}}", "@VaultItem.0f8e-11.Secret", Kind.UNKNOWN),
        ("{{@alert.descripton}}", "@alert.descripton", Kind.UNKNOWN),
        ("{{ApiUlr}}", "ApiUlr", Kind.UNKNOWN),
        ("{{nope(x)}}", "nope", Kind.UNKNOWN),
        ("{{@Nope(x)}}", "@Nope", Kind.UNKNOWN),
        ("{{@alert.ty\u200bpe}}", "@alert.ty\u200bpe", Kind.UNKNOWN),
    ],
)
def test_token_kinds(source: str, name: str, kind: Kind, catalogue: Catalogue) -> None:
    assert kind_of(source, name, catalogue) == kind


def test_braces_and_arguments(catalogue: Catalogue) -> None:
    text = "{{@JsonEncode(a, b)}}"
    spans = highlight_spans(text, "text", catalogue, PREDEFINED, FUNCTIONS)
    assert [(text[s:e], k) for s, e, k in spans] == [
        ("{{", Kind.BRACE),
        ("@JsonEncode", Kind.FUNCTION),
        ("(", Kind.BRACE),
        ("a, b", Kind.ARGUMENT),
        (")}}", Kind.BRACE),
    ]


def test_nested_tokens_each_get_their_kind(catalogue: Catalogue) -> None:
    text = "{{@JsonEncode({{@monitor.notes}})}} {{sev({{ApiUrl}}-{{@bad}})}}"
    assert kind_of(text, "@JsonEncode", catalogue) == Kind.FUNCTION
    assert kind_of(text, "@monitor.notes", catalogue) == Kind.SYSTEM_VARIABLE
    assert kind_of(text, "sev", catalogue) == Kind.USER_FUNCTION
    assert kind_of(text, "ApiUrl", catalogue) == Kind.PREDEFINED_VARIABLE
    assert kind_of(text, "-", catalogue) == Kind.ARGUMENT
    assert kind_of(text, "{{@bad}}", catalogue) == Kind.UNKNOWN
    assert kind_of(text, "}})}}", catalogue) == Kind.BRACE


def test_unknown_token_is_red_as_a_whole_but_its_neighbours_are_not(catalogue: Catalogue) -> None:
    text = "a {{@nope}} {{@alert.type}}"
    spans = highlight_spans(text, "text", catalogue, PREDEFINED, FUNCTIONS)
    assert (2, 11, Kind.UNKNOWN) in spans
    assert (12, 14, Kind.BRACE) in spans


def test_names_are_open_when_the_integration_is_not_known(catalogue: Catalogue) -> None:
    spans = highlight_spans("{{Anything}}{{fn(x)}}", "text", catalogue, None, None)
    assert {k for _, _, k in spans} >= {Kind.PREDEFINED_VARIABLE, Kind.USER_FUNCTION}


def test_json_body_around_tokens(catalogue: Catalogue) -> None:
    text = '{"title": "Down: {{@monitor.name}} now", "n": {{@alert.numberOfConsecutiveErrors}}}'
    found = kinds(text, catalogue, "json")
    assert found['"title"'] == Kind.KEY
    # The string is one string although a token sits inside it.
    assert found['"Down: '] == Kind.STRING
    assert found[' now"'] == Kind.STRING
    assert found["@monitor.name"] == Kind.SYSTEM_VARIABLE
    assert found["@alert.numberOfConsecutiveErrors"] == Kind.SYSTEM_VARIABLE
    assert found["}"] == Kind.PUNCTUATION


def test_json_strings_numbers_and_keywords(catalogue: Catalogue) -> None:
    text = '{"a": [1.5, true, null, "x"]}'
    found = kinds(text, catalogue, "json")
    assert found["1.5"] == Kind.NUMBER
    assert found["true"] == Kind.KEYWORD
    assert found['"x"'] == Kind.STRING


def test_xml_and_form_bodies(catalogue: Catalogue) -> None:
    xml = kinds('<alert type="{{@alert.type}}"><!-- c --></alert>', catalogue, "xml")
    assert xml["@alert.type"] == Kind.SYSTEM_VARIABLE
    assert Kind.TAG in xml.values()
    assert Kind.COMMENT in xml.values()
    form = kinds("type={{@alert.type}}&name=x", catalogue, "form")
    assert form["type"] == Kind.KEY
    assert form["&"] == Kind.PUNCTUATION
    assert form["@alert.type"] == Kind.SYSTEM_VARIABLE


@pytest.mark.parametrize("content", ["json", "xml", "form", "text", "other"])
@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain",
        '{"a": "{{@alert.type}}"}',
        "{{ unclosed {{@alert.type}} }} {{@JsonEncode(",
        "{{{@alert.type}}}",
        "x\n{{@JsonEncode(line1\nline2)}}\ny",
        "\U0001f600{{@alert.type}}",
    ],
)
def test_spans_cover_the_text_exactly(text: str, content: str, catalogue: Catalogue) -> None:
    spans = highlight_spans(text, content, catalogue, PREDEFINED, FUNCTIONS)
    assert "".join(text[s:e] for s, e, _ in spans) == text
    assert all(s < e for s, e, _ in spans)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))


def test_pygments_lexer_yields_uptrends_token_types(catalogue: Catalogue) -> None:
    lexer = TemplateLexer(
        content="json", predefined=["ApiUrl"], functions=["sev"], catalogue=catalogue
    )
    text = (
        '{"u": "{{ApiUrl}}", "s": "{{sev({{@alert.type}} x)}}", "v": "{{@VaultItem.g.Username}}",'
        ' "e": "{{@XmlEncode({{@nope}})}}"}\n'
    )
    tokens = list(lexer.get_tokens(text))
    assert "".join(value for _, value in tokens) == text
    by_value: dict[str, object] = {}
    for ttype, value in tokens:
        by_value.setdefault(value, ttype)
    assert by_value["ApiUrl"] is PREDEFINED_VARIABLE
    assert by_value["sev"] is USER_FUNCTION
    assert by_value["@alert.type"] is SYSTEM_VARIABLE
    assert by_value[" x"] is ARGUMENT
    assert by_value["@VaultItem.g.Username"] is VAULT
    assert by_value["@XmlEncode"] is FUNCTION
    assert by_value["@nope"] is UNKNOWN
    assert by_value["{{"] is BRACE
    assert (Name.Tag, '"u"') in tokens
    assert (String.Double, '"') in tokens
    assert is_token_subtype(BRACE, Token.Uptrends)


def test_pygments_lexer_defaults_to_plain_text_and_the_shipped_catalogue() -> None:
    tokens = list(TemplateLexer().get_tokens('{"a": {{@alert.type}}}'))
    assert (SYSTEM_VARIABLE, "@alert.type") in tokens
    assert (Token.Text, '{"a": ') in tokens
