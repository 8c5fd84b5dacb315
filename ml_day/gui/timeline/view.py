"""The day timeline, edited in place: drag blocks to move, resize, create, copy and
push them; keys and a context menu for everything else.

The view never stores anything. Each gesture (a whole drag, a key, a menu
command) becomes one :class:`~ml_day.core.editing.PlanEdit`, emitted with
``editRequested`` when it is complete; the window hands it to the store, which
stores it and sends the day back through :meth:`TimelineView.set_day`. A drag
is worked out by :class:`~ml_day.gui.timeline.drag.Drag` (no Qt); while it
lasts only the blocks it previews, and where they were, are repainted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QPainter
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from ml_day.core.clock import local_now
from ml_day.core.editing import DEFAULT_SNAP_MINUTES, SNAP_STEPS_MINUTES, PlanEdit, snap
from ml_day.core.timemodel import day_end, day_start
from ml_day.gui.timeline.block_items import BlockItem
from ml_day.gui.timeline.canvas import (
    EDGE_GRAB,
    NO_BLOCK,
    BlockHit,
    BlockPart,
    TimelineCanvas,
    ms_until_next_minute,
)
from ml_day.gui.timeline.drag import (
    NEW_BLOCK_CATEGORY,
    Drag,
    DragKind,
    DragModifiers,
    DragPreview,
    new_block,
)
from ml_day.gui.timeline.geometry import ACCENT_WIDTH, BLOCK_VERTICAL_INSET, TEXT_PADDING
from ml_day.gui.timeline.palette import block_colours, is_dark
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
from ml_day.overrides import override

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from zoneinfo import ZoneInfo

    from PySide6.QtGui import QHideEvent, QMouseEvent

    from ml_day.core.blocks import Block, Category
    from ml_day.core.clock import Clock

__all__ = [
    "BLOCK_VERTICAL_INSET",
    "EDGE_GRAB",
    "NO_BLOCK",
    "BlockHit",
    "BlockPart",
    "TimelineView",
    "drag_modifiers",
    "ms_until_next_minute",
]

AUTO_SCROLL_MARGIN = 24
"""A drag this close (in pixels) to the top or bottom of the view scrolls it."""
AUTO_SCROLL_INTERVAL_MS = 30
AUTO_SCROLL_MAX_STEP = 40
"""Pixels per tick when the pointer is far past the edge."""
NEW_BLOCK_MINUTES = 30
"""Length of a block created by a double-click or from the keyboard."""
KEYBOARD_PUSH_MINUTES = 15
"""How far P pushes the rest of the day."""
_MODIFIER_KEYS = (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta)
_MODIFIER_OF_KEY = {
    Qt.Key.Key_Shift: Qt.KeyboardModifier.ShiftModifier,
    Qt.Key.Key_Control: Qt.KeyboardModifier.ControlModifier,
    Qt.Key.Key_Alt: Qt.KeyboardModifier.AltModifier,
    Qt.Key.Key_Meta: Qt.KeyboardModifier.MetaModifier,
}
_DRAG_KIND_OF_PART = {
    BlockPart.TOP_EDGE: DragKind.RESIZE_START,
    BlockPart.BODY: DragKind.MOVE,
    BlockPart.BOTTOM_EDGE: DragKind.RESIZE_END,
}


@lru_cache(maxsize=64)
def drag_modifiers(modifiers: Qt.KeyboardModifier) -> DragModifiers:
    """What the held keys do to a drag: Alt no snapping, Shift push, Ctrl copy."""
    return DragModifiers(
        free=bool(modifiers & Qt.KeyboardModifier.AltModifier),
        push=bool(modifiers & Qt.KeyboardModifier.ShiftModifier),
        copy=bool(modifiers & Qt.KeyboardModifier.ControlModifier),
    )


@dataclass(frozen=True, slots=True)
class _Press:
    """A left press that may become a click or a drag."""

    pos: QPoint
    """Viewport position of the press."""
    wall: dt.datetime
    """Wall time under the press (from the content y at the time of the press)."""
    hit: BlockHit | None
    modifiers: Qt.KeyboardModifier


class TimelineView(TimelineCanvas):
    """The day timeline, edited by dragging, from the keyboard and a context menu.

    Until :meth:`set_editable` (True), gestures select and open blocks but edit nothing.
    """

    blockActivated = Signal(int)
    """A block was double-clicked (or Enter pressed on it): open its editor; carries its id."""
    editRequested = Signal(object)
    """One :class:`~ml_day.core.editing.PlanEdit` per gesture, for the store to apply."""
    statusMessage = Signal(str)
    """A hint for the status bar while dragging, a one-line refusal, or "" to clear it."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        self._editable = False
        self._snap_minutes = DEFAULT_SNAP_MINUTES
        self._following: tuple[Block, ...] = ()
        self._press: _Press | None = None
        self._drag: Drag | None = None
        self._pointer = QPoint()
        self._pointer_modifiers = Qt.KeyboardModifier.NoModifier
        self._status = ""
        self._creating: Block | None = None
        self._ids_before_edit: set[int] | None = None
        self._auto_scroll_step = 0
        super().__init__(clock, parent)
        self._auto_scroll_timer = QTimer(self)
        self._auto_scroll_timer.setInterval(AUTO_SCROLL_INTERVAL_MS)
        self._auto_scroll_timer.timeout.connect(self._auto_scroll)
        self.viewport().setMouseTracking(True)
        self._title_editor = TitleEditor(self.viewport())
        self._title_editor.committed.connect(self._create_titled)
        self._title_editor.cancelled.connect(self._creation_cancelled)

    # ------------------------------------------------------------ content

    @override
    def set_day(self, day: dt.date, blocks: Sequence[Block], zone: ZoneInfo) -> None:
        """Show ``day`` with the parts of ``blocks`` that fall on it, in the plan's ``zone``.

        The scroll position and the selection are kept when they still make sense;
        blocks created by the view's last edit (a copy, a duplicate, a new block)
        become the selection. A drag under way survives a reload of the same day
        that still has its blocks; a block waiting for its title survives one too.
        """
        same_day = day == self._day
        super().set_day(day, blocks, zone)
        drag = self._drag
        if drag is not None and (
            not same_day or any(b.id not in self._blocks_by_id for b in drag.dragged)
        ):
            self.cancel_drag()
        if self._creating is not None and not same_day:
            self._title_editor.cancel()
        if self._ids_before_edit is not None:
            before = self._ids_before_edit
            created = [item.block_id for item in self._items if item.block_id not in before]
            if created:
                self._ids_before_edit = None
                self._set_selection(created, created[0])

    @override
    def _laid_out(self) -> None:
        if self._creating is not None:
            self._place_title_editor()

    @override
    def _content_moved(self) -> None:
        self._update_drag()

    @override
    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.cancel_drag()

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

    def set_following_blocks(self, blocks: Sequence[Block]) -> None:
        """The next day's blocks: not shown, but a push or a Shift-drag that runs
        past midnight must not run into them."""
        self._following = tuple(blocks)

    def _blocks_in_reach(self) -> tuple[Block, ...]:
        """The shown blocks and the next day's, each once."""
        shown = {block.id for block in self._blocks}
        return (*self._blocks, *(b for b in self._following if b.id not in shown))

    def push_after_selection(self, minutes: int) -> None:
        """Push the flexible blocks after the selected one later by ``minutes`` (one edit),
        up to the next fixed block; says so when the push is shortened or impossible."""
        after = self._blocks_by_id.get(self._selected)
        if not self._editable or after is None:
            return
        outcome = push_edit(self._blocks_in_reach(), after, minutes)
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
                blocks=self._blocks_in_reach(),
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
        if preview is not self._preview and preview != self._preview:
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
        # The title is typed over the block; its times are painted beside the editor.
        self._show_preview(DragPreview((block,)), untitled=True)
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

    @override
    def _paint_over_preview(self, painter: QPainter, item: BlockItem) -> None:
        """The times of the block being created, right of its title editor."""
        if self._creating is None:
            return
        line = self._creation_line(item)
        painter.setFont(self._fonts.small)
        painter.setPen(item.colours.secondary_text)
        flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(line, flags, self._creation_times())

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
            self._menu_action(menu, "Mark not done", partial(self.mark_selection_done, False))
        else:
            self._menu_action(menu, "Mark done", partial(self.mark_selection_done, True))
        push = menu.addMenu("Push rest of day")
        push.setEnabled(editable)
        for minutes in PUSH_CHOICES_MINUTES:
            key = "\tP" if minutes == KEYBOARD_PUSH_MINUTES else ""
            self._menu_action(
                push, f"by {minutes} min{key}", partial(self.push_after_selection, minutes)
            )
        return menu

    def _menu_action(self, menu: QMenu, text: str, slot: Callable[[], None]) -> None:
        """An item (its key, if any, after a tab: shown, not a second shortcut)."""
        action = menu.addAction(text)
        action.setEnabled(self._editable)
        action.triggered.connect(slot)

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

    # ------------------------------------------------------------ mouse

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

    # ------------------------------------------------------------ keys

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
        elif self._press is not None:
            event.accept()  # no other key does anything during a drag
        else:
            super().keyPressEvent(event)

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
        commands: dict[tuple[Qt.Key, Qt.KeyboardModifier], Callable[[], None]] = {
            # Tab walks the blocks, so Ctrl+Tab is the way out (as in text editors).
            (key.Key_Tab, ctrl): partial(self._leave_timeline, True),
            (key.Key_Backtab, ctrl | shift): partial(self._leave_timeline, False),
        }
        if self._items:
            commands[key.Key_Tab, no] = partial(self._walk, 1)
            commands[key.Key_Backtab, no] = commands[key.Key_Backtab, shift] = partial(
                self._walk, -1
            )
        if self._selection:
            commands[key.Key_Escape, no] = partial(self.set_selected_block, NO_BLOCK)
            activate = partial(self.blockActivated.emit, self._selected)
            commands[key.Key_Return, no] = commands[key.Key_Enter, no] = activate
        if not self._editable:
            return commands
        commands[key.Key_N, no] = commands[key.Key_Insert, no] = self.begin_create
        if self._selection:
            step = self._snap_minutes
            commands.update(
                {
                    (key.Key_Up, no): partial(self.move_selection, -step),
                    (key.Key_Down, no): partial(self.move_selection, step),
                    (key.Key_Up, shift): partial(self.stretch_selection, -step),
                    (key.Key_Down, shift): partial(self.stretch_selection, step),
                    (key.Key_Delete, no): self.delete_selection,
                    (key.Key_Backspace, no): self.delete_selection,
                    (key.Key_D, ctrl): self.duplicate_selection,
                    (key.Key_P, no): partial(self.push_after_selection, KEYBOARD_PUSH_MINUTES),
                }
            )
        return commands

    def _leave_timeline(self, forward: bool) -> None:
        QWidget.focusNextPrevChild(self, forward)

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
