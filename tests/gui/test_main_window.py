"""The real main window on a temporary data folder, driven by keys and clicks."""

from __future__ import annotations

import datetime as dt
import sqlite3

from PySide6.QtCore import QDate, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ml_day.core.clock import ManualClock
from ml_day.gui.app import settings_for
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import PlanStore
from ml_day.paths import AppPaths

FRIDAY = dt.date(2026, 11, 27)


def open_window(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, settings: QSettings
) -> MainWindow:
    window = MainWindow(store, clock, settings)
    qtbot.addWidget(window)
    window.show_day(FRIDAY)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    store.open()
    return window


def titles(window: MainWindow) -> list[str]:
    return [block.title for block in window.timeline.blocks()]


def test_first_launch_creates_the_database_and_shows_today(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    assert not paths.database.exists()
    window = open_window(qtbot, store, clock, settings_for(paths))
    assert paths.database.is_file()
    assert window.windowTitle() == "Friday, 27 November 2026 — ML Day"
    assert window.date_label.text() == "Friday, 27 November 2026"
    assert titles(window) == [
        "Sleep",
        "Exercise, shower, breakfast",
        "Catch up: overnight runs, email, today's task list",
        "Deep work: code, data, experiments",
        "Lunch with the team",
        "Meetings and client calls",
        "Finish tasks, unit tests, model metrics vs baseline, client requests",
        "Wrap-up: merge pending changes, nothing left half-done",
        "Head home",
        "Last email check",
        "Sleep",
    ]
    assert all(block.id > 0 for block in window.timeline.blocks())
    assert "Now: Deep work: code, data, experiments until 12:00" in window.now_label.text()
    assert "Next: Lunch with the team at 12:00" in window.now_label.text()


def test_the_now_line_is_at_the_clock_time_and_scrolled_into_view(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    window = open_window(qtbot, store, clock, settings_for(paths))
    view = window.timeline
    y = view.now_line_y()
    assert y is not None
    assert 0 <= y < view.viewport().height()
    deep_work = next(b for b in view.blocks() if b.title.startswith("Deep work"))
    rect = view.block_rect(deep_work.id)
    expected = rect.top() + rect.height() * (83 / 120)  # 11:23 is 83 of 120 minutes in
    assert abs(y - expected) <= 3
    clock.advance(dt.timedelta(minutes=30))
    view.refresh_now()
    moved = view.now_line_y()
    assert moved is not None
    assert abs((moved - y) - view.scale().pixels_per_hour / 2) <= 2


def test_keyboard_moves_between_days_and_back_to_today(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    window = open_window(qtbot, store, clock, settings_for(paths))
    QTest.keyClick(window.timeline, Qt.Key.Key_Right)
    assert window.day == FRIDAY + dt.timedelta(days=1)
    assert window.date_label.text() == "Saturday, 28 November 2026"
    assert window.timeline.now_line_y() is None
    QTest.keyClick(window.timeline, Qt.Key.Key_PageDown)
    assert window.day == FRIDAY + dt.timedelta(days=2)
    QTest.keyClick(window.timeline, Qt.Key.Key_Left)
    QTest.keyClick(window.timeline, Qt.Key.Key_PageUp)
    QTest.keyClick(window.timeline, Qt.Key.Key_PageUp)
    assert window.day == FRIDAY - dt.timedelta(days=1)
    QTest.keyClick(window.timeline, Qt.Key.Key_T)
    assert window.day == FRIDAY
    assert window.timeline.now_line_y() is not None


def test_buttons_and_date_picker_change_the_day(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    window = open_window(qtbot, store, clock, settings_for(paths))
    QTest.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.day == dt.date(2026, 11, 28)
    QTest.mouseClick(window.previous_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.previous_button, Qt.MouseButton.LeftButton)
    assert window.day == dt.date(2026, 11, 26)
    QTest.mouseClick(window.today_button, Qt.MouseButton.LeftButton)
    assert window.day == FRIDAY
    window.date_picker.setDate(QDate(2026, 3, 29))
    assert window.day == dt.date(2026, 3, 29)
    assert window.clock_change_label.isVisibleTo(window)
    assert "02:00-03:00 does not happen today" in window.clock_change_label.text()
    assert len(window.timeline.clock_change_bands()) == 1
    window.date_picker.setDate(QDate(2026, 10, 25))
    assert "02:00-03:00 happens twice today" in window.clock_change_label.text()
    QTest.mouseClick(window.today_button, Qt.MouseButton.LeftButton)
    assert not window.clock_change_label.isVisibleTo(window)


def test_visited_days_are_filled_once_and_kept(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    window = open_window(qtbot, store, clock, settings_for(paths))
    QTest.keyClick(window.timeline, Qt.Key.Key_Right)
    QTest.keyClick(window.timeline, Qt.Key.Key_Left)
    QTest.keyClick(window.timeline, Qt.Key.Key_Right)
    connection = sqlite3.connect(paths.database)
    days = [row[0] for row in connection.execute("SELECT date FROM day ORDER BY date")]
    per_day = connection.execute(
        "SELECT date(start), count(*) FROM block GROUP BY date(start) ORDER BY 1"
    ).fetchall()
    connection.close()
    # Each shown day is filled with the day before it (whose night runs into
    # it) and the day after it (which a push past midnight must not run into).
    assert days == ["2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]
    assert per_day == [
        ("2026-11-26", 10),
        ("2026-11-27", 10),
        ("2026-11-28", 10),
        ("2026-11-29", 10),
    ]


def test_a_midnight_crossing_block_shows_on_both_days(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    window = open_window(qtbot, store, clock, settings_for(paths))
    sleep = window.timeline.blocks()[-1]
    assert sleep.title == "Sleep"
    tonight = window.timeline.block_rect(sleep.id)
    QTest.keyClick(window.timeline, Qt.Key.Key_Right)
    assert window.timeline.blocks()[0].id == sleep.id
    window.timeline.verticalScrollBar().setValue(0)
    morning = window.timeline.block_rect(sleep.id)
    scale = window.timeline.scale()
    assert abs(tonight.height() - scale.pixels_per_hour * 1.5) <= 3  # 22:30-24:00
    assert abs(morning.height() - scale.pixels_per_hour * 6) <= 3  # 00:00-06:00


def test_the_window_remembers_its_size_and_position(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    window = open_window(qtbot, store, clock, settings_for(paths))
    window.resize(700, 640)
    window.close()
    assert paths.settings.is_file()
    again = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (700, 640)


def test_the_window_paints_before_the_database_layer_is_loaded(
    qtbot: QtBot, clock: ManualClock, paths: AppPaths
) -> None:
    first = PlanStore(paths)
    first.open()
    first.day_blocks(FRIDAY)
    first.close()
    store = PlanStore(paths)
    window = MainWindow(store, clock, settings_for(paths))
    qtbot.addWidget(window)
    window.show_day(FRIDAY, store.quick_day(FRIDAY))
    assert not store.is_ready
    assert len(window.timeline.blocks()) == 11
    store.open()
    assert [b.id for b in window.timeline.blocks()] == [b.id for b in store.day_blocks(FRIDAY)]
    store.close()


def test_the_window_follows_today_across_midnight(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    window = open_window(qtbot, store, clock, settings_for(paths))
    clock.set(dt.datetime(2026, 11, 27, 23, 0, 30, tzinfo=dt.UTC))  # 00:00:30 in Berlin
    window._midnight_passed()  # what the single-shot midnight timer calls
    assert window.day == dt.date(2026, 11, 28)
    assert window.timeline.now_line_y() is not None


def test_a_window_hidden_in_the_tray_wakes_nobody_each_minute(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, paths: AppPaths
) -> None:
    def minute_timers() -> list[QTimer]:
        return [
            timer
            for timer in window.findChildren(QTimer)
            if timer.isActive() and timer.interval() <= 60_000
        ]

    window = open_window(qtbot, store, clock, settings_for(paths))
    assert minute_timers(), "shown, the status line and the now line follow the minutes"
    window.hide()  # what closing the window to the tray does
    assert minute_timers() == []
    window.reload()  # a reload while hidden (an edit from the command line) arms none
    assert minute_timers() == []
    clock.advance(dt.timedelta(minutes=7))
    window.show()
    assert minute_timers(), "shown again, they come back"
    assert "Now: Deep work: code, data, experiments until 12:00" in window.now_label.text()
