"""The ``*.integration.json`` file format: load (with migration and validation) and save.

The format is documented field by field in ``docs/file-format.md``. Saving is deterministic
(fixed key order, 2-space indent, trailing newline) so files diff cleanly in git.

Secret values (secret variables with a plain value, authentication passwords typed as text) are
never written: the file keeps a ``"source"`` marker and :func:`save` puts the value in a
:class:`~uptrends_studio.core.secret_store.SecretStore`; :func:`load_with_secrets` finds it again
(environment, ``.env``, store). :func:`dumps` and :func:`to_document` never contain them either.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from uptrends_studio.core.document import jsonfile
from uptrends_studio.core.document.jsonfile import Reader, pointer
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    HASH_ALGORITHMS,
    HTTP_METHODS,
    JWT_ALGORITHMS,
    AlertType,
    Authentication,
    AuthType,
    HashFunction,
    Header,
    Integration,
    JwtFunction,
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
from uptrends_studio.core.errors import FileFormatError
from uptrends_studio.core.language.parser import NAME_RULE, is_reference_name
from uptrends_studio.core.secret_store import (
    SOURCE_KINDS,
    SecretLookup,
    SecretNote,
    SecretOrigin,
    SecretSource,
    SecretSourceKind,
    SecretStore,
    function_key_slot,
    integration_slots,
    keep_values,
    password_slot,
    store_ref,
    variable_slot,
)

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
    "id",
)
_VARIABLE = ("name", "mode", "value", "secret", "source", "vault", "description")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
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
_FUNCTION = ("name", "type", "mapping", "pattern", "algorithm", "key", "header")


@dataclass(frozen=True, slots=True)
class LoadedIntegration:
    """An integration loaded with its secret values looked up.

    Attributes:
        integration: The model, secret values filled in (``""`` where none was found).
        sources: Where each secret value came from, in file order.
        notes: What the user should be told: missing values, clear text found, no keyring.
    """

    integration: Integration
    sources: tuple[SecretSource, ...] = ()
    notes: tuple[SecretNote, ...] = ()


def load(path: Path) -> Integration:
    """Load an integration file without looking up secrets.

    Secret values kept out of the file load as ``""`` (use :func:`load_with_secrets` to find
    them); clear-text secrets in older files load as written.

    Raises:
        FileFormatError: naming the file, the field (JSON pointer) and the problem.
    """
    return from_document(jsonfile.read_json(path), str(path))


def load_with_secrets(
    path: Path, *, store: SecretStore | None, env: Mapping[str, str] | None
) -> LoadedIntegration:
    """Load an integration file and look up its secret values.

    Each marked value is looked for in ``env`` (``UPTRENDS_SECRET_<NAME>``), then the ``.env``
    file next to ``path``, then ``store`` (under the integration's ``id``). An environment
    variable also overrides a clear-text value of an older file.

    Raises:
        FileFormatError: naming the file, the field (JSON pointer) and the problem.
    """
    integration, markers = _decode(jsonfile.read_json(path), str(path))
    return fill_secrets(integration, markers, SecretLookup.for_file(path, env, store))


def loads_with_secrets(
    text: str,
    name: str,
    *,
    path: Path | None,
    store: SecretStore | None,
    env: Mapping[str, str] | None,
) -> LoadedIntegration:
    """Like :func:`load_with_secrets` for text (an autosave); ``path`` locates the ``.env``.

    Raises:
        FileFormatError: naming ``name``, the field (JSON pointer) and the problem.
    """
    integration, markers = _decode(jsonfile.parse_json_text(text, name), name)
    return fill_secrets(integration, markers, SecretLookup.for_file(path, env, store))


def new_id() -> str:
    """A fresh random integration id (a UUID)."""
    import uuid  # imported here: loading a file needs none, and the CLI starts faster

    return str(uuid.uuid4())


def ensure_id(integration: Integration) -> Integration:
    """The integration with an ``id`` (a new one when it has none), e.g. when it is opened.

    An editor that gives every document its id up front never has to adopt the id that
    :func:`save` would otherwise create.
    """
    return integration if integration.id else replace(integration, id=new_id())


def loads(text: str, name: str = "<text>") -> Integration:
    """Load an integration from JSON text (``name`` is used in error messages)."""
    return from_document(jsonfile.parse_json_text(text, name), name)


def from_document(document: object, name: str) -> Integration:
    """Migrate and validate a decoded JSON document (secret values kept out of it load as "")."""
    return _decode(document, name)[0]


def fill_secrets(
    integration: Integration, markers: Mapping[str, str], lookup: SecretLookup
) -> LoadedIntegration:
    """Fill in the secret values of ``integration`` from ``lookup``.

    Args:
        integration: As decoded, marked secrets empty.
        markers: The ``source`` marker of each marked slot, by slot pointer.
        lookup: The environment, ``.env`` and store to search.
    """
    sources: list[SecretSource] = []
    values: dict[str, str] = {}
    for slot, value in integration_slots(integration, markers.keys()):
        marker = markers.get(slot.pointer)
        if marker is not None:
            ref = store_ref(integration.id, slot) if integration.id else ""
            found, source = lookup.find(slot, ref, marker)
        else:
            env_found = lookup.from_environment(slot)
            if env_found is not None:
                found = env_found[0]
                source = SecretSource(slot, env_found[1], env_found[2])
            else:
                origin = SecretOrigin.FILE if value else SecretOrigin.EMPTY
                found, source = value, SecretSource(slot, origin)
        values[slot.pointer] = found
        sources.append(source)
    return LoadedIntegration(
        _with_secret_values(integration, values), tuple(sources), tuple(lookup.notes(sources))
    )


def describe_secrets(
    integration: Integration,
    path: Path | None,
    *,
    store: SecretStore | None,
    env: Mapping[str, str] | None,
) -> tuple[SecretSource, ...]:
    """Where each secret of an integration being edited comes from (or will be kept).

    For the "where the secret comes from" display: an environment variable or ``.env`` entry
    (which wins on the next load), the store when it holds the current value, ``PENDING`` when the
    next save will store it, ``EMPTY`` for no value.
    """
    lookup = SecretLookup.for_file(path, env, store)
    sources: list[SecretSource] = []
    for slot, value in integration_slots(integration):
        env_found = lookup.from_environment(slot)
        if env_found is not None:
            sources.append(SecretSource(slot, env_found[1], env_found[2]))
        elif not value:
            sources.append(SecretSource(slot, SecretOrigin.EMPTY))
        elif (
            store is not None
            and integration.id
            and store.get(store_ref(integration.id, slot)) == value
        ):
            sources.append(SecretSource(slot, SecretOrigin.STORE, store.backend_name))
        else:
            where = store.backend_name if store is not None else ""
            sources.append(SecretSource(slot, SecretOrigin.PENDING, where))
    return tuple(sources)


def _with_secret_values(integration: Integration, values: Mapping[str, str]) -> Integration:
    variables = tuple(
        replace(v, value=values.get(variable_slot(i, v.name).pointer, v.value))
        for i, v in enumerate(integration.variables)
    )
    steps = tuple(
        replace(
            s,
            authentication=replace(
                s.authentication,
                password=values.get(password_slot(i, s.name).pointer, s.authentication.password),
            ),
        )
        for i, s in enumerate(integration.steps)
    )
    functions = tuple(
        replace(f, key=values.get(function_key_slot(i, f.name).pointer, f.key))
        if isinstance(f, JwtFunction)
        else f
        for i, f in enumerate(integration.functions)
    )
    return replace(integration, variables=variables, steps=steps, functions=functions)


def _decode(document: object, name: str) -> tuple[Integration, dict[str, str]]:
    """The integration and the ``source`` marker of each secret kept out of the file."""
    reader = Reader(name)
    markers: dict[str, str] = {}
    data = dict(reader.obj(document, ""))
    version = reader.header(data, FORMAT, VERSION)
    while version < VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    reader.obj(data, "", _TOP)
    integration_id = reader.get(data, "id", "", reader.string, "")
    if integration_id and not _ID.fullmatch(integration_id):
        raise reader.fail(
            "/id", "must be letters, digits, '.', '_' or '-' (at most 100), like a UUID"
        )
    integration = Integration(
        name=reader.string(reader.require(data, "name", ""), "/name"),
        integration_type=reader.get(
            data, "integrationType", "", reader.string, "Uptrends integration"
        ),
        description=reader.get(data, "description", "", reader.string, ""),
        target=reader.get(data, "target", "", reader.string, "").strip(),
        variables=_variables(reader, data.get("variables", []), markers),
        steps=_steps(reader, data.get("steps", []), markers),
        functions=_functions(reader, data.get("functions", []), markers),
        id=integration_id,
    )
    return integration, markers


def _variables(reader: Reader, value: object, markers: dict[str, str]) -> tuple[Variable, ...]:
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
        secret = reader.get(data, "secret", where, reader.boolean, False)
        if "source" in data:
            source_where = pointer(where, "source")
            marker = reader.choice(data["source"], source_where, SOURCE_KINDS)
            if not secret:
                raise reader.fail(source_where, 'only a variable with "secret": true has a source')
            if vault is not None or "value" in data:
                raise reader.fail(
                    source_where,
                    "a secret kept in the keyring or the environment has no 'value' or 'vault'",
                )
            markers[variable_slot(index, name).pointer] = marker
        result.append(
            Variable(
                name=name,
                mode=mode,
                value=value_text,
                secret=secret,
                vault=vault,
                description=reader.get(data, "description", where, reader.string, ""),
            )
        )
    return tuple(result)


def _password(
    reader: Reader, data: Mapping[str, Any], where: str, field_name: str = "password"
) -> tuple[str, str | None]:
    """An authentication password (or JWT key): the text, or ``("", marker)`` if kept out."""
    if field_name not in data:
        return "", None
    raw = data[field_name]
    password_where = pointer(where, field_name)
    if isinstance(raw, dict):
        marker = reader.obj(raw, password_where, ("source",))
        kind = reader.choice(
            reader.require(marker, "source", password_where),
            pointer(password_where, "source"),
            SOURCE_KINDS,
        )
        return "", kind
    return reader.string(raw, password_where), None


def _steps(reader: Reader, value: object, markers: dict[str, str]) -> tuple[Step, ...]:
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
            password, marker = _password(reader, auth_data, auth_where)
            if marker is not None:
                step_name = reader.get(data, "name", where, reader.string, f"Step {index + 1}")
                markers[password_slot(index, step_name).pointer] = marker
            auth = Authentication(
                type=AuthType(
                    reader.choice(
                        auth_data.get("type", "None"), pointer(auth_where, "type"), tuple(AuthType)
                    )
                ),
                username=reader.get(auth_data, "username", auth_where, reader.string, ""),
                password=password,
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


def _functions(reader: Reader, value: object, markers: dict[str, str]) -> tuple[UserFunction, ...]:
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
            ("mapping", "regex", "hash", "jwt"),
        )
        extra = set(data) - {
            "name",
            "type",
            {"mapping": "mapping", "regex": "pattern", "hash": "algorithm", "jwt": "algorithm"}[
                kind
            ],
        }
        if kind in ("hash", "jwt"):
            extra.discard("key")
        if kind == "jwt":
            extra.discard("header")
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
        elif kind == "jwt":
            key, marker = _password(reader, data, where, "key")
            if marker is not None:
                markers[function_key_slot(index, name).pointer] = marker
            functions.append(
                JwtFunction(
                    name=name,
                    algorithm=reader.choice(
                        data.get("algorithm", "HS256"), pointer(where, "algorithm"), JWT_ALGORITHMS
                    ),
                    key=key,
                    header=reader.get(data, "header", where, reader.string, ""),
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


def to_document(
    integration: Integration, markers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The JSON document for an integration, with keys in the documented order.

    Secret values are never in it: each is replaced by its ``source`` marker,
    ``markers[slot pointer]`` (``keyring`` when not given).
    """
    kept: dict[str, str] = {}
    for slot, _ in integration_slots(integration):
        kept[slot.pointer] = (markers or {}).get(slot.pointer, SecretSourceKind.KEYRING.value)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "name": integration.name,
        "integrationType": integration.integration_type,
        **({"description": integration.description} if integration.description else {}),
        **({"target": integration.target} if integration.target else {}),
        "variables": [
            _variable_document(v, kept.get(variable_slot(i, v.name).pointer))
            for i, v in enumerate(integration.variables)
        ],
        "steps": [
            _step_document(s, kept.get(password_slot(i, s.name).pointer))
            for i, s in enumerate(integration.steps)
        ],
        "functions": [
            _function_document(f, kept.get(function_key_slot(i, f.name).pointer))
            for i, f in enumerate(integration.functions)
        ],
    }
    if integration.id:
        document["id"] = integration.id
    return document


def _variable_document(variable: Variable, marker: str | None) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": variable.name, "mode": variable.mode.value}
    # Nothing is dropped: a value kept while the mode is escalationLevel is written too, so a
    # mode switched back and forth loses nothing. A secret value is kept out of the file.
    if variable.vault is not None:
        doc["vault"] = {"item": variable.vault.item, "field": variable.vault.field.value}
    elif marker is None and (variable.mode is VariableMode.HERE or variable.value):
        doc["value"] = variable.value
    doc["secret"] = variable.secret
    if marker is not None:
        doc["source"] = marker
    if variable.description:
        doc["description"] = variable.description
    return doc


def _step_document(step: Step, marker: str | None) -> dict[str, Any]:
    auth: dict[str, Any] = {"type": step.authentication.type.value}
    if (
        step.authentication.type is not AuthType.NONE
        or step.authentication.username
        or step.authentication.password
    ):
        auth["username"] = step.authentication.username
        auth["password"] = step.authentication.password if marker is None else {"source": marker}
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


def _function_document(function: UserFunction, marker: str | None) -> Mapping[str, Any]:
    if isinstance(function, MappingFunction):
        return {
            "name": function.name,
            "type": "mapping",
            "mapping": [{"from": e.source, "to": e.target} for e in function.mapping],
        }
    if isinstance(function, RegexFunction):
        return {"name": function.name, "type": "regex", "pattern": function.pattern}
    if isinstance(function, JwtFunction):
        jwt_doc: dict[str, Any] = {
            "name": function.name,
            "type": "jwt",
            "algorithm": function.algorithm,
            # A key typed as text is a secret: the file keeps its marker (see _password).
            "key": function.key if marker is None or not function.key else {"source": marker},
        }
        if function.header:
            jwt_doc["header"] = function.header
        return jwt_doc
    doc: dict[str, Any] = {"name": function.name, "type": "hash", "algorithm": function.algorithm}
    if function.algorithm.startswith("HMAC") or function.key:
        doc["key"] = function.key
    return doc


def dumps(integration: Integration) -> str:
    """Serialise deterministically (stable key order, 2-space indent, trailing newline).

    Secret values are replaced by ``"source": "keyring"`` markers: the text is safe to export,
    autosave or show.
    """
    return jsonfile.dumps(to_document(integration))


def save(
    integration: Integration,
    path: Path,
    *,
    store: SecretStore | None = None,
    env: Mapping[str, str] | None = None,
) -> Integration:
    """Write the integration to ``path`` atomically, its secret values to ``store``.

    The first save that keeps a secret gives the integration a random ``id`` (the key of its
    secrets in the store). A secret that ``env`` or the ``.env`` next to ``path`` already
    supplies with the same value is marked ``env`` and not stored. Without a store, secret values
    are not kept anywhere: the file only has their markers.

    Returns:
        The integration as saved (with its ``id``); keep it, so the next save uses the same id.

    Raises:
        SecretStoreError: the keyring refused a value (the file is not written).
        FileFormatError: the file cannot be written.
    """
    slots = integration_slots(integration)
    if store is not None and not integration.id and any(value for _, value in slots):
        integration = replace(integration, id=new_id())
    markers = keep_values(SecretLookup.for_file(path, env, store), integration.id, slots)
    try:
        jsonfile.write_text_atomic(path, jsonfile.dumps(to_document(integration, markers)))
    except OSError as exc:
        raise FileFormatError(
            str(path), "", f"cannot write the file: {exc.strerror or exc}"
        ) from None
    return integration
