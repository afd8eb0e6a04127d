"""The open document: undo merging, dirty flag, load and save markers."""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from uptrends_studio.core.document.model import Integration
from uptrends_studio.gui.document import IntegrationDocument


def test_typing_in_one_field_is_one_undo_step(qtbot: QtBot) -> None:
    document = IntegrationDocument(Integration(name="", id="doc-1"))
    for text in ("P", "Pa", "Pag", "Page"):
        document.apply(replace(document.integration, name=text), "Rename", "name")
    document.apply(replace(document.integration, description="x"), "Describe", "description")
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    assert document.integration == Integration(name="Page", id="doc-1")
    document.undo_stack.undo()
    assert document.integration == Integration(name="", id="doc-1")
    document.undo_stack.redo()
    assert document.integration.name == "Page"


def test_dirty_flag_follows_edits_undo_and_save(qtbot: QtBot, tmp_path: Path) -> None:
    document = IntegrationDocument(
        Integration(name="a", id="doc-1"), tmp_path / "a.integration.json"
    )
    with qtbot.waitSignal(document.dirty_changed) as dirty:
        document.apply(Integration(name="b", id="doc-1"), "Rename")
    assert dirty.args == [True]
    assert document.is_dirty()
    document.undo_stack.undo()
    assert not document.is_dirty()
    document.undo_stack.redo()
    document.mark_saved(tmp_path / "b.integration.json")
    assert not document.is_dirty()
    assert document.display_name() == "b.integration.json"


def test_new_unsaved_document_is_dirty_until_saved(qtbot: QtBot, tmp_path: Path) -> None:
    document = IntegrationDocument(Integration(name="a", id="doc-1"))
    document.load(Integration(name="new", id="doc-1"), None, dirty=True)
    assert document.is_dirty()
    assert document.display_name() == "new"  # never saved: the integration's name
    document.load(Integration(name="  ", id="doc-1"), None, dirty=True)
    assert document.display_name() == "Untitled"
    assert document.undo_stack.count() == 0
    document.mark_saved(tmp_path / "new.integration.json")
    assert not document.is_dirty()


def test_identical_value_pushes_nothing(qtbot: QtBot) -> None:
    document = IntegrationDocument(Integration(name="a", id="doc-1"))
    document.apply(Integration(name="a", id="doc-1"), "Nothing")
    assert document.undo_stack.count() == 0


def test_a_document_always_has_an_id_that_undo_keeps(qtbot: QtBot) -> None:
    document = IntegrationDocument(Integration(name="a"))
    first = document.integration.id
    assert first  # secrets in the keyring are keyed by it
    document.apply(replace(document.integration, name="b"), "Rename")
    document.undo_stack.undo()
    assert document.integration.id == first
    document.load(Integration(name="other"), None)
    assert document.integration.id not in ("", first)


def _live_bodies(marker: str) -> int:
    """How many integrations with ``marker`` in their name are still in memory."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Integration) and marker in o.name)


def test_typing_200_keys_keeps_two_integrations_not_one_per_key(qtbot: QtBot) -> None:
    """A 1 MB body typed into must not keep a copy per keystroke (RSS grew 1 MB per key)."""
    marker = "undo-memory-probe"
    document = IntegrationDocument(Integration(name=marker, id="doc-1"))
    for count in range(1, 201):
        document.apply(
            replace(document.integration, description="x" * count), "Typing", "description"
        )
    assert document.undo_stack.count() == 1
    # The current value and the one before the typing, which undo needs.
    assert _live_bodies(marker) <= 2
    document.undo_stack.undo()
    assert document.integration.description == ""
    document.undo_stack.redo()
    assert document.integration.description == "x" * 200


def test_loading_another_integration_frees_the_old_undo_history(qtbot: QtBot) -> None:
    marker = "undo-history-probe"
    document = IntegrationDocument(Integration(name=marker, id="doc-1"))
    for count in range(1, 21):
        document.apply(replace(document.integration, description=str(count)), f"Edit {count}")
    assert document.undo_stack.count() == 20
    document.load(Integration(name="other", id="doc-2"), None)
    assert document.undo_stack.count() == 0
    assert _live_bodies(marker) == 0
