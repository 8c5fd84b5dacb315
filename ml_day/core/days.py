"""One day of the plan: the parts of blocks that fall on it, laid out in lanes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from ml_day.core.blocks import Block
from ml_day.core.timemodel import day_end, day_start, real_duration


@dataclass(frozen=True, slots=True)
class DaySegment:
    """The part of a block shown on one day (all of it, unless it crosses midnight)."""

    block: Block
    start: dt.datetime
    end: dt.datetime

    @property
    def continues_from_previous_day(self) -> bool:
        return self.block.start < self.start

    @property
    def continues_to_next_day(self) -> bool:
        return self.block.end > self.end


def overlaps_day(block: Block, day: dt.date) -> bool:
    return block.start < day_end(day) and block.end > day_start(day)


def segments_for_day(blocks: Iterable[Block], day: dt.date) -> list[DaySegment]:
    """The parts of ``blocks`` that fall on ``day``, in time order."""
    opens, closes = day_start(day), day_end(day)
    segments = [
        DaySegment(block, max(block.start, opens), min(block.end, closes))
        for block in blocks
        if overlaps_day(block, day)
    ]
    segments.sort(key=lambda segment: (segment.start, segment.end, segment.block.id))
    return segments


@dataclass(frozen=True, slots=True)
class PlacedSegment:
    """A segment with its lane: drawn at ``lane`` out of ``lane_count`` side by side."""

    segment: DaySegment
    lane: int
    lane_count: int


def place_in_lanes(segments: Sequence[DaySegment]) -> list[PlacedSegment]:
    """Lay overlapping segments side by side so that none hides another.

    Segments that overlap, directly or through others, form a cluster; each
    takes the first lane free at its start, and every segment of a cluster
    shares the cluster's lane count, so widths line up.
    """
    ordered = sorted(segments, key=lambda s: (s.start, -(s.end - s.start), s.block.id))
    placed: list[PlacedSegment] = []
    cluster: list[tuple[DaySegment, int]] = []
    lane_ends: list[dt.datetime] = []
    cluster_end: dt.datetime | None = None

    def close_cluster() -> None:
        lane_count = max((lane for _, lane in cluster), default=-1) + 1
        placed.extend(PlacedSegment(segment, lane, lane_count) for segment, lane in cluster)
        cluster.clear()
        lane_ends.clear()

    for segment in ordered:
        if cluster_end is not None and segment.start >= cluster_end:
            close_cluster()
            cluster_end = None
        lane = next((i for i, end in enumerate(lane_ends) if end <= segment.start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(segment.end)
        else:
            lane_ends[lane] = segment.end
        cluster.append((segment, lane))
        cluster_end = segment.end if cluster_end is None else max(cluster_end, segment.end)
    close_cluster()
    return placed


def current_and_next(
    blocks: Iterable[Block], now_wall: dt.datetime
) -> tuple[Block | None, Block | None]:
    """The block under way at ``now_wall`` (latest started) and the next one to start."""
    current: Block | None = None
    upcoming: Block | None = None
    for block in blocks:
        if block.start <= now_wall < block.end:
            if current is None or block.start > current.start:
                current = block
        elif block.start > now_wall and (upcoming is None or block.start < upcoming.start):
            upcoming = block
    return current, upcoming


def block_duration(block: Block, zone: ZoneInfo) -> dt.timedelta:
    """The real time a block lasts (DST-aware)."""
    return real_duration(block.start, block.end, zone)
