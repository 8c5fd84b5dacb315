"""Colours of the timeline: blocks from their category colour, the rest from the QPalette.

Block text always meets the WCAG contrast ratio for normal text (4.5:1): the
fill keeps the category's hue and is made lighter or darker until it does.

The sketch of the first paint uses these colours too, before PySide6's ``Qt``
namespace is loaded, so colours are copied with :meth:`QColor.toRgb` rather
than ``QColor(colour)``: choosing among that constructor's overloads builds
the namespace's enums (about 40 ms).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

MIN_TEXT_CONTRAST = 4.5
"""WCAG 2 AA contrast ratio for normal text."""

_WHITE = QColor("#ffffff")
_LIGHT_TEXT = QColor("#f4f5f7")
_DARK_TEXT = QColor("#16181d")
_DARK_BACKDROP = QColor("#1c1e22")


def mix(first: QColor, second: QColor, amount: float) -> QColor:
    """``first`` moved ``amount`` (0-1) of the way towards ``second``; alpha of ``first``."""
    keep = 1.0 - amount
    return QColor.fromRgbF(
        first.redF() * keep + second.redF() * amount,
        first.greenF() * keep + second.greenF() * amount,
        first.blueF() * keep + second.blueF() * amount,
        first.alphaF(),
    )


def with_alpha(colour: QColor, alpha: int) -> QColor:
    result = colour.toRgb()
    result.setAlpha(alpha)
    return result


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black - 1 white)."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    return (
        0.2126 * linear(colour.redF())
        + 0.7152 * linear(colour.greenF())
        + 0.0722 * linear(colour.blueF())
    )


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` draws light text on a dark background."""
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def _readable_fill(fill: QColor, text: QColor, minimum: float) -> QColor:
    """``fill``, moved away from ``text`` in steps until ``text`` reads on it."""
    away = _DARK_BACKDROP if relative_luminance(text) > 0.5 else _WHITE
    for step in range(21):
        candidate = mix(fill, away, step / 20)
        if contrast_ratio(candidate, text) >= minimum:
            return candidate
    return away.toRgb()


@dataclass(frozen=True, slots=True)
class BlockColours:
    """How one block is painted."""

    fill: QColor
    border: QColor
    accent: QColor
    """The strip down the block's left side, in the category colour."""
    text: QColor
    secondary_text: QColor
    """Times and markers: quieter than the title, as readable."""


def block_colours(category_colour: str, *, dark: bool, done: bool = False) -> BlockColours:
    """Colours for a block of ``category_colour`` (``#rrggbb``) on a light or dark palette.

    Light palettes get a pale tint of the category with dark text; dark
    palettes a deep shade with light text. Done blocks are washed out towards
    the background, their text still readable.
    """
    base = QColor(category_colour)
    if not base.isValid():
        base = QColor("#7f8c8d")
    if dark:
        backdrop, text = _DARK_BACKDROP, _LIGHT_TEXT
        fill = mix(base, backdrop, 0.62 if done else 0.45)
        border = mix(base, _WHITE, 0.15)
        accent = mix(base, _WHITE, 0.1)
    else:
        backdrop, text = _WHITE, _DARK_TEXT
        fill = mix(base, backdrop, 0.78 if done else 0.62)
        border = mix(base, _DARK_TEXT, 0.1)
        accent = base
    if done:
        border = mix(border, backdrop, 0.45)
        accent = mix(accent, backdrop, 0.45)
    fill = _readable_fill(fill, text, MIN_TEXT_CONTRAST)
    quieter = mix(text, fill, 0.3)
    secondary = quieter if contrast_ratio(quieter, fill) >= MIN_TEXT_CONTRAST else text
    return BlockColours(
        fill=fill, border=border, accent=accent, text=text, secondary_text=secondary
    )


@dataclass(frozen=True, slots=True)
class TimelineColours:
    """Everything on the timeline that is not a block."""

    background: QColor
    gutter: QColor
    hour_line: QColor
    half_hour_line: QColor
    label: QColor
    now_line: QColor
    now_label_text: QColor
    selection: QColor
    clock_change_fill: QColor
    clock_change_hatch: QColor
    clock_change_label_background: QColor
    clock_change_label_text: QColor


def timeline_colours(palette: QPalette) -> TimelineColours:
    """Grid, label and now-line colours that suit ``palette``, light or dark."""
    role = QPalette.ColorRole
    base = palette.color(role.Base)
    text = palette.color(role.Text)
    dark = is_dark(palette)
    now_line = QColor("#ff5c52") if dark else QColor("#d93025")
    amber = QColor("#f0a830") if dark else QColor("#c77700")
    label = mix(text, base, 0.35)
    if contrast_ratio(label, base) < MIN_TEXT_CONTRAST:
        label = text.toRgb()
    return TimelineColours(
        background=base,
        gutter=mix(base, text, 0.04),
        hour_line=mix(base, text, 0.2 if dark else 0.16),
        half_hour_line=mix(base, text, 0.09 if dark else 0.07),
        label=label,
        now_line=now_line,
        now_label_text=max((_WHITE, _DARK_TEXT), key=lambda c: contrast_ratio(c, now_line)),
        selection=palette.color(role.Highlight),
        clock_change_fill=with_alpha(amber, 40),
        clock_change_hatch=with_alpha(amber, 150),
        clock_change_label_background=mix(base, amber, 0.12),
        clock_change_label_text=text.toRgb(),
    )
