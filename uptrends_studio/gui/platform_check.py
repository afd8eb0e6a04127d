"""Before Qt starts: can its window system plugin load here? One clear line if not.

On Linux, Qt's xcb platform plugin needs a set of X11/xcb system libraries that minimal
Debian/Ubuntu images (containers, fresh servers, WSL) lack. Without them, or without any
display, Qt prints several lines and aborts the process. This module looks first and returns a
plain message naming what is missing and the one command that installs it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

DEBIAN_PACKAGES = (
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libglib2.0-0",
    "libdbus-1-3",
    "libx11-xcb1",
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xfixes0",
    "libxcb-xkb1",
)
"""What Qt's window needs on Debian/Ubuntu beyond a minimal image (checked with debootstrap's
minbase Debian 12 and the libraries of the PySide6 wheel; the README names the same list)."""

APT_COMMAND = "sudo apt-get install -y " + " ".join(DEBIAN_PACKAGES)

RUNTIME_LIBRARIES = ("libxcb-cursor.so.0",)
"""Libraries the xcb plugin opens while starting, not at load time (so not found by loading it)."""

Loader = Callable[[str], object]


def _missing_from(error: OSError) -> str:
    """The library an ``OSError`` of the dynamic loader names ("libX.so.1: cannot open ...")."""
    text = str(error)
    name = text.split(":", 1)[0].strip()
    return Path(name).name if name else text


def _local_display_reachable(display: str) -> bool:
    """Whether an X server answers on a local display (``:N`` or ``:N.S``); others count as yes.

    X servers listen on ``/tmp/.X11-unix/XN``, as a file and (on Linux) in the abstract
    namespace; remote displays (``host:N``, SSH forwarding) are left for Qt to try.
    """
    match = re.fullmatch(r":(\d+)(?:\.\d+)?", display.strip())
    if match is None:
        return True
    import socket  # only on this path: the start of the window does not need it

    path = f"/tmp/.X11-unix/X{match.group(1)}"
    for address in (path, "\0" + path):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            try:
                probe.connect(address)
            except OSError:
                continue
            return True
    return False


def platform_problem(
    environ: Mapping[str, str],
    plugins_dir: Path | None,
    *,
    platform: str = sys.platform,
    load: Loader | None = None,
) -> str | None:
    """Why the Studio window cannot start here, or ``None`` when it can (as far as we can tell).

    Args:
        environ: The environment (``QT_QPA_PLATFORM``, ``DISPLAY``, ``WAYLAND_DISPLAY``).
        plugins_dir: Qt's plugin folder (``QLibraryInfo``'s PluginsPath).
        platform: ``sys.platform``; only Linux is checked.
        load: Loads a shared library, raising ``OSError`` when it cannot (default:
            ``ctypes.CDLL``).
    """
    if not platform.startswith("linux"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen and not chosen.startswith("xcb"):
        return None  # offscreen, wayland, vnc...: not the X11 plugin
    if not chosen and environ.get("WAYLAND_DISPLAY"):
        return None  # a Wayland session: Qt uses its Wayland plugin
    if not environ.get("DISPLAY"):
        return (
            "no display to open the window on (DISPLAY is not set). The headless commands "
            "work without one: 'uptrends-studio render demo', 'uptrends-studio check FILE'."
        )
    if load is None:
        import ctypes

        load = ctypes.CDLL
    missing: list[str] = []
    if plugins_dir is not None:
        try:
            load(str(plugins_dir / "platforms" / "libqxcb.so"))
        except OSError as exc:
            missing.append(_missing_from(exc))
    for library in RUNTIME_LIBRARIES:
        try:
            load(library)
        except OSError:
            missing.append(library)
    if not missing:
        display = environ["DISPLAY"]
        if not _local_display_reachable(display):
            return (
                f"no X server answers on the display {display} (DISPLAY). Start one or "
                "correct DISPLAY; the headless commands work without one: "
                "'uptrends-studio render demo', 'uptrends-studio check FILE'."
            )
        return None
    return (
        f"the Qt window cannot start: {', '.join(missing)} "
        f"{'is' if len(missing) == 1 else 'are'} missing. On Debian/Ubuntu install the "
        f"system libraries with: {APT_COMMAND}"
    )


def qt_plugins_dir() -> Path:
    """Qt's plugin folder of the PySide6 in use."""
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
