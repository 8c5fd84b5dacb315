"""Render the application icon's PNG sizes from its SVG.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/linux/render_icons.py

Reads ``resources/icons/org.mlday.MLDay.svg`` and writes
``resources/icons/hicolor/<N>x<N>/apps/org.mlday.MLDay.png`` for each standard
size. The output depends only on the SVG and Qt's renderer, so running it again
gives the same files; commit them with the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
APP_ID = "org.mlday.MLDay"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    source = ICONS / f"{APP_ID}.svg"
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        sys.stderr.write(f"render_icons: {source} is not a valid SVG\n")
        return 1
    for size in SIZES:
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(renderer, size).save(str(target)):
            sys.stderr.write(f"render_icons: could not write {target}\n")
            return 1
        sys.stdout.write(f"{target.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
