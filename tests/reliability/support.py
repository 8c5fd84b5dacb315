"""What the reliability tests share: reading a plan file directly, and adding blocks."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from ml_day.core.blocks import BlockDraft
from ml_day.persistence.database import Database
from ml_day.persistence.repository import PlanRepository

DAY = dt.date(2026, 11, 27)
PLAN_TABLES = ("block", "category", "day", "meta", "template", "template_block")


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def table_dump(path: Path, tables: tuple[str, ...] = PLAN_TABLES) -> dict[str, list[Any]]:
    """Every row of the plan's tables, read with the plain driver (read-only)."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        return {
            table: list(connection.execute(f"SELECT * FROM {table} ORDER BY 1")) for table in tables
        }


def block_titles(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM block ORDER BY id")]


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def add_blocks(database_path: Path, titles: list[str], day: dt.date = DAY) -> list[int]:
    """Store one 30-minute block per title on ``day``, through the repository."""
    database = Database.open(database_path)
    try:
        plan = PlanRepository(database)
        ids = []
        for index, title in enumerate(titles):
            start = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=30 * index)
            draft = BlockDraft(
                title=title, category="general", start=start, end=start + dt.timedelta(minutes=30)
            )
            ids.append(plan.add_block(draft).id)
        return ids
    finally:
        database.close()
