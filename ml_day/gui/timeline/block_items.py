"""One block on the timeline: its laid-out rectangle and text, and how it is painted.

Laid out once per day, size, zoom, font or palette change (and per pointer move
for the few blocks a drag previews); painted from the layout without measuring
text again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPen

from ml_day.core.timemodel import format_duration
from ml_day.gui.timeline.drag import remembered_real_duration
from ml_day.gui.timeline.geometry import ACCENT_WIDTH, CORNER_RADIUS, TEXT_PADDING
from ml_day.gui.timeline.palette import with_alpha

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ml_day.core.days import PlacedSegment
    from ml_day.gui.timeline.geometry import BlockFonts
    from ml_day.gui.timeline.palette import BlockColours

GHOST_FILL_ALPHA = 70
"""Where a dragged block was is drawn this faint (of 255)."""
SHADOW_OFFSET = 2
"""A block being dragged casts a shadow this far down and right (pixels)."""
SHADOW_ALPHA = 45


@dataclass(frozen=True, slots=True)
class BlockItem:
    """One block segment as laid out: its rectangle (content coordinates), colours and text."""

    placed: PlacedSegment
    rect: QRectF
    colours: BlockColours
    title_lines: tuple[str, ...]
    detail: str
    one_line: bool

    @property
    def block_id(self) -> int:
        return self.placed.segment.block.id


def lay_out_block(
    placed: PlacedSegment, rect: QRectF, colours: BlockColours, fonts: BlockFonts, zone: ZoneInfo
) -> BlockItem:
    """Fit the block's title and times into ``rect``."""
    segment, block = placed.segment, placed.segment.block
    title = f"✓ {block.title}" if block.done else block.title
    start, end = block.start, block.end
    # Not strftime: it imports a module at each call, which is slow under Qt.
    detail = f"{start.hour:02d}:{start.minute:02d}\u2013{end.hour:02d}:{end.minute:02d}"
    wall_length = end - start
    real_length = remembered_real_duration(start, end, zone)
    if real_length != wall_length:
        detail += f" · {format_duration(real_length)} (clocks change)"
    if segment.continues_from_previous_day:
        detail = f"↑ from yesterday · {detail}"
    if segment.continues_to_next_day:
        detail += " · continues ↓"

    text_width = int(rect.width()) - ACCENT_WIDTH - 2 * TEXT_PADDING
    title_height = fonts.title_metrics.height()
    detail_height = fonts.small_metrics.height()
    if rect.height() < detail_height - 4:
        return BlockItem(placed, rect, colours, (), "", one_line=True)
    if rect.height() < title_height + detail_height + 2 * TEXT_PADDING:
        detail_width = fonts.small_metrics.horizontalAdvance(detail)
        title_width = text_width - detail_width - 2 * TEXT_PADDING
        if title_width < 60:
            title_width, detail = text_width, ""
        elided = fonts.title_metrics.elidedText(title, Qt.TextElideMode.ElideRight, title_width)
        return BlockItem(placed, rect, colours, (elided,), detail, one_line=True)
    room = int(rect.height()) - 2 * TEXT_PADDING - detail_height
    max_lines = max(room // title_height, 1)
    key = (title, text_width, max_lines)
    lines = fonts.wrapped_titles.get(key)
    if lines is None:
        lines = wrap(title, fonts.title_metrics, text_width, max_lines)
        fonts.wrapped_titles[key] = lines
    detail = fonts.small_metrics.elidedText(detail, Qt.TextElideMode.ElideRight, text_width)
    return BlockItem(placed, rect, colours, lines, detail, one_line=False)


def block_path(item: BlockItem) -> QPainterPath:
    """The block's outline: rounded, square where it is cut at midnight."""
    rect, segment = item.rect, item.placed.segment
    outline = rect.adjusted(0.5, 0.5, -0.5, -0.5)
    path = QPainterPath()
    path.addRoundedRect(outline, CORNER_RADIUS, CORNER_RADIUS)
    square_height = min(CORNER_RADIUS * 2, outline.height() / 2)
    if segment.continues_from_previous_day:
        cut = QPainterPath()
        cut.addRect(QRectF(outline.left(), outline.top(), outline.width(), square_height))
        path = path.united(cut)
    if segment.continues_to_next_day:
        cut = QPainterPath()
        cut.addRect(
            QRectF(outline.left(), outline.bottom() - square_height, outline.width(), square_height)
        )
        path = path.united(cut)
    return path


def paint_block(
    painter: QPainter,
    item: BlockItem,
    fonts: BlockFonts,
    selection: QColor | None,
    *,
    with_detail: bool = True,
) -> None:
    """Paint the block; outlined in ``selection`` when it is selected. Without
    ``with_detail`` its times are left out (see :func:`paint_block_detail`)."""
    rect, colours, segment = item.rect, item.colours, item.placed.segment
    outline = rect.adjusted(0.5, 0.5, -0.5, -0.5)
    path = block_path(item)
    painter.save()
    painter.fillPath(path, colours.fill)
    painter.setClipPath(path)
    painter.fillRect(QRectF(rect.left(), rect.top(), ACCENT_WIDTH, rect.height()), colours.accent)
    painter.setClipping(False)
    painter.setPen(QPen(colours.border, 1))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.setPen(QPen(colours.border, 1, Qt.PenStyle.DashLine))
    if segment.continues_from_previous_day:
        painter.drawLine(outline.topLeft(), outline.topRight())
    if segment.continues_to_next_day:
        painter.drawLine(outline.bottomLeft(), outline.bottomRight())
    if selection is not None:
        paint_selection(painter, item, selection)
    _paint_block_text(painter, item, fonts, with_detail=with_detail)
    painter.restore()


def paint_selection(painter: QPainter, item: BlockItem, colour: QColor) -> None:
    """The selected block's outline (over the block as :func:`paint_block` drew it)."""
    painter.save()
    painter.setPen(QPen(colour, 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(item.rect.adjusted(1, 1, -1, -1), CORNER_RADIUS, CORNER_RADIUS)
    painter.restore()


def paint_ghost(painter: QPainter, item: BlockItem) -> None:
    """Where a dragged block was: a faint dashed outline."""
    painter.save()
    path = block_path(item)
    painter.fillPath(path, with_alpha(item.colours.fill, GHOST_FILL_ALPHA))
    painter.setPen(QPen(item.colours.border, 1, Qt.PenStyle.DashLine))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.restore()


def paint_preview(
    painter: QPainter,
    item: BlockItem,
    fonts: BlockFonts,
    outline: QColor,
    *,
    with_detail: bool = True,
) -> None:
    """A block where a drag would put it: lifted by a small shadow, outlined.

    Without ``with_detail`` its times are left out: a drag paints the rest once,
    as an image, and only the times, which change at each step, over it.
    """
    painter.save()
    shadow = block_path(item).translated(SHADOW_OFFSET, SHADOW_OFFSET)
    painter.fillPath(shadow, QColor(0, 0, 0, SHADOW_ALPHA))
    paint_block(painter, item, fonts, outline, with_detail=with_detail)
    painter.restore()


def paint_block_detail(painter: QPainter, item: BlockItem, fonts: BlockFonts) -> None:
    """Only the block's times, where :func:`paint_block` puts them."""
    if not item.title_lines or not item.detail:
        return
    painter.save()
    painter.setClipRect(item.rect.adjusted(ACCENT_WIDTH, 1, -1, -1))
    _paint_detail(painter, item, fonts)
    painter.restore()


def _text_span(rect: QRectF) -> tuple[float, float]:
    """The left and the width of a block's text."""
    text_left = rect.left() + ACCENT_WIDTH + TEXT_PADDING
    return text_left, rect.right() - TEXT_PADDING - text_left


def _paint_block_text(
    painter: QPainter, item: BlockItem, fonts: BlockFonts, *, with_detail: bool
) -> None:
    rect = item.rect
    text_left, text_width = _text_span(rect)
    painter.setClipRect(rect.adjusted(ACCENT_WIDTH, 1, -1, -1))
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    if not item.title_lines:
        return
    painter.setFont(fonts.title)
    painter.setPen(item.colours.text)
    if item.one_line:
        line = QRectF(text_left, rect.top(), text_width, rect.height())
        painter.drawText(line, flags, item.title_lines[0])
    else:
        y = rect.top() + TEXT_PADDING
        height = fonts.title_metrics.height()
        for text in item.title_lines:
            painter.drawText(QRectF(text_left, y, text_width, height), flags, text)
            y += height
    if with_detail and item.detail:
        _paint_detail(painter, item, fonts)


def _paint_detail(painter: QPainter, item: BlockItem, fonts: BlockFonts) -> None:
    """The times: right of the title on a one-line block, under it otherwise."""
    rect = item.rect
    text_left, text_width = _text_span(rect)
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    if item.one_line:
        title_advance = fonts.title_metrics.horizontalAdvance(item.title_lines[0])
        line = QRectF(text_left, rect.top(), text_width, rect.height())
        line.setLeft(text_left + title_advance + 2 * TEXT_PADDING)
    else:
        y = rect.top() + TEXT_PADDING + len(item.title_lines) * fonts.title_metrics.height()
        line = QRectF(text_left, y, text_width, fonts.small_metrics.height())
    painter.setFont(fonts.small)
    painter.setPen(item.colours.secondary_text)
    painter.drawText(line, flags, item.detail)


def wrap(text: str, metrics: QFontMetrics, width: int, max_lines: int) -> tuple[str, ...]:
    """``text`` broken into at most ``max_lines`` lines at spaces, the last one elided."""
    words = text.split(" ")
    lines: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if not current or metrics.horizontalAdvance(candidate) <= width:
            current = candidate
            continue
        if len(lines) == max_lines - 1:
            current = " ".join([current, *words[index:]])
            break
        lines.append(current)
        current = word
    lines.append(current)
    elide = Qt.TextElideMode.ElideRight
    return tuple(metrics.elidedText(line, elide, width) for line in lines)
