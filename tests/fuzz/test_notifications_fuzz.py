"""The notification schedule on random plans in random zones, checked along random
clock sequences (ticks, sleeps, clocks set back and forward): announcements are
in order and unique, and the watermark makes every one due exactly once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from ml_day.core.blocks import Block
from ml_day.core.notifications import (
    MAX_CLOCK_REWIND,
    Announcement,
    AnnouncementKind,
    announcements_for,
    check,
    next_due,
)
from ml_day.core.timemodel import to_instant
from tests.fuzz.strategies import day_plans, fuzz, utc, zone_and_wall

KIND_ORDER = [
    AnnouncementKind.DEADLINE,
    AnnouncementKind.DEADLINE_WARNING,
    AnnouncementKind.START,
    AnnouncementKind.PRE_ALERT,
]


@st.composite
def zoned_plans(draw: st.DrawFn) -> tuple[ZoneInfo, list[Block]]:
    """A plan on a day of some zone, often a day with a clock change."""
    zone, wall = draw(zone_and_wall(first_year=2000, last_year=2035))
    return zone, draw(day_plans(wall.date(), max_blocks=8))


@fuzz()
@given(zoned_plans())
def test_announcements_are_in_time_order_and_unique(case: tuple[ZoneInfo, list[Block]]) -> None:
    zone, blocks = case
    items = announcements_for(blocks, zone)
    keys = [item.key for item in items]
    assert len(keys) == len(set(keys))
    order = [(item.instant, KIND_ORDER.index(item.kind), item.block_id or 0) for item in items]
    assert order == sorted(order)
    by_id = {block.id: block for block in blocks}
    for item in items:
        assert item.instant.utcoffset() == dt.timedelta(0)
        assert item.block_id in by_id
        block = by_id[item.block_id]
        assert block.notify and not block.category.silent
        assert item.summary.isprintable() and item.summary
        if item.kind is AnnouncementKind.START:
            assert item.instant == utc(to_instant(block.start, zone))
        if item.kind in {AnnouncementKind.DEADLINE, AnnouncementKind.DEADLINE_WARNING}:
            assert block.deadline
    starts = {item.block_id for item in items if item.kind is AnnouncementKind.START}
    audible = {b.id for b in blocks if b.notify and not b.category.silent}
    assert starts == audible


steps = st.lists(
    st.one_of(
        st.integers(1, 15 * 60).map(lambda s: dt.timedelta(seconds=s)),  # timer ticks
        st.integers(1, 10 * 60).map(lambda m: dt.timedelta(minutes=m)),  # a sleep
        st.integers(-90, -1).map(lambda m: dt.timedelta(minutes=m)),  # clock set back
        st.integers(-20 * 60, -90).map(lambda m: dt.timedelta(minutes=m)),  # back a lot
    ),
    min_size=1,
    max_size=20,
)


@fuzz()
@given(zoned_plans(), steps, st.integers(-6 * 60, 20 * 60))
def test_every_announcement_is_due_exactly_once_whatever_the_clock_does(
    case: tuple[ZoneInfo, list[Block]], moves: list[dt.timedelta], start_minutes: int
) -> None:
    zone, blocks = case
    if not blocks:
        return
    day = min(block.start for block in blocks).date()
    first = utc(to_instant(dt.datetime.combine(day, dt.time(0, 0)), zone))
    now = watermark = first + dt.timedelta(minutes=start_minutes)
    furthest = now
    covered: list[tuple[str, int | None, dt.datetime]] = []
    for move in moves:
        # Set back by less than a day in all: a clock further wrong is another case.
        now = max(now + move, watermark - MAX_CLOCK_REWIND + dt.timedelta(minutes=1))
        result = check(blocks, zone, watermark, now)
        assert result.watermark == max(watermark, now)
        summaries = [item for item in result.deliver if item.kind is AnnouncementKind.SUMMARY]
        assert len(summaries) <= 1
        assert all(item.instant == now for item in summaries)
        one_by_one = [item for item in result.deliver if item.kind is not AnnouncementKind.SUMMARY]
        assert [item.instant for item in one_by_one] == sorted(item.instant for item in one_by_one)
        for item in (*one_by_one, *result.missed):
            assert watermark < item.instant <= now
        covered.extend(item.key for item in (*one_by_one, *result.missed))
        watermark = result.watermark
        furthest = max(furthest, now)
    assert len(covered) == len(set(covered)), "an announcement came twice"
    expected = {
        item.key
        for item in announcements_for(blocks, zone)
        if first + dt.timedelta(minutes=start_minutes) < item.instant <= furthest
    }
    assert set(covered) == expected, "an announcement was lost"


@fuzz()
@given(zoned_plans(), st.integers(-6 * 60, 30 * 60))
def test_next_due_is_when_the_next_check_has_something(
    case: tuple[ZoneInfo, list[Block]], minutes: int
) -> None:
    zone, blocks = case
    if not blocks:
        return
    day = min(block.start for block in blocks).date()
    after = utc(to_instant(dt.datetime.combine(day, dt.time(0, 0)), zone))
    after += dt.timedelta(minutes=minutes)
    due = next_due(blocks, zone, after)
    items: list[Announcement] = announcements_for(blocks, zone)
    if due is None:
        assert all(item.instant <= after for item in items)
        return
    assert due > after
    just_before = check(blocks, zone, after, due - dt.timedelta(microseconds=1))
    assert just_before.deliver == ()
    at_due = check(blocks, zone, after, due)
    assert at_due.deliver and all(item.instant == due for item in at_due.deliver)
