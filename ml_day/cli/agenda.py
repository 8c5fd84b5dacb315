"""``ml-day agenda``: a day's blocks as text or JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from ml_day.core.blocks import Block
from ml_day.core.days import segments_for_day
from ml_day.core.timemodel import clock_changes, format_duration, real_duration, to_instant


def block_as_json(block: Block, zone: ZoneInfo) -> dict[str, Any]:
    """The JSON object for one block; ``start``/``end`` are real instants with offset."""
    return {
        "id": block.id,
        "uid": block.uid,
        "title": block.title,
        "category": block.category.name,
        "colour": block.category.colour,
        "start": to_instant(block.start, zone).isoformat(),
        "end": to_instant(block.end, zone).isoformat(),
        "wall_start": block.start.isoformat(timespec="minutes"),
        "wall_end": block.end.isoformat(timespec="minutes"),
        "duration_minutes": round(real_duration(block.start, block.end, zone).total_seconds() / 60),
        "notes": block.notes,
        "fixed": block.fixed,
        "notify": block.notify,
        "deadline": block.deadline,
        "done": block.done,
    }


def agenda_json(
    blocks: Sequence[Block], day: dt.date, zone: ZoneInfo, *, ascii_only: bool = False
) -> str:
    """The day as JSON; ``ascii_only`` escapes every other character (``\\u00e9``),
    for output that cannot carry them."""
    import json  # noqa: PLC0415 - only for --json: the text agenda starts faster without it

    ordered = [segment.block for segment in segments_for_day(blocks, day)]
    return json.dumps(
        [block_as_json(block, zone) for block in ordered], ensure_ascii=ascii_only, indent=2
    )


def agenda_text(blocks: Sequence[Block], day: dt.date, zone: ZoneInfo) -> str:
    lines = [f"{day:%A} {day.day} {day:%B %Y}"]
    lines.extend(f"  ! {change.describe()}" for change in clock_changes(day, zone))
    segments = segments_for_day(blocks, day)
    if not segments:
        lines.append("  (no blocks)")
    id_width = max((len(str(segment.block.id)) for segment in segments), default=1)
    category_width = max((len(segment.block.category.name) for segment in segments), default=1)
    for segment in segments:
        block = segment.block
        span = f"{block.start:%H:%M}-{block.end:%H:%M}"
        notes = []
        if segment.continues_from_previous_day:
            notes.append(f"from {block.start:%a}")
        if segment.continues_to_next_day:
            notes.append(f"until {block.end:%a}")
        if block.done:
            notes.append("done")
        suffix = f"  ({', '.join(notes)})" if notes else ""
        length = format_duration(real_duration(block.start, block.end, zone))
        lines.append(
            f"  {block.id:>{id_width}}  {span}  {length:>10}  "
            f"{block.category.name:<{category_width}}  {block.title}{suffix}"
        )
    return "\n".join(lines)
