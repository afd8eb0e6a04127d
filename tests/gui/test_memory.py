"""Large short-lived texts give their memory back to the system (glibc on Linux)."""

from __future__ import annotations

import platform
import sys

from uptrends_studio.gui.memory import return_large_blocks_to_the_system


def test_the_mmap_threshold_is_fixed_where_the_c_library_is_glibc() -> None:
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert return_large_blocks_to_the_system() is glibc
    assert return_large_blocks_to_the_system() is glibc  # again: harmless
