"""Records of test runs: what the result view shows, and the history kept per integration.

A :class:`RunRecord` is a plain, JSON-serialisable copy of an :class:`~runs.AlertRun` with the
secrets masked: the values of secret variables, vault fields and authentication passwords, the
values of the ``Authorization``, ``Proxy-Authorization`` and ``Cookie`` headers, and the values
taken from responses by response variables (typically tokens). The history only ever stores
masked records, so no secret reaches the disk through it.

The history lives in the user data directory (``platformdirs``), one folder per integration
(keyed by the file's absolute path, or its name while unsaved), one JSON file per run, the newest
:data:`KEEP_RUNS` kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from uptrends_studio.core import userdirs
from uptrends_studio.core.delivery.runs import AlertRun
from uptrends_studio.core.delivery.sending import Exchange
from uptrends_studio.core.document import jsonfile
from uptrends_studio.core.document.model import AlertType, AuthType
from uptrends_studio.core.errors import FileFormatError
from uptrends_studio.core.secrets import MASK, MIN_SECRET_LENGTH, Masker, secret_texts

log = logging.getLogger(__name__)

KEEP_RUNS = 200
"""Runs kept per integration; older ones are deleted when a new one is added."""
HISTORY_BODY_CAP = 256 * 1024
"""Characters of a request or response body kept in a history record."""
MASKED_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


def default_history_dir() -> Path:
    """``<user data dir>/history`` (``UPTRENDS_STUDIO_DATA_DIR`` moves the data dir)."""
    return userdirs.history_dir()


@dataclass(frozen=True, slots=True)
class ExchangeRecord:
    """One step of a run, ready to show or store."""

    step_index: int
    step_name: str
    helper: bool
    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: str
    status: int | None
    reason: str
    response_headers: tuple[tuple[str, str], ...]
    response_body: str
    body_size: int
    body_truncated: bool
    """The record holds only the start of the body (size cap, or not all of it was read)."""
    error: str
    error_kind: str
    total_ms: float
    first_byte_ms: float
    download_ms: float
    hops: tuple[tuple[int, str, str], ...] = ()
    """Answers before the final one: (status, URL, what a redirect did not send on)."""
    variables: tuple[tuple[str, str, str], ...] = ()
    """Response variables: (name, value, problem)."""

    @property
    def success(self) -> bool:
        """A complete answer below 400 and every response variable found."""
        return (
            not self.error
            and self.status is not None
            and self.status < 400
            and not any(problem for _, _, problem in self.variables)
        )


@dataclass(frozen=True, slots=True)
class RunRecord:
    """A whole run of one alert type."""

    started_at: str
    """ISO 8601, UTC."""
    alert_type: AlertType
    sample_name: str
    exchanges: tuple[ExchangeRecord, ...]
    stopped: str = ""
    not_sent: tuple[int, ...] = ()
    overrides: Mapping[str, str] = field(default_factory=dict)
    """Escalation-level values the run used (masked when secret)."""
    label: str = ""
    """How it was started: ``Send test alert``, ``Lifecycle 2/4``, ..."""
    run_id: str = ""
    """File stem in the history folder ("" until stored)."""

    @property
    def success(self) -> bool:
        """Every exchange delivered and the run not stopped."""
        return bool(self.exchanges) and not self.stopped and all(e.success for e in self.exchanges)

    @property
    def nothing_selected(self) -> bool:
        """No step has this alert type ticked."""
        return not self.exchanges and not self.stopped


def response_secrets(run: AlertRun) -> list[str]:
    """Values taken from responses by JSON-path or header response variables (tokens)."""
    found: list[str] = []
    for step_run in run.steps:
        for variable in step_run.variables:
            if variable.value and len(variable.value) >= MIN_SECRET_LENGTH:
                found.append(variable.value)
    return found


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _headers(
    headers: Iterable[tuple[str, str]], masker: Masker, reveal: bool
) -> tuple[tuple[str, str], ...]:
    if reveal:
        return tuple(headers)
    return tuple(
        (name, MASK if name.lower() in MASKED_HEADERS and value else masker.mask(value))
        for name, value in headers
    )


def exchange_record(
    exchange: Exchange,
    variables: Iterable[tuple[str, str, str]] = (),
    *,
    masker: Masker | None = None,
    reveal: bool = False,
    body_cap: int | None = None,
) -> ExchangeRecord:
    """A record of one exchange; secrets masked unless ``reveal``.

    ``masker`` (from :func:`~uptrends_studio.core.secrets.masker_for`) is extended with the
    request's secret-derived texts, its user name and the response variables' values, so an
    echo of the request is masked in every form.
    """
    request = exchange.request
    variables = list(variables)
    masker = exchange_masker(exchange, masker or Masker(), [v for _, v, _ in variables])

    def hide(text: str) -> str:
        return text if reveal else masker.mask(text)

    wire = exchange.wire
    if wire is not None:
        request_headers = _headers(wire.headers, masker, reveal)
        request_body = hide(_text(wire.body))
        url = hide(wire.url)
    else:
        request_headers = _headers(request.headers, masker, reveal)
        request_body = hide(request.body)
        url = hide(request.url)
    body = hide(exchange.body_text)
    cut = False
    if body_cap is not None and len(body) > body_cap:
        body, cut = body[:body_cap], True
    error = exchange.error
    return ExchangeRecord(
        step_index=request.step_index,
        step_name=request.step_name,
        helper=request.helper,
        method=wire.method if wire is not None else request.method,
        url=url,
        request_headers=request_headers,
        request_body=request_body,
        status=exchange.status,
        reason=exchange.reason,
        response_headers=_headers(exchange.response_headers, masker, reveal),
        response_body=body,
        body_size=exchange.body_size,
        body_truncated=cut or exchange.truncated or exchange.body_size > len(exchange.body),
        error=hide(error.message) if error else "",
        error_kind=error.kind.value if error else "",
        total_ms=exchange.timings.total * 1000,
        first_byte_ms=exchange.timings.first_byte * 1000,
        download_ms=exchange.timings.download * 1000,
        hops=tuple((hop.status, hide(hop.url), hide(hop.note)) for hop in exchange.hops),
        variables=tuple(
            (name, value if reveal or not value else MASK, problem)
            for name, value, problem in variables
        ),
    )


def exchange_masker(exchange: Exchange, masker: Masker, found: Iterable[str] = ()) -> Masker:
    """``masker`` plus what this exchange adds: secret spans, the user name, ``found`` values."""
    request = exchange.request
    users = [request.username] if request.auth_type is not AuthType.NONE else []
    taken = [value for value in found if len(value) >= MIN_SECRET_LENGTH]
    return masker.adding([*secret_texts(request), *taken], users)


def run_record(
    run: AlertRun,
    masker: Masker,
    *,
    reveal: bool = False,
    overrides: Mapping[str, str] | None = None,
    label: str = "",
    body_cap: int | None = None,
) -> RunRecord:
    """A record of a run, masked unless ``reveal``.

    ``masker`` comes from :func:`~uptrends_studio.core.secrets.masker_for`; the response
    variables' values and each request's secret-derived texts are added to it.
    """
    every = masker.adding(response_secrets(run))
    for step_run in run.steps:
        every = exchange_masker(step_run.exchange, every)
    exchanges = tuple(
        exchange_record(
            step_run.exchange,
            [(v.name, v.value, v.problem) for v in step_run.variables],
            masker=every,
            reveal=reveal,
            body_cap=body_cap,
        )
        for step_run in run.steps
    )
    shown_overrides = {
        name: value if reveal else every.mask(value) for name, value in (overrides or {}).items()
    }
    return RunRecord(
        started_at=run.started_at.isoformat(timespec="milliseconds"),
        alert_type=run.alert_type,
        sample_name=run.sample_name,
        exchanges=exchanges,
        stopped=run.stopped if reveal else every.mask(run.stopped),
        not_sent=run.not_sent,
        overrides=shown_overrides,
        label=label,
    )


# --- storage -----------------------------------------------------------------------------


def integration_key(identity: str) -> str:
    """A folder name for an integration: a readable stem plus a hash of ``identity``."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(identity).name.removesuffix(".integration.json"))
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]
    return f"{stem.strip('-')[:40] or 'integration'}-{digest}"


def _record_document(record: RunRecord) -> dict[str, Any]:
    return {
        "format": "uptrends-studio.test-run",
        "version": 1,
        "startedAt": record.started_at,
        "alertType": record.alert_type.value,
        "sample": record.sample_name,
        "label": record.label,
        "stopped": record.stopped,
        "notSent": list(record.not_sent),
        "overrides": dict(record.overrides),
        "exchanges": [
            {
                "stepIndex": e.step_index,
                "stepName": e.step_name,
                "helper": e.helper,
                "method": e.method,
                "url": e.url,
                "requestHeaders": [list(h) for h in e.request_headers],
                "requestBody": e.request_body,
                "status": e.status,
                "reason": e.reason,
                "responseHeaders": [list(h) for h in e.response_headers],
                "responseBody": e.response_body,
                "bodySize": e.body_size,
                "bodyTruncated": e.body_truncated,
                "error": e.error,
                "errorKind": e.error_kind,
                "totalMs": e.total_ms,
                "firstByteMs": e.first_byte_ms,
                "downloadMs": e.download_ms,
                "hops": [list(h) if h[2] else list(h[:2]) for h in e.hops],
                "variables": [list(v) for v in e.variables],
            }
            for e in record.exchanges
        ],
    }


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in value)


def _record_from(document: Mapping[str, Any], run_id: str) -> RunRecord:
    exchanges = tuple(
        ExchangeRecord(
            step_index=int(e["stepIndex"]),
            step_name=str(e["stepName"]),
            helper=bool(e["helper"]),
            method=str(e["method"]),
            url=str(e["url"]),
            request_headers=_pairs(e["requestHeaders"]),
            request_body=str(e["requestBody"]),
            status=None if e["status"] is None else int(e["status"]),
            reason=str(e["reason"]),
            response_headers=_pairs(e["responseHeaders"]),
            response_body=str(e["responseBody"]),
            body_size=int(e["bodySize"]),
            body_truncated=bool(e["bodyTruncated"]),
            error=str(e["error"]),
            error_kind=str(e["errorKind"]),
            total_ms=float(e["totalMs"]),
            first_byte_ms=float(e["firstByteMs"]),
            download_ms=float(e["downloadMs"]),
            hops=tuple((int(h[0]), str(h[1]), str(h[2]) if len(h) > 2 else "") for h in e["hops"]),
            variables=tuple((str(a), str(b), str(c)) for a, b, c in e["variables"]),
        )
        for e in document["exchanges"]
    )
    started_at = str(document["startedAt"])
    datetime.fromisoformat(started_at)  # a broken time is a broken file (ValueError)
    return RunRecord(
        started_at=started_at,
        alert_type=AlertType(document["alertType"]),
        sample_name=str(document["sample"]),
        exchanges=exchanges,
        stopped=str(document["stopped"]),
        not_sent=tuple(int(i) for i in document["notSent"]),
        overrides={str(k): str(v) for k, v in document["overrides"].items()},
        label=str(document["label"]),
        run_id=run_id,
    )


class History:
    """The test-run history of one integration, stored under ``root``."""

    def __init__(self, root: Path, identity: str, keep: int = KEEP_RUNS) -> None:
        self.folder = root / integration_key(identity)
        self.keep = keep

    def add(self, record: RunRecord) -> RunRecord:
        """Store a (masked) record; returns it with its ``run_id``.

        Old runs beyond ``keep`` are deleted.

        Raises:
            OSError: the history folder cannot be written.
        """
        self.folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.folder.mkdir(mode=0o700, exist_ok=True)
        with contextlib.suppress(OSError):  # private also when an older Studio created it
            self.folder.chmod(0o700)
        moment = datetime.fromisoformat(record.started_at)
        kind = record.alert_type.value.lower()
        while True:
            stem = f"{moment:%Y%m%dT%H%M%S%f}-{kind}"
            if (self.folder / f"{stem}.json").exists():  # cheap skip; the create decides
                moment += timedelta(microseconds=1)
                continue
            capped = replace(
                record, exchanges=tuple(_cap(e) for e in record.exchanges), run_id=stem
            )
            try:
                # Exclusive create: a run stored at the same microsecond (another thread or
                # Studio) is never overwritten; this one takes the next microsecond, so names
                # keep sorting in time order.
                jsonfile.write_text_new(
                    self.folder / f"{stem}.json", jsonfile.dumps(_record_document(capped))
                )
                break
            except FileExistsError:
                moment += timedelta(microseconds=1)
        for old in self._files()[self.keep :]:
            old.unlink(missing_ok=True)
        return capped

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("*.json"), reverse=True)

    def records(self) -> list[RunRecord]:
        """Every stored run, newest first; unreadable files are skipped (and logged)."""
        found: list[RunRecord] = []
        for path in self._files():
            try:
                raw = jsonfile.read_file_bytes(path)
                document = json.loads(raw.decode("utf-8"))
                found.append(_record_from(document, path.stem))
            except (FileFormatError, ValueError, KeyError, TypeError, AttributeError) as exc:
                log.warning("skipping unreadable history file %s: %s", path, exc)
        return found

    def latest_per_type(self) -> list[RunRecord]:
        """The newest stored run of each alert type, oldest first (none when unreadable)."""
        try:
            records = self.records()
        except OSError:
            return []
        latest: dict[AlertType, RunRecord] = {}
        for record in records:
            latest.setdefault(record.alert_type, record)
        return sorted(latest.values(), key=lambda r: r.started_at)

    def clear(self) -> None:
        """Delete every stored run of this integration."""
        for path in self._files():
            path.unlink(missing_ok=True)


def _cap(record: ExchangeRecord) -> ExchangeRecord:
    """Bodies cut to :data:`HISTORY_BODY_CAP` (a cut request body ends with a note)."""
    capped = record
    if len(record.response_body) > HISTORY_BODY_CAP:
        capped = replace(
            capped, response_body=record.response_body[:HISTORY_BODY_CAP], body_truncated=True
        )
    if len(record.request_body) > HISTORY_BODY_CAP:
        cut = len(record.request_body) - HISTORY_BODY_CAP
        capped = replace(
            capped,
            request_body=record.request_body[:HISTORY_BODY_CAP]
            + f"\n… ({cut:,} more characters not kept in the history)",
        )
    return capped
