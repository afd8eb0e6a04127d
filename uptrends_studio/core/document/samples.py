"""Sample alert data (``*.sample.json``): the values a preview renders with.

A sample set gives values for the system variables, per-alert-type overrides, custom fields,
escalation-level variable values, a mock vault, a time zone, a culture, the clock ("now") and a
random seed. Values not given fall back to the catalogue's defaults; derived variables
(``@alert.timestamp``, the ``*Formatted`` ones, ``@alert.type``, ``@alert.downtimeDuration``) are
computed unless the sample sets them explicitly.

This module reads sample files and converts between documents and :class:`SampleSet` in memory.
It has no file writer: :func:`uptrends_studio.core.document.sample_files.save_sample_with_secrets`
writes a sample file with its mock-vault passwords kept out of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from uptrends_studio.core.document import jsonfile
from uptrends_studio.core.document.jsonfile import Reader, pointer
from uptrends_studio.core.document.model import ALERT_TYPES, AlertType
from uptrends_studio.core.errors import SampleError, UsageError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.language.dotnet_format import (
    KNOWN_CULTURES,
    normalize_culture,
    short_date_time,
)
from uptrends_studio.paths import resource_path

FORMAT = "uptrends-studio.sample"
VERSION = 1
SUFFIX = ".sample.json"
DEFAULT_SAMPLE = "https"
EDGE_CASES_SAMPLE = "edge-cases"

_TOP = (
    "format",
    "version",
    "name",
    "description",
    "values",
    "perType",
    "customFields",
    "escalationLevel",
    "vault",
    "timezone",
    "culture",
    "now",
    "seed",
    "origin",
)

EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class SampleSet:
    """A sample alert data set. ``per_type`` is keyed by :class:`AlertType`."""

    name: str
    description: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    per_type: Mapping[AlertType, Mapping[str, str]] = field(default_factory=dict)
    custom_fields: Mapping[str, str] = field(default_factory=dict)
    escalation_level: Mapping[str, str] = field(default_factory=dict)
    vault: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    timezone: str | None = None
    culture: str | None = None
    now: str | None = None
    seed: int | None = None
    path: str = ""
    origin: Mapping[str, str] = field(default_factory=dict)
    """Where the values came from (an Uptrends account: ``source``, ``monitorGuid``, ...)."""

    def explicit(self, alert_type: AlertType) -> dict[str, str]:
        """The values this sample sets for ``alert_type`` (per-type ones win)."""
        values = dict(self.values)
        values.update(self.per_type.get(alert_type, EMPTY))
        return values


@dataclass(frozen=True, slots=True)
class AlertData:
    """Everything a template sees for one alert message (one alert type)."""

    alert_type: AlertType
    values: Mapping[str, str]
    custom_fields: Mapping[str, str]
    escalation_level: Mapping[str, str]
    vault: Mapping[str, Mapping[str, str]]
    now: datetime
    seed: int
    culture: str
    timezone: str


def load_sample(path: Path, catalogue: Catalogue) -> SampleSet:
    """Load and validate a sample file.

    Raises:
        SampleError: naming the file, the field and the problem.
    """
    document = jsonfile.read_json(path, SampleError)
    return sample_from_document(document, str(path), catalogue)


def sample_from_document(document: object, name: str, catalogue: Catalogue) -> SampleSet:
    """Validate a decoded sample document against the format and the catalogue."""
    reader = Reader(name, SampleError)
    data = reader.obj(document, "")
    reader.header(data, FORMAT, VERSION)
    reader.obj(data, "", _TOP)
    values = _values(reader, data.get("values", {}), "/values", catalogue)
    per_type: dict[AlertType, Mapping[str, str]] = {}
    per_type_data = reader.obj(data.get("perType", {}), "/perType")
    for key, raw in per_type_data.items():
        where = pointer("/perType", key)
        alert_type = AlertType(reader.choice(key, where, tuple(t.value for t in ALERT_TYPES)))
        per_type[alert_type] = MappingProxyType(_values(reader, raw, where, catalogue))
    vault: dict[str, Mapping[str, str]] = {}
    for key, raw in reader.obj(data.get("vault", {}), "/vault").items():
        where = pointer("/vault", key)
        item = reader.obj(raw, where, ("Username", "Password"))
        vault[key] = MappingProxyType(reader.string_map(item, where))
    timezone = reader.get(data, "timezone", "", reader.string, None)
    if timezone is not None:
        _zone(timezone, name, "/timezone")
    culture = reader.get(data, "culture", "", reader.string, None)
    if culture is not None:
        normalized = normalize_culture(culture)
        if normalized is None:
            raise reader.fail(
                "/culture", f"unknown culture {culture!r}; known: {', '.join(KNOWN_CULTURES)}"
            )
        culture = normalized
    now = reader.get(data, "now", "", reader.string, None)
    if now is not None:
        parse_utc(now, name, "/now")
    return SampleSet(
        name=reader.string(reader.require(data, "name", ""), "/name"),
        description=reader.get(data, "description", "", reader.string, ""),
        values=MappingProxyType(values),
        per_type=MappingProxyType(per_type),
        custom_fields=MappingProxyType(
            reader.string_map(data.get("customFields", {}), "/customFields")
        ),
        escalation_level=MappingProxyType(
            reader.string_map(data.get("escalationLevel", {}), "/escalationLevel")
        ),
        vault=MappingProxyType(vault),
        timezone=timezone,
        culture=culture,
        now=now,
        seed=reader.get(data, "seed", "", reader.integer, None),
        path=name,
        origin=MappingProxyType(reader.string_map(data.get("origin", {}), "/origin")),
    )


def _values(reader: Reader, raw: object, where: str, catalogue: Catalogue) -> dict[str, str]:
    values = reader.string_map(raw, where)
    for key in values:
        if catalogue.variable(key) is not None and not key.startswith("@CustomField"):
            continue
        if key.startswith("@CustomField"):
            problem = "custom fields go in 'customFields', keyed by the field name"
        else:
            names = [v.name for v in catalogue.variables]
            hint = [n for n in names if n.casefold() == key.casefold()]
            if not hint:  # imported here: keeps the start of the CLI fast
                import difflib

                hint = difflib.get_close_matches(key, names, n=1)
            problem = "not an Uptrends system variable" + (
                f" (did you mean {hint[0]!r}?)" if hint else ""
            )
        raise reader.fail(pointer(where, key), problem)
    for key in ("@alert.timestampUtc", "@alert.firstErrorUtc"):
        if key in values:
            parse_utc(values[key], reader.name, pointer(where, key), SampleError)
    return values


def parse_utc(text: str, file: str, where: str, error: type[SampleError] = SampleError) -> datetime:
    """Parse an ISO 8601 UTC time (``2025-03-04T09:15:00``, optional ``Z`` and fraction)."""
    cleaned = text.strip()
    if cleaned.endswith(("Z", "z")):
        cleaned = cleaned[:-1]
    try:
        moment = datetime.fromisoformat(cleaned)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise error(
            file, where, f"{text!r} is not an ISO 8601 time like 2025-03-04T09:15:00"
        ) from None
    return moment.replace(tzinfo=UTC)


def _zone(name: str, file: str, where: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise SampleError(
            file, where, f"unknown time zone {name!r} (use an IANA name like Europe/Amsterdam)"
        ) from None


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _duration(seconds: int) -> str:
    seconds = max(seconds, 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def alert_data(sample: SampleSet, alert_type: AlertType, catalogue: Catalogue) -> AlertData:
    """Resolve a sample for one alert type: defaults, overrides and derived variables.

    Raises:
        SampleError: a time value or the time zone cannot be used.
    """
    values: dict[str, str] = dict(catalogue.default_values)
    values.update(catalogue.default_per_type.get(alert_type.value, EMPTY))
    explicit = sample.explicit(alert_type)
    values.update(explicit)
    file = sample.path or sample.name
    where = "/values"
    timezone = sample.timezone or catalogue.default_timezone
    culture = sample.culture or catalogue.default_culture
    zone = _zone(timezone, file, "/timezone")
    stamp = parse_utc(values["@alert.timestampUtc"], file, pointer(where, "@alert.timestampUtc"))
    first = parse_utc(values["@alert.firstErrorUtc"], file, pointer(where, "@alert.firstErrorUtc"))
    # Uptrends writes the *Utc values without offset or Z: a sample's "...+02:00" is shown
    # converted, the way Uptrends would have written it.
    values["@alert.timestampUtc"] = _iso(stamp)
    values["@alert.firstErrorUtc"] = _iso(first)
    try:
        derived = _derived(alert_type, stamp, first, zone, culture)
    except (OverflowError, ValueError):
        raise SampleError(
            file, where, "a time is too close to the limits of the calendar to convert"
        ) from None
    for key, value in derived.items():
        if key not in explicit:
            values[key] = value
    now = parse_utc(sample.now, file, "/now") if sample.now else stamp
    return AlertData(
        alert_type=alert_type,
        values=MappingProxyType(values),
        custom_fields=sample.custom_fields,
        escalation_level=sample.escalation_level,
        vault=sample.vault,
        now=now,
        seed=sample.seed if sample.seed is not None else catalogue.default_seed,
        culture=culture,
        timezone=timezone,
    )


def _derived(
    alert_type: AlertType, stamp: datetime, first: datetime, zone: ZoneInfo, culture: str
) -> dict[str, str]:
    """The variables computed from the UTC times, time zone, culture and alert type."""
    return {
        "@alert.type": alert_type.token_value,
        "@alert.timestamp": _iso(stamp.astimezone(zone)),
        "@alert.firstError": _iso(first.astimezone(zone)),
        "@alert.timestampFormatted": short_date_time(stamp.astimezone(zone), culture),
        "@alert.timestampUtcFormatted": short_date_time(stamp, culture),
        "@alert.firstErrorFormatted": short_date_time(first.astimezone(zone), culture),
        "@alert.firstErrorUtcFormatted": short_date_time(first, culture),
        "@alert.downtimeDuration": (
            _duration(int((stamp - first).total_seconds())) if alert_type is AlertType.OK else ""
        ),
    }


def builtin_sample_paths() -> list[Path]:
    """The sample sets shipped in ``resources/samples``, sorted by file name."""
    return sorted(resource_path("samples").glob(f"*{SUFFIX}"))


def find_sample(name_or_path: str | None, catalogue: Catalogue) -> SampleSet:
    """Load a sample by file path, built-in file stem (``edge-cases``) or built-in set name.

    ``None`` gives the default built-in set.

    Raises:
        UsageError: nothing matches (the message lists the built-in names).
        SampleError: the file is malformed.
    """
    key = name_or_path or DEFAULT_SAMPLE
    candidate = Path(key)
    if candidate.suffix == ".json" or candidate.is_file() or "/" in key or "\\" in key:
        return load_sample(candidate, catalogue)
    builtins = builtin_sample_paths()
    folded = key.casefold()
    for path in builtins:
        if path.name.removesuffix(SUFFIX).casefold() == folded:
            return load_sample(path, catalogue)
    for path in builtins:
        sample = load_sample(path, catalogue)
        if sample.name.casefold() == folded:
            return sample
    names = ", ".join(p.name.removesuffix(SUFFIX) for p in builtins)
    raise UsageError(f"no sample set {key!r}: give a file path or one of {names}")


def sample_to_document(sample: SampleSet) -> dict[str, Any]:
    """The JSON document of a sample set (keys in the documented order), in memory.

    Vault passwords are in it as they are: write files with
    :func:`uptrends_studio.core.document.sample_files.save_sample_with_secrets` only.
    """
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": sample.name}
    if sample.description:
        doc["description"] = sample.description
    doc["values"] = dict(sample.values)
    doc["perType"] = {
        t.value: dict(v)
        for t, v in sorted(sample.per_type.items(), key=lambda item: ALERT_TYPES.index(item[0]))
    }
    doc["customFields"] = dict(sample.custom_fields)
    doc["escalationLevel"] = dict(sample.escalation_level)
    doc["vault"] = {k: dict(v) for k, v in sample.vault.items()}
    for key, value in (
        ("timezone", sample.timezone),
        ("culture", sample.culture),
        ("now", sample.now),
        ("seed", sample.seed),
    ):
        if value is not None:
            doc[key] = value
    if sample.origin:
        doc["origin"] = dict(sample.origin)
    return doc
