"""Tests for uptrends_studio.core.secrets and the evaluator's secret spans."""

from __future__ import annotations

import base64
import html
import json
import re
from urllib.parse import quote, quote_plus

import pytest

from tests.core.helpers import render_template, sample
from uptrends_studio.core.document.model import (
    AlertType,
    Authentication,
    AuthType,
    HashFunction,
    Header,
    Integration,
    MappingEntry,
    MappingFunction,
    RegexFunction,
    Step,
    Variable,
    VariableMode,
)
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import Renderer
from uptrends_studio.core.secrets import MASK, Masker, masked_request, masker_for

SECRET = 'a"b/c&d+é\\ %e'
VAULT = "5b7f6c3e-2a1d-4e8f-9c0b-1a2b3c4d5e6f"
VARIABLES = (
    Variable("Key", value=SECRET, secret=True),
    Variable("User", value="svc"),
    Variable("Level", mode=VariableMode.ESCALATION_LEVEL, secret=True),
)
DATA = sample(
    vault={VAULT: {"Username": "vault-user", "Password": SECRET}},
    escalation_level={"Level": SECRET},
    custom_fields={"Team": "ops"},
)


@pytest.mark.parametrize(
    "form",
    [
        SECRET,
        json.dumps(SECRET)[1:-1],
        json.dumps(SECRET, ensure_ascii=False)[1:-1],
        json.dumps(SECRET)[1:-1].replace("/", "\\/"),
        quote(SECRET, safe=""),
        re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), quote(SECRET, safe="")),
        json.dumps(SECRET)[1:-1].replace("\\u00e9", "\\u00E9"),
        quote(SECRET, safe="").replace("%20", "+"),
        quote(SECRET),
        quote_plus(SECRET),
        html.escape(SECRET),
        html.escape(SECRET, quote=False),
        base64.b64encode(SECRET.encode()).decode(),
        base64.urlsafe_b64encode(SECRET.encode()).decode(),
        base64.b64encode(f"svc:{SECRET}".encode()).decode(),
    ],
)
def test_the_masker_covers_every_recoverable_form(form: str) -> None:
    masker = Masker.of([SECRET], usernames=["svc"])
    assert masker.mask(f"before {form} after") == f"before {MASK} after"


def test_an_empty_masker_reveals_and_short_values_are_not_masked() -> None:
    assert not Masker()
    assert Masker().mask(SECRET) == SECRET
    assert Masker.of(["ab"]).mask("ab cd") == "ab cd"
    assert Masker.of([SECRET]).adding(["other-secret"]).mask(f"{SECRET} other-secret") == (
        f"{MASK} {MASK}"
    )


@pytest.mark.parametrize(
    ("template", "functions", "expected"),
    [
        ("{{Key}}", (), MASK),
        ("x={{@UrlEncode({{Key}})}}", (), f"x={MASK}"),
        ("Basic {{@Base64Encode({{User}}:{{Key}})}}", (), f"Basic {MASK}"),
        ('"{{@JsonEncode({{Key}})}}"', (), f'"{MASK}"'),
        (f"{{{{@VaultItem.{VAULT}.Password}}}}", (), MASK),
        (f"{{{{@VaultItem.{VAULT}.Username}}}}", (), "vault-user"),
        ("{{Level}}", (), MASK),
        ("{{Map({{Key}})}}", (MappingFunction("Map", (MappingEntry(SECRET, "mapped"),)),), MASK),
        ("{{Sign(body)}}", (HashFunction("Sign", "HMAC-SHA256", "{{Key}}"),), MASK),
        ("{{Sign(body)}}", (HashFunction("Sign", "HMAC-SHA256", "plain-key"),), MASK),
        ("{{@XmlEncode({{@Base64Encode({{Key}})}})}}-{{User}}", (), f"{MASK}-svc"),
        ("{{User}} {{@alert.type}}", (), "svc Alert"),
        ("{{Key}}{{Key}}", (), MASK),
    ],
)
def test_secret_spans_cover_everything_computed_from_a_secret(
    catalogue: Catalogue, template: str, functions: tuple[MappingFunction, ...], expected: str
) -> None:
    rendered = render_template(
        catalogue, template, variables=VARIABLES, functions=functions, data=DATA
    )
    assert rendered.masked(MASK) == expected


@pytest.mark.parametrize(
    ("template", "functions", "code"),
    [
        (
            "{{Map({{Key}})}}",
            (MappingFunction("Map", (MappingEntry("x", "y"),)),),
            "function-failed",
        ),
        ("{{Find({{Key}})}}", (RegexFunction("Find", "^zzz$"),), "function-failed"),
        ("{{@CustomField({{Key}})}}", (), "custom-field-missing"),
        ("{{@RandomInt(1,{{Key}})}}", (), "function-failed"),
        ("{{@DateTime({{Key}})}}", (), "function-failed"),
        ("{{@Base64Decode({{Key}})}}", (), "function-failed"),
    ],
)
def test_diagnostics_never_quote_a_secret_argument(
    catalogue: Catalogue, template: str, functions: tuple[MappingFunction, ...], code: str
) -> None:
    rendered = render_template(
        catalogue, template, variables=VARIABLES, functions=functions, data=DATA
    )
    messages = [d.message for d in rendered.diagnostics if d.code == code]
    assert messages, [d.message for d in rendered.diagnostics]
    masker = Masker.of([SECRET])
    for message in messages:
        assert masker.mask(message) == message, message
        assert 'a"b' not in message


def test_a_non_secret_argument_is_still_quoted(catalogue: Catalogue) -> None:
    functions = (MappingFunction("Map", (MappingEntry("x", "y"),)),)
    rendered = render_template(catalogue, "{{Map(unknown)}}", functions=functions)
    assert [d.message for d in rendered.diagnostics] == [
        "Map: no mapping row for 'unknown'; the value passes through unchanged"
    ]


def test_masked_request_uses_spans_then_the_masker(catalogue: Catalogue) -> None:
    integration = Integration(
        name="i",
        variables=VARIABLES,
        steps=(
            Step(
                "s",
                alert_types=(AlertType.ERROR,),
                url="https://x.test/?k={{@UrlEncode({{Key}})}}&u={{User}}",
                headers=(Header("X-Auth", "Basic {{@Base64Encode({{User}}:{{Key}})}}"),),
                body="literal " + SECRET,
                authentication=Authentication(AuthType.BASIC, "svc", "p4ss-word"),
            ),
        ),
    )
    [request] = Renderer(integration, catalogue).render_alert(AlertType.ERROR, DATA)
    masker = masker_for(integration, DATA, [request])
    shown = masked_request(request, masker)
    assert shown.url == f"https://x.test/?k={MASK}&u=svc"
    assert shown.headers == (("X-Auth", f"Basic {MASK}"),)
    assert shown.body == f"literal {MASK}"  # typed literally: the masker catches it
    assert shown.password == MASK
    assert shown.fields == {}
    # An echo of the computed value is caught by the masker too.
    signed = dict(request.headers)["X-Auth"].removeprefix("Basic ")
    assert masker.mask(f'{{"auth": "{signed}"}}') == f'{{"auth": "{MASK}"}}'
    assert masker.mask(base64.b64encode(b"svc:p4ss-word").decode()) == MASK
    assert masked_request(request, Masker()).url == f"https://x.test/?k={MASK}&u=svc"
