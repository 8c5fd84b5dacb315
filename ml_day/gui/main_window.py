"""The planner window: one day's timeline with day navigation."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QDate, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from ml_day import APP_NAME, __version__
from ml_day.core.blocks import Block
from ml_day.core.clock import Clock, local_now, today
from ml_day.core.days import current_and_next
from ml_day.core.timemodel import clock_changes, day_end, to_instant
from ml_day.gui.store import PlanStore
from ml_day.gui.timeline import TimelineView

log = logging.getLogger("ml_day.gui")

MAX_TIMER_MS = 2**31 - 1 - 1000
"""QTimer intervals are signed 32-bit milliseconds; stay below the limit."""


def format_long_date(day: dt.date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


class MainWindow(QMainWindow):
    """Shows one day; Left/Right (PageUp/PageDown) change it, T comes back to today."""

    def __init__(
        self,
        store: PlanStore,
        clock: Clock,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._settings = settings
        self._day = today(clock)
        self._follow_today = True
        self._blocks: list[Block] = []

        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self.timeline = TimelineView(clock, self)
        self.timeline.setObjectName("timeline")

        self.previous_button = self._nav_button("◀", "Previous day (Left, Page Up)")
        self.next_button = self._nav_button("▶", "Next day (Right, Page Down)")
        self.today_button = QToolButton(self)
        self.today_button.setText("Today")
        self.today_button.setToolTip("Go to today (T)")
        self.today_button.setAccessibleName("Today")
        self.date_label = QLabel(self)
        self.date_label.setObjectName("dateLabel")
        heading = self.date_label.font()
        heading.setPointSizeF(heading.pointSizeF() * 1.35)
        heading.setBold(True)
        self.date_label.setFont(heading)
        self.date_picker = QDateEdit(self)
        self.date_picker.setCalendarPopup(True)
        self.date_picker.setDisplayFormat("yyyy-MM-dd")
        self.date_picker.setAccessibleName("Date")
        self.date_picker.setToolTip("Pick a day (Ctrl+G)")
        self.clock_change_label = QLabel(self)
        self.clock_change_label.setObjectName("clockChangeLabel")
        self.clock_change_label.setWordWrap(True)

        header = QHBoxLayout()
        header.addWidget(self.previous_button)
        header.addWidget(self.today_button)
        header.addWidget(self.next_button)
        header.addSpacing(12)
        header.addWidget(self.date_label, 1)
        header.addWidget(self.date_picker)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.addLayout(header)
        layout.addWidget(self.clock_change_label)
        layout.addWidget(self.timeline, 1)
        self.setCentralWidget(central)

        self.now_label = QLabel(self)
        self.now_label.setWordWrap(True)
        self.now_label.setAccessibleName("Now and next")
        self.statusBar().addWidget(self.now_label, 1)

        self.previous_button.clicked.connect(
            lambda: self.show_day(self._day - dt.timedelta(days=1))
        )
        self.next_button.clicked.connect(lambda: self.show_day(self._day + dt.timedelta(days=1)))
        self.today_button.clicked.connect(self.show_today)
        self.date_picker.dateChanged.connect(self._date_picked)
        self._build_menus()

        self._rollover_timer = QTimer(self)
        self._rollover_timer.setSingleShot(True)
        self._rollover_timer.timeout.connect(self._midnight_passed)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(self._update_now_status)

        store.planChanged.connect(self.reload)
        store.ready.connect(self.reload)
        self._restore_geometry()
        self.timeline.setFocus()

    # ------------------------------------------------------------ public
    @property
    def day(self) -> dt.date:
        return self._day

    def show_day(self, day: dt.date, blocks: list[Block] | None = None) -> None:
        """Show ``day``; ``blocks`` if given (first paint), else read from the store."""
        self._day = day
        self._follow_today = day == today(self._clock)
        if blocks is None:
            blocks = self._read_day(day)
        self._blocks = blocks
        zone = self._clock.zone()
        self.timeline.set_day(day, blocks, zone)
        self.date_label.setText(format_long_date(day))
        self.setWindowTitle(f"{format_long_date(day)} — {APP_NAME}")
        self.date_picker.blockSignals(True)
        self.date_picker.setDate(QDate(day.year, day.month, day.day))
        self.date_picker.blockSignals(False)
        changes = clock_changes(day, zone)
        self.clock_change_label.setText(" · ".join(change.describe() for change in changes))
        self.clock_change_label.setVisible(bool(changes))
        self.timeline.scroll_to_now()
        self._update_now_status()
        self._arm_rollover()

    def show_today(self) -> None:
        self.show_day(today(self._clock))

    def reload(self) -> None:
        """Re-read the shown day (after an edit or once the database is open)."""
        if not self._store.is_ready:
            return
        blocks = self._read_day(self._day)
        self._blocks = blocks
        self.timeline.set_day(self._day, blocks, self._clock.zone())
        self._update_now_status()

    # ------------------------------------------------------------ Qt
    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timeline.scroll_to_now()

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.sync()
        super().closeEvent(event)

    # ------------------------------------------------------------ internals
    def _nav_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (", maxsplit=1)[0])
        button.setAutoRaise(True)
        return button

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.previous_action = self._action(
            "&Previous day", [Qt.Key.Key_Left, Qt.Key.Key_PageUp], self.previous_button.click
        )
        self.next_action = self._action(
            "&Next day", [Qt.Key.Key_Right, Qt.Key.Key_PageDown], self.next_button.click
        )
        self.today_action = self._action("&Today", [Qt.Key.Key_T], self.show_today)
        self.go_to_action = self._action(
            "&Go to date…", [QKeySequence("Ctrl+G")], self._focus_date_picker
        )
        for action in (
            self.previous_action,
            self.next_action,
            self.today_action,
            self.go_to_action,
        ):
            view_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)

    def _action(self, text: str, keys: list[Qt.Key] | list[QKeySequence], slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _focus_date_picker(self) -> None:
        self.date_picker.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _date_picked(self, date: QDate) -> None:
        self.show_day(dt.date(date.year(), date.month(), date.day()))

    def _read_day(self, day: dt.date) -> list[Block]:
        if self._store.is_ready:
            return self._store.day_blocks(day)
        return self._store.quick_day(day) or []

    def _update_now_status(self) -> None:
        now = local_now(self._clock).replace(tzinfo=None)
        current, upcoming = current_and_next(self._blocks, now)
        parts = []
        if current is not None:
            parts.append(f"Now: {current.title} until {current.end:%H:%M}")
        if upcoming is not None:
            parts.append(f"Next: {upcoming.title} at {upcoming.start:%H:%M}")
        text = "  ·  ".join(parts) if self._day == now.date() else ""
        self.now_label.setToolTip(text)
        self.now_label.setText(text)
        # Refresh at the next minute boundary: one timer, no polling.
        seconds = 60 - self._clock.now().second
        self._status_timer.start(seconds * 1000)

    def _arm_rollover(self) -> None:
        """Wake at the next local midnight, so a window left open shows the new day."""
        midnight = to_instant(day_end(today(self._clock)), self._clock.zone())
        delay = midnight.astimezone(dt.UTC) - self._clock.now()
        milliseconds = max(1000, min(int(delay.total_seconds() * 1000) + 500, MAX_TIMER_MS))
        self._rollover_timer.start(milliseconds)

    def _midnight_passed(self) -> None:
        new_day = today(self._clock)
        if self._follow_today and new_day != self._day:
            log.info("the day changed; showing %s", new_day)
            self.show_day(new_day)
        else:
            self._arm_rollover()

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(560, 820)

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Plan your day as a timeline of blocks.",
        )
