"""The standard-library read path agrees with the repository, and never writes."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ml_day.core.blocks import Block, BlockDraft
from ml_day.persistence import quick_read, schema
from ml_day.persistence.database import Database
from ml_day.persistence.quick_read import SUPPORTED_SCHEMA, read_day_quickly
from ml_day.persistence.repository import PlanRepository

OpenRepository = Callable[[], PlanRepository]

DAY = dt.date(2026, 5, 4)
NEXT_DAY = DAY + dt.timedelta(days=1)
PREVIOUS_DAY = DAY - dt.timedelta(days=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def without_identity(blocks: list[Block]) -> list[Block]:
    return [dataclasses.replace(b, id=0, uid="") for b in blocks]


def file_state(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_size


def test_the_supported_schema_is_the_current_one() -> None:
    assert SUPPORTED_SCHEMA == schema.SCHEMA_VERSION


def test_a_missing_file_gives_none(tmp_path: Path) -> None:
    assert read_day_quickly(tmp_path / "nothing.sqlite3", DAY) is None
    assert read_day_quickly(tmp_path, DAY) is None  # a folder is not a database
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"lunch at noon\n" * 100,
        b"\xff\xfe\x00\x01" * 4096,
        b"SQLite format 3\x00" + b"\x00" * 84,
    ],
    ids=["empty", "text", "binary", "bare-header"],
)
def test_a_file_that_is_not_a_plan_database_gives_none(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "plan.sqlite3"
    path.write_bytes(content)
    before = file_state(path)
    assert read_day_quickly(path, DAY) is None
    assert file_state(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.sqlite3"]


def test_a_newer_schema_gives_none(repo: PlanRepository, db_path: Path) -> None:
    repo.day_blocks(DAY)
    repo.database.close()
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        connection.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
        connection.commit()
    before = file_state(db_path)
    assert read_day_quickly(db_path, DAY) is None
    assert file_state(db_path) == before


def test_a_foreign_sqlite_file_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("PRAGMA user_version = 1")  # same number, different tables
        connection.commit()
    assert read_day_quickly(path, DAY) is None


def test_a_filled_day_equals_the_repository_view(repo: PlanRepository, db_path: Path) -> None:
    blocks = repo.day_blocks(DAY)
    lunch = next(b for b in blocks if b.category.name == "meal")
    repo.set_done(lunch.id, done=True)
    repo.update_block(
        blocks[3].id,
        dataclasses.replace(blocks[3].draft(), title="Deep work 🧪 تجربة", notes="line 1\nline 2"),
    )
    repo.add_block(
        BlockDraft(
            title="Night shift",
            category="On-call",
            start=at(DAY, 23),
            end=at(NEXT_DAY, 3),
            fixed=True,
            notify=False,
            deadline=True,
        )
    )
    gym = repo.remove_block(blocks[1].id)
    # A block with actual times (only restore can set them today).
    repo.restore_block(
        dataclasses.replace(gym, actual_start=at(DAY, 6, 10), actual_end=at(DAY, 7, 55), done=True)
    )

    expected = repo.day_blocks(DAY)
    quick = read_day_quickly(db_path, DAY)

    assert quick is not None
    assert quick.day == DAY
    assert quick.complete
    assert quick.blocks == expected
    assert len(expected) == 12
    restored = next(b for b in quick.blocks if b.id == gym.id)
    assert (restored.actual_start, restored.actual_end) == (at(DAY, 6, 10), at(DAY, 7, 55))
    # And the day after, which the night shift runs into, once it is filled.
    assert read_day_quickly(db_path, NEXT_DAY) is not None
    after = repo.day_blocks(NEXT_DAY)
    quick_after = read_day_quickly(db_path, NEXT_DAY)
    assert quick_after is not None
    assert quick_after.complete
    assert quick_after.blocks == after


def test_an_emptied_day_reads_as_complete_and_empty(repo: PlanRepository, db_path: Path) -> None:
    for block in repo.day_blocks(DAY):
        repo.remove_block(block.id)
    quick = read_day_quickly(db_path, DAY)
    assert quick is not None
    assert quick.complete
    assert quick.blocks == []


def test_a_never_filled_day_previews_the_template(repo: PlanRepository, db_path: Path) -> None:
    quick = read_day_quickly(db_path, DAY)

    assert quick is not None
    assert not quick.complete
    assert len(quick.blocks) == 11
    assert all(b.id < 0 for b in quick.blocks)
    assert len({b.id for b in quick.blocks}) == 11
    assert all(b.uid == "" for b in quick.blocks)
    assert not repo.is_day_filled(DAY)  # the preview stored nothing

    stored = repo.day_blocks(DAY)
    assert without_identity(quick.blocks) == without_identity(stored)


def test_a_plan_not_created_yet_previews_the_builtin_template(tmp_path: Path) -> None:
    database = tmp_path / "plan.sqlite3"
    preview = quick_read.preview_new_plan(DAY)
    assert not database.exists()  # the preview creates nothing
    assert not preview.complete
    assert all(b.id < 0 for b in preview.blocks)

    created = Database.open(database)
    try:
        stored = PlanRepository(created).day_blocks(DAY)
    finally:
        created.close()

    def plain(blocks: list[Block]) -> list[Block]:
        return [
            dataclasses.replace(b, category=dataclasses.replace(b.category, id=None))
            for b in without_identity(blocks)
        ]

    assert len(preview.blocks) == 11
    assert plain(preview.blocks) == plain(stored)


def test_a_day_whose_previous_day_is_filled_previews_only_its_own_part(
    repo: PlanRepository, db_path: Path
) -> None:
    repo.day_blocks(PREVIOUS_DAY)
    previous_night = repo.peek_day_blocks(DAY)
    assert [b.title for b in previous_night] == ["Sleep"]
    repo.update_block(
        previous_night[0].id,
        dataclasses.replace(previous_night[0].draft(), end=at(DAY, 5, 30)),
    )

    quick = read_day_quickly(db_path, DAY)
    assert quick is not None
    assert not quick.complete
    stored_part = [b for b in quick.blocks if b.id > 0]
    preview_part = [b for b in quick.blocks if b.id < 0]
    assert [(b.title, b.end) for b in stored_part] == [("Sleep", at(DAY, 5, 30))]
    assert len(preview_part) == 10

    stored = repo.day_blocks(DAY)
    assert quick.blocks[0] == stored[0]
    assert without_identity(quick.blocks) == without_identity(stored)


def test_a_database_without_a_default_template_previews_nothing(
    repo: PlanRepository, db_path: Path
) -> None:
    repo.database.close()
    with contextlib.closing(sqlite3.connect(db_path)) as connection:
        connection.execute("DELETE FROM meta WHERE key = 'default_template_id'")
        connection.commit()
    quick = read_day_quickly(db_path, DAY)
    assert quick is not None
    assert not quick.complete
    assert quick.blocks == []
    reopened = PlanRepository(Database.open(db_path))
    try:
        assert reopened.day_blocks(DAY) == []
        assert reopened.is_day_filled(DAY)
    finally:
        reopened.database.close()


def test_reading_never_writes_a_closed_database(repo: PlanRepository, db_path: Path) -> None:
    repo.day_blocks(DAY)
    repo.database.close()
    wal = Path(f"{db_path}-wal")
    assert not wal.exists()
    before = file_state(db_path)

    for day in (DAY, NEXT_DAY, dt.date(2031, 1, 1)):
        assert read_day_quickly(db_path, day) is not None

    assert file_state(db_path) == before
    # SQLite needs the shared-memory index to read a WAL database, even read
    # only, so it may leave an empty -wal and a -shm behind; the log itself
    # stays empty: nothing was written.
    assert not wal.exists() or wal.stat().st_size == 0
    assert {p.name for p in db_path.parent.iterdir()} <= {
        db_path.name,
        wal.name,
        f"{db_path.name}-shm",
    }
    # The app opens the file normally afterwards, with nothing filled by the reads.
    reopened = PlanRepository(Database.open(db_path))
    try:
        assert not reopened.is_day_filled(NEXT_DAY)
        assert len(reopened.day_blocks(DAY)) == 11
    finally:
        reopened.database.close()


def test_reading_never_writes_an_open_database(repo: PlanRepository, db_path: Path) -> None:
    repo.day_blocks(DAY)
    wal = Path(f"{db_path}-wal")
    assert wal.exists()
    before = (file_state(db_path), file_state(wal))

    quick = read_day_quickly(db_path, DAY)
    preview = read_day_quickly(db_path, NEXT_DAY)

    assert quick is not None
    assert preview is not None
    assert (file_state(db_path), file_state(wal)) == before
    assert not repo.is_day_filled(NEXT_DAY)
    # It reads what the open app has committed, including what is only in the log.
    assert quick.blocks == repo.day_blocks(DAY)


def test_the_quick_path_does_not_import_the_orm() -> None:
    code = (
        "import json, sys\n"
        "import ml_day.persistence.quick_read\n"
        "print(json.dumps(sorted(m for m in sys.modules"
        " if m.split('.')[0] in {'sqlalchemy', 'sqlmodel', 'pydantic', 'PySide6'})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert quick_read.__name__ == "ml_day.persistence.quick_read"


def test_a_locked_database_still_reads_or_gives_none(repo: PlanRepository, db_path: Path) -> None:
    # Another connection holds the write lock: WAL readers are not blocked.
    expected = repo.day_blocks(DAY)
    with contextlib.closing(sqlite3.connect(db_path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE block SET title = 'uncommitted' WHERE id = ?", (expected[1].id,))
        quick = read_day_quickly(db_path, DAY)
        writer.execute("ROLLBACK")
    assert quick is not None
    assert quick.blocks == expected
