"""Draws the icon's bitmaps from hafiza/icon.svg: icon.png (256 px, for the window on systems
without SVG icons and the Linux desktop entry), icon.ico (16-256 px, Windows and the NSIS
installer) and icon.icns (512 px, the macOS .app; Qt's icns writer). Run it after changing
the SVG; the files are committed, so a build needs no drawing tools.

    QT_QPA_PLATFORM=offscreen python packaging/icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SOURCE = Path(__file__).resolve().parent.parent / "hafiza" / "icon.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SOURCE)).render(painter)
    painter.end()
    return image


def write_ico(path: Path) -> None:
    """An .ico holding every size as PNG (Windows Vista and later read PNG entries)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    entries = []
    for size in ICO_SIZES:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        draw(size).save(buffer, "PNG")
        entries.append((size, bytes(data.data())))
    header = b"\0\0" + (1).to_bytes(2, "little") + len(entries).to_bytes(2, "little")
    offset = 6 + 16 * len(entries)
    directory, images = b"", b""
    for size, png in entries:
        side = size % 256  # 0 means 256
        directory += bytes([side, side, 0, 0]) + (1).to_bytes(2, "little") \
            + (32).to_bytes(2, "little") + len(png).to_bytes(4, "little") \
            + (offset + len(images)).to_bytes(4, "little")
        images += png
    path.write_bytes(header + directory + images)


def main() -> int:
    QGuiApplication(sys.argv[:1])
    draw(256).save(str(SOURCE.with_suffix(".png")))
    write_ico(SOURCE.with_suffix(".ico"))
    if not draw(512).save(str(SOURCE.with_suffix(".icns")), "icns"):
        print("could not write icon.icns (Qt's icns image plugin is missing)", file=sys.stderr)
        return 1
    print(f"wrote icon.png, icon.ico and icon.icns beside {SOURCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
