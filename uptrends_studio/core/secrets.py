r"""Which rendered text is secret, and the one masking policy of the Studio.

A value is secret when it comes from a predefined variable marked secret, from a mock-vault
password (or a vault field a secret variable refers to), from a step's authentication
password, or is a JWT function's signing key typed as text; and so is everything computed
from one (encoders, user-defined functions, HMAC signatures, nested tokens). Two
mechanisms hide them, and every output uses one or both:

- **Secret spans.** The evaluator marks each segment of rendered output that derives from a
  secret (:attr:`~uptrends_studio.core.language.evaluator.Segment.secret`).
  :func:`masked_request` replaces exactly those spans of a rendered request with :data:`MASK`,
  whatever encoding the template applied (``{{@Base64Encode(user:{{Password}})}}`` included).
- **A** :class:`Masker` for text that comes from outside the evaluator: responses, echoes of
  the request, exception messages, log records, requests captured by the local receiver. It
  knows every recoverable form of each secret: raw, JSON-escaped (``\uXXXX`` in both hex
  cases, ``\/``), URL-encoded (upper- and lower-case hex, ``+`` and ``%20`` for a space),
  HTML-escaped, Base64 (standard and URL-safe) of the value and of ``user:value`` for each
  plausible user name.

Typical use::

    masker = Masker() if reveal else masker_for(integration, sample, requests)
    shown = masked_request(request, masker)       # a rendered request: spans, then forms
    print(masker.mask(response_text))             # anything else

``Masker()`` masks nothing: revealing is an explicit choice made per view, by passing it.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import quote, quote_plus

from uptrends_studio.core.document.model import AuthType, Integration, JwtFunction, VariableMode
from uptrends_studio.core.document.samples import SampleSet
from uptrends_studio.core.language.functions import json_encode
from uptrends_studio.core.language.parser import Text, parse
from uptrends_studio.core.rendering.messages import RenderedRequest

MASK = "••••••"
MIN_SECRET_LENGTH = 3
"""Shorter values are not masked: masking "a" or "1" everywhere would garble the preview."""

_URL_HEX = re.compile(r"%[0-9A-F]{2}")
_JSON_HEX = re.compile(r"\\u[0-9a-f]{4}")
_URL_SAFE_SETS = ("", "/", "/:@!$&'()*+,;=", "!#$&'()*+,/:;=?@[]~")
"""``safe`` characters of the URL encoders in use: ours (``@UrlEncode``), ``urllib``'s default,
and what HTTP clients leave alone when they normalise a URL."""


def secret_values(integration: Integration, sample: SampleSet) -> list[str]:
    """The concrete secret strings for this integration and sample, longest first."""
    found: set[str] = set()
    for variable in integration.variables:
        if not variable.secret:
            continue
        if variable.vault is not None:
            entry = sample.vault.get(variable.vault.item, {})
            found.add(entry.get(variable.vault.field.value, ""))
        elif variable.mode is VariableMode.ESCALATION_LEVEL:
            found.update(_secret_parts(sample.escalation_level.get(variable.name, "")))
        else:
            found.update(_secret_parts(variable.value))
    for entry in sample.vault.values():
        found.add(entry.get("Password", ""))
    for step in integration.steps:
        if "{{" not in step.authentication.password:
            found.add(step.authentication.password)
    for function in integration.functions:
        # A JWT signing key typed as text (a key that is a template is covered by the variable
        # or vault field it names). The evaluator marks the token signed with it as secret too.
        if isinstance(function, JwtFunction) and "{{" not in function.key:
            found.add(function.key)
    return sorted((s for s in found if len(s) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def _secret_parts(value: str) -> list[str]:
    """A secret value, or, when tokens in it are evaluated, its literal text around them.

    The tokens' own values are other secrets (vault fields, secret variables) or alert data.
    """
    if "{{" not in value:
        return [value]
    return [node.text for node in parse(value).nodes if isinstance(node, Text)]


def plausible_usernames(integration: Integration, sample: SampleSet) -> list[str]:
    """Names a secret may be paired with as ``user:secret`` (Basic authentication).

    The steps' authentication user names as typed (without tokens), the vault user names and
    the values of non-secret predefined variables (``{{User}}:{{Password}}`` is common).
    """
    found: set[str] = set()
    for step in integration.steps:
        if "{{" not in step.authentication.username:
            found.add(step.authentication.username)
    for entry in sample.vault.values():
        found.add(entry.get("Username", ""))
    for variable in integration.variables:
        if not variable.secret and variable.vault is None and len(variable.value) <= 256:
            found.add(variable.value)
    return sorted(found)


def _html_escaped(value: str, *, quote: bool) -> str:
    """``value`` as ``html.escape`` writes it (``&<>``, and with ``quote`` ``"'`` too).

    Spelt out here because ``import html`` loads its entity table, a noticeable part of the
    start of ``uptrends-studio render``, which masks secrets but never needs the table.
    """
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        value = value.replace('"', "&quot;").replace("'", "&#x27;")
    return value


def _base64_forms(data: bytes) -> set[str]:
    standard = base64.b64encode(data).decode("ascii")
    url_safe = base64.urlsafe_b64encode(data).decode("ascii")
    return {standard, url_safe, standard.rstrip("="), url_safe.rstrip("=")}


def secret_forms(value: str, usernames: Iterable[str] = ()) -> set[str]:
    """Every recoverable form of ``value`` that :class:`Masker` masks (``value`` included)."""
    forms = {
        value,
        json_encode(value),
        _html_escaped(value, quote=True),
        _html_escaped(value, quote=False),
    }
    for ascii_only in (True, False):
        escaped = json.dumps(value, ensure_ascii=ascii_only)[1:-1]
        upper = _JSON_HEX.sub(lambda m: m.group()[:2] + m.group()[2:].upper(), escaped)
        forms.update((escaped, escaped.replace("/", "\\/"), upper))
    for safe in _URL_SAFE_SETS:
        encoded = quote(value, safe=safe)
        lower = _URL_HEX.sub(lambda m: m.group().lower(), encoded)
        forms.update((encoded, lower, encoded.replace("%20", "+"), lower.replace("%20", "+")))
    plus = quote_plus(value)
    forms.update((plus, _URL_HEX.sub(lambda m: m.group().lower(), plus)))
    data = value.encode("utf-8", "surrogatepass")
    forms |= _base64_forms(data)
    for user in usernames:
        forms |= _base64_forms(f"{user}:".encode("utf-8", "surrogatepass") + data)
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


@dataclass(frozen=True, slots=True)
class Masker:
    """Replaces every recoverable form of a set of secret values with :data:`MASK`.

    Build one with :meth:`of` or :func:`masker_for`; ``Masker()`` masks nothing (reveal).

    Attributes:
        values: The secret values (shorter than :data:`MIN_SECRET_LENGTH` are ignored).
        usernames: Names paired with each value for ``base64(user:value)``.
        forms: Every text that is masked, longest first (derived; not an argument).
    """

    values: frozenset[str] = frozenset()
    usernames: frozenset[str] = frozenset()
    forms: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found: set[str] = set()
        for value in self.values:
            if len(value) >= MIN_SECRET_LENGTH:
                found |= secret_forms(value, self.usernames)
        object.__setattr__(self, "forms", tuple(sorted(found, key=lambda s: (-len(s), s))))

    @classmethod
    def of(cls, values: Iterable[str], usernames: Iterable[str] = ()) -> Masker:
        """A masker for ``values``, pairing each with ``usernames`` for Basic credentials."""
        return cls(frozenset(values), frozenset(usernames))

    def adding(self, values: Iterable[str], usernames: Iterable[str] = ()) -> Masker:
        """This masker with more values (and user names) to mask."""
        more_values = frozenset(values) - self.values
        more_users = frozenset(usernames) - self.usernames
        if not any(len(v) >= MIN_SECRET_LENGTH for v in more_values) and not (
            more_users and self.values
        ):
            return self
        return Masker(self.values | more_values, self.usernames | more_users)

    def __bool__(self) -> bool:
        """Whether anything is masked at all."""
        return bool(self.forms)

    def mask(self, text: str) -> str:
        """``text`` with every form of every value replaced by :data:`MASK`."""
        for form in self.forms:
            if form in text:
                text = text.replace(form, MASK)
        return text


def secret_texts(request: RenderedRequest) -> list[str]:
    """The secret-derived parts of a rendered request: each secret span, and the password.

    Adding them to a :class:`Masker` makes it catch a computed value (an encoded or signed
    secret) that comes back in an echo of the request.
    """
    found = [text for rendered in request.fields.values() for text in rendered.secret_texts()]
    if request.password:
        found.append(request.password)
    return found


def masker_for(
    integration: Integration,
    sample: SampleSet,
    requests: Iterable[RenderedRequest] = (),
) -> Masker:
    """The masker of an integration with a sample; ``requests`` add their secret-derived texts.

    The rendered user names of the ``requests`` are paired with the secrets too.
    """
    requests = tuple(requests)
    values = [*secret_values(integration, sample)]
    usernames = plausible_usernames(integration, sample)
    for request in requests:
        values.extend(secret_texts(request))
        if request.auth_type is not AuthType.NONE:
            usernames.append(request.username)
    return Masker.of(values, usernames)


def masked_request(request: RenderedRequest, masker: Masker) -> RenderedRequest:
    """The request with its secret spans and every known secret form replaced by MASK.

    The password is replaced whole. The result carries no per-field render results (they hold
    the secrets); with ``Masker()`` and no secret spans the request is returned as it is.
    """
    fields = request.fields

    def hide(name: str, text: str) -> str:
        rendered = fields.get(name)
        if rendered is not None and rendered.text == text:
            text = rendered.masked(MASK)
        return masker.mask(text)

    if not masker and not any(r.secret_texts() for r in fields.values()) and not request.password:
        return request
    return replace(
        request,
        url=hide("url", request.url),
        headers=tuple(
            (name, hide(f"headers[{i}].value", value))
            for i, (name, value) in enumerate(request.headers)
        ),
        body=hide("body", request.body),
        username=hide("authentication.username", request.username),
        password=MASK if request.password else "",
        fields={},
        diagnostics=tuple(replace(d, message=masker.mask(d.message)) for d in request.diagnostics),
    )
