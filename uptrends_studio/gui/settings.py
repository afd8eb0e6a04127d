"""Typed access to the Studio's settings, over an injected ``QSettings``.

Preferences (theme, debounce) are kept apart from window state (geometry, splitters) and from
history (recent files), so "reset preferences" never forgets where the window was.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:  # sending and the receiver are imported when their settings are first read
    from uptrends_studio.core.delivery.receiver import ReceiverResponse
    from uptrends_studio.core.delivery.sending import SendOptions

MAX_RECENT = 10


class Settings:
    """Read and write the Studio's settings. The CLI never uses this."""

    def __init__(self, store: QSettings) -> None:
        self._store = store

    # -- history ------------------------------------------------------------------------------

    def recent_files(self) -> list[Path]:
        """Recently opened or saved integration files, newest first, existing ones only."""
        raw = self._store.value("history/recentFiles", [])
        items: list[object] = (
            [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
        )
        return [Path(p) for p in items if isinstance(p, str) and Path(p).is_file()]

    def add_recent_file(self, path: Path) -> None:
        """Put ``path`` first in the recent files (at most :data:`MAX_RECENT`)."""
        resolved = str(path.resolve())
        items = [str(p) for p in self.recent_files() if str(p) != resolved]
        self._store.setValue("history/recentFiles", [resolved, *items][:MAX_RECENT])

    def clear_recent_files(self) -> None:
        """Forget the recent files."""
        self._store.remove("history/recentFiles")

    def last_sample(self) -> str:
        """The sample set used last (a built-in stem or a file path), ``""`` if none."""
        return str(self._store.value("history/lastSample", "") or "")

    def set_last_sample(self, key: str) -> None:
        """Remember the sample set in use."""
        self._store.setValue("history/lastSample", key)

    # -- preferences --------------------------------------------------------------------------

    def send_options(self) -> SendOptions:
        """The Test tab's connection options (timeout, TLS, proxy, redirects)."""
        from uptrends_studio.core.delivery.sending import ProxyMode, SendOptions

        try:
            data = json.loads(str(self._store.value("preferences/sendOptions", "{}") or "{}"))
            return SendOptions(
                timeout=float(data.get("timeout", 30.0)),
                verify_tls=bool(data.get("verifyTls", True)),
                ca_bundle=str(data.get("caBundle", "")),
                proxy_mode=ProxyMode(data.get("proxyMode", ProxyMode.SYSTEM.value)),
                proxy_url=str(data.get("proxyUrl", "")),
                follow_redirects=bool(data.get("followRedirects", True)),
                trust_redirects=bool(data.get("trustRedirects", False)),
            )
        except (ValueError, TypeError, AttributeError):
            return SendOptions()

    def set_send_options(self, options: SendOptions) -> None:
        """Remember the connection options (a proxy password never: it belongs in the keyring)."""
        from uptrends_studio.app.proxy import ProxyChoice

        data = {
            "timeout": options.timeout,
            "verifyTls": options.verify_tls,
            "caBundle": options.ca_bundle,
            "proxyMode": options.proxy_mode.value,
            "proxyUrl": ProxyChoice.of(options).public_url,
            "followRedirects": options.follow_redirects,
            "trustRedirects": options.trust_redirects,
        }
        self._store.setValue("preferences/sendOptions", json.dumps(data))

    def receiver_port(self) -> int:
        """The local receiver's port (default 8787, the demo's ApiUrl)."""
        from uptrends_studio.core.delivery.receiver import DEFAULT_PORT

        try:
            port = int(str(self._store.value("receiver/port", DEFAULT_PORT)))
        except ValueError:
            return DEFAULT_PORT
        return port if 0 < port < 65536 else DEFAULT_PORT

    def set_receiver_port(self, port: int) -> None:
        """Remember the local receiver's port."""
        self._store.setValue("receiver/port", port)

    def receiver_response(self) -> ReceiverResponse:
        """The local receiver's configured answer."""
        from uptrends_studio.core.delivery.receiver import ReceiverResponse

        try:
            data = json.loads(str(self._store.value("receiver/response", "{}") or "{}"))
            return ReceiverResponse(
                status=int(data.get("status", 200)),
                headers=tuple((str(n), str(v)) for n, v in data.get("headers", ()))
                or ReceiverResponse().headers,
                body=str(data.get("body", ReceiverResponse().body)),
                delay=float(data.get("delay", 0.0)),
            )
        except Exception:
            return ReceiverResponse()

    def set_receiver_response(self, response: ReceiverResponse) -> None:
        """Remember the local receiver's answer."""
        data = asdict(response)
        data["headers"] = [list(h) for h in response.headers]
        self._store.setValue("receiver/response", json.dumps(data))

    def theme(self) -> str:
        """``"system"``, ``"light"`` or ``"dark"``."""
        value = str(self._store.value("preferences/theme", "system") or "system")
        return value if value in ("system", "light", "dark") else "system"

    def set_theme(self, theme: str) -> None:
        """Store the theme preference."""
        self._store.setValue("preferences/theme", theme)

    def presentation(self) -> bool:
        """Whether presentation mode (larger text) was on when the Studio was last closed."""
        return str(self._store.value("preferences/presentation", "false")).lower() == "true"

    def set_presentation(self, on: bool) -> None:
        """Remember presentation mode."""
        self._store.setValue("preferences/presentation", "true" if on else "false")

    # -- window state -------------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        """Saved main-window geometry."""
        value = self._store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_window_geometry(self, data: QByteArray) -> None:
        """Save main-window geometry."""
        self._store.setValue("window/geometry", data)

    def window_state(self) -> QByteArray | None:
        """Saved splitter and dock state."""
        value = self._store.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def set_window_state(self, data: QByteArray) -> None:
        """Save splitter and dock state."""
        self._store.setValue("window/state", data)

    def splitter(self, name: str) -> QByteArray | None:
        """Saved state of the named splitter."""
        value = self._store.value(f"window/splitter/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_splitter(self, name: str, data: QByteArray) -> None:
        """Save the state of the named splitter."""
        self._store.setValue(f"window/splitter/{name}", data)

    def reserved_width(self, name: str) -> int:
        """The width a part built after the first paint needed last time (0: not known)."""
        try:
            width = int(str(self._store.value(f"window/reserved/{name}", 0)))
        except ValueError:
            return 0
        return width if 0 < width < 4000 else 0

    def set_reserved_width(self, name: str, width: int) -> None:
        """Remember the width a part built after the first paint needs (see ``LazyPage``)."""
        self._store.setValue(f"window/reserved/{name}", width)

    def sync(self) -> None:
        """Flush to disk."""
        self._store.sync()
