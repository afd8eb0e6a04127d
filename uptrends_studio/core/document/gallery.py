"""The starter gallery: integration templates shipped in ``resources/templates/``.

Each ``*.integration.json`` there is an ordinary integration file (see ``docs/file-format.md``)
built from a target's public API documentation, with ``target`` set so that the target's rules
(:mod:`uptrends_studio.core.checks.targets`) apply to integrations made from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.errors import StudioError
from uptrends_studio.paths import resource_path

DEFAULT_KEY = "uptrends-default"
"""The key of Uptrends' default custom template ("Uptrends integration"), listed first."""


@dataclass(frozen=True, slots=True)
class GalleryEntry:
    """One template of the gallery.

    Attributes:
        key: The file name without ``.integration.json`` (``pagerduty``).
        name: The integration name shown in the gallery.
        description: What the template sends and where it comes from.
        target: The target whose rules apply (``""`` for none).
        path: The template file.
    """

    key: str
    name: str
    description: str
    target: str
    path: Path


def templates_dir() -> Path:
    """The folder of the shipped templates."""
    return resource_path("templates")


def gallery_entries(directory: Path | None = None) -> list[GalleryEntry]:
    """The templates in ``directory`` (default: the shipped ones).

    "Uptrends integration" (the default custom template) comes first, then the others by name.

    Raises:
        FileFormatError: a template file cannot be read, naming the file, field and problem.
    """
    entries, errors = read_gallery(directory)
    if errors:
        raise next(iter(errors.values()))
    return entries


def read_gallery(
    directory: Path | None = None,
) -> tuple[list[GalleryEntry], dict[Path, StudioError]]:
    """Like :func:`gallery_entries`, but an unreadable template does not stop the others.

    Each unreadable file is listed under its file name (no description) with its error, so a
    gallery can show the problem and keep the other templates usable.
    """
    folder = templates_dir() if directory is None else directory
    entries = []
    errors: dict[Path, StudioError] = {}
    for path in sorted(folder.glob(f"*{integration_file.SUFFIX}")):
        key = path.name.removesuffix(integration_file.SUFFIX)
        try:
            integration = integration_file.load(path)
        except StudioError as exc:
            errors[path] = exc
            entries.append(GalleryEntry(key, path.name, "", "", path))
            continue
        entries.append(
            GalleryEntry(key, integration.name, integration.description, integration.target, path)
        )
    entries.sort(key=lambda e: (e.key != DEFAULT_KEY, e.name.casefold(), e.key))
    return entries, errors


def search(entries: Iterable[GalleryEntry], text: str) -> list[GalleryEntry]:
    """The entries matching every word of ``text`` (case-insensitive), in their given order.

    A word matches when it occurs in the entry's name, description or target; an empty
    ``text`` matches everything.
    """
    words = text.casefold().split()
    found = []
    for entry in entries:
        haystack = "\n".join((entry.name, entry.description, entry.target)).casefold()
        if all(word in haystack for word in words):
            found.append(entry)
    return found


def load_template(entry: GalleryEntry) -> Integration:
    """The integration of a gallery entry.

    Raises:
        FileFormatError: the template file cannot be read.
    """
    return integration_file.load(entry.path)
