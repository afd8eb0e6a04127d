"""Golden tests: every example of the domain reference renders exactly as documented."""

from __future__ import annotations

import json
import re

import jwt
import pytest

from tests.core.helpers import render_template, sample
from uptrends_studio.core.document.model import (
    AlertType,
    HashFunction,
    JwtFunction,
    MappingEntry,
    MappingFunction,
    RegexFunction,
    Variable,
    VariableMode,
)
from uptrends_studio.core.language.catalogue import Catalogue

KB_NOW = "2018-02-24T22:30:00Z"
NOTES = 'Line one\nsays "a quote"'


def test_json_encode_notes_example(catalogue: Catalogue) -> None:
    # KB message-formatting: notes with a line break and "a quote" break the raw template ...
    raw = render_template(
        catalogue, '{ "notes": "{{@monitor.notes}}" }', data=sample({"@monitor.notes": NOTES})
    )
    with pytest.raises(json.JSONDecodeError):
        json.loads(raw.text)
    # ... and the @JsonEncode fix emits \n and \".
    fixed = render_template(
        catalogue,
        '{ "Notes": "{{@JsonEncode({{@monitor.notes}})}}"}',
        data=sample({"@monitor.notes": NOTES}),
    )
    assert fixed.text == '{ "Notes": "Line one\\nsays \\"a quote\\""}'
    assert json.loads(fixed.text) == {"Notes": NOTES}
    assert fixed.diagnostics == ()


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{@UrlEncode(Ben & Jerry's)}}", "Ben+%26+Jerry's"),
        ("{{@UrlEncode({{CompanyName}})}}", "Ben+%26+Jerry's"),
        ("{{@UrlEncode(a/b?c=d é)}}", "a%2Fb%3Fc%3Dd+%C3%A9"),
    ],
)
def test_url_encode_example(catalogue: Catalogue, template: str, expected: str) -> None:
    company = Variable(name="CompanyName", value="Ben & Jerry's")
    assert render_template(catalogue, template, variables=(company,)).text == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{@DateTime(ISO)}}", "2018-02-24T22:30:00.0000000Z"),
        ("{{@DateTime(Iso)}}", "2018-02-24T22:30:00.0000000Z"),
        ("{{@DateTime(UNIX)}}", "1519511400"),
        ("{{@DateTime(Unix)}}", "1519511400"),
        ("{{@DateTime(dd-MM-yyyy HH:mm,-18000)}}", "24-02-2018 17:30"),
        ("{{@DateTime(MM/dd/yyyy,FirstDayOfMonth)}}", "02/01/2018"),
        ("{{@DateTime(MM/dd/yyyy,LastDayOfMonth)}}", "02/28/2018"),
        ("{{@DateTime(MM/dd/yyyy,FirstDayOfPreviousMonth)}}", "01/01/2018"),
        ("{{@DateTime(MM/dd/yyyy,LastDayOfPreviousMonth)}}", "01/31/2018"),
        ("{{@DateTime(MM/dd/yyyy,FirstDayOfNextMonth)}}", "03/01/2018"),
        ("{{@DateTime(MM/dd/yyyy,LastDayOfNextMonth)}}", "03/31/2018"),
        ("{{@DateTime(UNIX,3600)}}", "1519515000"),
        ("{{@DateTime(dddd, MMMM d yyyy)}}", "Saturday, February 24 2018"),
        ("{{@DateTime(dddd, MMMM d,86400)}}", "Sunday, February 25"),
    ],
)
def test_datetime_examples_at_kb_time(catalogue: Catalogue, template: str, expected: str) -> None:
    result = render_template(catalogue, template, data=sample(now=KB_NOW))
    assert result.text == expected
    assert result.diagnostics == ()


def test_custom_field_example(catalogue: Catalogue) -> None:
    data = sample(custom_fields={"ComponentId": "7149488f-0b33-460d-85eb-210c0e80d7ba"})
    result = render_template(
        catalogue, '{ "Component": "{{@CustomField(ComponentId)}}" }', data=data
    )
    assert result.text == '{ "Component": "7149488f-0b33-460d-85eb-210c0e80d7ba" }'


def test_custom_field_missing_renders_empty_and_warns(catalogue: Catalogue) -> None:
    result = render_template(catalogue, "[{{@CustomField(Nope)}}]", data=sample())
    assert result.text == "[]"
    assert [d.code for d in result.diagnostics] == ["custom-field-missing"]
    assert "Nope" in result.diagnostics[0].message


SEV = MappingFunction(
    name="sev",
    mapping=(
        MappingEntry("Alert", "critical"),
        MappingEntry("Reminder", "warning"),
        MappingEntry("Ok", "info"),
    ),
)


@pytest.mark.parametrize(
    ("alert_type", "expected"),
    [(AlertType.ERROR, "critical"), (AlertType.REMINDER, "warning"), (AlertType.OK, "info")],
)
def test_udf_mapping_inline_on_alert_type(
    catalogue: Catalogue, alert_type: AlertType, expected: str
) -> None:
    result = render_template(
        catalogue, '"severity": "{{sev({{@alert.type}})}}"', alert_type=alert_type, functions=(SEV,)
    )
    assert result.text == f'"severity": "{expected}"'


def test_udf_mapping_applied_to_variable(catalogue: Catalogue) -> None:
    mapping = MappingFunction("errorMapping", (MappingEntry("503", "outage"),))
    status = Variable(name="statusRaw", value="503")
    result = render_template(
        catalogue, "{{errorMapping({{statusRaw}})}}", variables=(status,), functions=(mapping,)
    )
    assert result.text == "outage"


def test_udf_mapping_without_match_passes_input_through(catalogue: Catalogue) -> None:
    result = render_template(catalogue, "{{sev(Unknown)}}", functions=(SEV,))
    assert result.text == "Unknown"
    assert [d.code for d in result.diagnostics] == ["function-failed"]


def test_udf_regex_first_group(catalogue: Catalogue) -> None:
    word = RegexFunction("word", r"^(\w+)")
    data = sample({"@alert.description": "Step 1: Navigate to https://x failed."})
    result = render_template(
        catalogue, "{{word({{@alert.description}})}}", functions=(word,), data=data
    )
    assert result.text == "Step"


def test_udf_regex_without_group_gives_whole_match_and_no_match_gives_empty(
    catalogue: Catalogue,
) -> None:
    digits = RegexFunction("digits", r"\d+")
    assert render_template(catalogue, "{{digits(abc 503 x)}}", functions=(digits,)).text == "503"
    missing = render_template(catalogue, "[{{digits(none)}}]", functions=(digits,))
    assert missing.text == "[]"
    assert "does not match" in missing.diagnostics[0].message


@pytest.mark.parametrize(
    ("algorithm", "key", "argument", "expected"),
    [
        ("MD5", "", "abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("SHA1", "", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("SHA256", "", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "HMAC-SHA256",
            "key",
            "The quick brown fox jumps over the lazy dog",
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
        ),
        (
            "HMAC-SHA1",
            "key",
            "The quick brown fox jumps over the lazy dog",
            "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9",
        ),
    ],
)
def test_udf_hash(
    catalogue: Catalogue, algorithm: str, key: str, argument: str, expected: str
) -> None:
    sig = HashFunction("sig", algorithm, key)
    assert render_template(catalogue, f"{{{{sig({argument})}}}}", functions=(sig,)).text == expected


def test_hmac_key_from_mock_vault_and_hex_to_base64(catalogue: Catalogue) -> None:
    guid = "0f8e2c1a-1111-4d2b-9a55-6b2f7d9e0c13"
    sig = HashFunction("sig", "HMAC-SHA256", f"{{{{@VaultItem.{guid}.Password}}}}")
    data = sample(vault={guid: {"Username": "u", "Password": "key"}})
    text = "{{@HexToBase64({{sig(The quick brown fox jumps over the lazy dog)}})}}"
    result = render_template(catalogue, text, functions=(sig,), data=data)
    assert result.text == "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{@Base64Encode({{yourVariableName}})}}", "dXNlcjpwYXNz"),
        ("{{@Base64Decode(dXNlcjpwYXNz)}}", "user:pass"),
        ("{{@Base64Decode({{@Base64Encode(héllo 🚨)}})}}", "héllo 🚨"),
        ("{{@JsonDecode({{@JsonEncode({{@monitor.notes}})}})}}", NOTES),
        (
            '{{@XmlEncode(<a href="x">Tom & Jerry\'s</a>)}}',
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;",
        ),
        ("{{@XmlDecode(&lt;b&gt; &amp;amp; &#233;&#x1F6A8;)}}", "<b> &amp; é🚨"),
        ("{{@JsonEncode(tab\there / é <&>')}}", "tab\\there / é <&>'"),
        ("{{@JsonEncode(\u0007bell)}}", "\\u0007bell"),
        ('{{@JsonEncode({"a":{"b":[1]}})}}', '{\\"a\\":{\\"b\\":[1]}}'),
        ("{{@JsonEncode(f(x))}}", "f(x)"),
    ],
)
def test_encoding_functions_and_nesting(catalogue: Catalogue, template: str, expected: str) -> None:
    variable = Variable(name="yourVariableName", value="user:pass")
    data = sample({"@monitor.notes": NOTES})
    result = render_template(catalogue, template, variables=(variable,), data=data)
    assert result.text == expected
    assert result.diagnostics == ()


@pytest.mark.parametrize(
    ("alert_type", "expected"),
    [(AlertType.ERROR, "Alert"), (AlertType.REMINDER, "Reminder"), (AlertType.OK, "Ok")],
)
def test_alert_type_renders_uptrends_vocabulary(
    catalogue: Catalogue, alert_type: AlertType, expected: str
) -> None:
    assert render_template(catalogue, "{{@alert.type}}", alert_type=alert_type).text == expected


def test_values_are_inserted_raw(catalogue: Catalogue) -> None:
    data = sample({"@monitor.name": 'a "b" \\ <c>'})
    assert render_template(catalogue, "{{@monitor.name}}", data=data).text == 'a "b" \\ <c>'


def test_token_text_inside_a_value_is_not_evaluated(catalogue: Catalogue) -> None:
    data = sample({"@monitor.notes": "see {{@alert.type}} and }}"})
    result = render_template(catalogue, "{{@monitor.notes}}", data=data)
    assert result.text == "see {{@alert.type}} and }}"


def test_predefined_variable_modes(catalogue: Catalogue) -> None:
    variables = (
        Variable(name="ApiUrl", value="https://example.test/hook"),
        Variable(name="Team", mode=VariableMode.ESCALATION_LEVEL),
    )
    data = sample(escalation_level={"Team": "ops"})
    result = render_template(catalogue, "{{ApiUrl}}?team={{Team}}", variables=variables, data=data)
    assert result.text == "https://example.test/hook?team=ops"
    blank = render_template(catalogue, "[{{Team}}]", variables=variables, data=sample())
    assert blank.text == "[]"
    assert [d.code for d in blank.diagnostics] == ["escalation-value-missing"]


def test_vault_reference_resolves_only_from_mock_vault(catalogue: Catalogue) -> None:
    guid = "5b7f6c3e-2a1d-4e8f-9c0b-1a2b3c4d5e6f"
    template = f"{{{{@VaultItem.{guid}.Username}}}}:{{{{@VaultItem.{guid}.Password}}}}"
    found = render_template(
        catalogue, template, data=sample(vault={guid: {"Username": "demo", "Password": "s3"}})
    )
    assert found.text == "demo:s3"
    missing = render_template(catalogue, template, data=sample())
    assert missing.text == f"<vault:{guid}:Username>:<vault:{guid}:Password>"
    assert {d.code for d in missing.diagnostics} == {"vault-missing"}


def test_form_urlencoded_body_encodes_token_values_once(catalogue: Catalogue) -> None:
    data = sample({"@monitor.name": "Ben & Jerry's shop"})
    result = render_template(
        catalogue,
        "name={{@monitor.name}}&same={{@UrlEncode({{@monitor.name}})}}&raw=a b",
        data=data,
        form=True,
    )
    assert result.text == "name=Ben+%26+Jerry's+shop&same=Ben+%26+Jerry's+shop&raw=a b"


def test_random_functions_are_deterministic_per_seed(catalogue: Catalogue) -> None:
    template = "{{@RandomGuid}} {{@RandomGuid}} {{@UniqueGuid}} {{@UniqueGuid}}"
    first = render_template(catalogue, template, data=sample(seed=7)).text.split()
    again = render_template(catalogue, template, data=sample(seed=7)).text.split()
    other = render_template(catalogue, template, data=sample(seed=8)).text.split()
    assert first == again
    assert first != other
    assert first[0] != first[1]  # a new GUID at every use
    assert first[2] == first[3]  # one GUID for the whole message
    assert all(g == g.upper() and len(g) == 36 for g in first)


def test_random_int_char_and_medicare_shapes(catalogue: Catalogue) -> None:
    import re

    for seed in range(20):
        text = render_template(
            catalogue,
            "{{@RandomInt(5,7)}}|{{@RandomChar(6)}}|{{@RandomUSMedicare}}",
            data=sample(seed=seed),
        ).text
        number, chars, mbi = text.split("|")
        assert 5 <= int(number) <= 7
        assert re.fullmatch(r"[A-Z]{6}", chars)
        assert re.fullmatch(
            r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9][0-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]"
            r"[0-9][AC-HJKMNP-RT-Y]{2}[0-9]{2}",
            mbi,
        )


def test_unknown_tokens_are_sent_as_written(catalogue: Catalogue) -> None:
    text = "a {{@foo.bar}} b {{Missing}} c {{nofn(x)}} d {{@Nope(1)}}"
    result = render_template(catalogue, text)
    assert result.text == text
    assert [d.code for d in result.diagnostics] == [
        "unknown-variable",
        "unknown-variable",
        "unknown-function",
        "unknown-function",
    ]


def test_kb_predefined_variables_using_automatic_variables(catalogue: Catalogue) -> None:
    # KB automatic-variables page: "examples of predefined variables using automatic
    # variables", to "generate a particular value and use it multiple times".
    variables = (
        Variable("SearchDate", value="{{@DateTime(dd-MM-yyyy)}}"),
        Variable("UniqueEmail", value="{{@RandomGuid}}@mycompany.com"),
    )
    result = render_template(
        catalogue,
        "{{SearchDate}}|{{UniqueEmail}}|{{UniqueEmail}}|{{@RandomGuid}}",
        variables=variables,
        data=sample(now=KB_NOW),
    )
    date, email, again, fresh = result.text.split("|")
    assert date == "24-02-2018"
    assert re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}@mycompany\.com", email)
    assert again == email  # one value per message, the same at every use
    assert fresh != email.removesuffix("@mycompany.com")
    assert result.diagnostics == ()


def test_variable_values_use_system_variables_vault_custom_fields_and_other_variables(
    catalogue: Catalogue,
) -> None:
    guid = "5b7f6c3e-2a1d-4e8f-9c0b-1a2b3c4d5e6f"
    variables = (
        Variable("Base", value="https://{{@CustomField(Host)}}/api"),
        Variable("Hook", value="{{Base}}/{{sev({{@alert.type}})}}"),
        Variable("Auth", value="Basic {{@Base64Encode({{@VaultItem." + guid + ".Username}}:x)}}"),
        Variable("Team", mode=VariableMode.ESCALATION_LEVEL),
    )
    functions = (MappingFunction("sev", (MappingEntry("Alert", "critical"),)),)
    data = sample(
        custom_fields={"Host": "ops.example"},
        vault={guid: {"Username": "svc", "Password": "pw"}},
        escalation_level={"Team": "team-{{@alert.type}}"},
    )
    result = render_template(
        catalogue,
        "{{Hook}} {{Auth}} {{Team}}",
        variables=variables,
        functions=functions,
        data=data,
        alert_type=AlertType.ERROR,
    )
    assert result.text == "https://ops.example/api/critical Basic c3ZjOng= team-Alert"
    assert result.diagnostics == ()


# The RFC 7519 / jwt.io example token: HS256 over these claims with this secret.
JWT_IO_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)


def test_jwt_encode_gives_the_well_known_example_token(catalogue: Catalogue) -> None:
    function = JwtFunction("token", "HS256", "your-256-bit-secret")
    result = render_template(
        catalogue,
        'Bearer {{token({"sub":"1234567890","name":"John Doe","iat":1516239022})}}',
        functions=(function,),
    )
    assert result.text == f"Bearer {JWT_IO_TOKEN}"
    # The example's secret is 19 bytes, less than SHA-256 wants (RFC 7518 §3.2): still signed,
    # with a warning.
    assert [(d.code, d.severity.value) for d in result.diagnostics] == [
        ("function-failed", "warning")
    ]
    assert "HMAC key is 19 bytes long" in result.diagnostics[0].message


def test_jwt_claims_from_a_variable_with_tokens_and_a_key_from_the_vault(
    catalogue: Catalogue,
) -> None:
    guid = "5b7f6c3e-2a1d-4e8f-9c0b-1a2b3c4d5e6f"
    secret = "a-signing-secret-of-at-least-thirty-two-bytes"
    variables = (
        Variable(
            "Claims",
            value='{"iss":"uptrends","sub":"{{@alert.alertGuid}}","iat":{{@DateTime(UNIX)}}}',
        ),
        Variable("KeyId", value="k-1"),
    )
    functions = (
        JwtFunction(
            "token", "HS256", "{{@VaultItem." + guid + ".Password}}", '{"kid":"{{KeyId}}"}'
        ),
    )
    result = render_template(
        catalogue,
        "{{token({{Claims}})}}",
        variables=variables,
        functions=functions,
        data=sample(
            {"@alert.alertGuid": "cbfc7769-edb2-46a7-89d0-1e1b1fb0815b"},
            now=KB_NOW,
            vault={guid: {"Username": "svc", "Password": secret}},
        ),
    )
    assert result.diagnostics == ()
    claims = jwt.decode(result.text, secret, algorithms=["HS256"], options={"verify_iat": False})
    assert claims == {
        "iss": "uptrends",
        "sub": "cbfc7769-edb2-46a7-89d0-1e1b1fb0815b",
        "iat": 1519511400,
    }
    assert jwt.get_unverified_header(result.text) == {"alg": "HS256", "kid": "k-1", "typ": "JWT"}


@pytest.mark.parametrize(
    ("template", "expected", "function", "tooltip_says"),
    [
        # Choices the KB leaves open that change bytes on the wire (docs/semantics.md).
        ("{{@UrlEncode(a/b é'~)}}", "a%2Fb+%C3%A9'~", "@UrlEncode", "upper-case hex"),
        ("{{@UrlEncode(Ben & Jerry's)}}", "Ben+%26+Jerry's", "@UrlEncode", "apostrophe is kept"),
        ("{{@JsonEncode(<a & 'b'>/)}}", "<a & 'b'>/", "@JsonEncode", "< > & '"),
        ("{{@DateTime(HH:mm zzz)}}", "22:30 +00:00", "@DateTime", "zzz gives +00:00"),
        ("{{@DateTime(yyyy-MM-ddTHH:mm:ssK)}}", "2018-02-24T22:30:00Z", "@DateTime", "K gives Z"),
    ],
)
def test_open_encoding_choices_are_pinned_and_shown_in_the_tooltip(
    catalogue: Catalogue, template: str, expected: str, function: str, tooltip_says: str
) -> None:
    assert render_template(catalogue, template, data=sample(now=KB_NOW)).text == expected
    info = catalogue.function(function)
    assert info is not None
    assert tooltip_says in info.description
