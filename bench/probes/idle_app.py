"""The real app, idling: ``python -m bench.probes.idle_app hidden|shown SECONDS DATA_DIR``.

Starts ML Day exactly as ``ml-day`` does (``run_gui``, the system clock, the
notifier and the tray icon object), waits until the start-up is over, then
either hides the window, which is what closing it to the tray does (the
offscreen platform has no tray host, so the window cannot be closed into
one), or leaves it shown, and measures for SECONDS (:mod:`bench.idle_meter`),
centred on the turn of a minute: the window holds exactly one, as a short
(quick) run would otherwise hold none.
Prints the figures as one JSON line, with ``strip_height``: the height of the
now line's strip, the most one of its repaints should cover.
"""

from __future__ import annotations

import datetime as dt
import math
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from bench.idle_meter import Figures, IdleMeter
from ml_day.core.clock import SystemClock
from ml_day.gui.app import create_application, run_gui
from ml_day.gui.main_window import MainWindow
from ml_day.gui.notifier import Notifier
from ml_day.logs import setup_logging
from ml_day.paths import resolve_paths

SETTLE_MS = 1000
"""After the notifier has started, let the start-up's last timers run out."""
POLL_MS = 200
CENTRED_FROM_S = 10


def main() -> int:
    mode, seconds, data_dir = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    paths = resolve_paths(data_dir)
    setup_logging(paths.log_file)
    app = create_application(sys.argv[:1])
    meter = IdleMeter(app)
    result: Figures = {}

    def window() -> MainWindow:
        return next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))

    def when_started() -> None:
        notifier = app.findChild(Notifier, "notifier")
        if notifier is None or not notifier.started:
            QTimer.singleShot(POLL_MS, when_started)
            return
        if mode == "hidden":
            window().hide()
        else:
            meter.watch_paints(window().timeline.viewport())
        QTimer.singleShot(_centred_delay_ms(seconds), lambda: meter.start(seconds, finished))

    def finished(figures: Figures) -> None:
        result.update(figures)
        timeline = window().timeline
        strip = timeline.now_strip()
        # One repaint covers the strip where the line was and where it is now.
        travel = math.ceil(timeline.pixels_per_hour() / 60) + 1
        result["strip_height"] = 0 if strip is None else strip.height() + travel
        result["viewport_height"] = timeline.viewport().height()
        window().quit_application(ask=False)
        QApplication.quit()

    QTimer.singleShot(POLL_MS, when_started)
    status = run_gui(paths, SystemClock(), sys.argv[:1])
    sys.stdout.write(f"{_json(result)}\n")
    return status


def _centred_delay_ms(seconds: float) -> int:
    """How long to wait (at least :data:`SETTLE_MS`) for a window of ``seconds``
    whose middle is the turn of a minute (a window of a few seconds, which only
    checks the machinery, does not wait)."""
    if seconds < CENTRED_FROM_S:
        return SETTLE_MS
    now = SystemClock().now()
    earliest = now + dt.timedelta(milliseconds=SETTLE_MS, seconds=seconds / 2)
    turn = earliest.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    start = turn - dt.timedelta(seconds=seconds / 2)
    return round((start - now).total_seconds() * 1000)


def _json(figures: Figures) -> str:
    import json  # noqa: PLC0415

    return json.dumps(figures)


if __name__ == "__main__":
    raise SystemExit(main())
