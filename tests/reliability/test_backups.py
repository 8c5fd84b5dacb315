"""Daily backups, restoring one, and setting files aside: on real files under tmp_path."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ml_day.core.blocks import BlockDraft
from ml_day.core.clock import ManualClock
from ml_day.main import main
from ml_day.paths import AppPaths, resolve_paths
from ml_day.persistence.backups import (
    Backup,
    find_backup,
    inspect_backup,
    list_backups,
    prune_backups,
    restore_backup,
    set_aside,
    take_backup_now,
    take_daily_backup,
)
from ml_day.persistence.database import Database
from ml_day.persistence.errors import CorruptDatabaseError, StorageError
from ml_day.persistence.repository import PlanRepository
from tests.reliability.support import DAY, add_blocks, block_titles, integrity, table_dump

WHEN = dt.datetime(2026, 11, 27, 9, 30, 5)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "data")


@pytest.fixture
def plan(paths: AppPaths) -> Path:
    """A plan with two blocks of the user's."""
    add_blocks(paths.database, ["Write the report", "Call the client"])
    return paths.database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revision(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
        row = connection.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        return int(row[0])


# ---------------------------------------------------------------- taking backups
def test_a_day_gets_one_backup_a_standalone_checked_copy(plan: Path, paths: AppPaths) -> None:
    first = take_daily_backup(plan, paths.backups, DAY)
    assert first is not None
    assert first.path == paths.backups / "plan-2026-11-27.sqlite3"
    add_blocks(plan, ["Later the same day"])
    assert take_daily_backup(plan, paths.backups, DAY) is None  # once a day only

    assert [b.path.name for b in list_backups(paths.backups)] == ["plan-2026-11-27.sqlite3"]
    assert block_titles(first.path) == block_titles(plan)[:-1]
    assert "Later the same day" not in block_titles(first.path)
    assert integrity(first.path) == "ok"
    with contextlib.closing(sqlite3.connect(first.path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert sorted(p.name for p in paths.backups.iterdir()) == ["plan-2026-11-27.sqlite3"]
    contents = inspect_backup(first)
    assert contents.usable and contents.blocks == len(block_titles(first.path))
    assert contents.size == first.path.stat().st_size


def test_a_backup_holds_what_is_committed_but_still_in_the_write_ahead_log(
    plan: Path, paths: AppPaths
) -> None:
    """Why the online backup API and not a file copy: committed pages may
    still sit in the -wal file, which a copy of the database file misses."""
    writer = sqlite3.connect(plan, isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute(
            'INSERT INTO block (uid, title, category_id, start, "end", notes, fixed, notify, '
            "deadline, done) SELECT 'wal-only', 'Only in the log', category_id, start, \"end\", "
            "'', 0, 1, 0, 0 FROM block LIMIT 1"
        )
        # Another writer is in the middle of a transaction that is not committed.
        pending = sqlite3.connect(plan, isolation_level=None)
        pending.execute("BEGIN IMMEDIATE")
        pending.execute("UPDATE block SET title = 'not committed'")
        naive_copy = paths.data_dir / "copied.sqlite3"
        shutil.copyfile(plan, naive_copy)

        backup = take_backup_now(plan, paths.backups, DAY)
        pending.execute("ROLLBACK")
        pending.close()
    finally:
        writer.close()

    assert "Only in the log" in block_titles(backup.path)
    assert "not committed" not in block_titles(backup.path)
    assert "Only in the log" not in block_titles(naive_copy)


def test_the_seven_newest_daily_backups_are_kept(plan: Path, paths: AppPaths) -> None:
    first_day = dt.date(2026, 11, 1)
    for offset in range(10):
        assert take_daily_backup(plan, paths.backups, first_day + dt.timedelta(days=offset))
    kept = [b.day.day for b in list_backups(paths.backups)]
    assert kept == [10, 9, 8, 7, 6, 5, 4]

    # A week away does not leave one backup: the newest seven stay.
    take_daily_backup(plan, paths.backups, dt.date(2026, 11, 30))
    assert [b.day.day for b in list_backups(paths.backups)] == [30, 10, 9, 8, 7, 6, 5]


def test_copies_taken_before_a_restore_are_never_pruned(plan: Path, paths: AppPaths) -> None:
    take_daily_backup(plan, paths.backups, dt.date(2026, 11, 1))
    restore_backup(plan, find_backup(paths.backups, "latest"), paths.backups, WHEN)
    for offset in range(1, 9):
        take_daily_backup(plan, paths.backups, dt.date(2026, 11, 1) + dt.timedelta(days=offset))
    listed = list_backups(paths.backups)
    assert len([b for b in listed if b.before_restore]) == 1
    assert len([b for b in listed if not b.before_restore]) == 7


def damage_pages(path: Path) -> None:
    """Overwrite the middle of the file (not the header): SQLite opens it,
    then finds the damage when it reads those pages."""
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data) - 4096, 4096):
        data[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def test_a_damaged_plan_never_replaces_a_good_backup(plan: Path, paths: AppPaths) -> None:
    add_blocks(plan, [f"block {n}" for n in range(60)])
    good = take_daily_backup(plan, paths.backups, DAY)
    assert good is not None
    before = digest(good.path)
    Database.open(plan).close()  # checkpointed: everything is in the main file
    damage_pages(plan)

    with pytest.raises(CorruptDatabaseError) as caught:
        take_backup_now(plan, paths.backups, DAY)

    assert str(plan) in str(caught.value) and "\n" not in str(caught.value)
    assert digest(good.path) == before
    assert sorted(p.name for p in paths.backups.iterdir()) == ["plan-2026-11-27.sqlite3"]


def test_copies_left_half_written_by_a_dead_process_are_removed(
    plan: Path, paths: AppPaths
) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    paths.backups.mkdir(parents=True, exist_ok=True)
    stale = paths.backups / f".plan-2026-11-26.sqlite3.{dead.pid}.partial"
    stale.write_bytes(b"half a backup")
    ours = paths.backups / f".plan-2026-11-27.sqlite3.{os.getpid()}.partial"
    ours.write_bytes(b"being written right now")

    removed = prune_backups(paths.backups)

    assert removed == [stale]
    assert not stale.exists() and ours.exists()


# ---------------------------------------------------------------- restoring
def test_restoring_keeps_the_plan_it_replaces(plan: Path, paths: AppPaths) -> None:
    take_daily_backup(plan, paths.backups, DAY)
    add_blocks(plan, ["Written after the backup"])
    titles_now = block_titles(plan)
    revision_now = revision(plan)

    outcome = restore_backup(plan, find_backup(paths.backups, "2026-11-27"), paths.backups, WHEN)

    assert "Written after the backup" not in block_titles(plan)
    assert outcome.kept_as == paths.backups / "plan-before-restore-20261127-093005.sqlite3"
    assert block_titles(outcome.kept_as) == titles_now
    assert outcome.blocks == len(block_titles(plan))
    assert revision(plan) > revision_now  # an open window notices
    assert integrity(plan) == "ok"
    assert Database.open(plan).schema_version() >= 1
    # The copy is a backup like the others: it can be restored in turn.
    kept = find_backup(paths.backups, outcome.kept_as.name)
    assert kept.before_restore and kept.label == "2026-11-27 09:30:05 (before a restore)"
    restore_backup(plan, kept, paths.backups, WHEN + dt.timedelta(minutes=1))
    assert block_titles(plan) == titles_now


def test_a_restore_is_seen_by_a_connection_that_stays_open(plan: Path, paths: AppPaths) -> None:
    """The command line restores while the window holds the plan open."""
    take_daily_backup(plan, paths.backups, DAY)
    open_elsewhere = Database.open(plan)
    try:
        repository = PlanRepository(open_elsewhere)
        add_blocks(plan, ["Gone after the restore"])
        seen = repository.revision()
        assert "Gone after the restore" in [b.title for b in repository.peek_day_blocks(DAY)]

        restore_backup(plan, find_backup(paths.backups, "latest"), paths.backups, WHEN)

        assert repository.revision() != seen
        titles = [b.title for b in repository.peek_day_blocks(DAY)]
        assert "Gone after the restore" not in titles and "Call the client" in titles
        repository.add_block(add_draft("Written after the restore"))
    finally:
        open_elsewhere.close()
    assert "Written after the restore" in block_titles(plan)
    assert integrity(plan) == "ok"


def add_draft(title: str) -> BlockDraft:
    start = dt.datetime.combine(DAY, dt.time(18))
    return BlockDraft(title=title, category="general", start=start, end=start.replace(hour=19))


def test_restoring_over_a_damaged_plan_sets_it_aside(plan: Path, paths: AppPaths) -> None:
    take_daily_backup(plan, paths.backups, DAY)
    Database.open(plan).close()
    plan.write_bytes(b"\x00garbage" * 1000)

    outcome = restore_backup(plan, find_backup(paths.backups, "latest"), paths.backups, WHEN)

    assert outcome.kept_as == plan.with_name("plan-damaged-20261127-093005.sqlite3")
    assert outcome.kept_as.read_bytes() == b"\x00garbage" * 1000
    assert block_titles(plan) == block_titles(find_backup(paths.backups, "latest").path)


def write_backup(folder: Path, name: str, content: bytes | None, user_version: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if content is not None:
        path.write_bytes(content)
        return path
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE block (id INTEGER PRIMARY KEY)")
        connection.execute(f"PRAGMA user_version = {user_version}")
        connection.commit()
    return path


def test_damaged_or_newer_backups_are_listed_but_never_restored(
    plan: Path, paths: AppPaths
) -> None:
    good = take_daily_backup(plan, paths.backups, dt.date(2026, 11, 20))
    assert good is not None
    write_backup(paths.backups, "plan-2026-11-26.sqlite3", b"\x13\x37 not a database" * 99)
    write_backup(paths.backups, "plan-2026-11-25.sqlite3", None, user_version=99)
    (paths.backups / "notes.txt").write_text("not a backup\n")
    before = table_dump(plan)

    listed = list_backups(paths.backups)
    assert [b.day.day for b in listed] == [26, 25, 20]
    problems = [inspect_backup(b).problem for b in listed]
    assert problems[0] == "it is not a database"
    assert problems[1] == "it was written by a newer ML Day (schema 99)"
    assert problems[2] is None
    assert find_backup(paths.backups, "latest") == good
    with pytest.raises(StorageError) as caught:
        restore_backup(plan, listed[0], paths.backups, WHEN)
    assert "cannot be restored: it is not a database" in str(caught.value)
    assert table_dump(plan) == before


def test_find_backup_says_what_there_is(paths: AppPaths, plan: Path) -> None:
    with pytest.raises(StorageError, match="there are no backups in"):
        find_backup(paths.backups, "latest")
    take_daily_backup(plan, paths.backups, DAY)
    with pytest.raises(StorageError) as caught:
        find_backup(paths.backups, "2026-01-01")
    assert "there is no backup '2026-01-01'" in str(caught.value)
    assert "newest: 2026-11-27" in str(caught.value)


# ---------------------------------------------------------------- setting aside
def leave_a_write_ahead_log(path: Path, title: str) -> None:
    """A process commits a block and dies before checkpointing: its -wal stays."""
    script = textwrap.dedent(
        f"""
        import os, sqlite3
        connection = sqlite3.connect({str(path)!r}, isolation_level=None)
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        connection.execute(
            "INSERT INTO block (uid, title, category_id, start, \\"end\\", notes, fixed, "
            "notify, deadline, done) SELECT 'x', {title!r}, category_id, start, \\"end\\", "
            "'', 0, 1, 0, 0 FROM block LIMIT 1")
        os._exit(0)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_setting_aside_moves_the_log_along_and_never_overwrites(plan: Path) -> None:
    leave_a_write_ahead_log(plan, "Only in the log")
    assert plan.with_name("plan.sqlite3-wal").stat().st_size > 0
    taken = plan.with_name("plan-damaged-20261127-093005.sqlite3")
    taken.write_text("an older file set aside in the same second\n")

    moved = set_aside(plan, WHEN, "damaged")

    assert moved == plan.with_name("plan-damaged-20261127-093005-2.sqlite3")
    assert taken.read_text() == "an older file set aside in the same second\n"
    assert not plan.exists() and not plan.with_name("plan.sqlite3-wal").exists()
    assert moved.with_name(moved.name + "-wal").exists()
    # With its log beside it under the new name, the file still holds every commit.
    assert "Only in the log" in block_titles(moved)
    # A new plan in the old place does not pick up the old log.
    Database.open(plan).close()
    assert "Only in the log" not in block_titles(plan)


# ---------------------------------------------------------------- the command line
@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(dt.datetime(2026, 11, 27, 7, 45), "Europe/Berlin")


def run(paths: AppPaths, clock: ManualClock, *args: str) -> int:
    return main(["--data-dir", str(paths.data_dir), *args], clock=clock)


def test_the_first_command_of_a_day_takes_its_backup(
    paths: AppPaths, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(paths, clock, "add", "Standup", "--start", "09:00", "--end", "09:15") == 0
    assert run(paths, clock, "add", "Review", "--start", "10:00", "--end", "11:00") == 0
    clock.advance(dt.timedelta(days=1))
    assert run(paths, clock, "add", "Retro", "--start", "15:00", "--end", "16:00") == 0
    capsys.readouterr()

    assert [b.path.name for b in list_backups(paths.backups)] == [
        "plan-2026-11-28.sqlite3",
        "plan-2026-11-27.sqlite3",
    ]
    # Each backup is the plan as it was before that day's first edit.
    assert "Standup" not in block_titles(paths.backups / "plan-2026-11-27.sqlite3")
    assert {"Standup", "Review"} <= set(block_titles(paths.backups / "plan-2026-11-28.sqlite3"))
    assert "Retro" not in block_titles(paths.backups / "plan-2026-11-28.sqlite3")


def test_backup_list_now_and_restore_from_the_command_line(
    paths: AppPaths, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(paths, clock, "backup", "list") == 0
    assert capsys.readouterr().out == f"no backups yet in {paths.backups}\n"
    assert run(paths, clock, "add", "Standup", "--start", "09:00", "--end", "09:15") == 0
    assert run(paths, clock, "backup", "now") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("backed up ") and out[-1].endswith("plan-2026-11-27.sqlite3")
    blocks_in_backup = len(block_titles(paths.backups / "plan-2026-11-27.sqlite3"))
    assert run(paths, clock, "remove", out[0]) == 0  # the id "add" printed
    capsys.readouterr()

    assert run(paths, clock, "backup", "list", "--data-dir", str(paths.data_dir)) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.split()[0] == "2026-11-27"
    assert f"{blocks_in_backup} blocks" in line and "KB" in line
    assert line.endswith("plan-2026-11-27.sqlite3")

    assert run(paths, clock, "backup", "restore", "2026-11-27") == 0
    said = capsys.readouterr().out
    assert said.startswith(f"restored the backup of 2026-11-27 ({blocks_in_backup} blocks)")
    assert "plan-before-restore-20261127-074500.sqlite3" in said
    assert "Standup" in block_titles(paths.database)


@pytest.mark.parametrize(
    "case",
    [
        (["backup", "restore"], False, "there are no backups in"),
        (["backup", "restore", "2020-01-01"], True, "there is no backup '2020-01-01' in"),
        (["backup", "restore", "plan-x.sqlite3"], True, "(newest: 2026-11-27)"),
    ],
)
def test_a_restore_that_cannot_be_done_is_one_line_and_exit_1(
    paths: AppPaths,
    clock: ManualClock,
    capsys: pytest.CaptureFixture[str],
    case: tuple[list[str], bool, str],
) -> None:
    args, keep_backups, message = case
    assert run(paths, clock, "add", "Standup", "--start", "09:00", "--end", "09:15") == 0
    capsys.readouterr()
    assert list_backups(paths.backups)  # the first command of the day took one
    if not keep_backups:
        shutil.rmtree(paths.backups)
    before = table_dump(paths.database)
    assert run(paths, clock, *args) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ml-day: error: ") and message in err
    assert table_dump(paths.database) == before


def test_backup_is_a_listed_command_with_one_line_usage_errors(
    capsys: pytest.CaptureFixture[str], paths: AppPaths, clock: ManualClock
) -> None:
    with pytest.raises(SystemExit) as exited:
        run(paths, clock, "backup", "rewind")
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'rewind'" in err


def test_backup_records_are_plain_values() -> None:
    daily = Backup(Path("plan-2026-11-27.sqlite3"), DAY)
    assert daily.label == "2026-11-27" and not daily.before_restore
