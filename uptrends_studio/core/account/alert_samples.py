"""A sample set made from a real Uptrends alert: monitor + alert (+ its check) → ``SampleSet``.

The field-by-field mapping is documented in ``docs/alert-samples.md``. Every system variable the
API can supply comes from the account; the others keep the catalogue's defaults. An Error alert's
sample also carries its Reminder and Ok counterparts (same incident key) as per-type values, so
the Message types tab and the lifecycle run show the incident's real sequence.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from uptrends_studio.core.account.uptrends_api import (
    APP_URL,
    Alert,
    ApiError,
    CheckDetails,
    Monitor,
    UptrendsClient,
    check_guid,
    check_url,
)
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.document.samples import SampleSet

log = logging.getLogger(__name__)

SAMPLE_DAYS = 90
"""How far back ``fetch_sample`` looks for the alert and its incident's other alerts."""

ORIGIN_SOURCE = "uptrends-api"

_TYPES = {"error": AlertType.ERROR, "ok": AlertType.OK, "reminder": AlertType.REMINDER}


@dataclass(frozen=True, slots=True)
class Incident:
    """The alerts of one incident (one incident key) that the account still lists."""

    error: Alert | None
    reminders: tuple[Alert, ...]
    ok: Alert | None


def alert_type(alert: Alert) -> AlertType | None:
    """The Studio's alert type for an API ``AlertType`` (``Error``/``Ok``/``Reminder``)."""
    return _TYPES.get(alert.alert_type.strip().casefold())


def latest_error(alerts: Sequence[Alert]) -> Alert | None:
    """The newest Error alert (the API lists newest first; times break ties anyway)."""
    errors = [a for a in alerts if alert_type(a) is AlertType.ERROR]
    return max(errors, key=lambda a: a.timestamp, default=None)


def find_incident(alerts: Sequence[Alert], chosen: Alert) -> Incident:
    """``chosen`` with the other alerts of its incident (same non-empty incident key)."""
    key = chosen.incident_key
    same = [a for a in alerts if key and a.incident_key == key]
    if chosen not in same:
        same.append(chosen)
    same.sort(key=lambda a: a.timestamp)

    def first(kind: AlertType) -> Alert | None:
        if alert_type(chosen) is kind:
            return chosen
        return next((a for a in same if alert_type(a) is kind), None)

    reminders = tuple(a for a in same if alert_type(a) is AlertType.REMINDER)
    return Incident(error=first(AlertType.ERROR), reminders=reminders, ok=first(AlertType.OK))


def utc_text(text: str, zone: str) -> str:
    """An API time as the ISO 8601 UTC text Uptrends writes (``2025-03-04T09:15:00``).

    A time with an offset or ``Z`` is converted; one without is read in the account's zone.

    Raises:
        ApiError: the text is not a time.
    """
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ApiError(f"the API gave {text!r} as a time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_zone(zone))
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def headers_text(raw: str) -> str:
    """Response headers as ``@alert.responseHeaders`` shows them: a JSON object of name → value.

    The check details give the raw ``Name: value`` lines; a value already in JSON is kept.
    """
    stripped = raw.strip()
    if not stripped or stripped.startswith("{"):
        return stripped
    headers: dict[str, str] = {}
    for line in stripped.splitlines():
        name, sep, value = line.partition(":")
        if not sep or not name.strip() or name.startswith(("HTTP/", " ", "\t")):
            continue
        key = name.strip()
        headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
    return json.dumps(headers, ensure_ascii=False)


def _alert_values(alert: Alert, zone: str) -> dict[str, str]:
    return {
        "@alert.alertGuid": alert.id,
        "@alert.timestampUtc": utc_text(alert.timestamp, zone),
        "@alert.description": alert.error_description,
    }


def _check_values(details: CheckDetails | None) -> dict[str, str]:
    if details is None:
        return {}
    values = {
        "@alert.responseBody": details.response_body,
        "@alert.responseHeaders": headers_text(details.response_headers),
    }
    if details.resolved_ip:
        values["@alert.resolvedIpAddress"] = details.resolved_ip
    return values


def sample_from_alert(
    monitor: Monitor,
    alerts: Sequence[Alert],
    chosen: Alert,
    *,
    zone: str,
    details: Mapping[int, CheckDetails] | None = None,
    fetched: datetime | None = None,
) -> SampleSet:
    """The sample set of ``chosen``'s incident on ``monitor``.

    ``alerts`` are the monitor's alerts (with reminders) in which the incident's other alerts are
    looked for; ``details`` maps a check id to what that check received; ``zone`` is the
    account's IANA time zone (API times without an offset are read in it).
    """
    details = details or {}
    incident = find_incident(alerts, chosen)
    base = incident.error or chosen
    base_type = alert_type(base) or AlertType.ERROR
    guid = monitor.guid
    values: dict[str, str] = {
        "@monitor.monitorGuid": guid,
        "@monitor.name": monitor.name,
        "@monitor.type": monitor.monitor_type,
        "@monitor.url": monitor.url,
        "@monitor.notes": monitor.notes,
        "@monitor.editUrl": f"{APP_URL}/Report/Probe?probeGuid={guid}",
        "@monitor.dashboardUrl": f"{APP_URL}/Probe/Dashboard?probeGuids={guid}",
        "@incident.key": base.incident_key,
        "@alert.firstErrorUtc": utc_text(base.first_error or base.timestamp, zone),
    }
    first_check = base.first_error_check_id or base.monitor_check_id
    if first_check is not None:
        values["@alert.firstErrorCheckId"] = str(first_check)
        values["@alert.firstErrorCheckUrl"] = check_url(first_check)
    if incident.error is not None:
        values["@alert.firstErrorDescription"] = incident.error.error_description
    values.update(_alert_values(base, zone))
    if base.monitor_check_id is not None:
        values.update(_check_values(details.get(base.monitor_check_id)))

    per_type: dict[AlertType, Mapping[str, str]] = {}
    counterparts: dict[AlertType, Alert | None] = {
        AlertType.ERROR: incident.error,
        AlertType.REMINDER: next(
            (r for r in incident.reminders if r == chosen), next(iter(incident.reminders), None)
        ),
        AlertType.OK: incident.ok,
    }
    missing: list[str] = []
    for kind, alert in counterparts.items():
        if kind is base_type:
            continue
        if alert is None:
            missing.append(kind.value)
            if kind is not AlertType.ERROR:  # keep the times in order: not before the error
                per_type[kind] = MappingProxyType(
                    {"@alert.timestampUtc": values["@alert.timestampUtc"]}
                )
            continue
        own = _alert_values(alert, zone)
        check = details.get(alert.monitor_check_id) if alert.monitor_check_id else None
        if check is not None:
            own.update(_check_values(check))
        elif kind is AlertType.OK:  # an Ok carries no error response
            own.update({"@alert.responseBody": "", "@alert.responseHeaders": ""})
        per_type[kind] = MappingProxyType(own)

    moment = (fetched or datetime.now(UTC)).astimezone(UTC)
    stamp = values["@alert.timestampUtc"]
    description = (
        f"{base.alert_type or base_type.value} alert of {stamp} UTC on “{monitor.name}”, "
        f"fetched from Uptrends on {moment:%Y-%m-%d %H:%M} UTC"
    )
    if missing:
        description += (
            f"; no {' or '.join(missing)} alert of this incident in the account, so "
            "those keep the default values"
        )
    return SampleSet(
        name=f"{monitor.name}: {base_type.value} {stamp}",
        description=description,
        values=MappingProxyType(values),
        per_type=MappingProxyType(per_type),
        custom_fields=MappingProxyType(dict(monitor.custom_fields)),
        timezone=zone,
        origin=MappingProxyType(
            {
                "source": ORIGIN_SOURCE,
                "monitorGuid": guid,
                "alertId": chosen.id,
                "fetched": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
        ),
    )


def fetch_sample(
    client: UptrendsClient,
    monitor_guid: str,
    alert_id: str | None = None,
    *,
    now: datetime | None = None,
    report: Callable[[str], None] | None = None,
) -> SampleSet:
    """Read the monitor, its alerts, the account's time zone and the check; map them.

    Without ``alert_id`` the newest Error alert of the last :data:`SAMPLE_DAYS` days is used.

    Raises:
        UsageError: a GUID that is not one.
        ApiError: a refusal, or no such alert.
    """

    def say(text: str) -> None:
        if report is not None:
            report(text)

    guid = check_guid(monitor_guid)
    wanted = check_guid(alert_id, "alert id") if alert_id else None
    say("Reading the monitor…")
    monitor = client.monitor(guid)
    say("Reading the account's time zone…")
    zone = client.account_zone().iana
    say("Reading the alerts…")
    alerts = client.alerts(guid, days=SAMPLE_DAYS, include_reminders=True, now=now)
    if wanted is not None:
        chosen = next((a for a in alerts if a.id.casefold() == wanted), None)
        if chosen is None:
            raise ApiError(
                f"monitor {monitor.name!r} has no alert {wanted} in the last {SAMPLE_DAYS} days"
            )
    else:
        chosen = latest_error(alerts)
        if chosen is None:
            raise ApiError(
                f"monitor {monitor.name!r} has no Error alert in the last {SAMPLE_DAYS} days; "
                "give --alert ALERT_ID"
            )
    base = find_incident(alerts, chosen).error or chosen
    details: dict[int, CheckDetails] = {}
    if base.monitor_check_id is not None:  # the error's check: what the alert carried
        say(f"Reading check {base.monitor_check_id}…")
        found = client.check_details(base.monitor_check_id, monitor.monitor_type)
        if found is not None:
            details[base.monitor_check_id] = found
    return sample_from_alert(monitor, alerts, chosen, zone=zone, details=details, fetched=now)
