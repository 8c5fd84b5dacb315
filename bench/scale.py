"""Loading a day, switching days and committing an edit, with a small and a huge plan.

Both plans hold the same days around :data:`~bench.plans.REFERENCE_DAY` (the
built-in template's ten blocks a day); the large one holds a thousand times
more history. Each is opened by a real :class:`PlanStore` with a
:class:`MainWindow` on it, and the three operations alternate between the two
plans, so that a busy moment of the machine hits both:

* load a day: ``PlanStore.day_blocks`` of one of the 21 days around the reference day;
* switch days: ``MainWindow.show_day`` to one of them (reads the day and the next,
  lays out the timeline);
* commit an edit: ``PlanStore.apply`` of a move by five minutes (one transaction,
  synchronous to disk, then the window re-reads the day), and back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from bench.config import BenchConfig
from bench.environment import median
from bench.plans import REFERENCE_DAY, history_plan
from bench.table import Budget, Row
from ml_day.core.clock import ManualClock
from ml_day.core.editing import PlanEdit, UpdateBlock
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import PlanStore
from ml_day.paths import resolve_paths

ZONE = ZoneInfo("Europe/Berlin")
WARM_UP_ROUNDS = 3
NEARBY_DAYS = [REFERENCE_DAY + dt.timedelta(days=offset) for offset in range(-10, 11)]


@dataclasses.dataclass
class _Opened:
    blocks: int
    store: PlanStore
    window: MainWindow
    times: dict[str, list[float]]


def scale_rows(config: BenchConfig, cache: Path, work: Path) -> list[Row]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    small, large = config.scale_sizes
    opened = [_open(blocks, cache, work) for blocks in (small, large)]
    try:
        for round_number in range(WARM_UP_ROUNDS + config.scale_repeats):
            for plan in opened:
                _one_round(plan, round_number, timed=round_number >= WARM_UP_ROUNDS)
            app.processEvents()
    finally:
        for plan in opened:
            plan.window.deleteLater()
            plan.store.close()
    first, second = opened
    label = f"{second.blocks:,} vs {first.blocks:,} blocks stored"
    return [
        Row("scale", f"{what}, {label}", "ms", median(second.times[key]),
            median(first.times[key]), Budget(1.5))
        for key, what in (
            ("load", "load a day"),
            ("switch", "switch days"),
            ("commit", "commit an edit"),
        )
    ]  # fmt: skip


def _open(blocks: int, cache: Path, work: Path) -> _Opened:
    folder = history_plan(cache, blocks)
    store = PlanStore(resolve_paths(folder))
    store.open()
    clock = ManualClock.at_local(dt.datetime.combine(REFERENCE_DAY, dt.time(10, 0)), ZONE)
    settings = QSettings(str(work / f"scale-{blocks}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, clock, settings)
    window.show_day(REFERENCE_DAY)
    return _Opened(blocks, store, window, {"load": [], "switch": [], "commit": []})


def _one_round(plan: _Opened, round_number: int, *, timed: bool) -> None:
    day = NEARBY_DAYS[round_number % len(NEARBY_DAYS)]
    other = NEARBY_DAYS[(round_number * 7 + 3) % len(NEARBY_DAYS)]
    load = _timed(lambda: plan.store.day_blocks(day))
    switch = _timed(lambda: plan.window.show_day(other))
    block = next(itertools.islice(plan.store.day_blocks(REFERENCE_DAY), 3, None))
    draft = block.draft()
    later = dataclasses.replace(
        draft, start=draft.start + dt.timedelta(minutes=5), end=draft.end + dt.timedelta(minutes=5)
    )
    forth = _timed(lambda: plan.store.apply(PlanEdit("Move", (UpdateBlock(block.id, later),))))
    back = _timed(lambda: plan.store.apply(PlanEdit("Move", (UpdateBlock(block.id, draft),))))
    if timed:
        plan.times["load"].append(load)
        plan.times["switch"].append(switch)
        plan.times["commit"] += [forth, back]


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter_ns()
    action()
    return (time.perf_counter_ns() - started) / 1e6
