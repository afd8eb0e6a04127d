"""An editor on :class:`SmallContext`, shown offscreen."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from tests.gui.editor.helpers import SmallContext
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.gui.template_editor import TemplateEditor


@pytest.fixture
def editor(qtbot: QtBot, catalogue: Catalogue) -> TemplateEditor:
    widget = TemplateEditor(SmallContext(), catalogue=catalogue)
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
