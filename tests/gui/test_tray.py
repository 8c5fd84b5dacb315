"""The tray's text, menu and icon, and the in-window banner, on a real plan.

The offscreen platform never offers a system tray, so the tests build the
:class:`TrayIcon` with ``system_tray=False``: its text, menu and icon are made
by plain methods that do not need one. Nothing is mocked. The real tray host
(embedding, the menu on screen, balloons) is tested on the real-desktop rig.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ml_day.core.blocks import Block
from ml_day.core.clock import ManualClock
from ml_day.core.editing import PlanEdit, UpdateBlock
from ml_day.core.timemodel import to_instant
from ml_day.gui.banner import BANNER_MS, Banner, BannerBackend
from ml_day.gui.notifier import MINUTE_TICK_SLACK_MS, Notifier
from ml_day.gui.store import PlanStore
from ml_day.gui.tray import (
    ICON_SIZES,
    TrayBalloonBackend,
    TrayIcon,
    delivery_chain,
    paint_status_icon,
    tray_available,
)
from ml_day.notify.backends import DeliveryError
from ml_day.paths import resolve_paths
from ml_day.persistence.notifier_state import NotifierStateRepository

BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = dt.date(2026, 11, 27)
DEEP_WORK_COLOUR = QColor("#6c4bd8")


def at(hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    wall = dt.datetime.combine(FRIDAY, dt.time(hour, minute, second))
    return to_instant(wall, BERLIN).astimezone(dt.UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(at(11, 23), BERLIN)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[PlanStore]:
    plan_store = PlanStore(resolve_paths(tmp_path / "data"))
    plan_store.open()
    yield plan_store
    plan_store.close()


@pytest.fixture
def notifier(store: PlanStore, clock: ManualClock) -> Iterator[Notifier]:
    the_notifier = Notifier(store, clock, [])
    the_notifier.start()
    yield the_notifier
    the_notifier.close()


@pytest.fixture
def tray(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, notifier: Notifier
) -> Iterator[TrayIcon]:
    # The offscreen platform has no tray host: build the menu, text and icon only.
    the_tray = TrayIcon(store, clock, notifier, system_tray=False)
    qtbot.addWidget(the_tray.menu)
    yield the_tray
    the_tray.close()


def deep_work(store: PlanStore) -> Block:
    return next(block for block in store.day_blocks(FRIDAY) if block.title.startswith("Deep"))


def menu_texts(tray: TrayIcon) -> list[str]:
    return [action.text() for action in tray.menu.actions()]


# ---------------------------------------------------------------- text and menu
def test_now_and_next_at_11_23(tray: TrayIcon) -> None:
    assert tray.header_lines == (
        "Now: Deep work until 12:00 (37 min left)",
        "Next: Lunch with the team at 12:00",
    )
    assert tray.tooltip() == (
        "ML Day\nNow: Deep work until 12:00 (37 min left)\nNext: Lunch with the team at 12:00"
    )
    assert menu_texts(tray) == [
        "Now: Deep work until 12:00 (37 min left)",
        "Next: Lunch with the team at 12:00",
        "",
        "&Open planner",
        "Mark current block &done",
        "&Snooze",
        "&Pause notifications",
        "&Resume notifications",
        "",
        "&Quit",
    ]
    assert not tray.now_action.isEnabled()
    assert not tray.next_action.isEnabled()
    assert not tray.resume_action.isVisible()
    assert [action.text() for action in tray.snooze_menu.actions()] == [
        "5 minutes",
        "10 minutes",
        "15 minutes",
    ]
    assert [action.text() for action in tray.pause_menu.actions()] == [
        "30 minutes",
        "1 hour",
        "Until tomorrow",
    ]


def test_the_text_follows_the_clock_once_a_minute(tray: TrayIcon, clock: ManualClock) -> None:
    # The notifier's minute tick, a little after each minute (MINUTE_TICK_SLACK_MS).
    assert tray.minute_timer.isSingleShot()
    assert tray.minute_timer.interval() == 60_000 + MINUTE_TICK_SLACK_MS
    clock.set(at(11, 23, 20) + dt.timedelta(milliseconds=500))
    tray.minute_timer.timeout.emit()  # what the timer does on the minute
    assert tray.header_lines[0] == "Now: Deep work until 12:00 (37 min left)"
    assert tray.minute_timer.interval() == 39_500 + MINUTE_TICK_SLACK_MS
    clock.set(at(12, 0))
    tray.refresh()
    assert tray.header_lines == (
        "Now: Lunch with the team until 13:00 (1 h left)",
        "Next: Meetings and client calls at 13:00",
    )


def test_the_text_follows_an_edit_of_the_plan(tray: TrayIcon, store: PlanStore) -> None:
    block = deep_work(store)
    draft = block.draft()
    longer = type(draft)(
        title=draft.title,
        category=draft.category,
        start=draft.start,
        end=draft.end.replace(hour=11, minute=45),
    )
    store.apply(PlanEdit("Shorten Deep work", (UpdateBlock(block.id, longer),)))
    assert tray.header_lines == (
        "Now: Deep work until 11:45 (22 min left)",
        "Next: Lunch with the team at 12:00",
    )


def test_between_blocks_the_tray_is_idle(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, notifier: Notifier
) -> None:
    clock.set(at(8, 30))
    notifier.check_now()
    tray = TrayIcon(store, clock, notifier, system_tray=False)
    qtbot.addWidget(tray.menu)
    assert tray.header_lines == ("Now: nothing planned", "Next: Catch up at 09:00")
    assert tray.icon_colour is None
    assert tray.progress is None
    assert not tray.done_action.isEnabled()
    image = tray.icon().pixmap(32, 32).toImage()
    assert image.pixelColor(16, 16).alpha() == 0  # an empty ring
    tray.close()


# ---------------------------------------------------------------- the icon
def test_the_icon_is_the_current_category_colour_with_a_progress_arc(tray: TrayIcon) -> None:
    assert tray.icon_colour == DEEP_WORK_COLOUR
    assert tray.progress == pytest.approx(83 / 120)
    icon = tray.icon()
    for size in ICON_SIZES:
        image = icon.pixmap(size, size).toImage()
        assert image.width() == size
        assert image.pixelColor(size // 2, size // 2).name() == DEEP_WORK_COLOUR.name()


def test_the_arc_shows_the_elapsed_part() -> None:
    colour = QColor("#1f9aa8")
    size = 64
    half = paint_status_icon(size, colour, 0.5).toImage()
    # Twelve to six o'clock, clockwise: the right half of the ring is the strong
    # arc, the left half only the faint track.
    ring_y = size // 2
    right = half.pixelColor(size - 5, ring_y)
    left = half.pixelColor(4, ring_y)
    assert right.alpha() == 255
    assert left.alpha() < 160
    empty = paint_status_icon(size, colour, 0.0).toImage()
    assert empty.pixelColor(size - 5, ring_y).alpha() < 160


# ---------------------------------------------------------------- the menu's actions
def test_open_and_quit_are_signals_for_the_app(qtbot: QtBot, tray: TrayIcon) -> None:
    with qtbot.waitSignal(tray.openPlannerRequested, timeout=1000):
        tray.open_action.trigger()
    with qtbot.waitSignal(tray.quitRequested, timeout=1000):
        tray.quit_action.trigger()


def test_mark_current_block_done_is_an_undoable_edit(tray: TrayIcon, store: PlanStore) -> None:
    assert tray.done_action.isEnabled()
    tray.done_action.trigger()
    assert deep_work(store).done
    assert store.undo_stack.undoText() == "Mark Deep work done"
    assert not tray.done_action.isEnabled()
    store.undo_stack.undo()
    assert not deep_work(store).done
    assert tray.done_action.isEnabled()


def test_snooze_from_the_menu(tray: TrayIcon, notifier: Notifier, store: PlanStore) -> None:
    tray.snooze_menu.actions()[1].trigger()  # 10 minutes
    (snoozed,) = notifier.snoozed()
    assert snoozed.summary == "Deep work — until 12:00"
    assert snoozed.instant == at(11, 33)
    stored = NotifierStateRepository(store.plan.database).snoozes()
    assert stored == [snoozed]


def test_pause_and_resume_from_the_menu(
    tray: TrayIcon, notifier: Notifier, clock: ManualClock
) -> None:
    tray.pause_menu.actions()[0].trigger()  # 30 minutes
    assert notifier.paused_until() == at(11, 53)
    assert tray.resume_action.isVisible()
    assert tray.tooltip().endswith("\nNotifications paused until 11:53")
    tray.resume_action.trigger()
    assert notifier.paused_until() is None
    assert not tray.resume_action.isVisible()
    tray.pause_menu.actions()[1].trigger()  # 1 hour
    assert notifier.paused_until() == at(12, 23)
    tray.pause_menu.actions()[2].trigger()  # until tomorrow
    assert notifier.paused_until() == at(0, 0) + dt.timedelta(days=1)
    clock.set(at(0, 0) + dt.timedelta(days=1, minutes=1))
    tray.refresh()
    assert not tray.resume_action.isVisible()


# ---------------------------------------------------------------- delivery backends
def test_without_a_tray_the_balloon_backend_is_unavailable(tray: TrayIcon) -> None:
    assert not tray_available()  # the offscreen platform
    assert tray.system_tray is None
    balloon = TrayBalloonBackend(tray)
    assert balloon.name == "tray"
    assert not balloon.available()
    with pytest.raises(DeliveryError, match="no tray icon"):
        balloon.send("Lunch with the team starts now — until 13:00", "")


def test_the_banner_shows_a_message_and_hides_itself(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    banner = Banner(window)
    QVBoxLayout(window).addWidget(banner)
    window.show()
    qtbot.waitExposed(window)
    assert not banner.isVisible()
    backend = BannerBackend(banner)
    assert (backend.name, backend.available()) == ("banner", True)
    backend.send("Lunch with the team starts now — until 13:00", "Lunch with the team")
    assert banner.isVisible()
    assert banner.summary_label.text() == "Lunch with the team starts now — until 13:00"
    assert banner.body_label.text() == "Lunch with the team"
    assert banner.hide_timer.isActive()
    assert banner.hide_timer.isSingleShot()
    assert banner.hide_timer.interval() == BANNER_MS == 10_000
    banner.hide_timer.timeout.emit()  # ten seconds later
    assert not banner.isVisible()
    backend.send("Meetings and client calls in 5 minutes", "")
    assert banner.isVisible()
    assert not banner.body_label.isVisibleTo(banner)
    banner.close_button.click()
    assert not banner.isVisible()
    assert not banner.hide_timer.isActive()


def test_a_banner_in_a_hidden_window_waits_until_it_is_seen(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    banner = Banner(window)
    QVBoxLayout(window).addWidget(banner)
    BannerBackend(banner).send("Lunch with the team starts now — until 13:00", "")
    assert not banner.isVisible()
    assert not banner.hide_timer.isActive()  # the window is in the tray: keep it
    window.show()
    qtbot.waitExposed(window)
    assert banner.isVisible()
    assert banner.hide_timer.isActive()


def test_the_notifier_falls_back_to_the_banner_when_there_is_no_tray(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, tray: TrayIcon
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    banner = Banner(window)
    QVBoxLayout(window).addWidget(banner)
    window.show()
    qtbot.waitExposed(window)
    clock.set(at(11, 59))
    notifier = Notifier(store, clock, [])
    notifier.set_backends([TrayBalloonBackend(tray), BannerBackend(banner)])
    notifier.start()
    try:
        clock.set(at(12, 0))
        with qtbot.waitSignal(notifier.deliveredVia, timeout=1000) as delivered:
            notifier.check_now()
        assert delivered.args == ["banner"]
        assert banner.summary_label.text() == "Lunch with the team starts now — until 13:00"
    finally:
        notifier.close()


def test_the_delivery_chain_without_a_tray(qtbot: QtBot, tray: TrayIcon) -> None:
    banner = Banner()
    qtbot.addWidget(banner)
    assert [backend.name for backend in delivery_chain(tray, banner)] == ["freedesktop", "banner"]
    assert [backend.name for backend in delivery_chain(None, None, freedesktop=False)] == []


def test_the_tray_wakes_with_the_notifier_and_has_no_timer_of_its_own(
    tray: TrayIcon, notifier: Notifier, clock: ManualClock
) -> None:
    # Hidden in the tray, the app wakes once a minute in all: the notifier's tick
    # checks for clock jumps and refreshes the tray.
    assert tray.findChildren(QTimer) == []
    assert tray.minute_timer is notifier.minute_timer
    clock.set(at(11, 40) + dt.timedelta(milliseconds=20))
    notifier.minute_timer.timeout.emit()
    assert tray.header_lines[0] == "Now: Deep work until 12:00 (20 min left)"
    assert notifier.minute_timer.isActive()
    assert notifier.minute_timer.interval() == 60_000 - 20 + MINUTE_TICK_SLACK_MS
