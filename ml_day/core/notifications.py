"""What the notifier announces, and when: pure logic, no timers.

Every announcement belongs to a real instant (the time model turns wall times
into instants). The notifier keeps a *watermark*, the last instant it has
checked, and on each check delivers everything due in ``(watermark, now]``.
Nothing is lost across sleep, a clock change or a restart, and nothing is
announced twice. Announcements missed by more than a short grace period are
not replayed one by one: they become one "While you were away" summary.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ml_day.core.blocks import Block
from ml_day.core.days import current_and_next
from ml_day.core.timemodel import format_duration, to_instant, to_wall

CATCH_UP_GRACE = dt.timedelta(minutes=2)
"""Announcements later than this are summarised instead of delivered one by one."""
DEFAULT_DEADLINE_WARNINGS = (30, 10)
"""Minutes before a deadline block's end at which it is announced."""
SUMMARY_LIMIT = 6
"""At most this many missed starts are named in a summary."""
MAX_CLOCK_REWIND = dt.timedelta(days=1)
"""A watermark further than this ahead of ``now`` is taken for a clock that was
wrong (set years ahead, then corrected), not for a clock set back a little: it
is dropped, so that the notifier does not stay silent until that date."""


class AnnouncementKind(enum.Enum):
    START = "start"
    PRE_ALERT = "pre-alert"
    DEADLINE_WARNING = "deadline-warning"
    DEADLINE = "deadline"
    SNOOZED = "snoozed"
    SUMMARY = "summary"
    INFO = "info"
    """A message from the app itself (e.g. "still running in the tray")."""


@dataclass(frozen=True, slots=True)
class Announcement:
    instant: dt.datetime
    """When it is due, aware in UTC."""
    kind: AnnouncementKind
    summary: str
    body: str
    block_id: int | None = None

    @property
    def key(self) -> tuple[str, int | None, dt.datetime]:
        return (self.kind.value, self.block_id, self.instant)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily stretch of wall-clock time in which nothing is announced; it may
    run across midnight (22:00-07:00). Equal ends mean no quiet hours at all."""

    start: dt.time
    end: dt.time

    def covers(self, wall: dt.time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end

    def describe(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class NotificationRules:
    """What the user chose: lead times, deadline warnings, silent categories."""

    pre_alert_minutes: Mapping[str, int] = field(default_factory=dict)
    """Per category name; a category missing here uses its own default."""
    silent_categories: frozenset[str] | None = None
    """Categories that announce nothing; None means each category's own default."""
    deadline_warnings: tuple[int, ...] = DEFAULT_DEADLINE_WARNINGS
    quiet_hours: QuietHours | None = None
    """Nothing that falls in these hours is announced (it is skipped, like a pause)."""

    def lead_minutes(self, block: Block) -> int:
        return self.pre_alert_minutes.get(block.category.name, block.category.pre_alert_minutes)

    def is_silent(self, block: Block) -> bool:
        if not block.notify:
            return True
        if self.silent_categories is None:
            return block.category.silent
        return block.category.name in self.silent_categories


SHORT_NAME_LENGTH = 32


def short_name(title: str) -> str:
    """A block's name for a one-line message: "Deep work: code, data" -> "Deep work",
    "Finish tasks, unit tests" -> "Finish tasks"."""
    for separator in (":", ","):
        head = title.partition(separator)[0].strip()
        if head and head != title:
            title = head
            break
    return title if len(title) <= SHORT_NAME_LENGTH else title[: SHORT_NAME_LENGTH - 1] + "…"


def _deadline_words(title: str) -> str:
    """The point of a deadline: "Wrap-up: merge pending changes, nothing left half-done"
    -> "nothing left half-done"."""
    rest = title.partition(":")[2].strip()
    return rest.rsplit(",", 1)[-1].strip() if rest else ""


def _until(block: Block) -> str:
    """The block's end, with the weekday when it ends on another day."""
    same_day = block.end.date() == block.start.date()
    return f"{block.end:%H:%M}" if same_day else f"{block.end:%a %H:%M}"


def announcements_for(
    blocks: Sequence[Block], zone: ZoneInfo, rules: NotificationRules | None = None
) -> list[Announcement]:
    """Every announcement the blocks call for, in time order."""
    rules = rules or NotificationRules()
    blocks = list({block.id: block for block in blocks}.values())
    items: list[Announcement] = []
    ending_at: dict[dt.datetime, list[Block]] = {}
    for block in blocks:
        ending_at.setdefault(to_instant(block.end, zone).astimezone(dt.UTC), []).append(block)
    for block in blocks:
        if rules.is_silent(block):
            continue
        start = to_instant(block.start, zone).astimezone(dt.UTC)
        end = to_instant(block.end, zone).astimezone(dt.UTC)
        name = short_name(block.title)
        ended = [other for other in ending_at.get(start, []) if other.id != block.id]
        body = block.title
        if ended:
            body += " · " + ", ".join(f"{short_name(other.title)} ends" for other in ended)
        summary = f"{name} starts now — until {_until(block)}"
        items.append(Announcement(start, AnnouncementKind.START, summary, body, block.id))
        lead = rules.lead_minutes(block)
        if lead > 0:
            items.append(
                Announcement(
                    start - dt.timedelta(minutes=lead),
                    AnnouncementKind.PRE_ALERT,
                    f"{name} in {lead} minutes",
                    f"{block.title}, {block.start:%H:%M}–{block.end:%H:%M}",
                    block.id,
                )
            )
        if block.deadline:
            point = _deadline_words(block.title)
            for minutes in rules.deadline_warnings:
                items.append(
                    Announcement(
                        end - dt.timedelta(minutes=minutes),
                        AnnouncementKind.DEADLINE_WARNING,
                        f"{name} deadline in {minutes} minutes",
                        f"{block.title} · ends at {block.end:%H:%M}",
                        block.id,
                    )
                )
            items.append(
                Announcement(
                    end,
                    AnnouncementKind.DEADLINE,
                    f"{name} deadline: {point}" if point else f"{name} deadline: now",
                    f"{block.title} · {block.end:%H:%M}",
                    block.id,
                )
            )
    quiet = rules.quiet_hours
    if quiet is not None:
        items = [item for item in items if not quiet.covers(item.instant.astimezone(zone).time())]
    items.sort(key=lambda item: (item.instant, _KIND_ORDER[item.kind], item.block_id or 0))
    return items


_KIND_ORDER = {
    AnnouncementKind.DEADLINE: 0,
    AnnouncementKind.DEADLINE_WARNING: 1,
    AnnouncementKind.START: 2,
    AnnouncementKind.PRE_ALERT: 3,
    AnnouncementKind.SNOOZED: 4,
    AnnouncementKind.SUMMARY: 5,
    AnnouncementKind.INFO: 6,
}


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one check: what to deliver now, and the new watermark."""

    deliver: tuple[Announcement, ...]
    watermark: dt.datetime
    missed: tuple[Announcement, ...] = ()
    """What the summary (if any) stands for."""


def check(
    blocks: Sequence[Block],
    zone: ZoneInfo,
    watermark: dt.datetime,
    now: dt.datetime,
    *,
    rules: NotificationRules | None = None,
    snoozed: Iterable[Announcement] = (),
    paused_until: dt.datetime | None = None,
) -> Check:
    """Everything due in ``(watermark, now]``.

    Due in time (within :data:`CATCH_UP_GRACE` of ``now``): delivered one by
    one. Later than that (sleep, a clock jump, the app was closed): one
    summary naming the missed starts and what is under way now. During a
    pause nothing is delivered. If the clock went back (``now`` before the
    watermark), nothing is due and the watermark stays, so nothing repeats;
    a watermark more than :data:`MAX_CLOCK_REWIND` ahead is dropped instead
    (the clock had been wrong), and the check starts afresh at ``now``.
    """
    if watermark - now > MAX_CLOCK_REWIND:
        return Check((), now)
    if now <= watermark:
        return Check((), watermark)
    due = [
        item
        for item in (*announcements_for(blocks, zone, rules), *snoozed)
        if watermark < item.instant <= now
    ]
    due.sort(key=lambda item: (item.instant, _KIND_ORDER[item.kind], item.block_id or 0))
    if paused_until is not None:
        due = [item for item in due if item.instant >= paused_until]
    timely = [item for item in due if now - item.instant <= CATCH_UP_GRACE]
    late = [item for item in due if now - item.instant > CATCH_UP_GRACE]
    deliver: list[Announcement] = []
    summary = _summary(late, blocks, zone, now, timely) if late else None
    if summary is not None:
        deliver.append(summary)
    deliver.extend(timely)
    return Check(tuple(deliver), now, tuple(late))


def _summary(
    late: Sequence[Announcement],
    blocks: Sequence[Block],
    zone: ZoneInfo,
    now: dt.datetime,
    timely: Sequence[Announcement],
) -> Announcement | None:
    """One message for everything missed; None if none of it still matters."""
    by_id = {block.id: block for block in blocks}
    starts = [item for item in late if item.kind is AnnouncementKind.START]
    names = []
    for item in starts[:SUMMARY_LIMIT]:
        block = by_id.get(item.block_id or 0)
        if block is not None:
            names.append(f"{short_name(block.title)} {block.start:%H:%M}")
    if len(starts) > SUMMARY_LIMIT:
        names.append(f"and {len(starts) - SUMMARY_LIMIT} more")
    deadlines = [item.summary for item in late if item.kind is AnnouncementKind.DEADLINE]
    parts = []
    if names:
        parts.append("While you were away: " + ", ".join(names) + ".")
    parts.extend(f"Missed: {text}." for text in deadlines)
    parts.extend(_still_ahead(late, by_id, zone, now))
    parts.extend(
        f"Reminder: {item.summary}." for item in late if item.kind is AnnouncementKind.SNOOZED
    )
    if not parts:
        # Only alerts about things that have happened since, and were named
        # already (a pre-alert whose start is in the list, say): nothing to add.
        return None
    current, _ = current_and_next(blocks, to_wall(now, zone))
    if current is not None and not any(item.block_id == current.id for item in timely):
        parts.append(f"Now: {short_name(current.title)} until {_until(current)}")
    return Announcement(now, AnnouncementKind.SUMMARY, "While you were away", " ".join(parts))


def _still_ahead(
    late: Sequence[Announcement],
    by_id: Mapping[int, Block],
    zone: ZoneInfo,
    now: dt.datetime,
) -> list[str]:
    """Missed early warnings whose event is still to come: "Coming up: Meetings at
    13:00." (a resume at 12:58 must not swallow the 13:00 meeting's pre-alert)."""
    parts: list[str] = []
    for item in late:
        block = by_id.get(item.block_id or 0)
        if block is None:
            continue
        if item.kind is AnnouncementKind.PRE_ALERT:
            start = to_instant(block.start, zone).astimezone(dt.UTC)
            if start > now:
                parts.append(f"Coming up: {short_name(block.title)} at {block.start:%H:%M}.")
        elif item.kind is AnnouncementKind.DEADLINE_WARNING:
            end = to_instant(block.end, zone).astimezone(dt.UTC)
            text = f"Coming up: {short_name(block.title)} deadline at {block.end:%H:%M}."
            if end > now and text not in parts:
                parts.append(text)
    return parts


def next_due(
    blocks: Sequence[Block],
    zone: ZoneInfo,
    after: dt.datetime,
    *,
    rules: NotificationRules | None = None,
    snoozed: Iterable[Announcement] = (),
    paused_until: dt.datetime | None = None,
) -> dt.datetime | None:
    """The first instant after ``after`` at which something is due, if any
    (what falls in a pause is skipped: it would be dropped anyway)."""
    instants = [
        item.instant
        for item in (*announcements_for(blocks, zone, rules), *snoozed)
        if item.instant > after and (paused_until is None or item.instant >= paused_until)
    ]
    return min(instants, default=None)


def snooze(announcement: Announcement, now: dt.datetime, minutes: int) -> Announcement:
    """The same message again, ``minutes`` from ``now``."""
    return Announcement(
        now + dt.timedelta(minutes=minutes),
        AnnouncementKind.SNOOZED,
        announcement.summary,
        announcement.body,
        announcement.block_id,
    )


def reminder_for(block: Block, now: dt.datetime, zone: ZoneInfo) -> Announcement:
    """A message about a block under way, to snooze when nothing was announced yet."""
    return Announcement(
        now,
        AnnouncementKind.SNOOZED,
        f"{short_name(block.title)} — until {_until(block)}",
        block.title,
        block.id,
    )


# ---------------------------------------------------------------- now and next
def minutes_left(block: Block, now: dt.datetime, zone: ZoneInfo) -> int:
    """Whole minutes until the block ends, rounded up (never "0 min" while it runs)."""
    seconds = (to_instant(block.end, zone).astimezone(dt.UTC) - now).total_seconds()
    return max(0, -int(-seconds // 60))


def elapsed_fraction(block: Block, now: dt.datetime, zone: ZoneInfo) -> float:
    """How much of the block has passed, 0.0 to 1.0, in real time (DST-aware)."""
    start = to_instant(block.start, zone).astimezone(dt.UTC)
    end = to_instant(block.end, zone).astimezone(dt.UTC)
    if end <= start:
        return 1.0
    return min(1.0, max(0.0, (now - start) / (end - start)))


def now_line(current: Block | None, now: dt.datetime, zone: ZoneInfo) -> str:
    """ "Now: Deep work until 12:00 (37 min left)", or "Now: nothing planned"."""
    if current is None:
        return "Now: nothing planned"
    left = format_duration(dt.timedelta(minutes=minutes_left(current, now, zone)))
    return f"Now: {short_name(current.title)} until {_until(current)} ({left} left)"


def next_line(upcoming: Block | None, now: dt.datetime, zone: ZoneInfo) -> str:
    """ "Next: Lunch with the team at 12:00" (with the weekday if not today)."""
    if upcoming is None:
        return "Next: nothing planned"
    today = to_wall(now, zone).date()
    when = (
        f"{upcoming.start:%H:%M}"
        if upcoming.start.date() == today
        else f"{upcoming.start:%a %H:%M}"
    )
    return f"Next: {short_name(upcoming.title)} at {when}"


def now_and_next(
    blocks: Iterable[Block], now: dt.datetime, zone: ZoneInfo
) -> tuple[Block | None, Block | None]:
    """The block under way at the instant ``now`` and the next one to start."""
    return current_and_next(blocks, to_wall(now, zone))
