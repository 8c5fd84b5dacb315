"""Schema migrations: a database from every earlier schema version opens,
upgrades to the current one, and keeps every value it held.

``schemas/vN.sql`` freezes schema version N: its tables as that version
created them, and a sample plan. A schema change bumps ``SCHEMA_VERSION``,
ships ``MIGRATIONS[N]`` and freezes the new ``vN+1.sql`` (build ``vN.sql``,
open it with the new code so that it migrates, and save ``sqlite3 FILE .dump``
followed by ``PRAGMA user_version = N+1;``); the tests below then cover the new
step without being touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ml_day.persistence import database as database_module
from ml_day.persistence.database import MIGRATIONS, Database
from ml_day.persistence.repository import PlanRepository
from ml_day.persistence.schema import SCHEMA_VERSION

SCHEMAS = Path(__file__).parent / "schemas"
SAMPLE_DAY = dt.date(2026, 3, 28)
Table = dict[Any, dict[str, Any]]


def build(version: int, path: Path) -> Path:
    """A database file at schema ``version``, from its frozen script."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.executescript((SCHEMAS / f"v{version}.sql").read_text(encoding="utf-8"))
        assert connection.execute("PRAGMA user_version").fetchone() == (version,)
    return path


def tables(path: Path) -> dict[str, Table]:
    """Every row of every table, by primary key (rowid), as column -> value."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        result: dict[str, Table] = {}
        for name in names:
            rows = connection.execute(f'SELECT rowid AS "@rowid", * FROM "{name}"')
            result[name] = {row["@rowid"]: dict(row) for row in rows}
        return result


def schema_of(path: Path) -> dict[str, Any]:
    """Tables with their columns (as a set: a migration appends columns) and indexes."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        described: dict[str, Any] = {}
        for (table,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ):
            columns = {
                (row[1], row[2].upper(), row[3], row[4], row[5])
                for row in connection.execute(f'PRAGMA table_info("{table}")')
            }
            indexes = {
                (row[1], row[2], tuple(
                    info[2] for info in connection.execute(f'PRAGMA index_info("{row[1]}")')
                ))
                for row in connection.execute(f'PRAGMA index_list("{table}")')
            }  # fmt: skip
            foreign = {
                (row[2], row[3], row[4])
                for row in connection.execute(f'PRAGMA foreign_key_list("{table}")')
            }
            described[table] = (columns, indexes, foreign)
        return described


def fresh_schema(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "fresh" / "plan.sqlite3"
    Database.open(path).close()
    return schema_of(path)


# ---------------------------------------------------------------- the frozen versions
def test_every_schema_version_is_frozen_and_has_its_migration() -> None:
    frozen = sorted(int(path.stem[1:]) for path in SCHEMAS.glob("v*.sql"))
    assert frozen == list(range(1, SCHEMA_VERSION + 1)), (
        f"freeze schema {SCHEMA_VERSION} as tests/persistence/schemas/v{SCHEMA_VERSION}.sql"
    )
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION))


def test_the_newest_frozen_schema_is_what_the_code_creates(tmp_path: Path) -> None:
    """A change to the tables without a new schema version fails here."""
    frozen = build(SCHEMA_VERSION, tmp_path / "frozen" / "plan.sqlite3")
    assert schema_of(frozen) == fresh_schema(tmp_path)


def test_the_newest_frozen_database_opens_unchanged(tmp_path: Path) -> None:
    path = build(SCHEMA_VERSION, tmp_path / "data" / "plan.sqlite3")
    before = tables(path)
    database = Database.open(path)
    try:
        titles = [block.title for block in PlanRepository(database).peek_day_blocks(SAMPLE_DAY)]
    finally:
        database.close()
    assert "Paper reading: «attention» 📄" in titles and "Sleep" in titles
    assert tables(path) == before


# ---------------------------------------------------------------- every earlier version
@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_an_older_database_migrates_and_keeps_every_value(tmp_path: Path, version: int) -> None:
    path = build(version, tmp_path / "data" / "plan.sqlite3")
    before = tables(path)

    database = Database.open(path)
    try:
        assert database.schema_version() == SCHEMA_VERSION
        plan = PlanRepository(database)
        days_blocks = plan.peek_day_blocks(SAMPLE_DAY)
    finally:
        database.close()

    after = tables(path)
    assert schema_of(path) == fresh_schema(tmp_path)
    for table, rows in before.items():
        assert table in after, f"table {table} was dropped"
        assert after[table].keys() == rows.keys(), f"rows of {table} changed"
        for key, row in rows.items():
            migrated = after[table][key]
            assert {column: migrated[column] for column in row} == row, (table, key)
    stored_titles = {row["title"] for row in before["block"].values()}
    assert {block.title for block in days_blocks} <= stored_titles
    assert any(block.done for block in days_blocks)


# ---------------------------------------------------------------- the machinery
@pytest.fixture
def one_version_more(monkeypatch: pytest.MonkeyPatch) -> int:
    """Pretend the code is one schema version ahead (the step is set by the test)."""
    newer = SCHEMA_VERSION + 1
    monkeypatch.setattr(database_module, "SCHEMA_VERSION", newer)
    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION, lambda _c: None)
    return newer


def test_a_migration_runs_once_and_keeps_the_data(
    tmp_path: Path, one_version_more: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build(SCHEMA_VERSION, tmp_path / "data" / "plan.sqlite3")
    before = tables(path)
    runs: list[int] = []

    def add_colour_note(connection: sqlite3.Connection) -> None:
        runs.append(1)
        connection.execute("ALTER TABLE category ADD COLUMN note VARCHAR")

    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION, add_colour_note)
    Database.open(path).close()
    Database.open(path).close()

    assert runs == [1]
    after = tables(path)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (one_version_more,)
    for key, row in before["category"].items():
        assert after["category"][key] == {**row, "note": None}
    assert after["block"] == before["block"]


def test_a_failing_migration_leaves_the_database_as_it_was(
    tmp_path: Path, one_version_more: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = build(SCHEMA_VERSION, tmp_path / "data" / "plan.sqlite3")
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")  # as the app leaves it
    before = tables(path)

    def half_done(connection: sqlite3.Connection) -> None:
        connection.execute("ALTER TABLE block ADD COLUMN colour VARCHAR")
        connection.execute("UPDATE block SET title = 'half migrated'")
        msg = "the migration broke halfway"
        raise RuntimeError(msg)

    monkeypatch.setitem(MIGRATIONS, SCHEMA_VERSION, half_done)
    with pytest.raises(RuntimeError, match="halfway"):
        Database.open(path)

    assert tables(path) == before
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        columns = {row[1] for row in connection.execute("PRAGMA table_info(block)")}
    assert "colour" not in columns
