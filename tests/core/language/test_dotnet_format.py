"""Tests for the .NET DateTime.ToString emulation; every expectation is what .NET prints."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from uptrends_studio.core.language.dotnet_format import (
    KNOWN_CULTURES,
    DateFormatError,
    format_datetime,
    normalize_culture,
    short_date_time,
)

# The Uptrends knowledge-base example moment: 2018-02-24 22:30:00 UTC (a Saturday).
KB = datetime(2018, 2, 24, 22, 30)
# The moment the .NET documentation's custom-format examples use (a Sunday afternoon).
DOCS = datetime(2008, 3, 9, 16, 5, 7, 123000)
# 2020-08-28 22:23, Uptrends' sample alert time.
ALERT = datetime(2020, 8, 28, 22, 23)


def test_kb_examples() -> None:
    assert format_datetime(KB + timedelta(seconds=-18000), "dd-MM-yyyy HH:mm") == "24-02-2018 17:30"
    assert format_datetime(KB, "MM/dd/yyyy") == "02/24/2018"
    assert format_datetime(KB, "o") == "2018-02-24T22:30:00.0000000Z"


@pytest.mark.parametrize(
    ("culture", "expected"),
    [
        ("en-US", "8/28/2020 10:23 PM"),
        ("en-GB", "28/08/2020 22:23"),
        ("nl-NL", "28-8-2020 22:23"),
        ("de-DE", "28.08.2020 22:23"),
        ("fr-FR", "28/08/2020 22:23"),
        ("es-ES", "28/08/2020 22:23"),
        ("ja-JP", "2020/08/28 22:23"),
        ("invariant", "08/28/2020 22:23"),
    ],
)
def test_short_date_time(culture: str, expected: str) -> None:
    assert short_date_time(ALERT, culture) == expected
    assert format_datetime(ALERT, "g", culture) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("y yy yyy yyyy yyyyy", "8 08 2008 2008 02008"),
        ("M MM MMM MMMM MMMMM", "3 03 Mar March March"),
        ("d dd ddd dddd ddddd", "9 09 Sun Sunday Sunday"),
        ("h hh hhh H HH HHH", "4 04 04 16 16 16"),
        ("m mm s ss", "5 05 7 07"),
        ("f ff fff ffff fffffff", "1 12 123 1230 1230000"),
        ("F FF FFF FFFF FFFFFFF", "1 12 123 123 123"),
        ("t tt", "P PM"),
        ("g gg", "A.D. A.D."),
        ("%d", "9"),
        ("%M", "3"),
        ("%y", "8"),
        ("%h%H", "416"),
        ("%dd", "99"),
        ("yyyyMMddHHmmss", "20080309160507"),
    ],
)
def test_custom_specifiers_en_us(fmt: str, expected: str) -> None:
    assert format_datetime(DOCS, fmt) == expected


def test_year_is_zero_padded_to_the_specifier_length() -> None:
    assert format_datetime(datetime(5, 1, 2), "y yy yyy yyyy yyyyy") == "5 05 005 0005 00005"


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (KB, "HH:mm:ss.FFF", "22:30:00"),
        (KB, "HH:mm:ss.fff", "22:30:00.000"),
        (KB.replace(microsecond=500000), "HH:mm:ss.FFF", "22:30:00.5"),
        (KB.replace(microsecond=120000), "ss.FFFFFFF", "00.12"),
        (KB.replace(microsecond=123456), "ss.fffffff", "00.1234560"),
        (KB.replace(microsecond=123456), "ss.FFFFFFF", "00.123456"),
        (KB.replace(microsecond=4000), "ss.FF", "00"),
        (KB, "ss,FFF", "00,"),
        (KB, "FFF", ""),
        (KB, "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "2018-02-24T22:30:00Z"),
    ],
)
def test_fraction_trimming(value: datetime, fmt: str, expected: str) -> None:
    assert format_datetime(value, fmt) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("'Date:' yyyy", "Date: 2018"),
        ('"at" HH\\h', "at 22h"),
        ("'It''s'", "Its"),
        ("'don\\'t' d", "don't 24"),
        ('"say \\"hi\\""', 'say "hi"'),
        ("\\d\\d d", "dd 24"),
        ("'dd/MM' dd", "dd/MM 24"),
        ("\\%", "%"),
        ("yyyy#MM!", "2018#02!"),
        ("'%'d", "%24"),
        ("''", ""),
    ],
)
def test_literals_quotes_and_escapes(fmt: str, expected: str) -> None:
    assert format_datetime(KB, fmt) == expected


@pytest.mark.parametrize(
    ("culture", "fmt", "expected"),
    [
        ("de-DE", "dd/MM/yyyy HH:mm", "24.02.2018 22:30"),
        ("de-DE", "dd'/'MM", "24/02"),
        ("de-DE", "dd\\/MM", "24/02"),
        ("nl-NL", "d/M/yyyy", "24-2-2018"),
        ("en-GB", "dd/MM/yyyy", "24/02/2018"),
        ("ja-JP", "yyyy/MM/dd H:mm", "2018/02/24 22:30"),
        ("nl-NL", "dddd d MMMM yyyy", "zaterdag 24 februari 2018"),
        ("nl-NL", "ddd d MMM", "za 24 feb"),
        ("de-DE", "dddd, d. MMMM yyyy", "Samstag, 24. Februar 2018"),
        ("de-DE", "ddd MMM", "Sa Feb"),
        ("fr-FR", "dddd d MMMM", "samedi 24 février"),
        ("es-ES", "dddd d MMMM", "sábado 24 febrero"),
        ("ja-JP", "dddd MMMM", "土曜日 2月"),
        ("en-GB", "ddd dd MMM", "Sat 24 Feb"),
        ("de-DE", "h:mm tt", "10:30 "),
        ("de-DE", "h:mm t", "10:30 "),
        ("en-US", "h:mm t", "10:30 P"),
        ("ja-JP", "tt h:mm", "午後 10:30"),
        ("invariant", "hh:mm tt", "10:30 PM"),
        ("de-DE", "g", "24.02.2018 22:30"),
        ("nl-NL", "gg", "n.Chr."),
        ("DE-de", "dd/MM", "24.02"),
    ],
)
def test_culture_data(culture: str, fmt: str, expected: str) -> None:
    assert format_datetime(KB, fmt, culture) == expected


@pytest.mark.parametrize(
    ("hour", "expected"),
    [(0, "12:05 AM"), (1, "1:05 AM"), (11, "11:05 AM"), (12, "12:05 PM"), (23, "11:05 PM")],
)
def test_twelve_hour_clock(hour: int, expected: str) -> None:
    assert format_datetime(datetime(2018, 2, 4, hour, 5), "h:mm tt") == expected


@pytest.mark.parametrize(
    ("culture", "fmt", "expected"),
    [
        ("en-US", "d", "2/24/2018"),
        ("en-US", "D", "Saturday, February 24, 2018"),
        ("en-US", "f", "Saturday, February 24, 2018 10:30 PM"),
        ("en-US", "F", "Saturday, February 24, 2018 10:30:00 PM"),
        ("en-US", "G", "2/24/2018 10:30:00 PM"),
        ("en-US", "", "2/24/2018 10:30:00 PM"),
        ("en-US", "m", "February 24"),
        ("en-US", "M", "February 24"),
        ("en-US", "t", "10:30 PM"),
        ("en-US", "T", "10:30:00 PM"),
        ("en-US", "y", "February 2018"),
        ("en-US", "Y", "February 2018"),
        ("en-US", "U", "Saturday, February 24, 2018 10:30:00 PM"),
        ("en-US", "O", "2018-02-24T22:30:00.0000000Z"),
        ("en-US", "r", "Sat, 24 Feb 2018 22:30:00 GMT"),
        ("en-US", "R", "Sat, 24 Feb 2018 22:30:00 GMT"),
        ("en-US", "s", "2018-02-24T22:30:00"),
        ("en-US", "u", "2018-02-24 22:30:00Z"),
        ("en-GB", "D", "24 February 2018"),
        ("en-GB", "G", "24/02/2018 22:30:00"),
        ("en-GB", "Y", "February 2018"),
        ("nl-NL", "d", "24-2-2018"),
        ("nl-NL", "D", "zaterdag 24 februari 2018"),
        ("nl-NL", "F", "zaterdag 24 februari 2018 22:30:00"),
        ("nl-NL", "M", "24 februari"),
        ("de-DE", "d", "24.02.2018"),
        ("de-DE", "D", "Samstag, 24. Februar 2018"),
        ("de-DE", "f", "Samstag, 24. Februar 2018 22:30"),
        ("de-DE", "T", "22:30:00"),
        ("de-DE", "Y", "Februar 2018"),
        ("de-DE", "r", "Sat, 24 Feb 2018 22:30:00 GMT"),
        ("fr-FR", "D", "samedi 24 février 2018"),
        ("es-ES", "D", "sábado, 24 de febrero de 2018"),
        ("ja-JP", "D", "2018年2月24日"),
        ("ja-JP", "G", "2018/02/24 22:30:00"),
        ("invariant", "d", "02/24/2018"),
        ("invariant", "D", "Saturday, 24 February 2018"),
        ("invariant", "F", "Saturday, 24 February 2018 22:30:00"),
        ("invariant", "G", "02/24/2018 22:30:00"),
        ("invariant", "M", "February 24"),
        ("invariant", "Y", "2018 February"),
    ],
)
def test_standard_formats(culture: str, fmt: str, expected: str) -> None:
    assert format_datetime(KB, fmt, culture) == expected


MINUS_0530 = timezone(timedelta(hours=-5, minutes=-30))
PLUS_2 = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("value", "utc", "fmt", "expected"),
    [
        (KB, True, "K|z|zz|zzz|zzzz", "Z|+0|+00|+00:00|+00:00"),
        (KB.replace(tzinfo=UTC), True, "K|zzz", "Z|+00:00"),
        (KB.replace(tzinfo=MINUS_0530), False, "K|z|zz|zzz", "-05:30|-5|-05|-05:30"),
        (KB.replace(tzinfo=PLUS_2), False, "K|z|zz|zzz", "+02:00|+2|+02|+02:00"),
        (KB.replace(tzinfo=PLUS_2), False, "o", "2018-02-24T22:30:00.0000000+02:00"),
        (KB.replace(tzinfo=PLUS_2), False, "u", "2018-02-24 22:30:00Z"),
        (KB.replace(tzinfo=PLUS_2), False, "U", "Saturday, February 24, 2018 8:30:00 PM"),
        (KB, False, "[K]", "[]"),
        (KB, False, "o", "2018-02-24T22:30:00.0000000"),
        (KB, True, "KK", "ZZ"),
    ],
)
def test_time_zone_specifiers(value: datetime, utc: bool, fmt: str, expected: str) -> None:
    assert format_datetime(value, fmt, utc=utc) == expected


@pytest.fixture
def new_york_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset (POSIX)")
    monkeypatch.setenv("TZ", "EST5EDT,M3.2.0,M11.1.0")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("new_york_local_time")
def test_naive_non_utc_value_is_unspecified_kind() -> None:
    # .NET: z uses the machine's zone, K prints nothing, U converts from local time to UTC.
    assert format_datetime(KB, "zzz|z|K", utc=False) == "-05:00|-5|"
    assert format_datetime(KB, "U", utc=False) == "Sunday, February 25, 2018 3:30:00 AM"
    assert format_datetime(KB, "zzz|K") == "+00:00|Z"


@pytest.mark.parametrize(
    ("fmt", "position"),
    [
        ("x", 0),
        ("Q", 0),
        ("%", 0),
        ("\\", 0),
        (" ", 0),
        ("'abc", 0),
        ('yyyy "abc', 5),
        ("'ab\\", 3),
        ("dd\\", 2),
        ("ab%", 2),
        ("d%%d", 1),
        ("%'", 1),
        ("ss.ffffffff", 3),
        ("FFFFFFFFF", 0),
    ],
)
def test_invalid_formats_raise_with_position(fmt: str, position: int) -> None:
    with pytest.raises(DateFormatError, match=f"at position {position}$") as info:
        format_datetime(KB, fmt)
    assert info.value.position == position
    assert isinstance(info.value, ValueError)


def test_unknown_single_character_message() -> None:
    with pytest.raises(DateFormatError, match="'x' is not a standard date and time format"):
        format_datetime(KB, "x")


def test_unterminated_quote_message() -> None:
    with pytest.raises(DateFormatError, match="unterminated ' quote at position 3"):
        format_datetime(KB, "HH 'uur")


@pytest.mark.parametrize(
    "call",
    [lambda: format_datetime(KB, "d", "xx-XX"), lambda: short_date_time(KB, "xx-XX")],
    ids=["format_datetime", "short_date_time"],
)
def test_unknown_culture_raises(call: Callable[[], str]) -> None:
    known = "en-US, en-GB, nl-NL, de-DE, fr-FR, es-ES, ja-JP, invariant"
    with pytest.raises(DateFormatError, match=f"unknown culture 'xx-XX'; known cultures: {known}"):
        call()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("en-US", "en-US"),
        ("EN-us", "en-US"),
        ("nl-nl", "nl-NL"),
        ("Invariant", "invariant"),
        ("JA-jp", "ja-JP"),
        ("en", None),
        ("xx-XX", None),
        ("", None),
    ],
)
def test_normalize_culture(name: str, expected: str | None) -> None:
    assert normalize_culture(name) == expected


def test_known_cultures() -> None:
    required = {"en-US", "en-GB", "nl-NL", "de-DE", "fr-FR", "es-ES", "ja-JP", "invariant"}
    assert required <= set(KNOWN_CULTURES)
    assert all(normalize_culture(name) == name for name in KNOWN_CULTURES)
