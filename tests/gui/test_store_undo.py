"""The store's edits: one undo command per edit, undo/redo on the real database
file, refused edits, and edits made by other processes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from ml_day.core.blocks import Block, BlockDraft
from ml_day.core.editing import (
    BlockOperation,
    CreateBlock,
    DeleteBlock,
    PlanEdit,
    UpdateBlock,
    describe,
    moved,
    push_rest_of_day,
)
from ml_day.gui.store import PlanStore
from ml_day.paths import AppPaths
from ml_day.persistence.database import Database
from ml_day.persistence.repository import PlanRepository

BERLIN = ZoneInfo("Europe/Berlin")
DAY = dt.date(2026, 11, 27)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def store(qtbot: QtBot, paths: AppPaths) -> Iterator[PlanStore]:
    """An open store on a fresh data folder (qtbot makes sure a QApplication exists)."""
    plan_store = PlanStore(paths)
    plan_store.open()
    assert plan_store.is_ready
    yield plan_store
    plan_store.close()


class Counter:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any) -> None:
        self.calls.append(args)

    def __len__(self) -> int:
        return len(self.calls)


def table_dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    uri = f"{path.as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        return {
            table: list(connection.execute(f"SELECT * FROM {table} ORDER BY 1"))
            for table in ("block", "category", "day", "meta")
        }


def stored_span(path: Path, block_id: int) -> tuple[str, str] | None:
    uri = f"{path.as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        row = connection.execute(
            'SELECT start, "end" FROM block WHERE id = ?', (block_id,)
        ).fetchone()
    return None if row is None else (row[0][:16], row[1][:16])


def lunch_of(store: PlanStore) -> Block:
    return next(b for b in store.day_blocks(DAY) if b.category.name == "meal")


def run_cli(paths: AppPaths, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in another process, as a script would run it."""
    return subprocess.run(
        [sys.executable, "-m", "ml_day", "--data-dir", str(paths.data_dir), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "Europe/Berlin"},
        timeout=60,
        check=False,
    )


# ---------------------------------------------------------------- undo and redo
def test_an_edit_is_one_undo_command_and_undo_redo_rewrite_the_file(
    store: PlanStore, paths: AppPaths
) -> None:
    lunch = lunch_of(store)
    changed = Counter()
    store.planChanged.connect(changed)
    stack = store.undo_stack

    edit = PlanEdit(
        describe("Move", [lunch]), (UpdateBlock(lunch.id, moved(lunch, at(12, 30), BERLIN)),)
    )
    applied = store.apply(edit)

    assert applied is not None
    assert stored_span(paths.database, lunch.id) == ("2026-11-27 12:30", "2026-11-27 13:30")
    assert len(changed) == 1
    assert stack.count() == 1
    assert stack.undoText() == "Move Lunch with the team"
    assert stack.command(0).text() == "Move Lunch with the team"
    assert not stack.canRedo()

    stack.undo()
    assert stored_span(paths.database, lunch.id) == ("2026-11-27 12:00", "2026-11-27 13:00")
    assert len(changed) == 2
    assert stack.redoText() == "Move Lunch with the team"
    assert stack.count() == 1 and stack.index() == 0

    stack.redo()
    assert stored_span(paths.database, lunch.id) == ("2026-11-27 12:30", "2026-11-27 13:30")
    assert len(changed) == 3

    # Round trips keep working from what each redo stored.
    stack.undo()
    stack.redo()
    stack.undo()
    assert stored_span(paths.database, lunch.id) == ("2026-11-27 12:00", "2026-11-27 13:00")
    assert len(changed) == 6
    assert stack.count() == 1


def test_undo_of_a_creation_deletes_it_and_redo_brings_back_the_same_block(
    store: PlanStore, paths: AppPaths
) -> None:
    store.day_blocks(DAY)
    before = table_dump(paths.database)["block"]
    new = BlockDraft(title="Paper reading", category="reading", start=at(15), end=at(15, 45))
    applied = store.apply(PlanEdit(describe("Add", [new]), (CreateBlock(new),)))
    assert applied is not None
    created = applied.after[0]
    assert created is not None
    after = table_dump(paths.database)["block"]
    assert len(after) == len(before) + 1
    assert store.undo_stack.undoText() == "Add Paper reading"

    store.undo_stack.undo()
    assert table_dump(paths.database)["block"] == before
    store.undo_stack.redo()
    assert table_dump(paths.database)["block"] == after  # same id, same uid
    assert store.plan.get_block(created.id) == created


def test_a_push_is_one_step(store: PlanStore, paths: AppPaths) -> None:
    blocks = store.day_blocks(DAY)
    wrap_up = next(b for b in blocks if b.category.name == "wrap-up")
    before = table_dump(paths.database)["block"]
    result = push_rest_of_day(blocks, wrap_up, 15)
    assert result.minutes == 15
    assert [b.category.name for b, _ in result.moves] == ["commute", "email", "sleep"]
    edit = PlanEdit(
        describe("Push", [b for b, _ in result.moves]),
        tuple(UpdateBlock(b.id, d) for b, d in result.moves),
    )
    changed = Counter()
    store.planChanged.connect(changed)
    assert store.apply(edit) is not None
    assert store.undo_stack.count() == 1
    assert store.undo_stack.undoText() == "Push 3 blocks"
    sleep = result.moves[-1][0]
    assert stored_span(paths.database, sleep.id) == ("2026-11-27 22:45", "2026-11-28 06:15")
    store.undo_stack.undo()
    assert table_dump(paths.database)["block"] == before
    assert len(changed) == 2  # one for the push, one for its undo


def test_the_edit_is_in_the_file_before_views_hear_of_it(store: PlanStore, paths: AppPaths) -> None:
    lunch = lunch_of(store)
    seen: list[tuple[str, str] | None] = []
    store.planChanged.connect(lambda: seen.append(stored_span(paths.database, lunch.id)))
    store.apply(PlanEdit("Delete", (DeleteBlock(lunch.id),)))
    store.undo_stack.undo()
    assert seen == [None, ("2026-11-27 12:00", "2026-11-27 13:00")]


# ---------------------------------------------------------------- refused edits
@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("empty-title", "the title is empty"),
        ("end-before-start", "is not after the start"),
        ("missing-block", "there is no block with id 999999"),
    ],
)
def test_a_refused_edit_says_why_and_changes_nothing(
    store: PlanStore, paths: AppPaths, kind: str, message: str
) -> None:
    lunch = lunch_of(store)
    good = BlockDraft(title="Fine", category="general", start=at(15), end=at(16))
    bad_operations: dict[str, BlockOperation] = {
        "empty-title": UpdateBlock(
            lunch.id, BlockDraft(title=" ", category="meal", start=at(12), end=at(13))
        ),
        "end-before-start": UpdateBlock(
            lunch.id, BlockDraft(title="Lunch", category="meal", start=at(13), end=at(12))
        ),
        "missing-block": DeleteBlock(999_999),
    }
    bad = bad_operations[kind]
    before = table_dump(paths.database)
    changed, failed = Counter(), Counter()
    store.planChanged.connect(changed)
    store.editFailed.connect(failed)

    result = store.apply(PlanEdit("Bad", (CreateBlock(good), bad)))

    assert result is None
    assert len(failed) == 1
    (text,) = failed.calls[0]
    assert message in text and "\n" not in text
    assert len(changed) == 0
    assert store.undo_stack.count() == 0
    assert table_dump(paths.database) == before


def test_an_empty_edit_is_ignored(store: PlanStore) -> None:
    changed = Counter()
    store.planChanged.connect(changed)
    assert store.apply(PlanEdit("Nothing", ())) is None
    assert len(changed) == 0 and store.undo_stack.count() == 0


def test_an_undo_that_can_no_longer_be_stored_is_dropped(store: PlanStore, paths: AppPaths) -> None:
    lunch = lunch_of(store)
    store.apply(PlanEdit("Move", (UpdateBlock(lunch.id, moved(lunch, at(12, 30), BERLIN)),)))
    # Another process deletes the block.
    other = Database.open(paths.database)
    try:
        PlanRepository(other).remove_block(lunch.id)
    finally:
        other.close()
    failed = Counter()
    store.editFailed.connect(failed)
    store.undo_stack.undo()
    assert len(failed) == 1
    assert f"there is no block with id {lunch.id}" in failed.calls[0][0]
    assert stored_span(paths.database, lunch.id) is None
    assert store.undo_stack.count() == 0


# ---------------------------------------------------------------- other processes
def test_external_changes_are_told_apart_from_our_own(store: PlanStore, paths: AppPaths) -> None:
    lunch = lunch_of(store)
    assert store.check_for_external_changes() is False
    store.apply(PlanEdit("Move", (UpdateBlock(lunch.id, moved(lunch, at(12, 15), BERLIN)),)))
    store.undo_stack.undo()
    assert store.check_for_external_changes() is False

    added = run_cli(paths, "add", "From a script", "--date", "2026-11-27",
                    "--start", "16:00", "--end", "16:30")  # fmt: skip
    assert added.returncode == 0, added.stderr
    block_id = int(added.stdout)

    changed = Counter()
    store.planChanged.connect(changed)
    assert store.check_for_external_changes() is True
    assert len(changed) == 1
    assert store.check_for_external_changes() is False
    assert len(changed) == 1
    assert block_id in [b.id for b in store.day_blocks(DAY)]


def test_the_file_watcher_notices_an_edit_from_the_command_line(
    qtbot: QtBot, store: PlanStore, paths: AppPaths
) -> None:
    lunch = lunch_of(store)
    # Waits for the file system's event, not for a clock: the signal comes
    # from the watcher once the other process has written the file.
    with qtbot.waitSignal(store.planChanged, timeout=5000):
        moved_by_cli = run_cli(paths, "move", str(lunch.id), "--start", "12:45")
        assert moved_by_cli.returncode == 0, moved_by_cli.stderr
    assert store.plan.get_block(lunch.id).start == at(12, 45)
    assert store.check_for_external_changes() is False
    # A second edit is noticed too (the watch survives the write).
    with qtbot.waitSignal(store.planChanged, timeout=5000):
        removed = run_cli(paths, "remove", str(lunch.id))
        assert removed.returncode == 0, removed.stderr
    assert lunch.id not in [b.id for b in store.day_blocks(DAY)]
