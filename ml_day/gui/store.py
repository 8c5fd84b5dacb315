"""The Qt side of the plan: one object that reads and edits it and says what changed.

Widgets (the timeline, the window, later the tray) take the store in their
constructor and subscribe to its signals; none of them touches the database.
Before the database layer is loaded, the store can already answer "what is on
this day" from the quick read path, so the window paints at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from typing_extensions import override

from ml_day.core.blocks import Block, PlanError
from ml_day.core.editing import AppliedEdit, PlanEdit
from ml_day.paths import AppPaths

if TYPE_CHECKING:
    from ml_day.persistence.database import Database
    from ml_day.persistence.repository import PlanRepository

log = logging.getLogger("ml_day.store")

EXTERNAL_CHECK_DELAY_MS = 150
"""Let a burst of file events settle before reading the revision."""


class PlanStore(QObject):
    """The plan, as the widgets see it."""

    ready = Signal()
    """The database is open: edits are accepted from now on."""
    planChanged = Signal()
    """Something in the plan changed; views re-read what they show."""
    editFailed = Signal(str)
    """An edit was refused or could not be stored; the one-line reason."""

    def __init__(self, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self._database: Database | None = None
        self._plan: PlanRepository | None = None
        self._seen_revision = 0
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")

    @property
    def is_ready(self) -> bool:
        return self._plan is not None

    def quick_day(self, day: dt.date) -> list[Block] | None:
        """The day as stored (or as the template will fill it), read without the
        database layer; None if it cannot be read that way."""
        from ml_day.persistence.quick_read import read_day_quickly  # noqa: PLC0415

        quick = read_day_quickly(self.paths.database, day)
        return None if quick is None else quick.blocks

    def open(self) -> None:
        """Load the database layer and open the plan (creating it on first run).

        Raises :class:`ml_day.persistence.errors.StorageError` with a one-line
        message when the plan cannot be used.
        """
        if self._plan is not None:
            return
        from ml_day.persistence.database import Database  # noqa: PLC0415
        from ml_day.persistence.repository import PlanRepository  # noqa: PLC0415

        self._database = Database.open(self.paths.database)
        self._plan = PlanRepository(self._database)
        self._seen_revision = self._plan.revision()
        self._watch_file()
        log.info("plan open: %s", self.paths.database)
        self.ready.emit()

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
        self._database = None
        self._plan = None

    @property
    def plan(self) -> PlanRepository:
        if self._plan is None:
            msg = "the plan is not open yet"
            raise RuntimeError(msg)
        return self._plan

    def day_blocks(self, day: dt.date) -> list[Block]:
        """The blocks touching ``day``, filling a never-opened day from the template."""
        return self.plan.day_blocks(day)

    # ------------------------------------------------------------ editing
    def apply(self, edit: PlanEdit) -> AppliedEdit | None:
        """Store ``edit`` in one transaction and put it on the undo stack.

        Returns what was stored, once it is in the database; on a refusal or a
        storage failure nothing changes, ``editFailed`` says why, and None is
        returned.
        """
        applied = self.store_edit(edit)
        if applied is not None:
            self.undo_stack.push(_EditCommand(self, applied))
        return applied

    def store_edit(self, edit: PlanEdit) -> AppliedEdit | None:
        """Store ``edit`` without touching the undo stack (undo and redo use this)."""
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415

        if not edit.operations:
            return None
        try:
            applied = self.plan.apply(edit)
        except (PlanError, StorageError) as error:
            log.warning("edit %r refused: %s", edit.description, error)
            self.editFailed.emit(str(error))
            return None
        log.info("stored: %s", edit.description)
        self._seen_revision = self.plan.revision()
        self.planChanged.emit()
        return applied

    # ------------------------------------------------------------ other processes
    def _watch_file(self) -> None:
        """Notice edits made by other processes (the command line, another window).

        The file system tells us when the database or its write-ahead log
        changes (inotify: no polling); the plan's revision tells whether
        someone else made the change.
        """
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._file_touched)
        self._watcher.fileChanged.connect(self._file_touched)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(EXTERNAL_CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_for_external_changes)
        self._rewatch()

    def _rewatch(self) -> None:
        wanted = [str(self.paths.data_dir)] + [
            str(path)
            for path in (self.paths.database, self.paths.database.with_name(
                self.paths.database.name + "-wal"))
            if path.exists()
        ]  # fmt: skip
        missing = [
            path
            for path in wanted
            if path not in self._watcher.files() + self._watcher.directories()
        ]
        if missing:
            self._watcher.addPaths(missing)

    def _file_touched(self, _path: str) -> None:
        self._rewatch()
        self._check_timer.start()

    def check_for_external_changes(self) -> bool:
        """Re-read the plan's revision; if another process changed it, say so."""
        if self._plan is None:
            return False
        revision = self._plan.revision()
        if revision == self._seen_revision:
            return False
        log.info("the plan changed outside this window (revision %d)", revision)
        self._seen_revision = revision
        self.planChanged.emit()
        return True


class _EditCommand(QUndoCommand):
    """One stored edit on the undo stack; undo and redo are edits of their own."""

    def __init__(self, store: PlanStore, applied: AppliedEdit) -> None:
        super().__init__(applied.edit.description)
        self._store = store
        self._applied = applied
        self._done = True  # pushed after it was stored: the first redo() has nothing to do

    @override
    def redo(self) -> None:
        if self._done:
            return
        applied = self._store.store_edit(self._applied.redo())
        if applied is None:
            self.setObsolete(True)
            return
        self._applied = applied
        self._done = True

    @override
    def undo(self) -> None:
        applied = self._store.store_edit(self._applied.inverse())
        if applied is None:
            self.setObsolete(True)
            return
        self._done = False
