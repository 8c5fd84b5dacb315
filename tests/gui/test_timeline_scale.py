"""TimeScale: the timeline's time <-> pixel arithmetic, tested without Qt."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import ml_day.gui.timeline.scale as scale_module
from ml_day.gui.timeline.scale import TimeScale

DAY = dt.date(2026, 11, 27)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def test_the_scale_module_imports_no_qt() -> None:
    tree = ast.parse(Path(scale_module.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported, "the parse found the imports"
    assert not [name for name in imported if name.startswith(("PySide6", "ml_day.gui"))]


def test_midnight_sits_at_the_top_margin_and_hours_are_evenly_spaced() -> None:
    scale = TimeScale(DAY, pixels_per_hour=64, top_margin=10)
    assert scale.y_of(at(0)) == 10
    assert scale.y_of(at(12, 30)) == 10 + 12.5 * 64
    assert scale.y_of(at(0, day=DAY + dt.timedelta(days=1))) == scale.bottom == 10 + 24 * 64
    assert scale.height == 24 * 64
    assert scale.content_height == 24 * 64 + 2 * 10


def test_times_off_the_day_lie_above_and_below_it() -> None:
    scale = TimeScale(DAY, pixels_per_hour=60, top_margin=0)
    assert scale.y_of(at(23, day=DAY - dt.timedelta(days=1))) == -60
    assert scale.y_of(at(1, day=DAY + dt.timedelta(days=1))) == 25 * 60


def test_wall_at_inverts_y_of_to_the_second() -> None:
    scale = TimeScale(DAY, pixels_per_hour=73.5, top_margin=7)
    for wall in (at(0), at(6, 45), at(13, 7), at(23, 59)):
        assert scale.wall_at(scale.y_of(wall)) == wall


def test_wall_at_is_clamped_to_the_day() -> None:
    scale = TimeScale(DAY, pixels_per_hour=64, top_margin=10)
    assert scale.wall_at(-500) == at(0)
    assert scale.wall_at(10 + 30 * 64) == at(0, day=DAY + dt.timedelta(days=1))


def test_wall_at_snaps_to_a_step() -> None:
    scale = TimeScale(DAY, pixels_per_hour=60, top_margin=0)
    assert scale.wall_at(9 * 60 + 7, snap=dt.timedelta(minutes=15)) == at(9, 0)
    assert scale.wall_at(9 * 60 + 8, snap=dt.timedelta(minutes=15)) == at(9, 15)
    with pytest.raises(ValueError, match="snap"):
        scale.wall_at(0, snap=dt.timedelta(0))


def test_span_keeps_only_the_part_on_the_day() -> None:
    scale = TimeScale(DAY, pixels_per_hour=64, top_margin=0)
    sleep_start, sleep_end = at(22, 30), at(6, 0, DAY + dt.timedelta(days=1))
    assert scale.span(sleep_start, sleep_end) == (22.5 * 64, 24 * 64)
    following = TimeScale(DAY + dt.timedelta(days=1), pixels_per_hour=64, top_margin=0)
    assert following.span(sleep_start, sleep_end) == (0, 6 * 64)
    assert scale.span(at(12), at(13)) == (12 * 64, 13 * 64)


@pytest.mark.parametrize("day", [dt.date(2026, 3, 29), dt.date(2026, 10, 25)])
def test_daylight_saving_days_are_still_24_wall_hours_tall(day: dt.date) -> None:
    ordinary = TimeScale(DAY, pixels_per_hour=64, top_margin=5)
    changing = TimeScale(day, pixels_per_hour=64, top_margin=5)
    assert changing.height == ordinary.height
    assert changing.y_of(at(14, day=day)) == ordinary.y_of(at(14))
    assert changing.y_of(at(3, day=day)) - changing.y_of(at(2, day=day)) == 64


def test_grid_and_hour_lines_cover_the_whole_day() -> None:
    scale = TimeScale(DAY, pixels_per_hour=40, top_margin=3)
    hours = list(scale.hour_lines())
    assert [hour for hour, _ in hours] == list(range(25))
    assert hours[0][1] == 3
    assert hours[-1][1] == 3 + 24 * 40
    half_hours = list(scale.grid_lines(dt.timedelta(minutes=30)))
    assert len(half_hours) == 49
    assert half_hours[1] == (at(0, 30), 3 + 20)


def test_durations_and_pixels_convert_both_ways() -> None:
    scale = TimeScale(DAY, pixels_per_hour=64, top_margin=0)
    assert scale.pixels_for(dt.timedelta(minutes=15)) == 16
    assert scale.duration_for(32) == dt.timedelta(minutes=30)


def test_zooming_keeps_the_day_and_margin() -> None:
    scale = TimeScale(DAY, pixels_per_hour=64, top_margin=9)
    zoomed = scale.with_pixels_per_hour(128)
    assert (zoomed.day, zoomed.top_margin, zoomed.pixels_per_hour) == (DAY, 9, 128)
    assert zoomed.y_of(at(1)) == 9 + 128
    assert "2026-11-27" in repr(zoomed)


@pytest.mark.parametrize("pixels_per_hour", [0, -3, float("nan"), float("inf")])
def test_a_scale_needs_a_positive_finite_zoom(pixels_per_hour: float) -> None:
    with pytest.raises(ValueError, match="pixels per hour"):
        TimeScale(DAY, pixels_per_hour=pixels_per_hour)


def test_aware_times_are_refused() -> None:
    scale = TimeScale(DAY)
    with pytest.raises(ValueError, match="naive"):
        scale.y_of(at(9).replace(tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="margin"):
        TimeScale(DAY, top_margin=-1)
