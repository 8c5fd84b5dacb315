"""Floors for the timeline: bare widgets drawing the same blocks as the timeline.

:class:`BarePaintPrototype` is the least a ``paintEvent`` can do to show the
blocks: for each block in the dirty rectangle, a rounded rectangle in its
colour and its title, elided once beforehand, in the timeline's own font.
No hour grid, no labels, no now line, no state.

:class:`StripDragPrototype` adds the least a drag can do: on each mouse move
the grabbed block follows the pointer and only the strip it left and the strip
it entered are repainted.

Both are driven in the benchmark's process, the same way as the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget
from typing_extensions import override

CORNER_RADIUS = 4
TEXT_PADDING = 4


@dataclass(slots=True)
class PrototypeBlock:
    rect: QRectF
    colour: QColor
    title: str


class BarePaintPrototype(QWidget):
    def __init__(self, blocks: list[PrototypeBlock], font: QFont) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFont(font)
        metrics = QFontMetrics(font)
        self._baseline = metrics.ascent() + TEXT_PADDING
        self._blocks = blocks
        self._titles = [
            metrics.elidedText(
                block.title, Qt.TextElideMode.ElideRight, int(block.rect.width()) - 2 * TEXT_PADDING
            )
            for block in blocks
        ]

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        dirty = QRectF(event.rect())
        painter.fillRect(dirty, Qt.GlobalColor.white)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self.font())
        for block, title in zip(self._blocks, self._titles, strict=True):
            rect = block.rect
            if not rect.intersects(dirty):
                continue
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(block.colour)
            painter.drawRoundedRect(rect, CORNER_RADIUS, CORNER_RADIUS)
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(
                QPointF(rect.left() + TEXT_PADDING, rect.top() + self._baseline), title
            )
        painter.end()


class StripDragPrototype(BarePaintPrototype):
    def __init__(self, blocks: list[PrototypeBlock], font: QFont) -> None:
        super().__init__(blocks, font)
        self._grabbed: PrototypeBlock | None = None
        self._grab_offset = 0.0

    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        self._grabbed = next((b for b in reversed(self._blocks) if b.rect.contains(point)), None)
        if self._grabbed is not None:
            self._grab_offset = point.y() - self._grabbed.rect.top()

    @override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        block = self._grabbed
        if block is None:
            return
        old = block.rect.toAlignedRect()
        block.rect.moveTop(event.position().y() - self._grab_offset)
        self.update(old.united(block.rect.toAlignedRect()).adjusted(-1, -1, 1, 1))

    @override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._grabbed = None

    def grabbed_rect(self) -> QRect | None:
        return None if self._grabbed is None else self._grabbed.rect.toAlignedRect()
