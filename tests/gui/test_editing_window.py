"""Editing from the real main window: the block editor, undo/redo, snapping, refusals,
and edits made by the command line showing up in an open window.

Every test reads the database file itself to check what was stored.
"""

from __future__ import annotations

import configparser
import contextlib
import datetime as dt
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from ml_day.core.blocks import BlockDraft
from ml_day.core.clock import ManualClock
from ml_day.core.editing import CreateBlock, PlanEdit, UpdateBlock
from ml_day.gui.app import settings_for
from ml_day.gui.block_editor import BlockEditor
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import PlanStore
from ml_day.paths import AppPaths, resolve_paths

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from ml_day.core.blocks import Block

FRIDAY = dt.date(2026, 11, 27)
StoredRow = tuple[str, str, str, str, str, int, int, int, int]


def show_window(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, settings: QSettings
) -> MainWindow:
    window = MainWindow(store, clock, settings)
    qtbot.addWidget(window)
    window.show_day(FRIDAY, store.quick_day(FRIDAY) or [])
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def window(qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths) -> MainWindow:
    opened = show_window(qtbot, store, clock, settings_for(paths))
    store.open()
    return opened


def titles(window: MainWindow) -> list[str]:
    return [block.title for block in window.timeline.blocks()]


def shown_block(window: MainWindow, title: str) -> Block:
    return next(block for block in window.timeline.blocks() if block.title == title)


def stored(paths: AppPaths, block_id: int) -> StoredRow | None:
    """The block's row as the database file has it."""
    with contextlib.closing(sqlite3.connect(paths.database)) as connection:
        row = connection.execute(
            'SELECT block.title, category.name, block.start, block."end", block.notes,'
            " block.fixed, block.notify, block.deadline, block.done"
            " FROM block JOIN category ON category.id = block.category_id"
            " WHERE block.id = ?",
            (block_id,),
        ).fetchone()
    return None if row is None else (row[0], row[1], row[2], row[3], row[4], *row[5:])


def stored_count(paths: AppPaths) -> int:
    with contextlib.closing(sqlite3.connect(paths.database)) as connection:
        count: int = connection.execute("SELECT count(*) FROM block").fetchone()[0]
    return count


LUNCH_ROW: StoredRow = (
    "Lunch with the team",
    "meal",
    "2026-11-27 12:00:00.000000",
    "2026-11-27 13:00:00.000000",
    "",
    0,
    1,
    0,
    0,
)


def retype(field: QWidget, text: str) -> None:
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(field, text)


class EditorAnswer:
    """Answers the block editor once it is open.

    The window runs the editor with ``exec()``, whose own event loop runs the
    timer; the answer waits (one event loop turn at a time) for the dialog to
    be the active modal widget and to have the keyboard focus, as it has by
    the time a user types, then hands it to ``answer``. If the answer
    fails, the dialog is closed so the test does not hang, and the error is
    raised by :meth:`check`.
    """

    def __init__(self, answer: Callable[[BlockEditor], None]) -> None:
        self._answer = answer
        self._turns = 0
        self.editor: BlockEditor | None = None
        self.error: BaseException | None = None
        QTimer.singleShot(0, self._try)

    def _try(self) -> None:
        modal = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        if not isinstance(modal, BlockEditor) or focus is None or not modal.isAncestorOf(focus):
            self._turns += 1
            if self._turns < 1000:
                QTimer.singleShot(0, self._try)
            return
        self.editor = modal
        try:
            self._answer(modal)
        except BaseException as error:  # noqa: BLE001 - re-raised by check()
            self.error = error
        if modal.isVisible():
            modal.reject()

    def check(self) -> None:
        """Raise what went wrong while answering (the window deletes the editor after)."""
        if self.error is not None:
            raise self.error
        assert self.editor is not None, "the block editor did not open"


def double_click_block(window: MainWindow, block: Block) -> None:
    view = window.timeline
    view.ensure_time_visible(block.start)
    rect = view.block_rect(block.id)
    assert not rect.isEmpty()
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# ------------------------------------------------------------------ tests


def test_editing_is_off_until_the_plan_is_open(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    window = show_window(qtbot, store, clock, settings_for(paths))
    assert not window.timeline.is_editable()
    assert not window.new_block_action.isEnabled()
    assert not window.undo_action.isEnabled()
    store.open()
    assert window.timeline.is_editable()
    assert window.new_block_action.isEnabled()


def test_double_click_edits_a_block_and_undo_redo_restore_it(
    window: MainWindow, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    assert stored(paths, lunch.id) == LUNCH_ROW

    def answer(editor: BlockEditor) -> None:
        assert editor.title_edit.text() == "Lunch with the team"
        retype(editor.title_edit, "Team lunch outside")
        retype(editor.end_edit, "2026-11-27 13:30")
        retype(editor.notes_edit, "Park cafe")
        QTest.keyClick(editor.title_edit, Qt.Key.Key_Return)

    answered = EditorAnswer(answer)
    double_click_block(window, lunch)
    answered.check()

    changed: StoredRow = (
        "Team lunch outside",
        "meal",
        "2026-11-27 12:00:00.000000",
        "2026-11-27 13:30:00.000000",
        "Park cafe",
        0,
        1,
        0,
        0,
    )
    assert stored(paths, lunch.id) == changed
    assert "Team lunch outside" in titles(window)
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "Undo Edit Team lunch outside"

    window.undo_action.trigger()
    assert stored(paths, lunch.id) == LUNCH_ROW
    assert "Lunch with the team" in titles(window)
    assert window.redo_action.text() == "Redo Edit Team lunch outside"

    window.redo_action.trigger()
    assert stored(paths, lunch.id) == changed
    assert "Team lunch outside" in titles(window)


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo(window: MainWindow, paths: AppPaths) -> None:
    lunch = shown_block(window, "Lunch with the team")
    later = replace(
        lunch.draft(),
        start=dt.datetime(2026, 11, 27, 12, 30),
        end=dt.datetime(2026, 11, 27, 13, 30),
    )
    window.timeline.editRequested.emit(
        PlanEdit("Move Lunch with the team", (UpdateBlock(lunch.id, later),))
    )
    moved = stored(paths, lunch.id)
    assert moved is not None and moved[2:4] == (
        "2026-11-27 12:30:00.000000",
        "2026-11-27 13:30:00.000000",
    )
    window.timeline.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(paths, lunch.id) == LUNCH_ROW
    QTest.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert stored(paths, lunch.id) == moved
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(paths, lunch.id) == LUNCH_ROW
    QTest.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored(paths, lunch.id) == moved
    assert window.undo_action.text() == "Undo Move Lunch with the team"


def test_enter_on_the_selected_block_opens_the_editor_and_escape_changes_nothing(
    window: MainWindow, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    window.timeline.set_selected_blocks([lunch.id])
    window.timeline.setFocus()

    def answer(editor: BlockEditor) -> None:
        assert editor.title_edit.text() == "Lunch with the team"
        retype(editor.title_edit, "Not kept")
        QTest.keyClick(editor.title_edit, Qt.Key.Key_Escape)

    answered = EditorAnswer(answer)
    QTest.keyClick(window.timeline, Qt.Key.Key_Return)
    answered.check()
    assert stored(paths, lunch.id) == LUNCH_ROW
    assert window.undo_action.text() == "Undo"
    assert not window.undo_action.isEnabled()


def test_marking_done_in_the_editor_is_stored_and_undone(
    window: MainWindow, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")

    def answer(editor: BlockEditor) -> None:
        assert editor.done_box is not None
        box = editor.done_box
        QTest.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        assert box.isChecked()
        QTest.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)

    answered = EditorAnswer(answer)
    double_click_block(window, lunch)
    answered.check()
    row = stored(paths, lunch.id)
    assert row is not None and row[-1] == 1
    assert shown_block(window, "Lunch with the team").done
    assert window.undo_action.text() == "Undo Edit Lunch with the team"
    window.undo_action.trigger()
    assert stored(paths, lunch.id) == LUNCH_ROW


def test_the_editor_deletes_a_block_and_undo_brings_it_back(
    window: MainWindow, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    before = stored_count(paths)

    def answer(editor: BlockEditor) -> None:
        assert editor.delete_button is not None
        QTest.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)

    answered = EditorAnswer(answer)
    double_click_block(window, lunch)
    answered.check()
    assert stored(paths, lunch.id) is None
    assert stored_count(paths) == before - 1
    assert "Lunch with the team" not in titles(window)
    assert window.undo_action.text() == "Undo Delete Lunch with the team"
    window.undo_action.trigger()
    assert stored(paths, lunch.id) == LUNCH_ROW
    assert "Lunch with the team" in titles(window)


def test_an_invalid_editor_cannot_save(window: MainWindow, paths: AppPaths) -> None:
    lunch = shown_block(window, "Lunch with the team")

    def answer(editor: BlockEditor) -> None:
        retype(editor.end_edit, "2026-11-27 11:00")
        assert editor.span_error.isVisibleTo(editor)
        assert not editor.ok_button.isEnabled()
        QTest.keyClick(editor.title_edit, Qt.Key.Key_Return)
        assert editor.isVisible()
        QTest.keyClick(editor.title_edit, Qt.Key.Key_Escape)

    answered = EditorAnswer(answer)
    double_click_block(window, lunch)
    answered.check()
    assert stored(paths, lunch.id) == LUNCH_ROW


def test_a_refused_edit_says_why_in_the_status_bar_and_changes_nothing(
    window: MainWindow, store: PlanStore, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    backwards = replace(lunch.draft(), end=dt.datetime(2026, 11, 27, 11, 0))
    window.timeline.editRequested.emit(
        PlanEdit("Resize Lunch with the team", (UpdateBlock(lunch.id, backwards),))
    )
    assert window.statusBar().currentMessage() == (
        "Not saved: the end (11:00) is not after the start (12:00)"
    )
    assert stored(paths, lunch.id) == LUNCH_ROW
    assert store.undo_stack.count() == 0
    assert not window.undo_action.isEnabled()

    window.statusBar().clearMessage()
    empty = replace(lunch.draft(), title="   ")
    assert store.apply(PlanEdit("Edit", (UpdateBlock(lunch.id, empty),))) is None
    assert window.statusBar().currentMessage() == "Not saved: the title is empty"
    assert stored(paths, lunch.id) == LUNCH_ROW


def test_the_timeline_status_messages_reach_the_status_bar(window: MainWindow) -> None:
    window.timeline.statusMessage.emit("Alt: no snapping · Shift: push · Ctrl: copy")
    assert window.statusBar().currentMessage() == "Alt: no snapping · Shift: push · Ctrl: copy"
    window.timeline.statusMessage.emit("")
    assert window.statusBar().currentMessage() == ""


def test_a_failure_is_not_wiped_by_the_timeline_clearing_its_hint(
    window: MainWindow, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    window.timeline.statusMessage.emit("Moving Lunch with the team")
    backwards = replace(lunch.draft(), end=dt.datetime(2026, 11, 27, 11, 0))
    window.timeline.editRequested.emit(PlanEdit("Move", (UpdateBlock(lunch.id, backwards),)))
    window.timeline.statusMessage.emit("")
    assert window.statusBar().currentMessage().startswith("Not saved: the end (11:00)")
    assert stored(paths, lunch.id) == LUNCH_ROW


def test_a_block_created_on_the_timeline_is_stored_and_selected(
    window: MainWindow, paths: AppPaths
) -> None:
    before = stored_count(paths)
    draft = BlockDraft(
        title="Write report",
        category="deep-work",
        start=dt.datetime(2026, 11, 27, 17, 0),
        end=dt.datetime(2026, 11, 27, 17, 45),
    )
    window.timeline.editRequested.emit(PlanEdit("Create Write report", (CreateBlock(draft),)))
    assert stored_count(paths) == before + 1
    created = shown_block(window, "Write report")
    assert window.timeline.selected_blocks() == [created.id]
    row = stored(paths, created.id)
    assert row is not None
    assert row[:4] == (
        "Write report",
        "deep-work",
        "2026-11-27 17:00:00.000000",
        "2026-11-27 17:45:00.000000",
    )
    assert window.edit_block_action.isEnabled()
    assert window.delete_action.isEnabled()


def test_selection_actions_are_off_without_a_selection(window: MainWindow) -> None:
    window.timeline.set_selected_blocks([])
    window.edit_menu.aboutToShow.emit()
    for action in (
        window.edit_block_action,
        window.duplicate_action,
        window.delete_action,
        window.done_action,
        *window.push_actions.values(),
    ):
        assert not action.isEnabled(), action.text()
    assert window.new_block_action.isEnabled()
    lunch = shown_block(window, "Lunch with the team")
    window.timeline.set_selected_blocks([lunch.id])
    for action in (window.edit_block_action, window.delete_action, window.duplicate_action):
        assert action.isEnabled(), action.text()


def test_the_edit_menu_deletes_and_duplicates_the_selection(
    window: MainWindow, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    window.timeline.set_selected_blocks([lunch.id])
    before = stored_count(paths)
    window.duplicate_action.trigger()
    assert stored_count(paths) == before + 1
    assert titles(window).count("Lunch with the team") == 2
    window.undo_action.trigger()
    assert stored_count(paths) == before
    window.timeline.set_selected_blocks([lunch.id])
    window.delete_action.trigger()
    assert stored(paths, lunch.id) is None
    window.undo_action.trigger()
    assert stored(paths, lunch.id) == LUNCH_ROW


def test_snap_choice_reaches_the_view_and_is_remembered(
    qtbot: QtBot, window: MainWindow, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    assert window.timeline.snap_minutes() == 5
    assert window.snap_actions[5].isChecked()
    window.snap_menu.actions()[2].trigger()  # "15 minutes"
    assert window.timeline.snap_minutes() == 15
    assert window.snap_actions[15].isChecked()
    assert not window.snap_actions[5].isChecked()
    ini = configparser.ConfigParser()
    ini.read(paths.settings)
    assert ini["editing"]["snap_minutes"] == "15"

    again = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(again)
    assert again.timeline.snap_minutes() == 15
    assert again.snap_actions[15].isChecked()


def test_a_snap_setting_that_is_not_a_choice_falls_back_to_five_minutes(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    paths.data_dir.mkdir(parents=True)
    paths.settings.write_text("[editing]\nsnap_minutes=7\n", encoding="utf-8")
    window = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(window)
    assert window.timeline.snap_minutes() == 5
    assert window.snap_actions[5].isChecked()


def test_an_edit_from_the_command_line_shows_up_in_the_open_window(
    qtbot: QtBot, window: MainWindow, store: PlanStore, paths: AppPaths
) -> None:
    assert "From script" not in titles(window)
    environment = {**os.environ, "TZ": "Europe/Berlin"}
    environment.pop("ML_DAY_DATA_DIR", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ml_day",
            "--data-dir",
            str(paths.data_dir),
            "add",
            "From script",
            "--date",
            "2026-11-27",
            "--start",
            "15:00",
            "--end",
            "15:30",
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    new_id = int(result.stdout.strip())
    # The window learns of it from the file watcher (inotify), not from a clock.
    qtbot.waitUntil(lambda: "From script" in titles(window), timeout=5000)
    assert shown_block(window, "From script").id == new_id
    row = stored(paths, new_id)
    assert row is not None and row[2:4] == (
        "2026-11-27 15:00:00.000000",
        "2026-11-27 15:30:00.000000",
    )
    assert store.undo_stack.count() == 0  # another process's edit is not ours to undo


def test_the_windows_own_edit_reloads_the_day_once(
    qtbot: QtBot, window: MainWindow, store: PlanStore, paths: AppPaths
) -> None:
    reloads: list[None] = []
    store.planChanged.connect(lambda: reloads.append(None))
    lunch = shown_block(window, "Lunch with the team")
    later = replace(
        lunch.draft(),
        start=dt.datetime(2026, 11, 27, 12, 15),
        end=dt.datetime(2026, 11, 27, 13, 15),
    )
    # The write wakes the file watcher; its check (a short single-shot timer
    # after the file event) must find that the change was this window's own.
    with qtbot.waitSignal(store._check_timer.timeout, timeout=5000):
        window.apply_edit(PlanEdit("Move Lunch with the team", (UpdateBlock(lunch.id, later),)))
    assert len(reloads) == 1
    assert not store.check_for_external_changes()
    row = stored(paths, lunch.id)
    assert row is not None and row[2] == "2026-11-27 12:15:00.000000"


def test_delete_on_the_timeline_removes_the_selection_and_ctrl_z_restores_it(
    window: MainWindow, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    window.timeline.set_selected_blocks([lunch.id])
    window.timeline.setFocus()
    QTest.keyClick(window.timeline, Qt.Key.Key_Delete)
    assert stored(paths, lunch.id) is None
    assert "Lunch with the team" not in titles(window)
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(paths, lunch.id) == LUNCH_ROW


def test_delete_in_the_date_field_deletes_no_block(window: MainWindow, paths: AppPaths) -> None:
    lunch = shown_block(window, "Lunch with the team")
    window.timeline.set_selected_blocks([lunch.id])
    window.date_picker.setFocus()
    QTest.keyClick(window.date_picker, Qt.Key.Key_Delete)
    QTest.keyClick(window.date_picker, Qt.Key.Key_Return)
    assert stored(paths, lunch.id) == LUNCH_ROW
    assert QApplication.activeModalWidget() is None


def test_push_rest_of_day_from_the_menu_is_one_undoable_edit(
    window: MainWindow, store: PlanStore, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    shorter = replace(lunch.draft(), end=dt.datetime(2026, 11, 27, 12, 45))
    assert store.apply(PlanEdit("Resize", (UpdateBlock(lunch.id, shorter),))) is not None
    catch_up = next(b for b in window.timeline.blocks() if b.title.startswith("Catch up"))
    deep_work = next(b for b in window.timeline.blocks() if b.title.startswith("Deep work"))
    window.timeline.set_selected_blocks([catch_up.id])
    window.edit_menu.aboutToShow.emit()
    assert window.push_actions[30].isEnabled()
    window.push_actions[30].trigger()  # only 15 minutes of room before the fixed meetings

    def span(block_id: int) -> tuple[str, str]:
        row = stored(paths, block_id)
        assert row is not None
        return row[2], row[3]

    assert span(deep_work.id) == ("2026-11-27 10:15:00.000000", "2026-11-27 12:15:00.000000")
    assert span(lunch.id) == ("2026-11-27 12:15:00.000000", "2026-11-27 13:00:00.000000")
    assert span(catch_up.id) == ("2026-11-27 09:00:00.000000", "2026-11-27 10:00:00.000000")
    assert window.statusBar().currentMessage().startswith("Pushed by 15 min only")
    assert window.undo_action.text() == "Undo Push 2 blocks by 15 min"
    window.undo_action.trigger()
    assert span(deep_work.id) == ("2026-11-27 10:00:00.000000", "2026-11-27 12:00:00.000000")
    assert span(lunch.id) == ("2026-11-27 12:00:00.000000", "2026-11-27 12:45:00.000000")


def test_mark_done_from_the_menu_toggles_the_stored_flag(
    window: MainWindow, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    window.timeline.set_selected_blocks([lunch.id])
    assert not window.done_action.isChecked()
    window.done_action.trigger()
    row = stored(paths, lunch.id)
    assert row is not None and row[-1] == 1
    assert window.done_action.isChecked()
    window.done_action.trigger()
    assert stored(paths, lunch.id) == LUNCH_ROW
    assert not window.done_action.isChecked()


def test_new_block_from_the_menu_asks_for_a_title_and_stores_it(
    window: MainWindow, paths: AppPaths
) -> None:
    window.timeline.set_selected_blocks([])
    before = stored_count(paths)
    window.new_block_action.trigger()
    title_editor = window.timeline.title_editor()
    assert title_editor.is_open()
    QTest.keyClicks(title_editor, "Standup")
    QTest.keyClick(title_editor, Qt.Key.Key_Return)
    assert stored_count(paths) == before + 1
    standup = shown_block(window, "Standup")
    row = stored(paths, standup.id)
    assert row is not None
    assert row[2:4] == ("2026-11-27 11:25:00.000000", "2026-11-27 11:55:00.000000")
    assert window.timeline.selected_blocks() == [standup.id]
    assert window.undo_action.text() == "Undo Create Standup"


def test_ctrl_return_marks_done_and_ctrl_d_duplicates_on_the_timeline(
    window: MainWindow, paths: AppPaths
) -> None:
    lunch = shown_block(window, "Lunch with the team")
    window.timeline.set_selected_blocks([lunch.id])
    window.timeline.setFocus()
    QTest.keyClick(window.timeline, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    row = stored(paths, lunch.id)
    assert row is not None and row[-1] == 1
    before = stored_count(paths)
    window.timeline.set_selected_blocks([lunch.id])
    QTest.keyClick(window.timeline, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert stored_count(paths) == before + 1
    copy_id = window.timeline.selected_blocks()[0]
    assert copy_id != lunch.id
    copy = stored(paths, copy_id)
    assert copy is not None
    assert copy[0] == "Lunch with the team"
    assert copy[2:4] == ("2026-11-27 13:00:00.000000", "2026-11-27 14:00:00.000000")


def test_a_push_past_midnight_stops_at_the_next_mornings_first_block(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Pushing the evening must not run the night's sleep into tomorrow's exercise."""
    paths = resolve_paths(tmp_path / "data")
    clock = ManualClock.at_local(dt.datetime(2026, 11, 27, 21, 0), "Europe/Berlin")
    store = PlanStore(paths)
    window = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(window)
    window.show_day(dt.date(2026, 11, 27))
    store.open()
    email = next(b for b in window.timeline.blocks() if b.title == "Last email check")
    window.timeline.set_selected_block(email.id)
    window.timeline.push_after_selection(60)
    connection = sqlite3.connect(paths.database)
    rows = connection.execute(
        "SELECT title, start, \"end\" FROM block WHERE start >= '2026-11-27 22:00' "
        "AND start < '2026-11-28 07:00' ORDER BY start"
    ).fetchall()
    connection.close()
    sleep = next(row for row in rows if row[0] == "Sleep")
    exercise = next(row for row in rows if row[0] == "Exercise, shower, breakfast")
    assert sleep[2] <= exercise[1]  # no new overlap with tomorrow's first block
    assert exercise[1] == "2026-11-28 06:00:00.000000"  # tomorrow was not moved
    # Sleep ends where Exercise starts: there is no room, and the window says so.
    assert sleep[1:] == ("2026-11-27 22:30:00.000000", "2026-11-28 06:00:00.000000")
    message = window.statusBar().currentMessage()
    assert message.startswith("No room to push") and "Exercise" in message
    store.close()
