"""The project's own exception types.

Every error a user can cause (a malformed file, an unreadable sample, a bad argument) is raised as
a subclass of :class:`StudioError` that carries where the problem is, so the CLI and the GUI can
print one clear line instead of a traceback.
"""

from __future__ import annotations


class StudioError(Exception):
    """Base class of every error Uptrends Studio raises on purpose."""


class FileFormatError(StudioError):
    """A file that cannot be loaded: not JSON, wrong format, wrong field type, ...

    Attributes:
        path: The file (as the user named it), or ``"<text>"`` for in-memory text.
        pointer: JSON pointer of the offending field (``/steps/0/method``), ``""`` for the whole
            document.
        problem: What is wrong, in plain words.
        line: 1-based line in the file when known (JSON syntax errors), else ``None``.
        column: 1-based column when known, else ``None``.
    """

    def __init__(
        self,
        path: str,
        pointer: str,
        problem: str,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = path
        self.pointer = pointer
        self.problem = problem
        self.line = line
        self.column = column
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line naming the file, the place and the problem."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        if self.pointer:
            where += f": field {self.pointer}"
        return f"{where}: {self.problem}"


class SampleError(FileFormatError):
    """A sample alert data file (``*.sample.json``) that cannot be used."""


class UsageError(StudioError):
    """A command-line or API argument that makes no sense (unknown alert type, missing sample)."""


class RequestImportError(StudioError):
    """Pasted text (a curl command, a raw HTTP request) that cannot be imported as a step.

    The message names the part that could not be read: the option, the argument, the line or
    the character position.
    """
