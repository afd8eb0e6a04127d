"""The starter gallery: every template renders valid, rule-abiding JSON for every sample."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from uptrends_studio.core.checks.diagnostics import Severity
from uptrends_studio.core.checks.integration import check_and_render
from uptrends_studio.core.checks.targets import TARGETS
from uptrends_studio.core.document import jsonfile
from uptrends_studio.core.document.gallery import (
    GalleryEntry,
    gallery_entries,
    load_template,
    read_gallery,
    search,
)
from uptrends_studio.core.document.integration_file import dumps
from uptrends_studio.core.document.model import ALERT_TYPES, AlertType, Integration, VariableMode
from uptrends_studio.core.document.samples import SampleSet, builtin_sample_paths, load_sample
from uptrends_studio.core.errors import FileFormatError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import RenderedRequest

# The official target schemas, copied into the repository with their provenance (README there).
SCHEMAS = Path(__file__).parents[2] / "data" / "schemas"

EXPECTED_TARGETS = {
    "uptrends-default": "",
    "teams-workflow": "teams",
    "opsgenie": "opsgenie",
    "pagerduty": "pagerduty",
    "slack": "slack",
    "discord": "discord",
    "google-chat": "google-chat",
    "mattermost": "mattermost",
    "statuspage": "statuspage",
    "servicenow": "servicenow",
    "splunk-oncall": "splunk-oncall",
    "zapier": "zapier",
    "alertops": "alertops",
    "jira-cloud": "jira",
}
ENTRIES = {entry.key: entry for entry in gallery_entries()}
SAMPLE_PATHS = builtin_sample_paths()
PLACEHOLDER_MARKS = ("REPLACE", "example.invalid", "XXXXXXXX", "000000")


_SAMPLES: dict[Path, SampleSet] = {}


def _sample(path: Path, catalogue: Catalogue) -> SampleSet:
    if path not in _SAMPLES:
        _SAMPLES[path] = load_sample(path, catalogue)
    return _SAMPLES[path]


def rendered(
    key: str, sample_path: Path, catalogue: Catalogue
) -> tuple[dict[AlertType, tuple[RenderedRequest, ...]], list[Any]]:
    return check_and_render(load_template(ENTRIES[key]), _sample(sample_path, catalogue), catalogue)


def message(key: str, alert_type: AlertType, sample_path: Path, catalogue: Catalogue) -> Any:
    requests = rendered(key, sample_path, catalogue)[0][alert_type]
    return json.loads(requests[-1].body)


def test_the_gallery_holds_the_starter_templates() -> None:
    assert {key: entry.target for key, entry in ENTRIES.items()} == EXPECTED_TARGETS
    assert all(entry.target in TARGETS for entry in ENTRIES.values() if entry.target)


@pytest.mark.parametrize("key", sorted(EXPECTED_TARGETS))
@pytest.mark.parametrize("sample_path", SAMPLE_PATHS, ids=lambda p: p.name.split(".")[0])
def test_template_renders_valid_json_without_problems(
    key: str, sample_path: Path, catalogue: Catalogue
) -> None:
    requests, diagnostics = rendered(key, sample_path, catalogue)
    # The author's own values are placeholders by design (warned about: test_placeholders).
    problems = [
        d.format(key)
        for d in diagnostics
        if d.severity is not Severity.NOTE and d.code != "placeholder"
    ]
    assert problems == []
    assert requests[AlertType.ERROR], "Error must send a message"
    for alert_type in ALERT_TYPES:
        for request in requests[alert_type]:
            json.loads(request.body)  # raises on invalid JSON


@pytest.mark.parametrize("key", sorted(EXPECTED_TARGETS))
def test_template_documents_its_variables_and_hides_secrets(key: str) -> None:
    integration = load_template(ENTRIES[key])
    assert integration.description
    if key != "uptrends-default":
        assert "public API documentation" in integration.description
    # Built from public documentation, never presented as Uptrends' own template.
    assert "not a copy" in integration.description or "not copied" in integration.description
    assert integration.variables
    for variable in integration.variables:
        assert variable.description, f"{variable.name} has no description"
        if variable.secret and variable.mode is VariableMode.HERE:
            assert any(mark in variable.value for mark in PLACEHOLDER_MARKS), variable.value


@pytest.mark.parametrize("key", sorted(EXPECTED_TARGETS))
def test_template_file_is_saved_in_the_canonical_format(key: str) -> None:
    template = load_template(ENTRIES[key])
    # A shipped template keeps its secret placeholders in clear text on purpose; dumps() writes
    # a marker instead. Put the placeholder back and the rest must be exactly dumps().
    document = json.loads(dumps(template))
    for index, variable in enumerate(template.variables):
        entry = document["variables"][index]
        if entry.pop("source", None) is not None:
            name, mode = entry.pop("name"), entry.pop("mode")
            document["variables"][index] = {
                "name": name,
                "mode": mode,
                "value": variable.value,
                **entry,
            }
    assert jsonfile.dumps(document) == ENTRIES[key].path.read_text(encoding="utf-8")


def test_default_template_sends_every_system_variable(catalogue: Catalogue) -> None:
    integration = load_template(ENTRIES["uptrends-default"])
    body = integration.steps[0].body
    assert integration.name == "Uptrends integration"
    for variable in catalogue.variables:
        name = variable.name
        if name.startswith("@CustomField"):
            assert "{{@JsonEncode({{@CustomField(" in body
        elif variable.free_text:
            assert "{{@JsonEncode({{" + name + "}})}}" in body, name
        else:
            assert "{{" + name + "}}" in body, name


def test_teams_card_has_buttons_to_dashboard_error_and_settings(catalogue: Catalogue) -> None:
    sent = message("teams-workflow", AlertType.ERROR, SAMPLE_PATHS[0], catalogue)
    assert sent["type"] == "message"
    attachment = sent["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.5")
    urls = [a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    data = _sample(SAMPLE_PATHS[0], catalogue).values
    assert urls == [
        data["@monitor.dashboardUrl"],
        data["@alert.firstErrorCheckUrl"],
        data["@monitor.editUrl"],
    ]


def test_opsgenie_creates_by_alias_and_closes_by_alias(catalogue: Catalogue) -> None:
    integration = load_template(ENTRIES["opsgenie"])
    assert "api.eu.opsgenie.com" in integration.variables[0].description
    requests, _ = rendered("opsgenie", SAMPLE_PATHS[0], catalogue)
    create, close = requests[AlertType.ERROR][-1], requests[AlertType.OK][-1]
    key = _sample(SAMPLE_PATHS[0], catalogue).values["@incident.key"]
    assert json.loads(create.body)["alias"] == key
    assert json.loads(create.body)["priority"] == "P1"
    assert close.url == f"https://api.opsgenie.com/v2/alerts/{key}/close?identifierType=alias"
    assert ("Authorization", "GenieKey REPLACE-WITH-YOUR-OPSGENIE-API-KEY") in create.headers


@pytest.mark.parametrize(
    ("alert_type", "action", "severity"),
    [
        (AlertType.ERROR, "trigger", "critical"),
        (AlertType.REMINDER, "trigger", "critical"),
        (AlertType.OK, "resolve", "info"),
    ],
)
def test_pagerduty_triggers_and_resolves_one_incident(
    alert_type: AlertType, action: str, severity: str, catalogue: Catalogue
) -> None:
    sent = message("pagerduty", alert_type, SAMPLE_PATHS[0], catalogue)
    assert sent["event_action"] == action
    assert sent["payload"]["severity"] == severity
    assert sent["dedup_key"] == _sample(SAMPLE_PATHS[0], catalogue).values["@incident.key"]


def test_slack_ok_is_worded_in_green(catalogue: Catalogue) -> None:
    sent = message("slack", AlertType.OK, SAMPLE_PATHS[0], catalogue)
    assert sent["text"].startswith(":large_green_circle: Resolved")
    error = message("slack", AlertType.ERROR, SAMPLE_PATHS[0], catalogue)
    assert error["text"].startswith(":red_circle: Error")


def test_edge_case_texts_arrive_intact_in_the_json(catalogue: Catalogue) -> None:
    edge = next(p for p in SAMPLE_PATHS if p.name.startswith("edge-cases"))
    values = _sample(edge, catalogue).values
    sent = message("uptrends-default", AlertType.ERROR, edge, catalogue)
    assert sent["alert"]["description"] == values["@alert.description"]
    assert len(sent["alert"]["responseBody"]) == 1024 * 1024
    # Length-limited targets cut long text instead of breaking their limits.
    discord = message("discord", AlertType.ERROR, edge, catalogue)
    assert discord["embeds"][0]["description"].startswith(values["@alert.description"][:100])


# --- JSON schemas of the targets -------------------------------------------------------------


def _schema(name: str) -> Any:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("sample_path", SAMPLE_PATHS, ids=lambda p: p.name.split(".")[0])
def test_teams_card_validates_against_adaptive_card_schema(
    sample_path: Path, catalogue: Catalogue
) -> None:
    validator = jsonschema.Draft6Validator(_schema("adaptive-card-1.5.json"))
    for alert_type in ALERT_TYPES:
        card = message("teams-workflow", alert_type, sample_path, catalogue)
        errors = [e.message for e in validator.iter_errors(card["attachments"][0]["content"])]
        assert errors == [], alert_type
    broken = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "NoSuchElement"}]}
    assert not validator.is_valid(broken)


@pytest.mark.parametrize("sample_path", SAMPLE_PATHS, ids=lambda p: p.name.split(".")[0])
def test_pagerduty_events_validate_against_the_enqueue_schema(
    sample_path: Path, catalogue: Catalogue
) -> None:
    validator = jsonschema.Draft202012Validator(_schema("pagerduty-events-v2-enqueue.json"))
    for alert_type in ALERT_TYPES:
        event = message("pagerduty", alert_type, sample_path, catalogue)
        assert [e.message for e in validator.iter_errors(event)] == [], alert_type
    assert not validator.is_valid({"routing_key": "k", "event_action": "fire"})


# --- Gallery listing and search --------------------------------------------------------------


def test_entries_start_with_uptrends_integration_then_sorted_by_name() -> None:
    entries = gallery_entries()
    assert entries[0].name == "Uptrends integration"
    rest = [e.name.casefold() for e in entries[1:]]
    assert rest == sorted(rest)
    assert len(entries) == len(EXPECTED_TARGETS)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("pagerduty", ["pagerduty"]),
        ("OPSGENIE", ["opsgenie"]),
        ("block kit", ["slack"]),  # a description word
        ("splunk-oncall", ["splunk-oncall"]),  # the target
        ("adaptive card teams", ["teams-workflow"]),  # every word must match
        ("no such target", []),
    ],
)
def test_search_is_case_insensitive_over_name_description_and_target(
    text: str, keys: list[str]
) -> None:
    assert [e.key for e in search(gallery_entries(), text)] == keys


def test_empty_search_keeps_everything_in_order() -> None:
    entries = gallery_entries()
    assert search(entries, "  ") == entries


def _write(folder: Path, name: str, document: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_broken_template_raises_the_file_format_error(tmp_path: Path) -> None:
    good = json.loads(ENTRIES["slack"].path.read_text(encoding="utf-8"))
    _write(tmp_path, "a.integration.json", good)
    broken = dict(good, steps=[dict(good["steps"][0], method="FETCH")])
    path = _write(tmp_path, "b.integration.json", broken)
    entry = GalleryEntry("b", "b", "", "", path)
    with pytest.raises(FileFormatError, match=r"field /steps/0/method: 'FETCH' is not one of"):
        load_template(entry)
    with pytest.raises(FileFormatError, match=r"b\.integration\.json"):
        gallery_entries(tmp_path)
    entries, errors = read_gallery(tmp_path)
    assert [e.name for e in entries] == ["b.integration.json", good["name"]]  # by name
    assert list(errors) == [path]


def test_gallery_of_another_folder(tmp_path: Path) -> None:
    document = json.loads(ENTRIES["pagerduty"].path.read_text(encoding="utf-8"))
    _write(tmp_path, "mine.integration.json", dict(document, name="Mine"))
    (tmp_path / "notes.txt").write_text("not a template", encoding="utf-8")
    [entry] = gallery_entries(tmp_path)
    assert (entry.key, entry.name, entry.target) == ("mine", "Mine", "pagerduty")
    assert isinstance(load_template(entry), Integration)
