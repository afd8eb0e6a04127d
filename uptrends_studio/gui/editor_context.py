"""What the template editors know about the open integration: names, descriptions, values."""

from __future__ import annotations

from uptrends_studio.core.document import sample_edit as se
from uptrends_studio.core.document.model import (
    AlertType,
    HashFunction,
    JwtFunction,
    MappingFunction,
    VariableMode,
)
from uptrends_studio.core.document.samples import alert_data
from uptrends_studio.core.errors import StudioError
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import Renderer
from uptrends_studio.core.secrets import MASK, masker_for
from uptrends_studio.gui.document import IntegrationDocument
from uptrends_studio.gui.editor.context import CompletionItem
from uptrends_studio.gui.sample_state import SampleState

MAX_VALUE_PREVIEW = 120

UI_BUDGET_SECONDS = 0.2
"""Render budget of a value evaluated on the UI thread (a slow function cannot freeze it)."""


def _short(value: str) -> str:
    flat = value.replace("\r", "").replace("\n", "⏎")
    return flat if len(flat) <= MAX_VALUE_PREVIEW else flat[:MAX_VALUE_PREVIEW] + "…"


class StudioEditorContext:
    """Completion items and token descriptions for the document, sample and alert type."""

    def __init__(
        self, document: IntegrationDocument, samples: SampleState, catalogue: Catalogue
    ) -> None:
        self._document = document
        self._samples = samples
        self._catalogue = catalogue
        self.alert_type = AlertType.ERROR
        self.reveal_secrets = False

    def add_custom_field(self, name: str) -> None:
        """Add the custom field ``name`` (empty) to the sample in use, as an unsaved edit."""
        sample = self._samples.sample
        if name not in sample.custom_fields:
            self._samples.set_sample(se.set_custom_field(sample, name, ""), edited=True)

    @property
    def catalogue(self) -> Catalogue:
        """The variable and function catalogue (the editors' highlighters share it)."""
        return self._catalogue

    def _values(self) -> dict[str, str]:
        try:
            data = alert_data(self._samples.sample, self.alert_type, self._catalogue)
        except StudioError:
            return {}
        return dict(data.values)

    def _variable_value(self, name: str) -> str:
        variable = self._document.integration.variable(name)
        if variable is None:
            return ""
        sample = self._samples.sample
        if variable.mode is VariableMode.ESCALATION_LEVEL:
            value = sample.escalation_level.get(name, "")
        elif variable.vault is not None:
            value = sample.vault.get(variable.vault.item, {}).get(variable.vault.field.value, "")
        else:
            value = variable.value
        if "{{" in value:
            # Tokens in a value are evaluated once per message: show what is sent.
            integration = self._document.integration
            try:
                data = alert_data(sample, self.alert_type, self._catalogue)
            except StudioError:
                return value
            # On the UI thread (a tooltip, a completion): a short render budget.
            renderer = Renderer(integration, self._catalogue, budget_seconds=UI_BUDGET_SECONDS)
            value = renderer.variable_value(name, data)
            if not self.reveal_secrets:
                value = masker_for(integration, sample).mask(value)
        secret = variable.secret or (
            variable.vault is not None and variable.vault.field.value == "Password"
        )
        return MASK if secret and value and not self.reveal_secrets else value

    def completion_items(self) -> list[CompletionItem]:
        """Everything that can follow ``{{``: system variables, functions, the integration's own."""
        values = self._values()
        items: list[CompletionItem] = []
        for variable in self._document.integration.variables:
            where = (
                "set per escalation level"
                if variable.mode is VariableMode.ESCALATION_LEVEL
                else "predefined variable"
            ) + "; tokens in its value are evaluated once per message"
            description = variable.description or where
            items.append(
                CompletionItem(
                    f"{variable.name}}}}}",
                    variable.name,
                    "predefined",
                    description,
                    _short(self._variable_value(variable.name)),
                )
            )
        for function in self._document.integration.functions:
            kind = (
                "mapping"
                if isinstance(function, MappingFunction)
                else "hash"
                if isinstance(function, HashFunction)
                else "JWT encode: give it the claims as a JSON object"
                if isinstance(function, JwtFunction)
                else "regex"
            )
            items.append(
                CompletionItem(
                    f"{function.name}(", f"{function.name}(…)", "udf", f"user-defined {kind}", ""
                )
            )
        for info in self._catalogue.variables:
            if "(" in info.name:
                continue
            items.append(
                CompletionItem(
                    f"{info.name}}}}}",
                    info.name,
                    "system",
                    info.description,
                    _short(values.get(info.name, "")),
                )
            )
        for fn in self._catalogue.functions:
            if fn.name == "@VaultItem":
                text, label = "@VaultItem.", "@VaultItem.<guid>.Username|Password"
            elif fn.args is None:
                text, label = f"{fn.name}}}}}", fn.name
            else:
                text, label = f"{fn.name}(", f"{fn.name}({','.join(fn.args)})"
            items.append(CompletionItem(text, label, "function", fn.description, ""))
        return items

    def describe_token(self, name: str) -> tuple[str, str] | None:
        """Description and current value of a token name, or ``None`` if unknown."""
        integration = self._document.integration
        variable = integration.variable(name)
        if variable is not None:
            kind = (
                "Predefined variable, set per escalation level"
                if variable.mode is VariableMode.ESCALATION_LEVEL
                else "Predefined variable"
            )
            kind += " (tokens in its value are evaluated once per message)"
            text = f"{kind}. {variable.description}".strip()
            return text, self._variable_value(name)
        for function in integration.functions:
            if function.name == name:
                if isinstance(function, JwtFunction):
                    return (
                        f"User-defined function (JWT encode, {function.algorithm}): signs the "
                        "JSON object of claims it is given and returns the token",
                        "",
                    )
                return f"User-defined function ({type(function).__name__[:-8].lower()})", ""
        info = self._catalogue.variable(name) or self._catalogue.variable_folded(name)
        if info is not None:
            return info.description, self._values().get(info.name, "")
        fn = self._catalogue.function(name) or self._catalogue.function_folded(name)
        if fn is not None:
            return fn.description, ""
        if name.startswith("@VaultItem."):
            return "Vault credential set field, resolved from the sample's mock vault.", ""
        return None
