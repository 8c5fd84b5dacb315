"""The Qt side of the plan: one object that reads and edits it and says what changed.

Widgets (the timeline, the window, later the tray) take the store in their
constructor and subscribe to its signals; none of them touches the database.
Before the database layer is loaded, the store can already answer "what is on
this day" from the quick read path, so the window paints at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ml_day.core.blocks import UNCATEGORISED, Block, BlockDraft, Category, PlanError
from ml_day.core.days import overlaps_day
from ml_day.core.editing import (
    AppliedEdit,
    BlockOperation,
    CreateBlock,
    DeleteBlock,
    PlanEdit,
    RestoreBlock,
    SetDone,
    UpdateBlock,
)
from ml_day.overrides import override
from ml_day.paths import AppPaths

if TYPE_CHECKING:
    from ml_day.persistence.backups import Backup, RestoreOutcome
    from ml_day.persistence.database import Database
    from ml_day.persistence.repository import PlanRepository

log = logging.getLogger("ml_day.store")

EXTERNAL_CHECK_DELAY_MS = 150
"""Let a burst of file events settle before reading the revision."""
RETRY_DELAYS_MS = (2_000, 5_000, 10_000, 30_000, 60_000)
"""When to try an unsaved edit again: sooner at first, then once a minute."""
FIRST_UNSAVED_ID = -1_000_000
"""Blocks created by unsaved edits get ids from here down (the quick read's
template previews use small negative ids)."""


class PlanStore(QObject):
    """The plan, as the widgets see it."""

    ready = Signal()
    """The database is open: edits are accepted from now on."""
    planChanged = Signal()
    """Something in the plan changed; views re-read what they show."""
    editFailed = Signal(str)
    """An edit was refused or could not be stored; the one-line reason."""
    unsavedChanged = Signal(int, str)
    """How many edits wait to be saved (0: all are saved), and why the last try failed."""

    def __init__(self, paths: AppPaths, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self._database: Database | None = None
        self._plan: PlanRepository | None = None
        self._seen_revision = 0
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("undoStack")
        # Edits that could not be written (disk full, folder read-only, the
        # file busy): shown as unsaved, retried in order, never dropped silently.
        self._unsaved: list[_UnsavedEdit] = []
        self._unsaved_reason = ""
        self._saved_ids: dict[int, int] = {}
        """Temporary id of a block created while unsaved -> its id once stored."""
        self._next_unsaved_id = FIRST_UNSAVED_ID
        self._retries = 0
        self._retry_timer = QTimer(self)
        self._retry_timer.setObjectName("unsavedRetryTimer")
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self.retry_unsaved)

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
        self._open_database()
        self._watch_file()
        log.info("plan open: %s", self.paths.database)
        self.ready.emit()

    def _open_database(self) -> None:
        from ml_day.persistence.database import Database  # noqa: PLC0415
        from ml_day.persistence.repository import PlanRepository  # noqa: PLC0415

        self._database = Database.open(self.paths.database)
        self._plan = PlanRepository(self._database)
        self._seen_revision = self._plan.revision()

    def close(self) -> None:
        for unsaved in self._unsaved:
            # Logged, so that what the user did is still on record somewhere.
            log.error(
                "quitting with an unsaved edit: %s (%s)",
                _edit_summary(unsaved.edit),
                self._unsaved_reason,
            )
        if self._database is not None:
            self._database.close()
        self._database = None
        self._plan = None

    # ------------------------------------------------------------ backups
    def take_daily_backup(self, day: dt.date) -> None:
        """Take ``day``'s backup unless it exists; a failure is logged, not raised
        (a missing backup must not stop the user from planning)."""
        from ml_day.persistence.backups import take_daily_backup  # noqa: PLC0415
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415

        if self._plan is None:
            return
        try:
            take_daily_backup(self.paths.database, self.paths.backups, day)
        except StorageError as error:
            log.warning("the daily backup was not taken: %s", error)

    def restore_backup(self, backup: Backup, when: dt.datetime) -> RestoreOutcome:
        """Replace the plan by ``backup`` (the plan as it is is kept: see
        :func:`ml_day.persistence.backups.restore_backup`), then re-read it.

        Refused while edits wait to be saved: they were made on the plan that
        is about to be replaced. The undo history is cleared, since it speaks
        of blocks the restored plan may not have.
        """
        from ml_day.persistence.backups import restore_backup  # noqa: PLC0415
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415

        if self._unsaved:
            msg = f"{_changes(len(self._unsaved))} not saved yet; restore once saved"
            raise StorageError(msg)
        if self._database is not None:
            self._database.close()
        self._database = None
        self._plan = None
        try:
            outcome = restore_backup(self.paths.database, backup, self.paths.backups, when)
        finally:
            self._open_database()
            if hasattr(self, "_watcher"):
                self._rewatch()
        self.undo_stack.clear()
        log.info("restored the plan from %s", backup.path)
        self.planChanged.emit()
        return outcome

    @property
    def plan(self) -> PlanRepository:
        if self._plan is None:
            msg = "the plan is not open yet"
            raise RuntimeError(msg)
        return self._plan

    def day_blocks(self, day: dt.date) -> list[Block]:
        """The blocks touching ``day``, filling a never-opened day from the
        template, with the edits not saved yet laid over them.

        When the plan cannot be written (filling a day writes), the day is
        read without writing, as the first paint reads it.
        """
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415

        try:
            blocks = self.plan.day_blocks(day)
        except StorageError as error:
            if not _worth_retrying(error):
                raise
            log.warning("reading %s without filling it: %s", day, error)
            blocks = self.quick_day(day) or []
        if self._unsaved:
            blocks = self._with_unsaved(blocks, day)
        return blocks

    @property
    def unsaved_count(self) -> int:
        """Edits the user made that are not in the database yet."""
        return len(self._unsaved)

    # ------------------------------------------------------------ editing
    def apply(self, edit: PlanEdit) -> AppliedEdit | None:
        """Store ``edit`` in one transaction and put it on the undo stack.

        Returns what was stored, once it is in the database. On a refusal
        nothing changes, ``editFailed`` says why, and None is returned. When
        the plan cannot be written just now (disk full, read-only folder), the
        edit is kept as unsaved: shown, undoable, retried until it is stored
        (``unsavedChanged``); None is returned as well.
        """
        outcome = self.store_edit(edit)
        if outcome is not None:
            self.undo_stack.push(_EditCommand(self, edit, outcome))
        return outcome if isinstance(outcome, AppliedEdit) else None

    def store_edit(
        self, edit: PlanEdit, *, temporary_ids: dict[int, int] | None = None
    ) -> AppliedEdit | _UnsavedEdit | None:
        """Store ``edit`` without touching the undo stack (undo and redo use this):
        what was stored, the unsaved edit waiting for a retry, or None if refused.

        ``temporary_ids`` are the ids to show its new blocks under if it must wait.
        """
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415

        if not edit.operations:
            return None
        if self._unsaved:
            # Keep the user's order: nothing overtakes an edit that waits.
            return self._keep_unsaved(edit, self._unsaved_reason, temporary_ids)
        try:
            applied = self.plan.apply(self._with_saved_ids(edit))
        except (PlanError, StorageError) as error:
            if _worth_retrying(error):
                return self._keep_unsaved(edit, str(error), temporary_ids)
            log.warning("edit %r refused: %s", edit.description, error)
            self.editFailed.emit(str(error))
            return None
        self._stored(applied)
        return applied

    def _stored(self, applied: AppliedEdit) -> None:
        log.info("stored: %s", applied.edit.description)
        self._seen_revision = self.plan.revision()
        self.planChanged.emit()

    # ------------------------------------------------------------ unsaved edits
    def retry_unsaved(self) -> None:
        """Try again to store the unsaved edits, oldest first (the timer and the
        Retry button call this)."""
        from ml_day.persistence.errors import StorageError  # noqa: PLC0415

        self._retry_timer.stop()
        while self._unsaved and self._plan is not None:
            unsaved = self._unsaved[0]
            edit = self._with_saved_ids(unsaved.edit)
            try:
                applied = self._plan.apply(edit)
            except (PlanError, StorageError) as error:
                if _worth_retrying(error):
                    self._still_unsaved(str(error))
                    return
                # Refused now (another program deleted its block meanwhile):
                # said, not dropped silently.
                self._unsaved.pop(0)
                log.warning("unsaved edit %r refused: %s", edit.description, error)
                self.editFailed.emit(f"{edit.description}: {error}")
                unsaved.refused()
                continue
            self._unsaved.pop(0)
            for index, temporary in unsaved.temporary_ids.items():
                stored = applied.after[index]
                if stored is not None:
                    self._saved_ids[temporary] = stored.id
            unsaved.stored(applied)
            self._stored(applied)
        if self._unsaved:  # the plan is closed for a moment: try again later
            self._still_unsaved(self._unsaved_reason)
            return
        self._retries = 0
        self._unsaved_reason = ""
        log.info("every edit is saved")
        self.unsavedChanged.emit(0, "")

    def cancel_unsaved(self, unsaved: _UnsavedEdit) -> bool:
        """Forget the newest unsaved edit (undoing it); False if it is not the newest."""
        if not self._unsaved or self._unsaved[-1] is not unsaved:
            return False
        self._unsaved.pop()
        log.info("unsaved edit undone: %s", unsaved.edit.description)
        if not self._unsaved:
            self._retry_timer.stop()
            self._retries = 0
        self.unsavedChanged.emit(len(self._unsaved), self._unsaved_reason)
        self.planChanged.emit()
        return True

    def _keep_unsaved(
        self, edit: PlanEdit, reason: str, reused_ids: dict[int, int] | None
    ) -> _UnsavedEdit:
        temporary_ids: dict[int, int] = {}
        for index, operation in enumerate(edit.operations):
            if not isinstance(operation, CreateBlock):
                continue
            if reused_ids is not None and index in reused_ids:
                temporary_ids[index] = reused_ids[index]
            else:
                temporary_ids[index] = self._next_unsaved_id
                self._next_unsaved_id -= 1
        unsaved = _UnsavedEdit(edit, temporary_ids)
        self._unsaved.append(unsaved)
        log.warning("edit %r not saved yet: %s", edit.description, reason)
        if len(self._unsaved) == 1:
            self._retries = 0
        self._still_unsaved(reason)
        self.planChanged.emit()
        return unsaved

    def _still_unsaved(self, reason: str) -> None:
        self._unsaved_reason = reason
        delay = RETRY_DELAYS_MS[min(self._retries, len(RETRY_DELAYS_MS) - 1)]
        self._retries += 1
        self._retry_timer.start(delay)
        self.unsavedChanged.emit(len(self._unsaved), reason)

    def _with_saved_ids(self, edit: PlanEdit) -> PlanEdit:
        """``edit`` with the temporary ids of blocks stored since replaced by their ids."""
        if not self._saved_ids:
            return edit
        return dataclasses.replace(
            edit, operations=tuple(_renumbered(op, self._saved_ids) for op in edit.operations)
        )

    def _with_unsaved(self, blocks: list[Block], day: dt.date) -> list[Block]:
        """``blocks`` as they will be once the unsaved edits are stored."""
        shown = {block.id: block for block in blocks}
        categories = {block.category.name: block.category for block in blocks}
        for unsaved in self._unsaved:
            edit = self._with_saved_ids(unsaved.edit)
            for index, operation in enumerate(edit.operations):
                _lay_over(shown, categories, operation, unsaved.temporary_ids.get(index))
        return sorted(
            (block for block in shown.values() if overlaps_day(block, day)),
            key=lambda block: (block.start, block.end, block.id),
        )

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


class _UnsavedEdit:
    """An edit the user made that waits to be written, with who to tell once it is."""

    def __init__(self, edit: PlanEdit, temporary_ids: dict[int, int]) -> None:
        self.edit = edit
        self.temporary_ids = temporary_ids
        """Operation index -> the id shown for the block it creates until stored."""
        self.when_stored: Callable[[AppliedEdit], None] = lambda _applied: None
        self.when_refused: Callable[[], None] = lambda: None

    def stored(self, applied: AppliedEdit) -> None:
        self.when_stored(applied)

    def refused(self) -> None:
        self.when_refused()


class _EditCommand(QUndoCommand):
    """One edit on the undo stack; undo and redo are edits of their own.

    The edit may still be waiting to be saved: undoing it then just forgets
    it, and redoing it queues it again.
    """

    def __init__(
        self, store: PlanStore, edit: PlanEdit, outcome: AppliedEdit | _UnsavedEdit
    ) -> None:
        super().__init__(edit.description)
        self._store = store
        self._edit = edit
        self._applied: AppliedEdit | None = None
        """The last time the edit was stored (None: never yet)."""
        self._waiting: _UnsavedEdit | None = None
        self._waiting_forward = True
        self._temporary_ids: dict[int, int] | None = None
        self._done = True  # pushed after it was stored or queued: the first redo() does nothing
        self._follow(outcome, forward=True)

    @override
    def redo(self) -> None:
        if self._done:
            return
        self._done = True
        waiting = self._waiting
        if (
            waiting is not None
            and not self._waiting_forward
            and self._store.cancel_unsaved(waiting)
        ):
            self._waiting = None
            return
        if self._applied is None:
            # Never stored: queue it again, its new blocks keeping the ids
            # that later edits on the stack refer to.
            outcome = self._store.store_edit(self._edit, temporary_ids=self._temporary_ids)
        else:
            outcome = self._store.store_edit(self._applied.redo())
        self._follow(outcome, forward=True)

    @override
    def undo(self) -> None:
        self._done = False
        waiting = self._waiting
        if waiting is not None and self._waiting_forward and self._store.cancel_unsaved(waiting):
            self._waiting = None
            return
        if self._applied is None:
            return
        self._follow(self._store.store_edit(self._applied.inverse()), forward=False)

    def _follow(self, outcome: AppliedEdit | _UnsavedEdit | None, *, forward: bool) -> None:
        if outcome is None:
            self.setObsolete(True)
        elif isinstance(outcome, AppliedEdit):
            if forward:
                self._applied = outcome
        else:
            self._waiting = outcome
            self._waiting_forward = forward
            if forward and self._temporary_ids is None:
                self._temporary_ids = outcome.temporary_ids
            outcome.when_stored = lambda applied: self._saved(outcome, applied, forward=forward)
            outcome.when_refused = lambda: self.setObsolete(True)

    def _saved(self, unsaved: _UnsavedEdit, applied: AppliedEdit, *, forward: bool) -> None:
        if self._waiting is unsaved:
            self._waiting = None
        if forward:
            self._applied = applied


def _worth_retrying(error: Exception) -> bool:
    """Whether a failure comes from the surroundings (disk full, folder
    read-only, the file held by another program) rather than from the edit."""
    from ml_day.persistence.errors import DataFolderError, StorageError  # noqa: PLC0415

    if isinstance(error, DataFolderError):
        return True
    # The busy case has no class of its own; its message says "is busy".
    return type(error) is StorageError and " is busy " in str(error)


def _edit_summary(edit: PlanEdit) -> str:
    """``Move Lunch: update 12 to "Lunch" 2026-11-27 12:05-13:05``, for the log."""
    parts = []
    for operation in edit.operations:
        if isinstance(operation, CreateBlock | UpdateBlock):
            draft = operation.draft
            target = (
                "create"
                if isinstance(operation, CreateBlock)
                else f"update {operation.block_id} to"
            )
            parts.append(
                f"{target} {draft.title[:80]!r} {draft.start:%Y-%m-%d %H:%M}-{draft.end:%H:%M}"
            )
        elif isinstance(operation, DeleteBlock):
            parts.append(f"delete {operation.block_id}")
        elif isinstance(operation, SetDone):
            parts.append(f"mark {operation.block_id} {'done' if operation.done else 'not done'}")
        else:
            parts.append(f"restore {operation.block.id} {operation.block.title[:80]!r}")
    return f"{edit.description}: {'; '.join(parts)}"


def _changes(count: int) -> str:
    return "1 change is" if count == 1 else f"{count} changes are"


def _renumbered(operation: BlockOperation, ids: dict[int, int]) -> BlockOperation:
    if isinstance(operation, UpdateBlock | DeleteBlock | SetDone) and operation.block_id in ids:
        return dataclasses.replace(operation, block_id=ids[operation.block_id])
    return operation


def _lay_over(
    shown: dict[int, Block],
    categories: dict[str, Category],
    operation: BlockOperation,
    temporary_id: int | None,
) -> None:
    """Apply one unsaved operation to the blocks shown (in memory only)."""

    def category(name: str) -> Category:
        return categories.get(name) or dataclasses.replace(UNCATEGORISED, name=name)

    def with_draft(block_id: int, draft: BlockDraft, old: Block | None) -> Block:
        return Block(
            id=block_id, title=draft.title, category=category(draft.category),
            start=draft.start, end=draft.end, notes=draft.notes, fixed=draft.fixed,
            notify=draft.notify, deadline=draft.deadline,
            done=False if old is None else old.done, uid="" if old is None else old.uid,
        )  # fmt: skip

    if isinstance(operation, CreateBlock) and temporary_id is not None:
        shown[temporary_id] = with_draft(temporary_id, operation.draft, None)
    elif isinstance(operation, UpdateBlock):
        old = shown.get(operation.block_id)
        shown[operation.block_id] = with_draft(operation.block_id, operation.draft, old)
    elif isinstance(operation, DeleteBlock):
        shown.pop(operation.block_id, None)
    elif isinstance(operation, SetDone) and operation.block_id in shown:
        shown[operation.block_id] = dataclasses.replace(
            shown[operation.block_id], done=operation.done
        )
    elif isinstance(operation, RestoreBlock):
        shown[operation.block.id] = operation.block
