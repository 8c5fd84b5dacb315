"""From a file on disk to an :class:`~ml_day.interchange.import_plan.ImportPlan`.

The steps every front end shares (the command line, the window's Import
action and a file dropped on it): read the file, read its events in the
user's zone, look up the stored blocks with the same UIDs, and plan. The
look-up is passed in, so that this package stays free of the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from ml_day.core.blocks import Block
from ml_day.interchange.events import events_in
from ml_day.interchange.export import PRODID_PREFIX
from ml_day.interchange.import_plan import ImportPlan, plan_import
from ml_day.interchange.reading import MAX_FILE_BYTES, CalendarFileError, read_calendar

DEFAULT_DAYS = 7
"""Repeating events are expanded over this many days unless told otherwise."""
CALENDAR_SUFFIXES = (".ics", ".ical", ".icalendar", ".ifb")

StoredBlocks = Callable[[Collection[str]], Mapping[str, Block]]
"""Given UIDs, the stored blocks that have them (by UID)."""


def read_file(path: Path) -> bytes:
    """The file's bytes, or a :class:`CalendarFileError` saying why not."""
    try:
        if path.is_dir():
            raise CalendarFileError("it is a folder, not a file")
        if path.stat().st_size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1024 // 1024
            raise CalendarFileError(f"the file is too large (at most {limit} MB)")
        return path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise CalendarFileError(f"it cannot be read ({reason})") from error


def prepare_import(
    data: bytes,
    *,
    source: str,
    zone: ZoneInfo,
    first_day: dt.date,
    days: int,
    stored: StoredBlocks,
) -> ImportPlan:
    """What importing ``data`` (a calendar file's bytes) would do.

    Repeating events are expanded over ``days`` days from ``first_day``.
    Raises :class:`CalendarFileError` for a file that is no calendar at all.
    """
    read = read_calendar(data)
    last_day = first_day + dt.timedelta(days=max(days, 1) - 1)
    events = events_in(read, zone, first_day, last_day)
    existing = stored({event.uid for event in events.events})
    return plan_import(
        events, existing, source=source, whole_days=read.producer.startswith(PRODID_PREFIX)
    )
