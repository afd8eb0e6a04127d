"""Where secret values live instead of the integration and sample files.

A predefined variable marked secret (with a plain value), a plain-text authentication password
and a mock-vault password are never written into a file. The file keeps a marker
(``"source": "keyring"`` or ``"env"``) and the value goes to a :class:`SecretStore`: the OS
keyring, or, when the machine has no keyring, memory for this session only.

Loading looks for each value, in this order:

1. an environment variable (:func:`variable_env_name`, :func:`step_password_env_name`,
   :func:`vault_password_env_name`: ``UPTRENDS_SECRET_<NAME>``);
2. a ``.env`` file next to the file being loaded (same names; parsed by :func:`parse_dotenv`
   with ``python-dotenv``, which never executes or expands anything);
3. the store (keyring or session memory), under a key built from the integration's stable ``id``
   (``<id>/variables/ApiKey``, ``<id>/steps/1/password``) or, for a sample, from its path.

A value found nowhere loads as ``""`` and is reported in a :class:`SecretNote`. This module holds
the pieces; :mod:`uptrends_studio.core.document.integration_file` uses them to load and save
integrations, and :mod:`uptrends_studio.core.document.sample_files` does the same for
``*.sample.json`` files.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol

from uptrends_studio.core.document.jsonfile import pointer, read_file_bytes, write_text_atomic
from uptrends_studio.core.document.model import (
    AuthType,
    Integration,
    JwtFunction,
    VariableMode,
    VaultField,
)
from uptrends_studio.core.errors import FileFormatError, StudioError

if TYPE_CHECKING:
    import logging

    from keyring.backend import KeyringBackend


def _log() -> logging.Logger:
    """This module's logger; ``logging`` is imported only when there is something to log.

    ``render`` and ``check`` never log here, and importing ``logging`` would slow their start.
    """
    import logging

    return logging.getLogger(__name__)


SERVICE = "UptrendsStudio"
"""The keyring service name every Studio secret is stored under."""

ENV_PREFIX = "UPTRENDS_SECRET_"
"""Environment variables (and ``.env`` entries) that supply secret values start with this."""

DOTENV_NAME = ".env"
"""The file next to an integration or sample that may supply secret values."""

MAX_DOTENV_BYTES = 1024 * 1024
"""A ``.env`` file larger than this is refused (it holds a handful of short lines)."""

FALLBACK_MESSAGE = (
    "No system keyring is available: secret values are kept in memory for this session only. "
    "Set them through environment variables or a .env file next to the integration to keep them."
)
"""What the user is told when secrets cannot be stored persistently."""


class SecretSourceKind(StrEnum):
    """The ``"source"`` marker a file keeps in place of a secret value."""

    KEYRING = "keyring"
    """The value is in the OS keyring (or session memory); an environment variable still wins."""
    ENV = "env"
    """The value comes from an environment variable or the ``.env`` file only."""


SOURCE_KINDS: tuple[str, ...] = tuple(kind.value for kind in SecretSourceKind)


class SecretStoreError(StudioError):
    """The keyring refused to store or delete a value."""


class SecretStore(Protocol):
    """Somewhere to keep secret values, keyed by a stable reference.

    Attributes:
        backend_name: What the user is told the values are kept in.
        persistent: False when values are lost at the end of the session.
    """

    @property
    def backend_name(self) -> str: ...

    @property
    def persistent(self) -> bool: ...

    def get(self, ref: str) -> str | None:
        """The value stored under ``ref``, or ``None``."""

    def set(self, ref: str, value: str) -> None:
        """Store ``value`` under ``ref``, replacing any earlier value.

        Raises:
            SecretStoreError: the backend refused.
        """

    def delete(self, ref: str) -> None:
        """Forget ``ref``; nothing happens when it is not stored."""


class MemoryStore:
    """Secret values kept in this process only: the fallback when there is no keyring."""

    backend_name = "memory (this session only)"
    persistent = False

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def get(self, ref: str) -> str | None:
        """The value stored under ``ref``, or ``None``."""
        return self._values.get(ref)

    def set(self, ref: str, value: str) -> None:
        """Store ``value`` under ``ref``."""
        self._values[ref] = value

    def delete(self, ref: str) -> None:
        """Forget ``ref``."""
        self._values.pop(ref, None)


class KeyringStore:
    """Secret values in an OS keyring backend, under the service :data:`SERVICE`."""

    persistent = True

    def __init__(self, backend: KeyringBackend) -> None:
        self._backend = backend

    @property
    def backend_name(self) -> str:
        """``system keyring (<backend name>)``, e.g. the SecretService or Windows keyring."""
        return f"system keyring ({self._backend.name})"

    def get(self, ref: str) -> str | None:
        """The value stored under ``ref``; ``None`` when absent or the keyring cannot be read."""
        from keyring.errors import KeyringError

        try:
            return self._backend.get_password(SERVICE, ref)
        except KeyringError as exc:
            _log().warning("cannot read %s from the keyring: %s", ref, exc)
            return None

    def set(self, ref: str, value: str) -> None:
        """Store ``value`` under ``ref``.

        Raises:
            SecretStoreError: the keyring refused (locked, no permission, ...).
        """
        from keyring.errors import KeyringError

        try:
            self._backend.set_password(SERVICE, ref, value)
        except (KeyringError, ValueError) as exc:
            raise SecretStoreError(
                f"the {self.backend_name} did not store the secret {ref!r}: {exc}"
            ) from None

    def delete(self, ref: str) -> None:
        """Forget ``ref``; a value that is not there (or a refusal) is logged and ignored."""
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            self._backend.delete_password(SERVICE, ref)
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            _log().warning("cannot delete %s from the keyring: %s", ref, exc)


def keyring_usable(backend: KeyringBackend) -> bool:
    """True when ``backend`` can really keep values (not the fail, null or an empty chainer).

    The check reads one (absent) entry, so a keyring that exists but cannot be reached (no
    D-Bus session, locked and refusing) counts as unusable too.
    """
    from keyring.errors import KeyringError

    try:
        if backend.priority <= 0:
            return False
        backend.get_password(SERVICE, "uptrends-studio-probe")
    except (KeyringError, RuntimeError, OSError) as exc:
        _log().info("keyring %s is not usable: %s", backend.name, exc)
        return False
    return True


def open_store(backend: KeyringBackend | None = None) -> SecretStore:
    """The store to use: the given (or the system's) keyring, or a :class:`MemoryStore`.

    Check :attr:`SecretStore.persistent` (or :func:`store_warning`) to tell the user when the
    values are only kept for the session.
    """
    if backend is None:
        import keyring

        backend = keyring.get_keyring()
    if keyring_usable(backend):
        return KeyringStore(backend)
    return MemoryStore()


class LazyStore:
    """A store that opens the system keyring (:func:`open_store`) only when first used.

    Importing and probing the keyring takes tens of milliseconds (more with a desktop keyring
    service); with this, start-up and files without secrets do not wait for it.
    """

    def __init__(self, opener: Callable[[], SecretStore] = open_store) -> None:
        self._opener = opener
        self._store: SecretStore | None = None

    @property
    def opened(self) -> bool:
        """True once the real store has been opened."""
        return self._store is not None

    def _real(self) -> SecretStore:
        if self._store is None:
            self._store = self._opener()
        return self._store

    @property
    def backend_name(self) -> str:
        """The real store's name (opens it)."""
        return self._real().backend_name

    @property
    def persistent(self) -> bool:
        """Whether the real store keeps values (opens it)."""
        return self._real().persistent

    def get(self, ref: str) -> str | None:
        """The value stored under ``ref``, or ``None``."""
        return self._real().get(ref)

    def set(self, ref: str, value: str) -> None:
        """Store ``value`` under ``ref``.

        Raises:
            SecretStoreError: the backend refused.
        """
        self._real().set(ref, value)

    def delete(self, ref: str) -> None:
        """Forget ``ref``."""
        self._real().delete(ref)


def store_warning(store: SecretStore) -> str | None:
    """:data:`FALLBACK_MESSAGE` when ``store`` does not keep values, else ``None``."""
    return None if store.persistent else FALLBACK_MESSAGE


# -- names --------------------------------------------------------------------------------------

_NOT_ENV = re.compile(r"[^A-Z0-9]")


def _env_part(text: str) -> str:
    return _NOT_ENV.sub("_", text.upper())


def variable_env_name(name: str) -> str:
    """``UPTRENDS_SECRET_<NAME>``: upper case, every character but A-Z and 0-9 as ``_``."""
    return ENV_PREFIX + _env_part(name)


def step_password_env_name(step_number: int) -> str:
    """``UPTRENDS_SECRET_STEP<N>_PASSWORD`` for the (1-based) step number."""
    return f"{ENV_PREFIX}STEP{step_number}_PASSWORD"


def function_key_env_name(name: str) -> str:
    """``UPTRENDS_SECRET_FUNCTION_<NAME>_KEY`` for the signing key of JWT function ``name``."""
    return f"{ENV_PREFIX}FUNCTION_{_env_part(name)}_KEY"


def vault_password_env_name(item: str) -> str:
    """``UPTRENDS_SECRET_VAULT_<ITEM>_PASSWORD`` for a mock-vault item GUID."""
    return f"{ENV_PREFIX}VAULT_{_env_part(item)}_PASSWORD"


# -- slots: the places a secret value can be -----------------------------------------------------


class SlotKind(StrEnum):
    """What kind of secret a slot holds."""

    VARIABLE = "variable"
    PASSWORD = "password"
    VAULT = "vault"
    FUNCTION_KEY = "functionKey"


@dataclass(frozen=True, slots=True)
class SecretSlot:
    """One place in a file whose value is secret.

    Attributes:
        kind: A secret variable, a step's authentication password or a mock-vault password.
        pointer: JSON pointer of the field in the file (``/variables/1``,
            ``/steps/0/authentication/password``, ``/vault/<item>/Password``).
        key: The store key below the integration id (``variables/ApiKey``, ``steps/1/password``)
            or the sample path (``vault/<item>/Password``).
        label: How the user knows it: ``secret variable 'ApiKey'``.
        env_name: The environment variable (and ``.env`` name) that supplies it.
        name: The variable name, the 1-based step number as text, or the vault item GUID.
    """

    kind: SlotKind
    pointer: str
    key: str
    label: str
    env_name: str
    name: str


def variable_slot(index: int, name: str) -> SecretSlot:
    """The slot of secret variable ``name`` at position ``index`` of ``variables``."""
    return SecretSlot(
        SlotKind.VARIABLE,
        pointer("/variables", index),
        f"variables/{name}",
        f"secret variable {name!r}",
        variable_env_name(name),
        name,
    )


def password_slot(index: int, step_name: str) -> SecretSlot:
    """The slot of the authentication password of the step at (0-based) ``index``."""
    number = index + 1
    return SecretSlot(
        SlotKind.PASSWORD,
        pointer(pointer(pointer("/steps", index), "authentication"), "password"),
        f"steps/{number}/password",
        f"authentication password of step {number} ({step_name!r})",
        step_password_env_name(number),
        str(number),
    )


def function_key_slot(index: int, name: str) -> SecretSlot:
    """The slot of the signing key of the JWT function ``name`` at ``index`` of ``functions``."""
    return SecretSlot(
        SlotKind.FUNCTION_KEY,
        pointer(pointer("/functions", index), "key"),
        f"functions/{name}/key",
        f"signing key of JWT function {name!r}",
        function_key_env_name(name),
        name,
    )


def vault_slot(item: str) -> SecretSlot:
    """The slot of the password of mock-vault item ``item``."""
    return SecretSlot(
        SlotKind.VAULT,
        pointer(pointer("/vault", item), VaultField.PASSWORD.value),
        f"vault/{item}/Password",
        f"mock-vault password of item {item!r}",
        vault_password_env_name(item),
        item,
    )


def integration_slots(
    integration: Integration, marked: Collection[str] = ()
) -> list[tuple[SecretSlot, str]]:
    """Every secret place of an integration, with its current value (possibly ``""``).

    These are the places a file keeps a marker for: secret variables with a plain value (not a
    vault reference) in mode ``here``, or in mode ``escalationLevel`` when a value is kept; and
    authentication passwords typed as text (no ``{{``) of steps that authenticate (or that keep
    a password anyway). Places whose pointer is in ``marked`` (a loaded file's markers) count
    too, even when empty.
    """
    slots: list[tuple[SecretSlot, str]] = []
    for index, variable in enumerate(integration.variables):
        slot = variable_slot(index, variable.name)
        if (
            variable.secret
            and variable.vault is None
            and (variable.mode is VariableMode.HERE or variable.value or slot.pointer in marked)
        ):
            slots.append((slot, variable.value))
    for index, step in enumerate(integration.steps):
        auth = step.authentication
        slot = password_slot(index, step.name)
        if "{{" not in auth.password and (
            auth.password or auth.type is not AuthType.NONE or slot.pointer in marked
        ):
            slots.append((slot, auth.password))
    for index, function in enumerate(integration.functions):
        # A JWT signing key typed as text is a secret, like a password typed as text.
        if isinstance(function, JwtFunction) and "{{" not in function.key:
            slots.append((function_key_slot(index, function.name), function.key))
    return slots


def without_secret_values(integration: Integration) -> Integration:
    """The integration as a file without its secrets reads back: every secret value ``""``."""
    variables = tuple(
        replace(v, value="") if v.secret and v.vault is None else v for v in integration.variables
    )
    steps = tuple(
        replace(s, authentication=replace(s.authentication, password=""))
        if "{{" not in s.authentication.password
        else s
        for s in integration.steps
    )
    functions = tuple(
        replace(f, key="") if isinstance(f, JwtFunction) and "{{" not in f.key else f
        for f in integration.functions
    )
    return replace(integration, variables=variables, steps=steps, functions=functions)


# -- .env files ---------------------------------------------------------------------------------


def parse_dotenv(text: str, name: str = DOTENV_NAME) -> dict[str, str]:
    r"""Parse ``.env`` text with ``python-dotenv``; nothing is executed or expanded.

    ``NAME=value`` lines, blank lines and ``#`` comments, an optional ``export`` prefix; values
    unquoted, in single quotes (literal) or double quotes (``\n``, ``\"``, ... escapes; may span
    lines). ``$VAR``, ``${VAR}`` and ``$(command)`` stay as written. A later line wins.

    Raises:
        FileFormatError: naming the line of a statement that is not ``NAME=value``.
    """
    from dotenv.parser import parse_stream  # only when there is a .env: a fast CLI start

    values: dict[str, str] = {}
    for binding in parse_stream(io.StringIO(text.removeprefix("\ufeff"))):
        line = binding.original.line
        if binding.error:
            raise FileFormatError(
                name, "", "expected NAME=value (or a quote is not closed)", line=line, column=1
            )
        if binding.key is None:  # a blank line or a comment
            continue
        if binding.value is None:
            raise FileFormatError(
                name, "", f"expected '=' after {binding.key!r}", line=line, column=1
            )
        values[binding.key] = binding.value
    return values


def read_dotenv(folder: Path) -> dict[str, str]:
    """The ``.env`` file in ``folder`` parsed, or ``{}`` when there is none.

    Raises:
        FileFormatError: the file cannot be read or parsed (naming the line and column).
    """
    path = folder / DOTENV_NAME
    try:
        if not path.is_file():  # none, or a FIFO/device/socket: never read
            return {}
    except OSError as exc:
        raise FileFormatError(
            str(path), "", f"cannot read the file: {exc.strerror or exc}"
        ) from None
    # Bounded while reading (a file can grow, or report a wrong size), regular files only.
    raw = read_file_bytes(path, MAX_DOTENV_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError(str(path), "", f"not valid UTF-8 at byte {exc.start}") from None
    return parse_dotenv(text, str(path))


def dotenv_line(name: str, value: str) -> str:
    """``NAME="value"`` with the escapes :func:`parse_dotenv` reads back exactly."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'{name}="{escaped}"'


def keep_in_dotenv(folder: Path, values: Mapping[str, str]) -> Path:
    """Write ``values`` (env names to values) into the ``.env`` file in ``folder``.

    Other entries and comments of an existing file are kept; an entry with the same name is
    replaced. Used when there is no keyring and the user chose to keep secrets next to the file.

    Raises:
        FileFormatError: the existing file cannot be read or parsed, or the new one written.
    """
    path = folder / DOTENV_NAME
    read_dotenv(folder)  # refuses a file we could not read back
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept = [
        line
        for line in lines
        if not any(line.lstrip().removeprefix("export ").startswith(f"{n}=") for n in values)
    ]
    kept += [dotenv_line(name, value) for name, value in values.items()]
    try:
        write_text_atomic(path, "\n".join(kept) + "\n")
        path.chmod(0o600)  # secret values: readable by their owner only
    except OSError as exc:
        raise FileFormatError(
            str(path), "", f"cannot write the file: {exc.strerror or exc}"
        ) from None
    return path


# -- finding values ------------------------------------------------------------------------------


class SecretOrigin(StrEnum):
    """Where a secret value was found (or that it was not)."""

    ENVIRONMENT = "environment"
    DOTENV = "dotenv"
    STORE = "store"
    FILE = "file"
    """In clear text in the file (an older file); the next save moves it to the store."""
    MISSING = "missing"
    EMPTY = "empty"
    """The value is empty: there is nothing secret to keep."""
    PENDING = "pending"
    """Entered but not stored yet: the next save keeps it in the store."""


@dataclass(frozen=True, slots=True)
class SecretSource:
    """Where one secret's value comes from, for display ("where the secret comes from").

    Attributes:
        slot: The place in the file.
        origin: Where the value was found.
        detail: The environment variable, ``.env`` path or store name (empty when missing).
        marker: The file's ``source`` marker (``keyring``/``env``), ``""`` for clear text.
    """

    slot: SecretSlot
    origin: SecretOrigin
    detail: str = ""
    marker: str = ""

    def describe(self) -> str:
        """One line for the user: ``from environment variable UPTRENDS_SECRET_APIKEY``."""
        if self.origin is SecretOrigin.ENVIRONMENT:
            return f"from environment variable {self.slot.env_name}"
        if self.origin is SecretOrigin.DOTENV:
            return f"from {self.slot.env_name} in {self.detail}"
        if self.origin is SecretOrigin.STORE:
            return f"from the {self.detail}"
        if self.origin is SecretOrigin.FILE:
            return "in clear text in the file (saving moves it out)"
        if self.origin is SecretOrigin.EMPTY:
            return "empty"
        if self.origin is SecretOrigin.PENDING:
            return f"kept in the {self.detail or 'keyring'} when saved"
        return f"missing: set {self.slot.env_name} or enter the value"


class NoteLevel(StrEnum):
    """How much a note matters."""

    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class SecretNote:
    """Something about the secrets of a loaded file that the user should be told.

    Attributes:
        message: One line for the user.
        level: ``warning`` for a missing value or a broken ``.env``, ``info`` otherwise.
        pointer: The JSON pointer of the field concerned (``""`` for the whole file).
    """

    message: str
    level: NoteLevel = NoteLevel.WARNING
    pointer: str = ""

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class SecretLookup:
    """Everything a load needs to find secret values: the environment, ``.env`` and store.

    Build it with :meth:`for_file`. ``dotenv_problem`` holds a ``.env`` that could not be read;
    the file is then ignored and the problem is reported as a note.
    """

    env: Mapping[str, str] = field(default_factory=dict)
    dotenv: Mapping[str, str] = field(default_factory=dict)
    dotenv_path: str = ""
    dotenv_problem: str = ""
    store: SecretStore | None = None

    @classmethod
    def for_file(
        cls, path: Path | None, env: Mapping[str, str] | None, store: SecretStore | None
    ) -> SecretLookup:
        """The lookup for a file at ``path`` (its folder's ``.env``), or for no file."""
        dotenv: dict[str, str] = {}
        dotenv_path = problem = ""
        if path is not None:
            dotenv_path = str(path.parent / DOTENV_NAME)
            try:
                dotenv = read_dotenv(path.parent)
            except FileFormatError as exc:
                problem = f"{exc}; its values are not used"
        return cls(
            env=MappingProxyType(dict(env or {})),
            dotenv=MappingProxyType(dotenv),
            dotenv_path=dotenv_path,
            dotenv_problem=problem,
            store=store,
        )

    def from_environment(self, slot: SecretSlot) -> tuple[str, SecretOrigin, str] | None:
        """The value an environment variable or the ``.env`` file gives ``slot``, if any."""
        if slot.env_name in self.env:
            return self.env[slot.env_name], SecretOrigin.ENVIRONMENT, slot.env_name
        if slot.env_name in self.dotenv:
            return self.dotenv[slot.env_name], SecretOrigin.DOTENV, self.dotenv_path
        return None

    def find(self, slot: SecretSlot, ref: str, marker: str) -> tuple[str, SecretSource]:
        """Look ``slot`` up: environment, ``.env``, then (for a keyring marker) the store."""
        found = self.from_environment(slot)
        if found is not None:
            value, origin, detail = found
            return value, SecretSource(slot, origin, detail, marker)
        if marker == SecretSourceKind.KEYRING and ref and self.store is not None:
            stored = self.store.get(ref)
            if stored is not None:
                return stored, SecretSource(
                    slot, SecretOrigin.STORE, self.store.backend_name, marker
                )
        return "", SecretSource(slot, SecretOrigin.MISSING, "", marker)

    def places(self, marker: str) -> str:
        """Where :meth:`find` looks, in words, for a missing-value note."""
        places = ["the environment"]
        if self.dotenv_path:
            places.append(self.dotenv_path)
        if marker == SecretSourceKind.KEYRING and self.store is not None:
            if self.store.persistent:
                places.append(f"the {self.store.backend_name}")
            else:
                places.append("this session's memory (no keyring is available)")
        return ", ".join(places[:-1]) + (" and " if len(places) > 1 else "") + places[-1]

    def notes(self, sources: Iterable[SecretSource]) -> list[SecretNote]:
        """The notes for a set of looked-up sources (missing values, clear text, broken .env)."""
        result: list[SecretNote] = []
        if self.dotenv_problem:
            result.append(SecretNote(self.dotenv_problem))
        any_secret = False
        for source in sources:
            any_secret = any_secret or source.origin is not SecretOrigin.EMPTY
            slot = source.slot
            if source.origin is SecretOrigin.MISSING:
                result.append(
                    SecretNote(
                        f"No value for the {slot.label}: looked in {self.places(source.marker)}. "
                        f"Set {slot.env_name} or enter the value in the Studio.",
                        NoteLevel.WARNING,
                        slot.pointer,
                    )
                )
            elif source.origin is SecretOrigin.FILE:
                where = "the keyring" if self.store is None else f"the {self.store.backend_name}"
                result.append(
                    SecretNote(
                        f"This file contains the {slot.label} in clear text; saving it moves the "
                        f"value to {where} and leaves only a marker in the file.",
                        NoteLevel.INFO,
                        slot.pointer,
                    )
                )
        if any_secret and self.store is not None and not self.store.persistent:
            result.append(SecretNote(FALLBACK_MESSAGE, NoteLevel.WARNING))
        return result


def store_ref(owner: str, slot: SecretSlot) -> str:
    """The store key of ``slot``: ``<owner>/<slot key>`` (owner = integration id or sample)."""
    return f"{owner}/{slot.key}"


def choose_marker(lookup: SecretLookup, slot: SecretSlot, value: str) -> SecretSourceKind:
    """``env`` when the environment or ``.env`` supplies exactly ``value``, else ``keyring``.

    A value that comes from the environment is not copied into the keyring.
    """
    found = lookup.from_environment(slot)
    if found is not None and found[0] == value:
        return SecretSourceKind.ENV
    return SecretSourceKind.KEYRING


def keep_values(
    lookup: SecretLookup, owner: str, slots: Iterable[tuple[SecretSlot, str]]
) -> dict[str, str]:
    """Put the values of ``slots`` in the store and return the marker for each slot pointer.

    Values the environment already supplies get the ``env`` marker and are not stored (an
    earlier stored copy is left alone); empty values get the ``keyring`` marker and are removed
    from the store.

    Raises:
        SecretStoreError: the keyring refused a value (nothing has been written to the file yet).
    """
    markers: dict[str, str] = {}
    for slot, value in slots:
        marker = choose_marker(lookup, slot, value) if value else SecretSourceKind.KEYRING
        markers[slot.pointer] = marker.value
        if lookup.store is None or not owner:
            continue
        ref = store_ref(owner, slot)
        if not value:
            lookup.store.delete(ref)
        elif marker is SecretSourceKind.KEYRING:
            lookup.store.set(ref, value)
    return markers
