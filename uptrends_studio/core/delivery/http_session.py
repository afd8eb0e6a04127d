"""The ``requests`` session test sends use: redirects follow the Studio's credential policy.

Imported on the first send only (it imports ``requests``). ``requests`` itself drops the
``Authorization`` header when a redirect changes host, but keeps the Digest or NTLM handler
(which then answers the new host's challenge with the credentials), the other headers and a
307/308 body. :meth:`GuardedSession.rebuild_auth` applies
:func:`uptrends_studio.core.delivery.sending.redirect_strip` instead and notes what it dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import requests
from requests.hooks import default_hooks

from uptrends_studio.core.delivery.sending import origin, redirect_note, redirect_strip


class GuardedSession(requests.Session):
    """A session whose redirects to another scheme/host/port leave the credentials behind.

    Set :attr:`secrets`, :attr:`trusted` and :attr:`handler` before each send; after it,
    :attr:`notes` maps each redirect response (by ``id``) to what was dropped.
    """

    def __init__(self) -> None:
        super().__init__()
        self.secrets: Sequence[str] = ()
        self.trusted = False
        self.handler = ""
        """The authentication handler's name (``Digest``, ``NTLM``) or "" (Basic: a header)."""
        self.notes: dict[int, str] = {}

    def rebuild_auth(
        self, prepared_request: requests.PreparedRequest, response: requests.Response
    ) -> None:
        """Apply the redirect policy to the next request of a redirect chain."""
        before = (response.request.url if response.request is not None else "") or ""
        after = prepared_request.url or ""
        if origin(before) == origin(after):
            return
        body = prepared_request.body
        as_bytes = body.encode("utf-8") if isinstance(body, str) else body
        headers = [(str(n), str(v)) for n, v in prepared_request.headers.items()]
        dropped, drop_body = redirect_strip(
            before,
            after,
            headers,
            as_bytes if isinstance(as_bytes, bytes) else None,
            self.secrets,
            trusted=self.trusted,
        )
        handler = ""
        if not self.trusted:
            handler = self.handler if any(prepared_request.hooks.get("response", [])) else ""
            prepared_request.hooks = default_hooks()
            for name in dropped:
                prepared_request.headers.pop(name, None)
            if drop_body:
                prepared_request.body = None
                for name in ("Content-Length", "Content-Type", "Transfer-Encoding"):
                    prepared_request.headers.pop(name, None)
        note = redirect_note(after, dropped, drop_body, handler, trusted=self.trusted)
        if note:
            self.notes[id(response)] = note
