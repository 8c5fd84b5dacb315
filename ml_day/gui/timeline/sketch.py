"""Today drawn before the timeline is loaded: what the window first paints.

The timeline (:mod:`ml_day.gui.timeline.view`) needs PySide6's ``Qt``
namespace (about 40 ms to build its enums) and some 3,000 lines of ours;
loading them before the window first shows would double the time to the first
paint. The sketch paints the same day with the same geometry, fonts and colours
(:mod:`~ml_day.gui.timeline.geometry`, :mod:`~ml_day.gui.timeline.palette`),
so every block, hour line and the now line are where the timeline will put
them; the window swaps the timeline in right after. Titles are kept to one
line (the timeline wraps long ones), and the sketch takes no input.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QScrollBar, QStylePainter, QWidget

from ml_day.core.days import place_in_lanes, segments_for_day
from ml_day.gui.timeline.geometry import (
    ACCENT_WIDTH,
    CORNER_RADIUS,
    GUTTER_PADDING,
    NOW_DOT_RADIUS,
    TEXT_PADDING,
    BlockFonts,
    fitted_pixels_per_hour,
    lane_spans,
    opening_offset,
    scroll_range,
    segment_span,
)
from ml_day.gui.timeline.palette import BlockColours, block_colours, is_dark, timeline_colours
from ml_day.gui.timeline.scale import DEFAULT_PIXELS_PER_HOUR, HOURS_PER_DAY, TimeScale
from ml_day.overrides import override

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtGui import QPaintEvent, QResizeEvent

    from ml_day.core.blocks import Block
    from ml_day.core.days import PlacedSegment

ALIGN_LEFT_MIDDLE = 0x0001 | 0x0080
"""``Qt.AlignLeft | Qt.AlignVCenter`` as the number ``drawText`` also takes: naming
the flags would load the ``Qt`` namespace (a test checks the numbers)."""
ALIGN_RIGHT_MIDDLE = 0x0002 | 0x0080
"""``Qt.AlignRight | Qt.AlignVCenter``."""
ALIGN_CENTER = 0x0004 | 0x0080
"""``Qt.AlignCenter``."""


class DaySketch(QWidget):
    """``blocks`` of ``day`` as the timeline draws them, scrolled as it opens; the
    now line at ``now`` (naive local wall time) when that falls on ``day``.

    A plain widget with a scroll bar at its right edge, where the timeline (a
    scroll area without a frame) has its own: asking a scroll area for its
    viewport makes PySide6 build the types of every widget class (30 ms).
    """

    def __init__(
        self,
        day: dt.date,
        blocks: Sequence[Block],
        now: dt.datetime | None,
        *,
        visible_hours: tuple[int, int] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("daySketch")
        self.setAccessibleName("Day timeline, loading")
        # Made without a parent, then given one: QScrollBar(parent) would build
        # the Qt namespace to choose among its constructors.
        self._bar = QScrollBar()
        self._bar.setParent(self)
        self._day = day
        self._placed = place_in_lanes(segments_for_day(blocks, day))
        self._now = now if now is not None and now.date() == day else None
        self._visible_hours = visible_hours
        self._fonts = BlockFonts.derived_from(self.font())
        self._scale = TimeScale(day, DEFAULT_PIXELS_PER_HOUR, self._fonts.top_margin)
        self._rects: list[QRectF] = []
        self._day_width = 0

    @property
    def day(self) -> dt.date:
        return self._day

    @property
    def fonts(self) -> BlockFonts:
        return self._fonts

    @property
    def day_width(self) -> int:
        """The width of the day itself: the sketch's, less the scroll bar's when shown."""
        return self._day_width

    def now_y(self) -> float | None:
        """The now line's y as painted, in the sketch's coordinates; None on another day."""
        if self._now is None:
            return None
        return round(self._scale.y_of(self._now)) - self.scroll_offset()

    def scroll_offset(self) -> int:
        return self._bar.value() if self._bar.isVisibleTo(self) else 0

    def block_rects(self) -> list[tuple[int, QRectF]]:
        """Each block's id and rectangle as painted, in the sketch's coordinates."""
        offset = self.scroll_offset()
        return [
            (placed.segment.block.id, rect.translated(0, -offset))
            for placed, rect in zip(self._placed, self._rects, strict=True)
        ]

    def _lay_out(self) -> None:
        width, height = self.width(), self.height()
        fonts = self._fonts
        pixels_per_hour = DEFAULT_PIXELS_PER_HOUR
        if self._visible_hours is not None:
            fitted = fitted_pixels_per_hour(self._visible_hours, height, fonts.top_margin)
            pixels_per_hour = fitted or pixels_per_hour
        self._scale = scale = TimeScale(self._day, pixels_per_hour, fonts.top_margin)
        bar, bar_width = self._bar, self._bar.sizeHint().width()
        furthest = scroll_range(scale, height)
        scrolls = furthest > 0
        bar.setVisible(scrolls)
        bar.setGeometry(width - bar_width, 0, bar_width, height)
        self._day_width = width - bar_width if scrolls else width
        spans = lane_spans(self._placed, fonts.gutter_width, self._day_width)
        self._rects = []
        for placed, (x0, x1) in zip(self._placed, spans, strict=True):
            y0, y1 = segment_span(scale, placed.segment)
            self._rects.append(QRectF(x0, y0, x1 - x0, y1 - y0))
        bar.setRange(0, furthest)
        bar.setPageStep(max(height, 1))
        now_y = None if self._now is None else scale.y_of(self._now)
        bar.setValue(
            opening_offset(
                scale,
                now_y=now_y,
                visible_hours=self._visible_hours,
                placed=self._placed,
                viewport_height=height,
            )
        )

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out()

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        try:
            painter.setClipRect(QRectF(0, 0, self._day_width, self.height()))
            painter.translate(0, -self.scroll_offset())
            _SketchPainter(painter, self).paint(self._scale, self._placed, self._rects, self._now)
        finally:
            painter.end()


class _SketchPainter:
    """Paints the sketch with calls that leave PySide6's ``Qt`` namespace alone.

    Passing a colour where Qt also takes one of the namespace's enums
    (``QPainter.setPen``, ``setBrush``, ``fillRect``, ``QBrush(colour)``) makes
    PySide6 build all of the namespace's enums to tell them apart, about 40 ms
    of the first paint. So fills are paths filled with a pen's brush, lines are
    stroked paths, and text is drawn in a palette's colour by a
    :class:`QStylePainter` (``QWidget.style()`` would build ``QStyle``'s
    enums, 20 ms more).
    """

    def __init__(self, painter: QStylePainter, sketch: DaySketch) -> None:
        self._painter = painter
        self._fonts = sketch.fonts
        self._width = float(sketch.day_width)
        self._colours = timeline_colours(sketch.palette())
        self._dark = is_dark(sketch.palette())
        self._palettes: dict[int, QPalette] = {}

    def paint(
        self,
        scale: TimeScale,
        placed: Sequence[PlacedSegment],
        rects: Sequence[QRectF],
        now: dt.datetime | None,
    ) -> None:
        colours, fonts, width = self._colours, self._fonts, self._width
        gutter = fonts.gutter_width
        height = float(scale.content_height)
        self._fill(_rect_path(QRectF(0, 0, width, height)), colours.background)
        self._fill(_rect_path(QRectF(0, 0, gutter, height)), colours.gutter)
        hours, half_hours = QPainterPath(), QPainterPath()
        for index in range(2 * HOURS_PER_DAY + 1):
            line_y = round(scale.top_margin + index * scale.pixels_per_hour / 2)
            lines = hours if index % 2 == 0 else half_hours
            lines.moveTo(gutter - (GUTTER_PADDING // 2 if index % 2 == 0 else 0), line_y)
            lines.lineTo(width, line_y)
        self._painter.strokePath(hours, _pen(colours.hour_line, 0))
        self._painter.strokePath(half_hours, _pen(colours.half_hour_line, 0))

        by_colour: dict[tuple[str, bool], BlockColours] = {}
        for one, rect in zip(placed, rects, strict=True):
            block = one.segment.block
            key = (block.category.colour, block.done)
            if key not in by_colour:
                by_colour[key] = block_colours(key[0], dark=self._dark, done=key[1])
            self._block(one, rect, by_colour[key])

        metrics = fonts.small_metrics
        for hour, y in scale.hour_lines():
            if hour < HOURS_PER_DAY:
                label = QRectF(
                    0, y - metrics.height() / 2, gutter - GUTTER_PADDING, metrics.height()
                )
                self._text(label, ALIGN_RIGHT_MIDDLE, f"{hour:02d}:00", fonts.small, colours.label)
        if now is not None:
            self._now(scale.y_of(now), now, gutter)

    def _block(self, placed: PlacedSegment, rect: QRectF, colours: BlockColours) -> None:
        """Fill, accent and outline; the title on one line and the times, placed as
        the timeline places them."""
        painter, fonts = self._painter, self._fonts
        outline = QPainterPath()
        outline.addRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), CORNER_RADIUS, CORNER_RADIUS)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._fill(outline, colours.fill)
        painter.save()
        painter.setClipPath(outline)
        self._fill(
            _rect_path(QRectF(rect.left(), rect.top(), ACCENT_WIDTH, rect.height())), colours.accent
        )
        painter.restore()
        painter.strokePath(outline, _pen(colours.border, 1))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

        block = placed.segment.block
        title = f"✓ {block.title}" if block.done else block.title
        start, end = block.start, block.end
        detail = f"{start.hour:02d}:{start.minute:02d}\u2013{end.hour:02d}:{end.minute:02d}"
        title_height, detail_height = fonts.title_metrics.height(), fonts.small_metrics.height()
        if rect.height() < detail_height - 4:
            return
        painter.save()
        painter.setClipRect(rect.adjusted(ACCENT_WIDTH, 1, -1, -1))
        left = rect.left() + ACCENT_WIDTH + TEXT_PADDING
        text_width = rect.right() - TEXT_PADDING - left
        if rect.height() < title_height + detail_height + 2 * TEXT_PADDING:
            title_line = QRectF(left, rect.top(), text_width, rect.height())
            detail_left = left + fonts.title_metrics.horizontalAdvance(title) + 2 * TEXT_PADDING
            detail_line = QRectF(detail_left, rect.top(), text_width, rect.height())
        else:
            top = rect.top() + TEXT_PADDING
            title_line = QRectF(left, top, text_width, title_height)
            detail_line = QRectF(left, top + title_height, text_width, detail_height)
        self._text(title_line, ALIGN_LEFT_MIDDLE, title, fonts.title, colours.text)
        self._text(detail_line, ALIGN_LEFT_MIDDLE, detail, fonts.small, colours.secondary_text)
        painter.restore()

    def _now(self, now_y: float, now: dt.datetime, gutter: int) -> None:
        colours, fonts, painter = self._colours, self._fonts, self._painter
        y = round(now_y)
        self._fill(_rect_path(QRectF(gutter, y - 1, self._width - gutter, 2)), colours.now_line)
        height = fonts.now_label_height
        marks = QPainterPath()
        marks.addEllipse(QPointF(gutter, y), NOW_DOT_RADIUS, NOW_DOT_RADIUS)
        label = QRectF(2, y - height / 2, gutter - 2 - NOW_DOT_RADIUS - 2, height)
        marks.addRoundedRect(label, height / 2, height / 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._fill(marks, colours.now_line)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        text = f"{now.hour:02d}:{now.minute:02d}"
        self._text(label, ALIGN_CENTER, text, fonts.small_bold, colours.now_label_text)

    def _fill(self, path: QPainterPath, colour: QColor) -> None:
        self._painter.fillPath(path, _pen(colour, 1).brush())

    def _text(self, rect: QRectF, flags: int, text: str, font: QFont, colour: QColor) -> None:
        palette = self._palettes.get(colour.rgba())
        if palette is None:
            palette = self._palettes[colour.rgba()] = QPalette()
            palette.setColor(QPalette.ColorRole.WindowText, colour)
        self._painter.setFont(font)
        self._painter.drawItemText(
            rect.toRect(), flags, palette, True, text, QPalette.ColorRole.WindowText
        )


def _pen(colour: QColor, width: int) -> QPen:
    pen = QPen()
    pen.setColor(colour)
    pen.setWidth(width)
    return pen


def _rect_path(rect: QRectF) -> QPainterPath:
    path = QPainterPath()
    path.addRect(rect)
    return path
