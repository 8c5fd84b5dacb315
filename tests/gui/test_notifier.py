"""The notifier's Qt layer on a real plan database, driven by a fake clock.

The tests advance a :class:`ManualClock` and call ``check_now()`` (what the
timer fires) or ``check_for_clock_jump()`` (what the once-a-minute timer
fires); they never sleep. Messages go to :class:`RecordingBackend`, a test
double for the freedesktop notification daemon, which only the real-desktop
rig (tests/desktop) runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QSettings, QTimer
from pytestqt.qtbot import QtBot

from ml_day.core.blocks import BlockDraft
from ml_day.core.clock import ManualClock
from ml_day.core.editing import CreateBlock, PlanEdit
from ml_day.core.notifications import Announcement, AnnouncementKind, NotificationRules
from ml_day.core.timemodel import to_instant
from ml_day.gui.notifier import MAX_TIMER_MS, Notifier, rules_from_settings, timer_delay_ms
from ml_day.gui.store import PlanStore
from ml_day.notify.backends import DeliveryBackend, DeliveryError
from ml_day.paths import AppPaths
from ml_day.persistence.database import Database
from ml_day.persistence.notifier_state import (
    PAUSED_UNTIL_KEY,
    SNOOZES_KEY,
    WATERMARK_KEY,
    NotifierStateRepository,
)
from ml_day.persistence.schema import MetaRow

BERLIN = "Europe/Berlin"
FRIDAY = dt.date(2026, 11, 27)
LUNCH = "Lunch with the team starts now — until 13:00"
WAIT_MS = 5000
"""Upper bound for a delivery thread's answer (it comes back in milliseconds)."""


def at(hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """The UTC instant of a wall time on Friday in Berlin."""
    wall = dt.datetime.combine(FRIDAY, dt.time(hour, minute, second))
    return to_instant(wall, ZoneInfo(BERLIN)).astimezone(dt.UTC)


@dataclass
class RecordingBackend:
    """Records what it is asked to show: stands in for the D-Bus notification daemon."""

    name: str = "recorder"
    sent: list[tuple[str, str, str]] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)

    def available(self) -> bool:
        return True

    def send(self, summary: str, body: str, *, urgency: str = "normal", app_icon: str = "") -> None:
        del app_icon
        self.threads.append(threading.current_thread())
        self.sent.append((summary, body, urgency))

    @property
    def summaries(self) -> list[str]:
        return [summary for summary, _, _ in self.sent]


@dataclass
class UiThreadRecorder(RecordingBackend):
    """Like the tray balloon and the banner: must be called on the UI thread."""

    name: str = "ui-recorder"
    ui_thread: bool = True


@dataclass
class StuckThenFailingBackend:
    """A daemon that hangs, then fails: blocks in send until released, then raises."""

    name: str = "stuck"
    release: threading.Event = field(default_factory=threading.Event)
    calls: int = 0
    timed_out: bool = False

    def available(self) -> bool:
        return True

    def send(self, summary: str, body: str, *, urgency: str = "normal", app_icon: str = "") -> None:
        del summary, body, urgency, app_icon
        self.calls += 1
        # Bounded, so that a broken notifier fails the test instead of hanging it.
        self.timed_out = not self.release.wait(timeout=10)
        msg = "the notification service did not answer within 2.0 s"
        raise DeliveryError(msg)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(at(11, 59), BERLIN)


StoreFactory = Callable[[], PlanStore]


@pytest.fixture
def open_store(paths: AppPaths) -> Iterator[StoreFactory]:
    """Opens the plan afresh (a new store on the same files, as after a restart)."""
    stores: list[PlanStore] = []

    def open_new() -> PlanStore:
        store = PlanStore(paths)
        store.open()
        stores.append(store)
        return store

    yield open_new
    for store in stores:
        store.close()


@pytest.fixture
def store(open_store: StoreFactory) -> PlanStore:
    return open_store()


NotifierFactory = Callable[..., Notifier]


@pytest.fixture
def make_notifier(clock: ManualClock) -> Iterator[NotifierFactory]:
    made: list[Notifier] = []

    def make(
        store: PlanStore, backends: list[DeliveryBackend], *, start: bool = True, **kwargs: object
    ) -> Notifier:
        notifier = Notifier(store, clock, backends, **kwargs)  # type: ignore[arg-type]
        made.append(notifier)
        if start:
            notifier.start()
        return notifier

    yield make
    for notifier in made:
        notifier.close()


class Announced:
    """Collects the notifier's ``announced`` and ``deliveredVia`` signals."""

    def __init__(self, notifier: Notifier) -> None:
        self.items: list[Announcement] = []
        self.via: list[str] = []
        notifier.announced.connect(self.items.append)
        notifier.deliveredVia.connect(self.via.append)

    @property
    def summaries(self) -> list[str]:
        return [item.summary for item in self.items]


def settle(qtbot: QtBot, notifier: Notifier) -> None:
    """Wait until every message handed to the delivery thread has come back."""
    qtbot.waitUntil(lambda: notifier.deliveries_in_flight == 0, timeout=WAIT_MS)


def meeting(title: str, start: dt.time, end: dt.time) -> BlockDraft:
    return BlockDraft(
        title=title,
        category="meeting",
        start=dt.datetime.combine(FRIDAY, start),
        end=dt.datetime.combine(FRIDAY, end),
    )


# ---------------------------------------------------------------- delivery at the right instant
def test_lunch_is_announced_at_noon_through_the_backend_off_the_ui_thread(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    recorder = RecordingBackend()
    notifier = make_notifier(store, [recorder])
    announced = Announced(notifier)
    assert notifier.watermark == at(11, 59)  # first run: from now on, no past
    assert recorder.sent == []
    assert notifier.timer.isActive()
    assert notifier.timer.interval() == 60_000
    assert notifier.next_wakeup == at(12, 0)

    clock.set(at(12, 0))
    with qtbot.waitSignal(notifier.announced, timeout=WAIT_MS):
        notifier.check_now()
    assert recorder.sent == [(LUNCH, "Lunch with the team · Deep work ends", "normal")]
    assert recorder.threads[0] is not threading.main_thread()
    assert announced.summaries == [LUNCH]
    assert announced.via == ["recorder"]
    assert announced.items[0].kind is AnnouncementKind.START
    # Re-armed for the meeting's pre-alert at 12:55.
    assert notifier.timer.interval() == 55 * 60_000
    assert notifier.next_wakeup == at(12, 55)


def test_the_timer_is_armed_to_the_millisecond_of_the_next_due_instant(
    store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    clock.set(at(11, 23, 20) + dt.timedelta(milliseconds=250))
    notifier = make_notifier(store, [RecordingBackend()])
    expected = (at(12, 0) - clock.now()) // dt.timedelta(milliseconds=1)
    assert notifier.timer.interval() == expected == 36 * 60_000 + 39_750
    assert 0 < notifier.timer.remainingTime() <= expected
    assert notifier.timer.isSingleShot()


def test_after_the_last_message_of_the_day_it_wakes_at_midnight_to_read_the_next_day(
    store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    clock.set(at(22, 1))
    notifier = make_notifier(store, [RecordingBackend()])
    assert notifier.next_wakeup == at(0, 0) + dt.timedelta(days=1)
    assert notifier.timer.interval() == (60 + 59) * 60_000


def test_a_wait_of_months_is_capped_below_qts_limit() -> None:
    now = at(12, 0)
    assert timer_delay_ms(now, now + dt.timedelta(days=90)) == MAX_TIMER_MS
    assert MAX_TIMER_MS < 2**31 - 1
    assert timer_delay_ms(now, now + dt.timedelta(days=24)) == 24 * 86_400_000
    assert timer_delay_ms(now, now - dt.timedelta(seconds=5)) == 0
    assert timer_delay_ms(now, now + dt.timedelta(microseconds=1)) == 1


def test_a_pause_of_months_still_wakes_the_timer_within_its_range(
    store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    notifier = make_notifier(store, [RecordingBackend()])
    notifier.pause(clock.now() + dt.timedelta(days=120))
    assert notifier.timer.isActive()
    assert 0 < notifier.timer.interval() < 2**31 - 1


# ---------------------------------------------------------------- edits across now
def test_a_block_created_across_now_is_not_announced(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    clock.set(at(11, 23))
    recorder = RecordingBackend()
    notifier = make_notifier(store, [recorder])
    clock.advance(dt.timedelta(minutes=1))
    draft = meeting("Call with Ana", dt.time(11, 0), dt.time(11, 45))
    assert store.apply(PlanEdit("Add Call with Ana", (CreateBlock(draft),))) is not None
    settle(qtbot, notifier)
    assert recorder.sent == []
    assert notifier.watermark == at(11, 24)
    assert notifier.next_wakeup == at(12, 0)


def test_a_block_created_ahead_of_now_is_announced_at_its_time(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    clock.set(at(11, 23))
    recorder = RecordingBackend()
    notifier = make_notifier(store, [recorder])
    draft = meeting("Call with Ana", dt.time(11, 40), dt.time(11, 55))
    store.apply(PlanEdit("Add Call with Ana", (CreateBlock(draft),)))
    assert notifier.next_wakeup == at(11, 35)  # meetings: a pre-alert 5 minutes ahead
    for minute in (35, 40):
        clock.set(at(11, minute))
        notifier.check_now()
        settle(qtbot, notifier)
    assert recorder.summaries == [
        "Call with Ana in 5 minutes",
        "Call with Ana starts now — until 11:55",
    ]


def test_an_edit_just_after_a_due_instant_still_delivers_what_was_due(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    """The edit's check runs on the plan as it was, up to now, before the edit."""
    recorder = RecordingBackend()
    notifier = make_notifier(store, [recorder])
    clock.set(at(12, 0, 1))  # the timer has not fired yet; an edit comes first
    draft = meeting("Call with Ana", dt.time(12, 0), dt.time(12, 30))
    store.apply(PlanEdit("Add Call with Ana", (CreateBlock(draft),)))
    settle(qtbot, notifier)
    assert recorder.summaries == [LUNCH]


# ---------------------------------------------------------------- restart, sleep, clock jumps
def test_a_restart_three_hours_later_gives_exactly_one_summary(
    qtbot: QtBot, open_store: StoreFactory, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    first_store = open_store()
    recorder = RecordingBackend()
    first = make_notifier(first_store, [recorder])
    clock.set(at(12, 0))
    first.check_now()
    settle(qtbot, first)
    first.close()
    first_store.close()

    clock.advance(dt.timedelta(hours=3))  # the app was closed, the machine asleep
    second_store = open_store()
    second = make_notifier(second_store, [recorder], start=False)
    announced = Announced(second)
    second.start()
    settle(qtbot, second)
    assert recorder.summaries == [LUNCH, "While you were away"]
    assert recorder.sent[-1][1] == (
        "While you were away: Meetings and client calls 13:00, Finish tasks 14:00. "
        "Now: Finish tasks until 17:00"
    )
    assert [item.kind for item in announced.items] == [AnnouncementKind.SUMMARY]
    assert second.watermark == at(15, 0)
    assert second.next_wakeup == at(18, 0)


def test_a_suspend_is_seen_by_the_clock_jump_check(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    clock.set(at(10, 0))
    recorder = RecordingBackend()
    notifier = make_notifier(store, [recorder])
    assert not notifier.check_for_clock_jump()  # the wall clock kept pace with real time
    clock.advance(dt.timedelta(hours=4, minutes=30))  # suspended; no timer fired
    assert notifier.check_for_clock_jump()
    settle(qtbot, notifier)
    assert recorder.sent == [
        (
            "While you were away",
            (
                "While you were away: Lunch with the team 12:00, Meetings and client calls "
                "13:00, Finish tasks 14:00. Now: Finish tasks until 17:00"
            ),
            "normal",
        )
    ]
    assert notifier.next_wakeup == at(18, 0)
    assert not notifier.check_for_clock_jump()


def test_a_clock_set_back_repeats_nothing(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    recorder = RecordingBackend()
    notifier = make_notifier(store, [recorder])
    clock.set(at(12, 0))
    notifier.check_now()
    settle(qtbot, notifier)
    clock.set(at(11, 30))
    assert notifier.check_for_clock_jump()
    clock.set(at(12, 0))
    notifier.check_now()
    settle(qtbot, notifier)
    assert recorder.summaries == [LUNCH]
    assert notifier.next_wakeup == at(12, 55)


def test_a_zone_change_re_arms_the_timer(
    store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    clock.set(at(11, 0))
    notifier = make_notifier(store, [RecordingBackend()])
    assert notifier.next_wakeup == at(12, 0)
    clock.set_zone("Europe/London")  # the machine moved: noon comes an hour later
    assert notifier.check_for_clock_jump()
    assert notifier.next_wakeup == at(13, 0)


def test_it_starts_when_the_store_opens(
    qtbot: QtBot, paths: AppPaths, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    store = PlanStore(paths)
    try:
        notifier = make_notifier(store, [RecordingBackend()])
        assert (notifier.started, notifier.timer.isActive()) == (False, False)
        store.open()
        assert (notifier.started, notifier.next_wakeup) == (True, at(12, 0))
    finally:
        store.close()


# ---------------------------------------------------------------- falling back
def test_a_failing_backend_falls_back_without_blocking_the_ui(
    qtbot: QtBot,
    store: PlanStore,
    clock: ManualClock,
    make_notifier: NotifierFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stuck = StuckThenFailingBackend()
    recorder = RecordingBackend()
    notifier = make_notifier(store, [stuck, recorder])
    announced = Announced(notifier)
    clock.set(at(12, 0))
    notifier.check_now()

    # The stuck backend holds the delivery thread until this callback runs:
    # it can only run if the UI thread is free while the backend blocks.
    ran: list[bool] = []

    def ui_callback() -> None:
        ran.append(True)
        stuck.release.set()

    with caplog.at_level(logging.WARNING, logger="ml_day.notifier"):
        QTimer.singleShot(0, ui_callback)
        qtbot.waitUntil(lambda: bool(ran), timeout=WAIT_MS)
        settle(qtbot, notifier)
    assert not stuck.timed_out
    assert stuck.calls == 1
    assert recorder.summaries == [LUNCH]
    assert announced.via == ["recorder"]
    assert "the stuck notification backend failed" in caplog.text

    # The failure is remembered: the next message goes straight to the fallback.
    notifier.snooze(5)
    clock.set(at(12, 5))
    notifier.check_now()
    settle(qtbot, notifier)
    assert stuck.calls == 1
    assert recorder.summaries == [LUNCH, LUNCH]


def test_ui_thread_backends_are_called_on_the_ui_thread(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    stuck = StuckThenFailingBackend()
    stuck.release.set()
    banner = UiThreadRecorder()
    notifier = make_notifier(store, [stuck, banner])
    clock.set(at(12, 0))
    notifier.check_now()
    settle(qtbot, notifier)
    assert banner.summaries == [LUNCH]
    assert banner.threads == [threading.main_thread()]


def test_when_no_backend_can_deliver_the_message_is_logged(
    qtbot: QtBot,
    store: PlanStore,
    clock: ManualClock,
    make_notifier: NotifierFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    stuck = StuckThenFailingBackend()
    stuck.release.set()
    notifier = make_notifier(store, [stuck])
    announced = Announced(notifier)
    clock.set(at(12, 0))
    with caplog.at_level(logging.WARNING, logger="ml_day.notifier"):
        notifier.check_now()
        settle(qtbot, notifier)
    assert announced.via == ["none"]
    assert announced.summaries == [LUNCH]
    assert f"no backend could deliver the notification: {LUNCH}" in caplog.text


def test_deadline_messages_are_urgent(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    clock.set(at(19, 59))
    recorder = RecordingBackend()
    notifier = make_notifier(store, [recorder])
    clock.set(at(20, 0))
    notifier.check_now()
    settle(qtbot, notifier)
    assert [(summary, urgency) for summary, _, urgency in recorder.sent] == [
        ("Wrap-up deadline: nothing left half-done", "critical"),
        ("Head home starts now — until 20:30", "normal"),
    ]


def test_rules_come_from_the_provider_at_each_check(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    clock.set(at(11, 30))
    rules = NotificationRules(pre_alert_minutes={"meal": 15})
    notifier = make_notifier(store, [RecordingBackend()], rules=lambda: rules)
    assert notifier.next_wakeup == at(11, 45)


# ---------------------------------------------------------------- snooze and pause
def test_snooze_is_re_announced_and_survives_a_restart(
    qtbot: QtBot, open_store: StoreFactory, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    recorder = RecordingBackend()
    first = make_notifier(open_store(), [recorder])
    clock.set(at(12, 0))
    first.check_now()
    settle(qtbot, first)
    snoozed = first.snooze(10)
    assert snoozed is not None
    assert snoozed.instant == at(12, 10)
    assert first.next_wakeup == at(12, 10)
    first.close()

    clock.set(at(12, 5))
    second = make_notifier(open_store(), [recorder])
    assert [item.summary for item in second.snoozed()] == [LUNCH]
    assert second.next_wakeup == at(12, 10)
    announced = Announced(second)
    clock.set(at(12, 10))
    second.check_now()
    settle(qtbot, second)
    assert recorder.summaries == [LUNCH, LUNCH]
    assert [item.kind for item in announced.items] == [AnnouncementKind.SNOOZED]
    assert second.snoozed() == []


def test_snooze_before_any_message_reminds_of_the_block_under_way(
    store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    clock.set(at(11, 23))
    notifier = make_notifier(store, [RecordingBackend()])
    snoozed = notifier.snooze(15)
    assert snoozed is not None
    assert snoozed.summary == "Deep work — until 12:00"
    assert snoozed.instant == at(11, 38)
    clock.set(at(8, 30))  # between blocks, nothing announced yet: nothing to snooze
    other = make_notifier(store, [RecordingBackend()], state=MemoryState())
    assert other.snooze(5) is None


def test_a_pause_drops_messages_and_survives_a_restart(
    qtbot: QtBot, open_store: StoreFactory, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    recorder = RecordingBackend()
    clock.set(at(12, 50))
    first = make_notifier(open_store(), [recorder])
    first.pause(at(13, 30))
    assert first.paused_until() == at(13, 30)
    assert first.next_wakeup == at(14, 0)
    first.close()

    second = make_notifier(open_store(), [recorder])
    assert second.paused_until() == at(13, 30)
    for minute in (55, 60):
        clock.set(at(12, 0) + dt.timedelta(minutes=minute))
        second.check_now()
    settle(qtbot, second)
    assert recorder.sent == []
    second.resume()
    assert second.paused_until() is None
    third = make_notifier(open_store(), [recorder])
    assert third.paused_until() is None


def test_a_pause_ends_by_itself(
    qtbot: QtBot, store: PlanStore, clock: ManualClock, make_notifier: NotifierFactory
) -> None:
    recorder = RecordingBackend()
    clock.set(at(12, 50))
    notifier = make_notifier(store, [recorder])
    notifier.pause(at(13, 30))
    clock.set(at(14, 0))
    notifier.check_now()
    settle(qtbot, notifier)
    assert recorder.summaries == ["Finish tasks starts now — until 17:00"]
    assert notifier.paused_until() is None


# ---------------------------------------------------------------- the stored state
@dataclass
class MemoryState:
    """The notifier's state in memory (a second notifier that must not share the file's)."""

    stored_watermark: dt.datetime | None = None
    stored_snoozes: list[Announcement] = field(default_factory=list)
    stored_pause: dt.datetime | None = None

    def watermark(self) -> dt.datetime | None:
        return self.stored_watermark

    def set_watermark(self, instant: dt.datetime) -> None:
        self.stored_watermark = instant

    def snoozes(self) -> list[Announcement]:
        return list(self.stored_snoozes)

    def set_snoozes(self, snoozes: object) -> None:
        self.stored_snoozes = list(snoozes)  # type: ignore[call-overload]

    def paused_until(self) -> dt.datetime | None:
        return self.stored_pause

    def set_paused_until(self, instant: dt.datetime | None) -> None:
        self.stored_pause = instant


def test_the_state_is_stored_as_text_in_the_meta_table(paths: AppPaths) -> None:
    database = Database.open(paths.database)
    try:
        state = NotifierStateRepository(database)
        assert state.watermark() is None
        assert state.snoozes() == []
        assert state.paused_until() is None
        noon = at(12, 0)
        state.set_watermark(noon.astimezone(ZoneInfo(BERLIN)))  # stored in UTC
        snoozed = Announcement(at(12, 10), AnnouncementKind.SNOOZED, LUNCH, "body", 7)
        state.set_snoozes([snoozed])
        state.set_paused_until(at(13, 30))
        assert state.watermark() == noon
        assert state.snoozes() == [snoozed]
        assert state.paused_until() == at(13, 30)
        with database.transaction() as session:
            assert session.get(MetaRow, WATERMARK_KEY) == MetaRow(
                key=WATERMARK_KEY, value="2026-11-27T11:00:00+00:00"
            )
        state.set_paused_until(None)
        assert state.paused_until() is None
    finally:
        database.close()


def test_unreadable_state_is_ignored_not_fatal(
    paths: AppPaths, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database.open(paths.database)
    try:
        with database.transaction() as session:
            session.add(MetaRow(key=WATERMARK_KEY, value="yesterday-ish"))
            session.add(MetaRow(key=SNOOZES_KEY, value="[{not json"))
            session.add(MetaRow(key=PAUSED_UNTIL_KEY, value="2026-11-27T13:30:00"))
        state = NotifierStateRepository(database)
        with caplog.at_level(logging.WARNING, logger="ml_day.persistence"):
            assert state.watermark() is None
            assert state.snoozes() == []
            assert state.paused_until() is None
        assert "unreadable notifier.watermark" in caplog.text
    finally:
        database.close()


# ---------------------------------------------------------------- rules from the settings file
def test_rules_from_the_settings_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.ini"
    path.write_text(
        "[notifications]\n"
        "lead_minutes\\meal=15\n"
        "lead_minutes\\meeting=0\n"
        "lead_minutes\\testing=soon\n"
        "silent=sleep, Commute\n"
        "deadline_warnings=10, 45\n",
        encoding="utf-8",
    )
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    with caplog.at_level(logging.WARNING, logger="ml_day.notifier"):
        rules = rules_from_settings(settings)
    assert rules == NotificationRules(
        pre_alert_minutes={"meal": 15, "meeting": 0},
        silent_categories=frozenset({"sleep", "commute"}),
        deadline_warnings=(45, 10),
    )
    assert "lead_minutes/testing" in caplog.text


def test_no_settings_means_each_categorys_defaults(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert rules_from_settings(settings) == NotificationRules()
