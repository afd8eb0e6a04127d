"""The Message types tab: which step sends each type, coverage, and the three messages compared."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from tests.gui.test_preview_pane import API, TOKEN, make_integration, render
from uptrends_studio.core.document.model import AlertType, Integration
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.secrets import MASK
from uptrends_studio.gui.message_types_tab import CellState, MessageTypesTab, StepMatrixModel

TYPES = (AlertType.ERROR, AlertType.REMINDER, AlertType.OK)


def make_tab(qtbot: QtBot, integration: Integration | None = None) -> MessageTypesTab:
    integration = integration or make_integration()
    preview, sample = render(integration)
    tab = MessageTypesTab()
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.set_preview(preview, integration, sample)
    return tab


def cells(model: StepMatrixModel, role: int) -> list[list[object]]:
    return [
        [model.data(model.index(row, column), role) for column in (1, 2, 3)]
        for row in range(model.rowCount())
    ]


def ticked_twice() -> Integration:
    """Error ticked on the create step and again on the resolve step."""
    integration = make_integration()
    resolve = replace(integration.steps[2], alert_types=(AlertType.OK, AlertType.ERROR))
    return replace(integration, steps=(*integration.steps[:2], resolve))


def test_matrix_shows_which_step_sends_each_type(qtbot: QtBot) -> None:
    tab = make_tab(qtbot)
    model = tab.model
    assert [model.data(model.index(r, 0)) for r in range(3)] == [
        "Get access token",
        "Create incident",
        "Resolve incident",
    ]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Step",
        "Error",
        "Reminder",
        "Ok",
    ]
    assert cells(model, Qt.ItemDataRole.DisplayRole) == [
        ["helper", "helper", "helper"],
        ["✓", "✓", ""],
        ["", "", "✓"],
    ]
    assert cells(model, StepMatrixModel.CELL_STATE_ROLE)[1] == ["message", "message", "none"]


def test_helpers_do_not_run_for_a_type_that_sends_nothing(qtbot: QtBot) -> None:
    tab = make_tab(qtbot, make_integration(with_ok=False))
    assert cells(tab.model, Qt.ItemDataRole.DisplayRole) == [
        ["helper", "helper", ""],
        ["✓", "✓", ""],
    ]
    assert tab.problem_texts() == ["No step has Ok ticked: Ok messages are not sent."]


def test_a_type_ticked_twice_is_marked_red_with_an_explanation(qtbot: QtBot) -> None:
    tab = make_tab(qtbot, ticked_twice())
    model = tab.model
    assert model.state(1, AlertType.ERROR) is CellState.CONFLICT
    assert model.state(2, AlertType.ERROR) is CellState.IGNORED
    ignored = model.index(2, StepMatrixModel.COLUMN_ERROR)
    assert model.data(ignored) == "ticked twice"
    tooltip = str(model.data(ignored, Qt.ItemDataRole.ToolTipRole))
    assert "already ticked on step 2 ('Create incident')" in tooltip
    foreground = model.data(ignored, Qt.ItemDataRole.ForegroundRole)
    assert foreground is not None
    assert foreground.red() > 150 > foreground.green()  # type: ignore[attr-defined]
    assert model.data(model.index(1, StepMatrixModel.COLUMN_ERROR)) == "✓"
    assert tab.problem_texts() == [
        "Error is ticked on step 2 ('Create incident') and step 3 ('Resolve incident'); "
        "Uptrends allows it on one step only."
    ]


def test_full_coverage_says_so(qtbot: QtBot) -> None:
    tab = make_tab(qtbot)
    assert tab.problem_texts() == ["Every alert type is sent by exactly one step."]


def test_double_clicking_a_step_row_activates_it(qtbot: QtBot) -> None:
    tab = make_tab(qtbot)
    tab.show()
    qtbot.waitExposed(tab)
    index = tab.model.index(2, StepMatrixModel.COLUMN_OK)
    position = tab.table.visualRect(index).center()
    viewport = tab.table.viewport()
    with qtbot.waitSignal(tab.step_activated) as blocker:
        # A real double click starts with a click; QTest's double click alone does not send it.
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=position)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=position)
        QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=position)
    assert blocker.args == [2]


def test_comparison_shows_each_message_with_head_and_pretty_body(qtbot: QtBot) -> None:
    tab = make_tab(qtbot)
    error = tab.compare_text(AlertType.ERROR)
    assert error.startswith(f"POST {API}/incidents\nContent-Type: application/json\n")
    assert "\n\n{\n" in error
    assert tab.compare_text(AlertType.OK).startswith(f"PUT {API}/incidents/")
    assert tab.compare_view(AlertType.ERROR).toPlainText() == error


def test_differences_are_highlighted_and_shared_lines_are_not(qtbot: QtBot) -> None:
    tab = make_tab(qtbot)
    highlighted = {
        alert_type: [
            tab.compare_text(alert_type)[start:end]
            for start, end in tab.compare_view(alert_type).extra_highlights()
        ]
        for alert_type in TYPES
    }
    assert "Alert" in highlighted[AlertType.ERROR]
    assert "Reminder" in highlighted[AlertType.REMINDER]
    assert "Ok" in highlighted[AlertType.OK]
    assert "POST" in highlighted[AlertType.ERROR]
    assert "PUT" in highlighted[AlertType.OK]
    for alert_type in TYPES:
        text = tab.compare_text(alert_type)
        shared = text.index("Content-Type: application/json")
        shared_end = shared + len("Content-Type: application/json")
        for start, end in tab.compare_view(alert_type).extra_highlights():
            assert end <= shared or start >= shared_end
    selections = tab.compare_view(AlertType.ERROR).extraSelections()
    assert len(selections) == len(tab.compare_view(AlertType.ERROR).extra_highlights())


def test_a_type_that_sends_nothing_is_left_out_of_the_comparison(qtbot: QtBot) -> None:
    tab = make_tab(qtbot, make_integration(with_ok=False))
    assert tab.compare_text(AlertType.OK) == ""
    assert tab.compare_view(AlertType.OK).placeholderText() == (
        "No step has Ok ticked: Uptrends sends nothing for Ok alerts."
    )
    error = [
        tab.compare_text(AlertType.ERROR)[start:end]
        for start, end in tab.compare_view(AlertType.ERROR).extra_highlights()
    ]
    assert "Alert" in error
    assert "POST" not in error  # Error and Reminder share the create request line


def test_secrets_are_masked_in_the_comparison_until_revealed(qtbot: QtBot) -> None:
    tab = make_tab(qtbot)
    assert f"Authorization: Bearer {MASK}" in tab.compare_text(AlertType.ERROR)
    assert TOKEN not in tab.compare_view(AlertType.OK).toPlainText()
    with qtbot.waitSignal(tab.reveal_toggled) as blocker:
        tab.reveal_checkbox().click()
    assert blocker.args == [True]
    assert f"Authorization: Bearer {TOKEN}" in tab.compare_text(AlertType.ERROR)
    assert f"Authorization: Bearer {TOKEN}" in tab.compare_view(AlertType.OK).toPlainText()


def test_a_preview_error_is_shown_and_the_matrix_still_works(qtbot: QtBot) -> None:
    from uptrends_studio.core.language.catalogue import load_catalogue
    from uptrends_studio.core.rendering.preview import compute_preview

    integration = make_integration()
    bad = SampleSet(name="bad", timezone="Mars/Olympus")
    preview = compute_preview(integration, bad, load_catalogue())
    tab = MessageTypesTab()
    qtbot.addWidget(tab)
    tab.set_preview(preview, integration, bad)
    assert all(tab.compare_text(t) == "" for t in TYPES)
    assert tab.model.rowCount() == 3
    banner = tab.findChild(type(tab.columns[AlertType.ERROR].caption), "previewError")
    assert banner is not None
    assert "Mars/Olympus" in banner.text()
    assert not banner.isHidden()


def check_model(tester: ModelTester, model: QAbstractItemModel) -> None:
    tester.check(model)


def test_step_matrix_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = StepMatrixModel()
    check_model(qtmodeltester, model)
    for integration in (make_integration(), ticked_twice(), Integration(name="empty")):
        model.set_integration(integration)
        check_model(qtmodeltester, model)
    model.set_integration(make_integration())
    model.set_dark(True)
    check_model(qtmodeltester, model)
    assert model.data(model.index(2, 1), StepMatrixModel.STEP_INDEX_ROLE) == 2
    assert not model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsEnabled
