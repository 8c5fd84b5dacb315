"""The day timeline as drawn: an hour grid with the day's blocks, the daylight-saving
change and a "now" line, painted by hand.

A custom-painted scroll area rather than a QGraphicsView: it repaints faster
here, provided each change repaints only the strip it touches. The layout (the
blocks' rectangles and their elided text) is computed once per day, size,
zoom, font or palette change, in content coordinates (y = 0 is the top of the
scrolled content); painting and hit testing subtract the scroll offset.

Besides the day, the canvas draws a preview: blocks where a drag would put
them, over faint ghosts of where they are. :class:`~ml_day.gui.timeline.view.
TimelineView` adds the editing on top of it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import html
import math
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QHelpEvent, QImage, QPainter, QPen, QPixmap, QRegion
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QToolTip, QWidget

from ml_day.core.clock import local_now
from ml_day.core.days import PlacedSegment, place_in_lanes, segments_for_day
from ml_day.core.editing import snap
from ml_day.core.timemodel import (
    ClockChange,
    clock_changes,
    day_start,
    format_duration,
    real_duration,
)
from ml_day.gui.timeline.accessibility import (
    TIMELINE_ACCESSIBLE_NAME,
    announce_focus,
    children_changed,
    install_timeline_accessibility,
)
from ml_day.gui.timeline.block_items import (
    SHADOW_OFFSET,
    BlockItem,
    lay_out_block,
    paint_block,
    paint_block_detail,
    paint_ghost,
    paint_preview,
    paint_selection,
)
from ml_day.gui.timeline.geometry import (
    CORNER_RADIUS,
    GUTTER_PADDING,
    LANE_LEFT_PADDING,
    LANE_RIGHT_PADDING,
    NOW_DOT_RADIUS,
    TEXT_PADDING,
    BlockFonts,
    fitted_pixels_per_hour,
    lane_spans,
    opening_offset,
    scroll_range,
    segment_span,
)
from ml_day.gui.timeline.palette import (
    BlockColours,
    TimelineColours,
    block_colours,
    is_dark,
    timeline_colours,
)
from ml_day.gui.timeline.scale import (
    DEFAULT_PIXELS_PER_HOUR,
    HOURS_PER_DAY,
    MAX_PIXELS_PER_HOUR,
    MIN_PIXELS_PER_HOUR,
    TimeScale,
)
from ml_day.overrides import override

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from zoneinfo import ZoneInfo

    from PySide6.QtGui import (
        QHideEvent,
        QKeyEvent,
        QPaintEvent,
        QResizeEvent,
        QShowEvent,
        QWheelEvent,
    )

    from ml_day.core.blocks import Block
    from ml_day.core.clock import Clock
    from ml_day.gui.timeline.drag import DragPreview

NO_BLOCK = -1
"""The block id that ``selectionChanged`` carries when nothing is selected."""

EDGE_GRAB = 5
"""How close (in pixels) to a block's top or bottom a press counts as grabbing the edge."""
ZOOM_STEP = 1.15
_PAINT_MARGIN = 4
"""Repaint this much around a block, for its outline, shadow and antialiasing."""
BLOCK_IMAGES_PER_VIEWPORT = 1.5
"""The blocks' images kept, in pixels, as a multiple of the viewport's pixels."""
PREVIEW_IMAGES_KEPT = 16
"""Images of the previewed blocks kept while a drag lasts (a resize makes one a step)."""
PREVIEW_LAYOUTS_KEPT = 256
"""Layouts of previewed blocks kept while a drag lasts, for the pointer coming back."""
"""Images of the previewed blocks kept while a drag lasts (a resize makes one a step)."""
_MINUTE = dt.timedelta(minutes=1)
_TIMER_SLACK_MS = 5
"""Fire a little after the minute turns, never a little before."""


_PreviewImageKey: TypeAlias = tuple[object, ...]


class BlockPart(enum.Enum):
    """Which part of a block a point is on; the edges are where resizing will grab."""

    TOP_EDGE = "top-edge"
    BODY = "body"
    BOTTOM_EDGE = "bottom-edge"


class BlockHit(NamedTuple):
    """A block under a point, and which part of it."""

    block_id: int
    part: BlockPart


def ms_until_next_minute(instant: dt.datetime) -> int:
    """Milliseconds from ``instant`` until just after the next whole minute."""
    next_minute = instant.replace(second=0, microsecond=0) + _MINUTE
    remaining = (next_minute - instant) / dt.timedelta(milliseconds=1)
    return math.ceil(remaining) + _TIMER_SLACK_MS


@dataclass(frozen=True, slots=True)
class _ClockChangeBand:
    """A daylight-saving change as laid out: the hatched band and its label (content)."""

    change: ClockChange
    rect: QRectF
    label_rect: QRectF
    label: str
    label_flags: Qt.AlignmentFlag


@dataclass(frozen=True, slots=True)
class _NowMark:
    y: float
    """Content y of the now line."""
    label: str


class TimelineCanvas(QAbstractScrollArea):
    """One day as a scrollable hour grid with its blocks, the daylight-saving change
    and, on today, a now line that moves every minute; plus a selection and a preview."""

    selectionChanged = Signal(int)
    """The selection changed; carries the primary selected block's id, or -1 when
    nothing is selected (:meth:`selected_blocks` has all of them)."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._zone: ZoneInfo = clock.zone()
        self._day: dt.date = local_now(clock).date()
        self._blocks: tuple[Block, ...] = ()
        self._blocks_by_id: dict[int, Block] = {}
        self._placed: list[PlacedSegment] = []
        self._changes: list[ClockChange] = []
        self._pixels_per_hour = DEFAULT_PIXELS_PER_HOUR
        self._selected = NO_BLOCK
        self._selection: tuple[int, ...] = ()
        self._scroll_to_now_pending = False
        self._visible_hours: tuple[int, int] | None = None
        self._fitting_hours = False

        self._fonts = BlockFonts.derived_from(self.font())
        self._colours: TimelineColours = timeline_colours(self.palette())
        self._grid_pens: tuple[QPen, QPen] = (QPen(), QPen())
        """The hour and half-hour lines' pens, made with the layout."""
        self._gutter_width = 0
        self._scale = TimeScale(self._day, self._pixels_per_hour)
        self._items: list[BlockItem] = []
        self._items_by_id: dict[int, BlockItem] = {}
        self._tops: list[float] = []
        """The items' tops in content y, ascending (with ``_by_top``), to find what a
        repaint touches without testing every block."""
        self._by_top: list[int] = []
        self._tallest = 0.0
        self._block_images: OrderedDict[int, QPixmap] = OrderedDict()
        """Each block as painted, made at its first paint after a layout: repaints
        (a drag, the now line, scrolling) copy it instead of drawing it again. The
        least recently painted go first once they hold more pixels than
        :data:`BLOCK_IMAGES_PER_VIEWPORT` viewports (blocks side by side never
        cover more than one)."""
        self._block_image_pixels = 0
        self._preview_images: OrderedDict[_PreviewImageKey, QPixmap] = OrderedDict()
        """The previewed blocks as painted without their times, by what they show: a
        drag step copies one and paints only the times over it."""
        self._ghost_images: dict[int, QPixmap] = {}
        self._preview_layouts: OrderedDict[tuple[Block, int, int], tuple[BlockItem, ...]] = (
            OrderedDict()
        )
        """Previewed blocks as laid out, by block and lane: a drag that comes back
        to where it was does not measure the text again."""
        """The ghosts of the dragged blocks, by id, while the drag lasts."""
        self._scratch: QImage | None = None
        self._block_colours: dict[tuple[str, bool], BlockColours] = {}
        """By category colour and done, for the palette of the last layout."""
        self._bands: list[_ClockChangeBand] = []
        self._now: _NowMark | None = None

        self._preview: DragPreview | None = None
        self._preview_sources: tuple[int, ...] = ()
        self._preview_untitled = False
        self._preview_items: list[BlockItem] = []
        self._ghost_ids: frozenset[int] = frozenset()

        self._now_timer = QTimer(self)
        self._now_timer.setSingleShot(True)
        self._now_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._now_timer.timeout.connect(self.refresh_now)

        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(TIMELINE_ACCESSIBLE_NAME)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.viewport().setAutoFillBackground(False)
        self._relayout()

    # ------------------------------------------------------------ content

    def set_day(self, day: dt.date, blocks: Sequence[Block], zone: ZoneInfo) -> None:
        """Show ``day`` with the parts of ``blocks`` that fall on it, in the plan's ``zone``.

        The scroll position and the selection are kept when they still make sense.
        """
        self._day = day
        self._blocks = tuple(blocks)
        self._blocks_by_id = {block.id: block for block in self._blocks}
        self._zone = zone
        self._placed = place_in_lanes(segments_for_day(self._blocks, day))
        self._changes = clock_changes(day, zone)
        self._relayout()
        self.setAccessibleDescription(
            f"{day.isoformat()}: {len(self._placed)} blocks"
            + "".join(f". {change.describe()}" for change in self._changes)
        )
        self.viewport().update()
        self._set_selection(self._selection, self._selected)
        children_changed(self)

    def day(self) -> dt.date:
        return self._day

    def zone(self) -> ZoneInfo:
        return self._zone

    def blocks(self) -> list[Block]:
        """The blocks given to :meth:`set_day`, including any not on the day."""
        return list(self._blocks)

    def placed_segments(self) -> list[PlacedSegment]:
        """The segments shown on the day, with their lanes, in drawing order."""
        return [item.placed for item in self._items]

    def clock_changes(self) -> list[ClockChange]:
        return list(self._changes)

    def accessible_blocks(self) -> list[Block]:
        """The blocks shown on the day, each once, in time order (for screen readers)."""
        ordered = sorted(self._placed, key=lambda p: (p.segment.start, p.lane))
        return list({p.segment.block.id: p.segment.block for p in ordered}.values())

    def scale(self) -> TimeScale:
        """The current time <-> content-y mapping."""
        return self._scale

    def gutter_width(self) -> int:
        """Width of the hour-label column at the left; blocks start right of it."""
        return self._gutter_width

    def block_rect(self, block_id: int) -> QRect:
        """Where the block is drawn, in viewport coordinates; an empty QRect if not shown."""
        item = self._items_by_id.get(block_id)
        if item is None:
            return QRect()
        return item.rect.translated(0, -self._scroll_offset()).toRect()

    def preview_rects(self) -> list[QRect]:
        """Where a drag in progress (or a block waiting for its title) is drawn (viewport)."""
        offset = self._scroll_offset()
        return [item.rect.translated(0, -offset).toRect() for item in self._preview_items]

    def clock_change_bands(self) -> list[tuple[ClockChange, QRect]]:
        """The daylight-saving changes of the day and the bands marking them (viewport)."""
        offset = self._scroll_offset()
        return [(band.change, band.rect.translated(0, -offset).toRect()) for band in self._bands]

    def hit_test(self, pos: QPoint) -> BlockHit | None:
        """The block under a viewport point, and whether the point is on an edge."""
        point = QPointF(pos.x(), pos.y() + self._scroll_offset())
        for item in reversed(self._items):
            rect = item.rect
            if not rect.contains(point):
                continue
            segment = item.placed.segment
            grab = min(EDGE_GRAB, rect.height() / 4)
            if point.y() - rect.top() < grab and not segment.continues_from_previous_day:
                return BlockHit(item.block_id, BlockPart.TOP_EDGE)
            if rect.bottom() - point.y() < grab and not segment.continues_to_next_day:
                return BlockHit(item.block_id, BlockPart.BOTTOM_EDGE)
            return BlockHit(item.block_id, BlockPart.BODY)
        return None

    def wall_at(self, pos: QPoint, snap_minutes: int | None = None) -> dt.datetime:
        """The wall-clock time at a viewport point (clamped to the day), snapped to
        ``snap_minutes`` if given."""
        wall = self._scale.wall_at(pos.y() + self._scroll_offset())
        return wall if snap_minutes is None else snap(wall, snap_minutes)

    # ------------------------------------------------------------ selection

    def selected_block(self) -> int:
        """The primary selected block's id, or -1."""
        return self._selected

    def set_selected_block(self, block_id: int) -> None:
        """Select only this block (-1, or an id not shown, clears the selection)."""
        self._set_selection([block_id], block_id)

    def selected_blocks(self) -> list[int]:
        """The ids of all selected blocks, the primary one first."""
        return list(self._selection)

    def set_selected_blocks(self, ids: Iterable[int]) -> None:
        """Select these blocks (those shown on the day); the first becomes the primary."""
        wanted = list(ids)
        self._set_selection(wanted, wanted[0] if wanted else NO_BLOCK)

    def _set_selection(self, ids: Iterable[int], primary: int) -> None:
        shown = [block_id for block_id in dict.fromkeys(ids) if block_id in self._items_by_id]
        if primary in shown:
            shown.remove(primary)
            shown.insert(0, primary)
        selection = tuple(shown)
        new_primary = selection[0] if selection else NO_BLOCK
        if selection == self._selection and new_primary == self._selected:
            return
        for changed in set(self._selection) ^ set(selection):
            self._update_block(changed)
        self._selection = selection
        self._selected = new_primary
        if new_primary != NO_BLOCK:
            announce_focus(self, new_primary)
        self.selectionChanged.emit(new_primary)

    def _selected_block_values(self) -> list[Block]:
        return [self._blocks_by_id[i] for i in self._selection if i in self._blocks_by_id]

    # ------------------------------------------------------------ zoom and scrolling

    def pixels_per_hour(self) -> float:
        return self._pixels_per_hour

    def set_pixels_per_hour(self, pixels_per_hour: float, anchor_y: int | None = None) -> None:
        """Zoom to ``pixels_per_hour`` (clamped to 32-160), keeping the time at viewport
        y ``anchor_y`` (default: the middle) where it is.

        A zoom chosen by the user stops the view from fitting its visible hours
        to the window's height (until they are set again).
        """
        self._fitting_hours = False
        self._zoom(pixels_per_hour, anchor_y)

    def visible_hours(self) -> tuple[int, int] | None:
        """The hours the view fits to its height (``first``, ``last``), or None."""
        return self._visible_hours

    def set_visible_hours(self, first: int, last: int) -> None:
        """Zoom so that the hours from ``first`` to ``last`` (0-24) fill the view's
        height, as far as the zoom limits allow, and keep fitting them when the
        window is resized. Days open with ``first`` at the top unless the now
        line lies outside the range."""
        if not 0 <= first < last <= HOURS_PER_DAY:
            msg = f"visible hours must satisfy 0 <= first < last <= 24, not {first}-{last}"
            raise ValueError(msg)
        self._visible_hours = (first, last)
        self._fitting_hours = True
        self._fit_visible_hours()
        self.scroll_to_now()

    def clear_visible_hours(self) -> None:
        """Stop fitting hours to the height; the zoom stays as it is."""
        self._visible_hours = None
        self._fitting_hours = False

    def _fit_visible_hours(self) -> None:
        if not self._fitting_hours or self._visible_hours is None:
            return
        fitted = fitted_pixels_per_hour(
            self._visible_hours, self.viewport().height(), self._scale.top_margin
        )
        if fitted is None:
            return
        top_wall = self._scale.wall_at(self._scroll_offset())
        self._zoom(fitted, 0)
        self.verticalScrollBar().setValue(round(self._scale.y_of(top_wall)))

    def _zoom(self, pixels_per_hour: float, anchor_y: int | None) -> None:
        value = min(max(pixels_per_hour, MIN_PIXELS_PER_HOUR), MAX_PIXELS_PER_HOUR)
        if value == self._pixels_per_hour:
            return
        anchor = self.viewport().height() // 2 if anchor_y is None else anchor_y
        anchored_wall = self._scale.wall_at(anchor + self._scroll_offset())
        self._pixels_per_hour = value
        self._relayout()
        self.verticalScrollBar().setValue(round(self._scale.y_of(anchored_wall)) - anchor)
        self.viewport().update()
        self._content_moved()

    def scroll_to_now(self) -> None:
        """Centre the now line; on another day, bring its first block (or 07:00) near
        the top. With visible hours set, their first hour goes to the top instead,
        unless the now line lies outside them.

        Before the view is first shown this is done again once it has its size.
        """
        self._scroll_to_now_pending = not self.isVisible()
        now = self._compute_now()
        target = opening_offset(
            self._scale,
            now_y=None if now is None else now.y,
            visible_hours=self._visible_hours,
            placed=self._placed,
            viewport_height=self.viewport().height(),
        )
        self.verticalScrollBar().setValue(target)

    def ensure_time_visible(self, wall: dt.datetime, margin: int = 24) -> None:
        """Scroll as little as needed for the wall-clock time ``wall`` to be in view."""
        y = self._scale.y_of(min(max(wall, self._scale.day_start), self._scale.day_end))
        top = self._scroll_offset()
        bottom = top + self.viewport().height()
        if y - margin < top:
            self.verticalScrollBar().setValue(math.floor(y - margin))
        elif y + margin > bottom:
            self.verticalScrollBar().setValue(math.ceil(y + margin - self.viewport().height()))

    def ensure_block_visible(self, block_id: int) -> None:
        """Scroll as little as needed to show the block (its start, if it is taller
        than the view)."""
        item = self._items_by_id.get(block_id)
        if item is not None:
            self.ensure_time_visible(item.placed.segment.end)
            self.ensure_time_visible(item.placed.segment.start)

    # ------------------------------------------------------------ the now line

    def now_line_y(self) -> int | None:
        """Viewport y of the now line, or None when the day shown is not today."""
        if self._now is None:
            return None
        return round(self._now.y) - self._scroll_offset()

    def refresh_now(self) -> None:
        """Move the now line to the clock's time, repainting only the strip it left and
        the strip it enters, and arm the timer for the next minute."""
        old, new = self._now, self._compute_now()
        self._now = new
        if old != new:
            dirty = QRect()
            for mark in (old, new):
                if mark is not None:
                    dirty = dirty.united(self._now_strip(mark))
            self.viewport().update(dirty.translated(0, -self._scroll_offset()))
        self._arm_now_timer()

    def now_strip(self) -> QRect | None:
        """The viewport rectangle the now line and its label cover (what one of its
        minute moves repaints, with where it was); None when not on today."""
        if self._now is None:
            return None
        return self._now_strip(self._now).translated(0, -self._scroll_offset())

    def now_refresh_interval_ms(self) -> int | None:
        """Milliseconds the now timer was armed for, or None when it is not armed."""
        return self._now_timer.interval() if self._now_timer.isActive() else None

    def _compute_now(self) -> _NowMark | None:
        now = local_now(self._clock)
        if now.date() != self._day:
            return None
        wall = now.replace(tzinfo=None)
        return _NowMark(self._scale.y_of(wall), f"{wall:%H:%M}")

    def _now_strip(self, mark: _NowMark) -> QRect:
        """The content rectangle the now line and its label cover."""
        half = max(self._now_label_height() / 2, NOW_DOT_RADIUS) + 2
        return QRectF(0, mark.y - half, self.viewport().width(), 2 * half).toAlignedRect()

    def _now_label_height(self) -> int:
        return self._fonts.now_label_height

    def _arm_now_timer(self) -> None:
        self._now_timer.start(ms_until_next_minute(self._clock.now()))

    # ------------------------------------------------------------ layout

    def _scroll_offset(self) -> int:
        return self.verticalScrollBar().value()

    def _relayout(self) -> None:
        """Recompute everything that depends on the day, size, zoom, font or palette."""
        fonts = self._fonts = BlockFonts.derived_from(self.font())
        colours = self._colours = timeline_colours(self.palette())
        self._grid_pens = (QPen(colours.hour_line, 0), QPen(colours.half_hour_line, 0))
        self._block_colours.clear()
        self._gutter_width = fonts.gutter_width
        self._scale = TimeScale(self._day, self._pixels_per_hour, fonts.top_margin)

        width = self.viewport().width()
        spans = lane_spans(self._placed, self._gutter_width, width)
        self._items = [
            self._lay_out_segment(placed, x0, x1)
            for placed, (x0, x1) in zip(self._placed, spans, strict=True)
        ]
        self._items_by_id = {item.block_id: item for item in self._items}
        self._index_items()
        self._bands = [self._lay_out_band(change, width) for change in self._changes]
        self._now = self._compute_now()
        self._update_scroll_range()
        self._lay_out_preview()
        self._laid_out()

    def _laid_out(self) -> None:
        """Called after every layout; subclasses place what they show over blocks."""

    def _content_moved(self) -> None:
        """Called when the content moved under the pointer (scroll by wheel, zoom)."""

    def _lay_out_segment(self, placed: PlacedSegment, x0: int, x1: int) -> BlockItem:
        segment, block = placed.segment, placed.segment.block
        y0, y1 = segment_span(self._scale, segment)
        rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        key = (block.category.colour, block.done)
        colours = self._block_colours.get(key)
        if colours is None:
            colours = block_colours(key[0], dark=is_dark(self.palette()), done=key[1])
            self._block_colours[key] = colours
        return lay_out_block(placed, rect, colours, self._fonts, self._zone)

    def _lay_out_preview(self) -> None:
        """Lay out what a drag (or a block waiting for its title) shows, in content
        coordinates: each previewed block in the lane its original is drawn in."""
        preview = self._preview
        if preview is None:
            self._preview_items, self._ghost_ids = [], frozenset()
            return
        full = (
            self._gutter_width + LANE_LEFT_PADDING,
            self.viewport().width() - LANE_RIGHT_PADDING,
        )
        sources = [*self._preview_sources, *(block.id for block in preview.pushed)]
        items: list[BlockItem] = []
        for index, block in enumerate((*preview.placed, *preview.pushed)):
            source = self._items_by_id.get(sources[index]) if index < len(sources) else None
            x0, x1 = (
                full if source is None else (round(source.rect.left()), round(source.rect.right()))
            )
            items.extend(self._lay_out_previewed(block, x0, max(x1, x0 + 1)))
        if self._preview_untitled and items:
            items[0] = replace(items[0], title_lines=(), detail="")
        self._preview_items = items
        self._ghost_ids = preview.moved_ids

    def _lay_out_previewed(self, block: Block, x0: int, x1: int) -> tuple[BlockItem, ...]:
        """The parts of a previewed block on the day, between ``x0`` and ``x1``."""
        layouts, key = self._preview_layouts, (block, x0, x1)
        laid = layouts.get(key)
        if laid is None:
            laid = tuple(
                self._lay_out_segment(PlacedSegment(segment, 0, 1), x0, x1)
                for segment in segments_for_day([block], self._day)
            )
            layouts[key] = laid
            if len(layouts) > PREVIEW_LAYOUTS_KEPT:
                layouts.popitem(last=False)
        return laid

    def _show_preview(
        self,
        preview: DragPreview | None,
        sources: Sequence[int] = (),
        *,
        untitled: bool = False,
    ) -> None:
        """Draw ``preview`` (None: nothing), repainting only what it and the previous
        one cover, and the blocks it starts or stops ghosting.

        ``sources`` are the ids of the blocks the placed ones come from: each is drawn
        in its source's lane. ``untitled`` leaves the first block's text out (its
        title is being typed over it).
        """
        old_rects = [item.rect for item in self._preview_items]
        old_ghosts = self._ghost_ids
        self._preview = preview
        self._preview_sources = tuple(sources)
        self._preview_untitled = untitled
        if preview is None:
            self._forget_preview_paint()
        self._lay_out_preview()
        dirty = [*old_rects, *(item.rect for item in self._preview_items)]
        dirty += [
            self._items_by_id[block_id].rect
            for block_id in old_ghosts ^ self._ghost_ids
            if block_id in self._items_by_id
        ]
        self._update_content_rects(dirty)

    def _update_content_rects(self, rects: Iterable[QRectF]) -> None:
        offset = self._scroll_offset()
        region = QRegion()
        for rect in rects:
            grown = rect.adjusted(-_PAINT_MARGIN, -_PAINT_MARGIN, _PAINT_MARGIN, _PAINT_MARGIN)
            region += grown.translated(0, -offset).toAlignedRect()
        if not region.isEmpty():
            self.viewport().update(region)

    def _lay_out_band(self, change: ClockChange, width: int) -> _ClockChangeBand:
        top, bottom = self._scale.span(change.wall_start, change.wall_end)
        rect = QRectF(self._gutter_width, round(top), width - self._gutter_width, 0)
        rect.setBottom(round(bottom))
        metrics, text = self._fonts.small_metrics, change.describe()
        room = max(int(rect.width()) - 2 * LANE_LEFT_PADDING - 4 * TEXT_PADDING, 1)
        flags = Qt.AlignmentFlag.AlignCenter
        size = metrics.boundingRect(QRect(0, 0, room, 10_000), flags, text).size()
        if size.width() > room:
            wrapping = flags | Qt.TextFlag.TextWordWrap
            wrapped = metrics.boundingRect(QRect(0, 0, room, 10_000), wrapping, text).size()
            if wrapped.height() <= rect.height() - 4:
                size, flags = wrapped, wrapping
            else:
                text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                size = QSize(metrics.horizontalAdvance(text), metrics.height())
        label = QRectF(0, 0, size.width() + 4 * TEXT_PADDING, size.height() + 4)
        label.moveTopLeft(
            QPointF(rect.left() + 2 * LANE_LEFT_PADDING, rect.center().y() - label.height() / 2)
        )
        return _ClockChangeBand(change, rect, label, text, flags)

    def _update_scroll_range(self) -> None:
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        bar.setRange(0, scroll_range(self._scale, page))
        bar.setPageStep(max(page, 1))
        bar.setSingleStep(max(round(self._pixels_per_hour / 4), 1))

    def _update_block(self, block_id: int) -> None:
        item = self._items_by_id.get(block_id)
        if item is not None:
            self._update_content_rects([item.rect])

    # ------------------------------------------------------------ painting

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        try:
            offset = self._scroll_offset()
            dirty = QRectF(event.rect()).translated(0, offset)
            painter.translate(0, -offset)
            self._paint_background(painter, dirty)
            self._paint_blocks(painter, dirty)
            self._paint_clock_changes(painter, dirty)
            self._paint_hour_labels(painter, dirty)
            self._paint_now(painter, dirty)
        finally:
            painter.end()

    def _paint_background(self, painter: QPainter, dirty: QRectF) -> None:
        colours, scale = self._colours, self._scale
        painter.fillRect(dirty, colours.background)
        gutter = QRectF(0, dirty.top(), self._gutter_width, dirty.height())
        painter.fillRect(gutter, colours.gutter)
        right = float(self.viewport().width())
        half_hour = scale.pixels_per_hour / 2
        first = max(math.floor((dirty.top() - scale.top_margin) / half_hour), 0)
        last = min(math.ceil((dirty.bottom() - scale.top_margin) / half_hour), 48)
        hour_pen, half_hour_pen = self._grid_pens
        for index in range(first, last + 1):
            y = round(scale.top_margin + index * half_hour)
            on_hour = index % 2 == 0
            painter.setPen(hour_pen if on_hour else half_hour_pen)
            x = self._gutter_width - (GUTTER_PADDING // 2 if on_hour else 0)
            painter.drawLine(QPointF(x, y), QPointF(right, y))

    def _paint_blocks(self, painter: QPainter, dirty: QRectF) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        selected, ghosts = set(self._selection), self._ghost_ids
        highlight = self._colours.selection
        for item in self._items_in(dirty):
            if item.block_id in ghosts:
                painter.drawPixmap(item.rect.topLeft(), self._ghost_image(item))
                continue
            painter.drawPixmap(item.rect.topLeft(), self._block_image(item))
            if item.block_id in selected:
                paint_selection(painter, item, highlight)
        for item in self._preview_items:
            if item.rect.intersects(dirty):
                painter.drawPixmap(item.rect.topLeft(), self._preview_image(item))
                paint_block_detail(painter, item, self._fonts)
        if self._preview_items:
            self._paint_over_preview(painter, self._preview_items[0])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _forget_preview_paint(self) -> None:
        """Drop what a drag kept to repaint fast (at its end, or after a layout)."""
        self._preview_images.clear()
        self._ghost_images.clear()
        self._preview_layouts.clear()

    def _index_items(self) -> None:
        """Forget the blocks' images and index the new layout by top."""
        self._block_images.clear()
        self._block_image_pixels = 0
        self._forget_preview_paint()
        self._scratch = None
        order = sorted(range(len(self._items)), key=lambda index: self._items[index].rect.top())
        self._by_top = order
        self._tops = [self._items[index].rect.top() for index in order]
        self._tallest = max((item.rect.height() for item in self._items), default=0.0)

    def _items_in(self, dirty: QRectF) -> list[BlockItem]:
        """The laid-out blocks that meet ``dirty``, in drawing order."""
        first = bisect.bisect_left(self._tops, dirty.top() - self._tallest)
        last = bisect.bisect_right(self._tops, dirty.bottom())
        indexes = sorted(self._by_top[first:last])
        return [
            item
            for item in (self._items[index] for index in indexes)
            if item.rect.intersects(dirty)
        ]

    def _block_image(self, item: BlockItem) -> QPixmap:
        image = self._block_images.get(item.block_id)
        if image is not None:
            self._block_images.move_to_end(item.block_id)
        else:
            image = self._paint_block_image(item)
            self._block_images[item.block_id] = image
            self._block_image_pixels += image.width() * image.height()
            self._forget_old_block_images()
        return image

    def _paint_block_image(self, item: BlockItem) -> QPixmap:
        """The block painted on its own."""
        return self._image_of(
            item.rect, 0, lambda painter: paint_block(painter, item, self._fonts, None)
        )

    def _preview_image(self, item: BlockItem) -> QPixmap:
        """A previewed block as painted, without its times: they change at each
        step of a drag, the rest only when the block's size or title does."""
        segment, rect = item.placed.segment, item.rect
        block = segment.block
        key: _PreviewImageKey = (
            rect.width(),
            rect.height(),
            item.title_lines,
            item.one_line,
            block.category.colour,
            block.done,
            segment.continues_from_previous_day,
            segment.continues_to_next_day,
        )
        images = self._preview_images
        image = images.get(key)
        if image is not None:
            images.move_to_end(key)
            return image
        highlight = self._colours.selection
        image = self._image_of(
            rect,
            SHADOW_OFFSET,
            lambda painter: paint_preview(painter, item, self._fonts, highlight, with_detail=False),
        )
        images[key] = image
        while len(images) > PREVIEW_IMAGES_KEPT:
            images.popitem(last=False)
        return image

    def _ghost_image(self, item: BlockItem) -> QPixmap:
        image = self._ghost_images.get(item.block_id)
        if image is None:
            image = self._image_of(item.rect, 0, lambda painter: paint_ghost(painter, item))
            self._ghost_images[item.block_id] = image
        return image

    def _image_of(self, rect: QRectF, overhang: int, paint: Callable[[QPainter], None]) -> QPixmap:
        """What ``paint`` paints in ``rect`` (content coordinates), and ``overhang``
        pixels right of and below it, as an image to copy to ``rect``'s top left.

        Painted through one scratch image kept for all: a painter's engine costs a
        few kilobytes, which each image would keep."""
        ratio = self.viewport().devicePixelRatioF()
        width = max(math.ceil((rect.width() + overhang) * ratio), 1)
        height = max(math.ceil((rect.height() + overhang) * ratio), 1)
        scratch = self._scratch
        if scratch is None or scratch.width() < width or scratch.height() < height:
            scratch = QImage(
                max(width, scratch.width() if scratch else 0),
                max(height, scratch.height() if scratch else 0),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            self._scratch = scratch
        scratch.setDevicePixelRatio(ratio)
        painter = QPainter(scratch)
        try:
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            painter.fillRect(
                QRectF(0, 0, width / ratio, height / ratio), Qt.GlobalColor.transparent
            )
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.translate(-rect.topLeft())
            paint(painter)
        finally:
            painter.end()
        image = QPixmap.fromImage(scratch.copy(0, 0, width, height))
        image.setDevicePixelRatio(ratio)
        return image

    def _forget_old_block_images(self) -> None:
        viewport = self.viewport()
        ratio = viewport.devicePixelRatioF()
        budget = BLOCK_IMAGES_PER_VIEWPORT * viewport.width() * viewport.height() * ratio * ratio
        while self._block_image_pixels > budget and len(self._block_images) > 1:
            _, oldest = self._block_images.popitem(last=False)
            self._block_image_pixels -= oldest.width() * oldest.height()

    def _paint_over_preview(self, painter: QPainter, item: BlockItem) -> None:
        """Called after the preview is painted, with its first block; subclasses add to it."""

    def _paint_clock_changes(self, painter: QPainter, dirty: QRectF) -> None:
        colours = self._colours
        for band in self._bands:
            if not band.rect.intersects(dirty) and not band.label_rect.intersects(dirty):
                continue
            rect = band.rect
            painter.fillRect(rect, colours.clock_change_fill)
            painter.fillRect(rect, QBrush(colours.clock_change_hatch, Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(colours.clock_change_hatch, 0))
            painter.drawLine(rect.topLeft(), rect.topRight())
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(colours.clock_change_hatch, 1))
            painter.setBrush(colours.clock_change_label_background)
            painter.drawRoundedRect(band.label_rect, CORNER_RADIUS, CORNER_RADIUS)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setFont(self._fonts.small)
            painter.setPen(colours.clock_change_label_text)
            painter.drawText(band.label_rect, band.label_flags, band.label)

    def _paint_hour_labels(self, painter: QPainter, dirty: QRectF) -> None:
        width = self._gutter_width - GUTTER_PADDING
        if dirty.left() >= width:
            return  # a repaint among the blocks (a drag) does not reach the gutter
        metrics = self._fonts.small_metrics
        painter.setFont(self._fonts.small)
        painter.setPen(self._colours.label)
        for hour, y in self._scale.hour_lines():
            if hour == 24:
                break
            label = QRectF(0, y - metrics.height() / 2, width, metrics.height())
            if label.intersects(dirty):
                flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                painter.drawText(label, flags, f"{hour:02d}:00")

    def _paint_now(self, painter: QPainter, dirty: QRectF) -> None:
        now = self._now
        if now is None or not QRectF(self._now_strip(now)).intersects(dirty):
            return
        colours, fonts = self._colours, self._fonts
        y = round(now.y)
        gutter = self._gutter_width
        painter.fillRect(
            QRectF(gutter, y - 1, self.viewport().width() - gutter, 2), colours.now_line
        )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colours.now_line)
        painter.drawEllipse(QPointF(gutter, y), NOW_DOT_RADIUS, NOW_DOT_RADIUS)
        height = self._now_label_height()
        label = QRectF(2, y - height / 2, gutter - 2 - NOW_DOT_RADIUS - 2, height)
        painter.drawRoundedRect(label, height / 2, height / 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setFont(fonts.small_bold)
        painter.setPen(colours.now_label_text)
        painter.drawText(label, Qt.AlignmentFlag.AlignCenter, now.label)

    # ------------------------------------------------------------ Qt events

    @override
    def sizeHint(self) -> QSize:
        return QSize(420, 640)

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._relayout()
        else:
            self._update_scroll_range()
        if event.size().height() != event.oldSize().height():
            self._fit_visible_hours()
        if self._scroll_to_now_pending and self.isVisible():
            self.scroll_to_now()

    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_now()
        if self._scroll_to_now_pending:
            self.scroll_to_now()

    @override
    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._now_timer.stop()

    @override
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        relevant = (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange)
        if event.type() in relevant:
            self._relayout()
            self.viewport().update()

    @override
    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().scroll(dx, dy)

    @override
    def wheelEvent(self, event: QWheelEvent) -> None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            self._content_moved()
            return
        steps = event.angleDelta().y() / 120
        if steps:
            anchor = round(event.position().y())
            self.set_pixels_per_hour(self._pixels_per_hour * ZOOM_STEP**steps, anchor)
        event.accept()

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.verticalScrollBar()
        key = event.key()
        if key == Qt.Key.Key_Home:
            bar.setValue(bar.minimum())
        elif key == Qt.Key.Key_End:
            bar.setValue(bar.maximum())
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            event.ignore()  # nothing to scroll sideways: let the window use them
            return
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    @override
    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = None if self._preview is not None else self.hit_test(event.pos())
            if hit is None:
                QToolTip.hideText()
                event.ignore()
            else:
                text = self._tooltip(self._items_by_id[hit.block_id])
                QToolTip.showText(event.globalPos(), text, self.viewport())
            return True
        return super().viewportEvent(event)

    def _tooltip(self, item: BlockItem) -> str:
        block = item.placed.segment.block
        start, end = block.start, block.end
        when = f"{start:%H:%M}\u2013{end:%H:%M}"
        if end.date() != start.date() and end != day_start(start.date() + dt.timedelta(days=1)):
            when = f"{start:%a %H:%M} \u2013 {end:%a %H:%M}"
        lines = [
            f"<b>{html.escape(block.title)}</b>",
            html.escape(f"{when} · {block.category.name}"),
        ]
        real = real_duration(start, end, self._zone)
        lines.append(html.escape(f"Lasts {format_duration(real)}"))
        if block.done:
            lines.append("Done")
        if block.notes:
            notes = block.notes if len(block.notes) <= 300 else block.notes[:300] + "…"
            lines.append(html.escape(notes).replace("\n", "<br>"))
        return "<br>".join(lines)


install_timeline_accessibility(TimelineCanvas)
