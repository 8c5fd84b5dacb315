"""A plan that cannot be written just now (disk full, read-only folder): the
edit stays on screen as unsaved, is retried, and is never dropped silently.

Two ways to make writing fail:

* a real full disk: a tiny tmpfs mounted under tmp_path, filled up (needs the
  privilege to mount; skipped without it);
* everywhere else, SQLite's own "database or disk is full" error injected at
  the narrowest point Python reaches: the driver's execute call for writing
  statements (a SQLAlchemy ``before_cursor_execute`` hook). Everything above
  it (error translation, the store, the window) is the real code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, event

from ml_day.core.blocks import BlockDraft
from ml_day.core.clock import ManualClock
from ml_day.core.editing import CreateBlock, DeleteBlock, PlanEdit, UpdateBlock
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import RETRY_DELAYS_MS, PlanStore
from ml_day.paths import AppPaths, resolve_paths
from tests.reliability.dialogs import DialogAnswerer
from tests.reliability.support import DAY, at

WRITES = ("INSERT", "UPDATE", "DELETE")


class FullDisk:
    """Makes the store's writing statements fail as SQLite does when the disk is full."""

    def __init__(self, engine: Engine) -> None:
        self.full = False
        self.refused = 0
        event.listen(engine, "before_cursor_execute", self._check)

    def _check(self, *args: Any) -> None:
        statement = str(args[2])
        if self.full and statement.lstrip().upper().startswith(WRITES):
            self.refused += 1
            raise sqlite3.OperationalError("database or disk is full")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), "Europe/Berlin")


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "data")


@pytest.fixture
def store(qtbot: QtBot, paths: AppPaths) -> Iterator[PlanStore]:
    plan_store = PlanStore(paths)
    yield plan_store
    plan_store.close()


@pytest.fixture
def window(qtbot: QtBot, store: PlanStore, clock: ManualClock, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    main_window = MainWindow(store, clock, settings)
    qtbot.addWidget(main_window)
    store.open()
    main_window.show_day(DAY)
    with qtbot.waitActive(main_window):
        main_window.show()
        main_window.activateWindow()
    return main_window


@pytest.fixture
def disk(store: PlanStore, window: MainWindow) -> FullDisk:
    return FullDisk(store.plan.database.engine)


def stored_titles(paths: AppPaths) -> dict[int, tuple[str, str]]:
    uri = f"{paths.database.as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
        rows = connection.execute("SELECT id, title, start FROM block")
        return {row[0]: (row[1], row[2][11:16]) for row in rows}


def shown(window: MainWindow, title: str) -> tuple[int, str]:
    block = next(b for b in window.timeline.blocks() if b.title == title)
    return block.id, f"{block.start:%H:%M}"


def select_and_press(qtbot: QtBot, window: MainWindow, title: str, key: Qt.Key) -> None:
    """Select a block and press a key on the timeline, as the user does."""
    block_id, _start = shown(window, title)
    window.timeline.setFocus()
    window.timeline.set_selected_blocks([block_id])
    QTest.keyClick(window.timeline, key)


# ---------------------------------------------------------------- injected
def test_an_edit_that_cannot_be_written_stays_visible_and_is_retried(
    qtbot: QtBot, window: MainWindow, store: PlanStore, paths: AppPaths, disk: FullDisk
) -> None:
    lunch_id, _ = shown(window, "Lunch with the team")
    disk.full = True

    select_and_press(qtbot, window, "Lunch with the team", Qt.Key.Key_Down)

    # On screen: the move, marked as unsaved. On disk: nothing yet.
    assert shown(window, "Lunch with the team") == (lunch_id, "12:05")
    assert stored_titles(paths)[lunch_id] == ("Lunch with the team", "12:00")
    bar = window.unsaved_bar
    assert bar.isVisible()
    assert bar.label.text() == (
        f"1 change not saved: cannot use the data folder {paths.data_dir}: "
        "database or disk is full — retrying"
    )
    timer = store._retry_timer
    assert timer.isActive() and timer.interval() == RETRY_DELAYS_MS[0]
    assert store.undo_stack.count() == 1  # undoable already

    timer.timeout.emit()  # the first retry: still full, so it waits longer
    assert bar.isVisible() and timer.interval() == RETRY_DELAYS_MS[1]
    timer.timeout.emit()
    assert timer.interval() == RETRY_DELAYS_MS[2]

    disk.full = False
    timer.timeout.emit()

    assert stored_titles(paths)[lunch_id] == ("Lunch with the team", "12:05")
    assert not bar.isVisible() and not timer.isActive()
    assert shown(window, "Lunch with the team") == (lunch_id, "12:05")
    store.undo_stack.undo()
    assert stored_titles(paths)[lunch_id] == ("Lunch with the team", "12:00")


def test_the_retry_button_saves_at_once(
    qtbot: QtBot, window: MainWindow, store: PlanStore, paths: AppPaths, disk: FullDisk
) -> None:
    lunch_id, _ = shown(window, "Lunch with the team")
    disk.full = True
    select_and_press(qtbot, window, "Lunch with the team", Qt.Key.Key_Down)
    QTest.mouseClick(window.unsaved_bar.retry_button, Qt.MouseButton.LeftButton)
    assert window.unsaved_bar.isVisible()  # still full
    disk.full = False
    QTest.mouseClick(window.unsaved_bar.retry_button, Qt.MouseButton.LeftButton)
    assert not window.unsaved_bar.isVisible()
    assert stored_titles(paths)[lunch_id][1] == "12:05"


def test_edits_made_while_unsaved_are_kept_in_order_with_their_new_blocks(
    qtbot: QtBot, window: MainWindow, store: PlanStore, paths: AppPaths, disk: FullDisk
) -> None:
    gym_id, _ = shown(window, "Exercise, shower, breakfast")
    before = stored_titles(paths)
    disk.full = True
    draft = BlockDraft(title="Paper reading", category="deep-work", start=at(15), end=at(16))
    window.apply_edit(PlanEdit("Add Paper reading", (CreateBlock(draft),)))
    temporary_id, start = shown(window, "Paper reading")
    assert temporary_id < 0 and start == "15:00"
    # Edit the block that exists only on screen, and delete another one.
    window.apply_edit(
        PlanEdit("Move", (UpdateBlock(temporary_id, draft.__class__(
            title="Paper reading", category="deep-work", start=at(16), end=at(17))),))
    )  # fmt: skip
    window.apply_edit(PlanEdit("Delete", (DeleteBlock(gym_id),)))
    assert "Exercise, shower, breakfast" not in [b.title for b in window.timeline.blocks()]
    assert window.unsaved_bar.label.text().startswith("3 changes not saved: ")
    assert stored_titles(paths) == before

    disk.full = False
    store.retry_unsaved()

    after = stored_titles(paths)
    (new_id,) = set(after) - set(before)
    assert after[new_id] == ("Paper reading", "16:00")
    assert gym_id not in after
    assert shown(window, "Paper reading") == (new_id, "16:00")
    assert all(block.id > 0 for block in window.timeline.blocks())
    assert not window.unsaved_bar.isVisible()
    # Undo walks back through them as stored edits.
    store.undo_stack.undo()
    store.undo_stack.undo()
    assert stored_titles(paths)[new_id] == ("Paper reading", "15:00")
    assert gym_id in stored_titles(paths)


def test_undoing_an_unsaved_edit_forgets_it_and_redo_queues_it_again(
    qtbot: QtBot, window: MainWindow, store: PlanStore, paths: AppPaths, disk: FullDisk
) -> None:
    lunch_id, _ = shown(window, "Lunch with the team")
    disk.full = True
    select_and_press(qtbot, window, "Lunch with the team", Qt.Key.Key_Down)
    assert store.unsaved_count == 1

    store.undo_stack.undo()
    assert store.unsaved_count == 0 and not window.unsaved_bar.isVisible()
    assert shown(window, "Lunch with the team") == (lunch_id, "12:00")

    store.undo_stack.redo()
    assert store.unsaved_count == 1 and window.unsaved_bar.isVisible()
    disk.full = False
    store.retry_unsaved()
    assert stored_titles(paths)[lunch_id][1] == "12:05"


def test_an_unsaved_edit_refused_on_retry_is_reported_not_dropped_silently(
    qtbot: QtBot, window: MainWindow, store: PlanStore, paths: AppPaths, disk: FullDisk
) -> None:
    lunch_id, _ = shown(window, "Lunch with the team")
    disk.full = True
    window.apply_edit(PlanEdit("Delete Lunch", (DeleteBlock(lunch_id),)))
    disk.full = False
    # Meanwhile the command line deleted that block.
    removed = subprocess.run(
        [sys.executable, "-m", "ml_day", "--data-dir", str(paths.data_dir), "remove",
         str(lunch_id)],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert removed.returncode == 0, removed.stderr
    with qtbot.waitSignal(store.editFailed) as failed:
        store.retry_unsaved()
    assert failed.args == [f"Delete Lunch: there is no block with id {lunch_id}"]
    assert store.unsaved_count == 0 and not window.unsaved_bar.isVisible()


def test_quitting_with_unsaved_edits_asks_first(
    qtbot: QtBot,
    window: MainWindow,
    store: PlanStore,
    disk: FullDisk,
    caplog: pytest.LogCaptureFixture,
) -> None:
    disk.full = True
    select_and_press(qtbot, window, "Lunch with the team", Qt.Key.Key_Down)
    quits: list[bool] = []
    window.quitRequested.connect(lambda: quits.append(True))

    answerer = DialogAnswerer(["Keep running"])
    answerer.arm()
    window.quit_application()
    assert answerer.seen[0].name == "unsavedQuitDialog"
    assert "1 change is not saved yet." in answerer.seen[0].text
    assert quits == [] and window.isVisible()

    answerer = DialogAnswerer(["Quit and lose it"])
    answerer.arm()
    window.quit_application()
    assert quits == [True]
    with caplog.at_level(logging.ERROR, logger="ml_day.store"):
        store.close()
    assert "quitting with an unsaved edit" in caplog.text


def test_closing_the_window_without_a_tray_asks_too(
    qtbot: QtBot, window: MainWindow, store: PlanStore, paths: AppPaths, disk: FullDisk
) -> None:
    lunch_id, _ = shown(window, "Lunch with the team")
    disk.full = True
    select_and_press(qtbot, window, "Lunch with the team", Qt.Key.Key_Down)
    answerer = DialogAnswerer(["Retry now"])
    answerer.arm()
    window.close()
    assert answerer.seen[0].name == "unsavedQuitDialog"
    assert window.isVisible() and store.unsaved_count == 1  # still full: stays open

    disk.full = False
    answerer = DialogAnswerer(["Retry now"])
    answerer.arm()
    window.close()
    assert not window.isVisible() and store.unsaved_count == 0
    assert stored_titles(paths)[lunch_id][1] == "12:05"


def test_reading_a_day_never_filled_works_while_the_disk_is_full(
    window: MainWindow, store: PlanStore, disk: FullDisk
) -> None:
    disk.full = True
    window.show_day(DAY + dt.timedelta(days=30))  # filling it would write
    titles = [block.title for block in window.timeline.blocks()]
    assert "Lunch with the team" in titles  # previewed from the template
    assert disk.refused >= 1


# ---------------------------------------------------------------- a real full disk
def mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip() or 'not permitted'})")


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB file system of its own (unmounted at the end)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder = tmp_path / "tiny"
    mount_tmpfs(folder, "2m")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Write a file until the disk says it is full."""
    filler = folder / "filler"
    with (
        filler.open("wb", buffering=0) as handle,
        pytest.raises(OSError, match="No space left") as full,
    ):
        write_forever(handle)
    assert full.value.errno == errno.ENOSPC
    return filler


def write_forever(handle: BinaryIO) -> None:
    while True:
        handle.write(b"\0" * 65536)


def test_a_really_full_disk_keeps_the_edit_until_there_is_room(
    qtbot: QtBot, tiny_disk: Path, clock: ManualClock
) -> None:
    paths = resolve_paths(tiny_disk / "data")
    store = PlanStore(paths)
    settings = QSettings(str(tiny_disk.parent / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, clock, settings)
    qtbot.addWidget(window)
    store.open()
    window.show_day(DAY)
    window.show()
    try:
        filler = fill(tiny_disk)
        notes = "n" * 19_000  # each edit needs fresh pages in the log
        made: list[str] = []
        for number in range(40):
            title = f"Edit {number}"
            draft = BlockDraft(
                title=title, category="general", start=at(15), end=at(16), notes=notes
            )
            window.apply_edit(PlanEdit(f"Add {title}", (CreateBlock(draft),)))
            made.append(title)
            if store.unsaved_count:
                break
        assert store.unsaved_count == 1, "the disk never filled up"
        assert window.unsaved_bar.isVisible()
        assert "not saved: cannot use the data folder" in window.unsaved_bar.label.text()
        assert made[-1] in [b.title for b in window.timeline.blocks()]

        filler.unlink()
        store.retry_unsaved()

        assert store.unsaved_count == 0 and not window.unsaved_bar.isVisible()
        stored = {b.title for b in store.plan.peek_day_blocks(DAY)}
        assert set(made) <= stored
    finally:
        store.close()
    with contextlib.closing(sqlite3.connect(paths.database)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_read_only_data_folder_is_named_by_the_command_line(tmp_path: Path) -> None:
    """A real read-only mount (root ignores permission bits, not a read-only mount)."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    data = tmp_path / "data"
    data.mkdir()
    mounted = subprocess.run(
        ["mount", "--bind", "-o", "ro", str(data), str(data)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot bind-mount here ({mounted.stderr.strip()})")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "ml_day", "--data-dir", str(data), "add", "X",
             "--start", "09:00", "--end", "10:00"],
            capture_output=True, text=True, check=False, timeout=60,
        )  # fmt: skip
    finally:
        subprocess.run(["umount", "-l", str(data)], check=False)
    assert result.returncode == 1
    assert (
        result.stderr == f"ml-day: error: cannot use the data folder {data}: it is not writable\n"
    )
    assert list(data.iterdir()) == []
