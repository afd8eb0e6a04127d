"""The banner above the tabs about secret values: no keyring, or values missing after opening.

Secrets are never lost silently: without a keyring the banner offers to keep them in a ``.env``
next to the file (or for this session only); after opening a file whose secret values are not
found anywhere, it lists them with the environment variable that would supply each.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from uptrends_studio.gui.theme import colours


class SecretsBanner(QFrame):
    """A framed message with one or two buttons, hidden until there is something to say.

    Signals:
        keep_in_dotenv_requested: "Keep them in .env next to the file" was clicked.
    """

    keep_in_dotenv_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("secretsBanner")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.dotenv_button = QPushButton("Keep them in .env next to the file")
        self.dotenv_button.setToolTip(
            "Write the secret values to a .env file (readable by you only) in the integration's "
            "folder; the integration file keeps only markers"
        )
        self.dismiss_button = QPushButton("This session only")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.dotenv_button)
        layout.addWidget(self.dismiss_button)
        self.dotenv_button.clicked.connect(self.keep_in_dotenv_requested)
        self.dismiss_button.clicked.connect(self.hide)
        self.hide()

    def show_no_keyring(self, count: int) -> None:
        """No keyring: ``count`` secret values live in memory until the Studio closes."""
        values = "1 secret value" if count == 1 else f"{count} secret values"
        self.message.setText(
            f"No system keyring: {values} of this integration are kept in memory and are lost "
            "when the Studio closes. Keep them in a .env file next to the integration?"
        )
        self.dotenv_button.show()
        self.dismiss_button.setText("This session only")
        self._show()

    def show_missing(self, items: list[str]) -> None:
        """Opened a file whose secret values were not found: one line per value."""
        lines = "".join(f"<li>{html.escape(item)}</li>" for item in items)
        several = len(items) != 1
        self.message.setText(
            f"<b>{len(items)} secret value{'s are' if several else ' is'} not available</b> "
            f"(the requests that use {'them' if several else 'it'} will not work until "
            f"{'they are' if several else 'it is'} entered or set):"
            f"<ul style='margin: 0'>{lines}</ul>"
        )
        self.dotenv_button.hide()
        self.dismiss_button.setText("Dismiss")
        self._show()

    def _show(self) -> None:
        banner = colours(self.palette()).error_banner
        self.setStyleSheet(
            f"#secretsBanner {{ background: {banner.background}; border: 1px solid "
            f"{banner.border}; border-radius: 4px; }} #secretsBanner QLabel {{ color: "
            f"{banner.text}; }}"
        )
        self.show()
