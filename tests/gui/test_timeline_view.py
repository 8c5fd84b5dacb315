"""The day timeline widget, driven through real Qt events on the offscreen platform."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPaintEvent, QPalette, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip
from typing_extensions import override

from ml_day.core.blocks import Block, Category
from ml_day.core.clock import ManualClock
from ml_day.core.timemodel import ClockChangeKind
from ml_day.gui.timeline.palette import block_colours, is_dark, timeline_colours
from ml_day.gui.timeline.view import (
    BLOCK_VERTICAL_INSET,
    BlockHit,
    BlockPart,
    TimelineView,
    ms_until_next_minute,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pytestqt.qtbot import QtBot

BERLIN = ZoneInfo("Europe/Berlin")
DAY = dt.date(2026, 11, 27)
NEXT_DAY = DAY + dt.timedelta(days=1)
SPRING_FORWARD = dt.date(2026, 3, 29)
FALL_BACK = dt.date(2026, 10, 25)

MEAL = Category(name="meal", colour="#e08a1e")
DEEP_WORK = Category(name="deep-work", colour="#6c4bd8")
MEETING = Category(name="meeting", colour="#d6453d")
SLEEP = Category(name="sleep", colour="#3c4a6b", silent=True)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def block(
    block_id: int,
    start: dt.datetime,
    end: dt.datetime,
    category: Category = DEEP_WORK,
    *,
    done: bool = False,
) -> Block:
    return Block(
        id=block_id,
        title=f"{category.name} {block_id}",
        category=category,
        start=start,
        end=end,
        done=done,
    )


def dark_palette() -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for colour_role, colour in (
        (role.Window, "#2b2d31"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#1f2023"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#34363b"),
        (role.ButtonText, "#e6e6e6"),
        (role.Highlight, "#4a90d9"),
    ):
        palette.setColor(colour_role, QColor(colour))
    return palette


def light_palette() -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for colour_role, colour in (
        (role.Window, "#efefef"),
        (role.WindowText, "#1a1a1a"),
        (role.Base, "#ffffff"),
        (role.Text, "#1a1a1a"),
        (role.Highlight, "#3a7bd5"),
    ):
        palette.setColor(colour_role, QColor(colour))
    return palette


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(at(10, 15), BERLIN)


class MakeView(Protocol):
    def __call__(
        self,
        blocks: Sequence[Block] = (),
        day: dt.date = DAY,
        *,
        width: int = 600,
        height: int = 700,
        palette: QPalette | None = None,
    ) -> TimelineView: ...


@pytest.fixture
def make_view(qtbot: QtBot, clock: ManualClock) -> MakeView:
    """A shown timeline of ``day`` with ``blocks``, 600x700 unless told otherwise."""

    def make(
        blocks: Sequence[Block] = (),
        day: dt.date = DAY,
        *,
        width: int = 600,
        height: int = 700,
        palette: QPalette | None = None,
    ) -> TimelineView:
        view = TimelineView(clock)
        qtbot.addWidget(view)
        if palette is not None:
            view.setPalette(palette)
        view.resize(width, height)
        view.set_day(day, blocks, BERLIN)
        view.show()
        qtbot.waitExposed(view)
        return view

    return make


def expected_top_and_bottom(
    view: TimelineView, start: dt.datetime, end: dt.datetime
) -> tuple[int, int]:
    """Viewport y of a block's first and last pixel rows, from the view's own scale."""
    scale, offset = view.scale(), view.verticalScrollBar().value()
    top = round(scale.y_of(start)) + BLOCK_VERTICAL_INSET - offset
    bottom = round(scale.y_of(end)) - BLOCK_VERTICAL_INSET - offset - 1
    return top, bottom


# ---------------------------------------------------------------- layout


def test_a_block_is_drawn_over_its_hours_right_of_the_gutter(
    make_view: MakeView,
) -> None:
    lunch = block(1, at(12), at(13), MEAL)
    view = make_view([lunch])
    view.verticalScrollBar().setValue(0)
    rect = view.block_rect(1)
    assert (rect.top(), rect.bottom()) == expected_top_and_bottom(view, at(12), at(13))
    assert rect.height() == 64 - 2 * BLOCK_VERTICAL_INSET
    assert view.gutter_width() < rect.left() < 20 + view.gutter_width()
    assert view.viewport().width() - 20 < rect.right() < view.viewport().width()
    assert view.block_rect(404) == QRect()
    assert view.hit_test(rect.center()) == BlockHit(1, BlockPart.BODY)


def test_block_rects_are_in_viewport_coordinates_and_follow_the_scroll(
    make_view: MakeView,
) -> None:
    view = make_view([block(1, at(12), at(13), MEAL)])
    view.verticalScrollBar().setValue(0)
    unscrolled = view.block_rect(1)
    view.verticalScrollBar().setValue(300)
    assert view.block_rect(1) == unscrolled.translated(0, -300)
    assert view.hit_test(view.block_rect(1).center()) == BlockHit(1, BlockPart.BODY)


def test_overlapping_blocks_sit_side_by_side_in_lanes(
    make_view: MakeView,
) -> None:
    long_one = block(1, at(10), at(12))
    overlapping = block(2, at(10, 30), at(11, 15), MEETING)
    later = block(3, at(13), at(14), MEAL)
    view = make_view([later, overlapping, long_one])
    lanes = {
        placed.segment.block.id: (placed.lane, placed.lane_count)
        for placed in view.placed_segments()
    }
    assert lanes == {1: (0, 2), 2: (1, 2), 3: (0, 1)}
    left, right, alone = (view.block_rect(block_id) for block_id in (1, 2, 3))
    assert left.right() < right.left(), "lanes must not overlap"
    assert right.left() - left.right() <= 8, "lanes are separated by a small gap"
    assert abs(left.width() - right.width()) <= 1
    assert alone.left() == left.left()
    assert alone.right() == right.right()
    assert (right.top(), right.bottom()) == expected_top_and_bottom(view, at(10, 30), at(11, 15))


def test_a_block_crossing_midnight_shows_its_part_on_each_day(
    make_view: MakeView,
) -> None:
    sleep = block(7, at(22, 30), at(6, 0, NEXT_DAY), SLEEP)
    first = make_view([sleep], DAY)
    second = make_view([sleep], NEXT_DAY)

    (evening,) = first.placed_segments()
    assert (evening.segment.start, evening.segment.end) == (at(22, 30), at(0, 0, NEXT_DAY))
    assert evening.segment.continues_to_next_day
    assert not evening.segment.continues_from_previous_day
    rect = first.block_rect(7)
    assert (rect.top(), rect.bottom()) == expected_top_and_bottom(
        first, at(22, 30), at(0, 0, NEXT_DAY)
    )

    (morning,) = second.placed_segments()
    assert (morning.segment.start, morning.segment.end) == (at(0, 0, NEXT_DAY), at(6, 0, NEXT_DAY))
    assert morning.segment.continues_from_previous_day
    rect = second.block_rect(7)
    assert (rect.top(), rect.bottom()) == expected_top_and_bottom(
        second, at(0, 0, NEXT_DAY), at(6, 0, NEXT_DAY)
    )
    # The cut edges are not the block's own edges: they cannot be grabbed.
    second.verticalScrollBar().setValue(0)
    assert second.hit_test(second.block_rect(7).topLeft() + QPoint(10, 1)) == BlockHit(
        7, BlockPart.BODY
    )
    assert second.hit_test(second.block_rect(7).bottomLeft() + QPoint(10, -1)) == BlockHit(
        7, BlockPart.BOTTOM_EDGE
    )


def test_hit_test_tells_the_edges_from_the_body(make_view: MakeView) -> None:
    view = make_view([block(1, at(9), at(11))])
    rect = view.block_rect(1)
    x = rect.center().x()
    assert view.hit_test(QPoint(x, rect.top() + 1)) == BlockHit(1, BlockPart.TOP_EDGE)
    assert view.hit_test(QPoint(x, rect.center().y())) == BlockHit(1, BlockPart.BODY)
    assert view.hit_test(QPoint(x, rect.bottom() - 1)) == BlockHit(1, BlockPart.BOTTOM_EDGE)
    assert view.hit_test(QPoint(x, rect.bottom() + 10)) is None
    assert view.hit_test(QPoint(view.gutter_width() // 2, rect.center().y())) is None


def test_blocks_fill_the_width_again_after_a_resize(make_view: MakeView) -> None:
    view = make_view([block(1, at(9), at(10))], width=400)
    narrow = view.block_rect(1)
    view.resize(800, 700)
    wide = view.block_rect(1)
    assert wide.left() == narrow.left()
    assert wide.width() == narrow.width() + 400
    assert (wide.top(), wide.bottom()) == (narrow.top(), narrow.bottom())


def test_set_day_keeps_the_selection_while_the_block_is_shown(
    make_view: MakeView, qtbot: QtBot
) -> None:
    lunch, call = block(1, at(12), at(13), MEAL), block(2, at(15), at(16), MEETING)
    view = make_view([lunch, call])
    view.set_selected_block(2)
    moved_call = block(2, at(16), at(17), MEETING)
    view.set_day(DAY, [lunch, moved_call], BERLIN)
    assert view.selected_block() == 2
    assert view.blocks() == [lunch, moved_call]
    with qtbot.waitSignal(view.selectionChanged) as blocker:
        view.set_day(NEXT_DAY, [lunch, moved_call], BERLIN)
    assert blocker.args == [-1]
    assert view.selected_block() == -1
    assert view.day() == NEXT_DAY
    assert view.placed_segments() == []


# ---------------------------------------------------------------- the now line


def test_the_now_line_sits_at_the_clocks_time(make_view: MakeView) -> None:
    view = make_view()
    view.verticalScrollBar().setValue(0)
    assert view.now_line_y() == round(view.scale().y_of(at(10, 15)))
    view.verticalScrollBar().setValue(200)
    assert view.now_line_y() == round(view.scale().y_of(at(10, 15))) - 200


def test_the_now_line_moves_when_the_clock_does(make_view: MakeView, clock: ManualClock) -> None:
    view = make_view()
    before = view.now_line_y()
    assert before is not None
    clock.advance(dt.timedelta(minutes=30))
    assert view.now_line_y() == before, "nothing moves until the refresh"
    view.refresh_now()
    assert view.now_line_y() == before + 32


def test_refresh_now_repaints_only_the_strip_around_the_line(
    make_view: MakeView, clock: ManualClock, qtbot: QtBot
) -> None:
    view = make_view()
    view.scroll_to_now()
    QApplication.processEvents()
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    old_y = view.now_line_y()
    clock.advance(dt.timedelta(minutes=1))
    view.refresh_now()
    new_y = view.now_line_y()
    qtbot.waitUntil(lambda: bool(spy.rects), timeout=2000)
    painted = QRect()
    for rect in spy.rects:
        painted = painted.united(rect)
    assert old_y is not None
    assert new_y is not None
    assert new_y == old_y + 1
    assert painted.top() < old_y - 2
    assert painted.bottom() > new_y + 2
    assert painted.width() == view.viewport().width()
    assert painted.height() < 50 < view.viewport().height()


def test_the_now_timer_is_armed_for_the_next_minute(
    make_view: MakeView, clock: ManualClock
) -> None:
    clock.advance(dt.timedelta(seconds=30, milliseconds=250))
    view = make_view()
    assert view.now_refresh_interval_ms() == ms_until_next_minute(clock.now())
    assert 29_750 <= ms_until_next_minute(clock.now()) <= 29_750 + 10
    clock.advance(dt.timedelta(seconds=29, milliseconds=750))
    view.refresh_now()
    assert 60_000 <= (view.now_refresh_interval_ms() or 0) <= 60_010
    view.hide()
    assert view.now_refresh_interval_ms() is None, "a hidden timeline does not wake up"


def test_there_is_no_now_line_on_another_day(make_view: MakeView) -> None:
    assert make_view(day=NEXT_DAY).now_line_y() is None
    assert make_view(day=DAY - dt.timedelta(days=1)).now_line_y() is None


def test_the_now_line_leaves_the_day_at_midnight(make_view: MakeView, clock: ManualClock) -> None:
    view = make_view()
    clock.set(dt.datetime.combine(DAY, dt.time(23, 59, 30), tzinfo=BERLIN))
    view.refresh_now()
    assert view.now_line_y() is not None
    clock.advance(dt.timedelta(minutes=1))
    view.refresh_now()
    assert view.now_line_y() is None


# ---------------------------------------------------------------- scrolling and zoom


def test_scroll_to_now_centres_the_now_line(make_view: MakeView) -> None:
    view = make_view(height=500)
    view.verticalScrollBar().setValue(0)
    view.scroll_to_now()
    now_y = view.now_line_y()
    assert now_y is not None
    assert abs(now_y - view.viewport().height() / 2) <= 1


def test_scroll_to_now_on_another_day_opens_at_its_first_block(
    make_view: MakeView,
) -> None:
    sleep = block(1, at(22, 30, DAY), at(6, 0, NEXT_DAY), SLEEP)
    gym = block(2, at(6, 0, NEXT_DAY), at(8, 0, NEXT_DAY))
    view = make_view([sleep, gym], NEXT_DAY, height=400)
    view.scroll_to_now()
    gym_rect = view.block_rect(2)
    assert 0 < gym_rect.top() < 64, "the first block starting on the day is near the top"
    empty = make_view([], NEXT_DAY, height=400)
    empty.scroll_to_now()
    seven = round(empty.scale().y_of(at(7, 0, NEXT_DAY))) - empty.verticalScrollBar().value()
    assert 0 < seven < 64


def test_scroll_to_now_before_the_first_show_is_done_once_shown(
    qtbot: QtBot, clock: ManualClock
) -> None:
    view = TimelineView(clock)
    qtbot.addWidget(view)
    view.set_day(DAY, [], BERLIN)
    view.scroll_to_now()
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    now_y = view.now_line_y()
    assert now_y is not None
    assert abs(now_y - view.viewport().height() / 2) <= 1


def test_ensure_time_visible_scrolls_only_when_needed(make_view: MakeView) -> None:
    view = make_view(height=400)
    bar = view.verticalScrollBar()
    bar.setValue(0)
    view.ensure_time_visible(at(2))
    assert bar.value() == 0
    view.ensure_time_visible(at(20))
    y = round(view.scale().y_of(at(20))) - bar.value()
    assert 0 < y < view.viewport().height()
    assert y > view.viewport().height() / 2, "scrolled as little as needed"


def test_the_whole_day_scrolls_with_the_vertical_scrollbar(
    make_view: MakeView,
) -> None:
    view = make_view(height=400)
    bar = view.verticalScrollBar()
    assert bar.maximum() == view.scale().content_height - view.viewport().height()
    assert bar.pageStep() == view.viewport().height()
    bar.setValue(bar.maximum())
    assert round(view.scale().bottom) - bar.value() < view.viewport().height()


def test_arrow_keys_scroll(make_view: MakeView, qtbot: QtBot) -> None:
    view = make_view(height=400)
    bar = view.verticalScrollBar()
    bar.setValue(100)
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert bar.value() == 100 + bar.singleStep()
    QTest.keyClick(view, Qt.Key.Key_Up)
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert bar.value() == 100 - bar.singleStep()
    QTest.keyClick(view, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    QTest.keyClick(view, Qt.Key.Key_Home)
    assert bar.value() == 0


NO_MODIFIER = Qt.KeyboardModifier.NoModifier


def click(view: TimelineView, pos: QPoint) -> None:
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos
    )


def double_click(view: TimelineView, pos: QPoint) -> None:
    QTest.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos
    )


def send_wheel(view: TimelineView, at_y: int, notches: int, modifiers: Qt.KeyboardModifier) -> None:
    position = QPointF(view.viewport().width() / 2, at_y)
    event = QWheelEvent(
        position,
        QPointF(view.viewport().mapToGlobal(position)),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_ctrl_wheel_zooms_around_the_pointer(make_view: MakeView) -> None:
    view = make_view([block(1, at(12), at(13), MEAL)], height=500)
    view.ensure_time_visible(at(12, 30))
    anchor = view.block_rect(1).center().y()
    send_wheel(view, anchor, 1, Qt.KeyboardModifier.ControlModifier)
    assert view.pixels_per_hour() == pytest.approx(64 * 1.15)
    rect = view.block_rect(1)
    assert abs(rect.height() - (64 * 1.15 - 2 * BLOCK_VERTICAL_INSET)) <= 1
    assert abs(rect.center().y() - anchor) <= 2, "the time under the pointer stays put"
    for _ in range(20):
        send_wheel(view, anchor, 1, Qt.KeyboardModifier.ControlModifier)
    assert view.pixels_per_hour() == 160
    for _ in range(40):
        send_wheel(view, anchor, -1, Qt.KeyboardModifier.ControlModifier)
    assert view.pixels_per_hour() == 32


def test_a_plain_wheel_scrolls_without_zooming(make_view: MakeView) -> None:
    view = make_view(height=400)
    bar = view.verticalScrollBar()
    bar.setValue(500)
    send_wheel(view, 100, -1, Qt.KeyboardModifier.NoModifier)
    assert bar.value() > 500
    assert view.pixels_per_hour() == 64


# ---------------------------------------------------------------- mouse


def test_a_click_selects_the_block_and_a_click_on_empty_time_clears_it(
    make_view: MakeView, qtbot: QtBot
) -> None:
    view = make_view([block(1, at(10), at(11)), block(2, at(13), at(14), MEAL)])
    view.ensure_time_visible(at(14))
    with qtbot.waitSignal(view.selectionChanged) as blocker:
        click(view, view.block_rect(2).center())
    assert blocker.args == [2]
    assert view.selected_block() == 2
    empty = QPoint(view.block_rect(2).center().x(), view.block_rect(2).top() - 20)
    assert view.hit_test(empty) is None
    with qtbot.waitSignal(view.selectionChanged) as blocker:
        click(view, empty)
    assert blocker.args == [-1]
    assert view.selected_block() == -1


def test_a_double_click_activates_the_block(make_view: MakeView, qtbot: QtBot) -> None:
    view = make_view([block(1, at(10), at(11)), block(2, at(10), at(12), MEETING)])
    with qtbot.waitSignal(view.blockActivated) as blocker:
        double_click(view, view.block_rect(2).center())
    assert blocker.args == [2]
    assert view.selected_block() == 2


def test_a_double_click_on_empty_time_activates_nothing(make_view: MakeView, qtbot: QtBot) -> None:
    view = make_view([block(1, at(10), at(11))])
    view.verticalScrollBar().setValue(0)
    activated: list[int] = []
    view.blockActivated.connect(activated.append)
    double_click(view, QPoint(300, 100))
    assert activated == []


def test_escape_clears_the_selection(make_view: MakeView, qtbot: QtBot) -> None:
    view = make_view([block(1, at(10), at(11))])
    view.set_selected_block(1)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_block() == -1


# ---------------------------------------------------------------- daylight saving


@pytest.mark.parametrize(
    ("day", "kind", "wording"),
    [
        (SPRING_FORWARD, ClockChangeKind.SKIPPED, "does not happen today"),
        (FALL_BACK, ClockChangeKind.REPEATED, "happens twice today"),
    ],
)
def test_a_daylight_saving_day_marks_the_affected_hour(
    make_view: MakeView, day: dt.date, kind: ClockChangeKind, wording: str
) -> None:
    view = make_view([], day)
    view.verticalScrollBar().setValue(0)
    ((change, band),) = view.clock_change_bands()
    assert change.kind is kind
    assert wording in change.describe()
    assert (change.wall_start, change.wall_end) == (at(2, 0, day), at(3, 0, day))
    assert band.top() == round(view.scale().y_of(at(2, 0, day)))
    assert band.bottom() == round(view.scale().y_of(at(3, 0, day))) - 1
    assert band.left() == view.gutter_width()
    assert band.right() == view.viewport().width() - 1
    assert change.describe() in view.accessibleDescription()


def test_the_band_is_painted_over_the_hour(make_view: MakeView) -> None:
    view = make_view([], SPRING_FORWARD, palette=light_palette())
    view.verticalScrollBar().setValue(0)
    ((_, band),) = view.clock_change_bands()
    image = grab(view)
    background = view.palette().color(QPalette.ColorRole.Base)
    row = band.top() + 5
    band_pixels = {image.pixelColor(x, row).rgb() for x in range(band.right() - 40, band.right())}
    assert background.rgb() not in band_pixels, "the band is tinted"
    assert len(band_pixels) >= 2, "the band is hatched"
    outside = image.pixelColor(band.right() - 20, band.bottom() + 20)
    assert outside.rgb() == background.rgb()


def test_an_ordinary_day_has_no_clock_change(make_view: MakeView) -> None:
    assert make_view([], DAY).clock_change_bands() == []


# ---------------------------------------------------------------- painting


def grab(view: TimelineView) -> QImage:
    return view.viewport().grab().toImage()


@pytest.mark.parametrize("palette_factory", [light_palette, dark_palette], ids=["light", "dark"])
def test_blocks_and_the_now_line_are_painted_in_their_colours(
    make_view: MakeView, palette_factory: Callable[[], QPalette]
) -> None:
    palette = palette_factory()
    view = make_view(
        [block(1, at(7), at(10), DEEP_WORK), block(2, at(11), at(14), MEAL, done=True)],
        palette=palette,
        height=900,
    )
    view.ensure_time_visible(at(7))
    view.ensure_time_visible(at(14))
    dark = is_dark(palette)
    image = grab(view)

    for block_id, category, done in ((1, DEEP_WORK, False), (2, MEAL, True)):
        centre = view.block_rect(block_id).center()
        expected = block_colours(category.colour, dark=dark, done=done).fill
        assert image.pixelColor(centre).rgb() == expected.rgb(), f"block {block_id}"

    now_y = view.now_line_y()
    assert now_y is not None
    now_colour = timeline_colours(view.palette()).now_line
    assert image.pixelColor(view.gutter_width() + 100, now_y).rgb() == now_colour.rgb()
    assert image.pixelColor(view.viewport().width() - 20, now_y + 20).rgb() == (
        palette.color(QPalette.ColorRole.Base).rgb()
    )


def test_dark_and_light_palettes_paint_different_fills(make_view: MakeView) -> None:
    light = make_view([block(1, at(9), at(12))], palette=light_palette())
    dark = make_view([block(1, at(9), at(12))], palette=dark_palette())
    for view in (light, dark):
        view.ensure_time_visible(at(9))
    light_fill = grab(light).pixelColor(light.block_rect(1).center())
    dark_fill = grab(dark).pixelColor(dark.block_rect(1).center())
    assert light_fill.lightnessF() > 0.5 > dark_fill.lightnessF()


def test_a_palette_change_repaints_in_the_new_colours(make_view: MakeView) -> None:
    view = make_view([block(1, at(9), at(12))], palette=light_palette())
    view.ensure_time_visible(at(9))
    view.setPalette(dark_palette())
    centre = view.block_rect(1).center()
    expected = block_colours(DEEP_WORK.colour, dark=True).fill
    assert grab(view).pixelColor(centre).rgb() == expected.rgb()


def test_a_selected_block_is_outlined_in_the_highlight_colour(
    make_view: MakeView,
) -> None:
    view = make_view([block(1, at(9), at(12))], palette=light_palette())
    view.ensure_time_visible(at(9))
    rect = view.block_rect(1)
    edge = QPoint(rect.right() - 1, rect.center().y())
    before = grab(view).pixelColor(edge)
    view.set_selected_block(1)
    after = grab(view).pixelColor(edge)
    assert before.rgb() != after.rgb()
    assert after.rgb() == view.palette().color(QPalette.ColorRole.Highlight).rgb()


def test_the_view_is_named_and_takes_keyboard_focus(make_view: MakeView) -> None:
    view = make_view()
    assert view.accessibleName() == "Day timeline"
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus


class PaintSpy(QObject):
    """Records the rectangles of the paint events a widget receives."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QPaintEvent):
            self.rects.append(QRect(event.rect()))
        return False


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_tooltip_shows_the_whole_title_escaped(make_view: MakeView) -> None:
    long_title = Block(
        id=5,
        title="Compare <b>baseline</b> metrics & write the report for the client " * 2,
        category=MEETING,
        start=at(22, 30),
        end=at(1, 0, NEXT_DAY),
        notes="line one\nline two",
    )
    view = make_view([long_title], width=300)
    view.ensure_time_visible(at(23))
    centre = view.block_rect(5).center()
    event = QHelpEvent(QEvent.Type.ToolTip, centre, view.viewport().mapToGlobal(centre))
    QApplication.sendEvent(view.viewport(), event)
    text = QToolTip.text()
    assert "Compare &lt;b&gt;baseline&lt;/b&gt; metrics &amp; write" in text
    assert "line one<br>line two" in text
    assert "2 h 30 min" in text
    QToolTip.hideText()
