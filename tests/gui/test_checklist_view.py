"""Tools → Copy to Uptrends: the checklist view, its Copy ticks, secrets and refreshes."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import (
    Authentication,
    AuthType,
    Header,
    Integration,
    Step,
    Variable,
)
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.secrets import MASK, secret_values
from uptrends_studio.gui.checklist_view import (
    COPIED_TEXT,
    COPY_TEXT,
    ChecklistDialog,
    ChecklistView,
)
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.main_window import DEMO_PATH
from uptrends_studio.gui.sample_state import SampleState

TOKEN = "tok-live-8f3a2c91e7"
PASSWORD = "hunter2-basic"


def _view(
    qtbot: QtBot, integration: Integration, secrets: list[str] | None = None
) -> ChecklistView:
    view = ChecklistView()
    qtbot.addWidget(view)
    view.resize(800, 700)
    view.set_integration(integration, secrets or [])
    view.show()
    qtbot.waitExposed(view)
    return view


def _secret_integration() -> Integration:
    return Integration(
        name="Ops hook",
        variables=(
            Variable("ApiUrl", value="https://ops.example.com/hook"),
            Variable("ApiToken", value=TOKEN, secret=True, description="The hook's token."),
        ),
        steps=(
            Step(
                "Send",
                headers=(Header("Authorization", "Bearer {{ApiToken}}"),),
                body='{\n  "text": "{{@alert.description}}"\n}',
                authentication=Authentication(AuthType.BASIC, "ops", PASSWORD),
            ),
        ),
    )


def _headings(view: ChecklistView) -> list[str]:
    return [label.text() for label in view.findChildren(QLabel, "checklistHeading")]


def test_demo_sections_in_uptrends_screen_order(qtbot: QtBot) -> None:
    demo = integration_file.load(DEMO_PATH)
    view = _view(qtbot, demo)

    headings = _headings(view)
    assert headings[:2] == ["1. Main tab", "2. Predefined variables"]
    steps = headings[2:-2]
    assert len(steps) == len(demo.steps)
    for number, (heading, step) in enumerate(zip(steps, demo.steps, strict=True), start=3):
        assert heading == f"{number}. Customizations: step {number - 2} '{step.name}'"
    assert [h.split(". ", 1)[1] for h in headings[-2:]] == [
        "User-defined functions",
        "Escalation levels",
    ]
    first = view.items()[0]
    assert (first.label, first.value) == ("Integration type", "Uptrends integration")


def test_copy_puts_the_value_on_the_clipboard_and_ticks_it(qtbot: QtBot) -> None:
    view = _view(qtbot, integration_file.load(DEMO_PATH))
    index = view.index_of("Integration name")
    button = view.copy_buttons()[index]
    assert button.text() == COPY_TEXT
    assert view.progress_label.text().startswith("0 of ")
    assert not view.reset_button.isEnabled()

    with qtbot.waitSignal(view.item_copied) as copied:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert copied.args == ["Integration name"]
    assert QApplication.clipboard().text() == "Demo: Uptrends integration"
    assert button.text() == COPIED_TEXT
    assert view.is_ticked(index)
    assert view.progress_label.text().startswith("1 of ")

    body = view.index_of("Request body")
    body_box = view.value_widget(body).findChild(QPlainTextEdit)
    assert body_box is not None
    assert body_box.toPlainText() == view.items()[body].value
    qtbot.mouseClick(view.copy_buttons()[body], Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == view.items()[body].value
    assert "\n" in QApplication.clipboard().text()

    qtbot.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    assert button.text() == COPY_TEXT
    assert view.tick_count() == 0
    assert view.progress_label.text().startswith("0 of ")


def test_secret_rows_show_the_mask_and_cannot_be_copied(qtbot: QtBot, catalogue: Catalogue) -> None:
    integration = _secret_integration()
    sample = find_sample(None, catalogue)
    view = _view(qtbot, integration, secret_values(integration, sample))
    QApplication.clipboard().setText("before")

    for label in ("Variable 2 value", "Password"):
        index = view.index_of(label)
        item = view.items()[index]
        field = view.value_widget(index)
        assert isinstance(field, QLineEdit)
        assert field.text() == MASK
        button = view.copy_buttons()[index]
        assert not button.isEnabled()
        assert "never put on the clipboard" in button.toolTip()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert QApplication.clipboard().text() == "before"
        assert "type the real value in Uptrends" in item.note
        column = field.parentWidget()
        assert column is not None
        notes = [n.text() for n in column.findChildren(QLabel, "checklistNote")]
        assert any("type the real value in Uptrends" in note for note in notes)

    shown = [w.text() for w in view.findChildren(QLineEdit)]
    shown += [w.toPlainText() for w in view.findChildren(QPlainTextEdit)]
    shown += [w.text() for w in view.findChildren(QLabel)]
    assert not [text for text in shown if TOKEN in text or PASSWORD in text]
    assert "2 secret fields to type yourself" in view.progress_label.text()

    qtbot.mouseClick(view.copy_all_button, Qt.MouseButton.LeftButton)
    everything = QApplication.clipboard().text()
    assert "Uptrends checklist: Ops hook" in everything
    assert TOKEN not in everything
    assert PASSWORD not in everything


def test_refresh_keeps_the_ticks_of_unchanged_items(qtbot: QtBot) -> None:
    integration = _secret_integration()
    view = _view(qtbot, integration)
    name = view.index_of("Integration name")
    url = view.index_of("URL")
    view.copy_buttons()[name].click()
    view.copy_buttons()[url].click()
    assert view.tick_count() == 2

    changed = replace(integration, steps=(replace(integration.steps[0], url="{{ApiUrl}}/v2"),))
    view.set_integration(changed, [])

    assert view.is_ticked(view.index_of("Integration name"))
    assert view.copy_buttons()[view.index_of("Integration name")].text() == COPIED_TEXT
    new_url = view.index_of("URL")
    assert view.items()[new_url].value == "{{ApiUrl}}/v2"
    assert not view.is_ticked(new_url)
    assert view.copy_buttons()[new_url].text() == COPY_TEXT
    assert view.tick_count() == 1


def test_dialog_follows_the_document(qtbot: QtBot, catalogue: Catalogue) -> None:
    document = IntegrationDocument(integration_file.load(DEMO_PATH))
    samples = SampleState(find_sample(None, catalogue), "https")
    dialog = ChecklistDialog(document, samples, debounce_ms=0)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    index = dialog.view.index_of("Integration name")
    field = dialog.view.value_widget(index)
    assert isinstance(field, QLineEdit)
    assert field.text() == "Demo: Uptrends integration"

    document.apply(replace(document.integration, name="Renamed"), "Rename")

    def renamed() -> bool:
        widget = dialog.view.value_widget(dialog.view.index_of("Integration name"))
        return isinstance(widget, QLineEdit) and widget.text() == "Renamed"

    qtbot.waitUntil(renamed, timeout=2000)
    assert dialog.windowTitle() == "Copy to Uptrends — Renamed"
