"""Database records to domain values, shared by the ORM and the quick read path.

Standard library only: the quick read path must not pull in the ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ml_day.core.blocks import Block, Category

# The columns, in this order, that both read paths select for a block.
BLOCK_COLUMNS = (
    "block.id",
    "block.uid",
    "block.title",
    "block.start",
    'block."end"',
    "block.notes",
    "block.fixed",
    "block.notify",
    "block.deadline",
    "block.done",
    "block.actual_start",
    "block.actual_end",
    "category.id",
    "category.name",
    "category.colour",
    "category.silent",
    "category.pre_alert_minutes",
)


def stored_datetime(value: dt.datetime) -> str:
    """A wall-clock time as the database stores it (SQLAlchemy's SQLite format)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def stored_date(value: dt.date) -> str:
    return value.isoformat()


def _datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _optional_datetime(value: object) -> dt.datetime | None:
    return None if value is None else _datetime(value)


def block_from_record(record: Sequence[object]) -> Block:
    """A :class:`Block` from a row selected with :data:`BLOCK_COLUMNS`."""
    (
        block_id, uid, title, start, end, notes, fixed, notify, deadline, done,
        actual_start, actual_end, category_id, name, colour, silent, pre_alert,
    ) = record  # fmt: skip
    category = Category(
        id=int(str(category_id)),
        name=str(name),
        colour=str(colour),
        silent=bool(silent),
        pre_alert_minutes=int(str(pre_alert)),
    )
    return Block(
        id=int(str(block_id)),
        uid=str(uid),
        title=str(title),
        category=category,
        start=_datetime(start),
        end=_datetime(end),
        notes=str(notes),
        fixed=bool(fixed),
        notify=bool(notify),
        deadline=bool(deadline),
        done=bool(done),
        actual_start=_optional_datetime(actual_start),
        actual_end=_optional_datetime(actual_end),
    )


def day_query_bounds(day: dt.date) -> tuple[str, str, str]:
    """``(earliest start, start before, end after)`` selecting the blocks that touch
    ``day``: blocks last at most 24 hours, so they start at most a day earlier,
    which keeps the query on the start index."""
    opens = dt.datetime.combine(day, dt.time(0, 0))
    return (
        stored_datetime(opens - dt.timedelta(days=1)),
        stored_datetime(opens + dt.timedelta(days=1)),
        stored_datetime(opens),
    )


DAY_BLOCKS_SQL = (
    f"SELECT {', '.join(BLOCK_COLUMNS)} FROM block "
    "JOIN category ON category.id = block.category_id "
    'WHERE block.start >= ? AND block.start < ? AND block."end" > ? '
    'ORDER BY block.start, block."end", block.id'
)
"""The day query, in SQLite's own dialect, with ``?`` for :func:`day_query_bounds`."""
