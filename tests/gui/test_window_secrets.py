"""Secret values through the window: never in the file, back when the file is opened again."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from uptrends_studio.core.document.model import Variable
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
    # Without a system keyring the user is told where the value is kept.
    assert "in memory" in window.statusBar().currentMessage()
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
    window.tabs.setCurrentWidget(tab)
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
