"""Edits of the plan as values: what a gesture or a command asks to change.

Every edit (a drag, a resize, a push, a deletion, a typed change) becomes one
:class:`PlanEdit`: a description for the Undo menu and the operations to apply
in one transaction. The functions here compute the new positions; nothing is
stored until the persistence layer applies the edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from ml_day.core.blocks import MAX_DURATION, MIN_DURATION, Block, BlockDraft, PlanError
from ml_day.core.timemodel import (
    ONE_DAY,
    ClockChangeKind,
    clock_changes,
    day_end,
    real_duration,
    to_instant,
    to_wall,
)

SNAP_STEPS_MINUTES = (5, 10, 15, 30)
DEFAULT_SNAP_MINUTES = 5


# ---------------------------------------------------------------- operations
@dataclass(frozen=True, slots=True)
class CreateBlock:
    draft: BlockDraft
    uid: str = ""
    """The new block's identity; empty for a fresh one (an imported event keeps its own)."""


@dataclass(frozen=True, slots=True)
class UpdateBlock:
    block_id: int
    draft: BlockDraft


@dataclass(frozen=True, slots=True)
class DeleteBlock:
    block_id: int


@dataclass(frozen=True, slots=True)
class RestoreBlock:
    """Put back a deleted block with its id and identity (undo of a deletion)."""

    block: Block


@dataclass(frozen=True, slots=True)
class SetDone:
    block_id: int
    done: bool


BlockOperation = CreateBlock | UpdateBlock | DeleteBlock | RestoreBlock | SetDone


@dataclass(frozen=True, slots=True)
class PlanEdit:
    """One user-visible edit: applied, undone and redone as a whole."""

    description: str
    """For the Edit menu: "Undo Move Lunch"."""
    operations: tuple[BlockOperation, ...]


@dataclass(frozen=True, slots=True)
class AppliedEdit:
    """What applying a :class:`PlanEdit` did, block by block, in operation order."""

    edit: PlanEdit
    before: tuple[Block | None, ...]
    """Each operation's block before it (None for a creation)."""
    after: tuple[Block | None, ...]
    """Each operation's block after it (None for a deletion)."""

    def inverse(self) -> PlanEdit:
        """The edit that undoes this one (operations reversed)."""
        undo: list[BlockOperation] = []
        for before, after in zip(reversed(self.before), reversed(self.after), strict=True):
            if before is None and after is not None:
                undo.append(DeleteBlock(after.id))
            elif before is not None and after is None:
                undo.append(RestoreBlock(before))
            elif before is not None and after is not None:
                # Only what changed is put back: an update also fills its
                # days from the template, which undoing "Mark done" must not.
                done_changed = before.done != after.done
                if before.draft() != after.draft() or not done_changed:
                    undo.append(UpdateBlock(before.id, before.draft()))
                if done_changed:
                    undo.append(SetDone(before.id, before.done))
        return PlanEdit(self.edit.description, tuple(undo))

    def redo(self) -> PlanEdit:
        """The edit that does this one again, keeping the ids of created blocks."""
        again: list[BlockOperation] = []
        for operation, after in zip(self.edit.operations, self.after, strict=True):
            if isinstance(operation, CreateBlock) and after is not None:
                again.append(RestoreBlock(after))
            else:
                again.append(operation)
        return PlanEdit(self.edit.description, tuple(again))

    @property
    def days(self) -> set[dt.date]:
        """The days whose view this edit changed."""
        touched: set[dt.date] = set()
        for block in (*self.before, *self.after):
            if block is not None:
                touched.update(days_of(block))
        return touched


def days_of(block: Block | BlockDraft) -> list[dt.date]:
    """The days a block shows on (two for one that crosses midnight)."""
    days = [block.start.date()]
    last = (block.end - dt.timedelta(microseconds=1)).date()
    while days[-1] < last:
        days.append(days[-1] + dt.timedelta(days=1))
    return days


# ---------------------------------------------------------------- geometry
def snap(wall: dt.datetime, step_minutes: int) -> dt.datetime:
    """``wall`` rounded to the nearest multiple of ``step_minutes`` past midnight."""
    if step_minutes <= 0:
        return wall.replace(second=0, microsecond=0)
    midnight = dt.datetime.combine(wall.date(), dt.time(0, 0))
    minutes = (wall - midnight).total_seconds() / 60
    snapped = round(minutes / step_minutes) * step_minutes
    return midnight + dt.timedelta(minutes=snapped)


def with_span(block: Block | BlockDraft, start: dt.datetime, end: dt.datetime) -> BlockDraft:
    draft = block.draft() if isinstance(block, Block) else block
    return replace(draft, start=start, end=end)


def moved(block: Block, new_start: dt.datetime, zone: ZoneInfo) -> BlockDraft:
    """``block`` starting at ``new_start`` and lasting the same real time.

    On a daylight-saving day the wall-clock length changes: a one-hour block
    dragged across the skipped hour spans two wall hours, and its end lands
    where one real hour after its start is.

    Where no wall time names the real end (it falls in the second pass of a
    repeated hour, and a repeated wall time means its first pass), the block
    ends when the repeated hour is over. The result is always a valid span: at
    least the minimum length (a block inside a skipped hour lasts no real
    time) and at most the maximum.
    """
    duration = real_duration(block.start, block.end, zone)
    # Aware arithmetic in a zone is wall-clock arithmetic: add in UTC.
    end_instant = to_instant(new_start, zone).astimezone(dt.UTC) + duration
    end = to_wall(end_instant, zone)
    if to_instant(end, zone).astimezone(dt.UTC) < end_instant:
        end = _end_of_repeated_span(end, zone)
    end = min(max(end, new_start + MIN_DURATION), new_start + MAX_DURATION)
    return with_span(block, new_start, end)


def _end_of_repeated_span(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The first wall time after the repeated span holding ``wall``."""
    for day in (wall.date() - ONE_DAY, wall.date()):
        for change in clock_changes(day, zone):
            if change.kind is ClockChangeKind.REPEATED and (
                change.wall_start <= wall < change.wall_end
            ):
                return change.wall_end
    return wall


def resized(
    block: Block, *, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> BlockDraft:
    """``block`` with a new start or end, never shorter than the minimum length."""
    new_start = block.start if start is None else start
    new_end = block.end if end is None else end
    if start is not None and new_end - new_start < MIN_DURATION:
        new_start = new_end - MIN_DURATION
    if end is not None and new_end - new_start < MIN_DURATION:
        new_end = new_start + MIN_DURATION
    return with_span(block, new_start, new_end)


def duplicated(block: Block) -> BlockDraft:
    """A copy of ``block`` placed right after it."""
    length = block.end - block.start
    return with_span(block, block.end, block.end + length)


def overlaps(a: Block | BlockDraft, b: Block | BlockDraft) -> bool:
    return a.start < b.end and b.start < a.end


# ---------------------------------------------------------------- pushing
@dataclass(frozen=True, slots=True)
class PushResult:
    moves: tuple[tuple[Block, BlockDraft], ...]
    """Each pushed block and where it goes."""
    minutes: int
    """How far they move: the minutes asked for, or fewer if a fixed block is in the way."""
    stopped_by: Block | None
    """The fixed (or next-day) block that limited the push, if any."""


def push_rest_of_day(blocks: Sequence[Block], after: Block, minutes: int) -> PushResult:
    """Shift the flexible blocks after ``after`` later by ``minutes``, up to the
    next fixed block and within ``after``'s day.

    Durations are kept and fixed blocks never move. If moving by ``minutes``
    would make a pushed block overlap a block that stays put (the fixed block
    that ends the run, or the next day's first block), the push is shortened to
    the room there is, so that it never creates an overlap.
    """
    if minutes <= 0:
        raise PlanError("push by a positive number of minutes")
    later = sorted(
        (b for b in blocks if b.id != after.id and b.start >= after.start), key=_time_order
    )
    closes = day_end(after.start.date())
    pushed: list[Block] = []
    for block in later:
        if block.fixed or block.start >= closes:
            break
        if block.start < after.start or (block.start == after.start and block.id < after.id):
            continue
        pushed.append(block)
    pushed_ids = {block.id for block in pushed}
    staying = [b for b in blocks if b.id not in pushed_ids and b.id != after.id]
    room = minutes
    stopped_by: Block | None = None
    for block in pushed:
        for other in staying:
            if other.start >= block.end and not overlaps(block, other):
                gap = int((other.start - block.end).total_seconds() // 60)
                if gap < room:
                    room, stopped_by = gap, other
    delta = dt.timedelta(minutes=room)
    moves = tuple((b, with_span(b, b.start + delta, b.end + delta)) for b in pushed) if room else ()
    return PushResult(moves, room, stopped_by if room < minutes else None)


def ripple(
    blocks: Sequence[Block], dragged: Block, placed: BlockDraft
) -> tuple[tuple[Block, BlockDraft], ...] | None:
    """Neighbours pushed later by ``dragged`` placed at ``placed`` (Shift-drag).

    Each flexible block that would overlap what comes before it moves to start
    where that ends, keeping its duration. Returns None when a fixed block
    would have to move: that position is not allowed.
    """
    cursor = placed.end
    moves: list[tuple[Block, BlockDraft]] = []
    for block in sorted((b for b in blocks if b.id != dragged.id), key=_time_order):
        if block.start < placed.start or block.start >= cursor:
            continue
        if block.fixed:
            return None
        length = block.end - block.start
        moves.append((block, with_span(block, cursor, cursor + length)))
        cursor += length
    return tuple(moves)


def _time_order(block: Block) -> tuple[dt.datetime, dt.datetime, int]:
    return (block.start, block.end, block.id)


def describe(verb: str, blocks: Iterable[Block | BlockDraft]) -> str:
    """ "Move Lunch with the team", "Move 3 blocks"."""
    items = list(blocks)
    if len(items) == 1:
        title = items[0].title
        return f"{verb} {title if len(title) <= 40 else title[:39] + '…'}"
    return f"{verb} {len(items)} blocks"
