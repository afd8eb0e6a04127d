"""docs/reliability.md names the test behind each claim: every named test must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "reliability.md"
# `tests/x.py::name`, `tests/x.py` (sets the file for what follows) or `::name` (same file).
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(\w+)(?:\[[^`\]]*\])?)?`")


def named_tests() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    current = ""
    for match in REFERENCE.finditer(DOC.read_text(encoding="utf-8")):
        path, name = match.groups()
        current = path or current
        if name:
            assert current, f"::{name} names no file before it"
            found.append((current, name))
    return found


def test_every_test_the_reliability_page_names_exists() -> None:
    named = named_tests()
    assert len(named) > 80  # the page is read, not skipped
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not (ROOT / path).is_file()
        or not re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.M)
    ]
    assert missing == []
