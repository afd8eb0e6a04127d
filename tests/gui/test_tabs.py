"""The Main and Customizations tabs edit the document the way the Uptrends screens do."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document.model import (
    AlertType,
    JwtFunction,
    MappingFunction,
    RegexFunction,
    Variable,
    VariableMode,
)
from uptrends_studio.core.secrets import MASK
from uptrends_studio.gui.main_window import MainWindow


def test_add_variable_then_rename_updates_references_when_asked(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = window.variables_tab
    tab.select_row(0)  # ApiUrl, used in the step URL
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.var_name.setFocus()
    tab.var_name.selectAll()
    qtbot.keyClicks(tab.var_name, "WebhookUrl")
    qtbot.keyClick(tab.var_name, Qt.Key.Key_Return)
    integration = window.document.integration
    assert integration.variables[0].name == "WebhookUrl"
    assert integration.steps[0].url == "{{WebhookUrl}}"
    window.undo_action.trigger()  # one step undoes the rename and the reference update
    assert window.document.integration.steps[0].url == "{{ApiUrl}}"


def test_rename_without_updating_leaves_references(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = window.variables_tab
    tab.select_row(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    tab.var_name.setText("Other")
    tab.var_name.editingFinished.emit()
    assert window.document.integration.steps[0].url == "{{ApiUrl}}"
    qtbot.waitUntil(
        lambda: any(d.code == "unknown-variable" for d in window.controller.preview.diagnostics),
        timeout=5000,
    )


def test_secret_value_is_masked_in_the_form_and_table(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.variables_tab
    tab.add_variable()
    tab.value_edit.setText("tok-123")
    tab.value_edit.textEdited.emit("tok-123")
    tab.secret_check.setChecked(True)
    variable = window.document.integration.variables[-1]
    assert (variable.value, variable.secret) == ("tok-123", True)
    assert tab.value_edit.echoMode() == tab.value_edit.EchoMode.Password
    row = len(window.document.integration.variables) - 1
    assert tab.model.index(row, 2).data() == "••••••"
    tab.reveal_check.setChecked(True)
    assert tab.model.index(row, 2).data() == "tok-123"


def test_switching_a_variable_to_escalation_level(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.variables_tab
    tab.select_row(0)
    tab.mode_level.setChecked(True)
    assert window.document.integration.variables[0].mode is VariableMode.ESCALATION_LEVEL
    assert tab.mode_hint.isVisibleTo(tab)


def test_steps_add_duplicate_reorder_remove(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.customizations_tab
    window.show_tab(tab)
    tab.add_new_step()
    steps = window.document.integration.steps
    assert [s.name for s in steps] == ["Send alert", "Step 2"]
    assert steps[1].alert_types == ()  # every type is taken: a helper step
    tab.steps.setFocus()
    qtbot.keyClick(tab.steps, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [s.name for s in window.document.integration.steps] == ["Step 2", "Send alert"]
    tab.duplicate_current_step()
    assert [s.name for s in window.document.integration.steps] == [
        "Step 2",
        "Step 2 (copy)",
        "Send alert",
    ]
    tab.remove_current_step()
    assert len(window.document.integration.steps) == 2


def test_ticking_ok_on_a_second_step_is_reported(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.customizations_tab
    tab.add_new_step()
    tab.steps.setCurrentRow(1)
    tab.step_editor.type_boxes[AlertType.OK].setChecked(True)
    assert window.document.integration.steps[1].alert_types == (AlertType.OK,)
    qtbot.waitUntil(
        lambda: any(d.code == "type-ticked-twice" for d in window.controller.preview.diagnostics),
        timeout=5000,
    )


def test_header_value_edit_and_remove(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.customizations_tab
    editor = tab.step_editor
    editor.add_header.click()
    row = editor.header_rows[-1]
    qtbot.keyClicks(row.name, "X-Alert")
    row.value.setFocus()
    qtbot.keyClicks(row.value, "{{@alert.type}}")
    headers = window.document.integration.steps[0].headers
    assert headers[-1].name == "X-Alert"
    assert headers[-1].value.startswith("{{@alert.type")
    row.remove.click()
    assert len(window.document.integration.steps[0].headers) == 1


def test_function_editor_mapping_and_regex(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.customizations_tab
    tab.sections.setCurrentIndex(1)
    tab.functions.setCurrentRow(0)
    editor = tab.function_editor
    assert editor.mapping.rowCount() == 3
    cell = editor.mapping.item(2, 1)
    assert cell is not None
    cell.setText("ok")
    function = window.document.integration.functions[0]
    assert isinstance(function, MappingFunction)
    assert function.mapping[2].target == "ok"
    editor.kind.setCurrentIndex(1)
    qtbot.keyClicks(editor.pattern, r"^(\w+)")
    assert window.document.integration.functions[0] == RegexFunction("severity", r"^(\w+)")
    qtbot.keyClicks(editor.try_input, "Step 1: failed")
    assert editor.try_output.text() == "“Step”"


def test_function_editor_jwt_encode(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.customizations_tab
    tab.sections.setCurrentIndex(1)
    tab.functions.setCurrentRow(0)
    editor = tab.function_editor
    editor.kind.setCurrentIndex(3)
    assert editor.jwt_box.isVisibleTo(editor)
    assert not editor.hash_box.isVisibleTo(editor)
    editor.jwt_algorithm.setCurrentText("HS512")
    qtbot.keyClicks(editor.jwt_key, "a-signing-secret")
    # The signing key is a secret: masked until the user asks to see it.
    assert editor.jwt_key.echoMode() is QLineEdit.EchoMode.Password
    editor.jwt_key_reveal.setChecked(True)
    assert editor.jwt_key.echoMode() is QLineEdit.EchoMode.Normal
    assert window.document.integration.functions[0] == JwtFunction(
        "severity", "HS512", "a-signing-secret"
    )
    window.undo_action.trigger()
    function = window.document.integration.functions[0]
    assert isinstance(function, JwtFunction)
    assert function.key == ""


def test_a_variable_with_tokens_shows_its_evaluated_value(window: MainWindow) -> None:
    integration = window.document.integration
    variables = (
        *integration.variables,
        Variable("UniqueEmail", value="{{@RandomGuid}}@mycompany.com"),
        Variable("Key", value="k-{{@alert.type}}-9f8e7d", secret=True),
    )
    window.document.apply(replace(integration, variables=variables), "Add variables")
    description, value = window.context.describe_token("UniqueEmail") or ("", "")
    assert "evaluated once per message" in description
    assert re.fullmatch(r"[0-9A-F-]{36}@mycompany\.com", value)
    items = {item.label: item for item in window.context.completion_items()}
    assert items["UniqueEmail"].value == value
    # A secret stays masked in the tooltip, tokens or not.
    assert window.context.describe_token("Key") == (
        "Predefined variable (tokens in its value are evaluated once per message).",
        MASK,
    )
