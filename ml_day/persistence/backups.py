"""Daily backups of the plan, restoring one, and setting a damaged file aside.

Backups are taken with SQLite's online backup API, not by copying the file:
a copy of a database in write-ahead-log mode may miss what is committed but
still in the ``-wal`` file, or catch a page half-written by another process.
The API copies one consistent snapshot while the window and the command line
go on reading and writing.

Promises kept here, and tested in ``tests/reliability``:

* a backup is complete or absent: it is written under a temporary name,
  checked (``PRAGMA quick_check``), synced, then renamed into place;
* at most one backup a day; the seven newest are kept, older ones pruned (so a
  week away leaves the last seven, not none);
* a restore never loses the plan it replaces: a healthy plan is first copied
  to a "before restore" backup, a damaged one is set aside;
* a file set aside is renamed next to the database with a timestamp, together
  with its ``-wal``, ``-shm`` and ``-journal`` files; nothing is ever deleted
  or overwritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ml_day.persistence.database import BUSY_TIMEOUT_MS, Database
from ml_day.persistence.errors import CorruptDatabaseError, DataFolderError, StorageError
from ml_day.persistence.schema import REVISION_KEY, SCHEMA_VERSION

log = logging.getLogger("ml_day.persistence")

DAILY_BACKUPS_KEPT = 7
SQLITE_HEADER = b"SQLite format 3\x00"
COMPANION_SUFFIXES = ("-wal", "-journal", "-shm")
"""The files SQLite keeps beside a database; they travel with it."""

_DAILY_NAME = re.compile(r"plan-(\d{4}-\d{2}-\d{2})\.sqlite3")
_BEFORE_RESTORE_NAME = re.compile(r"plan-before-restore-(\d{8}-\d{6})(?:-\d+)?\.sqlite3")
_PARTIAL_NAME = re.compile(r"\.(.+)\.(\d+)\.partial")
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file in the backups folder."""

    path: Path
    day: dt.date
    """The local day it was taken on."""
    taken_at: dt.datetime | None = None
    """The local time, for a copy taken before a restore (daily ones have only a day)."""

    @property
    def before_restore(self) -> bool:
        return self.taken_at is not None

    @property
    def label(self) -> str:
        """How the user names it: ``2026-05-04``, or with the time for a copy
        taken before a restore."""
        if self.taken_at is None:
            return self.day.isoformat()
        return f"{self.taken_at:%Y-%m-%d %H:%M:%S} (before a restore)"


@dataclass(frozen=True, slots=True)
class BackupContents:
    """What a backup holds, read without changing it."""

    size: int
    """Bytes on disk."""
    blocks: int | None
    schema: int | None
    problem: str | None
    """Why it cannot be restored, or None if it can."""

    @property
    def usable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    restored: Backup
    blocks: int
    kept_as: Path | None
    """Where the plan it replaced was kept (None if there was nothing to keep)."""


# ---------------------------------------------------------------- listing
def list_backups(folder: Path) -> list[Backup]:
    """Every backup in ``folder``, newest first (daily ones before the copies
    taken before a restore on the same day)."""
    if not folder.is_dir():
        return []
    found: list[Backup] = []
    for path in folder.iterdir():
        backup = _backup_named(path)
        if backup is not None and path.is_file():
            found.append(backup)
    return sorted(
        found,
        key=lambda b: (
            b.day,
            b.taken_at is None,
            b.taken_at or dt.datetime.combine(b.day, dt.time()),
        ),
        reverse=True,
    )


def _backup_named(path: Path) -> Backup | None:
    daily = _DAILY_NAME.fullmatch(path.name)
    if daily is not None:
        with contextlib.suppress(ValueError):
            return Backup(path, dt.date.fromisoformat(daily[1]))
        return None
    before = _BEFORE_RESTORE_NAME.fullmatch(path.name)
    if before is not None:
        with contextlib.suppress(ValueError):
            moment = dt.datetime.strptime(before[1], _STAMP)  # noqa: DTZ007 - local wall time
            return Backup(path, moment.date(), moment)
    return None


def inspect_backup(backup: Backup) -> BackupContents:
    """Size, block count and schema of a backup, and whether it can be restored."""
    return inspect_database(backup.path)


def inspect_database(path: Path) -> BackupContents:
    """Size, block count, schema and health of a plan file, opened read-only."""
    try:
        size = path.stat().st_size
    except OSError as error:
        return BackupContents(0, None, None, error.strerror or str(error))
    if not _has_sqlite_header(path):
        return BackupContents(size, None, None, "it is not a database")
    try:
        with _read_only(path) as connection:
            return _inspect(connection, size)
    except sqlite3.Error as error:
        return BackupContents(size, None, None, f"it cannot be read ({error})")


def _inspect(connection: sqlite3.Connection, size: int) -> BackupContents:
    check = connection.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        return BackupContents(size, None, None, f"it is damaged ({check})")
    schema = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if schema > SCHEMA_VERSION:
        problem = f"it was written by a newer ML Day (schema {schema})"
        return BackupContents(size, None, schema, problem)
    if schema < 1:
        return BackupContents(size, None, schema, "it is not an ML Day plan")
    blocks = int(connection.execute("SELECT count(*) FROM block").fetchone()[0])
    return BackupContents(size, blocks, schema, None)


def find_backup(folder: Path, which: str) -> Backup:
    """The backup named by ``which``: ``latest`` (the newest usable daily
    backup), a day ``YYYY-MM-DD``, or a file name as listed."""
    backups = list_backups(folder)
    if not backups:
        raise StorageError(f"there are no backups in {folder}")
    if which == "latest":
        newest = newest_usable_backup(folder)
        if newest is None:
            raise StorageError(f"no backup in {folder} can be restored")
        return newest[0]
    for backup in backups:
        if which in {backup.path.name, backup.label} or (
            not backup.before_restore and which == backup.day.isoformat()
        ):
            return backup
    listed = ", ".join(backup.label for backup in backups[:3])
    raise StorageError(f"there is no backup '{which}' in {folder} (newest: {listed})")


def newest_usable_backup(folder: Path) -> tuple[Backup, BackupContents] | None:
    """The newest daily backup that can be restored (else the newest copy
    taken before a restore), with what it holds."""
    backups = list_backups(folder)
    ordered = [b for b in backups if not b.before_restore] + [
        b for b in backups if b.before_restore
    ]
    for backup in ordered:
        contents = inspect_backup(backup)
        if contents.usable:
            return backup, contents
    return None


# ---------------------------------------------------------------- taking
def take_daily_backup(database: Path, folder: Path, day: dt.date) -> Backup | None:
    """Back ``database`` up as ``day``'s backup unless that exists already;
    prune to the newest seven. Returns the new backup, or None if none was due."""
    if not _has_sqlite_header(database):
        return None
    target = folder / f"plan-{day.isoformat()}.sqlite3"
    if target.exists():
        return None
    take_backup(database, target)
    prune_backups(folder)
    log.info("took the daily backup %s", target)
    return Backup(target, day)


def take_backup_now(database: Path, folder: Path, day: dt.date) -> Backup:
    """Back ``database`` up as ``day``'s backup now, replacing an earlier one of that day."""
    if not _has_sqlite_header(database):
        raise StorageError(f"there is no plan database at {database} to back up")
    target = folder / f"plan-{day.isoformat()}.sqlite3"
    take_backup(database, target)
    prune_backups(folder)
    return Backup(target, day)


def take_backup(database: Path, target: Path) -> None:
    """Copy ``database`` to ``target`` through the online backup API.

    The copy is written under a temporary name, checked, synced and then
    renamed: ``target`` is a complete backup or stays as it was. A copy that
    fails the check raises :class:`CorruptDatabaseError` (the plan itself is
    damaged) and replaces nothing, so a damaged plan never pushes out a good
    backup.
    """
    _make_folder(target.parent)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            _read_write(database) as source,
            contextlib.closing(sqlite3.connect(partial, isolation_level=None)) as copy,
        ):
            source.backup(copy)
            # A backup is a standalone file: no -wal or -shm beside it.
            copy.execute("PRAGMA journal_mode = DELETE")
            check = copy.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise CorruptDatabaseError(database, f"its backup copy fails the check: {check}")
        _sync_file(partial)
        partial.replace(target)
        _sync_folder(target.parent)
    except sqlite3.Error as error:
        raise _backup_error(database, target, error) from error
    except OSError as error:
        raise DataFolderError(target.parent, error.strerror or str(error)) from error
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def prune_backups(folder: Path, keep: int = DAILY_BACKUPS_KEPT) -> list[Path]:
    """Delete the daily backups beyond the ``keep`` newest, and copies left
    half-written by a process that no longer runs. Copies taken before a
    restore are kept: they are the only copy of the plan a restore replaced."""
    removed: list[Path] = []
    daily = [backup for backup in list_backups(folder) if not backup.before_restore]
    for backup in daily[keep:]:
        with contextlib.suppress(FileNotFoundError):
            backup.path.unlink()
            removed.append(backup.path)
    for path in folder.glob(".*.partial"):
        match = _PARTIAL_NAME.fullmatch(path.name)
        if match is not None and not _process_alive(int(match[2])):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    for path in removed:
        log.info("pruned %s", path)
    return removed


# ---------------------------------------------------------------- restoring
def restore_backup(
    database: Path, backup: Backup, folder: Path, when: dt.datetime
) -> RestoreOutcome:
    """Replace the plan at ``database`` by ``backup``, keeping what it replaces.

    A healthy plan with anything in it is first copied to a "before restore"
    backup in ``folder``; a damaged one is set aside next to itself. The
    backup is then written into the database through the online backup API,
    in one transaction, so an open window or a command running at the same
    time sees the old plan or the restored one, never a mixture; the plan's
    revision moves on so that an open window re-reads it. An older backup is
    migrated to the current schema. ``when`` (local time) names the copies.
    """
    contents = inspect_backup(backup)
    if contents.problem is not None:
        raise StorageError(f"the backup {backup.path} cannot be restored: {contents.problem}")
    current = inspect_database(database) if database.exists() else None
    kept: Path | None = None
    old_revision = 0
    if current is not None and current.problem is None and (current.schema or 0) >= 1:
        old_revision = _revision(database)
        if current.blocks or old_revision:
            kept = _unused_name(folder, f"plan-before-restore-{when:{_STAMP}}", ".sqlite3")
            take_backup(database, kept)
    elif current is not None and current.size > 0:
        newer = current.schema is not None and current.schema > SCHEMA_VERSION
        kept = set_aside(database, when, "newer-schema" if newer else "damaged")
    try:
        with _read_only(backup.path) as source, _read_write(database, create=True) as target:
            source.backup(target)
            restored_revision = _revision_of(target)
            target.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (REVISION_KEY, str(max(old_revision, restored_revision) + 1)),
            )
            target.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise _backup_error(backup.path, database, error) from error
    # Opening migrates a backup taken by an older version to the current schema.
    Database.open(database).close()
    log.info("restored %s from %s (the replaced plan: %s)", database, backup.path, kept)
    return RestoreOutcome(backup, contents.blocks or 0, kept)


def keep_copy_before_replacing(database: Path, folder: Path, when: dt.datetime) -> Path | None:
    """Copy a plan that is about to be replaced wholesale (a JSON restore) to a
    "before restore" backup in ``folder``; None when there is nothing to keep."""
    if not database.exists():
        return None
    current = inspect_database(database)
    if current.problem is not None or not (current.blocks or _revision(database)):
        return None
    kept = _unused_name(folder, f"plan-before-restore-{when:{_STAMP}}", ".sqlite3")
    take_backup(database, kept)
    return kept


# ---------------------------------------------------------------- setting aside
def set_aside(path: Path, when: dt.datetime, label: str) -> Path:
    """Rename ``path`` (and its ``-wal``, ``-journal``, ``-shm`` files) to
    ``<stem>-<label>-<YYYYmmdd-HHMMSS><suffix>`` beside it; returns the new path.

    Nothing is deleted or overwritten: a name already taken gets ``-2``,
    ``-3``, ... The companions move first, so that a new database created at
    ``path`` can never pick up the old one's write-ahead log.
    """
    target = _unused_name(path.parent, f"{path.stem}-{label}-{when:{_STAMP}}", path.suffix)
    try:
        for suffix in COMPANION_SUFFIXES:
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                _move_without_replacing(companion, target.with_name(target.name + suffix))
        _move_without_replacing(path, target)
        _sync_folder(path.parent)
    except OSError as error:
        raise DataFolderError(path.parent, f"cannot set {path.name} aside: {error}") from error
    log.warning("set %s aside as %s", path, target)
    return target


def _unused_name(folder: Path, stem: str, suffix: str) -> Path:
    for number in itertools.count(1):
        name = f"{stem}{'' if number == 1 else f'-{number}'}{suffix}"
        candidates = [folder / name] + [folder / (name + s) for s in COMPANION_SUFFIXES]
        if not any(path.exists() or path.is_symlink() for path in candidates):
            return folder / name
    raise AssertionError  # pragma: no cover - itertools.count never ends


def _move_without_replacing(source: Path, target: Path) -> None:
    """Rename, failing rather than replacing an existing ``target``.

    A hard link fails when the name is taken (a plain rename would replace
    it); where links are not supported (some removable-disk file systems),
    the name is checked just before the rename.
    """
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        if target.exists() or target.is_symlink():
            raise FileExistsError(target) from None
        source.rename(target)
        return
    source.unlink()


# ---------------------------------------------------------------- internals
def _has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        yield connection
    finally:
        connection.close()


@contextlib.contextmanager
def _read_write(path: Path, *, create: bool = False) -> Iterator[sqlite3.Connection]:
    mode = "rwc" if create else "rw"
    connection = sqlite3.connect(
        f"{path.as_uri()}?mode={mode}",
        uri=True,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    try:
        connection.execute("PRAGMA synchronous = FULL")
        yield connection
    finally:
        connection.close()


def _revision(path: Path) -> int:
    with _read_only(path) as connection:
        return _revision_of(connection)


def _revision_of(connection: sqlite3.Connection) -> int:
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = ?", (REVISION_KEY,))
        found = row.fetchone()
    except sqlite3.Error:
        return 0
    try:
        return int(found[0]) if found else 0
    except ValueError:
        return 0


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFolderError(folder, error.strerror or str(error)) from error


def _sync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable: sync the folder holding the new name."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _backup_error(source: Path, target: Path, error: sqlite3.Error) -> StorageError:
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    lowered = reason.lower()
    if "malformed" in lowered or "not a database" in lowered:
        return CorruptDatabaseError(source, reason)
    if "disk" in lowered or "readonly" in lowered or "unable to open" in lowered:
        return DataFolderError(target.parent, reason)
    return StorageError(f"cannot copy {source} to {target}: {reason}")
