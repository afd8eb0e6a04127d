"""The sample panel, driven like a user would: real sample files, real core, real previews."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.document.model import (
    AlertType,
    Header,
    Integration,
    Step,
    Variable,
    VariableMode,
)
from uptrends_studio.core.document.sample_files import load_sample_with_secrets
from uptrends_studio.core.document.samples import (
    EDGE_CASES_SAMPLE,
    SUFFIX,
    alert_data,
    builtin_sample_paths,
    find_sample,
    load_sample,
)
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.rendering.preview import compute_preview
from uptrends_studio.core.secret_store import MemoryStore
from uptrends_studio.gui.sample_models import SampleTableModel, SampleValuesModel
from uptrends_studio.gui.sample_panel import SamplePanel, ValueEditDialog
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.theme import DARK, LIGHT, dark_palette

BUILTINS = [p.name.removesuffix(SUFFIX) for p in builtin_sample_paths()]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def samples(catalogue: Catalogue) -> SampleState:
    return SampleState(find_sample("https", catalogue), "https")


@pytest.fixture
def panel(qtbot: QtBot, samples: SampleState, catalogue: Catalogue) -> SamplePanel:
    widget = SamplePanel(samples, catalogue, secret_store=MemoryStore())
    qtbot.addWidget(widget)
    widget.resize(400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# Short, typed spellings of the QtBot calls these tests make (pytest-qt has no annotations).


def _type(qtbot: QtBot, widget: QWidget, text: str) -> None:
    key_clicks: Callable[[QWidget, str], None] = qtbot.keyClicks
    key_clicks(widget, text)


def _enter(qtbot: QtBot, widget: QWidget) -> None:
    key_click: Callable[[QWidget, Qt.Key], None] = qtbot.keyClick
    key_click(widget, Qt.Key.Key_Return)


def _click(qtbot: QtBot, widget: QWidget) -> None:
    mouse_click: Callable[[QWidget, Qt.MouseButton], None] = qtbot.mouseClick
    mouse_click(widget, Qt.MouseButton.LeftButton)


def _choose(panel: SamplePanel, key: str) -> None:
    """Pick the picker entry whose data is ``key``, as a user selection does."""
    index = panel.picker.findData(key)
    assert index >= 0, key
    panel.picker.setCurrentIndex(index)
    panel.picker.activated.emit(index)


def _value_index(
    panel: SamplePanel, name: str, column: int = SampleValuesModel.VALUE
) -> QModelIndex:
    """The view (proxy) index of variable ``name``'s cell."""
    row = panel.values_model.row_of(name)
    source = panel.values_model.index(row, column)
    model = panel.values_view.model()
    index = model.mapFromSource(source)  # type: ignore[attr-defined]
    assert isinstance(index, QModelIndex)
    return index


def _open_editor(view: QAbstractItemView, index: QModelIndex | None = None) -> QLineEdit:
    """The open cell editor of ``index`` (default: the current cell).

    Asked of the view, not found among the viewport's children: a closed editor lingers there
    until its deferred deletion.
    """
    editor = view.indexWidget(index if index is not None else view.currentIndex())
    assert isinstance(editor, QLineEdit)
    assert editor.isVisible()
    return editor


def _edit_cell(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex, text: str) -> None:
    """Type ``text`` into the cell editor of ``index`` and press Enter."""
    view.setCurrentIndex(index)
    view.edit(index)
    editor = _open_editor(view, index)
    editor.selectAll()
    _type(qtbot, editor, text)
    _commit(qtbot, view, editor)


def _commit(qtbot: QtBot, view: QAbstractItemView, editor: QLineEdit) -> None:
    """Press Enter in a cell editor and wait for the (queued) commit to close it."""
    _enter(qtbot, editor)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def _edit_cell_model(panel: SamplePanel, name: str, value: str) -> None:
    """Set a value through the view's model, as a committed cell editor does."""
    index = _value_index(panel, name)
    assert panel.values_view.model().setData(index, value)


def _double_click(qtbot: QtBot, view: QAbstractItemView, pos: QPoint) -> None:
    """A real double click: press and release, then the double-click event."""
    click: Callable[..., None] = qtbot.mouseClick  # pytest-qt is not typed
    double_click: Callable[..., None] = qtbot.mouseDClick
    click(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    double_click(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def _raw_notes_integration(body: str = '{"notes": "{{@monitor.notes}}"}') -> Integration:
    return Integration(
        name="raw notes",
        steps=(
            Step(
                name="Send",
                url="https://example.test/hook",
                headers=(Header("Content-Type", "application/json"),),
                body=body,
            ),
        ),
    )


# -- picking sample sets ---------------------------------------------------------------------


@pytest.mark.parametrize("key", BUILTINS)
def test_choosing_a_builtin_set_updates_the_state(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState, catalogue: Catalogue, key: str
) -> None:
    if key == "https":
        _choose(panel, "dns")
    expected = find_sample(key, catalogue)
    with qtbot.waitSignal(samples.changed):
        _choose(panel, key)
    assert samples.key == key
    assert samples.sample == expected
    assert not samples.edited
    assert panel.picker.currentText() == expected.name
    assert panel.picker.itemData(panel.picker.currentIndex(), Qt.ItemDataRole.ToolTipRole) == (
        expected.description
    )
    row = panel.values_model.row_of("@monitor.name")
    shown = panel.values_model.index(row, SampleValuesModel.VALUE).data()
    assert shown == alert_data(expected, AlertType.ERROR, catalogue).values["@monitor.name"]


def test_choosing_another_set_asks_before_discarding_edits(
    panel: SamplePanel, samples: SampleState, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit_cell_model(panel, "@monitor.name", "mine")
    assert samples.edited
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    _choose(panel, "dns")
    assert samples.key == "https"
    assert samples.sample.values["@monitor.name"] == "mine"
    assert panel.picker.currentData() == "https"
    _choose(panel, "dns")
    assert samples.key == "dns"
    assert not samples.edited


def test_opening_a_sample_file(
    panel: SamplePanel,
    samples: SampleState,
    catalogue: Catalogue,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = builtin_sample_paths()[0]
    path = tmp_path / "copy.sample.json"
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))
    _choose(panel, "\x00open")
    assert samples.key == str(path)
    assert samples.sample == load_sample(path, catalogue)
    assert panel.picker.currentData() == str(path)
    assert "copy.sample.json" in panel.picker.currentText()


def test_opening_a_malformed_file_keeps_the_sample_and_says_why(
    panel: SamplePanel, samples: SampleState, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "broken.sample.json"
    path.write_text(
        '{"format": "uptrends-studio.sample", "version": 1, "name": "Broken",'
        ' "values": {"@monitor.nmae": "x"}}\n',
        encoding="utf-8",
    )
    before = samples.sample
    messages: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *args: messages.append(text)
    )
    _choose(panel, "\x00open")
    assert samples.sample is before
    assert samples.key == "https"
    assert panel.picker.currentData() == "https"
    (message,) = messages
    assert str(path) in message
    assert "/values/@monitor.nmae" in message
    assert "did you mean '@monitor.name'" in message


# -- values --------------------------------------------------------------------------------


def test_editing_a_value_for_ok_changes_only_ok(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState, catalogue: Catalogue
) -> None:
    original = samples.sample
    panel.values_for.setCurrentIndex(panel.values_for.findText("Ok"))
    assert panel.values_model.alert_type is AlertType.OK
    with qtbot.waitSignal(samples.changed):
        _edit_cell(qtbot, panel.values_view, _value_index(panel, "@monitor.name"), "Back up")
    sample = samples.sample
    assert samples.edited
    assert sample.per_type[AlertType.OK]["@monitor.name"] == "Back up"
    assert sample.values == original.values
    assert alert_data(sample, AlertType.OK, catalogue).values["@monitor.name"] == "Back up"
    for other in (AlertType.ERROR, AlertType.REMINDER):
        assert (
            alert_data(sample, other, catalogue).values["@monitor.name"]
            == original.values["@monitor.name"]
        )
    assert panel.edited_label.isVisible()


def test_editing_a_derived_value_makes_it_explicit_and_reset_removes_it(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState, catalogue: Catalogue
) -> None:
    computed = alert_data(samples.sample, AlertType.ERROR, catalogue).values["@alert.firstError"]
    index = _value_index(panel, "@alert.firstError")
    assert index.data() == computed
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert "Computed from" in index.data(Qt.ItemDataRole.ToolTipRole)

    _edit_cell(qtbot, panel.values_view, index, "2025-01-01T00:00:00")
    index = _value_index(panel, "@alert.firstError")
    assert samples.sample.values["@alert.firstError"] == "2025-01-01T00:00:00"
    assert index.data(Qt.ItemDataRole.FontRole) is None
    assert index.data(Qt.ItemDataRole.ForegroundRole) is None
    assert alert_data(samples.sample, AlertType.OK, catalogue).values["@alert.firstError"] == (
        "2025-01-01T00:00:00"
    )

    panel.values_view.setCurrentIndex(index)
    assert panel.reset_action.isEnabled()
    assert panel.reset_action.text() == "Reset to computed value"
    panel.reset_action.trigger()
    assert "@alert.firstError" not in samples.sample.values
    index = _value_index(panel, "@alert.firstError")
    assert index.data() == computed
    assert index.data(Qt.ItemDataRole.FontRole).italic()


def test_enter_in_an_untouched_cell_does_not_pin_a_computed_value(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    before = samples.sample
    for name in ("@alert.timestamp", "@alert.type"):  # computed; differs per type
        index = _value_index(panel, name)
        panel.values_view.setCurrentIndex(index)
        panel.values_view.edit(index)
        editor = _open_editor(panel.values_view, index)
        _commit(qtbot, panel.values_view, editor)
    assert samples.sample is before
    assert not samples.edited


def test_a_bad_utc_time_is_refused_with_a_message(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    before = samples.sample
    _edit_cell(qtbot, panel.values_view, _value_index(panel, "@alert.timestampUtc"), "soon")
    assert samples.sample is before
    assert panel.value_error.isVisible()
    assert "@alert.timestampUtc" in panel.value_error.text()


def test_the_megabyte_body_is_previewed_and_edited_in_a_dialog(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    _choose(panel, EDGE_CASES_SAMPLE)
    body = samples.sample.values["@alert.responseBody"]
    assert len(body) >= 1_000_000
    index = _value_index(panel, "@alert.responseBody")
    shown = index.data(Qt.ItemDataRole.DisplayRole)
    assert len(shown) < 300
    assert "⏎" in shown

    panel.values_view.scrollTo(index)
    _double_click(qtbot, panel.values_view, panel.values_view.visualRect(index).center())
    qtbot.waitUntil(lambda: panel.findChild(ValueEditDialog) is not None)
    dialog = panel.findChild(ValueEditDialog)
    assert isinstance(dialog, ValueEditDialog)
    assert panel.values_view.indexWidget(index) is None  # no in-cell editor
    assert dialog.text() == body  # CRLF and LF line breaks both survive the editor
    dialog.editor.moveCursor(dialog.editor.textCursor().MoveOperation.End)
    _type(qtbot, dialog.editor, "!")
    with qtbot.waitSignal(samples.changed):
        dialog.accept()
    assert samples.sample.values["@alert.responseBody"] == body + "!"


def test_the_dialog_changes_nothing_when_the_text_is_unchanged(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    _choose(panel, EDGE_CASES_SAMPLE)
    before = samples.sample
    row = panel.values_model.row_of("@monitor.notes")
    index = panel.values_model.index(row, SampleValuesModel.VALUE)
    assert index.data(SampleTableModel.LONG_ROLE)
    dialog = panel.edit_in_dialog(QPersistentModelIndex(index))
    assert dialog is not None
    with qtbot.assertNotEmitted(samples.changed):
        dialog.accept()
    assert samples.sample is before


def test_filter_narrows_the_variables(qtbot: QtBot, panel: SamplePanel) -> None:
    _type(qtbot, panel.filter_edit, "monitor.")
    model = panel.values_view.model()
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names
    assert all("monitor." in n for n in names)


# -- time zone and culture -------------------------------------------------------------------


def test_an_unknown_time_zone_is_refused_and_the_old_one_kept(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    panel.zone_section.set_expanded(True)
    before = samples.sample
    old_zone = before.timezone
    assert old_zone
    edit = panel.timezone_box.lineEdit()
    assert edit is not None
    edit.clear()
    _type(qtbot, edit, "Mars/Olympus_Mons")
    _enter(qtbot, edit)
    assert samples.sample is before
    assert panel.timezone_box.currentText() == old_zone
    assert panel.timezone_error.isVisible()
    assert "Mars/Olympus_Mons" in panel.timezone_error.text()
    assert old_zone in panel.timezone_error.text()

    edit.clear()
    _type(qtbot, edit, "asia/tokyo")  # the completer pops up; Enter takes the typed text
    _enter(qtbot, edit)
    assert samples.sample.timezone == "Asia/Tokyo"
    assert samples.edited
    assert not panel.timezone_error.isVisible()
    assert "Asia/Tokyo" in panel.zone_section.toggle.text()


def test_culture_choice(panel: SamplePanel, samples: SampleState, catalogue: Catalogue) -> None:
    index = panel.culture_box.findText("nl-NL")
    panel.culture_box.setCurrentIndex(index)
    panel.culture_box.activated.emit(index)
    assert samples.sample.culture == "nl-NL"
    formatted = alert_data(samples.sample, AlertType.ERROR, catalogue).values
    shown = _value_index(panel, "@alert.firstErrorFormatted").data()
    assert shown == formatted["@alert.firstErrorFormatted"]
    assert "-" in shown  # nl-NL short date: 4-3-2025


# -- escalation level, custom fields, vault --------------------------------------------------


def test_escalation_rows_follow_set_integration(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    panel.escalation_section.set_expanded(True)
    panel.set_integration(Integration(name="none"))
    declared = list(samples.sample.escalation_level)
    assert panel.escalation_model.rowCount() == len(declared)  # the sample's own values only
    panel.set_integration(
        Integration(
            name="two",
            variables=(
                Variable("Team", VariableMode.ESCALATION_LEVEL),
                Variable("ApiUrl", value="https://x.test"),
                Variable("Pager", VariableMode.ESCALATION_LEVEL),
            ),
        )
    )
    model = panel.escalation_model
    keys = [model.key(r) for r in range(model.rowCount())]
    assert keys[:2] == ["Team", "Pager"]
    assert "ApiUrl" not in keys
    assert panel.escalation_section.toggle.text() == f"Escalation-level values ({len(keys)})"
    assert model.index(1, 1).data() == "(no value)"
    _edit_cell(qtbot, panel.escalation_view, model.index(1, 1), "night shift")
    assert samples.sample.escalation_level["Pager"] == "night shift"
    assert not panel.escalation_hint.isVisibleTo(panel)


def test_add_and_remove_a_custom_field(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    before = dict(samples.sample.custom_fields)
    _click(qtbot, panel.add_field_button)
    assert panel.custom_fields_section.is_expanded()
    editor = _open_editor(panel.custom_fields_view)  # the new field's name is being edited
    editor.selectAll()
    _type(qtbot, editor, "Owner")
    _commit(qtbot, panel.custom_fields_view, editor)
    model = panel.custom_fields_model
    row = model.row_of("Owner")
    assert row == len(before)
    _edit_cell(qtbot, panel.custom_fields_view, model.index(row, 1), "Team Rocket")
    assert samples.sample.custom_fields["Owner"] == "Team Rocket"
    assert f"({len(before) + 1})" in panel.custom_fields_section.toggle.text()

    panel.custom_fields_view.selectRow(row)
    _click(qtbot, panel.remove_field_button)
    assert dict(samples.sample.custom_fields) == before
    assert samples.edited


def test_add_and_remove_a_vault_item(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    before = list(samples.sample.vault)
    panel.vault_section.set_expanded(True)
    _click(qtbot, panel.add_vault_button)
    added = [k for k in samples.sample.vault if k not in before]
    assert len(added) == 1
    guid = added[0]
    editor = _open_editor(panel.vault_view)  # the username is being edited
    _type(qtbot, editor, "svc-bot")
    _commit(qtbot, panel.vault_view, editor)
    row = panel.vault_model.row_of(guid)
    _edit_cell(qtbot, panel.vault_view, panel.vault_model.index(row, 2), "hunter2")
    assert dict(samples.sample.vault[guid]) == {"Username": "svc-bot", "Password": "hunter2"}
    password = panel.vault_model.index(row, 2)
    assert password.data() != "hunter2"
    panel.show_passwords.setChecked(True)
    assert password.data() == "hunter2"

    panel.vault_view.selectRow(row)
    _click(qtbot, panel.remove_vault_button)
    assert list(samples.sample.vault) == before


def test_password_editor_hides_the_text(qtbot: QtBot, panel: SamplePanel) -> None:
    panel.vault_section.set_expanded(True)
    index = panel.vault_model.index(0, 2)
    panel.vault_view.edit(index)
    editor = _open_editor(panel.vault_view, index)
    assert editor.echoMode() is QLineEdit.EchoMode.Password


# -- saving ----------------------------------------------------------------------------------


def test_save_sample_as_writes_a_file_that_loads_back_equal(
    qtbot: QtBot,
    panel: SamplePanel,
    samples: SampleState,
    catalogue: Catalogue,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel.set_default_folder(tmp_path)
    panel.values_for.setCurrentIndex(panel.values_for.findText("Reminder"))
    _edit_cell(qtbot, panel.values_view, _value_index(panel, "@monitor.notes"), "Reminder note")
    assert panel.edited_label.isVisible()
    asked: list[str] = []

    def save_dialog(parent: object, caption: str, directory: str, *args: object) -> tuple[str, str]:
        asked.append(directory)
        return str(tmp_path / "mine"), "Sample files (*.sample.json)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    _click(qtbot, panel.save_button)
    target = tmp_path / "mine.sample.json"
    assert asked == [str(tmp_path / "HTTPS monitor.sample.json")]
    assert target.is_file()
    # The mock-vault password went to the panel's secret store, not into the file.
    password = next(iter(samples.sample.vault.values()))["Password"]
    assert password not in target.read_text(encoding="utf-8")
    loaded = load_sample_with_secrets(target, catalogue, store=panel._secret_store, env={}).sample
    assert dataclasses.replace(loaded, path=samples.sample.path) == samples.sample
    assert loaded.per_type[AlertType.REMINDER]["@monitor.notes"] == "Reminder note"
    assert samples.key == str(target)
    assert not samples.edited
    assert not panel.edited_label.isVisible()
    assert panel.picker.currentData() == str(target)


def test_save_errors_are_reported(
    qtbot: QtBot,
    panel: SamplePanel,
    samples: SampleState,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    messages: list[str] = []
    missing = tmp_path / "no such folder" / "x.sample.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(missing), ""))
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *args: messages.append(text)
    )
    _click(qtbot, panel.save_button)
    assert len(messages) == 1
    assert "x.sample.json" in messages[0]
    assert samples.key == "https"


# -- edge cases ------------------------------------------------------------------------------


def test_edge_cases_toggle_switches_lists_problems_and_restores(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState, catalogue: Catalogue
) -> None:
    _edit_cell_model(panel, "@monitor.name", "edited before")
    before = samples.sample
    assert samples.edited
    assert not panel.edge_list.isVisible()

    _click(qtbot, panel.edge_button)
    assert panel.edge_button.isChecked()
    assert samples.key == EDGE_CASES_SAMPLE
    assert samples.sample == find_sample(EDGE_CASES_SAMPLE, catalogue)
    assert panel.edge_list.isVisible()

    integration = _raw_notes_integration()
    panel.set_preview(compute_preview(integration, samples.sample, catalogue))
    texts = [panel.edge_list.item(i).text() for i in range(panel.edge_list.count())]
    assert any(t.startswith("error · steps[0].body:1:") for t in texts)
    assert any(t.startswith("warning · steps[0].body:1:") and "@JsonEncode" in t for t in texts)

    item = panel.edge_list.item(0)
    with qtbot.waitSignal(panel.diagnostic_activated) as activated:
        _double_click(qtbot, panel.edge_list, panel.edge_list.visualItemRect(item).center())
    (diagnostic,) = activated.args
    assert isinstance(diagnostic, Diagnostic)
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.field == "steps[0].body"

    fixed = _raw_notes_integration('{"notes": "{{@JsonEncode({{@monitor.notes}})}}"}')
    panel.set_preview(compute_preview(fixed, samples.sample, catalogue))
    assert [panel.edge_list.item(i).text() for i in range(panel.edge_list.count())] == [
        "Nothing breaks with the edge cases"
    ]

    _click(qtbot, panel.edge_button)
    assert not panel.edge_button.isChecked()
    assert samples.sample is before
    assert samples.key == "https"
    assert samples.edited
    assert not panel.edge_list.isVisible()


def test_choosing_a_set_while_on_edge_cases_turns_the_toggle_off(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    _click(qtbot, panel.edge_button)
    _choose(panel, "dns")
    assert not panel.edge_button.isChecked()
    assert samples.key == "dns"
    assert not panel.edge_list.isVisible()


def test_refusals_are_red_in_the_theme_and_follow_a_switch(
    qtbot: QtBot, panel: SamplePanel, samples: SampleState
) -> None:
    panel.zone_section.set_expanded(True)
    edit = panel.timezone_box.lineEdit()
    assert edit is not None
    edit.clear()
    _type(qtbot, edit, "Mars/Olympus_Mons")
    _enter(qtbot, edit)
    assert panel.timezone_error.isVisible()

    def red(label: QWidget) -> str:
        return label.palette().color(QPalette.ColorRole.WindowText).name()

    assert red(panel.timezone_error) == LIGHT.error
    panel.setPalette(dark_palette())
    assert red(panel.timezone_error) == DARK.error
    assert red(panel.value_error) == DARK.error
