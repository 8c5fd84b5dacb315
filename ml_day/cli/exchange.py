"""``ml-day export`` and ``ml-day import``: plans in and out of the database.

* ``export --date D [--days N] [--format ics|json] -o FILE``: the days' blocks
  as an iCalendar file, or (``json``) the whole plan as ML Day's own backup.
  ``-o -`` writes to standard output.
* ``import FILE``: an iCalendar file's events become blocks (the file's
  events are listed first, each as add, change, unchanged or skip, with the
  reason); a backup file restores the whole plan. ``--dry-run`` only lists.
  Changing blocks that are already stored takes ``--yes``, replacing a plan
  that is not empty takes ``--replace``: without them nothing is stored.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ml_day.cli.arguments import EXIT_FAILURE, EXIT_OK, EXIT_USAGE
from ml_day.cli.settings_file import notification_rules
from ml_day.core.clock import Clock, local_now, today
from ml_day.paths import BACKUPS_NAME, SETTINGS_NAME

if TYPE_CHECKING:
    from ml_day.interchange.import_plan import ImportPlan
    from ml_day.persistence.database import Database

STDOUT = "-"


def run_exchange(args: argparse.Namespace, database: Database, clock: Clock) -> int:
    """Run ``export`` or ``import`` on the open plan ``database``."""
    from ml_day.interchange.reading import CalendarFileError  # noqa: PLC0415

    try:
        if args.command == "export":
            return _export(args, database, clock)
        return _import(args, database, clock)
    except CalendarFileError as error:
        return _fail(f"{args.file}: {error}", EXIT_FAILURE)


# ---------------------------------------------------------------- export
def _export(args: argparse.Namespace, database: Database, clock: Clock) -> int:
    kind = args.format or ("json" if str(args.output).lower().endswith(".json") else "ics")
    if kind == "json":
        if args.date is not None or args.days is not None:
            return _fail(
                "a backup (--format json) holds every day; --date and --days are for .ics files",
                EXIT_USAGE,
            )
        from ml_day.persistence.full_backup import export_backup  # noqa: PLC0415

        _write(args.output, export_backup(database, now=clock.now()))
        _say(args.output, f"wrote the whole plan to {args.output}")
        return EXIT_OK
    from ml_day.interchange.export import export_calendar  # noqa: PLC0415
    from ml_day.persistence.repository import PlanRepository  # noqa: PLC0415

    first = args.date or today(clock)
    days = args.days or 1
    plan = PlanRepository(database)
    blocks = {
        block.id: block
        for offset in range(days)
        for block in plan.day_blocks(first + dt.timedelta(days=offset))
    }
    ordered = sorted(blocks.values(), key=lambda block: (block.start, block.end, block.id))
    # The alarms follow the user's notification rules, as the window's export does.
    rules = notification_rules(database.path.parent / SETTINGS_NAME)
    data = export_calendar(ordered, clock.zone(), stamp=clock.now(), rules=rules)
    _write(args.output, data)
    span = f"{first}" if days == 1 else f"{first} to {first + dt.timedelta(days=days - 1)}"
    _say(args.output, f"wrote {len(ordered)} blocks ({span}) to {args.output}")
    return EXIT_OK


def _write(output: str, data: bytes) -> None:
    if output == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.replace(target)


def _say(output: str, text: str) -> None:
    """What was written; on stderr when standard output holds the file itself."""
    if output == STDOUT:
        sys.stderr.write(f"ml-day: {text}\n")
    else:
        print(text)


# ---------------------------------------------------------------- import
def _import(args: argparse.Namespace, database: Database, clock: Clock) -> int:
    from ml_day.interchange.importing import read_file  # noqa: PLC0415

    path = Path(args.file)
    data = read_file(path)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _restore(args, database, data, clock)
    return _import_calendar(args, database, clock, data)


def _import_calendar(
    args: argparse.Namespace, database: Database, clock: Clock, data: bytes
) -> int:
    from ml_day.interchange.import_plan import Action, report_lines  # noqa: PLC0415
    from ml_day.interchange.importing import DEFAULT_DAYS, prepare_import  # noqa: PLC0415
    from ml_day.persistence.exchange import blocks_by_uid  # noqa: PLC0415

    first = args.date or today(clock)
    plan = prepare_import(
        data,
        source=Path(args.file).name,
        zone=clock.zone(),
        first_day=first,
        days=args.days or DEFAULT_DAYS,
        stored=lambda uids: blocks_by_uid(database, uids),
    )
    for line in report_lines(plan):
        print(line)
    if args.dry_run:
        print(f"dry run, nothing stored: {plan.summary()}")
        return EXIT_OK
    if not plan.has_changes:
        print(f"nothing to import from {plan.source}: {plan.summary()}")
        return EXIT_OK
    changes = plan.count(Action.CHANGE)
    if changes and not args.yes:
        return _fail(
            f"the import would change {changes} stored block{'s' if changes != 1 else ''}; "
            "run again with --yes to allow it (nothing was stored)",
            EXIT_USAGE,
        )
    _apply(plan, database)
    print(f"imported {plan.source}: {plan.done_summary()}")
    return EXIT_OK


def _apply(plan: ImportPlan, database: Database) -> None:
    from ml_day.persistence.exchange import apply_import  # noqa: PLC0415
    from ml_day.persistence.repository import PlanRepository  # noqa: PLC0415

    apply_import(PlanRepository(database), plan.edit(), plan.whole_days)


def _restore(args: argparse.Namespace, database: Database, data: bytes, clock: Clock) -> int:
    from ml_day.persistence.backups import keep_copy_before_replacing  # noqa: PLC0415
    from ml_day.persistence.full_backup import (  # noqa: PLC0415
        PlanNotEmptyError,
        import_backup,
        read_backup,
    )

    if args.dry_run:
        summary = read_backup(data)
        print(f"dry run, nothing stored: the backup holds {summary.describe()}")
        return EXIT_OK
    kept = None
    if args.replace:
        read_backup(data)  # a broken document is refused before anything is copied
        folder = database.path.parent / BACKUPS_NAME
        kept = keep_copy_before_replacing(database.path, folder, local_now(clock))
    try:
        summary = import_backup(database, data, replace=args.replace)
    except PlanNotEmptyError as error:
        return _fail(f"{error}; nothing was stored", EXIT_USAGE)
    print(f"restored {summary.describe()} from {Path(args.file).name}")
    if kept is not None:
        print(f"the plan it replaced is kept as {kept}")
    return EXIT_OK


def _fail(message: str, status: int) -> int:
    sys.stderr.write(f"ml-day: error: {' '.join(message.split())}\n")
    return status
