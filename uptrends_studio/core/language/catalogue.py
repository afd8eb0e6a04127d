"""The catalogue of Uptrends system variables and built-in functions (``resources/catalogue.json``).

One data file feeds evaluation (which names exist, which are free text), editor completion and
tooltips (descriptions, examples) and the defaults behind sample data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from uptrends_studio.core.document import jsonfile
from uptrends_studio.core.document.jsonfile import Reader, pointer
from uptrends_studio.paths import resource_path

FORMAT = "uptrends-studio.catalogue"


@dataclass(frozen=True, slots=True)
class VariableInfo:
    """One system variable (``@alert.type``)."""

    name: str
    group: str
    description: str
    example: str
    free_text: bool
    derived_from: str = ""


@dataclass(frozen=True, slots=True)
class FunctionInfo:
    """One built-in function or automatic variable (``@JsonEncode``, ``@RandomGuid``).

    ``args`` is ``None`` for tokens used without parentheses; a trailing ``?`` marks an optional
    argument.
    """

    name: str
    args: tuple[str, ...] | None
    description: str
    example: str

    @property
    def min_args(self) -> int:
        """Number of required arguments."""
        return sum(1 for a in self.args or () if not a.endswith("?"))

    @property
    def max_args(self) -> int:
        """Number of accepted arguments."""
        return len(self.args or ())


@dataclass(frozen=True, slots=True)
class Catalogue:
    """System variables, built-in functions and default sample values."""

    variables: tuple[VariableInfo, ...]
    functions: tuple[FunctionInfo, ...]
    default_values: Mapping[str, str]
    default_per_type: Mapping[str, Mapping[str, str]]
    default_timezone: str
    default_culture: str
    default_seed: int
    _by_name: dict[str, VariableInfo] = field(init=False, repr=False, compare=False)
    _by_folded: dict[str, VariableInfo] = field(init=False, repr=False, compare=False)
    _fn: dict[str, FunctionInfo] = field(init=False, repr=False, compare=False)
    _fn_folded: dict[str, FunctionInfo] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {v.name: v for v in self.variables}
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_folded", {k.casefold(): v for k, v in by_name.items()})
        fn = {f.name: f for f in self.functions}
        object.__setattr__(self, "_fn", fn)
        object.__setattr__(self, "_fn_folded", {k.casefold(): v for k, v in fn.items()})

    def variable(self, name: str) -> VariableInfo | None:
        """The variable spelled exactly ``name``."""
        return self._by_name.get(name)

    def variable_folded(self, name: str) -> VariableInfo | None:
        """The variable matching ``name`` case-insensitively."""
        return self._by_folded.get(name.casefold())

    def function(self, name: str) -> FunctionInfo | None:
        """The built-in function spelled exactly ``name`` (with its ``@``)."""
        return self._fn.get(name)

    def function_folded(self, name: str) -> FunctionInfo | None:
        """The built-in function matching ``name`` case-insensitively."""
        return self._fn_folded.get(name.casefold())

    def suggest(self, name: str) -> str | None:
        """The closest known system variable or function name, for "did you mean"."""
        candidates = [v.name for v in self.variables if "(" not in v.name]
        candidates += [f.name for f in self.functions]
        folded = [c for c in candidates if c.casefold() == name.casefold()]
        if folded:
            return folded[0]
        import difflib  # only for a "did you mean": keeps the start of the CLI fast

        match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        return match[0] if match else None


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load the catalogue (by default the one shipped in ``resources/``)."""
    path = path or resource_path("catalogue.json")
    reader = Reader(str(path))
    data = reader.obj(jsonfile.read_json(path), "")
    reader.header(data, FORMAT, 1)
    variables = []
    for index, raw in enumerate(reader.array(reader.require(data, "variables", ""), "/variables")):
        where = pointer("/variables", index)
        item = reader.obj(raw, where)
        variables.append(
            VariableInfo(
                name=reader.string(item["name"], pointer(where, "name")),
                group=reader.string(item["group"], pointer(where, "group")),
                description=reader.string(item["description"], pointer(where, "description")),
                example=reader.string(item["example"], pointer(where, "example")),
                free_text=reader.boolean(item["freeText"], pointer(where, "freeText")),
                derived_from=reader.get(item, "derivedFrom", where, reader.string, ""),
            )
        )
    functions = []
    for index, raw in enumerate(reader.array(reader.require(data, "functions", ""), "/functions")):
        where = pointer("/functions", index)
        item = reader.obj(raw, where)
        args = item.get("args")
        functions.append(
            FunctionInfo(
                name=reader.string(item["name"], pointer(where, "name")),
                args=None
                if args is None
                else tuple(
                    reader.string(a, pointer(where, "args")) for a in reader.array(args, where)
                ),
                description=reader.string(item["description"], pointer(where, "description")),
                example=reader.string(item["example"], pointer(where, "example")),
            )
        )
    defaults = reader.obj(reader.require(data, "defaults", ""), "/defaults")
    per_type_raw = reader.obj(defaults.get("perType", {}), "/defaults/perType")
    return Catalogue(
        variables=tuple(variables),
        functions=tuple(functions),
        default_values=MappingProxyType(reader.string_map(defaults["values"], "/defaults/values")),
        default_per_type=MappingProxyType(
            {
                key: MappingProxyType(reader.string_map(value, pointer("/defaults/perType", key)))
                for key, value in per_type_raw.items()
            }
        ),
        default_timezone=reader.string(defaults["timezone"], "/defaults/timezone"),
        default_culture=reader.string(defaults["culture"], "/defaults/culture"),
        default_seed=reader.integer(defaults["seed"], "/defaults/seed"),
    )
