"""The day timeline: an hour grid with the day's blocks and a "now" line, painted by hand,
edited by dragging and from the keyboard.

A custom-painted scroll area rather than a QGraphicsView: it repaints faster
here, provided each change repaints only the strip it touches. The layout (the
blocks' rectangles and their elided text) is computed once per day, size,
zoom, font or palette change, in content coordinates (y = 0 is the top of the
scrolled content); painting and hit testing subtract the scroll offset.

The view never stores anything. Each gesture (a whole drag, a key, a menu
command) becomes one :class:`~ml_day.core.editing.PlanEdit`, emitted with
``editRequested`` on release; the window hands it to the store, which stores
it and sends the day back through :meth:`TimelineView.set_day`. While a drag
lasts, only the blocks it previews (and where they were) are repainted.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import (
    QEvent,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPen,
    QRegion,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QFrame, QMenu, QToolTip, QWidget
from typing_extensions import override

from ml_day.core.clock import local_now
from ml_day.core.days import PlacedSegment, place_in_lanes, segments_for_day
from ml_day.core.editing import DEFAULT_SNAP_MINUTES, SNAP_STEPS_MINUTES, PlanEdit, snap
from ml_day.core.timemodel import (
    ClockChange,
    clock_changes,
    day_end,
    day_start,
    format_duration,
    real_duration,
)
from ml_day.gui.timeline.block_items import (
    ACCENT_WIDTH,
    CORNER_RADIUS,
    TEXT_PADDING,
    BlockFonts,
    BlockItem,
    lay_out_block,
    paint_block,
    paint_ghost,
    paint_preview,
)
from ml_day.gui.timeline.drag import (
    NEW_BLOCK_CATEGORY,
    Drag,
    DragKind,
    DragModifiers,
    DragPreview,
    new_block,
)
from ml_day.gui.timeline.palette import (
    TimelineColours,
    block_colours,
    is_dark,
    timeline_colours,
)
from ml_day.gui.timeline.scale import (
    DEFAULT_PIXELS_PER_HOUR,
    MAX_PIXELS_PER_HOUR,
    MIN_PIXELS_PER_HOUR,
    TimeScale,
)
from ml_day.gui.timeline.selection_edits import (
    PUSH_CHOICES_MINUTES,
    create_edit,
    delete_edit,
    done_edit,
    duplicate_edit,
    nudge_edit,
    push_edit,
    stretch_edit,
)
from ml_day.gui.timeline.title_editor import TitleEditor

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from zoneinfo import ZoneInfo

    from PySide6.QtGui import (
        QHideEvent,
        QMouseEvent,
        QPaintEvent,
        QResizeEvent,
        QShowEvent,
        QWheelEvent,
    )

    from ml_day.core.blocks import Block, Category
    from ml_day.core.clock import Clock

NO_BLOCK = -1
"""The block id that ``selectionChanged`` carries when nothing is selected."""

GUTTER_PADDING = 10
"""Space on either side of the hour labels."""
LANE_LEFT_PADDING = 4
LANE_RIGHT_PADDING = 8
LANE_GAP = 4
BLOCK_VERTICAL_INSET = 1
"""Blocks are drawn this far inside their span, so that back-to-back blocks stay apart."""
MIN_BLOCK_HEIGHT = 4
EDGE_GRAB = 5
"""How close (in pixels) to a block's top or bottom a press counts as grabbing the edge."""
FALLBACK_SCROLL_TIME = dt.time(7, 0)
"""Where a day that is not today opens, when it has no block starting on it."""
NOW_DOT_RADIUS = 4.0
ZOOM_STEP = 1.15
AUTO_SCROLL_MARGIN = 24
"""A drag this close (in pixels) to the top or bottom of the view scrolls it."""
AUTO_SCROLL_INTERVAL_MS = 30
AUTO_SCROLL_MAX_STEP = 40
"""Pixels per tick when the pointer is far past the edge."""
NEW_BLOCK_MINUTES = 30
"""Length of a block created by a double-click or from the keyboard."""
KEYBOARD_PUSH_MINUTES = 15
"""How far P pushes the rest of the day."""
_PAINT_MARGIN = 4
"""Repaint this much around a block, for its outline and antialiasing."""
_MINUTE = dt.timedelta(minutes=1)
_TIMER_SLACK_MS = 5
"""Fire a little after the minute turns, never a little before."""
_MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta)
_MODIFIER_OF_KEY = {
    Qt.Key.Key_Shift: Qt.KeyboardModifier.ShiftModifier,
    Qt.Key.Key_Control: Qt.KeyboardModifier.ControlModifier,
    Qt.Key.Key_Alt: Qt.KeyboardModifier.AltModifier,
    Qt.Key.Key_Meta: Qt.KeyboardModifier.MetaModifier,
}


class BlockPart(enum.Enum):
    """Which part of a block a point is on; the edges are where resizing will grab."""

    TOP_EDGE = "top-edge"
    BODY = "body"
    BOTTOM_EDGE = "bottom-edge"


class BlockHit(NamedTuple):
    """A block under a point, and which part of it."""

    block_id: int
    part: BlockPart


_DRAG_KIND_OF_PART = {
    BlockPart.TOP_EDGE: DragKind.RESIZE_START,
    BlockPart.BODY: DragKind.MOVE,
    BlockPart.BOTTOM_EDGE: DragKind.RESIZE_END,
}


def ms_until_next_minute(instant: dt.datetime) -> int:
    """Milliseconds from ``instant`` until just after the next whole minute."""
    next_minute = instant.replace(second=0, microsecond=0) + _MINUTE
    remaining = (next_minute - instant) / dt.timedelta(milliseconds=1)
    return math.ceil(remaining) + _TIMER_SLACK_MS


def drag_modifiers(modifiers: Qt.KeyboardModifier) -> DragModifiers:
    """What the held keys do to a drag: Alt no snapping, Shift push, Ctrl copy."""
    return DragModifiers(
        free=bool(modifiers & Qt.KeyboardModifier.AltModifier),
        push=bool(modifiers & Qt.KeyboardModifier.ShiftModifier),
        copy=bool(modifiers & Qt.KeyboardModifier.ControlModifier),
    )


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


@dataclass(frozen=True, slots=True)
class _Press:
    """A left press that may become a click or a drag."""

    pos: QPoint
    """Viewport position of the press."""
    wall: dt.datetime
    """Wall time under the press (from the content y at the time of the press)."""
    hit: BlockHit | None
    modifiers: Qt.KeyboardModifier


class TimelineView(QAbstractScrollArea):
    """One day as a scrollable hour grid with its blocks, the daylight-saving change
    and, on today, a now line that moves every minute; blocks are edited in place."""

    blockActivated = Signal(int)
    """A block was double-clicked (or Enter pressed on it): open its editor; carries its id."""
    selectionChanged = Signal(int)
    """The selection changed; carries the primary selected block's id, or -1 when
    nothing is selected (:meth:`selected_blocks` has all of them)."""
    editRequested = Signal(object)
    """One :class:`~ml_day.core.editing.PlanEdit` per gesture, for the store to apply."""
    statusMessage = Signal(str)
    """A hint for the status bar while dragging, a one-line refusal, or "" to clear it."""

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

        self._fonts = BlockFonts.derived_from(self.font())
        self._colours: TimelineColours = timeline_colours(self.palette())
        self._gutter_width = 0
        self._scale = TimeScale(self._day, self._pixels_per_hour)
        self._items: list[BlockItem] = []
        self._items_by_id: dict[int, BlockItem] = {}
        self._bands: list[_ClockChangeBand] = []
        self._now: _NowMark | None = None

        # Editing state.
        self._editable = False
        self._snap_minutes = DEFAULT_SNAP_MINUTES
        self._press: _Press | None = None
        self._drag: Drag | None = None
        self._pointer = QPoint()
        self._pointer_modifiers = Qt.KeyboardModifier.NoModifier
        self._status = ""
        self._preview: DragPreview | None = None
        self._preview_sources: tuple[int, ...] = ()
        self._preview_items: list[BlockItem] = []
        self._ghost_ids: frozenset[int] = frozenset()
        self._creating: Block | None = None
        self._ids_before_edit: set[int] | None = None
        self._auto_scroll_step = 0

        self._now_timer = QTimer(self)
        self._now_timer.setSingleShot(True)
        self._now_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._now_timer.timeout.connect(self.refresh_now)
        self._auto_scroll_timer = QTimer(self)
        self._auto_scroll_timer.setInterval(AUTO_SCROLL_INTERVAL_MS)
        self._auto_scroll_timer.timeout.connect(self._auto_scroll)

        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Day timeline")
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.viewport().setAutoFillBackground(False)
        self.viewport().setMouseTracking(True)
        self._title_editor = TitleEditor(self.viewport())
        self._title_editor.committed.connect(self._create_titled)
        self._title_editor.cancelled.connect(self._creation_cancelled)
        self._relayout()

    # ------------------------------------------------------------ content

    def set_day(self, day: dt.date, blocks: Sequence[Block], zone: ZoneInfo) -> None:
        """Show ``day`` with the parts of ``blocks`` that fall on it, in the plan's ``zone``.

        The scroll position and the selection are kept when they still make sense;
        blocks created by the view's last edit (a copy, a duplicate, a new block)
        become the selection.
        """
        same_day = day == self._day
        self._day = day
        self._blocks = tuple(blocks)
        self._blocks_by_id = {block.id: block for block in self._blocks}
        self._zone = zone
        self._placed = place_in_lanes(segments_for_day(self._blocks, day))
        self._changes = clock_changes(day, zone)
        if self._drag is not None and (
            not same_day or any(b.id not in self._blocks_by_id for b in self._drag.dragged)
        ):
            self.cancel_drag()
        if self._creating is not None and not same_day:
            self._title_editor.cancel()
        self._relayout()
        self.setAccessibleDescription(
            f"{day.isoformat()}: {len(self._placed)} blocks"
            + "".join(f". {change.describe()}" for change in self._changes)
        )
        self.viewport().update()
        if self._ids_before_edit is not None:
            created = [
                item.block_id for item in self._items if item.block_id not in self._ids_before_edit
            ]
            if created:
                self._ids_before_edit = None
                self._set_selection(created, created[0])
                return
        self._set_selection(self._selection, self._selected)

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

    # ------------------------------------------------------------ editing settings

    def snap_minutes(self) -> int:
        return self._snap_minutes

    def set_snap_minutes(self, minutes: int) -> None:
        """Snap dragged times to multiples of ``minutes`` (5, 10, 15 or 30) past midnight."""
        if minutes not in SNAP_STEPS_MINUTES:
            allowed = ", ".join(str(step) for step in SNAP_STEPS_MINUTES)
            msg = f"the snap step is one of {allowed} minutes, not {minutes!r}"
            raise ValueError(msg)
        self._snap_minutes = minutes

    def is_editable(self) -> bool:
        return self._editable

    def set_editable(self, editable: bool) -> None:
        """Allow gestures to edit (False while the plan is not open: nothing is edited)."""
        if editable == self._editable:
            return
        self._editable = editable
        if not editable:
            self.cancel_drag()
            self._title_editor.cancel()
            self.viewport().unsetCursor()

    def is_dragging(self) -> bool:
        """Whether a drag is under way (between crossing the drag distance and release)."""
        return self._drag is not None

    def is_auto_scrolling(self) -> bool:
        """Whether a drag near the top or bottom edge is scrolling the view."""
        return self._auto_scroll_timer.isActive()

    def is_creating(self) -> bool:
        """Whether a new block is waiting for its title."""
        return self._creating is not None

    def title_editor(self) -> TitleEditor:
        """The line edit that asks for a new block's title."""
        return self._title_editor

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
        self.selectionChanged.emit(new_primary)

    def _selected_block_values(self) -> list[Block]:
        return [self._blocks_by_id[i] for i in self._selection if i in self._blocks_by_id]

    # ------------------------------------------------------------ edits of the selection

    def delete_selection(self) -> None:
        """Delete the selected blocks (one edit)."""
        if self._editable:
            self._request(delete_edit(self._selected_block_values()))

    def duplicate_selection(self) -> None:
        """Copy each selected block right after itself (one edit); the copies get selected."""
        if self._editable:
            self._request(duplicate_edit(self._selected_block_values()), select_created=True)

    def mark_selection_done(self, done: bool) -> None:
        """Mark the selected blocks done (or not done), as one edit."""
        if self._editable:
            self._request(done_edit(self._selected_block_values(), done=done))

    def push_after_selection(self, minutes: int) -> None:
        """Push the flexible blocks after the selected one later by ``minutes`` (one edit),
        up to the next fixed block; says so when the push is shortened or impossible."""
        after = self._blocks_by_id.get(self._selected)
        if not self._editable or after is None:
            return
        outcome = push_edit(self._blocks, after, minutes)
        if outcome.message:
            self.statusMessage.emit(outcome.message)
        self._request(outcome.edit)

    def move_selection(self, minutes: int) -> None:
        """Move the selected blocks by ``minutes`` (earlier when negative), as one edit."""
        if self._editable:
            self._request(nudge_edit(self._selected_block_values(), minutes, self._zone))

    def stretch_selection(self, minutes: int) -> None:
        """Move the end of the selected blocks by ``minutes``, as one edit."""
        if self._editable:
            self._request(stretch_edit(self._selected_block_values(), minutes))

    def begin_create(self, start: dt.datetime | None = None) -> None:
        """Draw a 30-minute block at ``start`` (default: the selection's end, else now,
        else the middle of the view), snapped, and ask for its title in place."""
        if not self._editable:
            return
        self.cancel_drag()
        self._title_editor.cancel()
        if start is None:
            start = self._default_creation_start()
        length = dt.timedelta(minutes=NEW_BLOCK_MINUTES)
        start = snap(start, self._snap_minutes)
        start = min(max(start, day_start(self._day)), day_end(self._day) - length)
        self._open_title_editor(start, start + length)

    def _default_creation_start(self) -> dt.datetime:
        selected = self._selected_block_values()
        if selected:
            return max(block.end for block in selected)
        now = local_now(self._clock).replace(tzinfo=None)
        if now.date() == self._day:
            return now
        return self._scale.wall_at(self._scroll_offset() + self.viewport().height() / 2)

    def _request(self, edit: PlanEdit | None, *, select_created: bool = False) -> None:
        """Hand ``edit`` to whoever stores edits; select what it creates, if asked."""
        if edit is None:
            return
        self._ids_before_edit = set(self._blocks_by_id) if select_created else None
        try:
            self.editRequested.emit(edit)
        finally:
            self._ids_before_edit = None

    # ------------------------------------------------------------ zoom and scrolling

    def pixels_per_hour(self) -> float:
        return self._pixels_per_hour

    def set_pixels_per_hour(self, pixels_per_hour: float, anchor_y: int | None = None) -> None:
        """Zoom to ``pixels_per_hour`` (clamped to 32-160), keeping the time at viewport
        y ``anchor_y`` (default: the middle) where it is."""
        value = min(max(pixels_per_hour, MIN_PIXELS_PER_HOUR), MAX_PIXELS_PER_HOUR)
        if value == self._pixels_per_hour:
            return
        anchor = self.viewport().height() // 2 if anchor_y is None else anchor_y
        anchored_wall = self._scale.wall_at(anchor + self._scroll_offset())
        self._pixels_per_hour = value
        self._relayout()
        self.verticalScrollBar().setValue(round(self._scale.y_of(anchored_wall)) - anchor)
        self.viewport().update()
        if self._drag is not None:
            self._update_drag()

    def scroll_to_now(self) -> None:
        """Centre the now line; on another day, bring its first block (or 07:00) near the top.

        Before the view is first shown this is done again once it has its size.
        """
        self._scroll_to_now_pending = not self.isVisible()
        now = self._compute_now()
        if now is not None:
            target = now.y - self.viewport().height() / 2
        else:
            starts = [
                placed.segment.start
                for placed in self._placed
                if not placed.segment.continues_from_previous_day
            ]
            wall = min(starts, default=dt.datetime.combine(self._day, FALLBACK_SCROLL_TIME))
            target = self._scale.y_of(wall) - self._pixels_per_hour / 2
        self.verticalScrollBar().setValue(round(target))

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
        return self._fonts.small_bold_metrics.height() + 2

    def _arm_now_timer(self) -> None:
        self._now_timer.start(ms_until_next_minute(self._clock.now()))

    # ------------------------------------------------------------ layout

    def _scroll_offset(self) -> int:
        return self.verticalScrollBar().value()

    def _relayout(self) -> None:
        """Recompute everything that depends on the day, size, zoom, font or palette."""
        fonts = self._fonts = BlockFonts.derived_from(self.font())
        self._colours = timeline_colours(self.palette())
        self._gutter_width = (
            fonts.small_bold_metrics.horizontalAdvance("00:00") + 2 * GUTTER_PADDING
        )
        top_margin = max(fonts.small_metrics.height() // 2, self._now_label_height() // 2) + 4
        self._scale = TimeScale(self._day, self._pixels_per_hour, top_margin)

        width = self.viewport().width()
        left = self._gutter_width + LANE_LEFT_PADDING
        available = max(width - LANE_RIGHT_PADDING - left, 1)
        items: list[BlockItem] = []
        for placed in self._placed:
            lane_width = (available - LANE_GAP * (placed.lane_count - 1)) / placed.lane_count
            x0 = round(left + placed.lane * (lane_width + LANE_GAP))
            x1 = max(round(left + placed.lane * (lane_width + LANE_GAP) + lane_width), x0 + 1)
            items.append(self._lay_out_segment(placed, x0, x1))
        self._items = items
        self._items_by_id = {item.block_id: item for item in items}
        self._bands = [self._lay_out_band(change, width) for change in self._changes]
        self._now = self._compute_now()
        self._update_scroll_range()
        self._lay_out_preview()
        if self._creating is not None:
            self._place_title_editor()

    def _lay_out_segment(self, placed: PlacedSegment, x0: int, x1: int) -> BlockItem:
        segment, block = placed.segment, placed.segment.block
        top, bottom = self._scale.span(segment.start, segment.end)
        y0 = round(top) + BLOCK_VERTICAL_INSET
        y1 = max(round(bottom) - BLOCK_VERTICAL_INSET, y0 + MIN_BLOCK_HEIGHT)
        rect = QRectF(x0, y0, x1 - x0, y1 - y0)
        colours = block_colours(
            block.category.colour, dark=is_dark(self.palette()), done=block.done
        )
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
            for segment in segments_for_day([block], self._day):
                items.append(
                    self._lay_out_segment(PlacedSegment(segment, 0, 1), x0, max(x1, x0 + 1))
                )
        if self._creating is not None and items:
            # The title is typed over the block, its times painted beside the editor.
            items[0] = replace(items[0], title_lines=(), detail="")
        self._preview_items = items
        self._ghost_ids = preview.moved_ids

    def _show_preview(self, preview: DragPreview | None, sources: Sequence[int] = ()) -> None:
        """Draw ``preview`` (None: nothing), repainting only what it and the previous
        one cover, and the blocks it starts or stops ghosting."""
        old_rects = [item.rect for item in self._preview_items]
        old_ghosts = self._ghost_ids
        self._preview = preview
        self._preview_sources = tuple(sources)
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
        bar.setRange(0, max(self._scale.content_height - page, 0))
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
        for index in range(first, last + 1):
            y = round(scale.top_margin + index * half_hour)
            on_hour = index % 2 == 0
            painter.setPen(QPen(colours.hour_line if on_hour else colours.half_hour_line, 0))
            x = self._gutter_width - (GUTTER_PADDING // 2 if on_hour else 0)
            painter.drawLine(QPointF(x, y), QPointF(right, y))

    def _paint_blocks(self, painter: QPainter, dirty: QRectF) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        selected, ghosts = set(self._selection), self._ghost_ids
        highlight = self._colours.selection
        for item in self._items:
            if not item.rect.intersects(dirty):
                continue
            if item.block_id in ghosts:
                paint_ghost(painter, item)
            else:
                outline = highlight if item.block_id in selected else None
                paint_block(painter, item, self._fonts, outline)
        for item in self._preview_items:
            if item.rect.intersects(dirty):
                paint_preview(painter, item, self._fonts, highlight)
        if self._creating is not None and self._preview_items:
            self._paint_creation_times(painter, self._preview_items[0])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_creation_times(self, painter: QPainter, item: BlockItem) -> None:
        """The times of the block being created, right of its title editor."""
        line = self._creation_line(item)
        painter.setFont(self._fonts.small)
        painter.setPen(item.colours.secondary_text)
        flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(line, flags, self._creation_times())

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
        metrics = self._fonts.small_metrics
        painter.setFont(self._fonts.small)
        painter.setPen(self._colours.label)
        width = self._gutter_width - GUTTER_PADDING
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

    # ------------------------------------------------------------ dragging

    def cancel_drag(self) -> None:
        """Drop a drag under way: the preview vanishes and nothing is emitted."""
        self._press = None
        if self._drag is not None:
            self._end_drag()

    def _start_drag(self, press: _Press) -> None:
        hit = press.hit
        if hit is None:
            self._drag = Drag(
                DragKind.CREATE,
                day=self._day,
                zone=self._zone,
                blocks=self._blocks,
                press=press.wall,
                snap_minutes=self._snap_minutes,
                new_category=self._new_block_category(),
            )
            sources: tuple[int, ...] = ()
        else:
            if hit.block_id not in self._selection:
                self._set_selection([hit.block_id], hit.block_id)
            self._drag = Drag(
                _DRAG_KIND_OF_PART[hit.part],
                day=self._day,
                zone=self._zone,
                blocks=self._blocks,
                press=press.wall,
                snap_minutes=self._snap_minutes,
                grabbed=hit.block_id,
                selection=self._selection,
            )
            sources = tuple(block.id for block in self._drag.dragged)
        self._show_preview(self._drag.preview, sources)
        self._update_cursor(press.hit)

    def _update_drag(self) -> None:
        """Follow the pointer and the modifiers held (after a move, a scroll or a key)."""
        drag = self._drag
        if drag is None:
            return
        preview = drag.update(self.wall_at(self._pointer), drag_modifiers(self._pointer_modifiers))
        if preview != self._preview:
            self._show_preview(preview, self._preview_sources)
        self._set_status(drag.status())

    def _finish_drag(self) -> None:
        drag = self._drag
        if drag is None:
            return
        self._update_drag()
        span = drag.created_span()
        edit = drag.edit()
        self._end_drag()
        if span is not None:
            self._open_title_editor(*span)
        else:
            self._request(edit, select_created=drag.preview.copies)

    def _end_drag(self) -> None:
        self._drag = None
        self._auto_scroll_timer.stop()
        self._show_preview(None)
        self._set_status("")
        self._update_cursor(self.hit_test(self._pointer))

    def _set_status(self, text: str) -> None:
        if text != self._status:
            self._status = text
            self.statusMessage.emit(text)

    def _follow_auto_scroll(self) -> None:
        """Run the auto-scroll timer only while a drag is near the top or bottom edge."""
        y, height = self._pointer.y(), self.viewport().height()
        step = 0
        if self._drag is not None:
            if y < AUTO_SCROLL_MARGIN:
                step = -self._auto_scroll_speed(AUTO_SCROLL_MARGIN - y)
            elif y > height - AUTO_SCROLL_MARGIN:
                step = self._auto_scroll_speed(y - (height - AUTO_SCROLL_MARGIN))
        self._auto_scroll_step = step
        if step and not self._auto_scroll_timer.isActive():
            self._auto_scroll_timer.start()
        elif not step:
            self._auto_scroll_timer.stop()

    @staticmethod
    def _auto_scroll_speed(depth: int) -> int:
        """Pixels per tick for a pointer ``depth`` pixels into the edge zone (or past it)."""
        return min(2 + depth // 2, AUTO_SCROLL_MAX_STEP)

    def _auto_scroll(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self._auto_scroll_step)
        self._update_drag()

    def _update_cursor(self, hit: BlockHit | None) -> None:
        viewport = self.viewport()
        drag = self._drag
        if drag is not None:
            if drag.kind is DragKind.MOVE:
                viewport.setCursor(Qt.CursorShape.ClosedHandCursor)
            elif drag.kind is DragKind.CREATE:
                viewport.unsetCursor()
            else:
                viewport.setCursor(Qt.CursorShape.SizeVerCursor)
        elif not self._editable or hit is None:
            viewport.unsetCursor()
        elif hit.part is BlockPart.BODY:
            viewport.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            viewport.setCursor(Qt.CursorShape.SizeVerCursor)

    # ------------------------------------------------------------ creating

    def _new_block_category(self) -> Category:
        """The category new blocks get (as stored, if a block of the day has it)."""
        name = NEW_BLOCK_CATEGORY.name
        stored = (block.category for block in self._blocks if block.category.name == name)
        return next(stored, NEW_BLOCK_CATEGORY)

    def _open_title_editor(self, start: dt.datetime, end: dt.datetime) -> None:
        block = new_block(start, end, category=self._new_block_category())
        self._creating = block
        self._show_preview(DragPreview((block,)))
        self.ensure_time_visible(block.end)
        self.ensure_time_visible(block.start)
        colours = block_colours(block.category.colour, dark=is_dark(self.palette()))
        self._title_editor.blend_into(colours.fill, colours.text, self._fonts.title)
        self._title_editor.open_over(self._title_editor_rect())

    def _place_title_editor(self) -> None:
        self._title_editor.setGeometry(self._title_editor_rect())

    def _creation_times(self) -> str:
        block = self._creating
        return "" if block is None else f"{block.start:%H:%M}\u2013{block.end:%H:%M}"

    def _creation_line(self, item: BlockItem) -> QRectF:
        """The first text line of the block being created (content coordinates)."""
        rect = item.rect
        height = min(self._title_editor.sizeHint().height(), max(rect.height() - 4, 8))
        left = rect.left() + ACCENT_WIDTH + 2
        return QRectF(left, rect.top() + 2, rect.right() - TEXT_PADDING - left, height)

    def _title_editor_rect(self) -> QRect:
        """Over the first line of the block being created, left of its times (viewport)."""
        if not self._preview_items:
            height = self._title_editor.sizeHint().height()
            return QRect(
                self._gutter_width, 0, self.viewport().width() - self._gutter_width, height
            )
        line = self._creation_line(self._preview_items[0])
        times = self._fonts.small_metrics.horizontalAdvance(self._creation_times())
        line.setRight(max(line.right() - times - 2 * TEXT_PADDING, line.left() + 40))
        return line.translated(0, -self._scroll_offset()).toRect()

    def _create_titled(self, title: str) -> None:
        block = self._creating
        self._close_creation()
        if block is not None:
            self._request(create_edit(title, block.start, block.end), select_created=True)

    def _creation_cancelled(self) -> None:
        self._close_creation()

    def _close_creation(self) -> None:
        self._creating = None
        self._show_preview(None)
        if self._title_editor.hasFocus():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------ the context menu

    def context_menu(self, pos: QPoint) -> QMenu:
        """The menu for a right-click at the viewport point ``pos`` (selects the block
        there unless it is part of the selection). The caller shows and deletes it."""
        menu = QMenu(self)
        hit = self.hit_test(pos)
        editable = self._editable
        if hit is None:
            self.set_selected_block(NO_BLOCK)
            start = self.wall_at(pos)
            new_here = menu.addAction("New block here")
            new_here.setEnabled(editable)
            new_here.triggered.connect(lambda: self.begin_create(start))
            return menu
        if hit.block_id not in self._selection:
            self.set_selected_block(hit.block_id)
        primary = self._selected
        edit = menu.addAction("Edit…\tEnter")
        edit.triggered.connect(lambda: self.blockActivated.emit(primary))
        menu.addSeparator()
        self._menu_action(menu, "Duplicate\tCtrl+D", self.duplicate_selection)
        self._menu_action(menu, "Delete\tDel", self.delete_selection)
        if all(block.done for block in self._selected_block_values()):
            self._menu_action(menu, "Mark not done", lambda: self.mark_selection_done(False))
        else:
            self._menu_action(menu, "Mark done", lambda: self.mark_selection_done(True))
        push = menu.addMenu("Push rest of day")
        push.setEnabled(editable)
        for minutes in PUSH_CHOICES_MINUTES:
            key = "\tP" if minutes == KEYBOARD_PUSH_MINUTES else ""
            self._menu_action(push, f"by {minutes} min{key}", self._pusher(minutes))
        return menu

    def _menu_action(self, menu: QMenu, text: str, slot: Callable[[], None]) -> None:
        """An item (its key, if any, after a tab: shown, not a second shortcut)."""
        action = menu.addAction(text)
        action.setEnabled(self._editable)
        action.triggered.connect(slot)

    def _pusher(self, minutes: int) -> Callable[[], None]:
        return lambda: self.push_after_selection(minutes)

    @override
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        pos = event.pos()
        if event.reason() != QContextMenuEvent.Reason.Mouse:
            rect = self.block_rect(self._selected)
            pos = rect.center() if not rect.isEmpty() else QPoint(self.viewport().width() // 2, 0)
        self.cancel_drag()
        menu = self.context_menu(pos)
        menu.exec(self.viewport().mapToGlobal(pos))
        menu.deleteLater()
        event.accept()

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
        self.cancel_drag()

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
    def mousePressEvent(self, event: QMouseEvent) -> None:
        button = event.button()
        if button not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            super().mousePressEvent(event)
            return
        event.accept()
        pos = event.position().toPoint()
        hit = self.hit_test(pos)
        if button == Qt.MouseButton.RightButton:
            if self._drag is None and (hit is None or hit.block_id not in self._selection):
                self.set_selected_block(NO_BLOCK if hit is None else hit.block_id)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        modifiers = event.modifiers()
        self._press = _Press(pos, self.wall_at(pos), hit, modifiers)
        self._pointer, self._pointer_modifiers = pos, modifiers
        toggling = modifiers & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        )
        if not toggling and (hit is None or hit.block_id not in self._selection):
            self.set_selected_block(NO_BLOCK if hit is None else hit.block_id)

    @override
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        press = self._press
        if press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            if self._drag is None:
                self._pointer = pos
                self._update_cursor(self.hit_test(pos))
            super().mouseMoveEvent(event)
            return
        event.accept()
        self._pointer, self._pointer_modifiers = pos, event.modifiers()
        if self._drag is None:
            far_enough = (pos - press.pos).manhattanLength() >= QApplication.startDragDistance()
            if not far_enough or not self._editable:
                return
            self._start_drag(press)
        self._update_drag()
        self._follow_auto_scroll()

    @override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            if event.button() != Qt.MouseButton.RightButton:
                super().mouseReleaseEvent(event)
            return
        event.accept()
        press, self._press = self._press, None
        if press is None:
            return
        self._pointer, self._pointer_modifiers = event.position().toPoint(), event.modifiers()
        if self._drag is not None:
            self._finish_drag()
            return
        self._clicked(press)

    def _clicked(self, press: _Press) -> None:
        """A press and release without a drag: change the selection."""
        hit = press.hit
        if hit is None:
            return
        block_id = hit.block_id
        if press.modifiers & Qt.KeyboardModifier.ControlModifier:
            if block_id in self._selection:
                rest = [i for i in self._selection if i != block_id]
                self._set_selection(rest, rest[0] if rest else NO_BLOCK)
            else:
                self._set_selection([block_id, *self._selection], block_id)
        elif press.modifiers & Qt.KeyboardModifier.ShiftModifier:
            self._set_selection([block_id, *self._selection], block_id)
        else:
            self.set_selected_block(block_id)

    @override
    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseDoubleClickEvent(event)
            return
        event.accept()
        self._press = None
        pos = event.position().toPoint()
        hit = self.hit_test(pos)
        if hit is not None:
            self.set_selected_block(hit.block_id)
            self.blockActivated.emit(hit.block_id)
        elif self._editable:
            self.begin_create(self.wall_at(pos))

    @override
    def wheelEvent(self, event: QWheelEvent) -> None:
        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            if self._drag is not None:
                self._update_drag()
            return
        steps = event.angleDelta().y() / 120
        if steps:
            anchor = round(event.position().y())
            self.set_pixels_per_hour(self._pixels_per_hour * ZOOM_STEP**steps, anchor)
        event.accept()

    @override
    def event(self, event: QEvent) -> bool:
        # Keys the timeline uses win over window shortcuts while it has the focus.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._key_command(event) is not None
        ):
            event.accept()
            return True
        return super().event(event)

    @override
    def focusNextPrevChild(self, next: bool) -> bool:
        # While there are blocks, Tab walks them (keyPressEvent) instead of leaving.
        if self._items and not self._title_editor.is_open():
            return False
        return super().focusNextPrevChild(next)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._title_editor.is_open():
            event.accept()  # keys the title editor passes on are not for the timeline
            return
        key = event.key()
        if self._press is not None and key in _MODIFIER_KEYS:
            self._pointer_modifiers = event.modifiers() | _MODIFIER_OF_KEY[Qt.Key(key)]
            self._update_drag()
            event.accept()
            return
        command = self._key_command(event)
        if command is not None:
            command()
            event.accept()
            return
        if self._press is not None:
            event.accept()  # no other key does anything during a drag
            return
        bar = self.verticalScrollBar()
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
    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self._press is not None and key in _MODIFIER_KEYS:
            self._pointer_modifiers = event.modifiers() & ~_MODIFIER_OF_KEY[Qt.Key(key)]
            self._update_drag()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def _key_command(self, event: QKeyEvent) -> Callable[[], None] | None:
        """What a key does here, or None if the timeline has no use for it now."""
        if self._title_editor.is_open():
            return None
        key = Qt.Key(event.key())
        if self._press is not None:  # during a drag (or a click) only Esc does something
            return self.cancel_drag if key == Qt.Key.Key_Escape else None
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return self._key_commands().get((key, modifiers))

    def _key_commands(self) -> dict[tuple[Qt.Key, Qt.KeyboardModifier], Callable[[], None]]:
        """The keys that do something now (with their modifiers), and what they do."""
        key, no = Qt.Key, Qt.KeyboardModifier.NoModifier
        shift, ctrl = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
        commands: dict[tuple[Qt.Key, Qt.KeyboardModifier], Callable[[], None]] = {}
        if self._items:
            commands[key.Key_Tab, no] = lambda: self._walk(1)
            commands[key.Key_Backtab, no] = commands[key.Key_Backtab, shift] = lambda: self._walk(
                -1
            )
        if self._selection:
            commands[key.Key_Escape, no] = lambda: self.set_selected_block(NO_BLOCK)
            activate = lambda: self.blockActivated.emit(self._selected)  # noqa: E731
            commands[key.Key_Return, no] = commands[key.Key_Enter, no] = activate
        if not self._editable:
            return commands
        commands[key.Key_N, no] = commands[key.Key_Insert, no] = self.begin_create
        if self._selection:
            step = self._snap_minutes
            commands.update(
                {
                    (key.Key_Up, no): lambda: self.move_selection(-step),
                    (key.Key_Down, no): lambda: self.move_selection(step),
                    (key.Key_Up, shift): lambda: self.stretch_selection(-step),
                    (key.Key_Down, shift): lambda: self.stretch_selection(step),
                    (key.Key_Delete, no): self.delete_selection,
                    (key.Key_Backspace, no): self.delete_selection,
                    (key.Key_D, ctrl): self.duplicate_selection,
                    (key.Key_P, no): lambda: self.push_after_selection(KEYBOARD_PUSH_MINUTES),
                }
            )
        return commands

    def _walk(self, direction: int) -> None:
        """Select the next (1) or previous (-1) block in time order, and show it."""
        order = [
            item.block_id
            for item in sorted(
                self._items,
                key=lambda item: (
                    item.placed.segment.start,
                    item.placed.segment.end,
                    item.block_id,
                ),
            )
        ]
        if self._selected in order:
            index = (order.index(self._selected) + direction) % len(order)
        else:
            index = 0 if direction > 0 else len(order) - 1
        self.set_selected_block(order[index])
        self.ensure_block_visible(order[index])

    @override
    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = None if self._drag is not None else self.hit_test(event.pos())
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
