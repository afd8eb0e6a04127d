"""The name and description of a sample file, read from its first bytes.

Lists of sample sets (the sample panel, the Test tab) show names and descriptions; the sets
themselves are parsed when one is chosen. The built-in ``edge-cases`` set alone is 1.2 MB, so
reading every set in full just to list them costs the start of the window tens of
milliseconds.

A sample file written by the Studio starts with ``format``, ``version``, ``name`` and
``description`` in that order; its first :data:`HEADER_BYTES` are matched against that layout
and the two strings decoded exactly as JSON. Any other file (keys in another order, a very
long description) is parsed in full instead, so the result is always what the full parse
gives.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from uptrends_studio.core.document.samples import FORMAT, SUFFIX, load_sample
from uptrends_studio.core.language.catalogue import Catalogue

HEADER_BYTES = 16_384
"""How much of a sample file the fast path reads."""

_STRING = r'"(?:[^"\\\x00-\x1f]|\\.)*"'
_HEADER_RE = re.compile(
    r'\A\s*\{\s*"format"\s*:\s*"' + re.escape(FORMAT) + r'"\s*,'
    r'\s*"version"\s*:\s*\d+\s*,'
    r'\s*"name"\s*:\s*(?P<name>' + _STRING + r")\s*,"
    r'\s*"description"\s*:\s*(?P<description>' + _STRING + r")\s*[,}]"
)


@dataclass(frozen=True, slots=True)
class SampleHeader:
    """What a list of sample sets shows of one file."""

    key: str
    """The file stem (``edge-cases``)."""
    name: str
    description: str
    path: Path


def read_sample_header(path: Path, catalogue: Catalogue) -> SampleHeader:
    """The name and description of the sample file at ``path`` (see the module docstring).

    Raises:
        SampleError: the file had to be parsed in full and is malformed.
    """
    key = path.name.removesuffix(SUFFIX)
    try:
        with path.open("rb") as stream:
            head = stream.read(HEADER_BYTES).decode("utf-8", errors="replace")
    except OSError:
        head = ""
    match = _HEADER_RE.match(head)
    if match is not None:
        try:
            name = json.loads(match.group("name"))
            description = json.loads(match.group("description"))
        except ValueError:
            pass
        else:
            if isinstance(name, str) and isinstance(description, str):
                return SampleHeader(key, name, description, path)
    sample = load_sample(path, catalogue)  # not in the usual layout: the full parse decides
    return SampleHeader(key, sample.name, sample.description, path)
