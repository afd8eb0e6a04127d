"""The built-in functions and automatic variables of the template language, as pure functions.

Each function documents the exact behaviour chosen where Uptrends leaves it open; the choices are
collected in ``docs/semantics.md``. Functions that can fail on their input raise
:class:`FunctionError`, which the evaluator turns into a diagnostic at the token.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import warnings
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote_plus

from uptrends_studio.core.document.model import (
    HashFunction,
    JwtFunction,
    MappingFunction,
    RegexFunction,
    UserFunction,
)
from uptrends_studio.core.language.budget import DEFAULT_RENDER_SECONDS
from uptrends_studio.core.language.dotnet_format import DateFormatError, format_datetime

if TYPE_CHECKING:
    import random


class FunctionError(ValueError):
    """A function could not produce a value from its input; the message says why.

    Attributes:
        fallback: What the token renders to instead; ``None`` means the token's text as written.
        redacted: The message without the input quoted, for when the input is secret.
    """

    def __init__(
        self, message: str, fallback: str | None = None, redacted: str | None = None
    ) -> None:
        super().__init__(message)
        self.fallback = fallback
        self.redacted = redacted or "it fails on its (secret) argument, which is not shown"


def json_encode(text: str) -> str:
    r"""Escape for the inside of a JSON string, as Newtonsoft's default string escaping does.

    ``"`` ``\``, control characters and the line separators U+0085, U+2028 and U+2029 are
    escaped; ``/``, other non-ASCII characters and ``< > & '`` are kept as they are (the KB's
    examples match this).
    """
    encoded = json.dumps(text, ensure_ascii=False)[1:-1]
    if "\u0085" in encoded or "\u2028" in encoded or "\u2029" in encoded:
        # Newtonsoft escapes these line separators too (they break JavaScript string literals).
        encoded = (
            encoded.replace("\u0085", "\\u0085")
            .replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029")
        )
    return encoded


def json_decode(text: str) -> str:
    r"""Undo JSON string escapes. Text without escapes is returned unchanged.

    A whole JSON string literal (``"a\nb"``, with its quotes) is decoded to its content.
    """
    if "\\" not in text and not (len(text) >= 2 and text[0] == text[-1] == '"'):
        return text
    for candidate in (text, f'"{text}"'):
        try:
            value = json.loads(candidate)
        except (ValueError, RecursionError):
            continue
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    raise FunctionError(
                        "the text decodes to an unpaired surrogate (\\ud800-\\udfff), which "
                        "is not text"
                    ) from None
            return value
    raise FunctionError("the text contains a backslash that is not a valid JSON escape")


_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}
_XML_ESCAPE_RE = re.compile(r"[&<>\"']")
_XML_ENTITY_RE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_XML_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def xml_encode(text: str) -> str:
    """Replace ``& < > " '`` with their XML entities (as .NET's ``SecurityElement.Escape``)."""
    return _XML_ESCAPE_RE.sub(lambda m: _XML_ESCAPES[m.group()], text)


def xml_decode(text: str) -> str:
    """Replace the five XML entities and numeric character references, in one pass."""

    def replace(match: re.Match[str]) -> str:
        named, decimal, hexadecimal = match.groups()
        if named:
            return _XML_NAMED[named]
        code = int(decimal) if decimal else int(hexadecimal, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group()
        return chr(code)

    return _XML_ENTITY_RE.sub(replace, text)


def url_encode(text: str) -> str:
    """Form-style URL encoding of the UTF-8 bytes (``Ben & Jerry's`` -> ``Ben+%26+Jerry's``).

    Space becomes ``+``; letters, digits and ``-_.!*'()~`` are kept; everything else becomes
    ``%XX`` in upper case.
    """
    return quote_plus(text, safe="!*'()")


def base64_encode(text: str) -> str:
    """Base64 of the text's UTF-8 bytes."""
    return base64.b64encode(text.encode("utf-8", "surrogatepass")).decode("ascii")


def base64_decode(text: str) -> str:
    """Decode Base64 (whitespace ignored) to UTF-8 text."""
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise FunctionError("the text is not valid Base64") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise FunctionError("the Base64 data is not UTF-8 text") from None


def hex_to_base64(text: str) -> str:
    """Hexadecimal (either case, whitespace ignored) to Base64."""
    cleaned = "".join(text.split())
    try:
        raw = bytes.fromhex(cleaned)
    except ValueError:
        raise FunctionError("the text is not hexadecimal (0-9, a-f, an even count)") from None
    return base64.b64encode(raw).decode("ascii")


_NAMED_OFFSETS = (
    "FirstDayOfMonth",
    "LastDayOfMonth",
    "FirstDayOfPreviousMonth",
    "LastDayOfPreviousMonth",
    "FirstDayOfNextMonth",
    "LastDayOfNextMonth",
)
MAX_OFFSET_SECONDS = 100 * 366 * 86400
"""Offsets beyond a century are refused (they would overflow .NET's DateTime too)."""


def is_offset(text: str) -> bool:
    """True if ``text`` is a ``@DateTime`` offset: signed whole seconds or a named day."""
    stripped = text.strip()
    return bool(re.fullmatch(r"[+-]?\d+", stripped)) or stripped.casefold() in {
        name.casefold() for name in _NAMED_OFFSETS
    }


_FORMAT_LETTERS = frozenset("dfFghHKmMstyz")


def looks_like_offset(text: str) -> bool:
    """True for text meant as an offset but not valid: ``3.5``, ``Yesterday``, ``FirstDay``.

    A single word using letters that are no .NET format specifiers, or a number that is not a
    whole number of seconds. Format text such as ``MMMM d`` does not look like an offset.
    """
    stripped = text.strip()
    if re.fullmatch(r"[+-]?\d[\d.,eE+-]*", stripped):
        return True
    return bool(re.fullmatch(r"[A-Za-z]+", stripped)) and not set(stripped) <= _FORMAT_LETTERS


def apply_offset(now: datetime, offset: str) -> datetime:
    """Apply a ``@DateTime`` offset: signed seconds or a named day (time of day kept)."""
    text = offset.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        seconds = int(text)
        if abs(seconds) > MAX_OFFSET_SECONDS:
            raise FunctionError(f"offset {seconds} s is more than a century")
        return now + timedelta(seconds=seconds)
    folded = {name.casefold(): name for name in _NAMED_OFFSETS}
    name = folded.get(text.casefold())
    if name is None:
        raise FunctionError(
            f"offset {text!r} is neither a number of seconds nor one of {', '.join(_NAMED_OFFSETS)}"
        )
    year, month = now.year, now.month
    if "Previous" in name:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    elif "Next" in name:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    import calendar  # here and below: imported on first use, for a fast start of the CLI

    day = 1 if name.startswith("First") else calendar.monthrange(year, month)[1]
    return now.replace(year=year, month=month, day=day)


def date_time(now: datetime, fmt: str, offset: str | None) -> str:
    """``@DateTime(format[,offset])``: ``now`` (UTC) in a .NET format, ``ISO`` or ``UNIX``.

    Keywords are case-insensitive. ISO gives seven fraction digits and ``Z``
    (``2018-02-24T22:30:00.0000000Z``); UNIX gives whole seconds. Custom formats use the
    invariant culture.
    """
    try:
        moment = apply_offset(now, offset) if offset is not None else now
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, FunctionError):
            raise
        raise FunctionError("the offset moves the date outside the calendar") from None
    keyword = fmt.strip().casefold()
    if keyword == "iso":
        return format_datetime(moment, "yyyy-MM-ddTHH:mm:ss.fffffffZ", "invariant")
    if keyword == "unix":
        import calendar

        return str(calendar.timegm(moment.utctimetuple()))
    try:
        return format_datetime(moment, fmt, "invariant")
    except DateFormatError as exc:
        raise FunctionError(f"format {fmt!r}: {exc}") from None


def random_guid(rng: random.Random) -> str:
    """A version-4 GUID in upper case, as in the KB's example."""
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper()


MAX_RANDOM_CHARS = 10_000


def random_int(rng: random.Random, low_text: str, high_text: str) -> str:
    """``@RandomInt(min,max)``: an integer in the inclusive range."""
    try:
        low, high = int(low_text.strip()), int(high_text.strip())
    except ValueError:
        raise FunctionError(
            f"bounds must be whole numbers, not {low_text!r} and {high_text!r}"
        ) from None
    if low > high:
        raise FunctionError(f"min {low} is greater than max {high}")
    return str(rng.randint(low, high))


def random_chars(rng: random.Random, length_text: str) -> str:
    """``@RandomChar(n)``: ``n`` uppercase letters."""
    try:
        length = int(length_text.strip())
    except ValueError:
        raise FunctionError(f"length must be a whole number, not {length_text!r}") from None
    if not 0 <= length <= MAX_RANDOM_CHARS:
        raise FunctionError(f"length must be between 0 and {MAX_RANDOM_CHARS}, not {length}")
    return "".join(rng.choice(_UPPERCASE) for _ in range(length))


_UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MBI_LETTERS = "".join(c for c in _UPPERCASE if c not in "SLOIBZ")


def random_us_medicare(rng: random.Random) -> str:
    """An 11-character Medicare Beneficiary Identifier (CMS layout, letters S L O I B Z unused)."""
    numeric, alpha = "0123456789", _MBI_LETTERS
    alnum = numeric + alpha
    layout = (
        "123456789",
        alpha,
        alnum,
        numeric,
        alpha,
        alnum,
        numeric,
        alpha,
        alpha,
        numeric,
        numeric,
    )
    return "".join(rng.choice(chars) for chars in layout)


MAX_REGEX_INPUT = 1_000_000
"""Regex UDFs see at most this many characters of input (the largest Uptrends value is 1 MB)."""


class OverBudgetError(FunctionError):
    """The render budget of the message ran out during this call (or before it started).

    The budget itself is :class:`uptrends_studio.core.language.budget.RenderBudget`; the
    evaluator reports this as a ``render-budget`` error at the call.
    """


def apply_user_function(
    function: UserFunction,
    argument: str,
    key: str = "",
    header: str = "",
    *,
    timeout: float = DEFAULT_RENDER_SECONDS,
) -> str:
    """Apply a user-defined function; ``key`` is the rendered HMAC or JWT signing key.

    Args:
        function: The function.
        argument: Its rendered argument.
        key: The rendered HMAC or JWT key.
        header: The rendered JWT header.
        timeout: Seconds a regex search may take: what is left of the render budget.

    Raises:
        OverBudgetError: a regex search did not finish within ``timeout``.
        FunctionError: no mapping row matches, the regex does not match or is invalid.
    """
    if isinstance(function, MappingFunction):
        for entry in function.mapping:
            if entry.source == argument:
                return entry.target
        raise FunctionError(
            f"no mapping row for {_short(argument)}; the value passes through unchanged",
            fallback=argument,
            redacted="no mapping row for the (secret) value; it passes through unchanged",
        )
    if isinstance(function, RegexFunction):
        import regex  # on first use: about 40 ms of import

        try:
            pattern = regex.compile(function.pattern)
        except regex.error as exc:
            raise FunctionError(f"invalid regular expression: {exc}") from None
        try:
            if timeout <= 0:
                raise TimeoutError
            match = pattern.search(argument[:MAX_REGEX_INPUT], timeout=timeout)
        except TimeoutError:
            message = (
                "the pattern was still searching this input when its time ran out "
                "(catastrophic backtracking?)"
            )
            raise OverBudgetError(message, redacted=message) from None
        if match is None:
            raise FunctionError(
                f"the pattern does not match {_short(argument)}; renders empty",
                fallback="",
                redacted="the pattern does not match the (secret) value; renders empty",
            )
        if pattern.groups:
            return match.group(1) or ""
        return match.group()
    if isinstance(function, JwtFunction):
        return jwt_encode(function.algorithm, argument, key, header)
    return hash_text(function, argument, key)


def _json_object(text: str, what: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        raise FunctionError(f"the {what} is not JSON ({detail}); give a JSON object") from None
    if not isinstance(value, dict):
        raise FunctionError(f"the {what} must be a JSON object {{...}}, not {_short(text)}")
    return value


_PEM_RE = re.compile(r"(-----BEGIN [A-Z ]+-----)(.*?)(-----END [A-Z ]+-----)", re.DOTALL)


def _pem(key: str) -> str:
    r"""A PEM key typed on one line (a one-line field, or ``\n`` escapes) back in PEM lines."""
    key = key.strip().replace("\\n", "\n")
    match = _PEM_RE.fullmatch(key)
    if match is None or "\n" in match.group(2).strip():
        return key
    body = "".join(match.group(2).split())
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([match.group(1), *lines, match.group(3)]) + "\n"


def jwt_encode(algorithm: str, claims: str, key: str, header: str = "") -> str:
    r"""A signed JSON Web Token (RFC 7519) of the JSON object ``claims``, with PyJWT.

    The header is ``{"alg": ..., "typ": "JWT"}`` plus the fields of the JSON object ``header``
    (keys sorted); the payload is ``claims`` re-serialised compactly, key order kept, non-ASCII
    as ``\uXXXX``. ``HS*`` sign with the UTF-8 bytes of ``key``; the others take a PEM private
    key.

    Raises:
        FunctionError: the claims or header are not a JSON object, the key is missing or does
            not suit the algorithm. An HMAC key shorter than the hash (RFC 7518 §3.2) still signs,
            with a warning (the token is the fallback).
    """
    payload = _json_object(claims, "input (the claims)")
    extra = _json_object(header, "header") if header.strip() else {}
    if "alg" in extra:
        message = "the header may not set alg: the function's algorithm decides it"
        raise FunctionError(message, redacted=message)  # quotes nothing of the key or claims
    if not key:
        message = f"{algorithm} needs a signing key"
        raise FunctionError(message, redacted=message)
    if not algorithm.startswith("HS"):
        key = _pem(key)
    import jwt  # on first use: PyJWT and its crypto stack take 0.1 s

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            token = jwt.encode(payload, key, algorithm=algorithm, headers=extra or None)
        except jwt.exceptions.InvalidKeyError as exc:
            if algorithm.startswith("HS"):
                raise FunctionError(f"the signing key does not suit {algorithm}: {exc}") from None
            family = {"E": "an EC"}.get(algorithm[0], "an RSA")
            message = (
                f"{algorithm} signs with {family} private key in PEM form (-----BEGIN PRIVATE "
                "KEY----- ...); the signing key is not one"
            )
            raise FunctionError(message, redacted=message) from None
        except (TypeError, ValueError, jwt.exceptions.PyJWTError) as exc:
            raise FunctionError(f"cannot sign these claims: {exc}") from None
    short = [w for w in caught if issubclass(w.category, jwt.warnings.InsecureKeyLengthWarning)]
    if short:
        # PyJWT's warning states the key's length, never the key: safe to show as it is.
        message = f"weak key: {short[0].message}"
        raise FunctionError(message, fallback=token, redacted=message)
    return token


def hash_text(function: HashFunction, argument: str, key: str) -> str:
    """Hash (or HMAC) the UTF-8 bytes of ``argument``; lower-case hex."""
    import hashlib
    import hmac

    algorithm = function.algorithm.upper()
    data = argument.encode("utf-8", "surrogatepass")
    if algorithm.startswith("HMAC-"):
        digest = algorithm.removeprefix("HMAC-").lower()
        return hmac.new(key.encode("utf-8", "surrogatepass"), data, digest).hexdigest()
    return hashlib.new(algorithm.lower(), data).hexdigest()


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")
