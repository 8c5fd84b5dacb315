"""The first paint: a sketch of today where the timeline will be, then the whole window.

The window opens as its frame around a :class:`DaySketch` drawn from the quick
read path, and completes itself once the plan is open. These tests hold the
sketch to the timeline's geometry, drive the window through its completion,
and check, in a real process, that the first paint waits for nothing heavy.
"""

from __future__ import annotations

import builtins
import datetime as dt
import linecache
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from ml_day.core.blocks import BlockDraft
from ml_day.core.clock import ManualClock, SystemClock, local_now, wall_now_quickly
from ml_day.core.editing import CreateBlock, PlanEdit
from ml_day.gui.app import settings_for
from ml_day.gui.main_window import MainWindow
from ml_day.gui.plain_imports import plain_imports
from ml_day.gui.settings_keys import VISIBLE_HOURS_KEY
from ml_day.gui.store import PlanStore
from ml_day.gui.timeline import sketch as sketch_module
from ml_day.gui.timeline.palette import block_colours, timeline_colours
from ml_day.gui.timeline.sketch import DaySketch
from ml_day.overrides import override
from ml_day.paths import AppPaths
from ml_day.persistence.quick_read import read_day_quickly

FRIDAY = dt.date(2026, 11, 27)
SATURDAY = FRIDAY + dt.timedelta(days=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def prepare_plan(paths: AppPaths) -> None:
    """Friday filled from the template, plus a call beside lunch (two lanes) and a
    night run across midnight, as a previous session left it."""
    store = PlanStore(paths)
    store.open()
    store.day_blocks(FRIDAY)
    store.day_blocks(SATURDAY)
    for draft in (
        BlockDraft(
            title="Call with Ana",
            category="meeting",
            start=at(FRIDAY, 12, 15),
            end=at(FRIDAY, 12, 45),
        ),
        BlockDraft(
            title="Night training run",
            category="deep-work",
            start=at(FRIDAY, 23),
            end=at(SATURDAY, 1, 30),
        ),
    ):
        assert store.apply(PlanEdit(f"Add {draft.title}", (CreateBlock(draft),))) is not None
    store.close()


def sketched_window(qtbot: QtBot, paths: AppPaths, clock: ManualClock) -> MainWindow:
    """The window as the app first shows it: no store yet, today from the quick read."""
    quick = read_day_quickly(paths.database, FRIDAY)
    assert quick is not None
    window = MainWindow(None, clock, settings_for(paths), sketched=quick.blocks)
    qtbot.addWidget(window)
    window.resize(560, 820)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    QTest.qWait(0)  # the layout settles (the status line wraps to its height)
    return window


def complete_window(window: MainWindow, paths: AppPaths) -> PlanStore:
    """Open the plan and complete the window, as the app does after the first
    paint; the caller closes the store."""
    store = PlanStore(paths)
    store.open()
    window.complete(store)
    QTest.qWait(0)
    return store


@pytest.mark.parametrize("visible_hours", [None, "7-20"])
def test_the_sketch_puts_every_block_where_the_timeline_puts_it(
    qtbot: QtBot, paths: AppPaths, clock: ManualClock, visible_hours: str | None
) -> None:
    prepare_plan(paths)
    if visible_hours is not None:
        settings = settings_for(paths)
        settings.setValue(VISIBLE_HOURS_KEY, visible_hours)
        settings.sync()
    window = sketched_window(qtbot, paths, clock)
    sketch = window.sketch
    assert sketch is not None
    sketched = dict(sketch.block_rects())
    sketch_geometry = sketch.geometry()
    assert len(sketched) == 13  # the template's eleven, the call, and the run's first part

    store = complete_window(window, paths)
    timeline = window.timeline
    assert timeline.geometry() == sketch_geometry
    assert {block.id for block in timeline.blocks()} == set(sketched)
    for block_id, rect in sketched.items():
        assert timeline.block_rect(block_id) == rect.toRect(), block_id
    # Side by side: the call and lunch share the day's width in two lanes.
    call = next(b.id for b in timeline.blocks() if b.title == "Call with Ana")
    lunch = next(b.id for b in timeline.blocks() if b.title == "Lunch with the team")
    assert sketched[call].left() > sketched[lunch].right()
    store.close()


def test_the_window_looks_the_same_before_and_after_it_completes(
    qtbot: QtBot, paths: AppPaths, clock: ManualClock
) -> None:
    prepare_plan(paths)
    window = sketched_window(qtbot, paths, clock)
    before = window.grab().toImage()
    store = complete_window(window, paths)
    after = window.grab().toImage()
    assert (before.width(), before.height()) == (after.width(), after.height())
    points = [(x, y) for y in range(0, before.height(), 2) for x in range(0, before.width(), 2)]
    same = sum(before.pixel(x, y) == after.pixel(x, y) for x, y in points)
    # Only text antialiasing may differ here and there (the timeline wraps and
    # elides titles; these all fit on one line).
    assert same / len(points) > 0.99
    store.close()


def test_the_sketch_draws_the_now_line_and_the_blocks_in_the_timelines_colours(
    qtbot: QtBot, paths: AppPaths, clock: ManualClock
) -> None:
    prepare_plan(paths)
    window = sketched_window(qtbot, paths, clock)
    sketch = window.sketch
    assert sketch is not None
    image = sketch.grab().toImage()
    colours = timeline_colours(sketch.palette())
    gutter = sketch.fonts.gutter_width
    now_y = sketch.now_y()
    assert now_y is not None
    assert 0 < now_y < sketch.height()
    assert image.pixelColor(gutter + 30, round(now_y)).rgb() == colours.now_line.rgb()
    # The now line opens in the middle of the view, as the timeline opens.
    assert abs(now_y - sketch.height() / 2) <= 1
    # Inside "Deep work", away from its text: its fill.
    quick = read_day_quickly(paths.database, FRIDAY)
    assert quick is not None
    deep_work = next(b for b in quick.blocks if b.title.startswith("Deep work"))
    rect = dict(sketch.block_rects())[deep_work.id]
    fill = block_colours(deep_work.category.colour, dark=False).fill
    assert image.pixelColor(round(rect.right()) - 8, round(rect.bottom()) - 6).rgb() == fill.rgb()
    assert image.pixelColor(gutter + 30, round(rect.top()) - 30).rgb() != fill.rgb()


def test_the_sketch_of_another_day_has_no_now_line(qtbot: QtBot, clock: ManualClock) -> None:
    sketch = DaySketch(SATURDAY, [], local_now(clock).replace(tzinfo=None))
    qtbot.addWidget(sketch)
    sketch.resize(400, 600)
    sketch.show()
    qtbot.waitExposed(sketch)
    assert sketch.now_y() is None
    assert sketch.block_rects() == []
    assert not sketch.grab().isNull()


def test_the_window_completes_itself_in_place(
    qtbot: QtBot, paths: AppPaths, clock: ManualClock
) -> None:
    prepare_plan(paths)
    window = sketched_window(qtbot, paths, clock)
    complete_at_first = window.is_complete
    assert complete_at_first is False
    assert window.windowTitle() == "Friday, 27 November 2026 — ML Day"
    assert "Now: Deep work: code, data, experiments until 12:00" in window.now_label.text()
    assert window.file_menu.actions() == []
    with pytest.raises(RuntimeError, match="not complete"):
        _ = window.store
    # Keys do nothing yet: nothing is connected to a plan that is not open.
    QTest.keyClick(window, Qt.Key.Key_Right)
    assert window.day == FRIDAY

    store = complete_window(window, paths)
    assert window.is_complete
    assert window.sketch is None
    assert window.findChild(DaySketch) is None
    assert window.timeline.isVisible()
    assert window.timeline.hasFocus()
    assert window.file_menu.actions()
    assert window.now_label.text().startswith("Now: Deep work")
    QTest.keyClick(window.timeline, Qt.Key.Key_Right)
    assert window.day == SATURDAY
    window.complete(store)  # a second call changes nothing
    assert window.day == SATURDAY
    store.close()


def test_a_window_closed_before_it_is_complete_keeps_its_geometry(
    qtbot: QtBot, paths: AppPaths, clock: ManualClock
) -> None:
    prepare_plan(paths)
    window = sketched_window(qtbot, paths, clock)
    window.move(40, 50)
    window.close()
    assert QSettings(str(paths.settings), QSettings.Format.IniFormat).contains("window/geometry")


def test_the_alignment_numbers_are_qts_flags() -> None:
    middle = Qt.AlignmentFlag.AlignVCenter
    assert (Qt.AlignmentFlag.AlignLeft | middle).value == sketch_module.ALIGN_LEFT_MIDDLE
    assert (Qt.AlignmentFlag.AlignRight | middle).value == sketch_module.ALIGN_RIGHT_MIDDLE
    assert Qt.AlignmentFlag.AlignCenter.value == sketch_module.ALIGN_CENTER


def test_the_quick_wall_time_is_the_clocks() -> None:
    clock = ManualClock.at_local(dt.datetime(2026, 3, 29, 3, 30), "Europe/Berlin")
    assert wall_now_quickly(clock) == dt.datetime(2026, 3, 29, 3, 30)
    system = SystemClock()
    quick = wall_now_quickly(system)
    named = local_now(system).replace(tzinfo=None)
    assert abs(named - quick) < dt.timedelta(seconds=5)


@pytest.mark.parametrize("zone", ["America/St_Johns", "Asia/Kathmandu", "Europe/Berlin"])
def test_the_quick_wall_time_agrees_with_the_named_zone(zone: str) -> None:
    code = (
        "from ml_day.core.clock import SystemClock, local_now, wall_now_quickly\n"
        "clock = SystemClock()\n"
        "quick = wall_now_quickly(clock)\n"
        "named = local_now(clock).replace(tzinfo=None)\n"
        "print(abs((named - quick).total_seconds()) < 5, clock.zone().key)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=os.environ | {"TZ": zone},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", zone]


def test_plain_imports_skip_pysides_hook_and_put_it_back() -> None:
    hooked = builtins.__import__
    original = getattr(builtins, "__orig_import__", None)
    assert original is not None
    assert hooked is not original  # PySide6 is loaded in this process
    sys.modules.pop("colorsys", None)
    linecache.checkcache()
    with plain_imports():
        assert builtins.__import__ is original
        with plain_imports():  # nested: the outer block keeps the hook out
            assert builtins.__import__ is original
        import colorsys

        assert builtins.__import__ is original
    assert builtins.__import__ is hooked
    assert colorsys.__file__ not in linecache.cache
    # An import outside the block is read whole by the hook.
    sys.modules.pop("colorsys", None)
    import colorsys as again

    assert again.__file__ in linecache.cache


def test_override_marks_the_method() -> None:
    class Base:
        def name(self) -> str:
            return "base"

    class Child(Base):
        @override
        def name(self) -> str:
            return "child"

    assert Child().name() == "child"
    assert getattr(Child.name, "__override__", False) is True


def test_the_real_first_paint_waits_for_nothing_heavy(tmp_path: Path) -> None:
    """A real ``ml-day`` process, on a plan whose today is filled: by its first
    paint it has loaded no ORM, no timeline, no Qt namespace (see
    :data:`ml_day.gui.first_paint.LOADED_LATER`), and it goes on to open the plan."""
    data = tmp_path / "data"
    prepare_plan(AppPaths(data_dir=data, log_dir=data / "logs", chosen=True))
    env = os.environ | {
        "ML_DAY_DATA_DIR": str(data),
        "ML_DAY_REPORT_STARTUP": "1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-m", "ml_day"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = dict(line.partition(" ")[::2] for line in result.stdout.splitlines())
    assert report["first-paint-loaded"] == ""
    assert int(report["first-paint"]) < int(report["edits-accepted"]) < int(report["started"])
