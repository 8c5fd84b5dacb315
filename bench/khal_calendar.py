"""The same day as a khal calendar: one ``.ics`` file per block in a vdir folder.

Written with the ``icalendar`` library (not through ML Day's own export), with
the blocks' real instants in UTC, and a khal configuration that reads only
that folder and keeps khal's cache beside it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from ml_day.core.blocks import Block
from ml_day.core.timemodel import to_instant

STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def write_khal_calendar(folder: Path, blocks: Sequence[Block], zone: ZoneInfo) -> Path:
    """Write ``blocks`` as a khal calendar under ``folder``; returns the config file."""
    shutil.rmtree(folder, ignore_errors=True)
    calendar_folder = folder / "calendar"
    calendar_folder.mkdir(parents=True)
    for block in blocks:
        uid = block.uid or f"block-{block.id}@ml-day"
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//ML Day benchmark//EN")
        calendar.add("version", "2.0")
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("summary", block.title)
        event.add("dtstart", to_instant(block.start, zone).astimezone(dt.UTC))
        event.add("dtend", to_instant(block.end, zone).astimezone(dt.UTC))
        event.add("dtstamp", STAMP)
        event.add("categories", [block.category.name])
        calendar.add_component(event)
        name = "".join(char if char.isalnum() else "-" for char in uid)
        (calendar_folder / f"{name}.ics").write_bytes(calendar.to_ical())
    config = folder / "config"
    config.write_text(
        "\n".join(
            [
                "[calendars]",
                "[[plan]]",
                f"path = {calendar_folder}",
                "type = calendar",
                "[locale]",
                "timeformat = %H:%M",
                "dateformat = %Y-%m-%d",
                "longdateformat = %Y-%m-%d",
                "datetimeformat = %Y-%m-%d %H:%M",
                "longdatetimeformat = %Y-%m-%d %H:%M",
                f"local_timezone = {zone.key}",
                f"default_timezone = {zone.key}",
                "[sqlite]",
                f"path = {folder / 'khal.db'}",
                "",
            ]
        ),
        encoding="utf-8",
    )
    return config
