"""What the notifier announces and when: the pure schedule, walked with a fake clock.

The day is the built-in "ML engineer" template, with ids as stored blocks
would have, in Europe/Berlin. Each walk carries the watermark forward from one
check to the next, as the notifier does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_day.core.blocks import Block, Category
from ml_day.core.notifications import (
    Announcement,
    AnnouncementKind,
    NotificationRules,
    QuietHours,
    announcements_for,
    check,
    elapsed_fraction,
    minutes_left,
    next_due,
    next_line,
    now_and_next,
    now_line,
    reminder_for,
    short_name,
    snooze,
)
from ml_day.core.templates import instantiate, parse_template_document
from ml_day.core.timemodel import to_instant
from ml_day.resources import BUILTIN_TEMPLATE, read_resource_text

BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY = dt.date(2026, 11, 27)
MINUTE = dt.timedelta(minutes=1)


def ml_engineer_day(day: dt.date = FRIDAY) -> list[Block]:
    """The template's blocks for ``day`` and the day before (whose sleep runs into it)."""
    document = parse_template_document(json.loads(read_resource_text(BUILTIN_TEMPLATE)))
    categories = {category.name: category for category in document.categories}
    blocks: list[Block] = []
    for offset in (-1, 0):
        for draft in instantiate(document.template, day + dt.timedelta(days=offset)):
            blocks.append(
                Block(
                    id=len(blocks) + 1,
                    title=draft.title,
                    category=categories[draft.category],
                    start=draft.start,
                    end=draft.end,
                    notify=draft.notify,
                    deadline=draft.deadline,
                )
            )
    return blocks


def instant(hour: int, minute: int = 0, day: dt.date = FRIDAY) -> dt.datetime:
    """The UTC instant of a Berlin wall time."""
    wall = dt.datetime.combine(day, dt.time(hour, minute))
    return to_instant(wall, BERLIN).astimezone(dt.UTC)


def local(moment: dt.datetime) -> str:
    return f"{moment.astimezone(BERLIN):%H:%M}"


@dataclasses.dataclass
class Walk:
    """A notifier's state between checks: the plan, the watermark, snoozes, a pause."""

    blocks: list[Block]
    watermark: dt.datetime
    rules: NotificationRules | None = None
    snoozed: list[Announcement] = dataclasses.field(default_factory=list)
    paused_until: dt.datetime | None = None
    log: list[tuple[str, Announcement]] = dataclasses.field(default_factory=list)

    def check_at(self, now: dt.datetime) -> list[Announcement]:
        result = check(
            self.blocks,
            BERLIN,
            self.watermark,
            now,
            rules=self.rules,
            snoozed=self.snoozed,
            paused_until=self.paused_until,
        )
        self.watermark = result.watermark
        self.snoozed = [item for item in self.snoozed if item.instant > self.watermark]
        self.log.extend((local(now), item) for item in result.deliver)
        return list(result.deliver)

    def minute_by_minute(self, until: dt.datetime) -> list[tuple[str, Announcement]]:
        """Check every minute from the watermark to ``until``; what was delivered, when."""
        start = len(self.log)
        now = self.watermark
        while now < until:
            now += MINUTE
            self.check_at(now)
        return self.log[start:]


def summaries(log: Sequence[tuple[str, Announcement]]) -> list[tuple[str, str]]:
    return [(when, item.summary) for when, item in log]


def starting_at(hour: int, minute: int = 0) -> Walk:
    return Walk(ml_engineer_day(), instant(hour, minute))


# ---------------------------------------------------------------- a whole day
def test_a_whole_ml_engineer_day_minute_by_minute() -> None:
    walk = Walk(ml_engineer_day(), instant(0, 0))
    log = walk.minute_by_minute(instant(0, 0, FRIDAY + dt.timedelta(days=1)))
    assert summaries(log) == [
        ("06:00", "Exercise starts now — until 08:00"),
        ("09:00", "Catch up starts now — until 10:00"),
        ("10:00", "Deep work starts now — until 12:00"),
        ("12:00", "Lunch with the team starts now — until 13:00"),
        ("12:55", "Meetings and client calls in 5 minutes"),
        ("13:00", "Meetings and client calls starts now — until 14:00"),
        ("14:00", "Finish tasks starts now — until 17:00"),
        ("18:00", "Wrap-up starts now — until 20:00"),
        ("19:30", "Wrap-up deadline in 30 minutes"),
        ("19:50", "Wrap-up deadline in 10 minutes"),
        ("20:00", "Wrap-up deadline: nothing left half-done"),
        ("20:00", "Head home starts now — until 20:30"),
        ("22:00", "Last email check starts now — until 22:15"),
    ]
    bodies = {item.summary: item.body for _, item in log}
    assert bodies["Exercise starts now — until 08:00"] == "Exercise, shower, breakfast · Sleep ends"
    assert bodies["Deep work starts now — until 12:00"] == (
        "Deep work: code, data, experiments · Catch up ends"
    )
    assert bodies["Lunch with the team starts now — until 13:00"] == (
        "Lunch with the team · Deep work ends"
    )
    assert bodies["Meetings and client calls in 5 minutes"] == (
        "Meetings and client calls, 13:00–14:00"
    )
    assert bodies["Head home starts now — until 20:30"] == "Head home · Wrap-up ends"
    assert not any("Sleep" in item.summary for _, item in log)
    kinds = [item.kind for _, item in log]
    assert kinds.count(AnnouncementKind.PRE_ALERT) == 1
    assert kinds.count(AnnouncementKind.DEADLINE_WARNING) == 2
    assert kinds.count(AnnouncementKind.DEADLINE) == 1
    assert AnnouncementKind.SUMMARY not in kinds
    # Each message belongs to the instant it was delivered at.
    assert all(local(item.instant) == when for when, item in log)


def test_the_sleep_block_is_silent_by_its_category_and_its_own_switch() -> None:
    sleep = next(block for block in ml_engineer_day() if block.title == "Sleep")
    assert sleep.start == dt.datetime(2026, 11, 26, 22, 30)
    assert sleep.category.silent
    assert not sleep.notify
    assert announcements_for([sleep], BERLIN) == []
    loud = dataclasses.replace(sleep, notify=True)
    assert announcements_for([loud], BERLIN) == []  # still silent by its category
    rules = NotificationRules(silent_categories=frozenset())
    assert [item.summary for item in announcements_for([loud], BERLIN, rules)] == [
        "Sleep starts now — until Fri 06:00"
    ]


# ---------------------------------------------------------------- sleep gaps and jumps
def test_a_sleep_gap_gives_one_summary_and_replays_nothing() -> None:
    walk = starting_at(9, 59)
    walk.minute_by_minute(instant(10, 0))
    delivered = walk.check_at(instant(14, 30))  # the laptop slept from 10:00 to 14:30
    assert len(delivered) == 1
    (summary,) = delivered
    assert summary.kind is AnnouncementKind.SUMMARY
    assert summary.summary == "While you were away"
    assert summary.body == (
        "While you were away: Lunch with the team 12:00, Meetings and client calls 13:00, "
        "Finish tasks 14:00. Now: Finish tasks until 17:00"
    )
    assert summary.instant == instant(14, 30)
    later = walk.minute_by_minute(instant(18, 0))
    assert summaries(later) == [("18:00", "Wrap-up starts now — until 20:00")]


def test_a_short_delay_within_the_grace_period_delivers_normally() -> None:
    walk = starting_at(11, 59)
    delivered = walk.check_at(instant(12, 1) + dt.timedelta(seconds=30))
    assert [item.summary for item in delivered] == ["Lunch with the team starts now — until 13:00"]


def test_a_summary_names_what_is_still_ahead_of_a_missed_pre_alert() -> None:
    walk = starting_at(12, 50)
    (summary,) = walk.check_at(instant(12, 58))
    assert summary.kind is AnnouncementKind.SUMMARY
    assert summary.body == (
        "Coming up: Meetings and client calls at 13:00. Now: Lunch with the team until 13:00"
    )
    assert summaries(walk.minute_by_minute(instant(13, 0))) == [
        ("13:00", "Meetings and client calls starts now — until 14:00")
    ]


def test_a_summary_names_a_missed_deadline_and_a_coming_one() -> None:
    walk = starting_at(19, 0)
    (summary,) = walk.check_at(instant(19, 40))
    assert summary.body == "Coming up: Wrap-up deadline at 20:00. Now: Wrap-up until 20:00"
    walk = starting_at(17, 0)
    (summary,) = walk.check_at(instant(21, 0))
    assert summary.body == (
        "While you were away: Wrap-up 18:00, Head home 20:00. "
        "Missed: Wrap-up deadline: nothing left half-done."
    )


def test_a_long_absence_names_at_most_six_starts() -> None:
    walk = starting_at(5, 0)
    (summary,) = walk.check_at(instant(23, 0))
    assert summary.body == (
        "While you were away: Exercise 06:00, Catch up 09:00, Deep work 10:00, "
        "Lunch with the team 12:00, Meetings and client calls 13:00, Finish tasks 14:00, "
        "and 3 more. Missed: Wrap-up deadline: nothing left half-done. "
        "Now: Sleep until Sat 06:00"
    )


def test_missed_items_and_timely_ones_together_summary_first() -> None:
    walk = starting_at(11, 0)
    delivered = walk.check_at(instant(13, 0))
    assert [item.kind for item in delivered] == [
        AnnouncementKind.SUMMARY,
        AnnouncementKind.START,
    ]
    # What starts now is announced on its own, so the summary does not repeat it.
    assert delivered[0].body == "While you were away: Lunch with the team 12:00."
    assert delivered[1].summary == "Meetings and client calls starts now — until 14:00"


def test_the_clock_going_back_repeats_nothing() -> None:
    walk = starting_at(11, 50)
    assert summaries(walk.minute_by_minute(instant(12, 30))) == [
        ("12:00", "Lunch with the team starts now — until 13:00")
    ]
    assert walk.check_at(instant(11, 30)) == []  # someone set the clock back an hour
    assert walk.watermark == instant(12, 30)
    now = instant(11, 30)
    while now < instant(12, 54):
        now += MINUTE
        assert walk.check_at(now) == []
    assert [item.summary for item in walk.check_at(instant(12, 55))] == [
        "Meetings and client calls in 5 minutes"
    ]


def test_a_clock_that_was_days_ahead_is_not_waited_for() -> None:
    walk = starting_at(11, 50)
    walk.check_at(instant(11, 50) + dt.timedelta(days=400))  # a wrong clock, then corrected
    assert walk.check_at(instant(11, 58)) == []
    assert walk.watermark == instant(11, 58)
    assert summaries(walk.minute_by_minute(instant(12, 0))) == [
        ("12:00", "Lunch with the team starts now — until 13:00")
    ]


def test_the_clock_jumping_forward_gives_a_summary_then_carries_on() -> None:
    walk = starting_at(8, 0)
    walk.minute_by_minute(instant(8, 30))
    (summary,) = walk.check_at(instant(10, 30))
    assert summary.body == (
        "While you were away: Catch up 09:00, Deep work 10:00. Now: Deep work until 12:00"
    )
    assert summaries(walk.minute_by_minute(instant(12, 0))) == [
        ("12:00", "Lunch with the team starts now — until 13:00")
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=180), min_size=1, max_size=40))
def test_any_cadence_of_checks_loses_nothing_and_repeats_nothing(steps: list[int]) -> None:
    walk = Walk(ml_engineer_day(), instant(0, 0))
    now = instant(0, 0)
    for step in steps:
        now += dt.timedelta(minutes=step)
        walk.check_at(now)
    delivered = [item for _, item in walk.log]
    keys = [item.key for item in delivered if item.kind is not AnnouncementKind.SUMMARY]
    assert len(keys) == len(set(keys))
    starts = [
        item
        for item in announcements_for(walk.blocks, BERLIN)
        if item.kind is AnnouncementKind.START and instant(0, 0) < item.instant <= now
    ]
    summary_text = " ".join(
        item.body for item in delivered if item.kind is AnnouncementKind.SUMMARY
    )
    for start in starts:
        one_by_one = start.key in keys
        block = next(block for block in walk.blocks if block.id == start.block_id)
        named = f"{short_name(block.title)} {block.start:%H:%M}" in summary_text
        assert one_by_one or named or "more" in summary_text
        assert not (one_by_one and named)


# ---------------------------------------------------------------- daylight saving
def night_block(day: dt.date, start: dt.time, end: dt.time) -> Block:
    return Block(
        id=1,
        title="Night run: retrain the model",
        category=Category("deep-work", "#6c4bd8"),
        start=dt.datetime.combine(day, start),
        end=dt.datetime.combine(day, end),
    )


def test_spring_forward_a_block_at_a_missing_time_fires_when_the_clocks_jump() -> None:
    day = dt.date(2026, 3, 29)  # Berlin: 02:00 CET -> 03:00 CEST
    walk = Walk([night_block(day, dt.time(2, 30), dt.time(4, 0))], instant(0, 0, day))
    log = walk.minute_by_minute(instant(6, 0, day))
    assert summaries(log) == [("03:00", "Night run starts now — until 04:00")]
    (_, item) = log[0]
    assert item.instant == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)
    assert item.instant.astimezone(BERLIN).utcoffset() == dt.timedelta(hours=2)


def test_fall_back_a_repeated_time_fires_once_at_its_first_occurrence() -> None:
    day = dt.date(2026, 10, 25)  # Berlin: 03:00 CEST -> 02:00 CET
    walk = Walk([night_block(day, dt.time(2, 30), dt.time(3, 30))], instant(0, 0, day))
    log = walk.minute_by_minute(instant(6, 0, day))  # walks the repeated hour twice
    assert len(log) == 1
    (_, item) = log[0]
    assert item.summary == "Night run starts now — until 03:30"
    assert item.instant == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert item.instant.astimezone(BERLIN).utcoffset() == dt.timedelta(hours=2)


def test_a_whole_template_day_on_a_spring_forward_day_is_complete() -> None:
    day = dt.date(2026, 3, 29)
    walk = Walk(ml_engineer_day(day), instant(0, 0, day))
    log = walk.minute_by_minute(instant(23, 59, day))
    assert [when for when, _ in log] == [
        "06:00", "09:00", "10:00", "12:00", "12:55", "13:00", "14:00",
        "18:00", "19:30", "19:50", "20:00", "20:00", "22:00",
    ]  # fmt: skip


# ---------------------------------------------------------------- edits across now
def test_a_block_created_across_now_is_not_announced_as_started() -> None:
    walk = starting_at(11, 0)
    walk.minute_by_minute(instant(11, 23))
    call = Block(
        id=99,
        title="Call with Ana",
        category=Category("meeting", "#d6453d", pre_alert_minutes=5),
        start=dt.datetime.combine(FRIDAY, dt.time(11, 0)),
        end=dt.datetime.combine(FRIDAY, dt.time(11, 45)),
    )
    walk.blocks = [*walk.blocks, call]  # the edit; the watermark is already past 11:00
    assert summaries(walk.minute_by_minute(instant(12, 0))) == [
        ("12:00", "Lunch with the team starts now — until 13:00")
    ]


def test_a_block_moved_to_start_later_is_announced_at_its_new_start() -> None:
    walk = starting_at(11, 0)
    walk.minute_by_minute(instant(11, 23))
    walk.blocks = [
        dataclasses.replace(
            block,
            start=block.start + dt.timedelta(minutes=30),
            end=block.end + dt.timedelta(minutes=30),
        )
        if block.title == "Lunch with the team"
        else block
        for block in walk.blocks
    ]
    log = walk.minute_by_minute(instant(12, 40))
    assert summaries(log) == [("12:30", "Lunch with the team starts now — until 13:30")]


# ---------------------------------------------------------------- snooze and pause
def test_snooze_announces_the_same_message_again_after_n_minutes() -> None:
    walk = starting_at(11, 59)
    (lunch,) = walk.check_at(instant(12, 0))
    walk.snoozed.append(snooze(lunch, instant(12, 0), 10))
    log = walk.minute_by_minute(instant(12, 20))
    assert summaries(log) == [("12:10", "Lunch with the team starts now — until 13:00")]
    (_, again) = log[0]
    assert again.kind is AnnouncementKind.SNOOZED
    assert again.body == lunch.body
    assert again.block_id == lunch.block_id
    assert walk.snoozed == []


def test_a_snooze_missed_while_away_is_named_in_the_summary() -> None:
    walk = starting_at(11, 59)
    (lunch,) = walk.check_at(instant(12, 0))
    walk.snoozed.append(snooze(lunch, instant(12, 0), 5))
    (summary,) = walk.check_at(instant(12, 30))
    assert summary.body == (
        "Reminder: Lunch with the team starts now — until 13:00. "
        "Now: Lunch with the team until 13:00"
    )


def test_next_due_includes_snoozes() -> None:
    blocks = ml_engineer_day()
    lunch = next(
        item
        for item in announcements_for(blocks, BERLIN)
        if item.summary.startswith("Lunch with the team starts")
    )
    again = snooze(lunch, instant(12, 0), 3)
    assert next_due(blocks, BERLIN, instant(12, 0)) == instant(12, 55)
    assert next_due(blocks, BERLIN, instant(12, 0), snoozed=[again]) == instant(12, 3)


def test_a_pause_drops_what_falls_in_it() -> None:
    walk = starting_at(12, 50)
    walk.paused_until = instant(13, 30)
    log = walk.minute_by_minute(instant(15, 0))
    assert summaries(log) == [("14:00", "Finish tasks starts now — until 17:00")]


def test_a_pause_that_ends_while_away_summarises_only_what_came_after_it() -> None:
    walk = starting_at(11, 0)
    walk.paused_until = instant(13, 30)
    (summary,) = walk.check_at(instant(14, 30))
    assert summary.body == (
        "While you were away: Finish tasks 14:00. Now: Finish tasks until 17:00"
    )


def test_next_due_skips_what_falls_in_a_pause() -> None:
    blocks = ml_engineer_day()
    assert next_due(blocks, BERLIN, instant(12, 50)) == instant(12, 55)
    assert next_due(blocks, BERLIN, instant(12, 50), paused_until=instant(13, 30)) == (
        instant(14, 0)
    )
    assert next_due(blocks, BERLIN, instant(22, 0)) is None


# ---------------------------------------------------------------- per block, per category
def test_a_block_with_notifications_switched_off_announces_nothing() -> None:
    blocks = [
        dataclasses.replace(block, notify=False) if block.title.startswith("Deep work") else block
        for block in ml_engineer_day()
    ]
    walk = Walk(blocks, instant(9, 30))
    assert summaries(walk.minute_by_minute(instant(12, 0))) == [
        ("12:00", "Lunch with the team starts now — until 13:00")
    ]
    # The next block's message still says what ended.
    assert walk.log[-1][1].body == "Lunch with the team · Deep work ends"


def test_lead_times_per_category_come_from_the_rules() -> None:
    rules = NotificationRules(pre_alert_minutes={"meal": 15, "meeting": 0})
    walk = Walk(ml_engineer_day(), instant(11, 0), rules=rules)
    assert summaries(walk.minute_by_minute(instant(14, 0))) == [
        ("11:45", "Lunch with the team in 15 minutes"),
        ("12:00", "Lunch with the team starts now — until 13:00"),
        ("13:00", "Meetings and client calls starts now — until 14:00"),
        ("14:00", "Finish tasks starts now — until 17:00"),
    ]


def test_silent_categories_and_deadline_warnings_come_from_the_rules() -> None:
    rules = NotificationRules(
        silent_categories=frozenset({"meal", "sleep", "commute"}), deadline_warnings=(15,)
    )
    walk = Walk(ml_engineer_day(), instant(11, 0), rules=rules)
    assert summaries(walk.minute_by_minute(instant(21, 0))) == [
        ("12:55", "Meetings and client calls in 5 minutes"),
        ("13:00", "Meetings and client calls starts now — until 14:00"),
        ("14:00", "Finish tasks starts now — until 17:00"),
        ("18:00", "Wrap-up starts now — until 20:00"),
        ("19:45", "Wrap-up deadline in 15 minutes"),
        ("20:00", "Wrap-up deadline: nothing left half-done"),
    ]


def test_a_block_listed_twice_is_announced_once() -> None:
    blocks = ml_engineer_day()
    twice = announcements_for([*blocks, *blocks], BERLIN)
    assert twice == announcements_for(blocks, BERLIN)


# ---------------------------------------------------------------- names and now/next
@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Deep work: code, data, experiments", "Deep work"),
        ("Finish tasks, unit tests, model metrics vs baseline", "Finish tasks"),
        ("Lunch with the team", "Lunch with the team"),
        ("A" * 40, "A" * 31 + "…"),
    ],
)
def test_short_names(title: str, name: str) -> None:
    assert short_name(title) == name


def test_now_and_next_lines_at_11_23() -> None:
    now = instant(11, 23)
    current, upcoming = now_and_next(ml_engineer_day(), now, BERLIN)
    assert now_line(current, now, BERLIN) == "Now: Deep work until 12:00 (37 min left)"
    assert next_line(upcoming, now, BERLIN) == "Next: Lunch with the team at 12:00"
    assert current is not None
    assert minutes_left(current, now + dt.timedelta(seconds=30), BERLIN) == 37
    assert elapsed_fraction(current, now, BERLIN) == pytest.approx(83 / 120)


def test_now_and_next_lines_late_at_night() -> None:
    now = instant(22, 20)
    current, upcoming = now_and_next(ml_engineer_day(), now, BERLIN)
    assert now_line(current, now, BERLIN) == "Now: nothing planned"
    assert upcoming is not None
    assert next_line(upcoming, now, BERLIN) == "Next: Sleep at 22:30"
    now = instant(23, 0)
    current, upcoming = now_and_next(ml_engineer_day(), now, BERLIN)
    assert now_line(current, now, BERLIN) == "Now: Sleep until Sat 06:00 (7 h left)"
    assert next_line(upcoming, now, BERLIN) == "Next: nothing planned"


def test_a_reminder_for_the_block_under_way() -> None:
    deep_work = next(block for block in ml_engineer_day() if block.title.startswith("Deep"))
    reminder = reminder_for(deep_work, instant(11, 23), BERLIN)
    assert reminder.summary == "Deep work — until 12:00"
    assert reminder.block_id == deep_work.id


# ---------------------------------------------------------------- quiet hours


def test_quiet_hours_across_midnight_cover_the_night_only() -> None:
    quiet = QuietHours(dt.time(22), dt.time(7))
    assert quiet.covers(dt.time(23, 30))
    assert quiet.covers(dt.time(0, 0))
    assert quiet.covers(dt.time(6, 59))
    assert not quiet.covers(dt.time(7, 0))
    assert not quiet.covers(dt.time(21, 59))
    assert quiet.describe() == "22:00–07:00"
    assert not QuietHours(dt.time(9), dt.time(9)).covers(dt.time(9))
    daytime = QuietHours(dt.time(12), dt.time(13))
    assert daytime.covers(dt.time(12, 30)) and not daytime.covers(dt.time(13))


def test_nothing_is_announced_in_quiet_hours_and_the_rest_is_kept() -> None:
    blocks = ml_engineer_day()
    everything = announcements_for(blocks, BERLIN)
    quiet = QuietHours(dt.time(12), dt.time(14))
    rules = NotificationRules(quiet_hours=quiet)
    kept = announcements_for(blocks, BERLIN, rules)

    def wall(item: Announcement) -> dt.time:
        return item.instant.astimezone(BERLIN).time()

    assert kept == [item for item in everything if not quiet.covers(wall(item))]
    dropped = [item.summary for item in everything if quiet.covers(wall(item))]
    assert "Lunch with the team starts now — until 13:00" in dropped
    assert "Meetings and client calls in 5 minutes" in dropped
    assert any(item.summary.startswith("Finish tasks starts now") for item in kept)
    # Nothing in the quiet hours comes back later as "while you were away".
    result = check(blocks, BERLIN, instant(11, 59), instant(14, 1), rules=rules)
    assert [item.kind for item in result.deliver] == [AnnouncementKind.START]
    assert result.deliver[0].summary.startswith("Finish tasks starts now")
