"""Render the app icon (packaging/linux/starcoach.svg) for each platform, with Qt only.

    python packaging/render_icons.py png OUT.png [SIZE]   # Linux / AppImage (default 256)
    python packaging/render_icons.py ico OUT.ico          # Windows: 16…256 px, PNG-compressed
    python packaging/render_icons.py iconset DIR.iconset  # macOS: then `iconutil -c icns DIR`

Runs in the build venv (PySide6-Essentials carries QtSvg); needs no display.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parent / "linux" / "starcoach.svg"


def _renderer():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        sys.exit(f"cannot read {SVG}")
    return app, renderer


def render_png(renderer, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def write_ico(renderer, out: Path, sizes=(16, 24, 32, 48, 64, 128, 256)) -> None:
    blobs = [render_png(renderer, n) for n in sizes]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries = b""
    for n, blob in zip(sizes, blobs, strict=True):
        entries += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    out.write_bytes(header + entries + b"".join(blobs))


def write_iconset(renderer, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for base in (16, 32, 128, 256, 512):
        (folder / f"icon_{base}x{base}.png").write_bytes(render_png(renderer, base))
        (folder / f"icon_{base}x{base}@2x.png").write_bytes(render_png(renderer, base * 2))


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"png", "ico", "iconset"}:
        sys.stderr.write(__doc__)
        return 2
    _app, renderer = _renderer()
    out = Path(argv[1])
    if argv[0] == "png":
        out.write_bytes(render_png(renderer, int(argv[2]) if len(argv) > 2 else 256))
    elif argv[0] == "ico":
        write_ico(renderer, out)
    else:
        write_iconset(renderer, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
