"""The Test tab's connection options: timeout, TLS, proxy, redirects.

The proxy is an :class:`~uptrends_studio.app.proxy.ProxyChoice`. Its URL is kept in the
settings without a password; the password goes to the secret store (the OS keyring), and a
``user:password@`` typed into the URL is moved to the password field at once.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from uptrends_studio.app.proxy import ProxyChoice, recall_proxy, remember_proxy
from uptrends_studio.core.delivery.sending import ProxyMode, SendOptions
from uptrends_studio.core.secret_store import SecretStore, SecretStoreError
from uptrends_studio.gui.settings import Settings

PROXY_MODES: tuple[tuple[str, ProxyMode], ...] = (
    ("System settings", ProxyMode.SYSTEM),
    ("No proxy", ProxyMode.NONE),
    ("This proxy:", ProxyMode.EXPLICIT),
)


class ConnectionOptions(QWidget):
    """How test sends reach the network; every change is remembered.

    Signals:
        status_message(str): a short message for the status bar (the keyring refused, ...).
    """

    status_message = Signal(str)

    def __init__(
        self, settings: Settings, store: SecretStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.store = store
        saved = settings.send_options()
        proxy = recall_proxy(ProxyChoice.of(saved), store)
        self._remembered = proxy
        """The proxy last put in the store (the keyring is asked only when it changes)."""
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.timeout_spin = QDoubleSpinBox()
        self.timeout_spin.setRange(0.5, 300)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setValue(saved.timeout)
        self.timeout_spin.setToolTip("How long to wait for a connection and for each answer")
        form.addRow("Timeout", self.timeout_spin)
        self.verify_check = QCheckBox("Verify TLS certificates")
        self.verify_check.setChecked(saved.verify_tls)
        form.addRow(self.verify_check)
        ca_row = QHBoxLayout()
        self.ca_edit = QLineEdit(saved.ca_bundle)
        self.ca_edit.setPlaceholderText("System certificates")
        self.ca_edit.setToolTip("A PEM file of CA certificates to trust instead of the system's")
        ca_browse = QToolButton()
        ca_browse.setText("…")
        ca_browse.setToolTip("Choose a CA bundle file")
        ca_browse.clicked.connect(self._on_ca_browse_clicked)
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(ca_browse)
        form.addRow("CA bundle", ca_row)
        self.proxy_combo = QComboBox()
        for label, mode in PROXY_MODES:
            # Plain strings as item data: Qt hands a str-enum back as a bare str.
            self.proxy_combo.addItem(label, mode.value)
        self.proxy_combo.setCurrentIndex(self.proxy_combo.findData(proxy.mode.value))
        self.proxy_combo.setToolTip(
            "System settings: HTTP_PROXY/HTTPS_PROXY/NO_PROXY. No proxy: connect directly, "
            "whatever those say. This proxy: every test goes through the URL below"
        )
        form.addRow("Proxy", self.proxy_combo)
        self.proxy_edit = QLineEdit(proxy.public_url)
        self.proxy_edit.setPlaceholderText("http://proxy.example.com:3128")
        self.proxy_edit.setToolTip("http://[user@]host:port; the password goes below")
        form.addRow("", self.proxy_edit)
        self.proxy_password_edit = QLineEdit(proxy.password)
        self.proxy_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.proxy_password_edit.setPlaceholderText("Proxy password")
        self.proxy_password_edit.setToolTip(
            "The password of the proxy user named in the URL; kept in the system keyring, "
            "never in the settings file"
        )
        form.addRow("", self.proxy_password_edit)
        self.redirects_check = QCheckBox("Follow redirects")
        self.redirects_check.setChecked(saved.follow_redirects)
        form.addRow(self.redirects_check)
        self.trust_redirects_check = QCheckBox("Send credentials on to other hosts")
        self.trust_redirects_check.setChecked(saved.trust_redirects)
        self.trust_redirects_check.setToolTip(
            "Off (the default): a redirect to another scheme, host or port is followed without "
            "the authentication, secret headers or a body with a secret in it, as curl does. "
            "On: they are sent on too (curl --location-trusted)"
        )
        form.addRow(self.trust_redirects_check)
        for signal in (
            self.timeout_spin.valueChanged,
            self.verify_check.toggled,
            self.ca_edit.editingFinished,
            self.proxy_combo.currentIndexChanged,
            self.proxy_edit.editingFinished,
            self.proxy_password_edit.editingFinished,
            self.redirects_check.toggled,
            self.trust_redirects_check.toggled,
        ):
            signal.connect(self._on_options_changed)
        self._sync_enabled()

    def proxy_choice(self) -> ProxyChoice:
        """The proxy as chosen, with its password."""
        mode = ProxyMode(str(self.proxy_combo.currentData() or ProxyMode.SYSTEM.value))
        choice = ProxyChoice(mode, self.proxy_edit.text().strip())
        return choice.with_password(self.proxy_password_edit.text())

    def send_options(self) -> SendOptions:
        """The connection options as set."""
        options = SendOptions(
            timeout=self.timeout_spin.value(),
            verify_tls=self.verify_check.isChecked(),
            ca_bundle=self.ca_edit.text().strip(),
            follow_redirects=self.redirects_check.isChecked(),
            trust_redirects=self.trust_redirects_check.isChecked(),
            # No spool_dir: the window shows the first 1 MB of an answer and never writes one
            # to disk (it could hold tokens).
        )
        return self.proxy_choice().apply(options)

    def _sync_enabled(self) -> None:
        explicit = self.proxy_combo.currentData() == ProxyMode.EXPLICIT.value
        self.proxy_edit.setEnabled(explicit)
        self.proxy_password_edit.setEnabled(explicit)
        self.ca_edit.setEnabled(self.verify_check.isChecked())
        self.trust_redirects_check.setEnabled(self.redirects_check.isChecked())

    def _on_options_changed(self) -> None:
        typed = ProxyChoice(ProxyMode.EXPLICIT, self.proxy_edit.text().strip())
        if typed.password:  # user:password@ typed into the URL: the password moves down
            self.proxy_edit.setText(typed.public_url)
            self.proxy_password_edit.setText(typed.password)
        self._sync_enabled()
        options = self.send_options()
        choice = ProxyChoice.of(options)
        if choice != self._remembered:
            try:
                remember_proxy(choice, self.store)
            except SecretStoreError as exc:
                self.status_message.emit(f"The proxy password is kept for this session only: {exc}")
            self._remembered = choice
        # The settings never see the password (Settings drops it from the URL).
        self.settings.set_send_options(options)

    def _on_ca_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA bundle", "", "Certificates (*.pem *.crt *.cer);;All files (*)"
        )
        if path:
            self.ca_edit.setText(path)
            self._on_options_changed()
