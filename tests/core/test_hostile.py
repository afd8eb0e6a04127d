"""Inputs at the edges (found by probing the fuzzers' blind spots) get the project's errors."""

from __future__ import annotations

import pytest

from tests.core.helpers import render_template, sample
from uptrends_studio.core.document import integration_file
from uptrends_studio.core.document.model import AlertType
from uptrends_studio.core.document.samples import alert_data, sample_from_document
from uptrends_studio.core.errors import FileFormatError, SampleError
from uptrends_studio.core.language.catalogue import Catalogue


def test_integer_beyond_python_limit_is_a_file_error() -> None:
    with pytest.raises(FileFormatError, match="not usable JSON"):
        integration_file.loads("1" * 5000, "big.integration.json")


@pytest.mark.parametrize("zone", ["America", "a" * 300])
def test_odd_time_zone_names_are_refused(catalogue: Catalogue, zone: str) -> None:
    document = {"format": "uptrends-studio.sample", "version": 1, "name": "x", "timezone": zone}
    with pytest.raises(SampleError, match="unknown time zone"):
        sample_from_document(document, "x.sample.json", catalogue)


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_times_outside_the_calendar_are_refused(catalogue: Catalogue, now: str) -> None:
    document = {"format": "uptrends-studio.sample", "version": 1, "name": "x", "now": now}
    with pytest.raises(SampleError, match="/now"):
        sample_from_document(document, "x.sample.json", catalogue)


def test_time_that_overflows_in_the_time_zone_is_a_sample_error(catalogue: Catalogue) -> None:
    data = sample({"@alert.timestampUtc": "9999-12-31T23:00:00"}, timezone="Asia/Tokyo")
    with pytest.raises(SampleError, match="limits of the calendar"):
        alert_data(data, AlertType.ERROR, catalogue)


@pytest.mark.parametrize("offset", ["86400", "FirstDayOfNextMonth"])
def test_datetime_offset_past_year_9999_is_a_diagnostic(catalogue: Catalogue, offset: str) -> None:
    data = sample({"@alert.timestampUtc": "2025-01-01T00:00:00"}, now="9999-12-31T23:00:00Z")
    result = render_template(catalogue, f"{{{{@DateTime(ISO,{offset})}}}}", data=data)
    assert result.text == f"{{{{@DateTime(ISO,{offset})}}}}"
    assert [d.code for d in result.diagnostics] == ["function-failed"]


def test_json_decode_of_deep_brackets_is_a_diagnostic(catalogue: Catalogue) -> None:
    result = render_template(catalogue, "{{@JsonDecode(" + "[" * 1000 + "\\)}}")
    assert [d.code for d in result.diagnostics] == ["function-failed"]


def test_unclosed_nested_calls_parse_in_bounded_time() -> None:
    from uptrends_studio.core.language.parser import parse

    template = parse("{{f(" * 2000 + ")}}")
    assert {i.code for i in template.issues} <= {"unclosed-call", "too-deep"}
    assert "".join(template.source[n.start : n.end] for n in template.nodes) == template.source


def test_hmac_key_that_calls_its_own_function_is_reported(catalogue: Catalogue) -> None:
    from uptrends_studio.core.checks.integration import check_integration
    from uptrends_studio.core.document.model import HashFunction, Integration, Step

    selfish = HashFunction("h", "HMAC-SHA256", "{{h(y)}}")
    integration = Integration(
        "t", steps=(Step("s", url="https://x.test/{{h(x)}}"),), functions=(selfish,)
    )
    found = check_integration(integration, sample(), catalogue)  # terminates, no RecursionError
    assert [(d.code, d.field) for d in found] == [("function-cycle", "functions[0].key")]
    assert "the key of h calls h itself" in found[0].message


def test_json_decode_to_a_lone_surrogate_is_refused(catalogue: Catalogue) -> None:
    result = render_template(catalogue, "{{@JsonDecode(\\ud800)}}")
    assert [d.code for d in result.diagnostics] == ["function-failed"]
    result.text.encode("utf-8")  # what is sent is always encodable


def test_catastrophic_regex_is_stopped(catalogue: Catalogue) -> None:
    from uptrends_studio.core.document.model import RegexFunction

    slow = RegexFunction("r", "(a|aa)+$")
    call = "{{r(" + "a" * 40 + "!)}}"
    result = render_template(catalogue, f"[{call}]", functions=(slow,))
    assert result.text == f"[{call}]"  # sent as written, the rest rendered
    assert [d.code for d in result.diagnostics] == ["render-budget"]
    assert "still searching this input when its time ran out" in (result.diagnostics[0].message)


def test_json_encode_escapes_unicode_line_separators(catalogue: Catalogue) -> None:
    result = render_template(catalogue, "{{@JsonEncode(a\u2028b\u2029c\u0085d)}}")
    assert result.text == "a\\u2028b\\u2029c\\u0085d"


def test_unknown_token_in_a_form_body_is_sent_as_written(catalogue: Catalogue) -> None:
    result = render_template(catalogue, "a={{@alert.bogus}}&t={{@alert.type}} x", form=True)
    assert result.text == "a={{@alert.bogus}}&t=Alert x"


def test_utc_values_with_an_offset_are_shown_as_uptrends_writes_them(
    catalogue: Catalogue,
) -> None:
    data = sample({"@alert.timestampUtc": "2025-03-04T09:15:00+02:00"}, timezone="UTC")
    result = render_template(catalogue, "{{@alert.timestampUtc}}|{{@alert.timestamp}}", data=data)
    assert result.text == "2025-03-04T07:15:00|2025-03-04T07:15:00"
