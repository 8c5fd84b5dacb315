"""The VTIMEZONE we write says what the zone database says.

Each one is read back the way RFC 5545 defines it (``icalendar``'s
``get_transitions``: the onset is local time in the offset before the change)
and compared with :mod:`zoneinfo`: the same change instants, the same offsets.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Timezone
from icalendar.prop import vUTCOffset

from ml_day.interchange.vtimezone import vtimezone, zone_transitions

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "America/Santiago",  # changes at midnight
    "Australia/Lord_Howe",  # half an hour of daylight saving
    "Africa/Casablanca",  # daylight saving suspended for Ramadan
    "Asia/Kolkata",  # no changes at all
    "Pacific/Chatham",  # +12:45 / +13:45
)


def rfc_transitions(component: Timezone) -> list[tuple[dt.datetime, dt.timedelta]]:
    """(UTC instant, offset after) of each change the component describes, as
    RFC 5545 reads it (the first observance only sets the starting offset)."""
    times, infos = component.get_transitions()
    pairs = [
        (time.replace(tzinfo=dt.UTC), info[0]) for time, info in zip(times, infos, strict=True)
    ]
    return [
        (instant, offset)
        for (instant, offset), (_, before) in zip(pairs[1:], pairs, strict=False)
        if offset != before
    ]


def zoneinfo_transitions(
    zone: ZoneInfo, first: dt.datetime, last: dt.datetime
) -> list[tuple[dt.datetime, dt.timedelta]]:
    """Every change of offset between two instants, found hour by hour and then
    to the second: an independent check of :func:`zone_transitions`."""
    found: list[tuple[dt.datetime, dt.timedelta]] = []
    cursor = first
    while cursor < last:
        following = cursor + dt.timedelta(hours=1)
        before, after = cursor.astimezone(zone).utcoffset(), following.astimezone(zone).utcoffset()
        if before != after:
            low, high = cursor, following
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == after:
                    high = middle
                else:
                    low = middle
            assert after is not None
            found.append((high, after))
        cursor = following
    return found


@pytest.mark.parametrize("name", ZONES)
def test_every_change_in_the_vtimezone_happens_when_zoneinfo_says(name: str) -> None:
    zone = ZoneInfo(name)
    first, last = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    component = vtimezone(zone, first, last)
    window_start = dt.datetime(2025, 12, 20, tzinfo=dt.UTC)
    window_end = dt.datetime(2027, 1, 10, tzinfo=dt.UTC)
    expected = zoneinfo_transitions(zone, window_start, window_end)
    assert rfc_transitions(component) == expected
    assert str(component["TZID"]) == name


def test_berlin_springs_forward_at_one_utc_and_falls_back_at_one_utc() -> None:
    component = vtimezone(ZoneInfo("Europe/Berlin"), dt.date(2026, 3, 29), dt.date(2026, 10, 25))
    assert rfc_transitions(component) == [
        (dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC), dt.timedelta(hours=2)),
        (dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC), dt.timedelta(hours=1)),
    ]
    text = component.to_ical().decode()
    # The spring onset is written in the offset before it: 02:00 at +01:00.
    assert "DTSTART:20260329T020000\r\nTZNAME:CEST\r\nTZOFFSETFROM:+0100" in text
    assert "DTSTART:20261025T030000\r\nTZNAME:CET\r\nTZOFFSETFROM:+0200" in text


def test_the_check_catches_an_onset_one_hour_late() -> None:
    """What icalendar 7.3's own builder writes for Berlin's spring change
    (DTSTART 03:00 with TZOFFSETFROM +01:00) fails the comparison above."""
    zone = ZoneInfo("Europe/Berlin")
    text = vtimezone(zone, dt.date(2026, 3, 1), dt.date(2026, 4, 30)).to_ical().decode()
    late = text.replace("DTSTART:20260329T020000", "DTSTART:20260329T030000")
    assert late != text
    component = Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{late}END:VCALENDAR\r\n").subcomponents[0]
    assert isinstance(component, Timezone)
    expected = zoneinfo_transitions(
        zone, dt.datetime(2026, 2, 20, tzinfo=dt.UTC), dt.datetime(2026, 5, 8, tzinfo=dt.UTC)
    )
    assert rfc_transitions(component) != expected
    assert rfc_transitions(component)[0][0] == dt.datetime(2026, 3, 29, 2, 0, tzinfo=dt.UTC)


def test_zone_transitions_names_the_abbreviation_and_daylight_time() -> None:
    changes = zone_transitions(
        ZoneInfo("Europe/Berlin"),
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )
    assert [(change.name, change.daylight, change.onset) for change in changes] == [
        ("CEST", True, dt.datetime(2026, 3, 29, 2, 0)),
        ("CET", False, dt.datetime(2026, 10, 25, 3, 0)),
    ]


def test_a_zone_without_changes_gets_one_observance() -> None:
    component = vtimezone(ZoneInfo("Asia/Kolkata"), dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert len(component.subcomponents) == 1
    offset = component.subcomponents[0]["TZOFFSETTO"]
    assert isinstance(offset, vUTCOffset)
    assert offset.td == dt.timedelta(hours=5, minutes=30)
