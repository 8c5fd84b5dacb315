"""Time <-> pixel arithmetic for one day of the timeline (no Qt here).

The vertical axis is wall-clock time: every day is 24 wall hours tall, even on
daylight-saving days, so 14:00 sits at the same height on every day. The hour
that is skipped or repeated is marked by the view, not squeezed or stretched.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from ml_day.core.timemodel import day_end, day_start
from ml_day.overrides import override

if TYPE_CHECKING:
    from collections.abc import Iterator

HOURS_PER_DAY = 24
DEFAULT_PIXELS_PER_HOUR = 64.0
MIN_PIXELS_PER_HOUR = 32.0
MAX_PIXELS_PER_HOUR = 160.0
_SECONDS_PER_HOUR = 3600.0


class TimeScale:
    """Maps the wall-clock times of ``day`` to content y coordinates and back.

    ``y = top_margin`` is 00:00 of the day and ``y = top_margin + height`` is
    the midnight that closes it; the same margin is kept below the day.
    """

    __slots__ = ("_day", "_opens", "_pixels_per_hour", "_top_margin")

    def __init__(
        self,
        day: dt.date,
        pixels_per_hour: float = DEFAULT_PIXELS_PER_HOUR,
        top_margin: int = 0,
    ) -> None:
        if not math.isfinite(pixels_per_hour) or pixels_per_hour <= 0:
            msg = f"pixels per hour must be positive, not {pixels_per_hour!r}"
            raise ValueError(msg)
        if top_margin < 0:
            msg = f"the top margin cannot be negative ({top_margin})"
            raise ValueError(msg)
        self._day = day
        self._opens = day_start(day)
        self._pixels_per_hour = float(pixels_per_hour)
        self._top_margin = top_margin

    @override
    def __repr__(self) -> str:
        return (
            f"TimeScale({self._day.isoformat()}, pixels_per_hour={self._pixels_per_hour:g}, "
            f"top_margin={self._top_margin})"
        )

    @property
    def day(self) -> dt.date:
        return self._day

    @property
    def pixels_per_hour(self) -> float:
        return self._pixels_per_hour

    @property
    def top_margin(self) -> int:
        return self._top_margin

    @property
    def day_start(self) -> dt.datetime:
        """The wall-clock midnight at the top of the day."""
        return self._opens

    @property
    def day_end(self) -> dt.datetime:
        """The wall-clock midnight at the bottom of the day (the next day's start)."""
        return day_end(self._day)

    @property
    def height(self) -> float:
        """Pixels for the 24 wall hours of the day, margins excluded."""
        return HOURS_PER_DAY * self._pixels_per_hour

    @property
    def content_height(self) -> int:
        """Whole pixels for the day plus a margin above and below it."""
        return math.ceil(self.height) + 2 * self._top_margin

    @property
    def bottom(self) -> float:
        """The y of the midnight that closes the day."""
        return self._top_margin + self.height

    def with_pixels_per_hour(self, pixels_per_hour: float) -> TimeScale:
        return TimeScale(self._day, pixels_per_hour, self._top_margin)

    def y_of(self, wall: dt.datetime) -> float:
        """The y of a naive wall-clock time; times off the day lie above or below it."""
        if wall.tzinfo is not None:
            msg = "the timeline takes naive wall-clock times"
            raise ValueError(msg)
        hours = (wall - self._opens).total_seconds() / _SECONDS_PER_HOUR
        return self._top_margin + hours * self._pixels_per_hour

    def wall_at(self, y: float, snap: dt.timedelta | None = None) -> dt.datetime:
        """The wall-clock time at ``y``, clamped to the day, rounded to whole seconds
        (or to the nearest multiple of ``snap`` from midnight)."""
        hours = (y - self._top_margin) / self._pixels_per_hour
        seconds = min(max(hours, 0.0), float(HOURS_PER_DAY)) * _SECONDS_PER_HOUR
        if snap is not None:
            step = snap.total_seconds()
            if step <= 0:
                msg = "the snap step must be positive"
                raise ValueError(msg)
            seconds = round(seconds / step) * step
        return self._opens + dt.timedelta(seconds=round(seconds))

    def span(self, start: dt.datetime, end: dt.datetime) -> tuple[float, float]:
        """The (top, bottom) y of the part of ``start``-``end`` that lies on the day."""
        top = self.y_of(max(start, self._opens))
        bottom = self.y_of(min(end, self.day_end))
        return top, max(top, bottom)

    def pixels_for(self, duration: dt.timedelta) -> float:
        return duration.total_seconds() / _SECONDS_PER_HOUR * self._pixels_per_hour

    def duration_for(self, pixels: float) -> dt.timedelta:
        return dt.timedelta(hours=pixels / self._pixels_per_hour)

    def grid_lines(self, step: dt.timedelta) -> Iterator[tuple[dt.datetime, float]]:
        """(wall time, y) of every multiple of ``step`` from 00:00 to 24:00 inclusive."""
        if step <= dt.timedelta(0):
            msg = "the grid step must be positive"
            raise ValueError(msg)
        wall, closes = self._opens, self.day_end
        while wall <= closes:
            yield wall, self.y_of(wall)
            wall += step

    def hour_lines(self) -> Iterator[tuple[int, float]]:
        """(hour 0-24, y) of every hour line, the closing midnight included."""
        for hour in range(HOURS_PER_DAY + 1):
            yield hour, self._top_margin + hour * self._pixels_per_hour
