"""A small read-only client of the Uptrends API v4 (monitors, alerts, check details, vault names).

Only ``GET`` requests, with HTTP Basic authentication of an Uptrends *API account*, and only to
the configured base URL (default :data:`DEFAULT_BASE_URL`, or the ``UPTRENDS_API_URL``
environment variable). Redirects are never followed (the credentials would go with them), every
call has a timeout, every answer is read up to :data:`MAX_RESPONSE_BYTES`, and nothing is retried:
a refusal is reported once, in plain words, as an :class:`ApiError`.

The password is never part of a message, a ``repr`` or a log line: :class:`Credentials` hides it
from ``repr`` and every message this module builds is scrubbed of it.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from uptrends_studio.core.errors import StudioError, UsageError

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.uptrends.com/v4"
BASE_URL_ENV = "UPTRENDS_API_URL"
USERNAME_ENV = "UPTRENDS_API_USERNAME"
PASSWORD_ENV = "UPTRENDS_API_PASSWORD"
KEYRING_USERNAME = "uptrends-api/username"
KEYRING_PASSWORD = "uptrends-api/password"
"""Keyring entries (service ``UptrendsStudio``) the window saves the API account under."""

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""The most an answer may hold (a check's response body is at most 1 MB in Uptrends)."""
PAGE_SIZE = 100
"""``Take`` of the alert list: the API's maximum."""
MAX_PAGES = 20
"""Pages of alerts read at most for one question (2,000 alerts): never walk a whole history."""

APP_URL = "https://app.uptrends.com"
"""Where the Uptrends web application lives (check and monitor deep links)."""

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class ApiError(StudioError):
    """The API refused, failed or could not be reached; the message says what to do.

    Attributes:
        status: The HTTP status of a refusal, ``None`` when no answer came.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ApiCancelledError(ApiError):
    """The user cancelled between two requests."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """An Uptrends API account. The password never shows in ``repr`` or ``str``."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Monitor:
    """The monitor fields a sample needs (``GET /Monitor/{guid}``)."""

    guid: str
    name: str
    monitor_type: str
    url: str = ""
    notes: str = ""
    custom_fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert (``GET /Alert/Monitor/{guid}``); times as the API wrote them."""

    id: str
    alert_type: str
    """``Error``, ``Ok`` or ``Reminder`` (the API's words)."""
    timestamp: str
    first_error: str
    monitor_guid: str
    monitor_check_id: int | None = None
    first_error_check_id: int | None = None
    error_description: str = ""
    error_message: str = ""
    incident_key: str = ""


@dataclass(frozen=True, slots=True)
class CheckDetails:
    """What a check received (``GET /MonitorCheck/{id}/Http`` or ``/MultiStepAPI``)."""

    check_id: int
    url: str = ""
    response_body: str = ""
    response_headers: str = ""
    resolved_ip: str = ""


@dataclass(frozen=True, slots=True)
class VaultItemName:
    """A vault item's name and GUID only; its values are never read into the Studio."""

    guid: str
    name: str
    item_type: str


@dataclass(frozen=True, slots=True)
class AccountZone:
    """The account's time zone as Uptrends describes it, and the IANA zone it maps to."""

    timezone_id: int
    description: str
    iana: str


def base_url_from(env: Mapping[str, str]) -> str:
    """The API base URL: ``UPTRENDS_API_URL`` or the default, without a trailing ``/``.

    Raises:
        UsageError: the URL is not ``http(s)://host/...``.
    """
    url = (env.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{BASE_URL_ENV}={url!r} is not an http(s) URL")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise UsageError(f"{BASE_URL_ENV} must be a plain URL (no user, query or fragment)")
    return url


def credentials_from(
    env: Mapping[str, str], keyring_get: Callable[[str], str | None] | None = None
) -> Credentials | None:
    """The API account from the environment, else from the keyring; ``None`` if neither has it.

    Both parts come from the same place: an environment username never pairs with a keyring
    password.
    """
    user, password = env.get(USERNAME_ENV, ""), env.get(PASSWORD_ENV, "")
    if user and password:
        return Credentials(user, password)
    if keyring_get is not None:
        user, password = keyring_get(KEYRING_USERNAME) or "", keyring_get(KEYRING_PASSWORD) or ""
        if user and password:
            return Credentials(user, password)
    return None


def check_guid(text: str, what: str = "monitor GUID") -> str:
    """``text`` when it is a GUID (``xxxxxxxx-xxxx-...``).

    Raises:
        UsageError: it is not one.
    """
    cleaned = text.strip()
    if not _GUID.match(cleaned):
        raise UsageError(
            f"{text!r} is not a {what} (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"
        )
    return cleaned.lower()


def check_url(check_id: int) -> str:
    """The check's page in the Uptrends application (``@alert.firstErrorCheckUrl``)."""
    return f"{APP_URL}/Report/ProbeLog/Check/{check_id}"


class UptrendsClient:
    """Read-only access to one Uptrends account. Not thread-safe: one client per worker.

    ``cancel`` is checked before every request; a set event raises :class:`ApiCancelledError`.
    """

    def __init__(
        self,
        credentials: Credentials,
        base_url: str = DEFAULT_BASE_URL,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        max_bytes: int = MAX_RESPONSE_BYTES,
        cancel: threading.Event | None = None,
        verify: bool | str = True,
    ) -> None:
        import requests

        self._credentials = credentials
        self._base = base_url.rstrip("/")
        self._session = session or requests.Session()
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._cancel = cancel
        self._verify = verify

    def __repr__(self) -> str:
        return f"UptrendsClient({self._base!r}, user={self._credentials.username!r})"

    @property
    def base_url(self) -> str:
        """The base URL every request goes to."""
        return self._base

    def close(self) -> None:
        """Close the connections."""
        self._session.close()

    def __enter__(self) -> UptrendsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the calls -----------------------------------------------------------------------------

    def monitors(self) -> list[Monitor]:
        """Every monitor of the account, sorted by name."""
        data = self._get("/Monitor")
        if not isinstance(data, list):
            raise self._shape("/Monitor")
        return sorted(
            (_monitor(item) for item in data if isinstance(item, dict)),
            key=lambda m: (m.name.casefold(), m.guid),
        )

    def monitor(self, guid: str) -> Monitor:
        """One monitor.

        Raises:
            UsageError: ``guid`` is not a GUID.
            ApiError: unknown monitor (404) or another refusal.
        """
        guid = check_guid(guid)
        data = self._get(f"/Monitor/{guid}", what=f"monitor {guid}")
        if not isinstance(data, dict):
            raise self._shape("/Monitor/{monitorGuid}")
        return _monitor(data)

    def alerts(
        self,
        guid: str,
        *,
        days: int = 30,
        include_reminders: bool = False,
        now: datetime | None = None,
        report: Callable[[int], None] | None = None,
    ) -> list[Alert]:
        """The monitor's alerts of the last ``days`` days, newest first.

        Follows the ``Cursors.Next`` pages up to :data:`MAX_PAGES`; ``report`` gets the number
        read so far after each page.
        """
        guid = check_guid(guid)
        if days < 1:
            raise UsageError(f"--days must be at least 1, not {days}")
        end = (now or datetime.now(UTC)).astimezone(UTC)
        start = end - timedelta(days=days)
        params: dict[str, str] = {
            "IncludeReminders": "true" if include_reminders else "false",
            "Sorting": "Descending",
            "Take": str(PAGE_SIZE),
            "Start": start.strftime("%Y-%m-%dT%H:%M:%S"),
            "End": end.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        found: list[Alert] = []
        seen_cursors: set[str] = set()
        for _page in range(MAX_PAGES):
            data = self._get(f"/Alert/Monitor/{guid}", params, what=f"monitor {guid}")
            if not isinstance(data, dict):
                raise self._shape("/Alert/Monitor/{monitorGuid}")
            items = data.get("Data") or []
            if not isinstance(items, list):
                raise self._shape("/Alert/Monitor/{monitorGuid}")
            found.extend(_alert(item) for item in items if isinstance(item, dict))
            if report is not None:
                report(len(found))
            cursors = data.get("Cursors")
            following = cursors.get("Next") if isinstance(cursors, dict) else None
            if not items or not isinstance(following, str) or not following:
                break
            if following in seen_cursors:  # a server that hands the same page again
                break
            seen_cursors.add(following)
            params = {"Cursor": following}
        else:
            log.info("stopped after %d pages of alerts of %s", MAX_PAGES, guid)
        return found

    def check_details(self, check_id: int, monitor_type: str) -> CheckDetails | None:
        """What the check received, or ``None`` when Uptrends keeps no HTTP details for it.

        Multi-step API monitors answer ``/MultiStepAPI`` (the last executed step is used);
        everything else ``/Http``. A 404 (no details for this kind of check) gives ``None``.
        """
        multi = monitor_type.casefold() == "multistepapi"
        path = f"/MonitorCheck/{int(check_id)}/" + ("MultiStepAPI" if multi else "Http")
        try:
            data = self._get(path, what=f"check {check_id}")
        except ApiError as exc:
            if exc.status in (400, 404):
                log.info("no HTTP details for check %s: %s", check_id, exc)
                return None
            raise
        if not isinstance(data, dict):
            raise self._shape(path)
        body = data.get("Data")
        attributes = body.get("Attributes") if isinstance(body, dict) else None
        if not isinstance(attributes, dict):
            return None
        if multi:
            steps = [
                s
                for s in attributes.get("StepResults") or []
                if isinstance(s, dict) and s.get("StepExecuted", True)
            ]
            if not steps:
                return CheckDetails(check_id)
            attributes = steps[-1]
        return CheckDetails(
            check_id=check_id,
            url=_text(attributes.get("Url")),
            response_body=_text(attributes.get("ResponseBody")),
            response_headers=_text(attributes.get("ResponseHeaders")),
            resolved_ip=_text(attributes.get("ResolvedIpAddress")),
        )

    def vault_items(self) -> list[VaultItemName]:
        """Names, GUIDs and types of the vault items; every value in the answer is dropped."""
        data = self._get("/VaultItem")
        if not isinstance(data, list):
            raise self._shape("/VaultItem")
        items = [
            VaultItemName(
                guid=_text(item.get("VaultItemGuid")),
                name=_text(item.get("Name")),
                item_type=_text(item.get("VaultItemType")),
            )
            for item in data
            if isinstance(item, dict) and item.get("VaultItemGuid")
        ]
        return sorted(items, key=lambda i: (i.name.casefold(), i.guid))

    def account_zone(self) -> AccountZone:
        """The account's time zone (``/Account/Settings`` then ``/Timezone/{id}``)."""
        settings = self._get("/Account/Settings")
        zone_id = settings.get("TimezoneId") if isinstance(settings, dict) else None
        if not isinstance(zone_id, int):
            raise self._shape("/Account/Settings")
        zone = self._get(f"/Timezone/{zone_id}", what=f"time zone {zone_id}")
        if not isinstance(zone, dict):
            raise self._shape("/Timezone/{timezoneId}")
        description = _text(zone.get("Description"))
        offset = zone.get("OffsetFromUtc")
        return AccountZone(
            timezone_id=zone_id,
            description=description,
            iana=iana_zone(description, offset if isinstance(offset, int) else 0),
        )

    # -- plumbing ------------------------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        password = self._credentials.password
        return text.replace(password, "******") if password else text

    def _shape(self, path: str) -> ApiError:
        return ApiError(f"the API answered {path} in an unexpected shape (is {self._base} v4?)")

    def _get(self, path: str, params: Mapping[str, str] | None = None, what: str = "") -> Any:
        import requests

        if self._cancel is not None and self._cancel.is_set():
            raise ApiCancelledError("cancelled")
        url = self._base + path
        try:
            response = self._session.get(
                url,
                params=dict(params or {}),
                auth=requests.auth.HTTPBasicAuth(
                    self._credentials.username.encode("utf-8"),
                    self._credentials.password.encode("utf-8"),
                ),
                headers={"Accept": "application/json"},
                timeout=self._timeout,
                allow_redirects=False,
                stream=True,
                verify=self._verify,
            )
        except requests.RequestException as exc:
            raise ApiError(self._scrub(self._network_message(exc))) from None
        try:
            raw = self._read(response)
        finally:
            response.close()
        status = response.status_code
        if 300 <= status < 400:
            target = response.headers.get("Location", "")
            raise ApiError(
                f"the API answered with a redirect (HTTP {status}) to {target or 'elsewhere'}; "
                f"the credentials are not sent on: set {BASE_URL_ENV} to the API's real address",
                status,
            )
        if status >= 400:
            raise ApiError(self._scrub(self._refusal(status, raw, response, what)), status)
        try:
            return json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiError(
                f"the API answered {path} with something that is not JSON (is {self._base} "
                "the Uptrends API v4?)"
            ) from None

    def _read(self, response: requests.Response) -> bytes:
        import requests

        data = bytearray()
        try:
            for chunk in response.iter_content(chunk_size=64 * 1024):
                data += chunk
                if len(data) > self._max_bytes:
                    raise ApiError(
                        f"the API's answer is larger than {self._max_bytes // (1024 * 1024)} MB; "
                        "stopped reading"
                    )
                if self._cancel is not None and self._cancel.is_set():
                    raise ApiCancelledError("cancelled")
        except requests.RequestException as exc:
            raise ApiError(self._scrub(self._network_message(exc))) from None
        return bytes(data)

    def _refusal(self, status: int, raw: bytes, response: requests.Response, what: str) -> str:
        said = _api_message(raw).rstrip(". ")
        said_part = f": {said}" if said else ""
        if status == 401:
            return (
                f"Uptrends refused the API credentials (HTTP 401){said_part}; check the API "
                "account's username and password (an API account, not your Uptrends login)"
            )
        if status == 403:
            return (
                f"the API account may not read {what or 'this'} (HTTP 403){said_part}; check "
                "its permissions in Uptrends"
            )
        if status == 404:
            return f"Uptrends has no {what or 'such item'} (HTTP 404){said_part}"
        if status == 429:
            wait = response.headers.get("Retry-After", "").strip()
            later = f"in {wait} seconds" if wait.isdigit() else "in a minute"
            return (
                f"Uptrends is limiting this account's API requests (HTTP 429){said_part}; "
                f"try again {later}"
            )
        if status >= 500:
            return (
                f"the Uptrends API had a server error (HTTP {status}){said_part}; try again later"
            )
        return f"Uptrends refused the request (HTTP {status}){said_part}"

    def _network_message(self, exc: requests.RequestException) -> str:
        import requests

        host = urlsplit(self._base).hostname or self._base
        if isinstance(exc, requests.exceptions.SSLError):
            return (
                f"the secure (TLS) connection to {host} failed: its certificate is not trusted "
                "or the handshake was refused"
            )
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return f"no connection to {host} within {self._timeout[0]:g} s (timeout)"
        if isinstance(exc, requests.exceptions.ReadTimeout | requests.exceptions.Timeout):
            return f"{host} did not answer within {self._timeout[1]:g} s (timeout)"
        if isinstance(exc, requests.exceptions.ConnectionError):
            return f"cannot connect to {host}: check the network and {BASE_URL_ENV}"
        return f"the request to {host} failed: {type(exc).__name__}"


def _api_message(raw: bytes) -> str:
    """The text of an Uptrends ``MessageList`` answer (or a short plain-text one)."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        text = raw.decode("utf-8", "replace").strip()
        return " ".join(text.split())[:200] if text and "<" not in text else ""
    messages: list[str] = []
    if isinstance(data, dict):
        for item in data.get("Messages") or []:
            if isinstance(item, dict) and isinstance(item.get("Message"), str):
                messages.append(item["Message"].strip())
        if not messages and isinstance(data.get("Message"), str):
            messages.append(data["Message"].strip())
    return " ".join(" ".join(m for m in messages if m).split())[:300]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _monitor(item: Mapping[str, Any]) -> Monitor:
    fields: list[tuple[str, str]] = []
    for entry in item.get("CustomFields") or []:
        if isinstance(entry, dict) and _text(entry.get("Name")):
            fields.append((_text(entry.get("Name")), _text(entry.get("Value"))))
    url = _text(item.get("Url")) or _text(item.get("NetworkAddress"))
    return Monitor(
        guid=_text(item.get("MonitorGuid")),
        name=_text(item.get("Name")),
        monitor_type=_text(item.get("MonitorType")),
        url=url,
        notes=_text(item.get("Notes")),
        custom_fields=tuple(fields),
    )


def _alert(item: Mapping[str, Any]) -> Alert:
    raw = item.get("Attributes")
    attributes: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    return Alert(
        id=_text(item.get("Id")),
        alert_type=_text(attributes.get("AlertType")),
        timestamp=_text(attributes.get("Timestamp")),
        first_error=_text(attributes.get("FirstError")),
        monitor_guid=_text(attributes.get("MonitorGuid")),
        monitor_check_id=_int(attributes.get("MonitorCheckId")),
        first_error_check_id=_int(attributes.get("FirstErrorMonitorCheckId")),
        error_description=_text(attributes.get("ErrorDescription")),
        error_message=_text(attributes.get("ErrorMessage")),
        incident_key=_text(attributes.get("IncidentKey")),
    )


# Uptrends names its time zones like Windows does ("(UTC+01:00) Amsterdam, Berlin, ..."). The
# first place named in a description picks the IANA zone; other zones get a fixed offset.
_ZONE_PLACES: tuple[tuple[str, str], ...] = (
    ("Amsterdam", "Europe/Amsterdam"),
    ("Brussels", "Europe/Brussels"),
    ("Belgrade", "Europe/Belgrade"),
    ("Sarajevo", "Europe/Sarajevo"),
    ("London", "Europe/London"),
    ("Dublin", "Europe/Dublin"),
    ("Lisbon", "Europe/Lisbon"),
    ("Athens", "Europe/Athens"),
    ("Bucharest", "Europe/Bucharest"),
    ("Helsinki", "Europe/Helsinki"),
    ("Istanbul", "Europe/Istanbul"),
    ("Moscow", "Europe/Moscow"),
    ("Eastern Time", "America/New_York"),
    ("Central Time", "America/Chicago"),
    ("Mountain Time", "America/Denver"),
    ("Arizona", "America/Phoenix"),
    ("Pacific Time", "America/Los_Angeles"),
    ("Alaska", "America/Anchorage"),
    ("Hawaii", "Pacific/Honolulu"),
    ("Atlantic Time", "America/Halifax"),
    ("Brasilia", "America/Sao_Paulo"),
    ("Buenos Aires", "America/Argentina/Buenos_Aires"),
    ("Dubai", "Asia/Dubai"),
    ("Abu Dhabi", "Asia/Dubai"),
    ("Kolkata", "Asia/Kolkata"),
    ("New Delhi", "Asia/Kolkata"),
    ("Bangkok", "Asia/Bangkok"),
    ("Beijing", "Asia/Shanghai"),
    ("Singapore", "Asia/Singapore"),
    ("Kuala Lumpur", "Asia/Kuala_Lumpur"),
    ("Tokyo", "Asia/Tokyo"),
    ("Seoul", "Asia/Seoul"),
    ("Sydney", "Australia/Sydney"),
    ("Brisbane", "Australia/Brisbane"),
    ("Adelaide", "Australia/Adelaide"),
    ("Perth", "Australia/Perth"),
    ("Auckland", "Pacific/Auckland"),
    ("Johannesburg", "Africa/Johannesburg"),
    ("Cairo", "Africa/Cairo"),
    ("Coordinated Universal Time", "UTC"),
)
_OFFSET_PREFIX = re.compile(r"^\s*\(\s*(?:UTC|GMT)\s*(?:[+-]\s*\d{1,2}(?::\d{2})?)?\s*\)")


def iana_zone(description: str, offset_minutes: int) -> str:
    """The IANA zone for an Uptrends time-zone description, else its fixed UTC offset."""
    folded = _OFFSET_PREFIX.sub("", description).casefold()
    for place, zone in _ZONE_PLACES:
        if place.casefold() in folded:
            return zone
    hours, rest = divmod(abs(offset_minutes), 60)
    if rest or hours > 14:
        return "UTC"
    if hours == 0:
        return "UTC"
    # POSIX-style names: Etc/GMT-2 is two hours *ahead* of UTC.
    return f"Etc/GMT{'-' if offset_minutes > 0 else '+'}{hours}"
