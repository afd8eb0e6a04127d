"""Where in an integration a diagnostic is: a typed path such as ``steps[0].headers[1].value``.

Paths are built with the constructors here, by the checks and the evaluator, and read through
typed properties by the CLI and the window; nothing parses the text back (:meth:`FieldPath.parse`
exists for paths written by hand, as in tests and ``render(..., "steps[0].body")``).

``str()`` gives the text the CLI prints (``file:steps[0].body:3:11``): 0-based indices in
brackets, names joined by dots.
"""

from __future__ import annotations

import re
from typing import ClassVar

_PART_RE = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")

STEPS = "steps"
VARIABLES = "variables"
FUNCTIONS = "functions"
ESCALATION_LEVEL = "escalationLevel"


class FieldPath(str):
    """A place in an integration: names (``steps``, ``body``) and 0-based indices.

    It is the string of its own text (``steps[0].body``), so it prints, compares, sorts and
    hashes as that text; the typed parts and properties say what it points at, so nobody parses
    the text back. The empty path (:attr:`WHOLE`) is the integration as a whole and is falsy.
    Immutable.
    """

    parts: tuple[str | int, ...]

    def __new__(cls, parts: tuple[str | int, ...] = ()) -> FieldPath:
        """The path made of ``parts``: names and indices (``("steps", 0, "body")``)."""
        text = ""
        for part in parts:
            if isinstance(part, int):
                text += f"[{part}]"
            else:
                text += f".{part}" if text else part
        path = super().__new__(cls, text)
        object.__setattr__(path, "parts", tuple(parts))
        return path

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"FieldPath is immutable (setting {name!r})")

    def __reduce__(self) -> tuple[type[FieldPath], tuple[tuple[str | int, ...]]]:
        return FieldPath, (self.parts,)

    def __repr__(self) -> str:
        return f"FieldPath({str(self)!r})"

    WHOLE: ClassVar[FieldPath]
    NAME: ClassVar[FieldPath]
    TARGET: ClassVar[FieldPath]
    STEPS: ClassVar[FieldPath]

    # -- building -----------------------------------------------------------------------------

    def child(self, name: str) -> FieldPath:
        """This path followed by ``.name``."""
        return FieldPath((*self.parts, name))

    def at(self, index: int) -> FieldPath:
        """This path followed by ``[index]``."""
        return FieldPath((*self.parts, index))

    def then(self, relative: FieldPath) -> FieldPath:
        """This path followed by ``relative`` (``steps[0]`` + ``headers[1].value``)."""
        return FieldPath(self.parts + relative.parts)

    @classmethod
    def step(cls, index: int) -> FieldPath:
        """``steps[index]``."""
        return cls((STEPS, index))

    @classmethod
    def step_field(cls, index: int, name: str) -> FieldPath:
        """``steps[index].name``: ``url``, ``body``, ``alertTypes``, ``authentication.username``."""
        return cls.step(index).then(cls.relative(name))

    @classmethod
    def step_body(cls, index: int) -> FieldPath:
        """``steps[index].body``."""
        return cls.step_field(index, "body")

    @classmethod
    def step_url(cls, index: int) -> FieldPath:
        """``steps[index].url``."""
        return cls.step_field(index, "url")

    @classmethod
    def header(cls, header: int, part: str | None = None) -> FieldPath:
        """``headers[header]`` or ``headers[header].part`` (relative to a step)."""
        path = cls(("headers", header))
        return path if part is None else path.child(part)

    @classmethod
    def step_header(cls, index: int, header: int, part: str | None = None) -> FieldPath:
        """``steps[index].headers[header]``, with ``.name`` or ``.value`` when ``part`` is given."""
        return cls.step(index).then(cls.header(header, part))

    @classmethod
    def variable(cls, index: int) -> FieldPath:
        """``variables[index]``."""
        return cls((VARIABLES, index))

    @classmethod
    def variable_value(cls, index: int) -> FieldPath:
        """``variables[index].value``."""
        return cls.variable(index).child("value")

    @classmethod
    def function(cls, index: int) -> FieldPath:
        """``functions[index]``."""
        return cls((FUNCTIONS, index))

    @classmethod
    def function_field(cls, index: int, name: str) -> FieldPath:
        """``functions[index].name`` (``key``, ``header``, ``pattern``, ...)."""
        return cls.function(index).child(name)

    @classmethod
    def escalation(cls, name: str) -> FieldPath:
        """``escalationLevel.name``: a variable's value set per escalation level in the sample."""
        return cls((ESCALATION_LEVEL, name))

    @classmethod
    def relative(cls, text: str) -> FieldPath:
        """A dotted name relative to a step (``body``, ``authentication.username``)."""
        return cls(tuple(text.split("."))) if text else cls.WHOLE

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        """The path whose ``str()`` is ``text`` (for paths written as text, e.g. in tests).

        Raises:
            ValueError: ``text`` is not a path.
        """
        parts: list[str | int] = []
        position = 0
        for match in _PART_RE.finditer(text):
            index, name = match.groups()
            dotted = match.group(0).startswith(".")
            if match.start() != position or (name is not None and dotted != bool(parts)):
                break
            parts.append(int(index) if index is not None else name)
            position = match.end()
        if position != len(text):
            raise ValueError(f"not a field path: {text!r}")
        return cls(tuple(parts))

    # -- reading ------------------------------------------------------------------------------

    @property
    def section(self) -> str:
        """The first name: ``steps``, ``functions``, ``variables``, ``escalationLevel``, ..."""
        first = self.parts[0] if self.parts else ""
        return first if isinstance(first, str) else ""

    @property
    def item_index(self) -> int | None:
        """The index after the section (``2`` in ``steps[2].body``), or ``None``."""
        second = self.parts[1] if len(self.parts) > 1 else None
        return second if isinstance(second, int) else None

    @property
    def step_index(self) -> int | None:
        """The step of a ``steps[i]...`` path, else ``None``."""
        return self.item_index if self.section == STEPS else None

    @property
    def function_index(self) -> int | None:
        """The function of a ``functions[i]...`` path, else ``None``."""
        return self.item_index if self.section == FUNCTIONS else None

    @property
    def variable_index(self) -> int | None:
        """The variable of a ``variables[i]...`` path, else ``None``."""
        return self.item_index if self.section == VARIABLES else None

    @property
    def escalation_name(self) -> str | None:
        """The variable name of an ``escalationLevel.Name`` path, else ``None``."""
        if self.section != ESCALATION_LEVEL or len(self.parts) != 2:
            return None
        name = self.parts[1]
        return name if isinstance(name, str) else None

    @property
    def item(self) -> FieldPath:
        """The step, function or variable the path is in (``steps[0]``), else the section."""
        return FieldPath(self.parts[: 1 if self.item_index is None else 2])

    @property
    def rest(self) -> FieldPath:
        """The part after :attr:`item` (``headers[1].value`` in ``steps[0].headers[1].value``)."""
        return FieldPath(self.parts[1 if self.item_index is None else 2 :])

    @property
    def leaf(self) -> str:
        """The last name (``value`` in ``variables[1].value``), ``""`` if it ends in an index."""
        last = self.parts[-1] if self.parts else ""
        return last if isinstance(last, str) else ""


FieldPath.WHOLE = FieldPath()
FieldPath.NAME = FieldPath(("name",))
FieldPath.TARGET = FieldPath(("target",))
FieldPath.STEPS = FieldPath((STEPS,))
