"""Opening the plan database: creation, schema version, and refusing bad files."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from ml_day.core.blocks import BlockDraft
from ml_day.core.templates import parse_template_document
from ml_day.persistence.database import Database
from ml_day.persistence.errors import (
    CorruptDatabaseError,
    DataFolderError,
    NewerDatabaseError,
    StorageError,
)
from ml_day.persistence.repository import PlanRepository
from ml_day.persistence.schema import SCHEMA_VERSION
from ml_day.resources import BUILTIN_TEMPLATE, read_resource_text

OpenRepository = Callable[[], PlanRepository]
TABLES = {"block", "category", "day", "meta", "template", "template_block"}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` with the hash of its bytes."""
    return {
        item.name: hashlib.sha256(item.read_bytes()).hexdigest()
        for item in sorted(folder.iterdir())
        if item.is_file()
    }


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Run one read-only query with the plain driver."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        return list(connection.execute(sql))


def one_line(error: BaseException) -> str:
    text = str(error)
    assert text
    assert "\n" not in text
    return text


def make_sqlite_file(path: Path, *, user_version: int, tables: bool) -> None:
    """A SQLite file not made by ML Day (rollback journal, as sqlite3 leaves it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        if tables:
            connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            connection.execute("INSERT INTO notes (text) VALUES ('keep me')")
        connection.execute(f"PRAGMA user_version = {user_version}")
        connection.commit()


# ---------------------------------------------------------------- a new database


def test_open_creates_the_file_with_the_current_schema(db_path: Path) -> None:
    assert not db_path.parent.exists()
    database = Database.open(db_path)
    try:
        assert db_path.is_file()
        assert database.path == db_path
        assert database.schema_version() == SCHEMA_VERSION == 1
        assert query(db_path, "PRAGMA user_version") == [(1,)]
        assert query(db_path, "PRAGMA journal_mode") == [("wal",)]
        tables = {
            row[0]
            for row in query(
                db_path,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
        }
        assert tables == TABLES
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == 10_000
    finally:
        database.close()
    # Write-ahead logging is recorded in the file and survives closing.
    assert query(db_path, "PRAGMA journal_mode") == [("wal",)]
    with db_path.open("rb") as handle:
        assert handle.read(16) == b"SQLite format 3\x00"


def test_open_seeds_the_built_in_template_and_its_categories(repo: PlanRepository) -> None:
    shipped = parse_template_document(json.loads(read_resource_text(BUILTIN_TEMPLATE)))

    categories = repo.categories()
    assert [c.name for c in categories] == sorted(c.name for c in shipped.categories)
    by_name = {c.name: c for c in categories}
    for expected in shipped.categories:
        stored = by_name[expected.name]
        assert stored.id is not None
        assert (stored.colour, stored.silent, stored.pre_alert_minutes) == (
            expected.colour,
            expected.silent,
            expected.pre_alert_minutes,
        )

    default = repo.default_template()
    assert default is not None
    assert default.id is not None
    assert default.name == "ML engineer"
    assert default.builtin
    assert default.blocks == shipped.template.blocks
    assert repo.templates() == [default]


def test_a_new_database_has_no_days_and_no_blocks(repo: PlanRepository, db_path: Path) -> None:
    assert query(db_path, "SELECT count(*) FROM block") == [(0,)]
    assert query(db_path, "SELECT count(*) FROM day") == [(0,)]
    assert not repo.is_day_filled(dt.date(2026, 5, 4))


def test_reopening_keeps_the_data(open_repository: OpenRepository, db_path: Path) -> None:
    first = open_repository()
    added = first.add_block(
        BlockDraft(
            title="Write the report",
            category="deep-work",
            start=dt.datetime(2026, 5, 4, 15, 0),
            end=dt.datetime(2026, 5, 4, 16, 30),
            notes="section 3",
        )
    )
    categories = first.categories()
    first.database.close()
    assert not Path(f"{db_path}-wal").exists()  # the last connection checkpointed

    second = open_repository()
    assert second.get_block(added.id) == added
    assert second.categories() == categories
    assert second.database.schema_version() == SCHEMA_VERSION
    # Reopening did not seed a second copy of the template.
    assert len(second.templates()) == 1
    assert query(db_path, "SELECT count(*) FROM category") == [(10,)]


def test_an_empty_file_becomes_a_new_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch()
    database = Database.open(db_path)
    try:
        assert database.schema_version() == SCHEMA_VERSION
    finally:
        database.close()


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c" / "plan.sqlite3"
    database = Database.open(path)
    database.close()
    assert path.is_file()


# ---------------------------------------------------------------- files that are refused


def test_a_newer_database_is_refused_and_left_untouched(db_path: Path) -> None:
    Database.open(db_path).close()
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        connection.execute("PRAGMA user_version = 99")
        connection.commit()
    before = snapshot(db_path.parent)

    with pytest.raises(NewerDatabaseError) as caught:
        Database.open(db_path)

    message = one_line(caught.value)
    assert str(db_path) in message
    assert "newer" in message
    assert caught.value.path == db_path
    assert (caught.value.found, caught.value.supported) == (99, SCHEMA_VERSION)
    assert snapshot(db_path.parent) == before


@pytest.mark.parametrize("tables", [True, False], ids=["with-tables", "empty"])
def test_a_newer_database_in_rollback_journal_mode_is_left_untouched(
    db_path: Path, tables: bool
) -> None:
    # Switching the journal mode to WAL rewrites the header: a file we refuse
    # must not get that either.
    make_sqlite_file(db_path, user_version=99, tables=tables)
    before = snapshot(db_path.parent)
    with pytest.raises(NewerDatabaseError) as caught:
        Database.open(db_path)
    assert str(db_path) in one_line(caught.value)
    assert snapshot(db_path.parent) == before
    assert query(db_path, "PRAGMA journal_mode") == [("delete",)]


def corrupt_files() -> dict[str, bytes]:
    rng = random.Random(20260504)
    return {
        "random-bytes": rng.randbytes(64 * 1024),
        "text": ("12:00 lunch with the team\n" * 2000).encode(),
        "non-utf8": b"\xff\xfe\xfd not a database \x80\x81" * 500,
        "short": b"SQLite",
        "json": json.dumps({"format": 1, "blocks": []}).encode(),
    }


@pytest.mark.parametrize("kind", sorted(corrupt_files()))
def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(
    db_path: Path, kind: str
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(corrupt_files()[kind])
    before = snapshot(db_path.parent)

    with pytest.raises(CorruptDatabaseError) as caught:
        Database.open(db_path)

    message = one_line(caught.value)
    assert str(db_path) in message
    assert caught.value.path == db_path
    assert snapshot(db_path.parent) == before


@pytest.mark.parametrize("keep", [0.5, 0.1], ids=["half", "first-tenth"])
def test_a_truncated_database_is_refused_and_left_untouched(
    open_repository: OpenRepository, db_path: Path, keep: float
) -> None:
    repo = open_repository()
    repo.day_blocks(dt.date(2026, 5, 4))
    repo.bulk_insert(
        BlockDraft(
            title=f"block {n}",
            category="bulk",
            start=dt.datetime(2026, 6, 1, 0, 0) + dt.timedelta(hours=n),
            end=dt.datetime(2026, 6, 1, 0, 30) + dt.timedelta(hours=n),
        )
        for n in range(500)
    )
    repo.database.close()
    data = db_path.read_bytes()
    assert len(data) > 8 * 4096
    db_path.write_bytes(data[: int(len(data) * keep)])
    before = snapshot(db_path.parent)

    with pytest.raises(CorruptDatabaseError) as caught:
        Database.open(db_path)

    assert str(db_path) in one_line(caught.value)
    assert snapshot(db_path.parent) == before


def test_a_sqlite_file_with_foreign_tables_is_refused_and_left_untouched(db_path: Path) -> None:
    make_sqlite_file(db_path, user_version=0, tables=True)
    before = snapshot(db_path.parent)

    with pytest.raises(CorruptDatabaseError) as caught:
        Database.open(db_path)

    message = one_line(caught.value)
    assert str(db_path) in message
    assert "did not create" in message
    assert snapshot(db_path.parent) == before
    assert query(db_path, "SELECT text FROM notes") == [("keep me",)]
    assert query(db_path, "PRAGMA journal_mode") == [("delete",)]


def test_a_folder_in_place_of_the_database_file_is_refused(db_path: Path) -> None:
    db_path.mkdir(parents=True)
    with pytest.raises(CorruptDatabaseError) as caught:
        Database.open(db_path)
    assert "not a regular file" in one_line(caught.value)
    assert db_path.is_dir()
    assert list(db_path.iterdir()) == []


# ---------------------------------------------------------------- the data folder


def test_an_unwritable_data_folder_is_refused(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # Root ignores permission bits, so chmod proves nothing here. A folder
        # below a regular file cannot be created by anyone, root included.
        blocker = tmp_path / "blocker"
        blocker.write_text("not a folder\n")
        folder = blocker / "data"
        expected_reason = "Not a directory"
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
        expected_reason = "not writable"
    path = folder / "plan.sqlite3"
    try:
        with pytest.raises(DataFolderError) as caught:
            Database.open(path)
        assert not path.exists()
    finally:
        if folder.is_dir():
            folder.chmod(0o700)

    message = one_line(caught.value)
    assert str(folder) in message
    assert expected_reason in message
    assert caught.value.folder == folder
    assert isinstance(caught.value, StorageError)
    if os.geteuid() == 0:
        assert (tmp_path / "blocker").read_text() == "not a folder\n"


def test_a_data_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.write_text("I am a file\n")
    with pytest.raises(DataFolderError) as caught:
        Database.open(folder / "plan.sqlite3")
    message = one_line(caught.value)
    assert str(folder) in message
    assert "not a folder" in message
    assert folder.read_text() == "I am a file\n"


def test_a_clash_with_another_writer_is_a_conflict_not_damage(tmp_path: Path) -> None:
    """A unique constraint hit (another program stored the same thing first)
    refuses the change with its own message; the plan is not called damaged."""
    from sqlalchemy import text

    from ml_day.persistence.errors import ConflictError, CorruptDatabaseError

    database = Database.open(tmp_path / "plan.sqlite3")
    try:
        with database.transaction() as session:
            row = session.execute(text("SELECT * FROM category LIMIT 1")).mappings().one()
        duplicate = dict(row)
        duplicate.pop("id")
        columns = ", ".join(duplicate)
        values = ", ".join(f":{name}" for name in duplicate)
        with pytest.raises(ConflictError) as raised, database.transaction() as session:
            session.execute(text(f"INSERT INTO category ({columns}) VALUES ({values})"), duplicate)
        assert not isinstance(raised.value, CorruptDatabaseError)
        assert "nothing was changed" in str(raised.value)
    finally:
        database.close()
