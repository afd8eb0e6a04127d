"""Format JSON: only whitespace outside strings changes; tokens and strings are kept."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uptrends_studio.core.document.json_format import format_edit, format_json_template
from uptrends_studio.core.language.parser import iter_tokens, parse


def token_texts(text: str) -> list[str]:
    return [text[t.start : t.end] for t in iter_tokens(parse(text).nodes)]


def squeeze(text: str) -> str:
    return re.sub(r"[ \t\r\n]", "", text)


def test_reindents_like_json_dumps() -> None:
    text = '{"a":1,"b":[1,2,{}],"c":{"d":"x"},"e":[ ]}'
    assert format_json_template(text) == json.dumps(json.loads(text), indent=2)
    assert format_json_template(text, indent=4) == json.dumps(json.loads(text), indent=4)


def test_unquoted_tokens_stay_as_values() -> None:
    text = '{"n":{{@alert.numberOfConsecutiveErrors}},"t":"{{@alert.type}}","k":{{ApiKey}}}'
    assert format_json_template(text) == (
        "{\n"
        '  "n": {{@alert.numberOfConsecutiveErrors}},\n'
        '  "t": "{{@alert.type}}",\n'
        '  "k": {{ApiKey}}\n'
        "}"
    )


def test_nested_calls_with_braces_are_opaque() -> None:
    call = '{{@JsonEncode({"a":{"b":[1, 2]}, "n": {{@monitor.notes}} })}}'
    text = '{"x":[' + call + ',{"y":"{{sev({{@alert.type}})}}"}]}'
    result = format_json_template(text)
    assert call in result
    assert '"y": "{{sev({{@alert.type}})}}"' in result
    assert token_texts(result) == token_texts(text)


def test_strings_with_braces_and_escaped_quotes_are_untouched() -> None:
    text = r'{"a":"{ [ , : ] }","b":"say \"hi\", {ok}","c":"back\\","d":"  spaced  "}'
    result = format_json_template(text)
    for value in (r'"{ [ , : ] }"', r'"say \"hi\", {ok}"', r'"back\\"', '"  spaced  "'):
        assert value in result
    assert json.loads(result) == json.loads(text)


def test_triple_braces_keep_the_token() -> None:
    result = format_json_template('{"x":{{{@alert.type}}}}')
    assert result == '{\n  "x": {\n    {{@alert.type}}\n  }\n}'
    assert token_texts(result) == ["{{@alert.type}}"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n",
        "Alert {{@alert.type}} for {{@monitor.name}}",
        '{"a": "never closed\n, "b": 2}',
        "}}]] {",
        '{{ "a": 1 }',
        '{"a": {{@JsonEncode(',
        "[1 2 {{@a}}{{@b}}]",
        '{"a": 1}\n',
    ],
)
def test_broken_json_is_formatted_as_well_as_possible(text: str) -> None:
    result = format_json_template(text)
    assert squeeze(result) == squeeze(text)
    assert token_texts(result) == token_texts(text)
    assert format_json_template(result) == result


def test_whitespace_between_values_is_never_removed() -> None:
    assert format_json_template('["{{@a}} {{@b}}", {{@a}}  {{@b}}]') == (
        '[\n  "{{@a}} {{@b}}",\n  {{@a}} {{@b}}\n]'
    )


def test_trailing_newline_is_kept() -> None:
    assert format_json_template('{"a":1}\n\n') == '{\n  "a": 1\n}\n'
    assert format_json_template('{"a":1}') == '{\n  "a": 1\n}'


def test_rendered_result_parses_to_the_same_json() -> None:
    template = '{"t":"{{@alert.type}}","n":{{@alert.numberOfConsecutiveErrors}},"l":[{"x":null}]}'
    values = {"{{@alert.type}}": "Error", "{{@alert.numberOfConsecutiveErrors}}": "3"}

    def render(text: str) -> str:
        for token, value in values.items():
            text = text.replace(token, value)
        return text

    assert json.loads(render(format_json_template(template))) == json.loads(render(template))


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)


@given(_json, st.sampled_from([None, 0, 1, 3]))
def test_valid_json_keeps_its_value(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    result = format_json_template(text)
    assert json.loads(result) == json.loads(text)
    assert format_json_template(result) == result


@given(st.text(alphabet=list('{}[]:,"\\ \n\t\rab1@()x'), max_size=60))
def test_any_text_only_whitespace_changes_and_tokens_survive(text: str) -> None:
    result = format_json_template(text)
    assert squeeze(result) == squeeze(text)
    assert token_texts(result) == token_texts(text)
    assert format_json_template(result) == result


def test_format_edit_replaces_only_the_changed_middle_and_keeps_the_cursor_character() -> None:
    text = '{"a":1,"b":"{{@alert.type}}"}'
    cursor = text.index("{{@alert")
    edit = format_edit(text, cursor)
    assert edit is not None
    new = text[: edit.start] + edit.replacement + text[edit.end :]
    assert new == format_json_template(text)
    assert edit.start == 1  # the opening brace is kept
    assert edit.end == len(text) - 1  # and so is the closing one
    assert new[edit.cursor :].startswith("{{@alert.type}}")


def test_format_edit_of_formatted_text_is_none() -> None:
    assert format_edit(format_json_template('{"a": [1, 2]}'), 3) is None


@given(st.text(alphabet='{}[],:" ab1\n', max_size=40), st.integers(min_value=0, max_value=40))
def test_format_edit_applied_gives_the_formatted_text(text: str, cursor: int) -> None:
    edit = format_edit(text, min(cursor, len(text)))
    if edit is None:
        assert format_json_template(text) == text
        return
    new = text[: edit.start] + edit.replacement + text[edit.end :]
    assert new == format_json_template(text)
    assert 0 <= edit.cursor <= len(new)
