"""Python offsets and Qt positions: emoji are one offset but two positions."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument

from uptrends_studio.gui.editor.offsets import TextOffsets


def test_offsets_and_positions_around_an_emoji() -> None:
    document = QTextDocument("a\U0001f600b")
    offsets = TextOffsets(document)
    assert [offsets.to_position(n) for n in range(4)] == [0, 1, 3, 4]
    assert offsets.to_offset(3) == 2
    cursor = offsets.cursor(2, 3)
    assert cursor.selectedText() == "b"


def test_the_map_follows_edits_and_cursors_are_clamped() -> None:
    document = QTextDocument("ab")
    offsets = TextOffsets(document)
    assert offsets.to_position(2) == 2
    offsets.replace(0, 0, "\U0001f600")
    assert document.toPlainText() == "\U0001f600ab"
    assert offsets.to_position(2) == 3  # not the map of the old text
    assert offsets.cursor(1, 99).selectedText() == "ab"
    assert offsets.cursor(-5).position() == 0


def test_a_replacement_is_one_undo_step() -> None:
    document = QTextDocument("hello world")
    offsets = TextOffsets(document)
    cursor = offsets.replace(6, 11, "there")
    assert document.toPlainText() == "hello there"
    assert cursor.position() == 11
    document.undo()
    assert document.toPlainText() == "hello world"
