"""Opening a hostile file in the window: the message names the file, nothing is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.core.test_hostile_files import FILE_CASES
from uptrends_studio.gui.main_window import MainWindow


@pytest.mark.parametrize("case", list(FILE_CASES))
def test_opening_a_hostile_file_keeps_the_document(
    case: str, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make, expected = FILE_CASES[case]
    path = tmp_path / "hostile.integration.json"
    make(path)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    before = window.document.integration
    assert not window.open_path(path, ask=False)
    assert len(shown) == 1
    assert shown[0].startswith(str(path))
    assert expected.lower() in shown[0].lower()
    assert window.document.integration == before
    assert window.document.path != path
