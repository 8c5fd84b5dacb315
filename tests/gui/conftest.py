"""Qt tests run on the offscreen platform unless the environment picks another.

The fixtures most window tests share: a fresh data folder, a clock on Friday
27 November 2026 at 11:23 in Berlin, and a store on that folder (not opened:
each test opens it when its window is up). A module that needs another clock
or an opened store defines its own fixture of the same name.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ml_day.core.clock import ManualClock
from ml_day.paths import AppPaths, resolve_paths

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ml_day.gui.store import PlanStore


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return resolve_paths(tmp_path / "data")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock.at_local(dt.datetime(2026, 11, 27, 11, 23), "Europe/Berlin")


@pytest.fixture
def store(paths: AppPaths) -> Iterator[PlanStore]:
    plan_store = PlanStore(paths)
    yield plan_store
    plan_store.close()
