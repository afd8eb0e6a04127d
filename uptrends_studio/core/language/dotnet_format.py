r""".NET-compatible ``DateTime.ToString(format, culture)`` for a small built-in culture table.

Uptrends renders ``{{@DateTime(format,offset)}}`` and the ``*Formatted`` alert variables with
.NET, so the Studio's preview has to format dates the same way. Covered:

* every custom specifier (``d``..``dddd``, ``M``..``MMMM``, ``y``..``yyyyy``, ``h``/``H``,
  ``m``, ``s``, ``f``/``F`` up to 7 digits, ``t``/``tt``, ``g``, ``K``, ``z``..``zzz``), the
  culture's ``:`` and ``/`` separators, ``'...'``/``"..."`` literals, ``\`` escapes, ``%x``;
* the standard formats ``d D f F g G m M o O r R s t T u U y Y`` (and ``""`` as ``G``);
* .NET's quirks: ``hhh`` is two digits, ``F`` drops a preceding ``.`` when it prints nothing,
  ``%%`` and a trailing ``%`` or ``\`` are errors, ``r``/``u`` do not convert to UTC.

Not covered: genitive month names, non-Gregorian calendars, the ``DateTimeOffset`` variants and
.NET's "time-only value on 0001-01-01" special cases. Culture data follows .NET Framework on
Windows (NLS); .NET 5+ on ICU differs in places (e.g. ICU's en-GB ``am``/``pm``). Python only
has microseconds, so the seventh fraction digit is always ``0``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


class DateFormatError(ValueError):
    """A format string (or culture) .NET would reject, with the 0-based position when known."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.position = position
        super().__init__(message if position is None else f"{message} at position {position}")


@dataclass(frozen=True, slots=True)
class _Culture:
    short_date: str
    long_date: str
    short_time: str
    long_time: str
    month_day: str
    year_month: str
    am: str
    pm: str
    era: str
    date_sep: str
    days: tuple[str, ...]  # Sunday first, like System.DayOfWeek
    abbr_days: tuple[str, ...]
    months: tuple[str, ...]
    abbr_months: tuple[str, ...]
    time_sep: str = ":"


def _split(names: str) -> tuple[str, ...]:
    return tuple(names.split(","))


_EN_DAYS = _split("Sunday,Monday,Tuesday,Wednesday,Thursday,Friday,Saturday")
_EN_ABBR_DAYS = _split("Sun,Mon,Tue,Wed,Thu,Fri,Sat")
_EN_MONTHS = _split(
    "January,February,March,April,May,June,July,August,September,October,November,December"
)
_EN_ABBR_MONTHS = _split("Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec")

_CULTURES: dict[str, _Culture] = {
    "en-US": _Culture(
        "M/d/yyyy", "dddd, MMMM d, yyyy", "h:mm tt", "h:mm:ss tt", "MMMM d", "MMMM yyyy",
        "AM", "PM", "A.D.", "/", _EN_DAYS, _EN_ABBR_DAYS, _EN_MONTHS, _EN_ABBR_MONTHS,
    ),
    "en-GB": _Culture(
        "dd/MM/yyyy", "dd MMMM yyyy", "HH:mm", "HH:mm:ss", "dd MMMM", "MMMM yyyy",
        "AM", "PM", "A.D.", "/", _EN_DAYS, _EN_ABBR_DAYS, _EN_MONTHS, _EN_ABBR_MONTHS,
    ),
    "nl-NL": _Culture(
        "d-M-yyyy", "dddd d MMMM yyyy", "HH:mm", "HH:mm:ss", "d MMMM", "MMMM yyyy",
        "", "", "n.Chr.", "-",
        _split("zondag,maandag,dinsdag,woensdag,donderdag,vrijdag,zaterdag"),
        _split("zo,ma,di,wo,do,vr,za"),
        _split("januari,februari,maart,april,mei,juni,juli,augustus,september,oktober,"
               "november,december"),
        _split("jan,feb,mrt,apr,mei,jun,jul,aug,sep,okt,nov,dec"),
    ),
    "de-DE": _Culture(
        "dd.MM.yyyy", "dddd, d. MMMM yyyy", "HH:mm", "HH:mm:ss", "d. MMMM", "MMMM yyyy",
        "", "", "n. Chr.", ".",
        _split("Sonntag,Montag,Dienstag,Mittwoch,Donnerstag,Freitag,Samstag"),
        _split("So,Mo,Di,Mi,Do,Fr,Sa"),
        _split("Januar,Februar,März,April,Mai,Juni,Juli,August,September,Oktober,"
               "November,Dezember"),
        _split("Jan,Feb,Mrz,Apr,Mai,Jun,Jul,Aug,Sep,Okt,Nov,Dez"),
    ),
    "fr-FR": _Culture(
        "dd/MM/yyyy", "dddd d MMMM yyyy", "HH:mm", "HH:mm:ss", "d MMMM", "MMMM yyyy",
        "", "", "ap. J.-C.", "/",
        _split("dimanche,lundi,mardi,mercredi,jeudi,vendredi,samedi"),
        _split("dim.,lun.,mar.,mer.,jeu.,ven.,sam."),
        _split("janvier,février,mars,avril,mai,juin,juillet,août,septembre,octobre,"
               "novembre,décembre"),
        _split("janv.,févr.,mars,avr.,mai,juin,juil.,août,sept.,oct.,nov.,déc."),
    ),
    "es-ES": _Culture(
        "dd/MM/yyyy", "dddd, d' de 'MMMM' de 'yyyy", "H:mm", "H:mm:ss", "d' de 'MMMM",
        "MMMM' de 'yyyy", "", "", "d. C.", "/",
        _split("domingo,lunes,martes,miércoles,jueves,viernes,sábado"),
        _split("do.,lu.,ma.,mi.,ju.,vi.,sá."),
        _split("enero,febrero,marzo,abril,mayo,junio,julio,agosto,septiembre,octubre,"
               "noviembre,diciembre"),
        _split("ene.,feb.,mar.,abr.,may.,jun.,jul.,ago.,sep.,oct.,nov.,dic."),
    ),
    "ja-JP": _Culture(
        "yyyy/MM/dd", "yyyy'年'M'月'd'日'", "H:mm", "H:mm:ss", "M'月'd'日'", "yyyy'年'M'月'",
        "午前", "午後", "西暦", "/",
        _split("日曜日,月曜日,火曜日,水曜日,木曜日,金曜日,土曜日"),
        _split("日,月,火,水,木,金,土"),
        tuple(f"{n}月" for n in range(1, 13)),
        tuple(str(n) for n in range(1, 13)),
    ),
    "invariant": _Culture(
        "MM/dd/yyyy", "dddd, dd MMMM yyyy", "HH:mm", "HH:mm:ss", "MMMM dd", "yyyy MMMM",
        "AM", "PM", "A.D.", "/", _EN_DAYS, _EN_ABBR_DAYS, _EN_MONTHS, _EN_ABBR_MONTHS,
    ),
}  # fmt: skip

KNOWN_CULTURES: tuple[str, ...] = tuple(_CULTURES)
_BY_LOWER = {name.lower(): name for name in KNOWN_CULTURES}

# Standard formats that read the culture: "U" also converts to UTC first.
_CULTURE_STANDARD: dict[str, Callable[[_Culture], str]] = {
    "d": lambda c: c.short_date,
    "D": lambda c: c.long_date,
    "f": lambda c: f"{c.long_date} {c.short_time}",
    "F": lambda c: f"{c.long_date} {c.long_time}",
    "g": lambda c: f"{c.short_date} {c.short_time}",
    "G": lambda c: f"{c.short_date} {c.long_time}",
    "m": lambda c: c.month_day,
    "M": lambda c: c.month_day,
    "t": lambda c: c.short_time,
    "T": lambda c: c.long_time,
    "U": lambda c: f"{c.long_date} {c.long_time}",
    "y": lambda c: c.year_month,
    "Y": lambda c: c.year_month,
}
# Standard formats that always use the invariant culture.
_ROUNDTRIP = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffK"
_RFC1123 = "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'"
_INVARIANT_STANDARD: dict[str, str] = {
    "o": _ROUNDTRIP,
    "O": _ROUNDTRIP,
    "r": _RFC1123,
    "R": _RFC1123,
    "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
    "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
}
_MAX_FRACTION_DIGITS = 7


def normalize_culture(name: str) -> str | None:
    """Return the canonical spelling of a known culture name, ignoring case.

    Args:
        name: A culture name such as ``"EN-us"`` or ``"Invariant"``.

    Returns:
        The name as listed in :data:`KNOWN_CULTURES` (``"en-US"``), or ``None`` if unknown.
    """
    return _BY_LOWER.get(name.lower())


def _culture(name: str) -> _Culture:
    canonical = normalize_culture(name)
    if canonical is None:
        known = ", ".join(KNOWN_CULTURES)
        raise DateFormatError(f"unknown culture {name!r}; known cultures: {known}")
    return _CULTURES[canonical]


def format_datetime(value: datetime, fmt: str, culture: str = "en-US", *, utc: bool = True) -> str:
    """Format ``value`` like .NET's ``DateTime.ToString(fmt, CultureInfo(culture))``.

    The wall-clock fields of ``value`` are printed as they are: apply any offset before calling.

    Args:
        value: The date and time; its ``tzinfo`` only matters for ``K``, ``z`` and ``U``.
        fmt: A .NET standard (one character, or ``""`` for ``"G"``) or custom format string.
        culture: A name from :data:`KNOWN_CULTURES`, matched case-insensitively.
        utc: Whether the value has ``DateTimeKind.Utc``: ``K`` prints ``Z`` and ``z`` prints
            ``+0``. Otherwise an aware value behaves as ``DateTimeKind.Local`` with its own
            offset, and a naive one as ``Unspecified`` (``K`` prints nothing; ``z`` and ``U``
            use this machine's local offset, as .NET does).

    Returns:
        The formatted text.

    Raises:
        DateFormatError: If the culture is unknown or .NET would throw ``FormatException``.
    """
    info = _culture(culture)
    if fmt == "":
        fmt = "G"
    if len(fmt) == 1:
        if fmt in _INVARIANT_STANDARD:
            fmt, info = _INVARIANT_STANDARD[fmt], _CULTURES["invariant"]
        elif fmt in _CULTURE_STANDARD:
            if fmt == "U" and not utc:
                value, utc = value.astimezone(UTC).replace(tzinfo=None), True
            fmt = _CULTURE_STANDARD[fmt](info)
        else:
            raise DateFormatError(f"{fmt!r} is not a standard date and time format", 0)
    out: list[str] = []
    _format_custom(value, fmt, info, utc, out, 0)
    return "".join(out)


def short_date_time(value: datetime, culture: str = "en-US") -> str:
    """Format ``value`` with .NET's ``"g"`` standard format (short date + short time).

    This is how Uptrends renders its ``*Formatted`` alert variables, e.g. en-US
    ``8/28/2020 10:23 PM``, en-GB ``28/08/2020 22:23``, nl-NL ``28-8-2020 22:23``.

    Args:
        value: The date and time to print (its wall-clock fields are used as they are).
        culture: A name from :data:`KNOWN_CULTURES`, matched case-insensitively.

    Returns:
        The formatted text.
    """
    return format_datetime(value, "g", culture)


def _format_custom(
    value: datetime, fmt: str, info: _Culture, utc: bool, out: list[str], base: int
) -> None:
    """Append the expansion of custom format ``fmt`` to ``out`` (``base``: offset for errors)."""
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        run = 1
        while i + run < len(fmt) and fmt[i + run] == ch:
            run += 1
        step = run
        if ch in "hHmsdM" and (run <= 2 or ch in "hHms"):
            number = {
                "h": value.hour % 12 or 12,
                "H": value.hour,
                "m": value.minute,
                "s": value.second,
                "d": value.day,
                "M": value.month,
            }[ch]
            out.append(f"{number:0{min(run, 2)}d}")
        elif ch == "d":
            days = info.abbr_days if run == 3 else info.days
            out.append(days[value.isoweekday() % 7])
        elif ch == "M":
            out.append((info.abbr_months if run == 3 else info.months)[value.month - 1])
        elif ch == "y":
            out.append(f"{value.year % 100:0{run}d}" if run <= 2 else f"{value.year:0{run}d}")
        elif ch in "fF":
            _append_fraction(value, ch, run, out, base + i)
        elif ch == "t":
            designator = info.am if value.hour < 12 else info.pm
            out.append(designator[:1] if run == 1 else designator)
        elif ch == "g":
            out.append(info.era)
        elif ch == "z":
            out.append(_offset_text(_utc_offset(value, utc), run))
        elif ch == "K":
            step = 1
            if utc:
                out.append("Z")
            elif value.utcoffset() is not None:
                out.append(_offset_text(_utc_offset(value, utc), 3))
        elif ch in ":/":
            step = 1
            out.append(info.time_sep if ch == ":" else info.date_sep)
        elif ch in "'\"":
            step = _append_quoted(fmt, i, out, base)
        elif ch == "%":
            step = 2
            if i + 1 >= len(fmt) or fmt[i + 1] == "%":
                what = "'%' at the end of" if i + 1 >= len(fmt) else "'%%' in"
                raise DateFormatError(f"{what} a date and time format", base + i)
            _format_custom(value, fmt[i + 1], info, utc, out, base + i + 1)
        elif ch == "\\":
            step = 2
            if i + 1 >= len(fmt):
                raise DateFormatError("'\\' at the end of a date and time format", base + i)
            out.append(fmt[i + 1])
        else:
            step = 1
            out.append(ch)
        i += step


def _append_fraction(value: datetime, ch: str, run: int, out: list[str], position: int) -> None:
    """Append ``f``/``F`` seconds-fraction digits; an empty ``F`` also drops a preceding '.'."""
    if run > _MAX_FRACTION_DIGITS:
        raise DateFormatError(
            f"{ch * run!r} has more than {_MAX_FRACTION_DIGITS} fraction digits", position
        )
    digits = f"{value.microsecond * 10:07d}"[:run]
    if ch == "F":
        digits = digits.rstrip("0")
        if not digits:
            text = "".join(out)
            if text.endswith("."):
                out[:] = [text[:-1]]
            return
    out.append(digits)


def _append_quoted(fmt: str, start: int, out: list[str], base: int) -> int:
    r"""Append the literal quoted at ``fmt[start]`` (``\`` escapes inside); return its length."""
    quote = fmt[start]
    i = start + 1
    literal: list[str] = []
    while i < len(fmt):
        ch = fmt[i]
        i += 1
        if ch == quote:
            out.append("".join(literal))
            return i - start
        if ch == "\\":
            if i >= len(fmt):
                raise DateFormatError("'\\' at the end of a date and time format", base + i - 1)
            ch = fmt[i]
            i += 1
        literal.append(ch)
    raise DateFormatError(f"unterminated {quote} quote", base + start)


def _utc_offset(value: datetime, utc: bool) -> timedelta:
    """The offset ``z``/``K`` print: zero for UTC, else the value's (or this machine's) offset."""
    if utc:
        return timedelta(0)
    offset = value.utcoffset()
    if offset is None:  # DateTimeKind.Unspecified: .NET uses the local time zone.
        offset = value.astimezone().utcoffset()
    return offset or timedelta(0)


def _offset_text(offset: timedelta, run: int) -> str:
    """``+5``, ``+05`` or ``+05:00`` for ``z``, ``zz`` and ``zzz`` (longer runs as ``zzz``)."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = int(abs(offset).total_seconds()) // 60
    hours, minutes = divmod(minutes, 60)
    if run == 1:
        return f"{sign}{hours}"
    return f"{sign}{hours:02d}" + (f":{minutes:02d}" if run >= 3 else "")
