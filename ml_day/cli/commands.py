"""Running a parsed command against the plan database."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import logging
import os
import sys
from typing import TYPE_CHECKING

from ml_day.cli.agenda import agenda_json, agenda_text
from ml_day.cli.arguments import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, EndTime
from ml_day.core.blocks import Block, BlockDraft, PlanError
from ml_day.core.clock import Clock, local_now, today
from ml_day.paths import AppPaths

if TYPE_CHECKING:
    from ml_day.persistence.database import Database

log = logging.getLogger("ml_day.cli")


def run_command(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:  # noqa: PLR0911
    """Run one command; errors become a one-line message and an exit status."""
    # Imported here so that "--help" and "--version" never load the database layer.
    from ml_day.persistence.errors import BlockNotFoundError, StorageError  # noqa: PLC0415

    _tolerate_narrow_output()
    try:
        return _dispatch(args, paths, clock)
    except PlanError as error:
        return _fail(str(error), EXIT_USAGE)
    except BlockNotFoundError as error:
        return _fail(str(error), EXIT_USAGE)
    except StorageError as error:
        log.warning("%s", error)
        return _fail(str(error), EXIT_FAILURE)
    except BrokenPipeError:
        # The reader went away ("ml-day agenda | head"): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE
    except OSError as error:
        log.warning("%s", error)
        return _fail(f"{error.strerror or error} ({error.filename or 'no file'})", EXIT_FAILURE)
    except Exception as error:
        log.exception("unexpected error in '%s'", args.command)
        return _fail(f"unexpected error: {error} (details in {paths.log_file})", EXIT_FAILURE)


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"ml-day: error: {' '.join(message.split())}\n")
    return status


def _dispatch(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:  # noqa: PLR0911
    if args.command == "agenda":
        return _agenda(args, paths, clock)
    if args.command == "notify-test":
        return _notify_test()
    if args.command in {"install-desktop", "uninstall-desktop", "autostart"}:
        return _desktop_integration(args)
    if args.command == "backup":
        return _backup(args, paths, clock)
    if args.command in {"export", "import"}:
        from ml_day.cli.exchange import run_exchange  # noqa: PLC0415

        exchange_database = open_plan_database(paths, clock)
        try:
            return run_exchange(args, exchange_database, clock)
        finally:
            exchange_database.close()
    from ml_day.core.editing import moved, with_span  # noqa: PLC0415 - not for the agenda
    from ml_day.persistence.repository import PlanRepository  # noqa: PLC0415

    database = open_plan_database(paths, clock)
    try:
        plan = PlanRepository(database)
        if args.command == "add":
            day = args.date or today(clock)
            start = dt.datetime.combine(day, args.start)
            end = _end_after(start, args.end)
            draft = BlockDraft(title=args.title, category=args.category, start=start, end=end)
            block = plan.add_block(draft)
            print(block.id)
        elif args.command == "move":
            block = plan.get_block(args.id)
            day = args.date or block.start.date()
            start = dt.datetime.combine(day, args.start)
            # Keeps the real duration, as a drag in the window does (DST days).
            plan.update_block(block.id, moved(block, start, clock.zone()))
            print(_summary(plan.get_block(block.id)))
        elif args.command == "resize":
            block = plan.get_block(args.id)
            end = _end_after(block.start, args.end)
            plan.update_block(block.id, with_span(block, block.start, end))
            print(_summary(plan.get_block(block.id)))
        elif args.command == "remove":
            removed = plan.remove_block(args.id)
            print(f"removed {_summary(removed)}")
        else:  # pragma: no cover - argparse only lets known commands through
            return _fail(f"unknown command {args.command!r}", EXIT_USAGE)
    finally:
        database.close()
    return EXIT_OK


def _agenda(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    from ml_day.persistence.quick_read import read_day_quickly  # noqa: PLC0415

    day = args.date or today(clock)
    quick = read_day_quickly(paths.database, day)
    if quick is not None and quick.complete:
        blocks = quick.blocks
    else:
        from ml_day.persistence.repository import PlanRepository  # noqa: PLC0415

        database = open_plan_database(paths, clock)
        try:
            blocks = PlanRepository(database).day_blocks(day)
        finally:
            database.close()
    zone = clock.zone()
    if args.json:
        print(agenda_json(blocks, day, zone, ascii_only=not _is_utf8(sys.stdout)))
    else:
        print(agenda_text(blocks, day, zone))
    return EXIT_OK


def open_plan_database(paths: AppPaths, clock: Clock) -> Database:
    """Open the plan, and take the day's backup if it is not taken yet.

    A damaged file is set aside (renamed with a timestamp, never deleted) and
    the command fails with a message naming where it went and how to restore
    a backup; the next command starts a new plan. A newer schema is refused
    and left as it is: a newer ML Day can still read it.
    """
    from ml_day.persistence.backups import set_aside, take_daily_backup  # noqa: PLC0415
    from ml_day.persistence.database import Database  # noqa: PLC0415
    from ml_day.persistence.errors import CorruptDatabaseError, StorageError  # noqa: PLC0415

    try:
        database = Database.open(paths.database)
    except CorruptDatabaseError as error:
        moved = set_aside(paths.database, local_now(clock).replace(tzinfo=None), "damaged")
        msg = (
            f"{error}; it was moved to {moved} and the next command starts a new plan; "
            f"to restore a backup run '{RESTORE_COMMAND}'"
        )
        raise StorageError(msg) from error
    try:
        take_daily_backup(paths.database, paths.backups, today(clock))
    except StorageError as error:
        # A missing backup is no reason to refuse the user's command.
        log.warning("the daily backup was not taken: %s", error)
    return database


RESTORE_COMMAND = "ml-day backup restore latest"


def _backup(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    from ml_day.persistence import backups  # noqa: PLC0415

    if args.backup_command == "list":
        listed = backups.list_backups(paths.backups)
        if not listed:
            print(f"no backups yet in {paths.backups}")
        width = max((len(backup.label) for backup in listed), default=0)
        for backup in listed:
            contents = backups.inspect_backup(backup)
            problem = contents.problem
            note = "" if problem is None else f"  cannot be restored: {problem}"
            size, blocks = _size(contents.size), _blocks(contents.blocks)
            print(f"{backup.label:<{width}}  {size:>9} {blocks:>11}  {backup.path.name}{note}")
        return EXIT_OK
    if args.backup_command == "now":
        backup = backups.take_backup_now(paths.database, paths.backups, today(clock))
        contents = backups.inspect_backup(backup)
        print(f"backed up {_blocks(contents.blocks)} to {backup.path}")
        return EXIT_OK
    backup = backups.find_backup(paths.backups, args.which)
    when = local_now(clock).replace(tzinfo=None)
    outcome = backups.restore_backup(paths.database, backup, paths.backups, when)
    kept = "" if outcome.kept_as is None else f"; the plan it replaced is kept as {outcome.kept_as}"
    print(f"restored the backup of {backup.label} ({_blocks(outcome.blocks)}){kept}")
    return EXIT_OK


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _blocks(count: int | None) -> str:
    if count is None:
        return "? blocks"
    return f"{count} block" if count == 1 else f"{count} blocks"


TEST_SUMMARY = "ML Day test notification"
FALLBACK_HINT = "the planner window falls back to its tray icon or an in-window banner"


def _notify_test() -> int:
    """Send one notification through the backend chosen as the window would
    choose it; without Qt here, that can only be the freedesktop service."""
    from ml_day.notify.backends import (  # noqa: PLC0415
        NO_SERVICE,
        DeliveryError,
        FreedesktopBackend,
        choose_backend,
    )

    freedesktop = FreedesktopBackend()
    backend = choose_backend([freedesktop])
    if backend is not freedesktop:
        return _fail(f"{freedesktop.problem or NO_SERVICE}; {FALLBACK_HINT}", EXIT_FAILURE)
    try:
        backend.send(TEST_SUMMARY, f"Notifications reach you through {backend.name}.")
    except DeliveryError as error:
        return _fail(f"{error}; {FALLBACK_HINT}", EXIT_FAILURE)
    try:
        server = f" ({freedesktop.server_information()})"
    except DeliveryError:
        server = ""
    print(f"delivered through {backend.name}{server}")
    return EXIT_OK


def _desktop_integration(args: argparse.Namespace) -> int:
    from ml_day.freedesktop.entries import DesktopIntegrationError  # noqa: PLC0415
    from ml_day.freedesktop.install import install_desktop, uninstall_desktop  # noqa: PLC0415

    try:
        if args.command == "autostart":
            return _autostart(args.state)
        if args.command == "install-desktop":
            outcome = install_desktop()
            verb = "installed"
        else:
            outcome = uninstall_desktop()
            verb = "removed"
    except DesktopIntegrationError as error:
        return _fail(str(error), EXIT_FAILURE)
    for path in outcome.changed:
        print(f"{verb} {path}")
    if not outcome.changed:
        print("nothing to remove")
    for warning in outcome.warnings:
        sys.stderr.write(f"ml-day: warning: {' '.join(warning.split())}\n")
    return EXIT_OK


def _autostart(state: str) -> int:
    from ml_day.freedesktop.autostart import (  # noqa: PLC0415
        autostart_entry_path,
        disable_autostart,
        enable_autostart,
        is_autostart_enabled,
    )

    if state == "on":
        print(f"autostart on: wrote {enable_autostart()}")
    elif state == "off":
        removed = disable_autostart()
        print(f"autostart off: {'removed' if removed else 'there was no'} {autostart_entry_path()}")
    else:
        print(f"{'on' if is_autostart_enabled() else 'off'} ({autostart_entry_path()})")
    return EXIT_OK


def _end_after(start: dt.datetime, end: EndTime) -> dt.datetime:
    """The end on the start's day, or the next with ``+1``; never before the start."""
    day = start.date() + dt.timedelta(days=1 if end.next_day else 0)
    result = dt.datetime.combine(day, end.time)
    if result <= start:
        hint = "" if end.next_day else f"; for a block past midnight write --end {end.time:%H:%M}+1"
        raise PlanError(f"the end ({end.time:%H:%M}) is not after the start ({start:%H:%M}){hint}")
    return result


def _summary(block: Block) -> str:
    return f"{block.id} {block.start:%Y-%m-%d %H:%M}-{block.end:%H:%M} {block.title}"


def _tolerate_narrow_output() -> None:
    """On a terminal or pipe that cannot show every character (an ASCII locale),
    print what it can and replace the rest, instead of failing on an emoji."""
    for stream in (sys.stdout, sys.stderr):
        if not _is_utf8(stream) and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _is_utf8(stream: object) -> bool:
    encoding = str(getattr(stream, "encoding", None) or "")
    return encoding.lower().replace("-", "").replace("_", "") == "utf8"
