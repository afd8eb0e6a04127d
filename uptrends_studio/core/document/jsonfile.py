"""Shared plumbing for the Studio's JSON file formats: reading, typed field access, writing.

Every loader goes dict -> migrate -> validate -> model. The helpers here turn each problem into a
:class:`FileFormatError` that names the file, the JSON pointer of the field and what is wrong.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from uptrends_studio.core.document.json_errors import plain_json_problem
from uptrends_studio.core.errors import FileFormatError

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused before reading (a 1 MB response body is the largest
realistic value; 64 MB leaves room for many)."""

_READ_BLOCK = 1024 * 1024

MAX_NESTING = 64
"""JSON nested deeper than this is refused (the formats need at most 5 levels)."""

T = TypeVar("T")
E = TypeVar("E", bound=FileFormatError)


def read_json(path: Path, error: type[E] = FileFormatError) -> object:  # type: ignore[assignment]
    """Read a UTF-8 JSON file, refusing files that are too big, not UTF-8 or not JSON.

    Only a regular file is read (see :func:`read_file_bytes`): a FIFO, device or socket is
    refused with a message instead of hanging or reading without end.
    """
    return parse_json_bytes(read_file_bytes(path, error=error), str(path), error)


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _too_big(size: int | None, limit: int) -> str:
    limit_text = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit:,} bytes"
    if size is None:
        return f"file is larger than {limit_text}; the limit is {limit_text}"
    size_text = f"{size / 1e6:.0f} MB" if limit >= 2**20 else f"{size:,} bytes"
    return f"file is {size_text}; the limit is {limit_text}"


def read_file_bytes(
    path: Path,
    limit: int = MAX_FILE_BYTES,
    error: type[E] = FileFormatError,  # type: ignore[assignment]
) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    A FIFO, device, socket or folder is refused before anything is read, and opening never
    waits for a writer (``O_NONBLOCK``). The limit is enforced while reading, not only by the
    size ``stat`` reports (``/proc`` files and growing files report less than they hold).

    Raises:
        E: naming the file and the problem ("file not found", "is a named pipe (FIFO), not a
            regular file", "file is 105 MB; the limit is 64 MB", the OS reason).
    """
    name = str(path)
    try:
        kind = _kind(os.stat(path).st_mode)
        if kind is not None:
            raise error(name, "", kind)
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb", buffering=0) as handle:
            info = os.fstat(fd)
            kind = _kind(info.st_mode)  # swapped for something else since the stat above
            if kind is not None:
                raise error(name, "", kind)
            if info.st_size > limit:
                raise error(name, "", _too_big(info.st_size, limit))
            chunks: list[bytes] = []
            total = 0
            while True:
                chunk = handle.read(min(_READ_BLOCK, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise error(name, "", _too_big(None, limit))
            return b"".join(chunks)
    except FileNotFoundError:
        raise error(name, "", "file not found") from None
    except IsADirectoryError:
        raise error(name, "", "is a folder, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # opening a socket
            raise error(name, "", "is a socket, not a regular file") from None
        raise error(name, "", f"cannot read the file: {exc.strerror or exc}") from None


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
    duplicates: list[bool] = []

    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        duplicates.append(True)
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                return _Duplicated(result, key)
            seen.add(key)
        return result  # not reached: fewer keys than pairs means a repeat

    try:
        value = json.loads(text, object_pairs_hook=build)
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
    if duplicates:
        where, key = _first_duplicate(value)
        raise error(
            name,
            pointer(where, key),
            f"the key {key!r} appears more than once in the same object; only one is allowed "
            "(which value did you mean?)",
        )
    return value


class _Duplicated(dict[str, Any]):
    """A decoded JSON object in which ``key`` appeared more than once."""

    def __init__(self, items: dict[str, Any], key: str) -> None:
        super().__init__(items)
        self.key = key


def _first_duplicate(value: object) -> tuple[str, str]:
    """The JSON pointer of the first object (document order) with a repeated key, and the key."""
    stack: list[tuple[object, str]] = [(value, "")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, _Duplicated):
            return where, item.key
        if isinstance(item, dict):
            stack.extend((child, pointer(where, k)) for k, child in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend((child, pointer(where, i)) for i, child in reversed(list(enumerate(item))))
    return "", ""


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
                    if not hint:  # imported here: keeps the start of the CLI fast
                        import difflib

                        hint = difflib.get_close_matches(key, allowed, n=1)
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
            import difflib  # only for a "did you mean": keeps the start of the CLI fast

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


_TEMP_NAME = re.compile(r"\..+\.tmp-(\d+)-(\d+)")
"""Temporary files of :func:`write_text_atomic`: ``.NAME.tmp-PID-THREAD``."""
_STALE_TEMP_SECONDS = 24 * 3600
"""Where a process cannot be asked whether it runs (Windows), temp files this old are stale."""


def _process_gone(pid: int) -> bool:
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, another user's
        return False
    return False


def remove_stale_temp_files(folder: Path) -> int:
    """Delete what interrupted saves (``kill -9``, power cut) left in ``folder``; return how many.

    A temporary file counts as left behind when the process that wrote it is gone (or, where
    that cannot be asked, when it is a day old). Temporary files of running saves are kept.
    """
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    now = time.time()
    for name in names:
        match = _TEMP_NAME.fullmatch(name)
        if match is None:
            continue
        item = folder / name
        pid = int(match.group(1))
        try:
            stale = pid != os.getpid() and (
                _process_gone(pid) or now - item.lstat().st_mtime > _STALE_TEMP_SECONDS
            )
            if stale and item.is_file():
                item.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def _write_temp(path: Path, text: str, mode: int | None) -> Path:
    """Write ``text`` to a fresh temporary file next to ``path``, synced; return its path."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o666 if mode is None else mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            if mode is not None:
                os.chmod(tmp, mode)  # also when an older temp file had other bits
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_text_atomic(path: Path, text: str, *, mode: int | None = None) -> None:
    """Write ``text`` as UTF-8 via a temporary file in the same folder and an atomic rename.

    A symbolic link is followed: its target is written and the link stays. Temporary files
    that interrupted saves left in the folder are deleted first. An existing file keeps its
    permissions; ``mode`` (e.g. ``0o600``) sets them instead.
    """
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    remove_stale_temp_files(path.parent)
    tmp = _write_temp(path, text, mode)
    try:
        if mode is None and path.exists():
            import shutil  # on the first save only: keeps the start of the CLI fast

            shutil.copymode(path, tmp)  # a save keeps the file's permissions
        os.replace(tmp, path)
        _fsync_folder(path.parent)
    finally:
        with contextlib.suppress(OSError):  # never hide the error that got us here
            tmp.unlink(missing_ok=True)


def write_text_new(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` complete or not at all, only if ``path`` does not exist yet.

    Two writers racing for the same name never overwrite each other: the loser gets
    :class:`FileExistsError` (a hard link is created exclusively, then the temporary name is
    removed; where links are not supported, the file is created with ``O_EXCL``).

    Raises:
        FileExistsError: ``path`` exists.
        OSError: the file cannot be written.
    """
    remove_stale_temp_files(path.parent)
    tmp = _write_temp(path, text, mode)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (FAT, some network shares)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(path, flags, mode)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        _fsync_folder(path.parent)
    finally:
        with contextlib.suppress(OSError):
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
