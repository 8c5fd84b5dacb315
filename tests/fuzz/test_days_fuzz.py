"""One day of random plans: blocks crossing midnight either way, overlapping,
touching, stacked; each shown once, in its part of the day, in a lane of its own."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from ml_day.core.blocks import Block
from ml_day.core.days import (
    DaySegment,
    current_and_next,
    overlaps_day,
    place_in_lanes,
    segments_for_day,
)
from ml_day.core.timemodel import day_end, day_start
from tests.fuzz.strategies import day_plans, fuzz

DAY = dt.date(2026, 3, 29)


def overlap(a: DaySegment, b: DaySegment) -> bool:
    return a.start < b.end and b.start < a.end


@fuzz()
@given(day_plans(DAY, max_blocks=12, minute_step=1), st.sampled_from((-1, 0, 1)))
def test_every_block_touching_the_day_is_shown_once_within_it(
    blocks: list[Block], offset: int
) -> None:
    day = DAY + dt.timedelta(days=offset)
    segments = segments_for_day(blocks, day)
    shown = [segment.block.id for segment in segments]
    assert sorted(shown) == sorted(block.id for block in blocks if overlaps_day(block, day))
    assert len(shown) == len(set(shown))
    for segment in segments:
        block = segment.block
        assert day_start(day) <= segment.start < segment.end <= day_end(day)
        assert block.start <= segment.start and segment.end <= block.end
        assert segment.continues_from_previous_day == (block.start < day_start(day))
        assert segment.continues_to_next_day == (block.end > day_end(day))
    starts = [(segment.start, segment.end, segment.block.id) for segment in segments]
    assert starts == sorted(starts)


@fuzz()
@given(day_plans(DAY, max_blocks=14, minute_step=5))
def test_lanes_never_stack_two_overlapping_segments(blocks: list[Block]) -> None:
    segments = segments_for_day(blocks, DAY)
    placed = place_in_lanes(segments)
    assert sorted(item.segment.block.id for item in placed) == sorted(
        segment.block.id for segment in segments
    )
    for item in placed:
        assert 0 <= item.lane < item.lane_count <= len(segments)
    for first, second in itertools.combinations(placed, 2):
        if overlap(first.segment, second.segment):
            assert first.lane != second.lane
            assert first.lane_count == second.lane_count


@fuzz()
@given(day_plans(DAY, max_blocks=10), st.integers(-2 * 60, 26 * 60))
def test_now_and_next_are_the_latest_started_and_the_first_to_come(
    blocks: list[Block], minutes: int
) -> None:
    now = day_start(DAY) + dt.timedelta(minutes=minutes)
    current, upcoming = current_and_next(blocks, now)
    running = [block for block in blocks if block.start <= now < block.end]
    coming = [block for block in blocks if block.start > now]
    if running:
        assert current is not None and current in running
        assert current.start == max(block.start for block in running)
    else:
        assert current is None
    if coming:
        assert upcoming is not None and upcoming in coming
        assert upcoming.start == min(block.start for block in coming)
    else:
        assert upcoming is None
