"""The one source of "now": a clock passed to whoever needs the time."""

from __future__ import annotations

import datetime as dt
import time
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Tells the current instant and the zone the user lives in."""

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    def zone(self) -> ZoneInfo:
        """The user's local zone, read afresh so that zone changes are seen."""
        ...


def local_now(clock: Clock) -> dt.datetime:
    """The current local wall-clock time, timezone-aware in the local zone."""
    return clock.now().astimezone(clock.zone())


def today(clock: Clock) -> dt.date:
    """The user's local date."""
    return local_now(clock).date()


def wall_now_quickly(clock: Clock) -> dt.datetime:
    """The local wall-clock time, naive, as :func:`local_now` gives it, without
    naming the zone when the clock is the system's.

    Naming the system's zone loads :mod:`tzlocal` (tens of milliseconds at
    start-up); the C library's local time reads the same ``TZ`` and
    ``/etc/localtime``. For the first paint, which must not wait.
    """
    if isinstance(clock, SystemClock):
        instant = clock.now().timestamp()
        return dt.datetime.fromtimestamp(instant)  # noqa: DTZ006 - naive local time on purpose
    return local_now(clock).replace(tzinfo=None)


class SystemClock:
    """The machine's clock and its configured zone."""

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(time.time(), tz=dt.UTC)  # noqa: TID251 - the one real clock

    def zone(self) -> ZoneInfo:
        return system_zone()


def system_zone() -> ZoneInfo:
    """The zone configured on this machine (TZ, /etc/localtime), or UTC if unknown."""
    try:
        from tzlocal import get_localzone  # noqa: PLC0415 - only the real clock needs it

        return get_localzone()
    except Exception:  # noqa: BLE001 - any misconfiguration falls back to UTC
        return ZoneInfo("UTC")


class ManualClock:
    """A clock that moves only when told to: for tests, benchmarks and replays."""

    def __init__(self, instant: dt.datetime, zone: ZoneInfo | str) -> None:
        if instant.tzinfo is None:
            msg = "ManualClock needs a timezone-aware instant"
            raise ValueError(msg)
        self._instant = instant.astimezone(dt.UTC)
        self._zone = ZoneInfo(zone) if isinstance(zone, str) else zone

    @classmethod
    def at_local(cls, wall: dt.datetime, zone: ZoneInfo | str) -> ManualClock:
        """A clock showing the given local wall time (first occurrence if repeated)."""
        tz = ZoneInfo(zone) if isinstance(zone, str) else zone
        return cls(wall.replace(tzinfo=tz, fold=0), tz)

    def now(self) -> dt.datetime:
        return self._instant

    def zone(self) -> ZoneInfo:
        return self._zone

    def advance(self, delta: dt.timedelta) -> None:
        """Move time forward (or back, with a negative delta)."""
        self._instant += delta

    def set(self, instant: dt.datetime) -> None:
        """Jump to an instant, as a clock change or a resume from sleep would."""
        self._instant = instant.astimezone(dt.UTC)

    def set_zone(self, zone: ZoneInfo | str) -> None:
        """Change the zone, as moving the machine to another zone would."""
        self._zone = ZoneInfo(zone) if isinstance(zone, str) else zone
