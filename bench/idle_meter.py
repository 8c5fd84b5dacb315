"""What a Qt process does while it waits: CPU time, wakeups and repaints.

Used inside the measured process (the app's idle probe and the empty
``QApplication`` floor), so that both are measured the same way:

* CPU time from ``time.process_time_ns`` (the kernel's exact per-process
  clock, not the 10 ms ticks of ``/proc/<pid>/stat``);
* wakeups: the main thread's voluntary context switches
  (``/proc/self/task/<tid>/status``): it sleeps in the event loop, so each one
  is a wakeup, whatever caused it (a timer, a socket, Qt's own timers);
* optionally, the paint events of one widget and the height of what they repainted.

With ``ML_DAY_BENCH_TIMERS=1`` it also lists which objects' timers fired
(through an application-wide event filter, which costs CPU of its own: the
first event of each Qt class reaching Python costs milliseconds, so this is
for finding a wakeup, not for measuring). The measurement ends by its own
timer, which is not counted.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QWidget
from typing_extensions import override

LIST_TIMERS_ENV = "ML_DAY_BENCH_TIMERS"

Figures = dict[str, object]


def voluntary_switches() -> int:
    """The calling thread's voluntary context switches (Linux), or -1."""
    status = Path(f"/proc/self/task/{threading.get_native_id()}/status")
    try:
        text = status.read_text(encoding="ascii")
    except OSError:
        return -1
    for line in text.splitlines():
        if line.startswith("voluntary_ctxt_switches:"):
            return int(line.split()[1])
    return -1


class IdleMeter(QObject):
    """Measures the application for ``seconds``, then calls ``done`` with the figures."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__()
        self._app = app
        self._list_timers = os.environ.get(LIST_TIMERS_ENV) == "1"
        self._timers: dict[str, int] = {}
        self._painted: QWidget | None = None
        self._paints: list[int] = []
        self._end = QTimer()
        self._end.setSingleShot(True)
        self._running = False
        self._seconds = 0.0
        self._done: Callable[[Figures], None] = lambda _figures: None
        self._cpu_ns = self._switches = self._started_ns = 0

    def watch_paints(self, widget: QWidget) -> None:
        """Also record the repaints of ``widget`` (their heights in pixels)."""
        self._painted = widget
        widget.installEventFilter(self)

    def start(self, seconds: float, done: Callable[[Figures], None]) -> None:
        """Measure for ``seconds`` from the next pass of the event loop."""
        self._seconds = seconds
        self._done = done
        self._end.timeout.connect(self._tick)
        # The first fire only begins: the call from Qt into Python is then as warm
        # (lazily loaded binding code) at the end as it is everywhere else.
        self._end.start(0)

    def _tick(self) -> None:
        if self._running:
            self._finish()
            return
        self._timers.clear()
        self._paints.clear()
        self._running = True
        if self._list_timers:
            self._app.installEventFilter(self)
        self._cpu_ns = time.process_time_ns()
        self._switches = voluntary_switches()
        self._started_ns = time.monotonic_ns()
        self._end.start(round(self._seconds * 1000))

    def _finish(self) -> None:
        cpu_ns = time.process_time_ns() - self._cpu_ns
        switches = voluntary_switches() - self._switches
        elapsed_ns = time.monotonic_ns() - self._started_ns
        self._running = False
        self._app.removeEventFilter(self)
        if self._painted is not None:
            self._painted.removeEventFilter(self)
        figures: Figures = {
            "seconds": elapsed_ns / 1e9,
            "cpu_ms": cpu_ns / 1e6,
            # The measurement's own end woke the thread once: not counted.
            "wakeups": max(switches - 1, 0),
            "repaints": len(self._paints),
            "max_repaint_height": max(self._paints, default=0),
        }
        if self._list_timers:
            figures["timers"] = dict(self._timers)
        self._done(figures)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._running:
            return False
        kind = event.type()
        if kind == QEvent.Type.Timer and watched is not self._end:
            owner = _describe(watched)
            self._timers[owner] = self._timers.get(owner, 0) + 1
        elif kind == QEvent.Type.Paint and watched is self._painted:
            assert isinstance(event, QPaintEvent)
            self._paints.append(event.region().boundingRect().height())
        return False


def _describe(receiver: QObject) -> str:
    """A timer's owner, for the record: its Qt class and name, and its parent's."""
    name = f"{receiver.metaObject().className()} {receiver.objectName()!r}"
    parent = receiver.parent()
    if parent is not None:
        name += f" in {parent.metaObject().className()} {parent.objectName()!r}"
    return name


def print_and_quit(app: QCoreApplication) -> Callable[[Figures], None]:
    """A ``done`` callback: print the figures as one JSON line, then quit ``app``."""

    def done(figures: Figures) -> None:
        sys.stdout.write(json.dumps(figures) + "\n")
        sys.stdout.flush()
        app.quit()

    return done
