"""VTIMEZONE components written from the zone database itself.

``icalendar`` 7's own builder (``Timezone.from_tzid``, which
``Calendar.add_missing_timezones`` uses) writes each onset as the wall time
*after* the change. RFC 5545 reads an observance's DTSTART in the offset
*before* it (TZOFFSETFROM), so the spring-forward onset comes out one hour
late: Europe/Berlin 2026 gets ``DTSTART:20260329T030000`` with
``TZOFFSETFROM:+0100``, which means 02:00 UTC, not 01:00 UTC, and libical
honours that. Here every onset is the change's UTC instant plus the offset
before it, listed from :mod:`zoneinfo` over the days a file covers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from ml_day.core.timemodel import day_end, day_start, to_instant

SCAN_STEP = dt.timedelta(hours=6)
"""Zones change their offset at most once in this long (the closest changes
in the zone database are days apart), so a scan at this step misses none."""
MARGIN = dt.timedelta(days=7)
"""The VTIMEZONE covers this much more than the file's days, so that a client
showing a week around them has the offsets too."""


@dataclass(frozen=True, slots=True)
class Transition:
    """One change of a zone's offset."""

    instant: dt.datetime
    """When it happens, aware in UTC."""
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    name: str
    """The abbreviation in use after it (CEST)."""
    daylight: bool
    """Whether the zone observes daylight-saving time after it."""

    @property
    def onset(self) -> dt.datetime:
        """The onset as RFC 5545 writes it: local time in the offset before the change."""
        return (self.instant + self.offset_from).replace(tzinfo=None)


def zone_transitions(zone: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[Transition]:
    """The offset changes of ``zone`` in ``[start, end)`` (aware instants), in order."""
    transitions: list[Transition] = []
    cursor = start.astimezone(dt.UTC)
    end = end.astimezone(dt.UTC)
    offset = _offset(cursor, zone)
    while cursor < end:
        following = min(cursor + SCAN_STEP, end)
        next_offset = _offset(following, zone)
        if next_offset != offset:
            instant = _first_instant_with(cursor, following, zone, next_offset)
            local = instant.astimezone(zone)
            transitions.append(
                Transition(
                    instant=instant,
                    offset_from=offset,
                    offset_to=next_offset,
                    name=local.tzname() or _offset_name(next_offset),
                    daylight=bool(local.dst()),
                )
            )
        offset = next_offset
        cursor = following
    return transitions


def vtimezone(zone: ZoneInfo, first_day: dt.date, last_day: dt.date) -> Timezone:
    """A VTIMEZONE for ``zone`` that is right from ``first_day`` to ``last_day``
    (and a week either side): one observance for the offset in force at the
    start, then one per change."""
    key: str | None = zone.key  # None for a zone read from a file without a name
    if key is None:
        msg = "a VTIMEZONE needs a zone with a name"
        raise ValueError(msg)
    start = to_instant(day_start(first_day), zone).astimezone(dt.UTC) - MARGIN
    end = to_instant(day_end(last_day), zone).astimezone(dt.UTC) + MARGIN
    component = Timezone()
    component.add("TZID", key)
    local_start = start.astimezone(zone)
    offset = _offset(start, zone)
    component.add_component(
        _observance(
            daylight=bool(local_start.dst()),
            onset=(start + offset).replace(tzinfo=None),
            offset_from=offset,
            offset_to=offset,
            name=local_start.tzname() or _offset_name(offset),
        )
    )
    for change in zone_transitions(zone, start, end):
        component.add_component(
            _observance(
                daylight=change.daylight,
                onset=change.onset,
                offset_from=change.offset_from,
                offset_to=change.offset_to,
                name=change.name,
            )
        )
    return component


def _observance(
    *,
    daylight: bool,
    onset: dt.datetime,
    offset_from: dt.timedelta,
    offset_to: dt.timedelta,
    name: str,
) -> TimezoneStandard | TimezoneDaylight:
    observance = TimezoneDaylight() if daylight else TimezoneStandard()
    observance.add("DTSTART", onset)
    observance.add("TZOFFSETFROM", offset_from)
    observance.add("TZOFFSETTO", offset_to)
    observance.add("TZNAME", name)
    return observance


def _offset(instant: dt.datetime, zone: ZoneInfo) -> dt.timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None  # a ZoneInfo always has one
    return offset


def _first_instant_with(
    low: dt.datetime, high: dt.datetime, zone: ZoneInfo, offset: dt.timedelta
) -> dt.datetime:
    """The first instant in ``(low, high]`` with ``offset`` (offsets change on
    whole seconds, so a bisection over seconds is exact)."""
    low = low.replace(microsecond=0)
    while high - low > dt.timedelta(seconds=1):
        middle = (low + (high - low) / 2).replace(microsecond=0)
        if _offset(middle, zone) == offset:
            high = middle
        else:
            low = middle
    return high


def _offset_name(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{rest:02d}"
