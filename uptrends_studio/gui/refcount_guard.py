"""A guard against a reference-count bug of PySide6 on Python 3.11 (kept light: it runs first)."""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject

_NONE_REFERENCES = 1 << 40
"""References given to ``None`` when the binding is found to drop them (see below)."""


def guard_none_refcount() -> bool:
    """Protect ``None`` from a reference-count bug of the installed PySide6; True if needed.

    PySide6 6.12 on Python 3.11 drops one reference to ``None`` on most calls of ``void``
    methods (``setFormat``, ``setFixedHeight``...). On Python 3.12+ ``None`` is immortal and
    nothing happens, but on 3.11 its count reaches zero after some thousands of calls and the
    interpreter aborts ("none_dealloc: deallocating None"); highlighting a 50 KB body is
    enough. When a probe call shows the bug, ``None`` gets so many references that it can
    never be freed, which is what Python 3.12 does anyway. Idempotent and cheap.
    """
    if sys.version_info >= (3, 12):
        return False
    probe = QObject()
    before = sys.getrefcount(None)
    probe.setObjectName("probe")
    if sys.getrefcount(None) >= before:
        return False
    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value < _NONE_REFERENCES:
        count.value += _NONE_REFERENCES
    return True
