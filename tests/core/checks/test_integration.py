"""Diagnostics: each problem is reported at the exact field, line and column it is about."""

from __future__ import annotations

from dataclasses import replace

import jwt
import pytest

from tests.core.helpers import sample
from uptrends_studio.core.checks.diagnostics import Diagnostic, Fix
from uptrends_studio.core.checks.field_path import FieldPath
from uptrends_studio.core.checks.integration import check_integration, exit_status
from uptrends_studio.core.document.model import (
    AlertType,
    HashFunction,
    Header,
    Integration,
    JwtFunction,
    RegexFunction,
    Step,
    UserFunction,
    Variable,
)
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.language.catalogue import Catalogue
from uptrends_studio.core.rendering.messages import Renderer
from uptrends_studio.core.secrets import MASK, masked_request, masker_for

JSON = (Header("Content-Type", "application/json"),)
XML = (Header("Content-Type", "application/xml; charset=utf-8"),)
EDGE = sample({"@monitor.notes": 'say "hi"\nbye', "@alert.description": "a\\b"})


def check(
    body: str,
    catalogue: Catalogue,
    *,
    headers: tuple[Header, ...] = JSON,
    url: str = "{{ApiUrl}}",
    data: SampleSet = EDGE,
    functions: tuple[UserFunction, ...] = (),
) -> list[Diagnostic]:
    integration = Integration(
        name="t",
        variables=(Variable("ApiUrl", value="https://api.test/x"),),
        steps=(Step("S", url=url, headers=headers, body=body),),
        functions=functions,
    )
    return check_integration(integration, data, catalogue)


def where(diagnostics: list[Diagnostic]) -> list[tuple[str, str, int, int]]:
    return [(d.code, d.field, d.line, d.column) for d in diagnostics]


def apply(text: str, fix: Fix) -> str:
    return text[: fix.start] + fix.replacement + text[fix.end :]


def test_clean_template_has_no_diagnostics(catalogue: Catalogue) -> None:
    body = '{\n  "notes": "{{@JsonEncode({{@monitor.notes}})}}",\n  "type": "{{@alert.type}}"\n}'
    assert check(body, catalogue) == []


def test_unknown_system_variable_with_did_you_mean(catalogue: Catalogue) -> None:
    body = '{\n  "a": 1,\n  "d": "{{@alert.descripton}}"\n}'
    found = check(body, catalogue)
    assert where(found) == [("unknown-variable", "steps[0].body", 3, 11)]
    assert "did you mean '@alert.description'?" in found[0].message
    assert apply(body, found[0].fixes[0]) == body.replace("descripton", "description")


def test_unknown_predefined_variable_and_function(catalogue: Catalogue) -> None:
    found = check('{"u": "{{ApiUlr}}", "f": "{{sev(x)}}"}', catalogue)
    assert where(found) == [
        ("unknown-variable", "steps[0].body", 1, 10),
        ("unknown-function", "steps[0].body", 1, 29),
    ]
    assert "did you mean 'ApiUrl'?" in found[0].message
    assert "defines no user-defined functions" in found[1].message


def test_case_mismatch_is_a_warning_with_a_fix(catalogue: Catalogue) -> None:
    body = '{"t": "{{@Alert.Type}}", "u": "{{apiurl}}"}'
    found = check(body, catalogue)
    assert where(found) == [
        ("case-mismatch", "steps[0].body", 1, 10),
        ("case-mismatch", "steps[0].body", 1, 34),
    ]
    assert {d.severity.value for d in found} == {"warning"}
    assert apply(body, found[0].fixes[0]) == body.replace("@Alert.Type", "@alert.type")


def test_zero_width_character_is_pinpointed(catalogue: Catalogue) -> None:
    body = '{"h": "{{@JsonEncode({{@\u200calert.responseHeaders}})}}"}'
    found = check(body, catalogue)
    assert where(found) == [("invisible-character", "steps[0].body", 1, 25)]
    assert "ZERO WIDTH NON-JOINER (U+200C)" in found[0].message
    fixed = apply(body, found[0].fixes[0])
    assert "\u200c" not in fixed
    assert check(fixed, catalogue) == []


def test_raw_free_text_in_json_string(catalogue: Catalogue) -> None:
    body = '{\n  "notes": "{{@monitor.notes}}"\n}'
    found = check(body, catalogue)
    assert [(d.code, d.line, d.column, d.severity.value) for d in found] == [
        ("invalid-json", 2, 13, "error"),
        ("raw-free-text", 2, 13, "warning"),
    ]
    assert "at character 6 of the value of {{@monitor.notes}}, which contains a double quote" in (
        found[0].message
    )
    fixed = apply(body, found[1].fixes[0])
    assert fixed == '{\n  "notes": "{{@JsonEncode({{@monitor.notes}})}}"\n}'
    assert check(fixed, catalogue) == []


def test_invalid_json_in_literal_text_points_at_the_template(catalogue: Catalogue) -> None:
    body = '{\n  "type": "{{@alert.type}}"\n  "b": 2\n}'
    found = check(body, catalogue)
    assert where(found) == [("invalid-json", "steps[0].body", 3, 3)]
    assert found[0].message == (
        "the rendered body is not valid JSON: a comma or the end of the object or array was "
        "expected"
    )


def test_invalid_xml_is_reported(catalogue: Catalogue) -> None:
    body = "<alert>\n  <notes>{{@monitor.notes}}</notes>\n  <type>{{@alert.type}}</typ>\n</alert>"
    found = check(body, catalogue, headers=XML)
    assert [(d.code, d.line) for d in found] == [("raw-free-text", 2), ("invalid-xml", 3)]
    assert "mismatched tag" in found[1].message
    ok = "<a><n>{{@XmlEncode({{@monitor.notes}})}}</n></a>"
    assert check(ok, catalogue, headers=XML) == []


def test_xml_check_never_expands_entities(catalogue: Catalogue) -> None:
    body = '<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>'
    found = check(body, catalogue, headers=XML)
    assert [d.code for d in found] == ["invalid-xml"]
    assert "entity declarations are not allowed" in found[0].message


def test_free_text_in_url_suggests_url_encode(catalogue: Catalogue) -> None:
    found = check("", catalogue, url="{{ApiUrl}}?m={{@monitor.name}}")
    assert where(found) == [("raw-free-text", "steps[0].url", 1, 14)]
    assert found[0].fixes[0].replacement == "{{@UrlEncode({{@monitor.name}})}}"


@pytest.mark.parametrize(
    ("body", "code", "column", "fragment"),
    [
        ('"{{@RandomInt(1)}}"', "function-failed", 2, "takes 2 arguments (min, max), got 1"),
        ('"{{@JsonEncode}}"', "argument-count", 2, "@JsonEncode needs arguments"),
        ('"{{@RandomGuid(1)}}"', "argument-count", 2, "takes no arguments"),
        ('"{{@DateTime(MM/dd,Yesterday)}}"', "datetime-offset", 2, "'Yesterday' after the last"),
        ('"{{@DateTime(MM/dd,999999999999)}}"', "function-failed", 2, "more than a century"),
        ('"{{@Base64Decode(%%%)}}"', "function-failed", 2, "not valid Base64"),
        ('"{{ @alert.type }}"', "whitespace-in-token", 2, "whitespace inside"),
        ('"{{@alert type}}"', "malformed-token", 2, "not a variable or function reference"),
        ('"{{@alert.type"', "unclosed-token", 2, "never closed"),
        ('"{{@VaultItem.abc.Secret}}"', "unknown-vault-field", 4, "use Username or Password"),
    ],
)
def test_function_and_token_errors(
    catalogue: Catalogue, body: str, code: str, column: int, fragment: str
) -> None:
    found = [d for d in check(body, catalogue, headers=()) if d.code != "content-type-missing"]
    assert [(d.code, d.line, d.column) for d in found] == [(code, 1, column)]
    assert fragment in found[0].message


def test_diagnostics_that_depend_on_the_type_name_it(catalogue: Catalogue) -> None:
    data = sample(
        per_type={AlertType.OK: {"@monitor.notes": 'has "quotes"'}},
        values={"@monitor.notes": "plain"},
    )
    found = check('{"n": "{{@monitor.notes}}"}', catalogue, data=data)
    invalid = [d for d in found if d.code == "invalid-json"]
    assert len(invalid) == 1
    assert invalid[0].alert_types == ("Ok",)
    assert invalid[0].format("x.integration.json").endswith("(for Ok) [invalid-json]")


def test_function_definitions_are_checked(catalogue: Catalogue) -> None:
    functions: tuple[UserFunction, ...] = (
        RegexFunction("bad", "(unclosed"),
        HashFunction("sig", "HMAC-SHA256", ""),
    )
    found = check("{}", catalogue, functions=functions)
    assert [(d.code, d.field) for d in found] == [
        ("invalid-regex", "functions[0].pattern"),
        ("hmac-key-missing", "functions[1].key"),
    ]


def test_exit_status_follows_severity(catalogue: Catalogue) -> None:
    warning_only = check('{"t": "{{@Alert.Type}}"}', catalogue)
    assert exit_status(warning_only, strict=False) == 0
    assert exit_status(warning_only, strict=True) == 1
    assert exit_status(check('{"t": "{{@nope}}"}', catalogue), strict=False) == 1


def test_format_line_shape() -> None:
    from uptrends_studio.core.checks.diagnostics import Severity

    diag = Diagnostic(
        Severity.ERROR, "unknown-variable", "unknown x", FieldPath.step_body(1), 5, 9, 3, 11
    )
    assert diag.format("a.integration.json") == (
        "a.integration.json:steps[1].body:3:11: error: unknown x [unknown-variable]"
    )


def test_nan_and_infinity_are_not_json(catalogue: Catalogue) -> None:
    found = check('{"a": NaN, "b": 1}', catalogue)
    assert [(d.code, d.column) for d in found] == [("invalid-json", 7)]
    assert "NaN is not a JSON value" in found[0].message


def test_header_problems(catalogue: Catalogue) -> None:
    headers = (
        *JSON,
        Header("X-Desc", "{{@monitor.notes}}"),
        Header("Bad Name", "x"),
        Header("content-type", "text/plain"),
    )
    found = check("{}", catalogue, headers=headers)
    assert [(d.code, d.field) for d in found] == [
        ("header-line-break", "steps[0].headers[1].value"),
        ("bad-header-name", "steps[0].headers[2].name"),
        ("duplicate-content-type", "steps[0].headers[3].name"),
    ]


def test_lone_carriage_returns_count_as_line_breaks(catalogue: Catalogue) -> None:
    found = check("<a>\r<b>{{@alert.type}}</c>\r</a>", catalogue, headers=XML)
    assert [(d.code, d.line) for d in found] == [("invalid-xml", 2)]


def test_missing_content_type_note_looks_at_what_is_sent(catalogue: Catalogue) -> None:
    found = check("{{@UrlEncode(Ben & Jerry's)}}", catalogue, headers=())
    assert found == []
    found = check('{"a": 1}', catalogue, headers=())
    assert [d.code for d in found] == ["content-type-missing"]


@pytest.mark.parametrize(
    ("body", "code", "fragment"),
    [
        ('"{{@DateTime(FirstDayOfMonth)}}"', "function-failed", "is an offset, not a format"),
        ('"{{@DateTime(ISO,)}}"', "datetime-offset", "nothing after the comma"),
    ],
)
def test_datetime_misuse_is_explained(
    catalogue: Catalogue, body: str, code: str, fragment: str
) -> None:
    found = [d for d in check(body, catalogue, headers=()) if d.code != "content-type-missing"]
    assert [d.code for d in found] == [code]
    assert fragment in found[0].message


def test_variable_reference_cycle_is_reported_at_each_reference(catalogue: Catalogue) -> None:
    integration = Integration(
        name="t",
        variables=(
            Variable("ApiUrl", value="https://api.test/{{Path}}"),
            Variable("Path", value="x/\n{{@UrlEncode({{ApiUrl}})}}"),
        ),
        steps=(Step("S", headers=JSON, body="{}"),),
    )
    found = check_integration(integration, sample(), catalogue)
    assert where(found) == [
        ("variable-cycle", "variables[0].value", 1, 18),
        ("variable-cycle", "variables[1].value", 2, 14),
    ]
    assert "(ApiUrl -> Path -> ApiUrl)" in found[0].message
    assert found[0].alert_types == ()


def test_problems_inside_a_variable_value_are_reported_at_the_value(
    catalogue: Catalogue,
) -> None:
    integration = Integration(
        name="t",
        variables=(
            Variable("ApiUrl", value="https://api.test/x"),
            Variable("Stamp", value="at {{@alert.timestmp}}"),
        ),
        steps=(Step("S", headers=JSON, body='{"a": "{{Stamp}}"}'),),
    )
    found = check_integration(integration, sample(), catalogue)
    assert where(found) == [("unknown-variable", "variables[1].value", 1, 6)]
    assert "did you mean '@alert.timestamp'" in found[0].message


@pytest.mark.parametrize(
    ("body", "fixed"),
    [
        # The Dutch KB's spellings, then every other place a space can go.
        ('"{{@ alert.timestamp}}"', '"{{@alert.timestamp}}"'),
        ('"{{@CustomField (ComponentId)}}"', '"{{@CustomField(ComponentId)}}"'),
        ('"{{@CustomField ()}}"', '"{{@CustomField()}}"'),
        ('"{{ @alert.type }}"', '"{{@alert.type}}"'),
        ('"{{\t@alert.type}}"', '"{{@alert.type}}"'),
        ('"{{ApiUrl }}"', '"{{ApiUrl}}"'),
        ('"{{@ JsonEncode({{@monitor.name}})}}"', '"{{@JsonEncode({{@monitor.name}})}}"'),
        ('"{{@JsonEncode( x ) }}"', '"{{@JsonEncode( x )}}"'),
        ('"{{ @UrlEncode ({{ApiUrl}})}}"', '"{{@UrlEncode({{ApiUrl}})}}"'),
    ],
)
def test_every_spacing_form_is_a_warning_with_a_fix(
    catalogue: Catalogue, body: str, fixed: str
) -> None:
    data = sample(custom_fields={"ComponentId": "c-1", "": ""})
    found = [
        d for d in check(body, catalogue, headers=(), data=data) if d.code != "content-type-missing"
    ]
    assert [(d.code, d.severity.value, d.column) for d in found] == [
        ("whitespace-in-token", "warning", 2)
    ]
    assert found[0].message.endswith(f"(without it: {fixed[1:-1]})")
    assert apply(body, found[0].fixes[0]) == fixed
    # The fixed token renders cleanly.
    after = check(fixed, catalogue, headers=(), data=data)
    assert [d.code for d in after if d.code != "content-type-missing"] == []


@pytest.mark.parametrize(
    ("body", "message", "fixed"),
    [
        # A raw line break from an unencoded variable: the error is inside its value.
        (
            '{"d": "{{@alert.description}}"}',
            "the rendered body is not valid JSON: a raw line break inside a string (JSON writes "
            "it as an escape such as \\n; @JsonEncode does that), at character 4 of the value "
            "of {{@alert.description}}, which contains a line break; wrap it in @JsonEncode",
            '{"d": "{{@JsonEncode({{@alert.description}})}}"}',
        ),
        # A quote from a predefined variable (whose value is a token) ends the string early;
        # the parser fails on the literal text after it.
        (
            '{"n": "{{Name}}"}',
            "the rendered body is not valid JSON: a comma or the end of the object or array was "
            "expected; the likely cause is the value of "
            "{{Name}}, which contains a double quote: wrap it in @JsonEncode",
            '{"n": "{{@JsonEncode({{Name}})}}"}',
        ),
        (
            '{"a": 1,}',
            "the rendered body is not valid JSON: a property name in double quotes was expected",
            None,
        ),
        (
            '<a t="{{Name}}"/>',
            "the rendered body is not valid XML: a character that cannot appear here (a raw '&' "
            "or '<' in text, or a quote inside an attribute value); the likely cause is the "
            "value of {{Name}}, which contains a double quote: wrap it in @XmlEncode",
            '<a t="{{@XmlEncode({{Name}})}}"/>',
        ),
    ],
)
def test_validity_messages_are_complete_and_name_the_likely_cause(
    catalogue: Catalogue, body: str, message: str, fixed: str | None
) -> None:
    integration = Integration(
        name="t",
        variables=(
            Variable("ApiUrl", value="https://api.test/x"),
            Variable("Name", value='{{@alert.type}} 5"'),
        ),
        steps=(Step("S", headers=XML if body.startswith("<") else JSON, body=body),),
    )
    data = sample({"@alert.description": "one\ntwo"})
    found = [d for d in check_integration(integration, data, catalogue) if "invalid" in d.code]
    assert [d.message for d in found] == [message]
    if fixed is None:
        assert found[0].fixes == ()
    else:
        assert apply(body, found[0].fixes[0]) == fixed
        integration = replace(integration, steps=(replace(integration.steps[0], body=fixed),))
        assert check_integration(integration, data, catalogue) == []


@pytest.mark.parametrize(
    ("function", "expected"),
    [
        (JwtFunction("token", "HS256", ""), ("jwt-key-missing", "functions[0].key", "error")),
        (
            JwtFunction("token", "RS256", "not a key but long enough to be one, surely"),
            ("jwt-unusable", "functions[0].key", "error"),
        ),
        (
            JwtFunction("token", "HS256", "s" * 32, '{"kid": 1'),
            ("jwt-unusable", "functions[0].header", "error"),
        ),
        (JwtFunction("token", "HS512", "s" * 32), ("jwt-unusable", "functions[0].key", "warning")),
        (
            JwtFunction("token", "HS256", "{{Missing}}"),
            ("unknown-variable", "functions[0].key", "error"),
        ),
    ],
)
def test_jwt_function_definitions_are_checked(
    catalogue: Catalogue, function: JwtFunction, expected: tuple[str, str, str]
) -> None:
    found = check("{}", catalogue, functions=(function,))
    assert [(d.code, d.field, d.severity.value) for d in found] == [expected]


def test_a_jwt_key_typed_as_text_is_masked_and_so_is_the_token_signed_with_it(
    catalogue: Catalogue,
) -> None:
    key = "jwt-signing-secret-0123456789-abcdefghij"
    integration = Integration(
        name="t",
        variables=(Variable("ApiUrl", value="https://api.test/x"),),
        steps=(Step("S", headers=(Header("Authorization", 'Bearer {{token({"a":1})}} ' + key),)),),
        functions=(JwtFunction("token", "HS256", key),),
    )
    request = Renderer(integration, catalogue).render_alert(AlertType.ERROR, sample())[0]
    shown = masked_request(request, masker_for(integration, sample())).headers[0][1]
    token = request.headers[0][1].split()[1]
    # The token is computed from the key (and is a bearer credential itself): masked too.
    assert shown == f"Bearer {MASK} {MASK}"
    assert jwt.decode(token, key, algorithms=["HS256"]) == {"a": 1}


def test_the_literal_part_of_a_secret_value_with_tokens_is_masked(catalogue: Catalogue) -> None:
    integration = Integration(
        name="t",
        variables=(
            Variable("ApiUrl", value="https://api.test/x"),
            Variable("Auth", value="sk-live-4f9a2c {{@alert.type}}", secret=True),
        ),
        steps=(Step("S", headers=(Header("Authorization", "{{Auth}}"),)),),
    )
    request = Renderer(integration, catalogue).render_alert(AlertType.ERROR, sample())[0]
    assert request.headers[0][1] == "sk-live-4f9a2c Alert"
    shown = masked_request(request, masker_for(integration, sample())).headers[0][1]
    # The whole value comes from a secret variable: masked whole, the token part included.
    assert shown == MASK


@pytest.mark.parametrize(("length", "cut"), [(32, False), (33, True)])
def test_a_too_long_chain_of_variables_is_cut_and_reported_where_it_starts(
    catalogue: Catalogue, length: int, cut: bool
) -> None:
    chain = tuple(Variable(f"V{i}", value=f"<{{{{V{i + 1}}}}}>") for i in range(length))
    integration = Integration(
        name="t",
        variables=(
            Variable("ApiUrl", value="https://api.test/x"),
            *chain,
            Variable(f"V{length}", value="end"),
        ),
        steps=(Step("S", body="{{V0}}"),),
    )
    request = Renderer(integration, catalogue).render_alert(AlertType.ERROR, sample())[0]
    found = [
        d
        for d in check_integration(integration, sample(), catalogue)
        if d.code != "content-type-missing"
    ]
    if cut:
        assert request.body == "<" * 32 + "{{V32}}" + ">" * 32
        assert where(found) == [("too-deep", "variables[1].value", 1, 2)]
    else:
        assert request.body == "<" * 32 + "end" + ">" * 32
        assert found == []
