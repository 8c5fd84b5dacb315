"""What a drag on the timeline shows while it lasts and asks to change on release (no Qt).

A drag starts from what the press hit (a block's body or edge, or empty time)
and the wall-clock time under the pointer. Each pointer move gives the wall
time under the pointer and the modifiers held (Alt: no snapping, Shift: push
later blocks, Ctrl: copy); the drag answers with a :class:`DragPreview`: where
the dragged blocks would go and which neighbours they would push. Nothing is
stored here: on release the view turns the last preview into one
:class:`~ml_day.core.editing.PlanEdit`.

Times move by the wall-clock distance the pointer travelled, applied to each
block's real start, so a block that crosses midnight moves as one block
whichever day's part is dragged; durations stay real elapsed time
(:func:`~ml_day.core.editing.moved`), so on a daylight-saving day a block
dragged across the skipped hour ends one real hour after where it lands.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ml_day.core.blocks import (
    MAX_DURATION,
    MIN_DURATION,
    UNCATEGORISED,
    Block,
    BlockDraft,
    Category,
)
from ml_day.core.editing import (
    BlockOperation,
    CreateBlock,
    PlanEdit,
    UpdateBlock,
    describe,
    moved,
    resized,
    ripple,
    snap,
)
from ml_day.core.timemodel import day_end, day_start, format_duration, real_duration

if TYPE_CHECKING:
    from collections.abc import Sequence
    from zoneinfo import ZoneInfo

NEW_BLOCK_ID = 0
"""The id of a block that a drag draws or copies but that is not stored yet."""
NEW_BLOCK_TITLE = "New block"
"""What a block being drawn is called until its title is typed."""
NEW_BLOCK_CATEGORY = UNCATEGORISED
"""The category of blocks created on the timeline."""
FREE_STEP_MINUTES = 1
"""With Alt held, times follow the pointer to the minute."""
PREVIEWS_KEPT = 256
"""Previews a drag remembers, by where it snapped: the pointer often comes back."""


class DragKind(enum.Enum):
    """What a drag does, decided by where it started."""

    MOVE = "move"
    """The body of a block: move it (or the selection it is part of)."""
    RESIZE_START = "resize-start"
    """The top edge of a block: change its start."""
    RESIZE_END = "resize-end"
    """The bottom edge of a block: change its end."""
    CREATE = "create"
    """Empty time: draw a new block."""


@dataclass(frozen=True, slots=True)
class DragModifiers:
    """The keys held during a drag, by what they do."""

    free: bool = False
    """Alt: no snapping."""
    push: bool = False
    """Shift: push later blocks instead of overlapping them."""
    copy: bool = False
    """Ctrl: leave the originals and drop copies."""


@dataclass(frozen=True, slots=True)
class DragPreview:
    """Where things would go if the drag ended now."""

    placed: tuple[Block, ...]
    """The dragged blocks at their new place (ids of the originals; for a copy or
    a block being drawn, :data:`NEW_BLOCK_ID` for anything not stored)."""
    pushed: tuple[Block, ...] = ()
    """Neighbours pushed out of the way, at their new place."""
    copies: bool = False
    """The placed blocks are copies: the originals stay where they are."""
    refusal: str = ""
    """Why the pointer's position is not allowed (the preview then shows the last
    allowed one); empty when it is allowed."""

    @property
    def moved_ids(self) -> frozenset[int]:
        """Stored blocks that this preview shows somewhere else than where they are."""
        ids = {block.id for block in self.pushed}
        if not self.copies:
            ids.update(block.id for block in self.placed)
        ids.discard(NEW_BLOCK_ID)
        return frozenset(ids)


class Drag:
    """One drag from press to release: previews and, at the end, the edit it makes."""

    def __init__(
        self,
        kind: DragKind,
        *,
        day: dt.date,
        zone: ZoneInfo,
        blocks: Sequence[Block],
        press: dt.datetime,
        snap_minutes: int,
        grabbed: int | None = None,
        selection: Sequence[int] = (),
        new_category: Category = NEW_BLOCK_CATEGORY,
    ) -> None:
        """``press`` is the wall time under the press; ``grabbed`` the pressed block
        (None for :attr:`DragKind.CREATE`, which draws a block of ``new_category``);
        a move takes ``selection`` along with it when the grabbed block is part of it."""
        self.kind = kind
        self._day = day
        self._zone = zone
        self._blocks = tuple(blocks)
        self._by_id = {block.id: block for block in self._blocks}
        self._press = press
        self._snap_minutes = snap_minutes
        self._new_category = new_category
        self._grabbed: Block | None = None
        self._dragged: tuple[Block, ...] = ()
        if kind is not DragKind.CREATE:
            if grabbed is None or grabbed not in self._by_id:
                msg = f"a {kind.value} drag needs a grabbed block among the blocks"
                raise ValueError(msg)
            self._grabbed = self._by_id[grabbed]
            others: list[Block] = []
            if kind is DragKind.MOVE and grabbed in selection:
                others = [
                    self._by_id[block_id]
                    for block_id in dict.fromkeys(selection)
                    if block_id != grabbed and block_id in self._by_id
                ]
            self._dragged = (self._grabbed, *others)
        self._modifiers = DragModifiers()
        self._preview = self._initial_preview()
        self._allowed = self._preview
        self._target: tuple[object, DragModifiers] | None = None
        """Where the last :meth:`update` snapped to, with the keys held: a pointer move
        that snaps to the same place changes nothing, and is not worked out again."""
        self._previews: dict[tuple[object, DragModifiers], DragPreview] = {}
        """What each place snapped to, with the keys held, shows (refused or not)."""
        self._status: tuple[DragPreview, DragModifiers, str] | None = None

    # ------------------------------------------------------------ reading
    @property
    def preview(self) -> DragPreview:
        return self._preview

    @property
    def modifiers(self) -> DragModifiers:
        return self._modifiers

    @property
    def grabbed(self) -> Block | None:
        """The pressed block (None when drawing a new one)."""
        return self._grabbed

    @property
    def dragged(self) -> tuple[Block, ...]:
        """The blocks the drag moves or resizes, the grabbed one first."""
        return self._dragged

    @property
    def can_push(self) -> bool:
        """Shift pushes neighbours only when one block is moved."""
        return self.kind is DragKind.MOVE and len(self._dragged) == 1

    # ------------------------------------------------------------ pointer
    def update(self, pointer: dt.datetime, modifiers: DragModifiers) -> DragPreview:
        """Follow the pointer (its wall time on the day) with ``modifiers`` held."""
        self._modifiers = modifiers
        step = FREE_STEP_MINUTES if modifiers.free else self._snap_minutes
        target: object
        if self.kind is DragKind.CREATE:
            target = (step, snap(pointer, step))
        elif self.kind is DragKind.MOVE:
            target = self._move_start(pointer - self._press, step)
        else:
            target = self._resized_edge(pointer - self._press, step)
        key = (target, modifiers)
        if self._target == key:
            return self._preview
        self._target = key
        preview = self._previews.get(key)
        if preview is None:
            if self.kind is DragKind.CREATE:
                preview = self._create(pointer, step)
            elif self.kind is DragKind.MOVE:
                assert isinstance(target, dt.datetime)
                preview = self._move(target, modifiers)
            else:
                assert isinstance(target, dt.datetime)
                preview = self._resize(target)
            if len(self._previews) >= PREVIEWS_KEPT:
                self._previews.clear()
            self._previews[key] = preview
        if preview.refusal:
            preview = replace(self._allowed, refusal=preview.refusal)
        else:
            self._allowed = preview
        self._preview = preview
        return preview

    def edit(self) -> PlanEdit | None:
        """The edit the drag makes if released now; None if it changes nothing.

        A drag that draws a new block makes no edit here: the block is created
        once its title is typed (see :meth:`created_span`).
        """
        preview = self._preview
        if self.kind is DragKind.CREATE:
            return None
        operations: list[BlockOperation] = []
        if preview.copies:
            operations.extend(
                CreateBlock(block.draft())
                for block, original in zip(preview.placed, self._dragged, strict=True)
                if _span(block) != _span(original)
            )
        else:
            operations.extend(
                UpdateBlock(block.id, block.draft())
                for block in preview.placed
                if _span(block) != _span(self._by_id[block.id])
            )
        if not operations:
            return None
        operations.extend(UpdateBlock(block.id, block.draft()) for block in preview.pushed)
        verb = {
            DragKind.MOVE: "Copy" if preview.copies else "Move",
            DragKind.RESIZE_START: "Resize",
            DragKind.RESIZE_END: "Resize",
        }[self.kind]
        return PlanEdit(describe(verb, self._dragged), tuple(operations))

    def created_span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """Start and end of the block being drawn (None for other drags)."""
        if self.kind is not DragKind.CREATE:
            return None
        (block,) = self._preview.placed
        return block.start, block.end

    def status(self) -> str:
        """A one-line hint for the status bar: what the drag does and what the keys do."""
        preview, held = self._preview, self._modifiers
        cached = self._status
        if cached is not None and cached[0] is preview and cached[1] == held:
            return cached[2]
        text = self._status_text(preview, held)
        self._status = (preview, held, text)
        return text

    def _status_text(self, preview: DragPreview, held: DragModifiers) -> str:
        if preview.refusal:
            return preview.refusal
        (first, *rest) = preview.placed
        if self.kind is DragKind.CREATE:
            what = f"New block {_when(first, self._zone, always_duration=True)}"
        elif self.kind is DragKind.MOVE:
            verb = "Copying" if preview.copies else "Moving"
            when = _when(first, self._zone, always_duration=False)
            if rest:
                what = f"{verb} {len(preview.placed)} blocks ({first.title} {when})"
            else:
                what = f"{verb} {first.title} {when}"
        else:
            what = f"Resizing {first.title} {_when(first, self._zone, always_duration=True)}"
        parts = [what, "not snapping (Alt)" if held.free else "Alt: no snapping"]
        if self.can_push:
            if held.push:
                count = len(preview.pushed)
                pushing = "pushing 1 later block" if count == 1 else f"pushing {count} later blocks"
                parts.append(f"{pushing} (Shift)")
            else:
                parts.append("Shift: push later blocks")
        if self.kind is DragKind.MOVE:
            parts.append("copy (Ctrl)" if held.copy else "Ctrl: copy")
        return " · ".join(parts)

    # ------------------------------------------------------------ the kinds of drag
    def _initial_preview(self) -> DragPreview:
        if self.kind is DragKind.CREATE:
            return self._create(self._press, self._snap_minutes)
        return DragPreview(self._dragged)

    def _create(self, pointer: dt.datetime, step: int) -> DragPreview:
        anchor, reach = snap(self._press, step), snap(pointer, step)
        start, end = min(anchor, reach), max(anchor, reach)
        if end - start < MIN_DURATION:
            if reach < anchor:
                start = end - MIN_DURATION
            else:
                end = start + MIN_DURATION
        opens, closes = day_start(self._day), day_end(self._day)
        if start < opens:
            start, end = opens, opens + max(end - start, MIN_DURATION)
        if end > closes:
            start, end = closes - max(end - start, MIN_DURATION), closes
        return DragPreview((new_block(start, end, category=self._new_category),))

    def _move_start(self, delta: dt.timedelta, step: int) -> dt.datetime:
        """Where the grabbed block starts when the pointer moved by ``delta``."""
        grabbed = self._grabbed
        assert grabbed is not None
        start = snap(grabbed.start + delta, step)
        # Keep part of the grabbed block on the day, whatever the pointer did.
        length = grabbed.end - grabbed.start
        lowest = day_start(self._day) - length + MIN_DURATION
        highest = day_end(self._day) - MIN_DURATION
        return _aligned_clamp(start, lowest, highest, step)

    def _move(self, start: dt.datetime, modifiers: DragModifiers) -> DragPreview:
        grabbed = self._grabbed
        assert grabbed is not None
        shift = start - grabbed.start
        placed = tuple(
            _with_draft(block, moved(block, block.start + shift, self._zone))
            for block in self._dragged
        )
        copies = modifiers.copy
        if copies:
            placed = tuple(replace(block, id=NEW_BLOCK_ID, done=False) for block in placed)
        if not (modifiers.push and self.can_push) or shift == dt.timedelta(0):
            return DragPreview(placed, copies=copies)
        (landing,) = placed
        pusher = landing if copies else grabbed
        moves = ripple(self._blocks, pusher, landing.draft())
        if moves is None:
            blocker = fixed_in_the_way(self._blocks, pusher, landing.draft())
            reason = "a fixed block is in the way"
            if blocker is not None:
                reason = f"{blocker.title} at {blocker.start:%H:%M} is fixed"
            return DragPreview(placed, copies=copies, refusal=f"No room to push: {reason}")
        pushed = tuple(_with_draft(block, draft) for block, draft in moves)
        return DragPreview(placed, pushed, copies=copies)

    def _resized_edge(self, delta: dt.timedelta, step: int) -> dt.datetime:
        """Where the grabbed edge goes when the pointer moved by ``delta``."""
        block = self._grabbed
        assert block is not None
        if self.kind is DragKind.RESIZE_START:
            return max(snap(block.start + delta, step), block.end - MAX_DURATION)
        return min(snap(block.end + delta, step), block.start + MAX_DURATION)

    def _resize(self, edge: dt.datetime) -> DragPreview:
        block = self._grabbed
        assert block is not None
        if self.kind is DragKind.RESIZE_START:
            draft = resized(block, start=edge)
        else:
            draft = resized(block, end=edge)
        return DragPreview((_with_draft(block, draft),))


def new_block(
    start: dt.datetime,
    end: dt.datetime,
    title: str = NEW_BLOCK_TITLE,
    category: Category = NEW_BLOCK_CATEGORY,
) -> Block:
    """A block that is drawn but not stored yet."""
    return Block(id=NEW_BLOCK_ID, title=title, category=category, start=start, end=end)


def fixed_in_the_way(blocks: Sequence[Block], dragged: Block, placed: BlockDraft) -> Block | None:
    """The fixed block that :func:`~ml_day.core.editing.ripple` would have to move
    to place ``dragged`` at ``placed`` (None if there is none)."""
    cursor = placed.end
    for block in sorted(
        (b for b in blocks if b.id != dragged.id), key=lambda b: (b.start, b.end, b.id)
    ):
        if block.start < placed.start or block.start >= cursor:
            continue
        if block.fixed:
            return block
        cursor += block.end - block.start
    return None


def _with_draft(block: Block, draft: BlockDraft) -> Block:
    return replace(block, start=draft.start, end=draft.end)


def _span(block: Block) -> tuple[dt.datetime, dt.datetime]:
    return block.start, block.end


def _when(block: Block, zone: ZoneInfo, *, always_duration: bool) -> str:
    start, end = block.start, block.end
    # Not strftime: it imports a module at each call, which is slow under Qt.
    text = f"{start.hour:02d}:{start.minute:02d}\u2013{end.hour:02d}:{end.minute:02d}"
    real = remembered_real_duration(start, end, zone)
    if always_duration or real != block.end - block.start:
        text += f" ({format_duration(real)})"
    return text


@functools.lru_cache(maxsize=256)
def remembered_real_duration(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> dt.timedelta:
    """:func:`~ml_day.core.timemodel.real_duration`, remembered: a drag shows the
    same spans again and again, in its status line and in the block it previews."""
    return real_duration(start, end, zone)


def _aligned_clamp(
    value: dt.datetime, lowest: dt.datetime, highest: dt.datetime, step_minutes: int
) -> dt.datetime:
    """``value`` kept within [``lowest``, ``highest``], on the snap grid where it can be."""
    if value < lowest:
        return _on_grid(lowest, step_minutes, up=True)
    if value > highest:
        return _on_grid(highest, step_minutes, up=False)
    return value


def _on_grid(wall: dt.datetime, step_minutes: int, *, up: bool) -> dt.datetime:
    """The multiple of ``step_minutes`` past midnight at or after (``up``) or before ``wall``."""
    midnight = day_start(wall.date())
    steps = (wall - midnight) / dt.timedelta(minutes=step_minutes)
    whole = math.ceil(steps) if up else math.floor(steps)
    return midnight + dt.timedelta(minutes=whole * step_minutes)
