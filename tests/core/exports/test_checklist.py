"""The Uptrends checklist: what to type into each Uptrends screen, in screen order."""

from __future__ import annotations

import re

import pytest

from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import (
    AlertType,
    Authentication,
    AuthType,
    HashFunction,
    Header,
    Integration,
    RegexFunction,
    ResponseSource,
    ResponseVariable,
    Step,
    Variable,
    VariableMode,
    VaultField,
    VaultRef,
)
from uptrends_studio.core.document.samples import find_sample
from uptrends_studio.core.exports.checklist import (
    NOT_TICKED,
    TICKED,
    ChecklistSection,
    checklist,
    checklist_text,
)
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.secrets import MASK, secret_values
from uptrends_studio.paths import resource_path

ROUTING_KEY = "REPLACE-WITH-32-CHAR-ROUTING-KEY"


def demo() -> Integration:
    return integration_file.load(resource_path("demo.integration.json"))


def pagerduty() -> Integration:
    return integration_file.load(resource_path("templates", "pagerduty.integration.json"))


def items(section: ChecklistSection) -> list[tuple[str, str]]:
    return [(item.label, item.value) for item in section.items]


def test_demo_sections_follow_the_uptrends_screens() -> None:
    sections = checklist(demo(), [])
    assert [s.title for s in sections] == [
        "Main tab",
        "Predefined variables",
        "Customizations: step 1 'Send alert'",
        "User-defined functions",
        "Escalation levels",
    ]


def test_demo_items_in_screen_order() -> None:
    integration = demo()
    main, variables, step, functions, escalation = checklist(integration, [])
    assert items(main) == [
        ("Integration type", "Uptrends integration"),
        ("Integration name", "Demo: Uptrends integration"),
    ]
    assert items(variables) == [
        ("Variable 1 name", "ApiUrl"),
        ("Variable 1 value mode", "Specify value here"),
        ("Variable 1 value", "http://127.0.0.1:8787/alerts"),
        ("Variable 2 name", "Team"),
        ("Variable 2 value mode", "Specify value in escalation level"),
    ]
    assert items(step) == [
        ("Error alert", TICKED),
        ("OK alert", TICKED),
        ("Reminder alert", TICKED),
        ("HTTP method", "POST"),
        ("URL", "{{ApiUrl}}"),
        ("Request header 1 name", "Content-Type"),
        ("Request header 1 value", "application/json"),
        ("Request body", integration.steps[0].body),
        ("Authentication type", "None"),
    ]
    assert items(functions) == [
        ("Function 1 name", "severity"),
        ("Function 1 type", "Mapping"),
        ("Function 1 row 1 From", "Alert"),
        ("Function 1 row 1 To", "critical"),
        ("Function 1 row 2 From", "Reminder"),
        ("Function 1 row 2 To", "critical"),
        ("Function 1 row 3 From", "Ok"),
        ("Function 1 row 3 To", "resolved"),
    ]
    assert items(escalation) == [
        ("Alerting by integrations", "Demo: Uptrends integration"),
        ("Team (per escalation level)", "Team"),
    ]
    assert not any(item.secret for section in (main, variables, step) for item in section.items)


def test_pagerduty_routing_key_is_masked_with_a_note(catalogue: Catalogue) -> None:
    integration = pagerduty()
    sample = find_sample(None, catalogue)
    sections = checklist(integration, secret_values(integration, sample))
    variables = sections[1]
    [key] = [item for item in variables.items if item.label == "Variable 2 value"]
    assert key.value == MASK
    assert key.secret
    assert "type the real value in Uptrends" in key.note
    assert ROUTING_KEY not in checklist_text(sections)
    # Templates are listed as written: the body references the variable, it does not hold it.
    step = sections[2]
    [body] = [item for item in step.items if item.label == "Request body"]
    assert '"routing_key": "{{RoutingKey}}"' in body.value
    functions = sections[3]
    assert [v for label, v in items(functions) if label.endswith(" name")] == [
        "eventAction",
        "severity",
        "headline",
        "max200",
        "max255",
        "max1000",
        "max2000",
    ]
    assert ("Function 4 type", "Regular expression") in items(functions)
    assert ("Function 4 regular expression", "^([\\s\\S]{0,200})") in items(functions)


def test_reveal_shows_the_secret_but_keeps_it_marked() -> None:
    sections = checklist(pagerduty(), [ROUTING_KEY], reveal=True)
    [key] = [item for item in sections[1].items if item.label == "Variable 2 value"]
    assert key.value == ROUTING_KEY
    assert key.secret


def test_authentication_functions_and_literal_secrets_are_masked() -> None:
    integration = Integration(
        name="Auth",
        variables=(
            Variable("Token", value="tok-123456", secret=True),
            Variable("Vaulted", secret=True, vault=VaultRef("abc-guid", VaultField.PASSWORD)),
        ),
        steps=(
            Step(
                name="Get token",
                alert_types=(),
                method="POST",
                url="https://auth.example.com/token",
                authentication=Authentication(AuthType.BASIC, "api-user", "hunter2-pass"),
                response_variables=(ResponseVariable("access", ResponseSource.JSON_PATH, "a.b"),),
            ),
            Step(
                name="Post",
                alert_types=(AlertType.ERROR, AlertType.OK),
                url="https://api.example.com/x",
                # a secret typed literally into a header: still masked
                headers=(Header("X-Key", "Bearer tok-123456"),),
                authentication=Authentication(
                    AuthType.DIGEST, "u", "{{@VaultItem.abc-guid.Password}}"
                ),
            ),
        ),
        functions=(
            HashFunction("sign", "HMAC-SHA256", "k3y-literal"),
            HashFunction("digest", "SHA256"),
            RegexFunction("first", "^(.)"),
        ),
    )
    sections = checklist(integration, ["tok-123456", "hunter2-pass"])
    text = checklist_text(sections)
    for secret in ("tok-123456", "hunter2-pass", "k3y-literal"):
        assert secret not in text
    helper = sections[2]
    assert helper.title == "Customizations: step 1 'Get token'"
    assert "helper step" in helper.note
    assert items(helper)[:3] == [
        ("Error alert", NOT_TICKED),
        ("OK alert", NOT_TICKED),
        ("Reminder alert", NOT_TICKED),
    ]
    assert ("Authentication type", "Basic") in items(helper)
    assert ("Username", "api-user") in items(helper)
    password = next(i for i in helper.items if i.label == "Password")
    assert (password.value, password.secret) == (MASK, True)
    assert ("Response variable 1", "access = JSON path a.b") in items(helper)
    message = sections[3]
    assert items(message)[:3] == [
        ("Error alert", TICKED),
        ("OK alert", TICKED),
        ("Reminder alert", NOT_TICKED),
    ]
    header = next(i for i in message.items if i.label == "Request header 1 value")
    assert (header.value, header.secret) == (f"Bearer {MASK}", True)
    # a vault reference is what the user types: not hidden
    assert ("Password", "{{@VaultItem.abc-guid.Password}}") in items(message)
    variables = sections[1]
    assert ("Variable 2 value", "Vault credentials: credential set abc-guid, password") in items(
        variables
    )
    functions = items(sections[4])
    assert ("Function 1 algorithm", "HMAC-SHA256") in functions
    assert ("Function 1 secret key", MASK) in functions
    assert not any(label.startswith("Function 2 secret") for label, _ in functions)


def test_escalation_level_variable_gets_no_value_on_the_main_tab() -> None:
    integration = Integration(
        name="E",
        variables=(Variable("Route", mode=VariableMode.ESCALATION_LEVEL),),
        steps=(Step("s"),),
    )
    sections = checklist(integration, [])
    assert [label for label, _ in items(sections[1])] == [
        "Variable 1 name",
        "Variable 1 value mode",
    ]
    assert ("Route (per escalation level)", "Route") in items(sections[-1])


def test_checklist_text_is_numbered_and_bodies_copy_exactly() -> None:
    integration = demo()
    text = checklist_text(checklist(integration, []), title=integration.name)
    assert text.startswith("Uptrends checklist: Demo: Uptrends integration\n")
    headings = re.findall(r"^(\d+)\. (.+)$", text, flags=re.MULTILINE)
    assert [n for n, _ in headings] == ["1", "2", "3", "4", "5"]
    assert "   1.2 Integration name: Demo: Uptrends integration" in text
    assert "   3.5 URL: {{ApiUrl}}" in text
    fenced = re.search(r"3\.8 Request body:\n(`{3,})\n(.*?)\n\1\n", text, flags=re.DOTALL)
    assert fenced is not None
    assert fenced.group(2) == integration.steps[0].body


def test_a_body_with_backticks_gets_a_longer_fence() -> None:
    body = "line one\n```\nline ```` three"
    integration = Integration(name="B", steps=(Step("s", body=body),))
    text = checklist_text(checklist(integration, []))
    fenced = re.search(r"Request body:\n(`+)\n(.*?)\n\1\n", text, flags=re.DOTALL)
    assert fenced is not None
    assert len(fenced.group(1)) == 5
    assert fenced.group(2) == body


@pytest.mark.parametrize("value", ["", "single line"])
def test_single_line_values_follow_the_label(value: str) -> None:
    integration = Integration(name="B", steps=(Step("s", body=value),))
    text = checklist_text(checklist(integration, []))
    expected = value or "(leave empty)"
    assert f"Request body: {expected}\n" in text
