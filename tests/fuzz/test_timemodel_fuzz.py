"""The time model across every zone this machine knows, near their clock changes
(gaps and folds, whole skipped days, half-hour shifts) and at the ends of the
days a plan can hold."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from ml_day.core.blocks import FIRST_DAY, LAST_DAY
from ml_day.core.timemodel import (
    ClockChangeKind,
    clock_changes,
    day_end,
    day_start,
    real_duration,
    to_instant,
    to_wall,
    wall_exists,
    wall_is_repeated,
)
from tests.fuzz.strategies import ALL_ZONES, fuzz, transitions, utc, zone, zone_and_wall

SECOND = dt.timedelta(seconds=1)


@fuzz(weight=3)
@given(zone_and_wall())
def test_a_wall_time_means_its_first_occurrence_or_the_jump_after_it(
    case: tuple[ZoneInfo, dt.datetime],
) -> None:
    tz, wall = case
    instant = to_instant(wall, tz)
    shown = to_wall(instant, tz)
    if wall_exists(wall, tz):
        assert shown == wall
        # The first occurrence: a second earlier the clock did not show it yet
        # (or showed a time before it, in the first pass of a fold).
        assert to_wall(utc(instant) - SECOND, tz) < wall or wall_is_repeated(wall, tz)
        earliest = min(utc(wall.replace(tzinfo=tz, fold=fold)) for fold in (0, 1))
        assert utc(instant) == earliest
    else:
        # In a gap: the instant the clocks jump, which shows a later time; the
        # second before it shows an earlier one.
        assert shown > wall
        assert to_wall(utc(instant) - SECOND, tz) < wall
        assert any(abs(utc(instant) - change) <= SECOND for change in nearby_changes(tz, instant))


def nearby_changes(tz: ZoneInfo, instant: dt.datetime) -> list[dt.datetime]:
    year = instant.astimezone(dt.UTC).year
    return [
        change
        for y in (year - 1, year, year + 1)
        if 1 <= y <= 9998
        for change in transitions(str(tz.key), y)
    ]


@fuzz(weight=2)
@given(zone_and_wall(), st.integers(0, 30 * 3600), st.integers(0, 30 * 3600))
def test_real_durations_add_up_and_never_run_backwards(
    case: tuple[ZoneInfo, dt.datetime], first: int, second: int
) -> None:
    tz, start = case
    middle = start + dt.timedelta(seconds=first)
    end = middle + dt.timedelta(seconds=second)
    whole = real_duration(start, end, tz)
    assert whole == real_duration(start, middle, tz) + real_duration(middle, end, tz)
    assert whole >= dt.timedelta(0)
    assert real_duration(end, start, tz) == -whole
    # A clock change moves the clock by hours at most (a skipped day, in two zones).
    assert abs(whole - (end - start)) <= dt.timedelta(hours=25)


@fuzz(weight=2)
@given(st.sampled_from(ALL_ZONES), st.integers(1970, 2040), st.data())
def test_a_days_clock_changes_explain_its_length(name: str, year: int, data: st.DataObject) -> None:
    tz = zone(name)
    changes_in_year = transitions(name, year)
    on_a_change = data.draw(st.booleans(), label="a day with a change")
    if changes_in_year and on_a_change:
        instant = data.draw(st.sampled_from(changes_in_year), label="change")
        day = data.draw(
            st.sampled_from(
                sorted({(instant + delta).astimezone(tz).date() for delta in (-SECOND, SECOND)})
            ),
            label="day",
        )
    else:
        day = data.draw(st.dates(dt.date(year, 1, 1), dt.date(year, 12, 31)), label="day")
    changes = clock_changes(day, tz)
    begins, ends = utc(to_instant(day_start(day), tz)), utc(to_instant(day_end(day), tz))
    expected = dt.timedelta(hours=24)
    for change in changes:
        # It happens during the day, and the wall times it skips or repeats touch it.
        assert begins <= utc(change.instant) < ends
        assert change.wall_start < day_end(day) and change.wall_end > day_start(day)
        assert change.wall_start < change.wall_end
        message = change.describe()
        assert message.isprintable() and "\n" not in message
        if change.kind is ClockChangeKind.SKIPPED:
            expected -= change.length
            assert not wall_exists(change.wall_start, tz)
            assert wall_exists(change.wall_end, tz)
        else:
            expected += change.length
            assert wall_is_repeated(change.wall_start, tz)
    assert real_duration(day_start(day), day_end(day), tz) == expected


def test_clocks_going_back_just_after_midnight_change_the_day_after_it() -> None:
    """St. John's went back at 00:01 until 2011: 23:01-00:01 happened twice, and
    the second pass (an hour more) was lived on the Sunday, after its midnight."""
    tz = zone("America/St_Johns")
    saturday, sunday = dt.date(1987, 10, 24), dt.date(1987, 10, 25)
    assert clock_changes(saturday, tz) == []
    assert real_duration(day_start(saturday), day_end(saturday), tz) == dt.timedelta(hours=24)
    (change,) = clock_changes(sunday, tz)
    assert change.kind is ClockChangeKind.REPEATED
    assert (change.wall_start, change.wall_end) == (
        dt.datetime(1987, 10, 24, 23, 1),
        dt.datetime(1987, 10, 25, 0, 1),
    )
    assert real_duration(day_start(sunday), day_end(sunday), tz) == dt.timedelta(hours=25)


def test_clocks_going_forward_into_midnight_shorten_the_day_before_it() -> None:
    """Nuuk went forward at 23:00 on 30 March 2024, straight to midnight."""
    tz = zone("America/Nuuk")
    saturday, sunday = dt.date(2024, 3, 30), dt.date(2024, 3, 31)
    (change,) = clock_changes(saturday, tz)
    assert change.kind is ClockChangeKind.SKIPPED
    assert change.describe() == "Clocks go forward 1 hour: 23:00-00:00 does not happen today"
    assert real_duration(day_start(saturday), day_end(saturday), tz) == dt.timedelta(hours=23)
    assert clock_changes(sunday, tz) == []


@fuzz()
@given(st.sampled_from(ALL_ZONES), st.sampled_from((FIRST_DAY, LAST_DAY)))
def test_the_first_and_last_plannable_days_work_in_every_zone(name: str, day: dt.date) -> None:
    tz = zone(name)
    for wall in (day_start(day), day_end(day), day_start(day - dt.timedelta(days=1))):
        assert to_wall(to_instant(wall, tz), tz) >= wall
    clock_changes(day, tz)
    assert real_duration(day_start(day), day_end(day), tz) > dt.timedelta(0)
