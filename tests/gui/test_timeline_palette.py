"""Timeline colours: block text stays readable on every category colour, light or dark."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QColor, QPalette

from ml_day.core.templates import parse_template_document
from ml_day.gui.timeline.palette import (
    MIN_TEXT_CONTRAST,
    block_colours,
    contrast_ratio,
    is_dark,
    mix,
    timeline_colours,
)
from ml_day.resources import read_resource_text

TEMPLATE_COLOURS = [
    category.colour
    for category in parse_template_document(
        json.loads(read_resource_text("templates/ml-engineer.json"))
    ).categories
]
EXTREMES = ["#000000", "#ffffff", "#ffff00", "#0000ff", "#808080"]


def palette_with(base: str, text: str) -> QPalette:
    palette = QPalette()
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        palette.setColor(role, QColor(base))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        palette.setColor(role, QColor(text))
    return palette


def test_contrast_ratio_matches_the_wcag_extremes() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21)
    assert contrast_ratio(QColor("#777777"), QColor("#777777")) == pytest.approx(1)


def test_mix_moves_between_two_colours() -> None:
    halfway = mix(QColor("#000000"), QColor("#ffffff"), 0.5)
    assert halfway.red() == halfway.green() == halfway.blue() in (127, 128)
    assert mix(QColor("#123456"), QColor("#ffffff"), 0).name() == "#123456"


@pytest.mark.parametrize("colour", TEMPLATE_COLOURS + EXTREMES)
@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("done", [False, True])
def test_block_text_is_readable_on_its_fill(colour: str, dark: bool, done: bool) -> None:
    colours = block_colours(colour, dark=dark, done=done)
    assert contrast_ratio(colours.text, colours.fill) >= MIN_TEXT_CONTRAST
    assert contrast_ratio(colours.secondary_text, colours.fill) >= MIN_TEXT_CONTRAST


def test_fills_follow_the_palette_and_keep_the_category_hue() -> None:
    light = block_colours("#2e9e5b", dark=False)
    dark = block_colours("#2e9e5b", dark=True)
    assert light.fill.lightnessF() > 0.5 > dark.fill.lightnessF()
    for fill in (light.fill, dark.fill):
        assert abs(fill.hslHueF() - QColor("#2e9e5b").hslHueF()) < 0.02


def test_done_blocks_are_washed_out_towards_the_background() -> None:
    for dark in (False, True):
        backdrop = QColor("#1c1e22") if dark else QColor("#ffffff")
        normal, done = (block_colours("#6c4bd8", dark=dark, done=flag) for flag in (False, True))
        assert contrast_ratio(done.fill, backdrop) < contrast_ratio(normal.fill, backdrop)


def test_an_invalid_colour_falls_back_to_grey() -> None:
    assert block_colours("not a colour", dark=False) == block_colours("#7f8c8d", dark=False)


def test_timeline_colours_suit_light_and_dark_palettes() -> None:
    light_palette = palette_with("#ffffff", "#1a1a1a")
    dark_palette = palette_with("#1f2023", "#e6e6e6")
    assert not is_dark(light_palette)
    assert is_dark(dark_palette)
    for palette in (light_palette, dark_palette):
        colours = timeline_colours(palette)
        base = palette.color(QPalette.ColorRole.Base)
        assert colours.background == base
        assert contrast_ratio(colours.label, base) >= MIN_TEXT_CONTRAST
        assert contrast_ratio(colours.now_label_text, colours.now_line) >= MIN_TEXT_CONTRAST
        assert contrast_ratio(colours.now_line, base) >= 3
        assert 1 < contrast_ratio(colours.hour_line, base) < contrast_ratio(colours.label, base)
        assert contrast_ratio(colours.half_hour_line, base) < contrast_ratio(
            colours.hour_line, base
        )
