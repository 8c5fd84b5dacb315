"""The notifier's thin Qt layer: two timers around the pure schedule.

What is due comes from :mod:`ml_day.core.notifications` ("given the plan, the
watermark and now, what is due"). This module only decides *when* to ask:

* one single-shot timer armed for the next due instant (capped below Qt's
  2^31 ms limit, and at the next local midnight, when the window of days it
  reads moves on), re-armed after every fire and every change of the plan;
* a tick on every minute (by the clock) that compares the clock's wall time
  with the monotonic time elapsed: a difference of more than a few seconds
  means a suspend/resume or a clock change, so it checks at once and re-arms.
  The tray refreshes on the same tick (:attr:`Notifier.minutePassed`), so an
  app hidden in the tray wakes up once a minute in all.

The watermark, the snoozes and a pause are kept in the plan database, so a
restart neither repeats nor loses anything. Delivery runs off the UI thread
(a backend may block on D-Bus), falls back from backend to backend on
failure, and comes back to the UI thread with a queued signal.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QElapsedTimer, QObject, QSettings, Qt, QTimer, Signal

from ml_day.core.blocks import Block
from ml_day.core.clock import Clock
from ml_day.core.notification_settings import rules_from_values
from ml_day.core.notifications import (
    Announcement,
    AnnouncementKind,
    NotificationRules,
    check,
    next_due,
    now_and_next,
    reminder_for,
    snooze,
)
from ml_day.core.timemodel import day_end, to_instant, to_wall
from ml_day.persistence.errors import StorageError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ml_day.gui.store import PlanStore
    from ml_day.notify.backends import DeliveryBackend

log = logging.getLogger("ml_day.notifier")

MAX_TIMER_MS = 2**31 - 1 - 1000
"""QTimer intervals are signed 32-bit milliseconds (about 24.8 days); stay below."""
MINUTE_TICK_SLACK_MS = 50
"""The minute tick fires this long after the minute, so that it is surely past it."""
JUMP_TOLERANCE = dt.timedelta(seconds=5)
"""A wall clock that moved this much more (or less) than real time has jumped."""
RETRY_FAILED_BACKEND_AFTER = dt.timedelta(minutes=10)
"""A backend that failed is skipped for this long (the daemon may come back)."""


class NotifierState(Protocol):
    """Where the notifier keeps what must survive a restart
    (:class:`ml_day.persistence.notifier_state.NotifierStateRepository`)."""

    def watermark(self) -> dt.datetime | None: ...
    def set_watermark(self, instant: dt.datetime) -> None: ...
    def snoozes(self) -> list[Announcement]: ...
    def set_snoozes(self, snoozes: Iterable[Announcement]) -> None: ...
    def paused_until(self) -> dt.datetime | None: ...
    def set_paused_until(self, instant: dt.datetime | None) -> None: ...


RulesProvider = Callable[[], NotificationRules]
_T = TypeVar("_T")


def runs_on_ui_thread(backend: DeliveryBackend) -> bool:
    """Whether the backend must be called on the UI thread (Qt widgets, the tray).

    Such backends say so with a class attribute ``ui_thread = True``; the
    others (D-Bus) are called from the delivery thread.
    """
    return bool(getattr(backend, "ui_thread", False))


def timer_delay_ms(now: dt.datetime, due: dt.datetime) -> int:
    """Milliseconds from ``now`` to ``due``, rounded up, within QTimer's range."""
    milliseconds = math.ceil((due - now).total_seconds() * 1000)
    return max(0, min(milliseconds, MAX_TIMER_MS))


def urgency_of(announcement: Announcement) -> str:
    return "critical" if announcement.kind is AnnouncementKind.DEADLINE else "normal"


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What the delivery thread reports back for one attempt."""

    announcement: Announcement
    chain: tuple[DeliveryBackend, ...]
    index: int
    error: str | None


_Job = tuple[Announcement, tuple["DeliveryBackend", ...], int]


class _DeliveryWorker(QObject):
    """A daemon thread that calls blocking backends one message at a time, in order.

    A daemon thread rather than a thread pool: a send stuck on a frozen daemon
    must not hold up quitting the app.
    """

    finished = Signal(object)
    """An :class:`_Outcome`, emitted from the delivery thread (queued to the UI)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._available: set[int] = set()
        self.app_icon = ""

    def submit(
        self, announcement: Announcement, chain: tuple[DeliveryBackend, ...], index: int
    ) -> None:
        """Send through ``chain[index]`` in the delivery thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, args=(self._jobs,), name="ml-day-notify", daemon=True
            )
            self._thread.start()
        self._jobs.put((announcement, chain, index))

    def stop(self) -> None:
        """Let the thread end after the message it is sending (without waiting)."""
        if self._thread is not None:
            self._jobs.put(None)
            self._jobs = queue.SimpleQueue()  # a later start gets a thread of its own
            self._thread = None

    def _run(self, jobs: queue.SimpleQueue[_Job | None]) -> None:
        while (job := jobs.get()) is not None:
            announcement, chain, index = job
            error = self._send(announcement, chain[index])
            try:
                self.finished.emit(_Outcome(announcement, chain, index, error))
            except RuntimeError:  # the notifier is gone (the app is quitting)
                log.debug("notification outcome dropped: the notifier is gone")
                return

    def _send(self, announcement: Announcement, backend: DeliveryBackend) -> str | None:
        try:
            if id(backend) not in self._available:
                if not backend.available():
                    return f"the {backend.name} backend is not available"
                self._available.add(id(backend))
            backend.send(
                announcement.summary,
                announcement.body,
                urgency=urgency_of(announcement),
                app_icon=self.app_icon,
            )
        except Exception as error:  # noqa: BLE001 - any failure means: try the next backend
            self._available.discard(id(backend))
            return " ".join(str(error).split()) or type(error).__name__
        return None


class Notifier(QObject):
    """Announces the plan's transitions at the right instants, reliably.

    ``backends`` are tried in order for each message (freedesktop, tray
    balloon, in-window banner); one that fails is skipped for a while and the
    next one gets the message. ``state`` defaults to the plan database's meta
    table, once the store is open. ``rules`` gives the user's lead times and
    silent categories (read at each check, so settings apply at once).

    Nothing runs before :meth:`start`.
    """

    announced = Signal(object)
    """An :class:`Announcement`, after its delivery was attempted."""
    deliveredVia = Signal(str)
    """The name of the backend that delivered the last message (``"none"``: none could)."""
    minutePassed = Signal()
    """A new minute began by the clock (the tray's countdowns follow it); emitted
    once a minute while the notifier runs, after the clock-jump check."""
    scheduleChanged = Signal()
    """The plan as the notifier sees it, the pause or the snoozes changed (the
    tray refreshes on this)."""

    def __init__(
        self,
        store: PlanStore,
        clock: Clock,
        backends: Sequence[DeliveryBackend],
        *,
        state: NotifierState | None = None,
        rules: RulesProvider | None = None,
        parent: QObject | None = None,
        app_icon: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("notifier")
        self._store = store
        self._clock = clock
        self._backends = list(backends)
        self._state = state
        self._rules = rules or NotificationRules
        self._started = False
        self._watermark: dt.datetime | None = None
        self._snoozed: list[Announcement] = []
        self._paused_until: dt.datetime | None = None
        self._blocks: list[Block] = []
        self._last: Announcement | None = None
        self._failed_at: dict[int, dt.datetime] = {}
        self._due: dt.datetime | None = None
        self._in_flight = 0

        self._timer = QTimer(self)
        self._timer.setObjectName("notifierTimer")
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.check_now)

        self._minute_timer = QTimer(self)
        self._minute_timer.setObjectName("minuteTimer")
        self._minute_timer.setSingleShot(True)
        self._minute_timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may fire early
        self._minute_timer.timeout.connect(self._minute_passed)
        self._elapsed = QElapsedTimer()
        self._wall_mark = clock.now()
        self._zone_mark = clock.zone()
        self._checked_zone: ZoneInfo | None = None

        self._worker = _DeliveryWorker(self)
        self._worker.app_icon = app_icon
        self._worker.finished.connect(self._worker_finished, Qt.ConnectionType.QueuedConnection)

    # ------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Read the saved state and start the timers (once the store is open).

        On the very first run there is no watermark: it starts at now, so the
        past is not announced. After a restart, whatever fell due while the
        app was closed is summarised in one message.
        """
        if self._started:
            return
        if not self._store.is_ready:
            self._store.ready.connect(self.start, Qt.ConnectionType.SingleShotConnection)
            return
        if self._state is None:
            from ml_day.persistence.notifier_state import (  # noqa: PLC0415 - ORM loaded late
                NotifierStateRepository,
            )

            self._state = NotifierStateRepository(self._store.plan.database)
        self._started = True
        now = self._clock.now()
        self._watermark = self._read(self._state.watermark, None)
        self._snoozed = self._read(self._state.snoozes, [])
        self._paused_until = self._read(self._state.paused_until, None)
        self._store.planChanged.connect(self.check_now)
        self._elapsed.start()
        self._wall_mark = now
        self._zone_mark = self._clock.zone()
        self._checked_zone = self._zone_mark
        self._arm_minute_tick(now)
        if self._watermark is None:
            log.info("first run: announcing from now on")
            self._save_watermark(now)
        self._reload_blocks(now)
        self.check_now()

    def close(self) -> None:
        """Stop the timers and the delivery thread (before the app quits)."""
        self._timer.stop()
        self._minute_timer.stop()
        self._worker.stop()
        if self._started:
            with contextlib.suppress(RuntimeError):  # the store is already gone
                self._store.planChanged.disconnect(self.check_now)
        self._started = False

    @property
    def started(self) -> bool:
        return self._started

    def set_backends(self, backends: Sequence[DeliveryBackend]) -> None:
        """Replace the delivery chain (the tray balloon needs the tray, which
        needs the notifier: make the notifier, then the tray, then set this)."""
        self._backends = list(backends)
        self._failed_at.clear()

    # ------------------------------------------------------------ checking
    def check_now(self) -> None:
        """Deliver everything due up to now, then re-read the plan and re-arm.

        What the timer fires, what an edit of the plan triggers and what a clock
        jump triggers. The check runs on the plan as it was (before an edit),
        then the watermark is at now: a block created or moved across now is not
        announced as started.
        """
        if not self._started or self._watermark is None:
            return
        now = self._clock.now()
        zone = self._clock.zone()
        self._follow_zone(zone)
        paused_until = self._paused_until
        result = check(
            self._blocks,
            zone,
            self._watermark,
            now,
            rules=self._rules(),
            snoozed=self._snoozed,
            paused_until=paused_until,
        )
        if result.watermark != self._watermark:
            self._save_watermark(result.watermark)
        self._forget_what_passed()
        for announcement in result.deliver:
            self._deliver(announcement)
        self._reload_blocks(now)
        self._arm()
        self.scheduleChanged.emit()

    def _follow_zone(self, zone: ZoneInfo) -> None:
        """After a zone change, go on from the same wall-clock time in the new zone.

        Everything up to the watermark's wall time was announced: moving west,
        the same wall time comes again later and is not announced twice; moving
        east, the wall-clock hours skipped over become "while you were away".
        """
        previous, self._checked_zone = self._checked_zone, zone
        if previous is None or previous == zone or self._watermark is None:
            return
        wall = to_wall(self._watermark, previous)
        moved = to_instant(wall, zone).astimezone(dt.UTC)
        log.info(
            "the time zone changed from %s to %s: announcing on from %s there",
            previous.key,
            zone.key,
            f"{wall:%Y-%m-%d %H:%M}",
        )
        if moved != self._watermark:
            self._save_watermark(moved)

    def check_for_clock_jump(self) -> bool:
        """Compare the wall clock's progress with real (monotonic) time; on a
        jump (suspend/resume, a clock or zone change) check at once. What the
        minute tick calls."""
        if not self._started:
            return False
        now = self._clock.now()
        zone = self._clock.zone()
        real = dt.timedelta(milliseconds=self._elapsed.restart())
        drift = (now - self._wall_mark) - real
        zone_changed = zone != self._zone_mark
        self._wall_mark = now
        self._zone_mark = zone
        if abs(drift) <= JUMP_TOLERANCE and not zone_changed:
            return False
        if zone_changed:
            log.info("the time zone changed to %s; re-checking", zone.key)
        else:
            log.info("the wall clock jumped by %s; re-checking", drift)
        self.check_now()
        return True

    @property
    def timer(self) -> QTimer:
        """The single-shot timer armed for the next due instant."""
        return self._timer

    @property
    def minute_timer(self) -> QTimer:
        """The single-shot timer armed for the next minute (the clock-jump check
        and :attr:`minutePassed`)."""
        return self._minute_timer

    def _minute_passed(self) -> None:
        self.check_for_clock_jump()
        self.minutePassed.emit()
        if self._started:
            self._arm_minute_tick(self._clock.now())

    def _arm_minute_tick(self, now: dt.datetime) -> None:
        next_minute = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        self._minute_timer.start(timer_delay_ms(now, next_minute) + MINUTE_TICK_SLACK_MS)

    @property
    def next_wakeup(self) -> dt.datetime | None:
        """The instant the timer is armed for (UTC), if it is."""
        return self._due if self._timer.isActive() else None

    @property
    def watermark(self) -> dt.datetime | None:
        """The last instant checked (UTC)."""
        return self._watermark

    @property
    def deliveries_in_flight(self) -> int:
        """Messages handed to a backend whose outcome is not back yet."""
        return self._in_flight

    # ------------------------------------------------------------ for the tray
    def current_and_next(self) -> tuple[Block | None, Block | None]:
        """The block under way now and the next one to start."""
        return now_and_next(self._blocks, self._clock.now(), self._clock.zone())

    @property
    def last_announcement(self) -> Announcement | None:
        return self._last

    def tell(self, summary: str, body: str) -> None:
        """Deliver a message from the app now, through the same backends and
        off the UI thread like every announcement."""
        announcement = Announcement(self._clock.now(), AnnouncementKind.INFO, summary, body)
        self._deliver(announcement)

    def rules_changed(self) -> None:
        """The user changed the notification settings: plan the next wakeup by them."""
        self._arm()
        self.scheduleChanged.emit()

    def snooze(self, minutes: int) -> Announcement | None:
        """Announce the last message (or, if none, the block under way) again in
        ``minutes``; None if there is nothing to snooze."""
        if minutes <= 0:
            msg = "snooze for at least one minute"
            raise ValueError(msg)
        now = self._clock.now()
        target = self._last
        if target is None:
            current, _ = self.current_and_next()
            target = None if current is None else reminder_for(current, now, self._clock.zone())
        if target is None:
            return None
        base = max(now, self._watermark or now)
        again = snooze(target, base, minutes)
        self._snoozed = [
            item
            for item in self._snoozed
            if (item.summary, item.block_id) != (again.summary, again.block_id)
        ]
        self._snoozed.append(again)
        self._save_snoozes()
        log.info("snoozed %r until %s", again.summary, again.instant)
        self._arm()
        self.scheduleChanged.emit()
        return again

    def snoozed(self) -> list[Announcement]:
        return list(self._snoozed)

    def pause(self, until: dt.datetime) -> None:
        """Announce nothing that falls due before ``until`` (aware)."""
        if until.tzinfo is None:
            msg = "pause until an aware instant"
            raise ValueError(msg)
        self._paused_until = until.astimezone(dt.UTC)
        self._write(lambda state: state.set_paused_until(self._paused_until))
        log.info("notifications paused until %s", self._paused_until)
        self._arm()
        self.scheduleChanged.emit()

    def resume(self) -> None:
        """End a pause now."""
        self._paused_until = None
        self._write(lambda state: state.set_paused_until(None))
        log.info("notifications resumed")
        self._arm()
        self.scheduleChanged.emit()

    def paused_until(self) -> dt.datetime | None:
        """The end of the pause under way, or None."""
        if self._paused_until is None or self._paused_until <= self._clock.now():
            return None
        return self._paused_until

    # ------------------------------------------------------------ internals
    def _reload_blocks(self, now: dt.datetime) -> None:
        """Read yesterday, today and tomorrow: what can fall due around now."""
        if not self._store.is_ready:  # closed while the app quits
            return
        today = to_wall(now, self._clock.zone()).date()
        by_id: dict[int, Block] = {}
        try:
            for offset in (-1, 0, 1):
                for block in self._store.day_blocks(today + dt.timedelta(days=offset)):
                    by_id[block.id] = block
        except StorageError as error:
            log.warning("cannot read the plan for notifications: %s", error)
            return
        self._blocks = sorted(by_id.values(), key=lambda block: (block.start, block.id))

    def _arm(self) -> None:
        if not self._started or self._watermark is None:
            return
        now = self._clock.now()
        zone = self._clock.zone()
        due = next_due(
            self._blocks,
            zone,
            max(now, self._watermark),
            rules=self._rules(),
            snoozed=self._snoozed,
            paused_until=self.paused_until(),
        )
        # Tomorrow's tomorrow enters the window at midnight: read it then.
        midnight = to_instant(day_end(to_wall(now, zone).date()), zone).astimezone(dt.UTC)
        target = midnight if due is None else min(due, midnight)
        self._due = target
        self._timer.start(timer_delay_ms(now, target))

    def _forget_what_passed(self) -> None:
        watermark = self._watermark
        assert watermark is not None
        kept = [item for item in self._snoozed if item.instant > watermark]
        if len(kept) != len(self._snoozed):
            self._snoozed = kept
            self._save_snoozes()
        if self._paused_until is not None and self._paused_until <= watermark:
            self._paused_until = None
            self._write(lambda state: state.set_paused_until(None))

    def _save_watermark(self, instant: dt.datetime) -> None:
        self._watermark = instant
        self._write(lambda state: state.set_watermark(instant))

    def _save_snoozes(self) -> None:
        snoozes = list(self._snoozed)
        self._write(lambda state: state.set_snoozes(snoozes))

    def _write(self, action: Callable[[NotifierState], None]) -> None:
        if self._state is None:
            return
        try:
            action(self._state)
        except StorageError as error:
            log.warning("cannot save the notifier's state (kept in memory): %s", error)

    def _read(self, reader: Callable[[], _T], default: _T) -> _T:
        try:
            return reader()
        except StorageError as error:
            log.warning("cannot read the notifier's state: %s", error)
            return default

    # ------------------------------------------------------------ delivery
    def _deliver(self, announcement: Announcement) -> None:
        log.info("announcing: %s — %s", announcement.summary, announcement.body)
        self._in_flight += 1
        self._continue(announcement, tuple(self._backends), 0)

    def _continue(
        self, announcement: Announcement, chain: tuple[DeliveryBackend, ...], index: int
    ) -> None:
        """Try the backends from ``index`` on: UI-thread ones here, the others in
        the delivery thread (whose outcome comes back to :meth:`_worker_finished`)."""
        while index < len(chain):
            backend = chain[index]
            if self._recently_failed(backend):
                index += 1
                continue
            if not runs_on_ui_thread(backend):
                self._worker.submit(announcement, chain, index)
                return
            error = self._send_here(announcement, backend)
            if error is None:
                self._delivered(announcement, backend.name)
                return
            self._backend_failed(backend, error)
            index += 1
        log.warning(
            "no backend could deliver the notification: %s — %s",
            announcement.summary,
            announcement.body,
        )
        self._delivered(announcement, "none")

    def _send_here(self, announcement: Announcement, backend: DeliveryBackend) -> str | None:
        try:
            if not backend.available():
                return f"the {backend.name} backend is not available"
            backend.send(announcement.summary, announcement.body, urgency=urgency_of(announcement))
        except Exception as error:  # noqa: BLE001 - any failure means: try the next backend
            return " ".join(str(error).split()) or type(error).__name__
        return None

    def _worker_finished(self, outcome: _Outcome) -> None:
        backend = outcome.chain[outcome.index]
        if outcome.error is not None and not self._started:
            log.warning(
                "notification not delivered while closing (%s): %s — %s",
                outcome.error,
                outcome.announcement.summary,
                outcome.announcement.body,
            )
            self._delivered(outcome.announcement, "none")
            return
        if outcome.error is None:
            self._failed_at.pop(id(backend), None)
            self._delivered(outcome.announcement, backend.name)
            return
        self._backend_failed(backend, outcome.error)
        self._continue(outcome.announcement, outcome.chain, outcome.index + 1)

    def _backend_failed(self, backend: DeliveryBackend, error: str) -> None:
        log.warning("the %s notification backend failed: %s", backend.name, error)
        self._failed_at[id(backend)] = self._clock.now()

    def _recently_failed(self, backend: DeliveryBackend) -> bool:
        failed_at = self._failed_at.get(id(backend))
        if failed_at is None:
            return False
        return dt.timedelta(0) <= self._clock.now() - failed_at < RETRY_FAILED_BACKEND_AFTER

    def _delivered(self, announcement: Announcement, via: str) -> None:
        log.info("delivered through %s: %s", via, announcement.summary)
        self._in_flight -= 1
        if announcement.kind is not AnnouncementKind.INFO:
            self._last = announcement  # what "Snooze" repeats
        self.deliveredVia.emit(via)
        self.announced.emit(announcement)


# ---------------------------------------------------------------- settings
def rules_from_settings(settings: QSettings) -> NotificationRules:
    """The user's notification rules from the settings file's ``[notifications]``
    section (see :mod:`ml_day.core.notification_settings`).

    Pass ``lambda: rules_from_settings(settings)`` as ``rules`` so that a change
    applies at the next check.
    """
    settings.beginGroup("notifications")
    try:
        settings.beginGroup("lead_minutes")
        try:
            leads = {key: settings.value(key) for key in settings.childKeys()}
        finally:
            settings.endGroup()
        return rules_from_values(
            leads,
            silent=settings.value("silent"),
            deadline_warnings=settings.value("deadline_warnings"),
            quiet_hours=settings.value("quiet_hours"),
            warn=log.warning,
        )
    finally:
        settings.endGroup()
