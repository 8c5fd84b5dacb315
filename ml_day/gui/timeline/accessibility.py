"""What a screen reader hears on the timeline.

The blocks are painted, not widgets, so Qt cannot describe them by itself.
The timeline gets its own accessible interface whose children are the blocks
shown on the day, in time order: each says "Lunch with the team, 12:00 to
13:00, meal" and, as its description, the length and the block's flags. The
selected block is the focused child, and moving the selection moves the
screen reader's focus with it.

Qt owns accessible interfaces once they are registered; the timeline's
interface keeps one child interface per block id and deletes the ones whose
block left the day, so stale children never linger in Qt's cache.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface, QWindow
from PySide6.QtWidgets import QAccessibleWidget, QWidget

from ml_day.core.timemodel import format_duration, real_duration
from ml_day.overrides import override

if TYPE_CHECKING:
    from collections.abc import Sequence
    from zoneinfo import ZoneInfo

    from ml_day.core.blocks import Block

TIMELINE_ACCESSIBLE_NAME = "Day timeline"


def _time_on(day: dt.date, wall: dt.datetime) -> str:
    """``HH:MM``, naming the day when it is not the day shown."""
    text = wall.strftime("%H:%M")
    if wall.date() == day:
        return text
    if wall.date() == day + dt.timedelta(days=1):
        return f"{text} the next day"
    if wall.date() == day - dt.timedelta(days=1):
        return f"{text} the day before"
    return f"{text} on {wall.date().isoformat()}"


def spoken_name(block: Block, day: dt.date) -> str:
    """What a screen reader says first: "Lunch, 12:00 to 13:00, meal"."""
    return (
        f"{block.title}, {_time_on(day, block.start)} to {_time_on(day, block.end)}, "
        f"{block.category.name}"
    )


def spoken_description(block: Block, zone: ZoneInfo) -> str:
    """The rest: its real length, its flags, its notes."""
    parts = [format_duration(real_duration(block.start, block.end, zone))]
    if block.fixed:
        parts.append("fixed time")
    if block.deadline:
        parts.append("deadline")
    if block.done:
        parts.append("done")
    if not block.notify:
        parts.append("no reminders")
    text = ", ".join(parts)
    notes = " ".join(block.notes.split())
    return f"{text}. {notes}" if notes else text


class TimelineLike(Protocol):
    """What the accessible interface reads of the timeline canvas."""

    def accessible_blocks(self) -> Sequence[Block]: ...
    def block_rect(self, block_id: int) -> QRect: ...
    def selected_blocks(self) -> list[int]: ...
    def day(self) -> dt.date: ...
    def zone(self) -> ZoneInfo: ...
    def viewport(self) -> QWidget: ...
    def hasFocus(self) -> bool: ...  # noqa: N802 - Qt's name
    def isVisible(self) -> bool: ...  # noqa: N802 - Qt's name
    def accessibleDescription(self) -> str: ...  # noqa: N802 - Qt's name


class AccessibleTimeline(QAccessibleWidget):
    """The timeline for assistive technology: a list of its blocks.

    ``widget`` must be :class:`TimelineLike` (``accessible_blocks()`` are the
    shown blocks in time order, ``block_rect(id)`` in viewport coordinates):
    the timeline canvas is.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget, QAccessible.Role.List, TIMELINE_ACCESSIBLE_NAME)
        self._children: dict[int, AccessibleBlock] = {}

    def canvas(self) -> TimelineLike:
        return cast("TimelineLike", self.widget())

    def _blocks(self) -> Sequence[Block]:
        return self.canvas().accessible_blocks()

    def block_interface(self, block_id: int) -> AccessibleBlock | None:
        """The child interface of a shown block (created on first use)."""
        if not any(block.id == block_id for block in self._blocks()):
            return None
        child = self._children.get(block_id)
        if child is None:
            child = AccessibleBlock(self, block_id)
            QAccessible.registerAccessibleInterface(child)
            self._children[block_id] = child
        return child

    def forget_missing(self) -> None:
        """Drop (and let Qt delete) the children of blocks no longer shown."""
        shown = {block.id for block in self._blocks()}
        for block_id in [i for i in self._children if i not in shown]:
            child = self._children.pop(block_id)
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(child))

    @override
    def childCount(self) -> int:
        return len(self._blocks())

    @override
    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        blocks = self._blocks()
        if not 0 <= index < len(blocks):
            return None
        return self.block_interface(blocks[index].id)

    @override
    def indexOfChild(self, child: QAccessibleInterface) -> int:
        if isinstance(child, AccessibleBlock):
            for index, block in enumerate(self._blocks()):
                if block.id == child.block_id:
                    return index
        return -1

    @override
    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        selected = self.canvas().selected_blocks()
        return self.block_interface(selected[0]) if selected else None

    @override
    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        for block in self._blocks():
            child = self.block_interface(block.id)
            if child is not None and child.rect().contains(x, y):
                return child
        return None

    @override
    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Description:
            return self.canvas().accessibleDescription()
        return super().text(kind)

    # Called by the canvas ------------------------------------------------
    def block_of(self, block_id: int) -> Block | None:
        for block in self._blocks():
            if block.id == block_id:
                return block
        return None

    def screen_rect_of(self, block_id: int) -> QRect:
        canvas = self.canvas()
        rect = canvas.block_rect(block_id)
        if rect.isEmpty():
            return QRect()
        viewport = canvas.viewport()
        return QRect(viewport.mapToGlobal(rect.topLeft()), rect.size())


class AccessibleBlock(QAccessibleInterface):
    """One painted block, as a list item of the timeline."""

    def __init__(self, timeline: AccessibleTimeline, block_id: int) -> None:
        super().__init__()
        self._timeline = timeline
        self.block_id = block_id

    def _block(self) -> Block | None:
        return self._timeline.block_of(self.block_id)

    @override
    def isValid(self) -> bool:
        return self._block() is not None

    @override
    def object(self) -> QObject | None:  # type: ignore[override]
        return None

    @override
    def window(self) -> QWindow | None:  # type: ignore[override]
        return self._timeline.window()

    @override
    def relations(
        self, match: QAccessible.RelationFlag = QAccessible.RelationFlag.AllRelations
    ) -> list[tuple[QAccessibleInterface, QAccessible.RelationFlag]]:
        return []

    @override
    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    @override
    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    @override
    def parent(self) -> QAccessibleInterface:
        return self._timeline

    @override
    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    @override
    def childCount(self) -> int:
        return 0

    @override
    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    @override
    def text(self, kind: QAccessible.Text) -> str:
        block = self._block()
        if block is None:
            return ""
        canvas = self._timeline.canvas()
        if kind == QAccessible.Text.Name:
            return spoken_name(block, canvas.day())
        if kind == QAccessible.Text.Description:
            return spoken_description(block, canvas.zone())
        return ""

    @override
    def setText(self, kind: QAccessible.Text, text: str) -> None:
        """Blocks are renamed through the editor, not through assistive technology."""

    @override
    def rect(self) -> QRect:
        return self._timeline.screen_rect_of(self.block_id)

    @override
    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    @override
    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        state.focusable = True
        state.selectable = True
        state.multiSelectable = True
        canvas = self._timeline.canvas()
        selected = canvas.selected_blocks()
        state.selected = self.block_id in selected
        state.focused = bool(selected) and selected[0] == self.block_id and canvas.hasFocus()
        state.offscreen = self.rect().isEmpty() or not canvas.isVisible()
        block = self._block()
        state.checkable = True
        state.checked = block is not None and block.done
        return state


_installed = False


def install_timeline_accessibility(timeline_type: type[QWidget]) -> None:
    """Let Qt ask us for the interface of every ``timeline_type`` widget (once per process)."""
    global _installed  # noqa: PLW0603 - a process-wide Qt registration, done once
    if _installed:
        return
    _installed = True

    def factory(_class_name: str, obj: QObject) -> QAccessibleInterface | None:
        if isinstance(obj, timeline_type):
            return AccessibleTimeline(obj)
        return None

    QAccessible.installFactory(factory)


def timeline_interface(widget: QWidget) -> AccessibleTimeline | None:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface if isinstance(interface, AccessibleTimeline) else None


def announce_focus(widget: QWidget, block_id: int) -> None:
    """Tell assistive technology the focus and selection moved to this block."""
    if not QAccessible.isActive():
        return
    interface = timeline_interface(widget)
    child = None if interface is None else interface.block_interface(block_id)
    if interface is None or child is None:
        return
    index = interface.indexOfChild(child)
    for kind in (QAccessible.Event.Focus, QAccessible.Event.Selection):
        event = QAccessibleEvent(widget, kind)
        event.setChild(index)
        QAccessible.updateAccessibility(event)


def children_changed(widget: QWidget) -> None:
    """After a relayout: forget blocks that left the day, and say the list changed."""
    interface = timeline_interface(widget)
    if interface is None:
        return
    interface.forget_missing()
    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.ObjectReorder))
