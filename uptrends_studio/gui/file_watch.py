"""Noticing when another program changes or deletes the open file.

:class:`FileWatcher` watches the document's file and its folder with a
:class:`QFileSystemWatcher`. After each event it waits :data:`SETTLE_MS` (editors often write
in several steps), then compares the file's content hash with the last one the Studio knows
of: the one it loaded or saved. Our own saves therefore never count as outside changes. Saves
that replace the file by a rename (the Studio's, and most editors') give the file a new inode,
which the watcher stops following; it is re-armed on every check.

:class:`ExternalChangeHandler` decides what to do: reload silently when there are no unsaved
changes, otherwise ask (Reload from disk / Keep mine); a deleted file marks the document
unsaved so that closing asks before anything is lost.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.errors import StudioError
from uptrends_studio.gui.document import IntegrationDocument

log = logging.getLogger(__name__)

SETTLE_MS = 300
"""Wait after a file-system event before looking, so a multi-step write is seen whole."""


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class FileWatcher(QObject):
    """Watches the document's file for changes made by other programs.

    Signals:
        changed_on_disk(Path): the file's content differs from what the Studio loaded or saved.
        removed_from_disk(Path): the file was deleted or moved away.
    """

    changed_on_disk = Signal(Path)
    removed_from_disk = Signal(Path)

    def __init__(
        self,
        document: IntegrationDocument,
        settle_ms: int = SETTLE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_watcher_changed)
        self._watcher.directoryChanged.connect(self._on_watcher_changed)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self.check_now)
        self._path: Path | None = None
        self._known: str | None = None
        self._missing = False
        document.path_changed.connect(self._on_document_path_changed)
        document.dirty_changed.connect(self._on_document_dirty_changed)
        self._on_document_path_changed()

    @property
    def path(self) -> Path | None:
        """The file being watched."""
        return self._path

    def watched(self) -> list[str]:
        """The paths the file-system watcher currently follows (file and folder)."""
        return [*self._watcher.files(), *self._watcher.directories()]

    def _on_document_path_changed(self) -> None:
        self._path = self._document.path
        self.remember_disk_state()

    def _on_document_dirty_changed(self, dirty: bool) -> None:
        if not dirty:  # saved or (re)loaded: what is on disk now is ours
            self.remember_disk_state()

    def remember_disk_state(self) -> None:
        """Take the file's current content as the Studio's own (after a load or a save)."""
        self._settle.stop()
        self._known = _digest(self._path) if self._path is not None else None
        self._missing = self._path is not None and self._known is None
        self._arm()

    def _arm(self) -> None:
        current = self.watched()
        if current:
            self._watcher.removePaths(current)
        if self._path is None:
            return
        wanted = [str(self._path.parent)]
        if self._path.exists():
            wanted.append(str(self._path))
        self._watcher.addPaths(wanted)

    def _on_watcher_changed(self, _path: str) -> None:
        self._settle.start()

    def check_now(self) -> None:
        """Compare the file with what the Studio knows and emit a signal when it differs."""
        path = self._path
        if path is None:
            return
        if str(path) not in self._watcher.files() and path.exists():
            self._watcher.addPath(str(path))  # re-arm: a rename-save replaced the inode
        digest = _digest(path)
        if digest is None:
            if not path.exists() and not self._missing:
                self._missing = True
                log.info("%s was removed by another program", path)
                self.removed_from_disk.emit(path)
            return
        was_missing = self._missing
        self._missing = False
        if digest == self._known:
            return
        self._known = digest
        log.info("%s was changed by another program%s", path, " (recreated)" * was_missing)
        self.changed_on_disk.emit(path)


class ReloadChoice(Enum):
    """The answer to "the file changed on disk"."""

    RELOAD = "reload"
    KEEP_MINE = "keep"


def ask_reload(path: Path, parent: QWidget | None = None) -> ReloadChoice:
    """Ask whether to reload ``path`` (changed by another program) or keep the unsaved work."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "File changed on disk",
        f"{path.name} was changed by another program, and you have unsaved changes.\n\n{path}",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    reload_button = box.addButton("&Reload from disk", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep mine", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setInformativeText(
        "Reload from disk drops your unsaved changes. Keep mine leaves them in the window; "
        "saving will then overwrite the other program's version."
    )
    box.exec()
    return ReloadChoice.RELOAD if box.clickedButton() is reload_button else ReloadChoice.KEEP_MINE


class ExternalChangeHandler(QObject):
    """Reacts to :class:`FileWatcher`: reload, ask, or mark the document unsaved.

    Signals:
        status_message(str): a short note for the status bar (what happened, what was done).
    """

    status_message = Signal(str)

    def __init__(
        self,
        document: IntegrationDocument,
        watcher: FileWatcher,
        *,
        ask: Callable[[Path], ReloadChoice] | None = None,
        parent_widget: QWidget | None = None,
        parent: QObject | None = None,
        loader: Callable[[Path], Integration] = integration_file.load,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._loader = loader
        self._ask = ask or (lambda path: ask_reload(path, parent_widget))
        watcher.changed_on_disk.connect(self._on_watcher_changed_on_disk)
        watcher.removed_from_disk.connect(self._on_watcher_removed_from_disk)

    def _on_watcher_changed_on_disk(self, path: Path) -> None:
        if path != self._document.path:
            return
        if self._document.is_dirty() and self._ask(path) is ReloadChoice.KEEP_MINE:
            self._keep_mine()
            self.status_message.emit(
                f"Kept your version; {path.name} on disk was changed by another program "
                "and saving will overwrite it"
            )
            return
        try:
            integration = self._loader(path)
        except StudioError as exc:
            self._keep_mine()
            self.status_message.emit(
                f"{path.name} was changed by another program but cannot be read ({exc}); "
                "your version is kept"
            )
            return
        self._document.load(integration, path)
        self.status_message.emit(f"Reloaded {path.name}: it was changed by another program")

    def _on_watcher_removed_from_disk(self, path: Path) -> None:
        if path != self._document.path:
            return
        self._keep_mine()
        self.status_message.emit(
            f"{path.name} was deleted or moved by another program; save to write it again"
        )

    def _keep_mine(self) -> None:
        # Unsaved for good: undoing back to the loaded state must not look "saved" any more.
        self._document.undo_stack.resetClean()
