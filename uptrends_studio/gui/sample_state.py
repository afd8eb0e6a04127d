"""The sample alert data the preview renders with."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from uptrends_studio.core.document.samples import SampleSet


class SampleState(QObject):
    """The sample set in use, and where it came from.

    Signals:
        changed: the sample set (or one of its values) changed.
    """

    changed = Signal()

    def __init__(self, sample: SampleSet, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sample = sample
        self._key = key
        self._edited = False

    @property
    def sample(self) -> SampleSet:
        """The current sample set."""
        return self._sample

    @property
    def key(self) -> str:
        """Built-in stem (``https``) or file path it was loaded from."""
        return self._key

    @property
    def edited(self) -> bool:
        """True when values were changed since it was loaded or saved."""
        return self._edited

    def set_sample(
        self, sample: SampleSet, key: str | None = None, *, edited: bool = False
    ) -> None:
        """Use ``sample`` (``key`` given when a different set was chosen)."""
        if key is not None:
            self._key = key
        self._sample = sample
        self._edited = edited
        self.changed.emit()

    def saved_to(self, path: Path) -> None:
        """Record that the sample was saved to ``path``."""
        self._key = str(path)
        self._edited = False
        self.changed.emit()
