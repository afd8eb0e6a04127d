"""Tests for sample alert data (``*.sample.json``): loading, resolving and finding sample sets."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.document.samples import (
    alert_data,
    builtin_sample_paths,
    find_sample,
    load_sample,
)
from uptrends_studio.core.errors import SampleError, UsageError
from uptrends_studio.core.language.catalogue import Catalogue

BUILTIN_STEMS = ["dns", "edge-cases", "https", "multistep-api", "ssl-certificate", "transaction"]
DURATION = re.compile(r"^\d{2,}:[0-5]\d:[0-5]\d$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")


def write_sample(folder: Path, body: dict[str, Any], name: str = "mine") -> Path:
    document = {"format": "uptrends-studio.sample", "version": 1, "name": "Mine", **body}
    path = folder / f"{name}.sample.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def resolve(
    folder: Path, body: dict[str, Any], alert_type: AlertType, catalogue: Catalogue
) -> dict[str, str]:
    sample = load_sample(write_sample(folder, body), catalogue)
    return dict(alert_data(sample, alert_type, catalogue).values)


AMSTERDAM_WINTER = {
    "timezone": "Europe/Amsterdam",
    "values": {
        "@alert.timestampUtc": "2025-03-04T09:15:00",
        "@alert.firstErrorUtc": "2025-03-04T09:13:00",
    },
}


# -- derived values ------------------------------------------------------------------------------


def test_local_time_and_en_us_formatting(tmp_path: Path, catalogue: Catalogue) -> None:
    values = resolve(tmp_path, {**AMSTERDAM_WINTER, "culture": "en-US"}, AlertType.ERROR, catalogue)
    assert values["@alert.timestamp"] == "2025-03-04T10:15:00"
    assert values["@alert.timestampFormatted"] == "3/4/2025 10:15 AM"
    assert values["@alert.timestampUtcFormatted"] == "3/4/2025 9:15 AM"
    assert values["@alert.firstError"] == "2025-03-04T10:13:00"
    assert values["@alert.firstErrorFormatted"] == "3/4/2025 10:13 AM"
    assert values["@alert.firstErrorUtcFormatted"] == "3/4/2025 9:13 AM"
    # The UTC values themselves are passed through untouched.
    assert values["@alert.timestampUtc"] == "2025-03-04T09:15:00"


def test_nl_nl_formatting(tmp_path: Path, catalogue: Catalogue) -> None:
    values = resolve(tmp_path, {**AMSTERDAM_WINTER, "culture": "nl-NL"}, AlertType.ERROR, catalogue)
    assert values["@alert.timestampFormatted"] == "4-3-2025 10:15"
    assert values["@alert.timestampUtcFormatted"] == "4-3-2025 09:15"


def test_summer_time_is_two_hours_ahead_in_amsterdam(tmp_path: Path, catalogue: Catalogue) -> None:
    body = {
        "timezone": "Europe/Amsterdam",
        "culture": "nl-NL",
        "values": {
            "@alert.timestampUtc": "2025-07-04T09:15:00",
            "@alert.firstErrorUtc": "2025-07-04T09:13:00",
        },
    }
    values = resolve(tmp_path, body, AlertType.ERROR, catalogue)
    assert values["@alert.timestamp"] == "2025-07-04T11:15:00"
    assert values["@alert.timestampFormatted"] == "4-7-2025 11:15"
    assert values["@alert.firstError"] == "2025-07-04T11:13:00"


def test_z_suffix_and_fractions_are_accepted(tmp_path: Path, catalogue: Catalogue) -> None:
    body = {
        "timezone": "Europe/Amsterdam",
        "values": {
            "@alert.timestampUtc": "2025-03-04T09:15:00Z",
            "@alert.firstErrorUtc": "2025-03-04T09:13:00.250",
        },
    }
    values = resolve(tmp_path, body, AlertType.ERROR, catalogue)
    assert values["@alert.timestamp"] == "2025-03-04T10:15:00"
    assert values["@alert.firstError"] == "2025-03-04T10:13:00"


@pytest.mark.parametrize(
    ("alert_type", "token", "downtime"),
    [
        (AlertType.ERROR, "Alert", ""),
        (AlertType.REMINDER, "Reminder", ""),
        (AlertType.OK, "Ok", "48:03:21"),
    ],
)
def test_alert_type_and_downtime_follow_the_message_type(
    tmp_path: Path, catalogue: Catalogue, alert_type: AlertType, token: str, downtime: str
) -> None:
    body = {
        "values": {
            "@alert.firstErrorUtc": "2025-03-02T09:11:39",
            "@alert.timestampUtc": "2025-03-04T09:15:00",
        }
    }
    values = resolve(tmp_path, body, alert_type, catalogue)
    assert values["@alert.type"] == token
    assert values["@alert.downtimeDuration"] == downtime


def test_downtime_uses_the_ok_timestamp_of_per_type(tmp_path: Path, catalogue: Catalogue) -> None:
    body = {
        "values": {
            "@alert.firstErrorUtc": "2025-03-04T09:13:00",
            "@alert.timestampUtc": "2025-03-04T09:15:00",
        },
        "perType": {"Ok": {"@alert.timestampUtc": "2025-03-04T10:02:30"}},
    }
    assert resolve(tmp_path, body, AlertType.OK, catalogue)["@alert.downtimeDuration"] == "00:49:30"
    error = resolve(tmp_path, body, AlertType.ERROR, catalogue)
    assert error["@alert.timestampUtc"] == "2025-03-04T09:15:00"


def test_explicit_values_win_over_derived_ones(tmp_path: Path, catalogue: Catalogue) -> None:
    body = {
        "values": {"@alert.timestampFormatted": "yesterday, tea time"},
        "perType": {"Ok": {"@alert.downtimeDuration": "forever", "@alert.type": "Resolved"}},
    }
    ok = resolve(tmp_path, body, AlertType.OK, catalogue)
    assert ok["@alert.timestampFormatted"] == "yesterday, tea time"
    assert ok["@alert.downtimeDuration"] == "forever"
    assert ok["@alert.type"] == "Resolved"
    error = resolve(tmp_path, body, AlertType.ERROR, catalogue)
    assert error["@alert.type"] == "Alert"  # the Ok override does not leak into Error
    assert error["@alert.downtimeDuration"] == ""


def test_missing_values_fall_back_to_catalogue_defaults(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    values = resolve(tmp_path, {"values": {"@monitor.name": "Mine"}}, AlertType.ERROR, catalogue)
    assert values["@monitor.name"] == "Mine"
    for name, default in catalogue.default_values.items():
        if name != "@monitor.name":
            assert values[name] == default, name
    # The catalogue's default sample is the KB example: Amsterdam, en-US.
    assert values["@alert.timestamp"] == "2025-03-04T10:15:00"
    assert values["@alert.timestampFormatted"] == "3/4/2025 10:15 AM"


def test_per_type_values_override_shared_values(tmp_path: Path, catalogue: Catalogue) -> None:
    body = {
        "values": {"@alert.numberOfConsecutiveErrors": "3"},
        "perType": {"Reminder": {"@alert.numberOfConsecutiveErrors": "12"}},
    }
    assert (
        resolve(tmp_path, body, AlertType.ERROR, catalogue)["@alert.numberOfConsecutiveErrors"]
        == "3"
    )
    assert (
        resolve(tmp_path, body, AlertType.REMINDER, catalogue)["@alert.numberOfConsecutiveErrors"]
        == "12"
    )


def test_edge_cases_straddle_the_us_daylight_saving_switch(catalogue: Catalogue) -> None:
    sample = find_sample("edge-cases", catalogue)
    error = alert_data(sample, AlertType.ERROR, catalogue).values
    # 09:41 UTC is 01:41 PST; 10:05 UTC is 03:05 PDT (clocks went 02:00 -> 03:00 in between).
    assert error["@alert.firstError"] == "2025-03-09T01:41:07"
    assert error["@alert.timestamp"] == "2025-03-09T03:05:07"
    ok = alert_data(sample, AlertType.OK, catalogue).values
    assert ok["@alert.downtimeDuration"] == "48:41:37"


# -- the built-in sample sets --------------------------------------------------------------------


def test_the_built_in_sets_are_all_there() -> None:
    stems = [p.name.removesuffix(".sample.json") for p in builtin_sample_paths()]
    assert stems == BUILTIN_STEMS


@pytest.mark.parametrize("stem", BUILTIN_STEMS)
def test_built_in_sample_resolves_for_every_type(stem: str, catalogue: Catalogue) -> None:
    sample = find_sample(stem, catalogue)
    assert sample.name
    assert sample.description
    resolved = {t: alert_data(sample, t, catalogue).values for t in AlertType}
    assert [resolved[t]["@alert.type"] for t in AlertType] == ["Alert", "Reminder", "Ok"]
    # One incident: Error, Reminder and Ok carry the same key.
    assert len({values["@incident.key"] for values in resolved.values()}) == 1
    assert resolved[AlertType.ERROR]["@alert.downtimeDuration"] == ""
    assert resolved[AlertType.REMINDER]["@alert.downtimeDuration"] == ""
    assert DURATION.match(resolved[AlertType.OK]["@alert.downtimeDuration"])
    for values in resolved.values():
        assert ISO.match(values["@alert.timestamp"])
        assert ISO.match(values["@alert.firstError"])
        assert values["@alert.timestampFormatted"]
    # Each message type is a later moment than the previous one.
    stamps = [resolved[t]["@alert.timestampUtc"] for t in AlertType]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 3


# -- find_sample ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "name"),
    [
        (None, "HTTPS monitor"),
        ("edge-cases", "Edge cases"),
        ("EDGE-CASES", "Edge cases"),
        ("Edge cases", "Edge cases"),
        ("edge CASES", "Edge cases"),
        ("ssl certificate monitor", "SSL certificate monitor"),
        ("dns", "DNS monitor"),
    ],
)
def test_find_sample_by_stem_or_name(key: str | None, name: str, catalogue: Catalogue) -> None:
    assert find_sample(key, catalogue).name == name


def test_find_sample_by_path(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write_sample(tmp_path, {"description": "from disk"}, name="https")
    sample = find_sample(str(path), catalogue)
    assert (sample.name, sample.description, sample.path) == ("Mine", "from disk", str(path))


def test_unknown_sample_name_lists_the_built_in_ones(catalogue: Catalogue) -> None:
    with pytest.raises(UsageError) as caught:
        find_sample("htps", catalogue)
    assert str(caught.value) == (
        "no sample set 'htps': give a file path or one of " + ", ".join(BUILTIN_STEMS)
    )


def test_missing_sample_path_is_a_sample_error(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "gone.sample.json"
    with pytest.raises(SampleError) as caught:
        find_sample(str(path), catalogue)
    assert str(caught.value) == f"{path}: file not found"


# -- broken sample files -------------------------------------------------------------------------

BROKEN_SAMPLES: list[tuple[str, dict[str, Any], str, str]] = [
    # (id, top-level fields merged into a valid sample, pointer, key phrase)
    (
        "wrong-format",
        {"format": "uptrends-studio.integration"},
        "/format",
        "expected 'uptrends-studio.sample'",
    ),
    ("future-version", {"version": 7}, "/version", "written by a newer Uptrends Studio"),
    ("version-string", {"version": "1"}, "/version", "must be an integer, not a string"),
    ("name-array", {"name": ["Mine"]}, "/name", "must be a string, not an array"),
    ("values-array", {"values": []}, "/values", "must be an object, not an array"),
    (
        "value-number",
        {"values": {"@alert.errorTypeId": 5407}},
        "/values/@alert.errorTypeId",
        "must be a string, not a number",
    ),
    (
        "not-a-system-variable",
        {"values": {"@monitor.nmae": "x"}},
        "/values/@monitor.nmae",
        "not an Uptrends system variable (did you mean '@monitor.name'?)",
    ),
    ("plain-name", {"values": {"Team": "ops"}}, "/values/Team", "not an Uptrends system variable"),
    (
        "custom-field-in-values",
        {"values": {"@CustomField(Zone)": "x"}},
        "/values/@CustomField(Zone)",
        "custom fields go in 'customFields'",
    ),
    (
        "per-type-unknown-variable",
        {"perType": {"Ok": {"@alert.tpye": "Ok"}}},
        "/perType/Ok/@alert.tpye",
        "(did you mean '@alert.type'?)",
    ),
    (
        "empty-per-type-timestamp",
        {"perType": {"Ok": {"@alert.timestampUtc": ""}}},
        "/perType/Ok/@alert.timestampUtc",
        "'' is not an ISO 8601 time",
    ),
    (
        "per-type-lowercase",
        {"perType": {"ok": {}}},
        "/perType/ok",
        "'ok' is not one of Error, Reminder, Ok (did you mean 'Ok'?)",
    ),
    (
        "per-type-alert",
        {"perType": {"Alert": {}}},
        "/perType/Alert",
        "'Alert' is not one of Error, Reminder, Ok",
    ),
    (
        "bad-timestamp",
        {"values": {"@alert.timestampUtc": "yesterday"}},
        "/values/@alert.timestampUtc",
        "'yesterday' is not an ISO 8601 time",
    ),
    (
        "bad-month",
        {"perType": {"Ok": {"@alert.firstErrorUtc": "2025-13-01T00:00:00"}}},
        "/perType/Ok/@alert.firstErrorUtc",
        "is not an ISO 8601 time like 2025-03-04T09:15:00",
    ),
    ("bad-now", {"now": "noon"}, "/now", "'noon' is not an ISO 8601 time"),
    (
        "unknown-time-zone",
        {"timezone": "Europe/Amsterdm"},
        "/timezone",
        "unknown time zone 'Europe/Amsterdm' (use an IANA name like Europe/Amsterdam)",
    ),
    ("time-zone-number", {"timezone": 1}, "/timezone", "must be a string, not a number"),
    ("unknown-culture", {"culture": "xx-YY"}, "/culture", "unknown culture 'xx-YY'; known: en-US"),
    ("seed-string", {"seed": "1"}, "/seed", "must be an integer, not a string"),
    (
        "custom-fields-array",
        {"customFields": ["Zone"]},
        "/customFields",
        "must be an object, not an array",
    ),
    (
        "escalation-value-bool",
        {"escalationLevel": {"Team": True}},
        "/escalationLevel/Team",
        "must be a string, not a boolean",
    ),
    (
        "vault-field-lowercase",
        {"vault": {"abc": {"password": "x"}}},
        "/vault/abc/password",
        "unknown field (did you mean 'Password'?)",
    ),
    (
        "unknown-top-field",
        {"timeZone": "UTC"},
        "/timeZone",
        "unknown field (did you mean 'timezone'?)",
    ),
]


@pytest.mark.parametrize(
    ("fields", "where", "phrase"),
    [
        pytest.param(fields, where, phrase, id=case)
        for case, fields, where, phrase in BROKEN_SAMPLES
    ],
)
def test_broken_sample_gives_one_error_naming_file_field_and_problem(
    tmp_path: Path, catalogue: Catalogue, fields: dict[str, Any], where: str, phrase: str
) -> None:
    path = write_sample(tmp_path, fields)
    with pytest.raises(SampleError) as caught:
        load_sample(path, catalogue)
    error = caught.value
    assert error.path == str(path)
    assert error.pointer == where
    assert phrase in error.problem
    assert str(error) == f"{path}: field {where}: {error.problem}"


def test_missing_version_is_named(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "old.sample.json"
    path.write_text('{"format": "uptrends-studio.sample", "name": "x"}', encoding="utf-8")
    with pytest.raises(SampleError) as caught:
        load_sample(path, catalogue)
    assert str(caught.value) == f"{path}: missing required field 'version'"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b'{"format": "uptrends-studio.sample",\n "version": 1,\n "name": }',
            ":3:10: not valid JSON",
        ),
        (b'{"name": "S\xe3o Paulo"}', ":1:12: not valid UTF-8 (byte 0xe3)"),
    ],
    ids=["not-json", "not-utf8"],
)
def test_unreadable_sample_names_line_and_column(
    tmp_path: Path, catalogue: Catalogue, content: bytes, expected: str
) -> None:
    path = tmp_path / "bad.sample.json"
    path.write_bytes(content)
    with pytest.raises(SampleError) as caught:
        load_sample(path, catalogue)
    assert str(caught.value).startswith(f"{path}{expected}")


def test_folder_instead_of_sample_file(tmp_path: Path, catalogue: Catalogue) -> None:
    folder = tmp_path / "folder.sample.json"
    folder.mkdir()
    with pytest.raises(SampleError) as caught:
        load_sample(folder, catalogue)
    assert str(caught.value) == f"{folder}: is a folder, not a file"
