"""The open integration: its current value, file path, dirty flag and undo history.

The integration is an immutable value; every edit replaces it through :meth:`apply`, which
pushes an undo command. Consecutive edits of the same text field merge into one undo step.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from uptrends_studio.core.document.integration_file import ensure_id
from uptrends_studio.core.document.model import Integration

_MERGE_ID = 4242


class _Change(QUndoCommand):
    def __init__(
        self,
        document: IntegrationDocument,
        before: Integration,
        after: Integration,
        label: str,
        merge_key: str | None,
    ) -> None:
        super().__init__(label)
        self._document = document
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def id(self) -> int:
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, _Change) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        other.release()
        return True

    def release(self) -> None:
        """Drop the integrations this command holds; Qt is about to delete it.

        PySide keeps the Python side of a command that the stack deleted (merged into the
        previous one) alive. Without this, typing in a 1 MB body kept one whole
        ``Integration`` per keystroke.
        """
        del self.before, self.after

    def redo(self) -> None:
        self._document._set(self.after)

    def undo(self) -> None:
        self._document._set(self.before)


class IntegrationDocument(QObject):
    """The integration being edited.

    Signals:
        changed: the integration value changed (edit, undo, redo, load).
        path_changed: the file path changed (open, save as).
        dirty_changed(bool): unsaved changes appeared or disappeared.
    """

    changed = Signal()
    path_changed = Signal()
    dirty_changed = Signal(bool)

    def __init__(
        self, integration: Integration, path: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        # Every document has its id from the start (secrets in the keyring are keyed by it), so
        # a save never has to give it one and undo never takes it away.
        self._integration = ensure_id(integration)
        self._path = path
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)
        self._untitled_dirty = False

    @property
    def integration(self) -> Integration:
        """The current value."""
        return self._integration

    @property
    def path(self) -> Path | None:
        """The file it was loaded from or saved to; ``None`` for a new document."""
        return self._path

    def is_dirty(self) -> bool:
        """True when there are unsaved changes."""
        return not self.undo_stack.isClean() or self._untitled_dirty

    def apply(self, new: Integration, label: str, merge_key: str | None = None) -> None:
        """Replace the integration with ``new`` as one undoable step named ``label``.

        Consecutive calls with the same ``merge_key`` (e.g. typing in one field) merge.
        """
        if new == self._integration:
            return
        self.undo_stack.push(_Change(self, self._integration, new, label, merge_key))

    def load(self, integration: Integration, path: Path | None, *, dirty: bool = False) -> None:
        """Replace the whole document (open, new); clears undo history."""
        self.undo_stack.clear()
        self._path = path
        self._untitled_dirty = dirty
        self._set(ensure_id(integration))
        self.path_changed.emit()
        self.dirty_changed.emit(self.is_dirty())

    def mark_saved(self, path: Path) -> None:
        """Record a successful save to ``path``."""
        moved = path != self._path
        self._path = path
        self._untitled_dirty = False
        self.undo_stack.setClean()
        if moved:
            self.path_changed.emit()
        self.dirty_changed.emit(False)

    def display_name(self) -> str:
        """File name; for a document never saved, the integration's name (or ``Untitled``)."""
        if self._path is not None:
            return self._path.name
        return self._integration.name.strip() or "Untitled"

    def _set(self, integration: Integration) -> None:
        self._integration = integration
        self.changed.emit()

    def _on_undo_stack_clean_changed(self, _clean: bool) -> None:
        self.dirty_changed.emit(self.is_dirty())
