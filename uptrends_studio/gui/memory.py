"""Give memory freed by large, short-lived texts back to the system (glibc on Linux).

Every edit of a 1 MB body makes a few dozen texts of a megabyte or more: the editor's text, the
rendered and masked bodies, their indented beginnings, on the UI thread and on the preview
worker's. glibc serves a block over its *mmap threshold* with ``mmap`` and unmaps it when it is
freed, but it raises that threshold to the size of each such block freed (up to 32 MB), so
after the first few previews texts of a megabyte come from the heap. Freed, their memory stays
with the process between small live objects: typing in a 1 MB body grew the resident memory by
20 to 30 MB that ``malloc_trim(0)`` gave back, fragmentation and not a leak (nothing Python or
Qt held grew).

Fixing the threshold (``mallopt``) kept the memory flat but made each keystroke in a 1 MB body
twice as slow (a fresh mapping, and its page faults, for every copy of the text). Trimming
once per preview, after the previous one was let go, costs about 2 ms instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = (ctypes.c_size_t,)
    trim.restype = ctypes.c_int
    function: Callable[[int], int] = trim
    return function


def release_free_memory() -> bool:
    """Return the free memory of every heap to the system (``malloc_trim(0)``).

    Returns:
        False where the C library has no ``malloc_trim`` (not glibc): nothing was done.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
