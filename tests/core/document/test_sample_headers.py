"""Sample lists read names and descriptions from the files' first bytes, exactly as parsed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from uptrends_studio.core.document.sample_headers import HEADER_BYTES, read_sample_header
from uptrends_studio.core.document.samples import (
    FORMAT,
    builtin_sample_paths,
    load_sample,
)
from uptrends_studio.core.errors import SampleError
from uptrends_studio.core.language.catalogue import Catalogue


def test_every_built_in_set_lists_the_name_and_description_of_its_full_parse(
    catalogue: Catalogue,
) -> None:
    paths = builtin_sample_paths()
    assert len(paths) >= 6
    for path in paths:
        header = read_sample_header(path, catalogue)
        sample = load_sample(path, catalogue)
        assert (header.name, header.description) == (sample.name, sample.description), path
        assert header.key == path.name.removesuffix(".sample.json")


def write(folder: Path, text: str) -> Path:
    path = folder / "mine.sample.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name",
    ['Quotes " and \\ backslash', "Line\nbreak and tab\t", "Emoji 🚨 and é", "A/B \u2028"],
)
def test_escaped_names_are_decoded_exactly(tmp_path: Path, catalogue: Catalogue, name: str) -> None:
    doc = {"format": FORMAT, "version": 1, "name": name, "description": f"About {name}"}
    path = write(tmp_path, json.dumps(doc, indent=2, ensure_ascii=False))
    header = read_sample_header(path, catalogue)
    assert (header.name, header.description) == (name, f"About {name}")
    assert (header.name, header.description) == (
        load_sample(path, catalogue).name,
        load_sample(path, catalogue).description,
    )


def test_a_file_in_another_key_order_is_parsed_in_full(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    text = json.dumps(
        {"name": "Reordered", "format": FORMAT, "version": 1, "description": "Keys moved"}
    )
    header = read_sample_header(write(tmp_path, text), catalogue)
    assert (header.name, header.description) == ("Reordered", "Keys moved")


def test_a_description_longer_than_the_header_read_is_parsed_in_full(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    long = "x" * (2 * HEADER_BYTES)
    doc = {"format": FORMAT, "version": 1, "name": "Long", "description": long}
    header = read_sample_header(write(tmp_path, json.dumps(doc)), catalogue)
    assert header.description == long


def test_a_set_without_description_lists_an_empty_one(tmp_path: Path, catalogue: Catalogue) -> None:
    doc = {"format": FORMAT, "version": 1, "name": "Plain"}
    header = read_sample_header(write(tmp_path, json.dumps(doc)), catalogue)
    assert (header.name, header.description) == ("Plain", "")


def test_a_broken_file_is_reported_like_a_full_parse(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, '{"format": "uptrends-studio.sample", "version": 1, "name": ')
    with pytest.raises(SampleError) as raised:
        read_sample_header(path, catalogue)
    assert "mine.sample.json" in str(raised.value)
