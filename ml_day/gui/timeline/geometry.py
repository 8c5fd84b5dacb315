"""Where things go on the timeline: its fonts, margins, lanes and opening scroll.

Shared by the timeline and by :mod:`ml_day.gui.timeline.sketch`, which draws
today before the timeline is loaded, so that both put every block at the same
pixels. Loaded before the first paint, this module stays away from PySide6's
``Qt`` namespace (building its enums costs about 40 ms).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QFontMetrics

from ml_day.gui.timeline.scale import MAX_PIXELS_PER_HOUR, MIN_PIXELS_PER_HOUR

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ml_day.core.days import DaySegment, PlacedSegment
    from ml_day.gui.timeline.scale import TimeScale

GUTTER_PADDING = 10
"""Space on either side of the hour labels."""
LANE_LEFT_PADDING = 4
LANE_RIGHT_PADDING = 8
LANE_GAP = 4
BLOCK_VERTICAL_INSET = 1
"""Blocks are drawn this far inside their span, so that back-to-back blocks stay apart."""
MIN_BLOCK_HEIGHT = 4
FALLBACK_SCROLL_TIME = dt.time(7, 0)
"""Where a day that is not today opens, when it has no block starting on it."""
NOW_DOT_RADIUS = 4.0
CORNER_RADIUS = 4.0
ACCENT_WIDTH = 4
"""The strip down a block's left side, in its category's colour."""
TEXT_PADDING = 4


@dataclass(frozen=True, slots=True)
class BlockFonts:
    """The fonts of the timeline, derived from the widget's font, with their metrics."""

    title: QFont
    small: QFont
    small_bold: QFont
    title_metrics: QFontMetrics
    small_metrics: QFontMetrics
    small_bold_metrics: QFontMetrics
    wrapped_titles: dict[tuple[str, int, int], tuple[str, ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    """Titles as :func:`~ml_day.gui.timeline.block_items.wrap` broke them in these
    fonts, by title, width and lines: a drag lays out the same block at each step."""

    @classmethod
    def derived_from(cls, font: QFont) -> BlockFonts:
        title = QFont(font)
        title.setWeight(QFont.Weight.DemiBold)
        small = QFont(font)
        if font.pointSizeF() > 0:
            small.setPointSizeF(max(font.pointSizeF() * 0.88, 7.0))
        else:
            small.setPixelSize(max(round(font.pixelSize() * 0.88), 9))
        small_bold = QFont(small)
        small_bold.setWeight(QFont.Weight.DemiBold)
        return cls(
            title,
            small,
            small_bold,
            QFontMetrics(title),
            QFontMetrics(small),
            QFontMetrics(small_bold),
        )

    @property
    def gutter_width(self) -> int:
        """The width of the hour labels' column."""
        return self.small_bold_metrics.horizontalAdvance("00:00") + 2 * GUTTER_PADDING

    @property
    def now_label_height(self) -> int:
        """The height of the now line's time label."""
        return self.small_bold_metrics.height() + 2

    @property
    def top_margin(self) -> int:
        """Room above 00:00 (and below 24:00) for half an hour label or the now label."""
        return max(self.small_metrics.height() // 2, self.now_label_height // 2) + 4


def lane_spans(
    placed: Sequence[PlacedSegment], gutter_width: int, width: int
) -> list[tuple[int, int]]:
    """The left and right x of each placed segment, side by side in its lane."""
    left = gutter_width + LANE_LEFT_PADDING
    available = max(width - LANE_RIGHT_PADDING - left, 1)
    spans = []
    for one in placed:
        lane_width = (available - LANE_GAP * (one.lane_count - 1)) / one.lane_count
        x0 = round(left + one.lane * (lane_width + LANE_GAP))
        x1 = max(round(left + one.lane * (lane_width + LANE_GAP) + lane_width), x0 + 1)
        spans.append((x0, x1))
    return spans


def segment_span(scale: TimeScale, segment: DaySegment) -> tuple[int, int]:
    """The top and bottom y of a segment's rectangle (inset, never too thin)."""
    top, bottom = scale.span(segment.start, segment.end)
    y0 = round(top) + BLOCK_VERTICAL_INSET
    y1 = max(round(bottom) - BLOCK_VERTICAL_INSET, y0 + MIN_BLOCK_HEIGHT)
    return y0, y1


def fitted_pixels_per_hour(
    visible_hours: tuple[int, int], viewport_height: int, top_margin: int
) -> float | None:
    """The zoom that fits ``visible_hours`` to the viewport, within the zoom limits;
    None while the viewport has no room."""
    height = viewport_height - 2 * top_margin
    if height <= 0:
        return None
    first, last = visible_hours
    return min(max(height / (last - first), MIN_PIXELS_PER_HOUR), MAX_PIXELS_PER_HOUR)


def opening_offset(
    scale: TimeScale,
    *,
    now_y: float | None,
    visible_hours: tuple[int, int] | None,
    placed: Sequence[PlacedSegment],
    viewport_height: int,
) -> int:
    """Where a day opens (the scroll offset, before the scroll bar bounds it): the
    now line in the middle; on another day its first block (or 07:00) near the
    top. With visible hours set, their first hour at the top, unless the now
    line lies outside them."""
    span = None
    if visible_hours is not None:
        first, last = (scale.day_start + dt.timedelta(hours=hour) for hour in visible_hours)
        span = scale.y_of(first), scale.y_of(last)
    if span is not None and (now_y is None or span[0] <= now_y < span[1]):
        target = span[0] - scale.top_margin
    elif now_y is not None:
        target = now_y - viewport_height / 2
    else:
        starts = [
            one.segment.start for one in placed if not one.segment.continues_from_previous_day
        ]
        fallback = dt.datetime.combine(scale.day_start.date(), FALLBACK_SCROLL_TIME)
        target = scale.y_of(min(starts, default=fallback)) - scale.pixels_per_hour / 2
    return round(target)


def scroll_range(scale: TimeScale, viewport_height: int) -> int:
    """The largest scroll offset: the day's closing midnight at the bottom."""
    return max(scale.content_height - viewport_height, 0)
