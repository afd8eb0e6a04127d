"""Sample → From Uptrends…: sign in, search, pick an alert, preview, import (stand-in API)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from tests.uptrends_standin import (
    ERROR_ID,
    HTTPS_GUID,
    HTTPS_NAME,
    INCIDENT_KEY,
    PASSWORD,
    RESPONSE_BODY,
    USER,
    VAULT_GUID,
    VAULT_SECRET,
    StandIn,
)
from uptrends_studio.core.account.uptrends_api import KEYRING_PASSWORD, KEYRING_USERNAME
from uptrends_studio.core.secret_store import MemoryStore
from uptrends_studio.gui.main_window import MainWindow
from uptrends_studio.gui.uptrends_dialog import UptrendsDialog, VaultItemPicker


def make_dialog(
    qtbot: QtBot,
    standin: StandIn,
    store: MemoryStore,
    target: Path,
    env: dict[str, str] | None = None,
) -> UptrendsDialog:
    def choose(_parent: QWidget, proposed: str) -> Path:
        assert proposed.endswith(".sample.json")
        return target

    dialog = UptrendsDialog(
        store, env={"UPTRENDS_API_URL": standin.url, **(env or {})}, choose_path=choose
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def cell(dialog: UptrendsDialog, row: int, column: int, role: int = 0) -> object:
    item = dialog.alert_table.item(row, column)
    assert item is not None
    return item.data(Qt.ItemDataRole(role)) if role else item.text()


def sign_in(qtbot: QtBot, dialog: UptrendsDialog, password: str) -> None:
    qtbot.keyClicks(dialog.username_edit, USER)
    qtbot.keyClicks(dialog.password_edit, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_sign_in_search_alerts_preview_and_import(
    qtbot: QtBot, standin: StandIn, tmp_path: Path
) -> None:
    store = MemoryStore()
    target = tmp_path / "replay.sample.json"
    dialog = make_dialog(qtbot, standin, store, target)
    sign_in(qtbot, dialog, PASSWORD)
    qtbot.waitUntil(lambda: dialog.monitor_list.count() == 3)
    assert store.get(KEYRING_USERNAME) == USER  # remembered in the (stand-in) keyring
    assert store.get(KEYRING_PASSWORD) == PASSWORD
    assert dialog.password_edit.text() == ""

    qtbot.keyClicks(dialog.search_edit, "checkout")
    visible = [
        dialog.monitor_list.item(r)
        for r in range(dialog.monitor_list.count())
        if not dialog.monitor_list.item(r).isHidden()
    ]
    assert [item.text().splitlines()[0] for item in visible] == [HTTPS_NAME]
    dialog.monitor_list.setCurrentItem(visible[0])
    qtbot.waitUntil(lambda: dialog.alert_table.rowCount() > 0)
    types = [cell(dialog, r, 0) for r in range(dialog.alert_table.rowCount())]
    assert types[:2] == ["Ok", "Error"]  # reminders only when asked for
    assert len(types) == len(standin.account.alerts) - 1  # both pages
    dialog.reminders_box.setChecked(True)
    qtbot.waitUntil(lambda: dialog.alert_table.rowCount() == len(standin.account.alerts))
    assert cell(dialog, 1, 0) == "Reminder"
    row = next(
        r
        for r in range(dialog.alert_table.rowCount())
        if cell(dialog, r, 0, Qt.ItemDataRole.UserRole.value) == ERROR_ID
    )
    dialog.alert_table.selectRow(row)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    preview = dialog.preview.toPlainText()
    assert f"@monitor.name = {HTTPS_NAME}" in preview
    assert f"@incident.key = {INCIDENT_KEY}" in preview
    assert RESPONSE_BODY in preview
    assert "On Ok alerts:" in preview

    with qtbot.waitSignal(dialog.sample_imported) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert imported.args == [target]
    text = target.read_text(encoding="utf-8")
    assert HTTPS_NAME in text
    assert PASSWORD not in text
    assert dialog.result() == UptrendsDialog.DialogCode.Accepted


def test_saved_credentials_sign_in_by_themselves(
    qtbot: QtBot, standin: StandIn, tmp_path: Path
) -> None:
    store = MemoryStore()
    store.set(KEYRING_USERNAME, USER)
    store.set(KEYRING_PASSWORD, PASSWORD)
    dialog = make_dialog(qtbot, standin, store, tmp_path / "x.sample.json")
    qtbot.waitUntil(lambda: dialog.monitor_list.count() == 3)
    assert "keyring" in dialog.account_label.text()
    assert PASSWORD not in dialog.password_edit.text() + dialog.password_edit.placeholderText()


def test_a_wrong_password_is_a_clear_message_and_is_not_remembered(
    qtbot: QtBot, standin: StandIn, tmp_path: Path
) -> None:
    store = MemoryStore()
    dialog = make_dialog(qtbot, standin, store, tmp_path / "x.sample.json")
    sign_in(qtbot, dialog, "Wrong-Pw-Zx81")
    qtbot.waitUntil(lambda: "HTTP 401" in dialog.status.text())
    assert "Uptrends refused the API credentials" in dialog.status.text()
    assert "Wrong-Pw-Zx81" not in dialog.status.text()
    assert store.get(KEYRING_PASSWORD) is None
    assert dialog.monitor_list.count() == 0


def test_cancel_stops_waiting_and_drops_the_late_answer(
    qtbot: QtBot, standin: StandIn, tmp_path: Path
) -> None:
    store = MemoryStore()
    dialog = make_dialog(
        qtbot,
        standin,
        store,
        tmp_path / "x.sample.json",
        env={"UPTRENDS_API_USERNAME": USER, "UPTRENDS_API_PASSWORD": PASSWORD},
    )
    assert not dialog.username_edit.isEnabled()  # the environment's account is used
    qtbot.waitUntil(lambda: dialog.monitor_list.count() == 3)
    standin.account.force("slow")
    dialog.sign_in()
    qtbot.waitUntil(dialog.cancel_button.isVisible)
    assert dialog.progress.isVisible()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Cancelled."
    assert not dialog.progress.isVisible()
    standin.account.force(None)
    dialog.sign_in()
    qtbot.waitUntil(lambda: dialog.status.text() == "3 monitors.", timeout=8000)


def test_the_sample_menu_imports_into_the_sample_panel(
    qtbot: QtBot,
    window: MainWindow,
    standin: StandIn,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UPTRENDS_API_URL", standin.url)
    monkeypatch.setenv("UPTRENDS_API_USERNAME", USER)
    monkeypatch.setenv("UPTRENDS_API_PASSWORD", PASSWORD)
    sample_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Sample")
    assert isinstance(sample_menu, QMenu)
    assert window.from_uptrends_action in sample_menu.actions()
    dialog = window.sample_from_uptrends()
    qtbot.waitUntil(lambda: dialog.monitor_list.count() == 3)
    item = next(
        dialog.monitor_list.item(r)
        for r in range(dialog.monitor_list.count())
        if dialog.monitor_list.item(r).data(Qt.ItemDataRole.UserRole) == HTTPS_GUID
    )
    dialog.monitor_list.setCurrentItem(item)
    qtbot.waitUntil(lambda: dialog.alert_table.rowCount() > 0)
    dialog.alert_table.selectRow(1)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    target = tmp_path / "from-uptrends.sample.json"
    dialog._choose_path = lambda _parent, _proposed: target
    dialog.import_sample()
    assert window.samples.key == str(target)
    assert window.samples.sample.values["@monitor.name"] == HTTPS_NAME
    assert window.sample_panel.picker.currentText().startswith(window.samples.sample.name)


def test_the_vault_picker_lists_credential_sets_by_name_only(
    qtbot: QtBot, window: MainWindow, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPTRENDS_API_URL", standin.url)
    window.secret_store.set(KEYRING_USERNAME, USER)
    window.secret_store.set(KEYRING_PASSWORD, PASSWORD)
    tab = window.variables_tab
    tab.add_variable()
    tab.kind_combo.setCurrentIndex(1)  # a vault credential set
    assert tab.vault_pick_button.isVisibleTo(tab)
    picker = tab.pick_vault_item()
    qtbot.waitUntil(lambda: picker.items.count() == 2)
    texts = [picker.items.item(r).text() for r in range(picker.items.count())]
    assert texts == ["Payments API login  (CredentialSet)", "Webhook token  (Certificate)"]
    assert not picker.items.item(1).flags() & Qt.ItemFlag.ItemIsEnabled
    assert VAULT_SECRET not in picker.status.text() + "".join(texts)
    picker.items.setCurrentRow(0)
    picker.accept()
    assert tab.vault_item.text() == VAULT_GUID
    variable = window.document.integration.variables[tab.current_row()]
    assert variable.vault is not None
    assert variable.vault.item == VAULT_GUID


def test_the_vault_picker_without_an_account_says_how_to_sign_in(qtbot: QtBot) -> None:
    picker = VaultItemPicker(MemoryStore(), env={})
    qtbot.addWidget(picker)
    assert "sign in with Sample" in picker.status.text()
    assert picker.chosen_guid() is None
