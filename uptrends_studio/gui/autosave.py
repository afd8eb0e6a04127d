"""Autosave of unsaved work, and the offer to restore it after a crash.

While the document has unsaved changes, :class:`Autosaver` writes it a few seconds after the
last change (:data:`AUTOSAVE_DELAY_MS`), and at the latest :data:`AUTOSAVE_MAX_WAIT_MS` after
the first change not yet autosaved (typing without a pause is saved too), to the autosave
folder (``<user data dir>/autosave``): the integration as :func:`integration_file.dumps`
writes it, plus a small sidecar naming the original file, the time and the process. Both
writes are atomic (temporary file, fsync, rename) and private to the user (0600).
The slot is deleted once the document is saved, reloaded or closed without saving.

On the next start :func:`find_restorable` lists the autosaves whose process is gone, and
:func:`offer_restore` shows each in a :class:`RestoreDialog` (time, original file, a unified
diff against the file on disk) with Restore, Discard and Later.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.document import integration_file, jsonfile
from uptrends_studio.core.document.jsonfile import Reader
from uptrends_studio.core.document.model import Integration
from uptrends_studio.core.document.sample_files import dumps_sample
from uptrends_studio.core.errors import FileFormatError
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.sample_state import SampleState

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 3000
"""Quiet time after the last change before the autosave is written."""
AUTOSAVE_MAX_WAIT_MS = 5000
"""Longest wait from the first unsaved change to the autosave, even while typing goes on
(each change restarts the quiet-time timer, this one is never restarted): a crash loses at most
the last 5 seconds of work."""
FORMAT = "uptrends-studio.autosave"
VERSION = 1
CONTENT_SUFFIX = ".autosave.integration.json"
SAMPLE_SUFFIX = ".autosave.sample.json"
SIDECAR_SUFFIX = ".autosave.meta.json"
MAX_DIFF_LINES = 5000
"""Longer diffs are cut in the restore dialog (the whole autosave is still restored)."""

RUN_ID = os.urandom(16).hex()
"""Identifies this run of the Studio; a process id alone may be reused after a reboot."""

_SIDECAR_FIELDS = (
    "format",
    "version",
    "original",
    "savedAt",
    "pid",
    "run",
    "name",
    "sampleKey",
    "sampleName",
)


def slot_name(path: Path | None, pid: int) -> str:
    """File name stem of the autosave slot of a document at ``path`` in process ``pid``.

    One slot per open document: the file name plus a hash of its absolute path (or
    ``untitled``), and the process id so that two running Studios never share a slot.
    """
    import hashlib  # when the first autosave is written (not on the start path)

    if path is None:
        return f"untitled-{pid}"
    absolute = os.path.normcase(str(path.absolute()))
    digest = hashlib.sha256(absolute.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    stem = path.name.removesuffix(integration_file.SUFFIX).removesuffix(".json")
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in stem)
    return f"{cleaned[:40].strip('-') or 'integration'}-{digest}-{pid}"


def pid_alive(pid: int) -> bool:
    """True when a process with id ``pid`` exists (it may belong to another user)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # ERROR_ACCESS_DENIED: exists
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class AutosaveEntry:
    """One autosave on disk: the integration text and what the sidecar says about it."""

    content_path: Path
    sidecar_path: Path
    original: Path | None
    saved_at: datetime
    pid: int
    run: str
    name: str
    sample_key: str | None = None
    """Where the edited sample set came from (built-in name or file), when it was autosaved."""
    sample_name: str = ""

    @property
    def sample_path(self) -> Path | None:
        """The autosaved sample set (edited, unsaved), or ``None`` when it had no changes."""
        if self.sample_key is None:
            return None
        return self.content_path.with_name(
            self.content_path.name.removesuffix(CONTENT_SUFFIX) + SAMPLE_SUFFIX
        )

    def text(self) -> str:
        """The autosaved integration file text.

        Raises:
            FileFormatError: The autosave cannot be read or is not a regular file.
        """
        raw = jsonfile.read_file_bytes(self.content_path)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileFormatError(
                str(self.content_path), "", f"cannot read the autosave: {exc}"
            ) from None

    def integration(self) -> Integration:
        """The autosaved integration.

        Raises:
            FileFormatError: The autosave is unreadable (it names the autosave file).
        """
        return integration_file.loads(self.text(), str(self.content_path))

    def disk_text(self) -> str | None:
        """The original file's current text, or ``None`` when never saved or gone."""
        if self.original is None:
            return None
        try:
            raw = jsonfile.read_file_bytes(self.original)
        except FileFormatError:  # gone, too big, or not a regular file
            return None
        return raw.decode("utf-8", errors="replace")

    def diff(self) -> str:
        """Unified diff from the file on disk (or nothing) to the autosave."""
        import difflib  # only when a restore is offered

        before = self.disk_text() or ""
        after = self.text()
        label = str(self.original) if self.original is not None else "never saved"
        lines = list(
            difflib.unified_diff(
                before.splitlines(keepends=True),
                after.splitlines(keepends=True),
                fromfile=f"{label} (on disk)",
                tofile="autosave (unsaved changes)",
            )
        )
        if len(lines) > MAX_DIFF_LINES:
            lines = [*lines[:MAX_DIFF_LINES], f"... {len(lines) - MAX_DIFF_LINES} more lines\n"]
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)

    def discard(self) -> None:
        """Delete the autosave (content first, so a half-deleted slot is never offered)."""
        self.content_path.unlink(missing_ok=True)
        if self.sample_path is not None:
            self.sample_path.unlink(missing_ok=True)
        self.sidecar_path.unlink(missing_ok=True)


def read_entry(sidecar: Path) -> AutosaveEntry:
    """Read one autosave's sidecar.

    Raises:
        FileFormatError: naming the sidecar, the field and the problem.
    """
    reader = Reader(str(sidecar))
    data = reader.obj(jsonfile.read_json(sidecar), "", _SIDECAR_FIELDS)
    reader.header(data, FORMAT, VERSION)
    original = data.get("original")
    if original is not None:
        original = Path(reader.string(original, "/original"))
    saved = reader.string(reader.require(data, "savedAt", ""), "/savedAt")
    try:
        saved_at = datetime.fromisoformat(saved)
    except ValueError:
        raise reader.fail("/savedAt", f"{saved!r} is not an ISO date and time") from None
    stem = sidecar.name.removesuffix(SIDECAR_SUFFIX)
    return AutosaveEntry(
        content_path=sidecar.with_name(stem + CONTENT_SUFFIX),
        sidecar_path=sidecar,
        original=original,
        saved_at=saved_at,
        pid=reader.integer(reader.require(data, "pid", ""), "/pid"),
        run=reader.string(reader.require(data, "run", ""), "/run"),
        name=reader.get(data, "name", "", reader.string, ""),
        sample_key=_optional_string(reader, data, "sampleKey"),
        sample_name=reader.get(data, "sampleName", "", reader.string, ""),
    )


def _optional_string(reader: Reader, data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else reader.string(value, f"/{key}")


def find_restorable(
    folder: Path,
    *,
    run_id: str = RUN_ID,
    alive: Callable[[int], bool] = pid_alive,
) -> list[AutosaveEntry]:
    """Autosaves in ``folder`` left by a Studio that is no longer running, newest first.

    An autosave of this run (``run_id``) is never offered, nor one whose process is still
    alive (another Studio window). Unreadable sidecars are skipped and logged.
    """
    try:
        sidecars = sorted(folder.glob(f"*{SIDECAR_SUFFIX}"))
    except OSError:
        return []
    entries: list[AutosaveEntry] = []
    for sidecar in sidecars:
        try:
            entry = read_entry(sidecar)
        except FileFormatError as exc:
            log.warning("skipping an unreadable autosave: %s", exc)
            continue
        if entry.run == run_id or not entry.content_path.is_file():
            continue
        if entry.pid != os.getpid() and alive(entry.pid):
            continue
        entries.append(entry)
    entries.sort(key=lambda e: e.saved_at, reverse=True)
    return entries


class Autosaver(QObject):
    """Writes the document to its autosave slot a few seconds after each change.

    With ``samples``, an edited sample set is autosaved into the same slot too (without its
    mock-vault passwords, like a saved sample file), on the same timers.

    Signals:
        autosaved(Path): the autosave was written (the integration file's path).
        failed(str): writing the autosave failed (disk full, no permission); the message.
    """

    autosaved = Signal(Path)
    failed = Signal(str)

    def __init__(
        self,
        document: IntegrationDocument,
        folder: Path,
        delay_ms: int = AUTOSAVE_DELAY_MS,
        parent: QObject | None = None,
        *,
        run_id: str = RUN_ID,
        max_wait_ms: int = AUTOSAVE_MAX_WAIT_MS,
        samples: SampleState | None = None,
    ) -> None:
        super().__init__(parent)
        self._document = document
        self._samples = samples
        self._folder = folder
        self._run_id = run_id
        self._written: tuple[Path, ...] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.save_now)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(max(max_wait_ms, 0))
        self._deadline.timeout.connect(self.save_now)
        document.changed.connect(self._on_document_touched)
        document.dirty_changed.connect(self._on_document_touched)
        document.path_changed.connect(self._on_document_touched)
        if samples is not None:
            samples.changed.connect(self._on_document_touched)
        self._on_document_touched()

    @property
    def folder(self) -> Path:
        """Where the autosaves are written."""
        return self._folder

    def slot_paths(self) -> tuple[Path, Path]:
        """The (integration, sidecar) files of the current document's slot."""
        stem = slot_name(self._document.path, os.getpid())
        return self._folder / (stem + CONTENT_SUFFIX), self._folder / (stem + SIDECAR_SUFFIX)

    def sample_path(self) -> Path:
        """Where an edited sample set is autosaved, next to the slot's integration file."""
        stem = slot_name(self._document.path, os.getpid())
        return self._folder / (stem + SAMPLE_SUFFIX)

    def _has_unsaved_work(self) -> bool:
        edited = self._samples is not None and self._samples.edited
        return edited or self._document.is_dirty()

    def catch_up(self) -> None:
        """Schedule an autosave of work left unsaved before this autosaver was attached.

        The window attaches it after its first paint (the staged start); an autosave restored
        or typed in before then is not left out.
        """
        if self._has_unsaved_work():
            self._on_document_touched()

    def is_pending(self) -> bool:
        """True while a change waits for the autosave timer."""
        return self._timer.isActive()

    def _on_document_touched(self, *_args: object) -> None:
        if self._has_unsaved_work():
            self._timer.start()  # restarted by every change: waits for a pause in typing
            if not self._deadline.isActive():
                self._deadline.start()  # not restarted: the longest wait while typing on
        else:
            self.discard()

    def save_now(self) -> Path | None:
        """Write the autosave now (when there are unsaved changes); return its path."""
        self._timer.stop()
        self._deadline.stop()
        if not self._has_unsaved_work():
            self.discard()
            return None
        content, sidecar = self.slot_paths()
        sample_file = self.sample_path()
        samples = self._samples if self._samples is not None and self._samples.edited else None
        path = self._document.path
        meta: dict[str, object] = {
            "format": FORMAT,
            "version": VERSION,
            "original": str(path.absolute()) if path is not None else None,
            "savedAt": datetime.now().astimezone().isoformat(timespec="seconds"),
            "pid": os.getpid(),
            "run": self._run_id,
            "name": self._document.integration.name,
        }
        if samples is not None:
            meta["sampleKey"] = samples.key
            meta["sampleName"] = samples.sample.name
        try:
            self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            text = integration_file.dumps(self._document.integration)
            jsonfile.write_text_atomic(content, text, mode=0o600)
            if samples is not None:  # no passwords: like a saved sample file
                jsonfile.write_text_atomic(sample_file, dumps_sample(samples.sample), mode=0o600)
            else:
                sample_file.unlink(missing_ok=True)
            jsonfile.write_text_atomic(sidecar, jsonfile.dumps(meta), mode=0o600)
        except OSError as exc:
            message = f"Autosave to {self._folder} failed: {exc.strerror or exc}"
            log.warning("%s", message)
            self.failed.emit(message)
            return None
        written = (content, sample_file, sidecar)
        if self._written is not None and self._written != written:
            self._remove(self._written)  # the document moved (save as, open)
        self._written = written
        log.info("autosaved %s to %s", self._document.display_name(), content)
        self.autosaved.emit(content)
        return content

    def discard(self) -> None:
        """Stop the timers and delete this document's autosave (saved, or closed unsaved)."""
        self._timer.stop()
        self._deadline.stop()
        if self._written is not None:
            self._remove(self._written)
            self._written = None

    @staticmethod
    def _remove(paths: tuple[Path, ...]) -> None:
        for item in paths:
            try:
                item.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("cannot delete the autosave %s: %s", item, exc)


class RestoreChoice(Enum):
    """What the user chose for one autosave."""

    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"


class RestoreDialog(QDialog):
    """Offers one autosave: when it was written, for which file, and what it changes."""

    def __init__(self, entry: AutosaveEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.choice = RestoreChoice.LATER
        self.setWindowTitle("Restore unsaved changes?")
        name = entry.name or "an integration"
        when = entry.saved_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if entry.original is None:
            where = "File: never saved"
        elif entry.original.exists():
            where = f"File: {entry.original}"
        else:
            where = f"File: {entry.original} (no longer on disk)"
        self.problem = ""
        try:
            entry.integration()
        except FileFormatError as exc:
            self.problem = str(exc)
        summary = (
            f"Uptrends Studio stopped unexpectedly while “{name}” had unsaved changes.\n"
            f"Autosaved: {when}\n{where}"
        )
        if entry.sample_path is not None:
            sample = entry.sample_name or "the sample set"
            summary += f"\nThe sample set “{sample}” had unsaved changes too; they come back."
        if self.problem:
            summary += f"\n\nThis autosave cannot be restored: {self.problem}"
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diff_view = QPlainTextEdit()
        self.diff_view.setReadOnly(True)
        self.diff_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        try:
            diff = entry.diff()
        except FileFormatError as exc:
            diff = f"(cannot compare: {exc})"
        self.diff_view.setPlainText(diff or "(the autosave is the same as the file on disk)")
        caption = (
            "Changes compared with the file on disk:"
            if entry.original is not None
            else "Never saved: the whole integration is new."
        )
        self.restore_button = QPushButton("&Restore")
        self.discard_button = QPushButton("&Discard")
        self.later_button = QPushButton("&Later")
        self.restore_button.setEnabled(not self.problem)
        self.restore_button.setDefault(not self.problem)
        self.restore_button.clicked.connect(lambda: self._choose(RestoreChoice.RESTORE))
        self.discard_button.clicked.connect(lambda: self._choose(RestoreChoice.DISCARD))
        self.later_button.clicked.connect(lambda: self._choose(RestoreChoice.LATER))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.restore_button, self.discard_button, self.later_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(QLabel(caption))
        layout.addWidget(self.diff_view, 1)
        layout.addLayout(buttons)
        self.resize(760, 520)

    def _choose(self, choice: RestoreChoice) -> None:
        self.choice = choice
        self.accept()


def ask_restore(entry: AutosaveEntry, parent: QWidget | None = None) -> RestoreChoice:
    """Show :class:`RestoreDialog` modally; closing it means Later."""
    dialog = RestoreDialog(entry, parent)
    dialog.exec()
    choice = dialog.choice
    dialog.deleteLater()
    return choice


def offer_restore(
    document: IntegrationDocument,
    folder: Path,
    *,
    chooser: Callable[[AutosaveEntry], RestoreChoice] | None = None,
    parent: QWidget | None = None,
    run_id: str = RUN_ID,
    alive: Callable[[int], bool] = pid_alive,
    loader: Callable[[AutosaveEntry], Integration] = AutosaveEntry.integration,
    on_restored: Callable[[AutosaveEntry], None] | None = None,
) -> AutosaveEntry | None:
    """Offer each restorable autosave in ``folder``; return the one restored, if any.

    Restore loads it into ``document`` as unsaved changes to its original file and deletes
    the autosave (this run autosaves it again). Discard deletes it. Later keeps it for the
    next start. After a restore the remaining autosaves wait for the next start.

    Args:
        document: The document to restore into.
        folder: The autosave folder.
        chooser: Asks about one entry (default: :func:`ask_restore`); tests inject one.
        parent: Parent widget of the dialog.
        run_id: This run's id (its own autosaves are not offered).
        alive: Tells whether a process id is still running.
        loader: Reads the autosaved integration (the app may pass one that also looks up the
            secret values the autosave leaves out, as opening the original file does).
        on_restored: Called with the restored entry before its files are deleted (the app
            restores the autosaved sample set, :attr:`AutosaveEntry.sample_path`, here).
    """
    ask = chooser or (lambda entry: ask_restore(entry, parent))
    for entry in find_restorable(folder, run_id=run_id, alive=alive):
        choice = ask(entry)
        if choice is RestoreChoice.DISCARD:
            log.info("discarded the autosave %s", entry.content_path)
            entry.discard()
        elif choice is RestoreChoice.RESTORE:
            try:
                integration = loader(entry)
            except FileFormatError as exc:
                log.warning("cannot restore %s: %s", entry.content_path, exc)
                continue
            document.load(integration, entry.original, dirty=True)
            if on_restored is not None:
                on_restored(entry)
            entry.discard()
            log.info("restored the autosave %s", entry.content_path)
            return entry
    return None
