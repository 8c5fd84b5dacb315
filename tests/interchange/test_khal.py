"""An independent client reads our exports: khal, configured in a temporary folder.

For each exported day, ``khal import --batch`` takes the .ics file into a
vdir calendar and ``khal list --json`` must show every block at the same
wall-clock times, with the same real durations (through UTC, daylight-saving
nights included), and the alarms we wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ml_day.core.blocks import Block, BlockDraft
from ml_day.core.notifications import AnnouncementKind, announcements_for
from ml_day.core.timemodel import real_duration, to_instant, to_wall
from ml_day.interchange.export import export_calendar
from ml_day.persistence.repository import PlanRepository
from tests.interchange.conftest import (
    BERLIN,
    FALL_BACK,
    ORDINARY_DAY,
    SPRING_FORWARD,
    STAMP,
    OpenPlan,
    at,
    blocks_of_days,
)

KHAL_TIME = "%Y-%m-%dT%H:%M%z"
FIELDS = ("uid", "title", "start-long", "end-long", "duration", "alarms-list")
_DURATION = re.compile(r"(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?")


class Khal:
    """khal with its own configuration, calendar folder and cache under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.calendar = root / "calendars" / "plan"
        self.calendar.mkdir(parents=True)
        self.config = root / "khal.conf"
        self.config.write_text(
            "[calendars]\n"
            "[[plan]]\n"
            f"path = {self.calendar}\n"
            "type = calendar\n"
            "[sqlite]\n"
            f"path = {root / 'khal.db'}\n"
            "[locale]\n"
            "local_timezone = Europe/Berlin\n"
            "default_timezone = Europe/Berlin\n"
            "timeformat = %H:%M\n"
            "dateformat = %Y-%m-%d\n"
            "longdateformat = %Y-%m-%d\n"
            f"datetimeformat = {KHAL_TIME}\n"
            f"longdatetimeformat = {KHAL_TIME}\n",
            encoding="utf-8",
        )

    def run(self, *args: str) -> str:
        home = self.root / "home"
        home.mkdir(exist_ok=True)
        environment = {
            **os.environ,
            "TZ": "Europe/Berlin",
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
        }
        result = subprocess.run(
            [sys.executable, "-m", "khal", "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, f"khal {args[0]} failed: {result.stderr or result.stdout}"
        return result.stdout

    def import_file(self, path: Path) -> None:
        self.run("import", "--batch", "-a", "plan", str(path))

    def events(self, first: dt.date, last: dt.date) -> dict[str, dict[str, Any]]:
        """What khal lists from ``first`` to ``last``, by UID."""
        options = [item for name in FIELDS for item in ("--json", name)]
        out = self.run(
            "list", "--once", *options, first.isoformat(), (last + dt.timedelta(days=1)).isoformat()
        )
        found: dict[str, dict[str, Any]] = {}
        for line in out.splitlines():
            if line.strip():
                for event in json.loads(line):
                    found[event["uid"]] = event
        return found


def khal_time(text: str) -> dt.datetime:
    """khal's time as configured (KHAL_TIME): aware, with the offset it printed."""
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M%z")


def khal_duration(text: str) -> dt.timedelta:
    """khal's "6h 30m" as a timedelta ("" is no time)."""
    match = _DURATION.fullmatch(text.strip())
    assert match is not None, text
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def utc(wall: dt.datetime) -> dt.datetime:
    return to_instant(wall, BERLIN).astimezone(dt.UTC)


def expected_alarms(block: Block) -> list[tuple[float, str]]:
    """The alarms of ``block`` as khal lists them: (seconds from the start or, for a
    deadline, from the end; the message)."""
    start = to_instant(block.start, BERLIN).astimezone(dt.UTC)
    end = to_instant(block.end, BERLIN).astimezone(dt.UTC)
    alarms = []
    for item in announcements_for([block], BERLIN):
        related_to_end = item.kind in {
            AnnouncementKind.DEADLINE,
            AnnouncementKind.DEADLINE_WARNING,
        }
        offset = item.instant - (end if related_to_end else start)
        alarms.append((offset.total_seconds(), item.summary))
    return sorted(alarms)


def exported_to_khal(
    tmp_path: Path, blocks: list[Block], first: dt.date, last: dt.date
) -> dict[str, dict[str, Any]]:
    path = tmp_path / "plan.ics"
    path.write_bytes(export_calendar(blocks, BERLIN, stamp=STAMP))
    khal = Khal(tmp_path / "khal")
    khal.import_file(path)
    return khal.events(first - dt.timedelta(days=1), last)


def assert_khal_shows(listed: dict[str, dict[str, Any]], blocks: list[Block]) -> None:
    """Every block, at the wall-clock times the time model gives it, with its
    real duration and its alarms."""
    assert set(listed) == {block.uid for block in blocks}
    for block in blocks:
        event = listed[block.uid]
        start, end = khal_time(event["start-long"]), khal_time(event["end-long"])
        where = f"{block.title} {block.start}-{block.end}"
        assert event["title"] == block.title, where
        # Compared in UTC: an ambiguous local time never equals one in another zone.
        assert start.astimezone(dt.UTC) == utc(block.start), where
        assert end.astimezone(dt.UTC) == utc(block.end), where
        # The wall-clock time khal prints is the one the time model means.
        assert start.replace(tzinfo=None) == to_wall(to_instant(block.start, BERLIN), BERLIN)
        assert end.replace(tzinfo=None) == to_wall(to_instant(block.end, BERLIN), BERLIN)
        real = real_duration(block.start, block.end, BERLIN)
        assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == real, where
        assert khal_duration(event["duration"]) == real, where
        listed_alarms = sorted(
            (alarm["delta"], alarm["description"]) for alarm in event["alarms-list"]
        )
        assert listed_alarms == expected_alarms(block), where


def add(plan: PlanRepository, title: str, start: dt.datetime, end: dt.datetime) -> Block:
    return plan.add_block(BlockDraft(title=title, category="deep-work", start=start, end=end))


@pytest.mark.slow
def test_khal_lists_the_ml_engineer_day_as_planned(tmp_path: Path, open_plan: OpenPlan) -> None:
    plan = open_plan("source")
    blocks = blocks_of_days(plan, ORDINARY_DAY)
    assert len(blocks) == 11  # the template's ten, and last night's sleep
    listed = exported_to_khal(tmp_path, blocks, ORDINARY_DAY, ORDINARY_DAY)
    assert_khal_shows(listed, blocks)
    lunch = next(event for event in listed.values() if event["title"] == "Lunch with the team")
    assert (lunch["start-long"], lunch["end-long"]) == (
        "2026-11-27T12:00+0100",
        "2026-11-27T13:00+0100",
    )
    meeting = next(block for block in blocks if block.category.name == "meeting")
    assert (-300.0, "Meetings and client calls in 5 minutes") in [
        (alarm["delta"], alarm["description"]) for alarm in listed[meeting.uid]["alarms-list"]
    ]
    sleep = [block for block in blocks if block.category.name == "sleep"]
    assert all(listed[block.uid]["alarms-list"] == [] for block in sleep)


@pytest.mark.slow
def test_khal_lists_the_spring_forward_day_with_real_durations(
    tmp_path: Path, open_plan: OpenPlan
) -> None:
    plan = open_plan("source")
    plan.day_blocks(SPRING_FORWARD)
    # 01:30-03:30 spans the skipped hour: one real hour. 02:30 does not exist:
    # it means the moment the clocks jump, 03:00.
    across = add(plan, "Night run", at(SPRING_FORWARD, 1, 30), at(SPRING_FORWARD, 3, 30))
    skipped = add(plan, "Deploy", at(SPRING_FORWARD, 2, 30), at(SPRING_FORWARD, 4, 0))
    blocks = blocks_of_days(plan, SPRING_FORWARD)
    listed = exported_to_khal(tmp_path, blocks, SPRING_FORWARD, SPRING_FORWARD)
    assert_khal_shows(listed, blocks)
    assert listed[across.uid]["duration"] == "1h"
    assert listed[skipped.uid]["start-long"] == "2026-03-29T03:00+0200"
    eve = SPRING_FORWARD - dt.timedelta(days=1)
    night = next(block for block in blocks if block.start == at(eve, 22, 30))
    assert listed[night.uid]["duration"] == "6h 30m"  # 22:30-06:00, an hour shorter


@pytest.mark.slow
def test_khal_lists_the_fall_back_day_with_first_occurrences(
    tmp_path: Path, open_plan: OpenPlan
) -> None:
    plan = open_plan("source")
    plan.day_blocks(FALL_BACK)
    # 02:30 happens twice; the plan means the first time (summer time). khal
    # reading a TZID would take the second: ML Day writes such times in UTC.
    twice = add(plan, "Night job", at(FALL_BACK, 2, 30), at(FALL_BACK, 3, 30))
    ends_twice = add(plan, "Backup", at(FALL_BACK, 1, 30), at(FALL_BACK, 2, 30))
    blocks = blocks_of_days(plan, FALL_BACK)
    listed = exported_to_khal(tmp_path, blocks, FALL_BACK, FALL_BACK)
    assert_khal_shows(listed, blocks)
    assert listed[twice.uid]["start-long"] == "2026-10-25T02:30+0200"
    assert listed[twice.uid]["end-long"] == "2026-10-25T03:30+0100"
    assert listed[twice.uid]["duration"] == "2h"
    assert listed[ends_twice.uid]["end-long"] == "2026-10-25T02:30+0200"
    assert listed[ends_twice.uid]["duration"] == "1h"


@pytest.mark.slow
def test_khal_lists_a_block_across_midnight_once_with_both_days(
    tmp_path: Path, open_plan: OpenPlan
) -> None:
    plan = open_plan("source")
    plan.mark_day_filled(ORDINARY_DAY)
    plan.mark_day_filled(ORDINARY_DAY + dt.timedelta(days=1))
    plan.mark_day_filled(ORDINARY_DAY - dt.timedelta(days=1))
    late = add(
        plan,
        "Release night",
        at(ORDINARY_DAY, 23, 30),
        at(ORDINARY_DAY + dt.timedelta(days=1), 0, 45),
    )
    blocks = blocks_of_days(plan, ORDINARY_DAY, 2)
    assert blocks == [late]
    listed = exported_to_khal(tmp_path, blocks, ORDINARY_DAY, ORDINARY_DAY + dt.timedelta(days=1))
    assert_khal_shows(listed, blocks)
    assert listed[late.uid]["start-long"] == "2026-11-27T23:30+0100"
    assert listed[late.uid]["end-long"] == "2026-11-28T00:45+0100"
    assert listed[late.uid]["duration"] == "1h 15m"
