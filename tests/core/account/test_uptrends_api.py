"""The read-only Uptrends API client and the alert → sample mapping, against the stand-in."""

from __future__ import annotations

import logging
import ssl
import threading
from pathlib import Path

import pytest
import trustme

from tests.uptrends_standin import (
    CUSTOM_FIELD,
    ERROR_DESCRIPTION,
    ERROR_ID,
    FILLER_INCIDENTS,
    HTTPS_GUID,
    HTTPS_NAME,
    HTTPS_NOTES,
    INCIDENT_KEY,
    MSA_GUID,
    OK_ID,
    PASSWORD,
    REMINDER_ID,
    RESPONSE_BODY,
    USER,
    VAULT_GUID,
    VAULT_SECRET,
    StandIn,
    serve,
)
from uptrends_studio.core.account.alert_samples import fetch_sample, headers_text, utc_text
from uptrends_studio.core.account.uptrends_api import (
    ApiCancelledError,
    ApiError,
    Credentials,
    UptrendsClient,
    base_url_from,
    credentials_from,
    iana_zone,
)
from uptrends_studio.core.document.integration_file import from_document
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.document.sample_files import save_sample_with_secrets
from uptrends_studio.core.document.samples import load_sample
from uptrends_studio.core.errors import UsageError
from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue
from uptrends_studio.core.rendering.messages import Renderer


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def client(standin: StandIn, password: str = PASSWORD, **kwargs: object) -> UptrendsClient:
    return UptrendsClient(Credentials(USER, password), standin.url, **kwargs)  # type: ignore[arg-type]


def test_monitors_are_listed_by_name_with_their_fields(standin: StandIn) -> None:
    monitors = client(standin).monitors()
    assert [m.name for m in monitors] == [
        "Brochure site",
        HTTPS_NAME,
        "Orders flow (multi-step)",
    ]
    https = monitors[1]
    assert (https.guid, https.monitor_type, https.notes) == (HTTPS_GUID, "Https", HTTPS_NOTES)
    assert https.custom_fields == (CUSTOM_FIELD,)
    assert "monitor-login-password" not in repr(monitors)


def test_alerts_follow_the_cursor_over_two_pages(standin: StandIn) -> None:
    alerts = client(standin).alerts(HTTPS_GUID, days=60, include_reminders=True)
    assert len(alerts) == 3 + 2 * FILLER_INCIDENTS  # more than one page of 100
    assert len({a.id for a in alerts}) == len(alerts)
    first, second = (r for r in standin.account.requests if r["path"].startswith("/v4/Alert"))
    assert first["query"]["Take"] == "100"
    assert first["query"]["IncludeReminders"] == "true"
    assert "Cursor" in second["query"]
    assert alerts[0].id == OK_ID  # newest first


def test_alerts_without_reminders_and_within_the_days(standin: StandIn) -> None:
    alerts = client(standin).alerts(HTTPS_GUID, days=1)
    assert {a.id for a in alerts} == {ERROR_ID, OK_ID}


def test_vault_items_keep_names_and_never_values(standin: StandIn) -> None:
    items = client(standin).vault_items()
    assert next((i.name, i.guid, i.item_type) for i in items) == (
        "Payments API login",
        VAULT_GUID,
        "CredentialSet",
    )
    assert VAULT_SECRET not in repr(items)


def test_account_zone_maps_to_iana(standin: StandIn) -> None:
    assert client(standin).account_zone().iana == "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("description", "offset", "zone"),
    [
        ("(UTC-05:00) Eastern Time (US & Canada)", -300, "America/New_York"),
        ("(UTC+09:00) Osaka, Sapporo, Tokyo", 540, "Asia/Tokyo"),
        ("(UTC+03:00) Nowhere in the table", 180, "Etc/GMT-3"),
        ("(UTC-04:00) Somewhere west", -240, "Etc/GMT+4"),
        ("(UTC+05:45) Kathmandu", 345, "UTC"),
    ],
)
def test_iana_zone(description: str, offset: int, zone: str) -> None:
    assert iana_zone(description, offset) == zone


def test_multi_step_check_details_use_the_last_executed_step(standin: StandIn) -> None:
    details = client(standin).check_details(99, "MultiStepApi")
    assert details is not None
    assert (details.url, details.response_body, details.resolved_ip) == (
        "https://orders.test/orders",
        '{"orders": null}',
        "203.0.113.9",
    )


def test_a_check_without_http_details_gives_none(standin: StandIn) -> None:
    assert client(standin).check_details(12345, "Https") is None


@pytest.mark.parametrize(
    ("forced", "words"),
    [
        (400, "Uptrends refused the request (HTTP 400): Forced 400 for the test"),
        (403, "the API account may not read monitor"),
        (404, "Uptrends has no monitor"),
        (429, "try again in 17 seconds"),
        (500, "server error (HTTP 500)"),
        (503, "server error (HTTP 503)"),
        ("redirect", "the credentials are not sent on"),
        ("huge", "larger than 1 MB"),
        ("not-json", "not JSON"),
    ],
)
def test_every_error_class_is_one_plain_message(
    standin: StandIn, forced: str | int, words: str
) -> None:
    standin.account.force(forced)
    with pytest.raises(ApiError) as caught:
        client(standin, max_bytes=1024 * 1024).monitor(HTTPS_GUID)
    assert words in str(caught.value)
    assert PASSWORD not in str(caught.value)
    assert len(standin.account.requests) == 1  # no retries
    if isinstance(forced, int):
        assert caught.value.status == forced


def test_a_redirect_is_not_followed(standin: StandIn) -> None:
    standin.account.force("redirect")
    with pytest.raises(ApiError):
        client(standin).monitors()
    assert [r["path"] for r in standin.account.requests] == ["/v4/Monitor"]


def test_a_wrong_password_says_so_without_the_password(standin: StandIn) -> None:
    with pytest.raises(ApiError) as caught:
        client(standin, password="not-the-Pw").monitors()
    message = str(caught.value)
    assert message.startswith(
        "Uptrends refused the API credentials (HTTP 401): Invalid credentials"
    )
    assert "not-the-Pw" not in message
    assert caught.value.status == 401


def test_timeouts_and_refused_connections(standin: StandIn) -> None:
    standin.account.force("slow")
    with pytest.raises(ApiError, match=r"did not answer within 0.3 s \(timeout\)"):
        client(standin, timeout=(2.0, 0.3)).monitors()
    closed = UptrendsClient(Credentials(USER, PASSWORD), "http://127.0.0.1:9/v4")
    with pytest.raises(ApiError, match=r"cannot connect to 127\.0\.0\.1"):
        closed.monitors()


def test_an_untrusted_certificate_is_a_tls_message() -> None:
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with serve(context) as tls, pytest.raises(ApiError, match="secure \\(TLS\\) connection"):
        client(tls).monitors()


def test_cancel_stops_before_the_next_request(standin: StandIn) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ApiCancelledError):
        client(standin, cancel=cancel).monitors()
    assert standin.account.requests == []


def test_credentials_hide_the_password_and_come_from_one_place() -> None:
    creds = Credentials("user", "s3cret-pw")
    assert "s3cret-pw" not in repr(creds)
    assert "s3cret-pw" not in str(creds)
    env = {"UPTRENDS_API_USERNAME": "env-user"}
    keyring = {"uptrends-api/username": "k-user", "uptrends-api/password": "k-pw"}
    assert credentials_from(env, keyring.get) == Credentials("k-user", "k-pw")
    assert credentials_from({}, None) is None
    env["UPTRENDS_API_PASSWORD"] = "e-pw"
    assert credentials_from(env, keyring.get) == Credentials("env-user", "e-pw")


def test_base_url_from_the_environment() -> None:
    assert base_url_from({}) == "https://api.uptrends.com/v4"
    assert base_url_from({"UPTRENDS_API_URL": "http://127.0.0.1:8/v4/"}) == "http://127.0.0.1:8/v4"
    with pytest.raises(UsageError):
        base_url_from({"UPTRENDS_API_URL": "https://user:pw@api.test/v4"})
    offline = UptrendsClient(Credentials("u", "p"), "http://127.0.0.1:9")
    with pytest.raises(UsageError):
        offline.monitor("not-a-guid")


def test_times_and_headers_are_written_the_uptrends_way() -> None:
    assert utc_text("2025-07-01T12:00:00", "Europe/Amsterdam") == "2025-07-01T10:00:00"
    assert utc_text("2025-01-01T12:00:00.123Z", "Europe/Amsterdam") == "2025-01-01T12:00:00"
    assert headers_text("HTTP/1.1 503 x\r\nA: 1\r\nA: 2\r\nB: c:d") == '{"A": "1, 2", "B": "c:d"}'
    assert headers_text('{"A": "1"}') == '{"A": "1"}'


TEMPLATE = {
    "format": "uptrends-studio.integration",
    "version": 1,
    "name": "Replay",
    "steps": [
        {
            "url": "http://127.0.0.1:9/hook",
            "headers": [{"name": "Content-Type", "value": "text/plain"}],
            "body": "{{@monitor.name}}|{{@monitor.notes}}|{{@CustomField(ServiceId)}}|"
            "{{@alert.description}}|{{@incident.key}}|{{@alert.responseBody}}|{{@alert.type}}|"
            "{{@alert.downtimeDuration}}|{{@alert.timestampUtc}}",
        }
    ],
}


def test_a_sample_from_an_alert_renders_the_real_incident(
    standin: StandIn, catalogue: Catalogue, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sample = fetch_sample(client(standin), HTTPS_GUID)
    path = tmp_path / "replay.sample.json"
    save_sample_with_secrets(sample, path, store=None)
    loaded = load_sample(path, catalogue)
    assert loaded.origin["monitorGuid"] == HTTPS_GUID
    assert loaded.origin["alertId"] == ERROR_ID
    assert loaded.timezone == "Europe/Amsterdam"
    renderer = Renderer(from_document(TEMPLATE, "replay"), catalogue)
    bodies = {
        t: renderer.render_alert(t, loaded)[0].body
        for t in (AlertType.ERROR, AlertType.REMINDER, AlertType.OK)
    }
    error = bodies[AlertType.ERROR].split("|")
    assert error[:7] == [
        HTTPS_NAME,
        HTTPS_NOTES,
        CUSTOM_FIELD[1],
        ERROR_DESCRIPTION,
        INCIDENT_KEY,
        RESPONSE_BODY,
        "Alert",
    ]
    ok = bodies[AlertType.OK].split("|")
    assert ok[3:8] == ["OK", INCIDENT_KEY, "", "Ok", "01:36:00"]  # first error 10.1 h, ok 8.5 h ago
    reminder = bodies[AlertType.REMINDER].split("|")
    assert reminder[6] == "Reminder"
    assert reminder[8] > error[8]
    assert PASSWORD not in path.read_text(encoding="utf-8") + caplog.text
    assert VAULT_SECRET not in path.read_text(encoding="utf-8")


def test_choosing_the_reminder_gives_the_same_incident(standin: StandIn) -> None:
    sample = fetch_sample(client(standin), HTTPS_GUID, REMINDER_ID)
    assert sample.values["@alert.alertGuid"] == ERROR_ID
    assert sample.per_type[AlertType.REMINDER]["@alert.alertGuid"] == REMINDER_ID
    assert sample.origin["alertId"] == REMINDER_ID


def test_no_error_alert_and_unknown_alert_are_refusals(standin: StandIn) -> None:
    with pytest.raises(ApiError, match="has no Error alert in the last 90 days"):
        fetch_sample(client(standin), MSA_GUID)
    with pytest.raises(ApiError, match="has no alert 11111111-"):
        fetch_sample(client(standin), HTTPS_GUID, "11111111-2222-4333-8444-555555555555")
    with pytest.raises(UsageError, match="not a alert id"):
        fetch_sample(client(standin), HTTPS_GUID, "42")
