"""The window fits laptop and projector screens: no clipped text, no controls over each other.

Each test resizes the window to a common screen size, in normal and presentation mode, light
and dark, walks every tab (and the dialogs) and fails on any label narrower than its text, any
button narrower than its size hint, any squashed control and any two overlapping siblings.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDeadlineTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from uptrends_studio.gui.layout_audit import ELIDES, audit
from uptrends_studio.gui.main_window import MainWindow

SIZES = [(1280, 720), (1366, 768), (1920, 1080)]
THEMES = ("light", "dark")


@pytest.fixture
def restore_theme() -> Iterator[None]:
    """The theme is the application's: put it back for the next test in this process."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, palette = app.style().name(), app.palette()
    yield
    app.setStyle(style)
    app.setPalette(palette)


def settle(window: MainWindow) -> None:
    """Let the layouts run (queued resizes, style polish) before measuring."""
    deadline = QDeadlineTimer(30)
    QApplication.processEvents()
    while not deadline.hasExpired():
        QApplication.processEvents()
    window.repaint()


def walk(window: MainWindow, where: str) -> list[str]:
    """Every tab (and the Customizations sub-tabs): the problems found, labelled."""
    found: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        sections = (
            range(window.customizations_tab.sections.count())
            if window.current_tab() is window.customizations_tab
            else [None]
        )
        for section in sections:
            if section is not None:
                window.customizations_tab.sections.setCurrentIndex(section)
            settle(window)
            tab = window.tabs.tabText(index).replace("&&", "&")
            found += [f"{where}, {tab}: {p}" for p in audit(window)]
        window.customizations_tab.sections.setCurrentIndex(0)
    return found


@pytest.mark.usefixtures("restore_theme")
@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_tab_fits_without_clipping_or_overlap(
    window: MainWindow, size: tuple[int, int], presentation: bool
) -> None:
    window.set_presentation_mode(presentation)
    window.resize(*size)
    window.secrets_banner.show_no_keyring(2)  # the tallest banner above the tabs
    found: list[str] = []
    for theme in THEMES:
        window.set_theme(theme)
        found += walk(window, f"{size[0]}x{size[1]} {theme}")
    assert found == []
    assert window.width() <= size[0]  # the window's minimum never pushes it off the screen
    assert window.height() <= size[1]


@pytest.mark.parametrize(
    ("presentation", "lines"), [(False, 20), (True, 12)], ids=["normal", "presentation"]
)
def test_the_body_editor_comes_first_on_a_720p_screen(
    window: MainWindow, presentation: bool, lines: int
) -> None:
    window.set_presentation_mode(presentation)
    window.resize(1280, 720)
    window.show_tab(window.customizations_tab)
    settle(window)
    body = window.customizations_tab.step_editor.body
    assert body.viewport().height() // body.fontMetrics().lineSpacing() >= lines
    assert window.preview_pane.isVisible()  # beside the editor
    preview_left = window.preview_pane.mapTo(window, window.preview_pane.rect().topLeft()).x()
    assert preview_left > body.mapTo(window, body.rect().topRight()).x()
    # Authentication is folded to one line while the step uses none.
    assert not window.customizations_tab.step_editor.auth_section.is_expanded()
    assert window.customizations_tab.steps.height() < 3 * body.fontMetrics().lineSpacing()


def test_problems_stay_in_sight_in_presentation_mode(qtbot: QtBot, window: MainWindow) -> None:
    window.set_presentation_mode(True)
    window.show_tab(window.customizations_tab)
    body = window.customizations_tab.step_editor.body
    body.goto(1, 2)
    qtbot.keyClicks(body, '"broken": {{@alert.nope}},')
    qtbot.waitUntil(lambda: window.problems_model.rowCount() > 0)
    count = window.problems_model.rowCount()
    assert window.problems_badge.text() == f"⚠ {count} problem{'s' if count > 1 else ''}"
    assert window.problems_badge.isVisible()
    assert not window.problems_dock.isVisible()
    window.problems_badge.click()
    assert window.problems_dock.isVisible()
    assert window.problems.height() > 2 * window.problems.fontMetrics().height()


@pytest.mark.usefixtures("restore_theme")
@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_the_dialogs_fit_a_720p_screen(
    qtbot: QtBot, window: MainWindow, presentation: bool
) -> None:
    window.set_presentation_mode(presentation)
    window.resize(1280, 720)
    found: list[str] = []
    dialogs: list[QWidget] = [window.show_checklist(), window.customizations_tab.import_request()]
    window.document.load(window.document.integration, None)  # no "save first?" question
    gallery = window.new_from_template()
    assert gallery is not None
    dialogs.append(gallery)
    for dialog in dialogs:
        if presentation:
            dialog.setStyleSheet(window.styleSheet())
        for theme in THEMES:
            window.set_theme(theme)
            qtbot.waitExposed(dialog)
            settle(window)
            found += [f"{type(dialog).__name__} {theme}: {p}" for p in audit(dialog)]
        dialog.close()
    assert found == []


def test_the_audit_reports_what_a_user_would_see(qtbot: QtBot) -> None:
    """The checker itself: a cut label, a narrow button, two buttons on top of each other."""
    page = QWidget()
    qtbot.addWidget(page)
    page.resize(400, 100)
    label = QLabel("A label far longer than its room", page)
    label.setGeometry(0, 0, 40, 20)
    first = QPushButton("Reminder", page)
    first.setGeometry(100, 40, 30, 30)
    second = QPushButton("Ok", page)
    second.setGeometry(110, 40, 80, 30)
    elided = QLabel("Shortened on purpose…", page)
    elided.setProperty(ELIDES, True)
    elided.setGeometry(300, 0, 20, 20)
    page.show()
    qtbot.waitExposed(page)
    kinds = sorted(p.kind for p in audit(page))
    assert kinds == ["clipped button", "clipped label", "overlap"]
