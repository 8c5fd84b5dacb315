"""What an import will do, before it does it: the preview and the one edit.

Every event of the file lands in one of four piles: blocks to add, stored
blocks to change (same UID, different content), stored blocks that are
already the same, and what is skipped, each with a reason. Nothing is written
here; :meth:`ImportPlan.edit` is the one undoable
:class:`~ml_day.core.editing.PlanEdit` the caller applies once the user
agrees.

An import never deletes a stored block, and updates only what the file
says: a block updated from another calendar keeps the flags ML Day gives it
(fixed, notifications, deadline) and its category when the event names none.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ml_day.core.blocks import Block, BlockDraft
from ml_day.core.editing import BlockOperation, CreateBlock, PlanEdit, UpdateBlock, days_of
from ml_day.interchange.events import EventsRead, ImportedEvent

MAX_EDIT_TITLE = 40


class Action(enum.Enum):
    ADD = "add"
    CHANGE = "change"
    SAME = "unchanged"
    SKIP = "skip"


@dataclass(frozen=True, slots=True)
class ImportItem:
    """One line of the preview."""

    action: Action
    title: str
    """The block's title, or for a skipped part what it was."""
    detail: str = ""
    """What changes, or why it is skipped."""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    draft: BlockDraft | None = None
    uid: str = ""
    block_id: int | None = None
    """The stored block an update applies to."""

    def when(self) -> str:
        """ "Sun 29 Mar 2026 10:00-11:00" (with the end's day when it is another)."""
        if self.start is None or self.end is None:
            return ""
        same_day = self.end.date() == self.start.date()
        end = f"{self.end:%H:%M}" if same_day else f"{self.end:%a %H:%M}"
        return f"{self.start:%a %d %b %Y %H:%M}–{end}"


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What importing one file will do."""

    source: str
    """The file's name, for messages and the Undo menu."""
    items: tuple[ImportItem, ...]
    first_day: dt.date
    last_day: dt.date
    """The days over which repeating events were expanded."""
    whole_days: tuple[dt.date, ...] = ()
    """Days the file holds whole (written by ML Day): if never filled here,
    they get the file's blocks and not the template's."""

    def of(self, action: Action) -> list[ImportItem]:
        return [item for item in self.items if item.action is action]

    def count(self, action: Action) -> int:
        return len(self.of(action))

    @property
    def has_changes(self) -> bool:
        """Whether applying it would store anything."""
        return any(item.action in {Action.ADD, Action.CHANGE} for item in self.items)

    def summary(self) -> str:
        """ "3 to add, 1 to change, 2 already the same, 4 skipped"."""
        parts = [
            f"{self.count(Action.ADD)} to add",
            f"{self.count(Action.CHANGE)} to change",
        ]
        if self.count(Action.SAME):
            parts.append(f"{self.count(Action.SAME)} already the same")
        parts.append(f"{self.count(Action.SKIP)} skipped")
        return ", ".join(parts)

    def done_summary(self) -> str:
        """ "added 3, changed 1, unchanged 2, skipped 4" (after applying it)."""
        return (
            f"added {self.count(Action.ADD)}, changed {self.count(Action.CHANGE)}, "
            f"unchanged {self.count(Action.SAME)}, skipped {self.count(Action.SKIP)}"
        )

    def edit(self) -> PlanEdit:
        """The one edit that does it all (undone as a whole)."""
        operations: list[BlockOperation] = []
        for item in self.items:
            if item.draft is None:
                continue
            if item.action is Action.ADD:
                operations.append(CreateBlock(item.draft, item.uid))
            elif item.action is Action.CHANGE and item.block_id is not None:
                operations.append(UpdateBlock(item.block_id, item.draft))
        name = self.source if len(self.source) <= MAX_EDIT_TITLE else self.source[:39] + "…"
        return PlanEdit(f"Import {name}", tuple(operations))


def plan_import(
    read: EventsRead,
    stored: Mapping[str, Block],
    *,
    source: str,
    whole_days: bool = False,
) -> ImportPlan:
    """The plan for importing ``read`` into a plan whose blocks with the file's
    UIDs are ``stored`` (by UID).

    ``whole_days`` says the file holds whole days (ML Day wrote it).
    """
    items: list[ImportItem] = []
    days: set[dt.date] = set()
    for event in read.events:
        block = stored.get(event.uid)
        if block is None:
            items.append(_item(Action.ADD, event.draft, event.uid))
            days.update(days_of(event.draft))
            continue
        draft = _updated(block, event)
        if draft == block.draft():
            items.append(_item(Action.SAME, draft, event.uid, block.id))
        else:
            items.append(
                _item(Action.CHANGE, draft, event.uid, block.id, _differences(block.draft(), draft))
            )
    items.extend(
        ImportItem(Action.SKIP, title=_capitalised(skipped.what), detail=skipped.reason)
        for skipped in read.skipped
    )
    return ImportPlan(
        source=source,
        items=tuple(items),
        first_day=read.first_day,
        last_day=read.last_day,
        whole_days=tuple(sorted(days)) if whole_days else (),
    )


def _item(
    action: Action,
    draft: BlockDraft,
    uid: str,
    block_id: int | None = None,
    detail: str = "",
) -> ImportItem:
    return ImportItem(
        action=action,
        title=draft.title,
        detail=detail or draft.category,
        start=draft.start,
        end=draft.end,
        draft=draft,
        uid=uid,
        block_id=block_id,
    )


def _updated(block: Block, event: ImportedEvent) -> BlockDraft:
    """The stored block with what the file says of it."""
    current = block.draft()
    return replace(
        event.draft,
        category=event.category if event.category is not None else current.category,
        fixed=event.fixed if event.fixed is not None else current.fixed,
        notify=event.notify if event.notify is not None else current.notify,
        deadline=event.deadline if event.deadline is not None else current.deadline,
    )


def _differences(old: BlockDraft, new: BlockDraft) -> str:
    """ "time Sun 10:00-11:00 → Sun 10:30-11:30; title; notes"."""
    changes: list[str] = []
    if (old.start, old.end) != (new.start, new.end):
        changes.append(f"time {_span(old)} → {_span(new)}")
    if old.title != new.title:
        changes.append(f"title (was {old.title!r})" if len(old.title) <= 40 else "title")
    if old.category != new.category:
        changes.append(f"category {old.category} → {new.category}")
    if old.notes != new.notes:
        changes.append("notes")
    flags = [
        name
        for name, before, after in (
            ("fixed", old.fixed, new.fixed),
            ("notifications", old.notify, new.notify),
            ("deadline", old.deadline, new.deadline),
        )
        if before != after
    ]
    if flags:
        changes.append(", ".join(flags))
    return "; ".join(changes)


def _span(draft: BlockDraft) -> str:
    if draft.start.date() == draft.end.date():
        return f"{draft.start:%a %H:%M}–{draft.end:%H:%M}"
    return f"{draft.start:%a %H:%M}–{draft.end:%a %H:%M}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def report_lines(plan: ImportPlan, *, include_same: bool = True) -> list[str]:
    """The plan as text, one line per item, for the command line."""
    width = max(len(action.value) for action in Action)
    lines: list[str] = []
    for item in plan.items:
        if item.action is Action.SAME and not include_same:
            continue
        label = item.action.value.ljust(width)
        if item.action is Action.SKIP:
            lines.append(f"{label}  {item.title}: {item.detail}")
        else:
            lines.append(f"{label}  {item.when()}  {item.title}  ({item.detail})")
    return lines
