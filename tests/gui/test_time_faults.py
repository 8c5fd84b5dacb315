"""Time faults with the real window, store and notifier on a real plan file: the
app left open across midnight, the system clock set back or forward, the
machine moved to another zone, a night when the clocks change.

Time is a :class:`ManualClock` that the tests move; nothing waits on real
time. A timer is fired the way Qt fires it, only sooner: its interval is set
to zero and the test waits for its ``timeout``, so the slot it is connected
to, and only that, runs. Messages go to :class:`Recorder`, a stand-in for the
desktop's notification daemon, which only the desktop rig (tests/desktop) has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from ml_day.core.blocks import BlockDraft
from ml_day.core.clock import ManualClock
from ml_day.core.editing import CreateBlock, PlanEdit
from ml_day.core.notifications import Announcement, AnnouncementKind
from ml_day.core.timemodel import to_instant
from ml_day.gui.app import settings_for
from ml_day.gui.main_window import MainWindow
from ml_day.gui.notifier import Notifier
from ml_day.gui.store import PlanStore
from ml_day.paths import AppPaths

BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = dt.date(2026, 11, 27)
SATURDAY = FRIDAY + dt.timedelta(days=1)
WAIT_MS = 5000
"""Upper bound for a delivery to come back from the delivery thread (milliseconds)."""


def at(day: dt.date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN) -> dt.datetime:
    """The UTC instant of a wall time in ``zone``."""
    wall = dt.datetime.combine(day, dt.time(hour, minute))
    return to_instant(wall, zone).astimezone(dt.UTC)


@dataclass
class Recorder:
    """Records what it is asked to show, as the notification daemon would show it."""

    name: str = "recorder"
    sent: list[str] = field(default_factory=list)

    def available(self) -> bool:
        return True

    def send(self, summary: str, body: str, *, urgency: str = "normal", app_icon: str = "") -> None:
        del body, urgency, app_icon
        self.sent.append(summary)


@dataclass
class App:
    """The window, the store and the notifier, wired as the app wires them."""

    qtbot: QtBot
    clock: ManualClock
    store: PlanStore
    window: MainWindow
    notifier: Notifier
    recorder: Recorder
    announced: list[Announcement] = field(default_factory=list)

    def fire(self, timer: QTimer) -> None:
        """What happens when ``timer`` runs out (the clock has been moved to then)."""
        assert timer.isActive(), f"{timer.objectName() or 'the timer'} is not armed"
        with self.qtbot.waitSignal(timer.timeout, timeout=WAIT_MS):
            timer.start(0)
        self.settle()

    def fire_notifier_at(self, instant: dt.datetime) -> None:
        """Time runs to ``instant``, where the notifier's timer is due."""
        assert self.notifier.next_wakeup == instant, self.notifier.next_wakeup
        self.clock.set(instant)
        self.fire(self.notifier.timer)

    def clock_jumps_to(self, instant: dt.datetime) -> None:
        """The system clock is set (or the machine wakes up) at ``instant``: the
        notifier's minute tick notices."""
        self.clock.set(instant)
        assert self.notifier.check_for_clock_jump()
        self.settle()

    def window_timer(self, name: str) -> QTimer:
        """The window's ``rolloverTimer`` (midnight) or ``statusTimer`` (each minute)."""
        timer = self.window.findChild(QTimer, name)
        assert isinstance(timer, QTimer), name
        return timer

    def settle(self) -> None:
        self.qtbot.waitUntil(lambda: self.notifier.deliveries_in_flight == 0, timeout=WAIT_MS)

    def titles_shown(self) -> list[str]:
        return [block.title for block in self.window.timeline.blocks()]

    def keys(self) -> list[tuple[str, int | None, dt.datetime]]:
        return [item.key for item in self.announced if item.kind is not AnnouncementKind.SUMMARY]


StartApp = Callable[..., App]


@pytest.fixture
def make_app(qtbot: QtBot, paths: AppPaths) -> Iterator[StartApp]:
    """Starts the app with the clock at an instant (and a zone)."""
    opened: list[App] = []

    def start(instant: dt.datetime, zone: ZoneInfo = BERLIN) -> App:
        clock = ManualClock(instant, zone)
        store = PlanStore(paths)
        window = MainWindow(store, clock, settings_for(paths))
        qtbot.addWidget(window)
        window.show_today()
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        store.open()
        recorder = Recorder()
        notifier = Notifier(store, clock, [recorder])
        app = App(qtbot, clock, store, window, notifier, recorder)
        notifier.announced.connect(app.announced.append)
        notifier.start()
        app.settle()
        opened.append(app)
        return app

    yield start
    for app in opened:
        app.notifier.close()
        app.store.close()


# ---------------------------------------------------------------- midnight
def test_the_app_left_open_across_midnight_moves_to_the_new_day_and_keeps_announcing(
    make_app: StartApp,
) -> None:
    app: App = make_app(at(FRIDAY, 23, 50))
    window, notifier = app.window, app.notifier
    assert window.day == FRIDAY
    assert notifier.next_wakeup == at(SATURDAY, 0, 0)  # nothing left today: wake at midnight

    app.clock.set(at(SATURDAY, 0, 0))
    app.fire(notifier.timer)
    app.clock.set(at(SATURDAY, 0, 0) + dt.timedelta(seconds=0.5))
    app.fire(app.window_timer("rolloverTimer"))  # the window's midnight timer

    assert window.day == SATURDAY
    assert "Saturday" in window.windowTitle()
    assert app.titles_shown()[:2] == ["Sleep", "Exercise, shower, breakfast"]  # from Friday night
    assert window.timeline.now_line_y() is not None
    assert app.window_timer("rolloverTimer").isActive()  # and armed for the next midnight
    assert app.window_timer("rolloverTimer").remainingTime() > 23 * 3600 * 1000

    # The notifier read Saturday when the day began and goes on with it.
    assert notifier.next_wakeup == at(SATURDAY, 6, 0)
    app.fire_notifier_at(at(SATURDAY, 6, 0))
    app.fire_notifier_at(at(SATURDAY, 9, 0))
    assert app.recorder.sent == [
        "Exercise starts now — until 08:00",
        "Catch up starts now — until 10:00",
    ]


def test_a_suspend_across_midnight_shows_the_new_day_within_a_minute_of_waking(
    make_app: StartApp,
) -> None:
    app: App = make_app(at(FRIDAY, 21, 0))
    # Asleep from 21:00 to 07:30: no timer ran (Qt's timers stop with the machine).
    app.clock.set(at(SATURDAY, 7, 30))
    app.fire(app.window_timer("statusTimer"))  # the window's once-a-minute refresh comes first
    assert app.window.day == SATURDAY
    assert app.window.timeline.now_line_y() is not None
    assert app.notifier.check_for_clock_jump()
    app.settle()
    assert app.recorder.sent == ["While you were away"]
    body = app.announced[-1].body
    assert "Last email check 22:00" in body and "Exercise 06:00" in body
    assert app.notifier.next_wakeup == at(SATURDAY, 9, 0)


# ---------------------------------------------------------------- clock set back or forward
def test_a_clock_set_forward_an_hour_summarises_the_hour_and_loses_nothing(
    make_app: StartApp,
) -> None:
    app: App = make_app(at(FRIDAY, 11, 50))
    app.clock_jumps_to(at(FRIDAY, 12, 50))
    assert app.recorder.sent == ["While you were away"]
    assert app.announced[-1].body.startswith("While you were away: Lunch with the team 12:00.")
    assert app.notifier.next_wakeup == at(FRIDAY, 12, 55)
    app.fire_notifier_at(at(FRIDAY, 12, 55))
    app.fire_notifier_at(at(FRIDAY, 13, 0))
    assert app.recorder.sent == [
        "While you were away",
        "Meetings and client calls in 5 minutes",
        "Meetings and client calls starts now — until 14:00",
    ]


def test_a_clock_set_back_an_hour_repeats_nothing_and_loses_nothing(make_app: StartApp) -> None:
    app: App = make_app(at(FRIDAY, 11, 59))
    app.fire_notifier_at(at(FRIDAY, 12, 0))
    assert app.recorder.sent == ["Lunch with the team starts now — until 13:00"]

    app.clock.set(at(FRIDAY, 12, 10))
    app.clock_jumps_to(at(FRIDAY, 11, 10))  # set back: noon comes round again
    assert app.window.day == FRIDAY
    # The watermark stays at 12:10: lunch is not due again, the meeting's pre-alert is next.
    assert app.notifier.next_wakeup == at(FRIDAY, 12, 55)
    app.fire_notifier_at(at(FRIDAY, 12, 55))
    app.fire_notifier_at(at(FRIDAY, 13, 0))
    assert app.recorder.sent == [
        "Lunch with the team starts now — until 13:00",
        "Meetings and client calls in 5 minutes",
        "Meetings and client calls starts now — until 14:00",
    ]
    assert len(app.keys()) == len(set(app.keys()))


def test_a_clock_set_back_across_midnight_brings_the_window_back_to_today(
    make_app: StartApp,
) -> None:
    app: App = make_app(at(SATURDAY, 0, 10))
    assert app.window.day == SATURDAY
    app.clock_jumps_to(at(FRIDAY, 23, 50))  # the clock was fast; it is corrected
    app.fire(app.window_timer("statusTimer"))
    assert app.window.day == FRIDAY
    assert app.window.timeline.now_line_y() is not None


# ---------------------------------------------------------------- zones
def test_moving_west_keeps_the_blocks_and_announces_by_the_new_zone(make_app: StartApp) -> None:
    app: App = make_app(at(FRIDAY, 11, 30))
    lunch_before = next(b for b in app.window.timeline.blocks() if b.title.startswith("Lunch"))
    app.clock.set_zone("Europe/London")  # 10:30 there
    assert app.notifier.check_for_clock_jump()
    app.fire(app.window_timer("statusTimer"))
    assert app.window.timeline.zone() == ZoneInfo("Europe/London")  # durations, now line
    # No block moved: the plan is wall-clock time.
    lunch = next(b for b in app.window.timeline.blocks() if b.title.startswith("Lunch"))
    assert lunch == lunch_before
    assert (lunch.start, lunch.end) == (
        dt.datetime(2026, 11, 27, 12),
        dt.datetime(2026, 11, 27, 13),
    )
    # Lunch is announced at noon in London, an hour later than it would have been.
    london = ZoneInfo("Europe/London")
    app.fire_notifier_at(at(FRIDAY, 12, 0, london))
    assert app.recorder.sent == ["Lunch with the team starts now — until 13:00"]


def test_moving_west_after_a_start_does_not_announce_it_again(make_app: StartApp) -> None:
    app: App = make_app(at(FRIDAY, 11, 58))
    app.fire_notifier_at(at(FRIDAY, 12, 0))
    assert app.recorder.sent == ["Lunch with the team starts now — until 13:00"]
    app.clock.set(at(FRIDAY, 12, 30))
    app.clock.set_zone("Europe/London")  # 11:30 there: noon comes again
    assert app.notifier.check_for_clock_jump()
    london = ZoneInfo("Europe/London")
    # Announcing goes on from 12:30 wall time, now in London: lunch is not repeated,
    # the meeting's reminder comes at 12:55 London time.
    assert app.notifier.next_wakeup == at(FRIDAY, 12, 55, london)
    app.fire_notifier_at(at(FRIDAY, 12, 55, london))
    assert app.recorder.sent == [
        "Lunch with the team starts now — until 13:00",
        "Meetings and client calls in 5 minutes",
    ]


def test_moving_east_over_a_start_tells_what_was_skipped(make_app: StartApp) -> None:
    app: App = make_app(at(FRIDAY, 11, 30))
    app.clock.set_zone("Europe/Moscow")  # 13:30 there: lunch at 12:00 was jumped over
    assert app.notifier.check_for_clock_jump()
    app.settle()
    assert app.recorder.sent == ["While you were away"]
    assert app.keys() == sorted(set(app.keys()))


def test_moving_east_past_midnight_shows_the_new_local_day(make_app: StartApp) -> None:
    app: App = make_app(at(FRIDAY, 22, 20))
    tokyo = ZoneInfo("Asia/Tokyo")
    app.clock.set_zone(tokyo)  # 06:20 on Saturday there
    assert app.notifier.check_for_clock_jump()
    app.settle()
    app.fire(app.window_timer("statusTimer"))
    assert app.window.day == SATURDAY
    assert app.window.timeline.now_line_y() is not None
    # The clocks moved past Friday's last email check and Saturday's exercise:
    # the notifier follows the new zone from now on and goes on with Saturday.
    assert app.notifier.next_wakeup == at(SATURDAY, 9, 0, tokyo)
    app.fire_notifier_at(at(SATURDAY, 9, 0, tokyo))
    assert app.recorder.sent[-1] == "Catch up starts now — until 10:00"
    assert len(app.keys()) == len(set(app.keys()))


# ---------------------------------------------------------------- a night when the clocks change
def test_a_block_in_the_skipped_hour_is_announced_once_when_the_clocks_jump(
    make_app: StartApp,
) -> None:
    spring = dt.date(2026, 3, 29)  # Berlin skips 02:00-03:00
    app: App = make_app(at(spring - dt.timedelta(days=1), 23, 59))
    app.clock.set(at(spring, 0, 0))
    app.fire(app.window_timer("rolloverTimer"))
    assert app.window.day == spring
    assert app.window.clock_change_label.text() == (
        "Clocks go forward 1 hour: 02:00-03:00 does not happen today"
    )
    draft = BlockDraft(
        title="Night batch check",
        category="deep-work",
        start=dt.datetime(2026, 3, 29, 2, 30),
        end=dt.datetime(2026, 3, 29, 3, 30),
    )
    assert app.store.apply(PlanEdit("Create", (CreateBlock(draft),))) is not None
    jump = dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)  # 02:00 CET becomes 03:00 CEST
    app.fire_notifier_at(jump)
    assert app.recorder.sent == ["Night batch check starts now — until 03:30"]
    app.fire_notifier_at(at(spring, 6, 0))
    assert app.recorder.sent[-1] == "Exercise starts now — until 08:00"
    assert app.recorder.sent.count("Night batch check starts now — until 03:30") == 1


def test_a_window_showing_another_day_stays_on_it_when_the_date_changes(
    make_app: StartApp,
) -> None:
    app = make_app(at(FRIDAY, 23, 59))
    monday = dt.date(2026, 11, 30)
    app.window.show_day(monday)
    app.clock.set(at(SATURDAY, 0, 0, ZoneInfo("Asia/Tokyo")))  # a new date, and a new zone
    app.clock.set_zone("Asia/Tokyo")
    app.fire(app.window_timer("statusTimer"))
    app.fire(app.window_timer("rolloverTimer"))
    assert app.window.day == monday
    assert app.window.timeline.zone() == ZoneInfo("Asia/Tokyo")


def test_a_window_brought_back_from_the_tray_shows_the_new_day_at_once(
    make_app: StartApp,
) -> None:
    app = make_app(at(FRIDAY, 22, 0))
    app.window.hide()  # closed to the tray; the machine then sleeps through midnight
    assert not app.window_timer("statusTimer").isActive()
    app.clock.set(at(SATURDAY, 8, 0))
    app.window.show()
    assert app.window.day == SATURDAY
    assert app.window.timeline.now_line_y() is not None
