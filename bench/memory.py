"""Memory that stays: more blocks on screen, and a long session of edits and undos.

Resident memory is read from ``/proc/self/status`` after a garbage collection
and ``malloc_trim`` (so that memory freed but kept by the allocator does not
count as growth), each time in the same state of the event loop.

* Shown blocks: the real window on a real plan shows a day of ``shown_blocks[0]``
  blocks, then a day of ``shown_blocks[1]`` blocks, each painted; the growth is
  the difference (measured after one round trip, so that one-time costs such
  as glyph caches are paid before).
* Edits with undo: ``edits`` stored edits through the store, as the window makes
  them: moves of the day's blocks, each undone from the undo stack (so half of
  them are moves and half their undos), the window re-reading the day after each.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import datetime as dt
import gc
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bench.config import BenchConfig
from bench.plans import REFERENCE_DAY, crowded_day, day_range, mark_days, open_plan
from bench.table import Applies, Budget, Row
from ml_day.core.clock import ManualClock
from ml_day.core.editing import PlanEdit, UpdateBlock
from ml_day.gui.first_paint import resident_kb
from ml_day.gui.main_window import MainWindow
from ml_day.gui.store import PlanStore
from ml_day.paths import resolve_paths

ZONE = ZoneInfo("Europe/Berlin")
FEW_DAY = REFERENCE_DAY
MANY_DAY = REFERENCE_DAY + dt.timedelta(days=3)
EVENTS_EVERY = 50
"""Let the event loop run (deferred deletions, repaints) every this many edits."""


def memory_rows(config: BenchConfig, work: Path) -> list[Row]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    few, many = config.shown_blocks
    folder = work / "memory-plan"
    shutil.rmtree(folder, ignore_errors=True)
    database, plan = open_plan(folder)
    try:
        mark_days(database, day_range(REFERENCE_DAY - dt.timedelta(days=2), 8))
        plan.bulk_insert(crowded_day(FEW_DAY, few))
        plan.bulk_insert(crowded_day(MANY_DAY, many))
    finally:
        database.close()
    store = PlanStore(resolve_paths(folder))
    store.open()
    clock = ManualClock.at_local(dt.datetime.combine(FEW_DAY, dt.time(10, 0)), ZONE)
    settings = QSettings(str(work / "memory.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, clock, settings)
    window.show()
    QTest.qWaitForWindowExposed(window)
    try:
        shown = _shown_growth(app, window)
        edited = _edits_growth(app, store, config.edits)
    finally:
        window.quit_application(ask=False)
        window.deleteLater()
        store.close()
    return [
        Row("memory", f"growth from {few:,} to {many:,} blocks shown", "MB", shown, None,
            Budget(5, Applies.VALUE)),
        Row("memory", f"growth over {config.edits:,} stored edits (moves and their undos)",
            "MB", edited, None, Budget(5, Applies.VALUE)),
    ]  # fmt: skip


def _show(app: QApplication, window: MainWindow, day: dt.date) -> None:
    window.show_day(day)
    window.timeline.viewport().repaint()
    app.processEvents()


def _shown_growth(app: QApplication, window: MainWindow) -> float:
    for day in (MANY_DAY, FEW_DAY):  # one round trip first: one-time costs are paid
        _show(app, window, day)
    before = settled_mb(app)
    _show(app, window, MANY_DAY)
    after = settled_mb(app)
    _show(app, window, FEW_DAY)
    return after - before


def _edits_growth(app: QApplication, store: PlanStore, edits: int) -> float:
    blocks = store.day_blocks(FEW_DAY)

    def edit_and_undo(index: int) -> None:
        block = blocks[index % len(blocks)]
        draft = block.draft()
        shift = dt.timedelta(minutes=5 if index % 2 else -5)
        moved = dataclasses.replace(draft, start=draft.start + shift, end=draft.end + shift)
        store.apply(PlanEdit("Move", (UpdateBlock(block.id, moved),)))
        store.undo_stack.undo()
        if index % EVENTS_EVERY == 0:
            app.processEvents()

    warm_up = min(EVENTS_EVERY, edits // 2)
    for index in range(warm_up):
        edit_and_undo(index)
    before = settled_mb(app)
    for index in range(edits // 2):
        edit_and_undo(index)
    return settled_mb(app) - before


def settled_mb(app: QApplication) -> float:
    """Resident memory once deferred deletions ran and freed memory went back."""
    app.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    _malloc_trim()
    return (resident_kb() or 0) / 1024


def _malloc_trim() -> None:
    name = ctypes.util.find_library("c")
    if name is None:
        return
    libc = ctypes.CDLL(name)
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)
