"""Tests for the ``*.integration.json`` format: the version-1 fixture, saving, and broken files."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import (
    AlertType,
    Authentication,
    AuthType,
    HashFunction,
    Header,
    Integration,
    MappingEntry,
    MappingFunction,
    RegexFunction,
    Step,
    Variable,
    VariableMode,
    VaultField,
    VaultRef,
)
from uptrends_studio.core.errors import FileFormatError
from uptrends_studio.core.secret_store import without_secret_values

DATA = Path(__file__).resolve().parents[2] / "data"
V1_FILE = DATA / "v1.integration.json"
# The fixture holds the secret ApiKey in clear text, as files did before secrets were kept out;
# the Studio now saves a marker in its place (docs/file-format.md, "Secret values").
V1_SAVED_TEXT = V1_FILE.read_text(encoding="utf-8").replace(
    '      "value": "s3cr3t-ключ",\n      "secret": true\n',
    '      "secret": true,\n      "source": "keyring"\n',
)
VAULT_ITEM = "5e0a8c3d-2b4f-4e6a-8d1c-9f7b3a2e6c41"

# What tests/data/v1.integration.json must load to, written out by hand.
V1_MODEL = Integration(
    name="Every field (format version 1) \u2013 Zürich ✓",  # en dash
    integration_type="Custom webhook",
    description="Test fixture: one of everything the version-1 format can hold.\n"
    'Second line with "quotes", a \\ backslash and a / slash.',
    variables=(
        Variable(
            name="ApiUrl",
            mode=VariableMode.HERE,
            value="https://hooks.example.com/v1",
            secret=False,
            description="Where alerts go.",
        ),
        Variable(name="ApiKey", mode=VariableMode.HERE, value="s3cr3t-ключ", secret=True),
        Variable(
            name="Team",
            mode=VariableMode.ESCALATION_LEVEL,
            description="Set per escalation level.",
        ),
        Variable(name="OnCallPin", mode=VariableMode.ESCALATION_LEVEL, secret=True),
        Variable(name="ServiceUser", vault=VaultRef(VAULT_ITEM, VaultField.USERNAME)),
        Variable(
            name="ServicePassword",
            secret=True,
            vault=VaultRef(VAULT_ITEM, VaultField.PASSWORD),
            description="From the vault.",
        ),
        Variable(name="Empty", value=""),
    ),
    steps=(
        Step(
            name="Get token",
            alert_types=(),
            method="POST",
            url="{{ApiUrl}}/token",
            headers=(Header("Content-Type", "application/x-www-form-urlencoded"),),
            body="grant_type=client_credentials&client_id={{ServiceUser}}",
            authentication=Authentication(AuthType.BASIC, "{{ServiceUser}}", "{{ServicePassword}}"),
        ),
        Step(
            name="Open incident",
            alert_types=(AlertType.ERROR, AlertType.REMINDER),
            method="PUT",
            url="{{ApiUrl}}/incidents/{{@incident.key}}",
            headers=(
                Header("Content-Type", "application/json"),
                Header("X-Api-Key", "{{ApiKey}}"),
                Header("X-Empty", ""),
            ),
            body='{\n  "type": "{{@alert.type}}",\n'
            '  "severity": "{{severity({{@alert.type}})}}",\n'
            '  "text": "{{@JsonEncode({{@alert.description}})}}",\n'
            '  "signature": "{{sign({{@alert.alertGuid}})}}"\n}',
            authentication=Authentication(
                AuthType.DIGEST, "digest-user", f"{{{{@VaultItem.{VAULT_ITEM}.Password}}}}"
            ),
        ),
        Step(
            name="Resolve incident",
            alert_types=(AlertType.OK,),
            method="PATCH",
            url="{{ApiUrl}}/incidents/{{@incident.key}}",
            headers=(Header("Content-Type", "text/plain; charset=utf-8"),),
            body="Resolved after {{@alert.downtimeDuration}} 🎉",
            authentication=Authentication(
                AuthType.NTLM, "DOMAIN\\svc-uptrends", "{{ServicePassword}}"
            ),
        ),
        Step(
            name="Ping audit log",
            alert_types=(),
            method="DELETE",
            url="https://audit.example.com/ping?id={{short({{@alert.alertGuid}})}}&team={{Team}}",
            headers=(),
            body="",
            authentication=Authentication(AuthType.NONE),
        ),
        Step(name="Health check", alert_types=(), method="GET", url="{{ApiUrl}}/health"),
    ),
    functions=(
        MappingFunction(
            "severity",
            (
                MappingEntry("Alert", "critical"),
                MappingEntry("Reminder", "critical"),
                MappingEntry("Ok", "resolved"),
                MappingEntry("", "unknown"),
            ),
        ),
        MappingFunction("emptyMapping", ()),
        RegexFunction("short", "^([0-9a-f]{8})-"),
        HashFunction("sign", "HMAC-SHA256", "{{ApiKey}}"),
        HashFunction("digest", "SHA512", ""),
    ),
)


# -- the version-1 fixture -----------------------------------------------------------------------


def test_v1_fixture_loads_to_the_expected_model() -> None:
    assert integration_file.load(V1_FILE) == V1_MODEL


def test_v1_fixture_covers_every_kind_of_value() -> None:
    # Guards the fixture itself: if someone trims it, the format is no longer fully exercised.
    model = integration_file.load(V1_FILE)
    assert {v.mode for v in model.variables} == set(VariableMode)
    assert {v.vault.field for v in model.variables if v.vault} == set(VaultField)
    assert {v.secret for v in model.variables} == {True, False}
    assert {s.authentication.type for s in model.steps} == set(AuthType)
    assert {s.method for s in model.steps} == {"GET", "POST", "PUT", "PATCH", "DELETE"}
    assert {t for s in model.steps for t in s.alert_types} == set(AlertType)
    assert {type(f) for f in model.functions} == {MappingFunction, RegexFunction, HashFunction}


def test_v1_fixture_saves_back_byte_for_byte_but_for_the_secret() -> None:
    assert V1_FILE.read_text(encoding="utf-8") != V1_SAVED_TEXT
    assert integration_file.dumps(integration_file.load(V1_FILE)) == V1_SAVED_TEXT


def test_save_writes_the_fixture_bytes_to_disk(tmp_path: Path) -> None:
    target = tmp_path / "copy.integration.json"
    integration_file.save(V1_MODEL, target)
    assert target.read_bytes() == V1_SAVED_TEXT.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["copy.integration.json"]  # no temp file left


def test_save_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "x.integration.json"
    target.write_text("old content that is not even JSON", encoding="utf-8")
    integration_file.save(Integration(name="New"), target)
    assert integration_file.load(target) == Integration(name="New")


# -- deterministic saving ------------------------------------------------------------------------


def test_saving_normalises_key_order_indent_and_trailing_newline(tmp_path: Path) -> None:
    # The same content written by hand: keys shuffled, no indentation, no final newline.
    shuffled = {
        "steps": [
            {
                "authentication": {"password": "p", "username": "u", "type": "Basic"},
                "body": "b",
                "url": "https://example.com",
                "method": "put",
                "alertTypes": ["Ok", "Error"],
                "name": "Only",
            }
        ],
        "functions": [{"pattern": "(x)", "type": "regex", "name": "grab"}],
        "variables": [{"secret": True, "value": "v", "name": "Key"}],
        "name": "Shuffled",
        "version": 1,
        "format": "uptrends-studio.integration",
    }
    source = tmp_path / "shuffled.integration.json"
    source.write_text(json.dumps(shuffled, separators=(",", ":")), encoding="utf-8")
    text = integration_file.dumps(integration_file.load(source))
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")
    lines = text.splitlines()
    assert lines[:6] == [
        "{",
        '  "format": "uptrends-studio.integration",',
        '  "version": 1,',
        '  "name": "Shuffled",',
        '  "integrationType": "Uptrends integration",',
        '  "variables": [',
    ]
    document = json.loads(text)
    assert list(document) == [
        "format",
        "version",
        "name",
        "integrationType",
        "variables",
        "steps",
        "functions",
    ]
    assert list(document["variables"][0]) == ["name", "mode", "secret", "source"]
    step = document["steps"][0]
    assert list(step) == [
        "name",
        "alertTypes",
        "method",
        "url",
        "headers",
        "body",
        "authentication",
    ]
    assert step["alertTypes"] == ["Error", "Ok"]  # Uptrends' screen order, not the file's
    assert step["method"] == "PUT"
    assert list(step["authentication"]) == ["type", "username", "password"]
    assert step["authentication"]["password"] == {"source": "keyring"}  # never in clear text
    assert list(document["functions"][0]) == ["name", "type", "pattern"]
    # Saving what was saved changes nothing.
    assert integration_file.dumps(integration_file.loads(text)) == text


def test_minimal_file_gets_the_documented_defaults(tmp_path: Path) -> None:
    path = tmp_path / "min.integration.json"
    path.write_text(
        '{"format": "uptrends-studio.integration", "version": 1, "name": "Min", "steps": [{}]}',
        encoding="utf-8",
    )
    model = integration_file.load(path)
    assert model.integration_type == "Uptrends integration"
    assert model.variables == ()
    assert model.functions == ()
    (step,) = model.steps
    assert (step.name, step.method, step.url, step.body) == ("Step 1", "POST", "", "")
    # Like Uptrends' new single step: used for every alert type ([] would make a helper step).
    assert step.alert_types == (AlertType.ERROR, AlertType.REMINDER, AlertType.OK)
    assert step.authentication == Authentication(AuthType.NONE, "", "")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    # Notepad on Windows writes one.
    path = tmp_path / "bom.integration.json"
    path.write_bytes(b"\xef\xbb\xbf" + V1_FILE.read_bytes())
    assert integration_file.load(path) == V1_MODEL


@st.composite
def _integrations(draw: st.DrawFn) -> Integration:
    text = st.text(max_size=12)
    names = st.text(alphabet="abcXYZ_.-0", min_size=1, max_size=6)
    variables = []
    for name in draw(st.lists(names, unique=True, max_size=3)):
        mode = draw(st.sampled_from(VariableMode))
        vault = None
        value = ""
        if mode is VariableMode.HERE:
            if draw(st.booleans()):
                vault = VaultRef(draw(text), draw(st.sampled_from(VaultField)))
            else:
                value = draw(text)
        variables.append(Variable(name, mode, value, draw(st.booleans()), vault, draw(text)))
    steps = []
    for _ in range(draw(st.integers(0, 3))):
        auth_type = draw(st.sampled_from(AuthType))
        auth = (
            Authentication(auth_type, draw(text), draw(text))
            if auth_type is not AuthType.NONE
            else Authentication()
        )
        types = draw(st.lists(st.sampled_from(AlertType), unique=True))
        steps.append(
            Step(
                name=draw(text),
                alert_types=tuple(t for t in AlertType if t in types),
                method=draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"])),
                url=draw(text),
                headers=tuple(
                    Header(n, v) for n, v in draw(st.lists(st.tuples(text, text), max_size=2))
                ),
                body=draw(text),
                authentication=auth,
            )
        )
    functions: list[MappingFunction | RegexFunction | HashFunction] = []
    for name in draw(st.lists(names, unique=True, max_size=3)):
        kind = draw(st.sampled_from(["mapping", "regex", "hash"]))
        if kind == "mapping":
            rows = draw(st.lists(st.tuples(text, text), max_size=3))
            functions.append(MappingFunction(name, tuple(MappingEntry(a, b) for a, b in rows)))
        elif kind == "regex":
            functions.append(RegexFunction(name, draw(text)))
        else:
            algorithm = draw(st.sampled_from(["MD5", "SHA1", "SHA256", "SHA512", "HMAC-SHA256"]))
            key = draw(text) if algorithm.startswith("HMAC") else ""
            functions.append(HashFunction(name, algorithm, key))
    return Integration(
        name=draw(text),
        integration_type=draw(text),
        description=draw(text),
        variables=tuple(variables),
        steps=tuple(steps),
        functions=tuple(functions),
    )


@given(_integrations())
def test_any_integration_survives_save_and_load(integration: Integration) -> None:
    text = integration_file.dumps(integration)
    assert integration_file.loads(text) == without_secret_values(integration)


# -- broken files --------------------------------------------------------------------------------

BASE: dict[str, Any] = {
    "format": "uptrends-studio.integration",
    "version": 1,
    "name": "Base",
    "variables": [{"name": "ApiUrl", "value": "https://example.com"}],
    "steps": [
        {
            "name": "Send",
            "alertTypes": ["Error", "Reminder", "Ok"],
            "method": "POST",
            "url": "{{ApiUrl}}",
            "headers": [{"name": "Content-Type", "value": "application/json"}],
            "body": "{}",
            "authentication": {"type": "None"},
        }
    ],
    "functions": [{"name": "sev", "type": "mapping", "mapping": [{"from": "Ok", "to": "ok"}]}],
}

Edit = Callable[[dict[str, Any]], object]


def _step(doc: dict[str, Any]) -> dict[str, Any]:
    step: dict[str, Any] = doc["steps"][0]
    return step


BROKEN_DOCUMENTS: list[tuple[str, Edit, str, str]] = [
    # (id, edit of BASE, expected pointer, key phrase of the message)
    (
        "wrong-format",
        lambda d: d.update(format="uptrends-studio.sample"),
        "/format",
        "expected 'uptrends-studio.integration'",
    ),
    ("missing-format", lambda d: d.pop("format"), "", "missing required field 'format'"),
    (
        "future-version",
        lambda d: d.update(version=2),
        "/version",
        "written by a newer Uptrends Studio",
    ),
    ("missing-version", lambda d: d.pop("version"), "", "missing required field 'version'"),
    (
        "version-string",
        lambda d: d.update(version="1"),
        "/version",
        "must be an integer, not a string",
    ),
    ("version-zero", lambda d: d.update(version=0), "/version", "versions start at 1"),
    ("missing-name", lambda d: d.pop("name"), "", "missing required field 'name'"),
    ("name-number", lambda d: d.update(name=42), "/name", "must be a string, not a number"),
    ("steps-string", lambda d: d.update(steps="Send"), "/steps", "must be an array, not a string"),
    ("steps-object", lambda d: d.update(steps={}), "/steps", "must be an array, not an object"),
    (
        "variables-null",
        lambda d: d.update(variables=None),
        "/variables",
        "must be an array, not null",
    ),
    (
        "step-not-object",
        lambda d: d.update(steps=["Send"]),
        "/steps/0",
        "must be an object, not a string",
    ),
    (
        "alert-types-string",
        lambda d: _step(d).update(alertTypes="Error"),
        "/steps/0/alertTypes",
        "must be an array, not a string",
    ),
    (
        "headers-object",
        lambda d: _step(d).update(headers={"Accept": "*/*"}),
        "/steps/0/headers",
        "must be an array, not an object",
    ),
    (
        "header-value-number",
        lambda d: _step(d)["headers"][0].update(value=1),
        "/steps/0/headers/0/value",
        "must be a string, not a number",
    ),
    (
        "header-missing-name",
        lambda d: _step(d)["headers"][0].pop("name"),
        "/steps/0/headers/0",
        "missing required field 'name'",
    ),
    (
        "secret-string",
        lambda d: d["variables"][0].update(secret="yes"),
        "/variables/0/secret",
        "must be true or false, not a string",
    ),
    (
        "unknown-top-field",
        lambda d: d.update(step=[]),
        "/step",
        "unknown field (did you mean 'steps'?)",
    ),
    (
        "unknown-step-field",
        lambda d: _step(d).update(alerttypes=["Error"]),
        "/steps/0/alerttypes",
        "unknown field (did you mean 'alertTypes'?)",
    ),
    (
        "unknown-variable-field",
        lambda d: d["variables"][0].update(descripton="x"),
        "/variables/0/descripton",
        "unknown field (did you mean 'description'?)",
    ),
    (
        "unknown-auth-field",
        lambda d: _step(d)["authentication"].update(user="me"),
        "/steps/0/authentication/user",
        "unknown field",
    ),
    (
        "bad-method",
        lambda d: _step(d).update(method="FETCH"),
        "/steps/0/method",
        "'FETCH' is not one of GET, POST, PUT, PATCH, DELETE",
    ),
    (
        "bad-auth-type",
        lambda d: _step(d).update(authentication={"type": "Oauth"}),
        "/steps/0/authentication/type",
        "'Oauth' is not one of None, Basic, Digest, NTLM",
    ),
    (
        "lowercase-alert-type",
        lambda d: _step(d).update(alertTypes=["error"]),
        "/steps/0/alertTypes/0",
        "'error' is not one of Error, Reminder, Ok (did you mean 'Error'?)",
    ),
    (
        "alert-type-alert",
        lambda d: _step(d).update(alertTypes=["Ok", "Alert"]),
        "/steps/0/alertTypes/1",
        "'Alert' is not one of Error, Reminder, Ok",
    ),
    (
        "alert-type-twice",
        lambda d: _step(d).update(alertTypes=["Error", "Ok", "Error"]),
        "/steps/0/alertTypes/2",
        "'Error' is listed twice",
    ),
    (
        "bad-variable-mode",
        lambda d: d["variables"][0].update(mode="escalation"),
        "/variables/0/mode",
        "'escalation' is not one of here, escalationLevel",
    ),
    (
        "vault-and-value",
        lambda d: d["variables"][0].update(vault={"item": "i", "field": "Password"}),
        "/variables/0",
        "give either 'value' or 'vault', not both",
    ),
    (
        "vault-missing-field",
        lambda d: d["variables"].append({"name": "V", "vault": {"item": "i"}}),
        "/variables/1/vault",
        "missing required field 'field'",
    ),
    (
        "duplicate-variable",
        lambda d: d["variables"].append({"name": "ApiUrl", "value": "x"}),
        "/variables/1/name",
        "'ApiUrl' is already defined at /variables/0",
    ),
    (
        "blank-variable-name",
        lambda d: d["variables"][0].update(name="  "),
        "/variables/0/name",
        "a variable needs a name",
    ),
    (
        "duplicate-function",
        lambda d: d["functions"].append({"name": "sev", "type": "regex"}),
        "/functions/1/name",
        "function 'sev' is defined twice",
    ),
    (
        "function-name-with-at",
        lambda d: d["functions"][0].update(name="@sev"),
        "/functions/0/name",
        "'@sev' is not a usable function name",
    ),
    (
        "bad-function-type",
        lambda d: d["functions"][0].update(type="lookup"),
        "/functions/0/type",
        "'lookup' is not one of mapping, regex, hash",
    ),
    (
        "function-missing-type",
        lambda d: d["functions"][0].pop("type"),
        "/functions/0",
        "missing required field 'type'",
    ),
    (
        "mapping-with-pattern",
        lambda d: d["functions"][0].update(pattern="x"),
        "/functions/0/pattern",
        "a mapping function has no 'pattern'",
    ),
    (
        "mapping-row-missing-to",
        lambda d: d["functions"][0]["mapping"][0].pop("to"),
        "/functions/0/mapping/0",
        "missing required field 'to'",
    ),
    (
        "auth-type-lowercase",
        lambda d: d["steps"][0].update(authentication={"type": "basic"}),
        "/steps/0/authentication/type",
        "'basic' is not one of None, Basic, Digest, NTLM (did you mean 'Basic'?)",
    ),
    (
        "variable-mode-capitalised",
        lambda d: d["variables"][0].update(mode="Here"),
        "/variables/0/mode",
        "(did you mean 'here'?)",
    ),
    (
        "lone-surrogate-in-body",
        lambda d: d["steps"][0].update(body='{"a": "\ud83d"}'),
        "/steps/0/body",
        "contains an unpaired surrogate \\ud83d at character 8",
    ),
    (
        "bad-hash-algorithm",
        lambda d: d["functions"].append({"name": "h", "type": "hash", "algorithm": "sha256"}),
        "/functions/1/algorithm",
        "(did you mean 'SHA256'?)",
    ),
]


@pytest.mark.parametrize(
    ("edit", "where", "phrase"),
    [pytest.param(edit, where, phrase, id=case) for case, edit, where, phrase in BROKEN_DOCUMENTS],
)
def test_broken_document_gives_one_error_naming_file_field_and_problem(
    tmp_path: Path, edit: Edit, where: str, phrase: str
) -> None:
    document = copy.deepcopy(BASE)
    edit(document)
    path = tmp_path / "broken.integration.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        integration_file.load(path)
    error = caught.value
    message = str(error)
    assert error.path == str(path)
    assert error.pointer == where
    assert phrase in error.problem
    assert message.startswith(f"{path}: ")
    if where:
        assert f": field {where}: " in message
    assert "\n" not in message


def test_base_document_of_the_broken_table_is_valid(tmp_path: Path) -> None:
    # Otherwise every row above could pass for the wrong reason.
    path = tmp_path / "base.integration.json"
    path.write_text(json.dumps(BASE), encoding="utf-8")
    assert integration_file.load(path).name == "Base"


BROKEN_BYTES: list[tuple[str, bytes, str, int | None, int | None]] = [
    # (id, file content, key phrase, line, column)
    ("empty-file", b"", "the file is empty (expected a JSON object)", None, None),
    (
        "truncated",
        b'{\n  "format": "uptrends-studio.integration",\n  "version": ',
        "not valid JSON",
        3,
        14,
    ),
    ("trailing-comma", b'{\n  "name": "x",\n}\n', "not valid JSON", 3, 1),
    ("single-quotes", b"{'format': 1}", "not valid JSON", 1, 2),
    ("latin-1", b'{\n  "name": "Caf\xe9"\n}', "not valid UTF-8 (byte 0xe9)", 2, 15),
    ("utf-16", '{"name": "x"}'.encode("utf-16"), "not valid UTF-8 (byte 0xff)", 1, 1),
    ("top-level-array", b"[]", "must be an object, not an array", None, None),
    ("too-deep", b"[" * 100 + b"]" * 100, "nested 100 levels deep", None, None),
]


@pytest.mark.parametrize(
    ("content", "phrase", "line", "column"),
    [pytest.param(c, p, ln, col, id=case) for case, c, p, ln, col in BROKEN_BYTES],
)
def test_unreadable_content_names_the_place(
    tmp_path: Path, content: bytes, phrase: str, line: int | None, column: int | None
) -> None:
    path = tmp_path / "bad.integration.json"
    path.write_bytes(content)
    with pytest.raises(FileFormatError) as caught:
        integration_file.load(path)
    error = caught.value
    assert error.path == str(path)
    assert error.pointer == ""
    assert phrase in error.problem
    assert (error.line, error.column) == (line, column)
    where = str(path) if line is None else f"{path}:{line}:{column}"
    assert str(error) == f"{where}: {error.problem}"


def test_missing_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.integration.json"
    with pytest.raises(FileFormatError) as caught:
        integration_file.load(path)
    assert str(caught.value) == f"{path}: file not found"


def test_folder_instead_of_file_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "folder.integration.json"
    folder.mkdir()
    with pytest.raises(FileFormatError) as caught:
        integration_file.load(folder)
    assert str(caught.value) == f"{folder}: is a folder, not a file"


def test_loads_uses_the_given_name_in_errors() -> None:
    with pytest.raises(FileFormatError) as caught:
        integration_file.loads('{"format": "nope", "version": 1}', name="clipboard")
    assert str(caught.value).startswith("clipboard: field /format: is 'nope'")


def test_save_into_a_missing_folder_is_a_file_format_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "x.integration.json"
    with pytest.raises(FileFormatError) as caught:
        integration_file.save(Integration(name="x"), target)
    assert caught.value.path == str(target)
    assert "cannot write the file" in caught.value.problem
