"""What importing a calendar file needs from the database, beyond the edit itself.

* the stored blocks with the file's UIDs, wherever they are now (the user may
  have moved an imported block to another day), so that a re-import updates
  them instead of adding them twice;
* marking the days a file written by ML Day holds whole as the user's
  *before* the import's edit, so that the template does not fill them too
  (and taking that back if the edit then fails).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlmodel import col, select

from ml_day.core.blocks import Block
from ml_day.core.editing import AppliedEdit, PlanEdit
from ml_day.persistence.database import Database
from ml_day.persistence.repository import PlanRepository, block_from_rows
from ml_day.persistence.schema import BlockRow, CategoryRow, DayRow

_CHUNK = 500
"""UIDs per query: well below SQLite's limit on bound parameters."""


def blocks_by_uid(database: Database, uids: Iterable[str]) -> dict[str, Block]:
    """The stored blocks whose UID is among ``uids``, by UID."""
    wanted = sorted(set(uids))
    found: dict[str, Block] = {}
    with database.transaction() as session:
        for first in range(0, len(wanted), _CHUNK):
            chunk = wanted[first : first + _CHUNK]
            statement = (
                select(BlockRow, CategoryRow)
                .join(CategoryRow, col(CategoryRow.id) == col(BlockRow.category_id))
                .where(col(BlockRow.uid).in_(chunk))
            )
            for row, category in session.exec(statement):
                found[row.uid] = block_from_rows(row, category)
    return found


def mark_days_as_users(database: Database, days: Sequence[dt.date]) -> list[dt.date]:
    """Record the never-filled days among ``days`` as the user's, without the
    template; returns those (for :func:`forget_marked_days`)."""
    marked: list[dt.date] = []
    with database.transaction() as session:
        for day in sorted(set(days)):
            if session.get(DayRow, day) is None:
                session.add(DayRow(date=day, template_id=None))
                marked.append(day)
    return marked


def forget_marked_days(database: Database, days: Sequence[dt.date]) -> None:
    """Undo :func:`mark_days_as_users` for days that still hold no block of their own."""
    with database.transaction() as session:
        for day in days:
            opens = dt.datetime.combine(day, dt.time(0, 0))
            starts_there = session.exec(
                select(col(BlockRow.id))
                .where(col(BlockRow.start) >= opens)
                .where(col(BlockRow.start) < opens + dt.timedelta(days=1))
                .limit(1)
            ).first()
            row = session.get(DayRow, day)
            if row is not None and starts_there is None:
                session.delete(row)


def apply_import(
    plan: PlanRepository, edit: PlanEdit, whole_days: Sequence[dt.date]
) -> AppliedEdit:
    """Apply an import's one edit, with the days it holds whole marked as the
    user's first (and unmarked again if the edit fails)."""
    marked = mark_days_as_users(plan.database, whole_days)
    try:
        return plan.apply(edit)
    except BaseException:
        forget_marked_days(plan.database, marked)
        raise
