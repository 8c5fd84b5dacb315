"""Wall-clock plans and the real instants they mean.

A plan is kept in local wall-clock time with no zone. The zone is applied only
when something must happen at a real instant. Two rules settle the awkward
cases on daylight-saving days:

* a wall time that does not exist (02:30 on a spring-forward night) means the
  first valid instant after it, which is the moment the clocks jump;
* a wall time that occurs twice means its first occurrence.

Python's own arithmetic gets both wrong: ``datetime(2026, 3, 29, 2, 30,
tzinfo=berlin)`` is accepted silently, and subtracting two datetimes that share
one tzinfo ignores the change. Everything here goes through UTC instead.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

MIDNIGHT = dt.time(0, 0)
ONE_DAY = dt.timedelta(days=1)


def day_start(day: dt.date) -> dt.datetime:
    """The naive wall-clock midnight that opens ``day``."""
    return dt.datetime.combine(day, MIDNIGHT)


def day_end(day: dt.date) -> dt.datetime:
    """The naive wall-clock midnight that closes ``day`` (the next day's start)."""
    return day_start(day + ONE_DAY)


def _utc_of(wall: dt.datetime, zone: ZoneInfo, fold: int) -> dt.datetime:
    return wall.replace(tzinfo=zone, fold=fold).astimezone(dt.UTC)


def _wall_of(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return instant.astimezone(zone).replace(tzinfo=None, fold=0)


def wall_exists(wall: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether the naive wall time is shown by a clock in ``zone`` at some instant."""
    return any(_wall_of(_utc_of(wall, zone, fold), zone) == wall for fold in (0, 1))


def wall_is_repeated(wall: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether the naive wall time occurs twice (clocks going back)."""
    first, second = _utc_of(wall, zone, 0), _utc_of(wall, zone, 1)
    return first != second and wall_exists(wall, zone)


def to_instant(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The real instant (aware, in ``zone``) a naive wall time stands for.

    Compare or subtract results only after ``.astimezone(dt.UTC)``.

    A repeated wall time gives its first occurrence; a wall time in a gap gives
    the first valid instant after it, the moment the clocks jump forward.
    """
    if wall.tzinfo is not None:
        msg = "to_instant takes a naive wall-clock time"
        raise ValueError(msg)
    first = _utc_of(wall, zone, 0)
    second = _utc_of(wall, zone, 1)
    if _wall_of(first, zone) == wall or _wall_of(second, zone) == wall:
        return min(first, second).astimezone(zone)
    # In a gap: the jump happens between the two candidate instants. Find the
    # first instant whose wall time is past ``wall`` (offsets change on whole
    # seconds, so a bisection over seconds is exact).
    low, high = min(first, second), max(first, second)
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _wall_of(middle, zone) > wall:
            high = middle
        else:
            low = middle
    return high.astimezone(zone)


def to_wall(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The naive wall-clock time a clock in ``zone`` shows at ``instant``."""
    if instant.tzinfo is None:
        msg = "to_wall takes a timezone-aware instant"
        raise ValueError(msg)
    return _wall_of(instant, zone)


def real_duration(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> dt.timedelta:
    """Elapsed real time between two naive wall times (01:30-03:30 on a
    spring-forward night is one hour)."""
    # Both instants share one tzinfo: subtracting them directly would compare
    # wall times and ignore the change, so go through UTC.
    return to_instant(end, zone).astimezone(dt.UTC) - to_instant(start, zone).astimezone(dt.UTC)


class ClockChangeKind(enum.Enum):
    """How the clocks change on a daylight-saving day."""

    SKIPPED = "skipped"
    """Clocks go forward: the wall times in between never happen."""
    REPEATED = "repeated"
    """Clocks go back: the wall times in between happen twice."""


@dataclass(frozen=True, slots=True)
class ClockChange:
    """A daylight-saving change inside one day, in wall-clock terms."""

    kind: ClockChangeKind
    wall_start: dt.datetime
    """First affected wall time (e.g. 02:00)."""
    wall_end: dt.datetime
    """First wall time after the affected span (e.g. 03:00)."""
    instant: dt.datetime
    """The real instant of the change, aware in the zone."""

    @property
    def length(self) -> dt.timedelta:
        return self.wall_end - self.wall_start

    def describe(self) -> str:
        """A one-line explanation for the user."""
        span = f"{self.wall_start:%H:%M}-{self.wall_end:%H:%M}"
        minutes = int(self.length.total_seconds() // 60)
        amount = "1 hour" if minutes == 60 else f"{minutes} minutes"
        if self.kind is ClockChangeKind.SKIPPED:
            return f"Clocks go forward {amount}: {span} does not happen today"
        return f"Clocks go back {amount}: {span} happens twice today"


def clock_changes(day: dt.date, zone: ZoneInfo) -> list[ClockChange]:
    """The daylight-saving changes that happen during the local ``day``.

    A change belongs to the day whose length it changes. Skipped wall times are
    missing from the day that shows them (so the day holding the first one).
    The second pass of repeated ones is lived after the jump back, so the day
    whose real span, from its midnight's first occurrence to the next's, holds
    the jump: the same day, unless the clocks went back just after midnight
    (St. John's until 2011, at 00:01), when the repeated span starts the
    evening before the day that gets the extra hour. Where the clocks jump at
    midnight (Santiago, Cairo, Havana), the day's own midnight is the jump
    instant itself, so the scan starts a margin earlier.
    """
    opens, closes = day_start(day), day_end(day)
    begins = to_instant(opens, zone).astimezone(dt.UTC)
    start = begins - _SCAN_MARGIN
    end = to_instant(closes, zone).astimezone(dt.UTC)
    changes: list[ClockChange] = []
    step = dt.timedelta(minutes=15)
    cursor = start
    offset = cursor.astimezone(zone).utcoffset()
    while cursor < end:
        following = min(cursor + step, end)
        next_offset = following.astimezone(zone).utcoffset()
        if next_offset != offset and offset is not None and next_offset is not None:
            instant = _first_instant_with_offset(cursor, following, zone, next_offset)
            before = (instant + offset).replace(tzinfo=None)
            after = (instant + next_offset).replace(tzinfo=None)
            if after > before:
                change = ClockChange(
                    ClockChangeKind.SKIPPED, before, after, instant.astimezone(zone)
                )
            else:
                change = ClockChange(
                    ClockChangeKind.REPEATED, after, before, instant.astimezone(zone)
                )
            if change.kind is ClockChangeKind.SKIPPED:
                changes_today = opens <= change.wall_start < closes
            else:
                changes_today = begins <= instant < end
            if changes_today:
                changes.append(change)
        offset = next_offset
        cursor = following
    return changes


_SCAN_MARGIN = dt.timedelta(hours=6)
"""More than any clock change in use: the scan for a day's changes starts this early."""


def _first_instant_with_offset(
    low: dt.datetime, high: dt.datetime, zone: ZoneInfo, offset: dt.timedelta
) -> dt.datetime:
    while high - low > dt.timedelta(seconds=1):
        middle = (low + (high - low) / 2).replace(microsecond=0)
        if middle.astimezone(zone).utcoffset() == offset:
            high = middle
        else:
            low = middle
    return high


def format_duration(duration: dt.timedelta) -> str:
    """A short human duration: "45 min", "1 h", "2 h 30 min"."""
    minutes = round(duration.total_seconds() / 60)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{sign}{hours} h {rest} min"
    if hours:
        return f"{sign}{hours} h"
    return f"{sign}{rest} min"
