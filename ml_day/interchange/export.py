"""Blocks to an iCalendar file (RFC 5545) that other calendars read.

One VEVENT per block, with the block's own UID (so exporting again gives the
same UIDs, and a re-import updates instead of duplicating), SUMMARY,
DESCRIPTION from the notes, CATEGORIES, and one VALARM per announcement the
notifier would make for the block (its start, a pre-alert, deadline warnings).

Times carry the user's zone (``TZID`` and a VTIMEZONE built from the zone
database, see :mod:`ml_day.interchange.vtimezone`). A wall time that does not
map to exactly one instant is written in UTC instead, as the time model
resolves it: calendar clients disagree on a time that occurs twice (khal and
libical take the second occurrence, zoneinfo and RFC 5545 the first), and on
a time that does not exist. Such a block also carries its wall time in
``X-ML-DAY-START`` / ``X-ML-DAY-END``, so that ML Day reading the file back
gets the same plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from ml_day import APP_NAME, __version__
from ml_day.core.blocks import Block
from ml_day.core.notifications import AnnouncementKind, NotificationRules, announcements_for
from ml_day.core.timemodel import to_instant, wall_exists, wall_is_repeated
from ml_day.interchange.vtimezone import vtimezone

PRODID = f"-//{APP_NAME}//{APP_NAME} {__version__}//EN"
PRODID_PREFIX = f"-//{APP_NAME}//"
"""Files whose PRODID starts so were written by ML Day: they hold whole days."""

WALL_START = "X-ML-DAY-START"
WALL_END = "X-ML-DAY-END"
FIXED = "X-ML-DAY-FIXED"
NOTIFY = "X-ML-DAY-NOTIFY"
DEADLINE = "X-ML-DAY-DEADLINE"
WALL_FORMAT = "%Y%m%dT%H%M%S"

_RELATIVE_TO_END = {AnnouncementKind.DEADLINE, AnnouncementKind.DEADLINE_WARNING}


def export_calendar(
    blocks: Sequence[Block],
    zone: ZoneInfo,
    *,
    stamp: dt.datetime,
    rules: NotificationRules | None = None,
) -> bytes:
    """The iCalendar file holding ``blocks``, with times in ``zone``.

    ``stamp`` (aware) is the DTSTAMP of every event: the moment of the export,
    read from the app's clock.
    """
    calendar = Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", PRODID)
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("X-WR-CALNAME", APP_NAME)
    named = _has_name(zone)
    events = [_event(block, zone, stamp, rules) for block in blocks]
    if named and blocks:
        first = min(block.start for block in blocks).date()
        last = max(block.end for block in blocks).date()
        calendar.add_component(vtimezone(zone, first, last))
    for event in events:
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _event(
    block: Block, zone: ZoneInfo, stamp: dt.datetime, rules: NotificationRules | None
) -> Event:
    event = Event()
    event.add("UID", block.uid or f"block-{block.id}@ml-day")
    event.add("DTSTAMP", stamp.astimezone(dt.UTC))
    event.add("SUMMARY", block.title)
    event.add("DTSTART", _ical_time(block.start, zone))
    event.add("DTEND", _ical_time(block.end, zone))
    if block.notes:
        event.add("DESCRIPTION", block.notes)
    event.add("CATEGORIES", [block.category.name])
    event.add("TRANSP", "OPAQUE")
    for name, wall in ((WALL_START, block.start), (WALL_END, block.end)):
        if _has_name(zone) and not wall_exists(wall, zone):
            event.add(name, wall.strftime(WALL_FORMAT))
    event.add(FIXED, _flag(block.fixed))
    event.add(NOTIFY, _flag(block.notify))
    event.add(DEADLINE, _flag(block.deadline))
    for alarm in _alarms(block, zone, rules):
        event.add_component(alarm)
    return event


def _ical_time(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The value for DTSTART/DTEND: the wall time in the zone when it names
    exactly one instant, else that instant in UTC (see the module's docstring)."""
    if not _has_name(zone) or not wall_exists(wall, zone) or wall_is_repeated(wall, zone):
        return to_instant(wall, zone).astimezone(dt.UTC)
    return wall.replace(tzinfo=zone)


def _has_name(zone: ZoneInfo) -> bool:
    """Whether the zone can be named in a TZID (UTC is written as UTC times)."""
    key: str | None = zone.key  # None for a zone read from a file without a name
    return key is not None and key not in {"UTC", "Etc/UTC", "Etc/UCT", "UCT"}


def _alarms(block: Block, zone: ZoneInfo, rules: NotificationRules | None) -> list[Alarm]:
    """One VALARM per announcement the notifier makes for ``block`` (none for a
    silent block), each relative to the block's start or, for the deadline
    and its warnings, to its end."""
    start = to_instant(block.start, zone).astimezone(dt.UTC)
    end = to_instant(block.end, zone).astimezone(dt.UTC)
    alarms: list[Alarm] = []
    for announcement in announcements_for([block], zone, rules):
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", announcement.summary)
        if announcement.kind in _RELATIVE_TO_END:
            alarm.add("TRIGGER", announcement.instant - end, parameters={"RELATED": "END"})
        else:
            alarm.add("TRIGGER", announcement.instant - start)
        alarms.append(alarm)
    return alarms


def _flag(value: bool) -> str:
    return "TRUE" if value else "FALSE"
