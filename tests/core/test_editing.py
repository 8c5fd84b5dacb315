"""Edits as values: the geometry of move, resize and push, and undo/redo of edits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_day.core.blocks import (
    MIN_DURATION,
    UNCATEGORISED,
    Block,
    BlockDraft,
    Category,
    PlanError,
    clean_draft,
)
from ml_day.core.editing import (
    DEFAULT_SNAP_MINUTES,
    SNAP_STEPS_MINUTES,
    AppliedEdit,
    CreateBlock,
    DeleteBlock,
    PlanEdit,
    RestoreBlock,
    SetDone,
    UpdateBlock,
    days_of,
    describe,
    duplicated,
    moved,
    overlaps,
    push_rest_of_day,
    resized,
    ripple,
    snap,
    with_span,
)
from ml_day.core.timemodel import day_end, day_start, real_duration, to_instant, to_wall

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)

UTC_ZONE = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

ORDINARY_DAY = dt.date(2026, 5, 4)
BERLIN_SPRING = dt.date(2026, 3, 29)
BERLIN_FALL = dt.date(2026, 10, 25)
NEW_YORK_SPRING = dt.date(2026, 3, 8)
NEW_YORK_FALL = dt.date(2026, 11, 1)

# Each zone with the days the generated plans fall on: an ordinary day and
# that zone's daylight-saving days.
ZONE_DAYS: tuple[tuple[ZoneInfo, dt.date], ...] = (
    (UTC_ZONE, ORDINARY_DAY),
    (UTC_ZONE, BERLIN_SPRING),
    (BERLIN, ORDINARY_DAY),
    (BERLIN, BERLIN_SPRING),
    (BERLIN, BERLIN_FALL),
    (NEW_YORK, ORDINARY_DAY),
    (NEW_YORK, NEW_YORK_SPRING),
    (NEW_YORK, NEW_YORK_FALL),
)

WORK = Category(id=3, name="deep-work", colour="#3a7bd5")
MINUTE = dt.timedelta(minutes=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def make_block(
    block_id: int,
    start: dt.datetime,
    end: dt.datetime,
    *,
    fixed: bool = False,
    title: str = "",
    done: bool = False,
) -> Block:
    return Block(
        id=block_id,
        uid=f"uid-{block_id}@ml-day",
        title=title or f"block {block_id}",
        category=WORK,
        start=start,
        end=end,
        fixed=fixed,
        done=done,
        notes=f"notes of {block_id}",
    )


def time_order(block: Block) -> tuple[dt.datetime, dt.datetime, int]:
    return (block.start, block.end, block.id)


def overlapping_pairs(spans: dict[int, tuple[dt.datetime, dt.datetime]]) -> set[tuple[int, int]]:
    return {
        (a, b)
        for (a, (a_start, a_end)), (b, (b_start, b_end)) in itertools.combinations(
            sorted(spans.items()), 2
        )
        if a_start < b_end and b_start < a_end
    }


def spans_of(blocks: Iterable[Block]) -> dict[int, tuple[dt.datetime, dt.datetime]]:
    return {block.id: (block.start, block.end) for block in blocks}


def in_utc(wall: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return to_instant(wall, zone).astimezone(dt.UTC)


# ---------------------------------------------------------------- strategies
class DayPlan(NamedTuple):
    zone: ZoneInfo
    day: dt.date
    blocks: tuple[Block, ...]


@st.composite
def day_plans(draw: st.DrawFn, *, min_blocks: int = 1, max_blocks: int = 12) -> DayPlan:
    """A realistic day: blocks of 5 min to 8 h, some fixed, some starting the
    evening before or running past midnight, either laid out without overlaps
    or thrown in freely (overlaps allowed)."""
    zone, day = draw(st.sampled_from(ZONE_DAYS))
    count = draw(st.integers(min_value=min_blocks, max_value=max_blocks))
    tidy = draw(st.booleans())
    step = draw(st.sampled_from((1, 5, 15)))
    opens = day_start(day) - dt.timedelta(hours=6)
    spans: list[tuple[dt.datetime, dt.datetime]] = []
    cursor = opens + dt.timedelta(minutes=step * draw(st.integers(0, 48)))
    shortest = max(1, 5 // step)
    for _ in range(count):
        # Mostly up to two hours, sometimes up to eight.
        longest = draw(st.sampled_from((120, 120, 120, 480))) // step
        length = dt.timedelta(minutes=step * draw(st.integers(shortest, longest)))
        if tidy:
            gap = draw(st.sampled_from((0, 0, 5, 15, 30, 90)))
            start = cursor + dt.timedelta(minutes=step * (gap // step))
        else:
            start = opens + dt.timedelta(minutes=step * draw(st.integers(0, 34 * 60 // step)))
        spans.append((start, start + length))
        cursor = start + length
    ids = draw(st.permutations(range(1, count + 1)))
    fixed = draw(st.lists(st.sampled_from((False, False, True)), min_size=count, max_size=count))
    blocks = tuple(
        make_block(block_id, start, end, fixed=is_fixed)
        for block_id, (start, end), is_fixed in zip(ids, spans, fixed, strict=True)
    )
    return DayPlan(zone, day, blocks)


@st.composite
def walls_near_changes(draw: st.DrawFn, day: dt.date) -> dt.datetime:
    """A minute-aligned wall time on ``day``, often in the small hours where the
    clocks change."""
    if draw(st.booleans()):
        return at(day, 0) + dt.timedelta(minutes=draw(st.integers(0, 4 * 60)))
    return at(day, 0) + dt.timedelta(minutes=draw(st.integers(0, 24 * 60 - 1)))


# ---------------------------------------------------------------- push the rest of the day
def expected_run(blocks: Sequence[Block], anchor: Block) -> set[int]:
    """The blocks a push from ``anchor`` should move, from the rule itself:
    flexible blocks after the anchor (ties broken by id) on the anchor's day,
    before the first fixed block at or after the anchor."""
    closes = day_end(anchor.start.date())
    fixed_after = [
        time_order(b) for b in blocks if b.fixed and b.id != anchor.id and b.start >= anchor.start
    ]
    first_fixed = min(fixed_after, default=None)
    return {
        b.id
        for b in blocks
        if b.id != anchor.id
        and not b.fixed
        and b.start >= anchor.start
        and not (b.start == anchor.start and b.id < anchor.id)
        and b.start < closes
        and (first_fixed is None or time_order(b) < first_fixed)
    }


def shifted(
    blocks: Sequence[Block], ids: set[int], minutes: int
) -> dict[int, tuple[dt.datetime, dt.datetime]]:
    delta = dt.timedelta(minutes=minutes)
    return {
        b.id: (b.start + delta, b.end + delta) if b.id in ids else (b.start, b.end) for b in blocks
    }


@PROPERTY_SETTINGS
@given(day_plans(), st.data())
def test_property_push_rest_of_day(plan: DayPlan, data: st.DataObject) -> None:
    blocks = plan.blocks
    anchor = data.draw(st.sampled_from(blocks), label="anchor")
    minutes = data.draw(st.integers(1, 60) | st.integers(1, 6 * 60), label="minutes")

    result = push_rest_of_day(blocks, anchor, minutes)

    assert 0 <= result.minutes <= minutes
    moved_ids = [block.id for block, _ in result.moves]
    assert len(moved_ids) == len(set(moved_ids))
    run = expected_run(blocks, anchor)
    # Every flexible block of the run moves (unless there is no room at all),
    # and nothing else: not the anchor, not a fixed block, nothing before the
    # anchor, at or after the next fixed block, or on a later day.
    assert set(moved_ids) == (run if result.minutes else set())
    closes = day_end(anchor.start.date())
    for block, draft in result.moves:
        assert not block.fixed
        assert block.id != anchor.id
        assert block.start >= anchor.start
        assert block.start < closes
        # Moved by exactly the result's minutes, keeping the duration and the content.
        assert draft.start - block.start == dt.timedelta(minutes=result.minutes)
        assert draft.end - draft.start == block.end - block.start
        assert draft == with_span(block, draft.start, draft.end)

    # No new overlapping pair (pairs that overlapped before may still overlap).
    before = overlapping_pairs(spans_of(blocks))
    after = overlapping_pairs(shifted(blocks, set(moved_ids), result.minutes))
    assert after <= before

    # Pushed blocks never pass over (or into) a block that stays put: the run
    # stays in front of the fixed block that ends it and of the next day.
    pushed = {block.id for block, _ in result.moves}
    staying = [b for b in blocks if b.id not in pushed]
    for block, draft in result.moves:
        for other in staying:
            if other.start >= block.end:
                assert draft.end <= other.start, (block, other)

    # The push is shortened only when a block that stays is in the way, and
    # then it goes as far as it can; the block in the way is named.
    run_blocks = [b for b in blocks if b.id in run]
    in_the_way = {
        other.id
        for block in run_blocks
        for other in blocks
        if other.id not in run
        and block.end <= other.start < block.end + dt.timedelta(minutes=minutes)
    }
    if result.minutes < minutes:
        stopper = result.stopped_by
        assert stopper is not None
        assert stopper.id in in_the_way
        assert any(
            block.end + dt.timedelta(minutes=result.minutes) == stopper.start
            for block in run_blocks
        )
    else:
        assert result.stopped_by is None
        assert not in_the_way


def test_push_stops_at_the_next_fixed_block_and_shortens_to_the_room_there_is() -> None:
    day = ORDINARY_DAY
    anchor = make_block(1, at(day, 9), at(day, 10))
    deep = make_block(2, at(day, 10), at(day, 12))
    lunch = make_block(3, at(day, 12), at(day, 12, 50))
    meeting = make_block(4, at(day, 13), at(day, 14), fixed=True)
    testing = make_block(5, at(day, 14), at(day, 17))
    blocks = [testing, meeting, lunch, deep, anchor]

    roomy = push_rest_of_day(blocks, anchor, 10)
    assert roomy.minutes == 10 and roomy.stopped_by is None
    assert {b.id: (d.start, d.end) for b, d in roomy.moves} == {
        2: (at(day, 10, 10), at(day, 12, 10)),
        3: (at(day, 12, 10), at(day, 13)),
    }

    tight = push_rest_of_day(blocks, anchor, 30)
    assert tight.minutes == 10
    assert tight.stopped_by == meeting
    assert {b.id for b, _ in tight.moves} == {2, 3}


def test_push_never_reaches_into_the_next_day() -> None:
    day = ORDINARY_DAY
    anchor = make_block(1, at(day, 20), at(day, 21))
    late = make_block(2, at(day, 22), at(day, 23, 30))
    tomorrow = make_block(3, at(day + dt.timedelta(days=1), 0), at(day + dt.timedelta(days=1), 1))
    result = push_rest_of_day([anchor, late, tomorrow], anchor, 60)
    assert result.minutes == 30
    assert result.stopped_by == tomorrow
    assert [(b.id, d.start, d.end) for b, d in result.moves] == [
        (2, at(day, 22, 30), at(day + dt.timedelta(days=1), 0))
    ]


def test_a_push_with_no_room_moves_nothing() -> None:
    day = ORDINARY_DAY
    anchor = make_block(1, at(day, 9), at(day, 10))
    flexible = make_block(2, at(day, 10), at(day, 11))
    wall = make_block(3, at(day, 11), at(day, 12), fixed=True)
    result = push_rest_of_day([anchor, flexible, wall], anchor, 15)
    assert result.minutes == 0 and result.moves == () and result.stopped_by == wall


@pytest.mark.parametrize("minutes", [0, -5])
def test_push_by_a_non_positive_amount_is_refused(minutes: int) -> None:
    anchor = make_block(1, at(ORDINARY_DAY, 9), at(ORDINARY_DAY, 10))
    with pytest.raises(PlanError, match="positive"):
        push_rest_of_day([anchor], anchor, minutes)


# ---------------------------------------------------------------- ripple: Shift-drag
def all_flexible(blocks: Sequence[Block]) -> list[Block]:
    return [dataclasses.replace(b, fixed=False) for b in blocks]


@PROPERTY_SETTINGS
@given(day_plans(), st.data())
def test_property_ripple(plan: DayPlan, data: st.DataObject) -> None:
    blocks = plan.blocks
    dragged = data.draw(st.sampled_from(blocks), label="dragged")
    if data.draw(st.booleans(), label="near another block"):
        near = data.draw(st.sampled_from(blocks), label="near").start
        new_start = near + dt.timedelta(minutes=data.draw(st.integers(-60, 60), label="by"))
    else:
        offset = data.draw(st.integers(min_value=-6 * 60, max_value=28 * 60), label="offset")
        new_start = day_start(plan.day) + dt.timedelta(minutes=offset)
    placed = with_span(dragged, new_start, new_start + (dragged.end - dragged.start))

    result = ripple(blocks, dragged, placed)
    flexible_result = ripple(all_flexible(blocks), dragged, placed)
    assert flexible_result is not None
    fixed_ids = {b.id for b in blocks if b.fixed}
    # A position is refused exactly when it would move a fixed block.
    if result is None:
        assert any(b.id in fixed_ids for b, _ in flexible_result)
        return
    assert [(b.id, d.start, d.end) for b, d in result] == [
        (b.id, d.start, d.end) for b, d in flexible_result
    ]

    moved_ids = {b.id for b, _ in result}
    assert dragged.id not in moved_ids
    spans: dict[int, tuple[dt.datetime, dt.datetime]] = {dragged.id: (placed.start, placed.end)}
    cursor = placed.end
    for block, draft in result:
        assert not block.fixed
        assert block.start >= placed.start  # nothing before the placed start moves
        assert draft.end - draft.start == block.end - block.start
        assert draft == with_span(block, draft.start, draft.end)
        assert draft.start >= block.start  # neighbours are pushed later, never earlier
        assert draft.start == cursor  # each one right after what comes before it
        cursor = draft.end
        spans[block.id] = (draft.start, draft.end)
    # The placed block and its pushed neighbours do not overlap each other...
    assert overlapping_pairs(spans) == set()
    # ...nor any block that stayed and starts at or after the placed start.
    for block in blocks:
        if block.id in moved_ids or block.id == dragged.id or block.start < placed.start:
            continue
        for start, end in spans.values():
            assert not (block.start < end and start < block.end), (block, start, end)


def test_ripple_pushes_neighbours_and_refuses_to_move_a_fixed_block() -> None:
    day = ORDINARY_DAY
    dragged = make_block(1, at(day, 8), at(day, 9))
    deep = make_block(2, at(day, 10), at(day, 12))
    lunch = make_block(3, at(day, 12), at(day, 12, 30))
    meeting = make_block(4, at(day, 13), at(day, 14), fixed=True)
    earlier = make_block(5, at(day, 6), at(day, 10, 30))
    blocks = [meeting, lunch, earlier, deep, dragged]

    placed = moved(dragged, at(day, 9, 30), UTC_ZONE)
    result = ripple(blocks, dragged, placed)
    assert result is not None
    assert [(b.id, d.start, d.end) for b, d in result] == [
        (2, at(day, 10, 30), at(day, 12, 30)),
        (3, at(day, 12, 30), at(day, 13)),
    ]
    # Dropped where nothing is in the way: nothing moves.
    assert ripple(blocks, dragged, moved(dragged, at(day, 9), UTC_ZONE)) == ()
    # A quarter of an hour later the chain would have to move the meeting.
    assert ripple(blocks, dragged, moved(dragged, at(day, 9, 45), UTC_ZONE)) is None


# ---------------------------------------------------------------- moved
@st.composite
def zone_block_and_start(draw: st.DrawFn) -> tuple[ZoneInfo, Block, dt.datetime]:
    zone, day = draw(st.sampled_from(ZONE_DAYS))
    start = draw(walls_near_changes(day - dt.timedelta(days=draw(st.integers(0, 1)))))
    length = dt.timedelta(minutes=draw(st.integers(5, 8 * 60)))
    block = make_block(1, start, start + length, fixed=draw(st.booleans()))
    new_start = draw(walls_near_changes(day))
    return zone, block, new_start


@PROPERTY_SETTINGS
@given(zone_block_and_start())
def test_property_moved_keeps_the_real_duration(case: tuple[ZoneInfo, Block, dt.datetime]) -> None:
    zone, block, new_start = case
    duration = real_duration(block.start, block.end, zone)

    draft = moved(block, new_start, zone)

    assert draft.start == new_start
    assert draft == with_span(block, draft.start, draft.end)  # only the times change
    assert clean_draft(draft).end == draft.end  # always a valid span
    kept = real_duration(draft.start, draft.end, zone)
    # Where a wall time names the instant one real duration after the new
    # start, the block ends there; it is never shorter than it was.
    real_end = in_utc(new_start, zone) + duration
    nameable = in_utc(to_wall(real_end, zone), zone) == real_end
    if nameable and to_wall(real_end, zone) - new_start >= MIN_DURATION:
        assert kept == duration
    else:
        assert kept >= duration
    assert kept >= duration
    if zone is UTC_ZONE:
        assert draft.end - draft.start == block.end - block.start


@pytest.mark.parametrize(
    ("zone", "start", "end", "new_start", "new_end"),
    [
        # Spring forward in Berlin: 02:00-03:00 does not happen on 2026-03-29.
        pytest.param(BERLIN, at(BERLIN_SPRING, 1), at(BERLIN_SPRING, 2),
                     at(BERLIN_SPRING, 1, 30), at(BERLIN_SPRING, 3, 30), id="across-the-gap"),
        pytest.param(BERLIN, at(BERLIN_SPRING, 1), at(BERLIN_SPRING, 2),
                     at(BERLIN_SPRING, 2, 30), at(BERLIN_SPRING, 4), id="into-the-gap"),
        pytest.param(BERLIN, at(BERLIN_SPRING, 1, 30), at(BERLIN_SPRING, 3, 30),
                     at(BERLIN_SPRING, 9), at(BERLIN_SPRING, 10), id="out-of-the-gap"),
        pytest.param(BERLIN, at(BERLIN_SPRING, 1, 30), at(BERLIN_SPRING, 3, 30),
                     at(ORDINARY_DAY, 1, 30), at(ORDINARY_DAY, 2, 30), id="to-another-day"),
        # Fall back in Berlin: 02:00-03:00 happens twice on 2026-10-25; a 1 h
        # block from 01:30 (first pass) lasts 2 wall hours.
        pytest.param(BERLIN, at(BERLIN_FALL, 0), at(BERLIN_FALL, 1),
                     at(BERLIN_FALL, 1, 30), at(BERLIN_FALL, 2, 30), id="into-the-repeat"),
        pytest.param(BERLIN, at(BERLIN_FALL, 1, 30), at(BERLIN_FALL, 3, 30),
                     at(BERLIN_FALL, 1), at(BERLIN_FALL, 3), id="over-the-repeat"),
        # A block crossing midnight keeps its length, also over a clock change.
        pytest.param(UTC_ZONE, at(ORDINARY_DAY, 22, 30), at(ORDINARY_DAY + dt.timedelta(days=1), 6),
                     at(ORDINARY_DAY, 23), at(ORDINARY_DAY, 23) + dt.timedelta(hours=7, minutes=30),
                     id="sleep-utc"),
        pytest.param(BERLIN, at(BERLIN_SPRING - dt.timedelta(days=1), 22, 30),
                     at(BERLIN_SPRING, 6), at(BERLIN_SPRING, 22, 30),
                     at(BERLIN_SPRING + dt.timedelta(days=1), 5), id="short-night-sleep"),
        pytest.param(NEW_YORK, at(NEW_YORK_SPRING, 1, 30), at(NEW_YORK_SPRING, 3, 30),
                     at(NEW_YORK_SPRING, 12), at(NEW_YORK_SPRING, 13), id="new-york-gap"),
    ],
)  # fmt: skip
def test_moved_on_daylight_saving_days(
    zone: ZoneInfo,
    start: dt.datetime,
    end: dt.datetime,
    new_start: dt.datetime,
    new_end: dt.datetime,
) -> None:
    block = make_block(7, start, end)
    draft = moved(block, new_start, zone)
    assert (draft.start, draft.end) == (new_start, new_end)
    assert real_duration(draft.start, draft.end, zone) == real_duration(start, end, zone)


def test_moved_ends_after_the_repeated_hour_when_no_wall_time_names_the_end() -> None:
    # 00:00-00:30 is 30 min; from 01:45 (first pass, EDT) the real end is
    # 01:15 in the second pass (EST), which wall times cannot name: the block
    # ends when the repeated hour is over instead of before it starts.
    block = make_block(1, at(NEW_YORK_FALL, 0), at(NEW_YORK_FALL, 0, 30))
    draft = moved(block, at(NEW_YORK_FALL, 1, 45), NEW_YORK)
    assert (draft.start, draft.end) == (at(NEW_YORK_FALL, 1, 45), at(NEW_YORK_FALL, 2))
    assert real_duration(draft.start, draft.end, NEW_YORK) == dt.timedelta(minutes=75)
    clean_draft(draft)
    # Just before the end of the repeat the span is still at least 5 minutes long.
    hour = make_block(2, at(NEW_YORK_FALL, 5), at(NEW_YORK_FALL, 6))
    late = moved(hour, at(NEW_YORK_FALL, 1, 58), NEW_YORK)
    assert late.end - late.start == MIN_DURATION
    clean_draft(late)


def test_a_block_inside_the_skipped_hour_moves_as_a_minimum_length_block() -> None:
    # 02:10-02:40 on a spring-forward night lasts no real time.
    block = make_block(1, at(BERLIN_SPRING, 2, 10), at(BERLIN_SPRING, 2, 40))
    draft = moved(block, at(BERLIN_SPRING, 12), BERLIN)
    assert (draft.start, draft.end) == (at(BERLIN_SPRING, 12), at(BERLIN_SPRING, 12, 5))
    clean_draft(draft)


# ---------------------------------------------------------------- resized
@PROPERTY_SETTINGS
@given(
    day_plans(min_blocks=1, max_blocks=1),
    st.sampled_from(("start", "end", "both")),
    st.integers(min_value=-10 * 60, max_value=10 * 60),
    st.integers(min_value=-10 * 60, max_value=10 * 60),
)
def test_property_resized(plan: DayPlan, edge: str, shift: int, other_shift: int) -> None:
    (block,) = plan.blocks
    new_start = block.start + dt.timedelta(minutes=shift)
    new_end = block.end + dt.timedelta(minutes=other_shift if edge == "both" else shift)
    if edge == "start":
        draft = resized(block, start=new_start)
    elif edge == "end":
        draft = resized(block, end=new_end)
    else:
        draft = resized(block, start=new_start, end=new_end)

    assert draft.end - draft.start >= MIN_DURATION
    assert draft == with_span(block, draft.start, draft.end)
    if edge == "start":
        assert draft.end == block.end
        assert draft.start == min(new_start, block.end - MIN_DURATION)
    elif edge == "end":
        assert draft.start == block.start
        assert draft.end == max(new_end, block.start + MIN_DURATION)
    else:
        assert draft.end == new_end
        assert draft.start == min(new_start, new_end - MIN_DURATION)


def test_resize_examples() -> None:
    day = ORDINARY_DAY
    lunch = make_block(4, at(day, 12), at(day, 13))
    assert (resized(lunch, end=at(day, 13, 30)).start, resized(lunch, end=at(day, 13, 30)).end) == (
        at(day, 12),
        at(day, 13, 30),
    )
    assert resized(lunch, start=at(day, 11, 45)).start == at(day, 11, 45)
    # Past the other edge: clamped to five minutes, never zero or negative.
    assert resized(lunch, end=at(day, 11)).end == at(day, 12, 5)
    assert resized(lunch, start=at(day, 14)).start == at(day, 12, 55)
    # Across midnight from either day.
    assert resized(lunch, end=at(day + dt.timedelta(days=1), 1)).end == at(
        day + dt.timedelta(days=1), 1
    )


# ---------------------------------------------------------------- snap
DIVISORS_OF_A_DAY = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)


@PROPERTY_SETTINGS
@given(
    st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31, 23, 59)),
    st.sampled_from(SNAP_STEPS_MINUTES + DIVISORS_OF_A_DAY),
)
def test_property_snap(wall: dt.datetime, step: int) -> None:
    snapped = snap(wall, step)
    assert snapped.second == 0 and snapped.microsecond == 0
    assert (snapped.hour * 60 + snapped.minute) % step == 0
    assert abs(snapped - wall) <= dt.timedelta(minutes=step) / 2
    assert snap(snapped, step) == snapped


def test_snap_examples() -> None:
    day = ORDINARY_DAY
    assert DEFAULT_SNAP_MINUTES in SNAP_STEPS_MINUTES
    assert snap(at(day, 10, 7), 5) == at(day, 10, 5)
    assert snap(at(day, 10, 8), 5) == at(day, 10, 10)
    assert snap(at(day, 10, 8), 15) == at(day, 10, 15)
    assert snap(at(day, 23, 58), 5) == at(day + dt.timedelta(days=1), 0)
    # Step 0 (Alt held: no snapping) only drops seconds.
    assert snap(at(day, 10, 7).replace(second=42, microsecond=5), 0) == at(day, 10, 7)


# ---------------------------------------------------------------- duplicate, overlap
def test_duplicated_goes_right_after_the_original() -> None:
    sleep = make_block(1, at(ORDINARY_DAY, 22, 30), at(ORDINARY_DAY + dt.timedelta(days=1), 6))
    copy = duplicated(sleep)
    assert copy.start == sleep.end
    assert copy.end - copy.start == sleep.end - sleep.start
    assert copy.title == sleep.title and copy.notes == sleep.notes
    assert not overlaps(sleep, copy)
    assert overlaps(sleep, with_span(copy, copy.start - MINUTE, copy.end))


# ---------------------------------------------------------------- inverse and redo
def test_inverse_and_redo_of_a_hand_built_edit() -> None:
    day = ORDINARY_DAY
    created = make_block(10, at(day, 15), at(day, 16), title="Paper reading")
    old_lunch = make_block(2, at(day, 12), at(day, 13), title="Lunch")
    new_lunch = make_block(2, at(day, 12, 30), at(day, 13, 30), title="Lunch")
    deleted = make_block(3, at(day, 20), at(day, 20, 30), title="Head home", done=True)
    undone = make_block(4, at(day, 9), at(day, 10), title="Catch up")
    done = dataclasses.replace(undone, done=True)
    edit = PlanEdit(
        "Move 4 blocks",
        (
            CreateBlock(created.draft()),
            UpdateBlock(2, new_lunch.draft()),
            DeleteBlock(3),
            SetDone(4, done=True),
        ),
    )
    applied = AppliedEdit(
        edit, (None, old_lunch, deleted, undone), (created, new_lunch, None, done)
    )

    undo = applied.inverse()
    assert undo.description == "Move 4 blocks"
    assert undo.operations == (
        SetDone(4, done=False),  # only what changed: no update that would fill days
        RestoreBlock(deleted),
        UpdateBlock(2, old_lunch.draft()),
        DeleteBlock(10),
    )
    again = applied.redo()
    assert again.description == "Move 4 blocks"
    assert again.operations == (
        RestoreBlock(created),  # the created block comes back with its id and uid
        UpdateBlock(2, new_lunch.draft()),
        DeleteBlock(3),
        SetDone(4, done=True),
    )
    assert applied.days == {day}


def test_inverse_of_a_restore_and_of_a_redone_creation_is_a_deletion() -> None:
    block = make_block(5, at(ORDINARY_DAY, 9), at(ORDINARY_DAY, 10))
    restored = AppliedEdit(PlanEdit("Add x", (RestoreBlock(block),)), (None,), (block,))
    assert restored.inverse().operations == (DeleteBlock(5),)
    assert restored.redo().operations == (RestoreBlock(block),)


def test_inverse_of_an_edit_touching_one_block_twice_restores_the_first_state() -> None:
    day = ORDINARY_DAY
    first = make_block(1, at(day, 9), at(day, 10))
    second = make_block(1, at(day, 9, 30), at(day, 10, 30))
    third = make_block(1, at(day, 11), at(day, 12))
    applied = AppliedEdit(
        PlanEdit("Move block 1", (UpdateBlock(1, second.draft()), UpdateBlock(1, third.draft()))),
        (first, second),
        (second, third),
    )
    assert applied.inverse().operations == (
        UpdateBlock(1, second.draft()),
        UpdateBlock(1, first.draft()),
    )


def test_days_of_an_edit_include_both_days_of_a_night_block() -> None:
    day = ORDINARY_DAY
    sleep = make_block(1, at(day, 22, 30), at(day + dt.timedelta(days=1), 6))
    later = make_block(1, at(day + dt.timedelta(days=1), 22, 30), at(day + dt.timedelta(days=2), 6))
    applied = AppliedEdit(
        PlanEdit("Move Sleep", (UpdateBlock(1, later.draft()),)), (sleep,), (later,)
    )
    assert applied.days == {day + dt.timedelta(days=n) for n in range(3)}


# ---------------------------------------------------------------- describe, days_of
def test_describe() -> None:
    day = ORDINARY_DAY
    lunch = make_block(1, at(day, 12), at(day, 13), title="Lunch with the team")
    assert describe("Move", [lunch]) == "Move Lunch with the team"
    assert describe("Add", [lunch.draft()]) == "Add Lunch with the team"
    forty = "x" * 40
    assert (
        describe("Move", [make_block(2, at(day, 9), at(day, 10), title=forty)]) == f"Move {forty}"
    )
    long = make_block(3, at(day, 9), at(day, 10), title="y" * 41)
    text = describe("Delete", [long])
    assert text == "Delete " + "y" * 39 + "…"
    assert len(text.removeprefix("Delete ")) == 40
    assert describe("Move", [lunch, long, lunch.draft()]) == "Move 3 blocks"
    assert describe("Move", (b for b in [lunch, long])) == "Move 2 blocks"


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        pytest.param(at(ORDINARY_DAY, 12), at(ORDINARY_DAY, 13), 1, id="ordinary"),
        pytest.param(at(ORDINARY_DAY, 22, 30), at(ORDINARY_DAY + dt.timedelta(days=1), 6), 2,
                     id="crosses-midnight"),
        pytest.param(at(ORDINARY_DAY, 23), at(ORDINARY_DAY + dt.timedelta(days=1), 0), 1,
                     id="ends-at-midnight"),
        pytest.param(at(ORDINARY_DAY, 0), at(ORDINARY_DAY + dt.timedelta(days=1), 0), 1,
                     id="whole-day"),
        pytest.param(at(ORDINARY_DAY, 6), at(ORDINARY_DAY + dt.timedelta(days=1), 6), 2,
                     id="24-hours-from-six"),
        pytest.param(at(ORDINARY_DAY, 23, 55), at(ORDINARY_DAY + dt.timedelta(days=1), 0, 5), 2,
                     id="ten-minutes-over-midnight"),
    ],
)  # fmt: skip
def test_days_of(start: dt.datetime, end: dt.datetime, days: int) -> None:
    expected = [start.date() + dt.timedelta(days=n) for n in range(days)]
    block = make_block(1, start, end)
    assert days_of(block) == expected
    assert days_of(block.draft()) == expected


def test_a_draft_keeps_everything_but_the_times() -> None:
    block = make_block(1, at(ORDINARY_DAY, 9), at(ORDINARY_DAY, 10), fixed=True)
    draft = with_span(block, at(ORDINARY_DAY, 11), at(ORDINARY_DAY, 12))
    assert draft == BlockDraft(
        title=block.title,
        category="deep-work",
        start=at(ORDINARY_DAY, 11),
        end=at(ORDINARY_DAY, 12),
        notes=block.notes,
        fixed=True,
        notify=True,
        deadline=False,
    )
    assert with_span(draft, at(ORDINARY_DAY, 1), at(ORDINARY_DAY, 2)).fixed
    assert UNCATEGORISED.name == "general"


def test_inverse_puts_back_content_and_done_when_both_changed() -> None:
    day = ORDINARY_DAY
    before = make_block(1, at(day, 9), at(day, 10))
    after = make_block(1, at(day, 9, 30), at(day, 10, 30), done=True)
    same = make_block(2, at(day, 11), at(day, 12))
    applied = AppliedEdit(
        PlanEdit("Change", (UpdateBlock(1, after.draft()), UpdateBlock(2, same.draft()))),
        (before, same),
        (after, same),
    )
    assert applied.inverse().operations == (
        UpdateBlock(2, same.draft()),  # nothing changed: still one operation back
        UpdateBlock(1, before.draft()),
        SetDone(1, done=False),
    )
