"""Inputs at the edges (found by probing the fuzzers' blind spots) get the project's errors."""

from __future__ import annotations

import pytest

from tests.core.helpers import render_template, sample
from uptrends_studio.core import integration_file
from uptrends_studio.core.catalogue import Catalogue
from uptrends_studio.core.errors import FileFormatError, SampleError
from uptrends_studio.core.model import AlertType
from uptrends_studio.core.samples import alert_data, sample_from_document


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
