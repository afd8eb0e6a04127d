"""The window's gallery, import and checklist entries: from the menu shortcut to the document."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document.model import AlertType
from uptrends_studio.gui.checklist_view import ChecklistDialog
from uptrends_studio.gui.gallery_dialog import GalleryDialog
from uptrends_studio.gui.import_dialog import ImportRequestDialog
from uptrends_studio.gui.main_window import MainWindow

PAGERDUTY_CURL = """curl --request POST \\
  --url https://events.pagerduty.com/v2/enqueue \\
  --header 'Content-Type: application/json' \\
  --data '{"routing_key": "R0UT1NGKEY", "event_action": "trigger"}'"""


def test_new_from_template_loads_the_chosen_template_unsaved(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.keyClick(
        window,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    dialog = window.findChild(GalleryDialog)
    assert dialog is not None
    qtbot.keyClicks(dialog.search_edit, "pager")
    assert [e.target for e in dialog.entries()] == ["pagerduty"]
    dialog.accept()
    assert window.document.integration.target == "pagerduty"
    assert window.document.path is None
    assert window.document.is_dirty()
    assert "PagerDuty" in window.variables_tab.name_edit.text()


def test_import_from_curl_appends_a_step_that_can_be_undone(
    qtbot: QtBot, window: MainWindow
) -> None:
    before = window.document.integration
    window.import_request()
    dialog = window.findChild(ImportRequestDialog)
    assert dialog is not None
    assert window.current_tab() is window.customizations_tab
    dialog.set_text(PAGERDUTY_CURL)
    dialog.parse_now()
    assert dialog.add_button.isEnabled()
    dialog.accept()
    steps = window.document.integration.steps
    assert len(steps) == 2
    assert steps[1].url == "https://events.pagerduty.com/v2/enqueue"
    assert steps[1].body == '{"routing_key": "R0UT1NGKEY", "event_action": "trigger"}'
    # The demo's step already sends every type: the imported one is a helper step.
    assert steps[1].alert_types == ()
    assert AlertType.ERROR in steps[0].alert_types
    window.document.undo_stack.undo()
    assert window.document.integration == before


def test_a_pasted_customer_setup_asks_which_types_it_sends(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Support pastes a customer's curl: the step serves the types the user ticks."""
    window.import_request()
    dialog = window.findChild(ImportRequestDialog)
    assert dialog is not None
    # Every type is sent by the demo's step already: none is ticked, and the dialog says so.
    assert dialog.alert_types() == ()
    assert dialog.type_hint.text() == "None ticked: a helper step that runs first"
    dialog.set_text(PAGERDUTY_CURL)
    dialog.parse_now()
    qtbot.mouseClick(dialog.type_boxes[AlertType.ERROR], Qt.MouseButton.LeftButton)
    assert dialog.type_hint.text() == ""
    dialog.accept()
    steps = window.document.integration.steps
    assert steps[1].alert_types == (AlertType.ERROR,)


def test_a_pasted_setup_can_replace_the_selected_step(qtbot: QtBot, window: MainWindow) -> None:
    before = window.document.integration.steps[0]
    window.import_request()
    dialog = window.findChild(ImportRequestDialog)
    assert dialog is not None
    assert dialog.replace_selected.text() == "Replace step 'Send alert'"
    qtbot.mouseClick(dialog.replace_selected, Qt.MouseButton.LeftButton)
    assert dialog.add_button.text() == "Replace step"
    assert dialog.alert_types() == before.alert_types  # the replaced step's types
    dialog.set_text(PAGERDUTY_CURL)
    dialog.parse_now()
    dialog.accept()
    [step] = window.document.integration.steps
    assert step.url == "https://events.pagerduty.com/v2/enqueue"
    assert step.alert_types == before.alert_types
    window.document.undo_stack.undo()
    assert window.document.integration.steps == (before,)


def test_copy_to_uptrends_opens_one_checklist(qtbot: QtBot, window: MainWindow) -> None:
    first = window.show_checklist()
    assert isinstance(first, ChecklistDialog)
    assert window.show_checklist() is first
    titles = [section.title for section in first.view.sections()]
    assert titles[0].startswith("Main")
    first.close()


def test_target_rules_show_in_the_message_types_tab(qtbot: QtBot, window: MainWindow) -> None:
    from dataclasses import replace

    from uptrends_studio.core.document.gallery import gallery_entries, load_template

    entry = next(e for e in gallery_entries() if e.target == "pagerduty")
    integration = load_template(entry)
    step = integration.steps[0]
    # A summary the target refuses: PagerDuty's limit is 1024 characters.
    body = step.body.replace('"summary": "', '"summary": "' + "x" * 1100, 1)
    window.document.load(replace(integration, steps=(replace(step, body=body),)), None)
    window.show_tab(window.message_types_tab)
    window.controller.refresh_now()

    def shown() -> bool:
        texts = window.message_types_tab.problem_texts()
        return any("at most 1,024" in t and t.endswith("(Error)") for t in texts)

    qtbot.waitUntil(shown, timeout=5000)


def test_export_handover_sheet_includes_the_last_test_result(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    from tests.gui.test_test_tab import point_at_port
    from tests.support import free_port

    point_at_port(window, free_port())
    window.send_test_alert()
    qtbot.waitUntil(lambda: not window.test_tab.is_busy(), timeout=10_000)
    target = tmp_path / "handover.html"
    assert window.export_handover(target)
    text = target.read_text(encoding="utf-8")
    assert "Demo: Uptrends integration" in text
    assert "No test has been sent yet." not in text
    assert "200 OK" in text
    assert "http" not in "".join(
        line for line in text.splitlines() if "src=" in line or "href=" in line
    )
    assert window.export_handover(tmp_path / "handover.txt", markdown=True)
    assert (tmp_path / "handover.md").read_text(encoding="utf-8").startswith("#")
    assert "Exported the handover sheet" in window.statusBar().currentMessage()
