"""Qt item models over core lists, checked with qtmodeltester."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from uptrends_studio.core.checks.diagnostics import Diagnostic, Severity
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.document.model import Variable, VariableMode, VaultField, VaultRef
from uptrends_studio.core.secrets import MASK
from uptrends_studio.gui.models import DiagnosticsModel, VariablesModel

VARIABLES = (
    Variable("ApiUrl", value="https://x.test"),
    Variable("Team", mode=VariableMode.ESCALATION_LEVEL),
    Variable("Token", value="s3cret", secret=True),
    Variable("Pwd", vault=VaultRef("abc", VaultField.PASSWORD), secret=True),
)


def test_variables_model_shows_modes_and_masks_secrets(qtmodeltester: ModelTester) -> None:
    model = VariablesModel()
    model.set_variables(VARIABLES)
    qtmodeltester.check(model)
    values = [model.index(r, VariablesModel.VALUE).data() for r in range(4)]
    assert values == ["https://x.test", "(set per escalation level)", MASK, "Vault abc · Password"]
    assert model.index(1, VariablesModel.MODE).data() == "Specify value in escalation level"
    model.reveal = True
    model.set_variables(VARIABLES)
    assert model.index(2, VariablesModel.VALUE).data() == "s3cret"


def test_diagnostics_model_rows(qtmodeltester: ModelTester) -> None:
    model = DiagnosticsModel()
    diagnostics = [
        Diagnostic(
            Severity.ERROR, "unknown-variable", "unknown x", FieldPath.step_body(0), 0, 1, 3, 11
        ),
        Diagnostic(Severity.NOTE, "no-ok-step", "no Ok", FieldPath.WHOLE, alert_types=("Ok",)),
    ]
    model.set_diagnostics(diagnostics)
    qtmodeltester.check(model)
    assert model.index(0, DiagnosticsModel.WHERE).data() == "steps[0].body:3:11"
    assert model.index(0, DiagnosticsModel.MESSAGE).data() == "unknown x [unknown-variable]"
    assert model.index(1, DiagnosticsModel.MESSAGE).data() == "no Ok (for Ok) [no-ok-step]"
    assert model.index(1, 0).data(DiagnosticsModel.DIAGNOSTIC_ROLE) is diagnostics[1]
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Where"
