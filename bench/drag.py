"""Dragging and repainting the timeline among many blocks, against bare prototypes.

The real window (a :class:`MainWindow` on a real plan database, fonts and
palette as the user gets them) shows one day of ``drag_blocks`` blocks, the
whole day in view. The prototypes (:mod:`bench.floors.paint_prototypes`) draw
the very same rectangles and titles in a window of the viewport's size.

* Per mouse move: a real press on a block, then real mouse moves (QTest, the
  way a mouse reaches the widget), ten steps of ten minutes down, ten up;
  each timed from the move to the end of the repaint it caused.
* Full repaint: the whole viewport painted at once (``QWidget.repaint``).
* Nothing touches the database until release: every SQL statement the plan's
  engine runs is counted, and the database files' sizes and times compared,
  from the press to just before the release.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, QRectF, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import event

from bench.config import BenchConfig
from bench.environment import median, percentile
from bench.floors.paint_prototypes import BarePaintPrototype, PrototypeBlock, StripDragPrototype
from bench.plans import REFERENCE_DAY, crowded_plan
from bench.table import Applies, Budget, Row
from ml_day.core.clock import ManualClock
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import PlanStore
from ml_day.gui.timeline.geometry import BlockFonts
from ml_day.gui.timeline.palette import block_colours, is_dark
from ml_day.gui.timeline.view import TimelineView
from ml_day.paths import resolve_paths

ZONE = ZoneInfo("Europe/Berlin")
PIXELS_PER_HOUR = 64
STEP_MINUTES = 10
"""Each mouse move goes this far: more than one snap step, so each one moves the block."""
STEPS_EACH_WAY = 10


def drag_rows(config: BenchConfig, work: Path) -> list[Row]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    day = REFERENCE_DAY
    plan = crowded_plan(work / "drag-plan", day, config.drag_blocks)
    store = PlanStore(resolve_paths(plan))
    store.open()
    clock = ManualClock.at_local(dt.datetime.combine(day, dt.time(3, 0)), ZONE)
    settings = QSettings(str(work / "drag-settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, clock, settings)
    try:
        return _measure(config, app, store, window, day)
    finally:
        window.quit_application(ask=False)
        window.deleteLater()
        store.close()


def _measure(
    config: BenchConfig, app: QApplication, store: PlanStore, window: MainWindow, day: dt.date
) -> list[Row]:
    timeline = window.timeline
    timeline.set_pixels_per_hour(PIXELS_PER_HOUR)
    window.show_day(day)
    window.show()
    QTest.qWaitForWindowExposed(window)
    _fit_whole_day(app, window)
    viewport = timeline.viewport()
    fonts = BlockFonts.derived_from(timeline.font())
    dark = is_dark(timeline.palette())
    scene = [
        PrototypeBlock(
            timeline.block_rect(placed.segment.block.id).toRectF(),
            QColor(block_colours(placed.segment.block.category.colour, dark=dark).fill),
            placed.segment.block.title,
        )
        for placed in timeline.placed_segments()
    ]
    bare = BarePaintPrototype(scene, fonts.title)
    # The drag prototype moves its blocks: it gets copies.
    moving = [PrototypeBlock(QRectF(block.rect), block.colour, block.title) for block in scene]
    strip = StripDragPrototype(moving, fonts.title)
    for prototype in (bare, strip):
        prototype.resize(viewport.size())
        prototype.show()
        QTest.qWaitForWindowExposed(prototype)
    app.processEvents()

    ours_paint, bare_paint = [], []
    for _ in range(config.full_repaints):
        ours_paint.append(_timed(viewport.repaint))
        bare_paint.append(_timed(bare.repaint))

    grabbed = _block_at_noon(timeline)
    start = timeline.block_rect(grabbed).center()
    watch = _DatabaseWatch(store)
    ours_moves, strip_moves = _drags((viewport, strip), start, config.drag_moves, watch)
    for prototype in (bare, strip):
        prototype.close()
        prototype.deleteLater()

    count = len(scene)
    return [
        _ratio_row(f"per mouse move among {count} blocks, median, vs a strip-repaint prototype",
                   median(ours_moves), median(strip_moves), 2.0),
        _ratio_row(f"per mouse move among {count} blocks, 95th percentile, vs the same",
                   percentile(ours_moves, 0.95), percentile(strip_moves, 0.95), 2.0),
        _ratio_row(f"full repaint of {count} blocks, median, vs a bare paintEvent",
                   median(ours_paint), median(bare_paint), 1.3),
        _ratio_row(f"full repaint of {count} blocks, 95th percentile, vs the same",
                   percentile(ours_paint, 0.95), percentile(bare_paint, 0.95), 1.3),
        Row(
            group="drag",
            figure="database statements and file changes from press to release",
            unit="",
            ours=float(watch.during_drag),
            floor=None,
            budget=Budget(0, Applies.VALUE),
            note=f"the release stored the move with {watch.at_release} SQL statements",
        ),
    ]  # fmt: skip


def _ratio_row(figure: str, ours: float, floor: float, limit: float) -> Row:
    return Row("drag", figure, "ms", ours, floor, Budget(limit))


def _fit_whole_day(app: QApplication, window: MainWindow) -> None:
    """Make the window tall enough that the timeline shows the whole day."""
    timeline = window.timeline
    bar = timeline.verticalScrollBar()
    for _ in range(5):
        if bar.maximum() == 0:
            break
        window.resize(window.width(), window.height() + bar.maximum() + 8)
        app.processEvents()
    bar.setValue(0)
    app.processEvents()


def _block_at_noon(timeline: TimelineView) -> int:
    """A block in the middle of the day, so that the drag has room both ways."""
    noon = dt.datetime.combine(REFERENCE_DAY, dt.time(12, 0))
    placed = min(timeline.placed_segments(), key=lambda p: abs(p.segment.block.start - noon))
    return placed.segment.block.id


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter_ns()
    action()
    return (time.perf_counter_ns() - started) / 1e6


def _drags(
    widgets: tuple[QWidget, QWidget], start: QPoint, moves: int, watch: _DatabaseWatch
) -> tuple[list[float], list[float]]:
    """Press at ``start`` in both widgets, then move both ``moves`` times, in turn
    (so that a busy moment of the machine hits both), timing each move and the
    repaint it caused; release. ``watch`` watches the first one's database."""
    step = round(PIXELS_PER_HOUR * STEP_MINUTES / 60)
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    point = QPoint(start.x(), start.y() + step)
    for widget in widgets:
        QTest.mousePress(widget, button, none, start)
        QTest.mouseMove(widget, point)  # starts the drag (past the drag distance): not timed
        QApplication.sendPostedEvents()
    watch.start()
    times: tuple[list[float], list[float]] = ([], [])
    for index in range(moves):
        down = (index // STEPS_EACH_WAY) % 2 == 0
        point = QPoint(point.x(), point.y() + (step if down else -step))
        for widget, samples in zip(widgets, times, strict=True):
            started = time.perf_counter_ns()
            QTest.mouseMove(widget, point)
            QApplication.sendPostedEvents()
            samples.append((time.perf_counter_ns() - started) / 1e6)
    watch.stop()
    for widget in widgets:
        QTest.mouseRelease(widget, button, none, point)
        QApplication.sendPostedEvents()
    watch.released()
    return times


class _DatabaseWatch:
    """Counts the SQL the plan's engine runs, and changes to its files."""

    def __init__(self, store: PlanStore) -> None:
        self._engine = store.plan.database.engine
        self._files = [store.paths.database, store.paths.database.with_name(
            store.paths.database.name + "-wal")]  # fmt: skip
        self._statements = 0
        self.during_drag = 0
        self.at_release = 0
        event.listen(self._engine, "before_cursor_execute", self._count)

    def _count(self, *_args: object) -> None:
        self._statements += 1

    def _stamp(self) -> list[tuple[int, int]]:
        stamps = []
        for path in self._files:
            try:
                stat = path.stat()
            except FileNotFoundError:
                stamps.append((-1, -1))
            else:
                stamps.append((stat.st_size, stat.st_mtime_ns))
        return stamps

    def start(self) -> None:
        self._statements = 0
        self._files_before = self._stamp()

    def stop(self) -> None:
        changed = sum(a != b for a, b in zip(self._files_before, self._stamp(), strict=True))
        self.during_drag = self._statements + changed
        self._statements = 0

    def released(self) -> None:
        self.at_release = self._statements
        event.remove(self._engine, "before_cursor_execute", self._count)
