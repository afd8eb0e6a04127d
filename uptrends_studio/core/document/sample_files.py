"""Sample files with their mock-vault passwords kept out of the file.

:mod:`uptrends_studio.core.document.samples` turns a sample document into a :class:`SampleSet` and
back (in memory); this module reads and writes ``*.sample.json`` files the safe way: a non-empty
vault ``Password`` is written as a marker (``{"source": "keyring"}`` or ``"env"``) and its value
goes to a :class:`~uptrends_studio.core.secret_store.SecretStore`; loading fills it in again from
the environment, a ``.env`` file or the store. There is no other writer of sample files.

- :func:`load_sample_with_secrets` / :func:`find_sample_with_secrets`: read, secrets filled in;
- :func:`save_sample_with_secrets`: write, secrets to the store;
- :func:`dumps_sample`: the file text without passwords (exports, autosave).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from uptrends_studio.core.document import jsonfile
from uptrends_studio.core.document.jsonfile import Reader
from uptrends_studio.core.document.model import VaultField
from uptrends_studio.core.document.samples import (
    SampleSet,
    sample_from_document,
    sample_to_document,
)
from uptrends_studio.core.document.samples import find_sample as find_builtin_sample
from uptrends_studio.core.errors import SampleError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.secret_store import (
    SOURCE_KINDS,
    SecretLookup,
    SecretNote,
    SecretOrigin,
    SecretSource,
    SecretSourceKind,
    SecretStore,
    keep_values,
    store_ref,
    vault_slot,
)


@dataclass(frozen=True, slots=True)
class LoadedSample:
    """A sample set loaded with its mock-vault passwords filled in from the secret sources."""

    sample: SampleSet
    sources: tuple[SecretSource, ...] = ()
    notes: tuple[SecretNote, ...] = ()


def sample_owner(path: Path) -> str:
    """The store owner of a sample file's secrets: ``sample:<absolute path>``."""
    return f"sample:{path.resolve().as_posix()}"


def _vault_markers(
    data: Mapping[str, Any], reader: Reader
) -> Iterator[tuple[dict[str, Any], str, str]]:
    """Each vault item whose ``Password`` is a marker object: (item dict, item GUID, marker)."""
    vault = data.get("vault")
    if not isinstance(vault, dict):
        return
    for item, entry in vault.items():
        if not isinstance(entry, dict):
            continue
        password = entry.get(VaultField.PASSWORD.value)
        if isinstance(password, dict):
            where = vault_slot(str(item)).pointer
            marker = reader.obj(password, where, ("source",))
            kind = reader.choice(
                reader.require(marker, "source", where), where + "/source", SOURCE_KINDS
            )
            yield entry, str(item), kind


def load_sample_with_secrets(
    path: Path,
    catalogue: Catalogue,
    *,
    store: SecretStore | None,
    env: Mapping[str, str] | None,
) -> LoadedSample:
    """Load a ``*.sample.json`` file, filling marked mock-vault passwords from the sources.

    A password kept in clear text (an older file) loads as written, with a note that the next
    save moves it out of the file.

    Raises:
        SampleError: the file is malformed (naming the field).
    """
    document = jsonfile.read_json(path, SampleError)
    reader = Reader(str(path), SampleError)
    lookup = SecretLookup.for_file(path, env, store)
    owner = sample_owner(path)
    sources: list[SecretSource] = []
    if isinstance(document, dict):
        data: dict[str, Any] = dict(document)
        if isinstance(data.get("vault"), dict):
            data["vault"] = {
                k: dict(v) if isinstance(v, dict) else v for k, v in data["vault"].items()
            }
        document = data
        for entry, item, kind in list(_vault_markers(data, reader)):
            slot = vault_slot(item)
            value, source = lookup.find(slot, store_ref(owner, slot), kind)
            entry[VaultField.PASSWORD.value] = value
            sources.append(source)
    sample = sample_from_document(document, str(path), catalogue)
    marked = {s.slot.name for s in sources}
    for item, credentials in sample.vault.items():
        password = credentials.get(VaultField.PASSWORD.value, "")
        if item in marked or not password:
            continue
        slot = vault_slot(item)
        found = lookup.from_environment(slot)
        if found is not None:
            sources.append(SecretSource(slot, found[1], found[2]))
            sample = _with_vault_password(sample, item, found[0])
        else:
            sources.append(SecretSource(slot, SecretOrigin.FILE))
    return LoadedSample(sample, tuple(sources), tuple(lookup.notes(sources)))


def find_sample_with_secrets(
    name_or_path: str | None,
    catalogue: Catalogue,
    *,
    store: SecretStore | None,
    env: Mapping[str, str] | None,
) -> LoadedSample:
    """Like :func:`uptrends_studio.core.document.samples.find_sample`, with a file's vault secrets.

    A path (anything ending in ``.json``, naming a file or containing a slash) is loaded with
    :func:`load_sample_with_secrets`; a built-in set name loads as shipped (its demo passwords,
    no notes).

    Raises:
        UsageError: nothing matches (the message lists the built-in names).
        SampleError: the file is malformed.
    """
    key = name_or_path or ""
    candidate = Path(key)
    if key and (candidate.suffix == ".json" or candidate.is_file() or "/" in key or "\\" in key):
        return load_sample_with_secrets(candidate, catalogue, store=store, env=env)
    return LoadedSample(find_builtin_sample(name_or_path, catalogue))


def _with_vault_password(sample: SampleSet, item: str, password: str) -> SampleSet:
    vault = dict(sample.vault)
    entry = dict(vault.get(item, {}))
    entry[VaultField.PASSWORD.value] = password
    vault[item] = MappingProxyType(entry)
    return replace(sample, vault=MappingProxyType(vault))


def sample_document(sample: SampleSet, markers: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The sample's JSON document with every non-empty mock-vault password replaced by a marker.

    ``markers`` maps a vault slot's pointer to its marker (default ``keyring``).
    """
    doc = sample_to_document(sample)
    for item, entry in doc.get("vault", {}).items():
        if entry.get(VaultField.PASSWORD.value):
            marker = (markers or {}).get(vault_slot(item).pointer, SecretSourceKind.KEYRING.value)
            entry[VaultField.PASSWORD.value] = {"source": marker}
    return doc


def dumps_sample(sample: SampleSet) -> str:
    """The sample file text, without mock-vault passwords (safe for exports and autosave)."""
    return jsonfile.dumps(sample_document(sample))


def save_sample_with_secrets(
    sample: SampleSet,
    path: Path,
    *,
    store: SecretStore | None,
    env: Mapping[str, str] | None = None,
) -> None:
    """Write a sample set to ``path``, its mock-vault passwords to ``store`` (not the file).

    Without a store the passwords are not kept anywhere (the file only has markers).

    Raises:
        SecretStoreError: the keyring refused a password (the file is not written).
        SampleError: the file cannot be written.
    """
    lookup = SecretLookup.for_file(path, env, store)
    slots = [
        (vault_slot(item), entry.get(VaultField.PASSWORD.value, ""))
        for item, entry in sample.vault.items()
    ]
    markers = keep_values(lookup, sample_owner(path), slots)
    try:
        jsonfile.write_text_atomic(path, jsonfile.dumps(sample_document(sample, markers)))
    except OSError as exc:
        raise SampleError(str(path), "", f"cannot write the file: {exc.strerror or exc}") from None
