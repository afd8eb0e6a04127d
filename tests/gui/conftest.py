"""Fixtures for GUI tests: a main window on the demo with settings in a temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.secret_store import MemoryStore
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.main_window import DEMO_PATH, MainWindow
from uptrends_studio.gui.sample_state import SampleState
from uptrends_studio.gui.settings import Settings


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot: QtBot, catalogue: Catalogue, settings: Settings, tmp_path: Path) -> MainWindow:
    document = IntegrationDocument(integration_file.load(DEMO_PATH))
    samples = SampleState(find_sample(None, catalogue), "https")
    main = MainWindow(
        document,
        samples,
        catalogue,
        settings,
        debounce_ms=0,
        history_root=tmp_path / "history",
        secret_store=MemoryStore(),  # never the keyring of the machine running the tests
    )

    def forget_changes(_widget: object) -> None:
        # pytest-qt closes the window after the test: no "unsaved changes" question then.
        document.load(document.integration, document.path)
        samples.set_sample(samples.sample)  # edited sample values: no question either
        main.test_tab.shutdown()

    qtbot.addWidget(main, before_close_func=forget_changes)
    main.show()
    qtbot.waitUntil(lambda: main.controller.preview.requests != {}, timeout=5000)
    return main
