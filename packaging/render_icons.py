"""Renders resources/qvupload.svg into the icon files the Windows and macOS builds need, with Qt
(PySide6 is there wherever qvupload builds), so no image tool has to be installed.

    python packaging/render_icons.py --ico build/icons/qvupload.ico         (Windows: exe and installer)
    python packaging/render_icons.py --iconset build/icons/qvupload.iconset (macOS: then iconutil -c icns)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SVG = Path(__file__).resolve().parent.parent / "resources" / "qvupload.svg"


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    return image


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ico", type=Path)
    parser.add_argument("--iconset", type=Path)
    args = parser.parse_args()
    _app = QGuiApplication(sys.argv)
    if args.ico:
        args.ico.parent.mkdir(parents=True, exist_ok=True)
        if not render(256).save(str(args.ico), "ICO"):
            print(f"cannot write {args.ico} (Qt's ico image plugin is missing)", file=sys.stderr)
            return 1
    if args.iconset:
        args.iconset.mkdir(parents=True, exist_ok=True)
        for size in (16, 32, 128, 256, 512):
            render(size).save(str(args.iconset / f"icon_{size}x{size}.png"))
            render(size * 2).save(str(args.iconset / f"icon_{size}x{size}@2x.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
