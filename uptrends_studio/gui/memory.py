"""Give the memory of large, short-lived texts back to the system (glibc on Linux).

Every edit of a 1 MB body makes a few dozen texts of a megabyte or more (the editor's text,
the rendered and masked bodies, their indented beginnings), on the UI thread and on the preview
worker's. glibc allocates a block over its *mmap threshold* (128 KB at first) with ``mmap`` and
gives it back with ``munmap`` when it is freed; but it raises the threshold to the size of each
such block that is freed (up to 32 MB), so after the first 4 MB text, texts of that size come
from the heap, where freed memory mostly stays with the process, scattered between small live
objects. Typing in a 1 MB body then grew the resident memory by 20 to 30 MB that
``malloc_trim(0)`` gave back: fragmentation, not a leak (nothing Python or Qt held grew).
Setting the threshold explicitly turns that adjustment off.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

MMAP_THRESHOLD_BYTES = 128 * 1024
"""Blocks from this size on are mapped and unmapped on their own (glibc's initial value)."""

_M_MMAP_THRESHOLD = -3
"""``mallopt`` parameter number of ``M_MMAP_THRESHOLD`` (glibc's ``malloc.h``)."""


def return_large_blocks_to_the_system() -> bool:
    """Fix glibc's mmap threshold at :data:`MMAP_THRESHOLD_BYTES`; False where not glibc.

    Safe to call more than once. Other platforms and C libraries are left as they are.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
    if not done:
        log.info("mallopt(M_MMAP_THRESHOLD) refused: large texts may fragment the heap")
    return done
