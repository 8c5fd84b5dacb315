"""The plans the benchmark measures, built through the persistence package.

Large plans are built once with bulk inserts (SQLAlchemy ``insert()`` with
lists of dicts, in one transaction) and kept in the cache folder; a marker
file records how they were built, so a change here rebuilds them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import insert

from ml_day.core.blocks import BlockDraft
from ml_day.core.templates import instantiate
from ml_day.paths import DATABASE_NAME
from ml_day.persistence.database import Database, builtin_template_document
from ml_day.persistence.repository import PlanRepository
from ml_day.persistence.schema import DayRow

REFERENCE_DAY = dt.date(2026, 6, 15)
"""The day the scale figures read, switch to and edit (a Monday, no clock change)."""
DAYS_AFTER_REFERENCE = 30
"""The large plans also hold a month after the reference day, as a real plan would."""
PLAN_FORMAT = "1"
"""Bump to rebuild the cached plans."""
BULK_BATCH = 20_000
FIRST_DAY = dt.date(1900, 1, 2)
"""The first day ML Day plans (1900-01-01), and one more for the block from the day before."""


def template_day(day: dt.date) -> list[BlockDraft]:
    """The built-in template's blocks on ``day`` (10 blocks, one across midnight)."""
    return instantiate(builtin_template_document().template, day)


def open_plan(folder: Path) -> tuple[Database, PlanRepository]:
    folder.mkdir(parents=True, exist_ok=True)
    database = Database.open(folder / DATABASE_NAME)
    return database, PlanRepository(database)


def mark_days(database: Database, days: Iterable[dt.date]) -> None:
    """Record ``days`` as the user's (never filled from the template), in bulk."""
    rows = [{"date": day, "template_id": None} for day in days]
    with database.transaction() as session:
        for start in range(0, len(rows), BULK_BATCH):
            session.execute(insert(DayRow), rows[start : start + BULK_BATCH])


def day_range(first: dt.date, count: int) -> list[dt.date]:
    return [first + dt.timedelta(days=offset) for offset in range(count)]


def filled_plan(folder: Path, day: dt.date) -> Path:
    """A fresh plan whose ``day`` (and the day before) are filled from the template,
    as after a first launch: what the start-up figures open."""
    shutil.rmtree(folder, ignore_errors=True)
    database, plan = open_plan(folder)
    try:
        plan.day_blocks(day)
    finally:
        database.close()
    return folder


def quiet_plan(folder: Path, day: dt.date) -> Path:
    """A fresh plan with nothing on the days around ``day``: nothing is due."""
    shutil.rmtree(folder, ignore_errors=True)
    database, _plan = open_plan(folder)
    try:
        mark_days(database, day_range(day - dt.timedelta(days=3), 7))
    finally:
        database.close()
    return folder


def crowded_day(day: dt.date, count: int) -> list[BlockDraft]:
    """``count`` blocks on ``day``, side by side in as few lanes as hold them (four
    for 200), spread evenly: the drag and repaint figures' scene. Each is 25
    minutes long, titled and categorised."""
    per_lane_at_most = 24 * 60 // 28
    lanes = max(-(-count // per_lane_at_most), 1)
    per_lane = -(-count // lanes)
    step = dt.timedelta(minutes=24 * 60 // per_lane)
    length = dt.timedelta(minutes=25)
    categories = ("deep-work", "meeting", "catch-up", "testing", "meal", "email")
    drafts = []
    for index in range(count):
        slot = index % per_lane
        start = dt.datetime.combine(day, dt.time()) + slot * step
        drafts.append(
            BlockDraft(
                title=f"Task {index + 1}: review the experiment results",
                category=categories[index % len(categories)],
                start=start,
                end=start + length,
            )
        )
    return drafts


def crowded_plan(folder: Path, day: dt.date, count: int) -> Path:
    """A fresh plan with ``count`` blocks on ``day`` and nothing around it."""
    shutil.rmtree(folder, ignore_errors=True)
    database, plan = open_plan(folder)
    try:
        mark_days(database, day_range(day - dt.timedelta(days=2), 5))
        plan.bulk_insert(crowded_day(day, count))
    finally:
        database.close()
    return folder


def history_plan(cache: Path, blocks: int) -> Path:
    """A plan of ``blocks`` blocks: every day filled from the template, ending a
    month after :data:`REFERENCE_DAY`, or, where that would start before the
    first day ML Day plans, from that day on (a million blocks fill 1900 to
    2173). Cached between runs."""
    folder = cache / f"plan-{blocks}"
    marker = folder / "built"
    if marker.is_file() and marker.read_text(encoding="utf-8") == PLAN_FORMAT:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    per_day = len(template_day(REFERENCE_DAY))
    days = -(-blocks // per_day)
    last = REFERENCE_DAY + dt.timedelta(days=DAYS_AFTER_REFERENCE)
    first = max(last - dt.timedelta(days=days - 1), FIRST_DAY)
    database, plan = open_plan(folder)
    try:
        mark_days(database, day_range(first, days))
        drafts = itertools.islice(_template_days(first, days), blocks)
        plan.bulk_insert(drafts, batch=BULK_BATCH)
    finally:
        # The last connection to close folds the write-ahead log into the file.
        database.close()
    marker.write_text(PLAN_FORMAT, encoding="utf-8")
    return folder


def _template_days(first: dt.date, days: int) -> Iterator[BlockDraft]:
    template = builtin_template_document().template
    for offset in range(days):
        yield from instantiate(template, first + dt.timedelta(days=offset))
