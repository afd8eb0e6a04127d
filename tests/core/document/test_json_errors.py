"""JSON syntax errors in files read in plain words, with their line and column."""

from __future__ import annotations

import pytest

from uptrends_studio.core.document.jsonfile import parse_json_text
from uptrends_studio.core.errors import FileFormatError


def test_a_raw_line_break_in_a_file_is_explained_with_its_place() -> None:
    with pytest.raises(FileFormatError) as caught:
        parse_json_text('{"name": "two\nlines"}', "x.json")
    error = caught.value
    assert "Invalid control character" not in str(error)
    assert "a raw line break inside a string" in str(error)
    assert (error.line, error.column) == (1, 14)
