"""The typed place of a diagnostic: built by constructors, printed as the CLI shows it."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uptrends_studio.core.checks.diagnostics import Diagnostic, LineIndex, Severity
from uptrends_studio.core.checks.field_path import FieldPath


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (FieldPath.WHOLE, ""),
        (FieldPath.NAME, "name"),
        (FieldPath.TARGET, "target"),
        (FieldPath.STEPS, "steps"),
        (FieldPath.step(2), "steps[2]"),
        (FieldPath.step_body(0), "steps[0].body"),
        (FieldPath.step_url(1), "steps[1].url"),
        (FieldPath.step_field(3, "alertTypes"), "steps[3].alertTypes"),
        (FieldPath.step_field(0, "authentication.username"), "steps[0].authentication.username"),
        (FieldPath.step_header(0, 1), "steps[0].headers[1]"),
        (FieldPath.step_header(0, 1, "value"), "steps[0].headers[1].value"),
        (FieldPath.variable(4).child("name"), "variables[4].name"),
        (FieldPath.variable_value(1), "variables[1].value"),
        (FieldPath.function_field(0, "key"), "functions[0].key"),
        (
            FieldPath.function(2).child("mapping").at(3).child("from"),
            "functions[2].mapping[3].from",
        ),
        (FieldPath.escalation("Team"), "escalationLevel.Team"),
    ],
)
def test_text_is_what_the_cli_prints(path: FieldPath, text: str) -> None:
    assert str(path) == text
    assert path == text
    assert FieldPath.parse(text).parts == path.parts
    diagnostic = Diagnostic(Severity.ERROR, "c", "m", path, line=3, column=11)
    where = f"a.json:{text}:3:11" if text else "a.json:-:0:0"
    assert diagnostic.format("a.json").startswith(where + ": error: m")


def test_typed_reading_of_a_header_value() -> None:
    path = FieldPath.step_header(2, 1, "value")
    assert path.section == "steps"
    assert path.step_index == 2
    assert path.function_index is None
    assert path.variable_index is None
    assert path.item == "steps[2]"
    assert path.rest == "headers[1].value"
    assert path.leaf == "value"


@pytest.mark.parametrize(
    ("path", "step", "function", "variable", "escalation"),
    [
        (FieldPath.STEPS, None, None, None, None),
        (FieldPath.function_field(1, "header"), None, 1, None, None),
        (FieldPath.variable_value(5), None, None, 5, None),
        (FieldPath.escalation("On call"), None, None, None, "On call"),
        (FieldPath.WHOLE, None, None, None, None),
    ],
)
def test_typed_reading(
    path: FieldPath,
    step: int | None,
    function: int | None,
    variable: int | None,
    escalation: str | None,
) -> None:
    assert (path.step_index, path.function_index, path.variable_index) == (
        step,
        function,
        variable,
    )
    assert path.escalation_name == escalation


def test_whole_integration_is_falsy_and_paths_are_immutable() -> None:
    assert not FieldPath.WHOLE
    assert FieldPath.step(0)
    path = FieldPath.step_body(0)
    with pytest.raises(AttributeError):
        path.parts = ()
    assert pickle.loads(pickle.dumps(path)).parts == ("steps", 0, "body")


@pytest.mark.parametrize("text", [".a", "a..b", "a.", "[1]x", "a[x]", "a.[1]", "steps[0]body"])
def test_parse_refuses_what_no_path_prints(text: str) -> None:
    with pytest.raises(ValueError, match="not a field path"):
        FieldPath.parse(text)


_NAMES = st.text(st.characters(exclude_characters=".[]", codec="utf-8"), min_size=1)
_PARTS = st.lists(st.one_of(_NAMES, st.integers(min_value=0, max_value=10**6)), max_size=6)


@given(_PARTS)
def test_parse_inverts_str(parts: list[str | int]) -> None:
    path = FieldPath(tuple(parts))
    assert FieldPath.parse(str(path)).parts == path.parts


@given(st.text(alphabet="ab\n\r", max_size=30), st.data())
def test_line_index_positions_and_offsets_agree(text: str, data: st.DataObject) -> None:
    index = LineIndex(text)
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    if offset > 0 and text[offset - 1 : offset + 1] == "\r\n":
        offset -= 1  # between \r and \n is not a place a cursor can be
    line, column = index.position(offset)
    assert index.exact_offset(line, column) == offset
    assert index.offset(line, column - 1) == offset


def test_exact_offset_refuses_places_outside_the_text() -> None:
    index = LineIndex("ab\r\ncd")
    assert index.exact_offset(1, 3) == 2  # at the line break
    assert index.exact_offset(1, 4) is None
    assert index.exact_offset(2, 3) == 6  # end of text
    assert index.exact_offset(3, 1) is None
    assert index.exact_offset(1, 0) is None


@pytest.mark.parametrize(
    ("line", "column", "offset"),
    [(1, 1, 0), (1, 99, 2), (2, 2, 5), (0, 3, 2), (9, 1, 4), (9, 99, 6), (2, -4, 4)],
)
def test_nearest_offset_clamps_into_the_text(line: int, column: int, offset: int) -> None:
    assert LineIndex("ab\r\ncd").nearest_offset(line, column) == offset
