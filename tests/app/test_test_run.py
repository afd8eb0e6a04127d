"""A test run, as the window and the CLI use it, against a real loopback server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.http_server import LoopbackServer, serve
from uptrends_studio.app.test_run import RunPlan, RunState, TestRun, message_request
from uptrends_studio.app.workspace import ChosenSample, OpenFile, SampleSets, Workspace
from uptrends_studio.core.delivery.sending import ProxyMode, SendOptions
from uptrends_studio.core.document.model import (
    ALERT_TYPES,
    AlertType,
    Header,
    Integration,
    Step,
    Variable,
    VariableMode,
)
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.errors import SampleError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.secrets import MASK

SECRET = "sk-live-0123456789"
DIRECT = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        yield running


def integration(url: str) -> Integration:
    return Integration(
        name="Hook",
        variables=(
            Variable("Key", value=SECRET, secret=True),
            Variable("Team", mode=VariableMode.ESCALATION_LEVEL),
        ),
        steps=(
            Step(
                "Send alert",
                alert_types=ALERT_TYPES,
                url=url,
                headers=(Header("Content-Type", "application/json"), Header("X-Key", "{{Key}}")),
                body='{"type": "{{@alert.type}}", "team": "{{Team}}"}',
            ),
        ),
    )


class Editable:
    """A document that changes under a running test, as the window's does."""

    def __init__(self, value: Integration, path: Path) -> None:
        self.integration = value
        self.path: Path | None = path


def workspace(
    tmp_path: Path, catalogue: Catalogue, value: Integration
) -> tuple[Workspace, Editable]:
    source = Editable(value, tmp_path / "hook.integration.json")
    sample = find_sample(None, catalogue)
    return (
        Workspace(source, ChosenSample(sample, "https"), catalogue, history_root=tmp_path / "h"),
        source,
    )


def test_a_run_is_masked_when_shown_and_stored(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    space, _ = workspace(tmp_path, catalogue, integration(f"{server.url}/echo"))
    run = TestRun(space, RunPlan(AlertType.ERROR, overrides={"Team": "ops"}, options=DIRECT))
    seen: list[str] = []
    run.run(lambda step: seen.append(dict(run.step_record(step).request_headers)["X-Key"]))
    assert seen == [MASK]  # what the CLI prints as each step comes
    assert run.state is RunState.FINISHED
    assert run.success
    [record] = run.records()
    assert record.label == "Send test alert"
    assert dict(record.exchanges[0].request_headers)["X-Key"] == MASK
    [revealed] = run.records(reveal=True)
    assert dict(revealed.exchanges[0].request_headers)["X-Key"] == SECRET
    assert json.loads(server.recorded.requests[0]["body"])["team"] == "ops"  # type: ignore[arg-type]
    assert run.store() == ""
    stored = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "h").rglob("*.json"))
    assert SECRET not in stored
    assert [r.label for r in space.history().records()] == ["Send test alert"]


def test_what_a_run_masks_and_where_it_stores_are_fixed_when_it_starts(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    space, source = workspace(tmp_path, catalogue, integration(f"{server.url}/echo"))
    run = TestRun(space, RunPlan(options=DIRECT))
    before = space.history().folder
    # The user edits the secret and saves the integration elsewhere before the answer comes.
    source.integration = replace(
        source.integration, variables=(Variable("Key", value="sk-other-999", secret=True),)
    )
    source.path = tmp_path / "elsewhere.integration.json"
    run.run()
    assert dict(run.records()[0].exchanges[0].request_headers)["X-Key"] == MASK
    run.store()
    assert [p.parent for p in (tmp_path / "h").rglob("*.json")] == [before]


def test_a_lifecycle_is_labelled_and_checks_the_incident_key(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    space, _ = workspace(tmp_path, catalogue, integration(f"{server.url}/echo"))
    run = TestRun(space, RunPlan(lifecycle=True, reminders=2, options=DIRECT))
    labels: list[str] = []
    run.run(lambda step: labels.append(run.step_label(step)))
    assert labels == ["Error", "Reminder 1", "Reminder 2", "Ok"]
    assert [r.label for r in run.records()] == [f"Lifecycle {i}/4" for i in range(1, 5)]
    assert run.key_check is not None
    assert "incident key" in run.key_check_text()


def test_cancel_keeps_what_was_answered_and_drops_the_rest(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    space, _ = workspace(tmp_path, catalogue, integration(f"{server.url}/echo"))
    run = TestRun(space, RunPlan(lifecycle=True, reminders=0, options=DIRECT))
    cancel = threading.Event()
    run.started()

    def report(step: object) -> None:
        run.add_step(step)  # type: ignore[arg-type]
        cancel.set()  # the user pressed Esc after the first answer
        run.cancel()

    run.execute(cancel, report)
    assert run.state is RunState.CANCELLED
    assert run.result is None
    [record] = run.records()
    assert record.alert_type is AlertType.ERROR
    assert run.stopped() == "cancelled"


def test_a_sample_that_cannot_be_used_is_said_before_sending(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    space, _ = workspace(tmp_path, catalogue, integration("http://127.0.0.1:9/x"))
    space.samples = ChosenSample(replace(space.sample, timezone="Mars/Olympus"))
    with pytest.raises(SampleError, match="Mars/Olympus"):
        TestRun(space, RunPlan(options=DIRECT))


def test_the_local_receiver_port_is_recognised(catalogue: Catalogue, tmp_path: Path) -> None:
    space, _ = workspace(tmp_path, catalogue, integration("http://localhost:8787/alerts"))
    run = TestRun(space, RunPlan(options=DIRECT))
    assert run.goes_to_local_port(8787)
    assert not run.goes_to_local_port(8788)


def test_copy_as_masks_unless_revealed(catalogue: Catalogue, tmp_path: Path) -> None:
    space, _ = workspace(tmp_path, catalogue, integration("http://127.0.0.1:9/x"))
    masked = message_request(space, AlertType.ERROR, {}, reveal=False)
    shown = message_request(space, AlertType.ERROR, {}, reveal=True)
    assert masked is not None
    assert shown is not None
    assert dict(masked.headers)["X-Key"] == MASK
    assert dict(shown.headers)["X-Key"] == SECRET


def test_sample_sets_are_listed_without_parsing_them_and_parsed_once_chosen(
    catalogue: Catalogue,
) -> None:
    sets = SampleSets(catalogue)
    headers = sets.builtin_headers()
    assert [h.key for h in headers][-1] == "edge-cases"
    assert not any(sets.is_parsed(h.key) for h in headers)  # the 1.2 MB set waits
    edge = sets.builtin("edge-cases")
    assert edge is not None
    assert edge.name == headers[-1].name
    assert sets.is_parsed("edge-cases")
    assert sets.builtin("edge-cases") is edge  # read once
    assert not sets.is_parsed("https")
    assert sets.builtin("no-such-set") is None


def test_one_list_of_sample_sets_edge_cases_last(catalogue: Catalogue) -> None:
    sets = SampleSets(catalogue)
    keys = list(sets.builtins())
    assert keys[-1] == "edge-cases"
    assert "https" in keys
    assert all(
        a is b for a, b in zip(sets.builtins().values(), sets.builtins().values(), strict=True)
    )  # read once
    named = sets.builtin_named(sets.builtins()["dns"].name)
    assert named is not None
    assert named[0] == "dns"


def test_the_cli_workspace_reads_a_loaded_file(catalogue: Catalogue, tmp_path: Path) -> None:
    value = integration("http://127.0.0.1:9/x")
    space = Workspace(
        OpenFile(value, tmp_path / "a.integration.json"),
        ChosenSample(find_sample(None, catalogue)),
        catalogue,
        history_root=tmp_path,
    )
    assert space.integration is value
    assert space.history().folder.name.startswith("a-")


def test_to_receiver_reroutes_every_step_and_leaves_the_document_alone(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    """A customer's real URL, sent to a local port instead (support reproducing a setup)."""
    customer = integration("https://hooks.customer.example/echo?token=abc")
    space, source = workspace(tmp_path, catalogue, customer)
    port = int(server.url.rsplit(":", 1)[1].rstrip("/"))
    run = TestRun(space, RunPlan(AlertType.ERROR, options=DIRECT, to_receiver=port))
    assert run.goes_to_local_port(port)
    assert f"port {port}" in run.rerouted
    result = run.run()
    assert result.success
    [seen] = server.recorded.requests
    assert seen["path"] == "/echo?token=abc"  # path and query kept, host replaced
    [record] = run.records()
    assert record.exchanges[0].url == f"http://127.0.0.1:{port}/echo?token=abc"
    assert source.integration == customer  # the document still has the customer's URL


def test_without_to_receiver_the_urls_are_the_documents(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    space, _ = workspace(tmp_path, catalogue, integration("https://hooks.example/a"))
    run = TestRun(space, RunPlan(AlertType.ERROR, options=DIRECT))
    assert run.rerouted == ""
    assert not run.goes_to_local_port(8787)
