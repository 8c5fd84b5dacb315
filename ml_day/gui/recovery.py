"""Keeping the plan recoverable: what the window does when storage lets it down.

* A damaged plan file is set aside (renamed beside itself with a timestamp,
  never deleted), a new plan is started, and a dialog offers the newest backup.
* A plan written by a newer ML Day is not damaged: a newer version can still
  read it, so it is left exactly as it is unless the user chooses, in the
  dialog, to set it aside and work on another plan here.
* Edits that cannot be written just now (disk full, read-only folder) are
  shown in a bar as unsaved, with a Retry button; the store retries by itself.
* A daily backup is taken once the plan is open and again after each midnight.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

from ml_day import APP_NAME
from ml_day.core.clock import Clock, local_now, today
from ml_day.core.timemodel import day_end, to_instant

if TYPE_CHECKING:
    from pathlib import Path

    from ml_day.gui.store import PlanStore
    from ml_day.persistence.backups import Backup, BackupContents
    from ml_day.persistence.errors import CorruptDatabaseError, NewerDatabaseError

log = logging.getLogger("ml_day.gui")

MAX_TIMER_MS = 2**31 - 1 - 1000
"""QTimer intervals are signed 32-bit milliseconds; stay below the limit."""
BACKUP_AFTER_MIDNIGHT_MS = 60_000
"""The day's backup is taken a minute into the new day."""


class Choice(enum.Enum):
    RESTORE = "restore"
    EMPTY = "empty"
    QUIT = "quit"


# ---------------------------------------------------------------- start-up
def recover_damaged_plan(
    store: PlanStore, parent: QWidget | None, clock: Clock, error: CorruptDatabaseError
) -> bool:
    """Set the damaged file aside, open a new plan, and offer the newest backup.

    Returns False only if the user chose to quit (or nothing could be opened).
    """
    from ml_day.persistence.backups import newest_usable_backup, set_aside  # noqa: PLC0415
    from ml_day.persistence.errors import StorageError  # noqa: PLC0415

    when = local_now(clock).replace(tzinfo=None)
    try:
        moved = set_aside(error.path, when, "damaged")
        store.open()
    except StorageError as failure:
        show_cannot_open(parent, str(failure), "ML Day will close.")
        return False
    log.error("the plan was damaged (%s); it was set aside as %s", error, moved)
    newest = newest_usable_backup(store.paths.backups)
    choice = ask_damaged(parent, error, moved, newest)
    if choice is Choice.QUIT:
        return False
    if choice is Choice.RESTORE and newest is not None:
        restore_or_explain(store, parent, newest[0], when)
    return True


def handle_newer_plan(
    store: PlanStore, parent: QWidget | None, clock: Clock, error: NewerDatabaseError
) -> bool:
    """Explain that a newer ML Day wrote the plan; by default change nothing and quit.

    The user may instead set it aside (kept whole, renamed beside itself) and
    start an empty plan here, or restore the newest backup this version reads.
    """
    from ml_day.persistence.backups import newest_usable_backup, set_aside  # noqa: PLC0415
    from ml_day.persistence.errors import StorageError  # noqa: PLC0415

    when = local_now(clock).replace(tzinfo=None)
    newest = newest_usable_backup(store.paths.backups)
    aside_name = f"{error.path.stem}-newer-schema-{when:%Y%m%d-%H%M%S}{error.path.suffix}"
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        f"{APP_NAME}: a newer ML Day wrote this plan",
        str(error),
        parent=parent,
    )
    box.setObjectName("storageErrorDialog")
    box.setInformativeText(
        "Nothing was changed. Update ML Day to keep working on this plan.\n\n"
        f"Or set it aside: it is renamed to {aside_name} in the same folder, "
        "kept whole for the newer ML Day, and this version starts another plan."
    )
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    restore_button = None
    if newest is not None:
        restore_button = box.addButton(
            f"Set it aside and restore the backup of {newest[0].label}",
            QMessageBox.ButtonRole.AcceptRole,
        )
    empty_button = box.addButton(
        "Set it aside and start an empty plan", QMessageBox.ButtonRole.ActionRole
    )
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)
    box.exec()
    clicked = box.clickedButton()
    restore = restore_button is not None and clicked is restore_button
    if not restore and clicked is not empty_button:
        return False
    try:
        moved = set_aside(error.path, when, "newer-schema")
        store.open()
    except StorageError as failure:
        show_cannot_open(parent, str(failure), "ML Day will close.")
        return False
    log.warning("the newer plan was set aside as %s at the user's request", moved)
    if restore and newest is not None:
        restore_or_explain(store, parent, newest[0], when)
    return True


def ask_damaged(
    parent: QWidget | None,
    error: CorruptDatabaseError,
    moved: Path,
    newest: tuple[Backup, BackupContents] | None,
) -> Choice:
    """The dialog after a damaged plan was set aside: restore, start empty, or quit."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        f"{APP_NAME}: the plan was damaged",
        "The plan file could not be read, so ML Day set it aside and started a new, empty plan.",
        parent=parent,
    )
    box.setObjectName("damagedPlanDialog")
    if newest is None:
        offer = "There is no backup to restore."
    else:
        backup, contents = newest
        offer = f"The newest backup is from {backup.label} ({contents.blocks} blocks)."
    box.setInformativeText(
        f"{offer}\n\nThe damaged file is kept, unchanged, as {moved}.\nWhat was wrong: {error}"
    )
    buttons: dict[Choice, QPushButton] = {}
    if newest is not None:
        buttons[Choice.RESTORE] = box.addButton(
            f"Restore the backup of {newest[0].label}", QMessageBox.ButtonRole.AcceptRole
        )
    buttons[Choice.EMPTY] = box.addButton(
        "Start with an empty plan", QMessageBox.ButtonRole.RejectRole
    )
    buttons[Choice.QUIT] = box.addButton("Quit", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(buttons.get(Choice.RESTORE, buttons[Choice.EMPTY]))
    # Closing the dialog keeps the new plan: nothing is lost, and File >
    # Restore from backup stays available.
    box.setEscapeButton(buttons[Choice.EMPTY])
    box.exec()
    clicked = box.clickedButton()
    for choice, button in buttons.items():
        if clicked is button:
            return choice
    return Choice.EMPTY


def restore_or_explain(
    store: PlanStore, parent: QWidget | None, backup: Backup, when: dt.datetime
) -> bool:
    """Restore ``backup``; on failure say why in a dialog. True if restored."""
    from ml_day.persistence.errors import StorageError  # noqa: PLC0415

    try:
        store.restore_backup(backup, when)
    except StorageError as error:
        log.error("restoring %s failed: %s", backup.path, error)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            f"{APP_NAME}: the backup was not restored",
            str(error),
            QMessageBox.StandardButton.Close,
            parent,
        )
        box.setObjectName("restoreFailedDialog")
        box.setInformativeText("The plan was left as it was.")
        box.exec()
        return False
    return True


def show_cannot_open(parent: QWidget | None, message: str, consequence: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        f"{APP_NAME}: cannot open the plan",
        message,
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setObjectName("storageErrorDialog")
    box.setInformativeText(consequence)
    box.exec()


# ---------------------------------------------------------------- unsaved edits
class UnsavedChangesBar(QFrame):
    """ "1 change not saved: <reason> — retrying", with a Retry button.

    Shown while the store holds edits it could not write; hidden once they are.
    """

    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unsavedChangesBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Unsaved changes")
        self.label = QLabel(self)
        self.label.setObjectName("unsavedLabel")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.retry_button = QPushButton("Retry now", self)
        self.retry_button.setObjectName("unsavedRetry")
        self.retry_button.clicked.connect(self.retryRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_unsaved(self, count: int, reason: str) -> None:
        if count == 0:
            self.label.clear()
            self.hide()
            return
        changes = "1 change" if count == 1 else f"{count} changes"
        text = f"{changes} not saved: {reason} — retrying"
        self.label.setText(text)
        self.setToolTip(text)
        self.show()


# ---------------------------------------------------------------- daily backups
class DailyBackups(QObject):
    """Takes the day's backup now and a minute after each local midnight.

    One single-shot timer armed for the next due instant (capped below Qt's
    limit); nothing polls.
    """

    def __init__(self, store: PlanStore, clock: Clock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self.timer = QTimer(self)
        self.timer.setObjectName("dailyBackupTimer")
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run)

    def run(self) -> None:
        """Take today's backup if it is not taken yet, and wait for the next day."""
        self._store.take_daily_backup(today(self._clock))
        midnight = to_instant(day_end(today(self._clock)), self._clock.zone())
        delay = midnight.astimezone(dt.UTC) - self._clock.now()
        milliseconds = int(delay.total_seconds() * 1000) + BACKUP_AFTER_MIDNIGHT_MS
        self.timer.start(max(1000, min(milliseconds, MAX_TIMER_MS)))

    def close(self) -> None:
        self.timer.stop()


def confirm_quit_unsaved(store: PlanStore, parent: QWidget | None) -> bool:
    """Ask before quitting with edits not saved yet; True to quit anyway.

    "Retry now" tries once more and quits only if everything got saved.
    """
    count = store.unsaved_count
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        f"{APP_NAME}: changes not saved",
        f"{'1 change is' if count == 1 else f'{count} changes are'} not saved yet.",
        parent=parent,
    )
    box.setObjectName("unsavedQuitDialog")
    box.setInformativeText("If you quit now, it is lost. ML Day keeps retrying while it runs.")
    retry = box.addButton("Retry now", QMessageBox.ButtonRole.AcceptRole)
    quit_anyway = box.addButton("Quit and lose it", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep running", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is retry:
        store.retry_unsaved()
        return store.unsaved_count == 0
    return clicked is quit_anyway
