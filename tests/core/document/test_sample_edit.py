"""Tests for uptrends_studio.core.document.sample_edit: pure edits of sample sets."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from uptrends_studio.core.document import sample_edit as se
from uptrends_studio.core.document.model import AlertType, VaultField
from uptrends_studio.core.document.sample_files import (
    load_sample_with_secrets,
    save_sample_with_secrets,
)
from uptrends_studio.core.document.samples import (
    SampleSet,
    alert_data,
    find_sample,
)
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.secret_store import MemoryStore


@pytest.fixture
def https(catalogue: Catalogue) -> SampleSet:
    return find_sample("https", catalogue)


def _by_name(resolved: list[se.ResolvedValue]) -> dict[str, se.ResolvedValue]:
    return {r.variable.name: r for r in resolved}


def test_system_variables_leave_out_custom_fields(catalogue: Catalogue) -> None:
    names = [v.name for v in se.system_variables(catalogue)]
    assert "@monitor.name" in names
    assert not any(n.startswith("@CustomField") for n in names)


def test_set_value_for_one_type_changes_only_that_type(
    catalogue: Catalogue, https: SampleSet
) -> None:
    edited = se.set_value(https, "@monitor.name", "only on ok", AlertType.OK)
    assert alert_data(edited, AlertType.OK, catalogue).values["@monitor.name"] == "only on ok"
    for other in (AlertType.ERROR, AlertType.REMINDER):
        assert (
            alert_data(edited, other, catalogue).values["@monitor.name"]
            == https.values["@monitor.name"]
        )
    assert edited.values == https.values
    assert isinstance(edited.per_type, MappingProxyType)
    assert https.per_type[AlertType.OK].get("@monitor.name") is None  # the original is untouched


def test_set_value_for_all_types_writes_values_in_place(https: SampleSet) -> None:
    edited = se.set_value(https, "@monitor.name", "renamed", None)
    assert edited.values["@monitor.name"] == "renamed"
    assert list(edited.values) == list(https.values)  # key order kept: files diff cleanly
    assert edited.per_type == https.per_type


def test_clear_value_for_a_type_drops_an_empty_type() -> None:
    sample = SampleSet(name="s")
    edited = se.set_value(sample, "@monitor.name", "x", AlertType.REMINDER)
    assert AlertType.REMINDER in edited.per_type
    cleared = se.clear_value(edited, "@monitor.name", AlertType.REMINDER)
    assert AlertType.REMINDER not in cleared.per_type


def test_per_type_is_kept_in_alert_type_order() -> None:
    sample = se.set_value(SampleSet(name="s"), "@monitor.name", "ok", AlertType.OK)
    sample = se.set_value(sample, "@monitor.name", "error", AlertType.ERROR)
    assert list(sample.per_type) == [AlertType.ERROR, AlertType.OK]


@pytest.mark.parametrize(
    ("alert_type", "expected_source"),
    [
        (None, se.ValueSource.ALL),
        (AlertType.ERROR, se.ValueSource.ALL),
        (AlertType.OK, se.ValueSource.TYPE),
    ],
)
def test_resolve_sources(
    catalogue: Catalogue,
    https: SampleSet,
    alert_type: AlertType | None,
    expected_source: se.ValueSource,
) -> None:
    resolved = _by_name(se.resolve_values(https, catalogue, alert_type))
    assert resolved["@alert.timestampUtc"].source is expected_source
    assert resolved["@alert.timestampUtc"].overridden_for == (AlertType.REMINDER, AlertType.OK)


def test_resolve_computed_and_default(catalogue: Catalogue) -> None:
    sample = SampleSet(name="empty")
    resolved = _by_name(se.resolve_values(sample, catalogue, AlertType.ERROR))
    stamp = resolved["@alert.timestamp"]
    assert stamp.source is se.ValueSource.COMPUTED
    assert stamp.value == alert_data(sample, AlertType.ERROR, catalogue).values["@alert.timestamp"]
    assert resolved["@monitor.name"].source is se.ValueSource.DEFAULT
    assert resolved["@monitor.name"].value == catalogue.default_values["@monitor.name"]


def test_resolve_all_types_says_when_types_differ(catalogue: Catalogue, https: SampleSet) -> None:
    resolved = _by_name(se.resolve_values(https, catalogue, None))
    assert resolved["@alert.type"].value is None  # Alert / Reminder / Ok
    assert resolved["@alert.type"].per_type[AlertType.OK] == "Ok"
    assert resolved["@alert.firstError"].value is not None  # the same for every type


def test_explicit_derived_value_wins(catalogue: Catalogue, https: SampleSet) -> None:
    edited = se.set_value(https, "@alert.timestamp", "yesterday", AlertType.ERROR)
    resolved = _by_name(se.resolve_values(edited, catalogue, AlertType.ERROR))
    assert resolved["@alert.timestamp"].value == "yesterday"
    assert resolved["@alert.timestamp"].explicit
    back = _by_name(
        se.resolve_values(
            se.clear_value(edited, "@alert.timestamp", AlertType.ERROR), catalogue, AlertType.ERROR
        )
    )
    assert back["@alert.timestamp"].source is se.ValueSource.COMPUTED


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("@alert.timestampUtc", "2025-03-04T09:15:00", True),
        ("@alert.timestampUtc", "2025-03-04T09:15:00Z", True),
        ("@alert.firstErrorUtc", "yesterday", False),
        ("@alert.timestampUtc", "", False),
        ("@monitor.name", "anything \n goes", True),
    ],
)
def test_check_value(name: str, value: str, ok: bool) -> None:
    problem = se.check_value(name, value)
    assert (problem is None) is ok
    if not ok:
        assert problem is not None
        assert name in problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/Amsterdam", "Europe/Amsterdam"),
        ("  europe/amsterdam ", "Europe/Amsterdam"),
        ("UTC", "UTC"),
        ("Mars/Olympus_Mons", None),
        ("", None),
        ("../etc/passwd", None),
    ],
)
def test_check_timezone(text: str, expected: str | None) -> None:
    assert se.check_timezone(text) == expected


def test_with_timezone_and_culture(https: SampleSet) -> None:
    assert se.with_timezone(https, "asia/tokyo").timezone == "Asia/Tokyo"
    with pytest.raises(ValueError, match="unknown time zone"):
        se.with_timezone(https, "Nowhere/Land")
    assert se.with_culture(https, "NL-nl").culture == "nl-NL"
    with pytest.raises(ValueError, match="unknown culture"):
        se.with_culture(https, "xx-XX")


def test_custom_field_edits() -> None:
    sample = se.set_custom_field(SampleSet(name="s"), "A", "1")
    sample = se.set_custom_field(sample, "B", "2")
    sample = se.rename_custom_field(sample, "A", "C")
    assert list(sample.custom_fields.items()) == [("C", "1"), ("B", "2")]
    with pytest.raises(ValueError, match="already"):
        se.rename_custom_field(sample, "C", "B")
    with pytest.raises(ValueError, match="needs a name"):
        se.rename_custom_field(sample, "C", "  ")
    assert dict(se.remove_custom_field(sample, "C").custom_fields) == {"B": "2"}
    assert se.unique_name(sample.custom_fields, "Field") == "Field"
    assert se.unique_name({"Field": 1, "Field2": 1}, "Field") == "Field3"


def test_escalation_edits() -> None:
    sample = se.set_escalation_value(SampleSet(name="s"), "Team", "ops")
    assert dict(sample.escalation_level) == {"Team": "ops"}
    assert dict(se.clear_escalation_value(sample, "Team").escalation_level) == {}


def test_vault_edits() -> None:
    sample = se.add_vault_item(SampleSet(name="s"), "g1", "user", "pw")
    sample = se.set_vault_field(sample, "g1", VaultField.PASSWORD, "new")
    assert dict(sample.vault["g1"]) == {"Username": "user", "Password": "new"}
    sample = se.add_vault_item(sample, "g2")
    sample = se.rename_vault_item(sample, "g1", "g3")
    assert list(sample.vault) == ["g3", "g2"]
    with pytest.raises(ValueError, match="already"):
        se.rename_vault_item(sample, "g3", "g2")
    assert list(se.remove_vault_item(sample, "g3").vault) == ["g2"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("HTTPS monitor", "HTTPS monitor.sample.json"),
        ('a/b\\c:"d"', "a-b-c-d.sample.json"),
        ("...", "sample.sample.json"),
    ],
)
def test_sample_file_name(name: str, expected: str) -> None:
    assert se.sample_file_name(SampleSet(name=name)) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("x.sample.json", "x.sample.json"),
        ("x.json", "x.sample.json"),
        ("x", "x.sample.json"),
    ],
)
def test_with_sample_suffix(name: str, expected: str) -> None:
    assert se.with_sample_suffix(name) == expected


def test_edited_sample_round_trips_through_a_file(
    catalogue: Catalogue, https: SampleSet, tmp_path: Path
) -> None:
    edited = se.set_value(https, "@alert.timestamp", "explicit", AlertType.OK)
    edited = se.add_vault_item(se.set_custom_field(edited, "New", "v"), "g", "u", "p")
    path = tmp_path / "x.sample.json"
    store = MemoryStore()
    save_sample_with_secrets(edited, path, store=store, env={})
    assert '"p"' not in path.read_text(encoding="utf-8")  # the vault password stays out
    again = load_sample_with_secrets(path, catalogue, store=store, env={}).sample
    assert again.per_type == edited.per_type
    assert again.custom_fields == edited.custom_fields
    assert again.vault == edited.vault
