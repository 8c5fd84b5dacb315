"""What an exported file holds, property by property."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from icalendar.prop import vDDDTypes

from ml_day.core.blocks import Block, BlockDraft
from ml_day.core.notifications import NotificationRules
from ml_day.interchange.export import export_calendar
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


def events_by_uid(data: bytes) -> dict[str, Event]:
    calendar = Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.events}


def alarms(event: Event) -> list[tuple[str, dt.timedelta, str]]:
    """(related to, trigger, message) of each VALARM."""
    found = []
    for alarm in event.walk("VALARM"):
        trigger = alarm["TRIGGER"]
        assert isinstance(trigger, vDDDTypes) and isinstance(trigger.dt, dt.timedelta)
        related = str(trigger.params.get("RELATED", "START"))
        found.append((related, trigger.dt, str(alarm["DESCRIPTION"])))
    return sorted(found)


def named(blocks: list[Block], category: str) -> Block:
    return next(block for block in blocks if block.category.name == category)


def test_one_event_per_block_with_its_uid_title_category_and_times(open_plan: OpenPlan) -> None:
    blocks = blocks_of_days(open_plan("plan"), ORDINARY_DAY)
    data = export_calendar(blocks, BERLIN, stamp=STAMP)
    calendar = Calendar.from_ical(data)
    assert str(calendar["PRODID"]).startswith("-//ML Day//")
    events = events_by_uid(data)
    assert list(events) == [block.uid for block in blocks]
    lunch = named(blocks, "meal")
    event = events[lunch.uid]
    assert str(event["SUMMARY"]) == "Lunch with the team"
    assert [str(name) for name in event.categories] == ["meal"]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.start == at(ORDINARY_DAY, 12).replace(tzinfo=BERLIN)
    assert event.end == at(ORDINARY_DAY, 13).replace(tzinfo=BERLIN)
    assert event.stamp == STAMP
    assert "DESCRIPTION" not in event
    assert [str(zone["TZID"]) for zone in calendar.timezones] == ["Europe/Berlin"]


def test_uids_are_stable_across_exports(open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    first = export_calendar(blocks_of_days(plan, ORDINARY_DAY), BERLIN, stamp=STAMP)
    later = STAMP + dt.timedelta(days=3)
    second = export_calendar(blocks_of_days(plan, ORDINARY_DAY), BERLIN, stamp=later)
    assert list(events_by_uid(first)) == list(events_by_uid(second))
    assert first.replace(b"20260301T090000Z", b"20260304T090000Z") == second


def test_notes_become_the_description_and_flags_travel(open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    plan.mark_day_filled(ORDINARY_DAY)
    block = plan.add_block(
        BlockDraft(
            title="Write report",
            category="writing",
            start=at(ORDINARY_DAY, 9),
            end=at(ORDINARY_DAY, 11),
            notes="Sections 2-3\nthen figures; check, then send",
            fixed=True,
            notify=False,
        )
    )
    event = events_by_uid(export_calendar([block], BERLIN, stamp=STAMP))[block.uid]
    assert str(event["DESCRIPTION"]) == "Sections 2-3\nthen figures; check, then send"
    assert (str(event["X-ML-DAY-FIXED"]), str(event["X-ML-DAY-NOTIFY"])) == ("TRUE", "FALSE")
    assert alarms(event) == []  # notifications are off for this block


def test_alarms_follow_the_notification_rules(open_plan: OpenPlan) -> None:
    blocks = blocks_of_days(open_plan("plan"), ORDINARY_DAY)
    events = events_by_uid(export_calendar(blocks, BERLIN, stamp=STAMP))
    meeting, wrap_up = named(blocks, "meeting"), named(blocks, "wrap-up")
    assert alarms(events[meeting.uid]) == [
        ("START", -dt.timedelta(minutes=5), "Meetings and client calls in 5 minutes"),
        ("START", dt.timedelta(0), "Meetings and client calls starts now — until 14:00"),
    ]
    assert alarms(events[wrap_up.uid]) == [
        ("END", -dt.timedelta(minutes=30), "Wrap-up deadline in 30 minutes"),
        ("END", -dt.timedelta(minutes=10), "Wrap-up deadline in 10 minutes"),
        ("END", dt.timedelta(0), "Wrap-up deadline: nothing left half-done"),
        ("START", dt.timedelta(0), "Wrap-up starts now — until 20:00"),
    ]
    sleep = [block for block in blocks if block.category.name == "sleep"]
    assert all(alarms(events[block.uid]) == [] for block in sleep)

    rules = NotificationRules(
        pre_alert_minutes={"meal": 15}, silent_categories=frozenset({"commute", "sleep"}),
        deadline_warnings=(45,),
    )  # fmt: skip
    custom = events_by_uid(export_calendar(blocks, BERLIN, stamp=STAMP, rules=rules))
    lunch, commute = named(blocks, "meal"), named(blocks, "commute")
    assert ("START", -dt.timedelta(minutes=15), "Lunch with the team in 15 minutes") in alarms(
        custom[lunch.uid]
    )
    assert alarms(custom[commute.uid]) == []
    assert [trigger for related, trigger, _ in alarms(custom[wrap_up.uid]) if related == "END"] == [
        -dt.timedelta(minutes=45),
        dt.timedelta(0),
    ]


def test_times_that_name_no_single_instant_are_written_in_utc(open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    for day in (SPRING_FORWARD, FALL_BACK):
        plan.mark_day_filled(day)
        plan.mark_day_filled(day - dt.timedelta(days=1))
    gap = plan.add_block(
        BlockDraft(title="Gap", category="x", start=at(SPRING_FORWARD, 2, 30),
                   end=at(SPRING_FORWARD, 4))
    )  # fmt: skip
    twice = plan.add_block(
        BlockDraft(title="Twice", category="x", start=at(FALL_BACK, 2, 30), end=at(FALL_BACK, 4))
    )
    events = events_by_uid(export_calendar([gap, twice], BERLIN, stamp=STAMP))
    # 02:30 on the spring night is the moment the clocks jump, 01:00 UTC.
    assert events[gap.uid].start == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)
    assert str(events[gap.uid]["X-ML-DAY-START"]) == "20260329T023000"
    assert events[gap.uid]["DTEND"].params["TZID"] == "Europe/Berlin"
    # 02:30 on the autumn night happens twice; the plan means the first, 00:30 UTC.
    assert events[twice.uid].start == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert "X-ML-DAY-START" not in events[twice.uid]


def test_a_utc_user_gets_utc_times_and_no_time_zone(open_plan: OpenPlan) -> None:
    blocks = blocks_of_days(open_plan("plan"), ORDINARY_DAY)
    calendar = Calendar.from_ical(export_calendar(blocks, ZoneInfo("UTC"), stamp=STAMP))
    assert calendar.timezones == []
    for event in calendar.events:
        assert "TZID" not in event["DTSTART"].params
        value = event["DTSTART"].to_ical()
        assert isinstance(value, bytes) and value.endswith(b"Z")


def test_an_empty_export_is_a_valid_calendar() -> None:
    calendar = Calendar.from_ical(export_calendar([], BERLIN, stamp=STAMP))
    assert calendar.events == [] and str(calendar["VERSION"]) == "2.0"
