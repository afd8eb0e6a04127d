"""The installer's inputs: the spec, its entry scripts, the build script and the app icon.

The build itself (minutes, 150 MB) runs in CI through ``scripts/build_installer.sh``, which
smoke-tests the executables; these checks are the quick part that fails before that.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_installer.spec"
ICONS = ROOT / "resources" / "icons"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


def png_size(data: bytes) -> tuple[int, int, int]:
    """Width, height and colour type of a PNG, read from its IHDR chunk."""
    assert data[:8] == PNG_MAGIC, "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def ico_images(data: bytes) -> dict[int, bytes]:
    """The PNG payloads of an ICO file by the size its directory entry declares."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "not an ICO file"
    images: dict[int, bytes] = {}
    for index in range(count):
        entry = data[6 + 16 * index : 22 + 16 * index]
        width, height, _c, _r, _planes, bits, size, offset = struct.unpack("<BBBBHHII", entry)
        assert width == height
        assert bits == 32
        assert offset + size <= len(data)
        images[width or 256] = data[offset : offset + size]
    return images


def icns_images(data: bytes) -> dict[bytes, bytes]:
    """The payloads of an ICNS file by element type."""
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data), "ICNS length field is wrong"
    images: dict[bytes, bytes] = {}
    position = 8
    while position < len(data):
        kind, length = struct.unpack(">4sI", data[position : position + 8])
        assert length > 8
        images[kind] = data[position + 8 : position + length]
        position += length
    assert position == len(data)
    return images


def test_spec_builds_a_windowed_gui_and_a_console_cli_into_one_folder() -> None:
    text = SPEC.read_text(encoding="utf-8")
    compile(text, str(SPEC), "exec")  # PyInstaller executes the spec as Python
    assert 'NAME = "UptrendsStudio"' in text
    gui = re.search(r"gui_exe = EXE\((.*?)\n\)", text, re.DOTALL)
    cli = re.search(r"cli_exe = EXE\((.*?)\n\)", text, re.DOTALL)
    assert gui is not None
    assert cli is not None
    assert "name=NAME," in gui.group(1)
    assert "console=False" in gui.group(1)
    assert 'name="uptrends-studio",' in cli.group(1)
    assert "console=True" in cli.group(1)
    # One COLLECT holding both executables: one folder, one shared runtime.
    assert text.count("COLLECT(") == 1
    assert re.search(r"COLLECT\(\s*gui_exe,\s*cli_exe,", text)
    assert 'datas=[(str(ROOT / "resources"), "resources")]' in text


@pytest.mark.parametrize(
    ("script", "starts"),
    [
        ("studio_gui.py", "from uptrends_studio.gui.app import run"),
        ("studio_cli.py", "from uptrends_studio.launcher import console_main"),
    ],
)
def test_spec_entry_scripts_start_the_studio_and_the_command_line(script: str, starts: str) -> None:
    assert f'"scripts" / "{script}"' in SPEC.read_text(encoding="utf-8")
    assert starts in (ROOT / "scripts" / script).read_text(encoding="utf-8")


def test_frozen_cli_entry_script_prints_the_version() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "studio_cli.py"), "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"uptrends-studio \d+\.\d+\.\d+\S*\n", result.stdout)


_RUN_CLI_HOOK = """
import json, os, runpy, sys
sys._MEIPASS = sys.argv[1]
runpy.run_path(sys.argv[2])
print(json.dumps({"plugins": os.environ.get("QT_PLUGIN_PATH"), "modules": sorted(sys.modules)}))
"""


def test_frozen_cli_runtime_hook_points_qt_at_the_bundle_without_loading_qt(
    tmp_path: Path,
) -> None:
    """The console executable runs this hook instead of PyInstaller's PySide6 one (which loads
    Qt into every ``render``); the window it opens still finds the bundle's Qt plugins."""
    hook = ROOT / "scripts" / "rthook_cli_qt_paths.py"
    assert '"scripts" / "rthook_cli_qt_paths.py"' in SPEC.read_text(encoding="utf-8")
    bundle = tmp_path / "_internal"
    env = {k: v for k, v in os.environ.items() if k != "QT_PLUGIN_PATH"}
    result = subprocess.run(
        [sys.executable, "-c", _RUN_CLI_HOOK, str(bundle), str(hook)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    qt = bundle / "PySide6" if sys.platform == "win32" else bundle / "PySide6" / "Qt"
    assert report["plugins"] == str(qt / "plugins")
    assert [m for m in report["modules"] if m.startswith(("PySide6", "shiboken6"))] == []


def test_ci_ends_with_the_installer_build_and_smoke_test() -> None:
    script = ROOT / "scripts" / "build_installer.sh"
    assert os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text
    assert "--noconfirm --clean" in text
    assert "build_installer.spec" in text
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci_lines[-1] == "scripts/build_installer.sh"


@pytest.mark.parametrize("size", PNG_SIZES)
def test_png_icon_has_its_size_and_transparency(size: int) -> None:
    width, height, colour = png_size((ICONS / f"uptrends-studio-{size}.png").read_bytes())
    assert (width, height) == (size, size)
    assert colour == 6  # RGBA: the rounded corners are transparent


def test_ico_holds_the_png_icons_from_16_to_256_pixels() -> None:
    images = ico_images((ICONS / "uptrends-studio.ico").read_bytes())
    assert sorted(images) == [16, 32, 48, 64, 128, 256]
    for size, png in images.items():
        assert png == (ICONS / f"uptrends-studio-{size}.png").read_bytes()


def test_icns_holds_the_png_icons_with_their_retina_variants() -> None:
    images = icns_images((ICONS / "uptrends-studio.icns").read_bytes())
    expected = {
        b"icp4": 16,
        b"ic11": 32,
        b"icp5": 32,
        b"ic12": 64,
        b"icp6": 64,
        b"ic07": 128,
        b"ic13": 256,
        b"ic08": 256,
        b"ic14": 512,
        b"ic09": 512,
    }
    assert set(images) == set(expected)
    for kind, size in expected.items():
        assert images[kind] == (ICONS / f"uptrends-studio-{size}.png").read_bytes(), kind


def test_svg_icon_source_is_a_plain_square_drawing() -> None:
    root = ET.parse(ICONS / "uptrends-studio.svg").getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 512 512"
    tags = {element.tag.removeprefix(SVG_NS) for element in root.iter()}
    # Nothing that runs code or loads another file when the icon is shown.
    assert not tags & {"script", "foreignObject", "image", "use", "style"}
    attributes = {name for element in root.iter() for name in element.attrib}
    assert not any(name.endswith("href") or name.startswith("on") for name in attributes)


def test_make_icons_regenerates_every_format_from_the_svg(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_icons.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(
        [f"uptrends-studio-{size}.png" for size in PNG_SIZES]
        + ["uptrends-studio.ico", "uptrends-studio.icns"]
    )
    for size in PNG_SIZES:
        assert png_size((tmp_path / f"uptrends-studio-{size}.png").read_bytes())[:2] == (
            size,
            size,
        )
    assert sorted(ico_images((tmp_path / "uptrends-studio.ico").read_bytes())) == [
        16,
        32,
        48,
        64,
        128,
        256,
    ]
    assert len(icns_images((tmp_path / "uptrends-studio.icns").read_bytes())) == 10
