"""The integration model: what an Uptrends custom integration consists of.

Immutable dataclasses mirroring the Uptrends screens (Main tab with predefined variables,
Customizations tab with HTTP steps and user-defined functions). Loading and saving them is
:mod:`uptrends_studio.core.document.integration_file`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum


class AlertType(Enum):
    """The three message types.

    ``value`` is the UI name (Error, Reminder, Ok); :attr:`token_value` is what
    ``{{@alert.type}}`` renders (Alert, Reminder, Ok).
    """

    ERROR = "Error"
    REMINDER = "Reminder"
    OK = "Ok"

    @property
    def token_value(self) -> str:
        """The value of ``{{@alert.type}}`` for this type: ``Alert``, ``Reminder`` or ``Ok``."""
        return "Alert" if self is AlertType.ERROR else self.value

    @classmethod
    def parse(cls, text: str) -> AlertType:
        """Accept ``error``/``alert``, ``reminder``, ``ok`` in any case.

        Raises:
            ValueError: for anything else, naming the accepted words.
        """
        key = text.strip().lower()
        for alert_type in cls:
            if key in (alert_type.value.lower(), alert_type.token_value.lower()):
                return alert_type
        raise ValueError(f"unknown alert type {text!r}: use Error, Reminder or Ok")


ALERT_TYPES: tuple[AlertType, ...] = (AlertType.ERROR, AlertType.REMINDER, AlertType.OK)


class VariableMode(StrEnum):
    """Where a predefined variable's value lives."""

    HERE = "here"
    """"Specify value here": stored in the integration."""
    ESCALATION_LEVEL = "escalationLevel"
    """"Specify value in escalation level": filled in per escalation level (sample data)."""


class VaultField(StrEnum):
    """The two fields of a vault credential set that can be referenced."""

    USERNAME = "Username"
    PASSWORD = "Password"


class AuthType(StrEnum):
    """HTTP authentication of a step."""

    NONE = "None"
    BASIC = "Basic"
    DIGEST = "Digest"
    NTLM = "NTLM"


HTTP_METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True, slots=True)
class VaultRef:
    """A reference to a field of a vault credential set (``item`` is the item's GUID)."""

    item: str
    field: VaultField


@dataclass(frozen=True, slots=True)
class Variable:
    """A predefined variable, referenced in templates as ``{{Name}}``.

    Exactly one of ``value`` (plain text) and ``vault`` applies when the mode is
    :attr:`VariableMode.HERE`; neither is stored for :attr:`VariableMode.ESCALATION_LEVEL`.
    """

    name: str
    mode: VariableMode = VariableMode.HERE
    value: str = ""
    secret: bool = False
    vault: VaultRef | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class Header:
    """A request header; ``value`` is a template, ``name`` is literal."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Authentication:
    """A step's authentication; username and password are templates (vault tokens allowed)."""

    type: AuthType = AuthType.NONE
    username: str = ""
    password: str = ""


class ResponseSource(StrEnum):
    """Where a response variable takes its value from."""

    JSON_PATH = "jsonPath"
    """A value in the JSON response body, by path (``access_token``, ``data.items[0].id``)."""
    HEADER = "header"
    """A response header, by name (case-insensitive)."""
    STATUS_CODE = "statusCode"
    """The HTTP status code, as text."""


@dataclass(frozen=True, slots=True)
class ResponseVariable:
    """A value a step extracts from its response for later steps, used as ``{{name}}``.

    Uptrends does not document these for integration steps (its multi-step monitors have them);
    the Studio supports them for the authentication-token pattern, see ``docs/semantics.md``.
    """

    name: str
    source: ResponseSource = ResponseSource.JSON_PATH
    property: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """One HTTP request of the Customizations tab.

    ``alert_types`` are the ticked message-type boxes; a step with none ticked is a helper step
    that runs before the selected one (see :mod:`uptrends_studio.core.rendering.messages`).
    """

    name: str
    alert_types: tuple[AlertType, ...] = ALERT_TYPES
    method: str = "POST"
    url: str = "{{ApiUrl}}"
    headers: tuple[Header, ...] = ()
    body: str = ""
    authentication: Authentication = field(default_factory=Authentication)
    response_variables: tuple[ResponseVariable, ...] = ()

    def header(self, name: str) -> str | None:
        """The (template) value of the first header called ``name``, case-insensitively."""
        lowered = name.lower()
        for header in self.headers:
            if header.name.strip().lower() == lowered:
                return header.value
        return None


@dataclass(frozen=True, slots=True)
class MappingEntry:
    """One row of a mapping function: input ``source`` gives output ``target``."""

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class MappingFunction:
    """A user-defined mapping (From -> To table)."""

    name: str
    mapping: tuple[MappingEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class RegexFunction:
    """A user-defined regular expression: the first group of the first match (or the match)."""

    name: str
    pattern: str = ""


HASH_ALGORITHMS: tuple[str, ...] = (
    "MD5",
    "SHA1",
    "SHA256",
    "SHA512",
    "HMAC-SHA1",
    "HMAC-SHA256",
    "HMAC-SHA512",
)


@dataclass(frozen=True, slots=True)
class HashFunction:
    """A user-defined hash; HMAC variants use ``key`` (a template: vault tokens allowed)."""

    name: str
    algorithm: str = "SHA256"
    key: str = ""


JWT_ALGORITHMS: tuple[str, ...] = (
    "HS256",
    "HS384",
    "HS512",
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
)
"""The signing algorithms of a JWT-encode function: HMAC (``HS*``, a shared secret) and the
RSA, RSA-PSS and ECDSA ones (``RS*``, ``PS*``, ``ES*``, a PEM private key)."""


@dataclass(frozen=True, slots=True)
class JwtFunction:
    """A user-defined "JSON Web Token (JWT) encode" function.

    It signs the call's input, a JSON object of claims, and returns the compact token
    ``header.payload.signature``. ``key`` (a template: vault references and variables
    allowed) is the HMAC secret or the PEM private key, and is itself a secret. ``header`` is
    an optional template giving a JSON object of extra header fields (``{"kid": "..."}``);
    ``alg`` and ``typ`` are set by the function.
    """

    name: str
    algorithm: str = "HS256"
    key: str = ""
    header: str = ""


UserFunction = MappingFunction | RegexFunction | HashFunction | JwtFunction


@dataclass(frozen=True, slots=True)
class Integration:
    """A whole custom integration as the Studio edits it."""

    name: str
    integration_type: str = "Uptrends integration"
    description: str = ""
    target: str = ""
    """The target system whose rules apply (``pagerduty``, ``opsgenie``, ...); "" for none."""
    variables: tuple[Variable, ...] = ()
    steps: tuple[Step, ...] = ()
    functions: tuple[UserFunction, ...] = ()
    id: str = ""
    """A stable random id (a UUID, given on the first save that keeps a secret); the key of the
    integration's secrets in the keyring, so renaming or moving the file keeps them."""

    def variable(self, name: str) -> Variable | None:
        """The predefined variable called exactly ``name``."""
        for variable in self.variables:
            if variable.name == name:
                return variable
        return None
