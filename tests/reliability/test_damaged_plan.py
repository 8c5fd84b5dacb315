"""A damaged plan file or one from a newer ML Day: the window starts anyway,
nothing is deleted or overwritten, and the newest backup is offered."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import random
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QWidget
from pytestqt.qtbot import QtBot

from ml_day.core.clock import ManualClock
from ml_day.gui.app import open_plan
from ml_day.gui.backup_dialog import BackupDialog
from ml_day.gui.main_window import MainWindow
from ml_day.gui.recovery import DailyBackups
from ml_day.gui.store import PlanStore
from ml_day.main import main
from ml_day.paths import AppPaths, resolve_paths
from ml_day.persistence.backups import list_backups, take_daily_backup
from ml_day.persistence.database import Database
from ml_day.persistence.schema import SCHEMA_VERSION
from tests.reliability.dialogs import DialogAnswerer
from tests.reliability.support import DAY, add_blocks, block_titles, integrity

BERLIN = "Europe/Berlin"
STAMP = "20261127-112300"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), BERLIN)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "data")


@pytest.fixture
def store(qtbot: QtBot, paths: AppPaths) -> Iterator[PlanStore]:
    plan_store = PlanStore(paths)
    yield plan_store
    plan_store.close()


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def truncated(path: Path) -> None:
    add_blocks(path, [f"block {n}" for n in range(300)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def random_bytes(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(random.Random(5).randbytes(48 * 1024))


def not_sqlite(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n" * 100, encoding="utf-8")


def foreign_tables(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.execute("INSERT INTO notes VALUES ('keep me')")
        connection.commit()


DAMAGES: dict[str, Callable[[Path], None]] = {
    "truncated": truncated,
    "random-bytes": random_bytes,
    "not-sqlite": not_sqlite,
    "foreign-tables": foreign_tables,
}


def make_newer(path: Path) -> None:
    add_blocks(path, ["Planned with a newer ML Day"])
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        connection.commit()


# ---------------------------------------------------------------- damaged
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_plan_is_set_aside_and_an_empty_plan_starts(
    store: PlanStore, parent: QWidget, paths: AppPaths, clock: ManualClock, damage: str
) -> None:
    DAMAGES[damage](paths.database)
    original = digest(paths.database)
    answerer = DialogAnswerer(["Start with an empty plan"])
    answerer.arm()

    assert open_plan(store, parent, clock) is True

    assert store.is_ready
    (dialog,) = answerer.seen
    assert dialog.name == "damagedPlanDialog"
    moved = paths.data_dir / f"plan-damaged-{STAMP}.sqlite3"
    assert str(moved) in dialog.text
    assert "There is no backup to restore." in dialog.text
    assert dialog.buttons == ["Start with an empty plan", "Quit"]
    assert digest(moved) == original
    assert integrity(paths.database) == "ok"
    assert store.plan.peek_day_blocks(DAY) == []


def test_the_newest_backup_is_offered_and_restored(
    store: PlanStore, parent: QWidget, paths: AppPaths, clock: ManualClock
) -> None:
    add_blocks(paths.database, ["Kept in the backup"])
    take_daily_backup(paths.database, paths.backups, dt.date(2026, 11, 26))
    add_blocks(paths.database, ["Only in the damaged file"])
    Database.open(paths.database).close()
    not_sqlite(paths.database)
    answerer = DialogAnswerer(["Restore the backup of 2026-11-26"])
    answerer.arm()

    assert open_plan(store, parent, clock) is True

    (dialog,) = answerer.seen
    assert "The newest backup is from 2026-11-26" in dialog.text
    assert dialog.buttons[0] == "Restore the backup of 2026-11-26"
    titles = [b.title for b in store.day_blocks(DAY)]
    assert "Kept in the backup" in titles and "Only in the damaged file" not in titles
    assert (paths.data_dir / f"plan-damaged-{STAMP}.sqlite3").is_file()


def test_quitting_from_the_dialog_keeps_the_damaged_file(
    store: PlanStore, parent: QWidget, paths: AppPaths, clock: ManualClock
) -> None:
    random_bytes(paths.database)
    original = digest(paths.database)
    answerer = DialogAnswerer(["Quit"])
    answerer.arm()
    assert open_plan(store, parent, clock) is False
    assert digest(paths.data_dir / f"plan-damaged-{STAMP}.sqlite3") == original


def test_closing_the_dialog_keeps_the_new_plan(
    store: PlanStore, parent: QWidget, paths: AppPaths, clock: ManualClock
) -> None:
    random_bytes(paths.database)
    answerer = DialogAnswerer([None])
    answerer.arm()
    assert open_plan(store, parent, clock) is True
    assert store.is_ready


# ---------------------------------------------------------------- newer schema
def test_a_newer_plan_is_left_untouched_unless_the_user_chooses(
    store: PlanStore, parent: QWidget, paths: AppPaths, clock: ManualClock
) -> None:
    make_newer(paths.database)
    take_daily_backup(paths.database.with_name("missing.sqlite3"), paths.backups, DAY)
    before = {p.name: digest(p) for p in paths.data_dir.iterdir() if p.is_file()}
    answerer = DialogAnswerer(["Quit"])
    answerer.arm()

    assert open_plan(store, parent, clock) is False

    (dialog,) = answerer.seen
    assert dialog.name == "storageErrorDialog"
    assert "newer ML Day" in dialog.text and "Nothing was changed" in dialog.text
    assert f"plan-newer-schema-{STAMP}.sqlite3" in dialog.text
    assert dialog.buttons == ["Quit", "Set it aside and start an empty plan"]
    assert {p.name: digest(p) for p in paths.data_dir.iterdir() if p.is_file()} == before


def test_a_newer_plan_set_aside_on_request_is_kept_whole(
    store: PlanStore, parent: QWidget, paths: AppPaths, clock: ManualClock
) -> None:
    make_newer(paths.database)
    original = digest(paths.database)
    answerer = DialogAnswerer(["Set it aside and start an empty plan"])
    answerer.arm()

    assert open_plan(store, parent, clock) is True

    moved = paths.data_dir / f"plan-newer-schema-{STAMP}.sqlite3"
    assert digest(moved) == original
    assert "Planned with a newer ML Day" in block_titles(moved)
    assert store.plan.peek_day_blocks(DAY) == []


def test_a_newer_plan_can_be_set_aside_for_a_backup_this_version_reads(
    store: PlanStore, parent: QWidget, paths: AppPaths, clock: ManualClock
) -> None:
    add_blocks(paths.database, ["From the last backup"])
    take_daily_backup(paths.database, paths.backups, dt.date(2026, 11, 25))
    make_newer(paths.database)
    answerer = DialogAnswerer(["Set it aside and restore the backup of 2026-11-25"])
    answerer.arm()

    assert open_plan(store, parent, clock) is True

    titles = [b.title for b in store.day_blocks(DAY)]
    assert "From the last backup" in titles and "Planned with a newer ML Day" not in titles
    assert (paths.data_dir / f"plan-newer-schema-{STAMP}.sqlite3").is_file()


# ---------------------------------------------------------------- the menu
@pytest.fixture
def window(qtbot: QtBot, store: PlanStore, clock: ManualClock, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main_window = MainWindow(store, clock, settings)
    qtbot.addWidget(main_window)
    return main_window


def test_file_restore_from_backup_replaces_the_plan_and_reloads(
    window: MainWindow, store: PlanStore, paths: AppPaths
) -> None:
    add_blocks(paths.database, ["In the backup"])
    take_daily_backup(paths.database, paths.backups, dt.date(2026, 11, 26))
    (paths.backups / "plan-2026-11-27.sqlite3").write_bytes(b"damaged" * 100)
    store.open()
    window.show_day(DAY)
    add_blocks(paths.database, ["Made after the backup"])
    store.check_for_external_changes()
    assert "Made after the backup" in [b.title for b in window.timeline.blocks()]
    chosen: list[list[str]] = []

    def look(dialog: object) -> None:
        assert isinstance(dialog, BackupDialog)
        items = [dialog.backup_list.item(i) for i in range(dialog.backup_list.count())]
        chosen.append([item.text() for item in items])
        picked = dialog.chosen()
        assert picked is not None and picked.day == dt.date(2026, 11, 26)

    answerer = DialogAnswerer(["Restore"], pick=look)
    answerer.arm()
    (file_menu,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    assert isinstance(file_menu, QMenu)
    restore = next(a for a in file_menu.actions() if a.objectName() == "restoreBackupAction")
    restore.trigger()

    (listed,) = chosen
    assert listed[0].startswith("2026-11-27 — cannot be restored: it is not a database")
    assert re.fullmatch(r"2026-11-26 — \d+ blocks, \d+ KB", listed[1])
    titles = [b.title for b in window.timeline.blocks()]
    assert "In the backup" in titles and "Made after the backup" not in titles
    assert window.statusBar().currentMessage() == "Restored the backup of 2026-11-26"
    assert store.undo_stack.count() == 0
    kept = [b for b in list_backups(paths.backups) if b.before_restore]
    assert len(kept) == 1 and "Made after the backup" in block_titles(kept[0].path)


def test_cancelling_the_backup_dialog_changes_nothing(
    window: MainWindow, store: PlanStore, paths: AppPaths
) -> None:
    add_blocks(paths.database, ["Stays"])
    take_daily_backup(paths.database, paths.backups, dt.date(2026, 11, 26))
    store.open()
    add_blocks(paths.database, ["Also stays"])
    answerer = DialogAnswerer(["Cancel"])
    answerer.arm()
    window.restore_from_backup()
    assert answerer.seen and answerer.seen[0].name == "backupDialog"
    assert {"Stays", "Also stays"} <= set(block_titles(paths.database))
    assert len(list_backups(paths.backups)) == 1


# ---------------------------------------------------------------- daily backups in the window
def test_the_window_takes_a_backup_at_start_and_after_each_midnight(
    qtbot: QtBot, store: PlanStore, paths: AppPaths, clock: ManualClock
) -> None:
    store.open()
    daily = DailyBackups(store, clock)
    daily.run()
    assert [b.day for b in list_backups(paths.backups)] == [DAY]
    # 12 h 37 min to midnight in Berlin, then one more minute.
    assert daily.timer.isActive()
    assert daily.timer.interval() == ((12 * 60 + 37) * 60 + 60) * 1000

    clock.advance(dt.timedelta(hours=12, minutes=38))
    daily.run()  # what the timer does when it fires
    assert [b.day for b in list_backups(paths.backups)] == [DAY + dt.timedelta(days=1), DAY]
    daily.close()
    assert not daily.timer.isActive()


# ---------------------------------------------------------------- the command line
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_the_command_line_sets_a_damaged_plan_aside_in_one_line(
    paths: AppPaths, clock: ManualClock, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    DAMAGES[damage](paths.database)
    original = digest(paths.database)
    capsys.readouterr()

    status = main(["--data-dir", str(paths.data_dir), "agenda", "--date", "2026-11-27"], clock)

    assert status == 1
    err = capsys.readouterr().err
    moved = paths.data_dir / f"plan-damaged-{STAMP}.sqlite3"
    assert err.count("\n") == 1 and err.startswith("ml-day: error: the plan database ")
    assert f"it was moved to {moved}" in err
    assert "to restore a backup run 'ml-day backup restore latest'" in err
    assert digest(moved) == original
    # The next command starts a new plan.
    assert main(["--data-dir", str(paths.data_dir), "agenda"], clock) == 0
    assert integrity(paths.database) == "ok"


def test_the_command_line_leaves_a_newer_plan_alone(
    paths: AppPaths, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    make_newer(paths.database)
    before = {p.name: digest(p) for p in paths.data_dir.iterdir() if p.is_file()}
    capsys.readouterr()
    args = ["--data-dir", str(paths.data_dir), "add", "X", "--start", "09:00", "--end", "10:00"]
    assert main(args, clock) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "newer ML Day" in err and "please update ML Day" in err
    assert {p.name: digest(p) for p in paths.data_dir.iterdir() if p.is_file()} == before
