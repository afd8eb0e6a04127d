"""The Studio window as a user drives it: files, tabs, preview, problems, undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.gui.app import build_window
from uptrends_studio.gui.main_window import MainWindow
from uptrends_studio.gui.settings import Settings

BROKEN = (
    '{"format": "uptrends-studio.integration", "version": 1, "name": "x", '
    '"steps": [{"method": "FETCH"}]}'
)


def wait_preview(qtbot: QtBot, window: MainWindow, predicate: object) -> None:
    assert callable(predicate)
    qtbot.waitUntil(lambda: bool(predicate()), timeout=5000)


def test_opens_on_the_demo_with_all_tabs_and_a_valid_preview(window: MainWindow) -> None:
    tabs = [window.tabs.tabText(i).replace("&&", "&") for i in range(window.tabs.count())]
    assert tabs == ["Main & predefined variables", "Customizations", "Message types", "Test"]
    assert window.preview_pane.current_text("badge") == "Valid JSON"
    assert "POST http://127.0.0.1:8787/alerts" in window.preview_pane.current_text("url")
    assert window.windowTitle() == "Demo: Uptrends integration[*] — Uptrends Studio"
    assert not window.isWindowModified()


def test_an_unsaved_document_is_titled_by_its_name_as_it_is_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.variables_tab.name_edit.selectAll()
    qtbot.keyClicks(window.variables_tab.name_edit, "Acme on-call")
    qtbot.waitUntil(lambda: window.windowTitle() == "Acme on-call[*] — Uptrends Studio")
    assert window.isWindowModified()


def test_typing_in_the_body_updates_the_preview_and_marks_the_file(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show_tab(window.customizations_tab)
    body = window.customizations_tab.step_editor.body
    body.goto(1, 2)
    qtbot.keyClicks(body, '"extra": "{{@alert.type}}",')
    wait_preview(
        qtbot, window, lambda: '"extra": "Alert"' in window.preview_pane.current_text("raw")
    )
    assert window.isWindowModified()
    assert window.document.integration.steps[0].body.startswith('{"extra": "{{@alert.type}}",')


def test_ctrl_3_shows_the_ok_message(qtbot: QtBot, window: MainWindow) -> None:
    window.type_actions[AlertType.OK].trigger()
    assert window.preview_pane.alert_type() is AlertType.OK
    body = json.loads(window.preview_pane.current_text("raw"))
    assert body["alert"]["type"] == "Ok"
    assert body["routing"]["severity"] == "resolved"


def test_a_broken_template_is_listed_and_double_click_jumps_to_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    from dataclasses import replace

    step = window.document.integration.steps[0]
    window.document.apply(
        replace(
            window.document.integration,
            steps=(replace(step, body='{\n  "d": "{{@alert.descripton}}"\n}'),),
        ),
        "Break",
    )
    wait_preview(qtbot, window, lambda: window.problems_model.rowCount() == 1)
    index = window.problems_model.index(0, 2)
    assert "did you mean '@alert.description'" in index.data()
    window.show_tab(window.variables_tab)
    window._on_problems_double_clicked(index)
    assert window.current_tab() is window.customizations_tab
    cursor = window.customizations_tab.step_editor.body.textCursor()
    assert (cursor.blockNumber() + 1, cursor.positionInBlock() + 1) == (2, 11)


def test_malformed_file_shows_the_loader_message_and_keeps_the_document(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "broken.integration.json"
    path.write_text(BROKEN, encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    before = window.document.integration
    assert not window.open_path(path, ask=False)
    assert shown == [
        f"{path}: field /steps/0/method: 'FETCH' is not one of GET, POST, PUT, PATCH, DELETE"
    ]
    assert window.document.integration == before


def test_save_as_writes_the_file_and_clears_the_marker(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.variables_tab.name_edit.setFocus()
    qtbot.keyClicks(window.variables_tab.name_edit, " (copy)")
    assert window.isWindowModified()
    target = tmp_path / "mine"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.save_as()
    saved = tmp_path / "mine.integration.json"
    assert integration_file.load(saved).name == "Demo: Uptrends integration (copy)"
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("mine.integration.json")
    assert window.settings.recent_files()[0] == saved.resolve()


def test_undo_and_redo_from_the_edit_menu(qtbot: QtBot, window: MainWindow) -> None:
    window.variables_tab.add_variable()
    assert window.document.integration.variables[-1].name == "NewVariable"
    window.undo_action.trigger()
    assert [v.name for v in window.document.integration.variables] == ["ApiUrl", "Team"]
    window.redo_action.trigger()
    assert window.document.integration.variables[-1].name == "NewVariable"


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.variables_tab.add_variable()
    asked: list[str] = []

    def answer(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", answer)
    assert not window.close()
    assert asked == ["Save the changes to Demo: Uptrends integration first?"]
    assert window.isVisible()


def test_quitting_with_edited_sample_values_asks_and_saves_them(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An author edits a sample value, not the integration: quitting still asks."""
    panel = window.sample_panel
    model = panel.values_model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "@monitor.name")
    assert model.setData(model.index(row, 1), "Checkout API")
    assert window.samples.edited
    assert not window.document.is_dirty()
    asked: list[str] = []

    def answer(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Save

    target = tmp_path / "edited.sample.json"
    monkeypatch.setattr(QMessageBox, "warning", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.close()
    assert asked == ["Save the changes to the sample set “HTTPS monitor” first?"]
    assert "Checkout API" in target.read_text(encoding="utf-8")
    assert not window.samples.edited


def test_dropping_an_integration_file_opens_it(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "other.integration.json"
    integration_file.save(
        integration_file.loads(
            '{"format": "uptrends-studio.integration", "version": 1, "name": "Other", '
            '"steps": [{"name": "A", "alertTypes": ["Error"], "url": "https://x.test"}]}'
        ),
        path,
    )
    window.document.undo_stack.setClean()
    assert window.open_dropped(QUrl.fromLocalFile(str(path)))
    assert window.document.integration.name == "Other"
    assert window.document.path == path


def test_dropping_a_sample_file_switches_the_sample(window: MainWindow, tmp_path: Path) -> None:
    from uptrends_studio.core.document.sample_files import save_sample_with_secrets
    from uptrends_studio.core.document.samples import find_sample

    sample = find_sample("dns", window.catalogue)
    path = tmp_path / "dns-copy.sample.json"
    save_sample_with_secrets(sample, path, store=window.secret_store, env={})
    assert window.open_dropped(QUrl.fromLocalFile(str(path)))
    assert window.samples.sample.name == "DNS monitor"
    assert window.samples.key == str(path)


def test_reveal_secrets_is_shared_by_the_preview_and_the_comparison(window: MainWindow) -> None:
    window.message_types_tab.reveal_checkbox().setChecked(True)
    assert window.preview_pane.reveal_secrets()
    window.preview_pane.reveal_checkbox().setChecked(False)
    assert not window.message_types_tab.reveal_secrets()
    assert not window.context.reveal_secrets


def test_theme_choice_is_applied_and_remembered(window: MainWindow) -> None:
    from PySide6.QtWidgets import QApplication

    window.theme_actions["dark"].trigger()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.palette().window().color().lightness() < 80
    assert window.settings.theme() == "dark"
    window.theme_actions["light"].trigger()
    assert app.palette().window().color().lightness() > 180


def test_editing_a_sample_value_is_rendered(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    panel = window.sample_panel
    model = panel.values_view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "@monitor.notes")
    assert model.setData(model.index(row, 1), 'Line "1"\nLine 2', Qt.ItemDataRole.EditRole)
    qtbot.waitUntil(
        lambda: '"notes": "Line \\"1\\"\\nLine 2"' in window.preview_pane.current_text("raw"),
        timeout=5000,
    )


def test_switching_type_shows_the_ok_steps_url(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "two.integration.json"
    path.write_text(
        '{"format": "uptrends-studio.integration", "version": 1, "name": "Two", '
        '"variables": [{"name": "ApiUrl", "value": "https://api.test"}], "steps": ['
        '{"name": "Create", "alertTypes": ["Error", "Reminder"], "url": "{{ApiUrl}}/alerts"},'
        '{"name": "Resolve", "alertTypes": ["Ok"], '
        '"url": "{{ApiUrl}}/alerts/{{@incident.key}}/close"}]}',
        encoding="utf-8",
    )
    window.document.undo_stack.setClean()
    assert window.open_path(path)
    qtbot.waitUntil(lambda: "Resolve" in str(window.controller.preview.requests), timeout=5000)
    assert window.preview_pane.current_text("url").endswith("https://api.test/alerts")
    window.type_actions[AlertType.OK].trigger()
    assert "/close" in window.preview_pane.current_text("url")
    assert window.preview_pane.current_text("url").startswith("POST https://api.test/alerts/")


def test_save_and_reopen_gives_the_same_document(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.customizations_tab.add_new_step()
    window.variables_tab.add_variable()
    path = tmp_path / "round.integration.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    assert window.save()
    edited = window.document.integration
    window.new_blank()
    assert window.document.integration != edited
    window.document.undo_stack.setClean()
    window.document.load(window.document.integration, None)
    assert window.open_path(path)
    assert window.document.integration == edited
    assert not window.isWindowModified()


def test_completion_in_the_body_inserts_a_complete_token(qtbot: QtBot, window: MainWindow) -> None:
    window.show_tab(window.customizations_tab)
    body = window.customizations_tab.step_editor.body
    body.goto(1, 2)
    qtbot.keyClicks(body, "{{@incident.k")
    qtbot.waitUntil(body.completion_visible, timeout=3000)
    popup = body.completer.popup()
    assert popup is not None
    assert popup.model().rowCount() >= 1
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert window.document.integration.steps[0].body.startswith("{{{@incident.key}}")


def test_a_new_blank_document_is_not_marked_modified_until_edited(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.new_blank()
    assert window.document.path is None
    assert not window.isWindowModified()
    assert window.windowTitle() == "New integration[*] — Uptrends Studio"
    window.variables_tab.add_variable()
    assert window.isWindowModified()


def test_a_missing_custom_field_is_added_to_the_sample_by_its_quick_fix(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The author types a custom field the sample lacks; Ctrl+. adds it to the sample."""
    from PySide6.QtWidgets import QApplication, QMenu

    window.show_tab(window.customizations_tab)
    body = window.customizations_tab.step_editor.body
    body.goto(1, 2)
    qtbot.keyClicks(body, '"region": "{{@CustomField(Region)}}",')
    assert "Region" not in window.samples.sample.custom_fields
    wait_preview(
        qtbot,
        window,
        lambda: any(
            d.code == "custom-field-missing" for d in window.controller.preview.diagnostics
        ),
    )
    body.goto_offset(body.text().index("{{@CustomField(Region)}}") + 5)
    qtbot.keyClick(body, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    active = menu.activeAction()
    assert active is not None
    assert active.text() == "Add the custom field 'Region' to the sample"
    active.trigger()
    menu.close()
    assert window.samples.sample.custom_fields["Region"] == ""
    assert window.samples.edited  # an unsaved sample edit: the quit prompt will ask
    wait_preview(
        qtbot,
        window,
        lambda: (
            not any(d.code == "custom-field-missing" for d in window.controller.preview.diagnostics)
        ),
    )
    assert "{{@CustomField(Region)}}" in body.text()  # the template itself is unchanged


def test_a_studio_restarted_in_presentation_mode_gives_the_room_to_the_editor(
    qtbot: QtBot, tmp_path: Path
) -> None:
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    Settings(store).set_presentation(True)  # left on when the Studio last quit
    window, _problems = build_window([], store)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(window.staged.is_finished, timeout=10_000)
    assert window.presentation_action.isChecked()
    # As with F11: the docks step aside (they were judged before the window was shown, when
    # nothing counted as visible, and stayed).
    assert not window.sample_dock.isVisible()
    window.set_presentation_mode(False)
    assert window.sample_dock.isVisible()
