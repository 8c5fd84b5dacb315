"""The first paint: what waits for it, and how the benchmark times it.

The window must show today before anything slow happens: the ORM alone takes
several hundred milliseconds to import. A zero-delay timer is not enough to
wait for the paint, because a window is painted when the window system
exposes it, which comes after timers already posted (always under X11, where
the server maps the window first). :func:`after_first_paint` waits for the
paint itself.

:func:`report_startup_if_asked` is the benchmark's instrument. With
``ML_DAY_REPORT_STARTUP=1`` the app prints these lines on stdout, then quits::

    first-paint 123456789012      (time.monotonic_ns() once today is painted)
    first-paint-loaded            (what the first paint should not have waited for,
                                   of LOADED_LATER, loaded by then: none, as here)
    edits-accepted 123456789012   (time.monotonic_ns() when the plan is open)
    started 123456789012          (time.monotonic_ns() once start-up has finished:
                                   the timeline in place, the notifier and tray on)
    rss-kb 98765                  (resident memory at that moment)

``time.monotonic_ns`` reads the system-wide monotonic clock, so the launcher
subtracts the instant it started the process. Without the variable nothing is
installed and nothing is printed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

from ml_day.overrides import override

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

REPORT_STARTUP_ENV = "ML_DAY_REPORT_STARTUP"
LOADED_LATER = (
    "sqlmodel",
    "sqlalchemy",
    "typing_extensions",
    "ml_day.gui.store",
    "ml_day.gui.timeline.view",
    "PySide6.QtNetwork",
)
"""Modules the first paint does without; the report names those loaded before it
(and ``Qt`` when PySide6 has built its ``Qt`` namespace, about 40 ms of enums)."""
FIRST_PAINT_FALLBACK_MS = 1000
"""Go on without the paint after this long (a window started minimised is never painted)."""


def after_first_paint(
    widget: QWidget, callback: Callable[[], None], *, fallback_ms: int = FIRST_PAINT_FALLBACK_MS
) -> None:
    """Call ``callback`` once, from the event loop, right after ``widget`` is first
    painted, or ``fallback_ms`` after now if it is not painted by then."""
    _AfterFirstPaint(widget, callback, fallback_ms)


class _AfterFirstPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None], fallback_ms: int) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        self._fallback = QTimer(self)
        self._fallback.setSingleShot(True)
        self._fallback.timeout.connect(self._fire)
        self._fallback.start(fallback_ms)
        widget.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self._widget:
            # Posted: the paint finishes (and reaches the screen) before the callback runs.
            QTimer.singleShot(0, self._fire)
            watched.removeEventFilter(self)
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        self._fallback.stop()
        self._widget.removeEventFilter(self)
        if callback is not None:
            callback()


def report_startup_if_asked(app: QApplication, painted: QWidget) -> StartupReport | None:
    """With ``ML_DAY_REPORT_STARTUP=1``, a report that prints when ``painted`` (the
    day) is first painted and when :meth:`StartupReport.edits_accepted` is
    called, then quits ``app``; else None."""
    if os.environ.get(REPORT_STARTUP_ENV) == "1":
        return StartupReport(app, painted)
    return None


def loaded_before_first_paint() -> list[str]:
    """Which of :data:`LOADED_LATER` (and the ``Qt`` namespace) are loaded now."""
    from PySide6 import QtCore  # noqa: PLC0415 - loaded already

    loaded = [name for name in LOADED_LATER if name in sys.modules]
    return [*loaded, "Qt"] if "Qt" in vars(QtCore) else loaded


def resident_kb() -> int | None:
    """The process's resident memory in KiB (Linux), or None where it cannot be read."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


class StartupReport(QObject):
    def __init__(self, app: QApplication, painted: QWidget) -> None:
        super().__init__(app)
        self._app = app
        self._painted_widget = painted
        self._painted = False
        self._ready = False
        painted.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint or watched is not self._painted_widget:
            return False
        watched.removeEventFilter(self)
        # Paint the day here, so that the time is taken once its blocks are
        # drawn rather than when the paint begins (as the floor's window does).
        handled = watched.event(event)
        self._say("first-paint", time.monotonic_ns())
        sys.stdout.write(f"first-paint-loaded {' '.join(loaded_before_first_paint())}\n")
        self._painted = True
        self._quit_when_done()
        return handled

    def edits_accepted(self) -> None:
        self._say("edits-accepted", time.monotonic_ns())
        self._ready = True
        self._quit_when_done()

    def _quit_when_done(self) -> None:
        if self._painted and self._ready:
            # After the rest of the start-up (notifier, tray) has run.
            QTimer.singleShot(0, self._finish)

    def _finish(self) -> None:
        self._say("started", time.monotonic_ns())
        self._say("rss-kb", resident_kb() or 0)
        self._app.quit()

    @staticmethod
    def _say(what: str, value: int) -> None:
        sys.stdout.write(f"{what} {value}\n")
        sys.stdout.flush()
