"""The one JSON-path dialect: parsing, writing back, finding and reading single values."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uptrends_studio.core.document.json_path import (
    WILDCARD,
    JsonPathError,
    Path,
    find,
    format_path,
    parse_path,
    value_at,
)

DOCUMENT = {
    "a": 1,
    "b": {"c": "x", "list": [10, 20]},
    "dotted.key": True,
    "blocks": [{"text": "one"}, {"text": "two"}, {"other": 3}],
}


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("a", ("a",)),
        ("$", ()),
        ("$.b.c", ("b", "c")),
        ("b.list[1]", ("b", "list", 1)),
        ("$['dotted.key']", ("dotted.key",)),
        ('["it\'s"].x', ("it's", "x")),
        ("blocks[*].text", ("blocks", WILDCARD, "text")),
        ("  $.a  ", ("a",)),
        ("[0][1]", (0, 1)),
    ],
)
def test_parse_path(text: str, path: Path) -> None:
    assert parse_path(text) == path


@pytest.mark.parametrize("text", ["a..b", "a[", "a[x]", "a['b]", "a]", "a[-1]"])
def test_a_malformed_path_names_where_it_goes_wrong(text: str) -> None:
    with pytest.raises(JsonPathError, match="cannot read the path at"):
        parse_path(text)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("blocks", 3, "text"), "blocks[3].text"),
        (("blocks", WILDCARD), "blocks[*]"),
        (("a.b", "c"), "['a.b'].c"),
        (("it's",), '["it\'s"]'),
        ((0, "x y"), "[0]['x y']"),
    ],
)
def test_format_path(path: Path, text: str) -> None:
    assert format_path(path) == text
    assert parse_path(text) == path


keys = st.one_of(
    st.integers(min_value=0, max_value=999),
    st.just(WILDCARD),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=8).filter(
        lambda key: key != WILDCARD and not ("'" in key and '"' in key)
    ),
)


@given(st.lists(keys, max_size=6).map(tuple))
def test_written_paths_read_back_the_same(path: Path) -> None:
    assert parse_path(format_path(path)) == path
    assert parse_path(format_path(path, root=True)) == path


def test_find_expands_wildcards_and_skips_what_is_missing() -> None:
    assert list(find(DOCUMENT, "blocks[*].text")) == [
        (("blocks", 0, "text"), "one"),
        (("blocks", 1, "text"), "two"),
    ]
    assert list(find(DOCUMENT, "b.list[7]")) == []
    assert list(find(DOCUMENT, "a.z")) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [("$.b.list[1]", 20), ("['dotted.key']", True), ("$", DOCUMENT), ("blocks[2].other", 3)],
)
def test_value_at(path: str, value: object) -> None:
    assert value_at(DOCUMENT, path) == value


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("b.list[5]", "$.b.list has no item [5]"),
        ("a.z", "$.a has no field 'z'"),
        ("$['dotted.key'].x", "$['dotted.key'] has no field 'x'"),
        ("missing", "$ has no field 'missing'"),
    ],
)
def test_value_at_names_the_missing_part(path: str, message: str) -> None:
    with pytest.raises(KeyError) as caught:
        value_at(DOCUMENT, path)
    assert caught.value.args[0] == message


def test_value_at_wants_one_value() -> None:
    with pytest.raises(JsonPathError, match=r"\$\.blocks\[\*\] selects every element"):
        value_at(DOCUMENT, "blocks[*].text")
