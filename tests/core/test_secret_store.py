"""Tests for secret values kept out of files: keyring store, environment, ``.env``, fallback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import keyring
import pytest
from hypothesis import given
from hypothesis import strategies as st
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError, PasswordSetError

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import (
    Authentication,
    AuthType,
    Header,
    Integration,
    JwtFunction,
    Step,
    Variable,
    VariableMode,
    VaultField,
    VaultRef,
)
from uptrends_studio.core.document.sample_files import (
    load_sample_with_secrets,
    save_sample_with_secrets,
)
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.errors import FileFormatError, SampleError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.secret_store import (
    FALLBACK_MESSAGE,
    SERVICE,
    KeyringStore,
    LazyStore,
    MemoryStore,
    NoteLevel,
    SecretOrigin,
    SecretStore,
    SecretStoreError,
    function_key_env_name,
    keep_in_dotenv,
    open_store,
    parse_dotenv,
    read_dotenv,
    step_password_env_name,
    store_warning,
    variable_env_name,
    vault_password_env_name,
    without_secret_values,
)

API_KEY = "s3cr3t-api-key-ключ"
PASSWORD = "hunter2-basic-pw"
VAULT_ITEM = "5b7f6c3e-2a1d-4e8f-9c0b-1a2b3c4d5e6f"


class DictKeyring(KeyringBackend):
    """A real keyring backend that keeps entries in a dict (no file, no OS service)."""

    priority = 1  # a constant instead of the base's classproperty
    viable = False  # never picked by keyring's own auto-detection

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class LockedKeyring(DictKeyring):
    """A keyring that exists but refuses every read (a locked keychain)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the keychain is locked")


class ReadOnlyKeyring(DictKeyring):
    """A keyring that reads but refuses to store."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("no permission to write")


@pytest.fixture
def system_keyring() -> Iterator[DictKeyring]:
    """Install a :class:`DictKeyring` as the process's keyring, restoring the previous one."""
    previous = keyring.get_keyring()
    backend = DictKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def store(system_keyring: DictKeyring) -> SecretStore:
    return open_store()


def secret_integration() -> Integration:
    return Integration(
        name="Secrets",
        variables=(
            Variable("ApiUrl", value="https://hooks.example.com/alert"),
            Variable("ApiKey", value=API_KEY, secret=True, description="The key."),
            Variable("Team", mode=VariableMode.ESCALATION_LEVEL, secret=True),
            Variable("VaultPwd", secret=True, vault=VaultRef(VAULT_ITEM, VaultField.PASSWORD)),
        ),
        steps=(
            Step(
                "Send",
                url="{{ApiUrl}}",
                headers=(Header("X-Api-Key", "{{ApiKey}}"),),
                body="{}",
                authentication=Authentication(AuthType.BASIC, "svc", PASSWORD),
            ),
            Step(
                "Templated",
                authentication=Authentication(AuthType.BASIC, "u", "{{VaultPwd}}"),
            ),
        ),
    )


def read(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


# -- the store and its fallback ----------------------------------------------------------------


def test_a_real_keyring_backend_gives_a_persistent_store(system_keyring: DictKeyring) -> None:
    store = open_store()
    assert isinstance(store, KeyringStore)
    assert store.persistent
    assert store_warning(store) is None
    assert "DictKeyring" in store.backend_name
    store.set("abc/variables/X", "value")
    assert system_keyring.entries[(SERVICE, "abc/variables/X")] == "value"
    assert store.get("abc/variables/X") == "value"
    store.delete("abc/variables/X")
    store.delete("abc/variables/X")  # deleting what is not there is not an error
    assert store.get("abc/variables/X") is None


@pytest.mark.parametrize(
    "backend", [fail.Keyring(), null.Keyring(), LockedKeyring()], ids=["fail", "null", "locked"]
)
def test_without_a_usable_keyring_values_are_kept_in_memory(backend: KeyringBackend) -> None:
    store = open_store(backend)
    assert isinstance(store, MemoryStore)
    assert not store.persistent
    assert store_warning(store) == FALLBACK_MESSAGE
    assert "in memory for this session only" in FALLBACK_MESSAGE
    assert ".env file next to the integration" in FALLBACK_MESSAGE
    store.set("r", "v")
    assert store.get("r") == "v"


def test_the_machines_default_keyring_is_detected_either_way() -> None:
    # On CI there is usually no keyring: then the fallback must be what open_store gives.
    backend = keyring.get_keyring()
    store = open_store()
    usable = backend.priority > 0 and not isinstance(backend, fail.Keyring | null.Keyring)
    assert store.persistent is (usable and isinstance(store, KeyringStore))


# -- saving and loading an integration with a keyring -------------------------------------------


def test_save_keeps_secrets_out_of_the_file_and_load_finds_them(
    tmp_path: Path, store: SecretStore, system_keyring: DictKeyring
) -> None:
    path = tmp_path / "a.integration.json"
    saved = integration_file.save(secret_integration(), path, store=store, env={})
    text = path.read_text(encoding="utf-8")
    assert API_KEY not in text
    assert PASSWORD not in text
    document = read(path)
    assert document["id"] == saved.id
    assert len(saved.id) == 36  # a UUID
    api_key = document["variables"][1]
    assert api_key == {
        "name": "ApiKey",
        "mode": "here",
        "secret": True,
        "source": "keyring",
        "description": "The key.",
    }
    assert document["steps"][0]["authentication"] == {
        "type": "Basic",
        "username": "svc",
        "password": {"source": "keyring"},
    }
    # A template password and a vault reference are not secrets in themselves: written as is.
    assert document["steps"][1]["authentication"]["password"] == "{{VaultPwd}}"
    assert document["variables"][3]["vault"] == {"item": VAULT_ITEM, "field": "Password"}
    assert system_keyring.entries == {
        (SERVICE, f"{saved.id}/variables/ApiKey"): API_KEY,
        (SERVICE, f"{saved.id}/steps/1/password"): PASSWORD,
    }

    loaded = integration_file.load_with_secrets(path, store=store, env={})
    assert loaded.integration == saved
    assert loaded.notes == ()
    assert [(s.slot.label, s.origin) for s in loaded.sources] == [
        ("secret variable 'ApiKey'", SecretOrigin.STORE),
        ("authentication password of step 1 ('Send')", SecretOrigin.STORE),
    ]
    assert loaded.sources[0].describe() == f"from the {store.backend_name}"
    # Without a store the file still opens; the kept-out values are simply empty.
    assert integration_file.load(path) == without_secret_values(saved)


def test_moving_the_file_keeps_its_secrets_and_the_id_is_stable(
    tmp_path: Path, store: SecretStore
) -> None:
    first = tmp_path / "one" / "x.integration.json"
    first.parent.mkdir()
    saved = integration_file.save(secret_integration(), first, store=store, env={})
    moved = tmp_path / "elsewhere" / "renamed.integration.json"
    moved.parent.mkdir()
    shutil.move(first, moved)
    loaded = integration_file.load_with_secrets(moved, store=store, env={})
    assert loaded.integration.variable("ApiKey") == secret_integration().variables[1]
    again = integration_file.save(loaded.integration, moved, store=store, env={})
    assert again.id == saved.id


def test_an_integration_without_secrets_gets_no_id(tmp_path: Path, store: SecretStore) -> None:
    path = tmp_path / "plain.integration.json"
    plain = Integration(name="Plain", variables=(Variable("Url", value="https://x"),))
    assert integration_file.save(plain, path, store=store, env={}) == plain
    assert "id" not in read(path)


def test_an_emptied_secret_is_removed_from_the_keyring(
    tmp_path: Path, store: SecretStore, system_keyring: DictKeyring
) -> None:
    path = tmp_path / "a.integration.json"
    saved = integration_file.save(secret_integration(), path, store=store, env={})
    variables = list(saved.variables)
    variables[1] = Variable("ApiKey", value="", secret=True)
    integration_file.save(
        Integration(name=saved.name, variables=tuple(variables), steps=saved.steps, id=saved.id),
        path,
        store=store,
        env={},
    )
    assert (SERVICE, f"{saved.id}/variables/ApiKey") not in system_keyring.entries
    # The file still says the variable is secret and where its value is to come from.
    assert read(path)["variables"][1]["source"] == "keyring"
    assert "value" not in read(path)["variables"][1]


def test_a_keyring_that_refuses_to_store_leaves_the_file_unwritten(tmp_path: Path) -> None:
    store = open_store(ReadOnlyKeyring())
    assert store.persistent
    path = tmp_path / "a.integration.json"
    with pytest.raises(SecretStoreError, match=r"did not store the secret .*no permission"):
        integration_file.save(secret_integration(), path, store=store, env={})
    assert not path.exists()


# -- the in-memory fallback ---------------------------------------------------------------------


def test_fallback_store_keeps_values_for_the_session_and_says_so(tmp_path: Path) -> None:
    store = open_store(fail.Keyring())
    path = tmp_path / "a.integration.json"
    saved = integration_file.save(secret_integration(), path, store=store, env={})
    assert API_KEY not in path.read_text(encoding="utf-8")
    loaded = integration_file.load_with_secrets(path, store=store, env={})
    assert loaded.integration == saved
    assert [n.message for n in loaded.notes] == [FALLBACK_MESSAGE]
    assert loaded.sources[0].describe() == "from the memory (this session only)"

    # A new session has a new, empty memory store: the values are missing and the user is told
    # where they were looked for and how to supply them.
    next_session = integration_file.load_with_secrets(
        path, store=open_store(fail.Keyring()), env={}
    )
    assert next_session.integration.variable("ApiKey") == Variable(
        "ApiKey", value="", secret=True, description="The key."
    )
    missing = [n for n in next_session.notes if n.level is NoteLevel.WARNING]
    assert missing[0].pointer == "/variables/1"
    assert missing[0].message == (
        "No value for the secret variable 'ApiKey': looked in the environment, "
        f"{tmp_path / '.env'} and this session's memory (no keyring is available). "
        "Set UPTRENDS_SECRET_APIKEY or enter the value in the Studio."
    )
    assert missing[1].pointer == "/steps/0/authentication/password"
    assert "UPTRENDS_SECRET_STEP1_PASSWORD" in missing[1].message
    assert missing[-1].message == FALLBACK_MESSAGE


# -- environment variables and .env -------------------------------------------------------------


def test_environment_names() -> None:
    assert variable_env_name("ApiKey") == "UPTRENDS_SECRET_APIKEY"
    assert variable_env_name("api-key.v2") == "UPTRENDS_SECRET_API_KEY_V2"
    assert step_password_env_name(3) == "UPTRENDS_SECRET_STEP3_PASSWORD"
    assert vault_password_env_name(VAULT_ITEM) == (
        "UPTRENDS_SECRET_VAULT_5B7F6C3E_2A1D_4E8F_9C0B_1A2B3C4D5E6F_PASSWORD"
    )


def test_lookup_order_environment_then_dotenv_then_keyring(
    tmp_path: Path, store: SecretStore
) -> None:
    path = tmp_path / "a.integration.json"
    integration_file.save(secret_integration(), path, store=store, env={})
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "UPTRENDS_SECRET_APIKEY=from-dotenv\nUPTRENDS_SECRET_STEP1_PASSWORD='pw from dotenv'\n",
        encoding="utf-8",
    )
    env = {"UPTRENDS_SECRET_APIKEY": "from-environment"}

    def api_key(environment: dict[str, str]) -> tuple[str, str]:
        loaded = integration_file.load_with_secrets(path, store=store, env=environment)
        variable = loaded.integration.variable("ApiKey")
        assert variable is not None
        return variable.value, loaded.sources[0].describe()

    assert api_key(env) == ("from-environment", "from environment variable UPTRENDS_SECRET_APIKEY")
    assert api_key({}) == ("from-dotenv", f"from UPTRENDS_SECRET_APIKEY in {dotenv}")
    loaded = integration_file.load_with_secrets(path, store=store, env={})
    assert loaded.integration.steps[0].authentication.password == "pw from dotenv"
    dotenv.unlink()
    assert api_key({}) == (API_KEY, f"from the {store.backend_name}")


def test_a_value_the_environment_supplies_is_marked_env_and_not_stored(
    tmp_path: Path, store: SecretStore, system_keyring: DictKeyring
) -> None:
    path = tmp_path / "a.integration.json"
    env = {"UPTRENDS_SECRET_APIKEY": API_KEY}
    saved = integration_file.save(secret_integration(), path, store=store, env=env)
    assert read(path)["variables"][1]["source"] == "env"
    assert read(path)["steps"][0]["authentication"]["password"] == {"source": "keyring"}
    assert (SERVICE, f"{saved.id}/variables/ApiKey") not in system_keyring.entries
    # Marked env: the keyring is not consulted, so without the variable it is missing.
    assert integration_file.load_with_secrets(path, store=store, env=env).notes == ()
    bare = integration_file.load_with_secrets(path, store=store, env={})
    assert bare.notes[0].message.startswith(
        "No value for the secret variable 'ApiKey': looked in the environment and "
    )


def test_a_broken_dotenv_is_reported_and_ignored(tmp_path: Path, store: SecretStore) -> None:
    path = tmp_path / "a.integration.json"
    integration_file.save(secret_integration(), path, store=store, env={})
    (tmp_path / ".env").write_text("GOOD=1\nthis line is wrong\n", encoding="utf-8")
    loaded = integration_file.load_with_secrets(path, store=store, env={})
    assert loaded.integration.variable("ApiKey") == secret_integration().variables[1]
    assert loaded.notes[0].message == (
        f"{tmp_path / '.env'}:2:1: expected NAME=value (or a quote is not closed); its values "
        "are not used"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1", {"A": "1"}),
        ("  A = spaced out  ", {"A": "spaced out"}),
        ("export A=exported", {"A": "exported"}),
        ("exportA=not-a-prefix", {"exportA": "not-a-prefix"}),
        ("# a comment\n\n   # indented comment\nA=1", {"A": "1"}),
        ("A=value # trailing comment", {"A": "value"}),
        ("A=pass#word", {"A": "pass#word"}),
        ("A='single # quoted $HOME \\n'", {"A": "single # quoted $HOME \\n"}),
        ('A="double\\nline \\"q\\" \\\\ \\t"', {"A": 'double\nline "q" \\ \t'}),
        ('A="hash # inside" # comment', {"A": "hash # inside"}),
        ('A="first\nsecond"\nB=2', {"A": "first\nsecond", "B": "2"}),
        ("A=", {"A": ""}),
        ("A=1\nA=2", {"A": "2"}),
        ("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}),
        ("\ufeffA=bom", {"A": "bom"}),
        ("A=$(touch pwned)", {"A": "$(touch pwned)"}),
        ("A=`touch pwned`", {"A": "`touch pwned`"}),
        ('A="${HOME} $(id) $USER"', {"A": "${HOME} $(id) $USER"}),
        ("A=key=with=equals", {"A": "key=with=equals"}),
    ],
)
def test_dotenv_parsing(text: str, expected: dict[str, str]) -> None:
    assert parse_dotenv(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NOVALUE", ".env:1:1: expected '=' after 'NOVALUE'"),
        ("A=1\nnot a statement", ".env:2:1: expected NAME=value (or a quote is not closed)"),
        ("A='open", ".env:1:1: expected NAME=value (or a quote is not closed)"),
        ('A=1\nB="open\nmore', ".env:2:1: expected NAME=value (or a quote is not closed)"),
        ("A='x' trailing", ".env:1:1: expected NAME=value (or a quote is not closed)"),
    ],
)
def test_dotenv_errors_name_the_line_and_column(text: str, message: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        parse_dotenv(text)
    assert str(caught.value) == message


def test_dotenv_values_never_run_commands(tmp_path: Path, store: SecretStore) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / ".env").write_text(
        f"UPTRENDS_SECRET_APIKEY=$(touch {marker})\n"
        f"UPTRENDS_SECRET_STEP1_PASSWORD=`touch {marker}`\n",
        encoding="utf-8",
    )
    path = tmp_path / "a.integration.json"
    integration_file.save(secret_integration(), path, store=store, env={})
    loaded = integration_file.load_with_secrets(path, store=store, env={})
    assert loaded.integration.variable("ApiKey") is not None
    assert loaded.integration.variables[1].value == f"$(touch {marker})"
    assert loaded.integration.steps[0].authentication.password == f"`touch {marker}`"
    assert not marker.exists()


# -- older files with secrets in clear text -----------------------------------------------------


def test_a_clear_text_secret_still_loads_and_the_next_save_moves_it(
    tmp_path: Path, store: SecretStore, system_keyring: DictKeyring
) -> None:
    path = tmp_path / "old.integration.json"
    path.write_text(
        json.dumps(
            {
                "format": "uptrends-studio.integration",
                "version": 1,
                "name": "Old",
                "variables": [{"name": "ApiKey", "value": API_KEY, "secret": True}],
                "steps": [
                    {"authentication": {"type": "Basic", "username": "u", "password": PASSWORD}}
                ],
            }
        ),
        encoding="utf-8",
    )
    loaded = integration_file.load_with_secrets(path, store=store, env={})
    assert loaded.integration.variables[0].value == API_KEY
    assert loaded.integration.steps[0].authentication.password == PASSWORD
    assert [(n.level, n.pointer) for n in loaded.notes] == [
        (NoteLevel.INFO, "/variables/0"),
        (NoteLevel.INFO, "/steps/0/authentication/password"),
    ]
    assert loaded.notes[0].message == (
        "This file contains the secret variable 'ApiKey' in clear text; saving it moves the "
        f"value to the {store.backend_name} and leaves only a marker in the file."
    )
    saved = integration_file.save(loaded.integration, path, store=store, env={})
    text = path.read_text(encoding="utf-8")
    assert API_KEY not in text
    assert PASSWORD not in text
    reloaded = integration_file.load_with_secrets(path, store=store, env={})
    assert reloaded.integration == saved
    assert reloaded.notes == ()


# -- dumps never holds a secret -----------------------------------------------------------------

_TEXT = st.text(alphabet="abcxyz-{}", min_size=0, max_size=8)


@given(
    value=_TEXT,
    password=_TEXT,
    secret=st.booleans(),
    mode=st.sampled_from(VariableMode),
)
def test_dumps_leaves_out_exactly_the_secret_values(
    value: str, password: str, secret: bool, mode: VariableMode
) -> None:
    integration = Integration(
        name="N",
        variables=(Variable("V", mode=mode, value=value, secret=secret),),
        steps=(Step("S", authentication=Authentication(AuthType.BASIC, "user", password)),),
    )
    text = integration_file.dumps(integration)
    stripped = without_secret_values(integration)
    assert integration_file.loads(text) == stripped
    document = json.loads(text)
    if secret and (value or mode is VariableMode.HERE):
        assert "value" not in document["variables"][0]
        assert document["variables"][0]["source"] == "keyring"
    else:
        assert stripped.variables == integration.variables
    if not (secret and value and mode is VariableMode.ESCALATION_LEVEL):
        # Saving what was loaded keeps every marker: nothing changes in the file. (A value kept
        # while in escalation-level mode, which nothing uses, is dropped when it is not found.)
        assert integration_file.dumps(integration_file.loads(text)) == text
    if "{{" not in password:
        assert document["steps"][0]["authentication"]["password"] == {"source": "keyring"}
    else:
        assert document["steps"][0]["authentication"]["password"] == password


# -- broken markers -----------------------------------------------------------------------------


def _broken(variable: dict[str, Any] | None = None, password: object = "p", **top: Any) -> str:
    return json.dumps(
        {
            "format": "uptrends-studio.integration",
            "version": 1,
            "name": "B",
            "variables": [variable or {"name": "K", "secret": True, "source": "keyring"}],
            "steps": [{"authentication": {"type": "Basic", "password": password}}],
            **top,
        }
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _broken({"name": "K", "secret": True, "source": "vault"}),
            "x: field /variables/0/source: 'vault' is not one of keyring, env",
        ),
        (
            _broken({"name": "K", "source": "keyring"}),
            'x: field /variables/0/source: only a variable with "secret": true has a source',
        ),
        (
            _broken({"name": "K", "secret": True, "source": "env", "value": "v"}),
            "x: field /variables/0/source: a secret kept in the keyring or the environment has "
            "no 'value' or 'vault'",
        ),
        (
            _broken(password={"from": "keyring"}),
            "x: field /steps/0/authentication/password/from: unknown field; known: source",
        ),
        (
            _broken(password={"source": "Keyring"}),
            "x: field /steps/0/authentication/password/source: 'Keyring' is not one of "
            "keyring, env (did you mean 'keyring'?)",
        ),
        (
            _broken(id="../other/variables"),
            "x: field /id: must be letters, digits, '.', '_' or '-' (at most 100), like a UUID",
        ),
    ],
)
def test_broken_markers_name_the_field(text: str, message: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        integration_file.loads(text, "x")
    assert str(caught.value) == message


# -- "where the secret comes from" for an integration being edited ------------------------------


def test_describe_secrets_follows_edits_and_saves(tmp_path: Path, store: SecretStore) -> None:
    path = tmp_path / "a.integration.json"
    before = integration_file.describe_secrets(secret_integration(), path, store=store, env={})
    assert [(s.slot.name, s.origin) for s in before] == [
        ("ApiKey", SecretOrigin.PENDING),
        ("1", SecretOrigin.PENDING),
    ]
    assert before[0].describe() == f"kept in the {store.backend_name} when saved"
    saved = integration_file.save(secret_integration(), path, store=store, env={})
    env = {"UPTRENDS_SECRET_STEP1_PASSWORD": "x"}
    after = integration_file.describe_secrets(saved, path, store=store, env=env)
    assert [s.origin for s in after] == [SecretOrigin.STORE, SecretOrigin.ENVIRONMENT]
    emptied = Integration(name="E", variables=(Variable("K", secret=True),))
    (empty,) = integration_file.describe_secrets(emptied, path, store=store, env={})
    assert (empty.origin, empty.describe()) == (SecretOrigin.EMPTY, "empty")


# -- sample files: the mock vault ---------------------------------------------------------------


def test_sample_vault_passwords_stay_out_of_the_file(
    tmp_path: Path, store: SecretStore, catalogue: Catalogue
) -> None:
    sample = find_sample("https", catalogue)
    (item, credentials), *_ = sample.vault.items()
    password = credentials["Password"]
    assert password == "demo-secret"
    path = tmp_path / "mine.sample.json"
    save_sample_with_secrets(sample, path, store=store, env={})
    assert password not in path.read_text(encoding="utf-8")
    assert read(path)["vault"][item] == {
        "Username": credentials["Username"],
        "Password": {"source": "keyring"},
    }
    loaded = load_sample_with_secrets(path, catalogue, store=store, env={})
    assert loaded.sample == replace(sample, path=str(path))
    assert loaded.notes == ()
    env = {vault_password_env_name(item): "from-env"}
    overridden = load_sample_with_secrets(path, catalogue, store=store, env=env)
    assert overridden.sample.vault[item]["Password"] == "from-env"
    assert overridden.sources[0].origin is SecretOrigin.ENVIRONMENT


def test_a_builtin_sample_with_clear_text_passwords_says_so(
    store: SecretStore, catalogue: Catalogue
) -> None:
    path = Path(find_sample("https", catalogue).path)
    loaded = load_sample_with_secrets(path, catalogue, store=store, env={})
    item = next(iter(loaded.sample.vault))
    assert loaded.sample.vault[item]["Password"] == "demo-secret"
    assert loaded.sources[0].origin is SecretOrigin.FILE
    assert loaded.notes[0].message.startswith("This file contains the mock-vault password of item")


def test_a_sample_without_its_password_loads_with_a_note(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    sample = find_sample("https", catalogue)
    path = tmp_path / "s.sample.json"
    save_sample_with_secrets(sample, path, store=MemoryStore(), env={})
    loaded = load_sample_with_secrets(path, catalogue, store=MemoryStore(), env={})
    item = next(iter(sample.vault))
    assert loaded.sample.vault[item]["Password"] == ""
    assert loaded.notes[0].pointer == f"/vault/{item}/Password"
    assert vault_password_env_name(item) in loaded.notes[0].message


def test_a_broken_sample_marker_names_the_field(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "s.sample.json"
    path.write_text(
        json.dumps(
            {
                "format": "uptrends-studio.sample",
                "version": 1,
                "name": "S",
                "vault": {"abc": {"Username": "u", "Password": {"source": "safe"}}},
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(SampleError) as caught:
        load_sample_with_secrets(path, catalogue, store=MemoryStore(), env={})
    assert str(caught.value) == (
        f"{path}: field /vault/abc/Password/source: 'safe' is not one of keyring, env"
    )


def test_an_autosaved_text_finds_its_secrets_again(tmp_path: Path, store: SecretStore) -> None:
    path = tmp_path / "a.integration.json"
    saved = integration_file.save(secret_integration(), path, store=store, env={})
    text = integration_file.dumps(saved)
    assert API_KEY not in text
    loaded = integration_file.loads_with_secrets(text, "autosave", path=path, store=store, env={})
    assert loaded.integration == saved


def test_an_id_given_up_front_is_the_one_saved(tmp_path: Path, store: SecretStore) -> None:
    with_id = integration_file.ensure_id(secret_integration())
    assert len(with_id.id) == 36
    assert integration_file.ensure_id(with_id) is with_id
    path = tmp_path / "a.integration.json"
    assert integration_file.save(with_id, path, store=store, env={}) == with_id
    assert read(path)["id"] == with_id.id


def test_a_value_kept_in_escalation_level_mode_is_kept_out_and_found_again(
    tmp_path: Path, store: SecretStore
) -> None:
    kept = Variable("Pin", mode=VariableMode.ESCALATION_LEVEL, value="4321-pin", secret=True)
    integration = Integration(name="E", variables=(kept,))
    path = tmp_path / "e.integration.json"
    saved = integration_file.save(integration, path, store=store, env={})
    assert "4321-pin" not in path.read_text(encoding="utf-8")
    loaded = integration_file.load_with_secrets(path, store=store, env={})
    assert loaded.integration == saved
    assert loaded.integration.variables == (kept,)


def test_a_lazy_store_opens_the_keyring_only_when_a_secret_needs_it(tmp_path: Path) -> None:
    opened: list[MemoryStore] = []

    def opener() -> SecretStore:
        opened.append(MemoryStore())
        return opened[-1]

    plain = tmp_path / "plain.integration.json"
    integration_file.save(Integration(name="P", variables=(Variable("U", value="x"),)), plain)
    lazy = LazyStore(opener)
    integration_file.load_with_secrets(plain, store=lazy, env={})
    assert not lazy.opened
    assert opened == []

    path = tmp_path / "a.integration.json"
    saved = integration_file.save(secret_integration(), path, store=lazy, env={})
    assert lazy.opened
    assert integration_file.load_with_secrets(path, store=lazy, env={}).integration == saved
    assert len(opened) == 1  # opened once, then reused
    assert not lazy.persistent


def test_a_jwt_signing_key_typed_as_text_is_kept_out_of_the_file(
    tmp_path: Path, store: SecretStore, system_keyring: DictKeyring
) -> None:
    key = "jwt-signing-secret-0123456789-abcdefghij"
    integration = Integration(
        name="JWT",
        variables=(Variable("ApiUrl", value="https://hooks.example.com/alert"),),
        steps=(Step("Send", body="{}"),),
        functions=(
            JwtFunction("token", "HS256", key, '{"kid": "k1"}'),
            JwtFunction("vaulted", "HS512", f"{{{{@VaultItem.{VAULT_ITEM}.Password}}}}"),
        ),
    )
    path = tmp_path / "jwt.integration.json"
    saved = integration_file.save(integration, path, store=store, env={})
    assert key not in path.read_text(encoding="utf-8")
    assert read(path)["functions"] == [
        {
            "name": "token",
            "type": "jwt",
            "algorithm": "HS256",
            "key": {"source": "keyring"},
            "header": '{"kid": "k1"}',
        },
        # A key that is a template names its secret: written as is.
        {
            "name": "vaulted",
            "type": "jwt",
            "algorithm": "HS512",
            "key": f"{{{{@VaultItem.{VAULT_ITEM}.Password}}}}",
        },
    ]
    assert system_keyring.entries == {(SERVICE, f"{saved.id}/functions/token/key"): key}
    loaded = integration_file.load_with_secrets(path, store=store, env={})
    assert loaded.integration == saved
    assert [s.slot.label for s in loaded.sources] == ["signing key of JWT function 'token'"]
    # The environment supplies it too, under a documented name.
    assert function_key_env_name("token") == "UPTRENDS_SECRET_FUNCTION_TOKEN_KEY"
    from_env = integration_file.load_with_secrets(
        path, store=None, env={"UPTRENDS_SECRET_FUNCTION_TOKEN_KEY": "from-env"}
    )
    function = from_env.integration.functions[0]
    assert isinstance(function, JwtFunction)
    assert function.key == "from-env"


def test_a_dotenv_larger_than_its_limit_is_refused_while_reading(tmp_path: Path) -> None:
    from uptrends_studio.core.errors import FileFormatError
    from uptrends_studio.core.secret_store import MAX_DOTENV_BYTES, read_dotenv

    (tmp_path / ".env").write_text("A=" + "x" * MAX_DOTENV_BYTES + "\n", encoding="utf-8")
    with pytest.raises(FileFormatError) as caught:
        read_dotenv(tmp_path)
    message = str(caught.value)
    assert message.startswith(str(tmp_path / ".env"))
    assert "limit" in message


@pytest.mark.parametrize(
    "value", ["plain", 'with "quotes"', "back\\slash\\n", "two\nlines", "$HOME ${X} $(id)", "é ü"]
)
def test_keep_in_dotenv_reads_back_exactly_and_keeps_other_lines(
    tmp_path: Path, value: str
) -> None:
    (tmp_path / ".env").write_text("# mine\nOTHER=1\nUPTRENDS_SECRET_KEY=old\n", encoding="utf-8")
    keep_in_dotenv(tmp_path, {"UPTRENDS_SECRET_KEY": value})
    assert read_dotenv(tmp_path) == {"OTHER": "1", "UPTRENDS_SECRET_KEY": value}
    assert (tmp_path / ".env").read_text(encoding="utf-8").startswith("# mine\nOTHER=1\n")
