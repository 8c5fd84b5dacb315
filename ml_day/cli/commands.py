"""Running a parsed command against the plan database."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys

from ml_day.cli.agenda import agenda_json, agenda_text
from ml_day.cli.arguments import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, EndTime
from ml_day.core.blocks import Block, BlockDraft, PlanError
from ml_day.core.clock import Clock, today
from ml_day.core.editing import moved, with_span
from ml_day.paths import AppPaths

log = logging.getLogger("ml_day.cli")


def run_command(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:  # noqa: PLR0911
    """Run one command; errors become a one-line message and an exit status."""
    # Imported here so that "--help" and "--version" never load the database layer.
    from ml_day.persistence.errors import BlockNotFoundError, StorageError  # noqa: PLC0415

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


def _dispatch(args: argparse.Namespace, paths: AppPaths, clock: Clock) -> int:
    if args.command == "agenda":
        return _agenda(args, paths, clock)
    if args.command == "notify-test":
        return _notify_test()
    if args.command in {"install-desktop", "uninstall-desktop", "autostart"}:
        return _desktop_integration(args)
    from ml_day.persistence.database import Database  # noqa: PLC0415
    from ml_day.persistence.repository import PlanRepository  # noqa: PLC0415

    database = Database.open(paths.database)
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
        from ml_day.persistence.database import Database  # noqa: PLC0415
        from ml_day.persistence.repository import PlanRepository  # noqa: PLC0415

        database = Database.open(paths.database)
        try:
            blocks = PlanRepository(database).day_blocks(day)
        finally:
            database.close()
    zone = clock.zone()
    print(agenda_json(blocks, day, zone) if args.json else agenda_text(blocks, day, zone))
    return EXIT_OK


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
