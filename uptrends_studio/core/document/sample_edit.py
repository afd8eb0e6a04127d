"""Pure edits of a :class:`SampleSet`: every function returns a new sample set.

The sample panel edits a sample one value at a time; each edit here takes a sample and returns a
new, equally immutable one (mappings wrapped in :class:`MappingProxyType`), keeping the order of
existing keys so a saved file diffs cleanly. :func:`resolve_values` tells, per system variable,
what a preview would use and where that value comes from (the sample, a per-type override, a
computation or the catalogue's default).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import available_timezones

from uptrends_studio.core.document.model import ALERT_TYPES, AlertType, VaultField
from uptrends_studio.core.document.samples import SUFFIX, SampleSet, alert_data, parse_utc
from uptrends_studio.core.errors import SampleError
from uptrends_studio.core.language.catalogue import Catalogue, VariableInfo
from uptrends_studio.core.language.dotnet_format import normalize_culture

UTC_VALUES: tuple[str, ...] = ("@alert.timestampUtc", "@alert.firstErrorUtc")
"""System variables whose sample values must be ISO 8601 UTC times."""


class ValueSource(StrEnum):
    """Where the value a preview uses for a system variable comes from."""

    TYPE = "type"
    """Set by the sample for this alert type only (``perType``)."""
    ALL = "all"
    """Set by the sample for all alert types (``values``)."""
    COMPUTED = "computed"
    """A derived variable computed from other values (``@alert.timestamp``)."""
    DEFAULT = "default"
    """Not set by the sample: the catalogue's default."""


@dataclass(frozen=True, slots=True)
class ResolvedValue:
    """The value of one system variable for one alert type (or for all types).

    Attributes:
        variable: The catalogue entry.
        value: What the preview uses; ``None`` in the all-types view when the types differ.
        source: Where it comes from.
        per_type: The value each alert type resolves to.
        overridden_for: The alert types with their own (``perType``) value.
    """

    variable: VariableInfo
    value: str | None
    source: ValueSource
    per_type: Mapping[AlertType, str]
    overridden_for: tuple[AlertType, ...]

    @property
    def explicit(self) -> bool:
        """True when the sample sets the value (rather than a computation or a default)."""
        return self.source in (ValueSource.TYPE, ValueSource.ALL)


def system_variables(catalogue: Catalogue) -> tuple[VariableInfo, ...]:
    """The catalogue's system variables a sample can set (all but ``@CustomField(...)``)."""
    return tuple(v for v in catalogue.variables if not v.name.startswith("@CustomField"))


def resolve_values(
    sample: SampleSet, catalogue: Catalogue, alert_type: AlertType | None
) -> list[ResolvedValue]:
    """Resolve every system variable for ``alert_type`` (``None``: the values for all types).

    A sample whose times cannot be used (which loading prevents) resolves without its computed
    values rather than failing.
    """
    resolved: dict[AlertType, Mapping[str, str]] = {}
    for each in ALERT_TYPES:
        try:
            resolved[each] = alert_data(sample, each, catalogue).values
        except SampleError:
            fallback = dict(catalogue.default_values)
            fallback.update(catalogue.default_per_type.get(each.value, {}))
            fallback.update(sample.explicit(each))
            resolved[each] = fallback
    result = []
    for variable in system_variables(catalogue):
        name = variable.name
        per_type = MappingProxyType({t: resolved[t].get(name, "") for t in ALERT_TYPES})
        overridden = tuple(t for t in ALERT_TYPES if name in sample.per_type.get(t, {}))
        implicit = ValueSource.COMPUTED if variable.derived_from else ValueSource.DEFAULT
        value: str | None
        if alert_type is not None:
            value = per_type[alert_type]
            if alert_type in overridden:
                source = ValueSource.TYPE
            elif name in sample.values:
                source = ValueSource.ALL
            else:
                source = implicit
        elif name in sample.values:
            value, source = sample.values[name], ValueSource.ALL
        else:
            distinct = set(per_type.values())
            value = distinct.pop() if len(distinct) == 1 else None
            source = implicit
        result.append(ResolvedValue(variable, value, source, per_type, overridden))
    return result


def check_value(name: str, value: str) -> str | None:
    """The problem with ``value`` as the sample value of system variable ``name``, or ``None``."""
    if name in UTC_VALUES:
        try:
            parse_utc(value, "", "")
        except SampleError as exc:
            return f"{name}: {exc.problem}"
    return None


def check_timezone(name: str) -> str | None:
    """The IANA time zone spelled like ``name`` (any case), or ``None`` when there is none."""
    text = name.strip()
    zones = available_timezones()
    if text in zones:
        return text
    folded = {zone.casefold(): zone for zone in zones}
    return folded.get(text.casefold())


def _put(mapping: Mapping[str, str], key: str, value: str) -> Mapping[str, str]:
    items = dict(mapping)
    items[key] = value
    return MappingProxyType(items)


def _drop(mapping: Mapping[str, str], key: str) -> Mapping[str, str]:
    return MappingProxyType({k: v for k, v in mapping.items() if k != key})


def set_value(sample: SampleSet, name: str, value: str, alert_type: AlertType | None) -> SampleSet:
    """Set system variable ``name`` for one alert type (``perType``) or for all (``values``)."""
    if alert_type is None:
        return replace(sample, values=_put(sample.values, name, value))
    per_type = dict(sample.per_type)
    per_type[alert_type] = _put(sample.per_type.get(alert_type, {}), name, value)
    return replace(sample, per_type=MappingProxyType(_ordered(per_type)))


def clear_value(sample: SampleSet, name: str, alert_type: AlertType | None) -> SampleSet:
    """Remove the sample's value of ``name`` for one alert type or for all types.

    The variable then falls back to the all-types value, its computed value or the default. An
    alert type left without overrides is dropped from ``perType``.
    """
    if alert_type is None:
        return replace(sample, values=_drop(sample.values, name))
    per_type = dict(sample.per_type)
    remaining = _drop(sample.per_type.get(alert_type, {}), name)
    if remaining:
        per_type[alert_type] = remaining
    else:
        per_type.pop(alert_type, None)
    return replace(sample, per_type=MappingProxyType(_ordered(per_type)))


def _ordered(per_type: dict[AlertType, Mapping[str, str]]) -> dict[AlertType, Mapping[str, str]]:
    return {t: per_type[t] for t in ALERT_TYPES if t in per_type}


def with_timezone(sample: SampleSet, timezone: str) -> SampleSet:
    """Use another IANA time zone.

    Raises:
        ValueError: ``timezone`` is not a known IANA name.
    """
    zone = check_timezone(timezone)
    if zone is None:
        raise ValueError(f"unknown time zone {timezone!r} (use an IANA name like Europe/Amsterdam)")
    return replace(sample, timezone=zone)


def with_culture(sample: SampleSet, culture: str) -> SampleSet:
    """Use another culture for the ``*Formatted`` values.

    Raises:
        ValueError: ``culture`` is not one of the known cultures.
    """
    normalized = normalize_culture(culture)
    if normalized is None:
        raise ValueError(f"unknown culture {culture!r}")
    return replace(sample, culture=normalized)


def unique_name(existing: Mapping[str, object], base: str) -> str:
    """``base``, or ``base2``, ``base3``, ... whichever is not a key of ``existing``."""
    if base not in existing:
        return base
    number = 2
    while f"{base}{number}" in existing:
        number += 1
    return f"{base}{number}"


def _rename(mapping: Mapping[str, str], old: str, new: str, what: str) -> Mapping[str, str]:
    new = new.strip()
    if not new:
        raise ValueError(f"a {what} needs a name")
    if new != old and new in mapping:
        raise ValueError(f"there is already a {what} called {new!r}")
    return MappingProxyType({(new if k == old else k): v for k, v in mapping.items()})


def set_custom_field(sample: SampleSet, name: str, value: str) -> SampleSet:
    """Set (or add, at the end) the custom field ``name``."""
    return replace(sample, custom_fields=_put(sample.custom_fields, name, value))


def rename_custom_field(sample: SampleSet, old: str, new: str) -> SampleSet:
    """Rename custom field ``old`` to ``new`` in place.

    Raises:
        ValueError: ``new`` is empty or already used by another custom field.
    """
    return replace(sample, custom_fields=_rename(sample.custom_fields, old, new, "custom field"))


def remove_custom_field(sample: SampleSet, name: str) -> SampleSet:
    """Remove the custom field ``name``."""
    return replace(sample, custom_fields=_drop(sample.custom_fields, name))


def set_escalation_value(sample: SampleSet, name: str, value: str) -> SampleSet:
    """Set the escalation-level value of predefined variable ``name``."""
    return replace(sample, escalation_level=_put(sample.escalation_level, name, value))


def clear_escalation_value(sample: SampleSet, name: str) -> SampleSet:
    """Remove the escalation-level value of predefined variable ``name``."""
    return replace(sample, escalation_level=_drop(sample.escalation_level, name))


def add_vault_item(
    sample: SampleSet, item: str, username: str = "", password: str = ""
) -> SampleSet:
    """Add a credential set to the mock vault (replacing one with the same GUID)."""
    vault = dict(sample.vault)
    vault[item] = MappingProxyType(
        {VaultField.USERNAME.value: username, VaultField.PASSWORD.value: password}
    )
    return replace(sample, vault=MappingProxyType(vault))


def set_vault_field(sample: SampleSet, item: str, field: VaultField, value: str) -> SampleSet:
    """Set the username or password of mock-vault item ``item``."""
    vault = dict(sample.vault)
    vault[item] = _put(sample.vault.get(item, {}), field.value, value)
    return replace(sample, vault=MappingProxyType(vault))


def rename_vault_item(sample: SampleSet, old: str, new: str) -> SampleSet:
    """Give mock-vault item ``old`` the GUID ``new``, keeping its place.

    Raises:
        ValueError: ``new`` is empty or already used by another item.
    """
    new = new.strip()
    if not new:
        raise ValueError("a vault item needs a GUID")
    if new != old and new in sample.vault:
        raise ValueError(f"there is already a vault item {new!r}")
    vault = {(new if k == old else k): v for k, v in sample.vault.items()}
    return replace(sample, vault=MappingProxyType(vault))


def remove_vault_item(sample: SampleSet, item: str) -> SampleSet:
    """Remove mock-vault item ``item``."""
    return replace(
        sample, vault=MappingProxyType({k: v for k, v in sample.vault.items() if k != item})
    )


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def sample_file_name(sample: SampleSet) -> str:
    """A file name for saving ``sample``: its name made safe for file systems, plus the suffix."""
    stem = _UNSAFE.sub("-", sample.name).strip(" .-") or "sample"
    return f"{stem}{SUFFIX}"


def with_sample_suffix(name: str) -> str:
    """``name`` ending in ``.sample.json`` (a bare ``.json`` is replaced, not doubled)."""
    if name.casefold().endswith(SUFFIX):
        return name
    if name.casefold().endswith(".json"):
        name = name[: -len(".json")]
    return f"{name}{SUFFIX}"
