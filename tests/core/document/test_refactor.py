"""Renaming a variable or function updates exactly its references and nothing else."""

from __future__ import annotations

from uptrends_studio.core.document.model import (
    Authentication,
    AuthType,
    HashFunction,
    Header,
    Integration,
    JwtFunction,
    Step,
    Variable,
    VaultField,
    VaultRef,
)
from uptrends_studio.core.document.refactor import count_references, rename_references

INTEGRATION = Integration(
    name="t",
    variables=(Variable("Key", value="k"),),
    steps=(
        Step(
            "S",
            url="{{ApiUrl}}/{{Key}}?k={{@UrlEncode({{Key}})}}",
            headers=(Header("X-Key", "Bearer {{Key}}"), Header("X-Other", "{{KeyId}} Key")),
            body='{"key": "{{Key}}", "text": "Key {{ Key }}", "call": "{{Key(x)}}"}',
            authentication=Authentication(AuthType.BASIC, "{{Key}}", "pw"),
        ),
    ),
    functions=(HashFunction("sig", "HMAC-SHA256", "{{Key}}"),),
)


def test_count_references_counts_tokens_not_text() -> None:
    # url 2, header 1, body 2 (the spaced one is a reference too; the call is not), username 1,
    # key 1; "{{KeyId}}" and the plain word "Key" are not references.
    assert count_references(INTEGRATION, "Key") == 7
    assert count_references(INTEGRATION, "Key", call=True) == 1


def test_rename_updates_every_template_and_leaves_lookalikes() -> None:
    renamed = rename_references(INTEGRATION, "Key", "ApiKey")
    step = renamed.steps[0]
    assert step.url == "{{ApiUrl}}/{{ApiKey}}?k={{@UrlEncode({{ApiKey}})}}"
    assert step.headers == (
        Header("X-Key", "Bearer {{ApiKey}}"),
        Header("X-Other", "{{KeyId}} Key"),
    )
    assert step.body == '{"key": "{{ApiKey}}", "text": "Key {{ ApiKey }}", "call": "{{Key(x)}}"}'
    assert step.authentication.username == "{{ApiKey}}"
    assert renamed.functions[0] == HashFunction("sig", "HMAC-SHA256", "{{ApiKey}}")
    assert count_references(renamed, "Key") == 0


def test_rename_reaches_variable_values_and_jwt_fields_but_not_vault_references() -> None:
    integration = Integration(
        name="t",
        variables=(
            Variable("Key", value="k"),
            Variable("Url", value="https://x/{{Key}}"),
            Variable("Pwd", vault=VaultRef("guid", VaultField.PASSWORD)),
        ),
        functions=(JwtFunction("token", "HS256", "{{Key}}", '{"kid":"{{Key}}"}'),),
    )
    assert count_references(integration, "Key") == 3
    renamed = rename_references(integration, "Key", "Secret")
    assert renamed.variables[1].value == "https://x/{{Secret}}"
    assert renamed.variables[2] == integration.variables[2]
    assert renamed.functions[0] == JwtFunction(
        "token", "HS256", "{{Secret}}", '{"kid":"{{Secret}}"}'
    )
