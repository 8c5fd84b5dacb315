"""Run the real planner on the desktop rig with a clock set to a chosen time.

``python tests/desktop/app_driver.py DATA_DIR 2026-11-27T11:59:57 Europe/Berlin``
starts ML Day exactly as ``ml-day`` does (``run_gui``: window, store,
notifier, tray, delivery backends) except for the clock: it starts at the
given local time and then runs at real speed, so a block a few seconds ahead
starts for real, through the real timers. SIGTERM quits it.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from zoneinfo import ZoneInfo

from ml_day.gui.app import run_gui
from ml_day.logs import setup_logging
from ml_day.paths import resolve_paths


class RunningClock:
    """Real-speed time from a chosen starting instant (a test double for the
    wall clock: the rig cannot wait for lunch)."""

    def __init__(self, start: dt.datetime, zone: ZoneInfo) -> None:
        self._start = start.astimezone(dt.UTC)
        self._zone_info = zone
        self._started = time.monotonic()

    def now(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=time.monotonic() - self._started)

    def zone(self) -> ZoneInfo:
        return self._zone_info


def main(argv: list[str]) -> int:
    data_dir, start, zone_name = argv[1:4]
    zone = ZoneInfo(zone_name)
    clock = RunningClock(dt.datetime.fromisoformat(start).replace(tzinfo=zone), zone)
    paths = resolve_paths(data_dir)
    setup_logging(paths.log_file)
    return run_gui(paths, clock, argv[:1])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
