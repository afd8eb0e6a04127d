"""Test set-up shared by every test: offscreen Qt and the hypothesis profiles."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.uptrends_standin import StandIn, serve

# Before anything imports Qt (house style, section 5): tests need no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Autosaves, test history and logs of everything the tests start (the CLI and app subprocesses
# included) go to a scratch folder, never into the real user profile.
os.environ["UPTRENDS_STUDIO_DATA_DIR"] = tempfile.mkdtemp(prefix="uptrends-studio-tests-")

# CI=1 fuzzes hard; locally a quicker run. Not derandomized: every CI run explores new inputs.
_base = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", _base, max_examples=2000, print_blob=True)
settings.register_profile("dev", _base, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def standin() -> Iterator[StandIn]:
    """The loopback stand-in of the Uptrends API v4; every answer it gave matched the Swagger."""
    with serve() as server:
        yield server
        assert server.account.violations == [], "the stand-in answered outside the Swagger"
