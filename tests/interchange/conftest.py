"""Fixtures for the calendar-file tests: a real plan database under tmp_path,
the user's zone (Europe/Berlin, whose clocks change on 2026-03-29 and
2026-10-25), and blocks built the way the plan stores them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ml_day.core.blocks import Block
from ml_day.persistence.database import Database
from ml_day.persistence.repository import PlanRepository

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BERLIN = ZoneInfo("Europe/Berlin")
SPRING_FORWARD = dt.date(2026, 3, 29)
FALL_BACK = dt.date(2026, 10, 25)
ORDINARY_DAY = dt.date(2026, 11, 27)
STAMP = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

OpenPlan = Callable[[str], PlanRepository]


@pytest.fixture
def open_plan(tmp_path: Path) -> Iterator[OpenPlan]:
    """Opens (creating) the plan database ``name`` under tmp_path; all are closed at the end."""
    opened: list[Database] = []

    def open_named(name: str) -> PlanRepository:
        database = Database.open(tmp_path / name / "plan.sqlite3")
        opened.append(database)
        return PlanRepository(database)

    yield open_named
    for database in opened:
        database.close()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def blocks_of_days(plan: PlanRepository, first: dt.date, days: int = 1) -> list[Block]:
    """The blocks touching the days (each once), in time order, as an export takes them."""
    found = {
        block.id: block
        for offset in range(days)
        for block in plan.day_blocks(first + dt.timedelta(days=offset))
    }
    return sorted(found.values(), key=lambda block: (block.start, block.end, block.id))
