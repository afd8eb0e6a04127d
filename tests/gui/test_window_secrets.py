"""Secret values through the window: never in the file, back when the file is opened again."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import Variable
from uptrends_studio.core.secret_store import MemoryStore, read_dotenv
from uptrends_studio.gui.main_window import MainWindow

SECRET = "sk-live-9f8e7d6c5b4a"


def test_a_secret_is_kept_out_of_the_file_and_restored_on_open(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    integration = window.document.integration
    window.document.apply(
        replace(
            integration,
            variables=(*integration.variables, Variable("ApiKey", value=SECRET, secret=True)),
        ),
        "Add ApiKey",
    )
    path = tmp_path / "acme.integration.json"
    assert window._save_to(path)
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    assert '"source": "keyring"' in text
    # Without a system keyring the user is told where the value is kept, in a banner that stays.
    assert window.secrets_banner.isVisible()
    assert "kept in memory" in window.secrets_banner.message.text()
    window.document.apply(replace(window.document.integration, name="changed"), "Rename")
    assert window.open_path(path, ask=False)
    variable = window.document.integration.variable("ApiKey")
    assert variable is not None
    assert variable.value == SECRET


def test_a_secret_from_the_environment_wins(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "env.integration.json"
    path.write_text(
        '{"format": "uptrends-studio.integration", "version": 1, "name": "Env", '
        '"variables": [{"name": "ApiKey", "mode": "here", "secret": true, "source": "env"}], '
        '"steps": []}\n',
        encoding="utf-8",
    )
    os.environ["UPTRENDS_SECRET_APIKEY"] = "from-the-environment"
    try:
        assert window.open_path(path, ask=False)
    finally:
        del os.environ["UPTRENDS_SECRET_APIKEY"]
    variable = window.document.integration.variable("ApiKey")
    assert variable is not None
    assert variable.value == "from-the-environment"


def test_the_variables_tab_says_where_a_secret_value_is_kept(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    integration = window.document.integration
    window.document.apply(
        replace(
            integration,
            variables=(*integration.variables, Variable("ApiKey", value=SECRET, secret=True)),
        ),
        "Add ApiKey",
    )
    tab = window.variables_tab
    window.show_tab(tab)
    tab.table.selectRow(2)
    qtbot.waitUntil(lambda: tab.secret_source.text() != "", timeout=3000)
    assert tab.secret_source.text() == "Value kept in the memory (this session only) when saved"
    assert "UPTRENDS_SECRET_APIKEY" in tab.secret_source.toolTip()
    assert window._save_to(tmp_path / "a.integration.json")
    tab.table.selectRow(0)
    tab.table.selectRow(2)
    qtbot.waitUntil(lambda: "from the" in tab.secret_source.text(), timeout=3000)
    tab.table.selectRow(0)  # ApiUrl is not secret: no line
    qtbot.waitUntil(lambda: tab.secret_source.isHidden(), timeout=3000)


def add_secret(window: MainWindow) -> None:
    integration = window.document.integration
    window.document.apply(
        replace(
            integration,
            variables=(*integration.variables, Variable("ApiKey", value=SECRET, secret=True)),
        ),
        "Add ApiKey",
    )


def test_without_a_keyring_the_banner_keeps_secrets_in_a_dotenv(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    add_secret(window)
    path = tmp_path / "acme.integration.json"
    assert window._save_to(path)
    banner = window.secrets_banner
    assert banner.isVisible()
    assert banner.message.text().startswith("No system keyring: 1 secret value of this")
    qtbot.mouseClick(banner.dotenv_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    dotenv = tmp_path / ".env"
    assert dotenv.stat().st_mode & 0o077 == 0  # readable by the owner only
    assert read_dotenv(tmp_path)["UPTRENDS_SECRET_APIKEY"] == SECRET
    # Another session, with nothing in memory and no keyring: the value is found in .env.
    loaded = integration_file.load_with_secrets(path, store=MemoryStore(), env={})
    variable = loaded.integration.variable("ApiKey")
    assert variable is not None
    assert variable.value == SECRET
    assert "Kept 1 secret value in" in window.statusBar().currentMessage()


def test_this_session_only_closes_the_banner(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    add_secret(window)
    assert window._save_to(tmp_path / "acme.integration.json")
    qtbot.mouseClick(window.secrets_banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not window.secrets_banner.isVisible()
    assert not (tmp_path / ".env").exists()


def test_opening_a_file_whose_secrets_are_missing_lists_them(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "colleague.integration.json"
    path.write_text(
        '{"format": "uptrends-studio.integration", "version": 1, "name": "Colleague", '
        '"variables": [{"name": "ApiKey", "mode": "here", "secret": true, "source": "keyring"},'
        ' {"name": "Token", "mode": "here", "secret": true, "source": "env"}], '
        '"steps": []}\n',
        encoding="utf-8",
    )
    assert window.open_path(path, ask=False)
    banner = window.secrets_banner
    assert banner.isVisible()
    text = banner.message.text()
    assert "2 secret values are not available" in text
    assert "secret variable &#x27;ApiKey&#x27;: set UPTRENDS_SECRET_APIKEY" in text
    assert "UPTRENDS_SECRET_TOKEN" in text
    assert not banner.dotenv_button.isVisible()
