"""The Studio's log file: rotating, in the user log directory, with secret values masked.

:func:`setup_logging` installs a :class:`~logging.handlers.RotatingFileHandler`
(:data:`MAX_LOG_BYTES` per file, :data:`LOG_BACKUPS` old files kept) on the root logger. Every
record passes a :class:`SecretFilter` first, which replaces each registered secret value, in
every recoverable form (:class:`~uptrends_studio.core.secrets.Masker`), with
:data:`~uptrends_studio.core.secrets.MASK` in the message, its arguments, the exception text and
the stack text. The GUI registers the current secret values (:func:`register_secrets`) whenever
the integration or the sample changes, so a bug report never carries a password.

The filter's state lives in the handler it is attached to, not in a module global; several
independent set-ups (one per test) can coexist by passing their own ``logger``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import logging.handlers
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from uptrends_studio.core.secrets import MIN_SECRET_LENGTH, Masker

LOG_FILE_NAME = "uptrends-studio.log"
MAX_LOG_BYTES = 1_000_000
"""Size at which the log file is rotated."""
LOG_BACKUPS = 5
"""Rotated files kept (``uptrends-studio.log.1`` ... ``.5``): at most 6 MB of logs in all."""
MAX_SECRETS = 256
"""Registered values kept; the oldest are forgotten first (typing a secret registers each
intermediate value, so the list would otherwise grow without bound)."""
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [pid %(process)d]: %(message)s"


class SecretFilter(logging.Filter):
    """Masks registered secret values in every record that passes through it."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: dict[str, None] = {}  # insertion-ordered set, oldest first
        self._longest_first: list[str] = []
        self._masker = Masker()
        self._usernames: set[str] = set()

    def register(self, values: Iterable[str], usernames: Iterable[str] = ()) -> None:
        """Mask ``values`` from now on (values shorter than 3 characters are ignored).

        ``usernames`` are paired with the values (``base64(user:value)``) from now on.
        """
        self._usernames.update(usernames)
        while len(self._usernames) > MAX_SECRETS:
            self._usernames.pop()
        for value in values:
            if len(value) < MIN_SECRET_LENGTH:
                continue
            self._secrets.pop(value, None)
            self._secrets[value] = None
        while len(self._secrets) > MAX_SECRETS:
            del self._secrets[next(iter(self._secrets))]
        self._longest_first = sorted(self._secrets, key=len, reverse=True)
        self._masker = Masker.of(self._secrets, self._usernames)

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values currently masked, longest first."""
        return tuple(self._longest_first)

    def mask(self, text: str) -> str:
        """``text`` with every registered value, in every form, replaced by MASK."""
        return self._masker.mask(text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` in place with the secrets masked; never drops a record."""
        if not self._longest_first:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: mask the raw parts instead
            message = f"{record.msg} {record.args}"
        record.msg = self.mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
            # The formatter prints exc_text when it is set; drop the live exception so no
            # handler formats it again unmasked.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


class _PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files only the user can read (0600).

    A log names files and hosts and may hold fragments of values typed before they were
    registered as secrets.
    """

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with contextlib.suppress(OSError):
            os.chmod(self.baseFilename, 0o600)  # also a file an older Studio created
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def _installed(logger: logging.Logger) -> list[logging.Handler]:
    return [h for h in logger.handlers if getattr(h, "_uptrends_studio", False)]


def setup_logging(
    log_dir: Path,
    level: int = logging.INFO,
    *,
    logger: logging.Logger | None = None,
    console_level: int | None = logging.WARNING,
) -> Path:
    """Log to a rotating file in ``log_dir`` (created if needed); return the file's path.

    Calling it again replaces the handlers an earlier call installed on the same logger.

    Args:
        log_dir: The folder for the log files (the app passes ``userdirs.log_dir()``).
        level: The logger's level.
        logger: The logger to configure; the root logger by default.
        console_level: Also print records of this level and above to stderr (masked as
            well); ``None`` for the file only.

    Raises:
        OSError: The folder cannot be created or the file cannot be opened.
    """
    target = logging.getLogger() if logger is None else logger
    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # private also when an older Studio created it
        log_dir.chmod(0o700)
    path = log_dir / LOG_FILE_NAME
    file_handler = _PrivateFileHandler(
        path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    previous = _installed(target)
    secrets = SecretFilter()
    for handler in previous:
        for old in handler.filters:
            if isinstance(old, SecretFilter):
                secrets.register(reversed(old.secrets))
        target.removeHandler(handler)
        handler.close()
    handlers: list[logging.Handler] = [file_handler]
    if console_level is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(console_level)
        handlers.append(console)
    for handler in handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(secrets)
        handler._uptrends_studio = True  # type: ignore[attr-defined]  # marks ours
        target.addHandler(handler)
    target.setLevel(level)
    return path


def register_secrets(
    values: Iterable[str],
    logger: logging.Logger | None = None,
    *,
    usernames: Iterable[str] = (),
) -> None:
    """Mask ``values`` in everything the handlers of :func:`setup_logging` write from now on.

    Does nothing when logging was not set up on ``logger`` (root by default).
    """
    target = logging.getLogger() if logger is None else logger
    values = list(values)
    usernames = list(usernames)
    seen: set[int] = set()
    for handler in _installed(target):
        for item in handler.filters:
            if isinstance(item, SecretFilter) and id(item) not in seen:
                seen.add(id(item))
                item.register(values, usernames)


def shutdown_logging(logger: logging.Logger | None = None) -> None:
    """Remove and close the handlers :func:`setup_logging` installed on ``logger``."""
    target = logging.getLogger() if logger is None else logger
    for handler in _installed(target):
        target.removeHandler(handler)
        handler.close()
