"""Without a display or Qt's X11 libraries the Studio says what to install, not Qt's abort."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support import run_studio
from uptrends_studio.gui.platform_check import (
    APT_COMMAND,
    DEBIAN_PACKAGES,
    platform_problem,
    qt_plugins_dir,
)

X11 = {"DISPLAY": "far:0"}  # a remote display: only the libraries are checked


def refusing(*names: str):  # type: ignore[no-untyped-def]
    def load(path: str) -> object:
        for name in names:
            if name in path or (path.endswith("libqxcb.so") and name.startswith("!")):
                raise OSError(f"{name.lstrip('!')}: cannot open shared object file: No such file")
        return object()

    return load


def test_missing_libraries_are_named_with_the_install_command() -> None:
    problem = platform_problem(
        X11,
        Path("/qt/plugins"),
        platform="linux",
        load=refusing("!libxkbcommon-x11.so.0", "libxcb-cursor.so.0"),
    )
    assert problem is not None
    assert problem.startswith(
        "the Qt window cannot start: libxkbcommon-x11.so.0, libxcb-cursor.so.0 are missing."
    )
    assert problem.endswith(f"install the system libraries with: {APT_COMMAND}")
    assert {"libxcb-cursor0", "libxkbcommon-x11-0"} <= set(APT_COMMAND.split())


def test_nothing_is_said_when_everything_loads_or_another_platform_is_used() -> None:
    assert platform_problem(X11, Path("/qt"), platform="linux", load=refusing()) is None
    offscreen = {"QT_QPA_PLATFORM": "offscreen"}
    assert platform_problem(offscreen, None, platform="linux", load=refusing("lib")) is None
    wayland = {"WAYLAND_DISPLAY": "wayland-0"}
    assert platform_problem(wayland, None, platform="linux", load=refusing("lib")) is None
    assert platform_problem({}, None, platform="win32", load=refusing("lib")) is None


def test_a_display_nobody_listens_on_is_named(tmp_path: Path) -> None:
    # A local display number no X server uses (none runs during the tests).
    problem = platform_problem(
        {"DISPLAY": ":271"}, qt_plugins_dir(), platform="linux", load=refusing()
    )
    assert problem is not None
    assert problem.startswith("no X server answers on the display :271 (DISPLAY).")
    # A remote display is left to Qt: the check cannot know.
    assert platform_problem({"DISPLAY": "far:0"}, None, platform="linux", load=refusing()) is None
    assert len(DEBIAN_PACKAGES) == len(set(DEBIAN_PACKAGES))


def test_without_a_display_the_window_prints_one_line_instead_of_aborting(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "xcb"
    result = run_studio(tmp_path, "--quit-after-start", env=env)
    assert result.returncode == 1
    assert result.stderr == (
        "uptrends-studio: no display to open the window on (DISPLAY is not set). The headless "
        "commands work without one: 'uptrends-studio render demo', "
        "'uptrends-studio check FILE'.\n"
    )


def test_the_readme_names_the_same_packages() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert APT_COMMAND in readme
