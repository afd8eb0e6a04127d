"""Repeated live updates must not crash: the widgets are rebuilt hundreds of times a session."""

from __future__ import annotations

import gc
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document.model import AlertType, Integration, Step
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.preview import compute_preview
from uptrends_studio.gui.message_types_tab import MessageTypesTab


def test_message_types_tab_survives_many_updates(qtbot: QtBot, catalogue: Catalogue) -> None:
    tab = MessageTypesTab()
    qtbot.addWidget(tab)
    sample = find_sample(None, catalogue)
    good = Integration("t", steps=(Step("A"),))
    twice = Integration("t", steps=(Step("A"), Step("B", alert_types=(AlertType.OK,))))
    for number in range(300):
        integration = twice if number % 2 else good
        integration = replace(integration, name=f"t{number}")
        tab.set_preview(compute_preview(integration, sample, catalogue), integration, sample)
        if number % 25 == 0:
            gc.collect()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    assert any("Ok" in text for text in tab.problem_texts())
