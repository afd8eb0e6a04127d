"""The Uptrends checklist: what to type into each Uptrends screen to recreate an integration.

Uptrends has no API to import a custom integration's definition, so the user types it in by
hand. :func:`checklist` lists every field in the order the Uptrends screens show them (Main tab,
predefined variables, each step of the Customizations tab, the user-defined functions, then the
escalation levels that use the integration). Templates are listed as written (``{{ApiUrl}}``,
not the rendered URL): that is what Uptrends stores.

Secret values (secret variables, plain-text authentication passwords, HMAC keys, and any known
secret typed literally into a field) are shown as :data:`~uptrends_studio.core.secrets.MASK`
with a note to type the real value in Uptrends, unless ``reveal`` is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from uptrends_studio.core.document.model import (
    AlertType,
    AuthType,
    HashFunction,
    Integration,
    JwtFunction,
    MappingFunction,
    RegexFunction,
    ResponseSource,
    Step,
    UserFunction,
    Variable,
    VariableMode,
)
from uptrends_studio.core.secrets import MASK, Masker

CUSTOM_TYPE = "Uptrends integration"
"""The integration type of a custom integration (the last entry of Uptrends' type list)."""

SECRET_NOTE = "secret: type the real value in Uptrends"
MODE_LABELS = {
    VariableMode.HERE: "Specify value here",
    VariableMode.ESCALATION_LEVEL: "Specify value in escalation level",
}
TICK_ORDER: tuple[tuple[str, AlertType], ...] = (
    ("Error alert", AlertType.ERROR),
    ("OK alert", AlertType.OK),
    ("Reminder alert", AlertType.REMINDER),
)
"""The alert-type boxes of a step, in the order Uptrends shows them."""
TICKED = "Ticked"
NOT_TICKED = "Not ticked"
_FUNCTION_TYPES = {
    MappingFunction: "Mapping",
    RegexFunction: "Regular expression",
    HashFunction: "Hash",
    JwtFunction: "JSON Web Token (JWT) encode",
}
_RESPONSE_SOURCES = {
    ResponseSource.JSON_PATH: "JSON path",
    ResponseSource.HEADER: "Response header",
    ResponseSource.STATUS_CODE: "Status code",
}


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One field to fill in.

    Attributes:
        label: The field as Uptrends names it (``URL``, ``Request header 1 value``).
        value: What to type or choose, ready to copy; ``MASK`` for a hidden secret.
        secret: The real value is secret (masked unless revealed).
        note: Extra advice (where the field is, what to do with a masked value).
    """

    label: str
    value: str
    secret: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class ChecklistSection:
    """One Uptrends screen or part of a screen, with its fields in screen order."""

    title: str
    items: tuple[ChecklistItem, ...]
    note: str = ""
    """What to do on this screen (or why it has nothing to fill in)."""


class _Builder:
    """Collects items, masking known secrets that were typed literally into a field."""

    def __init__(self, secrets: Sequence[str], reveal: bool) -> None:
        self.masker = Masker.of(secrets)
        self.reveal = reveal
        self.items: list[ChecklistItem] = []

    def add(self, label: str, value: str, note: str = "") -> None:
        """A plain field; masked (and marked secret) when it contains a known secret."""
        shown = self.masker.mask(value)
        if shown != value:
            note = _join(note, "contains a secret: type the real value in Uptrends")
            self.items.append(ChecklistItem(label, value if self.reveal else shown, True, note))
        else:
            self.items.append(ChecklistItem(label, value, False, note))

    def secret(self, label: str, value: str, note: str = "") -> None:
        """A field whose whole value is secret."""
        shown = value if self.reveal else MASK
        self.items.append(ChecklistItem(label, shown, True, _join(note, SECRET_NOTE)))

    def take(self) -> tuple[ChecklistItem, ...]:
        """The items collected since the last call."""
        items, self.items = tuple(self.items), []
        return items


def _join(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second


def checklist(
    integration: Integration, secrets: Sequence[str], *, reveal: bool = False
) -> list[ChecklistSection]:
    """The fields to fill in on the Uptrends screens, section by section, in screen order.

    Args:
        integration: The integration to recreate in Uptrends.
        secrets: Concrete secret strings (from :func:`~uptrends_studio.core.secrets.
            secret_values`); any field that contains one is masked.
        reveal: Show secret values instead of ``MASK`` (they stay marked ``secret``).

    Returns:
        The sections: ``Main tab``, ``Predefined variables``, one ``Customizations: step N
        'name'`` per step, ``User-defined functions``, ``Escalation levels``.
    """
    build = _Builder(secrets, reveal)
    sections = [_main(integration, build), _variables(integration, build)]
    sections += [_step(index, step, build) for index, step in enumerate(integration.steps)]
    sections.append(_functions(integration.functions, build))
    sections.append(_escalation(integration, build))
    return sections


def _main(integration: Integration, build: _Builder) -> ChecklistSection:
    kind = integration.integration_type or CUSTOM_TYPE
    note = (
        "in 'Add integration', choose the last entry of the type list"
        if kind == CUSTOM_TYPE
        else "in 'Add integration', click this type, then Choose"
    )
    build.add("Integration type", kind, note)
    build.add("Integration name", integration.name)
    if kind != CUSTOM_TYPE:
        build.add(
            "Customize integration",
            TICKED,
            "shows the Customizations tab and unlocks the predefined variables",
        )
    return ChecklistSection(
        "Main tab", build.take(), "Integrations > Add integration; keep the integration active"
    )


def _variables(integration: Integration, build: _Builder) -> ChecklistSection:
    for position, variable in enumerate(integration.variables, start=1):
        _variable(position, variable, build)
    items = build.take()
    note = (
        "on the Main tab; each is used in the steps as {{Name}}"
        if items
        else "none: this integration defines no predefined variables"
    )
    return ChecklistSection("Predefined variables", items, note)


def _variable(position: int, variable: Variable, build: _Builder) -> None:
    prefix = f"Variable {position}"
    build.add(f"{prefix} name", variable.name, variable.description)
    build.add(f"{prefix} value mode", MODE_LABELS[variable.mode])
    if variable.mode is VariableMode.ESCALATION_LEVEL:
        return
    if variable.vault is not None:
        build.add(
            f"{prefix} value",
            f"Vault credentials: credential set {variable.vault.item}, "
            f"{variable.vault.field.value.lower()}",
            "click '…' next to the value, choose Vault credentials, then the credential set",
        )
    elif variable.secret:
        build.secret(f"{prefix} value", variable.value, "click '…', choose Plain text")
    else:
        build.add(f"{prefix} value", variable.value)


def _step(index: int, step: Step, build: _Builder) -> ChecklistSection:
    for label, alert_type in TICK_ORDER:
        build.add(label, TICKED if alert_type in step.alert_types else NOT_TICKED)
    build.add("HTTP method", step.method)
    build.add("URL", step.url)
    for position, header in enumerate(step.headers, start=1):
        build.add(f"Request header {position} name", header.name)
        build.add(f"Request header {position} value", header.value)
    build.add("Request body", step.body)
    auth = step.authentication
    build.add("Authentication type", auth.type.value)
    if auth.type is not AuthType.NONE:
        build.add("Username", auth.username)
        if "{{" in auth.password:
            build.add("Password", auth.password, "a vault reference: type it as shown")
        else:
            build.secret("Password", auth.password)
    for position, variable in enumerate(step.response_variables, start=1):
        source = _RESPONSE_SOURCES[variable.source]
        where = f" {variable.property}" if variable.source is not ResponseSource.STATUS_CODE else ""
        build.add(
            f"Response variable {position}",
            f"{variable.name} = {source}{where}",
            "Uptrends documents response variables for multi-step monitors only; check that "
            "the step offers them",
        )
    note = ""
    if not step.alert_types:
        note = (
            "no box ticked: a helper step that runs before the message step (the Studio's "
            "rule; Uptrends does not document helper steps)"
        )
    if index > 0:
        note = _join("click Add steps first", note)
    return ChecklistSection(f"Customizations: step {index + 1} '{step.name}'", build.take(), note)


def _functions(functions: Sequence[UserFunction], build: _Builder) -> ChecklistSection:
    for position, function in enumerate(functions, start=1):
        prefix = f"Function {position}"
        build.add(f"{prefix} name", function.name)
        build.add(f"{prefix} type", _FUNCTION_TYPES[type(function)])
        if isinstance(function, MappingFunction):
            for row, entry in enumerate(function.mapping, start=1):
                build.add(f"{prefix} row {row} From", entry.source)
                build.add(f"{prefix} row {row} To", entry.target)
        elif isinstance(function, RegexFunction):
            build.add(f"{prefix} regular expression", function.pattern)
        elif isinstance(function, JwtFunction):
            build.add(f"{prefix} algorithm", function.algorithm)
            if "{{" in function.key:
                build.add(f"{prefix} signing key", function.key)
            else:
                build.secret(f"{prefix} signing key", function.key)
            if function.header:
                build.add(f"{prefix} header", function.header)
        else:
            build.add(f"{prefix} algorithm", function.algorithm)
            if function.algorithm.startswith("HMAC"):
                if "{{" in function.key:
                    build.add(f"{prefix} secret key", function.key)
                else:
                    build.secret(f"{prefix} secret key", function.key)
    items = build.take()
    note = (
        "Customizations tab > User defined functions > Add function, once per function"
        if items
        else "none: this integration defines no user-defined functions"
    )
    return ChecklistSection("User-defined functions", items, note)


def _escalation(integration: Integration, build: _Builder) -> ChecklistSection:
    build.add(
        "Alerting by integrations",
        integration.name,
        "tick the integration on each escalation level of each alert definition that should "
        "use it; an integration on no escalation level sends nothing",
    )
    for variable in integration.variables:
        if variable.mode is VariableMode.ESCALATION_LEVEL:
            build.add(
                f"{variable.name} (per escalation level)",
                variable.name,
                _join(
                    variable.description,
                    "fill in this variable's value in the field shown next to the integration",
                ),
            )
    return ChecklistSection(
        "Escalation levels", build.take(), "Alerts > Alert definitions > escalation levels"
    )


def checklist_text(sections: Sequence[ChecklistSection], title: str = "") -> str:
    """The checklist as numbered plain text, each value printed so it can be copied exactly.

    Single-line values follow their label; multi-line values (bodies) are printed unindented
    between code fences that no line of the value can close.
    """
    lines: list[str] = []
    if title:
        lines += [f"Uptrends checklist: {title}", ""]
    for number, section in enumerate(sections, start=1):
        lines.append(f"{number}. {section.title}")
        if section.note:
            lines.append(f"   ({section.note})")
        for sub, item in enumerate(section.items, start=1):
            head = f"   {number}.{sub} {item.label}:"
            if "\n" in item.value or "\r" in item.value:
                fence = "`" * max(3, _longest_backtick_run(item.value) + 1)
                lines += [head, fence, item.value, fence]
            else:
                lines.append(f"{head} {item.value}" if item.value else f"{head} (leave empty)")
            if item.note:
                lines.append(f"        ({item.note})")
        lines.append("")
    return "\n".join(lines)


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return longest
