"""Autosave, the restore offer, and noticing changes other programs make to the open file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import Integration
from uptrends_studio.gui.app import build_window
from uptrends_studio.gui.autosave import (
    CONTENT_SUFFIX,
    SIDECAR_SUFFIX,
    AutosaveEntry,
    Autosaver,
    RestoreChoice,
    RestoreDialog,
    find_restorable,
    offer_restore,
    pid_alive,
    slot_name,
)
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.file_watch import ExternalChangeHandler, FileWatcher, ReloadChoice
from uptrends_studio.gui.main_window import DEMO_PATH

OTHER_RUN = "0" * 32
"""The run id of an earlier, finished Studio."""


def demo_copy(tmp_path: Path, name: str = "my.integration.json") -> Path:
    """The demo as the Studio saves it: with its id (documents get one when opened)."""
    target = tmp_path / name
    integration_file.save(integration_file.ensure_id(integration_file.load(DEMO_PATH)), target)
    return target


def renamed(document: IntegrationDocument, name: str) -> None:
    document.apply(replace(document.integration, name=name), "Rename", "name")


def external_write(path: Path, integration: Integration) -> None:
    """Another program saves the file: write a temporary file, then rename it over."""
    temporary = path.with_name(path.name + ".other-editor")
    temporary.write_text(integration_file.dumps(integration), encoding="utf-8")
    os.replace(temporary, path)


def slot_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- Autosaver ----------------------------------------------------------------------------------


def test_an_edit_is_autosaved_after_the_delay_with_its_sidecar(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = demo_copy(tmp_path)
    before = path.read_bytes()
    document = IntegrationDocument(integration_file.load(path), path)
    folder = tmp_path / "autosave"
    saver = Autosaver(document, folder, delay_ms=50)
    assert not saver.is_pending()
    with qtbot.waitSignal(saver.autosaved, timeout=5000) as written:
        renamed(document, "Edited in the Studio")
        assert saver.is_pending()
    content = written.args[0]
    assert content == folder / (slot_name(path, os.getpid()) + CONTENT_SUFFIX)
    assert content.read_text(encoding="utf-8") == integration_file.dumps(document.integration)
    assert integration_file.load(content).name == "Edited in the Studio"
    meta = json.loads(
        content.with_name(content.name.replace(CONTENT_SUFFIX, SIDECAR_SUFFIX)).read_text()
    )
    assert meta["original"] == str(path.absolute())
    assert meta["pid"] == os.getpid()
    assert meta["name"] == "Edited in the Studio"
    assert path.read_bytes() == before  # the real file is untouched


def test_quick_edits_restart_the_timer_and_give_one_write_of_the_last_state(
    qtbot: QtBot, tmp_path: Path
) -> None:
    document = IntegrationDocument(integration_file.load(DEMO_PATH))
    saver = Autosaver(document, tmp_path, delay_ms=200)
    writes: list[Path] = []
    saver.autosaved.connect(writes.append)
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        for name in ("A", "AB", "ABC"):
            renamed(document, name)
    assert len(writes) == 1
    assert integration_file.load(writes[0]).name == "ABC"
    assert writes[0].name == f"untitled-{os.getpid()}{CONTENT_SUFFIX}"


def test_saving_the_document_deletes_its_autosave(qtbot: QtBot, tmp_path: Path) -> None:
    path = demo_copy(tmp_path)
    document = IntegrationDocument(integration_file.load(path), path)
    folder = tmp_path / "autosave"
    saver = Autosaver(document, folder, delay_ms=0)
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        renamed(document, "Edited")
    assert len(slot_files(folder)) == 2
    integration_file.save(document.integration, path)
    document.mark_saved(path)
    assert slot_files(folder) == []
    assert not saver.is_pending()


def test_undoing_back_to_the_saved_state_deletes_the_autosave(qtbot: QtBot, tmp_path: Path) -> None:
    document = IntegrationDocument(integration_file.load(DEMO_PATH), demo_copy(tmp_path))
    saver = Autosaver(document, tmp_path / "autosave", delay_ms=0)
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        renamed(document, "Edited")
    document.undo_stack.undo()
    assert slot_files(tmp_path / "autosave") == []


def test_closing_without_saving_discards_the_autosave(qtbot: QtBot, tmp_path: Path) -> None:
    document = IntegrationDocument(integration_file.load(DEMO_PATH))
    saver = Autosaver(document, tmp_path, delay_ms=0)
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        renamed(document, "Thrown away")
    saver.discard()  # what the app does on quit after "Discard"
    assert slot_files(tmp_path) == []
    assert document.is_dirty()


def test_save_as_moves_the_autosave_to_the_new_files_slot(qtbot: QtBot, tmp_path: Path) -> None:
    document = IntegrationDocument(integration_file.load(DEMO_PATH))
    folder = tmp_path / "autosave"
    saver = Autosaver(document, folder, delay_ms=0)
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        renamed(document, "First")
    assert slot_files(folder)[0].startswith("untitled-")
    target = tmp_path / "named.integration.json"
    integration_file.save(document.integration, target)
    document.mark_saved(target)
    assert slot_files(folder) == []
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        renamed(document, "Second")
    names = slot_files(folder)
    assert len(names) == 2
    assert all(n.startswith("named-") for n in names)


def test_a_new_unsaved_document_is_autosaved(qtbot: QtBot, tmp_path: Path) -> None:
    document = IntegrationDocument(Integration(name="x"))
    saver = Autosaver(document, tmp_path, delay_ms=0)
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        document.load(Integration(name="Brand new"), None, dirty=True)
    (entry,) = find_restorable(tmp_path, run_id=OTHER_RUN)
    assert entry.original is None
    assert entry.integration().name == "Brand new"


def test_a_failing_autosave_reports_the_folder_and_keeps_the_document(
    qtbot: QtBot, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    document = IntegrationDocument(integration_file.load(DEMO_PATH))
    saver = Autosaver(document, blocker / "autosave", delay_ms=0)
    with qtbot.waitSignal(saver.failed, timeout=5000) as failure:
        renamed(document, "Kept in memory")
    assert str(blocker / "autosave") in failure.args[0]
    assert document.integration.name == "Kept in memory"
    assert document.is_dirty()


# -- finding and offering autosaves ----------------------------------------------------------------


def autosave_of(
    qtbot: QtBot, folder: Path, path: Path | None, name: str, run_id: str = OTHER_RUN
) -> AutosaveEntry:
    """An autosave as an earlier Studio (``run_id``) left it."""
    document = IntegrationDocument(
        integration_file.load(path) if path else Integration(name="x"), path
    )
    saver = Autosaver(document, folder, delay_ms=0, run_id=run_id)
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        renamed(document, name)
    saver.deleteLater()
    (entry,) = [e for e in find_restorable(folder, run_id="current") if e.name == name]
    return entry


def with_pid(entry: AutosaveEntry, pid: int) -> None:
    meta = json.loads(entry.sidecar_path.read_text(encoding="utf-8"))
    meta["pid"] = pid
    entry.sidecar_path.write_text(json.dumps(meta), encoding="utf-8")


def test_only_autosaves_of_studios_that_are_gone_are_offered(qtbot: QtBot, tmp_path: Path) -> None:
    entry = autosave_of(qtbot, tmp_path, None, "From a crashed run")
    # This very run never restores its own autosaves.
    assert find_restorable(tmp_path, run_id=OTHER_RUN) == []
    # Another run with our process id: the id was reused, that Studio is gone.
    assert [e.name for e in find_restorable(tmp_path, run_id="current")] == ["From a crashed run"]
    # A process that is still running (another Studio window): not offered.
    with_pid(entry, os.getppid())
    assert find_restorable(tmp_path, run_id="current") == []
    # A process that has exited (killed, crashed): offered.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with_pid(entry, child.pid)
    assert [e.pid for e in find_restorable(tmp_path, run_id="current")] == [child.pid]


def test_pid_alive_tells_running_from_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not pid_alive(child.pid)
    assert pid_alive(os.getpid())
    assert pid_alive(os.getppid())
    assert not pid_alive(0)


def test_unreadable_sidecars_and_missing_content_are_skipped(qtbot: QtBot, tmp_path: Path) -> None:
    entry = autosave_of(qtbot, tmp_path, None, "Good")
    (tmp_path / f"broken{SIDECAR_SUFFIX}").write_text("{not json", encoding="utf-8")
    orphan = autosave_of(qtbot, tmp_path, demo_copy(tmp_path), "Orphan")
    orphan.content_path.unlink()
    assert find_restorable(tmp_path, run_id="current") == [entry]


def test_restore_dialog_shows_time_file_and_diff_against_the_disk(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = demo_copy(tmp_path)
    entry = autosave_of(qtbot, tmp_path / "autosave", path, "Edited before the crash")
    dialog = RestoreDialog(entry)
    qtbot.addWidget(dialog)
    summary = dialog.summary.text()
    assert entry.saved_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") in summary
    assert f"File: {path.absolute()}" in summary
    assert "Edited before the crash" in summary
    diff = dialog.diff_view.toPlainText()
    assert '-  "name": "Demo: Uptrends integration",' in diff
    assert '+  "name": "Edited before the crash",' in diff
    assert sum(line.startswith(("+ ", "- ")) for line in diff.splitlines()) == 2
    assert dialog.restore_button.isEnabled()
    dialog.show()
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is RestoreChoice.DISCARD
    assert not dialog.isVisible()


def test_restore_dialog_for_a_never_saved_or_deleted_file(qtbot: QtBot, tmp_path: Path) -> None:
    untitled = RestoreDialog(autosave_of(qtbot, tmp_path / "a", None, "Untitled work"))
    qtbot.addWidget(untitled)
    assert "File: never saved" in untitled.summary.text()
    assert '+  "name": "Untitled work",' in untitled.diff_view.toPlainText()
    path = demo_copy(tmp_path)
    entry = autosave_of(qtbot, tmp_path / "b", path, "Deleted later")
    path.unlink()
    gone = RestoreDialog(entry)
    qtbot.addWidget(gone)
    assert "(no longer on disk)" in gone.summary.text()


def test_a_corrupt_autosave_cannot_be_restored_and_says_why(qtbot: QtBot, tmp_path: Path) -> None:
    entry = autosave_of(qtbot, tmp_path, None, "Damaged")
    entry.content_path.write_text('{"format": "uptrends-studio.integration"', encoding="utf-8")
    dialog = RestoreDialog(entry)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    assert "cannot be restored" in dialog.summary.text()
    assert str(entry.content_path) in dialog.summary.text()


@pytest.mark.parametrize("choice", list(RestoreChoice))
def test_each_restore_choice_does_what_it_says(
    qtbot: QtBot, tmp_path: Path, choice: RestoreChoice
) -> None:
    path = demo_copy(tmp_path)
    folder = tmp_path / "autosave"
    entry = autosave_of(qtbot, folder, path, "Crashed edit")
    document = IntegrationDocument(integration_file.load(path), path)
    offered: list[AutosaveEntry] = []

    def chooser(item: AutosaveEntry) -> RestoreChoice:
        offered.append(item)
        return choice

    restored = offer_restore(document, folder, chooser=chooser, run_id="current")
    assert offered == [entry]
    if choice is RestoreChoice.RESTORE:
        assert restored == entry
        assert document.integration.name == "Crashed edit"
        assert document.path == path.absolute()
        assert document.is_dirty()
        assert slot_files(folder) == []
    else:
        assert restored is None
        assert document.integration.name == "Demo: Uptrends integration"
        assert not document.is_dirty()
        left = find_restorable(folder, run_id="current")
        assert left == ([entry] if choice is RestoreChoice.LATER else [])


# -- changes made by other programs --------------------------------------------------------------


@pytest.fixture
def watched(
    qtbot: QtBot, tmp_path: Path
) -> tuple[Path, IntegrationDocument, FileWatcher, list[ReloadChoice], list[str]]:
    """A document on a file, its watcher, the handler's questions and status messages."""
    path = demo_copy(tmp_path)
    document = IntegrationDocument(integration_file.load(path), path)
    watcher = FileWatcher(document, settle_ms=0)
    answers: list[ReloadChoice] = []
    statuses: list[str] = []
    handler = ExternalChangeHandler(document, watcher, ask=lambda _path: answers.pop(0))
    handler.setParent(watcher)
    handler.status_message.connect(statuses.append)
    return path, document, watcher, answers, statuses


Watched = tuple[Path, IntegrationDocument, FileWatcher, list[ReloadChoice], list[str]]


def test_a_change_by_another_program_reloads_a_clean_document_silently(
    qtbot: QtBot, watched: Watched
) -> None:
    path, document, watcher, _answers, statuses = watched
    assert str(path) in watcher.watched()
    other = replace(document.integration, name="Changed in another editor")
    with qtbot.waitSignal(watcher.changed_on_disk, timeout=5000) as changed:
        external_write(path, other)
    assert changed.args == [path]
    assert document.integration.name == "Changed in another editor"
    assert not document.is_dirty()
    assert statuses == [f"Reloaded {path.name}: it was changed by another program"]


def test_every_rename_save_is_noticed_because_the_watch_is_re_armed(
    qtbot: QtBot, watched: Watched
) -> None:
    path, document, watcher, _answers, _statuses = watched
    for n in range(4):
        new = replace(document.integration, name=f"Version {n}")
        with qtbot.waitSignal(watcher.changed_on_disk, timeout=5000):
            if n % 2:  # in place, into the file that replaced the watched one
                path.write_text(integration_file.dumps(new), encoding="utf-8")
            else:
                external_write(path, new)
        assert document.integration.name == f"Version {n}"
        assert str(path) in watcher.watched()  # the new file is followed again


def test_our_own_save_is_not_taken_for_an_outside_change(qtbot: QtBot, watched: Watched) -> None:
    path, document, watcher, _answers, statuses = watched
    renamed(document, "Saved by the Studio")
    with qtbot.assertNotEmitted(watcher.changed_on_disk, wait=1000):
        integration_file.save(document.integration, path)
        document.mark_saved(path)
    assert statuses == []
    with qtbot.waitSignal(watcher.changed_on_disk, timeout=5000):
        external_write(path, replace(document.integration, name="Then another program"))
    assert document.integration.name == "Then another program"


def test_unsaved_work_asks_and_reload_takes_the_disk_version(
    qtbot: QtBot, watched: Watched
) -> None:
    path, document, watcher, answers, _statuses = watched
    renamed(document, "Mine, unsaved")
    answers.append(ReloadChoice.RELOAD)
    with qtbot.waitSignal(watcher.changed_on_disk, timeout=5000):
        external_write(path, replace(document.integration, name="Theirs"))
    assert answers == []  # the question was asked
    assert document.integration.name == "Theirs"
    assert not document.is_dirty()


def test_keep_mine_keeps_the_work_and_it_stays_unsaved_even_after_undo(
    qtbot: QtBot, watched: Watched
) -> None:
    path, document, watcher, answers, statuses = watched
    renamed(document, "Mine, unsaved")
    answers.append(ReloadChoice.KEEP_MINE)
    with qtbot.waitSignal(watcher.changed_on_disk, timeout=5000):
        external_write(path, replace(document.integration, name="Theirs"))
    assert answers == []
    assert document.integration.name == "Mine, unsaved"
    document.undo_stack.undo()
    assert document.integration.name == "Demo: Uptrends integration"
    assert document.is_dirty()  # the file on disk is "Theirs" now
    assert "Kept your version" in statuses[-1]


def test_a_deleted_file_marks_the_document_unsaved(qtbot: QtBot, watched: Watched) -> None:
    path, document, watcher, answers, statuses = watched
    with qtbot.waitSignal(watcher.removed_from_disk, timeout=5000) as removed:
        path.unlink()
    assert removed.args == [path]
    assert document.is_dirty()
    assert document.integration.name == "Demo: Uptrends integration"
    assert statuses == [
        f"{path.name} was deleted or moved by another program; save to write it again"
    ]
    answers.append(ReloadChoice.RELOAD)  # the file comes back: asked, as there is work
    with qtbot.waitSignal(watcher.changed_on_disk, timeout=5000):
        external_write(path, replace(document.integration, name="Recreated"))
    assert answers == []
    assert document.integration.name == "Recreated"
    assert str(path) in watcher.watched()


def test_an_unreadable_outside_change_keeps_the_document(qtbot: QtBot, watched: Watched) -> None:
    path, document, watcher, _answers, statuses = watched
    with qtbot.waitSignal(watcher.changed_on_disk, timeout=5000):
        path.write_text("{half written", encoding="utf-8")
    assert document.integration.name == "Demo: Uptrends integration"
    assert document.is_dirty()
    assert "cannot be read" in statuses[-1]
    assert f"{path}:1:2: not valid JSON" in statuses[-1]


# -- wired into the window -------------------------------------------------------------------------


def test_the_window_autosaves_typing_and_reloads_outside_changes(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = demo_copy(tmp_path)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window, problems = build_window(
        [str(path)], settings, data_dir=tmp_path / "data", autosave_ms=0
    )
    qtbot.addWidget(
        window,
        before_close_func=lambda w: window.document.load(
            window.document.integration, window.document.path
        ),
    )
    window.show()
    assert problems == []
    qtbot.waitUntil(window.staged.is_finished)  # autosave comes with the staged start
    saver = window.findChild(Autosaver)
    assert saver is not None
    window.variables_tab.name_edit.setFocus()
    with qtbot.waitSignal(saver.autosaved, timeout=5000):
        qtbot.keyClicks(window.variables_tab.name_edit, " (typed)")
    (entry,) = find_restorable(tmp_path / "data" / "autosave", run_id="current")
    assert entry.integration().name == "Demo: Uptrends integration (typed)"
    window.save()
    assert slot_files(tmp_path / "data" / "autosave") == []
    watcher = window.findChild(FileWatcher)
    assert watcher is not None
    with qtbot.waitSignal(watcher.changed_on_disk, timeout=5000):
        external_write(path, replace(window.document.integration, name="From git pull"))
    assert window.variables_tab.name_edit.text() == "From git pull"
    assert window.statusBar().currentMessage() == (
        f"Reloaded {path.name}: it was changed by another program"
    )
