"""Shared plumbing for the Studio's JSON file formats: reading, typed field access, writing.

Every loader goes dict -> migrate -> validate -> model. The helpers here turn each problem into a
:class:`FileFormatError` that names the file, the JSON pointer of the field and what is wrong.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import shutil
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from uptrends_studio.core.document.json_errors import plain_json_problem
from uptrends_studio.core.errors import FileFormatError

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before reading (a 1 MB response body is the largest
realistic value; 64 MB leaves room for many)."""

MAX_NESTING = 64
"""JSON nested deeper than this is refused (the formats need at most 5 levels)."""

T = TypeVar("T")
E = TypeVar("E", bound=FileFormatError)


def read_json(path: Path, error: type[E] = FileFormatError) -> object:  # type: ignore[assignment]
    """Read a UTF-8 JSON file, refusing files that are too big, not UTF-8 or not JSON."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise error(
                name, "", f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(name, "", "file not found") from None
    except IsADirectoryError:
        raise error(name, "", "is a folder, not a file") from None
    except OSError as exc:
        raise error(name, "", f"cannot read the file: {exc.strerror or exc}") from None
    return parse_json_bytes(raw, name, error)


def parse_json_bytes(raw: bytes, name: str, error: type[E] = FileFormatError) -> object:  # type: ignore[assignment]
    """Decode and parse JSON bytes; errors name the line and column."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            name, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line=line, column=column
        ) from None
    return parse_json_text(text, name, error)


def parse_json_text(text: str, name: str, error: type[E] = FileFormatError) -> object:  # type: ignore[assignment]
    """Parse JSON text; syntax errors and excessive nesting name the place."""
    if not text.strip():
        raise error(name, "", "the file is empty (expected a JSON object)")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(
            name,
            "",
            f"not valid JSON: {plain_json_problem(exc.msg, text, exc.pos)}",
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except RecursionError:  # the C decoder stops cleanly at the interpreter's recursion limit
        raise error(
            name, "", f"JSON nested too deeply; at most {MAX_NESTING} levels allowed"
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise error(name, "", f"not usable JSON: {exc}") from None
    depth = _depth(value)
    if depth > MAX_NESTING:
        raise error(name, "", f"JSON nested {depth} levels deep; at most {MAX_NESTING} allowed")
    return value


def _depth(value: object) -> int:
    """Nesting depth of decoded JSON, walking containers only (strings cost nothing)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def pointer(parent: str, key: str | int) -> str:
    """Append a key to a JSON pointer, escaping ``~`` and ``/``."""
    text = str(key).replace("~", "~0").replace("/", "~1")
    return f"{parent}/{text}"


class Reader:
    """Typed access to a decoded JSON document, raising errors that name file and field."""

    def __init__(self, name: str, error: type[FileFormatError] = FileFormatError) -> None:
        self.name = name
        self.error = error

    def fail(self, where: str, problem: str) -> FileFormatError:
        """Build (not raise) the error for ``where``."""
        return self.error(self.name, where, problem)

    def obj(
        self, value: object, where: str, allowed: tuple[str, ...] | None = None
    ) -> Mapping[str, Any]:
        """Require a JSON object; with ``allowed``, refuse unknown keys (suggesting a spelling)."""
        if not isinstance(value, dict):
            raise self.fail(where, f"must be an object, not {describe(value)}")
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    hint = [a for a in allowed if a.casefold() == key.casefold()]
                    hint = hint or difflib.get_close_matches(key, allowed, n=1)
                    maybe = f" (did you mean {hint[0]!r}?)" if hint else ""
                    known = ", ".join(allowed)
                    raise self.fail(pointer(where, key), f"unknown field{maybe}; known: {known}")
        return value

    def get(
        self, data: Mapping[str, Any], key: str, where: str, kind: Callable[..., T], default: T
    ) -> T:
        """Read an optional field with ``kind`` (one of the typed readers below)."""
        if key not in data:
            return default
        return kind(data[key], pointer(where, key))

    def require(self, data: Mapping[str, Any], key: str, where: str) -> object:
        """A required field's raw value."""
        if key not in data:
            raise self.fail(where, f"missing required field {key!r}")
        return data[key]

    def string(self, value: object, where: str) -> str:
        """Require a string."""
        if not isinstance(value, str):
            raise self.fail(where, f"must be a string, not {describe(value)}")
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise self.fail(
                    where,
                    f"contains an unpaired surrogate \\u{ord(value[exc.start]):04x} at "
                    f"character {exc.start + 1}: it is not text and cannot be sent",
                ) from None
        return value

    def boolean(self, value: object, where: str) -> bool:
        """Require true or false."""
        if not isinstance(value, bool):
            raise self.fail(where, f"must be true or false, not {describe(value)}")
        return value

    def integer(self, value: object, where: str) -> int:
        """Require an integer (not a boolean)."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"must be an integer, not {describe(value)}")
        return value

    def array(self, value: object, where: str) -> list[Any]:
        """Require an array."""
        if not isinstance(value, list):
            raise self.fail(where, f"must be an array, not {describe(value)}")
        return value

    def string_map(self, value: object, where: str) -> dict[str, str]:
        """Require an object whose values are all strings."""
        data = self.obj(value, where)
        return {
            self.string(key, where): self.string(item, pointer(where, key))
            for key, item in data.items()
        }

    def choice(self, value: object, where: str, choices: tuple[str, ...]) -> str:
        """Require one of ``choices`` (exact spelling), suggesting the closest on a miss."""
        choices = tuple(str(c) for c in choices)  # StrEnum members print as their value
        text = self.string(value, where)
        if text not in choices:
            folded = {c.lower(): c for c in choices}
            hint = folded.get(text.lower()) or next(
                iter(difflib.get_close_matches(text, choices, n=1)), None
            )
            maybe = f" (did you mean {hint!r}?)" if hint else ""
            raise self.fail(where, f"{text!r} is not one of {', '.join(choices)}{maybe}")
        return text

    def header(self, data: Mapping[str, Any], expected_format: str, current: int) -> int:
        """Check ``format`` and ``version``; return the version (which may be older)."""
        fmt = self.require(data, "format", "")
        if fmt != expected_format:
            raise self.fail(
                "/format", f"is {fmt!r}; expected {expected_format!r} (is this the right file?)"
            )
        version = self.integer(self.require(data, "version", ""), "/version")
        if version > current:
            raise self.fail(
                "/version",
                f"version {version} was written by a newer Uptrends Studio; this one reads up to "
                f"version {current}",
            )
        if version < 1:
            raise self.fail("/version", f"version {version} does not exist; versions start at 1")
        return version


def describe(value: object) -> str:
    """Name a JSON value's type the way a user reads it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def dumps(document: object) -> str:
    """Serialise deterministically: 2-space indent, UTF-8 characters kept, trailing newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 via a temporary file in the same folder and an atomic rename."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)  # a save keeps the file's permissions
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    finally:
        with contextlib.suppress(OSError):  # never hide the error that got us here
            tmp.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); some filesystems refuse, the data is synced."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
