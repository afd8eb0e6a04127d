"""Where the Studio keeps per-user files: autosaves, test history and logs.

By default these are the platform's user data and log directories (``platformdirs``). Setting
the environment variable :data:`DATA_DIR_ENV` to a folder puts everything under that folder
instead (``<folder>/autosave``, ``<folder>/history``, ``<folder>/logs``): tests, portable
installs and support sessions use it so that nothing touches the real profile.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "UptrendsStudio"
DATA_DIR_ENV = "UPTRENDS_STUDIO_DATA_DIR"
"""Environment variable that redirects every per-user folder of the Studio."""


def _override(environ: Mapping[str, str] | None) -> Path | None:
    value = (os.environ if environ is None else environ).get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user data directory (``$UPTRENDS_STUDIO_DATA_DIR`` when set).

    Args:
        environ: The environment to read (default ``os.environ``).
    """
    override = _override(environ)
    if override is not None:
        return override
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The log directory (``$UPTRENDS_STUDIO_DATA_DIR/logs`` when the override is set)."""
    override = _override(environ)
    if override is not None:
        return override / "logs"
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def autosave_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``<data dir>/autosave``: unsaved work, kept until it is saved or discarded."""
    return data_dir(environ) / "autosave"


def history_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``<data dir>/history``: the masked records of test runs."""
    return data_dir(environ) / "history"
