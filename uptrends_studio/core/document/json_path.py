"""The one JSON-path dialect of the Studio: response variables and target rules both use it.

Syntax (a small subset of JSONPath, the same everywhere):

============================  ===============================================================
``$``                         the whole document (optional at the start: ``$.a`` is ``a``)
``name`` or ``.name``         the member ``name`` of an object
``['a.b']`` or ``["a.b"]``    a member whose name has dots, brackets or spaces
``[n]``                       element ``n`` (from 0) of an array
``[*]``                       every element of an array (only where several values may match:
                              :func:`find`; :func:`value_at` wants one value)
============================  ===============================================================

Examples: ``access_token``, ``$.data.items[0].id``, ``$['a.b']``, ``blocks[*].text.text``.

A path is parsed once into a :data:`Path` tuple of keys (``str`` for members, ``int`` for
elements, :data:`WILDCARD` for ``[*]``); :func:`format_path` writes it back in the same syntax.
A member name with both quote characters cannot be written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

Key = str | int
"""A member name or an array index (or :data:`WILDCARD`)."""
Path = tuple[Key, ...]
"""A parsed path: ``("data", "items", 0, "id")``."""

WILDCARD: Final = "*"
"""A path key that stands for every element of an array."""

_PART_RE = re.compile(
    r"""\.?(?P<name>[^.\[\]'"]+)|\[(?P<index>\d+|\*)\]|\[(?P<quote>['"])(?P<quoted>.*?)(?P=quote)\]""",
    re.DOTALL,
)
_PLAIN_NAME_RE = re.compile(r"[^.\[\]'\"\s$]+")


class JsonPathError(ValueError):
    """A path that does not follow the syntax; the message names where it goes wrong."""


def parse_path(text: str) -> Path:
    """``"$.blocks[*].text"`` -> ``("blocks", "*", "text")``.

    Raises:
        JsonPathError: when part of ``text`` is not a member, element or wildcard.
    """
    text = text.strip()
    if text.startswith("$"):
        text = text[1:]
    parts: list[Key] = []
    position = 0
    while position < len(text):
        match = _PART_RE.match(text, position)
        if match is None:
            raise JsonPathError(f"cannot read the path at {text[position:]!r}")
        if match.group("name") is not None:
            parts.append(match.group("name"))
        elif match.group("quoted") is not None:
            parts.append(match.group("quoted"))
        else:
            index = match.group("index")
            parts.append(WILDCARD if index == WILDCARD else int(index))
        position = match.end()
    return tuple(parts)


def format_path(path: Path, *, root: bool = False) -> str:
    """``("blocks", 3, "a.b")`` -> ``"blocks[3]['a.b']"`` (``"$.blocks..."`` with ``root``)."""
    text = "$" if root else ""
    for key in path:
        if isinstance(key, int) or key == WILDCARD:
            text += f"[{key}]"
        elif _PLAIN_NAME_RE.fullmatch(key) is None:
            quote = "'" if "'" not in key else '"'
            text += f"[{quote}{key}{quote}]"
        else:
            text += f".{key}" if text else key
    return text


def find(document: object, path: Path | str) -> Iterator[tuple[Path, object]]:
    """Every ``(concrete path, value)`` matching ``path``; ``[*]`` expands arrays.

    Parts that are not there match nothing (no error).
    """
    parts = parse_path(path) if isinstance(path, str) else path
    yield from _find(document, parts, ())


def _find(value: object, parts: Path, done: Path) -> Iterator[tuple[Path, object]]:
    if not parts:
        yield done, value
        return
    key, rest = parts[0], parts[1:]
    if key == WILDCARD:
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _find(item, rest, (*done, index))
    elif isinstance(key, int):
        if isinstance(value, list) and 0 <= key < len(value):
            yield from _find(value[key], rest, (*done, key))
    elif isinstance(value, dict) and key in value:
        yield from _find(value[key], rest, (*done, key))


def value_at(document: object, path: Path | str) -> object:
    """The one value at ``path``.

    Raises:
        JsonPathError: for a path that does not follow the syntax, or one with ``[*]``.
        KeyError: naming the part of the path that is not there (``$.a has no field 'z'``).
    """
    parts = parse_path(path) if isinstance(path, str) else path
    if WILDCARD in parts:
        where = format_path(parts[: parts.index(WILDCARD)], root=True)
        raise JsonPathError(f"{where}[*] selects every element; name one, such as [0]")
    current = document
    walked: Path = ()
    for key in parts:
        where = format_path(walked, root=True)
        if isinstance(key, int):
            if not isinstance(current, list) or key >= len(current):
                raise KeyError(f"{where} has no item [{key}]")
            current = current[key]
        else:
            if not isinstance(current, dict) or key not in current:
                raise KeyError(f"{where} has no field {key!r}")
            current = current[key]
        walked = (*walked, key)
    return current
