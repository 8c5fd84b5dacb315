"""The edits the timeline's keys and context menu make to the selected blocks (no Qt).

Each function returns one :class:`~ml_day.core.editing.PlanEdit` (or None when
there is nothing to do), named for the Undo menu, and stores nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ml_day.core.blocks import BlockDraft
from ml_day.core.editing import (
    CreateBlock,
    DeleteBlock,
    PlanEdit,
    SetDone,
    UpdateBlock,
    describe,
    duplicated,
    moved,
    push_rest_of_day,
    resized,
)
from ml_day.gui.timeline.drag import NEW_BLOCK_CATEGORY

if TYPE_CHECKING:
    from collections.abc import Sequence
    from zoneinfo import ZoneInfo

    from ml_day.core.blocks import Block

PUSH_CHOICES_MINUTES = (5, 15, 30, 60)
"""What the context menu offers for "Push the rest of the day"."""


def create_edit(
    title: str, start: dt.datetime, end: dt.datetime, category: str = NEW_BLOCK_CATEGORY.name
) -> PlanEdit:
    """Create a block titled ``title`` (the store cleans and checks the title)."""
    draft = BlockDraft(title=title, category=category, start=start, end=end)
    return PlanEdit(describe("Create", [draft]), (CreateBlock(draft),))


def nudge_edit(blocks: Sequence[Block], minutes: int, zone: ZoneInfo) -> PlanEdit | None:
    """Move ``blocks`` by ``minutes`` (earlier when negative), keeping their real durations."""
    if not blocks or minutes == 0:
        return None
    delta = dt.timedelta(minutes=minutes)
    operations = tuple(
        UpdateBlock(block.id, moved(block, block.start + delta, zone)) for block in blocks
    )
    return PlanEdit(describe("Move", blocks), operations)


def stretch_edit(blocks: Sequence[Block], minutes: int) -> PlanEdit | None:
    """Move the end of ``blocks`` by ``minutes``, never below the minimum length."""
    operations = []
    for block in blocks:
        draft = resized(block, end=block.end + dt.timedelta(minutes=minutes))
        if draft.end != block.end:
            operations.append(UpdateBlock(block.id, draft))
    if not operations:
        return None
    return PlanEdit(describe("Resize", blocks), tuple(operations))


def delete_edit(blocks: Sequence[Block]) -> PlanEdit | None:
    if not blocks:
        return None
    return PlanEdit(describe("Delete", blocks), tuple(DeleteBlock(block.id) for block in blocks))


def duplicate_edit(blocks: Sequence[Block]) -> PlanEdit | None:
    """A copy of each block, right after it."""
    if not blocks:
        return None
    operations = tuple(CreateBlock(duplicated(block)) for block in blocks)
    return PlanEdit(describe("Duplicate", blocks), operations)


def done_edit(blocks: Sequence[Block], *, done: bool) -> PlanEdit | None:
    """Mark ``blocks`` done (or not done); None if all of them already are."""
    changing = [block for block in blocks if block.done != done]
    if not changing:
        return None
    verb = "Mark done" if done else "Mark not done"
    return PlanEdit(describe(verb, changing), tuple(SetDone(block.id, done) for block in changing))


@dataclass(frozen=True, slots=True)
class PushOutcome:
    """What "Push the rest of the day" would do, and what to tell the user."""

    edit: PlanEdit | None
    """None when nothing can move."""
    message: str
    """Why the push is shorter than asked or impossible; empty when it is as asked."""


def push_edit(blocks: Sequence[Block], after: Block, minutes: int) -> PushOutcome:
    """Push the flexible blocks after ``after`` later by ``minutes``, up to the next
    fixed block (:func:`~ml_day.core.editing.push_rest_of_day`)."""
    result = push_rest_of_day(blocks, after, minutes)
    if not result.moves:
        return PushOutcome(None, _nothing_to_push(blocks, after, result.stopped_by))
    count = len(result.moves)
    noun = "1 block" if count == 1 else f"{count} blocks"
    edit = PlanEdit(
        f"Push {noun} by {result.minutes} min",
        tuple(UpdateBlock(block.id, draft) for block, draft in result.moves),
    )
    message = ""
    if result.stopped_by is not None:
        message = f"Pushed by {result.minutes} min only: {_in_the_way(result.stopped_by)}"
    return PushOutcome(edit, message)


def _nothing_to_push(blocks: Sequence[Block], after: Block, stopped_by: Block | None) -> str:
    if stopped_by is not None:
        return f"No room to push: {_in_the_way(stopped_by)}"
    later = sorted(
        (b for b in blocks if b.id != after.id and b.start >= after.start),
        key=lambda b: (b.start, b.end, b.id),
    )
    if later and later[0].fixed:
        return f"No room to push: {_in_the_way(later[0])}"
    return f"Nothing to push after {after.title}"


def _in_the_way(block: Block) -> str:
    reason = "is fixed" if block.fixed else "is in the way"
    return f"{block.title} at {block.start:%H:%M} {reason}"
