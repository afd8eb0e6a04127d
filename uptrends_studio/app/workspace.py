"""The workspace: the open integration, the sample sets to choose from, secrets and history.

The window's document and sample state (Qt objects that signal changes) and the command line's
loaded file both fit the two small protocols here, so a :class:`Workspace` reads whichever it
is given and never copies their state.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from uptrends_studio.core.delivery.history import History
from uptrends_studio.core.document.model import ALERT_TYPES, Integration
from uptrends_studio.core.document.sample_files import (
    LoadedSample,
    find_sample_with_secrets,
    load_sample_with_secrets,
)
from uptrends_studio.core.document.sample_headers import SampleHeader, read_sample_header
from uptrends_studio.core.document.samples import (
    EDGE_CASES_SAMPLE,
    SampleSet,
    builtin_sample_paths,
    load_sample,
)
from uptrends_studio.core.errors import SampleError, StudioError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import RenderedRequest, Renderer
from uptrends_studio.core.secret_store import SecretStore
from uptrends_studio.core.secrets import Masker, masker_for

log = logging.getLogger(__name__)


class IntegrationSource(Protocol):
    """Where the open integration is read from (the window's document, or a loaded file)."""

    @property
    def integration(self) -> Integration:
        """The integration as it is now."""
        ...

    @property
    def path(self) -> Path | None:
        """Its file ("None" while never saved)."""
        ...


class SampleSource(Protocol):
    """Where the sample set in use is read from."""

    @property
    def sample(self) -> SampleSet:
        """The sample set as it is now."""
        ...

    @property
    def key(self) -> str:
        """A built-in stem (``https``) or the file path it came from."""
        ...


@dataclass(frozen=True, slots=True)
class OpenFile:
    """An integration loaded once (the command line)."""

    integration: Integration
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class ChosenSample:
    """A sample set chosen once (the command line)."""

    sample: SampleSet
    key: str = ""


class SampleSets:
    """The sample sets to choose from: the built-in ones, and files with their secrets.

    One list for the sample panel and the Test tab alike. The list of built-in sets (names
    and descriptions) is read on first use from the files' first bytes; a set itself is parsed
    when it is first asked for, so the 1.2 MB ``edge-cases`` set waits until it is chosen. It is
    listed last (it is for trying templates out, not a monitor).
    """

    def __init__(
        self,
        catalogue: Catalogue,
        *,
        store: SecretStore | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.store = store
        self.env = env
        self._headers: list[SampleHeader] | None = None
        self._loaded: dict[str, SampleSet | None] = {}

    def builtin_headers(self) -> list[SampleHeader]:
        """The built-in sample sets' names and descriptions, in display order.

        Unreadable ones are left out (a broken install stays usable).
        """
        if self._headers is None:
            found: list[SampleHeader] = []
            for path in builtin_sample_paths():
                try:
                    found.append(read_sample_header(path, self.catalogue))
                except SampleError:
                    log.exception("built-in sample set %s cannot be loaded", path)
            found.sort(key=lambda header: header.key == EDGE_CASES_SAMPLE)
            self._headers = found
        return self._headers

    def builtin(self, key: str) -> SampleSet | None:
        """The built-in set with file stem ``key`` (parsed now if it was not yet), if any."""
        if key not in self._loaded:
            header = next((h for h in self.builtin_headers() if h.key == key), None)
            sample: SampleSet | None = None
            if header is not None:
                try:
                    sample = load_sample(header.path, self.catalogue)
                except SampleError:
                    log.exception("built-in sample set %s cannot be loaded", header.path)
            self._loaded[key] = sample
        return self._loaded[key]

    def is_parsed(self, key: str) -> bool:
        """True once the built-in set ``key`` has been read in full."""
        return key in self._loaded

    def builtins(self) -> dict[str, SampleSet]:
        """Every built-in sample set by file stem, in display order (this parses them all)."""
        found = ((h.key, self.builtin(h.key)) for h in self.builtin_headers())
        return {key: sample for key, sample in found if sample is not None}

    def builtin_named(self, name: str) -> tuple[str, SampleSet] | None:
        """The built-in set whose display name is ``name`` (a stored run's sample), with its key."""
        for header in self.builtin_headers():
            if header.name == name:
                sample = self.builtin(header.key)
                return None if sample is None else (header.key, sample)
        return None

    def load_file(self, path: Path) -> LoadedSample:
        """A ``*.sample.json`` file with its mock-vault passwords from the secret sources.

        Raises:
            SampleError: the file is malformed.
        """
        return load_sample_with_secrets(path, self.catalogue, store=self.store, env=self.env)

    def find(self, name_or_path: str | None) -> LoadedSample:
        """A built-in set by stem or name, or a file path (the command line's ``--sample``).

        Raises:
            UsageError: nothing matches.
            SampleError: the file is malformed.
        """
        return find_sample_with_secrets(
            name_or_path, self.catalogue, store=self.store, env=self.env
        )


class Workspace:
    """The open integration and sample in use, the sample sets, the secret store and history."""

    def __init__(
        self,
        source: IntegrationSource,
        samples: SampleSource,
        catalogue: Catalogue,
        *,
        history_root: Path,
        sample_sets: SampleSets | None = None,
        store: SecretStore | None = None,
    ) -> None:
        self.source = source
        self.samples = samples
        self.catalogue = catalogue
        self.history_root = history_root
        self.store = store
        self.sample_sets = sample_sets or SampleSets(catalogue, store=store)
        self._outside: tuple[Integration, SampleSet, Masker] | None = None

    @property
    def integration(self) -> Integration:
        """The open integration as it is now."""
        return self.source.integration

    @property
    def sample(self) -> SampleSet:
        """The sample set in use as it is now."""
        return self.samples.sample

    def outside_masker(self) -> Masker:
        """Masks the open document's secrets in text from outside (receiver captures, echoes).

        Such text can hold a secret in any form, so the masker also knows what the document's
        requests compute from the secrets (an encoded key, a signature). Rendering every
        message type is the costly part: the masker is kept until the document or sample
        changes.
        """
        integration, sample = self.integration, self.sample
        cached = self._outside
        if cached is not None and cached[0] is integration and cached[1] == sample:
            return cached[2]
        requests: list[RenderedRequest] = []
        try:
            renderer = Renderer(integration, self.catalogue)
            for alert_type in ALERT_TYPES:
                requests.extend(renderer.render_alert(alert_type, sample))
        except StudioError:  # a sample that cannot be used: the plain secret values still are
            requests = []
        masker = masker_for(integration, sample, requests)
        self._outside = (integration, sample, masker)
        return masker

    def history(self) -> History:
        """The test history of the open integration (by file, or by name while unsaved)."""
        path = self.source.path
        identity = str(path.resolve()) if path is not None else self.integration.name
        return History(self.history_root, identity)
