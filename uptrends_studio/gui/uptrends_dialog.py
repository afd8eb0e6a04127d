"""Sample → From Uptrends…: replay a real alert of an Uptrends account as a sample set.

Sign in with an API account (from ``UPTRENDS_API_USERNAME``/``UPTRENDS_API_PASSWORD``, the
keyring, or typed and optionally remembered in the keyring), search the monitors, pick one of
its alerts, look at the values the sample will hold, and import it: the sample is saved as a
``*.sample.json`` file and :attr:`UptrendsDialog.sample_imported` names the file, which the
sample panel then opens like any sample file.

Every API call runs on a task thread (:class:`~uptrends_studio.gui.workers.TaskRunner`) with a
busy bar and a Cancel button; the task builds its own client and never touches a widget. The
password is never shown, logged or written anywhere but the keyring.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from uptrends_studio.core.account.alert_samples import fetch_sample
from uptrends_studio.core.account.uptrends_api import (
    KEYRING_PASSWORD,
    KEYRING_USERNAME,
    PASSWORD_ENV,
    USERNAME_ENV,
    Alert,
    ApiCancelledError,
    Credentials,
    Monitor,
    UptrendsClient,
    base_url_from,
    credentials_from,
)
from uptrends_studio.core.document.model import ALERT_TYPES
from uptrends_studio.core.document.sample_files import save_sample_with_secrets
from uptrends_studio.core.document.samples import SUFFIX, SampleSet
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.secret_store import SecretStore, SecretStoreError
from uptrends_studio.gui.theme import banner_style, colours
from uptrends_studio.gui.workers import TaskRunner

log = logging.getLogger(__name__)

ALERT_DAYS = 30
"""How far back the alert list goes."""

ClientFactory = Callable[[Credentials, str, threading.Event], UptrendsClient]
PathChooser = Callable[[QWidget, str], Path | None]


def _default_client(credentials: Credentials, base_url: str, cancel: threading.Event) -> Any:
    return UptrendsClient(credentials, base_url, cancel=cancel)


def _ask_path(parent: QWidget, proposed: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent, "Save the sample set", proposed, f"Sample sets (*{SUFFIX})"
    )
    return Path(path) if path else None


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What a task hands back: ``kind`` names the call, ``error`` a refusal's message."""

    kind: str
    value: object = None
    error: str = ""
    remember: bool = False
    cancelled: bool = False


def _shown(value: str) -> str:
    """A value on one line: line breaks and tabs written as backslash escapes."""
    return value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")


def _slug(text: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in text.casefold())
    return "-".join(part for part in kept.split("-") if part)[:40] or "uptrends"


class UptrendsDialog(QDialog):
    """Replays a real alert of an Uptrends account as a sample set.

    Signals:
        sample_imported(Path): the sample was saved to this ``*.sample.json`` file.
    """

    sample_imported = Signal(object)

    def __init__(
        self,
        store: SecretStore,
        parent: QWidget | None = None,
        *,
        env: Mapping[str, str] | None = None,
        client_factory: ClientFactory = _default_client,
        choose_path: PathChooser = _ask_path,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sample from Uptrends")
        self.setObjectName("uptrendsDialog")
        self._store = store
        self._env = dict(os.environ if env is None else env)
        self._client_factory = client_factory
        self._choose_path = choose_path
        self._folder = folder or Path.cwd()
        self._credentials: Credentials | None = None
        self._from_env = False
        self._monitors: list[Monitor] = []
        self._sample: SampleSet | None = None
        self._pending_save = False
        self.runner = TaskRunner(self)
        self.runner.progressed.connect(self._on_runner_progressed)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.busy_changed.connect(self._on_runner_busy_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_sign_in())
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_monitors())
        splitter.addWidget(self._build_alerts())
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 2)
        preview_label = QLabel("Values of the sample set:", self)
        layout.addWidget(preview_label)
        self.preview = QPlainTextEdit(self)
        self.preview.setObjectName("uptrendsPreview")
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setPlaceholderText("Choose an alert to see the values it gives the template")
        preview_label.setBuddy(self.preview)
        layout.addWidget(self.preview, 2)

        status_row = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel("", self)
        self.status.setObjectName("uptrendsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop waiting for Uptrends")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        self.cancel_button.hide()
        status_row.addWidget(self.progress)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.cancel_button)
        layout.addLayout(status_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.import_button = self.buttons.addButton(
            "Import as sample set…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(900, 620)
        self._fill_credentials()
        if self._credentials is not None:  # from the environment or the keyring
            self.sign_in()

    # -- building ------------------------------------------------------------------------------

    def _build_sign_in(self) -> QGroupBox:
        box = QGroupBox("Uptrends API account (read-only)", self)
        form = QFormLayout(box)
        self.username_edit = QLineEdit(box)
        self.username_edit.setObjectName("uptrendsUsername")
        self.username_edit.setPlaceholderText("API account username")
        self.password_edit = QLineEdit(box)
        self.password_edit.setObjectName("uptrendsPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("API account password")
        self.remember_box = QCheckBox("Remember in the keyring", box)
        self.remember_box.setChecked(True)
        self.sign_in_button = QPushButton("Sign in", box)
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.password_edit.returnPressed.connect(self._on_sign_in_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.password_edit, 1)
        row.addWidget(self.remember_box)
        row.addWidget(self.sign_in_button)
        form.addRow("&Username:", self.username_edit)
        password_label = QLabel("&Password:", box)
        password_label.setBuddy(self.password_edit)
        form.addRow(password_label, row)
        self.account_label = QLabel(box)
        self.account_label.setWordWrap(True)
        form.addRow(self.account_label)
        return box

    def _build_monitors(self) -> QWidget:
        panel = QWidget(self)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QLineEdit(panel)
        self.search_edit.setObjectName("uptrendsSearch")
        self.search_edit.setPlaceholderText("Search monitors")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.monitor_list = QListWidget(panel)
        self.monitor_list.setObjectName("uptrendsMonitors")
        self.monitor_list.currentItemChanged.connect(self._on_monitor_list_current_item_changed)
        column.addWidget(self.search_edit)
        column.addWidget(self.monitor_list, 1)
        return panel

    def _build_alerts(self) -> QWidget:
        panel = QWidget(self)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        self.reminders_box = QCheckBox(f"Include reminders (alerts of the last {ALERT_DAYS} days)")
        self.reminders_box.toggled.connect(self._on_reminders_box_toggled)
        self.alert_table = QTableWidget(0, 3, panel)
        self.alert_table.setObjectName("uptrendsAlerts")
        self.alert_table.setHorizontalHeaderLabels(["Type", "Time", "Description"])
        self.alert_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.alert_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.alert_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.alert_table.verticalHeader().hide()
        header = self.alert_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.alert_table.itemSelectionChanged.connect(self._on_alert_table_item_selection_changed)
        column.addWidget(self.reminders_box)
        column.addWidget(self.alert_table, 1)
        return panel

    # -- credentials ---------------------------------------------------------------------------

    def _fill_credentials(self) -> None:
        from_env = credentials_from(self._env)
        if from_env is not None:
            self._credentials, self._from_env = from_env, True
            self.username_edit.setText(from_env.username)
            for widget in (self.username_edit, self.password_edit, self.remember_box):
                widget.setEnabled(False)
            self.password_edit.setPlaceholderText(f"from {PASSWORD_ENV}")
            self.account_label.setText(f"Using the account in {USERNAME_ENV}/{PASSWORD_ENV}.")
            return
        saved = credentials_from({}, self._store.get)
        if saved is not None:
            self._credentials = saved
            self.username_edit.setText(saved.username)
            self.password_edit.setPlaceholderText("saved in the keyring")
            self.account_label.setText("Using the account saved in the keyring.")
        else:
            self.account_label.setText(
                "An Uptrends API account (Account setup → API management), not your login. "
                "The Studio only reads."
            )

    def _typed_credentials(self) -> Credentials | None:
        user, password = self.username_edit.text().strip(), self.password_edit.text()
        if self._from_env:
            return self._credentials
        if password:
            return Credentials(user, password)
        if self._credentials is not None and user == self._credentials.username:
            return self._credentials
        return None

    def _on_sign_in_button_clicked(self) -> None:
        self.sign_in()

    def sign_in(self) -> None:
        """List the account's monitors with the given (or saved) API account."""
        credentials = self._typed_credentials()
        if credentials is None or not credentials.username:
            self._show_error("Give the API account's username and password.")
            return
        self._credentials = credentials
        typed = bool(self.password_edit.text())
        self._start("monitors", lambda client, report: client.monitors(), remember=typed)

    # -- tasks ---------------------------------------------------------------------------------

    def _start(
        self,
        kind: str,
        call: Callable[[Any, Callable[[object], None]], object],
        *,
        remember: bool = False,
    ) -> None:
        credentials = self._credentials
        if credentials is None:
            return
        try:
            base_url = base_url_from(self._env)
        except StudioError as exc:
            self._show_error(str(exc))
            return
        factory = self._client_factory

        def task(cancel: threading.Event, report: Callable[[object], None]) -> _Outcome:
            client = factory(credentials, base_url, cancel)
            try:
                return _Outcome(kind, call(client, report), remember=remember)
            except ApiCancelledError:
                return _Outcome(kind, cancelled=True)
            except StudioError as exc:
                return _Outcome(kind, error=str(exc))
            finally:
                client.close()

        self.status.setText(
            {"monitors": "Signing in…", "alerts": "Reading the alerts…"}.get(kind, "Reading…")
        )
        self.status.setStyleSheet("")
        self.runner.start(task)

    def _on_runner_progressed(self, progress: object) -> None:
        self.status.setText(str(progress))

    def _on_runner_busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)

    def _on_cancel_button_clicked(self) -> None:
        self.runner.cancel()
        self.status.setText("Cancelled.")

    def _on_runner_failed(self, message: str) -> None:
        self._show_error(f"Something went wrong: {message}")

    def _on_runner_finished(self, result: object) -> None:
        assert isinstance(result, _Outcome)
        if result.error:
            self._show_error(result.error)
            return
        if result.cancelled:
            return
        value = result.value
        if result.kind == "monitors" and isinstance(value, list):
            self._monitors = [m for m in value if isinstance(m, Monitor)]
            self._remember(result.remember)
            self._fill_monitors()
            self.status.setText(f"{len(self._monitors)} monitors.")
        elif result.kind == "alerts" and isinstance(value, list):
            self._fill_alerts([a for a in value if isinstance(a, Alert)])
        elif result.kind == "sample" and isinstance(value, SampleSet):
            self._show_sample(value)

    def _remember(self, typed: bool) -> None:
        credentials = self._credentials
        if not typed or credentials is None or not self.remember_box.isChecked():
            return
        try:
            self._store.set(KEYRING_USERNAME, credentials.username)
            self._store.set(KEYRING_PASSWORD, credentials.password)
        except SecretStoreError as exc:
            self.account_label.setText(f"Signed in; not remembered: {exc}")
            return
        self.password_edit.clear()
        self.password_edit.setPlaceholderText("saved in the keyring")
        self.account_label.setText(f"Signed in; remembered in the {self._store.backend_name}.")

    def _show_error(self, message: str) -> None:
        self.status.setText(message)
        self.status.setStyleSheet(banner_style(colours(self.palette()).error_banner))

    # -- monitors and alerts -------------------------------------------------------------------

    def _fill_monitors(self) -> None:
        self.monitor_list.clear()
        for monitor in self._monitors:
            item = QListWidgetItem(f"{monitor.name}\n    {monitor.monitor_type}")
            item.setData(Qt.ItemDataRole.UserRole, monitor.guid)
            item.setToolTip(f"{monitor.guid}\n{monitor.url}".strip())
            self.monitor_list.addItem(item)
        self._on_search_edit_text_changed(self.search_edit.text())

    def _on_search_edit_text_changed(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.monitor_list.count()):
            item = self.monitor_list.item(row)
            haystack = f"{item.text()} {item.toolTip()}".casefold()  # name, type, GUID, URL
            shown = all(word in haystack for word in words)
            item.setHidden(not shown)

    def current_monitor(self) -> str | None:
        """The GUID of the chosen monitor."""
        item = self.monitor_list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, str) else None

    def _on_monitor_list_current_item_changed(self, *_items: object) -> None:
        self._load_alerts()

    def _on_reminders_box_toggled(self, _checked: bool) -> None:
        self._load_alerts()

    def _load_alerts(self) -> None:
        guid = self.current_monitor()
        self.alert_table.setRowCount(0)
        self._set_sample(None)
        if guid is None:
            return
        reminders = self.reminders_box.isChecked()
        self._start(
            "alerts",
            lambda client, report: client.alerts(
                guid, days=ALERT_DAYS, include_reminders=reminders
            ),
        )

    def _fill_alerts(self, alerts: list[Alert]) -> None:
        self.alert_table.setRowCount(len(alerts))
        for row, alert in enumerate(alerts):
            cells = (alert.alert_type, alert.timestamp, " ".join(alert.error_description.split()))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, alert.id)
                item.setToolTip(f"{alert.id}\nIncident {alert.incident_key}\n{text}")
                self.alert_table.setItem(row, column, item)
        self.status.setText(
            f"{len(alerts)} alerts in the last {ALERT_DAYS} days."
            if alerts
            else f"No alerts in the last {ALERT_DAYS} days."
        )

    def current_alert(self) -> str | None:
        """The id of the chosen alert."""
        rows = self.alert_table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.alert_table.item(rows[0].row(), 0)
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, str) else None

    def _on_alert_table_item_selection_changed(self) -> None:
        guid, alert_id = self.current_monitor(), self.current_alert()
        self._set_sample(None)
        if guid is None or alert_id is None:
            return
        self._start(
            "sample",
            lambda client, report: fetch_sample(client, guid, alert_id, report=report),
        )

    # -- the sample ----------------------------------------------------------------------------

    def _set_sample(self, sample: SampleSet | None) -> None:
        self._sample = sample
        self.import_button.setEnabled(sample is not None)
        if sample is None:
            self.preview.clear()

    def _show_sample(self, sample: SampleSet) -> None:
        self._set_sample(sample)
        lines = [sample.description, "", f"Time zone: {sample.timezone}", ""]
        lines += [f"{key} = {_shown(value)}" for key, value in sample.values.items()]
        for kind in ALERT_TYPES:
            overrides = sample.per_type.get(kind)
            if overrides:
                lines += ["", f"On {kind.value} alerts:"]
                lines += [f"  {key} = {_shown(value)}" for key, value in overrides.items()]
        if sample.custom_fields:
            lines += ["", "Custom fields:"]
            lines += [f"  {key} = {_shown(v)}" for key, v in sample.custom_fields.items()]
        self.preview.setPlainText("\n".join(lines))
        self.status.setText("Ready to import.")

    @property
    def sample(self) -> SampleSet | None:
        """The sample of the chosen alert, once read."""
        return self._sample

    def _on_import_button_clicked(self) -> None:
        self.import_sample()

    def import_sample(self) -> Path | None:
        """Save the sample where the user says and announce it; ``None`` when not saved."""
        sample = self._sample
        if sample is None:
            return None
        monitor = _slug(sample.values.get("@monitor.name", ""))
        name = f"{monitor}-{sample.origin.get('alertId', '')[:8]}"
        path = self._choose_path(self, str(self._folder / f"{name}{SUFFIX}"))
        if path is None:
            return None
        if not path.name.endswith(SUFFIX):
            path = path.with_name(path.name.removesuffix(".json") + SUFFIX)
        try:
            save_sample_with_secrets(sample, path, store=None)
        except StudioError as exc:
            self._show_error(str(exc))
            return None
        self.sample_imported.emit(path)
        self.accept()
        return path

    def done(self, result: int) -> None:
        """Close, cancelling whatever is still being read."""
        self.runner.cancel()
        super().done(result)


class VaultItemPicker(QDialog):
    """Lists the account's vault items by name; returns the GUID of a credential set.

    Only names, GUIDs and types are read (the client drops every value); only credential sets
    can be chosen, since only they can be referenced as ``{{@VaultItem.<guid>.Username}}``.
    """

    def __init__(
        self,
        store: SecretStore,
        parent: QWidget | None = None,
        *,
        env: Mapping[str, str] | None = None,
        client_factory: ClientFactory = _default_client,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Vault items in Uptrends")
        self.setObjectName("vaultItemPicker")
        env = dict(os.environ if env is None else env)
        self.items = QListWidget(self)
        self.items.setObjectName("vaultItems")
        self.items.itemDoubleClicked.connect(self._on_items_item_double_clicked)
        self.status = QLabel("Reading the vault items…", self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Use this item")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.items.currentItemChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(460, 360)
        self._update_ok()
        self.runner = TaskRunner(self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        credentials = credentials_from(env, store.get)
        if credentials is None:
            self.status.setText(
                f"No Uptrends API account: sign in with Sample → From Uptrends… (remembered in "
                f"the keyring) or set {USERNAME_ENV} and {PASSWORD_ENV}."
            )
            return
        try:
            base_url = base_url_from(env)
        except StudioError as exc:
            self.status.setText(str(exc))
            return

        def task(cancel: threading.Event, _report: Callable[[object], None]) -> _Outcome:
            client = client_factory(credentials, base_url, cancel)
            try:
                return _Outcome("vault", client.vault_items())
            except StudioError as exc:
                return _Outcome("vault", error=str(exc))
            finally:
                client.close()

        self.runner.start(task)

    def _on_runner_finished(self, result: object) -> None:
        if not isinstance(result, _Outcome) or result.error:
            self.status.setText(result.error if isinstance(result, _Outcome) else "")
            return
        names = result.value if isinstance(result.value, list) else []
        usable = 0
        for entry in names:
            item = QListWidgetItem(f"{entry.name}  ({entry.item_type})")
            item.setData(Qt.ItemDataRole.UserRole, entry.guid)
            item.setToolTip(entry.guid)
            if entry.item_type.casefold() != "credentialset":
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(f"{entry.guid}: only credential sets can be referenced")
            else:
                usable += 1
            self.items.addItem(item)
        sets = "1 credential set" if usable == 1 else f"{usable} credential sets"
        self.status.setText(f"{sets}. Values are never read into the Studio.")

    def _on_runner_failed(self, message: str) -> None:
        self.status.setText(f"Something went wrong: {message}")

    def _on_items_item_double_clicked(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.accept()

    def _update_ok(self, *_args: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.chosen_guid() is not None
        )

    def chosen_guid(self) -> str | None:
        """The GUID of the chosen credential set."""
        item = self.items.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        value = item.data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, str) else None

    def done(self, result: int) -> None:
        """Close, cancelling the read if it is still running."""
        self.runner.cancel()
        super().done(result)
