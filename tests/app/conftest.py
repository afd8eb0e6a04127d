"""Fixtures for the application-layer tests (no Qt anywhere)."""

from __future__ import annotations

import pytest

from uptrends_studio.core.language.catalogue import Catalogue, load_catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The shipped catalogue of system variables and functions."""
    return load_catalogue()
