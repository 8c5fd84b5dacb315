"""Fixtures for the persistence tests: real SQLite files under tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ml_day.persistence.database import Database
from ml_day.persistence.repository import PlanRepository

OpenRepository = Callable[[], PlanRepository]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "plan.sqlite3"


@pytest.fixture
def open_repository(db_path: Path) -> Iterator[OpenRepository]:
    """Opens the database at ``db_path`` afresh (a new Database object each
    call, as a restart of the app would); every one is closed at the end."""
    opened: list[Database] = []

    def open_new() -> PlanRepository:
        database = Database.open(db_path)
        opened.append(database)
        return PlanRepository(database)

    yield open_new
    for database in opened:
        database.close()


@pytest.fixture
def repo(open_repository: OpenRepository) -> PlanRepository:
    return open_repository()
