"""The sample-set table models: rows, roles, edits, and qtmodeltester on each."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from uptrends_studio.core.document.model import AlertType, Integration, Variable, VariableMode
from uptrends_studio.core.document.sample_edit import ValueSource
from uptrends_studio.core.document.samples import SampleSet, alert_data, find_sample
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.secrets import MASK
from uptrends_studio.gui.sample_models import (
    PREVIEW_CHARS,
    CustomFieldsModel,
    EscalationValuesModel,
    SampleValuesModel,
    VaultModel,
    is_long,
    preview_text,
)

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole


def _check(tester: ModelTester, model: QAbstractItemModel) -> None:
    """``qtmodeltester.check`` (pytest-qt is not typed), then keep checking every change."""
    check: Callable[[QAbstractItemModel], None] = tester.check
    check(model)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def https(catalogue: Catalogue) -> SampleSet:
    return find_sample("https", catalogue)


@pytest.fixture(scope="module")
def edge(catalogue: Catalogue) -> SampleSet:
    return find_sample("edge-cases", catalogue)


def _edits(
    model: SampleValuesModel | CustomFieldsModel | VaultModel | EscalationValuesModel,
) -> list[SampleSet]:
    seen: list[SampleSet] = []
    model.edited.connect(seen.append)
    return seen


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        ("a\r\nb\nc\rd", "a⏎b⏎c⏎d"),
        ("tab\there", "tab⇥here"),
        ("bell[\x07]", "bell[␇]"),
        ("x" * 500, "x" * PREVIEW_CHARS + "…"),
    ],
)
def test_preview_text_is_one_short_line(value: str, expected: str) -> None:
    assert preview_text(value) == expected


@pytest.mark.parametrize(
    ("value", "long"), [("short", False), ("two\nlines", True), ("x" * 201, True), ("", False)]
)
def test_is_long(value: str, long: bool) -> None:
    assert is_long(value) is long


def test_values_model_rows_follow_the_catalogue(
    qtmodeltester: ModelTester, catalogue: Catalogue, https: SampleSet
) -> None:
    model = SampleValuesModel(catalogue)
    model.set_sample(https)
    _check(qtmodeltester, model)
    names = [model.index(r, SampleValuesModel.VARIABLE).data() for r in range(model.rowCount())]
    assert "@monitor.name" in names
    assert not any(n.startswith("@CustomField") for n in names)
    assert model.columnCount() == 3
    assert model.headerData(SampleValuesModel.DESCRIPTION, Qt.Orientation.Horizontal) == (
        "Description"
    )
    row = model.row_of("@monitor.name")
    assert model.index(row, SampleValuesModel.VALUE).data() == https.values["@monitor.name"]
    description = catalogue.variable("@monitor.name")
    assert description is not None
    assert model.index(row, SampleValuesModel.DESCRIPTION).data() == description.description


def test_values_model_edit_for_one_type(
    qtmodeltester: ModelTester, catalogue: Catalogue, https: SampleSet
) -> None:
    model = SampleValuesModel(catalogue)
    model.set_sample(https)
    _check(qtmodeltester, model)
    model.set_alert_type(AlertType.OK)
    seen = _edits(model)
    index = model.index(model.row_of("@monitor.name"), SampleValuesModel.VALUE)
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(index, "ok only", EDIT)
    (edited,) = seen
    assert edited.per_type[AlertType.OK]["@monitor.name"] == "ok only"
    assert edited.values == https.values
    assert (
        alert_data(edited, AlertType.ERROR, catalogue).values["@monitor.name"]
        == (https.values["@monitor.name"])
    )
    assert index.data() == "ok only"
    assert index.data(SampleValuesModel.SOURCE_ROLE) == ValueSource.TYPE
    font = model.index(index.row(), SampleValuesModel.VARIABLE).data(Qt.ItemDataRole.FontRole)
    assert font.bold()  # set for this type only


def test_values_model_refuses_a_bad_utc_time(catalogue: Catalogue, https: SampleSet) -> None:
    model = SampleValuesModel(catalogue)
    model.set_sample(https)
    refused: list[str] = []
    model.refused.connect(refused.append)
    seen = _edits(model)
    index = model.index(model.row_of("@alert.timestampUtc"), SampleValuesModel.VALUE)
    assert not model.setData(index, "next tuesday", EDIT)
    assert seen == []
    assert "@alert.timestampUtc" in refused[0]
    assert model.sample is https


def test_values_model_derived_value_is_computed_until_edited(
    catalogue: Catalogue, https: SampleSet
) -> None:
    model = SampleValuesModel(catalogue)
    model.set_sample(https)
    model.set_alert_type(AlertType.ERROR)
    row = model.row_of("@alert.timestamp")
    index = model.index(row, SampleValuesModel.VALUE)
    computed = alert_data(https, AlertType.ERROR, catalogue).values["@alert.timestamp"]
    assert index.data() == computed
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "Computed from @alert.timestampUtc" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert not model.can_reset(row)
    assert model.reset_label(row) == "Reset to computed value"

    assert model.setData(index, "2000-01-01T00:00:00", EDIT)
    assert index.data() == "2000-01-01T00:00:00"
    assert index.data(Qt.ItemDataRole.FontRole) is None  # normal font: explicit
    assert index.data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.can_reset(row)

    model.reset(row)
    assert index.data() == computed
    assert "@alert.timestamp" not in model.sample.per_type.get(AlertType.ERROR, {})


def test_values_model_defaults_are_dim(catalogue: Catalogue) -> None:
    model = SampleValuesModel(catalogue)
    model.set_sample(SampleSet(name="empty"))
    index = model.index(model.row_of("@monitor.name"), SampleValuesModel.VALUE)
    assert index.data() == catalogue.default_values["@monitor.name"]
    assert index.data(SampleValuesModel.SOURCE_ROLE) == ValueSource.DEFAULT
    assert index.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.reset_label(index.row()) == "Reset to default"


def test_values_model_never_displays_the_megabyte_body(
    qtmodeltester: ModelTester, catalogue: Catalogue, edge: SampleSet
) -> None:
    model = SampleValuesModel(catalogue)
    model.set_sample(edge)
    _check(qtmodeltester, model)
    index = model.index(model.row_of("@alert.responseBody"), SampleValuesModel.VALUE)
    body = edge.values["@alert.responseBody"]
    assert len(body) >= 1_000_000
    shown = index.data(DISPLAY)
    assert len(shown) < 300
    assert "\n" not in shown
    assert shown.endswith("…")
    assert len(index.data(Qt.ItemDataRole.ToolTipRole)) < 1000
    assert index.data(SampleValuesModel.LONG_ROLE) is True
    assert index.data(SampleValuesModel.FULL_VALUE_ROLE) == body


def test_values_model_all_types_marks_differences(catalogue: Catalogue, https: SampleSet) -> None:
    model = SampleValuesModel(catalogue)
    model.set_sample(https)
    index = model.index(model.row_of("@alert.type"), SampleValuesModel.VALUE)
    assert index.data() == "(differs per type)"
    assert "Ok: Ok" in index.data(Qt.ItemDataRole.ToolTipRole)
    stamp = model.index(model.row_of("@alert.timestampUtc"), SampleValuesModel.VALUE)
    assert "Reminder, Ok have a value of its own" in stamp.data(Qt.ItemDataRole.ToolTipRole)


def test_escalation_model_follows_the_integration(
    qtmodeltester: ModelTester, https: SampleSet
) -> None:
    model = EscalationValuesModel()
    _check(qtmodeltester, model)
    model.set_sample(SampleSet(name="s"))
    assert model.rowCount() == 0
    model.set_integration(
        Integration(
            name="i",
            variables=(
                Variable("ApiUrl", value="https://x.test"),
                Variable("Team", VariableMode.ESCALATION_LEVEL),
                Variable("Room", VariableMode.ESCALATION_LEVEL),
            ),
        )
    )
    assert [model.key(r) for r in range(model.rowCount())] == ["Team", "Room"]
    assert model.index(0, EscalationValuesModel.VALUE).data() == "(no value)"
    seen = _edits(model)
    assert model.setData(model.index(1, EscalationValuesModel.VALUE), "42", EDIT)
    assert dict(seen[-1].escalation_level) == {"Room": "42"}
    assert model.index(1, EscalationValuesModel.VALUE).data() == "42"
    model.clear(1)
    assert dict(model.sample.escalation_level) == {}

    model.set_sample(https)  # values for names the integration lacks are listed after
    assert model.rowCount() == 2 + len([k for k in https.escalation_level if k != "Team"])
    model.set_integration(Integration(name="none"))
    assert model.rowCount() == len(https.escalation_level)
    assert not model.declared(0)


def test_custom_fields_model_add_rename_remove(
    qtmodeltester: ModelTester, https: SampleSet
) -> None:
    model = CustomFieldsModel()
    model.set_sample(https)
    _check(qtmodeltester, model)
    before = model.rowCount()
    seen = _edits(model)
    row = model.add()
    assert model.rowCount() == before + 1
    assert seen[-1].custom_fields[model.key(row)] == ""
    assert model.setData(model.index(row, CustomFieldsModel.NAME), "Owner", EDIT)
    assert model.setData(model.index(row, CustomFieldsModel.VALUE), "me", EDIT)
    assert seen[-1].custom_fields["Owner"] == "me"
    assert list(seen[-1].custom_fields)[-1] == "Owner"

    refused: list[str] = []
    model.refused.connect(refused.append)
    first = model.key(0)
    assert not model.setData(model.index(row, CustomFieldsModel.NAME), first, EDIT)
    assert refused
    assert "already" in refused[0]

    model.remove([row])
    assert "Owner" not in model.sample.custom_fields
    assert model.rowCount() == before


def test_vault_model_masks_and_adds(qtmodeltester: ModelTester, https: SampleSet) -> None:
    model = VaultModel()
    model.set_sample(https)
    _check(qtmodeltester, model)
    item = next(iter(https.vault))
    password = model.index(0, VaultModel.PASSWORD)
    assert password.data() == MASK
    assert password.data(VaultModel.MASKED_ROLE) is True
    assert https.vault[item]["Password"] not in password.data(Qt.ItemDataRole.ToolTipRole)
    model.set_show_passwords(True)
    assert password.data() == https.vault[item]["Password"]

    seen = _edits(model)
    row = model.add()
    guid = model.key(row)
    assert len(guid) == 36
    assert guid.count("-") == 4
    assert model.setData(model.index(row, VaultModel.USERNAME), "svc", EDIT)
    assert model.setData(model.index(row, VaultModel.PASSWORD), "pw", EDIT)
    assert dict(seen[-1].vault[guid]) == {"Username": "svc", "Password": "pw"}
    model.remove([0])
    assert item not in model.sample.vault
    assert list(model.sample.vault) == [guid]


def test_set_sample_with_the_same_sample_is_quiet(
    qtbot: QtBot, catalogue: Catalogue, https: SampleSet
) -> None:
    model = SampleValuesModel(catalogue)
    model.set_sample(https)
    with qtbot.assertNotEmitted(model.dataChanged), qtbot.assertNotEmitted(model.modelReset):
        model.set_sample(https)
