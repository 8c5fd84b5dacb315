"""One day of the plan: segments of blocks, lanes for overlaps, now and next."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from ml_day.core.blocks import UNCATEGORISED, Block
from ml_day.core.clock import ManualClock
from ml_day.core.days import (
    DaySegment,
    PlacedSegment,
    block_duration,
    current_and_next,
    overlaps_day,
    place_in_lanes,
    segments_for_day,
)
from ml_day.core.timemodel import to_wall

DAY_ONE = dt.date(2026, 5, 4)
DAY_TWO = dt.date(2026, 5, 5)
BERLIN = ZoneInfo("Europe/Berlin")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def block(block_id: int, start: dt.datetime, end: dt.datetime, title: str = "") -> Block:
    return Block(
        id=block_id,
        title=title or f"block {block_id}",
        category=UNCATEGORISED,
        start=start,
        end=end,
    )


def segment(block_id: int, start: dt.datetime, end: dt.datetime) -> DaySegment:
    return DaySegment(block(block_id, start, end), start, end)


def overlap(first: DaySegment, second: DaySegment) -> bool:
    return first.start < second.end and second.start < first.end


def by_id(placed: list[PlacedSegment]) -> dict[int, PlacedSegment]:
    return {item.segment.block.id: item for item in placed}


# ---------------------------------------------------------------- segments


def test_a_midnight_crossing_block_shows_its_part_on_each_day() -> None:
    sleep = block(1, at(DAY_ONE, 22, 30), at(DAY_TWO, 6), "Sleep")
    lunch = block(2, at(DAY_ONE, 12), at(DAY_ONE, 13), "Lunch")
    assert sleep.crosses_midnight
    assert not lunch.crosses_midnight

    first = segments_for_day([sleep, lunch], DAY_ONE)
    assert [(s.block.title, s.start, s.end) for s in first] == [
        ("Lunch", at(DAY_ONE, 12), at(DAY_ONE, 13)),
        ("Sleep", at(DAY_ONE, 22, 30), at(DAY_TWO, 0)),
    ]
    lunch_part, night_part = first
    assert not lunch_part.continues_from_previous_day
    assert not lunch_part.continues_to_next_day
    assert not night_part.continues_from_previous_day
    assert night_part.continues_to_next_day

    second = segments_for_day([sleep, lunch], DAY_TWO)
    assert len(second) == 1
    (morning_part,) = second
    assert morning_part.block is sleep
    assert (morning_part.start, morning_part.end) == (at(DAY_TWO, 0), at(DAY_TWO, 6))
    assert morning_part.continues_from_previous_day
    assert not morning_part.continues_to_next_day

    assert segments_for_day([sleep, lunch], DAY_TWO + dt.timedelta(days=1)) == []
    assert segments_for_day([sleep, lunch], DAY_ONE - dt.timedelta(days=1)) == []


def test_a_block_ending_exactly_at_midnight_stays_on_its_day() -> None:
    late = block(1, at(DAY_ONE, 23), at(DAY_TWO, 0))
    assert not late.crosses_midnight
    assert overlaps_day(late, DAY_ONE)
    assert not overlaps_day(late, DAY_TWO)
    (part,) = segments_for_day([late], DAY_ONE)
    assert not part.continues_to_next_day
    assert segments_for_day([late], DAY_TWO) == []


def test_a_block_starting_exactly_at_midnight_belongs_to_the_new_day() -> None:
    early = block(1, at(DAY_TWO, 0), at(DAY_TWO, 1))
    assert not overlaps_day(early, DAY_ONE)
    assert overlaps_day(early, DAY_TWO)
    (part,) = segments_for_day([early], DAY_TWO)
    assert not part.continues_from_previous_day


def test_segments_come_in_time_order() -> None:
    blocks = [
        block(3, at(DAY_ONE, 14), at(DAY_ONE, 15)),
        block(1, at(DAY_ONE, 9), at(DAY_ONE, 11)),
        block(2, at(DAY_ONE, 9), at(DAY_ONE, 10)),
        block(4, at(DAY_ONE - dt.timedelta(days=1), 23), at(DAY_ONE, 1)),
    ]
    ordered = segments_for_day(blocks, DAY_ONE)
    assert [s.block.id for s in ordered] == [4, 2, 1, 3]
    assert ordered[0].start == at(DAY_ONE, 0)


# ---------------------------------------------------------------- lanes


def test_non_overlapping_segments_share_a_single_lane() -> None:
    segments = [
        segment(1, at(DAY_ONE, 9), at(DAY_ONE, 10)),
        segment(2, at(DAY_ONE, 10), at(DAY_ONE, 12)),  # touching is not overlapping
        segment(3, at(DAY_ONE, 13), at(DAY_ONE, 14)),
    ]
    placed = place_in_lanes(segments)
    assert len(placed) == 3
    assert {(p.lane, p.lane_count) for p in placed} == {(0, 1)}


def test_two_overlapping_segments_sit_side_by_side() -> None:
    placed = by_id(
        place_in_lanes(
            [
                segment(1, at(DAY_ONE, 9), at(DAY_ONE, 11)),
                segment(2, at(DAY_ONE, 10), at(DAY_ONE, 12)),
                segment(3, at(DAY_ONE, 13), at(DAY_ONE, 14)),
            ]
        )
    )
    assert (placed[1].lane, placed[1].lane_count) == (0, 2)
    assert (placed[2].lane, placed[2].lane_count) == (1, 2)
    assert (placed[3].lane, placed[3].lane_count) == (0, 1)


def test_a_chain_of_overlaps_forms_one_cluster() -> None:
    # A overlaps B, B overlaps C, A and C do not overlap: all three share the
    # cluster's lane count, and C can reuse A's lane.
    a = segment(1, at(DAY_ONE, 9), at(DAY_ONE, 10))
    b = segment(2, at(DAY_ONE, 9, 30), at(DAY_ONE, 11))
    c = segment(3, at(DAY_ONE, 10, 30), at(DAY_ONE, 12))
    assert not overlap(a, c)
    placed = by_id(place_in_lanes([c, a, b]))
    assert {p.lane_count for p in placed.values()} == {2}
    assert placed[1].lane == 0
    assert placed[2].lane == 1
    assert placed[3].lane == 0


def test_three_at_once_need_three_lanes_and_a_later_one_starts_fresh() -> None:
    placed = by_id(
        place_in_lanes(
            [
                segment(1, at(DAY_ONE, 9), at(DAY_ONE, 12)),
                segment(2, at(DAY_ONE, 9), at(DAY_ONE, 10)),
                segment(3, at(DAY_ONE, 9, 30), at(DAY_ONE, 11)),
                segment(4, at(DAY_ONE, 15), at(DAY_ONE, 16)),
            ]
        )
    )
    # The longest of those starting together takes the first lane.
    assert placed[1].lane == 0
    assert sorted(placed[i].lane for i in (1, 2, 3)) == [0, 1, 2]
    assert {placed[i].lane_count for i in (1, 2, 3)} == {3}
    assert (placed[4].lane, placed[4].lane_count) == (0, 1)


def test_no_segments_no_lanes() -> None:
    assert place_in_lanes([]) == []


@st.composite
def random_segments(draw: st.DrawFn) -> list[DaySegment]:
    spans = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=24 * 60 - 5),
                st.integers(min_value=5, max_value=6 * 60),
            ),
            max_size=25,
        )
    )
    opens = at(DAY_ONE, 0)
    closes = at(DAY_TWO, 0)
    result = []
    for index, (start_minute, length) in enumerate(spans):
        start = opens + dt.timedelta(minutes=start_minute)
        end = min(start + dt.timedelta(minutes=length), closes)
        result.append(segment(index + 1, start, end))
    return result


@settings(max_examples=200, deadline=None, database=None)
@given(random_segments())
def test_property_lanes_never_hide_a_segment(segments: list[DaySegment]) -> None:
    placed = place_in_lanes(segments)

    assert sorted(p.segment.block.id for p in placed) == sorted(s.block.id for s in segments)
    for item in placed:
        assert 0 <= item.lane < item.lane_count
    for first, second in itertools.combinations(placed, 2):
        if overlap(first.segment, second.segment):
            assert first.lane != second.lane
            assert first.lane_count == second.lane_count

    # Lane counts are as small as they can be: each cluster (segments linked by
    # overlaps) uses exactly as many lanes as segments run at once at its
    # busiest moment.
    cluster_of = {p.segment.block.id: p.segment.block.id for p in placed}

    def root(key: int) -> int:
        while cluster_of[key] != key:
            key = cluster_of[key]
        return key

    for first, second in itertools.combinations(placed, 2):
        if overlap(first.segment, second.segment):
            cluster_of[root(first.segment.block.id)] = root(second.segment.block.id)
    clusters: dict[int, list[PlacedSegment]] = {}
    for item in placed:
        clusters.setdefault(root(item.segment.block.id), []).append(item)
    for members in clusters.values():
        busiest = max(
            sum(1 for m in members if m.segment.start <= probe.segment.start < m.segment.end)
            for probe in members
        )
        assert {m.lane_count for m in members} == {busiest}


# ---------------------------------------------------------------- now and next


def test_current_and_next_follow_the_clock() -> None:
    standup = block(1, at(DAY_ONE, 9), at(DAY_ONE, 10), "Stand-up")
    focus = block(2, at(DAY_ONE, 9, 30), at(DAY_ONE, 11), "Focus")
    lunch = block(3, at(DAY_ONE, 12), at(DAY_ONE, 13), "Lunch")
    blocks = [lunch, focus, standup]
    clock = ManualClock.at_local(at(DAY_ONE, 8), BERLIN)

    def now_and_next() -> tuple[str | None, str | None]:
        current, upcoming = current_and_next(blocks, to_wall(clock.now(), clock.zone()))
        return (
            None if current is None else current.title,
            None if upcoming is None else upcoming.title,
        )

    assert now_and_next() == (None, "Stand-up")
    clock.advance(dt.timedelta(hours=1))  # 09:00
    assert now_and_next() == ("Stand-up", "Focus")
    clock.advance(dt.timedelta(minutes=45))  # 09:45: both under way, latest started wins
    assert now_and_next() == ("Focus", "Lunch")
    clock.advance(dt.timedelta(minutes=15))  # 10:00: the stand-up has ended
    assert now_and_next() == ("Focus", "Lunch")
    clock.advance(dt.timedelta(hours=1))  # 11:00: a gap
    assert now_and_next() == (None, "Lunch")
    clock.advance(dt.timedelta(hours=1, minutes=59))  # 12:59
    assert now_and_next() == ("Lunch", None)
    clock.advance(dt.timedelta(minutes=1))  # 13:00: ends are exclusive
    assert now_and_next() == (None, None)


def test_current_and_next_across_midnight() -> None:
    sleep = block(1, at(DAY_ONE, 22, 30), at(DAY_TWO, 6), "Sleep")
    gym = block(2, at(DAY_TWO, 6), at(DAY_TWO, 8), "Gym")
    current, upcoming = current_and_next([gym, sleep], at(DAY_TWO, 3))
    assert current is sleep
    assert upcoming is gym
    assert current_and_next([], at(DAY_TWO, 3)) == (None, None)


def test_block_duration_is_real_time_on_a_daylight_saving_night() -> None:
    spring = dt.date(2026, 3, 29)
    night = block(1, at(spring - dt.timedelta(days=1), 22, 30), at(spring, 6))
    assert block_duration(night, BERLIN) == dt.timedelta(hours=6, minutes=30)
    ordinary = block(2, at(DAY_ONE - dt.timedelta(days=1), 22, 30), at(DAY_ONE, 6))
    assert block_duration(ordinary, BERLIN) == dt.timedelta(hours=7, minutes=30)
