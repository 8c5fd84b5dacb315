"""The tray icon, painted: the current block's colour and how much of it has passed.

A disc in the category colour, inside a ring whose bright arc is the elapsed
part of the block, clockwise from twelve o'clock. With no block under way the
icon is an empty grey ring (idle).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

ICON_SIZES = (16, 22, 32, 64)
IDLE_COLOUR = QColor("#8a8f98")
_FULL_CIRCLE = 360 * 16
"""QPainter angles are in sixteenths of a degree."""


def paint_status_icon(size: int, colour: QColor | None, progress: float | None) -> QPixmap:
    """The icon at ``size`` px: idle when ``colour`` is None; ``progress`` 0.0-1.0."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring_width = max(2.0, size / 8)
        margin = ring_width / 2 + max(0.5, size / 32)
        ring = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
        if colour is None:
            painter.setPen(QPen(IDLE_COLOUR, ring_width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(ring)
            return pixmap
        track = QColor(colour)
        track.setAlphaF(0.35)
        painter.setPen(QPen(track, ring_width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(ring)
        if progress is not None and progress > 0:
            arc = QPen(colour.darker(135), ring_width)
            arc.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(arc)
            span = round(-min(progress, 1.0) * _FULL_CIRCLE)  # negative: clockwise
            painter.drawArc(ring, 90 * 16, span)
        gap = ring_width * 0.75
        disc = ring.adjusted(
            ring_width / 2 + gap, ring_width / 2 + gap, -ring_width / 2 - gap, -ring_width / 2 - gap
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(disc)
    finally:
        painter.end()
    return pixmap


def status_icon(colour: QColor | None, progress: float | None) -> QIcon:
    """The icon at every tray size (16, 22, 32 and 64 px)."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(paint_status_icon(size, colour, progress))
    return icon
