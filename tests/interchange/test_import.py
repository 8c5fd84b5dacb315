"""Importing calendar files into a real plan database: what becomes a block, on
which day and at which local time; updates by UID; the round trip."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ml_day.core.blocks import BlockDraft
from ml_day.core.editing import CreateBlock, PlanEdit, UpdateBlock
from ml_day.interchange.export import export_calendar
from ml_day.interchange.import_plan import Action, ImportPlan
from ml_day.interchange.importing import prepare_import
from ml_day.interchange.reading import CalendarFileError
from ml_day.persistence.errors import BlockNotFoundError
from ml_day.persistence.exchange import apply_import, blocks_by_uid
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

MONDAY = dt.date(2026, 3, 23)


def ics(*lines: str) -> bytes:
    return ("\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Other//Calendar//EN",
                         *lines, "END:VCALENDAR"]) + "\r\n").encode()  # fmt: skip


def vevent(uid: str, summary: str, start: str, end: str, *extra: str) -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", f"SUMMARY:{summary}", start, end, *extra, "END:VEVENT"]


def plan_of(
    data: bytes,
    plan: PlanRepository,
    *,
    first_day: dt.date = MONDAY,
    days: int = 7,
    zone: ZoneInfo = BERLIN,
) -> ImportPlan:
    return prepare_import(
        data,
        source="calendar.ics",
        zone=zone,
        first_day=first_day,
        days=days,
        stored=lambda uids: blocks_by_uid(plan.database, uids),
    )


def imported(data: bytes, plan: PlanRepository, **options: object) -> ImportPlan:
    result = plan_of(data, plan, **options)  # type: ignore[arg-type]
    apply_import(plan, result.edit(), result.whole_days)
    return result


def spans(result: ImportPlan, action: Action) -> list[tuple[str, dt.datetime, dt.datetime]]:
    return [
        (item.title, item.start, item.end)
        for item in result.of(action)
        if item.start is not None and item.end is not None
    ]


# ---------------------------------------------------------------- what becomes what
def test_a_repeating_event_in_new_york_lands_at_berlin_times_in_the_days_asked_for(
    open_plan: OpenPlan,
) -> None:
    data = ics(
        *vevent(
            "standup@example.com",
            "Standup",
            "DTSTART;TZID=America/New_York:20260316T090000",
            "DTEND;TZID=America/New_York:20260316T093000",
            "RRULE:FREQ=DAILY;COUNT=20",
            "EXDATE;TZID=America/New_York:20260326T090000",
        ),
        *vevent(
            "standup@example.com",
            "Standup (moved)",
            "DTSTART;TZID=America/New_York:20260325T100000",
            "DTEND;TZID=America/New_York:20260325T103000",
            "RECURRENCE-ID;TZID=America/New_York:20260325T090000",
        ),
    )
    plan = open_plan("plan")
    result = plan_of(data, plan, first_day=MONDAY, days=7)
    # New York is on summer time from 8 March, Berlin only from 29 March:
    # 09:00 in New York is 14:00 in Berlin that week, 15:00 on the Sunday.
    assert spans(result, Action.ADD) == [
        ("Standup", at(MONDAY, 14), at(MONDAY, 14, 30)),
        ("Standup", at(dt.date(2026, 3, 24), 14), at(dt.date(2026, 3, 24), 14, 30)),
        ("Standup (moved)", at(dt.date(2026, 3, 25), 15), at(dt.date(2026, 3, 25), 15, 30)),
        ("Standup", at(dt.date(2026, 3, 27), 14), at(dt.date(2026, 3, 27), 14, 30)),
        ("Standup", at(dt.date(2026, 3, 28), 14), at(dt.date(2026, 3, 28), 14, 30)),
        ("Standup", at(SPRING_FORWARD, 15), at(SPRING_FORWARD, 15, 30)),
    ]
    assert result.first_day == MONDAY and result.last_day == SPRING_FORWARD
    uids = [item.uid for item in result.of(Action.ADD)]
    assert len(set(uids)) == 6 and all(uid.startswith("standup@example.com/") for uid in uids)
    assert result.count(Action.SKIP) == 0


def test_floating_times_stay_at_their_wall_time_in_any_zone(open_plan: OpenPlan) -> None:
    data = ics(*vevent("lunch", "Lunch", "DTSTART:20260324T120000", "DTEND:20260324T130000"))
    plan = open_plan("plan")
    for zone in (BERLIN, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")):
        result = plan_of(data, plan, zone=zone)
        assert spans(result, Action.ADD) == [
            ("Lunch", at(dt.date(2026, 3, 24), 12), at(dt.date(2026, 3, 24), 13))
        ]


def test_utc_times_are_converted_to_the_local_zone(open_plan: OpenPlan) -> None:
    data = ics(*vevent("call", "Call", "DTSTART:20260324T080000Z", "DTEND:20260324T083000Z"))
    assert spans(plan_of(data, open_plan("plan")), Action.ADD) == [
        ("Call", at(dt.date(2026, 3, 24), 9), at(dt.date(2026, 3, 24), 9, 30))
    ]


def test_all_day_and_other_unplannable_events_are_skipped_with_reasons(
    open_plan: OpenPlan,
) -> None:
    data = ics(
        *vevent(
            "holiday", "Easter Monday", "DTSTART;VALUE=DATE:20260406", "DTEND;VALUE=DATE:20260407"
        ),
        *vevent(
            "off",
            "Cancelled sync",
            "DTSTART:20260324T080000Z",
            "DTEND:20260324T090000Z",
            "STATUS:CANCELLED",
        ),
        *vevent("blip", "Reminder", "DTSTART:20260324T080000Z", "DTEND:20260324T080000Z"),
        *vevent("trip", "Conference", "DTSTART:20260324T080000Z", "DTEND:20260326T080000Z"),
        "BEGIN:VTODO",
        "UID:todo",
        "SUMMARY:Buy milk",
        "END:VTODO",
        *vevent("ok", "Line one\\nline two", "DTSTART:20260325T080000Z", "DTEND:20260325T090000Z"),
    )
    result = plan_of(data, open_plan("plan"))
    reasons = {item.title: item.detail for item in result.of(Action.SKIP)}
    assert reasons == {
        'Event "Easter Monday"': "it is an all-day event (ML Day plans the hours of a day)",
        'Event "Cancelled sync"': "it is cancelled",
        'Event "Reminder"': "it takes no time",
        'Event "Conference"': "a block lasts at most 24 hours",
        "1 task": "ML Day imports events only",
    }
    # A title is one line on the timeline.
    assert [item.title for item in result.of(Action.ADD)] == ["Line one line two"]


def test_a_broken_event_is_skipped_and_the_good_ones_import(open_plan: OpenPlan) -> None:
    data = ics(
        *vevent("bad", "Broken start", "DTSTART:2026-03-24 08:00", "DTEND:20260324T090000Z"),
        *vevent("good", "Fine", "DTSTART:20260324T100000Z", "DTEND:20260324T110000Z"),
    )
    result = plan_of(data, open_plan("plan"))
    assert [item.title for item in result.of(Action.ADD)] == ["Fine"]
    (skipped,) = result.of(Action.SKIP)
    assert skipped.title == 'Event "Broken start"'
    assert "DTSTART" in skipped.detail


def test_two_versions_of_one_event_import_the_newer(open_plan: OpenPlan) -> None:
    data = ics(
        *vevent("x", "Old", "DTSTART:20260324T080000Z", "DTEND:20260324T090000Z", "SEQUENCE:2"),
        *vevent("x", "Older", "DTSTART:20260324T080000Z", "DTEND:20260324T090000Z", "SEQUENCE:1"),
    )
    result = plan_of(data, open_plan("plan"))
    assert [item.title for item in result.of(Action.ADD)] == ["Old"]
    assert [item.detail for item in result.of(Action.SKIP)] == [
        "the file holds another version of it"
    ]


def test_imported_events_are_fixed_meetings_in_their_category(open_plan: OpenPlan) -> None:
    data = ics(
        *vevent(
            "review", "Design review", "DTSTART:20260324T080000Z", "DTEND:20260324T090000Z",
            "CATEGORIES:Meeting,Work", "DESCRIPTION:Bring the\\nslides",
        )
    )  # fmt: skip
    plan = open_plan("plan")
    imported(data, plan)
    (block,) = blocks_by_uid(plan.database, ["review"]).values()
    assert (block.category.name, block.fixed, block.notify, block.notes) == (
        "meeting",
        True,
        True,
        "Bring the\nslides",
    )
    assert block.category.pre_alert_minutes == 5  # the template's meeting category


# ---------------------------------------------------------------- storing
def test_nothing_is_stored_until_the_edit_is_applied(open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    before = plan.revision()
    data = ics(*vevent("a", "Standup", "DTSTART:20260324T080000Z", "DTEND:20260324T090000Z"))
    result = plan_of(data, plan)
    assert result.count(Action.ADD) == 1
    assert plan.revision() == before
    assert blocks_by_uid(plan.database, ["a"]) == {}
    with pytest.raises(CalendarFileError):
        plan_of(b"not a calendar", plan)
    assert plan.revision() == before


def test_importing_again_changes_in_place_instead_of_duplicating(open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    first = ics(
        *vevent("a@x", "Standup", "DTSTART:20260324T080000Z", "DTEND:20260324T083000Z"),
        *vevent("b@x", "Review", "DTSTART:20260324T130000Z", "DTEND:20260324T140000Z"),
    )
    assert imported(first, plan).count(Action.ADD) == 2
    stored = blocks_by_uid(plan.database, ["a@x", "b@x"])
    again = plan_of(first, plan)
    assert again.count(Action.SAME) == 2 and not again.has_changes
    second = ics(
        *vevent("a@x", "Standup (new room)", "DTSTART:20260324T090000Z",
                "DTEND:20260324T093000Z"),
        *vevent("b@x", "Review", "DTSTART:20260324T130000Z", "DTEND:20260324T140000Z"),
    )  # fmt: skip
    result = plan_of(second, plan)
    (change,) = result.of(Action.CHANGE)
    assert change.block_id == stored["a@x"].id
    assert change.detail == "time Tue 09:00–09:30 → Tue 10:00–10:30; title (was 'Standup')"
    assert result.count(Action.SAME) == 1
    apply_import(plan, result.edit(), result.whole_days)
    day = plan.day_blocks(dt.date(2026, 3, 24))
    standups = [block for block in day if block.uid == "a@x"]
    assert [(b.id, b.title, b.start) for b in standups] == [
        (stored["a@x"].id, "Standup (new room)", at(dt.date(2026, 3, 24), 10))
    ]
    assert sum(block.uid in {"a@x", "b@x"} for block in day) == 2


def test_an_update_keeps_what_the_user_set_in_ml_day(open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    data = ics(*vevent("a", "Standup", "DTSTART:20260324T080000Z", "DTEND:20260324T083000Z"))
    imported(data, plan)
    block = blocks_by_uid(plan.database, ["a"])["a"]
    plan.update_block(
        block.id, dataclasses.replace(block.draft(), notify=False, fixed=False, category="calls")
    )
    # The file says nothing of notifications, fixed or a category: nothing to change.
    assert plan_of(data, plan).count(Action.SAME) == 1


def test_an_import_of_a_foreign_file_adds_to_the_days_template(open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    data = ics(*vevent("a", "Dentist", "DTSTART:20261127T150000Z", "DTEND:20261127T160000Z"))
    result = imported(data, plan)
    assert result.whole_days == ()
    titles = [block.title for block in plan.day_blocks(ORDINARY_DAY)]
    assert "Dentist" in titles and "Lunch with the team" in titles


def test_marked_days_are_given_back_when_the_edit_fails(open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    draft = BlockDraft(title="x", category="c", start=at(ORDINARY_DAY, 9), end=at(ORDINARY_DAY, 10))
    failing = PlanEdit("Import", (UpdateBlock(999_999, draft),))
    with pytest.raises(BlockNotFoundError):
        apply_import(plan, failing, [ORDINARY_DAY])
    assert not plan.is_day_filled(ORDINARY_DAY)


def test_a_created_block_keeps_its_uid_through_undo_and_redo(open_plan: OpenPlan) -> None:
    plan = open_plan("plan")
    draft = BlockDraft(
        title="Call", category="meeting", start=at(ORDINARY_DAY, 9), end=at(ORDINARY_DAY, 10)
    )
    applied = plan.apply(PlanEdit("Import x.ics", (CreateBlock(draft, "call@example.com"),)))
    created = applied.after[0]
    assert created is not None and created.uid == "call@example.com"
    plan.apply(applied.inverse())
    assert blocks_by_uid(plan.database, ["call@example.com"]) == {}
    plan.apply(applied.redo())
    assert blocks_by_uid(plan.database, ["call@example.com"])["call@example.com"].id == created.id


# ---------------------------------------------------------------- the round trip
ROUND_TRIPS = [
    pytest.param(ORDINARY_DAY, 1, id="the-ml-engineer-day"),
    pytest.param(SPRING_FORWARD - dt.timedelta(days=1), 3, id="spring-forward"),
    pytest.param(FALL_BACK, 2, id="fall-back"),
]


@pytest.mark.parametrize(("first", "days"), ROUND_TRIPS)
def test_export_then_import_into_an_empty_plan_gives_the_same_plan(
    open_plan: OpenPlan, first: dt.date, days: int
) -> None:
    source = open_plan("source")
    blocks_of_days(source, first, days)
    extras = [
        ("Night deploy", at(SPRING_FORWARD, 2, 30), at(SPRING_FORWARD, 3, 30)),  # in the gap
        ("Night run", at(SPRING_FORWARD, 1, 30), at(SPRING_FORWARD, 3, 30)),
        ("Night job", at(FALL_BACK, 2, 30), at(FALL_BACK, 3, 30)),  # happens twice
        ("Release", at(ORDINARY_DAY, 23, 30), at(ORDINARY_DAY + dt.timedelta(days=1), 1)),
    ]
    for title, start, end in extras:
        if first <= start.date() < first + dt.timedelta(days=days):
            source.add_block(BlockDraft(
                title=title, category="on-call", start=start, end=end,
                notes="Runbook:\n1. check\n2. roll back", fixed=True, notify=False,
                deadline=True,
            ))  # fmt: skip
    expected = blocks_of_days(source, first, days)
    data = export_calendar(expected, BERLIN, stamp=STAMP)

    target = open_plan("target")
    result = imported(data, target, first_day=first, days=days)
    assert result.count(Action.ADD) == len(expected)
    assert result.count(Action.SKIP) == 0
    got = blocks_of_days(target, first, days)
    assert [(block.uid, block.draft()) for block in got] == [
        (block.uid, block.draft()) for block in expected
    ]
    for day in (first + dt.timedelta(days=offset) for offset in range(days)):
        assert [(b.uid, b.draft()) for b in target.day_blocks(day)] == [
            (b.uid, b.draft()) for b in source.day_blocks(day)
        ]
    # And importing it once more changes nothing.
    again = plan_of(data, target, first_day=first, days=days)
    assert again.count(Action.SAME) == len(expected) and not again.has_changes
