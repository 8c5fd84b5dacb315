"""The tray icon: what is under way, what comes next, and a menu to act on it.

Everything the tray shows (the two text lines, the menu, the painted icon) is
built by plain methods on :class:`TrayIcon`, so it works and can be tested
where no tray exists. The ``QSystemTrayIcon`` itself is created only when the
desktop has a tray host; without one the app keeps its window and the
notifier's other backends still deliver.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from ml_day import APP_NAME
from ml_day.core.blocks import Block
from ml_day.core.clock import Clock, local_now
from ml_day.core.editing import PlanEdit, SetDone
from ml_day.core.notifications import elapsed_fraction, next_line, now_line, short_name
from ml_day.core.timemodel import day_end, to_instant
from ml_day.gui.notifier import Notifier
from ml_day.gui.store import PlanStore
from ml_day.gui.tray.icon import status_icon

log = logging.getLogger("ml_day.tray")

SNOOZE_MINUTES = (5, 10, 15)
PAUSES = (("30 minutes", dt.timedelta(minutes=30)), ("1 hour", dt.timedelta(hours=1)))


def tray_available() -> bool:
    """Whether the desktop shows tray icons (never under the offscreen platform)."""
    return QSystemTrayIcon.isSystemTrayAvailable()


class TrayIcon(QObject):
    """The tray icon with now/next and the planner's quick actions.

    Refreshes when the notifier's view of the plan changes (after every edit,
    snooze or pause) and otherwise once a minute, on the minute, on the
    notifier's minute tick: the tray adds no wakeup of its own.
    """

    openPlannerRequested = Signal()
    """The user asked for the window (menu item, or a click on the icon)."""
    quitRequested = Signal()
    """The user chose Quit: the app should really end (closing the window does not)."""

    def __init__(
        self,
        store: PlanStore,
        clock: Clock,
        notifier: Notifier,
        parent: QObject | None = None,
        *,
        system_tray: bool | None = None,
    ) -> None:
        """``system_tray``: create the real tray icon (default: if a tray host is there)."""
        super().__init__(parent)
        self.setObjectName("trayIcon")
        self._store = store
        self._clock = clock
        self._notifier = notifier
        self._current: Block | None = None
        self._upcoming: Block | None = None
        self._colour: QColor | None = None
        self._progress: float | None = None
        self._closed = False

        self.menu = QMenu()
        self.menu.setObjectName("trayMenu")
        self._tooltip = APP_NAME
        self.now_action = self._header_action("Now: nothing planned")
        self.next_action = self._header_action("Next: nothing planned")
        self.menu.addSeparator()
        self.open_action = self._action("&Open planner", self.openPlannerRequested.emit)
        self.done_action = self._action("Mark current block &done", self.mark_current_done)
        self.snooze_menu = self.menu.addMenu("&Snooze")
        self.snooze_actions = []
        for minutes in SNOOZE_MINUTES:
            action = self.snooze_menu.addAction(f"{minutes} minutes")
            action.triggered.connect(lambda _=False, m=minutes: self._snooze(m))
            self.snooze_actions.append(action)
        self.pause_menu = self.menu.addMenu("&Pause notifications")
        self.pause_actions = []
        for label, length in PAUSES:
            action = self.pause_menu.addAction(label)
            action.triggered.connect(lambda _=False, d=length: self.pause_for(d))
            self.pause_actions.append(action)
        tomorrow = self.pause_menu.addAction("Until tomorrow")
        tomorrow.triggered.connect(self.pause_until_tomorrow)
        self.pause_actions.append(tomorrow)
        self.resume_action = self._action("&Resume notifications", notifier.resume)
        self.menu.addSeparator()
        self.quit_action = self._action("&Quit", self.quitRequested.emit)

        use_tray = tray_available() if system_tray is None else system_tray
        self.system_tray: QSystemTrayIcon | None = None
        if use_tray:
            self.system_tray = QSystemTrayIcon(self)
            self.system_tray.setContextMenu(self.menu)
            self.system_tray.activated.connect(self._activated)
        notifier.scheduleChanged.connect(self.refresh)
        notifier.minutePassed.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------ public
    def show(self) -> None:
        """Put the icon in the tray (if there is a tray)."""
        if self.system_tray is not None:
            self.system_tray.show()

    def close(self) -> None:
        """Take the icon out of the tray and drop the menu (before the app quits)."""
        if not self._closed:
            self._closed = True
            self._notifier.minutePassed.disconnect(self.refresh)
        if self.system_tray is not None:
            self.system_tray.hide()
        self.menu.deleteLater()

    @property
    def header_lines(self) -> tuple[str, str]:
        """ "Now: Deep work until 12:00 (37 min left)", "Next: Lunch with the team at 12:00"."""
        return self.now_action.text(), self.next_action.text()

    def tooltip(self) -> str:
        return self._tooltip

    def icon(self) -> QIcon:
        """The icon as painted now (category colour, progress arc)."""
        return status_icon(self._colour, self._progress)

    @property
    def icon_colour(self) -> QColor | None:
        """The current block's category colour; None when idle."""
        return self._colour

    @property
    def progress(self) -> float | None:
        """The elapsed part of the current block, 0.0-1.0; None when idle."""
        return self._progress

    def refresh(self) -> None:
        """Re-read now/next, update the text, the menu and the icon."""
        now = self._clock.now()
        zone = self._clock.zone()
        current, upcoming = self._notifier.current_and_next()
        self._current, self._upcoming = current, upcoming
        now_text = now_line(current, now, zone)
        next_text = next_line(upcoming, now, zone)
        self.now_action.setText(now_text)
        self.next_action.setText(next_text)
        paused = self._notifier.paused_until()
        lines = [APP_NAME, now_text, next_text]
        if paused is not None:
            lines.append(f"Notifications paused until {paused.astimezone(zone):%H:%M}")
        self._tooltip = "\n".join(lines)
        self.done_action.setEnabled(current is not None and not current.done)
        has_something = self._notifier.last_announcement is not None or current is not None
        for action in self.snooze_actions:
            action.setEnabled(has_something)
        self.resume_action.setVisible(paused is not None)
        if current is None:
            self._colour, self._progress = None, None
        else:
            self._colour = QColor(current.category.colour)
            self._progress = elapsed_fraction(current, now, zone)
        if self.system_tray is not None:
            self.system_tray.setIcon(self.icon())
            self.system_tray.setToolTip(self._tooltip)

    @property
    def minute_timer(self) -> QTimer:
        """The timer the tray refreshes on once a minute: the notifier's minute tick."""
        return self._notifier.minute_timer

    def mark_current_done(self) -> None:
        current = self._current
        if current is None or current.done:
            return
        edit = PlanEdit(f"Mark {short_name(current.title)} done", (SetDone(current.id, True),))
        self._store.apply(edit)

    def pause_for(self, length: dt.timedelta) -> None:
        self._notifier.pause(self._clock.now() + length)

    def pause_until_tomorrow(self) -> None:
        """Pause until the next local midnight."""
        zone = self._clock.zone()
        midnight = to_instant(day_end(local_now(self._clock).date()), zone)
        self._notifier.pause(midnight.astimezone(dt.UTC))

    # ------------------------------------------------------------ internals
    def _snooze(self, minutes: int) -> None:
        self._notifier.snooze(minutes)

    def _header_action(self, text: str) -> QAction:
        action = self.menu.addAction(text)
        action.setEnabled(False)
        return action

    def _action(self, text: str, slot: object) -> QAction:
        action = self.menu.addAction(text)
        action.triggered.connect(slot)
        return action

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.openPlannerRequested.emit()
