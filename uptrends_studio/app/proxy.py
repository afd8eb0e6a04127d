"""The proxy a test send goes through, as both front ends choose it.

A :class:`ProxyChoice` is "none", "system" or an explicit URL. The window keeps the URL in its
settings *without* the password; the password lives in the secret store (the OS keyring) under
:func:`proxy_ref`. How a choice reaches the network is :func:`uptrends_studio.core.delivery.sending.
proxies_for` (the one place of the proxy policy).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from uptrends_studio.core.delivery.sending import ProxyMode, SendOptions
from uptrends_studio.core.errors import UsageError
from uptrends_studio.core.secret_store import SecretStore

PROXY_OWNER = "proxy"
"""Store owner of proxy passwords: ``proxy/<proxy URL without password>``."""


@dataclass(frozen=True, slots=True)
class ProxyChoice:
    """No proxy, the system's (``HTTP_PROXY``/``HTTPS_PROXY``/``NO_PROXY``), or this one."""

    mode: ProxyMode = ProxyMode.SYSTEM
    url: str = ""
    """The explicit proxy; may carry ``user:password@`` (in memory only, never in settings)."""

    @classmethod
    def parse(cls, text: str) -> ProxyChoice:
        """The command line's ``--proxy none|system|URL``.

        Raises:
            UsageError: ``text`` is none of these.
        """
        value = text.strip()
        if value.lower() in ("none", "system"):
            return cls(ProxyMode(value.lower()))
        choice = cls(ProxyMode.EXPLICIT, value)
        problem = choice.problem()
        if problem:
            raise UsageError(f"--proxy {text!r} {problem} (or 'none', or 'system')")
        return choice

    def problem(self) -> str:
        """Why the choice cannot be used ("" when it can)."""
        if self.mode is not ProxyMode.EXPLICIT:
            return ""
        parts = urlsplit(self.url.strip())
        if parts.scheme.lower() not in ("http", "https", "socks5", "socks5h") or not parts.netloc:
            return "is not a proxy URL such as http://proxy:8080"
        try:
            parts.port  # noqa: B018 - only checks the port
        except ValueError:
            return "has a port outside 1-65535"
        if not parts.hostname:
            return "names no host"
        return ""

    @property
    def public_url(self) -> str:
        """The URL without its password (what settings keep and the window shows)."""
        parts = urlsplit(self.url.strip())
        if parts.password is None:
            return self.url.strip()
        user = quote(unquote(parts.username or ""), safe="")
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, f"{user}@{host}", parts.path, parts.query, ""))

    @property
    def password(self) -> str:
        """The password in the URL ("" when there is none)."""
        found = urlsplit(self.url.strip()).password
        return unquote(found) if found else ""

    def with_password(self, password: str) -> ProxyChoice:
        """The choice with ``password`` put back into its URL (when it names a user)."""
        parts = urlsplit(self.url.strip())
        if not password or parts.username is None:
            return self
        host = parts.netloc.rpartition("@")[2]
        netloc = f"{parts.username}:{quote(password, safe='')}@{host}"
        return replace(self, url=urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")))

    def apply(self, options: SendOptions) -> SendOptions:
        """``options`` sending through this proxy."""
        url = self.url.strip() if self.mode is ProxyMode.EXPLICIT else ""
        return replace(options, proxy_mode=self.mode, proxy_url=url)

    @classmethod
    def of(cls, options: SendOptions) -> ProxyChoice:
        """The choice ``options`` carry."""
        return cls(options.proxy_mode, options.proxy_url)


def proxy_ref(public_url: str) -> str:
    """The secret-store key of the password of the proxy at ``public_url``."""
    return f"{PROXY_OWNER}/{public_url}"


def remember_proxy(choice: ProxyChoice, store: SecretStore) -> ProxyChoice:
    """Put the choice's password in ``store``; returns the choice to keep in settings.

    The returned choice has no password in its URL.

    Raises:
        SecretStoreError: the store refused the password.
    """
    public = replace(choice, url=choice.public_url)
    if choice.mode is not ProxyMode.EXPLICIT or urlsplit(choice.url.strip()).username is None:
        return public
    ref = proxy_ref(choice.public_url)
    if choice.password:
        if store.get(ref) != choice.password:
            store.set(ref, choice.password)
    else:
        store.delete(ref)
    return public


def recall_proxy(choice: ProxyChoice, store: SecretStore) -> ProxyChoice:
    """A choice from settings with its password from ``store`` (when one is kept there)."""
    if choice.mode is not ProxyMode.EXPLICIT or choice.password:
        return choice
    if urlsplit(choice.url.strip()).username is None:
        return choice
    password = store.get(proxy_ref(choice.public_url))
    return choice.with_password(password) if password else choice
