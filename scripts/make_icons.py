"""Generate the application icon's platform formats from ``resources/icons/uptrends-studio.svg``.

Writes, next to the SVG:

- ``uptrends-studio-<N>.png`` for N in 16, 32, 48, 64, 128, 256, 512 (window icon, Linux);
- ``uptrends-studio.ico`` (Windows executable icon): 16 to 256 px, PNG-compressed entries;
- ``uptrends-studio.icns`` (macOS bundle icon): 16 to 512 px and their @2x variants, PNG.

The SVG is rasterised with Qt's SVG renderer on the offscreen platform (no display needed). The
ICO and ICNS containers are written here with ``struct``: both are a small directory followed
by PNG payloads. Run it again after editing the SVG and commit the results::

    .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# This build tool rasterises with Qt; it is not part of the core or the CLI.
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: TID251
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter  # noqa: TID251
from PySide6.QtSvg import QSvgRenderer  # noqa: TID251

ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAME = "uptrends-studio"

PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 32, 48, 64, 128, 256)  # 256 is the largest size an ICO entry can describe
# ICNS element types with PNG payloads, and the pixel size each holds (@2x types double it).
ICNS_TYPES: Mapping[bytes, int] = {
    b"icp4": 16,
    b"ic11": 32,  # 16@2x
    b"icp5": 32,
    b"ic12": 64,  # 32@2x
    b"icp6": 64,
    b"ic07": 128,
    b"ic13": 256,  # 128@2x
    b"ic08": 256,
    b"ic14": 512,  # 256@2x
    b"ic09": 512,
}


def rasterise(svg: bytes, size: int) -> bytes:
    """Render ``svg`` to a square transparent PNG of ``size`` pixels and return its bytes."""
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit("make_icons: the SVG could not be parsed")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"PNG"))
    if not writer.write(image):
        raise SystemExit(f"make_icons: could not encode the {size} px PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: Mapping[int, bytes], sizes: Iterable[int] = ICO_SIZES) -> bytes:
    """Build a multi-size ICO file whose entries are the PNGs of ``sizes``.

    Layout: ICONDIR (reserved 0, type 1, count), one 16-byte ICONDIRENTRY per image (width and
    height as one byte each, 0 meaning 256; 32 bits per pixel; payload size and offset), then
    the payloads. Windows Vista and later read PNG payloads directly.
    """
    chosen = list(sizes)
    header = struct.pack("<HHH", 0, 1, len(chosen))
    offset = len(header) + 16 * len(chosen)
    entries = b""
    payloads = b""
    for size in chosen:
        png = pngs[size]
        dim = 0 if size == 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        payloads += png
        offset += len(png)
    return header + entries + payloads


def icns_bytes(pngs: Mapping[int, bytes], types: Mapping[bytes, int] = ICNS_TYPES) -> bytes:
    """Build an ICNS file: ``b"icns"`` and the total length, then (type, length, PNG) elements.

    Lengths are big-endian and include the 8-byte element header.
    """
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in types.items()
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(svg_path: Path, out_dir: Path) -> list[Path]:
    """Write every PNG size, the ICO and the ICNS for ``svg_path`` into ``out_dir``.

    Returns:
        The paths written, PNGs first.
    """
    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    svg = svg_path.read_bytes()
    pngs = {size: rasterise(svg, size) for size in PNG_SIZES}
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size, png in pngs.items():
        path = out_dir / f"{NAME}-{size}.png"
        path.write_bytes(png)
        written.append(path)
    for path, data in (
        (out_dir / f"{NAME}.ico", ico_bytes(pngs)),
        (out_dir / f"{NAME}.icns", icns_bytes(pngs)),
    ):
        path.write_bytes(data)
        written.append(path)
    del app
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--svg", type=Path, default=ICONS_DIR / f"{NAME}.svg")
    parser.add_argument("--out", type=Path, default=ICONS_DIR, help="output folder")
    args = parser.parse_args(argv)
    for path in make_icons(args.svg, args.out):
        print(f"{path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
