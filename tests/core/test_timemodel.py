"""The time model: wall-clock plans, real instants, and daylight-saving days."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ml_day.core.clock import ManualClock, local_now, today
from ml_day.core.timemodel import (
    ClockChange,
    ClockChangeKind,
    clock_changes,
    day_end,
    day_start,
    format_duration,
    real_duration,
    to_instant,
    to_wall,
    wall_exists,
    wall_is_repeated,
)

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")

BERLIN_SPRING = dt.date(2026, 3, 29)
BERLIN_FALL = dt.date(2026, 10, 25)
NEW_YORK_SPRING = dt.date(2026, 3, 8)
NEW_YORK_FALL = dt.date(2026, 11, 1)

HOUR = dt.timedelta(hours=1)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)


def wall(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def in_utc(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(UTC)


# ---------------------------------------------------------------- clock changes


class ChangeCase(NamedTuple):
    zone: ZoneInfo
    day: dt.date
    kind: ClockChangeKind
    start: tuple[int, int]
    end: tuple[int, int]
    instant_utc: dt.datetime
    offset_after: dt.timedelta
    text: str


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            ChangeCase(
                BERLIN,
                BERLIN_SPRING,
                ClockChangeKind.SKIPPED,
                (2, 0),
                (3, 0),
                utc(2026, 3, 29, 1, 0),
                dt.timedelta(hours=2),
                "Clocks go forward 1 hour: 02:00-03:00 does not happen today",
            ),
            id="berlin-spring-forward",
        ),
        pytest.param(
            ChangeCase(
                BERLIN,
                BERLIN_FALL,
                ClockChangeKind.REPEATED,
                (2, 0),
                (3, 0),
                utc(2026, 10, 25, 1, 0),
                dt.timedelta(hours=1),
                "Clocks go back 1 hour: 02:00-03:00 happens twice today",
            ),
            id="berlin-fall-back",
        ),
        pytest.param(
            ChangeCase(
                NEW_YORK,
                NEW_YORK_SPRING,
                ClockChangeKind.SKIPPED,
                (2, 0),
                (3, 0),
                utc(2026, 3, 8, 7, 0),
                dt.timedelta(hours=-4),
                "Clocks go forward 1 hour: 02:00-03:00 does not happen today",
            ),
            id="new-york-spring-forward",
        ),
        pytest.param(
            ChangeCase(
                NEW_YORK,
                NEW_YORK_FALL,
                ClockChangeKind.REPEATED,
                (1, 0),
                (2, 0),
                utc(2026, 11, 1, 6, 0),
                dt.timedelta(hours=-5),
                "Clocks go back 1 hour: 01:00-02:00 happens twice today",
            ),
            id="new-york-fall-back",
        ),
        pytest.param(
            ChangeCase(
                LORD_HOWE,
                dt.date(2026, 10, 4),
                ClockChangeKind.SKIPPED,
                (2, 0),
                (2, 30),
                utc(2026, 10, 3, 15, 30),
                dt.timedelta(hours=11),
                "Clocks go forward 30 minutes: 02:00-02:30 does not happen today",
            ),
            id="lord-howe-half-hour-forward",
        ),
        pytest.param(
            ChangeCase(
                LORD_HOWE,
                dt.date(2026, 4, 5),
                ClockChangeKind.REPEATED,
                (1, 30),
                (2, 0),
                utc(2026, 4, 4, 15, 0),
                dt.timedelta(hours=10, minutes=30),
                "Clocks go back 30 minutes: 01:30-02:00 happens twice today",
            ),
            id="lord-howe-half-hour-back",
        ),
        pytest.param(
            ChangeCase(
                ZoneInfo("America/Santiago"),
                dt.date(2026, 9, 6),
                ClockChangeKind.SKIPPED,
                (0, 0),
                (1, 0),
                utc(2026, 9, 6, 4, 0),
                dt.timedelta(hours=-3),
                "Clocks go forward 1 hour: 00:00-01:00 does not happen today",
            ),
            id="santiago-forward-at-midnight",
        ),
        pytest.param(
            ChangeCase(
                ZoneInfo("Africa/Cairo"),
                dt.date(2026, 4, 24),
                ClockChangeKind.SKIPPED,
                (0, 0),
                (1, 0),
                utc(2026, 4, 23, 22, 0),
                dt.timedelta(hours=3),
                "Clocks go forward 1 hour: 00:00-01:00 does not happen today",
            ),
            id="cairo-forward-at-midnight",
        ),
    ],
)
def test_clock_changes_on_daylight_saving_days(case: ChangeCase) -> None:
    zone, day, kind, start, end, instant_utc, offset_after, text = case
    changes = clock_changes(day, zone)

    assert len(changes) == 1
    change = changes[0]
    assert change.kind is kind
    assert change.wall_start == wall(day, *start)
    assert change.wall_end == wall(day, *end)
    assert change.length == change.wall_end - change.wall_start
    assert in_utc(change.instant) == instant_utc
    assert change.instant.tzinfo is zone
    assert change.instant.utcoffset() == offset_after
    assert change.describe() == text
    assert "\n" not in change.describe()


@pytest.mark.parametrize(
    ("zone", "day_before", "day_of"),
    [
        (ZoneInfo("America/Santiago"), dt.date(2026, 9, 5), dt.date(2026, 9, 6)),
        (ZoneInfo("Africa/Cairo"), dt.date(2026, 4, 23), dt.date(2026, 4, 24)),
        (ZoneInfo("America/Havana"), dt.date(2026, 3, 7), dt.date(2026, 3, 8)),
    ],
)
def test_a_jump_at_midnight_belongs_to_the_day_that_loses_the_hour(
    zone: ZoneInfo, day_before: dt.date, day_of: dt.date
) -> None:
    assert clock_changes(day_before, zone) == []
    assert real_duration(day_start(day_before), day_end(day_before), zone) == 24 * HOUR
    (change,) = clock_changes(day_of, zone)
    assert change.kind is ClockChangeKind.SKIPPED
    assert change.wall_start == day_start(day_of)
    assert real_duration(day_start(day_of), day_end(day_of), zone) == 23 * HOUR
    # The day's own midnight never shows: it fires at the jump.
    assert not wall_exists(day_start(day_of), zone)
    assert in_utc(to_instant(day_start(day_of), zone)) == in_utc(change.instant)


def test_a_repeated_hour_before_midnight_belongs_to_the_earlier_day() -> None:
    santiago = ZoneInfo("America/Santiago")
    (change,) = clock_changes(dt.date(2026, 4, 4), santiago)
    assert change.kind is ClockChangeKind.REPEATED
    assert change.wall_start == dt.datetime(2026, 4, 4, 23, 0)
    assert change.wall_end == dt.datetime(2026, 4, 5, 0, 0)
    assert clock_changes(dt.date(2026, 4, 5), santiago) == []


def test_spring_forward_instant_reads_as_the_first_wall_time_after_the_gap() -> None:
    (change,) = clock_changes(BERLIN_SPRING, BERLIN)
    assert to_wall(change.instant, BERLIN) == wall(BERLIN_SPRING, 3)
    # One second earlier the clock still showed standard time, just before 02:00.
    assert to_wall(in_utc(change.instant) - dt.timedelta(seconds=1), BERLIN) == dt.datetime(
        2026, 3, 29, 1, 59, 59
    )


def test_fall_back_instant_is_the_second_occurrence_of_the_repeated_span() -> None:
    (change,) = clock_changes(BERLIN_FALL, BERLIN)
    assert to_wall(change.instant, BERLIN) == wall(BERLIN_FALL, 2)
    assert to_wall(in_utc(change.instant) - dt.timedelta(seconds=1), BERLIN) == dt.datetime(
        2026, 10, 25, 2, 59, 59
    )


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        (BERLIN, dt.date(2026, 3, 28)),
        (BERLIN, dt.date(2026, 3, 30)),
        (BERLIN, dt.date(2026, 7, 14)),
        (BERLIN, dt.date(2026, 10, 24)),
        (NEW_YORK, dt.date(2026, 3, 29)),
        (NEW_YORK, dt.date(2026, 10, 25)),
        (NEW_YORK, dt.date(2026, 12, 31)),
        (ZoneInfo("UTC"), BERLIN_SPRING),
        (ZoneInfo("Asia/Kolkata"), BERLIN_FALL),
    ],
)
def test_an_ordinary_day_has_no_clock_changes(zone: ZoneInfo, day: dt.date) -> None:
    assert clock_changes(day, zone) == []
    assert real_duration(day_start(day), day_end(day), zone) == dt.timedelta(hours=24)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (BERLIN, {BERLIN_SPRING, BERLIN_FALL}),
        (NEW_YORK, {NEW_YORK_SPRING, NEW_YORK_FALL}),
        (ZoneInfo("Asia/Tokyo"), set()),
    ],
)
def test_over_a_whole_year_only_the_daylight_saving_days_have_changes(
    zone: ZoneInfo, expected: set[dt.date]
) -> None:
    first = dt.date(2026, 1, 1)
    found = {
        first + dt.timedelta(days=n)
        for n in range(365)
        if clock_changes(first + dt.timedelta(days=n), zone)
    }
    assert found == expected


def test_daylight_saving_days_are_23_and_25_hours_long() -> None:
    for zone, short, long in (
        (BERLIN, BERLIN_SPRING, BERLIN_FALL),
        (NEW_YORK, NEW_YORK_SPRING, NEW_YORK_FALL),
    ):
        assert real_duration(day_start(short), day_end(short), zone) == dt.timedelta(hours=23)
        assert real_duration(day_start(long), day_end(long), zone) == dt.timedelta(hours=25)


def test_clock_change_describe_uses_minutes_for_other_lengths() -> None:
    change = ClockChange(
        ClockChangeKind.SKIPPED,
        wall(BERLIN_SPRING, 2),
        wall(BERLIN_SPRING, 2, 45),
        to_instant(wall(BERLIN_SPRING, 4), BERLIN),
    )
    assert change.length == dt.timedelta(minutes=45)
    assert change.describe() == "Clocks go forward 45 minutes: 02:00-02:45 does not happen today"


# ---------------------------------------------------------------- wall to instant


def test_a_wall_time_in_the_spring_gap_means_the_moment_the_clocks_jump() -> None:
    instant = to_instant(wall(BERLIN_SPRING, 2, 30), BERLIN)
    assert instant.tzinfo is BERLIN
    assert instant.utcoffset() == dt.timedelta(hours=2)
    assert instant.replace(tzinfo=None) == wall(BERLIN_SPRING, 3)
    assert in_utc(instant) == utc(2026, 3, 29, 1, 0)
    assert instant.isoformat() == "2026-03-29T03:00:00+02:00"


@pytest.mark.parametrize(
    ("zone", "day", "gap_times", "jump_utc"),
    [
        (BERLIN, BERLIN_SPRING, [(2, 0), (2, 1), (2, 30), (2, 59)], utc(2026, 3, 29, 1)),
        (NEW_YORK, NEW_YORK_SPRING, [(2, 0), (2, 15), (2, 59)], utc(2026, 3, 8, 7)),
    ],
)
def test_every_wall_time_in_a_gap_maps_to_the_same_jump_instant(
    zone: ZoneInfo, day: dt.date, gap_times: list[tuple[int, int]], jump_utc: dt.datetime
) -> None:
    for hour, minute in gap_times:
        moment = wall(day, hour, minute)
        assert not wall_exists(moment, zone)
        assert not wall_is_repeated(moment, zone)
        assert in_utc(to_instant(moment, zone)) == jump_utc
    # The edges of the gap exist, and fall on either side of the jump.
    assert wall_exists(wall(day, 1, 59), zone)
    assert wall_exists(wall(day, 3, 0), zone)
    assert in_utc(to_instant(wall(day, 3, 0), zone)) == jump_utc
    assert in_utc(to_instant(wall(day, 1, 59), zone)) == jump_utc - dt.timedelta(minutes=1)


def test_a_repeated_wall_time_means_its_first_occurrence() -> None:
    instant = to_instant(wall(BERLIN_FALL, 2, 30), BERLIN)
    assert instant.utcoffset() == dt.timedelta(hours=2)
    assert instant.replace(tzinfo=None) == wall(BERLIN_FALL, 2, 30)
    assert in_utc(instant) == utc(2026, 10, 25, 0, 30)
    second = wall(BERLIN_FALL, 2, 30).replace(tzinfo=BERLIN, fold=1)
    assert in_utc(instant) == in_utc(second) - HOUR


def test_new_york_repeated_hour_means_the_daylight_time_occurrence() -> None:
    instant = to_instant(wall(NEW_YORK_FALL, 1, 30), NEW_YORK)
    assert instant.utcoffset() == dt.timedelta(hours=-4)
    assert in_utc(instant) == utc(2026, 11, 1, 5, 30)


@pytest.mark.parametrize(
    ("zone", "day", "repeated", "single"),
    [
        (BERLIN, BERLIN_FALL, [(2, 0), (2, 30), (2, 59)], [(1, 59), (3, 0), (12, 0)]),
        (NEW_YORK, NEW_YORK_FALL, [(1, 0), (1, 30), (1, 59)], [(0, 59), (2, 0), (23, 0)]),
    ],
)
def test_wall_is_repeated_only_inside_the_repeated_span(
    zone: ZoneInfo, day: dt.date, repeated: list[tuple[int, int]], single: list[tuple[int, int]]
) -> None:
    for hour, minute in repeated:
        assert wall_is_repeated(wall(day, hour, minute), zone)
        assert wall_exists(wall(day, hour, minute), zone)
    for hour, minute in single:
        assert not wall_is_repeated(wall(day, hour, minute), zone)
        assert wall_exists(wall(day, hour, minute), zone)


def test_ordinary_wall_times_exist_once() -> None:
    moment = dt.datetime(2026, 6, 1, 2, 30)
    for zone in (BERLIN, NEW_YORK, LORD_HOWE, ZoneInfo("UTC")):
        assert wall_exists(moment, zone)
        assert not wall_is_repeated(moment, zone)
        assert to_wall(to_instant(moment, zone), zone) == moment


def test_to_instant_rejects_an_aware_time() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_instant(dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC), BERLIN)
    with pytest.raises(ValueError, match="naive"):
        to_instant(dt.datetime(2026, 6, 1, 12, 0, tzinfo=BERLIN), BERLIN)


def test_to_wall_rejects_a_naive_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        to_wall(dt.datetime(2026, 6, 1, 12, 0), BERLIN)


def test_to_wall_reads_the_clock_in_the_zone() -> None:
    instant = utc(2026, 7, 1, 10, 0)
    assert to_wall(instant, BERLIN) == dt.datetime(2026, 7, 1, 12, 0)
    assert to_wall(instant, NEW_YORK) == dt.datetime(2026, 7, 1, 6, 0)
    assert to_wall(instant, BERLIN).tzinfo is None


# ---------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("zone", "start", "end", "expected", "text"),
    [
        (BERLIN, wall(BERLIN_SPRING, 1, 30), wall(BERLIN_SPRING, 3, 30), HOUR, "1 h"),
        (BERLIN, wall(BERLIN_FALL, 1, 30), wall(BERLIN_FALL, 3, 30), 3 * HOUR, "3 h"),
        (NEW_YORK, wall(NEW_YORK_SPRING, 1, 30), wall(NEW_YORK_SPRING, 3, 30), HOUR, "1 h"),
        (NEW_YORK, wall(NEW_YORK_FALL, 0, 30), wall(NEW_YORK_FALL, 2, 30), 3 * HOUR, "3 h"),
        (BERLIN, wall(BERLIN_SPRING, 12), wall(BERLIN_SPRING, 13, 30), 1.5 * HOUR, "1 h 30 min"),
        (
            BERLIN,
            wall(BERLIN_SPRING - dt.timedelta(days=1), 22, 30),
            wall(BERLIN_SPRING, 6),
            6.5 * HOUR,
            "6 h 30 min",
        ),
        (
            BERLIN,
            wall(BERLIN_FALL - dt.timedelta(days=1), 22, 30),
            wall(BERLIN_FALL, 6),
            8.5 * HOUR,
            "8 h 30 min",
        ),
        (BERLIN, wall(BERLIN_SPRING, 2, 0), wall(BERLIN_SPRING, 2, 45), dt.timedelta(0), "0 min"),
    ],
)
def test_real_duration_is_elapsed_time(
    zone: ZoneInfo, start: dt.datetime, end: dt.datetime, expected: dt.timedelta, text: str
) -> None:
    duration = real_duration(start, end, zone)
    assert duration == expected
    assert format_duration(duration) == text


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (dt.timedelta(0), "0 min"),
        (dt.timedelta(minutes=1), "1 min"),
        (dt.timedelta(minutes=45), "45 min"),
        (dt.timedelta(minutes=59), "59 min"),
        (dt.timedelta(hours=1), "1 h"),
        (dt.timedelta(hours=2, minutes=30), "2 h 30 min"),
        (dt.timedelta(hours=25), "25 h"),
        (dt.timedelta(minutes=59, seconds=40), "1 h"),
        (dt.timedelta(minutes=10, seconds=20), "10 min"),
        (dt.timedelta(minutes=-30), "-30 min"),
        (dt.timedelta(hours=-1, minutes=-30), "-1 h 30 min"),
        (dt.timedelta(hours=-2), "-2 h"),
    ],
)
def test_format_duration(duration: dt.timedelta, text: str) -> None:
    assert format_duration(duration) == text


# ---------------------------------------------------------------- the clock


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock.at_local(dt.datetime(2026, 5, 4, 11, 59), "Europe/Berlin")
    assert clock.now() == utc(2026, 5, 4, 9, 59)
    assert clock.now() == clock.now()
    clock.advance(dt.timedelta(minutes=2))
    assert local_now(clock).replace(tzinfo=None) == dt.datetime(2026, 5, 4, 12, 1)
    assert today(clock) == dt.date(2026, 5, 4)
    clock.advance(dt.timedelta(hours=12))
    assert today(clock) == dt.date(2026, 5, 5)
    clock.advance(-dt.timedelta(hours=12))
    assert today(clock) == dt.date(2026, 5, 4)


def test_manual_clock_at_a_repeated_local_time_is_the_first_occurrence() -> None:
    clock = ManualClock.at_local(wall(BERLIN_FALL, 2, 30), BERLIN)
    assert clock.now() == in_utc(to_instant(wall(BERLIN_FALL, 2, 30), BERLIN))
    assert clock.now() == utc(2026, 10, 25, 0, 30)
    clock.advance(HOUR)
    # An hour later the clock shows 02:30 again.
    assert to_wall(clock.now(), clock.zone()) == wall(BERLIN_FALL, 2, 30)


def test_changing_the_zone_moves_the_local_time_but_not_the_instant() -> None:
    clock = ManualClock(utc(2026, 5, 4, 22, 30), "Europe/Berlin")
    assert today(clock) == dt.date(2026, 5, 5)
    before = clock.now()
    clock.set_zone("America/New_York")
    assert clock.now() == before
    assert clock.zone() == NEW_YORK
    assert local_now(clock).replace(tzinfo=None) == dt.datetime(2026, 5, 4, 18, 30)
    assert today(clock) == dt.date(2026, 5, 4)


def test_manual_clock_set_and_rejects_naive_instants() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(dt.datetime(2026, 5, 4, 12, 0), BERLIN)
    clock = ManualClock(utc(2026, 1, 1), BERLIN)
    clock.set(dt.datetime(2026, 7, 1, 9, 0, tzinfo=NEW_YORK))
    assert clock.now() == utc(2026, 7, 1, 13, 0)
    assert clock.now().tzinfo is UTC


# ---------------------------------------------------------------- properties

ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Australia/Sydney",
    "America/St_Johns",
    "Pacific/Chatham",
    "Europe/Dublin",
    "America/Santiago",
    "Africa/Cairo",
    "America/Havana",
    "Asia/Kolkata",
    "UTC",
)
YEAR_START = dt.datetime(2026, 1, 1)
YEAR_END = dt.datetime(2026, 12, 31, 23, 59, 59)


@cache
def offset_changes(zone_name: str) -> tuple[dt.datetime, ...]:
    """Naive wall times around which the zone's offset changes in 2026, found by
    scanning UTC half-hours (independently of the code under test)."""
    zone = ZoneInfo(zone_name)
    found = []
    cursor = dt.datetime(2026, 1, 1, tzinfo=UTC) - dt.timedelta(days=1)
    step = dt.timedelta(minutes=30)
    previous = cursor.astimezone(zone).utcoffset()
    while cursor < dt.datetime(2027, 1, 2, tzinfo=UTC):
        cursor += step
        offset = cursor.astimezone(zone).utcoffset()
        if offset != previous:
            found.append(cursor.astimezone(zone).replace(tzinfo=None))
        previous = offset
    return tuple(found)


@st.composite
def zone_and_wall(draw: st.DrawFn) -> tuple[ZoneInfo, dt.datetime]:
    """A zone and a wall time in 2026, often within a few hours of a clock change."""
    name = draw(st.sampled_from(ZONES))
    changes = offset_changes(name)
    near_a_change = draw(st.booleans())
    if changes and near_a_change:
        near = draw(st.sampled_from(changes))
        seconds = draw(st.integers(min_value=-4 * 3600, max_value=4 * 3600))
        minute_aligned = draw(st.booleans())
        if minute_aligned:
            seconds -= seconds % 60
        return ZoneInfo(name), near + dt.timedelta(seconds=seconds)
    moment = draw(st.datetimes(min_value=YEAR_START, max_value=YEAR_END))
    return ZoneInfo(name), moment


@PROPERTY_SETTINGS
@given(zone_and_wall())
def test_property_existing_wall_times_round_trip(case: tuple[ZoneInfo, dt.datetime]) -> None:
    zone, moment = case
    instant = to_instant(moment, zone)
    assert instant.tzinfo is zone
    if wall_exists(moment, zone):
        assert to_wall(instant, zone) == moment
    else:
        # A wall time in a gap fires at the first valid instant after it: that
        # instant shows a later wall time, and one second earlier the clock
        # showed a time before ``moment``.
        assert to_wall(instant, zone) > moment
        assert to_wall(in_utc(instant) - dt.timedelta(seconds=1), zone) < moment
        assert not wall_is_repeated(moment, zone)


@PROPERTY_SETTINGS
@given(zone_and_wall())
def test_property_existence_and_repetition_agree_with_the_zone_rules(
    case: tuple[ZoneInfo, dt.datetime],
) -> None:
    zone, moment = case
    # The instants at which a clock in ``zone`` shows ``moment``, computed from
    # both readings of the wall time (fold 0 and 1).
    occurrences = {
        in_utc(moment.replace(tzinfo=zone, fold=fold))
        for fold in (0, 1)
        if to_wall(in_utc(moment.replace(tzinfo=zone, fold=fold)), zone) == moment
    }
    assert wall_exists(moment, zone) == bool(occurrences)
    assert wall_is_repeated(moment, zone) == (len(occurrences) == 2)
    if occurrences:
        assert in_utc(to_instant(moment, zone)) == min(occurrences)


@PROPERTY_SETTINGS
@given(zone_and_wall(), st.integers(min_value=0, max_value=6 * 3600))
def test_property_to_instant_is_monotonic(
    case: tuple[ZoneInfo, dt.datetime], later_by: int
) -> None:
    zone, first = case
    second = first + dt.timedelta(seconds=later_by)
    assert in_utc(to_instant(first, zone)) <= in_utc(to_instant(second, zone))


@PROPERTY_SETTINGS
@given(
    zone_and_wall(),
    st.integers(min_value=0, max_value=24 * 3600),
    st.integers(min_value=0, max_value=24 * 3600),
)
def test_property_real_duration_is_additive(
    case: tuple[ZoneInfo, dt.datetime], first_half: int, second_half: int
) -> None:
    zone, start = case
    middle = start + dt.timedelta(seconds=first_half)
    end = middle + dt.timedelta(seconds=second_half)
    whole = real_duration(start, end, zone)
    assert whole == real_duration(start, middle, zone) + real_duration(middle, end, zone)
    # Elapsed time never runs backwards and differs from the wall difference by
    # at most the clock changes inside the span (a few hours at most).
    assert whole >= dt.timedelta(0)
    assert abs(whole - (end - start)) <= dt.timedelta(hours=2)


@PROPERTY_SETTINGS
@given(
    st.sampled_from(ZONES), st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))
)
def test_property_clock_changes_explain_the_length_of_the_day(name: str, day: dt.date) -> None:
    zone = ZoneInfo(name)
    changes = clock_changes(day, zone)
    length = real_duration(day_start(day), day_end(day), zone)
    expected = dt.timedelta(hours=24)
    for change in changes:
        if change.kind is ClockChangeKind.SKIPPED:
            expected -= change.length
        else:
            expected += change.length
        assert day_start(day) <= change.wall_start < change.wall_end <= day_end(day)
        assert in_utc(to_instant(day_start(day), zone)) <= in_utc(change.instant)
        assert in_utc(change.instant) <= in_utc(to_instant(day_end(day), zone))
    assert length == expected
