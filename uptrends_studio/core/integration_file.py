"""The ``*.integration.json`` file format: load (with migration and validation) and save.

The format is documented field by field in ``docs/file-format.md``. Saving is deterministic
(fixed key order, 2-space indent, trailing newline) so files diff cleanly in git.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from uptrends_studio.core import jsonfile
from uptrends_studio.core.errors import FileFormatError
from uptrends_studio.core.jsonfile import Reader, pointer
from uptrends_studio.core.model import (
    ALERT_TYPES,
    HASH_ALGORITHMS,
    HTTP_METHODS,
    AlertType,
    Authentication,
    AuthType,
    HashFunction,
    Header,
    Integration,
    MappingEntry,
    MappingFunction,
    RegexFunction,
    ResponseSource,
    ResponseVariable,
    Step,
    UserFunction,
    Variable,
    VariableMode,
    VaultField,
    VaultRef,
)
from uptrends_studio.core.parser import NAME_RULE, is_reference_name

FORMAT = "uptrends-studio.integration"
VERSION = 1
SUFFIX = ".integration.json"

MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""``MIGRATIONS[n]`` turns a version-``n`` document into version ``n + 1``."""

_TOP = (
    "format",
    "version",
    "name",
    "integrationType",
    "description",
    "target",
    "variables",
    "steps",
    "functions",
)
_VARIABLE = ("name", "mode", "value", "secret", "vault", "description")
_STEP = (
    "name",
    "alertTypes",
    "method",
    "url",
    "headers",
    "body",
    "authentication",
    "responseVariables",
)
_RESPONSE_VARIABLE = ("name", "source", "property")
_AUTH = ("type", "username", "password")
_FUNCTION = ("name", "type", "mapping", "pattern", "algorithm", "key")


def load(path: Path) -> Integration:
    """Load an integration file.

    Raises:
        FileFormatError: naming the file, the field (JSON pointer) and the problem.
    """
    return from_document(jsonfile.read_json(path), str(path))


def loads(text: str, name: str = "<text>") -> Integration:
    """Load an integration from JSON text (``name`` is used in error messages)."""
    return from_document(jsonfile.parse_json_text(text, name), name)


def from_document(document: object, name: str) -> Integration:
    """Migrate and validate a decoded JSON document."""
    reader = Reader(name)
    data = dict(reader.obj(document, ""))
    version = reader.header(data, FORMAT, VERSION)
    while version < VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    reader.obj(data, "", _TOP)
    return Integration(
        name=reader.string(reader.require(data, "name", ""), "/name"),
        integration_type=reader.get(
            data, "integrationType", "", reader.string, "Uptrends integration"
        ),
        description=reader.get(data, "description", "", reader.string, ""),
        target=reader.get(data, "target", "", reader.string, "").strip(),
        variables=_variables(reader, data.get("variables", [])),
        steps=_steps(reader, data.get("steps", [])),
        functions=_functions(reader, data.get("functions", [])),
    )


def _variables(reader: Reader, value: object) -> tuple[Variable, ...]:
    result: list[Variable] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(reader.array(value, "/variables")):
        where = pointer("/variables", index)
        data = reader.obj(item, where, _VARIABLE)
        name = reader.string(reader.require(data, "name", where), pointer(where, "name"))
        if not name.strip():
            raise reader.fail(pointer(where, "name"), "a variable needs a name")
        if name in seen:
            raise reader.fail(
                pointer(where, "name"), f"{name!r} is already defined at {seen[name]}"
            )
        seen[name] = where
        mode = VariableMode(
            reader.choice(data.get("mode", "here"), pointer(where, "mode"), tuple(VariableMode))
        )
        vault = None
        if "vault" in data:
            vault_where = pointer(where, "vault")
            vault_data = reader.obj(data["vault"], vault_where, ("item", "field"))
            vault = VaultRef(
                item=reader.string(
                    reader.require(vault_data, "item", vault_where), pointer(vault_where, "item")
                ),
                field=VaultField(
                    reader.choice(
                        reader.require(vault_data, "field", vault_where),
                        pointer(vault_where, "field"),
                        tuple(VaultField),
                    )
                ),
            )
        value_text = reader.get(data, "value", where, reader.string, "")
        if vault is not None and value_text:
            raise reader.fail(where, "give either 'value' or 'vault', not both")
        result.append(
            Variable(
                name=name,
                mode=mode,
                value=value_text,
                secret=reader.get(data, "secret", where, reader.boolean, False),
                vault=vault,
                description=reader.get(data, "description", where, reader.string, ""),
            )
        )
    return tuple(result)


def _steps(reader: Reader, value: object) -> tuple[Step, ...]:
    steps: list[Step] = []
    for index, item in enumerate(reader.array(value, "/steps")):
        where = pointer("/steps", index)
        data = reader.obj(item, where, _STEP)
        types_where = pointer(where, "alertTypes")
        types: list[AlertType] = []
        # Left out: a step used for every type, as Uptrends' new single step; [] = helper step.
        default_types = [t.value for t in ALERT_TYPES]
        raw_types = data.get("alertTypes", default_types)
        for type_index, raw in enumerate(reader.array(raw_types, types_where)):
            name = reader.choice(
                raw, pointer(types_where, type_index), tuple(t.value for t in ALERT_TYPES)
            )
            alert_type = AlertType(name)
            if alert_type in types:
                raise reader.fail(pointer(types_where, type_index), f"{name!r} is listed twice")
            types.append(alert_type)
        method = reader.get(data, "method", where, reader.string, "POST")
        if method.upper() not in HTTP_METHODS:
            raise reader.fail(
                pointer(where, "method"), f"{method!r} is not one of {', '.join(HTTP_METHODS)}"
            )
        headers: list[Header] = []
        headers_where = pointer(where, "headers")
        for header_index, raw in enumerate(reader.array(data.get("headers", []), headers_where)):
            header_where = pointer(headers_where, header_index)
            header = reader.obj(raw, header_where, ("name", "value"))
            headers.append(
                Header(
                    name=reader.string(
                        reader.require(header, "name", header_where), pointer(header_where, "name")
                    ),
                    value=reader.get(header, "value", header_where, reader.string, ""),
                )
            )
        auth = Authentication()
        if "authentication" in data:
            auth_where = pointer(where, "authentication")
            auth_data = reader.obj(data["authentication"], auth_where, _AUTH)
            auth = Authentication(
                type=AuthType(
                    reader.choice(
                        auth_data.get("type", "None"), pointer(auth_where, "type"), tuple(AuthType)
                    )
                ),
                username=reader.get(auth_data, "username", auth_where, reader.string, ""),
                password=reader.get(auth_data, "password", auth_where, reader.string, ""),
            )
        response_variables = _response_variables(
            reader, data.get("responseVariables", []), pointer(where, "responseVariables")
        )
        steps.append(
            Step(
                name=reader.get(data, "name", where, reader.string, f"Step {index + 1}"),
                alert_types=tuple(sorted(types, key=ALERT_TYPES.index)),
                method=method.upper(),
                url=reader.get(data, "url", where, reader.string, ""),
                headers=tuple(headers),
                body=reader.get(data, "body", where, reader.string, ""),
                authentication=auth,
                response_variables=response_variables,
            )
        )
    return tuple(steps)


def _response_variables(reader: Reader, value: object, where: str) -> tuple[ResponseVariable, ...]:
    result: list[ResponseVariable] = []
    seen: set[str] = set()
    for index, raw in enumerate(reader.array(value, where)):
        item_where = pointer(where, index)
        data = reader.obj(raw, item_where, _RESPONSE_VARIABLE)
        name = reader.string(reader.require(data, "name", item_where), pointer(item_where, "name"))
        if not is_reference_name(name):
            raise reader.fail(
                pointer(item_where, "name"),
                f"{name!r} cannot be used as a {{{{name}}}} reference: {NAME_RULE}",
            )
        if name in seen:
            raise reader.fail(pointer(item_where, "name"), f"{name!r} is defined twice")
        seen.add(name)
        source = ResponseSource(
            reader.choice(
                data.get("source", ResponseSource.JSON_PATH.value),
                pointer(item_where, "source"),
                tuple(ResponseSource),
            )
        )
        prop = reader.get(data, "property", item_where, reader.string, "")
        if source is not ResponseSource.STATUS_CODE and not prop.strip():
            what = "a JSON path" if source is ResponseSource.JSON_PATH else "a header name"
            raise reader.fail(pointer(item_where, "property"), f"give {what}")
        result.append(ResponseVariable(name=name, source=source, property=prop))
    return tuple(result)


def _functions(reader: Reader, value: object) -> tuple[UserFunction, ...]:
    functions: list[UserFunction] = []
    seen: set[str] = set()
    for index, item in enumerate(reader.array(value, "/functions")):
        where = pointer("/functions", index)
        data = reader.obj(item, where, _FUNCTION)
        name = reader.string(reader.require(data, "name", where), pointer(where, "name"))
        if not is_reference_name(name):
            raise reader.fail(
                pointer(where, "name"), f"{name!r} is not a usable function name ({NAME_RULE})"
            )
        if name in seen:
            raise reader.fail(pointer(where, "name"), f"function {name!r} is defined twice")
        seen.add(name)
        kind = reader.choice(
            reader.require(data, "type", where),
            pointer(where, "type"),
            ("mapping", "regex", "hash"),
        )
        extra = set(data) - {
            "name",
            "type",
            {"mapping": "mapping", "regex": "pattern", "hash": "algorithm"}[kind],
        }
        if kind == "hash":
            extra.discard("key")
        if extra:
            field_name = sorted(extra)[0]
            raise reader.fail(
                pointer(where, field_name), f"a {kind} function has no {field_name!r}"
            )
        if kind == "mapping":
            rows: list[MappingEntry] = []
            map_where = pointer(where, "mapping")
            for row_index, raw in enumerate(reader.array(data.get("mapping", []), map_where)):
                row_where = pointer(map_where, row_index)
                row = reader.obj(raw, row_where, ("from", "to"))
                rows.append(
                    MappingEntry(
                        source=reader.string(
                            reader.require(row, "from", row_where), pointer(row_where, "from")
                        ),
                        target=reader.string(
                            reader.require(row, "to", row_where), pointer(row_where, "to")
                        ),
                    )
                )
            functions.append(MappingFunction(name=name, mapping=tuple(rows)))
        elif kind == "regex":
            functions.append(
                RegexFunction(
                    name=name, pattern=reader.get(data, "pattern", where, reader.string, "")
                )
            )
        else:
            algorithm = reader.choice(
                data.get("algorithm", "SHA256"), pointer(where, "algorithm"), HASH_ALGORITHMS
            )
            functions.append(
                HashFunction(
                    name=name,
                    algorithm=algorithm,
                    key=reader.get(data, "key", where, reader.string, ""),
                )
            )
    return tuple(functions)


def to_document(integration: Integration) -> dict[str, Any]:
    """The JSON document for an integration, with keys in the documented order."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "name": integration.name,
        "integrationType": integration.integration_type,
        **({"description": integration.description} if integration.description else {}),
        **({"target": integration.target} if integration.target else {}),
        "variables": [_variable_document(v) for v in integration.variables],
        "steps": [_step_document(s) for s in integration.steps],
        "functions": [_function_document(f) for f in integration.functions],
    }


def _variable_document(variable: Variable) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": variable.name, "mode": variable.mode.value}
    # Nothing is dropped: a value kept while the mode is escalationLevel is written too, so a
    # mode switched back and forth loses nothing.
    if variable.vault is not None:
        doc["vault"] = {"item": variable.vault.item, "field": variable.vault.field.value}
    elif variable.mode is VariableMode.HERE or variable.value:
        doc["value"] = variable.value
    doc["secret"] = variable.secret
    if variable.description:
        doc["description"] = variable.description
    return doc


def _step_document(step: Step) -> dict[str, Any]:
    auth: dict[str, Any] = {"type": step.authentication.type.value}
    if (
        step.authentication.type is not AuthType.NONE
        or step.authentication.username
        or step.authentication.password
    ):
        auth["username"] = step.authentication.username
        auth["password"] = step.authentication.password
    doc: dict[str, Any] = {
        "name": step.name,
        "alertTypes": [t.value for t in step.alert_types],
        "method": step.method,
        "url": step.url,
        "headers": [{"name": h.name, "value": h.value} for h in step.headers],
        "body": step.body,
        "authentication": auth,
    }
    if step.response_variables:
        doc["responseVariables"] = [
            {"name": v.name, "source": v.source.value, "property": v.property}
            for v in step.response_variables
        ]
    return doc


def _function_document(function: UserFunction) -> Mapping[str, Any]:
    if isinstance(function, MappingFunction):
        return {
            "name": function.name,
            "type": "mapping",
            "mapping": [{"from": e.source, "to": e.target} for e in function.mapping],
        }
    if isinstance(function, RegexFunction):
        return {"name": function.name, "type": "regex", "pattern": function.pattern}
    doc: dict[str, Any] = {"name": function.name, "type": "hash", "algorithm": function.algorithm}
    if function.algorithm.startswith("HMAC") or function.key:
        doc["key"] = function.key
    return doc


def dumps(integration: Integration) -> str:
    """Serialise deterministically (stable key order, 2-space indent, trailing newline)."""
    return jsonfile.dumps(to_document(integration))


def save(integration: Integration, path: Path) -> None:
    """Write the integration to ``path`` atomically."""
    try:
        jsonfile.write_text_atomic(path, dumps(integration))
    except OSError as exc:
        raise FileFormatError(
            str(path), "", f"cannot write the file: {exc.strerror or exc}"
        ) from None
