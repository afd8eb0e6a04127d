"""Run records and the per-integration history: masked, newest first, bounded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.http_server import PASSWORD, USER, LoopbackServer, serve
from uptrends_studio.core.delivery.history import History, integration_key, run_record
from uptrends_studio.core.delivery.runs import AlertRun, run_alert
from uptrends_studio.core.delivery.sending import ProxyMode, SendOptions
from uptrends_studio.core.document.model import (
    AlertType,
    Authentication,
    AuthType,
    Header,
    Integration,
    ResponseSource,
    ResponseVariable,
    Step,
    Variable,
)
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.secrets import MASK, Masker, secret_values

DIRECT = SendOptions(timeout=5, proxy_mode=ProxyMode.NONE)
API_KEY = "key-0123456789abcdef"


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with serve() as running:
        yield running


def secret_integration(base: str) -> Integration:
    return Integration(
        name="Secrets",
        variables=(
            Variable("ApiUrl", value=base),
            Variable("ApiKey", value=API_KEY, secret=True),
        ),
        steps=(
            Step(
                "Token",
                alert_types=(),
                method="GET",
                url="{{ApiUrl}}/token",
                response_variables=(
                    ResponseVariable("token", ResponseSource.JSON_PATH, "access_token"),
                ),
            ),
            Step(
                "Alert",
                url="{{ApiUrl}}/basic?key={{ApiKey}}",
                headers=(Header("X-Api-Key", "{{ApiKey}}"), Header("X-Token", "{{token}}")),
                body='{"key": "{{ApiKey}}"}',
                authentication=Authentication(AuthType.BASIC, USER, PASSWORD),
            ),
        ),
    )


def sent_run(server: LoopbackServer, catalogue: Catalogue) -> tuple[Integration, AlertRun]:
    integration = secret_integration(server.url)
    run = run_alert(integration, find_sample(None, catalogue), AlertType.ERROR, catalogue, DIRECT)
    assert run.success, run.stopped
    return integration, run


def test_records_mask_every_secret_unless_revealed(
    server: LoopbackServer, catalogue: Catalogue
) -> None:
    integration, run = sent_run(server, catalogue)
    secrets = secret_values(integration, find_sample(None, catalogue))
    masked = run_record(run, Masker.of(secrets))
    alert = masked.exchanges[1]
    shown = repr(masked)
    for secret in (API_KEY, PASSWORD, "tok-123"):
        assert secret not in shown
    assert dict(alert.request_headers)["X-Api-Key"] == MASK
    assert dict(alert.request_headers)["Authorization"] == MASK
    assert dict(alert.request_headers)["X-Token"] == MASK
    assert alert.url.endswith(f"/basic?key={MASK}")
    assert masked.exchanges[0].variables == (("token", MASK, ""),)
    revealed = run_record(run, Masker.of(secrets), reveal=True)
    assert dict(revealed.exchanges[1].request_headers)["X-Api-Key"] == API_KEY
    assert revealed.exchanges[0].variables == (("token", "tok-123", ""),)
    assert masked.success
    assert revealed.success


def test_history_stores_masked_runs_newest_first(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    integration, run = sent_run(server, catalogue)
    secrets = secret_values(integration, find_sample(None, catalogue))
    history = History(tmp_path, "/work/customer/acme.integration.json")
    first = history.add(run_record(run, Masker.of(secrets), label="Send test alert"))
    later = replace(run, started_at=run.started_at.replace(year=run.started_at.year + 1))
    second = history.add(run_record(later, Masker.of(secrets), label="Lifecycle 1/3"))
    records = history.records()
    assert [r.run_id for r in records] == [second.run_id, first.run_id]
    assert records[1].label == "Send test alert"
    assert records[1].exchanges == first.exchanges
    assert records[1].success
    written = "".join(p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.json"))
    assert "acme-" in history.folder.name
    for secret in (API_KEY, PASSWORD, "tok-123"):
        assert secret not in written


def test_history_keeps_a_bounded_number_of_runs(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    _, run = sent_run(server, catalogue)
    history = History(tmp_path, "demo", keep=3)
    for year in range(2030, 2036):
        history.add(
            run_record(replace(run, started_at=run.started_at.replace(year=year)), Masker())
        )
    records = history.records()
    assert [r.started_at[:4] for r in records] == ["2035", "2034", "2033"]


def test_an_unreadable_history_file_is_skipped(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    _, run = sent_run(server, catalogue)
    history = History(tmp_path, "demo")
    history.add(run_record(run, Masker()))
    (history.folder / "99999999T000000000000-error.json").write_text("{not json", encoding="utf-8")
    assert len(history.records()) == 1
    history.clear()
    assert history.records() == []


def test_integration_keys_differ_per_file_and_stay_readable() -> None:
    a = integration_key("/a/acme.integration.json")
    b = integration_key("/b/acme.integration.json")
    assert a != b
    assert a.startswith("acme-")
    assert integration_key("Demo: Uptrends integration").startswith("Demo-Uptrends-integration-")


@pytest.mark.parametrize(
    ("broken", "value"),
    [("overrides", "[]"), ("startedAt", '"yesterday"'), ("exchanges", '"none"')],
)
def test_a_history_file_with_a_broken_field_is_skipped(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path, broken: str, value: str
) -> None:
    import json as json_module

    _, run = sent_run(server, catalogue)
    history = History(tmp_path, "demo")
    good = history.add(run_record(run, Masker()))
    document = json_module.loads((history.folder / f"{good.run_id}.json").read_text())
    document[broken] = json_module.loads(value)
    (history.folder / "99999999T000000000000-error.json").write_text(
        json_module.dumps(document), encoding="utf-8"
    )
    assert [r.run_id for r in history.records()] == [good.run_id]


def test_history_caps_large_request_bodies_and_keeps_time_order(
    server: LoopbackServer, catalogue: Catalogue, tmp_path: Path
) -> None:
    from uptrends_studio.core.delivery.history import HISTORY_BODY_CAP

    _, run = sent_run(server, catalogue)
    record = run_record(run, Masker())
    big = replace(record.exchanges[1], request_body="x" * (HISTORY_BODY_CAP + 10))
    history = History(tmp_path, "demo")
    first = history.add(replace(record, exchanges=(record.exchanges[0], big)))
    second = history.add(record)  # the same start time: stored as the next microsecond
    [newest, oldest] = history.records()
    assert (newest.run_id, oldest.run_id) == (second.run_id, first.run_id)
    assert oldest.exchanges[1].request_body.endswith("(10 more characters not kept in the history)")
