"""File → New from template: search, selection, Create, and unreadable templates."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document.gallery import gallery_entries, templates_dir
from uptrends_studio.gui.gallery_dialog import GalleryDialog


def _dialog(qtbot: QtBot, directory: Path | None = None) -> GalleryDialog:
    dialog = GalleryDialog(directory)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_default_template_first_selected_and_search_focused(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)

    names = [entry.name for entry in dialog.entries()]
    assert len(names) == len(gallery_entries()) == 14
    assert dialog.current_entry() == dialog.entries()[0]
    assert dialog.current_entry() is not None
    assert dialog.current_entry().key == "uptrends-default"  # type: ignore[union-attr]
    assert dialog.title_label.text() == names[0]
    assert dialog.focusWidget() is dialog.search_edit


def test_typing_filters_and_enter_creates_the_template(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)

    qtbot.keyClicks(dialog.search_edit, "pager")

    assert [entry.key for entry in dialog.entries()] == ["pagerduty"]
    assert "PagerDuty" in dialog.title_label.text()
    assert dialog.description_label.text().startswith("Sends PagerDuty Events API v2 events")
    variables = dialog.variables.text()
    assert "<b>ApiUrl</b></td><td></td>" in variables
    assert "<b>RoutingKey</b></td><td><i>secret</i></td>" in variables
    assert "32-character Integration Key" in variables
    step = dialog.steps.topLevelItem(0)
    assert step is not None
    assert [step.text(c) for c in range(1, 6)] == ["✓", "✓", "✓", "POST", "{{ApiUrl}}"]

    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)

    assert dialog.result() == QDialog.DialogCode.Accepted
    integration = dialog.integration()
    assert integration is not None
    assert integration.target == "pagerduty"


def test_down_moves_into_the_list_and_double_click_creates(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)

    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Down)
    assert dialog.focusWidget() is dialog.templates
    qtbot.keyClick(dialog.templates, Qt.Key.Key_Down)
    second = dialog.entries()[1]
    assert dialog.current_entry() == second
    assert dialog.title_label.text() == second.name

    item = dialog.templates.item(1)
    rect = dialog.templates.visualItemRect(item)
    # As a user does: the first click of a double-click selects the item (QTest's double
    # click alone sends no first press to item views).
    qtbot.mouseClick(dialog.templates.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseDClick(dialog.templates.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    integration = dialog.integration()
    assert integration is not None
    assert integration.name == second.name


def test_no_match_says_so_and_create_is_disabled(qtbot: QtBot) -> None:
    dialog = _dialog(qtbot)

    qtbot.keyClicks(dialog.search_edit, "xyz")

    assert dialog.entries() == []
    assert dialog.empty_label.isVisible()
    assert dialog.empty_label.text() == "No template matches 'xyz'"
    assert not dialog.create_button.isEnabled()
    qtbot.keyClick(dialog.search_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.integration() is None

    dialog.search_edit.clear()
    assert len(dialog.entries()) == 14
    assert dialog.create_button.isEnabled()


def test_unreadable_template_shows_its_error_and_the_others_still_work(
    qtbot: QtBot, tmp_path: Path
) -> None:
    for name in ("pagerduty", "slack"):
        shutil.copy(templates_dir() / f"{name}.integration.json", tmp_path)
    broken = tmp_path / "broken.integration.json"
    text = (templates_dir() / "slack.integration.json").read_text(encoding="utf-8")
    broken.write_text(text.replace('"method": "POST"', '"method": "FETCH"'), encoding="utf-8")

    dialog = _dialog(qtbot, tmp_path)

    keys = sorted(entry.key for entry in dialog.entries())
    assert keys == ["broken", "pagerduty", "slack"]
    qtbot.keyClicks(dialog.search_edit, "broken")
    assert dialog.error_banner.isVisible()
    error = dialog.error_text()
    assert "broken.integration.json" in error
    assert "/steps/0/method" in error
    assert "FETCH" in error
    assert not dialog.create_button.isEnabled()
    assert not dialog.steps.isVisible()

    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, "slack")
    assert not dialog.error_banner.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.create_button.click()
    integration = dialog.integration()
    assert integration is not None
    assert integration.target == "slack"


def test_template_broken_after_opening_is_reported_on_create(qtbot: QtBot, tmp_path: Path) -> None:
    path = Path(shutil.copy(templates_dir() / "pagerduty.integration.json", tmp_path))
    dialog = _dialog(qtbot, tmp_path)
    assert dialog.create_button.isEnabled()

    path.write_text("{ not json", encoding="utf-8")
    dialog.create_button.click()

    assert dialog.isVisible()
    assert dialog.integration() is None
    assert "pagerduty.integration.json" in dialog.error_text()
