"""The planner window: one day's timeline with day navigation and editing.

Every edit, whatever made it (a drag on the timeline, a key, a menu, the block
editor), goes through :meth:`PlanStore.apply` as one :class:`PlanEdit`, so it
is saved at once and can be undone from the Edit menu. The window re-reads the
day whenever the store says the plan changed, including after edits made by
another process (the command line).

The window paints first and loads later: without a store it opens as its
frame around a :class:`DaySketch` of today, which loads in a fraction of the
timeline's time, and :meth:`MainWindow.complete` builds the rest once the
first paint is on screen. So this module imports only what that frame needs;
the timeline, the menus' collaborators and PySide6's ``Qt`` namespace (40 ms
of enums) are imported where they are first used.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSettings, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QHideEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ml_day import APP_NAME, __version__
from ml_day.core.blocks import FIRST_DAY, LAST_DAY, Block
from ml_day.core.clock import Clock, local_now, today, wall_now_quickly
from ml_day.core.days import current_and_next
from ml_day.core.timemodel import clock_changes, day_end, to_instant
from ml_day.gui.settings_keys import (
    CLOSE_TO_TRAY_KEY,
    SNAP_KEY,
    VISIBLE_HOURS_KEY,
    parse_visible_hours,
)
from ml_day.gui.timeline.sketch import DaySketch
from ml_day.overrides import override

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMenu

    from ml_day.core.editing import PlanEdit
    from ml_day.gui.banner import Banner
    from ml_day.gui.exchange import CalendarExchange
    from ml_day.gui.preferences import Preferences
    from ml_day.gui.recovery import UnsavedChangesBar
    from ml_day.gui.settings_dialog import SettingsDialog
    from ml_day.gui.store import PlanStore
    from ml_day.gui.timeline.view import TimelineView

log = logging.getLogger("ml_day.gui")

MAX_TIMER_MS = 2**31 - 1 - 1000
"""QTimer intervals are signed 32-bit milliseconds; stay below the limit."""

PUSH_MINUTES = (5, 15, 30, 60)
"""The "Push rest of day" menu's choices; P on the timeline pushes by 15."""
FAILURE_MESSAGE_MS = 15_000
"""How long "Not saved: ..." stays in the status bar."""


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def format_long_date(day: dt.date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


class MainWindow(QMainWindow):
    """Shows one day; Left/Right (PageUp/PageDown) change it, T comes back to today.

    The Edit menu undoes and redoes through the store's undo stack and acts on
    the timeline's selection; double-click or Enter on a block opens the
    :class:`BlockEditor`.
    """

    preferencesChanged = Signal(object)
    """The user saved new :class:`~ml_day.gui.preferences.Preferences` (already applied
    to the window; the notifier re-plans on it)."""
    hiddenToTray = Signal()
    """The window was closed while the tray keeps the app running."""
    quitRequested = Signal()
    """The user asked to quit the application (not just to close the window)."""

    timeline: TimelineView
    banner: Banner
    unsaved_bar: UnsavedChangesBar
    exchange: CalendarExchange

    def __init__(
        self,
        store: PlanStore | None,
        clock: Clock,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        sketched: Sequence[Block] = (),
    ) -> None:
        """The whole window on ``store``'s plan; or, with no store yet, the window's
        frame around a sketch of today with the ``sketched`` blocks (the first
        paint), which :meth:`complete` turns into the whole window."""
        super().__init__(parent)
        self._store: PlanStore | None = None
        self._clock = clock
        self._settings = settings
        self._close_to_tray = False
        self._keep_in_tray = settings.value(CLOSE_TO_TRAY_KEY, True, type=bool)
        self._quitting = False
        self._follow_today = True
        self._blocks: list[Block] = list(sketched)
        self._view_message = ""
        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self._build_frame()
        self._restore_geometry()
        self.sketch: DaySketch | None = None
        if store is not None:
            self._day = today(clock)
            self.complete(store)
            return
        wall_now = wall_now_quickly(clock)
        self._day = wall_now.date()
        self.sketch = DaySketch(
            self._day,
            self._blocks,
            wall_now,
            visible_hours=parse_visible_hours(settings.value(VISIBLE_HOURS_KEY)),
            parent=self,
        )
        self._layout.addWidget(self.sketch, 1)
        self._show_date(self._day)
        self._show_now_and_next(wall_now)

    def _build_frame(self) -> None:
        """What the window shows around the day: the day's buttons and date, the
        status line and the menu titles (their actions come with :meth:`complete`)."""
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
        self.date_picker.setDateRange(_qdate(FIRST_DAY), _qdate(LAST_DAY))
        self.date_picker.setAccessibleName("Date")
        self.date_picker.setToolTip("Pick a day (Ctrl+G)")
        self.clock_change_label = QLabel(self)
        self.clock_change_label.setObjectName("clockChangeLabel")
        self.clock_change_label.setWordWrap(True)
        self.clock_change_label.hide()

        header = QHBoxLayout()
        header.addWidget(self.previous_button)
        header.addWidget(self.today_button)
        header.addWidget(self.next_button)
        header.addSpacing(12)
        header.addWidget(self.date_label, 1)
        header.addWidget(self.date_picker)
        central = QWidget(self)
        self._layout = QVBoxLayout(central)
        self._layout.setContentsMargins(8, 8, 8, 0)
        self._layout.addLayout(header)
        self._layout.addWidget(self.clock_change_label)
        self.setCentralWidget(central)

        self.now_label = QLabel(self)
        self.now_label.setWordWrap(True)
        self.now_label.setAccessibleName("Now and next")
        self.statusBar().addWidget(self.now_label, 1)

        menus = self.menuBar()
        self.file_menu = menus.addMenu("&File")
        self.edit_menu = menus.addMenu("&Edit")
        self.view_menu = menus.addMenu("&View")
        self.help_menu = menus.addMenu("&Help")

        self._rollover_timer = QTimer(self)
        self._rollover_timer.setObjectName("rolloverTimer")
        self._rollover_timer.setSingleShot(True)
        self._rollover_timer.timeout.connect(self._midnight_passed)
        self._status_timer = QTimer(self)
        self._status_timer.setObjectName("statusTimer")
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(self._minute_passed)

    def complete(self, store: PlanStore) -> None:
        """Put the timeline where the sketch is and give the window its actions."""
        # Loaded now rather than with this module: the first paint does not wait for them.
        from ml_day.gui.banner import Banner  # noqa: PLC0415
        from ml_day.gui.preferences import saved_snap_minutes  # noqa: PLC0415
        from ml_day.gui.recovery import UnsavedChangesBar  # noqa: PLC0415
        from ml_day.gui.timeline.view import TimelineView  # noqa: PLC0415

        if self._store is not None:
            return
        self._store = store
        settings = self._settings
        self.timeline = TimelineView(self._clock, self)
        self.timeline.setObjectName("timeline")
        self.timeline.set_snap_minutes(saved_snap_minutes(settings))
        visible_hours = parse_visible_hours(settings.value(VISIBLE_HOURS_KEY))
        if visible_hours is not None:
            self.timeline.set_visible_hours(*visible_hours)
        self.timeline.set_editable(store.is_ready)
        # The sketched blocks stand for today until the plan is open.
        sketched = self.sketch is not None and self._day == today(self._clock)
        sketched_blocks = self._blocks if sketched and not store.is_ready else None
        self.banner = Banner(self)
        self.unsaved_bar = UnsavedChangesBar(self)
        layout = self._layout
        index = layout.indexOf(self.clock_change_label) + 1
        layout.insertWidget(index, self.banner)
        layout.insertWidget(index + 1, self.unsaved_bar)
        if self.sketch is not None:
            layout.replaceWidget(self.sketch, self.timeline)
            self.sketch.hide()
            self.sketch.deleteLater()
            self.sketch = None
        else:
            layout.addWidget(self.timeline, 1)
        layout.setStretchFactor(self.timeline, 1)

        self.previous_button.clicked.connect(
            lambda: self.show_day(self._day - dt.timedelta(days=1))
        )
        self.next_button.clicked.connect(lambda: self.show_day(self._day + dt.timedelta(days=1)))
        self.today_button.clicked.connect(self.show_today)
        self.date_picker.dateChanged.connect(self._date_picked)
        self._build_menus()
        # Keyboard order follows the screen: the day's buttons, the date, the day itself.
        chain = [
            self.previous_button,
            self.today_button,
            self.next_button,
            self.date_picker,
            self.timeline,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

        store.planChanged.connect(self.reload)
        store.ready.connect(self._plan_ready)
        store.editFailed.connect(self._edit_failed)
        store.unsavedChanged.connect(self.unsaved_bar.show_unsaved)
        self.unsaved_bar.retryRequested.connect(store.retry_unsaved)
        self.timeline.editRequested.connect(self.apply_edit)
        self.timeline.statusMessage.connect(self._show_view_message)
        self.timeline.blockActivated.connect(self.edit_block)
        self.timeline.selectionChanged.connect(self._update_edit_actions)
        self.show_day(today(self._clock), sketched_blocks)
        self._update_edit_actions()
        self.timeline.setFocus()

    @property
    def is_complete(self) -> bool:
        """Whether the timeline and the actions are there (see :meth:`complete`)."""
        return self._store is not None

    @property
    def store(self) -> PlanStore:
        if self._store is None:
            msg = "the window is not complete yet"
            raise RuntimeError(msg)
        return self._store

    # ------------------------------------------------------------ public
    @property
    def day(self) -> dt.date:
        return self._day

    def show_day(self, day: dt.date, blocks: list[Block] | None = None) -> None:
        """Show ``day``; ``blocks`` if given (first paint), else read from the store."""
        day = min(max(day, FIRST_DAY), LAST_DAY)  # the days a plan can hold
        self._day = day
        self._follow_today = day == today(self._clock)
        if blocks is None:
            blocks = self._read_day(day)
        self._blocks = blocks
        zone = self._clock.zone()
        self.timeline.set_day(day, blocks, zone)
        self.timeline.set_following_blocks(self._following_blocks(day))
        self._show_date(day)
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
        if self._store is None or not self._store.is_ready:
            return
        blocks = self._read_day(self._day)
        self._blocks = blocks
        self.timeline.set_day(self._day, blocks, self._clock.zone())
        self.timeline.set_following_blocks(self._following_blocks(self._day))
        self._update_now_status()
        self._update_edit_actions()

    def apply_edit(self, edit: PlanEdit) -> None:
        """Store ``edit`` (undoably); a block it creates becomes the selection.

        A refusal or a storage failure is reported by the store's
        ``editFailed`` and shown in the status bar.
        """
        from ml_day.core.editing import CreateBlock  # noqa: PLC0415

        if self._store is None or not self._store.is_ready:
            self.statusBar().showMessage(
                "Not saved: the plan is still being opened", FAILURE_MESSAGE_MS
            )
            return
        applied = self._store.apply(edit)
        if applied is None:
            return
        created = [
            after.id
            for operation, after in zip(edit.operations, applied.after, strict=True)
            if isinstance(operation, CreateBlock) and after is not None
        ]
        if created:
            self.timeline.set_selected_blocks(created)
        self._update_edit_actions()

    def edit_block(self, block_id: int) -> None:
        """Open the block editor on a shown block and store what the user saves."""
        # Loaded on first use: the window's first paint does not wait for it.
        from ml_day.core.editing import (  # noqa: PLC0415
            BlockOperation,
            DeleteBlock,
            PlanEdit,
            SetDone,
            UpdateBlock,
            describe,
        )
        from ml_day.gui.block_editor import DELETE_REQUESTED, BlockEditor  # noqa: PLC0415

        if self._store is None or not self._store.is_ready:
            return
        block = next((b for b in self.timeline.blocks() if b.id == block_id), None)
        if block is None:
            return
        editor = BlockEditor(
            block.draft(),
            categories=self._store.plan.categories(),
            zone=self._clock.zone(),
            done=block.done,
            deletable=True,
            parent=self,
        )
        result = editor.exec()
        accepted = result == editor.DialogCode.Accepted
        draft, done = (editor.draft(), editor.is_done()) if accepted else (None, None)
        editor.deleteLater()
        if result == DELETE_REQUESTED:
            self.apply_edit(PlanEdit(describe("Delete", [block]), (DeleteBlock(block.id),)))
            return
        if draft is None:
            return
        operations: list[BlockOperation] = []
        if draft != block.draft():
            operations.append(UpdateBlock(block.id, draft))
        if done is not None and done != block.done:
            operations.append(SetDone(block.id, done))
        if operations:
            self.apply_edit(PlanEdit(describe("Edit", [draft]), tuple(operations)))

    # ------------------------------------------------------------ Qt
    @override
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._store is None:
            return  # the sketch opens on now by itself
        self.timeline.scroll_to_now()
        self._minute_passed()  # back from the tray: the date or the zone may have changed

    @override
    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        # Hidden in the tray, the window wakes nobody: the tray keeps the time.
        self._status_timer.stop()
        # Qt's pixmap cache (the style's drawings) has a timer that wakes the app
        # every 10-30 s until the cache has drained; an emptied cache has none.
        from PySide6.QtGui import QPixmapCache  # noqa: PLC0415

        QPixmapCache.clear()

    @override
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._store is None or not self.exchange.drag_entered(event):
            super().dragEnterEvent(event)

    @override
    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._store is None or not self.exchange.drag_entered(event):
            super().dragMoveEvent(event)

    @override
    def dropEvent(self, event: QDropEvent) -> None:
        if self._store is None or not self.exchange.dropped(event):
            super().dropEvent(event)

    @override
    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.sync()
        if self._close_to_tray and self._keep_in_tray and not self._quitting:
            # The app lives on in the tray; quitting is explicit (File > Quit, tray menu).
            event.ignore()
            self.hide()
            self.hiddenToTray.emit()
            return
        if not self._quitting and not self._may_quit():
            event.ignore()  # closing would end the app with edits not saved yet
            return
        super().closeEvent(event)
        if self._close_to_tray and not self._quitting:
            # A tray is there but the user chose not to keep the app in it.
            self._quitting = True
            self.quitRequested.emit()

    def set_close_to_tray(self, enabled: bool) -> None:
        """A tray keeps the app running: closing the window hides it, unless the
        user turned that off in the preferences."""
        self._close_to_tray = enabled

    def open_preferences(self) -> SettingsDialog:
        """Show the Preferences dialog (non-modal, one at a time) and return it."""
        from PySide6.QtCore import Qt  # noqa: PLC0415

        from ml_day.gui.settings_dialog import SettingsDialog  # noqa: PLC0415

        existing = self.findChild(SettingsDialog, "settingsDialog")
        if existing is not None:
            existing.raise_()
            existing.activateWindow()
            return existing
        store = self._store
        categories = store.plan.categories() if store is not None and store.is_ready else []
        dialog = SettingsDialog(
            self._settings, categories, tray_available=self._close_to_tray, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self.apply_preferences)
        dialog.show()
        return dialog

    def apply_preferences(self, preferences: Preferences) -> None:
        """Use new preferences at once (they are already saved)."""
        self.set_snap_minutes(preferences.snap_minutes)
        if preferences.visible_hours is None:
            self.timeline.clear_visible_hours()
        elif preferences.visible_hours != self.timeline.visible_hours():
            self.timeline.set_visible_hours(*preferences.visible_hours)
        self._keep_in_tray = preferences.close_to_tray
        self.preferencesChanged.emit(preferences)

    def quit_application(self, *, ask: bool = True) -> None:
        """Quit for real: save the window's state, close, and end the event loop.

        With edits not saved yet, ``ask`` the user first (a signal does not ask).
        """
        if ask and not self._may_quit():
            return
        self._quitting = True
        self.close()
        self.quitRequested.emit()

    def _may_quit(self) -> bool:
        """Whether quitting may go on: yes, unless edits wait to be saved and the
        user, asked, prefers to stay."""
        from ml_day.gui.recovery import confirm_quit_unsaved  # noqa: PLC0415

        store = self._store
        return store is None or not store.unsaved_count or confirm_quit_unsaved(store, self)

    def bring_to_front(self) -> None:
        """Show the window again (from the tray, or a second launch)."""
        from PySide6.QtCore import Qt  # noqa: PLC0415

        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    # ------------------------------------------------------------ internals
    def _nav_button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (", maxsplit=1)[0])
        button.setAutoRaise(True)
        return button

    def _build_menus(self) -> None:
        from PySide6.QtCore import Qt  # noqa: PLC0415
        from PySide6.QtGui import QAction, QKeySequence  # noqa: PLC0415

        from ml_day.gui.exchange import CalendarExchange  # noqa: PLC0415

        file_menu = self.file_menu
        self.exchange = CalendarExchange(
            self, self.store, self._clock, self._settings, shown_day=lambda: self._day
        )
        self.exchange.message.connect(lambda text: self.statusBar().showMessage(text, 15_000))
        file_menu.addActions([self.exchange.import_action, self.exchange.export_action])
        file_menu.addSeparator()
        self._add_backup_actions(file_menu)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.quit_application)
        file_menu.addAction(quit_action)

        self._build_edit_menu()

        view_menu = self.view_menu
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
        view_menu.addSeparator()
        self._build_snap_menu(view_menu)

        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self._show_about)
        self.help_menu.addAction(about)

    def _add_backup_actions(self, file_menu: QMenu) -> None:
        from PySide6.QtGui import QAction  # noqa: PLC0415

        self.restore_backup_action = QAction("&Restore from backup…", self)
        self.restore_backup_action.setObjectName("restoreBackupAction")
        self.restore_backup_action.triggered.connect(self.restore_from_backup)
        file_menu.addAction(self.restore_backup_action)
        file_menu.addSeparator()

    def restore_from_backup(self) -> None:
        """File > Restore from backup…: choose a backup and replace the plan by it."""
        from ml_day.gui.backup_dialog import choose_backup  # noqa: PLC0415
        from ml_day.gui.recovery import restore_or_explain  # noqa: PLC0415

        store = self._store
        if store is None or not store.is_ready:
            return
        backup = choose_backup(store.paths.backups, self)
        if backup is None:
            return
        when = local_now(self._clock).replace(tzinfo=None)
        if restore_or_explain(store, self, backup, when):
            self.statusBar().showMessage(
                f"Restored the backup of {backup.label}", FAILURE_MESSAGE_MS
            )

    def _build_edit_menu(self) -> None:
        from PySide6.QtCore import Qt  # noqa: PLC0415
        from PySide6.QtGui import QAction, QKeySequence  # noqa: PLC0415

        menu = self.edit_menu
        stack = self.store.undo_stack
        self.undo_action = stack.createUndoAction(self, "Undo")
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = stack.createRedoAction(self, "Redo")
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
            menu.addAction(action)
        menu.addSeparator()

        # These act on the timeline's selection, so their keys work only while
        # the timeline itself has the focus: Enter and Delete in the date field,
        # or in a title being typed on the timeline, stay theirs.
        self.edit_block_action = self._timeline_action(
            "&Edit block…", ["Return", "Enter"], self._edit_selected
        )
        self.new_block_action = self._timeline_action(
            "&New block", ["N", "Ctrl+N"], self.timeline.begin_create
        )
        self.duplicate_action = self._timeline_action(
            "D&uplicate", ["Ctrl+D"], self.timeline.duplicate_selection
        )
        self.delete_action = self._timeline_action(
            "&Delete", ["Delete"], self.timeline.delete_selection
        )
        self.done_action = self._timeline_action(
            "&Mark done", ["Ctrl+Return", "Ctrl+Enter"], self._mark_done
        )
        self.done_action.setCheckable(True)
        for action in (
            self.edit_block_action,
            self.new_block_action,
            self.duplicate_action,
            self.delete_action,
            self.done_action,
        ):
            menu.addAction(action)

        self.push_menu = menu.addMenu("&Push rest of day")
        self.push_menu.setToolTip(
            "Move the flexible blocks after the selected one later, up to the next fixed block"
        )
        self.push_actions: dict[int, QAction] = {}
        for minutes in PUSH_MINUTES:
            keys = ["P"] if minutes == 15 else []
            action = self._timeline_action(
                f"By {minutes} minutes",
                keys,
                functools.partial(self.timeline.push_after_selection, minutes),
            )
            self.push_menu.addAction(action)
            self.push_actions[minutes] = action
        menu.addSeparator()
        self.preferences_action = QAction("Pr&eferences…", self)
        self.preferences_action.setObjectName("preferencesAction")
        self.preferences_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        if self.preferences_action.shortcut().isEmpty():
            self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        self.preferences_action.triggered.connect(self.open_preferences)
        menu.addAction(self.preferences_action)
        menu.aboutToShow.connect(self._update_edit_actions)

    def _build_snap_menu(self, view_menu: QMenu) -> None:
        from PySide6.QtGui import QAction, QActionGroup  # noqa: PLC0415

        from ml_day.core.editing import SNAP_STEPS_MINUTES  # noqa: PLC0415

        self.snap_menu = view_menu.addMenu("&Snap to")
        group = QActionGroup(self)
        group.setExclusive(True)
        current = self.timeline.snap_minutes()
        self.snap_actions: dict[int, QAction] = {}
        for minutes in SNAP_STEPS_MINUTES:
            action = QAction(f"{minutes} minutes", self)
            action.setCheckable(True)
            action.setChecked(minutes == current)
            action.setData(minutes)
            action.triggered.connect(lambda _checked=False, m=minutes: self.set_snap_minutes(m))
            group.addAction(action)
            self.snap_menu.addAction(action)
            self.snap_actions[minutes] = action

    def set_snap_minutes(self, minutes: int) -> None:
        """Snap drags to ``minutes`` from now on, and remember it."""
        self.timeline.set_snap_minutes(minutes)
        self.snap_actions[minutes].setChecked(True)
        self._settings.setValue(SNAP_KEY, minutes)
        self._settings.sync()

    def _timeline_action(self, text: str, keys: list[str], slot: Callable[[], object]) -> QAction:
        from PySide6.QtCore import Qt  # noqa: PLC0415
        from PySide6.QtGui import QAction, QKeySequence  # noqa: PLC0415

        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda: self._run_timeline_action(slot))
        self.timeline.addAction(action)
        return action

    def _run_timeline_action(self, slot: Callable[[], object]) -> None:
        # A widget shortcut follows the focus widget, which Qt does not check
        # against modality: while a dialog (the block editor) is up, say no.
        if QApplication.activeModalWidget() is None:
            slot()

    def _selected(self) -> list[Block]:
        ids = set(self.timeline.selected_blocks())
        return [block for block in self.timeline.blocks() if block.id in ids]

    def _update_edit_actions(self) -> None:
        ready = self.store.is_ready
        selected = self._selected() if ready else []
        self.new_block_action.setEnabled(ready)
        self.edit_block_action.setEnabled(len(selected) == 1)
        for action in (self.duplicate_action, self.delete_action, self.done_action):
            action.setEnabled(bool(selected))
        self.done_action.setChecked(bool(selected) and all(block.done for block in selected))
        self.push_menu.setEnabled(len(selected) == 1)
        for action in self.push_actions.values():
            action.setEnabled(len(selected) == 1)

    def _edit_selected(self) -> None:
        selected = self._selected()
        if len(selected) == 1:
            self.edit_block(selected[0].id)

    def _mark_done(self) -> None:
        self.timeline.mark_selection_done(self.done_action.isChecked())
        self._update_edit_actions()

    def _plan_ready(self) -> None:
        self.timeline.set_editable(True)
        self.reload()

    def _edit_failed(self, reason: str) -> None:
        self.statusBar().showMessage(f"Not saved: {reason}", FAILURE_MESSAGE_MS)
        self._view_message = ""

    def _show_view_message(self, text: str) -> None:
        """The timeline's hints and refusals; its "" clears only what it showed."""
        bar = self.statusBar()
        if text:
            bar.showMessage(text)
        elif self._view_message and bar.currentMessage() == self._view_message:
            bar.clearMessage()
        self._view_message = text

    def _action(self, text: str, keys: list[Qt.Key] | list[QKeySequence], slot: object) -> QAction:
        from PySide6.QtCore import Qt  # noqa: PLC0415
        from PySide6.QtGui import QAction, QKeySequence  # noqa: PLC0415

        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _focus_date_picker(self) -> None:
        from PySide6.QtCore import Qt  # noqa: PLC0415

        self.date_picker.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _date_picked(self, date: QDate) -> None:
        self.show_day(dt.date(date.year(), date.month(), date.day()))

    def _following_blocks(self, day: dt.date) -> list[Block]:
        """The next day's blocks, which a push past midnight must not run into."""
        store = self.store
        if not store.is_ready:
            return []
        return store.day_blocks(day + dt.timedelta(days=1))

    def _read_day(self, day: dt.date) -> list[Block]:
        store = self.store
        if store.is_ready:
            return store.day_blocks(day)
        return store.quick_day(day) or []

    def _show_date(self, day: dt.date) -> None:
        self.date_label.setText(format_long_date(day))
        self.setWindowTitle(f"{format_long_date(day)} — {APP_NAME}")
        self.date_picker.blockSignals(True)
        self.date_picker.setDate(_qdate(day))
        self.date_picker.blockSignals(False)

    def _update_now_status(self) -> None:
        self._show_now_and_next(local_now(self._clock).replace(tzinfo=None))

    def _show_now_and_next(self, now: dt.datetime) -> None:
        """Say what is on now and next (``now``: naive wall time), on today only."""
        current, upcoming = current_and_next(self._blocks, now)
        parts = []
        if current is not None:
            parts.append(f"Now: {current.title} until {current.end:%H:%M}")
        if upcoming is not None:
            parts.append(f"Next: {upcoming.title} at {upcoming.start:%H:%M}")
        text = "  ·  ".join(parts) if self._day == now.date() else ""
        self.now_label.setToolTip(text)
        self.now_label.setText(text)
        # Refresh at the next minute boundary: one timer, no polling, none while hidden.
        if self.isVisible():
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

    def _minute_passed(self) -> None:
        """The once-a-minute refresh. It also catches a date or a zone that changed
        with no midnight on the timers: Qt's timers stop while the machine sleeps,
        and a clock set back or a move to another zone changes the date at once."""
        if self._store is None:
            return  # the sketch is on screen for a moment only
        if self._follow_today and today(self._clock) != self._day:
            log.info("the date is now %s (clock or zone change); showing it", today(self._clock))
            self.show_today()
        elif self._clock.zone() != self.timeline.zone():
            log.info("the time zone is now %s; re-reading the day", self._clock.zone().key)
            self.show_day(self._day)
        else:
            self._update_now_status()

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(560, 820)

    def _show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # noqa: PLC0415

        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Plan your day as a timeline of blocks.",
        )
