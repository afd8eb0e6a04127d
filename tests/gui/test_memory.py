"""Memory freed by large, short-lived texts goes back to the system (glibc on Linux)."""

from __future__ import annotations

import platform
import sys

from uptrends_studio.gui.memory import release_free_memory


def test_free_memory_is_released_where_the_c_library_is_glibc() -> None:
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert release_free_memory() is glibc
